//! members on PostgreSQL.

#![allow(unused_imports)]
use super::Postgres;
use crate::db::events::Audience;
use crate::db::members::*;
use crate::db::DbError;
use switchboard_catalogue::Lang;
use switchboard_domain::team::{LiveEvent, Me, MemberRef, Role};
use switchboard_domain::{LineId, MemberId, SessionId};

pub(crate) async fn create(
    db: &Postgres,
    member: &NewMember,
    now: i64,
) -> Result<Option<MemberId>, DbError> {
    let _ = (db, member, now);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn credentials(
    db: &Postgres,
    email: &str,
) -> Result<Option<(MemberId, String)>, DbError> {
    let _ = (db, email);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn any(db: &Postgres) -> Result<bool, DbError> {
    let _ = db;
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn list(db: &Postgres) -> Result<Vec<MemberRef>, DbError> {
    let _ = db;
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn me(db: &Postgres, member: &SessionMember) -> Result<Me, DbError> {
    let _ = (db, member);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn language(db: &Postgres, id: MemberId) -> Result<Option<Lang>, DbError> {
    let _ = (db, id);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn set_language(
    db: &Postgres,
    id: MemberId,
    language: Option<Lang>,
    now: i64,
) -> Result<(), DbError> {
    let _ = (db, id, language, now);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}
