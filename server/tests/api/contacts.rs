//! Contacts over real HTTP: numbers, emails, tags, properties, notes, merging, search, access by
//! line, and the live events teammates get.

use crate::helpers::{assert_error, ok_json, spawn_app, TestApp, SUPPORT_MEMBER};
use crate::live::Stream;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;
use switchboard_domain::api::{ConversationSummary, ErrorCode};
use switchboard_domain::contacts::{
    ContactCard, ContactList, ContactNote, ContactPage, PropertyDefinition, Tag, TagList,
};
use switchboard_domain::team::{LiveEvent, NotificationList};
use switchboard_domain::ContactId;

/// Every conversation of every view.
async fn every_conversation(app: &TestApp) -> Vec<ConversationSummary> {
    let mut all = Vec::new();
    for view in ["open", "done"] {
        all.extend(app.all_of_view(&format!("view={view}")).await);
    }
    all
}

/// A conversation with a number no contact has, on line `line` if given.
async fn unknown_number(app: &TestApp, line: Option<i64>) -> ConversationSummary {
    every_conversation(app)
        .await
        .into_iter()
        .find(|c| c.contact.id.is_none() && line.is_none_or(|l| c.line_id.0 == l))
        .expect("the demo has unknown numbers")
}

async fn create(app: &TestApp, body: Value) -> ContactCard {
    let response = app.post_json("/api/v1/contacts", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    ok_json(response).await
}

async fn patch(app: &TestApp, id: ContactId, body: Value) -> reqwest::Response {
    app.client
        .patch(app.url(&format!("/api/v1/contacts/{id}")))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn page(app: &TestApp, id: ContactId) -> ContactPage {
    ok_json(app.get(&format!("/api/v1/contacts/{id}")).await).await
}

async fn list(app: &TestApp, query: &str) -> ContactList {
    ok_json(app.get(&format!("/api/v1/contacts?{query}")).await).await
}

#[tokio::test]
async fn a_contact_made_from_an_unknown_number_names_its_conversations() {
    let app = spawn_app().await;
    let conversation = unknown_number(&app, None).await;
    let card = create(
        &app,
        json!({"first_name": "Hélène", "last_name": "Dubois", "company": "Café Noir",
               "phones": [{"number": conversation.contact.number, "label": "mobile"}]}),
    )
    .await;
    assert_eq!(card.name, "Hélène Dubois");
    assert_eq!(card.source, "switchboard");
    assert_eq!(
        card.created_by.as_ref().map(|m| m.name.as_str()),
        Some("Sam Rivera")
    );

    let thread = app.conversation(conversation.id).await;
    assert_eq!(thread.conversation.contact.id, Some(card.id));
    assert_eq!(
        thread.conversation.contact.name.as_deref(),
        Some("Hélène Dubois")
    );

    let shown = page(&app, card.id).await;
    assert_eq!(shown.contact, card);
    assert!(shown.conversations.iter().any(|c| c.id == conversation.id));
    assert_eq!(shown.history[0].action, "created");

    // Deleting it makes the number unknown again; the conversation stays.
    let deleted = app
        .client
        .delete(app.url(&format!("/api/v1/contacts/{}", card.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let thread = app.conversation(conversation.id).await;
    assert_eq!(thread.conversation.contact.id, None);
    assert_error(
        app.get(&format!("/api/v1/contacts/{}", card.id)).await,
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
}

#[tokio::test]
async fn a_number_another_contact_has_is_a_conflict_that_names_it() {
    let app = spawn_app().await;
    let named = every_conversation(&app)
        .await
        .into_iter()
        .find(|c| c.contact.id.is_some())
        .unwrap();
    let body = assert_error(
        app.post_json(
            "/api/v1/contacts",
            &json!({"first_name": "Copy", "phones": [{"number": named.contact.number}]}),
        )
        .await,
        StatusCode::CONFLICT,
        ErrorCode::Conflict,
    )
    .await;
    assert_eq!(body.contact_id, named.contact.id);
    let name = named.contact.name.unwrap();
    assert!(body.error.message.contains(&name), "{}", body.error.message);
    // Written another way, it is the same number.
    let national = format!("00{}", &named.contact.number[1..]);
    assert_error(
        app.post_json(
            "/api/v1/contacts",
            &json!({"first_name": "Copy", "phones": [{"number": national}]}),
        )
        .await,
        StatusCode::CONFLICT,
        ErrorCode::Conflict,
    )
    .await;
    assert_eq!(
        list(&app, "q=copy").await.contacts.len(),
        0,
        "nothing was stored"
    );
}

#[tokio::test]
async fn a_wrong_field_is_refused_with_its_name_and_nothing_changes() {
    let app = spawn_app().await;
    let card = create(&app, json!({"first_name": "Ana"})).await;
    for (body, named) in [
        (json!({"emails": [{"address": "not an email"}]}), "emails"),
        (json!({"phones": [{"number": "12"}]}), "phones"),
        (json!({"phones": [{"number": "06 12 34 56 78"}]}), "phones"),
        (json!({"first_name": "x".repeat(201)}), "first_name"),
        (json!({"company": "two\nlines"}), "company"),
        (json!({"properties": {"nope": 1}}), "nope"),
        (json!({"tags": [""]}), "tag"),
        (json!({"favourite": 1}), "favourite"),
    ] {
        let error = assert_error(
            patch(&app, card.id, body.clone()).await,
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidBody,
        )
        .await;
        assert!(
            error.error.message.contains(named),
            "{body}: {}",
            error.error.message
        );
    }
    assert_eq!(page(&app, card.id).await.contact, card, "nothing changed");
    // A contact needs something to be known by.
    assert_error(
        app.post_json("/api/v1/contacts", &json!({})).await,
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidBody,
    )
    .await;
}

#[tokio::test]
async fn tags_made_on_the_fly_filter_contacts_and_the_inbox() {
    let app = spawn_app().await;
    let conversation = unknown_number(&app, None).await;
    let card = create(
        &app,
        json!({"first_name": "Tagged", "tags": ["  VIP  client "],
               "phones": [{"number": conversation.contact.number}]}),
    )
    .await;
    let tags: TagList = ok_json(app.get("/api/v1/tags").await).await;
    let vip = tags
        .tags
        .iter()
        .find(|t| t.name == "VIP client")
        .unwrap()
        .clone();
    assert_eq!(card.tags, vec![vip.id]);
    // The same name in another case is the same tag.
    let again = app
        .post_json("/api/v1/tags", &json!({"name": "vip CLIENT"}))
        .await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(ok_json::<Tag>(again).await.id, vip.id);

    let tagged = list(&app, &format!("tag={}", vip.id)).await;
    assert_eq!(
        tagged.contacts.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![card.id]
    );
    assert_eq!(tagged.total, Some(1));
    let view = if conversation.status == switchboard_domain::Status::Done {
        "done"
    } else {
        "open"
    };
    let inbox = app
        .all_of_view(&format!("view={view}&tag={}", vip.id))
        .await;
    assert_eq!(
        inbox.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![conversation.id]
    );
    assert_eq!(inbox[0].contact.tags, vec![vip.id]);

    // Owners and admins rename and remove tags; members may not.
    let jordan = app.signed_in(SUPPORT_MEMBER).await;
    let refused = jordan
        .patch(app.url(&format!("/api/v1/tags/{}", vip.id)))
        .json(&json!({"name": "Gold"}))
        .send()
        .await
        .unwrap();
    assert_error(refused, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    let renamed: Tag = ok_json(
        app.client
            .patch(app.url(&format!("/api/v1/tags/{}", vip.id)))
            .json(&json!({"name": "Gold", "colour": "yellow"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (renamed.name.as_str(), renamed.colour.as_str()),
        ("Gold", "yellow")
    );
    let removed = app
        .client
        .delete(app.url(&format!("/api/v1/tags/{}", vip.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    assert!(page(&app, card.id).await.contact.tags.is_empty());
    assert!(list(&app, &format!("tag={}", vip.id))
        .await
        .contacts
        .is_empty());
}

#[tokio::test]
async fn properties_are_defined_by_admins_and_their_values_checked() {
    let app = spawn_app().await;
    let jordan = app.signed_in(SUPPORT_MEMBER).await;
    let definition = json!({"key": "tier", "name": "Tier", "type": "single_choice",
                            "options": ["Basic", "Pro"]});
    let refused = jordan
        .post(app.url("/api/v1/contact-properties"))
        .json(&definition)
        .send()
        .await
        .unwrap();
    assert_error(refused, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    let created = app
        .post_json("/api/v1/contact-properties", &definition)
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let plan: PropertyDefinition = ok_json(created).await;
    let demo_properties = plan.position;
    let since: PropertyDefinition = ok_json(
        app.post_json(
            "/api/v1/contact-properties",
            &json!({"key": "renewal", "name": "Renewal date", "type": "date"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        since.position,
        demo_properties + 1,
        "each new property goes last"
    );
    assert_error(
        app.post_json("/api/v1/contact-properties", &definition)
            .await,
        StatusCode::CONFLICT,
        ErrorCode::Conflict,
    )
    .await;

    let card = create(
        &app,
        json!({"first_name": "Ana", "properties": {"tier": "pro"}}),
    )
    .await;
    assert_eq!(card.properties["tier"], json!("Pro"));
    let error = assert_error(
        patch(&app, card.id, json!({"properties": {"tier": "Gold"}})).await,
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidBody,
    )
    .await;
    assert!(
        error.error.message.contains("“Tier”"),
        "{}",
        error.error.message
    );
    let error = assert_error(
        patch(
            &app,
            card.id,
            json!({"properties": {"renewal": "31/12/2024"}}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidBody,
    )
    .await;
    assert!(error.error.message.contains("“Renewal date”"));

    let dated: ContactCard = ok_json(
        patch(
            &app,
            card.id,
            json!({"properties": {"renewal": "2024-02-29"}}),
        )
        .await,
    )
    .await;
    assert_eq!(dated.properties["tier"], json!("Pro"), "other values stay");
    assert_eq!(dated.properties["renewal"], json!("2024-02-29"));
    let pro = list(&app, "property=tier&value=Pro").await;
    assert_eq!(
        pro.contacts.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![card.id]
    );
    let cleared: ContactCard =
        ok_json(patch(&app, card.id, json!({"properties": {"tier": null}})).await).await;
    assert!(!cleared.properties.contains_key("tier"));

    // Moving "renewal" first, then removing it, removes its values.
    let moved: PropertyDefinition = ok_json(
        app.client
            .patch(app.url("/api/v1/contact-properties/renewal"))
            .json(&json!({"position": 0}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(moved.position, 0);
    let gone = app
        .client
        .delete(app.url("/api/v1/contact-properties/renewal"))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    assert!(page(&app, card.id).await.contact.properties.is_empty());
}

#[tokio::test]
async fn search_finds_names_numbers_companies_and_emails_without_accents_or_case() {
    let app = spawn_app().await;
    let card = create(
        &app,
        json!({"first_name": "Hélène", "last_name": "Øster", "company": "Café Noir",
               "phones": [{"number": "+33 6 12 34 56 78"}],
               "emails": [{"address": "helene@Bistro.example"}]}),
    )
    .await;
    for q in [
        "helene",
        "HÉLÈNE",
        "oster",
        "cafe no",
        "345678",
        "bistro",
        "helene@bistro.example",
    ] {
        let found = list(&app, &format!("q={}", urlencode(q))).await;
        assert!(
            found.contacts.iter().any(|c| c.id == card.id),
            "{q} finds her: {:?}",
            found.contacts.iter().map(|c| &c.name).collect::<Vec<_>>()
        );
    }
    assert!(
        list(&app, "q=helene+zzz").await.contacts.is_empty(),
        "every word must match"
    );

    // Pages follow one another without a gap or a repeat, in each order.
    for sort in ["name", "created", "updated"] {
        let everyone = list(&app, &format!("sort={sort}&limit=500")).await;
        let total = everyone.total.unwrap() as usize;
        assert_eq!(everyone.contacts.len(), total);
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let after = cursor
                .as_ref()
                .map(|c| format!("&cursor={c}"))
                .unwrap_or_default();
            let page = list(&app, &format!("sort={sort}&limit=7{after}")).await;
            seen.extend(page.contacts.iter().map(|c| c.id));
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(
            seen,
            everyone.contacts.iter().map(|c| c.id).collect::<Vec<_>>(),
            "{sort}"
        );
    }
    // By name, whatever the case and accents ("Hélène" among the h's).
    let by_name = list(&app, "limit=500").await;
    let keys: Vec<String> = by_name
        .contacts
        .iter()
        .map(|c| {
            c.name
                .to_lowercase()
                .replace(['é', 'è'], "e")
                .replace('ø', "o")
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_error(
        app.get("/api/v1/contacts?cursor=nonsense").await,
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidBody,
    )
    .await;
    assert_error(
        app.get("/api/v1/contacts?limit=0").await,
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidParameter,
    )
    .await;
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn notes_follow_line_access_and_only_their_author_changes_them() {
    let app = spawn_app().await;
    // Line 1 (Main) is not Jordan's; line 2 (Support) is.
    let main = unknown_number(&app, Some(1)).await;
    let card = create(
        &app,
        json!({"first_name": "Noted", "phones": [{"number": main.contact.number}]}),
    )
    .await;
    let path = format!("/api/v1/contacts/{}/notes", card.id);
    let jordan_ref = app.member_named("Jordan Lee").await;
    let riley_ref = app.member_named("Riley Park").await;
    let linked = app
        .post_json(
            &path,
            &json!({"text": "Wants the blue one", "conversation_id": main.id,
                    "mentions": [jordan_ref.id, riley_ref.id]}),
        )
        .await;
    assert_eq!(linked.status(), StatusCode::CREATED);
    let linked: ContactNote = ok_json(linked).await;
    assert_eq!(linked.conversation_id, Some(main.id));
    let open: ContactNote =
        ok_json(app.post_json(&path, &json!({"text": "Pays by card"})).await).await;

    // Riley sees Main and is notified there; Jordan does not, and is not.
    let riley = app
        .signed_in(("riley@switchboard.example", "riley-switchboard"))
        .await;
    let riley_notes: NotificationList = ok_json(
        riley
            .get(app.url("/api/v1/notifications"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let mention = riley_notes
        .notifications
        .iter()
        .find(|n| n.contact_id == Some(card.id))
        .expect("Riley is notified");
    assert_eq!(mention.conversation_id, main.id);
    assert_eq!(mention.excerpt, "Wants the blue one");
    let jordan = app.signed_in(SUPPORT_MEMBER).await;
    let jordan_notes: NotificationList = ok_json(
        jordan
            .get(app.url("/api/v1/notifications"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(jordan_notes
        .notifications
        .iter()
        .all(|n| n.contact_id != Some(card.id)));
    let seen: ContactPage = ok_json(
        jordan
            .get(app.url(&format!("/api/v1/contacts/{}", card.id)))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        seen.notes.iter().map(|n| n.id).collect::<Vec<_>>(),
        vec![open.id]
    );
    assert!(
        seen.conversations
            .iter()
            .all(|c| c.line_id.0 == 2 && c.id != main.id),
        "Jordan sees the contact's conversations on Support only"
    );
    let owner_view = page(&app, card.id).await;
    assert_eq!(
        owner_view.notes.iter().map(|n| n.id).collect::<Vec<_>>(),
        vec![open.id, linked.id],
        "newest first"
    );
    // Jordan cannot link a note to it either.
    let refused = jordan
        .post(app.url(&path))
        .json(&json!({"text": "x", "conversation_id": main.id}))
        .send()
        .await
        .unwrap();
    assert_error(refused, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;

    let note_path = format!("{path}/{}", open.id);
    let refused = jordan
        .patch(app.url(&note_path))
        .json(&json!({"text": "mine now"}))
        .send()
        .await
        .unwrap();
    assert_error(refused, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    let edited: ContactNote = ok_json(
        app.client
            .patch(app.url(&note_path))
            .json(&json!({"text": "Pays by card, never cash"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(edited.text, "Pays by card, never cash");
    assert!(edited.edited_at.is_some());
    let deleted = app.client.delete(app.url(&note_path)).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(page(&app, card.id).await.notes.len(), 1);
    for body in [json!({"text": "  "}), json!({"text": "x".repeat(4001)})] {
        assert_error(
            app.post_json(&path, &body).await,
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidBody,
        )
        .await;
    }
}

#[tokio::test]
async fn merging_unites_numbers_emails_and_tags_and_moves_notes_over() {
    let app = spawn_app().await;
    app.post_json(
        "/api/v1/contact-properties",
        &json!({"key": "plan", "name": "Plan", "type": "single_choice",
                "options": ["Basic", "Pro"]}),
    )
    .await;
    let first = unknown_number(&app, None).await;
    let second = every_conversation(&app)
        .await
        .into_iter()
        .find(|c| c.contact.id.is_none() && c.contact.number != first.contact.number)
        .unwrap();
    let kept = create(
        &app,
        json!({"first_name": "Ana", "tags": ["VIP"], "properties": {"plan": "Pro"},
               "phones": [{"number": first.contact.number}]}),
    )
    .await;
    let other = create(
        &app,
        json!({"first_name": "Anna", "last_name": "Bell", "tags": ["Wholesale", "vip"],
               "properties": {"plan": "Basic"}, "emails": [{"address": "anna@bell.example"}],
               "phones": [{"number": second.contact.number, "label": "work"}]}),
    )
    .await;
    let note: ContactNote = ok_json(
        app.post_json(
            &format!("/api/v1/contacts/{}/notes", other.id),
            &json!({"text": "Prefers mornings"}),
        )
        .await,
    )
    .await;

    let merged: ContactCard = ok_json(
        app.post_json(
            &format!("/api/v1/contacts/{}/merge", kept.id),
            &json!({"other_id": other.id}),
        )
        .await,
    )
    .await;
    assert_eq!(
        merged.first_name.as_deref(),
        Some("Ana"),
        "the kept contact's wins"
    );
    assert_eq!(
        merged.last_name.as_deref(),
        Some("Bell"),
        "the other fills the gaps"
    );
    assert_eq!(merged.name, "Ana Bell");
    assert_eq!(
        merged
            .phones
            .iter()
            .map(|p| p.number.as_str())
            .collect::<Vec<_>>(),
        vec![
            first.contact.number.as_str(),
            second.contact.number.as_str()
        ]
    );
    assert_eq!(merged.emails.len(), 1);
    assert_eq!(merged.tags.len(), 2, "VIP and Wholesale");
    assert_eq!(merged.properties["plan"], json!("Pro"));
    let shown = page(&app, kept.id).await;
    assert!(shown.notes.iter().any(|n| n.id == note.id));
    assert!(shown.history.iter().any(|h| h.action == "merged"));
    assert_eq!(
        app.conversation(second.id).await.conversation.contact.id,
        Some(kept.id)
    );
    assert_error(
        app.get(&format!("/api/v1/contacts/{}", other.id)).await,
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
    assert_error(
        app.post_json(
            &format!("/api/v1/contacts/{}/merge", kept.id),
            &json!({"other_id": kept.id}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidBody,
    )
    .await;
}

#[tokio::test]
async fn teammates_see_contact_changes_live() {
    let app = spawn_app().await;
    let jordan = app.signed_in(SUPPORT_MEMBER).await;
    let mut stream = Stream::open(&app, &jordan, None).await;
    let card = create(&app, json!({"first_name": "Live", "tags": ["Fresh"]})).await;
    let mut saw_settings = false;
    loop {
        match stream.next(Duration::from_secs(5)).await {
            Some((_, LiveEvent::ContactSettings { tags, .. })) => {
                saw_settings = tags.iter().any(|t| t.name == "Fresh");
            }
            Some((_, LiveEvent::Contact { contact })) => {
                assert_eq!(contact, card);
                break;
            }
            Some(_) => {}
            None => panic!("no contact event"),
        }
    }
    assert!(saw_settings, "the new tag came first");
    let changed: ContactCard =
        ok_json(patch(&app, card.id, json!({"company": "Acme"})).await).await;
    loop {
        match stream.next(Duration::from_secs(5)).await {
            Some((_, LiveEvent::Contact { contact })) => {
                assert_eq!(contact, changed);
                break;
            }
            Some(_) => {}
            None => panic!("no change event"),
        }
    }
}

fn quo_contact_event(kind: &str, event_id: &str, contact: Value) -> String {
    json!({
        "id": event_id, "object": "event", "apiVersion": "v3", "type": kind,
        "createdAt": "2026-11-25T12:00:00.000Z",
        "data": { "object": contact }
    })
    .to_string()
}

#[tokio::test]
async fn quos_contact_events_create_update_and_delete_its_contacts() {
    let app = spawn_app().await;
    let conversation = unknown_number(&app, None).await;
    let quo = |first: &str| {
        json!({"id": "CTquo1", "object": "contact", "source": "openphone",
               "defaultFields": {"firstName": first, "lastName": "Quo", "company": "Acme",
                   "phoneNumbers": [{"name": "work", "value": conversation.contact.number}],
                   "emails": [{"name": "work", "value": "kim@acme.example"}]},
               "customFields": [{"key": "plan", "name": "Plan", "type": "string", "value": "Pro"},
                                {"key": "unknown", "name": "X", "type": "string", "value": "y"}]})
    };
    let app = &app;
    let deliver = |kind: &'static str, id: &'static str, object: Value| {
        let body = quo_contact_event(kind, id, object);
        let signature = crate::webhooks::legacy_signature(app.now_ms(), &body);
        async move { app.deliver(&body, &signature).await }
    };
    let response = deliver("contact.updated", "EVc1", quo("Kim")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let thread = app.conversation(conversation.id).await;
    let id = thread
        .conversation
        .contact
        .id
        .expect("the number is Kim's now");
    let card = page(app, id).await.contact;
    assert_eq!(card.name, "Kim Quo");
    assert_eq!(card.source, "openphone");
    assert_eq!(card.external_id.as_deref(), Some("CTquo1"));
    assert_eq!(card.properties["plan"], json!("Pro"));
    assert_eq!(card.emails[0].address, "kim@acme.example");

    // The same contact changed in Quo: the same contact here.
    deliver("contact.updated", "EVc2", quo("Kimberly")).await;
    let card = page(app, id).await.contact;
    assert_eq!(card.first_name.as_deref(), Some("Kimberly"));
    assert_eq!(list(app, "q=quo").await.contacts.len(), 1);

    let response = deliver("contact.deleted", "EVc3", json!({"id": "CTquo1"})).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        app.conversation(conversation.id)
            .await
            .conversation
            .contact
            .id,
        None
    );
}
