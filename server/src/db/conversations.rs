//! Conversations and their activities.

use super::{Db, DbError};
use rusqlite::{params, Connection, OptionalExtension, Row};
use std::fmt;
use std::str::FromStr;
use switchboard_domain::api::{
    Activity, ActivityContent, CallOutcome, ChangeId, Contact, ConversationDetail,
    ConversationPage, ConversationSummary, Direction, ReplyResponse, ReplyText,
};
use switchboard_domain::{
    ActivityId, ContactId, ConversationId, ConversationState, LineId, StateChange, Status, View,
};

/// Where a page ends: the last conversation's activity time and id (the list's sort key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub at: i64,
    pub id: ConversationId,
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.at, self.id)
    }
}

impl FromStr for Cursor {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (at, id) = s.split_once('.').ok_or(())?;
        Ok(Cursor {
            at: at.parse().map_err(|_| ())?,
            id: id.parse().map_err(|_| ())?,
        })
    }
}

/// Which page of which view.
#[derive(Debug, Clone, Copy)]
pub struct PageQuery {
    pub view: View,
    pub line: Option<LineId>,
    pub limit: u32,
    pub after: Option<Cursor>,
}

/// What became of a requested state change.
#[derive(Debug)]
pub enum ChangeOutcome {
    Changed(ConversationSummary),
    /// Refused by the safety rule; the conversation as it now is.
    Refused(ConversationSummary),
}

/// A new activity to store.
#[derive(Debug, Clone)]
pub struct NewActivity {
    pub direction: Direction,
    pub content: ActivityContent,
    pub at: i64,
}

const SUMMARY_SELECT: &str = "
    SELECT c.id, c.line_id, c.status, c.unread, c.latest_inbound_activity_id,
           c.latest_activity_at, ct.id, ct.name, ct.number,
           a.id, a.conversation_id, a.direction, a.kind, a.body, a.call_outcome,
           a.duration_seconds, a.at
      FROM conversations c
      JOIN contacts ct ON ct.id = c.contact_id
      JOIN activities a ON a.id = c.latest_activity_id";

const ACTIVITY_SELECT: &str = "
    SELECT a.id, a.conversation_id, a.direction, a.kind, a.body, a.call_outcome,
           a.duration_seconds, a.at
      FROM activities a";

struct ActivityRow {
    activity_id: i64,
    conversation_id: i64,
    direction: String,
    kind: String,
    body: Option<String>,
    call_outcome: Option<String>,
    duration_seconds: Option<i64>,
    at: i64,
}

impl ActivityRow {
    /// Reads the columns of [`ACTIVITY_SELECT`], starting at `first`.
    fn read(row: &Row, first: usize) -> rusqlite::Result<ActivityRow> {
        Ok(ActivityRow {
            activity_id: row.get(first)?,
            conversation_id: row.get(first + 1)?,
            direction: row.get(first + 2)?,
            kind: row.get(first + 3)?,
            body: row.get(first + 4)?,
            call_outcome: row.get(first + 5)?,
            duration_seconds: row.get(first + 6)?,
            at: row.get(first + 7)?,
        })
    }
}

struct SummaryRow {
    id: i64,
    line_id: i64,
    status: String,
    unread: bool,
    latest_inbound_activity_id: Option<i64>,
    latest_activity_at: i64,
    contact_id: i64,
    contact_name: Option<String>,
    contact_number: String,
    activity: ActivityRow,
}

impl SummaryRow {
    /// Reads the columns of [`SUMMARY_SELECT`].
    fn read(row: &Row) -> rusqlite::Result<SummaryRow> {
        Ok(SummaryRow {
            id: row.get(0)?,
            line_id: row.get(1)?,
            status: row.get(2)?,
            unread: row.get(3)?,
            latest_inbound_activity_id: row.get(4)?,
            latest_activity_at: row.get(5)?,
            contact_id: row.get(6)?,
            contact_name: row.get(7)?,
            contact_number: row.get(8)?,
            activity: ActivityRow::read(row, 9)?,
        })
    }
}

fn corrupt(what: impl fmt::Display) -> DbError {
    DbError::Corrupt(what.to_string())
}

