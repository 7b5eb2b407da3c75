//! Live fan-out: 500 teammates' event streams open on loopback (a session each: a session holds
//! a few streams at most); for each of 20 state changes, the time from the change's response to
//! its event at every stream. Prints p50 and p99.

use futures_util::StreamExt;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use switchboard_domain::api::ConversationPage;
use switchboard_testkit::{Server, DEMO_OWNER};
use tokio::sync::{mpsc, Barrier};

const STREAMS: usize = 500;
const CHANGES: usize = 20;
const BUDGET_P99_MS: f64 = 100.0;

pub async fn signed_in_client(server: &Server) -> reqwest::Client {
    signed_in_at(&server.url).await
}

/// A client signed in as the demo's owner on the server at `url`.
pub async fn signed_in_at(url: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .pool_max_idle_per_host(1000)
        .build()
        .expect("client");
    let response = client
        .post(format!("{url}/api/v1/session"))
        .json(&json!({"email": DEMO_OWNER.0, "password": DEMO_OWNER.1}))
        .send()
        .await
        .expect("sign in");
    assert!(
        response.status().is_success(),
        "sign in: {}",
        response.status()
    );
    client
}

/// Calls `on_event` with each live event of an open event stream and the moment it arrived,
/// until the stream ends.
pub async fn each_event(
    response: reqwest::Response,
    mut on_event: impl FnMut(serde_json::Value, Instant),
) {
    let mut body = response.bytes_stream();
    let mut buffer = String::new();
    while let Some(Ok(chunk)) = body.next().await {
        let now = Instant::now();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let frame: String = buffer.drain(..end + 2).collect();
            let Some(data) = frame.lines().find_map(|l| l.strip_prefix("data:")) else {
                continue;
            };
            on_event(serde_json::from_str(data.trim()).unwrap(), now);
        }
    }
}

pub async fn run() {
    let server = Server::start(300);
    let client = signed_in_client(&server).await;

    // Each stream reports (conversation id, when its event arrived).
    let (arrivals, mut arrived) = mpsc::unbounded_channel::<(usize, i64, Instant)>();
    let ready = Arc::new(Barrier::new(STREAMS + 1));
    // Signing in is slow on purpose (argon2): a few at a time, as the server takes them.
    let sessions: Vec<reqwest::Client> = futures_util::stream::iter(0..STREAMS)
        .map(|_| signed_in_client(&server))
        .buffer_unordered(4)
        .collect()
        .await;
    for (stream, client) in sessions.into_iter().enumerate() {
        let (url, arrivals, ready) = (
            format!("{}/api/v1/events", server.url),
            arrivals.clone(),
            ready.clone(),
        );
        tokio::spawn(async move {
            let response = client.get(url).send().await.expect("open a stream");
            ready.wait().await;
            each_event(response, |event, now| {
                if let Some(id) = event["conversation"]["conversation"]["id"].as_i64() {
                    let _ = arrivals.send((stream, id, now));
                }
            })
            .await;
        });
    }
    ready.wait().await;

    let page: ConversationPage = client
        .get(format!(
            "{}/api/v1/conversations?view=open&limit={CHANGES}",
            server.url
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut latencies = Vec::with_capacity(STREAMS * CHANGES);
    for conversation in &page.conversations {
        let change = if conversation.unread {
            "read"
        } else {
            "unread"
        };
        let body = json!({"change": change, "seen_activity_id": conversation.latest_activity.id});
        let url = format!(
            "{}/api/v1/conversations/{}/state",
            server.url, conversation.id
        );
        let response = client.post(url).json(&body).send().await.unwrap();
        let answered = Instant::now();
        assert!(response.status().is_success());
        let mut seen: HashMap<usize, Instant> = HashMap::new();
        let deadline = answered + Duration::from_secs(10);
        while seen.len() < STREAMS {
            let wait = deadline.saturating_duration_since(Instant::now());
            let (stream, id, at) = tokio::time::timeout(wait, arrived.recv())
                .await
                .expect("every stream gets the event")
                .expect("streams open");
            if id == conversation.id.0 {
                seen.entry(stream).or_insert(at);
            }
        }
        // An event may beat the response to the client; that counts as no wait.
        latencies.extend(
            seen.values()
                .map(|at| at.saturating_duration_since(answered).as_secs_f64() * 1000.0),
        );
    }
    drop(server);
    latencies.sort_by(f64::total_cmp);
    let p = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
    let (p50, p99) = (p(0.5), p(0.99));
    println!(
        "Live fan-out: {STREAMS} event streams, {} state changes, {} deliveries:",
        page.conversations.len(),
        latencies.len()
    );
    println!("  response to event: p50 {p50:.1} ms, p99 {p99:.1} ms, worst {:.1} ms (budget p99 {BUDGET_P99_MS} ms)", latencies.last().unwrap());
    println!(
        "  {}",
        if p99 < BUDGET_P99_MS {
            "within budget"
        } else {
            "OVER BUDGET"
        }
    );
}
