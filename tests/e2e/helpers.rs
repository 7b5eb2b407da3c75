use fantoccini::actions::{
    InputSource, KeyAction, KeyActions, PointerAction, TouchActions, MOUSE_BUTTON_LEFT,
};
use fantoccini::elements::Element;
use fantoccini::Locator;
use serde_json::Value;
use std::future::Future;
use std::time::{Duration, Instant};
use switchboard_domain::api::{ConversationDetail, ConversationSummary, LineList};
use switchboard_domain::{ConversationId, Status};
use switchboard_server::webhook::WebhookSecret;
use switchboard_testkit::{Browser, Device, Server};

pub use fantoccini::key::Key;

/// The demo's owner, who sees every line.
pub const OWNER: (&str, &str) = switchboard_testkit::DEMO_OWNER;
/// A demo member who sees the Support line only.
pub const SUPPORT_MEMBER: (&str, &str) = ("jordan@switchboard.example", "jordan-switchboard");

pub const DESKTOP: Device = Device::Desktop {
    width: 1400,
    height: 900,
};

use switchboard_catalogue::{fill, Texts};
pub use switchboard_catalogue::{Plural, Text};
use switchboard_testkit::interface_language;

fn texts() -> &'static Texts {
    static TEXTS: std::sync::OnceLock<Texts> = std::sync::OnceLock::new();
    TEXTS.get_or_init(|| Texts::parse(interface_language().file()).expect("the catalogue parses"))
}

/// A word of the interface in the language this run tests (`SWITCHBOARD_E2E_LANGUAGE`): tests
/// find the app's controls by the names a reader of that language hears.
pub fn ui(text: Text) -> &'static str {
    texts().get(text)
}

/// [`ui`] with its placeholders filled.
pub fn ui_with(text: Text, values: &[(&str, &str)]) -> String {
    fill(ui(text), values)
}

/// A count's words (small counts: digits are the same in every language).
pub fn ui_count(plural: Plural, count: usize) -> String {
    let form = texts().plural(plural, interface_language().plural_category(count as u64));
    fill(form, &[("count", &count.to_string())])
}

/// The fixed words of a text around its placeholders ("sent something new:", "It stays open."),
/// for a test that knows the text but not every value filled in.
pub fn ui_pieces(text: Text) -> Vec<String> {
    switchboard_catalogue::words(ui(text))
        .map(str::to_owned)
        .collect()
}

/// What an unread row's accessible name says between the name and the rest: ", unread,".
pub fn unread_in_label() -> String {
    let label = ui(Text::RowLabelUnread);
    let (start, end) = (
        label.find("{name}").unwrap() + 6,
        label.find("{you}").unwrap(),
    );
    label[start..end].trim_end().to_owned()
}

/// The CSS selector of the phone lines' navigation.
pub fn lines_nav() -> String {
    format!("nav[aria-label='{}']", ui(Text::SidebarLabel))
}

pub const GRID: &str = "[role=grid][aria-label=Conversations]";
pub const ROWS: &str = "[role=grid][aria-label=Conversations] [role=row]";

/// The app in a browser, and its server.
pub struct E2e {
    pub server: Server,
    pub browser: Browser,
    http: reqwest::Client,
}

impl E2e {
    pub async fn start() -> E2e {
        Self::start_with(300).await
    }

    pub async fn start_with(demo_conversations: u32) -> E2e {
        Self::start_on(Server::start(demo_conversations), DESKTOP).await
    }

    /// A phone (390 × 844, touch) with the demo inbox.
    pub async fn start_phone() -> E2e {
        Self::start_on(Server::start(300), Device::PHONE).await
    }

    /// A browser on `device`, signed in as the demo's owner (who sees every line); the test's
    /// own HTTP client is signed in as the owner too.
    pub async fn start_on(server: Server, device: Device) -> E2e {
        let browser = Browser::start(device).await;
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let signed_in = http
            .post(format!("{}/api/v1/session", server.url))
            .json(&serde_json::json!({"email": OWNER.0, "password": OWNER.1}))
            .send()
            .await
            .expect("sign in");
        assert_eq!(signed_in.status(), 200);
        let app = E2e {
            server,
            browser,
            http,
        };
        app.sign_in(OWNER).await;
        app
    }

