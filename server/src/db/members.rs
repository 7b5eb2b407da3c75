//! Teammates, their access to lines, their sessions, and failed sign-ins.

use super::{Db, DbError};
use rusqlite::{params, OptionalExtension};
use switchboard_domain::team::{Me, MemberRef, Role};
use switchboard_domain::{LineId, MemberId};

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
    pub id: MemberId,
    pub name: String,
    pub role: Role,
    /// `None`: every line.
    pub lines: Option<Vec<LineId>>,
    pub created_at: i64,
    pub last_seen_at: i64,
}

impl SessionMember {
    pub fn can_see(&self, line: LineId) -> bool {
        self.lines
            .as_ref()
            .is_none_or(|lines| lines.contains(&line))
    }
}

fn corrupt(what: impl std::fmt::Display) -> DbError {
    DbError::Corrupt(what.to_string())
}

/// Creates a teammate; an email already taken is `Ok(None)`.
#[tracing::instrument(skip(db, member), fields(email = %member.email))]
pub async fn create(db: &Db, member: &NewMember, now: i64) -> Result<Option<MemberId>, DbError> {
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

/// The id and password hash of the teammate with this email.
pub async fn credentials(db: &Db, email: &str) -> Result<Option<(MemberId, String)>, DbError> {
    let email = email.trim().to_lowercase();
    db.read(|connection| {
        Ok(connection
            .prepare_cached("SELECT id, password_hash FROM members WHERE email = $1")?
            .query_row([&email], |row| Ok((MemberId(row.get(0)?), row.get(1)?)))
            .optional()?)
    })
    .await
}

/// Whether the workspace has any teammate yet.
pub async fn any(db: &Db) -> Result<bool, DbError> {
    db.read(|connection| {
        let count: i64 =
            connection.query_row("SELECT COUNT(*) FROM members", [], |row| row.get(0))?;
        Ok(count > 0)
    })
    .await
}

pub async fn create_session(
    db: &Db,
    member: MemberId,
    token_hash: &str,
    now: i64,
) -> Result<(), DbError> {
    let token_hash = token_hash.to_owned();
    db.write(move |tx, _| {
        tx.prepare_cached(
            "INSERT INTO sessions (token_hash, member_id, created_at, last_seen_at)
             VALUES ($1, $2, $3, $3)",
        )?
        .execute(params![token_hash, member.0, now])?;
        Ok(())
    })
    .await
}

/// The teammate whose session has this token hash, if it exists.
pub async fn session(db: &Db, token_hash: &str) -> Result<Option<SessionMember>, DbError> {
    db.read(|connection| {
        let found = connection
            .prepare_cached(
                "SELECT m.id, m.name, m.role, s.created_at, s.last_seen_at
                   FROM sessions s JOIN members m ON m.id = s.member_id
                  WHERE s.token_hash = $1",
            )?
            .query_row([token_hash], |row| {
                Ok((
                    MemberId(row.get(0)?),
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, i64>(3)?,
                    row.get::<_, i64>(4)?,
                ))
            })
            .optional()?;
        let Some((id, name, role, created_at, last_seen_at)) = found else {
            return Ok(None);
        };
        let role: Role = role.parse().map_err(corrupt)?;
        let lines = match role.sees_every_line() {
            true => None,
            false => Some(
                connection
                    .prepare_cached(
                        "SELECT line_id FROM line_access WHERE member_id = $1 ORDER BY line_id",
                    )?
                    .query_map([id.0], |row| Ok(LineId(row.get(0)?)))?
                    .collect::<Result<_, _>>()?,
            ),
        };
        Ok(Some(SessionMember {
            id,
            name,
            role,
            lines,
            created_at,
            last_seen_at,
        }))
    })
    .await
}

/// Notes that the session was used now (for its idle expiry).
pub async fn touch_session(db: &Db, token_hash: &str, now: i64) -> Result<(), DbError> {
    let token_hash = token_hash.to_owned();
    db.write(move |tx, _| {
        tx.prepare_cached("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")?
            .execute(params![now, token_hash])?;
        Ok(())
    })
    .await
}

pub async fn delete_session(db: &Db, token_hash: &str) -> Result<(), DbError> {
    let token_hash = token_hash.to_owned();
    db.write(move |tx, _| {
        tx.prepare_cached("DELETE FROM sessions WHERE token_hash = $1")?
            .execute([&token_hash])?;
        Ok(())
    })
    .await
}

/// Failed sign-ins for `subject` since `since`.
pub async fn failures_since(db: &Db, subject: &str, since: i64) -> Result<u32, DbError> {
    db.read(|connection| {
        Ok(connection
            .prepare_cached(
                "SELECT COUNT(*) FROM sign_in_failures WHERE subject = $1 AND at >= $2",
            )?
            .query_row(params![subject, since], |row| row.get(0))?)
    })
    .await
}

pub async fn record_failure(db: &Db, subjects: &[String], now: i64) -> Result<(), DbError> {
    let subjects = subjects.to_vec();
    db.write(move |tx, _| {
        let mut insert =
            tx.prepare_cached("INSERT INTO sign_in_failures (subject, at) VALUES ($1, $2)")?;
        for subject in subjects {
            insert.execute(params![subject, now])?;
        }
        Ok(())
    })
    .await
}

pub async fn clear_failures(db: &Db, subject: &str) -> Result<(), DbError> {
    let subject = subject.to_owned();
    db.write(move |tx, _| {
        tx.prepare_cached("DELETE FROM sign_in_failures WHERE subject = $1")?
            .execute([&subject])?;
        Ok(())
    })
    .await
}

/// Every teammate, by name.
pub async fn list(db: &Db) -> Result<Vec<MemberRef>, DbError> {
    db.read(|connection| {
        Ok(connection
            .prepare_cached("SELECT id, name FROM members ORDER BY name, id")?
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

/// The signed-in teammate's own record.
pub async fn me(db: &Db, member: &SessionMember) -> Result<Me, DbError> {
    let id = member.id;
    let (email, all_lines) = db
        .read(|connection| {
            let email: String = connection
                .prepare_cached("SELECT email FROM members WHERE id = $1")?
                .query_row([id.0], |row| row.get(0))?;
            let lines: Vec<LineId> = connection
                .prepare_cached("SELECT id FROM lines ORDER BY id")?
                .query_map([], |row| Ok(LineId(row.get(0)?)))?
                .collect::<Result<_, _>>()?;
            Ok((email, lines))
        })
        .await?;
    Ok(Me {
        id,
        name: member.name.clone(),
        email,
        role: member.role,
        line_ids: member.lines.clone().unwrap_or(all_lines),
    })
}
