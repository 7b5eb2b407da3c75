//! A local HTTP server that implements Quo's send endpoint as its documentation says
//! (`shared/reference/quo-webhooks.md`): it checks the key and the body, answers 202 with the
//! message, and can be told to answer 429 (with `Retry-After`), 500 or 400, or to take its time,
//! for the next requests. Like Quo's documentation, it promises nothing for an
//! `Idempotency-Key`: every send it takes is a message. It lists what it has sent
//! (`GET /v1/messages?phoneNumberId&participants&createdAfter&maxResults`) and its numbers
//! (`GET /v1/phone-numbers`: every number it was asked to send from, as `PN` and its digits), as Quo's
//! public API does, and can hold sends to a rate (`FakeQuo::limit_rate`: 429 beyond it).

use axum::extract::{Path, Query, State};
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
    /// Waits this long before taking the message (none is taken if the client goes first).
    SlowToTake(Duration),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: String,
    pub key: Option<String>,
    pub from: String,
    pub to: String,
    pub content: String,
    /// When it was taken, milliseconds since the Unix epoch.
    pub created_at: i64,
}

#[derive(Default)]
struct Inner {
    plan: VecDeque<Answer>,
    messages: Vec<Message>,
    requests: usize,
    lookups: usize,
    /// The workspace's numbers, as far as the fake knows: those it was asked to send from.
    numbers: Vec<String>,
    /// At most this many sends a second (429 with `Retry-After: 1` beyond).
    rate: Option<u32>,
    this_second: (i64, u32),
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
            .route("/v1/messages", post(send).get(list))
            .route("/v1/phone-numbers", get(phone_numbers))
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

    /// Sends asked for (`POST /v1/messages`), taken or not.
    pub fn requests(&self) -> usize {
        self.inner.lock().unwrap().requests
    }

    /// Looks at what it has sent (`GET /v1/messages`).
    pub fn lookups(&self) -> usize {
        self.inner.lock().unwrap().lookups
    }

    /// From now on, at most `per_second` sends are taken in each second of the clock.
    pub fn limit_rate(&self, per_second: u32) {
        self.inner.lock().unwrap().rate = Some(per_second);
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn authorised(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(KEY)
}

/// The number's id at Quo: `PN` and its digits.
fn phone_number_id(number: &str) -> String {
    format!("PN{}", number.trim_start_matches('+'))
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
    if !authorised(&headers) {
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
    let over_rate = {
        let mut inner = fake.inner.lock().unwrap();
        if from.starts_with('+') && !inner.numbers.contains(&from) {
            inner.numbers.push(from.clone());
        }
        let second = now_ms() / 1000;
        if inner.this_second.0 != second {
            inner.this_second = (second, 0);
        }
        inner.this_second.1 += 1;
        inner.rate.is_some_and(|rate| inner.this_second.1 > rate)
    };
    if over_rate {
        let mut response = error(StatusCode::TOO_MANY_REQUESTS, "Rate limit exceeded");
        response.headers_mut().insert("retry-after", 1.into());
        return response;
    }
    if let Some(Answer::SlowToTake(wait)) = planned {
        tokio::time::sleep(wait).await;
    }
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let message = {
        let mut inner = fake.inner.lock().unwrap();
        let message = Message {
            id: format!("AC{:06}", inner.messages.len() + 1),
            key,
            from,
            to: to[0].to_owned(),
            content,
            created_at: now_ms(),
        };
        inner.messages.push(message.clone());
        message
    };
    if let Some(Answer::Slow(wait)) = planned {
        tokio::time::sleep(wait).await;
    }
    (StatusCode::ACCEPTED, Json(json!({"data": shape(&message)}))).into_response()
}

fn shape(message: &Message) -> Value {
    let at = rfc3339(message.created_at);
    let phone_number_id = if message.from.starts_with("PN") {
        message.from.clone()
    } else {
        phone_number_id(&message.from)
    };
    json!({
        "id": message.id, "to": [message.to], "from": message.from, "text": message.content,
        "phoneNumberId": phone_number_id, "direction": "outgoing", "userId": "US123abc",
        "status": "queued", "createdAt": at, "updatedAt": at
    })
}

/// `2026-12-01T12:00:00.000Z`.
fn rfc3339(ms: i64) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.millisecond()
    )
}

fn parse_rfc3339(value: &str) -> Option<i64> {
    let at =
        time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc3339).ok()?;
    Some((at.unix_timestamp_nanos() / 1_000_000) as i64)
}

async fn read(State(fake): State<FakeQuo>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if !authorised(&headers) {
        return error(StatusCode::UNAUTHORIZED, "Unauthorized");
    }
    let found = fake.messages().into_iter().find(|m| m.id == id);
    match found {
        Some(message) => Json(json!({"data": shape(&message)})).into_response(),
        None => error(StatusCode::NOT_FOUND, "Not found"),
    }
}

/// `GET /v1/messages`: `phoneNumberId`, `participants` and `maxResults` (1 to 100) required,
/// `createdAfter` optional; newest first.
async fn list(
    State(fake): State<FakeQuo>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    if !authorised(&headers) {
        return error(StatusCode::UNAUTHORIZED, "Unauthorized");
    }
    fake.inner.lock().unwrap().lookups += 1;
    let value = |name: &str| {
        query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let participants: Vec<&String> = query
        .iter()
        .filter(|(n, _)| n == "participants" || n == "participants[]")
        .map(|(_, v)| v)
        .collect();
    let (Some(phone_number), Some(max)) = (value("phoneNumberId"), value("maxResults")) else {
        return error(
            StatusCode::BAD_REQUEST,
            "phoneNumberId and maxResults are required",
        );
    };
    let Some(max) = max.parse::<usize>().ok().filter(|m| (1..=100).contains(m)) else {
        return error(StatusCode::BAD_REQUEST, "maxResults must be 1 to 100");
    };
    if participants.is_empty() {
        return error(StatusCode::BAD_REQUEST, "participants is required");
    }
    let after = match value("createdAfter") {
        None => i64::MIN,
        Some(at) => match parse_rfc3339(&at) {
            Some(at) => at,
            None => return error(StatusCode::BAD_REQUEST, "createdAfter must be a date-time"),
        },
    };
    let found: Vec<Value> = fake
        .messages()
        .iter()
        .rev()
        .filter(|m| {
            (m.from == phone_number || phone_number_id(&m.from) == phone_number)
                && participants.contains(&&m.to)
                && m.created_at > after
        })
        .take(max)
        .map(shape)
        .collect();
    Json(json!({"data": found, "totalItems": found.len(), "nextPageToken": null})).into_response()
}

/// `GET /v1/phone-numbers`: the numbers it was asked to send from.
async fn phone_numbers(State(fake): State<FakeQuo>, headers: HeaderMap) -> Response {
    if !authorised(&headers) {
        return error(StatusCode::UNAUTHORIZED, "Unauthorized");
    }
    let numbers = fake.inner.lock().unwrap().numbers.clone();
    let data: Vec<Value> = numbers
        .iter()
        .map(|number| json!({"id": phone_number_id(number), "number": number, "name": "Line"}))
        .collect();
    Json(json!({"data": data})).into_response()
}
