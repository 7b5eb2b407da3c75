//! What retention deletes, on PostgreSQL (see [`crate::db::retention`]).

use super::{Postgres, Sql};
use crate::db::retention::{Cutoffs, Pruned, EVENTS_PRUNED_THROUGH};
use crate::db::DbError;

/// Rows deleted from one table: they fit in memory, so in a usize.
fn count(rows: u64) -> usize {
    usize::try_from(rows).unwrap_or(usize::MAX)
}

pub(crate) async fn prune(db: &Postgres, cutoffs: Cutoffs) -> Result<Pruned, DbError> {
    db.write(async move |tx, _| {
        // The log is cut at one sequence number, so that what stays has no holes.
        let through: Option<i64> = tx
            .one(
                "SELECT MAX(seq) FROM events WHERE at < $1",
                &[&cutoffs.events],
            )
            .await?
            .try_get(0)?;
        let mut pruned = Pruned::default();
        if let Some(through) = through {
            pruned.events = count(
                tx.run("DELETE FROM events WHERE seq <= $1", &[&through])
                    .await?,
            );
            tx.run(
                "INSERT INTO retention_marks (name, value) VALUES ($1, $2)
                 ON CONFLICT (name) DO UPDATE
                    SET value = GREATEST(retention_marks.value, excluded.value)",
                &[&EVENTS_PRUNED_THROUGH, &through],
            )
            .await?;
        }
        pruned.webhook_deliveries = count(
            tx.run(
                "DELETE FROM webhook_deliveries WHERE received_at < $1",
                &[&cutoffs.webhook_deliveries],
            )
            .await?,
        );
        pruned.read_notifications = count(
            tx.run(
                "DELETE FROM notifications WHERE read = TRUE AND at < $1",
                &[&cutoffs.read_notifications],
            )
            .await?,
        );
        pruned.sessions = count(
            tx.run(
                "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2",
                &[&cutoffs.idle_sessions, &cutoffs.old_sessions],
            )
            .await?,
        );
        pruned.sign_in_failures = count(
            tx.run(
                "DELETE FROM sign_in_failures WHERE at < $1",
                &[&cutoffs.sign_in_failures],
            )
            .await?,
        );
        pruned.known_clients = count(
            tx.run(
                "DELETE FROM known_clients WHERE last_success_at < $1",
                &[&cutoffs.known_clients],
            )
            .await?,
        );
        Ok(pruned)
    })
    .await
}

pub(crate) async fn events_pruned_through(db: &Postgres) -> Result<i64, DbError> {
    Ok(db
        .client()
        .await?
        .opt(
            "SELECT value FROM retention_marks WHERE name = $1",
            &[&EVENTS_PRUNED_THROUGH],
        )
        .await?
        .map(|row| row.try_get(0))
        .transpose()?
        .unwrap_or(0))
}
