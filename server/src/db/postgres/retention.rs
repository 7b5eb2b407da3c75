//! retention on PostgreSQL.

#![allow(unused_imports)]
use super::Postgres;
use crate::db::retention::*;
use crate::db::DbError;

pub(crate) async fn prune(db: &Postgres, cutoffs: Cutoffs) -> Result<Pruned, DbError> {
    let _ = (db, cutoffs);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn events_pruned_through(db: &Postgres) -> Result<i64, DbError> {
    let _ = db;
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}