impl TryFrom<ActivityRow> for Activity {
    type Error = DbError;
    fn try_from(row: ActivityRow) -> Result<Self, DbError> {
        let direction = match row.direction.as_str() {
            "inbound" => Direction::Inbound,
            "outbound" => Direction::Outbound,
            other => return Err(corrupt(format_args!("activity direction {other:?}"))),
        };
        let duration_seconds = u32::try_from(row.duration_seconds.unwrap_or(0))
            .map_err(|_| corrupt("negative duration"))?;
        let content = match row.kind.as_str() {
            "message" => ActivityContent::Message {
                text: row.body.unwrap_or_default(),
            },
            "call" => ActivityContent::Call {
                outcome: match row.call_outcome.as_deref() {
                    Some("answered") => CallOutcome::Answered,
                    Some("missed") => CallOutcome::Missed,
                    other => return Err(corrupt(format_args!("call outcome {other:?}"))),
                },
                duration_seconds,
            },
            "voicemail" => ActivityContent::Voicemail {
                duration_seconds,
                transcript: row.body,
            },
            other => return Err(corrupt(format_args!("activity kind {other:?}"))),
        };
        Ok(Activity {
            id: ActivityId(row.activity_id),
            conversation_id: ConversationId(row.conversation_id),
            direction,
            at: row.at,
            content,
        })
    }
}

impl TryFrom<SummaryRow> for ConversationSummary {
    type Error = DbError;
    fn try_from(row: SummaryRow) -> Result<Self, DbError> {
        Ok(ConversationSummary {
            id: ConversationId(row.id),
            line_id: LineId(row.line_id),
            contact: Contact {
                id: ContactId(row.contact_id),
                name: row.contact_name,
                number: row.contact_number,
            },
            status: row.status.parse().map_err(corrupt)?,
            unread: row.unread,
            latest_inbound_activity_id: row.latest_inbound_activity_id.map(ActivityId),
            latest_activity: row.activity.try_into()?,
        })
    }
}

/// The columns an activity is stored in: (direction, kind, body, call outcome, duration).
fn activity_columns(
    activity: &NewActivity,
) -> (
    &'static str,
    &'static str,
    Option<&str>,
    Option<&'static str>,
    Option<i64>,
) {
    let direction = match activity.direction {
        Direction::Inbound => "inbound",
        Direction::Outbound => "outbound",
    };
    match &activity.content {
        ActivityContent::Message { text } => (direction, "message", Some(text), None, None),
        ActivityContent::Call {
            outcome,
            duration_seconds,
        } => {
            let outcome = match outcome {
                CallOutcome::Answered => "answered",
                CallOutcome::Missed => "missed",
            };
            (
                direction,
                "call",
                None,
                Some(outcome),
                Some(i64::from(*duration_seconds)),
            )
        }
        ActivityContent::Voicemail {
            duration_seconds,
            transcript,
        } => (
            direction,
            "voicemail",
            transcript.as_deref(),
            None,
            Some(i64::from(*duration_seconds)),
        ),
    }
}

