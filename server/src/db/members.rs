//! Teammates and their access to lines (their sessions and sign-ins: [`super::sessions`]).

use super::events::Audience;
use super::{postgres, Db, DbError};
use rusqlite::{params, OptionalExtension};
use switchboard_catalogue::Lang;
use switchboard_domain::team::{LiveEvent, Me, MemberRef, Role};
use switchboard_domain::{LineId, MemberId, SessionId};

/// A teammate to create.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_hash: String,
    /// The lines a member sees (owners and admins see every line).
    pub lines: Vec<LineId>,
}

/// The signed-in teammate behind a session, with what they may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionMember {
    pub session_id: SessionId,
    pub id: MemberId,
    pub name: String,
    pub role: Role,
    /// `None`: every line.
    pub lines: Option<Vec<LineId>>,
    pub created_at: i64,
    pub last_seen_at: i64,
}

impl SessionMember {
    /// Whether `other` (the same session, read again) may see exactly what this one saw.
    pub fn same_access(&self, other: &SessionMember) -> bool {
        (self.role, &self.lines) == (other.role, &other.lines)
    }

    pub fn can_see(&self, line: LineId) -> bool {
        self.lines
            .as_ref()
            .is_none_or(|lines| lines.contains(&line))
    }
}

pub(super) fn corrupt(what: impl std::fmt::Display) -> DbError {
    DbError::Corrupt(what.to_string())
}

/// A stored role, as the domain reads it.
pub(super) fn role(stored: &str) -> Result<Role, DbError> {
    stored.parse().map_err(corrupt)
}

/// A stored count (an `i64` on both engines), as the domain's `u32`.
pub(super) fn count(stored: i64) -> Result<u32, DbError> {
    u32::try_from(stored).map_err(corrupt)
}

/// Creates a teammate; an email already taken is `Ok(None)`.
#[tracing::instrument(skip(db, member), fields(email = %member.email))]
pub async fn create(db: &Db, member: &NewMember, now: i64) -> Result<Option<MemberId>, DbError> {
    match db {
        Db::Sqlite(db) => {
            let member = member.clone();
            db.write(move |tx, _| {
                let id: Option<i64> = tx
                    .prepare_cached(
                        "INSERT INTO members (email, name, role, password_hash, created_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (email) DO NOTHING
                 RETURNING id",
                    )?
                    .query_row(
                        params![
                            member.email.to_lowercase(),
                            member.name,
                            member.role.as_str(),
                            member.password_hash,
                            now
                        ],
                        |row| row.get(0),
                    )
                    .optional()?;
                let Some(id) = id else {
                    return Ok(None);
                };
                let mut grant = tx.prepare_cached(
            "INSERT INTO line_access (member_id, line_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )?;
                for line in &member.lines {
                    grant.execute(params![id, line.0])?;
                }
                Ok(Some(MemberId(id)))
            })
            .await
        }
        Db::Postgres(db) => postgres::members::create(db, member, now).await,
    }
}

/// The id and password hash of the active teammate with this email (a deactivated one has
/// none: they cannot sign in).
pub async fn credentials(db: &Db, email: &str) -> Result<Option<(MemberId, String)>, DbError> {
    match db {
        Db::Sqlite(db) => {
            let email = email.trim().to_lowercase();
            db.read(|connection| {
                Ok(connection
                    .prepare_cached(
                        "SELECT id, password_hash FROM members
                  WHERE email = $1 AND deactivated_at IS NULL",
                    )?
                    .query_row([&email], |row| Ok((MemberId(row.get(0)?), row.get(1)?)))
                    .optional()?)
            })
            .await
        }
        Db::Postgres(db) => postgres::members::credentials(db, email).await,
    }
}

/// Whether the workspace has any teammate yet.
pub async fn any(db: &Db) -> Result<bool, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.read(|connection| {
                let count: i64 =
                    connection.query_row("SELECT COUNT(*) FROM members", [], |row| row.get(0))?;
                Ok(count > 0)
            })
            .await
        }
        Db::Postgres(db) => postgres::members::any(db).await,
    }
}

