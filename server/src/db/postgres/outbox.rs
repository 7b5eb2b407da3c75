//! The outbox on PostgreSQL: replies waiting for Quo to take them, and their delivery status.

use super::changes::announce_activity_of;
use super::{Postgres, Sql, Transaction};
use crate::db::conversations::corrupt;
use crate::db::outbox::{Pending, SendVia, IN_FLIGHT_FOR_MS};
use crate::db::DbError;
use switchboard_domain::{ActivityId, ConversationId};

/// Gives a new reply its delivery status and, for Quo, a place in the outbox, in the
/// transaction that stores it.
pub(super) async fn queue(
    tx: &Transaction<'_>,
    id: ActivityId,
    via: &SendVia,
    now: i64,
) -> Result<(), DbError> {
    match via {
        SendVia::Quo => {
            tx.run(
                "UPDATE activities SET delivery = 'sending' WHERE id = $1",
                &[&id.0],
            )
            .await?;
            tx.run(
                "INSERT INTO outbox (activity_id, idempotency_key, next_attempt_at)
                 VALUES ($1, $2, $3)",
                &[&id.0, &crate::auth::new_token(), &now],
            )
            .await?;
        }
        SendVia::Nowhere { reason } => {
            tx.run(
                "UPDATE activities SET delivery = 'not_sent', delivery_error = $1 WHERE id = $2",
                &[reason, &id.0],
            )
            .await?;
        }
    }
    Ok(())
}

pub(crate) async fn retry(db: &Postgres, id: ActivityId, now: i64) -> Result<bool, DbError> {
    db.write(async move |tx, log| {
        let changed = tx
            .run(
                "UPDATE activities SET delivery = 'sending', delivery_error = NULL
                  WHERE id = $1 AND delivery IN ('failed', 'not_sent')",
                &[&id.0],
            )
            .await?;
        if changed == 0 {
            return Ok(false);
        }
        tx.run(
            "INSERT INTO outbox (activity_id, idempotency_key, next_attempt_at)
             VALUES ($1, $2, $3)
             ON CONFLICT (activity_id) DO UPDATE SET attempts = 0, next_attempt_at = $3,
                                                     in_flight_since = NULL",
            &[&id.0, &crate::auth::new_token(), &now],
        )
        .await?;
        announce_activity_of(tx, log, id, now).await?;
        Ok(true)
    })
    .await
}

pub(crate) async fn take_due(db: &Postgres, now: i64, limit: u32) -> Result<Vec<Pending>, DbError> {
    let server = db.server_id();
    db.write(async move |tx, _| {
        let due = tx
            .all(
                "SELECT o.activity_id, o.idempotency_key, o.attempts,
                        COALESCE(l.quo_number, l.number), ct.number, a.body,
                        o.in_flight_since
                   FROM outbox o
                   JOIN activities a ON a.id = o.activity_id
                   JOIN conversations c ON c.id = a.conversation_id
                   JOIN lines l ON l.id = c.line_id
                   JOIN numbers ct ON ct.id = c.number_id
                  WHERE o.next_attempt_at <= $1
                  ORDER BY o.next_attempt_at, o.activity_id
                  LIMIT $2",
                &[&now, &i64::from(limit)],
            )
            .await?
            .iter()
            .map(|row| {
                let attempts: i64 = row.try_get(2)?;
                Ok(Pending {
                    activity_id: ActivityId(row.try_get(0)?),
                    idempotency_key: row.try_get(1)?,
                    attempts: u32::try_from(attempts)
                        .map_err(|_| corrupt(format_args!("outbox attempts {attempts}")))?,
                    from: row.try_get(3)?,
                    to: row.try_get(4)?,
                    content: row.try_get::<_, Option<String>>(5)?.unwrap_or_default(),
                    unanswered_since: row.try_get(6)?,
                })
            })
            .collect::<Result<Vec<_>, DbError>>()?;
        // In flight, and not due again before a try's time has surely passed. An earlier try
        // that got no answer keeps its start: a look at Quo must reach back to it.
        for pending in &due {
            tx.run(
                "UPDATE outbox SET in_flight_since = COALESCE(in_flight_since, $1),
                                   next_attempt_at = $2, claimed_by = $4
                  WHERE activity_id = $3",
                &[
                    &now,
                    &(now + IN_FLIGHT_FOR_MS),
                    &pending.activity_id.0,
                    &server,
                ],
            )
            .await?;
        }
        Ok(due)
    })
    .await
}

/// Only the tries of servers that are gone: several servers share the outbox, and one that
/// starts must not try again what another is still waiting on.
pub(crate) async fn recover(db: &Postgres, now: i64) -> Result<usize, DbError> {
    db.write(async move |tx, _| {
        let changed = tx
            .run(
                "UPDATE outbox SET next_attempt_at = $1
                  WHERE in_flight_since IS NOT NULL
                    AND (claimed_by IS NULL
                         OR claimed_by NOT IN (SELECT pid FROM pg_stat_activity))",
                &[&now],
            )
            .await?;
        // Rows of one table: they fit in memory, so in a usize.
        Ok(usize::try_from(changed).unwrap_or(usize::MAX))
    })
    .await
}

