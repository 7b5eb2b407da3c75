//! Changing conversations: state changes under the safety rule, replies, notes, assignment,
//! pins, and the customers' messages and calls. Each write records the live events it causes,
//! in the same transaction.

use super::conversations::{activity, existing_summary, Denied};
use super::events::{Audience, EventLog};
use super::members::SessionMember;
use super::notifications;
use super::outbox::SendVia;
use super::{postgres, Db, DbError};
use rusqlite::{params, Connection, OptionalExtension};
use switchboard_domain::api::{
    ActivityContent, CallOutcome, ChangeId, ConversationSummary, Direction, ReplyResponse,
    ReplyText,
};
use switchboard_domain::team::LiveEvent;
use switchboard_domain::{
    ActivityId, ConversationId, ConversationState, LineId, MemberId, StateChange, Status,
};

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

fn corrupt(what: impl std::fmt::Display) -> DbError {
    DbError::Corrupt(what.to_string())
}

/// A conversation's state and line, as the rules need them.
#[derive(Debug, Clone, Copy)]
pub(super) struct Stored {
    pub state: ConversationState,
    pub line: LineId,
}

impl Stored {
    /// From the columns `status, unread, latest_inbound_activity_id, line_id`.
    pub(super) fn from_columns(
        status: &str,
        unread: bool,
        latest_inbound: Option<i64>,
        line: i64,
    ) -> Result<Stored, DbError> {
        Ok(Stored {
            state: ConversationState {
                status: status.parse::<Status>().map_err(corrupt)?,
                unread,
                latest_inbound: latest_inbound.map(ActivityId),
            },
            line: LineId(line),
        })
    }
}

fn load(connection: &Connection, id: ConversationId) -> Result<Option<Stored>, DbError> {
    let row: Option<(String, bool, Option<i64>, i64)> = connection
        .prepare_cached(
            "SELECT status, unread, latest_inbound_activity_id, line_id
               FROM conversations WHERE id = $1",
        )?
        .query_row([id.0], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .optional()?;
    row.map(|(status, unread, latest_inbound, line)| {
        Stored::from_columns(&status, unread, latest_inbound, line)
    })
    .transpose()
}

/// The conversation, if `viewer` may change it.
fn load_for(
    connection: &Connection,
    id: ConversationId,
    viewer: &SessionMember,
) -> Result<Result<Stored, Denied>, DbError> {
    Ok(match load(connection, id)? {
        None => Err(Denied::NotFound),
        Some(stored) if !viewer.can_see(stored.line) => Err(Denied::Forbidden),
        Some(stored) => Ok(stored),
    })
}

/// Stores a conversation's new state, and keeps its line's unread count in step.
pub(super) fn store_state(
    connection: &Connection,
    id: ConversationId,
    before: Stored,
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
    if state.unread != before.state.unread {
        let delta: i64 = if state.unread { 1 } else { -1 };
        connection
            .prepare_cached("UPDATE lines SET unread_count = unread_count + $1 WHERE id = $2")?
            .execute(params![delta, before.line.0])?;
    }
    Ok(())
}

/// An activity as its columns.
pub(super) struct Columns<'a> {
    pub(super) direction: &'static str,
    pub(super) kind: &'static str,
    /// The message's or note's text, or the voicemail's transcript.
    pub(super) body: Option<&'a str>,
    pub(super) call_outcome: Option<&'static str>,
    pub(super) duration: Option<i64>,
    pub(super) author: Option<i64>,
}

