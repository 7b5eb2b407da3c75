//! Sessions that really end (and their event streams with them), team administration, the
//! headers every answer carries, and sign-out on a shared device.

use crate::helpers::{
    announced, assert_error, ok_json, session_set_cookie, spawn, spawn_app, Setup, TestApp, OWNER,
    SUPPORT_MEMBER,
};
use crate::live::Stream;
use reqwest::{Client, StatusCode};
use serde_json::json;
use std::time::Duration;
use switchboard_domain::api::ErrorCode;
use switchboard_domain::team::{LiveEvent, SessionList, TeamMember, TeamMemberList};

/// Well within "seconds": a stream checks its session at once when one ends here, and every
/// two seconds anyway.
const ENDS_WITHIN: Duration = Duration::from_secs(5);

const ADMIN: (&str, &str) = ("alex@switchboard.example", "alex-switchboard");

/// The stream's next event is `expected`, and the stream closes after it.
async fn the_stream_ends_with(stream: &mut Stream, expected: LiveEvent) {
    let (_, event) = stream.next(ENDS_WITHIN).await.expect("a last event");
    assert_eq!(event, expected);
    assert!(stream.closes_within(ENDS_WITHIN).await, "the stream closes");
}

/// Like [`the_stream_ends_with`], past the events of what the test did before.
async fn the_stream_ends_later_with(stream: &mut Stream, expected: LiveEvent) {
    loop {
        let (_, event) = stream.next(ENDS_WITHIN).await.expect("a last event");
        match event {
            LiveEvent::Conversation { .. }
            | LiveEvent::Activity { .. }
            | LiveEvent::Notification { .. } => continue,
            ending => {
                assert_eq!(ending, expected);
                break;
            }
        }
    }
    assert!(stream.closes_within(ENDS_WITHIN).await, "the stream closes");
}

async fn teammate(app: &TestApp, email: &str) -> TeamMember {
    let team: TeamMemberList = ok_json(app.get("/api/v1/team/members").await).await;
    team.members
        .into_iter()
        .find(|m| m.email == email)
        .expect("a teammate with this email")
}

