//! The live events log: every change a teammate should see at once, in order, with the sequence
//! number a reconnecting client resumes from.

use super::{postgres, Db, DbError};
use rusqlite::{params, Connection};
use switchboard_domain::team::LiveEvent;
use switchboard_domain::{LineId, MemberId};

/// An event as stored and broadcast: who may receive it, and its JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub seq: i64,
    /// For the teammates who see this line.
    pub line_id: Option<LineId>,
    /// For this teammate only.
    pub member_id: Option<MemberId>,
    pub json: String,
}

impl StoredEvent {
    /// Whether this event ends the streams it reaches: its teammate's access changed, and
    /// anything after it is judged by the new access, on a new stream.
    pub fn ends_stream(&self) -> bool {
        use std::sync::OnceLock;
        static ACCESS_CHANGED: OnceLock<String> = OnceLock::new();
        let access_changed = ACCESS_CHANGED.get_or_init(|| {
            serde_json::to_string(&LiveEvent::AccessChanged {}).expect("an event serialises")
        });
        self.member_id.is_some() && self.json == *access_changed
    }
}

/// The events a write transaction records, published once it commits.
#[derive(Debug, Default)]
pub struct EventLog {
    events: Vec<StoredEvent>,
}

/// Who an event is for.
#[derive(Debug, Clone, Copy)]
pub enum Audience {
    Line(LineId),
    Member(MemberId),
    /// Every teammate (contacts are the workspace's).
    Workspace,
}

impl EventLog {
    pub fn record(
        &mut self,
        connection: &Connection,
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
        let seq: i64 = connection
            .prepare_cached(
                "INSERT INTO events (line_id, member_id, payload, at) VALUES ($1, $2, $3, $4)
                 RETURNING seq",
            )?
            .query_row(
                params![line_id.map(|l| l.0), member_id.map(|m| m.0), json, at],
                |row| row.get(0),
            )?;
        self.events.push(StoredEvent {
            seq,
            line_id,
            member_id,
            json,
        });
        Ok(())
    }

    /// Adds an event that the caller has stored (PostgreSQL's writes store their own).
    pub(super) fn push(&mut self, event: StoredEvent) {
        self.events.push(event);
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    pub(super) fn into_events(self) -> Vec<StoredEvent> {
        self.events
    }
}

/// The events after `seq`, oldest first, at most `limit` (a client that was away long reloads).
#[tracing::instrument(skip(db))]
pub async fn since(db: &Db, seq: i64, limit: u32) -> Result<Vec<StoredEvent>, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.read(|connection| {
                let events = connection
                    .prepare_cached(
                        "SELECT seq, line_id, member_id, payload FROM events
                          WHERE seq > $1 ORDER BY seq LIMIT $2",
                    )?
                    .query_map(params![seq, limit], |row| {
                        Ok(StoredEvent {
                            seq: row.get(0)?,
                            line_id: row.get::<_, Option<i64>>(1)?.map(LineId),
                            member_id: row.get::<_, Option<i64>>(2)?.map(MemberId),
                            json: row.get(3)?,
                        })
                    })?
                    .collect::<Result<_, _>>()?;
                Ok(events)
            })
            .await
        }
        Db::Postgres(db) => postgres::events::since(db, seq, limit).await,
    }
}

/// The newest event's number (0 when none): where a fresh stream starts.
pub async fn last_seq(db: &Db) -> Result<i64, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.read(|connection| {
                Ok(
                    connection.query_row(
                        "SELECT COALESCE(MAX(seq), 0) FROM events",
                        [],
                        |row| row.get(0),
                    )?,
                )
            })
            .await
        }
        Db::Postgres(db) => postgres::events::last_seq(db).await,
    }
}