impl<'a> Columns<'a> {
    pub(super) fn of(activity: &'a NewActivity) -> Columns<'a> {
        let direction = match activity.direction {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
            Direction::Internal => "internal",
        };
        let plain = |kind, body| Columns {
            direction,
            kind,
            body,
            call_outcome: None,
            duration: None,
            author: None,
        };
        match &activity.content {
            ActivityContent::Message { text } => plain("message", Some(text.as_str())),
            ActivityContent::Call {
                outcome,
                duration_seconds,
            } => Columns {
                call_outcome: Some(match outcome {
                    CallOutcome::Answered => "answered",
                    CallOutcome::Missed => "missed",
                }),
                duration: Some(i64::from(*duration_seconds)),
                ..plain("call", None)
            },
            ActivityContent::Voicemail {
                duration_seconds,
                transcript,
            } => Columns {
                duration: Some(i64::from(*duration_seconds)),
                ..plain("voicemail", transcript.as_deref())
            },
            ActivityContent::Note { text, author } => Columns {
                author: Some(author.id.0),
                ..plain("note", Some(text.as_str()))
            },
        }
    }
}

fn insert_activity_row(
    connection: &Connection,
    conversation: ConversationId,
    activity: &NewActivity,
) -> Result<ActivityId, DbError> {
    let columns = Columns::of(activity);
    let id: i64 = connection
        .prepare_cached(
            "INSERT INTO activities (conversation_id, direction, kind, body, call_outcome,
                                     duration_seconds, at, author_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             RETURNING id",
        )?
        .query_row(
            params![
                conversation.0,
                columns.direction,
                columns.kind,
                columns.body,
                columns.call_outcome,
                columns.duration,
                activity.at,
                columns.author
            ],
            |row| row.get(0),
        )?;
    Ok(ActivityId(id))
}

/// Stores an activity as the conversation's newest.
pub(super) fn insert_activity(
    connection: &Connection,
    conversation: ConversationId,
    activity: &NewActivity,
) -> Result<ActivityId, DbError> {
    let id = insert_activity_row(connection, conversation, activity)?;
    connection
        .prepare_cached(
            "UPDATE conversations SET latest_activity_id = $1, latest_activity_at = $2
              WHERE id = $3",
        )?
        .execute(params![id.0, activity.at, conversation.0])?;
    Ok(id)
}

fn unread_count(connection: &Connection, line: LineId) -> Result<u32, DbError> {
    Ok(connection
        .prepare_cached("SELECT unread_count FROM lines WHERE id = $1")?
        .query_row([line.0], |row| row.get(0))?)
}

/// Tells the line's teammates how the conversation now stands.
fn announce(
    connection: &Connection,
    log: &mut EventLog,
    conversation: &ConversationSummary,
    at: i64,
) -> Result<(), DbError> {
    let event = LiveEvent::Conversation {
        conversation: conversation.clone(),
        line_unread_count: unread_count(connection, conversation.line_id)?,
    };
    log.record(connection, Audience::Line(conversation.line_id), &event, at)
}

/// Tells the line's teammates of a new activity in a thread.
/// Tells the line's teammates how an activity now stands (a reply's delivery changed).
pub(super) fn announce_activity_of(
    connection: &Connection,
    log: &mut EventLog,
    id: ActivityId,
    at: i64,
) -> Result<(), DbError> {
    let line: i64 = connection
        .prepare_cached(
            "SELECT c.line_id FROM activities a JOIN conversations c ON c.id = a.conversation_id
              WHERE a.id = $1",
        )?
        .query_row([id.0], |row| row.get(0))?;
    announce_activity(connection, log, LineId(line), id, at)
}

fn announce_activity(
    connection: &Connection,
    log: &mut EventLog,
    line: LineId,
    id: ActivityId,
    at: i64,
) -> Result<(), DbError> {
    let event = LiveEvent::Activity {
        activity: activity(connection, id)?,
    };
    log.record(connection, Audience::Line(line), &event, at)
}

/// Applies a teammate's change under the safety rule, and records it. A change whose
/// `change_id` was recorded before is not applied again.
#[tracing::instrument(skip(db, viewer))]
pub async fn change_state(
    db: &Db,
    viewer: &SessionMember,
    id: ConversationId,
    change: StateChange,
    seen: Option<ActivityId>,
    change_id: Option<&ChangeId>,
    at: i64,
) -> Result<Result<ChangeOutcome, Denied>, DbError> {
    match db {
        Db::Sqlite(db) => {
            let viewer = viewer.clone();
            let change_id = change_id.cloned();
            db.write(move |tx, log| {
                let stored = match load_for(tx, id, &viewer)? {
                    Ok(stored) => stored,
                    Err(denied) => return Ok(Err(denied)),
                };
                let state = stored.state;
                if let Some(change_id) = &change_id {
                    let applied_before: Option<i64> = tx
                        .prepare_cached(
                            "SELECT conversation_id FROM state_changes
                      WHERE member_id = $1 AND change_id = $2",
                        )?
                        .query_row(params![viewer.id.0, change_id.as_str()], |row| row.get(0))
                        .optional()?;
                    if applied_before.is_some() {
                        return Ok(Ok(ChangeOutcome::Changed(existing_summary(tx, id)?)));
                    }
                }
                let applied = state.apply(change, seen);
                let mut changed = false;
                if let Ok(next) = applied {
                    changed = next != state;
                    if changed {
                        store_state(tx, id, stored, next)?;
                    }
                    tx.prepare_cached(
                "INSERT INTO state_changes (change_id, conversation_id, change, at, member_id)
                 VALUES ($1, $2, $3, $4, $5)",
            )?
            .execute(params![
                change_id.as_ref().map(ChangeId::as_str),
                id.0,
                change.as_str(),
                at,
                viewer.id.0
            ])?;
                }
                let conversation = existing_summary(tx, id)?;
                if changed {
                    announce(tx, log, &conversation, at)?;
                }
                Ok(Ok(match applied {
                    Ok(_) => ChangeOutcome::Changed(conversation),
                    Err(_) => ChangeOutcome::Refused(conversation),
                }))
            })
            .await
        }
        Db::Postgres(db) => {
            postgres::changes::change_state(db, viewer, id, change, seen, change_id, at).await
        }
    }
}

/// Stores a teammate's reply as an outbound message.
#[tracing::instrument(skip(db, viewer, text))]
pub async fn reply(
    db: &Db,
    viewer: &SessionMember,
    id: ConversationId,
    text: &ReplyText,
    seen: Option<ActivityId>,
    via: SendVia,
    at: i64,
) -> Result<Result<ReplyResponse, Denied>, DbError> {
    match db {
        Db::Sqlite(db) => {
            let message = NewActivity {
                direction: Direction::Outbound,
                content: ActivityContent::Message {
                    text: text.as_str().to_owned(),
                },
                at,
            };
            let viewer = viewer.clone();
            db.write(move |tx, log| {
                let stored = match load_for(tx, id, &viewer)? {
                    Ok(stored) => stored,
                    Err(denied) => return Ok(Err(denied)),
                };
                let line = stored.line;
                let activity_id = insert_activity(tx, id, &message)?;
                super::outbox::queue(tx, activity_id, &via, at)?;
                store_state(tx, id, stored, stored.state.reply(seen))?;
                let conversation = existing_summary(tx, id)?;
                announce_activity(tx, log, line, activity_id, at)?;
                announce(tx, log, &conversation, at)?;
                Ok(Ok(ReplyResponse {
                    activity: activity(tx, activity_id)?,
                    conversation,
                }))
            })
            .await
        }
        Db::Postgres(db) => postgres::changes::reply(db, viewer, id, text, seen, via, at).await,
    }
}

/// Why an assignment was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignRefused {
    Denied(Denied),
    /// No such teammate, or one who cannot see the conversation's line.
    UnknownAssignee,
}

