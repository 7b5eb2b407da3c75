//! Reading conversations and their activities. Writes are in [`super::changes`].

use super::members::SessionMember;
use super::{postgres, Db, DbError};
use rusqlite::{params, Connection, OptionalExtension, Row};
use std::fmt;
use std::str::FromStr;
use switchboard_domain::api::{
    Activity, ActivityContent, CallOutcome, Contact, ConversationDetail, ConversationPage,
    ConversationSummary, Delivery, DeliveryStatus, Direction,
};
use switchboard_domain::team::MemberRef;
use switchboard_domain::{ActivityId, ContactId, ConversationId, LineId, MemberId, TagId, View};

/// Why a teammate may not have a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    NotFound,
    /// On a line the teammate cannot see.
    Forbidden,
}

/// Where a page ends: the last conversation's sort key (pinned first, then newest activity).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub pinned: bool,
    pub at: i64,
    pub id: ConversationId,
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", u8::from(self.pinned), self.at, self.id)
    }
}

impl FromStr for Cursor {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.split('.');
        let pinned = match parts.next() {
            Some("0") => false,
            Some("1") => true,
            _ => return Err(()),
        };
        let at = parts.next().ok_or(())?.parse().map_err(|_| ())?;
        let id = parts.next().ok_or(())?.parse().map_err(|_| ())?;
        match parts.next() {
            None => Ok(Cursor { pinned, at, id }),
            Some(_) => Err(()),
        }
    }
}

/// Which page of which view, for whom.
#[derive(Debug, Clone, Copy)]
pub struct PageQuery {
    pub view: View,
    pub line: Option<LineId>,
    /// Only the conversations assigned to this teammate.
    pub assignee: Option<MemberId>,
    pub limit: u32,
    pub after: Option<Cursor>,
    /// Only the conversations whose contact has this tag.
    pub tag: Option<TagId>,
}

pub(super) const SUMMARY_SELECT: &str = "
    SELECT c.id, c.line_id, c.status, c.unread, c.latest_inbound_activity_id,
           c.latest_activity_at, k.id, k.name, ct.number, c.pinned, c.assignee_id, am.name,
           a.id, a.conversation_id, a.direction, a.kind, a.body, a.call_outcome,
           a.duration_seconds, a.at, a.author_id, au.name, a.delivery, a.delivery_error,
           (SELECT string_agg(CAST(tag_id AS TEXT), ',') FROM contact_tags
             WHERE contact_id = k.id)
      FROM conversations c
      JOIN numbers ct ON ct.id = c.number_id
      LEFT JOIN contacts k ON k.id = ct.contact_id
      JOIN activities a ON a.id = c.latest_activity_id
      LEFT JOIN members am ON am.id = c.assignee_id
      LEFT JOIN members au ON au.id = a.author_id";

pub(super) const ACTIVITY_SELECT: &str = "
    SELECT a.id, a.conversation_id, a.direction, a.kind, a.body, a.call_outcome,
           a.duration_seconds, a.at, a.author_id, au.name, a.delivery, a.delivery_error
      FROM activities a
      LEFT JOIN members au ON au.id = a.author_id";

pub(super) struct ActivityRow {
    pub(super) activity_id: i64,
    pub(super) conversation_id: i64,
    pub(super) direction: String,
    pub(super) kind: String,
    pub(super) body: Option<String>,
    pub(super) call_outcome: Option<String>,
    pub(super) duration_seconds: Option<i64>,
    pub(super) at: i64,
    pub(super) author: Option<(i64, String)>,
    pub(super) delivery: Option<String>,
    pub(super) delivery_error: Option<String>,
}

