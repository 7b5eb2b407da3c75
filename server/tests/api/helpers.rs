use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::time::Duration;
use switchboard_domain::api::{
    ActivityContent, ConversationDetail, ConversationPage, ConversationSummary, Direction,
    ErrorCode, ErrorResponse, LineList,
};
use switchboard_domain::team::{MemberList, MemberRef};
use switchboard_domain::{ActivityId, ConversationId, LineId};
use switchboard_server::auth::AuthSettings;
use switchboard_server::client_address::TrustedProxies;
use switchboard_server::clock::{Clock, ManualClock};
use switchboard_server::db::changes::{record_incoming, Incoming, NewActivity};
use switchboard_server::db::{now_ms, Db, Location};
use switchboard_server::outbox::Carrier;
use switchboard_server::quo_api::{ApiKey, QuoApi};

/// Quo's API as the local stand-in serves it.
pub fn fake_quo_carrier(url: &str) -> Carrier {
    let key = ApiKey::new(switchboard_testkit::fake_quo::KEY.to_owned());
    Carrier::Quo(QuoApi::new(url, key))
}
use switchboard_server::webhook::WebhookSecret;
use switchboard_server::{demo, http, AppState};
use tempfile::TempDir;

/// The demo's owner, who sees every line.
pub const OWNER: (&str, &str) = ("sam@switchboard.example", "sam-switchboard");
/// A demo member who sees Support (line 2) only.
pub const SUPPORT_MEMBER: (&str, &str) = ("jordan@switchboard.example", "jordan-switchboard");

/// The test server's `index.html`, in English as built.
pub const TEST_PAGE: &str = r#"<!doctype html><html lang="en"><title>Switchboard</title></html>"#;
/// The test server's built manifest (the words are the server's to fill in).
pub const TEST_MANIFEST: &str = r#"{"name": "Switchboard", "short_name": "Switchboard",
    "description": "The team inbox", "start_url": "/all/open", "display": "standalone"}"#;

/// The test server's wasm chunks' loader (as scripts/build-web writes it), and the chunks'
/// files: the sign-in page's and the thread's, with one shared between them.
pub const TEST_LOADER: &str = r#"import { initSync } from "./switchboard-web-t.js";
/* sign_in, thread */
const __chunk_1 = makeLoad(() => {
    const src = fetch(new URL("./chunk_1-t.wasm", import.meta.url));
}
, []);
export const __wasm_split_load_sign_in = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_sign_in-t.wasm", import.meta.url));
}
, [__chunk_1]));
export const __wasm_split_load_thread = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_thread-t.wasm", import.meta.url));
}
, [__chunk_1]));"#;
pub const TEST_CHUNKS: [&str; 3] = [
    "chunk_1-t.wasm",
    "split_sign_in-t.wasm",
    "split_thread-t.wasm",
];

/// The signing secret the test server takes webhooks with.
pub const WEBHOOK_SECRET: &str = "c3dpdGNoYm9hcmQgdGVzdCBzaWduaW5nIHNlY3JldA==";

/// A server on a free port with its own database file, filled with the demo data and team, and
/// a client signed in as the demo's owner.
pub struct TestApp {
    pub address: String,
    pub db: Db,
    pub client: Client,
    /// The server's clock: the system's, or a manual one that the test moves (see
    /// [`Setup::manual_clock`]).
    pub clock: Clock,
    /// Its database, as `--database` takes it.
    pub database: String,
    _dir: TempDir,
}

/// Which database a test server opens.
#[derive(Debug, Clone, Default)]
pub enum Database {
    /// A new one on the engine under test: PostgreSQL when `SWITCHBOARD_TEST_POSTGRES` names a
    /// cluster, else SQLite.
    #[default]
    Fresh,
    /// A new SQLite file, whatever the engine under test.
    FreshSqlite,
    /// One that exists (its data is kept: the demo fills only an empty one).
    At(String),
}

