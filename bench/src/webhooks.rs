//! Webhook ingestion: signed `message.received` events posted at a steady 1,000 per second for
//! ten seconds, each a new delivery; sustained rate and latency percentiles.

use crate::fanout::signed_in_client;
use std::sync::Arc;
use std::time::{Duration, Instant};
use switchboard_domain::api::ConversationPage;
use switchboard_server::db::now_ms;
use switchboard_server::webhook::WebhookSecret;
use switchboard_testkit::{Server, WEBHOOK_SECRET};
use tokio::sync::Mutex;

const RATE: u64 = 1000;
const SECONDS: u64 = 10;
const SENDERS: u64 = 50;
const BUDGET_P99_MS: f64 = 20.0;

pub async fn run() {
    let server = Server::start(300);
    let reader = signed_in_client(&server).await;
    let lines: serde_json::Value = reader
        .get(format!("{}/api/v1/lines", server.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let page: ConversationPage = reader
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
    let numbers: Vec<String> = lines["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["number"].as_str().unwrap().to_owned())
        .collect();
    // Customers of existing conversations, and some new numbers (new conversations).
    let pairs: Arc<Vec<(String, String)>> = Arc::new(
        page.conversations
            .iter()
            .map(|c| {
                (
                    c.contact.number.clone(),
                    numbers[(c.line_id.0 - 1) as usize].clone(),
                )
            })
            .chain((0..100).map(|i| (format!("+1646555{:04}", 2000 + i), numbers[i % 3].clone())))
            .collect(),
    );
    let secret = Arc::new(WebhookSecret::parse(WEBHOOK_SECRET).unwrap());
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(200)
        .build()
        .unwrap();
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let every = Duration::from_micros(1_000_000 * SENDERS / RATE);
    let per_sender = RATE * SECONDS / SENDERS;
    let mut senders = Vec::new();
    for sender in 0..SENDERS {
        let (client, url, pairs, secret, latencies) = (
            client.clone(),
            format!("{}/webhooks/quo", server.url),
            pairs.clone(),
            secret.clone(),
            latencies.clone(),
        );
        senders.push(tokio::spawn(async move {
            // Senders start spread over one period, then keep their pace (open loop).
            let offset = every * sender as u32 / SENDERS as u32;
            let mut next = tokio::time::Instant::now() + offset;
            for n in 0..per_sender {
                tokio::time::sleep_until(next).await;
                next += every;
                let (from, to) = &pairs[((sender * per_sender + n) as usize) % pairs.len()];
                let body = serde_json::json!({
                    "id": format!("EV-bench-{sender}-{n}"), "type": "message.received",
                    "data": { "object": {
                        "from": from, "to": to, "direction": "incoming", "text": "Any update?",
                    }}
                })
                .to_string();
                let signature = secret.sign_legacy(now_ms(), body.as_bytes());
                let sent = Instant::now();
                let response = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .header("openphone-signature", signature)
                    .body(body)
                    .send()
                    .await
                    .expect("deliver");
                assert!(response.status().is_success(), "{}", response.status());
                latencies
                    .lock()
                    .await
                    .push(sent.elapsed().as_secs_f64() * 1000.0);
            }
        }));
    }
    for sender in senders {
        sender.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    drop(server);
    let mut latencies = latencies.lock().await.clone();
    latencies.sort_by(f64::total_cmp);
    let p = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
    let rate = latencies.len() as f64 / elapsed;
    println!(
        "Webhook ingestion: {} signed deliveries offered at {RATE}/s over {SECONDS} s:",
        latencies.len()
    );
    println!(
        "  sustained {rate:.0}/s; latency p50 {:.1} ms, p99 {:.1} ms, worst {:.1} ms (budget 1,000/s with p99 under {BUDGET_P99_MS} ms)",
        p(0.5),
        p(0.99),
        latencies.last().unwrap()
    );
    let within = rate >= RATE as f64 * 0.98 && p(0.99) < BUDGET_P99_MS;
    println!(
        "  {}",
        if within {
            "within budget"
        } else {
            "OVER BUDGET"
        }
    );
}
