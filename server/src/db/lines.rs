//! Phone lines.

use super::{Db, DbError};
use rusqlite::OptionalExtension;
use switchboard_domain::api::Line;
use switchboard_domain::LineId;

/// Every line with the number of its unread conversations.
#[tracing::instrument(skip(db))]
pub async fn list_with_unread_counts(db: &Db) -> Result<Vec<Line>, DbError> {
    db.read(|connection| {
        let mut statement = connection.prepare_cached(
            "SELECT l.id, l.name, l.number,
                    (SELECT COUNT(*) FROM conversations c
                      WHERE c.line_id = l.id AND c.unread = TRUE) AS unread_count
               FROM lines l
              ORDER BY l.id",
        )?;
        let lines = statement
            .query_map([], |row| {
                Ok(Line {
                    id: LineId(row.get(0)?),
                    name: row.get(1)?,
                    number: row.get(2)?,
                    unread_count: row.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(lines)
    })
    .await
}

/// Whether a line exists.
#[tracing::instrument(skip(db))]
pub async fn exists(db: &Db, id: LineId) -> Result<bool, DbError> {
    db.read(move |connection| {
        let found: Option<i64> = connection
            .prepare_cached("SELECT id FROM lines WHERE id = $1")?
            .query_row([id.0], |row| row.get(0))
            .optional()?;
        Ok(found.is_some())
    })
    .await
}
