//! One browser, several teammates: signing out waits for the server, and leaves nothing of the
//! teammate (cached answers, unsent changes) for whoever signs in next; sign-in goes on only to
//! a place in the app.

use crate::helpers::{eventually, row_ids_in, E2e, DESKTOP, OWNER, SUPPORT_MEMBER};
use crate::helpers::{ui, ui_with, Text};
use fantoccini::Locator;
use serde_json::Value;
use std::collections::HashSet;
use switchboard_domain::{ConversationId, MemberId, StateChange};
use switchboard_server::db::changes::history;
use switchboard_server::db::Db;
use switchboard_testkit::{Browser, Server};
use switchboard_web::sync_queue::{PendingChange, SyncQueue};

/// Every entry of the app's own caches (the worker's data caches and its record of who is
/// signed in): `(cache, url, body)`.
const CACHED_ENTRIES: &str = "return (async () => {
    const found = [];
    for (const name of await caches.keys()) {
        if (!name.startsWith('switchboard-data') && name !== 'switchboard-member') continue;
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
            const response = await cache.match(request);
            found.push([name, request.url, await response.text()]);
        }
    }
    return found;
})()";

impl E2e {
    async fn cached_entries(&self) -> Vec<(String, String, String)> {
        serde_json::from_value(self.js(CACHED_ENTRIES).await).expect("cache entries")
    }

    /// Who the server says is signed in on this browser, asked from the page.
    async fn signed_in_here(&self) -> Value {
        self.js("return fetch('/api/v1/session').then(r => r.json()).then(s => s.member)")
            .await
    }

    async fn stored(&self, key: &str) -> Option<String> {
        let value = self
            .js(&format!("return localStorage.getItem('{key}')"))
            .await;
        value.as_str().map(str::to_owned)
    }

    async fn click_button(&self, name: &str) {
        self.browser
            .client
            .find(Locator::XPath(&format!(
                "//button[normalize-space()='{name}']"
            )))
            .await
            .unwrap_or_else(|e| panic!("the button {name}: {e}"))
            .click()
            .await
            .expect("click");
    }

    async fn signed_in_as(&self) -> String {
        let text = self
            .js(&format!(
                "const p = document.querySelector(\"[aria-label='{}'] .signed-in\"); return p && p.textContent",
                ui(Text::AccountLabel)
            ))
            .await;
        text.as_str().unwrap_or_default().to_owned()
    }

    /// Loads the page again once the service worker controls it, so that its answers pass
    /// through the worker (and are cached).
    async fn reload_under_the_worker(&self) {
        self.js("return navigator.serviceWorker.ready.then(() => true)")
            .await;
        self.browser.client.refresh().await.unwrap();
        self.wait_for_rows().await;
        eventually("the worker controls the page", || async {
            self.js("return !!navigator.serviceWorker.controller").await == true
        })
        .await;
    }

    async fn changes_on_server(&self, id: ConversationId) -> Vec<String> {
        let db = Db::open(switchboard_server::db::Location::parse(
            &self.server.database,
        ))
        .await
        .unwrap();
        history(&db, id)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.change)
            .collect()
    }
}

/// Line ids anywhere in an answer (conversations and their threads).
fn line_ids(value: &Value, found: &mut Vec<i64>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value.as_i64()) {
                    ("line_id", Some(line)) => found.push(line),
                    _ => line_ids(value, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| line_ids(item, found)),
        _ => {}
    }
}