async fn patch(
    app: &TestApp,
    client: &Client,
    id: i64,
    body: serde_json::Value,
) -> reqwest::Response {
    client
        .patch(app.url(&format!("/api/v1/team/members/{id}")))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn status_of(client: &Client, app: &TestApp, path: &str) -> StatusCode {
    client.get(app.url(path)).send().await.unwrap().status()
}

#[tokio::test]
async fn signing_out_ends_the_sessions_event_stream_and_clears_the_site() {
    let app = spawn_app().await;
    let owner = app.signed_in(OWNER).await;
    let mut stream = Stream::open(&app, &owner, None).await;
    // Another session of the same teammate goes on.
    let other = app.signed_in(OWNER).await;
    let mut other_stream = Stream::open(&app, &other, None).await;

    let response = owner
        .delete(app.url("/api/v1/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        response.headers()["clear-site-data"],
        "\"cache\", \"storage\""
    );
    the_stream_ends_with(&mut stream, LiveEvent::SessionEnded {}).await;
    assert_eq!(status_of(&owner, &app, "/api/v1/lines").await, 401);
    assert_eq!(status_of(&other, &app, "/api/v1/lines").await, 200);
    assert!(!other_stream.closes_within(Duration::from_secs(3)).await);
}

#[tokio::test]
async fn a_stream_ends_when_its_session_expires_while_open() {
    let app = spawn(Setup {
        idle_timeout: Duration::from_secs(600),
        ..Setup::default().manual_clock()
    })
    .await;
    let owner = app.signed_in(OWNER).await;
    let mut stream = Stream::open(&app, &owner, None).await;
    app.advance_clock(Duration::from_secs(601));
    // Nothing tells the server: the stream's own periodic check finds it.
    the_stream_ends_with(&mut stream, LiveEvent::SessionEnded {}).await;
}

#[tokio::test]
async fn a_stream_ends_when_its_session_reaches_its_lifetime_however_used() {
    let app = spawn(Setup {
        idle_timeout: Duration::from_secs(600),
        lifetime: Duration::from_secs(3600),
        ..Setup::default().manual_clock()
    })
    .await;
    let owner = app.signed_in(OWNER).await;
    let mut stream = Stream::open(&app, &owner, None).await;
    // Used every few minutes, so never idle, until its lifetime is over.
    for _ in 0..12 {
        app.advance_clock(Duration::from_secs(300));
        assert_eq!(status_of(&owner, &app, "/api/v1/lines").await, 200);
    }
    app.advance_clock(Duration::from_secs(301));
    the_stream_ends_with(&mut stream, LiveEvent::SessionEnded {}).await;
    assert_eq!(status_of(&owner, &app, "/api/v1/lines").await, 401);
}

#[tokio::test]
async fn taking_a_line_away_ends_the_stream_before_anything_of_that_line_is_sent() {
    let app = spawn_app().await;
    let member = app.signed_in(SUPPORT_MEMBER).await;
    let mut stream = Stream::open(&app, &member, None).await;
    let jordan = teammate(&app, SUPPORT_MEMBER.0).await;
    assert_eq!(jordan.line_ids, [switchboard_domain::LineId(2)]);

    let support = app.first_on("open", Some(2)).await;
    let response = patch(&app, &app.client, jordan.id.0, json!({"line_ids": [1]})).await;
    let updated: TeamMember = ok_json(response).await;
    assert_eq!(updated.line_ids, [switchboard_domain::LineId(1)]);
    // A customer writes on Support right after: the stream must not carry it.
    app.webhook_text(&support, "EV-after-access", "Still there?")
        .await;

    the_stream_ends_with(&mut stream, LiveEvent::AccessChanged {}).await;
    // The member's session goes on, with the new access.
    assert_eq!(
        status_of(
            &member,
            &app,
            &format!("/api/v1/conversations/{}", support.id)
        )
        .await,
        403
    );
}

#[tokio::test]
async fn signing_in_again_on_a_browser_ends_its_earlier_session() {
    let app = spawn_app().await;
    let browser = app.signed_in(OWNER).await;
    let mut stream = Stream::open(&app, &browser, None).await;
    let earlier = teammate(&app, OWNER.0).await.active_sessions;
    let response = browser
        .post(app.url("/api/v1/session"))
        .json(&json!({"email": OWNER.0, "password": OWNER.1}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    the_stream_ends_with(&mut stream, LiveEvent::SessionEnded {}).await;
    assert_eq!(teammate(&app, OWNER.0).await.active_sessions, earlier);
    assert_eq!(status_of(&browser, &app, "/api/v1/lines").await, 200);
}

#[tokio::test]
async fn deactivating_a_teammate_ends_every_session_at_once_and_keeps_their_history() {
    let app = spawn_app().await;
    let (phone, laptop) = (
        app.signed_in(SUPPORT_MEMBER).await,
        app.signed_in(SUPPORT_MEMBER).await,
    );
    let mut streams = [
        Stream::open(&app, &phone, None).await,
        Stream::open(&app, &laptop, None).await,
    ];
    // Something they did, to find again afterwards.
    let conversation = app.first_on("open", Some(2)).await;
    let note = phone
        .post(app.url(&format!("/api/v1/conversations/{}/notes", conversation.id)))
        .json(&json!({"text": "Called back, waiting on parts", "mentions": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        note.status(),
        StatusCode::CREATED,
        "{:?}",
        note.text().await
    );

    let jordan = teammate(&app, SUPPORT_MEMBER.0).await;
    let updated: TeamMember =
        ok_json(patch(&app, &app.client, jordan.id.0, json!({"deactivated": true})).await).await;
    assert!(updated.deactivated);
    assert_eq!(updated.active_sessions, 0);
    for stream in &mut streams {
        the_stream_ends_later_with(stream, LiveEvent::SessionEnded {}).await;
    }
    assert_eq!(status_of(&phone, &app, "/api/v1/lines").await, 401);
    assert_eq!(status_of(&laptop, &app, "/api/v1/lines").await, 401);
    let again = app
        .anonymous()
        .post(app.url("/api/v1/session"))
        .json(&json!({"email": SUPPORT_MEMBER.0, "password": SUPPORT_MEMBER.1}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
    // Their note is still theirs.
    let detail = app.conversation(conversation.id).await;
    let text = serde_json::to_string(&detail).unwrap();
    assert!(text.contains("Called back, waiting on parts") && text.contains("Jordan Lee"));

    // Reactivated, they sign in again.
    let back: TeamMember = ok_json(
        patch(
            &app,
            &app.client,
            jordan.id.0,
            json!({"deactivated": false}),
        )
        .await,
    )
    .await;
    assert!(!back.deactivated);
    app.signed_in(SUPPORT_MEMBER).await;
}

#[tokio::test]
async fn a_password_reset_ends_the_teammates_sessions_and_the_new_password_signs_in() {
    let app = spawn_app().await;
    let member = app.signed_in(SUPPORT_MEMBER).await;
    let mut stream = Stream::open(&app, &member, None).await;
    let jordan = teammate(&app, SUPPORT_MEMBER.0).await;
    let path = format!("/api/v1/team/members/{}/password", jordan.id);
    let short = app
        .client
        .put(app.url(&path))
        .json(&json!({"password": "short"}))
        .send()
        .await
        .unwrap();
    assert_error(short, StatusCode::BAD_REQUEST, ErrorCode::InvalidBody).await;
    let response = app
        .client
        .put(app.url(&path))
        .json(&json!({"password": "a new long password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    the_stream_ends_with(&mut stream, LiveEvent::SessionEnded {}).await;
    assert_eq!(status_of(&member, &app, "/api/v1/lines").await, 401);
    app.signed_in((SUPPORT_MEMBER.0, "a new long password"))
        .await;
}

#[tokio::test]
async fn an_admin_lists_a_teammates_sessions_and_ends_them_one_by_one() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    let phone = app.signed_in(SUPPORT_MEMBER).await;
    let laptop = app.signed_in(SUPPORT_MEMBER).await;
    let jordan = teammate(&app, SUPPORT_MEMBER.0).await;
    let path = format!("/api/v1/team/members/{}/sessions", jordan.id);
    let list: SessionList = ok_json(admin.get(app.url(&path)).send().await.unwrap()).await;
    assert_eq!(list.sessions.len(), 2);
    assert!(list.sessions.iter().all(|s| !s.current));
    // The most recently used first: the laptop signed in last.
    let laptop_session = list.sessions[0].id;
    let ended = admin
        .delete(app.url(&format!("{path}/{laptop_session}")))
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), StatusCode::NO_CONTENT);
    assert_eq!(status_of(&laptop, &app, "/api/v1/lines").await, 401);
    assert_eq!(status_of(&phone, &app, "/api/v1/lines").await, 200);
    let again = admin
        .delete(app.url(&format!("{path}/{laptop_session}")))
        .send()
        .await
        .unwrap();
    assert_error(again, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let all = admin.delete(app.url(&path)).send().await.unwrap();
    assert_eq!(all.status(), StatusCode::NO_CONTENT);
    assert_eq!(status_of(&phone, &app, "/api/v1/lines").await, 401);

    // Their own session is marked as theirs.
    let me = teammate(&app, OWNER.0).await;
    let own: SessionList = ok_json(
        app.get(&format!("/api/v1/team/members/{}/sessions", me.id))
            .await,
    )
    .await;
    assert!(own.sessions.iter().any(|s| s.current));
}

#[tokio::test]
async fn only_owners_and_admins_manage_the_team_and_only_owners_manage_owners() {
    let app = spawn_app().await;
    let member = app.signed_in(SUPPORT_MEMBER).await;
    let admin = app.signed_in(ADMIN).await;
    let owner = teammate(&app, OWNER.0).await;
    let jordan = teammate(&app, SUPPORT_MEMBER.0).await;

    let listed = member
        .get(app.url("/api/v1/team/members"))
        .send()
        .await
        .unwrap();
    assert_error(listed, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    let response = patch(&app, &member, jordan.id.0, json!({"line_ids": [1, 2, 3]})).await;
    assert_error(response, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    let response = patch(&app, &admin, owner.id.0, json!({"deactivated": true})).await;
    assert_error(response, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    let response = patch(&app, &admin, jordan.id.0, json!({"role": "owner"})).await;
    assert_error(response, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    // The last owner stays.
    let response = patch(&app, &app.client, owner.id.0, json!({"deactivated": true})).await;
    assert_error(response, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    let response = patch(&app, &app.client, jordan.id.0, json!({"line_ids": [99]})).await;
    assert_error(response, StatusCode::BAD_REQUEST, ErrorCode::InvalidBody).await;
    let response = patch(&app, &app.client, 999, json!({"deactivated": true})).await;
    assert_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let response = patch(&app, &app.client, jordan.id.0, json!({"colour": "blue"})).await;
    assert_error(response, StatusCode::BAD_REQUEST, ErrorCode::InvalidBody).await;
    assert_eq!(
        teammate(&app, SUPPORT_MEMBER.0).await,
        jordan,
        "nothing changed"
    );

    // An admin adds a member; the same email again is a conflict.
    let new = json!({"email": "casey@example.com", "name": "Casey Doe", "role": "member",
                     "line_ids": [3], "password": "casey-switchboard"});
    let added = admin
        .post(app.url("/api/v1/team/members"))
        .json(&new)
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::CREATED);
    let again = admin
        .post(app.url("/api/v1/team/members"))
        .json(&new)
        .send()
        .await
        .unwrap();
    assert_error(again, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    app.signed_in(("casey@example.com", "casey-switchboard"))
        .await;
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_the_api_is_never_cached() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/lines",
        "/api/health",
        "/some/page",
        "/api/v1/nowhere",
    ] {
        let response = app.get(path).await;
        let headers = response.headers();
        let policy = headers["content-security-policy"].to_str().unwrap();
        for directive in [
            "default-src 'self'",
            "'wasm-unsafe-eval'",
            "frame-ancestors 'none'",
            "object-src 'none'",
        ] {
            assert!(policy.contains(directive), "{path}: {policy}");
        }
        assert!(!policy.contains("'unsafe-inline'") && !policy.contains("'unsafe-eval'"));
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
        if path.starts_with("/api/") {
            assert_eq!(headers["cache-control"], "no-store", "{path}");
        }
    }
}

#[tokio::test]
async fn a_page_announces_what_it_will_ask_the_api_first_and_only_to_a_live_session() {
    let app = spawn_app().await;
    let page = |client: Client, path: &'static str| {
        let url = app.url(path);
        async move { client.get(url).send().await.unwrap() }
    };
    let signed_in = page(app.client.clone(), "/2/unread/7?assignee=me").await;
    assert_eq!(signed_in.status(), StatusCode::OK);
    let mut expected = vec![
        "/api/v1/session".to_owned(),
        "/api/v1/members".to_owned(),
        "/api/v1/notifications".to_owned(),
        "/api/v1/lines".to_owned(),
        "/api/v1/tags".to_owned(),
        "/api/v1/contact-properties".to_owned(),
        "/api/v1/conversations?view=unread&limit=50&line=2&assignee=me".to_owned(),
        "/api/v1/conversations/7".to_owned(),
    ];
    // The open conversation's contact, for the panel beside it (none for an unknown number).
    let seven = app
        .conversation(switchboard_domain::ConversationId(7))
        .await;
    if let Some(contact) = seven.conversation.contact.id {
        expected.push(format!("/api/v1/contacts/{contact}"));
    }
    // The open conversation's wasm chunk, and the one it shares.
    expected.extend([
        "/split_thread-t.wasm".to_owned(),
        "/chunk_1-t.wasm".to_owned(),
    ]);
    assert_eq!(announced(&signed_in), expected);
    for address in announced(&signed_in) {
        assert_eq!(
            app.get(&address).await.status(),
            StatusCode::OK,
            "{address}"
        );
    }
    // Every announced address answers this teammate (nothing preloaded is refused).
    for address in announced(&page(app.client.clone(), "/all/open").await) {
        assert_eq!(
            app.get(&address).await.status(),
            StatusCode::OK,
            "{address}"
        );
    }
    // Signed out: who is signed in (which answers anyone), and the sign-in page's chunks, which
    // the app shows whatever the address; on a page that is not an inbox, only the session.
    let signed_out = page(app.anonymous(), "/all/open").await;
    assert_eq!(
        announced(&signed_out),
        [
            "/api/v1/session",
            "/split_sign_in-t.wasm",
            "/chunk_1-t.wasm"
        ]
    );
    assert_eq!(
        announced(&page(app.client.clone(), "/sign-in").await),
        ["/api/v1/session"]
    );
    // A session that has ended is as good as none.
    let login = app
        .anonymous()
        .post(app.url("/api/v1/session"))
        .json(&json!({"email": SUPPORT_MEMBER.0, "password": SUPPORT_MEMBER.1}))
        .send()
        .await
        .unwrap();
    let cookie = session_set_cookie(&login)
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let with_cookie = |path: &'static str| {
        app.anonymous()
            .get(app.url(path))
            .header("cookie", cookie.clone())
            .send()
    };
    assert_eq!(announced(&with_cookie("/all/open").await.unwrap()).len(), 7);
    let out = app
        .anonymous()
        .delete(app.url("/api/v1/session"))
        .header("cookie", cookie.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        announced(&with_cookie("/all/open").await.unwrap()),
        [
            "/api/v1/session",
            "/split_sign_in-t.wasm",
            "/chunk_1-t.wasm"
        ]
    );
    // Files and the API announce nothing.
    assert!(announced(&app.get("/api/v1/lines").await).is_empty());
    assert!(announced(&app.get("/manifest.webmanifest").await).is_empty());
}

#[tokio::test]
async fn a_change_id_is_unique_per_teammate_not_across_the_team() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    let target = app.first_of("open").await;
    let path = app.url(&format!("/api/v1/conversations/{}/state", target.id));
    // The admin's change goes first, with an id the owner will also use.
    let unread = json!({"change": "unread", "change_id": "tab-1-change-1"});
    let response = admin.post(&path).json(&unread).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let read = json!({"change": "read", "seen_activity_id": target.latest_activity.id,
                      "change_id": "tab-1-change-1"});
    let by_owner: switchboard_domain::api::ConversationSummary =
        ok_json(app.client.post(&path).json(&read).send().await.unwrap()).await;
    assert!(
        !by_owner.unread,
        "the owner's change is their own, and applied"
    );
    let history = switchboard_server::db::changes::history(&app.db, target.id)
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
}

#[tokio::test]
async fn a_notes_mentions_name_each_teammate_once_and_no_more_than_the_team() {
    let app = spawn_app().await;
    let conversation = app.first_of("open").await;
    let path = format!("/api/v1/conversations/{}/notes", conversation.id);
    let jordan = app.member_named("Jordan Lee").await.id;
    let twice = json!({"text": "see this", "mentions": [jordan, jordan]});
    assert_error(
        app.post_json(&path, &twice).await,
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidBody,
    )
    .await;
    let many: Vec<i64> = (1..=50).collect();
    let crowd = json!({"text": "see this", "mentions": many});
    assert_error(
        app.post_json(&path, &crowd).await,
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidBody,
    )
    .await;
    assert_eq!(
        app.conversation(conversation.id).await.activities.len(),
        app.conversation(conversation.id).await.activities.len()
    );
    let once = json!({"text": "see this", "mentions": [jordan]});
    assert_eq!(
        app.post_json(&path, &once).await.status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn an_email_longer_than_254_characters_is_refused() {
    let app = spawn_app().await;
    let email = format!("{}@example.com", "a".repeat(250));
    let response = app
        .anonymous()
        .post(app.url("/api/v1/session"))
        .json(&json!({"email": email, "password": "whatever-it-is"}))
        .send()
        .await
        .unwrap();
    assert_error(response, StatusCode::BAD_REQUEST, ErrorCode::InvalidBody).await;
}

/// A sign-in from `address`, as the trusted proxy on loopback says.
async fn sign_in_from(
    app: &TestApp,
    client: &Client,
    address: &str,
    (email, password): (&str, &str),
) -> StatusCode {
    client
        .post(app.url("/api/v1/session"))
        .header("x-forwarded-for", address)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_teammate_still_signs_in_from_their_usual_devices_while_their_account_is_attacked() {
    let app = spawn(Setup {
        trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
        ..Setup::default().manual_clock()
    })
    .await;
    let (usual_address, usual_browser) = ("198.51.100.10", app.anonymous());
    let laptop = app.anonymous();
    assert_eq!(
        sign_in_from(&app, &usual_browser, usual_address, SUPPORT_MEMBER).await,
        200
    );
    // The laptop signed in before from elsewhere: its device cookie is known.
    assert_eq!(
        sign_in_from(&app, &laptop, "192.0.2.44", SUPPORT_MEMBER).await,
        200
    );

    // Guesses from many addresses, three each.
    let wrong = (SUPPORT_MEMBER.0, "guess-guess");
    for attacker in 0..8 {
        let client = app.anonymous();
        for _ in 0..3 {
            let status = sign_in_from(&app, &client, &format!("203.0.113.{attacker}"), wrong).await;
            assert!(status == 401 || status == 429, "{status}");
        }
    }
    // The account is closed to clients it does not know, even with the right password...
    let stranger = app.anonymous();
    assert_eq!(
        sign_in_from(&app, &stranger, "203.0.113.200", SUPPORT_MEMBER).await,
        429
    );
    // ...but open from the usual address, and to the known browser wherever it is.
    assert_eq!(
        sign_in_from(&app, &app.anonymous(), usual_address, SUPPORT_MEMBER).await,
        200
    );
    assert_eq!(
        sign_in_from(&app, &laptop, "203.0.113.1", SUPPORT_MEMBER).await,
        200
    );
    // An attacker at one address is refused for every account once it has failed enough.
    let attacker = app.anonymous();
    for guess in 0..10 {
        let email = format!("nobody{guess}@example.com");
        sign_in_from(&app, &attacker, "203.0.113.99", (&email, "guess-guess")).await;
    }
    assert_eq!(
        sign_in_from(&app, &attacker, "203.0.113.99", OWNER).await,
        429
    );
}

#[tokio::test]
async fn behind_an_https_public_url_the_cookie_is_host_prefixed_and_origins_are_checked_against_it()
{
    let app = spawn(Setup {
        public_origin: Some("https://inbox.example.com".to_owned()),
        ..Setup::default()
    })
    .await;
    let response = app
        .anonymous()
        .post(app.url("/api/v1/session"))
        .json(&json!({"email": OWNER.0, "password": OWNER.1}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let session = cookies
        .iter()
        .find(|c| c.starts_with("__Host-switchboard_session="))
        .unwrap_or_else(|| panic!("{cookies:?}"));
    for attribute in ["Secure", "HttpOnly", "Path=/", "SameSite=Lax"] {
        assert!(session.contains(attribute), "{session}");
    }
    assert!(!session.contains("Domain"), "{session}");
    assert!(cookies
        .iter()
        .any(|c| c.starts_with("__Secure-switchboard_device=") && c.contains("Secure")));
    let cookie = session.split(';').next().unwrap().to_owned();

    let target = app.first_of("open").await;
    let path = app.url(&format!("/api/v1/conversations/{}/state", target.id));
    let change = |origin: &'static str, host: &'static str| {
        app.anonymous()
            .post(&path)
            .header("cookie", cookie.clone())
            .header("origin", origin)
            .header("host", host)
            .json(&json!({"change": "unread"}))
            .send()
    };
    // DNS rebinding: the page and the Host header both name the attacker's domain.
    let rebound = change("http://rebound.example", "rebound.example")
        .await
        .unwrap();
    assert_error(rebound, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    let own = change("https://inbox.example.com", "inbox.example.com")
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::OK);
}
