use crate::helpers::{eventually, E2e, Key};
use crate::helpers::{ui, ui_count, unread_in_label, Plural, Text};
use fantoccini::Locator;
use switchboard_domain::View;
use switchboard_domain::{ConversationId, Status};

#[tokio::test]
async fn arrows_and_j_k_move_the_selection() {
    let app = E2e::start().await;
    app.open("/all/open").await;
    let ids = app.row_ids().await;
    app.wait_selected(ids[0]).await;

    app.press(Key::Down).await;
    app.wait_selected(ids[1]).await;
    app.press('j').await;
    app.wait_selected(ids[2]).await;
    app.press('k').await;
    app.wait_selected(ids[1]).await;
    app.press(Key::Up).await;
    app.wait_selected(ids[0]).await;
    app.press(Key::Up).await;
    app.settle().await;
    assert_eq!(app.selected().await, Some(ids[0]), "the top stays the top");
    app.finish().await;
}

#[tokio::test]
async fn e_marks_done_selects_the_next_row_and_z_undoes_it() {
    let app = E2e::start().await;
    app.open("/all/open").await;
    let ids = app.row_ids().await;
    app.press('j').await;
    app.wait_selected(ids[1]).await;

    app.press('e').await;
    eventually("the row leaves the Open view", || async {
        !app.row_ids().await.contains(&ids[1])
    })
    .await;
    app.wait_selected(ids[2]).await;
    app.wait_on_server(ids[1], (Status::Done, false)).await;

    app.press('z').await;
    eventually("the row is back in its place", || async {
        app.row_ids().await.get(1) == Some(&ids[1])
    })
    .await;
    app.wait_selected(ids[1]).await;
    eventually("the server has it open again", || async {
        app.status_on_server(ids[1]).await.0 == Status::Open
    })
    .await;
    app.finish().await;
}

#[tokio::test]
async fn the_done_view_lists_what_was_done_and_o_reopens_it() {
    let app = E2e::start().await;
    app.open("/all/open").await;
    let target = app.row_ids().await[0];
    app.press('e').await;
    app.wait_on_server(target, (Status::Done, false)).await;

    app.view_tab(View::Done).await.click().await.unwrap();
    eventually("the URL names the Done view", || async {
        app.path().await == "/all/done"
    })
    .await;
    eventually("the done conversation is listed", || async {
        app.row_ids().await.contains(&target)
    })
    .await;
    app.select(target).await;
    let done_ids = app.row_ids().await;
    let index = done_ids.iter().position(|id| *id == target).unwrap();
    let next = done_ids[index + 1];

    app.press('o').await;
    eventually("the row leaves the Done view", || async {
        !app.row_ids().await.contains(&target)
    })
    .await;
    app.wait_selected(next).await;
    app.wait_on_server(target, (Status::Open, false)).await;
    app.finish().await;
}

#[tokio::test]
async fn u_marks_unread_and_the_lines_badge_counts_it() {
    let app = E2e::start().await;
    app.open("/all/open").await;
    let target = app.first_read_row().await;
    let line_id = app.conversation(target).await.conversation.line_id;
    let lines = app.lines().await.lines;
    let line = lines.iter().find(|l| l.id == line_id).unwrap();
    let total: u32 = lines.iter().map(|l| l.unread_count).sum();
    let number = switchboard_domain::phone::display_number(&line.number);
    assert_eq!(
        app.line_link_label(&line.name).await,
        format!(
            "{}, {number}, {}{}",
            line.name,
            line.unread_count,
            ui_count(Plural::SidebarUnreadAfter, line.unread_count as usize)
        )
    );

    app.select(target).await;
    app.press('u').await;
    eventually("the row says unread", || async {
        app.row_label(target)
            .await
            .unwrap()
            .contains(&unread_in_label())
    })
    .await;
    let expected = format!(
        "{}, {number}, {}{}",
        line.name,
        line.unread_count + 1,
        ui_count(Plural::SidebarUnreadAfter, line.unread_count as usize + 1)
    );
    eventually("the line's badge counts it", || async {
        app.line_link_label(&line.name).await == expected
    })
    .await;
    let title = format!("({}) Switchboard", total + 1);
    eventually("the title counts it", || async {
        app.browser.client.title().await.unwrap() == title
    })
    .await;
    app.wait_on_server(target, (Status::Open, true)).await;
    assert_eq!(
        app.lines()
            .await
            .lines
            .iter()
            .find(|l| l.id == line_id)
            .unwrap()
            .unread_count,
        line.unread_count + 1
    );
    app.finish().await;
}

