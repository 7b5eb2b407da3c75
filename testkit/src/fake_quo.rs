//! A local HTTP server that implements Quo's send endpoint as its documentation says
//! (`shared/reference/quo-webhooks.md`): it checks the key and the body, answers 202 with the
//! message, and can be told to answer 429 (with `Retry-After`), 500 or 400, or to take its time,
//! for the next requests. It takes one message per `Idempotency-Key`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const KEY: &str = "quo-test-key-3f9a";

/// What the next request gets, instead of a plain 202.
#[derive(Debug, Clone)]
pub enum Answer {
    TooMany {
        retry_after_seconds: u64,
    },
    ServerError,
    BadRequest,
    /// Takes the message, then waits this long before answering 202.
    Slow(Duration),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: String,
    pub key: Option<String>,
    pub from: String,
    pub to: String,
    pub content: String,
}

#[derive(Default)]
struct Inner {
    plan: VecDeque<Answer>,
    messages: Vec<Message>,
    requests: usize,
}

#[derive(Clone, Default)]
pub struct FakeQuo {
    inner: Arc<Mutex<Inner>>,
    pub url: String,
}

impl FakeQuo {
    pub async fn start() -> FakeQuo {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let fake = FakeQuo {
            inner: Arc::default(),
            url,
        };
        let app = Router::new()
            .route("/v1/messages", post(send))
            .route("/v1/messages/{id}", get(read))
            .with_state(fake.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        fake
    }

    /// The next requests get these answers, in order.
    pub fn plan(&self, answers: impl IntoIterator<Item = Answer>) {
        self.inner.lock().unwrap().plan.extend(answers);
    }

    pub fn messages(&self) -> Vec<Message> {
        self.inner.lock().unwrap().messages.clone()
    }

    pub fn requests(&self) -> usize {
        self.inner.lock().unwrap().requests
    }
}

fn error(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({"message": message, "code": status.as_u16().to_string()})),
    )
        .into_response()
}

fn e164(value: &str) -> bool {
    value.starts_with('+') && value.len() > 8 && value[1..].chars().all(|c| c.is_ascii_digit())
}

async fn send(State(fake): State<FakeQuo>, headers: HeaderMap, body: String) -> Response {
    let planned = {
        let mut inner = fake.inner.lock().unwrap();
        inner.requests += 1;
        inner.plan.pop_front()
    };
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(KEY) {
        return error(StatusCode::UNAUTHORIZED, "Unauthorized");
    }
    let Ok(body) = serde_json::from_str::<Value>(&body) else {
        return error(StatusCode::BAD_REQUEST, "Body is not JSON");
    };
    let content = body["content"].as_str().unwrap_or_default().to_owned();
    let from = body["from"].as_str().unwrap_or_default().to_owned();
    let to: Vec<&str> = body["to"]
        .as_array()
        .map(|to| to.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let length = content.chars().count();
    if !(1..=1600).contains(&length) || content.trim().is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "content must be 1 to 1600 characters",
        );
    }
    if !(from.starts_with("PN") || e164(&from)) {
        return error(
            StatusCode::BAD_REQUEST,
            "from must be a phone number id or E.164",
        );
    }
    if to.len() != 1 || !e164(to[0]) {
        return error(StatusCode::BAD_REQUEST, "to must be one E.164 number");
    }
    match &planned {
        Some(Answer::TooMany {
            retry_after_seconds,
        }) => {
            let mut response = error(StatusCode::TOO_MANY_REQUESTS, "Too many requests");
            response
                .headers_mut()
                .insert("retry-after", (*retry_after_seconds).into());
            return response;
        }
        Some(Answer::ServerError) => return error(StatusCode::INTERNAL_SERVER_ERROR, "Oops"),
        Some(Answer::BadRequest) => return error(StatusCode::BAD_REQUEST, "to is not reachable"),
        _ => {}
    }
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let message = {
        let mut inner = fake.inner.lock().unwrap();
        let earlier = key
            .as_ref()
            .and_then(|key| inner.messages.iter().find(|m| m.key.as_ref() == Some(key)));
        match earlier {
            Some(message) => message.clone(),
            None => {
                let message = Message {
                    id: format!("AC{:06}", inner.messages.len() + 1),
                    key,
                    from,
                    to: to[0].to_owned(),
                    content,
                };
                inner.messages.push(message.clone());
                message
            }
        }
    };
    if let Some(Answer::Slow(wait)) = planned {
        tokio::time::sleep(wait).await;
    }
    (StatusCode::ACCEPTED, Json(json!({"data": shape(&message)}))).into_response()
}

fn shape(message: &Message) -> Value {
    json!({
        "id": message.id, "to": [message.to], "from": message.from, "text": message.content,
        "phoneNumberId": "PN123abc", "direction": "outgoing", "userId": "US123abc",
        "status": "queued", "createdAt": "2026-12-01T12:00:00.000Z",
        "updatedAt": "2026-12-01T12:00:00.000Z"
    })
}

async fn read(State(fake): State<FakeQuo>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(KEY) {
        return error(StatusCode::UNAUTHORIZED, "Unauthorized");
    }
    let found = fake.messages().into_iter().find(|m| m.id == id);
    match found {
        Some(message) => Json(json!({"data": shape(&message)})).into_response(),
        None => error(StatusCode::NOT_FOUND, "Not found"),
    }
}