/// Gives the conversation to a teammate, or to nobody. Handing it to someone else than oneself
/// makes it unread for the team, so that the handoff is seen.
#[tracing::instrument(skip(db, viewer))]
pub async fn assign(
    db: &Db,
    viewer: &SessionMember,
    id: ConversationId,
    assignee: Option<MemberId>,
    at: i64,
) -> Result<Result<ConversationSummary, AssignRefused>, DbError> {
    match db {
        Db::Sqlite(db) => {
            let viewer = viewer.clone();
            db.write(move |tx, log| {
                let stored = match load_for(tx, id, &viewer)? {
                    Ok(stored) => stored,
                    Err(denied) => return Ok(Err(AssignRefused::Denied(denied))),
                };
                let line = stored.line;
                if let Some(assignee) = assignee {
                    let allowed: Option<i64> = tx
                        .prepare_cached(
                            "SELECT m.id FROM members m
                      WHERE m.id = $1 AND (m.role IN ('owner', 'admin')
                            OR EXISTS (SELECT 1 FROM line_access la
                                        WHERE la.member_id = m.id AND la.line_id = $2))",
                        )?
                        .query_row(params![assignee.0, line.0], |row| row.get(0))
                        .optional()?;
                    if allowed.is_none() {
                        return Ok(Err(AssignRefused::UnknownAssignee));
                    }
                }
                tx.prepare_cached("UPDATE conversations SET assignee_id = $1 WHERE id = $2")?
                    .execute(params![assignee.map(|m| m.0), id.0])?;
                if assignee.is_some_and(|assignee| assignee != viewer.id) {
                    store_state(tx, id, stored, stored.state.hand_off())?;
                }
                let conversation = existing_summary(tx, id)?;
                announce(tx, log, &conversation, at)?;
                Ok(Ok(conversation))
            })
            .await
        }
        Db::Postgres(db) => postgres::changes::assign(db, viewer, id, assignee, at).await,
    }
}

