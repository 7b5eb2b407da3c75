//! Replies through Quo: 1,000 replies queued at once (posted 50 at a time, as fast as the
//! server takes them) go out through a local Quo that takes at most `BENCH_QUO_RATE` sends a
//! second (10 unless told; 429 with `Retry-After: 1` beyond). Checked: each reply reaches Quo
//! exactly once (none lost, none doubled) and ends Sent. Printed: the throughput beside the
//! rate limit (their ratio), and the time from a reply's answer to its Sent, as a teammate's
//! event stream shows it.

use crate::fanout::{each_event, signed_in_client};
use futures_util::StreamExt;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use switchboard_domain::api::ConversationPage;
use switchboard_testkit::fake_quo::{FakeQuo, KEY};
use switchboard_testkit::{web_root, Server};

const REPLIES: usize = 1000;
const AT_ONCE: usize = 50;

pub async fn run() {
    let rate: u32 = std::env::var("BENCH_QUO_RATE")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(10);
    let quo = FakeQuo::start().await;
    quo.limit_rate(rate);
    let flags = ["--quo-api-key", KEY, "--quo-api-url", quo.url.as_str()]
        .map(str::to_owned)
        .to_vec();
    let server = Server::start_with_flags(300, web_root(), flags);
    let client = signed_in_client(&server).await;

    // Every activity whose delivery turns Sent, and when, as a teammate's stream shows it.
    let sent_at: Arc<Mutex<HashMap<i64, Instant>>> = Arc::default();
    let stream = client
        .get(format!("{}/api/v1/events", server.url))
        .send()
        .await
        .expect("open a stream");
    let recorder = sent_at.clone();
    tokio::spawn(each_event(stream, move |event, now| {
        // Externally tagged: `{"activity": {"activity": {…}}}`.
        let activity = &event["activity"]["activity"];
        if activity["delivery"]["status"] == "sent" {
            if let Some(id) = activity["id"].as_i64() {
                recorder.lock().unwrap().entry(id).or_insert(now);
            }
        }
    }));

    let page: ConversationPage = client
        .get(format!(
            "{}/api/v1/conversations?view=open&limit=200",
            server.url
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let conversations: Vec<i64> = page.conversations.iter().map(|c| c.id.0).collect();

    let started = Instant::now();
    let replies: Vec<(i64, String, Instant)> = futures_util::stream::iter(0..REPLIES)
        .map(|n| {
            let (client, url) = (
                client.clone(),
                format!(
                    "{}/api/v1/conversations/{}/replies",
                    server.url,
                    conversations[n % conversations.len()]
                ),
            );
            async move {
                let text = format!("Bench reply {n}");
                let response = client
                    .post(url)
                    .json(&serde_json::json!({ "text": text }))
                    .send()
                    .await
                    .expect("reply");
                let answered = Instant::now();
                assert!(response.status().is_success(), "{}", response.status());
                let body: serde_json::Value = response.json().await.unwrap();
                (body["activity"]["id"].as_i64().unwrap(), text, answered)
            }
        })
        .buffer_unordered(AT_ONCE)
        .collect()
        .await;
    let queued = started.elapsed();

    // At the limit's pace, with room for the backoff's tail.
    let deadline = Instant::now() + Duration::from_secs(REPLIES as u64 / u64::from(rate) * 3 + 30);
    loop {
        let sent = {
            let sent_at = sent_at.lock().unwrap();
            replies
                .iter()
                .filter(|(id, _, _)| sent_at.contains_key(id))
                .count()
        };
        if sent == REPLIES {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "only {sent} of {REPLIES} replies Sent in time"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let sent_at = sent_at.lock().unwrap().clone();
    let last_sent = replies.iter().map(|(id, _, _)| sent_at[id]).max().unwrap();
    let elapsed = last_sent.duration_since(started);

    let messages = quo.messages();
    let taken: HashSet<&str> = messages.iter().map(|m| m.content.as_str()).collect();
    let lost = replies
        .iter()
        .filter(|(_, text, _)| !taken.contains(text.as_str()))
        .count();
    let doubled = messages.len() - taken.len();
    let mut latencies: Vec<f64> = replies
        .iter()
        .map(|(id, _, answered)| {
            sent_at[id]
                .saturating_duration_since(*answered)
                .as_secs_f64()
                * 1000.0
        })
        .collect();
    latencies.sort_by(f64::total_cmp);
    let p = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize] / 1000.0;
    let throughput = REPLIES as f64 / elapsed.as_secs_f64();
    drop(server);

    println!(
        "Replies through Quo: {REPLIES} replies queued at once ({:.1} s to post, {AT_ONCE} at a time), local Quo limited to {rate} sends/s:",
        queued.as_secs_f64()
    );
    println!(
        "  all Sent after {:.1} s: {throughput:.2} replies/s = {:.2} × the rate limit; {} requests to Quo ({} answered 429)",
        elapsed.as_secs_f64(),
        throughput / f64::from(rate),
        quo.requests(),
        quo.requests() - messages.len(),
    );
    println!(
        "  reply to Sent: p50 {:.1} s, p90 {:.1} s, p99 {:.1} s, worst {:.1} s (the queue drains at the limit: the last waits about {:.0} s)",
        p(0.5),
        p(0.9),
        p(0.99),
        latencies.last().unwrap() / 1000.0,
        REPLIES as f64 / f64::from(rate)
    );
    println!(
        "  taken by Quo: {} messages for {REPLIES} replies; lost {lost}, doubled {doubled} ({})",
        messages.len(),
        if lost == 0 && doubled == 0 {
            "none lost, none doubled"
        } else {
            "LOST OR DOUBLED"
        }
    );
}