#[tokio::test]
async fn signing_out_offline_waits_for_the_server_and_the_next_teammate_finds_nothing_of_it() {
    let mut app = E2e::start().await;
    // Sam, the owner, on the Sales line (Jordan, of Support, may not see it).
    app.open("/1/open").await;
    app.reload_under_the_worker().await;
    let sam = MemberId(app.signed_in_here().await["id"].as_i64().unwrap());
    let sams_cache = format!("switchboard-data-{sam}");
    eventually("Sam's answers are cached, under Sam's name", || async {
        app.cached_entries()
            .await
            .iter()
            .any(|(cache, url, _)| *cache == sams_cache && url.contains("/api/v1/conversations"))
    })
    .await;
    let target = app.row_ids().await[0];
    app.wait_selected(target).await;
    let before = app.status_on_server(target).await;

    app.go_offline(true).await;
    app.press('e').await;
    eventually("the change waits, stored", || async {
        app.stored_changes().await == 1
    })
    .await;
    app.click_button(ui(Text::AccountSignOut)).await;
    eventually(
        "Sam is told the sign-out waits for the connection",
        || async {
            app.connection_status()
                .await
                .contains(ui(Text::ConnectionSigningOut))
        },
    )
    .await;
    assert_eq!(app.path().await, "/1/open", "still in the inbox");
    assert_eq!(
        app.signed_in_as().await,
        ui_with(Text::AccountSignedInAs, &[("name", "Sam Rivera")])
    );

    // A reload keeps both: Sam signed in here, and the sign-out waiting.
    app.browser.client.refresh().await.unwrap();
    app.wait_for_rows().await;
    eventually("the sign-out still waits after a reload", || async {
        app.connection_status()
            .await
            .contains(ui(Text::ConnectionSigningOut))
    })
    .await;
    assert_eq!(
        app.signed_in_as().await,
        ui_with(Text::AccountSignedInAs, &[("name", "Sam Rivera")])
    );
    assert_eq!(app.stored_changes().await, 1);

    // Back online: the sign-out goes first, and Sam's waiting change never goes at all.
    app.go_offline(false).await;
    eventually("signed out once the server answers", || async {
        app.path().await == "/sign-in"
    })
    .await;
    assert_eq!(app.signed_in_here().await, Value::Null, "the session ended");
    assert_eq!(app.stored("switchboard.pending-changes").await, None);
    assert_eq!(app.stored("switchboard.signing-out").await, None);
    assert_eq!(app.cached_entries().await, Vec::new(), "no cached answers");
    assert_eq!(app.changes_on_server(target).await, Vec::<String>::new());
    assert_eq!(app.status_on_server(target).await, before);

    // Jordan signs in on the same browser: Jordan's Support line, and nothing of Sam's.
    app.sign_in(SUPPORT_MEMBER).await;
    app.wait_for_rows().await;
    let support: HashSet<ConversationId> = app
        .http_page("view=open&line=2&limit=200")
        .await
        .iter()
        .map(|c| c.id)
        .collect();
    let shown = app.row_ids().await;
    assert!(shown.iter().all(|id| support.contains(id)), "{shown:?}");
    assert_eq!(
        app.signed_in_as().await,
        ui_with(Text::AccountSignedInAs, &[("name", "Jordan Lee")])
    );
    app.settle().await;
    assert_eq!(app.stored("switchboard.pending-changes").await, None);

    // Under the worker again (signing out unregistered it), Jordan's answers are cached:
    // Jordan's alone, and offline Jordan sees those.
    app.reload_under_the_worker().await;
    let jordan = app.signed_in_here().await["id"].as_i64().unwrap();
    let jordans_cache = format!("switchboard-data-{jordan}");
    eventually("Jordan's answers are cached", || async {
        app.cached_entries()
            .await
            .iter()
            .any(|(cache, url, _)| *cache == jordans_cache && url.contains("/api/v1/conversations"))
    })
    .await;
    for (cache, url, body) in app.cached_entries().await {
        assert!(
            cache == jordans_cache || cache == "switchboard-member",
            "{cache}"
        );
        if cache == "switchboard-member" {
            assert_eq!(body, jordan.to_string());
            continue;
        }
        let body: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        assert!(!body.to_string().contains(OWNER.0), "{url} names Sam");
        let mut lines = Vec::new();
        line_ids(&body, &mut lines);
        assert!(
            lines.iter().all(|line| *line == 2),
            "{url}: lines {lines:?}"
        );
    }
    app.go_offline(true).await;
    app.browser.client.refresh().await.unwrap();
    app.wait_for_rows().await;
    let offline = app.row_ids().await;
    assert!(offline.iter().all(|id| support.contains(id)), "{offline:?}");
    assert!(!offline.contains(&target));
    assert_eq!(
        app.signed_in_as().await,
        ui_with(Text::AccountSignedInAs, &[("name", "Jordan Lee")])
    );

    app.go_offline(false).await;
    assert_eq!(app.changes_on_server(target).await, Vec::<String>::new());
    assert_eq!(app.status_on_server(target).await, before);
    app.finish().await;
}

