//! The outbox worker: sends each waiting reply through Quo, once, and records what came of it.
//! It survives restarts (the outbox is a table), sends every try of a reply with the same
//! idempotency key (so a try that was on its way at a crash is not sent twice), retries 429 and
//! 5xx with backoff and jitter (honouring `Retry-After`, which also pauses every send), fails at
//! once on other 4xx, and after the last try marks the reply Not delivered with the reason.

use crate::clock::Clock;
use crate::db::outbox::{self, Pending};
use crate::db::Db;
use crate::quo_api::{backoff, Outgoing, QuoApi, SendOutcome};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Tries of a reply at most (the first and the retries).
pub const MAX_ATTEMPTS: u32 = 8;
/// Replies taken from the table at a time.
const BATCH: u32 = 32;
/// How long the worker sleeps when nothing is due and nothing wakes it.
const IDLE: Duration = Duration::from_secs(5);

/// Wakes the worker when a reply is queued.
#[derive(Clone, Debug, Default)]
pub struct OutboxSignal(Arc<Notify>);

impl OutboxSignal {
    pub fn queued(&self) {
        self.0.notify_one();
    }
}

/// Who carries replies to customers.
#[derive(Clone, Debug)]
pub enum Carrier {
    /// Quo's API.
    Quo(QuoApi),
    /// The demo's own (`--demo` without a key): it takes every reply at once, as Quo does, and
    /// reports it delivered a moment later, so that the demo shows the whole life of a reply.
    Demo,
}

/// How long the demo carrier takes to report a reply delivered.
const DEMO_DELIVERY: Duration = Duration::from_millis(1500);

impl Carrier {
    async fn send(&self, db: &Db, clock: &Clock, outgoing: &Outgoing) -> SendOutcome {
        match self {
            Carrier::Quo(api) => api.send(outgoing).await,
            Carrier::Demo => {
                let message_id = format!("demo-{}", outgoing.idempotency_key);
                let (db, clock, id) = (db.clone(), clock.clone(), message_id.clone());
                tokio::spawn(async move {
                    tokio::time::sleep(DEMO_DELIVERY).await;
                    if let Err(error) = outbox::delivered(&db, id, clock.now_ms()).await {
                        tracing::warn!(%error, "the demo carrier's delivery report was lost");
                    }
                });
                SendOutcome::Accepted { message_id }
            }
        }
    }
}

/// Runs until the process ends.
pub async fn run(db: Db, carrier: Carrier, clock: Clock, signal: OutboxSignal) {
    match outbox::recover(&db, clock.now_ms()).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            replies = n,
            "replies whose send was on its way at a stop are sent again, under their keys"
        ),
        Err(error) => tracing::warn!(%error, "the outbox could not be recovered"),
    }
    let mut paused_until: Option<i64> = None;
    loop {
        let now = clock.now_ms();
        if let Some(until) = paused_until.filter(|until| *until > now) {
            tokio::time::sleep(Duration::from_millis((until - now) as u64)).await;
            continue;
        }
        let due = match outbox::take_due(&db, now, BATCH).await {
            Ok(due) => due,
            Err(error) => {
                tracing::warn!(%error, "the outbox could not be read; trying again soon");
                tokio::time::sleep(IDLE).await;
                continue;
            }
        };
        if due.is_empty() {
            let wait = match outbox::next_due(&db).await {
                Ok(Some(at)) => Duration::from_millis((at - now).clamp(0, 5_000) as u64),
                _ => IDLE,
            };
            tokio::select! {
                () = signal.0.notified() => {}
                () = tokio::time::sleep(wait) => {}
            }
            continue;
        }
        for pending in due {
            if let Some(pause) = send_one(&db, &carrier, &clock, pending).await {
                // Quo asked everyone to slow down: every send waits.
                paused_until = Some(clock.now_ms() + pause.as_millis() as i64);
                break;
            }
        }
    }
}

/// Sends one reply and records the outcome; `Some(pause)` when Quo said to wait.
async fn send_one(db: &Db, carrier: &Carrier, clock: &Clock, pending: Pending) -> Option<Duration> {
    if pending.was_in_flight {
        tracing::info!(activity = %pending.activity_id, "a try was on its way at a stop: sending again under the same key");
    }
    let outgoing = Outgoing {
        from: pending.from.clone(),
        to: pending.to.clone(),
        content: pending.content.clone(),
        idempotency_key: pending.idempotency_key.clone(),
    };
    let outcome = carrier.send(db, clock, &outgoing).await;
    let now = clock.now_ms();
    let attempts = pending.attempts + 1;
    let (result, pause) = match outcome {
        SendOutcome::Accepted { message_id } => (
            outbox::sent(db, pending.activity_id, message_id, now).await,
            None,
        ),
        SendOutcome::Refused { reason } => (
            outbox::failed(db, pending.activity_id, reason, now).await,
            None,
        ),
        SendOutcome::RetryLater { reason, .. } if attempts >= MAX_ATTEMPTS => {
            let reason = format!("{reason} (after {attempts} tries)");
            (
                outbox::failed(db, pending.activity_id, reason, now).await,
                None,
            )
        }
        SendOutcome::RetryLater { after, reason } => {
            let wait = backoff(attempts, after, jitter());
            tracing::info!(activity = %pending.activity_id, %reason, ?wait, "retrying a reply");
            let at = now + wait.as_millis() as i64;
            (
                outbox::retry_at(db, pending.activity_id, attempts, at).await,
                after,
            )
        }
    };
    if let Err(error) = result {
        tracing::warn!(%error, activity = %pending.activity_id, "a send's outcome could not be recorded");
    }
    pause
}

/// A number in 0..1, for the backoff's jitter (tries of many replies spread out).
fn jitter() -> f64 {
    use rand::TryRngCore;
    let draw = rand::rngs::OsRng.try_next_u64().unwrap_or(u64::MAX / 2);
    draw as f64 / u64::MAX as f64
}
