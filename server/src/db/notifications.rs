//! Notifications: a teammate mentioned in a note.

use super::events::{Audience, EventLog};
use super::members::SessionMember;
use super::{postgres, Db, DbError};
use rusqlite::{params, Connection, OptionalExtension, Row};
use switchboard_domain::api::ReplyText;
use switchboard_domain::team::{LiveEvent, MemberRef, Notification, NotificationList};
use switchboard_domain::{ActivityId, ContactId, ConversationId, LineId, MemberId, NotificationId};

/// How much of a note a notification quotes.
const EXCERPT_CHARS: usize = 140;

pub(super) const SELECT: &str = "
    SELECT n.id, n.conversation_id, c.line_id, n.activity_id, n.author_id, m.name, n.excerpt,
           n.read, n.at, n.contact_id
      FROM notifications n
      JOIN conversations c ON c.id = n.conversation_id
      JOIN members m ON m.id = n.author_id";

fn read(row: &Row) -> rusqlite::Result<Notification> {
    Ok(Notification {
        id: NotificationId(row.get(0)?),
        conversation_id: ConversationId(row.get(1)?),
        line_id: LineId(row.get(2)?),
        activity_id: ActivityId(row.get(3)?),
        author: MemberRef {
            id: MemberId(row.get(4)?),
            name: row.get(5)?,
        },
        excerpt: row.get(6)?,
        read: row.get(7)?,
        at: row.get(8)?,
        contact_id: row.get::<_, Option<i64>>(9)?.map(ContactId),
    })
}

fn unread(connection: &Connection, member: MemberId) -> Result<u32, DbError> {
    Ok(connection
        .prepare_cached("SELECT COUNT(*) FROM notifications WHERE member_id = $1 AND read = FALSE")?
        .query_row([member.0], |row| row.get(0))?)
}

/// What a notification quotes of a note.
pub(super) fn excerpt(text: &ReplyText) -> String {
    text.as_str().chars().take(EXCERPT_CHARS).collect()
}

/// Notifies `member` of a mention, if they can see the line (a mention of someone who cannot
/// read the conversation tells them nothing).
#[allow(clippy::too_many_arguments)]
pub(super) fn mention(
    tx: &Connection,
    log: &mut EventLog,
    member: MemberId,
    line: LineId,
    conversation: ConversationId,
    activity: ActivityId,
    author: &SessionMember,
    text: &ReplyText,
    at: i64,
) -> Result<(), DbError> {
    let sees_line: Option<i64> = tx
        .prepare_cached(
            "SELECT m.id FROM members m
              WHERE m.id = $1 AND (m.role IN ('owner', 'admin')
                    OR EXISTS (SELECT 1 FROM line_access la
                                WHERE la.member_id = m.id AND la.line_id = $2))",
        )?
        .query_row(params![member.0, line.0], |row| row.get(0))
        .optional()?;
    if sees_line.is_none() {
        return Ok(());
    }
    let excerpt = excerpt(text);
    let id: i64 = tx
        .prepare_cached(
            "INSERT INTO notifications (member_id, conversation_id, activity_id, author_id, excerpt, at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )?
        .query_row(
            params![member.0, conversation.0, activity.0, author.id.0, excerpt, at],
            |row| row.get(0),
        )?;
    let notification = tx
        .prepare_cached(&format!("{SELECT} WHERE n.id = $1"))?
        .query_row([id], read)?;
    let event = LiveEvent::Notification {
        notification,
        unread_count: unread(tx, member)?,
    };
    log.record(tx, Audience::Member(member), &event, at)
}

/// A teammate's notifications, newest first (the latest 100).
pub async fn list(db: &Db, member: MemberId) -> Result<NotificationList, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.read(|connection| {
                let notifications = connection
                    .prepare_cached(&format!(
                        "{SELECT} WHERE n.member_id = $1 ORDER BY n.id DESC LIMIT 100"
                    ))?
                    .query_map([member.0], read)?
                    .collect::<Result<_, _>>()?;
                Ok(NotificationList {
                    notifications,
                    unread_count: unread(connection, member)?,
                })
            })
            .await
        }
        Db::Postgres(db) => postgres::notifications::list(db, member).await,
    }
}

/// Marks a notification read; `false` if it is not this teammate's.
pub async fn mark_read(db: &Db, member: MemberId, id: NotificationId) -> Result<bool, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.write(move |tx, _| {
                let changed = tx
                    .prepare_cached(
                        "UPDATE notifications SET read = TRUE WHERE id = $1 AND member_id = $2",
                    )?
                    .execute(params![id.0, member.0])?;
                Ok(changed > 0)
            })
            .await
        }
        Db::Postgres(db) => postgres::notifications::mark_read(db, member, id).await,
    }
}
