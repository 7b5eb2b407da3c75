//! A member sees and changes only the conversations of their lines.

use crate::helpers::{assert_error, ok_json, spawn_app, SUPPORT_MEMBER};
use reqwest::StatusCode;
use serde_json::json;
use switchboard_domain::api::{ConversationPage, ErrorCode, LineList};
use switchboard_domain::team::Me;
use switchboard_domain::LineId;

#[tokio::test]
async fn a_member_sees_only_their_lines_and_their_conversations() {
    let app = spawn_app().await;
    let jordan = app.signed_in(SUPPORT_MEMBER).await;
    let me: Me = ok_json(jordan.get(app.url("/api/v1/me")).send().await.unwrap()).await;
    assert_eq!(me.line_ids, [LineId(2)]);
    let lines: LineList = ok_json(jordan.get(app.url("/api/v1/lines")).send().await.unwrap()).await;
    let names: Vec<&str> = lines.lines.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["Support"]);
    for view in ["open", "unread", "done"] {
        let url = app.url(&format!("/api/v1/conversations?view={view}&limit=200"));
        let page: ConversationPage = ok_json(jordan.get(url).send().await.unwrap()).await;
        assert!(!page.conversations.is_empty());
        assert!(
            page.conversations.iter().all(|c| c.line_id == LineId(2)),
            "{view}"
        );
    }
}

#[tokio::test]
async fn another_lines_conversations_answer_403_and_stay_as_they_are() {
    let app = spawn_app().await;
    let jordan = app.signed_in(SUPPORT_MEMBER).await;
    let main = app.first_on("open", Some(1)).await;
    let id = main.id;
    let forbidden = [
        jordan
            .get(app.url("/api/v1/conversations?line=1"))
            .send()
            .await
            .unwrap(),
        jordan
            .get(app.url(&format!("/api/v1/conversations/{id}")))
            .send()
            .await
            .unwrap(),
        jordan
            .post(app.url(&format!("/api/v1/conversations/{id}/state")))
            .json(&json!({"change": "unread"}))
            .send()
            .await
            .unwrap(),
        jordan
            .post(app.url(&format!("/api/v1/conversations/{id}/replies")))
            .json(&json!({"text": "hello"}))
            .send()
            .await
            .unwrap(),
        jordan
            .post(app.url(&format!("/api/v1/conversations/{id}/notes")))
            .json(&json!({"text": "hello"}))
            .send()
            .await
            .unwrap(),
        jordan
            .post(app.url(&format!("/api/v1/conversations/{id}/pin")))
            .json(&json!({"pinned": true}))
            .send()
            .await
            .unwrap(),
        jordan
            .post(app.url(&format!("/api/v1/conversations/{id}/assignee")))
            .json(&json!({"assignee_id": null}))
            .send()
            .await
            .unwrap(),
    ];
    for response in forbidden {
        assert_error(response, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    }
    assert_eq!(
        app.conversation(id).await.conversation,
        main,
        "nothing changed"
    );
}
