//! sessions on PostgreSQL.

#![allow(unused_imports)]
use super::Postgres;
use crate::db::members::{corrupt, SessionMember};
use crate::db::sessions::*;
use crate::db::DbError;
use switchboard_domain::team::Role;
use switchboard_domain::{LineId, MemberId, SessionId};

pub(crate) async fn create(
    db: &Postgres,
    member: MemberId,
    token_hash: &str,
    user_agent: Option<String>,
    now: i64,
) -> Result<SessionId, DbError> {
    let _ = (db, member, token_hash, user_agent, now);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn by_token(
    db: &Postgres,
    token_hash: &str,
) -> Result<Option<SessionMember>, DbError> {
    let _ = (db, token_hash);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn by_id(db: &Postgres, id: SessionId) -> Result<Option<SessionMember>, DbError> {
    let _ = (db, id);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn touch(db: &Postgres, id: SessionId, now: i64) -> Result<(), DbError> {
    let _ = (db, id, now);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn end_by_token(db: &Postgres, token_hash: &str) -> Result<(), DbError> {
    let _ = (db, token_hash);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn end(db: &Postgres, member: MemberId, id: SessionId) -> Result<bool, DbError> {
    let _ = (db, member, id);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn end_all(db: &Postgres, member: MemberId) -> Result<usize, DbError> {
    let _ = (db, member);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn of_member(db: &Postgres, member: MemberId) -> Result<Vec<SessionRow>, DbError> {
    let _ = (db, member);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn begin_attempt(
    db: &Postgres,
    subjects: &[String],
    since: i64,
    now: i64,
) -> Result<Attempt, DbError> {
    let _ = (db, subjects, since, now);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn forgive(db: &Postgres, attempt: Attempt) -> Result<(), DbError> {
    let _ = (db, attempt);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn clear_failures(db: &Postgres, subject: &str) -> Result<(), DbError> {
    let _ = (db, subject);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn known_client(
    db: &Postgres,
    email: &str,
    clients: &[String],
    since: i64,
) -> Result<Option<String>, DbError> {
    let _ = (db, email, clients, since);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn remember_clients(
    db: &Postgres,
    member: MemberId,
    clients: &[String],
    now: i64,
) -> Result<(), DbError> {
    let _ = (db, member, clients, now);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}