impl ActivityRow {
    /// Reads the columns of [`ACTIVITY_SELECT`], starting at `first`.
    pub(super) fn read(row: &Row, first: usize) -> rusqlite::Result<ActivityRow> {
        let author_id: Option<i64> = row.get(first + 8)?;
        let author_name: Option<String> = row.get(first + 9)?;
        Ok(ActivityRow {
            activity_id: row.get(first)?,
            conversation_id: row.get(first + 1)?,
            direction: row.get(first + 2)?,
            kind: row.get(first + 3)?,
            body: row.get(first + 4)?,
            call_outcome: row.get(first + 5)?,
            duration_seconds: row.get(first + 6)?,
            at: row.get(first + 7)?,
            author: author_id.zip(author_name),
            delivery: row.get(first + 10)?,
            delivery_error: row.get(first + 11)?,
        })
    }
}

pub(super) struct SummaryRow {
    pub(super) id: i64,
    pub(super) line_id: i64,
    pub(super) status: String,
    pub(super) unread: bool,
    pub(super) latest_inbound_activity_id: Option<i64>,
    pub(super) latest_activity_at: i64,
    pub(super) contact_id: Option<i64>,
    pub(super) contact_name: Option<String>,
    pub(super) contact_number: String,
    /// The contact's tag ids, comma-separated.
    pub(super) contact_tags: Option<String>,
    pub(super) pinned: bool,
    pub(super) assignee: Option<(i64, String)>,
    pub(super) activity: ActivityRow,
}

impl SummaryRow {
    /// Reads the columns of [`SUMMARY_SELECT`].
    pub(super) fn read(row: &Row) -> rusqlite::Result<SummaryRow> {
        let assignee_id: Option<i64> = row.get(10)?;
        let assignee_name: Option<String> = row.get(11)?;
        Ok(SummaryRow {
            id: row.get(0)?,
            line_id: row.get(1)?,
            status: row.get(2)?,
            unread: row.get(3)?,
            latest_inbound_activity_id: row.get(4)?,
            latest_activity_at: row.get(5)?,
            contact_id: row.get(6)?,
            contact_name: row.get(7)?,
            contact_number: row.get(8)?,
            pinned: row.get(9)?,
            assignee: assignee_id.zip(assignee_name),
            activity: ActivityRow::read(row, 12)?,
            contact_tags: row.get(24)?,
        })
    }
}

impl SummaryRow {
    /// Reads the columns of [`SUMMARY_SELECT`] from a row of either engine.
    pub(super) fn from_portable(row: &super::portable::PRow) -> Result<SummaryRow, DbError> {
        let assignee = row.opt_int(10)?.zip(row.opt_text(11)?);
        Ok(SummaryRow {
            id: row.int(0)?,
            line_id: row.int(1)?,
            status: row.text(2)?,
            unread: row.int(3)? != 0,
            latest_inbound_activity_id: row.opt_int(4)?,
            latest_activity_at: row.int(5)?,
            contact_id: row.opt_int(6)?,
            contact_name: row.opt_text(7)?,
            contact_number: row.text(8)?,
            pinned: row.int(9)? != 0,
            assignee,
            activity: ActivityRow {
                activity_id: row.int(12)?,
                conversation_id: row.int(13)?,
                direction: row.text(14)?,
                kind: row.text(15)?,
                body: row.opt_text(16)?,
                call_outcome: row.opt_text(17)?,
                duration_seconds: row.opt_int(18)?,
                at: row.int(19)?,
                author: row.opt_int(20)?.zip(row.opt_text(21)?),
                delivery: row.opt_text(22)?,
                delivery_error: row.opt_text(23)?,
            },
            contact_tags: row.opt_text(24)?,
        })
    }
}

/// Tag ids as `string_agg` lists them, in order.
pub(super) fn tag_ids(list: Option<&str>) -> Result<Vec<TagId>, DbError> {
    let mut tags = match list {
        None | Some("") => return Ok(Vec::new()),
        Some(list) => list
            .split(',')
            .map(|id| {
                id.parse()
                    .map(TagId)
                    .map_err(|_| corrupt(format_args!("tag id {id:?}")))
            })
            .collect::<Result<Vec<_>, _>>()?,
    };
    tags.sort();
    Ok(tags)
}

