//! Phone lines.

use super::{Db, DbError};
use switchboard_domain::api::Line;
use switchboard_domain::LineId;

#[derive(sqlx::FromRow)]
struct LineRow {
    id: i64,
    name: String,
    number: String,
    unread_count: i64,
}

/// Every line with the number of its unread conversations.
#[tracing::instrument(skip(db))]
pub async fn list_with_unread_counts(db: &Db) -> Result<Vec<Line>, DbError> {
    let rows: Vec<LineRow> = sqlx::query_as(
        "SELECT l.id, l.name, l.number,
                (SELECT COUNT(*) FROM conversations c
                  WHERE c.line_id = l.id AND c.unread = TRUE) AS unread_count
           FROM lines l
          ORDER BY l.id",
    )
    .fetch_all(&db.read)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Line {
            id: LineId(row.id),
            name: row.name,
            number: row.number,
            unread_count: row.unread_count.try_into().unwrap_or(u32::MAX),
        })
        .collect())
}

/// Whether a line exists.
#[tracing::instrument(skip(db))]
pub async fn exists(db: &Db, id: LineId) -> Result<bool, DbError> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM lines WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&db.read)
        .await?;
    Ok(found.is_some())
}
