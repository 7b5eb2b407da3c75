//! Changing conversations on PostgreSQL: the same writes as SQLite's, in the same order, each in
//! one write transaction that records the live events it causes.

use super::conversations::{activity, existing_summary};
use super::{events, notifications, outbox, Postgres, Sql, Transaction};
use crate::db::changes::{
    AssignRefused, ChangeOutcome, Columns, Incoming, NewActivity, RecordedChange, Stored,
};
use crate::db::conversations::{corrupt, Denied};
use crate::db::events::{Audience, EventLog};
use crate::db::members::SessionMember;
use crate::db::outbox::SendVia;
use crate::db::DbError;
use switchboard_domain::api::{
    ActivityContent, ChangeId, ConversationSummary, Direction, ReplyResponse, ReplyText,
};
use switchboard_domain::team::LiveEvent;
use switchboard_domain::{
    ActivityId, ConversationId, ConversationState, LineId, MemberId, StateChange,
};

pub(super) async fn load(client: &impl Sql, id: ConversationId) -> Result<Option<Stored>, DbError> {
    let Some(row) = client
        .opt(
            "SELECT status, unread, latest_inbound_activity_id, line_id
               FROM conversations WHERE id = $1",
            &[&id.0],
        )
        .await?
    else {
        return Ok(None);
    };
    let status: String = row.try_get(0)?;
    Stored::from_columns(&status, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?).map(Some)
}

/// The conversation, if `viewer` may change it.
async fn load_for(
    client: &impl Sql,
    id: ConversationId,
    viewer: &SessionMember,
) -> Result<Result<Stored, Denied>, DbError> {
    Ok(match load(client, id).await? {
        None => Err(Denied::NotFound),
        Some(stored) if !viewer.can_see(stored.line) => Err(Denied::Forbidden),
        Some(stored) => Ok(stored),
    })
}

/// Stores a conversation's new state, and keeps its line's unread count in step.
pub(super) async fn store_state(
    tx: &Transaction<'_>,
    id: ConversationId,
    before: Stored,
    state: ConversationState,
) -> Result<(), DbError> {
    tx.run(
        "UPDATE conversations SET status = $1, unread = $2, latest_inbound_activity_id = $3
          WHERE id = $4",
        &[
            &state.status.as_str(),
            &state.unread,
            &state.latest_inbound.map(|a| a.0),
            &id.0,
        ],
    )
    .await?;
    if state.unread != before.state.unread {
        let delta: i64 = if state.unread { 1 } else { -1 };
        tx.run(
            "UPDATE lines SET unread_count = unread_count + $1 WHERE id = $2",
            &[&delta, &before.line.0],
        )
        .await?;
    }
    Ok(())
}

async fn insert_activity_row(
    tx: &Transaction<'_>,
    conversation: ConversationId,
    activity: &NewActivity,
) -> Result<ActivityId, DbError> {
    let columns = Columns::of(activity);
    let id: i64 = tx
        .one(
            "INSERT INTO activities (conversation_id, direction, kind, body, call_outcome,
                                     duration_seconds, at, author_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             RETURNING id",
            &[
                &conversation.0,
                &columns.direction,
                &columns.kind,
                &columns.body,
                &columns.call_outcome,
                &columns.duration,
                &activity.at,
                &columns.author,
            ],
        )
        .await?
        .try_get(0)?;
    Ok(ActivityId(id))
}

/// Stores an activity as the conversation's newest.
pub(super) async fn insert_activity(
    tx: &Transaction<'_>,
    conversation: ConversationId,
    activity: &NewActivity,
) -> Result<ActivityId, DbError> {
    let id = insert_activity_row(tx, conversation, activity).await?;
    tx.run(
        "UPDATE conversations SET latest_activity_id = $1, latest_activity_at = $2
          WHERE id = $3",
        &[&id.0, &activity.at, &conversation.0],
    )
    .await?;
    Ok(id)
}

async fn unread_count(client: &impl Sql, line: LineId) -> Result<u32, DbError> {
    let count: i64 = client
        .one("SELECT unread_count FROM lines WHERE id = $1", &[&line.0])
        .await?
        .try_get(0)?;
    u32::try_from(count).map_err(|_| corrupt(format_args!("line {line} unread count {count}")))
}

/// Tells the line's teammates how the conversation now stands.
async fn announce(
    tx: &Transaction<'_>,
    log: &mut EventLog,
    conversation: &ConversationSummary,
    at: i64,
) -> Result<(), DbError> {
    let event = LiveEvent::Conversation {
        conversation: conversation.clone(),
        line_unread_count: unread_count(tx, conversation.line_id).await?,
    };
    events::record(tx, log, Audience::Line(conversation.line_id), &event, at).await
}

