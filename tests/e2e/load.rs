//! What a signed-out visitor's first load does: no request that fails (a failed request is an
//! error in the browser's console) and nothing that moves once painted (layout shift).

use crate::helpers::{eventually, wait_for, DESKTOP};
use switchboard_testkit::{Browser, Device, Server};

/// Requests of the page that the server answered with an error, as "status url".
async fn failed_requests(client: &fantoccini::Client) -> Vec<String> {
    let failed = client
        .execute(
            "return performance.getEntriesByType('resource')
                .filter(e => e.responseStatus >= 400)
                .map(e => e.responseStatus + ' ' + e.name)",
            vec![],
        )
        .await
        .expect("resource timings");
    serde_json::from_value(failed).unwrap_or_default()
}

/// The layout shifts since the page started: the sum Lighthouse calls CLS, and what moved (each
/// element as `tag.class "text"` with its box before and after), so that a failure says where.
async fn layout_shift(client: &fantoccini::Client) -> (f64, Vec<String>) {
    let script = "const done = arguments[arguments.length - 1];
        let total = 0;
        const moved = [];
        const describe = node => {
            if (!node || !node.tagName) return String(node && node.nodeName);
            const classes = node.className && typeof node.className === 'string'
                ? '.' + node.className.trim().split(/\\s+/).join('.') : '';
            const text = (node.textContent || '').trim().slice(0, 40);
            return node.tagName.toLowerCase() + classes + ' \"' + text + '\"';
        };
        const box = r => `${Math.round(r.x)},${Math.round(r.y)} ${Math.round(r.width)}x${Math.round(r.height)}`;
        const take = entries => {
            for (const e of entries) {
                total += e.value;
                for (const s of e.sources || [])
                    moved.push(`${describe(s.node)} ${box(s.previousRect)} -> ${box(s.currentRect)} (${e.value.toFixed(4)} at ${Math.round(e.startTime)} ms)`);
            }
        };
        const observer = new PerformanceObserver(list => take(list.getEntries()));
        observer.observe({ type: 'layout-shift', buffered: true });
        setTimeout(() => {
            take(observer.takeRecords());
            observer.disconnect();
            done({ total, moved });
        }, 200);";
    let found = client
        .execute_async(script, vec![])
        .await
        .expect("layout shifts");
    let total = found["total"].as_f64().expect("a number");
    let moved = serde_json::from_value(found["moved"].clone()).expect("a list");
    (total, moved)
}

async fn first_load_is_quiet_and_still(device: Device, path: &str) {
    let server = Server::start(20);
    let browser = Browser::start(device).await;
    let client = &browser.client;
    client
        .goto(&format!("{}{path}", server.url))
        .await
        .expect("the page");
    wait_for(client, "form.sign-in-card input[type=email]").await;
    // The app has asked who is signed in (and its service worker is registered) by now.
    eventually("the app asked for the session", || async {
        client
            .execute(
                "return performance.getEntriesByType('resource')
                    .some(e => e.name.endsWith('/api/v1/session'))",
                vec![],
            )
            .await
            .expect("resource timings")
            == true
    })
    .await;
    assert_eq!(
        failed_requests(client).await,
        Vec::<String>::new(),
        "{path}: failed requests while signed out"
    );
    let (shift, moved) = layout_shift(client).await;
    assert!(
        shift == 0.0,
        "{path}: the page moved after it painted (CLS {shift}): {moved:#?}"
    );
    browser.close().await;
}

#[tokio::test]
async fn the_sign_in_page_loads_without_failed_requests_or_layout_shift() {
    first_load_is_quiet_and_still(DESKTOP, "/sign-in").await;
    first_load_is_quiet_and_still(Device::PHONE, "/sign-in").await;
}

#[tokio::test]
async fn a_signed_out_visit_to_the_inbox_lands_on_sign_in_without_either() {
    first_load_is_quiet_and_still(DESKTOP, "/").await;
    first_load_is_quiet_and_still(Device::PHONE, "/all/open").await;
}