pub(super) fn corrupt(what: impl fmt::Display) -> DbError {
    DbError::Corrupt(what.to_string())
}

pub(super) fn member((id, name): (i64, String)) -> MemberRef {
    MemberRef {
        id: MemberId(id),
        name,
    }
}

impl TryFrom<ActivityRow> for Activity {
    type Error = DbError;
    fn try_from(row: ActivityRow) -> Result<Self, DbError> {
        let direction = match row.direction.as_str() {
            "inbound" => Direction::Inbound,
            "outbound" => Direction::Outbound,
            "internal" => Direction::Internal,
            other => return Err(corrupt(format_args!("activity direction {other:?}"))),
        };
        let duration_seconds = u32::try_from(row.duration_seconds.unwrap_or(0))
            .map_err(|_| corrupt("negative duration"))?;
        let content = match row.kind.as_str() {
            "message" => ActivityContent::Message {
                text: row.body.unwrap_or_default(),
            },
            "call" => ActivityContent::Call {
                outcome: match row.call_outcome.as_deref() {
                    Some("answered") => CallOutcome::Answered,
                    Some("missed") => CallOutcome::Missed,
                    other => return Err(corrupt(format_args!("call outcome {other:?}"))),
                },
                duration_seconds,
            },
            "voicemail" => ActivityContent::Voicemail {
                duration_seconds,
                transcript: row.body,
            },
            "note" => ActivityContent::Note {
                text: row.body.unwrap_or_default(),
                author: member(row.author.ok_or_else(|| corrupt("a note without author"))?),
            },
            other => return Err(corrupt(format_args!("activity kind {other:?}"))),
        };
        let status = match row.delivery.as_deref() {
            None => None,
            Some("sending") => Some(DeliveryStatus::Sending),
            Some("sent") => Some(DeliveryStatus::Sent),
            Some("delivered") => Some(DeliveryStatus::Delivered),
            Some("failed") => Some(DeliveryStatus::Failed),
            Some("not_sent") => Some(DeliveryStatus::NotSent),
            Some(other) => return Err(corrupt(format_args!("delivery {other:?}"))),
        };
        let delivery = status.map(|status| Delivery {
            status,
            reason: row.delivery_error.clone(),
        });
        Ok(Activity {
            id: ActivityId(row.activity_id),
            conversation_id: ConversationId(row.conversation_id),
            direction,
            at: row.at,
            content,
            delivery,
        })
    }
}

impl TryFrom<SummaryRow> for ConversationSummary {
    type Error = DbError;
    fn try_from(row: SummaryRow) -> Result<Self, DbError> {
        Ok(ConversationSummary {
            id: ConversationId(row.id),
            line_id: LineId(row.line_id),
            contact: Contact {
                id: row.contact_id.map(ContactId),
                name: row.contact_name,
                number: row.contact_number,
                tags: tag_ids(row.contact_tags.as_deref())?,
            },
            status: row.status.parse().map_err(corrupt)?,
            unread: row.unread,
            latest_inbound_activity_id: row.latest_inbound_activity_id.map(ActivityId),
            latest_activity: row.activity.try_into()?,
            assignee: row.assignee.map(member),
            pinned: row.pinned,
        })
    }
}