/// Tells the line's teammates how an activity now stands (a reply's delivery changed).
pub(super) async fn announce_activity_of(
    tx: &Transaction<'_>,
    log: &mut EventLog,
    id: ActivityId,
    at: i64,
) -> Result<(), DbError> {
    let line: i64 = tx
        .one(
            "SELECT c.line_id FROM activities a JOIN conversations c ON c.id = a.conversation_id
              WHERE a.id = $1",
            &[&id.0],
        )
        .await?
        .try_get(0)?;
    announce_activity(tx, log, LineId(line), id, at).await
}

/// Tells the line's teammates of a new activity in a thread.
async fn announce_activity(
    tx: &Transaction<'_>,
    log: &mut EventLog,
    line: LineId,
    id: ActivityId,
    at: i64,
) -> Result<(), DbError> {
    let event = LiveEvent::Activity {
        activity: activity(tx, id).await?,
    };
    events::record(tx, log, Audience::Line(line), &event, at).await
}

pub(crate) async fn change_state(
    db: &Postgres,
    viewer: &SessionMember,
    id: ConversationId,
    change: StateChange,
    seen: Option<ActivityId>,
    change_id: Option<&ChangeId>,
    at: i64,
) -> Result<Result<ChangeOutcome, Denied>, DbError> {
    db.write(async move |tx, log| {
        let stored = match load_for(tx, id, viewer).await? {
            Ok(stored) => stored,
            Err(denied) => return Ok(Err(denied)),
        };
        let state = stored.state;
        if let Some(change_id) = change_id {
            let applied_before = tx
                .opt(
                    "SELECT conversation_id FROM state_changes
                      WHERE member_id = $1 AND change_id = $2",
                    &[&viewer.id.0, &change_id.as_str()],
                )
                .await?;
            if applied_before.is_some() {
                return Ok(Ok(ChangeOutcome::Changed(existing_summary(tx, id).await?)));
            }
        }
        let applied = state.apply(change, seen);
        let mut changed = false;
        if let Ok(next) = applied {
            changed = next != state;
            if changed {
                store_state(tx, id, stored, next).await?;
            }
            tx.run(
                "INSERT INTO state_changes (change_id, conversation_id, change, at, member_id)
                 VALUES ($1, $2, $3, $4, $5)",
                &[
                    &change_id.map(ChangeId::as_str),
                    &id.0,
                    &change.as_str(),
                    &at,
                    &viewer.id.0,
                ],
            )
            .await?;
        }
        let conversation = existing_summary(tx, id).await?;
        if changed {
            announce(tx, log, &conversation, at).await?;
        }
        Ok(Ok(match applied {
            Ok(_) => ChangeOutcome::Changed(conversation),
            Err(_) => ChangeOutcome::Refused(conversation),
        }))
    })
    .await
}

pub(crate) async fn reply(
    db: &Postgres,
    viewer: &SessionMember,
    id: ConversationId,
    text: &ReplyText,
    seen: Option<ActivityId>,
    via: SendVia,
    at: i64,
) -> Result<Result<ReplyResponse, Denied>, DbError> {
    let message = NewActivity {
        direction: Direction::Outbound,
        content: ActivityContent::Message {
            text: text.as_str().to_owned(),
        },
        at,
    };
    db.write(async move |tx, log| {
        let stored = match load_for(tx, id, viewer).await? {
            Ok(stored) => stored,
            Err(denied) => return Ok(Err(denied)),
        };
        let line = stored.line;
        let activity_id = insert_activity(tx, id, &message).await?;
        outbox::queue(tx, activity_id, &via, at).await?;
        store_state(tx, id, stored, stored.state.reply(seen)).await?;
        let conversation = existing_summary(tx, id).await?;
        announce_activity(tx, log, line, activity_id, at).await?;
        announce(tx, log, &conversation, at).await?;
        Ok(Ok(ReplyResponse {
            activity: activity(tx, activity_id).await?,
            conversation,
        }))
    })
    .await
}

pub(crate) async fn assign(
    db: &Postgres,
    viewer: &SessionMember,
    id: ConversationId,
    assignee: Option<MemberId>,
    at: i64,
) -> Result<Result<ConversationSummary, AssignRefused>, DbError> {
    db.write(async move |tx, log| {
        let stored = match load_for(tx, id, viewer).await? {
            Ok(stored) => stored,
            Err(denied) => return Ok(Err(AssignRefused::Denied(denied))),
        };
        let line = stored.line;
        if let Some(assignee) = assignee {
            let allowed = tx
                .opt(
                    "SELECT m.id FROM members m
                      WHERE m.id = $1 AND (m.role IN ('owner', 'admin')
                            OR EXISTS (SELECT 1 FROM line_access la
                                        WHERE la.member_id = m.id AND la.line_id = $2))",
                    &[&assignee.0, &line.0],
                )
                .await?;
            if allowed.is_none() {
                return Ok(Err(AssignRefused::UnknownAssignee));
            }
        }
        tx.run(
            "UPDATE conversations SET assignee_id = $1 WHERE id = $2",
            &[&assignee.map(|m| m.0), &id.0],
        )
        .await?;
        if assignee.is_some_and(|assignee| assignee != viewer.id) {
            store_state(tx, id, stored, stored.state.hand_off()).await?;
        }
        let conversation = existing_summary(tx, id).await?;
        announce(tx, log, &conversation, at).await?;
        Ok(Ok(conversation))
    })
    .await
}

