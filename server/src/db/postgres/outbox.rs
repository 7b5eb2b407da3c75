//! outbox on PostgreSQL.

#![allow(unused_imports)]
use super::Postgres;
use crate::db::changes::announce_activity_of;
use crate::db::outbox::*;
use crate::db::DbError;
use switchboard_domain::ActivityId;

pub(crate) async fn retry(db: &Postgres, id: ActivityId, now: i64) -> Result<bool, DbError> {
    let _ = (db, id, now);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn take_due(db: &Postgres, now: i64, limit: u32) -> Result<Vec<Pending>, DbError> {
    let _ = (db, now, limit);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn recover(db: &Postgres, now: i64) -> Result<usize, DbError> {
    let _ = (db, now);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn reply_conversation(
    db: &Postgres,
    id: ActivityId,
) -> Result<Option<switchboard_domain::ConversationId>, DbError> {
    let _ = (db, id);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn next_due(db: &Postgres) -> Result<Option<i64>, DbError> {
    let _ = db;
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn sent(
    db: &Postgres,
    id: ActivityId,
    quo_message_id: String,
    now: i64,
) -> Result<(), DbError> {
    let _ = (db, id, quo_message_id, now);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn retry_at(
    db: &Postgres,
    id: ActivityId,
    attempts: u32,
    at: i64,
    unanswered: bool,
) -> Result<(), DbError> {
    let _ = (db, id, attempts, at, unanswered);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn put_back(db: &Postgres, untried: Vec<Pending>, at: i64) -> Result<(), DbError> {
    let _ = (db, untried, at);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn first_unclaimed(
    db: &Postgres,
    reply: ActivityId,
    quo_message_ids: Vec<String>,
) -> Result<Option<String>, DbError> {
    let _ = (db, reply, quo_message_ids);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn delivered_before_answer(
    db: &Postgres,
    line_number: String,
    customer: String,
    text: String,
    quo_message_id: String,
    now: i64,
) -> Result<bool, DbError> {
    let _ = (db, line_number, customer, text, quo_message_id, now);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn failed(
    db: &Postgres,
    id: ActivityId,
    reason: String,
    now: i64,
) -> Result<(), DbError> {
    let _ = (db, id, reason, now);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn delivered(
    db: &Postgres,
    quo_message_id: String,
    now: i64,
) -> Result<bool, DbError> {
    let _ = (db, quo_message_id, now);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}
