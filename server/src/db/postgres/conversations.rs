//! Reading conversations and their activities on PostgreSQL. The rows are read into the same
//! [`ActivityRow`] and [`SummaryRow`] as on SQLite, which turn them into the domain's types.

use super::{Postgres, Sql};
use crate::db::conversations::{
    corrupt, page_of, page_sql, ActivityRow, Denied, PageQuery, SummaryRow, ACTIVITY_SELECT,
    SUMMARY_SELECT,
};
use crate::db::members::SessionMember;
use crate::db::DbError;
use switchboard_domain::api::{
    Activity, ConversationDetail, ConversationPage, ConversationSummary,
};
use switchboard_domain::{ActivityId, ConversationId, LineId};
use tokio_postgres::{IsolationLevel, Row};

/// Reads the columns of [`ACTIVITY_SELECT`], starting at `first`.
pub(super) fn activity_row(row: &Row, first: usize) -> Result<ActivityRow, DbError> {
    let author_id: Option<i64> = row.try_get(first + 8)?;
    let author_name: Option<String> = row.try_get(first + 9)?;
    Ok(ActivityRow {
        activity_id: row.try_get(first)?,
        conversation_id: row.try_get(first + 1)?,
        direction: row.try_get(first + 2)?,
        kind: row.try_get(first + 3)?,
        body: row.try_get(first + 4)?,
        call_outcome: row.try_get(first + 5)?,
        duration_seconds: row.try_get(first + 6)?,
        at: row.try_get(first + 7)?,
        author: author_id.zip(author_name),
        delivery: row.try_get(first + 10)?,
        delivery_error: row.try_get(first + 11)?,
    })
}

/// Reads the columns of [`SUMMARY_SELECT`].
pub(super) fn summary_row(row: &Row) -> Result<SummaryRow, DbError> {
    let assignee_id: Option<i64> = row.try_get(10)?;
    let assignee_name: Option<String> = row.try_get(11)?;
    Ok(SummaryRow {
        id: row.try_get(0)?,
        line_id: row.try_get(1)?,
        status: row.try_get(2)?,
        unread: row.try_get(3)?,
        latest_inbound_activity_id: row.try_get(4)?,
        latest_activity_at: row.try_get(5)?,
        contact_id: row.try_get(6)?,
        contact_name: row.try_get(7)?,
        contact_number: row.try_get(8)?,
        pinned: row.try_get(9)?,
        assignee: assignee_id.zip(assignee_name),
        activity: activity_row(row, 12)?,
        contact_tags: row.try_get(24)?,
    })
}

pub(crate) async fn page(
    db: &Postgres,
    query: PageQuery,
    viewer: &SessionMember,
) -> Result<ConversationPage, DbError> {
    let restricted = viewer.lines.is_some();
    let sql = page_sql(&query, restricted, true);
    let viewer_id = restricted.then_some(viewer.id.0);
    let rows = db
        .client()
        .await?
        .all(
            &sql,
            &[
                &query.line.map(|line| line.0),
                &query.after.map(|cursor| cursor.pinned),
                &query.after.map(|cursor| cursor.at),
                &query.after.map(|cursor| cursor.id.0),
                &viewer_id,
                &query.assignee.map(|member| member.0),
                &query.tag.map(|tag| tag.0),
                &(i64::from(query.limit) + 1),
            ],
        )
        .await?
        .iter()
        .map(summary_row)
        .collect::<Result<Vec<_>, _>>()?;
    page_of(rows, query.limit)
}

pub(super) async fn summary(
    client: &impl Sql,
    id: ConversationId,
) -> Result<Option<ConversationSummary>, DbError> {
    client
        .opt(&format!("{SUMMARY_SELECT} WHERE c.id = $1"), &[&id.0])
        .await?
        .map(|row| summary_row(&row)?.try_into())
        .transpose()
}

pub(super) async fn existing_summary(
    client: &impl Sql,
    id: ConversationId,
) -> Result<ConversationSummary, DbError> {
    summary(client, id)
        .await?
        .ok_or_else(|| corrupt(format_args!("conversation {id} has no activity")))
}

pub(super) async fn activity(client: &impl Sql, id: ActivityId) -> Result<Activity, DbError> {
    let row = client
        .one(&format!("{ACTIVITY_SELECT} WHERE a.id = $1"), &[&id.0])
        .await?;
    activity_row(&row, 0)?.try_into()
}

/// The line a conversation is on.
pub(super) async fn line_of(
    client: &impl Sql,
    id: ConversationId,
) -> Result<Option<LineId>, DbError> {
    client
        .opt("SELECT line_id FROM conversations WHERE id = $1", &[&id.0])
        .await?
        .map(|row| Ok(LineId(row.try_get(0)?)))
        .transpose()
}

/// Whether `viewer` may have the conversation.
pub(super) async fn check_access(
    client: &impl Sql,
    id: ConversationId,
    viewer: &SessionMember,
) -> Result<Result<LineId, Denied>, DbError> {
    Ok(match line_of(client, id).await? {
        None => Err(Denied::NotFound),
        Some(line) if !viewer.can_see(line) => Err(Denied::Forbidden),
        Some(line) => Ok(line),
    })
}

pub(crate) async fn detail(
    db: &Postgres,
    id: ConversationId,
    viewer: &SessionMember,
) -> Result<Result<ConversationDetail, Denied>, DbError> {
    let mut client = db.client().await?;
    // One snapshot, so that the summary and the thread are of the same moment.
    let tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?;
    if let Err(denied) = check_access(&tx, id, viewer).await? {
        return Ok(Err(denied));
    }
    let conversation = existing_summary(&tx, id).await?;
    let rows = tx
        .all(
            &format!("{ACTIVITY_SELECT} WHERE a.conversation_id = $1 ORDER BY a.id"),
            &[&id.0],
        )
        .await?;
    tx.commit().await?;
    let activities = rows
        .iter()
        .map(|row| activity_row(row, 0)?.try_into())
        .collect::<Result<_, _>>()?;
    Ok(Ok(ConversationDetail {
        conversation,
        activities,
    }))
}

pub(crate) async fn random_contact(
    db: &Postgres,
    pick: u32,
) -> Result<Option<(String, String)>, DbError> {
    let client = db.client().await?;
    let count: i64 = client
        .one("SELECT COUNT(*) FROM conversations", &[])
        .await?
        .try_get(0)?;
    if count == 0 {
        return Ok(None);
    }
    client
        .opt(
            "SELECT ct.number, l.number FROM conversations c
               JOIN numbers ct ON ct.id = c.number_id JOIN lines l ON l.id = c.line_id
              ORDER BY c.id LIMIT 1 OFFSET $1",
            &[&(i64::from(pick) % count)],
        )
        .await?
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
        .transpose()
}
