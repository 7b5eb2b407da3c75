//! With 10,000 conversations, what a user sees of a trusted `E` keydown, over 50 presses: in
//! the app, once it holds the whole Open view (scrolled through to its last page), and beside it,
//! in the same browser, a hand-written vanilla JS page of the same rows (`bench/vanilla/`) on the
//! same server. Prints the Event Timing API's figures for the keydown (its duration, to the
//! presentation of the next frame: median, p90, worst, and how many reached 16 ms), the time
//! from the keydown to the next paint as measured in the page, and app / vanilla ratios.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use switchboard_testkit::{Browser, Device, Server};

const CONVERSATIONS: u32 = 10_000;
const PRESSES: usize = 50;
const BUDGET_MEDIAN_MS: f64 = 16.0;
const BUDGET_WORST_MS: f64 = 50.0;
/// The smallest `durationThreshold` browsers accept: shorter events are never reported.
const EVENT_TIMING_FLOOR_MS: f64 = 16.0;

/// The hand-written page; `<!--APP_CSS-->` becomes the app's stylesheet.
const VANILLA: &str = include_str!("../vanilla/index.html");
const VANILLA_SCRIPT: &str = include_str!("../vanilla/vanilla.js");
const VANILLA_STYLE: &str = include_str!("../vanilla/vanilla.css");

/// Measures in the page: from the keydown's timestamp to a task queued from the next animation
/// frame, which runs once that frame is painted; and the Event Timing API's keydown entries.
const PROBE: &str = r#"
    window.__latencies = [];
    window.__slowEvents = [];
    window.__processing = [];
    document.addEventListener('keydown', (event) => {
        if (event.key !== 'e' || !event.isTrusted) return;
        const start = event.timeStamp;
        requestAnimationFrame(() => {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => window.__latencies.push(performance.now() - start);
            channel.port2.postMessage(null);
        });
    }, { capture: true });
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
            if (entry.name === 'keydown') {
                window.__slowEvents.push(entry.duration);
                window.__processing.push(entry.processingEnd - entry.processingStart);
            }
        }
    }).observe({ type: 'event', durationThreshold: 16, buffered: true });
"#;

/// Scrolls the Conversations grid to its end; returns its `aria-rowcount` (-1 while pages are
/// left to load) and how many rows the client holds (the height of its rows, 76 px each).
const SCROLL_TO_END: &str = r#"
    const grid = document.querySelector('[role=grid][aria-label=Conversations]');
    grid.scrollTop = grid.scrollHeight;
    const rows = grid.querySelector('[role=rowgroup]');
    return [Number(grid.getAttribute('aria-rowcount')), Math.round(rows.offsetHeight / 76)];
"#;

/// What one page showed.
struct Figures {
    /// Conversations the client held when the presses began.
    held: usize,
    /// Rows in the DOM then.
    dom_rows: usize,
    /// Keydown to next paint, per press.
    next_paint: Vec<f64>,
    /// Event Timing durations of the keydowns that reached 16 ms.
    event_timing: Vec<f64>,
    /// Their time in event handlers.
    processing: Vec<f64>,
    /// How many of the pressed conversations the server holds as done.
    done: usize,
}

