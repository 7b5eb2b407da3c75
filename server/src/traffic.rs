//! Demo traffic: signed webhook events posted to this very server at a human pace, as Quo would
//! send them, so that a demo inbox comes alive (new messages turn up unread, live).

use crate::clock::Clock;
use crate::db::Db;
use crate::webhook::WebhookSecret;
use rand::rngs::{OsRng, StdRng};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng, TryRngCore};
use std::net::SocketAddr;
use std::time::Duration;

const MESSAGES: &[&str] = &[
    "Hi! Just checking whether you got my last message?",
    "Can someone call me back today? It's about my order.",
    "Thanks, that fixed it!",
    "What time do you close on Friday?",
    "Is the technician still coming this afternoon?",
    "I'd like to upgrade to the Business plan.",
    "Got the invoice, paying it now.",
    "Sorry, one more question about the delivery address.",
];

/// A random signing secret, when the demo posts to itself without Quo's.
pub fn new_secret() -> WebhookSecret {
    let mut key = vec![0u8; 32];
    OsRng
        .try_fill_bytes(&mut key)
        .expect("the system's random source works");
    WebhookSecret::from_key(key)
}

/// Posts an event every `pace` on average (between half and one and a half of it), forever,
/// stamped and signed by the server's `clock`.
pub async fn run(addr: SocketAddr, secret: WebhookSecret, db: Db, pace: Duration, clock: Clock) {
    let client = reqwest::Client::new();
    let mut rng = StdRng::from_os_rng();
    let url = format!("http://{addr}/webhooks/quo");
    loop {
        let pace_ms = pace.as_millis().max(2) as u64;
        let pause = rng.random_range(pace_ms / 2..pace_ms * 3 / 2);
        tokio::time::sleep(Duration::from_millis(pause)).await;
        let Ok(Some((customer, line))) = random_pair(&db, rng.random()).await else {
            continue;
        };
        let text = MESSAGES.choose(&mut rng).expect("messages");
        let body = serde_json::json!({
            "id": format!("EV{:032x}", rng.random::<u128>()),
            "object": "event",
            "apiVersion": "v3",
            "createdAt": humantime::format_rfc3339_millis(clock.now()).to_string(),
            "type": "message.received",
            "data": { "object": {
                "object": "message", "from": customer, "to": line, "direction": "incoming",
                "text": text, "status": "received",
            }},
        })
        .to_string();
        let signature = secret.sign_legacy(clock.now_ms(), body.as_bytes());
        let sent = client
            .post(&url)
            .header("content-type", "application/json")
            .header("openphone-signature", signature)
            .body(body)
            .send()
            .await;
        if let Err(error) = sent {
            tracing::warn!(%error, "demo traffic could not post");
        }
    }
}

/// A (customer, line) pair of an existing conversation.
async fn random_pair(db: &Db, pick: u32) -> Result<Option<(String, String)>, crate::db::DbError> {
    crate::db::conversations::random_contact(db, pick).await
}
