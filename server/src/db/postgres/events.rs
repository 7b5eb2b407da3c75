//! The live events log on PostgreSQL.

use super::{Postgres, Sql, Transaction};
use crate::db::events::{Audience, EventLog, StoredEvent};
use crate::db::DbError;
use switchboard_domain::team::LiveEvent;
use switchboard_domain::{LineId, MemberId};

/// Stores `event` in the write's transaction; it goes out to every server once that commits.
pub(crate) async fn record(
    tx: &Transaction<'_>,
    log: &mut EventLog,
    audience: Audience,
    event: &LiveEvent,
    at: i64,
) -> Result<(), DbError> {
    let json = serde_json::to_string(event).map_err(|e| DbError::Corrupt(e.to_string()))?;
    let (line_id, member_id) = match audience {
        Audience::Line(line) => (Some(line), None),
        Audience::Member(member) => (None, Some(member)),
        Audience::Workspace => (None, None),
    };
    let seq: i64 = tx
        .one(
            "INSERT INTO events (line_id, member_id, payload, at) VALUES ($1, $2, $3, $4)
             RETURNING seq",
            &[&line_id.map(|l| l.0), &member_id.map(|m| m.0), &json, &at],
        )
        .await?
        .try_get(0)?;
    log.push(StoredEvent {
        seq,
        line_id,
        member_id,
        json,
    });
    Ok(())
}

/// The events after `seq`, oldest first, at most `limit`.
pub(crate) async fn after(
    client: &impl Sql,
    seq: i64,
    limit: u32,
) -> Result<Vec<StoredEvent>, DbError> {
    client
        .all(
            "SELECT seq, line_id, member_id, payload FROM events
              WHERE seq > $1 ORDER BY seq LIMIT $2",
            &[&seq, &i64::from(limit)],
        )
        .await?
        .iter()
        .map(|row| {
            Ok(StoredEvent {
                seq: row.try_get(0)?,
                line_id: row.try_get::<_, Option<i64>>(1)?.map(LineId),
                member_id: row.try_get::<_, Option<i64>>(2)?.map(MemberId),
                json: row.try_get(3)?,
            })
        })
        .collect()
}

pub(crate) async fn since(
    db: &Postgres,
    seq: i64,
    limit: u32,
) -> Result<Vec<StoredEvent>, DbError> {
    after(&db.client().await?, seq, limit).await
}

pub(crate) async fn last_seq(db: &Postgres) -> Result<i64, DbError> {
    Ok(db
        .client()
        .await?
        .one("SELECT COALESCE(MAX(seq), 0) FROM events", &[])
        .await?
        .try_get(0)?)
}
