//! Contacts beside the conversation: a customer who wrote from an unknown number becomes a
//! contact, gets a tag, a property and a note that mentions a teammate; the teammate sees it
//! all live and is notified; the inbox filters by the tag, and a reload keeps the filter. On a
//! phone the contact is a screen of its own.

use crate::helpers::{eventually, ui, ui_count, wait_for, E2e, Key, Plural, Text, SUPPORT_MEMBER};
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use serde_json::json;
use switchboard_domain::api::ConversationDetail;
use switchboard_domain::contacts::ContactPage;
use switchboard_domain::{ContactId, ConversationId, LineId};

/// The contact panel, as assistive technology finds it: the complementary region "Contact".
const PANEL: &str = "aside[aria-label=Contact]";

/// The field of the contact panel whose label says `name`.
async fn field(client: &Client, name: &str) -> Element {
    let path = format!(
        "//aside[@aria-label='Contact']//label[normalize-space(.//span)='{name}']//*[self::input or self::select or self::textarea]"
    );
    client
        .wait()
        .for_element(Locator::XPath(&path))
        .await
        .unwrap_or_else(|e| panic!("the field {name}: {e}"))
}

async fn value_of(client: &Client, name: &str) -> String {
    field(client, name)
        .await
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default()
}

/// The text of the panel's notes, newest first.
async fn notes(client: &Client) -> Vec<String> {
    let notes = client
        .execute(
            &format!(
                "return [...document.querySelectorAll('{PANEL} .contact-note .note-text')].map(n => n.textContent)"
            ),
            vec![],
        )
        .await
        .expect("notes");
    serde_json::from_value(notes).unwrap_or_default()
}

async fn chips(client: &Client, within: &str) -> Vec<String> {
    let chips = client
        .execute(
            &format!("return [...document.querySelectorAll(\"{within} .tag-chip\")].map(c => c.firstChild.textContent)"),
            vec![],
        )
        .await
        .expect("chips");
    serde_json::from_value(chips).unwrap_or_default()
}

impl E2e {
    async fn contact_of(&self, conversation: ConversationId) -> Option<ContactId> {
        let detail: ConversationDetail = self
            .get_json(&format!("/api/v1/conversations/{conversation}"))
            .await;
        detail.conversation.contact.id
    }

    async fn contact_page(&self, id: ContactId) -> ContactPage {
        self.get_json(&format!("/api/v1/contacts/{id}")).await
    }

    /// A customer no contact has writes to Support: their new conversation's id.
    async fn stranger_writes(&self, number: &str) -> ConversationId {
        self.text_from(LineId(2), number, "Hello, is my order ready?")
            .await;
        until_some("the stranger's conversation exists", || async {
            self.http_page("view=open&line=2&limit=200")
                .await
                .into_iter()
                .find(|c| c.contact.number == number)
                .map(|c| c.id)
        })
        .await
    }
}

