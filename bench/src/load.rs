//! Mixed load on loopback: 200 connections (a teammate's session each) for 60 s of list reads,
//! state changes that each change something, and sign-ins (each connection signs in again once,
//! at a moment of its own, as people come and go), every answer checked; beside the server's
//! lightest route (`/api/health`) at the same concurrency in the same run, as the baseline.
//! `SWITCHBOARD_LOAD_SECONDS` shortens the run.

use crate::fanout::signed_in_client;
use futures_util::StreamExt;
use serde_json::json;
use std::time::{Duration, Instant};
use switchboard_domain::api::{ConversationPage, ConversationSummary};
use switchboard_testkit::{Server, DEMO_OWNER};

const CONNECTIONS: usize = 200;
const CONVERSATIONS: u32 = 10_000;

#[derive(Default)]
struct Tally {
    reads: Vec<f64>,
    changes: Vec<f64>,
    sign_ins: Vec<f64>,
    errors: Vec<String>,
}

pub async fn run() {
    let seconds: u64 = std::env::var("SWITCHBOARD_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let server = Server::start(CONVERSATIONS);
    let owner = signed_in_client(&server).await;
    // Each connection changes conversations of its own, so that every change changes something.
    let mut conversations: Vec<ConversationSummary> = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{}/api/v1/conversations?view=open&limit=200", server.url);
        if let Some(cursor) = &cursor {
            url.push_str(&format!("&cursor={cursor}"));
        }
        let page: ConversationPage = owner.get(url).send().await.unwrap().json().await.unwrap();
        conversations.extend(page.conversations);
        cursor = page.next_cursor;
        if cursor.is_none() || conversations.len() >= CONNECTIONS * 20 {
            break;
        }
    }
    let shares: Vec<Vec<ConversationSummary>> = (0..CONNECTIONS)
        .map(|n| {
            conversations
                .iter()
                .skip(n)
                .step_by(CONNECTIONS)
                .cloned()
                .collect()
        })
        .collect();

    let baseline = health_rate(&server, Duration::from_secs(10)).await;

    let clients: Vec<reqwest::Client> = futures_util::stream::iter(0..CONNECTIONS)
        .map(|_| signed_in_client(&server))
        .buffer_unordered(4)
        .collect()
        .await;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let workers = clients
        .into_iter()
        .zip(shares)
        .enumerate()
        .map(|(n, (client, share))| {
            let url = server.url.clone();
            // Spread over the run: one sign-in every run / CONNECTIONS.
            let sign_in_at = started + Duration::from_secs(seconds) * n as u32 / CONNECTIONS as u32;
            tokio::spawn(async move { work(n, client, share, url, sign_in_at, deadline).await })
        });
    let tallies = futures_util::future::join_all(workers).await;
    let elapsed = started.elapsed().as_secs_f64();
    let mut all = Tally::default();
    for tally in tallies {
        let tally = tally.expect("a worker");
        all.reads.extend(tally.reads);
        all.changes.extend(tally.changes);
        all.sign_ins.extend(tally.sign_ins);
        all.errors.extend(tally.errors);
    }
    drop(server);

    let total = all.reads.len() + all.changes.len() + all.sign_ins.len();
    println!(
        "Mixed load: {CONNECTIONS} connections for {seconds} s, {CONVERSATIONS} conversations:"
    );
    println!(
        "  {:.0} req/s in all ({total} requests), beside /api/health alone at {:.0} req/s ({:.2}× of it)",
        total as f64 / elapsed,
        baseline,
        total as f64 / elapsed / baseline
    );
    for (name, latencies) in [
        ("list page", &mut all.reads),
        ("state change", &mut all.changes),
        ("sign-in", &mut all.sign_ins),
    ] {
        latencies.sort_by(f64::total_cmp);
        let p = |q: f64| {
            latencies
                .get(((latencies.len().max(1) - 1) as f64 * q) as usize)
                .copied()
                .unwrap_or(f64::NAN)
        };
        println!(
            "  {name:<13} {:>7} requests  p50 {:>6.1} ms  p99 {:>6.1} ms  worst {:>6.1} ms",
            latencies.len(),
            p(0.5),
            p(0.99),
            latencies.last().copied().unwrap_or(f64::NAN)
        );
    }
    println!("  errors: {}", all.errors.len());
    for error in all.errors.iter().take(5) {
        println!("    {error}");
    }
}

async fn work(
    n: usize,
    mut client: reqwest::Client,
    mut share: Vec<ConversationSummary>,
    url: String,
    sign_in_at: Instant,
    deadline: Instant,
) -> Tally {
    let mut tally = Tally::default();
    let mut signed_in_again = false;
    let mut step = n; // staggered, so that the connections do not move in step
    while Instant::now() < deadline {
        step += 1;
        let started = Instant::now();
        if !signed_in_again && started >= sign_in_at {
            // A fresh browser signing in (its own cookies), which then carries on.
            let fresh = reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .unwrap();
            let response = fresh
                .post(format!("{url}/api/v1/session"))
                .json(&json!({"email": DEMO_OWNER.0, "password": DEMO_OWNER.1}))
                .send()
                .await;
            signed_in_again = true;
            match response {
                Ok(r) if r.status().is_success() => {
                    tally.sign_ins.push(ms(started));
                    client = fresh;
                }
                Ok(r) => tally.errors.push(format!("sign-in: {}", r.status())),
                Err(e) => tally.errors.push(format!("sign-in: {e}")),
            }
        } else if step.is_multiple_of(4) && !share.is_empty() {
            let index = step / 4 % share.len();
            let conversation = &share[index];
            let body = match conversation.unread {
                true => {
                    json!({"change": "read", "seen_activity_id": conversation.latest_activity.id})
                }
                false => json!({"change": "unread"}),
            };
            let response = client
                .post(format!(
                    "{url}/api/v1/conversations/{}/state",
                    conversation.id
                ))
                .json(&body)
                .send()
                .await;
            match response {
                Ok(r) if r.status().is_success() => {
                    tally.changes.push(ms(started));
                    if let Ok(after) = r.json::<ConversationSummary>().await {
                        share[index] = after;
                    }
                }
                Ok(r) => tally.errors.push(format!("state change: {}", r.status())),
                Err(e) => tally.errors.push(format!("state change: {e}")),
            }
        } else {
            let response = client
                .get(format!("{url}/api/v1/conversations?view=open&limit=50"))
                .send()
                .await;
            match response {
                Ok(r) if r.status().is_success() => match r.bytes().await {
                    Ok(_) => tally.reads.push(ms(started)),
                    Err(e) => tally.errors.push(format!("list page: {e}")),
                },
                Ok(r) => tally.errors.push(format!("list page: {}", r.status())),
                Err(e) => tally.errors.push(format!("list page: {e}")),
            }
        }
    }
    tally
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

/// Requests per second of `/api/health` from `CONNECTIONS` connections for `length`.
async fn health_rate(server: &Server, length: Duration) -> f64 {
    let deadline = Instant::now() + length;
    let started = Instant::now();
    let workers = (0..CONNECTIONS).map(|_| {
        let url = format!("{}/api/health", server.url);
        tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut done = 0u64;
            while Instant::now() < deadline {
                if let Ok(r) = client.get(&url).send().await {
                    if r.status().is_success() && r.bytes().await.is_ok() {
                        done += 1;
                    }
                }
            }
            done
        })
    });
    let done: u64 = futures_util::future::join_all(workers)
        .await
        .into_iter()
        .map(|n| n.unwrap_or(0))
        .sum();
    done as f64 / started.elapsed().as_secs_f64()
}
