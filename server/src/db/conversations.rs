//! Conversations and their activities.

use super::{Db, DbError};
use sqlx::SqliteConnection;
use std::fmt;
use std::str::FromStr;
use switchboard_domain::api::{
    Activity, ActivityContent, CallOutcome, Contact, ConversationDetail, ConversationPage,
    ConversationSummary, Direction, ReplyResponse, ReplyText,
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
           c.latest_activity_at,
           ct.id AS contact_id, ct.name AS contact_name, ct.number AS contact_number,
           a.id AS activity_id, a.conversation_id, a.direction, a.kind, a.body, a.call_outcome,
           a.duration_seconds, a.at
      FROM conversations c
      JOIN contacts ct ON ct.id = c.contact_id
      JOIN activities a ON a.id = c.latest_activity_id";

const ACTIVITY_SELECT: &str = "
    SELECT a.id AS activity_id, a.conversation_id, a.direction, a.kind, a.body, a.call_outcome,
           a.duration_seconds, a.at
      FROM activities a";

#[derive(sqlx::FromRow)]
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

#[derive(sqlx::FromRow)]
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
    #[sqlx(flatten)]
    activity: ActivityRow,
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

/// One page of a view, newest activity first, pinned to `query.after`.
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
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql)
        .bind(query.line.map(|line| line.0))
        .bind(query.after.map(|cursor| cursor.at))
        .bind(query.after.map(|cursor| cursor.id.0))
        .bind(i64::from(query.limit) + 1)
        .fetch_all(&db.read)
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

async fn summary(
    connection: &mut SqliteConnection,
    id: ConversationId,
) -> Result<Option<ConversationSummary>, DbError> {
    let sql = format!("{SUMMARY_SELECT} WHERE c.id = $1");
    let row: Option<SummaryRow> = sqlx::query_as(&sql)
        .bind(id.0)
        .fetch_optional(connection)
        .await?;
    row.map(TryInto::try_into).transpose()
}

/// One conversation with its whole thread, oldest first.
#[tracing::instrument(skip(db))]
pub async fn detail(db: &Db, id: ConversationId) -> Result<Option<ConversationDetail>, DbError> {
    // One read transaction, so that the summary and the thread are of the same moment.
    let mut tx = db.read.begin().await?;
    let Some(conversation) = summary(&mut tx, id).await? else {
        return Ok(None);
    };
    let sql = format!("{ACTIVITY_SELECT} WHERE a.conversation_id = $1 ORDER BY a.id");
    let rows: Vec<ActivityRow> = sqlx::query_as(&sql).bind(id.0).fetch_all(&mut *tx).await?;
    tx.commit().await?;
    let activities = rows
        .into_iter()
        .map(TryInto::try_into)
        .collect::<Result<_, _>>()?;
    Ok(Some(ConversationDetail {
        conversation,
        activities,
    }))
}

async fn load_state(
    connection: &mut SqliteConnection,
    id: ConversationId,
) -> Result<Option<ConversationState>, DbError> {
    let row: Option<(String, bool, Option<i64>)> = sqlx::query_as(
        "SELECT status, unread, latest_inbound_activity_id FROM conversations WHERE id = $1",
    )
    .bind(id.0)
    .fetch_optional(connection)
    .await?;
    row.map(|(status, unread, latest_inbound)| {
        Ok(ConversationState {
            status: status.parse::<Status>().map_err(corrupt)?,
            unread,
            latest_inbound: latest_inbound.map(ActivityId),
        })
    })
    .transpose()
}

pub(super) async fn store_state(
    connection: &mut SqliteConnection,
    id: ConversationId,
    state: ConversationState,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE conversations SET status = $1, unread = $2, latest_inbound_activity_id = $3
          WHERE id = $4",
    )
    .bind(state.status.as_str())
    .bind(state.unread)
    .bind(state.latest_inbound.map(|a| a.0))
    .bind(id.0)
    .execute(connection)
    .await?;
    Ok(())
}

