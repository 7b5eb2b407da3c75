//! Assignment, internal notes with @mentions, and pins.

use crate::helpers::{assert_error, ok_json, spawn_app, SUPPORT_MEMBER};
use crate::live::Stream;
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;
use switchboard_domain::api::{
    ActivityContent, ConversationSummary, Direction, ErrorCode, ReplyResponse,
};
use switchboard_domain::team::{LiveEvent, Me, NotificationList};
use switchboard_domain::Status;

#[tokio::test]
async fn handing_a_conversation_to_a_teammate_marks_it_unread_for_the_team() {
    let app = spawn_app().await;
    let jordan = app.member_named("Jordan Lee").await;
    let support = app.first_on("done", Some(2)).await;
    let path = format!("/api/v1/conversations/{}/assignee", support.id);

    let assigned: ConversationSummary = ok_json(
        app.post_json(&path, &json!({"assignee_id": jordan.id}))
            .await,
    )
    .await;
    assert_eq!(
        assigned.assignee.as_ref().map(|a| a.name.as_str()),
        Some("Jordan Lee")
    );
    assert_eq!(
        (assigned.status, assigned.unread),
        (Status::Open, true),
        "a handoff is seen"
    );

    // Jordan finds it under "assigned to me".
    let jordan_client = app.signed_in(SUPPORT_MEMBER).await;
    let mine: switchboard_domain::api::ConversationPage = ok_json(
        jordan_client
            .get(app.url("/api/v1/conversations?view=open&assignee=me&limit=200"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(mine.conversations.iter().any(|c| c.id == support.id));
    assert!(mine
        .conversations
        .iter()
        .all(|c| c.assignee.as_ref().map(|a| a.id) == Some(jordan.id)));

    let unassigned: ConversationSummary =
        ok_json(app.post_json(&path, &json!({"assignee_id": null})).await).await;
    assert_eq!(unassigned.assignee, None);
}

#[tokio::test]
async fn taking_a_conversation_oneself_leaves_its_state_and_strangers_are_refused() {
    let app = spawn_app().await;
    let me: Me = ok_json(app.get("/api/v1/me").await).await;
    let target = app.first_of("done").await;
    let path = format!("/api/v1/conversations/{}/assignee", target.id);
    let mine: ConversationSummary =
        ok_json(app.post_json(&path, &json!({"assignee_id": me.id})).await).await;
    assert_eq!((mine.status, mine.unread), (Status::Done, false));

    let jordan = app.member_named("Jordan Lee").await;
    let main = app.first_on("open", Some(1)).await;
    let main_path = format!("/api/v1/conversations/{}/assignee", main.id);
    let response = app
        .post_json(&main_path, &json!({"assignee_id": jordan.id}))
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, ErrorCode::InvalidBody).await;
    let response = app
        .post_json(&main_path, &json!({"assignee_id": 999}))
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, ErrorCode::InvalidBody).await;
}

#[tokio::test]
async fn a_note_stays_inside_the_team_and_notifies_whom_it_mentions() {
    let app = spawn_app().await;
    let jordan = app.member_named("Jordan Lee").await;
    let jordan_client = app.signed_in(SUPPORT_MEMBER).await;
    let mut jordan_stream = Stream::open(&app, &jordan_client, None).await;

    let target = app.first_on("open", Some(2)).await;
    let path = format!("/api/v1/conversations/{}/notes", target.id);
    let body = json!({"text": "@Jordan Lee can you take this one?", "mentions": [jordan.id]});
    let response = app.post_json(&path, &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let note: ReplyResponse = response.json().await.unwrap();
    assert_eq!(note.activity.direction, Direction::Internal);
    assert!(
        matches!(&note.activity.content, ActivityContent::Note { author, .. } if author.name == "Sam Rivera")
    );
    // The list still shows the customer's side; the thread shows the note.
    assert_eq!(note.conversation.latest_activity, target.latest_activity);
    assert_eq!(
        (note.conversation.status, note.conversation.unread),
        (target.status, target.unread)
    );
    let thread = app.conversation(target.id).await;
    assert_eq!(thread.activities.last().unwrap(), &note.activity);

    loop {
        let (_, event) = jordan_stream
            .next(Duration::from_secs(5))
            .await
            .expect("a notification");
        if let LiveEvent::Notification {
            notification,
            unread_count,
        } = event
        {
            assert_eq!(notification.conversation_id, target.id);
            assert_eq!(notification.author.name, "Sam Rivera");
            assert!(notification.excerpt.contains("can you take this one"));
            assert_eq!(unread_count, 1);
            break;
        }
    }
    let list: NotificationList = ok_json(
        jordan_client
            .get(app.url("/api/v1/notifications"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(list.unread_count, 1);
    let id = list.notifications[0].id;
    let read = jordan_client
        .post(app.url(&format!("/api/v1/notifications/{id}/read")))
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::NO_CONTENT);
    let list: NotificationList = ok_json(
        jordan_client
            .get(app.url("/api/v1/notifications"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(list.unread_count, 0);
    // Not someone else's to mark.
    let response = app
        .anonymous()
        .post(app.url(&format!("/api/v1/notifications/{id}/read")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let owners = app
        .client
        .post(app.url(&format!("/api/v1/notifications/{id}/read")))
        .send()
        .await
        .unwrap();
    assert_error(owners, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
}

#[tokio::test]
async fn a_pinned_conversation_stays_on_top_of_its_view_for_everyone() {
    let app = spawn_app().await;
    let open = app.all_of_view("view=open").await;
    let oldest = open.last().unwrap();
    assert!(!oldest.pinned);
    let path = format!("/api/v1/conversations/{}/pin", oldest.id);
    let pinned: ConversationSummary =
        ok_json(app.post_json(&path, &json!({"pinned": true})).await).await;
    assert!(pinned.pinned);
    let jordan_or_owner = app.page("view=open&limit=10").await.conversations;
    let pinned_ids: Vec<_> = jordan_or_owner
        .iter()
        .take_while(|c| c.pinned)
        .map(|c| c.id)
        .collect();
    assert!(
        pinned_ids.contains(&oldest.id),
        "pinned on top: {pinned_ids:?}"
    );
    let unpinned: ConversationSummary =
        ok_json(app.post_json(&path, &json!({"pinned": false})).await).await;
    assert!(!unpinned.pinned);
    assert_eq!(
        app.all_of_view("view=open").await.last().unwrap().id,
        oldest.id
    );
}