    /// Another teammate's browser on the same server, signed in and showing `path`.
    pub async fn teammate(&self, who: (&str, &str), path: &str) -> Browser {
        let browser = Browser::start(DESKTOP).await;
        browser.sign_in(&self.server.url, who.0, who.1).await;
        browser
            .client
            .goto(&format!("{}{path}", self.server.url))
            .await
            .expect("goto");
        eventually("the teammate's list shows", || async {
            !row_ids_in(&browser.client).await.is_empty()
        })
        .await;
        browser
    }

    /// Signs in through the sign-in page.
    pub async fn sign_in(&self, (email, password): (&str, &str)) {
        self.browser
            .sign_in(&self.server.url, email, password)
            .await;
    }
}

/// The rows' ids in a browser's list, top to bottom.
pub async fn row_ids_in(client: &fantoccini::Client) -> Vec<ConversationId> {
    let script = format!(
        "return [...document.querySelectorAll('{ROWS}')].map(r => r.dataset.conversationId)"
    );
    ids(client.execute(&script, vec![]).await.expect("row ids"))
}

/// A row's accessible name in a browser's list.
pub async fn row_label_in(client: &fantoccini::Client, id: ConversationId) -> Option<String> {
    let script = format!(
        "const r = document.querySelector('{ROWS}[data-conversation-id=\"{id}\"]'); \
         return r ? r.getAttribute('aria-label') : null"
    );
    let label = client.execute(&script, vec![]).await.expect("row label");
    label.as_str().map(str::to_owned)
}

impl E2e {
    pub async fn finish(self) {
        self.browser.close().await;
    }

    /// Loads a page of the app and waits for the list to be filled.
    pub async fn open(&self, path: &str) {
        self.browser
            .client
            .goto(&format!("{}{path}", self.server.url))
            .await
            .expect("goto");
        self.wait_for_rows().await;
    }

    pub async fn wait_for_rows(&self) {
        eventually("the list shows conversations", || async {
            !self.row_ids().await.is_empty()
        })
        .await;
    }