pub async fn run() {
    let web_root = WebRoot::with_vanilla_page();
    let server = Server::start_serving(CONVERSATIONS, web_root.path.clone());
    let browser = Browser::start(Device::Desktop {
        width: 1400,
        height: 900,
    })
    .await;
    let client = &browser.client;
    let (email, password) = switchboard_testkit::DEMO_OWNER;
    browser.sign_in(&server.url, email, password).await;

    client
        .goto(&format!("{}/all/open", server.url))
        .await
        .expect("open the app");
    wait_for(
        client,
        "return document.querySelectorAll('[role=row]').length > 10",
    )
    .await;
    let (app_loading, app_held) = scroll_through(client).await;
    let size = client
        .execute(
            "const g = document.querySelector('[role=grid][aria-label=Conversations]');\
             return [g.clientWidth, g.clientHeight]",
            vec![],
        )
        .await
        .expect("the grid's size");
    let (width, height) = (
        size[0].as_u64().unwrap_or(430),
        size[1].as_u64().unwrap_or(800),
    );
    // SWITCHBOARD_BENCH_PROFILE=FILE writes a CPU profile of the app's presses (Chrome's
    // .cpuprofile format, for DevTools or `node bench/tools/profile-summary.mjs FILE`).
    let profile_to = std::env::var_os("SWITCHBOARD_BENCH_PROFILE");
    if profile_to.is_some() {
        browser.cdp("Profiler.enable", serde_json::json!({})).await;
        let interval = serde_json::json!({"interval": 50});
        browser.cdp("Profiler.setSamplingInterval", interval).await;
        browser.cdp("Profiler.start", serde_json::json!({})).await;
    }
    let app = press(client).await;
    if let Some(path) = profile_to {
        let profile = browser.cdp("Profiler.stop", serde_json::json!({})).await;
        std::fs::write(&path, profile["profile"].to_string()).expect("write the profile");
    }

    client
        .goto(&format!(
            "{}/vanilla.html?width={width}&height={height}",
            server.url
        ))
        .await
        .expect("open the vanilla page");
    wait_for_long(
        client,
        "return window.__ready === true || window.__error !== undefined",
        Duration::from_secs(60),
    )
    .await;
    let error = client
        .execute("return window.__error || null", vec![])
        .await
        .expect("the vanilla page's state");
    assert!(error.is_null(), "the vanilla page failed to load: {error}");
    let loaded = client
        .execute("return window.__loaded", vec![])
        .await
        .expect("the vanilla page's loading");
    let (vanilla_pages, vanilla_loading) = (
        loaded["pages"].as_u64().unwrap_or_default(),
        loaded["ms"].as_f64().unwrap_or_default() / 1000.0,
    );
    scroll_through(client).await;
    let vanilla = press(client).await;
    let failures = client
        .execute("return window.__failures || 0", vec![])
        .await
        .expect("the vanilla page's failures");
    browser.close().await;
    drop(server);
    drop(web_root);

    println!(
        "E keydown, {CONVERSATIONS} conversations, {PRESSES} presses on each page, same headless Chromium:"
    );
    println!(
        "  app: scrolled through the Open view, pages of 50, in {:.1} s ({app_held} conversations)",
        app_loading.as_secs_f64(),
    );
    println!(
        "  vanilla JS page (bench/vanilla/index.html): fetched it in {vanilla_pages} pages of 200 in \
         {vanilla_loading:.1} s, then scrolled through it too"
    );
    println!("                                       app   vanilla   app/vanilla");
    row("conversations held", app.held, vanilla.held);
    row("rows in the DOM", app.dom_rows, vanilla.dom_rows);
    println!("  Event Timing, keydown duration (ms, to the next frame's presentation, 8 ms steps;");
    println!("  presses under 16 ms are not reported, so count as \"<16\"):");
    percentile_rows(
        &app.event_timing,
        &vanilla.event_timing,
        event_timing_percentile,
    );
    println!(
        "    {:<30} {:>7} {:>9}",
        "keydowns of 16 ms or more",
        format!("{}/{PRESSES}", app.event_timing.len()),
        format!("{}/{PRESSES}", vanilla.event_timing.len()),
    );
    // Only the reported keydowns say how long their handlers ran.
    let (a, v) = (median(&app.processing), median(&vanilla.processing));
    let dash = |ms: Option<f64>| ms.map_or("—".to_owned(), |ms| format!("{ms:.1}"));
    println!(
        "    {:<30} {:>7} {:>9} {:>13}",
        "in handlers, median of those",
        dash(a),
        dash(v),
        match (a, v) {
            (Some(a), Some(v)) if v > 0.0 => format!("{:.2}×", a / v),
            _ => "—".to_owned(),
        }
    );
    println!("  keydown to next paint (ms, measured in the page: rAF, then a task):");
    percentile_rows(&app.next_paint, &vanilla.next_paint, percentile);
    println!(
        "  the server holds as done: app {}/{PRESSES}, vanilla {}/{PRESSES} ({} failed requests)",
        app.done,
        vanilla.done,
        failures.as_u64().unwrap_or_default()
    );
    let app_median = percentile(&app.next_paint, 0.5).unwrap_or(f64::MAX);
    let app_worst = percentile(&app.next_paint, 1.0).unwrap_or(f64::MAX);
    let within = app_median < BUDGET_MEDIAN_MS && app_worst < BUDGET_WORST_MS;
    println!(
        "  app, keydown to next paint: median {app_median:.1} ms (budget {BUDGET_MEDIAN_MS} ms), \
         worst {app_worst:.1} ms (budget {BUDGET_WORST_MS} ms): {}",
        if within {
            "within budget"
        } else {
            "OVER BUDGET"
        }
    );
}