/// Waits up to ten seconds for `find` to find something, and returns it.
async fn until_some<T, F, Fut>(what: &str, mut find: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        if let Some(found) = find().await {
            return found;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting until {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_stranger_becomes_a_tagged_contact_with_a_property_and_a_note_live_for_the_team() {
    let app = E2e::start().await;
    let created = app
        .post_json(
            "/api/v1/contact-properties",
            &json!({"key": "e2e_seats", "name": "Seats", "type": "number"}),
        )
        .await;
    assert!(created.status().is_success(), "{}", created.status());
    let number = "+15550199017";
    let id = app.stranger_writes(number).await;
    app.open(&format!("/2/open/{id}")).await;
    let client = &app.browser.client;
    wait_for(client, PANEL).await;
    let jordan = app.teammate(SUPPORT_MEMBER, &format!("/2/open/{id}")).await;
    wait_for(&jordan.client, &format!("{PANEL} button.create-contact")).await;

    // Create contact: the number becomes a contact, and the first name has the focus.
    let create = client
        .find(Locator::XPath(&format!(
            "//aside[@aria-label='Contact']//button[normalize-space()='{}']",
            ui(Text::ContactCreate)
        )))
        .await
        .expect("Create contact");
    create.click().await.expect("click Create contact");
    eventually("the first name has the focus", || async {
        let focused = client
            .execute(
                "const a = document.activeElement; const l = a && a.closest('label'); \
                 return l ? l.querySelector('span').textContent : null",
                vec![],
            )
            .await
            .unwrap();
        focused.as_str() == Some(ui(Text::ContactFirstName))
    })
    .await;
    let contact = app.contact_of(id).await.expect("a contact now");
    client
        .active_element()
        .await
        .unwrap()
        .send_keys("Eve\n")
        .await
        .unwrap();
    eventually("the server has the first name", || async {
        app.contact_page(contact)
            .await
            .contact
            .first_name
            .as_deref()
            == Some("Eve")
    })
    .await;

    // A tag, new to the workspace: typed, then Enter.
    field(client, ui(Text::ContactAddTag))
        .await
        .send_keys("E2E VIP\n")
        .await
        .unwrap();
    eventually("the tag shows as a chip", || async {
        chips(client, &format!("{PANEL} .tag-list")).await == ["E2E VIP"]
    })
    .await;
    let tag = until_some("the server has the tag on the contact", || async {
        app.contact_page(contact)
            .await
            .contact
            .tags
            .first()
            .copied()
    })
    .await;

    // A property: saved on Enter; a value the server refuses is rolled back with its reason.
    field(client, "Seats")
        .await
        .send_keys("12\n")
        .await
        .unwrap();
    eventually("the server has the seats", || async {
        app.contact_page(contact)
            .await
            .contact
            .properties
            .get("e2e_seats")
            == Some(&json!(12))
    })
    .await;
    // (Backspaces rather than a WebDriver clear, whose change event would save an empty value.)
    let back: char = Key::Backspace.into();
    field(client, "Seats")
        .await
        .send_keys(&format!("{back}{back}lots\n"))
        .await
        .unwrap();
    eventually("the refusal names the field and the value comes back", || async {
        let alert = client
            .execute(
                "const a = document.querySelector('.notices [role=alert]'); return a && a.textContent",
                vec![],
            )
            .await
            .unwrap();
        alert.as_str().is_some_and(|text| text.contains("Seats"))
            && value_of(client, "Seats").await == "12"
    })
    .await;

    // A note that mentions Jordan, picked from the suggestions.
    let note = client
        .find(Locator::Css(&format!(
            "{PANEL} textarea[aria-label='{}']",
            ui(Text::ContactWriteNote)
        )))
        .await
        .expect("the note box");
    note.send_keys("Call back @Jor").await.unwrap();
    let option = client
        .wait()
        .for_element(Locator::Css(&format!(
            "{PANEL} [role=listbox] [role=option][aria-selected=true]"
        )))
        .await
        .unwrap();
    assert_eq!(option.text().await.unwrap(), "Jordan Lee");
    note.send_keys("\n").await.unwrap();
    note.send_keys("about the order\n").await.unwrap();
    eventually("the note shows, newest first", || async {
        notes(client).await.first().map(String::as_str)
            == Some("Call back @Jordan Lee about the order")
    })
    .await;

    // Typing in the panel is typing: neither E nor U changed the conversation.
    app.settle().await;
    assert_eq!(
        app.status_on_server(id).await,
        (switchboard_domain::Status::Open, false)
    );

    // Jordan saw every change live, and is notified of the mention.
    eventually("Jordan's row and panel show the contact", || async {
        let label = crate::helpers::row_label_in(&jordan.client, id).await;
        label.is_some_and(|l| l.starts_with("Eve,"))
            && chips(&jordan.client, &format!("{PANEL} .tag-list")).await == ["E2E VIP"]
            && notes(&jordan.client).await.first().map(String::as_str)
                == Some("Call back @Jordan Lee about the order")
    })
    .await;
    assert_eq!(value_of(&jordan.client, "Seats").await, "12");
    let bell = format!(
        "button.bell[aria-label='{}']",
        ui_count(Plural::AccountNotificationsUnread, 1)
    );
    eventually("Jordan is notified", || async {
        jordan.client.find(Locator::Css(&bell)).await.is_ok()
    })
    .await;
    // The row shows the tag; its accessible name stays who, what and when.
    eventually("the row shows its tag", || async {
        chips(
            &jordan.client,
            &format!("[data-conversation-id='{id}'] .row-tags"),
        )
        .await
            == ["E2E VIP"]
    })
    .await;

    // The inbox filtered by the tag: only this conversation; a reload keeps the filter.
    let filter = client
        .find(Locator::XPath(&format!(
            "//label[normalize-space(span)='{}']/select",
            ui(Text::FiltersTag)
        )))
        .await
        .expect("the tag filter");
    filter.select_by_value(&tag.to_string()).await.unwrap();
    eventually("only the tagged conversation is listed", || async {
        app.row_ids().await == [id]
    })
    .await;
    let url = client.current_url().await.unwrap();
    assert_eq!(url.path(), "/2/open");
    assert_eq!(url.query(), Some(format!("tag={tag}").as_str()));
    client.refresh().await.unwrap();
    app.wait_for_rows().await;
    eventually("the reloaded inbox is still filtered", || async {
        app.row_ids().await == [id]
    })
    .await;
    eventually("the filter still says the tag", || async {
        let select = client
            .find(Locator::Css(".tag-filter select"))
            .await
            .unwrap();
        select.prop("value").await.unwrap().as_deref() == Some(tag.to_string().as_str())
    })
    .await;
    jordan.close().await;
    app.finish().await;
}

#[tokio::test]
async fn on_a_phone_the_contact_is_a_screen_reached_from_the_thread_and_back() {
    let app = E2e::start_phone().await;
    let first = app.http_page("view=open&line=2&limit=1").await[0].id;
    app.open(&format!("/2/open/{first}")).await;
    app.reply_box().await;
    let client = &app.browser.client;
    assert!(
        client.find(Locator::Css(PANEL)).await.is_err(),
        "not beside"
    );
    let button = client
        .find(Locator::XPath(&format!(
            "//header[@class='thread-header']//button[normalize-space()='{}']",
            ui(Text::ContactLabel)
        )))
        .await
        .expect("the Contact button");
    button.click().await.unwrap();
    wait_for(client, PANEL).await;
    assert!(!app.reply_box().await.is_displayed().await.unwrap());
    client
        .find(Locator::Css(&format!(
            "{PANEL} button[aria-label='{}']",
            ui(Text::ContactBack)
        )))
        .await
        .expect("back")
        .click()
        .await
        .unwrap();
    eventually("the thread is back, its Contact button focused", || async {
        app.reply_box().await.is_displayed().await.unwrap()
            && client.find(Locator::Css(PANEL)).await.is_err()
            && client
                .execute(
                    "return document.activeElement && document.activeElement.classList.contains('contact-button')",
                    vec![],
                )
                .await
                .unwrap()
                == true
    })
    .await;
    app.finish().await;
}
