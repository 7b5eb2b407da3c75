//! seed on PostgreSQL.

#![allow(unused_imports)]
use super::Postgres;
use crate::db::changes::{insert_activity, store_state, NewActivity, Stored};
use crate::db::seed::*;
use crate::db::DbError;
use crate::demo::Dataset;
use switchboard_domain::api::Direction;
use switchboard_domain::{ConversationId, ConversationState, LineId};

pub(crate) async fn is_empty(db: &Postgres) -> Result<bool, DbError> {
    let _ = db;
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn insert(db: &Postgres, data: Dataset) -> Result<(), DbError> {
    let _ = (db, data);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn share_out(
    db: &Postgres,
    team: &[crate::demo::TeamMember],
) -> Result<(), DbError> {
    let _ = (db, team);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}
