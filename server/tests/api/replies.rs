use crate::helpers::{assert_error, spawn_app};
use reqwest::StatusCode;
use serde_json::json;
use switchboard_domain::api::{
    ActivityContent, Direction, ErrorCode, ReplyResponse, MAX_REPLY_CHARS,
};
use switchboard_domain::Status;

#[tokio::test]
async fn a_reply_is_stored_as_an_outbound_message_and_marks_the_conversation_read() {
    let app = spawn_app().await;
    let target = app.first_of("unread").await;
    let response = app
        .post_json(
            &format!("/api/v1/conversations/{}/replies", target.id),
            &json!({"text": "  On it, thanks for waiting!  ", "seen_activity_id": target.latest_activity.id}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let reply: ReplyResponse = response.json().await.unwrap();
    assert_eq!(reply.activity.direction, Direction::Outbound);
    assert_eq!(
        reply.activity.content,
        ActivityContent::Message {
            text: "On it, thanks for waiting!".into()
        }
    );
    assert_eq!(
        (reply.conversation.status, reply.conversation.unread),
        (Status::Open, false)
    );

    let thread = app.conversation(target.id).await;
    assert_eq!(thread.activities.last().unwrap(), &reply.activity);
    let open = app.page("view=open&limit=50").await.conversations;
    let first_alike = open.iter().find(|c| c.pinned == target.pinned).unwrap();
    assert_eq!(
        first_alike.id, target.id,
        "the reply is the newest activity"
    );
}

#[tokio::test]
async fn a_reply_sent_without_seeing_a_new_message_leaves_the_conversation_unread() {
    let app = spawn_app().await;
    let target = app.first_of("unread").await;
    let seen = target.latest_activity.id;
    app.customer_texts(&target, "Also, can you deliver on Sunday?")
        .await;
    let response = app
        .post_json(
            &format!("/api/v1/conversations/{}/replies", target.id),
            &json!({"text": "Sure", "seen_activity_id": seen}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let reply: ReplyResponse = response.json().await.unwrap();
    assert!(
        reply.conversation.unread,
        "the new message stays unread for the team"
    );
}

#[tokio::test]
async fn a_blank_or_overlong_reply_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let target = app.first_of("open").await;
    let before = app.conversation(target.id).await;
    let path = format!("/api/v1/conversations/{}/replies", target.id);
    assert_error(
        app.post_json(&path, &json!({"text": "   "})).await,
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidBody,
    )
    .await;
    let long = "x".repeat(MAX_REPLY_CHARS + 1);
    let body = assert_error(
        app.post_json(&path, &json!({"text": long})).await,
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidBody,
    )
    .await;
    assert!(
        body.error.message.contains("1600"),
        "{}",
        body.error.message
    );
    assert_eq!(app.conversation(target.id).await, before);
}

#[tokio::test]
async fn a_reply_to_an_unknown_conversation_is_not_found() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/api/v1/conversations/424242/replies",
            &json!({"text": "hi"}),
        )
        .await;
    assert_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
}

#[tokio::test]
async fn send_and_mark_done_marks_done_unless_the_customer_wrote_meanwhile() {
    let app = spawn_app().await;
    let target = app.first_of("unread").await;
    let path = format!("/api/v1/conversations/{}/replies", target.id);
    let seen = target.latest_activity.id;
    let body = json!({"text": "All sorted", "seen_activity_id": seen, "mark_done": true});
    let reply: ReplyResponse = app.post_json(&path, &body).await.json().await.unwrap();
    assert_eq!(
        (reply.conversation.status, reply.conversation.unread),
        (Status::Done, false)
    );

    // The customer writes after what the teammate saw: the reply goes, the conversation stays.
    let other = app.first_of("open").await;
    let seen = other.latest_activity.id;
    app.webhook_text(&other, "EV-meanwhile", "One more thing")
        .await;
    let path = format!("/api/v1/conversations/{}/replies", other.id);
    let body = json!({"text": "Anything else?", "seen_activity_id": seen, "mark_done": true});
    let response = app.post_json(&path, &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let reply: ReplyResponse = response.json().await.unwrap();
    assert_eq!(reply.conversation.status, Status::Open);
    let thread = app.conversation(other.id).await;
    assert_eq!(thread.activities.last().unwrap(), &reply.activity);
}
