use crate::helpers::{eventually, E2e, GRID, ROWS};
use switchboard_domain::Status;
use switchboard_domain::View;

#[tokio::test]
async fn reload_and_back_keep_the_place_and_the_state() {
    let app = E2e::start().await;
    app.open("/all/open").await;
    let ids = app.row_ids().await;
    app.press('e').await;
    app.wait_on_server(ids[0], (Status::Done, false)).await;
    app.wait_selected(ids[1]).await;
    app.press(fantoccini::key::Key::Enter).await;
    let opened = format!("/all/open/{}", ids[1]);
    eventually("the conversation is in the URL", || async {
        app.path().await == opened
    })
    .await;

    app.view_tab(View::Unread).await.click().await.unwrap();
    eventually("the Unread view", || async {
        app.path().await == "/all/unread"
    })
    .await;
    app.browser.client.back().await.unwrap();
    eventually("Back returns to the conversation", || async {
        app.path().await == opened
    })
    .await;

    app.browser.client.refresh().await.unwrap();
    app.wait_for_rows().await;
    assert_eq!(app.path().await, opened);
    let name = app
        .conversation(ids[1])
        .await
        .conversation
        .contact
        .display_name();
    app.wait_thread_of(&name).await;
    assert!(!app.row_ids().await.contains(&ids[0]), "done stays done");
    app.wait_selected(ids[1]).await;
    app.finish().await;
}

#[tokio::test]
async fn a_large_inbox_renders_only_the_rows_on_screen_and_scrolling_loads_more() {
    let app = E2e::start_with(3000).await;
    app.open("/all/open").await;
    let rendered = app.row_ids().await.len();
    assert!(rendered < 40, "{rendered} rows in the DOM");
    let count_rows = format!("return document.querySelectorAll('{ROWS}').length");
    let max_index = format!(
        "return Math.max(...[...document.querySelectorAll('{ROWS}')].map(r => +r.getAttribute('aria-rowindex')))"
    );
    let scroll_to_end =
        format!("const g = document.querySelector('{GRID}'); g.scrollTop = g.scrollHeight;");
    // Each scroll to the end asks for the next page; scroll until enough have come.
    eventually("pages beyond the first are loaded and shown", || async {
        app.js(&scroll_to_end).await;
        app.js(&max_index).await.as_f64().unwrap_or(0.0) > 200.0
    })
    .await;
    let rendered = app.js(&count_rows).await.as_u64().unwrap();
    assert!(rendered < 40, "{rendered} rows in the DOM after scrolling");
    app.finish().await;
}