    pub async fn js(&self, script: &str) -> Value {
        self.browser
            .client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("{script}: {e}"))
    }

    /// The ids of the rows in the DOM, top to bottom.
    pub async fn row_ids(&self) -> Vec<ConversationId> {
        row_ids_in(&self.browser.client).await
    }

    /// The first row, from the top, of a conversation that is read.
    pub async fn first_read_row(&self) -> ConversationId {
        for id in self.row_ids().await {
            let label = self.row_label(id).await.expect("the row is in the list");
            if !label.contains(&unread_in_label()) {
                return id;
            }
        }
        panic!("no read conversation in the list")
    }

    /// The row with `aria-selected="true"`.
    pub async fn selected(&self) -> Option<ConversationId> {
        let script = format!(
            "const r = document.querySelector('{ROWS}[aria-selected=true]'); \
             return r ? r.dataset.conversationId : null"
        );
        self.js(&script).await.as_str().and_then(|s| s.parse().ok())
    }

    pub async fn row(&self, id: ConversationId) -> Element {
        self.browser
            .client
            .find(Locator::Css(&format!(
                "{ROWS}[data-conversation-id=\"{id}\"]"
            )))
            .await
            .unwrap_or_else(|e| panic!("row {id}: {e}"))
    }

    pub async fn row_label(&self, id: ConversationId) -> Option<String> {
        row_label_in(&self.browser.client, id).await
    }

    /// A trusted key press (keydown and keyup through WebDriver), to whatever has the focus.
    pub async fn press(&self, key: impl Into<char>) {
        let key = key.into();
        let actions = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.browser
            .client
            .perform_actions(actions)
            .await
            .expect("key press");
    }

    /// A finger on row `id`, `from_x` pixels right of its centre, moving by (`dx`, `dy`) in
    /// `steps` moves over `ms` milliseconds, then lifting.
    pub async fn swipe(
        &self,
        id: ConversationId,
        from_x: f64,
        (dx, dy): (f64, f64),
        steps: u32,
        ms: u64,
    ) {
        let row = self.row(id).await;
        let step = Duration::from_millis(ms / u64::from(steps));
        let mut finger = TouchActions::new("finger".to_owned())
            .then(PointerAction::MoveToElement {
                element: row,
                duration: None,
                x: from_x,
                y: 0.0,
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            });
        for _ in 0..steps {
            finger = finger.then(PointerAction::MoveBy {
                duration: Some(step),
                x: dx / f64::from(steps),
                y: dy / f64::from(steps),
            });
        }
        let finger = finger.then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
        self.browser
            .client
            .perform_actions(finger)
            .await
            .expect("touch actions");
    }

    /// Presses `j` until `id` is the selected row.
    pub async fn select(&self, id: ConversationId) {
        for _ in 0..60 {
            if self.selected().await == Some(id) {
                return;
            }
            self.press('j').await;
        }
        panic!("could not select {id}");
    }

    pub async fn wait_selected(&self, id: ConversationId) {
        eventually(&format!("row {id} is selected"), || async {
            self.selected().await == Some(id)
        })
        .await;
    }

    /// Waits until the thread beside the list is `name`'s conversation.
    pub async fn wait_thread_of(&self, name: &str) {
        eventually(&format!("the thread of {name} shows"), || async {
            let heading = self
                .js("const h = document.querySelector('.thread-header h1'); return h && h.textContent")
                .await;
            heading.as_str() == Some(name)
        })
        .await;
    }

    /// The open thread's reply box, once it shows.
    pub async fn reply_box(&self) -> Element {
        self.browser
            .client
            .wait()
            .for_element(Locator::Css("form.reply-box textarea"))
            .await
            .expect("the reply box")
    }

    pub async fn path(&self) -> String {
        self.browser
            .client
            .current_url()
            .await
            .expect("url")
            .path()
            .to_owned()
    }

    /// A view's tab, by its name in the run's language.
    pub async fn view_tab(&self, view: switchboard_domain::View) -> Element {
        let name = match view {
            switchboard_domain::View::Open => ui(Text::ViewsOpen),
            switchboard_domain::View::Unread => ui(Text::ViewsUnread),
            switchboard_domain::View::Done => ui(Text::ViewsDone),
        };
        self.tab(name).await
    }

    pub async fn tab(&self, name: &str) -> Element {
        self.browser
            .client
            .find(Locator::XPath(&format!(
                "//*[@role='tab'][normalize-space()='{name}']"
            )))
            .await
            .unwrap_or_else(|e| panic!("tab {name}: {e}"))
    }

    /// The accessible name of the "Phone lines" navigation's link for `line_name`.
    pub async fn line_link_label(&self, line_name: &str) -> String {
        let script = format!(
            "const links = [...document.querySelectorAll(\"{} a\")]; \
             const l = links.find(a => a.querySelector('.line-name').textContent === '{line_name}'); \
             return l ? l.textContent : null",
            lines_nav()
        );
        self.js(&script)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    // ----- The server's side, over its API -----

    pub async fn conversation(&self, id: ConversationId) -> ConversationDetail {
        self.get_json(&format!("/api/v1/conversations/{id}")).await
    }

    pub async fn status_on_server(&self, id: ConversationId) -> (Status, bool) {
        let c = self.conversation(id).await.conversation;
        (c.status, c.unread)
    }

    pub async fn wait_on_server(&self, id: ConversationId, expected: (Status, bool)) {
        eventually(&format!("the server has {id} as {expected:?}"), || async {
            self.status_on_server(id).await == expected
        })
        .await;
    }

    /// A customer's text on the conversation's line, delivered as Quo does: a signed webhook.
    pub async fn customer_texts(&self, conversation: &ConversationSummary, text: &str) {
        self.customer_texts_to(&self.server.url, conversation, text)
            .await;
    }

    /// The same, delivered to the server at `server` (another on the same database, say).
    pub async fn customer_texts_to(
        &self,
        server: &str,
        conversation: &ConversationSummary,
        text: &str,
    ) {
        self.text_from_to(
            server,
            conversation.line_id,
            &conversation.contact.number,
            text,
        )
        .await;
    }

    /// A text from `from` (any number, maybe one no conversation has yet) to `line`.
    pub async fn text_from(&self, line: switchboard_domain::LineId, from: &str, text: &str) {
        self.text_from_to(&self.server.url, line, from, text).await;
    }

    async fn text_from_to(
        &self,
        server: &str,
        line: switchboard_domain::LineId,
        from: &str,
        text: &str,
    ) {
        let lines = self.lines().await.lines;
        let line = lines.iter().find(|l| l.id == line).expect("the line");
        let stamp = switchboard_server::db::now_ms();
        let body = serde_json::json!({
            "id": format!("EV-e2e-{stamp}-{from}"), "type": "message.received",
            "data": { "object": {
                "from": from, "to": line.number,
                "direction": "incoming", "text": text,
            }}
        })
        .to_string();
        let secret = WebhookSecret::parse(switchboard_testkit::WEBHOOK_SECRET).unwrap();
        let response = self
            .http
            .post(format!("{server}/webhooks/quo"))
            .header("content-type", "application/json")
            .header(
                "openphone-signature",
                secret.sign_legacy(stamp, body.as_bytes()),
            )
            .body(body)
            .send()
            .await
            .expect("deliver the webhook");
        assert_eq!(response.status(), 200);
    }

    /// A page of conversations as the owner sees it over the API.
    pub async fn http_page(&self, query: &str) -> Vec<ConversationSummary> {
        let page: switchboard_domain::api::ConversationPage = self
            .get_json(&format!("/api/v1/conversations?{query}"))
            .await;
        page.conversations
    }

    pub async fn lines(&self) -> LineList {
        self.get_json("/api/v1/lines").await
    }

    /// A POST to the API as the owner, and its answer.
    pub async fn post_json(&self, path: &str, body: &Value) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.server.url))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// A GET of the API (or any path of the server) as the owner.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.server.url))
            .send()
            .await
            .expect("request")
    }

    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        self.http
            .get(format!("{}{path}", self.server.url))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json")
    }
}

