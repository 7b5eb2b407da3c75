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
    assert_eq!(
        app.newest_unpinned("unread").await.id,
        target.id,
        "newest first"
    );
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

#[tokio::test]
async fn a_change_sent_twice_with_the_same_id_is_applied_once() {
    let app = spawn_app().await;
    let target = app.first_of("open").await;
    let path = format!("/api/v1/conversations/{}/state", target.id);
    let seen = target.latest_activity.id;
    let unread = serde_json::json!({"change": "unread", "change_id": "offline-7f3a"});

    let first: ConversationSummary = ok_json(app.post_json(&path, &unread).await).await;
    assert!(first.unread);
    let read = serde_json::json!({"change": "read", "seen_activity_id": seen, "change_id": "offline-7f3b"});
    let read: ConversationSummary = ok_json(app.post_json(&path, &read).await).await;
    assert!(!read.unread);

    // The first change again (a retry after a lost answer): not applied a second time.
    let replayed: ConversationSummary = ok_json(app.post_json(&path, &unread).await).await;
    assert!(!replayed.unread, "the replay did not undo the later change");
    let history = switchboard_server::db::changes::history(&app.db, target.id)
        .await
        .unwrap();
    let recorded: Vec<(Option<&str>, &str)> = history
        .iter()
        .map(|c| (c.change_id.as_deref(), c.change.as_str()))
        .collect();
    assert_eq!(
        recorded,
        [
            (Some("offline-7f3a"), "unread"),
            (Some("offline-7f3b"), "read")
        ]
    );
}

#[tokio::test]
async fn a_refused_change_is_not_recorded() {
    let app = spawn_app().await;
    let target = app.first_of("unread").await;
    app.customer_texts(&target, "Hello?").await;
    let response = app
        .change(target.id, "done", Some(target.latest_activity.id))
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let history = switchboard_server::db::changes::history(&app.db, target.id)
        .await
        .unwrap();
    assert!(history.is_empty());
}

#[tokio::test]
async fn a_malformed_change_id_is_refused() {
    let app = spawn_app().await;
    let target = app.first_of("open").await;
    let path = format!("/api/v1/conversations/{}/state", target.id);
    let body = serde_json::json!({"change": "unread", "change_id": "no spaces; please"});
    let error = assert_error(
        app.post_json(&path, &body).await,
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidBody,
    )
    .await;
    assert!(
        error.error.message.contains("change_id"),
        "{}",
        error.error.message
    );
}
