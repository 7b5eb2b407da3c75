//! notifications on PostgreSQL.

#![allow(unused_imports)]
use super::Postgres;
use crate::db::events::{Audience, EventLog};
use crate::db::members::SessionMember;
use crate::db::notifications::*;
use crate::db::DbError;
use switchboard_domain::api::ReplyText;
use switchboard_domain::team::{LiveEvent, MemberRef, Notification, NotificationList};
use switchboard_domain::{ActivityId, ConversationId, LineId, MemberId, NotificationId};

pub(crate) async fn list(db: &Postgres, member: MemberId) -> Result<NotificationList, DbError> {
    let _ = (db, member);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}

pub(crate) async fn mark_read(
    db: &Postgres,
    member: MemberId,
    id: NotificationId,
) -> Result<bool, DbError> {
    let _ = (db, member, id);
    Err(DbError::Corrupt("not yet on PostgreSQL".into()))
}