#[tokio::test]
async fn a_queue_another_teammate_left_is_dropped_and_never_sent() {
    let mut app = E2e::start_with(50).await;
    app.open("/all/open").await;
    let sam = MemberId(app.signed_in_here().await["id"].as_i64().unwrap());
    app.click_button(ui(Text::AccountSignOut)).await;
    eventually("signed out", || async { app.path().await == "/sign-in" }).await;
    app.js("return navigator.serviceWorker.ready.then(() => true)")
        .await;

    // The app starts while the server cannot be reached: it cannot tell that nobody is signed
    // in, and keeps what it finds stored, here Sam's unsent change to a conversation that
    // Jordan may change too.
    let support = app.http_page("view=open&line=2&limit=1").await.remove(0);
    app.server.kill();
    app.browser.client.refresh().await.unwrap();
    let mut queue = SyncQueue::for_member(sam);
    queue.push(PendingChange {
        change_id: "0b7d6a3e-left-by-sam".to_owned(),
        conversation: support.id,
        change: StateChange::Done,
        seen: Some(support.latest_activity.id),
        before: support.state(),
        name: support.contact.display_name(),
        explicit: true,
    });
    let plant = format!(
        "localStorage.setItem('switchboard.pending-changes', {}); return true",
        serde_json::to_string(&queue.to_json()).unwrap()
    );
    app.js(&plant).await;
    app.server.restart();

    // Jordan signs in on that page.
    let client = &app.browser.client;
    for (selector, keys) in [
        ("input[type=email]", SUPPORT_MEMBER.0),
        ("input[type=password]", SUPPORT_MEMBER.1),
    ] {
        let field = client.wait().for_element(Locator::Css(selector)).await;
        field.unwrap().send_keys(keys).await.unwrap();
    }
    app.click_button(ui(Text::SignInSubmit)).await;
    app.wait_for_rows().await;
    assert!(row_ids_in(client).await.contains(&support.id));
    eventually("Sam's queue is gone", || async {
        app.stored("switchboard.pending-changes").await.is_none()
    })
    .await;
    app.settle().await;
    assert_eq!(
        app.changes_on_server(support.id).await,
        Vec::<String>::new()
    );
    assert_eq!(
        app.status_on_server(support.id).await,
        (support.status, support.unread)
    );
    app.finish().await;
}

#[tokio::test]
async fn after_sign_in_the_app_goes_on_only_to_a_place_of_its_own() {
    let server = Server::start(20);
    let browser = Browser::start(DESKTOP).await;
    browser.sign_in(&server.url, OWNER.0, OWNER.1).await;
    let client = &browser.client;
    let at = |place: &str| {
        let expected = format!("{}{place}", server.url);
        async move { client.current_url().await.unwrap().as_str() == expected }
    };
    // Someone signed in who opens the sign-in page goes straight on to its `next`; these a
    // browser would read as another site, and lead to the inbox instead.
    for next in [
        "%2F%5Cevil.example%2F",
        "%2F%2Fevil.example",
        "https%3A%2F%2Fevil.example%2F",
    ] {
        client
            .goto(&format!("{}/sign-in?next={next}", server.url))
            .await
            .unwrap();
        eventually(&format!("{next} leads to the inbox"), || at("/all/open")).await;
    }
    client
        .goto(&format!(
            "{}/sign-in?next=%2F2%2Fdone%3Fassignee%3Dme",
            server.url
        ))
        .await
        .unwrap();
    eventually("a place in the app is where it goes on to", || {
        at("/2/done?assignee=me")
    })
    .await;
    browser.close().await;
}