/// One page of a view, newest activity first, after `query.after`.
#[tracing::instrument(skip(db))]
pub async fn page(db: &Db, query: PageQuery) -> Result<ConversationPage, DbError> {
    // Only fixed fragments are pasted into the SQL; every value is bound.
    let view_filter = match query.view {
        View::Open => "c.status = 'open'",
        View::Unread => "c.unread = TRUE",
        View::Done => "c.status = 'done'",
    };
    let line_filter = match query.line {
        Some(_) => "AND c.line_id = $1",
        None => "AND $1 IS NULL",
    };
    let cursor_filter = match query.after {
        Some(_) => "AND (c.latest_activity_at < $2 OR (c.latest_activity_at = $2 AND c.id < $3))",
        None => "AND $2 IS NULL AND $3 IS NULL",
    };
    let sql = format!(
        "{SUMMARY_SELECT}
          WHERE {view_filter} {line_filter} {cursor_filter}
          ORDER BY c.latest_activity_at DESC, c.id DESC
          LIMIT $4"
    );
    let rows = db
        .read(move |connection| {
            let mut statement = connection.prepare_cached(&sql)?;
            let rows = statement
                .query_map(
                    params![
                        query.line.map(|line| line.0),
                        query.after.map(|cursor| cursor.at),
                        query.after.map(|cursor| cursor.id.0),
                        i64::from(query.limit) + 1,
                    ],
                    SummaryRow::read,
                )?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await?;
    let has_more = rows.len() > query.limit as usize;
    let mut conversations = Vec::with_capacity(rows.len().min(query.limit as usize));
    let mut last_key = None;
    for row in rows.into_iter().take(query.limit as usize) {
        last_key = Some(Cursor {
            at: row.latest_activity_at,
            id: ConversationId(row.id),
        });
        conversations.push(row.try_into()?);
    }
    Ok(ConversationPage {
        conversations,
        next_cursor: last_key
            .filter(|_| has_more)
            .map(|cursor| cursor.to_string()),
    })
}

fn summary(
    connection: &Connection,
    id: ConversationId,
) -> Result<Option<ConversationSummary>, DbError> {
    let row = connection
        .prepare_cached(&format!("{SUMMARY_SELECT} WHERE c.id = $1"))?
        .query_row([id.0], SummaryRow::read)
        .optional()?;
    row.map(TryInto::try_into).transpose()
}

fn existing_summary(
    connection: &Connection,
    id: ConversationId,
) -> Result<ConversationSummary, DbError> {
    summary(connection, id)?
        .ok_or_else(|| corrupt(format_args!("conversation {id} has no activity")))
}

/// One conversation with its whole thread, oldest first.
#[tracing::instrument(skip(db))]
pub async fn detail(db: &Db, id: ConversationId) -> Result<Option<ConversationDetail>, DbError> {
    db.read(move |connection| {
        // One read transaction, so that the summary and the thread are of the same moment.
        let tx = connection.unchecked_transaction()?;
        let Some(conversation) = summary(&tx, id)? else {
            return Ok(None);
        };
        let rows = tx
            .prepare_cached(&format!(
                "{ACTIVITY_SELECT} WHERE a.conversation_id = $1 ORDER BY a.id"
            ))?
            .query_map([id.0], |row| ActivityRow::read(row, 0))?
            .collect::<Result<Vec<_>, _>>()?;
        tx.commit()?;
        let activities = rows
            .into_iter()
            .map(TryInto::try_into)
            .collect::<Result<_, _>>()?;
        Ok(Some(ConversationDetail {
            conversation,
            activities,
        }))
    })
    .await
}

fn load_state(
    connection: &Connection,
    id: ConversationId,
) -> Result<Option<ConversationState>, DbError> {
    let row: Option<(String, bool, Option<i64>)> = connection
        .prepare_cached(
            "SELECT status, unread, latest_inbound_activity_id FROM conversations WHERE id = $1",
        )?
        .query_row([id.0], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .optional()?;
    row.map(|(status, unread, latest_inbound)| {
        Ok(ConversationState {
            status: status.parse::<Status>().map_err(corrupt)?,
            unread,
            latest_inbound: latest_inbound.map(ActivityId),
        })
    })
    .transpose()
}

pub(super) fn store_state(
    connection: &Connection,
    id: ConversationId,
    state: ConversationState,
) -> Result<(), DbError> {
    connection
        .prepare_cached(
            "UPDATE conversations SET status = $1, unread = $2, latest_inbound_activity_id = $3
              WHERE id = $4",
        )?
        .execute(params![
            state.status.as_str(),
            state.unread,
            state.latest_inbound.map(|a| a.0),
            id.0
        ])?;
    Ok(())
}

/// Applies a teammate's change under the safety rule, and records it; `None` if there is no
/// such conversation. A change whose `change_id` was recorded before is not applied again.
#[tracing::instrument(skip(db))]
pub async fn change_state(
    db: &Db,
    id: ConversationId,
    change: StateChange,
    seen: Option<ActivityId>,
    change_id: Option<&ChangeId>,
    at: i64,
) -> Result<Option<ChangeOutcome>, DbError> {
    db.write(|tx| {
        let Some(state) = load_state(tx, id)? else {
            return Ok(None);
        };
        if let Some(change_id) = change_id {
            let applied_before: Option<i64> = tx
                .prepare_cached("SELECT conversation_id FROM state_changes WHERE change_id = $1")?
                .query_row([change_id.as_str()], |row| row.get(0))
                .optional()?;
            if applied_before.is_some() {
                return Ok(Some(ChangeOutcome::Changed(existing_summary(tx, id)?)));
            }
        }
        let applied = state.apply(change, seen);
        if let Ok(next) = applied {
            if next != state {
                store_state(tx, id, next)?;
            }
            tx.prepare_cached(
                "INSERT INTO state_changes (change_id, conversation_id, change, at)
                 VALUES ($1, $2, $3, $4)",
            )?
            .execute(params![
                change_id.map(ChangeId::as_str),
                id.0,
                change.as_str(),
                at
            ])?;
        }
        let conversation = existing_summary(tx, id)?;
        Ok(Some(match applied {
            Ok(_) => ChangeOutcome::Changed(conversation),
            Err(_) => ChangeOutcome::Refused(conversation),
        }))
    })
    .await
}

pub(super) fn insert_activity(
    connection: &Connection,
    conversation: ConversationId,
    activity: &NewActivity,
) -> Result<ActivityId, DbError> {
    let (direction, kind, body, call_outcome, duration) = activity_columns(activity);
    let id: i64 = connection
        .prepare_cached(
            "INSERT INTO activities
                 (conversation_id, direction, kind, body, call_outcome, duration_seconds, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             RETURNING id",
        )?
        .query_row(
            params![
                conversation.0,
                direction,
                kind,
                body,
                call_outcome,
                duration,
                activity.at
            ],
            |row| row.get(0),
        )?;
    connection
        .prepare_cached(
            "UPDATE conversations SET latest_activity_id = $1, latest_activity_at = $2
              WHERE id = $3",
        )?
        .execute(params![id, activity.at, conversation.0])?;
    Ok(ActivityId(id))
}

fn activity(connection: &Connection, id: ActivityId) -> Result<Activity, DbError> {
    connection
        .prepare_cached(&format!("{ACTIVITY_SELECT} WHERE a.id = $1"))?
        .query_row([id.0], |row| ActivityRow::read(row, 0))?
        .try_into()
}

/// Stores a teammate's reply as an outbound message; `None` if there is no such conversation.
#[tracing::instrument(skip(db, text))]
pub async fn reply(
    db: &Db,
    id: ConversationId,
    text: &ReplyText,
    seen: Option<ActivityId>,
    at: i64,
) -> Result<Option<ReplyResponse>, DbError> {
    let message = NewActivity {
        direction: Direction::Outbound,
        content: ActivityContent::Message {
            text: text.as_str().to_owned(),
        },
        at,
    };
    db.write(|tx| {
        let Some(state) = load_state(tx, id)? else {
            return Ok(None);
        };
        let activity_id = insert_activity(tx, id, &message)?;
        store_state(tx, id, state.reply(seen))?;
        Ok(Some(ReplyResponse {
            activity: activity(tx, activity_id)?,
            conversation: existing_summary(tx, id)?,
        }))
    })
    .await
}

/// Records a customer's message or call on a line, creating the contact and the conversation if
/// needed: it becomes Open and unread. Returns the conversation and the new activity's id.
#[tracing::instrument(skip(db))]
pub async fn record_inbound(
    db: &Db,
    line: LineId,
    from_number: &str,
    activity: &NewActivity,
) -> Result<(ConversationSummary, ActivityId), DbError> {
    db.write(|tx| {
        let contact: i64 = tx
            .prepare_cached(
                "INSERT INTO contacts (name, number) VALUES (NULL, $1)
                 ON CONFLICT (number) DO UPDATE SET number = excluded.number
                 RETURNING id",
            )?
            .query_row([from_number], |row| row.get(0))?;
        let conversation: i64 = tx
            .prepare_cached(
                "INSERT INTO conversations (line_id, contact_id, status, unread, latest_activity_at)
                 VALUES ($1, $2, 'open', TRUE, $3)
                 ON CONFLICT (line_id, contact_id) DO UPDATE SET line_id = excluded.line_id
                 RETURNING id",
            )?
            .query_row(params![line.0, contact, activity.at], |row| row.get(0))?;
        let id = ConversationId(conversation);
        let state = load_state(tx, id)?.ok_or_else(|| corrupt("conversation vanished"))?;
        let activity_id = insert_activity(tx, id, activity)?;
        store_state(tx, id, state.receive_inbound(activity_id))?;
        Ok((existing_summary(tx, id)?, activity_id))
    })
    .await
}

/// A state change as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedChange {
    pub change_id: Option<String>,
    pub change: String,
    pub at: i64,
}

/// The state changes applied to a conversation, oldest first.
#[tracing::instrument(skip(db))]
pub async fn history(db: &Db, id: ConversationId) -> Result<Vec<RecordedChange>, DbError> {
    db.read(|connection| {
        let changes = connection
            .prepare_cached(
                "SELECT change_id, change, at FROM state_changes
                  WHERE conversation_id = $1 ORDER BY seq",
            )?
            .query_map([id.0], |row| {
                Ok(RecordedChange {
                    change_id: row.get(0)?,
                    change: row.get(1)?,
                    at: row.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(changes)
    })
    .await
}