/// Scrolls the page's Conversations grid to its end until the client holds the whole view (its
/// `aria-rowcount` known and its rows all there), then back to the top where the selection is.
/// Returns the time it took and how many conversations the client holds.
async fn scroll_through(client: &fantoccini::Client) -> (Duration, usize) {
    let start = Instant::now();
    let mut held = 0;
    let mut grew = Instant::now();
    loop {
        let answer = client
            .execute(SCROLL_TO_END, vec![])
            .await
            .expect("scroll the grid");
        let count = answer[0].as_i64().unwrap_or(-1);
        let now_held = answer[1].as_u64().unwrap_or_default() as usize;
        if now_held > held {
            held = now_held;
            grew = Instant::now();
        }
        if count >= 0 && count as usize == held {
            break;
        }
        assert!(
            grew.elapsed() < Duration::from_secs(20),
            "the list stopped growing at {held} conversations (aria-rowcount {count})"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took = start.elapsed();
    client
        .execute(
            "document.querySelector('[role=grid][aria-label=Conversations]').scrollTop = 0",
            vec![],
        )
        .await
        .expect("scroll back up");
    wait_for(
        client,
        "return document.querySelector('[role=row][aria-selected=true]') !== null",
    )
    .await;
    // Let the rows of the top settle (and the network calm down) before measuring.
    tokio::time::sleep(Duration::from_millis(500)).await;
    (took, held)
}

/// Installs the probe and presses `E` on the selected row `PRESSES` times, at a person's pace.
async fn press(client: &fantoccini::Client) -> Figures {
    let state = client
        .execute(
            "const g = document.querySelector('[role=grid][aria-label=Conversations]');\
             return [Math.round(g.querySelector('[role=rowgroup]').offsetHeight / 76),\
                     g.querySelectorAll('[role=row]').length]",
            vec![],
        )
        .await
        .expect("the list's size");
    let held = state[0].as_u64().unwrap_or_default() as usize;
    let dom_rows = state[1].as_u64().unwrap_or_default() as usize;
    client
        .execute(PROBE, vec![])
        .await
        .expect("install the probe");

    let mut pressed = Vec::with_capacity(PRESSES);
    for press in 1..=PRESSES {
        let selected = client
            .execute(
                "return document.querySelector('[role=row][aria-selected=true]').dataset.conversationId",
                vec![],
            )
            .await
            .expect("the selected row");
        pressed.push(selected.as_str().unwrap_or_default().to_owned());
        let actions = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: 'e' })
            .then(KeyAction::Up { value: 'e' });
        client.perform_actions(actions).await.expect("press E");
        wait_for(
            client,
            &format!("return window.__latencies.length >= {press}"),
        )
        .await;
        // A person's pace, and time for the change to reach the server.
        tokio::time::sleep(Duration::from_millis(120)).await;
    }
    // Event Timing entries are delivered once the frames are presented, a little later.
    tokio::time::sleep(Duration::from_millis(1000)).await;

    Figures {
        held,
        dom_rows,
        next_paint: numbers(client, "window.__latencies").await,
        event_timing: numbers(client, "window.__slowEvents").await,
        processing: numbers(client, "window.__processing").await,
        done: done_on_server(client, &pressed).await,
    }
}

/// The median, p90 and worst of the app's and the vanilla page's figures, with their ratio.
fn percentile_rows(app: &[f64], vanilla: &[f64], at: fn(&[f64], f64) -> Option<f64>) {
    for (label, p) in [("median", 0.5), ("p90", 0.9), ("worst", 1.0)] {
        let (a, v) = (at(app, p), at(vanilla, p));
        println!(
            "    {label:<30} {:>7} {:>9} {:>13}",
            show(a),
            show(v),
            ratio(a, v)
        );
    }
}

fn row(label: &str, app: usize, vanilla: usize) {
    println!("  {label:<32} {app:>7} {vanilla:>9}");
}

