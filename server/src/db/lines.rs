//! Phone lines.

use super::members::SessionMember;
use super::{postgres, Db, DbError};
use rusqlite::OptionalExtension;
use switchboard_domain::api::Line;
use switchboard_domain::LineId;

/// Every line, each with the number of its unread conversations.
pub(super) const LIST: &str = "SELECT id, name, number, unread_count, COALESCE(quo_number, number)
                                 FROM lines ORDER BY id";

/// Every line's settings, as the command line lists them.
pub(super) const SETTINGS: &str = "SELECT id, name, number, quo_number FROM lines ORDER BY id";

/// Of every line, those `viewer` sees.
pub(super) fn seen_by(viewer: &SessionMember, lines: Vec<Line>) -> Vec<Line> {
    lines
        .into_iter()
        .filter(|line| viewer.can_see(line.id))
        .collect()
}

/// The lines `viewer` sees, each with the number of its unread conversations.
#[tracing::instrument(skip(db, viewer))]
pub async fn list_with_unread_counts(
    db: &Db,
    viewer: &SessionMember,
) -> Result<Vec<Line>, DbError> {
    match db {
        Db::Sqlite(db) => {
            let lines: Vec<Line> = db
                .read(|connection| {
                    let mut statement = connection.prepare_cached(LIST)?;
                    let lines = statement
                        .query_map([], |row| {
                            Ok(Line {
                                id: LineId(row.get(0)?),
                                name: row.get(1)?,
                                number: row.get(2)?,
                                unread_count: row.get(3)?,
                                sends_from: row.get(4)?,
                            })
                        })?
                        .collect::<Result<_, _>>()?;
                    Ok(lines)
                })
                .await?;
            Ok(seen_by(viewer, lines))
        }
        Db::Postgres(db) => postgres::lines::list_with_unread_counts(db, viewer).await,
    }
}

/// Whether a line exists.
#[tracing::instrument(skip(db))]
pub async fn exists(db: &Db, id: LineId) -> Result<bool, DbError> {
    match db {
        Db::Sqlite(db) => Ok(
            by(db, "SELECT id FROM lines WHERE id = $1", id.0.to_string())
                .await?
                .is_some(),
        ),
        Db::Postgres(db) => postgres::lines::exists(db, id).await,
    }
}

/// The line with this number (E.164), as a webhook names it.
#[tracing::instrument(skip(db))]
pub async fn by_number(db: &Db, number: &str) -> Result<Option<LineId>, DbError> {
    match db {
        Db::Sqlite(db) => {
            by(
                db,
                "SELECT id FROM lines WHERE number = $1",
                number.to_owned(),
            )
            .await
        }
        Db::Postgres(db) => postgres::lines::by_number(db, number).await,
    }
}

async fn by(
    db: &super::sqlite::Sqlite,
    sql: &'static str,
    key: String,
) -> Result<Option<LineId>, DbError> {
    db.read(|connection| {
        Ok(connection
            .prepare_cached(sql)?
            .query_row([key], |row| Ok(LineId(row.get(0)?)))
            .optional()?)
    })
    .await
}

/// A line as the command line lists it: id, name, number, and the Quo number it sends from
/// (`None`: its own number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineSetting {
    pub id: LineId,
    pub name: String,
    pub number: String,
    pub quo_number: Option<String>,
}

pub async fn settings(db: &Db) -> Result<Vec<LineSetting>, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.read(|connection| {
                Ok(connection
                    .prepare_cached(SETTINGS)?
                    .query_map([], |row| {
                        Ok(LineSetting {
                            id: LineId(row.get(0)?),
                            name: row.get(1)?,
                            number: row.get(2)?,
                            quo_number: row.get(3)?,
                        })
                    })?
                    .collect::<Result<_, _>>()?)
            })
            .await
        }
        Db::Postgres(db) => postgres::lines::settings(db).await,
    }
}

/// Sets the Quo number a line sends from (`None`: its own number); whether the line exists.
pub async fn set_quo_number(db: &Db, id: LineId, quo: Option<String>) -> Result<bool, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.write(move |tx, _| {
                Ok(tx
                    .prepare_cached("UPDATE lines SET quo_number = $1 WHERE id = $2")?
                    .execute(rusqlite::params![quo, id.0])?
                    > 0)
            })
            .await
        }
        Db::Postgres(db) => postgres::lines::set_quo_number(db, id, quo).await,
    }
}
