//! changes on PostgreSQL.

#![allow(unused_imports)]
use super::Postgres;
use crate::db::changes::*;
use crate::db::conversations::{activity, existing_summary, Denied};
use crate::db::events::{Audience, EventLog};
use crate::db::members::SessionMember;
use crate::db::notifications;
use crate::db::outbox::SendVia;
use crate::db::DbError;
use switchboard_domain::api::{
    ActivityContent, CallOutcome, ChangeId, ConversationSummary, Direction, ReplyResponse,
    ReplyText,
};
use switchboard_domain::team::LiveEvent;
use switchboard_domain::{
    ActivityId, ConversationId, ConversationState, LineId, MemberId, StateChange, Status,
};

pub(crate) async fn change_state(
    db: &Postgres,
    viewer: &SessionMember,
    id: ConversationId,
    change: StateChange,
    seen: Option<ActivityId>,
    change_id: Option<&ChangeId>,
    at: i64,
) -> Result<Result<ChangeOutcome, Denied>, DbError> {
    let _ = (db, viewer, id, change, seen, change_id, at);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn reply(
    db: &Postgres,
    viewer: &SessionMember,
    id: ConversationId,
    text: &ReplyText,
    seen: Option<ActivityId>,
    via: SendVia,
    at: i64,
) -> Result<Result<ReplyResponse, Denied>, DbError> {
    let _ = (db, viewer, id, text, seen, via, at);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn assign(
    db: &Postgres,
    viewer: &SessionMember,
    id: ConversationId,
    assignee: Option<MemberId>,
    at: i64,
) -> Result<Result<ConversationSummary, AssignRefused>, DbError> {
    let _ = (db, viewer, id, assignee, at);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn pin(
    db: &Postgres,
    viewer: &SessionMember,
    id: ConversationId,
    pinned: bool,
    at: i64,
) -> Result<Result<ConversationSummary, Denied>, DbError> {
    let _ = (db, viewer, id, pinned, at);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn note(
    db: &Postgres,
    viewer: &SessionMember,
    id: ConversationId,
    text: &ReplyText,
    mentions: &[MemberId],
    at: i64,
) -> Result<Result<ReplyResponse, Denied>, DbError> {
    let _ = (db, viewer, id, text, mentions, at);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn record_incoming(
    db: &Postgres,
    incoming: &Incoming,
) -> Result<Option<(ConversationSummary, ActivityId)>, DbError> {
    let _ = (db, incoming);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn history(
    db: &Postgres,
    id: ConversationId,
) -> Result<Vec<RecordedChange>, DbError> {
    let _ = (db, id);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}