pub(crate) async fn pin(
    db: &Postgres,
    viewer: &SessionMember,
    id: ConversationId,
    pinned: bool,
    at: i64,
) -> Result<Result<ConversationSummary, Denied>, DbError> {
    db.write(async move |tx, log| {
        if let Err(denied) = load_for(tx, id, viewer).await? {
            return Ok(Err(denied));
        }
        tx.run(
            "UPDATE conversations SET pinned = $1 WHERE id = $2",
            &[&pinned, &id.0],
        )
        .await?;
        let conversation = existing_summary(tx, id).await?;
        announce(tx, log, &conversation, at).await?;
        Ok(Ok(conversation))
    })
    .await
}

pub(crate) async fn note(
    db: &Postgres,
    viewer: &SessionMember,
    id: ConversationId,
    text: &ReplyText,
    mentions: &[MemberId],
    at: i64,
) -> Result<Result<ReplyResponse, Denied>, DbError> {
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
    db.write(async move |tx, log| {
        let line = match load_for(tx, id, viewer).await? {
            Ok(stored) => stored.line,
            Err(denied) => return Ok(Err(denied)),
        };
        let activity_id = insert_activity_row(tx, id, &note).await?;
        announce_activity(tx, log, line, activity_id, at).await?;
        let mut notified = Vec::new();
        for member in mentions {
            if *member != viewer.id && !notified.contains(member) {
                notified.push(*member);
                notifications::mention(tx, log, *member, line, id, activity_id, viewer, text, at)
                    .await?;
            }
        }
        Ok(Ok(ReplyResponse {
            activity: activity(tx, activity_id).await?,
            conversation: existing_summary(tx, id).await?,
        }))
    })
    .await
}

pub(crate) async fn record_incoming(
    db: &Postgres,
    incoming: &Incoming,
) -> Result<Option<(ConversationSummary, ActivityId)>, DbError> {
    db.write(async move |tx, log| {
        if let Some(delivery) = &incoming.delivery_id {
            let taken = tx
                .opt(
                    "INSERT INTO webhook_deliveries (delivery_id, received_at) VALUES ($1, $2)
                     ON CONFLICT (delivery_id) DO NOTHING RETURNING delivery_id",
                    &[delivery, &incoming.activity.at],
                )
                .await?;
            if taken.is_none() {
                return Ok(None);
            }
        }
        let contact: i64 = tx
            .one(
                "INSERT INTO numbers (number) VALUES ($1)
                 ON CONFLICT (number) DO UPDATE SET number = excluded.number
                 RETURNING id",
                &[&incoming.customer],
            )
            .await?
            .try_get(0)?;
        let inbound = incoming.activity.direction == Direction::Inbound;
        let conversation: i64 = tx
            .one(
                "INSERT INTO conversations (line_id, number_id, status, unread, latest_activity_at)
                 VALUES ($1, $2, 'open', FALSE, $3)
                 ON CONFLICT (line_id, number_id) DO UPDATE SET line_id = excluded.line_id
                 RETURNING id",
                &[&incoming.line.0, &contact, &incoming.activity.at],
            )
            .await?
            .try_get(0)?;
        let id = ConversationId(conversation);
        let stored = load(tx, id)
            .await?
            .ok_or_else(|| corrupt("conversation vanished"))?;
        let activity_id = insert_activity(tx, id, &incoming.activity).await?;
        if inbound {
            store_state(tx, id, stored, stored.state.receive_inbound(activity_id)).await?;
        }
        let summary = existing_summary(tx, id).await?;
        let at = incoming.activity.at;
        announce_activity(tx, log, incoming.line, activity_id, at).await?;
        announce(tx, log, &summary, at).await?;
        Ok(Some((summary, activity_id)))
    })
    .await
}

pub(crate) async fn history(
    db: &Postgres,
    id: ConversationId,
) -> Result<Vec<RecordedChange>, DbError> {
    db.client()
        .await?
        .all(
            "SELECT change_id, change, member_id, at FROM state_changes
              WHERE conversation_id = $1 ORDER BY seq",
            &[&id.0],
        )
        .await?
        .iter()
        .map(|row| {
            Ok(RecordedChange {
                change_id: row.try_get(0)?,
                change: row.try_get(1)?,
                member_id: row.try_get::<_, Option<i64>>(2)?.map(MemberId),
                at: row.try_get(3)?,
            })
        })
        .collect()
}
