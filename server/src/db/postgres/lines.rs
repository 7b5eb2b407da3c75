//! lines on PostgreSQL.

use super::{Postgres, Sql};
use crate::db::lines::{seen_by, LineSetting, LIST, SETTINGS};
use crate::db::members::{self, SessionMember};
use crate::db::DbError;
use switchboard_domain::api::Line;
use switchboard_domain::LineId;

pub(crate) async fn list_with_unread_counts(
    db: &Postgres,
    viewer: &SessionMember,
) -> Result<Vec<Line>, DbError> {
    let lines = db
        .client()
        .await?
        .all(LIST, &[])
        .await?
        .iter()
        .map(|row| {
            Ok(Line {
                id: LineId(row.try_get(0)?),
                name: row.try_get(1)?,
                number: row.try_get(2)?,
                unread_count: members::count(row.try_get(3)?)?,
                sends_from: row.try_get(4)?,
            })
        })
        .collect::<Result<_, DbError>>()?;
    Ok(seen_by(viewer, lines))
}

pub(crate) async fn exists(db: &Postgres, id: LineId) -> Result<bool, DbError> {
    Ok(db
        .client()
        .await?
        .opt("SELECT id FROM lines WHERE id = $1", &[&id.0])
        .await?
        .is_some())
}

pub(crate) async fn by_number(db: &Postgres, number: &str) -> Result<Option<LineId>, DbError> {
    db.client()
        .await?
        .opt("SELECT id FROM lines WHERE number = $1", &[&number])
        .await?
        .map(|row| Ok(LineId(row.try_get(0)?)))
        .transpose()
}

pub(crate) async fn settings(db: &Postgres) -> Result<Vec<LineSetting>, DbError> {
    db.client()
        .await?
        .all(SETTINGS, &[])
        .await?
        .iter()
        .map(|row| {
            Ok(LineSetting {
                id: LineId(row.try_get(0)?),
                name: row.try_get(1)?,
                number: row.try_get(2)?,
                quo_number: row.try_get(3)?,
            })
        })
        .collect()
}

pub(crate) async fn set_quo_number(
    db: &Postgres,
    id: LineId,
    quo: Option<String>,
) -> Result<bool, DbError> {
    db.write(async move |tx, _| {
        Ok(tx
            .run(
                "UPDATE lines SET quo_number = $1 WHERE id = $2",
                &[&quo, &id.0],
            )
            .await?
            > 0)
    })
    .await
}
