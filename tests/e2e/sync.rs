use crate::helpers::{eventually, E2e};
use crate::helpers::{ui, ui_count, ui_pieces, unread_in_label, Plural, Text};
use switchboard_domain::Status;

#[tokio::test]
async fn a_message_the_user_has_not_seen_keeps_the_conversation_open() {
    let app = E2e::start().await;
    // Live updates would show the message at once; without them, the page has not seen it.
    app.browser
        .cdp("Network.enable", serde_json::json!({}))
        .await;
    let blocked = serde_json::json!({ "urls": ["*/api/v1/events*"] });
    app.browser.cdp("Network.setBlockedURLs", blocked).await;
    app.open("/all/open").await;
    let target = app.row_ids().await[0];
    app.wait_selected(target).await;

    // A customer writes after the page was loaded: the screen has not seen it.
    let conversation = app.conversation(target).await.conversation;
    app.customer_texts(&conversation, "Actually, one more question")
        .await;

    app.press('e').await;
    eventually("the row is back, unread, with the new message", || async {
        app.row_label(target).await.is_some_and(|label| {
            label.contains(&format!(
                "{} Actually, one more question",
                unread_in_label()
            ))
        })
    })
    .await;
    eventually("a notice tells what happened", || async {
        let notices = app
            .js("return document.querySelector('.notices').textContent")
            .await;
        notices.as_str().is_some_and(|t| {
            ui_pieces(Text::NoticesSentNew)
                .iter()
                .all(|words| t.contains(words.as_str()))
        })
    })
    .await;
    assert_eq!(app.status_on_server(target).await, (Status::Open, true));
    app.finish().await;
}

#[tokio::test]
async fn while_the_server_cannot_be_reached_a_change_waits_and_then_syncs() {
    let mut app = E2e::start().await;
    app.open("/all/open").await;
    let target = app.row_ids().await[0];
    app.wait_selected(target).await;
    app.server.kill();

    app.press('e').await;
    eventually("the row leaves at once", || async {
        !app.row_ids().await.contains(&target)
    })
    .await;
    eventually(
        "the app says it is offline with a change waiting",
        || async {
            let status = app
                .js("return document.querySelector('.connection-status').textContent")
                .await;
            status.as_str().is_some_and(|t| {
                t.contains(ui(Text::ConnectionOffline))
                    && t.contains(&ui_count(Plural::ConnectionWaiting, 1))
            })
        },
    )
    .await;
    assert_eq!(
        app.stored_changes().await,
        1,
        "the change is kept in the browser"
    );

    app.server.restart();
    app.wait_on_server(target, (Status::Done, false)).await;
    eventually("nothing waits any more", || async {
        let status = app
            .js("return document.querySelector('.connection-status').textContent")
            .await;
        status.as_str() == Some("")
    })
    .await;
    assert!(!app.row_ids().await.contains(&target));
    app.finish().await;
}

#[tokio::test]
async fn a_change_the_server_refuses_is_rolled_back_with_a_notice() {
    let app = E2e::start().await;
    app.open("/all/open").await;
    let target = app.row_ids().await[0];
    app.wait_selected(target).await;

    // Someone removes the conversation from the database behind the page's back.
    let database = rusqlite::Connection::open(&app.server.database).unwrap();
    database
        .execute_batch(&format!(
            "DELETE FROM state_changes WHERE conversation_id = {target};
             DELETE FROM activities WHERE conversation_id = {target};
             DELETE FROM conversations WHERE id = {target};"
        ))
        .unwrap();

    app.press('e').await;
    eventually("the row comes back", || async {
        app.row_ids().await.first() == Some(&target)
    })
    .await;
    eventually("an alert says the change was undone", || async {
        let alert = app
            .js("return document.querySelector('.notices [role=alert]').textContent")
            .await;
        alert.as_str().is_some_and(|t| {
            ui_pieces(Text::NoticesNotDone)
                .iter()
                .all(|words| t.contains(words.as_str()))
        })
    })
    .await;
    app.finish().await;
}
