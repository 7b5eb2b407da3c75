//! The outbox: replies waiting for Quo to take them, each tried until it is taken, refused, or
//! out of tries; and the delivery status of every reply.

use super::changes::announce_activity_of;
use super::{postgres, Db, DbError};
use rusqlite::{params, Connection, OptionalExtension};
use switchboard_domain::ActivityId;

/// Where a new reply goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendVia {
    /// To the outbox, for Quo.
    Quo,
    /// Nowhere: it stays in the thread, Not sent, for this reason.
    Nowhere { reason: String },
}

/// Gives a new reply its delivery status and, for Quo, a place in the outbox, in the
/// transaction that stores it.
pub(super) fn queue(
    tx: &Connection,
    id: ActivityId,
    via: &SendVia,
    now: i64,
) -> Result<(), DbError> {
    match via {
        SendVia::Quo => {
            tx.prepare_cached("UPDATE activities SET delivery = 'sending' WHERE id = $1")?
                .execute([id.0])?;
            tx.prepare_cached(
                "INSERT INTO outbox (activity_id, idempotency_key, next_attempt_at)
                 VALUES ($1, $2, $3)",
            )?
            .execute(params![id.0, crate::auth::new_token(), now])?;
        }
        SendVia::Nowhere { reason } => {
            tx.prepare_cached(
                "UPDATE activities SET delivery = 'not_sent', delivery_error = $1 WHERE id = $2",
            )?
            .execute(params![reason, id.0])?;
        }
    }
    Ok(())
}

/// Puts a reply that was not delivered back in the outbox (the thread's Retry); `false` if it
/// is no such reply.
pub async fn retry(db: &Db, id: ActivityId, now: i64) -> Result<bool, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.write(move |tx, log| {
                let changed = tx
                    .prepare_cached(
                        "UPDATE activities SET delivery = 'sending', delivery_error = NULL
                  WHERE id = $1 AND delivery IN ('failed', 'not_sent')",
                    )?
                    .execute([id.0])?;
                if changed == 0 {
                    return Ok(false);
                }
                tx.prepare_cached(
                    "INSERT INTO outbox (activity_id, idempotency_key, next_attempt_at)
             VALUES ($1, $2, $3)
             ON CONFLICT (activity_id) DO UPDATE SET attempts = 0, next_attempt_at = $3,
                                                     in_flight_since = NULL",
                )?
                .execute(params![id.0, crate::auth::new_token(), now])?;
                announce_activity_of(tx, log, id, now)?;
                Ok(true)
            })
            .await
        }
        Db::Postgres(db) => postgres::outbox::retry(db, id, now).await,
    }
}

/// A reply to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub activity_id: ActivityId,
    pub idempotency_key: String,
    /// Tries made so far.
    pub attempts: u32,
    /// The line's Quo number (its `PN…` id, or its E.164 number).
    pub from: String,
    pub to: String,
    pub content: String,
    /// When the last try began, if its answer never came (the server stopped while it was on
    /// its way, or Quo did not answer): it may have reached Quo.
    pub unanswered_since: Option<i64>,
}

/// The replies due by `now`, oldest first, at most `limit`; each is marked in flight.
pub async fn take_due(db: &Db, now: i64, limit: u32) -> Result<Vec<Pending>, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.write(move |tx, _| {
                let due: Vec<Pending> = tx
                    .prepare_cached(
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
                    )?
                    .query_map(params![now, limit], |row| {
                        Ok(Pending {
                            activity_id: ActivityId(row.get(0)?),
                            idempotency_key: row.get(1)?,
                            attempts: row.get(2)?,
                            from: row.get(3)?,
                            to: row.get(4)?,
                            content: row.get::<_, Option<String>>(5)?.unwrap_or_default(),
                            unanswered_since: row.get(6)?,
                        })
                    })?
                    .collect::<Result<_, _>>()?;
                // In flight, and not due again before a try's time has surely passed. An earlier try
                // that got no answer keeps its start: a look at Quo must reach back to it.
                let mut mark = tx.prepare_cached(
            "UPDATE outbox SET in_flight_since = COALESCE(in_flight_since, $1), next_attempt_at = $2
              WHERE activity_id = $3",
        )?;
                for pending in &due {
                    mark.execute(params![now, now + IN_FLIGHT_FOR_MS, pending.activity_id.0])?;
                }
                Ok(due)
            })
            .await
        }
        Db::Postgres(db) => postgres::outbox::take_due(db, now, limit).await,
    }
}