fn ids(value: Value) -> Vec<ConversationId> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Waits for an element matching the CSS `selector` to be in the page.
pub async fn wait_for(client: &fantoccini::Client, selector: &str) {
    client
        .wait()
        .for_element(Locator::Css(selector))
        .await
        .unwrap_or_else(|e| panic!("{selector}: {e}"));
}

/// Waits up to ten seconds for `condition`; the app syncs asynchronously.
pub async fn eventually<F, Fut>(what: &str, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(10);
    while !condition().await {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

impl E2e {
    /// Waits until whatever an action set in motion has run its course, before checking that
    /// something (wrongly) did not happen: two frames and a task in the page (the app stores
    /// and sends a change just after the frame that shows it), then until the page's queue of
    /// changes for the server is empty. Conditions, not a fixed sleep.
    pub async fn settle(&self) {
        self.browser
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 0)));",
                vec![],
            )
            .await
            .expect("two frames");
        eventually("the page has sent every change", || async {
            self.js(
                "const queue = localStorage.getItem('switchboard.pending-changes');
                 return !queue || JSON.parse(queue).changes.length === 0",
            )
            .await
                == true
        })
        .await;
    }
}

impl E2e {
    pub async fn connection_status(&self) -> String {
        let status = self
            .js("return document.querySelector('.connection-status').textContent")
            .await;
        status.as_str().unwrap_or_default().to_owned()
    }

    /// Takes the server down and tells the browser it is offline (its `offline` event fires,
    /// `navigator.onLine` is false), or the reverse.
    pub async fn go_offline(&mut self, offline: bool) {
        match offline {
            true => self.server.kill(),
            false => self.server.restart(),
        }
        self.browser
            .cdp("Network.enable", serde_json::json!({}))
            .await;
        let conditions = serde_json::json!({
            "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1
        });
        self.browser
            .cdp("Network.emulateNetworkConditions", conditions)
            .await;
    }

    /// How many changes the page keeps in the browser's storage, waiting to be sent.
    pub async fn stored_changes(&self) -> u64 {
        self.js("const q = localStorage.getItem('switchboard.pending-changes'); return q ? JSON.parse(q).changes.length : 0")
            .await
            .as_u64()
            .unwrap()
    }
}
