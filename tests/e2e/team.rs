//! Two teammates in two browsers: what one does, the other sees without reloading.

use crate::helpers::{eventually, row_ids_in, row_label_in, E2e, SUPPORT_MEMBER};
use crate::helpers::{ui, ui_count, ui_with, unread_in_label, Plural, Text};
use fantoccini::Locator;
use switchboard_domain::Status;

/// The demo's admin: every line, like the owner.
const ADMIN: (&str, &str) = ("alex@switchboard.example", "alex-switchboard");

#[tokio::test]
async fn marking_done_in_one_browser_takes_the_row_out_of_the_other() {
    let app = E2e::start().await;
    app.open("/all/open").await;
    let alex = app.teammate(ADMIN, "/all/open").await;
    let target = app.row_ids().await[0];
    assert!(row_ids_in(&alex.client).await.contains(&target));

    app.press('e').await;
    app.wait_on_server(target, (Status::Done, false)).await;
    eventually(
        "the row leaves Alex's Open view, without a reload",
        || async { !row_ids_in(&alex.client).await.contains(&target) },
    )
    .await;
    alex.close().await;
    app.finish().await;
}

#[tokio::test]
async fn a_signed_webhook_message_appears_unread_for_both() {
    let app = E2e::start().await;
    app.open("/all/open").await;
    let alex = app.teammate(ADMIN, "/all/open").await;
    let done = app.http_page("view=done&limit=1").await.remove(0);

    app.customer_texts(&done, "Hello, it's broken again").await;
    for client in [&app.browser.client, &alex.client] {
        eventually(
            "the conversation is back in Open, unread, with the message",
            || async {
                row_label_in(client, done.id).await.is_some_and(|label| {
                    label.contains(&format!("{} Hello, it's broken again", unread_in_label()))
                })
            },
        )
        .await;
    }
    alex.close().await;
    app.finish().await;
}