/// How a test server is set up: [`spawn`] takes it, `spawn_app*` fill it in.
pub struct Setup {
    pub demo_conversations: u32,
    pub idle_timeout: Duration,
    pub lifetime: Duration,
    pub clock: Clock,
    /// Reverse proxies believed (tests on loopback name 127.0.0.1 to play many addresses).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// `--public-url`.
    pub public_origin: Option<String>,
    /// Who carries replies: Quo's API (the fake's, with its key) or the demo's carrier; none
    /// leaves them Not sent.
    pub carrier: Option<Carrier>,
    pub database: Database,
}

impl Default for Setup {
    fn default() -> Setup {
        Setup {
            demo_conversations: 300,
            idle_timeout: Duration::from_secs(3600),
            lifetime: Duration::from_secs(86_400),
            clock: Clock::System,
            trusted_proxies: Vec::new(),
            public_origin: None,
            carrier: None,
            database: Database::Fresh,
        }
    }
}

impl Setup {
    /// With a manual clock that shows the wall clock's time at start and then moves only when
    /// the test moves it ([`TestApp::advance_clock`], [`TestApp::set_clock`]).
    pub fn manual_clock(self) -> Setup {
        Setup {
            clock: ManualClock::starting_at(now_ms()).into(),
            ..self
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(300).await
}

pub async fn spawn_app_with(demo_conversations: u32) -> TestApp {
    spawn(Setup {
        demo_conversations,
        ..Setup::default()
    })
    .await
}

pub async fn spawn(setup: Setup) -> TestApp {
    let Setup {
        demo_conversations,
        idle_timeout,
        lifetime,
        clock,
        trusted_proxies,
        public_origin,
        carrier,
        database,
    } = setup;
    let dir = tempfile::tempdir().expect("temp dir");
    let database = match database {
        Database::Fresh => switchboard_testkit::fresh_database(dir.path()).await,
        Database::FreshSqlite => dir.path().join("test.db").display().to_string(),
        Database::At(database) => database,
    };
    let db = Db::open(Location::parse(&database))
        .await
        .expect("database");
    demo::seed_if_empty(&db, demo_conversations, clock.now_ms())
        .await
        .expect("demo data");
    demo::ensure_team(&db).await.expect("demo team");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let address = format!("http://{}", listener.local_addr().unwrap());
    let secret = WebhookSecret::parse(WEBHOOK_SECRET).unwrap();
    let auth = AuthSettings {
        idle_timeout,
        lifetime,
        secure_cookies: false,
        public_origin,
        trusted_proxies: TrustedProxies::new(trusted_proxies),
    };
    let mut state = AppState::new(db.clone(), auth, Some(secret.clone()), clock.clone());
    if let Some(carrier) = carrier {
        state.replies.sending = match &carrier {
            Carrier::Quo(_) => switchboard_domain::api::ReplySending::Quo,
            Carrier::Demo => switchboard_domain::api::ReplySending::Demo,
        };
        tokio::spawn(switchboard_server::outbox::run(
            db.clone(),
            carrier,
            clock.clone(),
            state.replies.queued.clone(),
        ));
    }
    // A page and a manifest of its own, so that what the server adds to the web app's pages
    // (headers, their language) can be checked.
    let web_root = dir.path().join("web");
    std::fs::create_dir(&web_root).expect("web root");
    std::fs::write(web_root.join("index.html"), TEST_PAGE).expect("index.html");
    std::fs::write(web_root.join("manifest.webmanifest"), TEST_MANIFEST).expect("manifest");
    std::fs::write(web_root.join("__wasm_split-t.js"), TEST_LOADER).expect("the chunks' loader");
    for chunk in TEST_CHUNKS {
        std::fs::write(web_root.join(chunk), b"\0asm").expect("a chunk");
    }
    let app = http::app(state, &web_root);
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .expect("server")
    });
    let app = TestApp {
        address,
        db,
        client: Client::new(),
        clock,
        database,
        _dir: dir,
    };
    let client = app.signed_in(OWNER).await;
    TestApp { client, ..app }
}

