use crate::helpers::{assert_error, ok_json, spawn_app};
use reqwest::StatusCode;
use switchboard_domain::api::{ActivityContent, ConversationSummary, ErrorCode};
use switchboard_domain::Status;

#[tokio::test]
async fn mark_done_moves_a_conversation_from_open_to_done_and_marks_it_read() {
    let app = spawn_app().await;
    let target = app.first_of("unread").await;
    let unread_before = app.unread_count(target.line_id).await;

    let seen = Some(target.latest_activity.id);
    let done: ConversationSummary = ok_json(app.change(target.id, "done", seen).await).await;
    assert_eq!((done.status, done.unread), (Status::Done, false));

    assert!(!app
        .all_of_view("view=open")
        .await
        .iter()
        .any(|c| c.id == target.id));
    assert!(app
        .all_of_view("view=done")
        .await
        .iter()
        .any(|c| c.id == target.id));
    assert_eq!(app.unread_count(target.line_id).await, unread_before - 1);
    assert_eq!(
        app.conversation(target.id).await.conversation.status,
        Status::Done
    );
}

#[tokio::test]
async fn mark_unread_reopens_a_done_conversation_and_counts_it() {
    let app = spawn_app().await;
    let target = app.first_of("done").await;
    let unread_before = app.unread_count(target.line_id).await;
    let changed: ConversationSummary = ok_json(app.change(target.id, "unread", None).await).await;
    assert_eq!((changed.status, changed.unread), (Status::Open, true));
    assert_eq!(app.unread_count(target.line_id).await, unread_before + 1);
    assert!(app
        .all_of_view("view=unread")
        .await
        .iter()
        .any(|c| c.id == target.id));
}

#[tokio::test]
async fn mark_open_reopens_a_done_conversation_as_read() {
    let app = spawn_app().await;
    let target = app.first_of("done").await;
    let changed: ConversationSummary = ok_json(app.change(target.id, "open", None).await).await;
    assert_eq!((changed.status, changed.unread), (Status::Open, false));
    assert!(app
        .all_of_view("view=open")
        .await
        .iter()
        .any(|c| c.id == target.id));
}

#[tokio::test]
async fn mark_read_after_viewing_clears_unread_and_keeps_it_open() {
    let app = spawn_app().await;
    let target = app.first_of("unread").await;
    let seen = Some(target.latest_activity.id);
    let changed: ConversationSummary = ok_json(app.change(target.id, "read", seen).await).await;
    assert_eq!((changed.status, changed.unread), (Status::Open, false));
}

#[tokio::test]
async fn repeating_a_change_is_harmless() {
    let app = spawn_app().await;
    let target = app.first_of("open").await;
    let seen = Some(target.latest_activity.id);
    let first: ConversationSummary = ok_json(app.change(target.id, "done", seen).await).await;
    let second: ConversationSummary = ok_json(app.change(target.id, "done", seen).await).await;
    assert_eq!(first, second);
}

#[tokio::test]
async fn mark_done_is_refused_when_a_message_arrived_after_what_the_client_saw() {
    let app = spawn_app().await;
    let target = app.first_of("open").await;
    let seen = Some(target.latest_activity.id);
    let unread_before = app.unread_count(target.line_id).await;
    let arrived = app.customer_texts(&target, "Wait, one more thing!").await;

    let body = assert_error(
        app.change(target.id, "done", seen).await,
        StatusCode::CONFLICT,
        ErrorCode::UnseenActivity,
    )
    .await;
    let fresh = body.conversation.expect("the fresh conversation");
    assert_eq!((fresh.status, fresh.unread), (Status::Open, true));
    assert_eq!(fresh.latest_activity.id, arrived);
    assert_eq!(
        fresh.latest_activity.content,
        ActivityContent::Message {
            text: "Wait, one more thing!".into()
        }
    );

    // Nothing changed on the server: still open, unread, counted, listed.
    let stored = app.conversation(target.id).await.conversation;
    assert_eq!((stored.status, stored.unread), (Status::Open, true));
    let expected = unread_before + u32::from(!target.unread);
    assert_eq!(app.unread_count(target.line_id).await, expected);

    // Having seen it, the client may mark it done.
    let done: ConversationSummary =
        ok_json(app.change(target.id, "done", Some(arrived)).await).await;
    assert_eq!(done.status, Status::Done);
}

#[tokio::test]
async fn a_message_to_a_done_conversation_reopens_it_as_unread() {
    let app = spawn_app().await;
    let target = app.first_of("done").await;
    app.customer_texts(&target, "Hello again").await;
    let stored = app.conversation(target.id).await.conversation;
    assert_eq!((stored.status, stored.unread), (Status::Open, true));
    assert_eq!(app.first_of("unread").await.id, target.id, "newest first");
}

#[tokio::test]
async fn mark_read_is_refused_when_a_message_arrived_after_what_the_client_saw() {
    let app = spawn_app().await;
    let target = app.first_of("unread").await;
    let seen = Some(target.latest_activity.id);
    app.customer_texts(&target, "Are you there?").await;
    let body = assert_error(
        app.change(target.id, "read", seen).await,
        StatusCode::CONFLICT,
        ErrorCode::UnseenActivity,
    )
    .await;
    assert!(body.conversation.unwrap().unread);
}

#[tokio::test]
async fn mark_done_without_saying_what_was_seen_is_refused_for_a_conversation_with_inbound_activity(
) {
    let app = spawn_app().await;
    let target = app.first_of("unread").await;
    assert_error(
        app.change(target.id, "done", None).await,
        StatusCode::CONFLICT,
        ErrorCode::UnseenActivity,
    )
    .await;
}

#[tokio::test]
async fn a_change_to_an_unknown_conversation_is_not_found() {
    let app = spawn_app().await;
    assert_error(
        app.change(switchboard_domain::ConversationId(99_999), "done", None)
            .await,
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
}