/// A try that got no answer counts as lost after this long, and is tried again.
pub(super) const IN_FLIGHT_FOR_MS: i64 = 60_000;

/// At start: a try that was on its way when the server stopped is due again now (under the
/// same key, so that Quo takes the message once).
pub async fn recover(db: &Db, now: i64) -> Result<usize, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.write(move |tx, _| {
                Ok(tx
                    .prepare_cached(
                        "UPDATE outbox SET next_attempt_at = $1 WHERE in_flight_since IS NOT NULL",
                    )?
                    .execute([now])?)
            })
            .await
        }
        Db::Postgres(db) => postgres::outbox::recover(db, now).await,
    }
}

/// The conversation a reply belongs to, if `id` is a reply (an outbound message).
pub async fn reply_conversation(
    db: &Db,
    id: ActivityId,
) -> Result<Option<switchboard_domain::ConversationId>, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.read(move |connection| {
                Ok(connection
                    .prepare_cached(
                        "SELECT conversation_id FROM activities
                  WHERE id = $1 AND direction = 'outbound' AND kind = 'message'",
                    )?
                    .query_row([id.0], |row| {
                        Ok(switchboard_domain::ConversationId(row.get(0)?))
                    })
                    .optional()?)
            })
            .await
        }
        Db::Postgres(db) => postgres::outbox::reply_conversation(db, id).await,
    }
}

/// When the next reply is due, if any is waiting.
pub async fn next_due(db: &Db) -> Result<Option<i64>, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.read(|connection| {
                Ok(connection
                    .prepare_cached("SELECT MIN(next_attempt_at) FROM outbox")?
                    .query_row([], |row| row.get(0))?)
            })
            .await
        }
        Db::Postgres(db) => postgres::outbox::next_due(db).await,
    }
}

/// Quo took the reply: it is Sent, under Quo's message id, and leaves the outbox.
pub async fn sent(
    db: &Db,
    id: ActivityId,
    quo_message_id: String,
    now: i64,
) -> Result<(), DbError> {
    match db {
        Db::Sqlite(db) => {
            db.write(move |tx, log| {
                tx.prepare_cached("DELETE FROM outbox WHERE activity_id = $1")?
                    .execute([id.0])?;
                // A delivery report that came first (Quo is quick) has already said more.
                tx.prepare_cached(
                    "UPDATE activities SET quo_message_id = $1, delivery_error = NULL,
                    delivery = CASE WHEN delivery = 'delivered' THEN 'delivered' ELSE 'sent' END
              WHERE id = $2",
                )?
                .execute(params![quo_message_id, id.0])?;
                announce_activity_of(tx, log, id, now)
            })
            .await
        }
        Db::Postgres(db) => postgres::outbox::sent(db, id, quo_message_id, now).await,
    }
}

/// Try again at `at` (after `attempts` tries). `unanswered`: the last try got no answer, so
/// its start stays recorded and the next try looks for it at Quo first.
pub async fn retry_at(
    db: &Db,
    id: ActivityId,
    attempts: u32,
    at: i64,
    unanswered: bool,
) -> Result<(), DbError> {
    match db {
        Db::Sqlite(db) => {
            db.write(move |tx, _| {
                tx.prepare_cached(
                    "UPDATE outbox SET attempts = $1, next_attempt_at = $2,
                    in_flight_since = CASE WHEN $3 THEN in_flight_since END
              WHERE activity_id = $4",
                )?
                .execute(params![attempts, at, unanswered, id.0])?;
                Ok(())
            })
            .await
        }
        Db::Postgres(db) => postgres::outbox::retry_at(db, id, attempts, at, unanswered).await,
    }
}

