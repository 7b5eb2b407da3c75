use crate::helpers::{eventually, E2e, ROWS};
use crate::helpers::{lines_nav, ui, unread_in_label, Text};
use fantoccini::Locator;
use switchboard_domain::View;
use switchboard_domain::{ConversationId, Status};

impl E2e {
    /// Clicks a button of a row by its accessible name. Clicking the row first selects it,
    /// which reveals its buttons, as hovering does.
    async fn click_row_button(&self, id: ConversationId, name: &str) {
        self.row(id).await.click().await.expect("click the row");
        let selector = format!(
            "{ROWS}[data-conversation-id=\"{id}\"] [role=gridcell] button[aria-label=\"{name}\"]"
        );
        let button = self
            .browser
            .client
            .find(Locator::Css(&selector))
            .await
            .expect("the button");
        button
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {name}: {e}"));
    }
}

#[tokio::test]
async fn the_row_buttons_mark_unread_done_and_open() {
    let app = E2e::start().await;
    app.open("/all/open").await;
    let ids = app.row_ids().await;
    let target = ids[2];

    app.click_row_button(target, ui(Text::ActionsMarkUnread))
        .await;
    app.wait_on_server(target, (Status::Open, true)).await;
    eventually("the row says unread", || async {
        app.row_label(target)
            .await
            .unwrap()
            .contains(&unread_in_label())
    })
    .await;

    app.click_row_button(target, ui(Text::ActionsMarkDone))
        .await;
    app.wait_on_server(target, (Status::Done, false)).await;
    eventually("the row leaves the Open view", || async {
        !app.row_ids().await.contains(&target)
    })
    .await;

    app.view_tab(View::Done).await.click().await.unwrap();
    eventually("the done conversation is listed", || async {
        app.row_ids().await.contains(&target)
    })
    .await;
    // In the Done view the check becomes "Mark as open".
    let done_buttons = app
        .js(&format!(
            "return document.querySelectorAll('{ROWS} button[aria-label=\"{}\"]').length",
            ui(Text::ActionsMarkDone)
        ))
        .await;
    assert_eq!(done_buttons, 0);
    app.click_row_button(target, ui(Text::ActionsMarkOpen))
        .await;
    app.wait_on_server(target, (Status::Open, false)).await;
    eventually("the row leaves the Done view", || async {
        !app.row_ids().await.contains(&target)
    })
    .await;
    app.finish().await;
}

#[tokio::test]
async fn clicking_a_line_shows_only_its_conversations_and_a_reply_is_sent() {
    let app = E2e::start().await;
    app.open("/all/open").await;
    let lines = app.lines().await.lines;
    let support = lines.iter().find(|l| l.name == "Support").unwrap();
    // The lines arrive after the list's first page: wait for the link rather than race it.
    let link = app
        .browser
        .client
        .wait()
        .for_element(Locator::Css(&format!("{} a[href^='/2/']", lines_nav())))
        .await
        .unwrap();
    link.click().await.unwrap();
    eventually("the URL names the line", || async {
        app.path().await == "/2/open"
    })
    .await;
    eventually("only Support's conversations are listed", || async {
        let ids = app.row_ids().await;
        if ids.is_empty() {
            return false;
        }
        for id in ids.iter().take(5) {
            if app.conversation(*id).await.conversation.line_id != support.id {
                return false;
            }
        }
        true
    })
    .await;

    let target = app.row_ids().await[0];
    app.row(target).await.click().await.unwrap();
    let reply = app.reply_box().await;
    reply.send_keys("Thanks, we're on it!\n").await.unwrap();
    eventually("the reply is stored as the newest activity", || async {
        let thread = app.conversation(target).await;
        thread
            .activities
            .last()
            .map(switchboard_web::text::activity_summary)
            .as_deref()
            == Some("Thanks, we're on it!")
    })
    .await;
    eventually("the reply shows in the thread", || async {
        let text = app
            .js("return [...document.querySelectorAll('.activities .bubble')].pop().textContent")
            .await;
        text.as_str() == Some("Thanks, we're on it!")
    })
    .await;
    // The box is emptied and keeps the focus, ready for the next message.
    let focused = app
        .js("const a = document.activeElement; return a.tagName + ':' + a.value")
        .await;
    assert_eq!(focused, "TEXTAREA:");
    app.finish().await;
}