/// Records every Content-Security-Policy violation of the pages the browser loads from now on.
async fn record_policy_violations(browser: &Browser) {
    let source = "window.__policyViolations = [];
        document.addEventListener('securitypolicyviolation', e =>
            window.__policyViolations.push(e.violatedDirective + ' ' + e.blockedURI));";
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            serde_json::json!({ "source": source }),
        )
        .await;
}

async fn policy_violations(client: &fantoccini::Client) -> Vec<String> {
    let found = client
        .execute(
            "return window.__policyViolations || ['not recorded']",
            vec![],
        )
        .await
        .expect("violations");
    serde_json::from_value(found).expect("a list")
}

#[tokio::test]
async fn the_app_runs_whole_under_its_content_security_policy() {
    let server = Server::start(50);
    let browser = Browser::start(DESKTOP).await;
    record_policy_violations(&browser).await;
    let client = &browser.client;
    // Sign-in is a chunk of its own; the inbox, the thread (another chunk) and its icons follow.
    browser
        .sign_in(
            &server.url,
            crate::helpers::OWNER.0,
            crate::helpers::OWNER.1,
        )
        .await;
    wait_for(client, crate::helpers::ROWS).await;
    assert_eq!(policy_violations(client).await, Vec::<String>::new());
    client
        .find(fantoccini::Locator::Css(crate::helpers::ROWS))
        .await
        .expect("a row")
        .click()
        .await
        .expect("open it");
    wait_for(client, "textarea").await;
    assert_eq!(
        policy_violations(client).await,
        Vec::<String>::new(),
        "with a thread open"
    );
    browser.close().await;
}

/// How each request to the API that the page made came about, as "initiator url" (`link` for
/// one the browser fetched ahead because the server announced it with the page).
async fn api_requests(client: &fantoccini::Client) -> Vec<String> {
    let found = client
        .execute(
            "return performance.getEntriesByType('resource')
                .filter(e => new URL(e.name).pathname.startsWith('/api/v1/')
                    && !e.name.endsWith('/api/v1/events'))
                .map(e => e.initiatorType + ' ' + new URL(e.name).pathname + new URL(e.name).search)",
            vec![],
        )
        .await
        .expect("resource timings");
    serde_json::from_value(found).expect("a list")
}

#[tokio::test]
async fn a_signed_in_load_asks_nothing_twice_waits_for_no_round_trip_it_could_skip_and_moves_nothing(
) {
    let e2e = crate::helpers::E2e::start().await;
    let id = e2e.http_page("view=open&line=2").await[0].id;
    let path = format!("/2/open/{id}");
    e2e.open(&path).await;
    wait_for(&e2e.browser.client, "textarea").await; // the thread is open
                                                     // The lines' counts come once the list is in.
    eventually("the lines are loaded", || async {
        api_requests(&e2e.browser.client)
            .await
            .iter()
            .any(|request| request.ends_with("/api/v1/lines"))
    })
    .await;
    // Nothing painted moved as the answers came in.
    let (shift, moved) = layout_shift(&e2e.browser.client).await;
    assert!(
        shift == 0.0,
        "{path}: the page moved after it painted (CLS {shift}): {moved:#?}"
    );
    let requests = api_requests(&e2e.browser.client).await;
    for expected in [
        "/api/v1/session".to_owned(),
        "/api/v1/members".to_owned(),
        "/api/v1/notifications".to_owned(),
        "/api/v1/lines".to_owned(),
        "/api/v1/conversations?view=open&limit=50&line=2".to_owned(),
        format!("/api/v1/conversations/{id}"),
    ] {
        assert_eq!(
            requests.iter().filter(|r| r.ends_with(&expected)).count(),
            1,
            "{expected} asked once: {requests:?}"
        );
    }
    // Each was fetched ahead, with the page, and the app's own request took that answer.
    assert!(
        requests.iter().all(|request| request.starts_with("link ")),
        "{path}: {requests:?}"
    );
    e2e.finish().await;
}
