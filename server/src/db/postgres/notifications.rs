//! Notifications on PostgreSQL: a teammate mentioned in a note.

use super::{events, Postgres, Sql, Transaction};
use crate::db::conversations::corrupt;
use crate::db::events::{Audience, EventLog};
use crate::db::members::SessionMember;
use crate::db::notifications::{excerpt, SELECT};
use crate::db::DbError;
use switchboard_domain::api::ReplyText;
use switchboard_domain::team::{LiveEvent, MemberRef, Notification, NotificationList};
use switchboard_domain::{ActivityId, ContactId, ConversationId, LineId, MemberId, NotificationId};
use tokio_postgres::Row;

/// Reads the columns of [`SELECT`].
fn read(row: &Row) -> Result<Notification, DbError> {
    Ok(Notification {
        id: NotificationId(row.try_get(0)?),
        conversation_id: ConversationId(row.try_get(1)?),
        line_id: LineId(row.try_get(2)?),
        activity_id: ActivityId(row.try_get(3)?),
        author: MemberRef {
            id: MemberId(row.try_get(4)?),
            name: row.try_get(5)?,
        },
        excerpt: row.try_get(6)?,
        read: row.try_get(7)?,
        at: row.try_get(8)?,
        contact_id: row.try_get::<_, Option<i64>>(9)?.map(ContactId),
    })
}

async fn unread(client: &impl Sql, member: MemberId) -> Result<u32, DbError> {
    let count: i64 = client
        .one(
            "SELECT COUNT(*) FROM notifications WHERE member_id = $1 AND read = FALSE",
            &[&member.0],
        )
        .await?
        .try_get(0)?;
    u32::try_from(count).map_err(|_| corrupt(format_args!("{count} unread notifications")))
}

/// Notifies `member` of a mention, if they can see the line (a mention of someone who cannot
/// read the conversation tells them nothing).
#[allow(clippy::too_many_arguments)]
pub(super) async fn mention(
    tx: &Transaction<'_>,
    log: &mut EventLog,
    member: MemberId,
    line: LineId,
    conversation: ConversationId,
    activity: ActivityId,
    author: &SessionMember,
    text: &ReplyText,
    at: i64,
) -> Result<(), DbError> {
    let sees_line = tx
        .opt(
            "SELECT m.id FROM members m
              WHERE m.id = $1 AND (m.role IN ('owner', 'admin')
                    OR EXISTS (SELECT 1 FROM line_access la
                                WHERE la.member_id = m.id AND la.line_id = $2))",
            &[&member.0, &line.0],
        )
        .await?;
    if sees_line.is_none() {
        return Ok(());
    }
    let id: i64 = tx
        .one(
            "INSERT INTO notifications (member_id, conversation_id, activity_id, author_id, excerpt, at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                &member.0,
                &conversation.0,
                &activity.0,
                &author.id.0,
                &excerpt(text),
                &at,
            ],
        )
        .await?
        .try_get(0)?;
    let row = tx.one(&format!("{SELECT} WHERE n.id = $1"), &[&id]).await?;
    let event = LiveEvent::Notification {
        notification: read(&row)?,
        unread_count: unread(tx, member).await?,
    };
    events::record(tx, log, Audience::Member(member), &event, at).await
}

pub(crate) async fn list(db: &Postgres, member: MemberId) -> Result<NotificationList, DbError> {
    let client = db.client().await?;
    let notifications = client
        .all(
            &format!("{SELECT} WHERE n.member_id = $1 ORDER BY n.id DESC LIMIT 100"),
            &[&member.0],
        )
        .await?
        .iter()
        .map(read)
        .collect::<Result<_, _>>()?;
    Ok(NotificationList {
        notifications,
        unread_count: unread(&client, member).await?,
    })
}

pub(crate) async fn mark_read(
    db: &Postgres,
    member: MemberId,
    id: NotificationId,
) -> Result<bool, DbError> {
    db.write(async move |tx, _| {
        let changed = tx
            .run(
                "UPDATE notifications SET read = TRUE WHERE id = $1 AND member_id = $2",
                &[&id.0, &member.0],
            )
            .await?;
        Ok(changed > 0)
    })
    .await
}
