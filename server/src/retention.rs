//! Data that does not pile up: the server prunes what it keeps only for a while, at start and
//! then on a schedule ([`crate::db::retention`] says what goes and what never does).

use crate::auth::AuthSettings;
use crate::clock::Clock;
use crate::db::retention::{self, Cutoffs, Pruned};
use crate::db::{Db, DbError};
use crate::throttle;
use std::time::Duration;

/// How long each kind is kept.
#[derive(Debug, Clone)]
pub struct Retention {
    /// Live events: a stream can resume only within this window (older ids reload).
    pub events: Duration,
    /// Webhook delivery ids, against duplicates: Quo retries a delivery for up to a day.
    pub webhook_deliveries: Duration,
    /// Notifications already read.
    pub read_notifications: Duration,
    /// How often to prune.
    pub every: Duration,
}

impl Default for Retention {
    fn default() -> Retention {
        const DAY: Duration = Duration::from_secs(24 * 3600);
        Retention {
            events: DAY * 7,
            webhook_deliveries: DAY * 3,
            read_notifications: DAY * 90,
            every: Duration::from_secs(3600),
        }
    }
}

fn before(now: i64, age: Duration) -> i64 {
    now.saturating_sub(i64::try_from(age.as_millis()).unwrap_or(i64::MAX))
}

/// Prunes once, as of `now`.
pub async fn run_once(
    db: &Db,
    retention: &Retention,
    auth: &AuthSettings,
    now: i64,
) -> Result<Pruned, DbError> {
    let cutoffs = Cutoffs {
        events: before(now, retention.events),
        webhook_deliveries: before(now, retention.webhook_deliveries),
        read_notifications: before(now, retention.read_notifications),
        idle_sessions: before(now, auth.idle_timeout),
        old_sessions: before(now, auth.lifetime),
        sign_in_failures: before(now, throttle::FAILURE_WINDOW),
        known_clients: before(now, throttle::KNOWN_FOR),
    };
    retention::prune(db, cutoffs).await
}

/// Prunes now and then every `retention.every`, for as long as the server runs.
pub async fn run(db: Db, retention: Retention, auth: std::sync::Arc<AuthSettings>, clock: Clock) {
    let mut ticks = tokio::time::interval(retention.every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match run_once(&db, &retention, &auth, clock.now_ms()).await {
            Ok(pruned) if pruned != Pruned::default() => tracing::info!(?pruned, "retention"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "retention failed; trying again later"),
        }
    }
}
