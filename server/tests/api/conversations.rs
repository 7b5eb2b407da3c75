use crate::helpers::{assert_error, spawn_app};
use reqwest::StatusCode;
use std::collections::HashSet;
use switchboard_domain::api::{ConversationSummary, ErrorCode};
use switchboard_domain::{ConversationId, Status};

/// The list's order: pinned first, then newest activity first.
fn sort_key(c: &ConversationSummary) -> (bool, i64, i64) {
    (c.pinned, c.latest_activity.at, c.id.0)
}

#[tokio::test]
async fn the_open_view_is_the_default_and_lists_pinned_then_newest_activity_first() {
    let app = spawn_app().await;
    let page = app.page("").await;
    assert_eq!(page.conversations.len(), 50);
    assert!(page.next_cursor.is_some());
    assert!(page.conversations.iter().all(|c| c.status == Status::Open));
    let keys: Vec<_> = page.conversations.iter().map(sort_key).collect();
    assert!(keys.windows(2).all(|w| w[0] > w[1]), "{keys:?}");
    assert!(
        page.conversations[0].pinned,
        "the demo pins some conversations"
    );
    assert!(!page.conversations[10].pinned);
}

#[tokio::test]
async fn following_the_cursors_lists_each_conversation_of_a_view_once_in_order() {
    let app = spawn_app().await;
    let open = app.all_of_view("view=open").await;
    let done = app.all_of_view("view=done").await;
    let ids: HashSet<ConversationId> = open.iter().chain(&done).map(|c| c.id).collect();
    assert_eq!(
        ids.len(),
        300,
        "open and done together hold every conversation once"
    );
    assert_eq!(open.len() + done.len(), 300);
    for view in [&open, &done] {
        let keys: Vec<_> = view.iter().map(sort_key).collect();
        assert!(keys.windows(2).all(|w| w[0] > w[1]), "strictly ordered");
    }
    assert!(done.iter().all(|c| c.status == Status::Done && !c.unread));
}

#[tokio::test]
async fn the_unread_view_holds_only_unread_conversations() {
    let app = spawn_app().await;
    let unread = app.all_of_view("view=unread").await;
    assert!(!unread.is_empty());
    assert!(unread.iter().all(|c| c.unread && c.status == Status::Open));
    let open = app.all_of_view("view=open").await;
    let unread_in_open = open.iter().filter(|c| c.unread).count();
    assert_eq!(unread.len(), unread_in_open);
}

#[tokio::test]
async fn a_line_filter_lists_only_that_lines_conversations() {
    let app = spawn_app().await;
    let lines = app.lines().await.lines;
    let mut total = 0;
    for line in &lines {
        let conversations = app
            .all_of_view(&format!("view=open&line={}", line.id))
            .await;
        assert!(conversations.iter().all(|c| c.line_id == line.id));
        total += conversations.len();
    }
    assert_eq!(total, app.all_of_view("view=open").await.len());
}

#[tokio::test]
async fn an_unknown_line_is_not_found() {
    let app = spawn_app().await;
    assert_error(
        app.get("/api/v1/conversations?line=99").await,
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
}

#[tokio::test]
async fn a_conversation_comes_with_its_thread_oldest_first() {
    let app = spawn_app().await;
    let listed = app.first_of("open").await;
    let detail = app.conversation(listed.id).await;
    assert_eq!(detail.conversation, listed);
    let ids: Vec<i64> = detail.activities.iter().map(|a| a.id.0).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(detail.activities.last().unwrap(), &listed.latest_activity);
    assert!(detail
        .activities
        .iter()
        .all(|a| a.conversation_id == listed.id));
}

#[tokio::test]
async fn an_unknown_conversation_is_not_found() {
    let app = spawn_app().await;
    let body = assert_error(
        app.get("/api/v1/conversations/123456").await,
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
    assert!(body.error.message.contains("123456"));
    assert_error(
        app.get("/api/v1/conversations/-4").await,
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
}
