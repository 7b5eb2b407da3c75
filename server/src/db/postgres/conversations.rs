//! conversations on PostgreSQL.

#![allow(unused_imports)]
use super::Postgres;
use crate::db::conversations::*;
use crate::db::members::SessionMember;
use crate::db::DbError;
use std::fmt;
use std::str::FromStr;
use switchboard_domain::api::{
    Activity, ActivityContent, CallOutcome, Contact, ConversationDetail, ConversationPage,
    ConversationSummary, Delivery, DeliveryStatus, Direction,
};
use switchboard_domain::team::MemberRef;
use switchboard_domain::{ActivityId, ContactId, ConversationId, LineId, MemberId, View};

pub(crate) async fn page(
    db: &Postgres,
    query: PageQuery,
    viewer: &SessionMember,
) -> Result<ConversationPage, DbError> {
    let _ = (db, query, viewer);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn detail(
    db: &Postgres,
    id: ConversationId,
    viewer: &SessionMember,
) -> Result<Result<ConversationDetail, Denied>, DbError> {
    let _ = (db, id, viewer);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn random_contact(
    db: &Postgres,
    pick: u32,
) -> Result<Option<(String, String)>, DbError> {
    let _ = (db, pick);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}
