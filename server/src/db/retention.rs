//! What retention deletes: the events log past its window, webhook delivery ids past Quo's
//! retries, ended sessions, old sign-in failures and known clients, read notifications. Never
//! what a customer or a teammate wrote, nor the trail of state changes.

use super::{postgres, Db, DbError};
use rusqlite::{params, OptionalExtension};

/// Everything older than these times (milliseconds since the Unix epoch) goes.
#[derive(Debug, Clone, Copy)]
pub struct Cutoffs {
    pub events: i64,
    pub webhook_deliveries: i64,
    pub read_notifications: i64,
    /// Sessions unused since...
    pub idle_sessions: i64,
    /// ...or started before.
    pub old_sessions: i64,
    pub sign_in_failures: i64,
    pub known_clients: i64,
}

/// How many rows each kind lost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub events: usize,
    pub webhook_deliveries: usize,
    pub read_notifications: usize,
    pub sessions: usize,
    pub sign_in_failures: usize,
    pub known_clients: usize,
}

pub(super) const EVENTS_PRUNED_THROUGH: &str = "events_pruned_through";

pub async fn prune(db: &Db, cutoffs: Cutoffs) -> Result<Pruned, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.write(move |tx, _| {
                // The log is cut at one sequence number, so that what stays has no holes.
                let through: Option<i64> = tx
                    .prepare_cached("SELECT MAX(seq) FROM events WHERE at < $1")?
                    .query_row([cutoffs.events], |row| row.get(0))?;
                let mut pruned = Pruned::default();
                if let Some(through) = through {
                    pruned.events = tx
                        .prepare_cached("DELETE FROM events WHERE seq <= $1")?
                        .execute([through])?;
                    tx.prepare_cached(
                        "INSERT INTO retention_marks (name, value) VALUES ($1, $2)
                 ON CONFLICT (name) DO UPDATE SET value =
                     CASE WHEN excluded.value > value THEN excluded.value ELSE value END",
                    )?
                    .execute(params![EVENTS_PRUNED_THROUGH, through])?;
                }
                pruned.webhook_deliveries = tx
                    .prepare_cached("DELETE FROM webhook_deliveries WHERE received_at < $1")?
                    .execute([cutoffs.webhook_deliveries])?;
                pruned.read_notifications = tx
                    .prepare_cached("DELETE FROM notifications WHERE read = TRUE AND at < $1")?
                    .execute([cutoffs.read_notifications])?;
                pruned.sessions = tx
                    .prepare_cached(
                        "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2",
                    )?
                    .execute([cutoffs.idle_sessions, cutoffs.old_sessions])?;
                pruned.sign_in_failures = tx
                    .prepare_cached("DELETE FROM sign_in_failures WHERE at < $1")?
                    .execute([cutoffs.sign_in_failures])?;
                pruned.known_clients = tx
                    .prepare_cached("DELETE FROM known_clients WHERE last_success_at < $1")?
                    .execute([cutoffs.known_clients])?;
                Ok(pruned)
            })
            .await
        }
        Db::Postgres(db) => postgres::retention::prune(db, cutoffs).await,
    }
}

/// The last event retention deleted (0 if none): a stream cannot resume from before it.
pub async fn events_pruned_through(db: &Db) -> Result<i64, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.read(|connection| {
                Ok(connection
                    .prepare_cached("SELECT value FROM retention_marks WHERE name = $1")?
                    .query_row([EVENTS_PRUNED_THROUGH], |row| row.get(0))
                    .optional()?
                    .unwrap_or(0))
            })
            .await
        }
        Db::Postgres(db) => postgres::retention::events_pruned_through(db).await,
    }
}