/// Every teammate, by name.
pub async fn list(db: &Db) -> Result<Vec<MemberRef>, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.read(|connection| {
                Ok(connection
            .prepare_cached(
                "SELECT id, name FROM members WHERE deactivated_at IS NULL ORDER BY name, id",
            )?
            .query_map([], |row| {
                Ok(MemberRef {
                    id: MemberId(row.get(0)?),
                    name: row.get(1)?,
                })
            })?
            .collect::<Result<_, _>>()?)
            })
            .await
        }
        Db::Postgres(db) => postgres::members::list(db).await,
    }
}

/// The signed-in teammate's own record.
pub async fn me(db: &Db, member: &SessionMember) -> Result<Me, DbError> {
    match db {
        Db::Sqlite(db) => {
            let id = member.id;
            let (email, language, all_lines) = db
                .read(|connection| {
                    let (email, language): (String, Option<String>) = connection
                        .prepare_cached("SELECT email, language FROM members WHERE id = $1")?
                        .query_row([id.0], |row| Ok((row.get(0)?, row.get(1)?)))?;
                    let lines: Vec<LineId> = connection
                        .prepare_cached("SELECT id FROM lines ORDER BY id")?
                        .query_map([], |row| Ok(LineId(row.get(0)?)))?
                        .collect::<Result<_, _>>()?;
                    Ok((email, language, lines))
                })
                .await?;
            Ok(me_from(member, email, language, all_lines))
        }
        Db::Postgres(db) => postgres::members::me(db, member).await,
    }
}

/// The teammate's own record, from their session, their stored email and language, and every
/// line (what an owner or admin sees).
pub(super) fn me_from(
    member: &SessionMember,
    email: String,
    language: Option<String>,
    all_lines: Vec<LineId>,
) -> Me {
    Me {
        id: member.id,
        name: member.name.clone(),
        email,
        role: member.role,
        line_ids: member.lines.clone().unwrap_or(all_lines),
        language: spoken(language).map(|lang| lang.code().to_owned()),
    }
}

/// A stored code, if the catalogue still speaks it: a language taken out of a later build
/// reads as no choice (the browser's languages decide), not as a page in no language.
pub(super) fn spoken(stored: Option<String>) -> Option<Lang> {
    stored.as_deref().and_then(crate::language::by_code)
}

/// The interface language teammate `id` chose, if any.
pub async fn language(db: &Db, id: MemberId) -> Result<Option<Lang>, DbError> {
    match db {
        Db::Sqlite(db) => {
            let stored: Option<String> = db
                .read(move |connection| {
                    Ok(connection
                        .prepare_cached("SELECT language FROM members WHERE id = $1")?
                        .query_row([id.0], |row| row.get(0))
                        .optional()?
                        .flatten())
                })
                .await?;
            Ok(spoken(stored))
        }
        Db::Postgres(db) => postgres::members::language(db, id).await,
    }
}

/// Sets teammate `id`'s interface language (`None`: follow each browser's). If it changed, every
/// stream of theirs, on every device, is told at once; nobody else's is.
pub async fn set_language(
    db: &Db,
    id: MemberId,
    language: Option<Lang>,
    now: i64,
) -> Result<(), DbError> {
    match db {
        Db::Sqlite(db) => {
            let code = language.map(Lang::code);
            db.write(move |tx, log| {
                let before: Option<String> = tx
                    .prepare_cached("SELECT language FROM members WHERE id = $1")?
                    .query_row([id.0], |row| row.get(0))?;
                if before.as_deref() == code {
                    return Ok(());
                }
                tx.prepare_cached("UPDATE members SET language = $1 WHERE id = $2")?
                    .execute(params![code, id.0])?;
                let event = LiveEvent::Language {
                    language: code.map(str::to_owned),
                };
                log.record(tx, Audience::Member(id), &event, now)
            })
            .await
        }
        Db::Postgres(db) => postgres::members::set_language(db, id, language, now).await,
    }
}
