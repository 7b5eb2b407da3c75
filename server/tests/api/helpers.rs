use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use switchboard_domain::api::{
    ActivityContent, ConversationDetail, ConversationPage, ConversationSummary, Direction,
    ErrorCode, ErrorResponse, LineList,
};
use switchboard_domain::{ActivityId, ConversationId, LineId};
use switchboard_server::db::conversations::{record_inbound, NewActivity};
use switchboard_server::db::{now_ms, Db};
use switchboard_server::{demo, http, AppState};
use tempfile::TempDir;

/// A server on a free port with its own database file, filled with the demo data.
pub struct TestApp {
    pub address: String,
    pub db: Db,
    pub client: Client,
    _dir: TempDir,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(300).await
}

pub async fn spawn_app_with(demo_conversations: u32) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Db::open(&dir.path().join("test.db"))
        .await
        .expect("database");
    demo::seed_if_empty(&db, demo_conversations, now_ms())
        .await
        .expect("demo data");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let address = format!("http://{}", listener.local_addr().unwrap());
    let app = http::app(AppState { db: db.clone() }, &dir.path().join("no-web-app"));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("server") });
    TestApp {
        address,
        db,
        client: Client::new(),
        _dir: dir,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> Response {
        self.client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn lines(&self) -> LineList {
        ok_json(self.get("/api/v1/lines").await).await
    }

    pub async fn unread_count(&self, line: LineId) -> u32 {
        let lines = self.lines().await.lines;
        lines
            .iter()
            .find(|l| l.id == line)
            .expect("line")
            .unread_count
    }

    pub async fn page(&self, query: &str) -> ConversationPage {
        ok_json(self.get(&format!("/api/v1/conversations?{query}")).await).await
    }

    /// Every conversation of a view, following the cursors.
    pub async fn all_of_view(&self, query: &str) -> Vec<ConversationSummary> {
        let mut all = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page_query = match &cursor {
                Some(cursor) => format!("{query}&limit=37&cursor={cursor}"),
                None => format!("{query}&limit=37"),
            };
            let page = self.page(&page_query).await;
            all.extend(page.conversations);
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => return all,
            }
        }
    }

    pub async fn conversation(&self, id: ConversationId) -> ConversationDetail {
        ok_json(self.get(&format!("/api/v1/conversations/{id}")).await).await
    }

    pub async fn change(
        &self,
        id: ConversationId,
        change: &str,
        seen: Option<ActivityId>,
    ) -> Response {
        self.post_json(
            &format!("/api/v1/conversations/{id}/state"),
            &json!({"change": change, "seen_activity_id": seen}),
        )
        .await
    }

    /// A customer's text arriving on the conversation's line, as the webhook will record it.
    pub async fn customer_texts(
        &self,
        conversation: &ConversationSummary,
        text: &str,
    ) -> ActivityId {
        let message = NewActivity {
            direction: Direction::Inbound,
            content: ActivityContent::Message {
                text: text.to_owned(),
            },
            at: now_ms(),
        };
        let (_, id) = record_inbound(
            &self.db,
            conversation.line_id,
            &conversation.contact.number,
            &message,
        )
        .await
        .expect("inbound message");
        id
    }

    /// A conversation of the view, the first on its first page.
    pub async fn first_of(&self, view: &str) -> ConversationSummary {
        self.page(&format!("view={view}&limit=1"))
            .await
            .conversations
            .remove(0)
    }
}

pub async fn ok_json<T: serde::de::DeserializeOwned>(response: Response) -> T {
    let status = response.status();
    let text = response.text().await.expect("body");
    assert!(
        status.is_success(),
        "expected success, got {status}: {text}"
    );
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Asserts an error response's status and code, and returns its body.
pub async fn assert_error(
    response: Response,
    status: StatusCode,
    code: ErrorCode,
) -> ErrorResponse {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()["content-type"],
        "application/json",
        "errors are JSON"
    );
    let body: ErrorResponse = response.json().await.expect("error body");
    assert_eq!(body.error.code, code, "{}", body.error.message);
    assert!(!body.error.message.is_empty());
    body
}