#[tokio::test]
async fn enter_opens_the_selected_conversation_and_viewing_marks_it_read() {
    let app = E2e::start().await;
    app.open("/all/unread").await;
    let ids = app.row_ids().await;
    app.press('j').await;
    app.wait_selected(ids[1]).await;
    let name = app
        .conversation(ids[1])
        .await
        .conversation
        .contact
        .display_name();

    app.press(Key::Enter).await;
    eventually("the URL names the conversation", || async {
        app.path().await == format!("/all/unread/{}", ids[1])
    })
    .await;
    app.wait_thread_of(&name).await;
    app.wait_on_server(ids[1], (Status::Open, false)).await;
    eventually("the row no longer says unread", || async {
        !app.row_label(ids[1])
            .await
            .unwrap()
            .contains(&unread_in_label())
    })
    .await;

    // Marked unread while on screen, it stays unread until opened again.
    app.press('u').await;
    app.wait_on_server(ids[1], (Status::Open, true)).await;
    app.settle().await;
    assert_eq!(app.status_on_server(ids[1]).await, (Status::Open, true));
    app.finish().await;
}

#[tokio::test]
async fn typing_e_in_the_reply_box_changes_nothing() {
    let app = E2e::start().await;
    app.open("/all/open").await;
    let target = app.row_ids().await[0];
    app.press(Key::Enter).await;
    let reply = app.reply_box().await;
    reply.click().await.unwrap();
    reply.send_keys("eeuoz").await.unwrap();
    app.settle().await;
    assert_eq!(reply.prop("value").await.unwrap().as_deref(), Some("eeuoz"));
    assert!(app.row_ids().await.contains(&target));
    assert_eq!(app.status_on_server(target).await.0, Status::Open);

    // Escape leaves the box; then E is a shortcut again.
    app.press(Key::Escape).await;
    app.press('e').await;
    app.wait_on_server(target, (Status::Done, false)).await;
    app.finish().await;
}

#[tokio::test]
async fn question_mark_shows_the_shortcut_sheet_and_escape_closes_it() {
    let app = E2e::start().await;
    app.open("/all/open").await;
    let target = app.row_ids().await[0];
    app.press('?').await;
    let dialog = app
        .browser
        .client
        .wait()
        .for_element(Locator::Css(
            "dialog[open][aria-labelledby=shortcut-sheet-title]",
        ))
        .await
        .expect("the dialog");
    let text = dialog.text().await.unwrap();
    assert!(
        text.contains(ui(Text::ShortcutsTitle)) && text.contains(ui(Text::ActionsMarkDone)),
        "{text}"
    );
    let role = app
        .js("return document.querySelector('dialog').matches('dialog') ? 'dialog' : ''")
        .await;
    assert_eq!(role, "dialog");

    // While it is open, E does nothing.
    app.press('e').await;
    app.settle().await;
    assert_eq!(app.status_on_server(target).await.0, Status::Open);

    app.press(Key::Escape).await;
    // Closed, it leaves the page (it is built when asked for).
    eventually("the dialog closes", || async {
        app.js("return document.querySelector('dialog[open]') === null")
            .await
            == true
    })
    .await;
    app.press('e').await;
    app.wait_on_server(target, (Status::Done, false)).await;
    app.finish().await;
}

#[tokio::test]
async fn marking_done_far_down_the_list_keeps_its_scroll_position() {
    let app = E2e::start().await;
    app.open("/all/open").await;
    let grid = format!("document.querySelector('{}')", crate::helpers::GRID);
    app.js(&format!("{grid}.scrollTop = 1520")).await;
    eventually("the rows down there are rendered", || async {
        app.js(&format!(
            "return [...{grid}.querySelectorAll('[role=row]')].some(r => r.getAttribute('aria-rowindex') === '25')"
        ))
        .await
            == true
    })
    .await;
    let target: ConversationId = app
        .js(&format!(
            "return {grid}.querySelector('[role=row][aria-rowindex=\"25\"]').dataset.conversationId"
        ))
        .await
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    app.row(target).await.click().await.unwrap();
    app.wait_selected(target).await;
    let scroll_top = format!("return {grid}.scrollTop");
    let before = app.js(&scroll_top).await.as_f64().unwrap();
    assert!(before > 1000.0, "{before}");

    app.press('e').await;
    app.wait_on_server(target, (Status::Done, false)).await;
    app.settle().await;
    let after = app.js(&scroll_top).await.as_f64().unwrap();
    assert!(
        (after - before).abs() < 2.0,
        "the list stayed in place ({before} -> {after})"
    );
    app.finish().await;
}
