//! Bad input gets a clear JSON error, the server keeps serving, and nothing changes.

use crate::helpers::{assert_error, spawn_app, TestApp};
use reqwest::StatusCode;
use serde_json::json;
use switchboard_domain::api::{ConversationSummary, ErrorCode, LineList};

async fn snapshot(app: &TestApp) -> (Vec<ConversationSummary>, Vec<ConversationSummary>, LineList) {
    (
        app.all_of_view("view=open").await,
        app.all_of_view("view=done").await,
        app.lines().await,
    )
}

#[tokio::test]
async fn malformed_state_changes_are_refused_with_400_and_change_nothing() {
    let app = spawn_app().await;
    let target = app.first_of("unread").await;
    let path = format!("/api/v1/conversations/{}/state", target.id);
    let before = snapshot(&app).await;

    let bodies = [
        "{\"change\": \"done\"",                               // truncated JSON
        "not json at all",                                     // not JSON
        "[]",                                                  // wrong shape
        "{\"change\": 5}",                                     // wrong type
        "{\"change\": \"archive\"}",                           // unknown state
        "{\"change\": \"DONE\"}",                              // states are lowercase
        "{\"change\": \"done\", \"seen_activity_id\": \"x\"}", // wrong type
        "{\"change\": \"done\", \"seen_activity_id\": 1e400}", // absurd number
        "{\"change\": \"done\", \"colour\": \"red\"}",         // unknown field
        "{}",                                                  // missing field
        "",                                                    // empty body
    ];
    for body in bodies {
        let response = app.post_raw(&path, "application/json", body).await;
        let error = assert_error(response, StatusCode::BAD_REQUEST, ErrorCode::InvalidBody).await;
        assert!(!error.error.message.is_empty(), "{body}");
    }
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test]
async fn a_body_that_is_not_declared_json_is_refused_with_415() {
    let app = spawn_app().await;
    let target = app.first_of("open").await;
    let path = format!("/api/v1/conversations/{}/state", target.id);
    let response = app
        .post_raw(&path, "text/plain", "{\"change\":\"unread\"}")
        .await;
    assert_error(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::UnsupportedMediaType,
    )
    .await;
    assert_eq!(app.conversation(target.id).await.conversation, target);
}

#[tokio::test]
async fn a_huge_body_is_refused_with_413() {
    let app = spawn_app().await;
    let target = app.first_of("open").await;
    let huge = json!({"text": "a".repeat(5 * 1024 * 1024)}).to_string();
    let path = format!("/api/v1/conversations/{}/replies", target.id);
    let response = app.post_raw(&path, "application/json", huge).await;
    assert_error(
        response,
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::BodyTooLarge,
    )
    .await;
    assert_eq!(app.conversation(target.id).await.conversation, target);
}

#[tokio::test]
async fn wrong_list_parameters_are_refused_with_400() {
    let app = spawn_app().await;
    for query in [
        "limit=0",
        "limit=-1",
        "limit=201",
        "limit=99999999999999999999999",
        "limit=ten",
        "view=archived",
        "view=",
        "line=main",
        "cursor=garbage",
        "cursor=1.2.3.4",
        "cursor=2.1.1",
        "veiw=done",
    ] {
        let response = app.get(&format!("/api/v1/conversations?{query}")).await;
        let error = assert_error(
            response,
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidParameter,
        )
        .await;
        assert!(!error.error.message.is_empty(), "{query}");
    }
    let error = assert_error(
        app.get("/api/v1/conversations?limit=500").await,
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidParameter,
    )
    .await;
    assert_eq!(
        error.error.message,
        "limit must be between 1 and 200, not 500"
    );
}

#[tokio::test]
async fn a_conversation_id_that_is_not_a_number_is_refused_with_400() {
    let app = spawn_app().await;
    for id in ["abc", "1.5", "99999999999999999999999"] {
        let response = app.get(&format!("/api/v1/conversations/{id}")).await;
        assert_error(
            response,
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidParameter,
        )
        .await;
        let response = app.change_path(id).await;
        assert_error(
            response,
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidParameter,
        )
        .await;
    }
}

#[tokio::test]
async fn unknown_endpoints_and_methods_answer_json() {
    let app = spawn_app().await;
    assert_error(
        app.get("/api/v1/nothing-here").await,
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
    assert_error(
        app.get("/api/v2/lines").await,
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    )
    .await;
    let response = app
        .client
        .delete(app.url("/api/v1/lines"))
        .send()
        .await
        .unwrap();
    assert_error(
        response,
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
    )
    .await;
    let response = app
        .client
        .get(app.url("/api/v1/conversations/1/state"))
        .send()
        .await
        .unwrap();
    assert_error(
        response,
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
    )
    .await;
}

impl TestApp {
    async fn change_path(&self, id: &str) -> reqwest::Response {
        self.post_json(
            &format!("/api/v1/conversations/{id}/state"),
            &json!({"change": "done"}),
        )
        .await
    }
}