/// The nearest-rank percentile (`p` in 0..=1) of `values`.
fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len().max(1));
    sorted.get(rank - 1).copied()
}

fn median(values: &[f64]) -> Option<f64> {
    percentile(values, 0.5)
}

/// The percentile over all presses of the Event Timing durations, where the presses that no
/// entry reported were under 16 ms (`None`).
fn event_timing_percentile(reported: &[f64], p: f64) -> Option<f64> {
    let mut sorted = reported.to_vec();
    sorted.sort_by(f64::total_cmp);
    let unreported = PRESSES.saturating_sub(sorted.len());
    let rank = ((p * PRESSES as f64).ceil() as usize).clamp(1, PRESSES);
    match rank.checked_sub(unreported + 1) {
        Some(index) => sorted.get(index).copied(),
        None => None,
    }
}

/// Milliseconds, or "<16" for what Event Timing does not report.
fn show(ms: Option<f64>) -> String {
    match ms {
        Some(ms) => format!("{ms:.1}"),
        None => format!("<{EVENT_TIMING_FLOOR_MS:.0}"),
    }
}

/// app / vanilla; a bound when one side is under Event Timing's 16 ms floor.
fn ratio(app: Option<f64>, vanilla: Option<f64>) -> String {
    let floor = EVENT_TIMING_FLOOR_MS;
    match (app, vanilla) {
        (Some(a), Some(v)) if v > 0.0 => format!("{:.2}×", a / v),
        (Some(_), Some(_)) => "—".to_owned(),
        (Some(a), None) => format!("> {:.2}×", a / floor),
        (None, Some(v)) => format!("< {:.2}×", floor / v),
        (None, None) => "both <16".to_owned(),
    }
}

/// A copy of the built web app with `vanilla.html` (and its script and style) beside it, so that the hand-written page is
/// served from the app's origin (and so signed in with the same session cookie).
struct WebRoot {
    path: PathBuf,
}

impl WebRoot {
    fn with_vanilla_page() -> WebRoot {
        let dist = switchboard_testkit::web_root();
        let path = std::env::temp_dir().join(format!(
            "switchboard-bench-web-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        ));
        copy_dir(&dist, &path);
        let mut stylesheets = Vec::new();
        for entry in std::fs::read_dir(&dist).expect("read the web root") {
            let name = entry.expect("a file").file_name();
            let name = name.to_string_lossy();
            if name.ends_with(".css") {
                stylesheets.push(format!("<link rel=\"stylesheet\" href=\"/{name}\">"));
            }
        }
        let page = VANILLA.replace("<!--APP_CSS-->", &stylesheets.join("\n"));
        std::fs::write(path.join("vanilla.html"), page).expect("write vanilla.html");
        std::fs::write(path.join("vanilla.js"), VANILLA_SCRIPT).expect("write vanilla.js");
        std::fs::write(path.join("vanilla.css"), VANILLA_STYLE).expect("write vanilla.css");
        WebRoot { path }
    }
}

impl Drop for WebRoot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the web root copy");
    for entry in std::fs::read_dir(from).expect("read the web root") {
        let entry = entry.expect("a file");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy the web app");
        }
    }
}

pub async fn wait_for(client: &fantoccini::Client, condition: &str) {
    wait_for_long(client, condition, Duration::from_secs(15)).await;
}

async fn wait_for_long(client: &fantoccini::Client, condition: &str, limit: Duration) {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if client.execute(condition, vec![]).await.ok() == Some(Value::Bool(true)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("timed out: {condition}");
}

/// The numbers of a page's array, e.g. what a probe collected.
pub async fn numbers(client: &fantoccini::Client, array: &str) -> Vec<f64> {
    client
        .execute(&format!("return {array}"), vec![])
        .await
        .expect("read the page")
        .as_array()
        .map(|items| items.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

/// How many of these conversations the server holds as done, asked from the page (signed in).
pub async fn done_on_server(client: &fantoccini::Client, ids: &[String]) -> usize {
    let check = format!(
        "return Promise.all({ids:?}.map(id => fetch('/api/v1/conversations/' + id)\
         .then(r => r.json()).then(d => d.conversation.status))).then(s => s.filter(x => x === 'done').length)"
    );
    let done = client
        .execute(&check, vec![])
        .await
        .expect("check the server");
    done.as_u64().expect("a count") as usize
}
