//! team on PostgreSQL.

#![allow(unused_imports)]
use super::Postgres;
use crate::db::events::Audience;
use crate::db::members::corrupt;
use crate::db::team::*;
use crate::db::DbError;
use switchboard_domain::team::{LiveEvent, Role, TeamMember, TeamMemberUpdate};
use switchboard_domain::{LineId, MemberId};

pub(crate) async fn list(db: &Postgres) -> Result<Vec<TeamMember>, DbError> {
    let _ = db;
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn get(db: &Postgres, id: MemberId) -> Result<Option<TeamMember>, DbError> {
    let _ = (db, id);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn active_owners(db: &Postgres) -> Result<u32, DbError> {
    let _ = db;
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn update(
    db: &Postgres,
    id: MemberId,
    update: TeamMemberUpdate,
    now: i64,
) -> Result<Option<TeamMember>, DbError> {
    let _ = (db, id, update, now);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn set_password(
    db: &Postgres,
    id: MemberId,
    password_hash: String,
) -> Result<bool, DbError> {
    let _ = (db, id, password_hash);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn by_email(db: &Postgres, email: &str) -> Result<Option<MemberId>, DbError> {
    let _ = (db, email);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}