pub(crate) async fn reply_conversation(
    db: &Postgres,
    id: ActivityId,
) -> Result<Option<ConversationId>, DbError> {
    db.client()
        .await?
        .opt(
            "SELECT conversation_id FROM activities
              WHERE id = $1 AND direction = 'outbound' AND kind = 'message'",
            &[&id.0],
        )
        .await?
        .map(|row| Ok(ConversationId(row.try_get(0)?)))
        .transpose()
}

pub(crate) async fn next_due(db: &Postgres) -> Result<Option<i64>, DbError> {
    Ok(db
        .client()
        .await?
        .one("SELECT MIN(next_attempt_at) FROM outbox", &[])
        .await?
        .try_get(0)?)
}

pub(crate) async fn sent(
    db: &Postgres,
    id: ActivityId,
    quo_message_id: String,
    now: i64,
) -> Result<(), DbError> {
    db.write(async move |tx, log| {
        tx.run("DELETE FROM outbox WHERE activity_id = $1", &[&id.0])
            .await?;
        // A delivery report that came first (Quo is quick) has already said more.
        tx.run(
            "UPDATE activities SET quo_message_id = $1, delivery_error = NULL,
                    delivery = CASE WHEN delivery = 'delivered' THEN 'delivered' ELSE 'sent' END
              WHERE id = $2",
            &[&quo_message_id, &id.0],
        )
        .await?;
        announce_activity_of(tx, log, id, now).await
    })
    .await
}

pub(crate) async fn retry_at(
    db: &Postgres,
    id: ActivityId,
    attempts: u32,
    at: i64,
    unanswered: bool,
) -> Result<(), DbError> {
    db.write(async move |tx, _| {
        tx.run(
            "UPDATE outbox SET attempts = $1, next_attempt_at = $2,
                    in_flight_since = CASE WHEN $3 THEN in_flight_since END
              WHERE activity_id = $4",
            &[&i64::from(attempts), &at, &unanswered, &id.0],
        )
        .await?;
        Ok(())
    })
    .await
}

pub(crate) async fn put_back(db: &Postgres, untried: Vec<Pending>, at: i64) -> Result<(), DbError> {
    db.write(async move |tx, _| {
        for pending in untried {
            tx.run(
                "UPDATE outbox SET next_attempt_at = $1, in_flight_since = $2
                  WHERE activity_id = $3",
                &[&at, &pending.unanswered_since, &pending.activity_id.0],
            )
            .await?;
        }
        Ok(())
    })
    .await
}

pub(crate) async fn first_unclaimed(
    db: &Postgres,
    reply: ActivityId,
    quo_message_ids: Vec<String>,
) -> Result<Option<String>, DbError> {
    let client = db.client().await?;
    for id in quo_message_ids {
        let claimed = client
            .opt(
                "SELECT 1 FROM activities WHERE quo_message_id = $1 AND id <> $2",
                &[&id, &reply.0],
            )
            .await?;
        if claimed.is_none() {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

pub(crate) async fn delivered_before_answer(
    db: &Postgres,
    line_number: String,
    customer: String,
    text: String,
    quo_message_id: String,
    now: i64,
) -> Result<bool, DbError> {
    db.write(async move |tx, log| {
        let row = tx
            .opt(
                "UPDATE activities SET quo_message_id = $1, delivery = 'delivered',
                        delivery_error = NULL
                  WHERE id = (SELECT a.id FROM outbox o
                                JOIN activities a ON a.id = o.activity_id
                                JOIN conversations c ON c.id = a.conversation_id
                                JOIN lines l ON l.id = c.line_id
                                JOIN numbers ct ON ct.id = c.number_id
                               WHERE o.in_flight_since IS NOT NULL AND a.quo_message_id IS NULL
                                 AND l.number = $2 AND ct.number = $3 AND a.body = $4
                               ORDER BY a.id LIMIT 1)
                  RETURNING id",
                &[&quo_message_id, &line_number, &customer, &text],
            )
            .await?;
        match row {
            Some(row) => {
                announce_activity_of(tx, log, ActivityId(row.try_get(0)?), now).await?;
                Ok(true)
            }
            None => Ok(false),
        }
    })
    .await
}

pub(crate) async fn failed(
    db: &Postgres,
    id: ActivityId,
    reason: String,
    now: i64,
) -> Result<(), DbError> {
    db.write(async move |tx, log| {
        tx.run("DELETE FROM outbox WHERE activity_id = $1", &[&id.0])
            .await?;
        tx.run(
            "UPDATE activities SET delivery = 'failed', delivery_error = $1 WHERE id = $2",
            &[&reason, &id.0],
        )
        .await?;
        announce_activity_of(tx, log, id, now).await
    })
    .await
}

pub(crate) async fn delivered(
    db: &Postgres,
    quo_message_id: String,
    now: i64,
) -> Result<bool, DbError> {
    db.write(async move |tx, log| {
        let row = tx
            .opt(
                "UPDATE activities SET delivery = 'delivered', delivery_error = NULL
                  WHERE quo_message_id = $1 RETURNING id",
                &[&quo_message_id],
            )
            .await?;
        match row {
            Some(row) => {
                announce_activity_of(tx, log, ActivityId(row.try_get(0)?), now).await?;
                Ok(true)
            }
            None => Ok(false),
        }
    })
    .await
}