/// Pins or unpins a conversation for the whole team.
#[tracing::instrument(skip(db, viewer))]
pub async fn pin(
    db: &Db,
    viewer: &SessionMember,
    id: ConversationId,
    pinned: bool,
    at: i64,
) -> Result<Result<ConversationSummary, Denied>, DbError> {
    match db {
        Db::Sqlite(db) => {
            let viewer = viewer.clone();
            db.write(move |tx, log| {
                if let Err(denied) = load_for(tx, id, &viewer)? {
                    return Ok(Err(denied));
                }
                tx.prepare_cached("UPDATE conversations SET pinned = $1 WHERE id = $2")?
                    .execute(params![pinned, id.0])?;
                let conversation = existing_summary(tx, id)?;
                announce(tx, log, &conversation, at)?;
                Ok(Ok(conversation))
            })
            .await
        }
        Db::Postgres(db) => postgres::changes::pin(db, viewer, id, pinned, at).await,
    }
}

/// An internal note in a conversation; the mentioned teammates who can see it are notified.
/// A note leaves the conversation's place in the list and its state alone: it is the team's.
#[tracing::instrument(skip(db, viewer, text))]
pub async fn note(
    db: &Db,
    viewer: &SessionMember,
    id: ConversationId,
    text: &ReplyText,
    mentions: &[MemberId],
    at: i64,
) -> Result<Result<ReplyResponse, Denied>, DbError> {
    match db {
        Db::Sqlite(db) => {
            let note = NewActivity {
                direction: Direction::Internal,
                content: ActivityContent::Note {
                    text: text.as_str().to_owned(),
                    author: switchboard_domain::team::MemberRef {
                        id: viewer.id,
                        name: viewer.name.clone(),
                    },
                },
                at,
            };
            let viewer = viewer.clone();
            let text = text.clone();
            let mentions = mentions.to_vec();
            db.write(move |tx, log| {
                let line = match load_for(tx, id, &viewer)? {
                    Ok(stored) => stored.line,
                    Err(denied) => return Ok(Err(denied)),
                };
                let activity_id = insert_activity_row(tx, id, &note)?;
                announce_activity(tx, log, line, activity_id, at)?;
                let mut notified = Vec::new();
                for member in &mentions {
                    if *member != viewer.id && !notified.contains(member) {
                        notified.push(*member);
                        notifications::mention(
                            tx,
                            log,
                            *member,
                            line,
                            id,
                            activity_id,
                            &viewer,
                            &text,
                            at,
                        )?;
                    }
                }
                Ok(Ok(ReplyResponse {
                    activity: activity(tx, activity_id)?,
                    conversation: existing_summary(tx, id)?,
                }))
            })
            .await
        }
        Db::Postgres(db) => postgres::changes::note(db, viewer, id, text, mentions, at).await,
    }
}