/// Replies taken but not tried (Quo asked every send to wait): due again at `at`, as they were
/// before they were taken.
pub async fn put_back(db: &Db, untried: Vec<Pending>, at: i64) -> Result<(), DbError> {
    match db {
        Db::Sqlite(db) => {
            db.write(move |tx, _| {
                let mut put_back = tx.prepare_cached(
            "UPDATE outbox SET next_attempt_at = $1, in_flight_since = $2 WHERE activity_id = $3",
        )?;
                for pending in untried {
                    put_back.execute(params![
                        at,
                        pending.unanswered_since,
                        pending.activity_id.0
                    ])?;
                }
                Ok(())
            })
            .await
        }
        Db::Postgres(db) => postgres::outbox::put_back(db, untried, at).await,
    }
}

/// Of Quo's message ids, the first that no other activity here has yet, if any: a reply found
/// at Quo is never taken for another one with the same words.
pub async fn first_unclaimed(
    db: &Db,
    reply: ActivityId,
    quo_message_ids: Vec<String>,
) -> Result<Option<String>, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.read(move |connection| {
                let mut claimed = connection.prepare_cached(
                    "SELECT 1 FROM activities WHERE quo_message_id = $1 AND id <> $2",
                )?;
                for id in quo_message_ids {
                    if !claimed.exists(params![&id, reply.0])? {
                        return Ok(Some(id));
                    }
                }
                Ok(None)
            })
            .await
        }
        Db::Postgres(db) => postgres::outbox::first_unclaimed(db, reply, quo_message_ids).await,
    }
}

/// Quo reports delivered a message that no reply has the id of yet, because Quo was quicker
/// than its answer to the send: the oldest reply still waiting for that answer, on the line
/// with this number, to this customer, with these very words, takes the id and says Delivered
/// (the answer, when it comes, keeps that). `false` if no such reply waits.
pub async fn delivered_before_answer(
    db: &Db,
    line_number: String,
    customer: String,
    text: String,
    quo_message_id: String,
    now: i64,
) -> Result<bool, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.write(move |tx, log| {
                let id: Option<i64> = tx
                    .prepare_cached(
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
                    )?
                    .query_row(
                        params![quo_message_id, line_number, customer, text],
                        |row| row.get(0),
                    )
                    .optional()?;
                match id {
                    Some(id) => {
                        announce_activity_of(tx, log, ActivityId(id), now)?;
                        Ok(true)
                    }
                    None => Ok(false),
                }
            })
            .await
        }
        Db::Postgres(db) => {
            postgres::outbox::delivered_before_answer(
                db,
                line_number,
                customer,
                text,
                quo_message_id,
                now,
            )
            .await
        }
    }
}

/// The reply will not go: Not delivered, with the reason; it leaves the outbox (Retry puts it
/// back).
pub async fn failed(db: &Db, id: ActivityId, reason: String, now: i64) -> Result<(), DbError> {
    match db {
        Db::Sqlite(db) => {
            db.write(move |tx, log| {
                tx.prepare_cached("DELETE FROM outbox WHERE activity_id = $1")?
                    .execute([id.0])?;
                tx.prepare_cached(
                    "UPDATE activities SET delivery = 'failed', delivery_error = $1 WHERE id = $2",
                )?
                .execute(params![reason, id.0])?;
                announce_activity_of(tx, log, id, now)
            })
            .await
        }
        Db::Postgres(db) => postgres::outbox::failed(db, id, reason, now).await,
    }
}

/// Quo reports the message with this id delivered: its reply says so. `false` if no reply of
/// ours has that id (a text sent from Quo's own app, recorded as an activity of its own).
pub async fn delivered(db: &Db, quo_message_id: String, now: i64) -> Result<bool, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.write(move |tx, log| {
                let id: Option<i64> = tx
                    .prepare_cached(
                        "UPDATE activities SET delivery = 'delivered', delivery_error = NULL
                  WHERE quo_message_id = $1 RETURNING id",
                    )?
                    .query_row([&quo_message_id], |row| row.get(0))
                    .optional()?;
                match id {
                    Some(id) => {
                        announce_activity_of(tx, log, ActivityId(id), now)?;
                        Ok(true)
                    }
                    None => Ok(false),
                }
            })
            .await
        }
        Db::Postgres(db) => postgres::outbox::delivered(db, quo_message_id, now).await,
    }
}