/// The SQL of a page of `query`: [`SUMMARY_SELECT`] and the filters that apply, with the
/// parameters `$1` line, `$2`..`$4` cursor, `$5` viewer, `$6` assignee, `$7` tag, `$8` limit
/// (SQLite numbers parameters in the order the SQL first names them: keep them in order). `typed`:
/// PostgreSQL must be told the type of a parameter that is only tested for NULL.
pub(super) fn page_sql(query: &PageQuery, restricted: bool, typed: bool) -> String {
    let null = |param: &str, sql_type: &str| match typed {
        true => format!("{param}::{sql_type} IS NULL"),
        false => format!("{param} IS NULL"),
    };
    // Only fixed fragments are pasted into the SQL; every value is bound.
    let view_filter = match query.view {
        View::Open => "c.status = 'open'",
        View::Unread => "c.unread = TRUE",
        View::Done => "c.status = 'done'",
    };
    let line_filter = match query.line {
        Some(_) => "AND c.line_id = $1".to_owned(),
        None => format!("AND {}", null("$1", "BIGINT")),
    };
    let cursor_filter = match query.after {
        Some(_) => "AND (c.pinned < $2 OR (c.pinned = $2 AND (c.latest_activity_at < $3
                  OR (c.latest_activity_at = $3 AND c.id < $4))))"
            .to_owned(),
        None => format!(
            "AND {} AND {} AND {}",
            null("$2", "BOOLEAN"),
            null("$3", "BIGINT"),
            null("$4", "BIGINT")
        ),
    };
    let access_filter = match restricted {
        true => {
            "AND c.line_id IN (SELECT line_id FROM line_access WHERE member_id = $5)".to_owned()
        }
        false => format!("AND {}", null("$5", "BIGINT")),
    };
    let assignee_filter = match query.assignee {
        Some(_) => "AND c.assignee_id = $6".to_owned(),
        None => format!("AND {}", null("$6", "BIGINT")),
    };
    let tag_filter = match query.tag {
        Some(_) => "AND EXISTS (SELECT 1 FROM contact_tags t
                                 WHERE t.contact_id = ct.contact_id AND t.tag_id = $7)"
            .to_owned(),
        None => format!("AND {}", null("$7", "BIGINT")),
    };
    format!(
        "{SUMMARY_SELECT}
          WHERE {view_filter} {line_filter} {cursor_filter} {access_filter} {assignee_filter}
                {tag_filter}
          ORDER BY c.pinned DESC, c.latest_activity_at DESC, c.id DESC
          LIMIT $8"
    )
}

/// A page from the rows of [`page_sql`] (one more than `limit` if there are more).
pub(super) fn page_of(rows: Vec<SummaryRow>, limit: u32) -> Result<ConversationPage, DbError> {
    let has_more = rows.len() > limit as usize;
    let mut conversations = Vec::with_capacity(rows.len().min(limit as usize));
    let mut last_key = None;
    for row in rows.into_iter().take(limit as usize) {
        last_key = Some(Cursor {
            pinned: row.pinned,
            at: row.latest_activity_at,
            id: ConversationId(row.id),
        });
        conversations.push(row.try_into()?);
    }
    Ok(ConversationPage {
        conversations,
        next_cursor: last_key
            .filter(|_| has_more)
            .map(|cursor| cursor.to_string()),
    })
}

/// One page of a view, pinned conversations first, then newest activity first, after
/// `query.after`; only the lines `viewer` can see.
#[tracing::instrument(skip(db, viewer))]
pub async fn page(
    db: &Db,
    query: PageQuery,
    viewer: &SessionMember,
) -> Result<ConversationPage, DbError> {
    match db {
        Db::Sqlite(db) => {
            let restricted = viewer.lines.is_some();
            let sql = page_sql(&query, restricted, false);
            let viewer_id = restricted.then_some(viewer.id.0);
            let rows = db
                .read(|connection| {
                    let mut statement = connection.prepare_cached(&sql)?;
                    let rows = statement
                        .query_map(
                            params![
                                query.line.map(|line| line.0),
                                query.after.map(|cursor| cursor.pinned),
                                query.after.map(|cursor| cursor.at),
                                query.after.map(|cursor| cursor.id.0),
                                viewer_id,
                                query.assignee.map(|member| member.0),
                                query.tag.map(|tag| tag.0),
                                i64::from(query.limit) + 1,
                            ],
                            SummaryRow::read,
                        )?
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok(rows)
                })
                .await?;
            page_of(rows, query.limit)
        }
        Db::Postgres(db) => postgres::conversations::page(db, query, viewer).await,
    }
}