#[tokio::test]
async fn a_mention_in_a_note_reaches_the_mentioned_teammate() {
    let app = E2e::start().await;
    let support = app.http_page("view=open&line=2&limit=1").await.remove(0);
    app.open(&format!("/2/open/{}", support.id)).await;
    let jordan = app.teammate(SUPPORT_MEMBER, "/2/open").await;

    // Sam writes a note, picking Jordan from the @ suggestions.
    app.browser
        .client
        .find(Locator::XPath(&format!(
            "//button[@aria-pressed][normalize-space()='{}']",
            ui(Text::ReplyModeNote)
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let note = app.reply_box().await;
    note.send_keys("Could @Jor").await.unwrap();
    let option = app
        .browser
        .client
        .wait()
        .for_element(Locator::Css(&format!(
            "[role=listbox][aria-label='{}'] [role=option][aria-selected=true]",
            ui(Text::ReplyTeammates)
        )))
        .await
        .unwrap();
    assert_eq!(option.text().await.unwrap(), "Jordan Lee");
    note.send_keys("\n").await.unwrap();
    note.send_keys("call them back?\n").await.unwrap();
    eventually("the note shows in Sam's thread", || async {
        let text = app.js("const n = [...document.querySelectorAll('.note-card')].pop(); return n && n.textContent").await;
        text.as_str().is_some_and(|t| t.contains("@Jordan Lee call them back?"))
    })
    .await;

    // Jordan's bell counts it; the notification opens the conversation.
    let bell = &format!(
        "button.bell[aria-label='{}']",
        ui_count(Plural::AccountNotificationsUnread, 1)
    );
    eventually("Jordan is notified", || async {
        jordan.client.find(Locator::Css(bell)).await.is_ok()
    })
    .await;
    jordan
        .client
        .find(Locator::Css(bell))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let item = jordan
        .client
        .wait()
        .for_element(Locator::Css(&format!(
            "section[aria-label='{}'] button.notification",
            ui(Text::AccountNotifications)
        )))
        .await
        .unwrap();
    assert!(item.text().await.unwrap().contains(
        ui_with(
            Text::AccountMentioned,
            &[("author", "Sam Rivera"), ("excerpt", "")]
        )
        .trim_end()
    ));
    item.click().await.unwrap();
    eventually("the conversation opens on the note", || async {
        let text = jordan
            .client
            .execute("const n = [...document.querySelectorAll('.note-card')].pop(); return n && n.textContent", vec![])
            .await
            .unwrap();
        text.as_str().is_some_and(|t| t.contains("call them back?"))
    })
    .await;
    eventually("the bell has nothing unread", || async {
        jordan
            .client
            .find(Locator::Css(&format!(
                "button.bell[aria-label='{}']",
                ui(Text::AccountNotifications)
            )))
            .await
            .is_ok()
    })
    .await;
    jordan.close().await;
    app.finish().await;
}

#[tokio::test]
async fn a_pin_shows_on_top_for_both_and_an_assignment_in_the_row() {
    let app = E2e::start().await;
    app.open("/all/open").await;
    let alex = app.teammate(ADMIN, "/all/open").await;
    let ids = app.row_ids().await;
    let target = ids[6];
    app.row(target).await.click().await.unwrap();
    app.browser
        .client
        .wait()
        .for_element(Locator::Css(&format!(
            "button[aria-label='{}'][aria-pressed=false]",
            ui(Text::ThreadPin)
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    for client in [&app.browser.client, &alex.client] {
        eventually("the pinned row is on top and says so", || async {
            let label = row_label_in(client, target).await.unwrap_or_default();
            let ids = row_ids_in(client).await;
            label.ends_with(ui(Text::RowPinned))
                && ids
                    .iter()
                    .position(|id| *id == target)
                    .is_some_and(|i| i < 3)
        })
        .await;
    }

    // Assigned to Alex from Sam's browser: Alex sees it, and under "Assigned to me".
    let select = app
        .browser
        .client
        .find(Locator::Css(&format!(
            "select[aria-label='{}']",
            ui(Text::ThreadAssign)
        )))
        .await
        .unwrap();
    select.select_by_label("Alex Chen").await.unwrap();
    eventually("Alex's row names the owner", || async {
        row_label_in(&alex.client, target)
            .await
            .is_some_and(|label| {
                label.contains(&ui_with(Text::RowAssigned, &[("name", "Alex Chen")]))
            })
    })
    .await;
    alex.client
        .find(Locator::XPath(&format!(
            "//button[normalize-space()='{}']",
            ui(Text::ViewsMine)
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    eventually("Alex's own list holds it, and only Alex's", || async {
        let path = alex.client.current_url().await.unwrap();
        let ids = row_ids_in(&alex.client).await;
        let mut all_alex = !ids.is_empty();
        for id in &ids {
            let label = row_label_in(&alex.client, *id).await.unwrap_or_default();
            all_alex &= label.contains(&ui_with(Text::RowAssigned, &[("name", "Alex Chen")]));
        }
        path.query() == Some("assignee=me") && ids.contains(&target) && all_alex
    })
    .await;
    alex.close().await;
    app.finish().await;
}

#[tokio::test]
async fn a_wrong_password_is_told_and_signing_out_ends_the_session() {
    let app = E2e::start().await;
    app.open("/all/open").await;
    app.browser
        .client
        .find(Locator::Css("button.sign-out"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    eventually("back on the sign-in page", || async {
        app.path().await == "/sign-in"
    })
    .await;
    // The inbox is out of reach again.
    app.browser
        .client
        .goto(&format!("{}/all/open", app.server.url))
        .await
        .unwrap();
    eventually("sent to sign in", || async {
        app.path().await == "/sign-in"
    })
    .await;

    let client = &app.browser.client;
    client
        .wait()
        .for_element(Locator::Css("input[type=email]"))
        .await
        .unwrap()
        .send_keys("sam@switchboard.example")
        .await
        .unwrap();
    client
        .find(Locator::Css("input[type=password]"))
        .await
        .unwrap()
        .send_keys("not it")
        .await
        .unwrap();
    client
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let alert = client
        .wait()
        .for_element(Locator::Css(".sign-in [role=alert]"))
        .await
        .unwrap();
    assert_eq!(alert.text().await.unwrap(), ui(Text::ErrorsUnauthorized));
    app.finish().await;
}

#[tokio::test]
async fn after_interleaved_changes_from_two_browsers_both_show_what_the_server_holds() {
    let app = E2e::start().await;
    app.open("/all/open").await;
    let alex = app.teammate(ADMIN, "/all/open").await;
    let ids = app.row_ids().await;
    let targets = [ids[0], ids[1], ids[2]];

    // Both at once on the same conversations, as two people triaging together.
    app.press('e').await; // Sam: done on the first
    alex.client
        .execute(
            &format!(
                "document.querySelector('[role=row][data-conversation-id=\"{}\"] button[aria-label=\"{}\"]').click()",
                targets[1],
                ui(Text::ActionsMarkUnread)
            ),
            vec![],
        )
        .await
        .unwrap();
    app.press('e').await; // Sam: done on the next (the second)
    app.press('z').await; // Sam: undo that
    alex.client
        .execute(
            &format!(
                "document.querySelector('[role=row][data-conversation-id=\"{}\"] button[aria-label=\"{}\"]').click()",
                targets[2],
                ui(Text::ActionsMarkDone)
            ),
            vec![],
        )
        .await
        .unwrap();

    // Once the dust settles, each browser's Open view agrees with the server.
    for target in targets {
        eventually(
            &format!("both browsers agree with the server on {target}"),
            || async {
                let (status, unread) = app.status_on_server(target).await;
                let mut agree = true;
                for client in [&app.browser.client, &alex.client] {
                    let label = row_label_in(client, target).await;
                    agree &= match status {
                        Status::Done => label.is_none(),
                        Status::Open => {
                            label.is_some_and(|l| l.contains(&unread_in_label()) == unread)
                        }
                    };
                }
                agree
            },
        )
        .await;
    }
    alex.close().await;
    app.finish().await;
}

#[tokio::test]
async fn the_live_stream_reconnects_by_itself_after_the_server_comes_back() {
    let mut app = E2e::start().await;
    app.open("/all/open").await;
    let alex = app.teammate(ADMIN, "/all/open").await;
    let target = app.row_ids().await[0];
    app.server.kill();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    app.server.restart();

    app.press('e').await;
    app.wait_on_server(target, (Status::Done, false)).await;
    eventually("Alex's stream, reopened, brings the change", || async {
        !row_ids_in(&alex.client).await.contains(&target)
    })
    .await;
    alex.close().await;
    app.finish().await;
}