/// A customer's message or call on a line, or the team's own from elsewhere (the phone app).
#[derive(Debug, Clone)]
pub struct Incoming {
    pub line: LineId,
    /// The customer's number, E.164.
    pub customer: String,
    pub activity: NewActivity,
    /// The webhook delivery's id: a delivery seen before is not stored again.
    pub delivery_id: Option<String>,
}

/// Records an activity on a line, creating the contact and the conversation if needed. An
/// inbound one makes the conversation Open and unread. `None`: the delivery was seen before.
#[tracing::instrument(skip(db))]
pub async fn record_incoming(
    db: &Db,
    incoming: &Incoming,
) -> Result<Option<(ConversationSummary, ActivityId)>, DbError> {
    match db {
        Db::Sqlite(db) => {
            let incoming = incoming.clone();
            db.write(move |tx, log| {
                if let Some(delivery) = &incoming.delivery_id {
                    let taken: Option<String> = tx
                .prepare_cached(
                    "INSERT INTO webhook_deliveries (delivery_id, received_at) VALUES ($1, $2)
                     ON CONFLICT (delivery_id) DO NOTHING RETURNING delivery_id",
                )?
                .query_row(params![delivery, incoming.activity.at], |row| row.get(0))
                .optional()?;
                    if taken.is_none() {
                        return Ok(None);
                    }
                }
                let contact: i64 = tx
                    .prepare_cached(
                        "INSERT INTO numbers (number) VALUES ($1)
                 ON CONFLICT (number) DO UPDATE SET number = excluded.number
                 RETURNING id",
                    )?
                    .query_row([&incoming.customer], |row| row.get(0))?;
                let inbound = incoming.activity.direction == Direction::Inbound;
                let conversation: i64 = tx
            .prepare_cached(
                "INSERT INTO conversations (line_id, number_id, status, unread, latest_activity_at)
                 VALUES ($1, $2, 'open', FALSE, $3)
                 ON CONFLICT (line_id, number_id) DO UPDATE SET line_id = excluded.line_id
                 RETURNING id",
            )?
            .query_row(params![incoming.line.0, contact, incoming.activity.at], |row| {
                row.get(0)
            })?;
                let id = ConversationId(conversation);
                let stored = load(tx, id)?.ok_or_else(|| corrupt("conversation vanished"))?;
                let activity_id = insert_activity(tx, id, &incoming.activity)?;
                if inbound {
                    store_state(tx, id, stored, stored.state.receive_inbound(activity_id))?;
                }
                let summary = existing_summary(tx, id)?;
                let at = incoming.activity.at;
                announce_activity(tx, log, incoming.line, activity_id, at)?;
                announce(tx, log, &summary, at)?;
                Ok(Some((summary, activity_id)))
            })
            .await
        }
        Db::Postgres(db) => postgres::changes::record_incoming(db, incoming).await,
    }
}

/// A state change as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedChange {
    pub change_id: Option<String>,
    pub change: String,
    pub member_id: Option<MemberId>,
    pub at: i64,
}

/// The state changes applied to a conversation, oldest first.
#[tracing::instrument(skip(db))]
pub async fn history(db: &Db, id: ConversationId) -> Result<Vec<RecordedChange>, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.read(|connection| {
                let changes = connection
                    .prepare_cached(
                        "SELECT change_id, change, member_id, at FROM state_changes
                  WHERE conversation_id = $1 ORDER BY seq",
                    )?
                    .query_map([id.0], |row| {
                        Ok(RecordedChange {
                            change_id: row.get(0)?,
                            change: row.get(1)?,
                            member_id: row.get::<_, Option<i64>>(2)?.map(MemberId),
                            at: row.get(3)?,
                        })
                    })?
                    .collect::<Result<_, _>>()?;
                Ok(changes)
            })
            .await
        }
        Db::Postgres(db) => postgres::changes::history(db, id).await,
    }
}