impl TestApp {
    /// Now, by the server's clock.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The server's manual clock; the app must have been spawned with one.
    pub fn manual_clock(&self) -> &ManualClock {
        match &self.clock {
            Clock::Manual(clock) => clock,
            Clock::System => {
                panic!("this app runs on the system clock: spawn it with a manual one")
            }
        }
    }

    /// Moves the server's manual clock forward.
    pub fn advance_clock(&self, by: Duration) {
        self.manual_clock().advance(by);
    }

    /// Sets the server's manual clock to `ms` (since the Unix epoch), forward or back.
    pub fn set_clock(&self, ms: i64) {
        self.manual_clock().set(ms);
    }

    /// A new client (its own cookies), signed in as `(email, password)`.
    pub async fn signed_in(&self, (email, password): (&str, &str)) -> Client {
        let client = Client::builder().cookie_store(true).build().unwrap();
        let response = client
            .post(self.url("/api/v1/session"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .expect("sign in");
        assert_eq!(response.status(), StatusCode::OK, "sign in as {email}");
        client
    }

    /// A client with no session.
    pub fn anonymous(&self) -> Client {
        Client::builder().cookie_store(true).build().unwrap()
    }

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

    /// A customer's text arriving on the conversation's line, as a webhook records it (now, by
    /// the server's clock).
    pub async fn customer_texts(
        &self,
        conversation: &ConversationSummary,
        text: &str,
    ) -> ActivityId {
        let incoming = Incoming {
            line: conversation.line_id,
            customer: conversation.contact.number.clone(),
            activity: NewActivity {
                direction: Direction::Inbound,
                content: ActivityContent::Message {
                    text: text.to_owned(),
                },
                at: self.now_ms(),
            },
            delivery_id: None,
        };
        let (_, id) = record_incoming(&self.db, &incoming)
            .await
            .expect("inbound message")
            .expect("stored");
        id
    }

    /// The newest conversation of the view that is not pinned.
    pub async fn newest_unpinned(&self, view: &str) -> ConversationSummary {
        let page = self.page(&format!("view={view}&limit=50")).await;
        page.conversations
            .into_iter()
            .find(|c| !c.pinned)
            .expect("an unpinned conversation")
    }

    /// A conversation of the view, the first on its first page.
    pub async fn first_of(&self, view: &str) -> ConversationSummary {
        self.first_on(view, None).await
    }

    /// The first conversation of a view, on one line or on all of them.
    pub async fn first_on(&self, view: &str, line: Option<i64>) -> ConversationSummary {
        let line = line.map(|line| format!("&line={line}")).unwrap_or_default();
        self.page(&format!("view={view}{line}&limit=1"))
            .await
            .conversations
            .remove(0)
    }

    /// The demo teammate with this name.
    pub async fn member_named(&self, name: &str) -> MemberRef {
        let members: MemberList = ok_json(self.get("/api/v1/members").await).await;
        members
            .members
            .into_iter()
            .find(|m| m.name == name)
            .unwrap_or_else(|| panic!("no teammate named {name}"))
    }
}

/// The `Link` header's addresses, in order.
pub fn announced(response: &Response) -> Vec<String> {
    let Some(links) = response.headers().get("link") else {
        return Vec::new();
    };
    links
        .to_str()
        .unwrap()
        .split(", ")
        .map(|link| {
            assert!(
                link.ends_with(">; rel=preload; as=fetch; crossorigin"),
                "{link}"
            );
            link[1..link.find('>').unwrap()].to_owned()
        })
        .collect()
}

/// The `Set-Cookie` of the session (the device cookie may come beside it).
pub fn session_set_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().unwrap().to_owned())
        .find(|cookie| cookie.starts_with("switchboard_session="))
        .expect("a session cookie")
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
