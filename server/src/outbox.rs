//! The outbox worker: sends each waiting reply through Quo, once, and records what came of it.
//! It survives restarts (the outbox is a table). A try whose answer never came (the server
//! stopped while it was on its way, or Quo did not answer) may have reached Quo: before trying
//! again, the worker looks for the message among those Quo has sent, and takes it as sent if it
//! is there; every try also carries the reply's idempotency key. It retries 429 and 5xx with
//! backoff and jitter (honouring `Retry-After`, which also pauses every send), fails at once on
//! other 4xx, and after the last try marks the reply Not delivered with the reason.

use crate::clock::Clock;
use crate::db::outbox::{self, Pending};
use crate::db::Db;
use crate::quo_api::{backoff, Lookup, Outgoing, QuoApi, SendOutcome};
use std::sync::Arc;
use std::time::Duration;
use switchboard_domain::ActivityId;
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

    async fn find_sent(&self, outgoing: &Outgoing, since_ms: i64) -> Lookup {
        match self {
            Carrier::Quo(api) => api.find_sent(outgoing, since_ms).await,
            // The demo's sends cannot be lost on the way: sending again is all there is.
            Carrier::Demo => Lookup::Found(Vec::new()),
        }
    }
}

/// Runs until the process ends.
pub async fn run(db: Db, carrier: Carrier, clock: Clock, signal: OutboxSignal) {
    match outbox::recover(&db, clock.now_ms()).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            replies = n,
            "replies whose send was on its way at a stop: looked for at Quo, else sent again"
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
        let mut due = due.into_iter();
        while let Some(pending) = due.next() {
            if let Some(pause) = send_one(&db, &carrier, &clock, pending).await {
                // Quo asked everyone to slow down: every send waits, and the rest of the batch
                // is due again when the wait ends (not a lost try's minute later).
                let until = clock.now_ms() + pause.as_millis() as i64;
                paused_until = Some(until);
                if let Err(error) = outbox::put_back(&db, due.collect(), until).await {
                    tracing::warn!(%error, "replies waiting for Quo could not be put back; they go within a minute");
                }
                break;
            }
        }
    }
}

/// Sends one reply and records the outcome; `Some(pause)` when Quo said to wait.
async fn send_one(db: &Db, carrier: &Carrier, clock: &Clock, pending: Pending) -> Option<Duration> {
    let outgoing = Outgoing {
        from: pending.from.clone(),
        to: pending.to.clone(),
        content: pending.content.clone(),
        idempotency_key: pending.idempotency_key.clone(),
    };
    let outcome = match pending.unanswered_since {
        Some(since) => match already_sent(db, carrier, pending.activity_id, &outgoing, since).await
        {
            Ok(Some(message_id)) => {
                tracing::info!(activity = %pending.activity_id, "a try that got no answer had reached Quo: sent");
                SendOutcome::Accepted { message_id }
            }
            Ok(None) => carrier.send(db, clock, &outgoing).await,
            // Not known yet whether it went: ask again later, sending nothing meanwhile.
            Err(unknown) => unknown,
        },
        None => carrier.send(db, clock, &outgoing).await,
    };
    let now = clock.now_ms();
    let attempts = pending.attempts + 1;
    // A try that got no answer keeps its start, so that the next one looks for it first.
    let unanswered = matches!(outcome, SendOutcome::NoAnswer { .. });
    let (result, pause) = match outcome {
        SendOutcome::Accepted { message_id } => (
            outbox::sent(db, pending.activity_id, message_id, now).await,
            None,
        ),
        SendOutcome::Refused { reason } => (
            outbox::failed(db, pending.activity_id, reason, now).await,
            None,
        ),
        SendOutcome::RetryLater { reason, .. } | SendOutcome::NoAnswer { reason, .. }
            if attempts >= MAX_ATTEMPTS =>
        {
            let reason = format!("{reason} (after {attempts} tries)");
            (
                outbox::failed(db, pending.activity_id, reason, now).await,
                None,
            )
        }
        SendOutcome::RetryLater { after, reason } | SendOutcome::NoAnswer { after, reason } => {
            let wait = backoff(attempts, after, jitter());
            tracing::info!(activity = %pending.activity_id, %reason, ?wait, unanswered, "retrying a reply");
            let at = now + wait.as_millis() as i64;
            (
                outbox::retry_at(db, pending.activity_id, attempts, at, unanswered).await,
                after,
            )
        }
    };
    if let Err(error) = result {
        tracing::warn!(%error, activity = %pending.activity_id, "a send's outcome could not be recorded");
    }
    pause
}

/// Whether Quo already has the message of a try that got no answer: its id if so, `None` if
/// it must be sent (again); `Err` when Quo cannot tell now (a [`SendOutcome::NoAnswer`]: the
/// next try looks again).
async fn already_sent(
    db: &Db,
    carrier: &Carrier,
    reply: ActivityId,
    outgoing: &Outgoing,
    since: i64,
) -> Result<Option<String>, SendOutcome> {
    match carrier.find_sent(outgoing, since).await {
        Lookup::Found(ids) if ids.is_empty() => Ok(None),
        Lookup::Found(ids) => outbox::first_unclaimed(db, reply, ids)
            .await
            .map_err(|error| SendOutcome::NoAnswer {
                after: None,
                reason: format!("the outbox could not be read: {error}"),
            }),
        Lookup::Unavailable { after, reason } => Err(SendOutcome::NoAnswer { after, reason }),
        Lookup::Impossible(reason) => {
            // Then only the idempotency key stands between the customer and a second text.
            tracing::warn!(%reason, "a try that got no answer could not be looked for at Quo: sending again under its key");
            Ok(None)
        }
    }
}

/// A number in 0..1, for the backoff's jitter (tries of many replies spread out).
fn jitter() -> f64 {
    use rand::TryRngCore;
    let draw = rand::rngs::OsRng.try_next_u64().unwrap_or(u64::MAX / 2);
    draw as f64 / u64::MAX as f64
}
