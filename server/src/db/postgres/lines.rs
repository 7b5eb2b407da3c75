//! lines on PostgreSQL.

#![allow(unused_imports)]
use super::{Postgres, Sql};
use crate::db::lines::*;
use crate::db::members::SessionMember;
use crate::db::DbError;
use switchboard_domain::api::Line;
use switchboard_domain::LineId;

pub(crate) async fn list_with_unread_counts(
    db: &Postgres,
    viewer: &SessionMember,
) -> Result<Vec<Line>, DbError> {
    let _ = (db, viewer);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn exists(db: &Postgres, id: LineId) -> Result<bool, DbError> {
    let _ = (db, id);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn by_number(db: &Postgres, number: &str) -> Result<Option<LineId>, DbError> {
    let _ = (db, number);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn settings(db: &Postgres) -> Result<Vec<LineSetting>, DbError> {
    let _ = db;
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
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