pub(super) fn summary(
    connection: &Connection,
    id: ConversationId,
) -> Result<Option<ConversationSummary>, DbError> {
    let row = connection
        .prepare_cached(&format!("{SUMMARY_SELECT} WHERE c.id = $1"))?
        .query_row([id.0], SummaryRow::read)
        .optional()?;
    row.map(TryInto::try_into).transpose()
}

pub(super) fn existing_summary(
    connection: &Connection,
    id: ConversationId,
) -> Result<ConversationSummary, DbError> {
    summary(connection, id)?
        .ok_or_else(|| corrupt(format_args!("conversation {id} has no activity")))
}

pub(super) fn activity(connection: &Connection, id: ActivityId) -> Result<Activity, DbError> {
    connection
        .prepare_cached(&format!("{ACTIVITY_SELECT} WHERE a.id = $1"))?
        .query_row([id.0], |row| ActivityRow::read(row, 0))?
        .try_into()
}

/// The line a conversation is on.
pub(super) fn line_of(
    connection: &Connection,
    id: ConversationId,
) -> Result<Option<LineId>, DbError> {
    Ok(connection
        .prepare_cached("SELECT line_id FROM conversations WHERE id = $1")?
        .query_row([id.0], |row| Ok(LineId(row.get(0)?)))
        .optional()?)
}

/// Whether `viewer` may have the conversation.
pub(super) fn check_access(
    connection: &Connection,
    id: ConversationId,
    viewer: &SessionMember,
) -> Result<Result<LineId, Denied>, DbError> {
    Ok(match line_of(connection, id)? {
        None => Err(Denied::NotFound),
        Some(line) if !viewer.can_see(line) => Err(Denied::Forbidden),
        Some(line) => Ok(line),
    })
}

/// One conversation with its whole thread (notes included), oldest first.
#[tracing::instrument(skip(db, viewer))]
pub async fn detail(
    db: &Db,
    id: ConversationId,
    viewer: &SessionMember,
) -> Result<Result<ConversationDetail, Denied>, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.read(|connection| {
                // One read transaction, so that the summary and the thread are of the same moment.
                let tx = connection.unchecked_transaction()?;
                if let Err(denied) = check_access(&tx, id, viewer)? {
                    return Ok(Err(denied));
                }
                let conversation = existing_summary(&tx, id)?;
                let rows = tx
                    .prepare_cached(&format!(
                        "{ACTIVITY_SELECT} WHERE a.conversation_id = $1 ORDER BY a.id"
                    ))?
                    .query_map([id.0], |row| ActivityRow::read(row, 0))?
                    .collect::<Result<Vec<_>, _>>()?;
                tx.commit()?;
                let activities = rows
                    .into_iter()
                    .map(TryInto::try_into)
                    .collect::<Result<_, _>>()?;
                Ok(Ok(ConversationDetail {
                    conversation,
                    activities,
                }))
            })
            .await
        }
        Db::Postgres(db) => postgres::conversations::detail(db, id, viewer).await,
    }
}

/// The customer's and the line's numbers of one conversation, picked by `pick` (demo traffic).
pub async fn random_contact(db: &Db, pick: u32) -> Result<Option<(String, String)>, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.read(|connection| {
                let count: i64 =
                    connection
                        .query_row("SELECT COUNT(*) FROM conversations", [], |row| row.get(0))?;
                if count == 0 {
                    return Ok(None);
                }
                Ok(connection
                    .prepare_cached(
                        "SELECT ct.number, l.number FROM conversations c
                   JOIN numbers ct ON ct.id = c.number_id JOIN lines l ON l.id = c.line_id
                  ORDER BY c.id LIMIT 1 OFFSET $1",
                    )?
                    .query_row([i64::from(pick) % count], |row| {
                        Ok((row.get(0)?, row.get(1)?))
                    })
                    .optional()?)
            })
            .await
        }
        Db::Postgres(db) => postgres::conversations::random_contact(db, pick).await,
    }
}