/// Applies a teammate's change under the safety rule; `None` if there is no such conversation.
#[tracing::instrument(skip(db))]
pub async fn change_state(
    db: &Db,
    id: ConversationId,
    change: StateChange,
    seen: Option<ActivityId>,
) -> Result<Option<ChangeOutcome>, DbError> {
    let mut tx = db.write.begin().await?;
    let Some(state) = load_state(&mut tx, id).await? else {
        return Ok(None);
    };
    let applied = state.apply(change, seen);
    if let Ok(next) = applied {
        if next != state {
            store_state(&mut tx, id, next).await?;
        }
    }
    let conversation = summary(&mut tx, id)
        .await?
        .ok_or_else(|| corrupt(format_args!("conversation {id} has no activity")))?;
    tx.commit().await?;
    Ok(Some(match applied {
        Ok(_) => ChangeOutcome::Changed(conversation),
        Err(_) => ChangeOutcome::Refused(conversation),
    }))
}

pub(super) async fn insert_activity(
    connection: &mut SqliteConnection,
    conversation: ConversationId,
    activity: &NewActivity,
) -> Result<ActivityId, DbError> {
    let (direction, kind, body, call_outcome, duration) = activity_columns(activity);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO activities
             (conversation_id, direction, kind, body, call_outcome, duration_seconds, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING id",
    )
    .bind(conversation.0)
    .bind(direction)
    .bind(kind)
    .bind(body)
    .bind(call_outcome)
    .bind(duration)
    .bind(activity.at)
    .fetch_one(&mut *connection)
    .await?;
    sqlx::query(
        "UPDATE conversations SET latest_activity_id = $1, latest_activity_at = $2 WHERE id = $3",
    )
    .bind(id)
    .bind(activity.at)
    .bind(conversation.0)
    .execute(connection)
    .await?;
    Ok(ActivityId(id))
}

async fn activity(connection: &mut SqliteConnection, id: ActivityId) -> Result<Activity, DbError> {
    let sql = format!("{ACTIVITY_SELECT} WHERE a.id = $1");
    let row: ActivityRow = sqlx::query_as(&sql)
        .bind(id.0)
        .fetch_one(connection)
        .await?;
    row.try_into()
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
    let mut tx = db.write.begin().await?;
    let Some(state) = load_state(&mut tx, id).await? else {
        return Ok(None);
    };
    let message = NewActivity {
        direction: Direction::Outbound,
        content: ActivityContent::Message {
            text: text.as_str().to_owned(),
        },
        at,
    };
    let activity_id = insert_activity(&mut tx, id, &message).await?;
    store_state(&mut tx, id, state.reply(seen)).await?;
    let activity = activity(&mut tx, activity_id).await?;
    let conversation = summary(&mut tx, id)
        .await?
        .ok_or_else(|| corrupt(format_args!("conversation {id} has no activity")))?;
    tx.commit().await?;
    Ok(Some(ReplyResponse {
        activity,
        conversation,
    }))
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
    let mut tx = db.write.begin().await?;
    let contact: i64 = sqlx::query_scalar(
        "INSERT INTO contacts (name, number) VALUES (NULL, $1)
         ON CONFLICT (number) DO UPDATE SET number = excluded.number
         RETURNING id",
    )
    .bind(from_number)
    .fetch_one(&mut *tx)
    .await?;
    let conversation: i64 = sqlx::query_scalar(
        "INSERT INTO conversations (line_id, contact_id, status, unread, latest_activity_at)
         VALUES ($1, $2, 'open', TRUE, $3)
         ON CONFLICT (line_id, contact_id) DO UPDATE SET line_id = excluded.line_id
         RETURNING id",
    )
    .bind(line.0)
    .bind(contact)
    .bind(activity.at)
    .fetch_one(&mut *tx)
    .await?;
    let id = ConversationId(conversation);
    let state = load_state(&mut tx, id)
        .await?
        .ok_or_else(|| corrupt("conversation vanished"))?;
    let activity_id = insert_activity(&mut tx, id, activity).await?;
    store_state(&mut tx, id, state.receive_inbound(activity_id)).await?;
    let summary = summary(&mut tx, id)
        .await?
        .ok_or_else(|| corrupt(format_args!("conversation {id} has no activity")))?;
    tx.commit().await?;
    Ok((summary, activity_id))
}
