//! Sessions (each a signed-in browser or program), failed sign-ins, and the clients a teammate
//! signed in from before.

use super::members::{self, SessionMember};
use super::{postgres, Db, DbError};
use rusqlite::{params, Connection, OptionalExtension};
use switchboard_domain::team::Role;
use switchboard_domain::{LineId, MemberId, SessionId};

/// Starts a session for `member`; its id.
pub async fn create(
    db: &Db,
    member: MemberId,
    token_hash: &str,
    user_agent: Option<String>,
    now: i64,
) -> Result<SessionId, DbError> {
    match db {
        Db::Sqlite(db) => {
            let token_hash = token_hash.to_owned();
            db.write(move |tx, _| {
                Ok(SessionId(
            tx.prepare_cached(
                "INSERT INTO sessions (token_hash, member_id, created_at, last_seen_at, user_agent)
                 VALUES ($1, $2, $3, $3, $4)
                 RETURNING id",
            )?
            .query_row(params![token_hash, member.0, now, user_agent], |row| {
                row.get(0)
            })?,
        ))
            })
            .await
        }
        Db::Postgres(db) => {
            postgres::sessions::create(db, member, token_hash, user_agent, now).await
        }
    }
}

/// The query of a session and its active teammate, found by `$condition` on `$1` (the SQL is
/// a literal: every authenticated request runs it, and builds no string to look it up).
macro_rules! session_where {
    ($condition:literal) => {
        concat!(
            "SELECT s.id, m.id, m.name, m.role, s.created_at, s.last_seen_at
               FROM sessions s JOIN members m ON m.id = s.member_id
              WHERE ",
            $condition,
            " AND m.deactivated_at IS NULL"
        )
    };
}
pub(super) use session_where;

/// The lines a session's teammate sees, when their role does not see every line.
pub(super) const LINES_OF: &str =
    "SELECT line_id FROM line_access WHERE member_id = $1 ORDER BY line_id";

/// The teammate whose session has this token hash, if it exists (and they are active).
pub async fn by_token(db: &Db, token_hash: &str) -> Result<Option<SessionMember>, DbError> {
    match db {
        Db::Sqlite(db) => {
            let token_hash = token_hash.to_owned();
            db.read(move |connection| {
                find(connection, session_where!("s.token_hash = $1"), &token_hash)
            })
            .await
        }
        Db::Postgres(db) => postgres::sessions::by_token(db, token_hash).await,
    }
}

/// The session with this id, read again (an open event stream checks that it may go on).
pub async fn by_id(db: &Db, id: SessionId) -> Result<Option<SessionMember>, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.read(move |connection| find(connection, session_where!("s.id = $1"), &id.0))
                .await
        }
        Db::Postgres(db) => postgres::sessions::by_id(db, id).await,
    }
}

fn find(
    connection: &Connection,
    query: &'static str,
    value: &dyn rusqlite::ToSql,
) -> Result<Option<SessionMember>, DbError> {
    let found = connection
        .prepare_cached(query)?
        .query_row([value], |row| {
            Ok((
                SessionId(row.get(0)?),
                MemberId(row.get(1)?),
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, i64>(4)?,
                row.get::<_, i64>(5)?,
            ))
        })
        .optional()?;
    let Some((session_id, id, name, role, created_at, last_seen_at)) = found else {
        return Ok(None);
    };
    let role: Role = members::role(&role)?;
    let lines = match role.sees_every_line() {
        true => None,
        false => Some(
            connection
                .prepare_cached(LINES_OF)?
                .query_map([id.0], |row| Ok(LineId(row.get(0)?)))?
                .collect::<Result<_, _>>()?,
        ),
    };
    Ok(Some(SessionMember {
        session_id,
        id,
        name,
        role,
        lines,
        created_at,
        last_seen_at,
    }))
}

/// Notes that the session was used now (for its idle expiry).
pub async fn touch(db: &Db, id: SessionId, now: i64) -> Result<(), DbError> {
    match db {
        Db::Sqlite(db) => {
            db.write(move |tx, _| {
                tx.prepare_cached("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")?
                    .execute(params![now, id.0])?;
                Ok(())
            })
            .await
        }
        Db::Postgres(db) => postgres::sessions::touch(db, id, now).await,
    }
}

/// Ends the session with this token hash, if there is one.
pub async fn end_by_token(db: &Db, token_hash: &str) -> Result<(), DbError> {
    match db {
        Db::Sqlite(db) => {
            let token_hash = token_hash.to_owned();
            db.write(move |tx, _| {
                tx.prepare_cached("DELETE FROM sessions WHERE token_hash = $1")?
                    .execute([&token_hash])?;
                Ok(())
            })
            .await
        }
        Db::Postgres(db) => postgres::sessions::end_by_token(db, token_hash).await,
    }
}

/// Ends one session of `member`; whether it existed.
pub async fn end(db: &Db, member: MemberId, id: SessionId) -> Result<bool, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.write(move |tx, _| {
                Ok(tx
                    .prepare_cached("DELETE FROM sessions WHERE id = $1 AND member_id = $2")?
                    .execute(params![id.0, member.0])?
                    > 0)
            })
            .await
        }
        Db::Postgres(db) => postgres::sessions::end(db, member, id).await,
    }
}

/// Ends every session of `member`; how many there were.
pub async fn end_all(db: &Db, member: MemberId) -> Result<usize, DbError> {
    match db {
        Db::Sqlite(db) => db.write(move |tx, _| end_all_in(tx, member)).await,
        Db::Postgres(db) => postgres::sessions::end_all(db, member).await,
    }
}

pub(super) fn end_all_in(tx: &Connection, member: MemberId) -> Result<usize, DbError> {
    Ok(tx
        .prepare_cached("DELETE FROM sessions WHERE member_id = $1")?
        .execute([member.0])?)
}

/// One session as listed: id, started, last used, browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub id: SessionId,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub user_agent: Option<String>,
}

/// The sessions of `member`, most recently used first.
pub async fn of_member(db: &Db, member: MemberId) -> Result<Vec<SessionRow>, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.read(move |connection| {
                Ok(connection
                    .prepare_cached(
                        "SELECT id, created_at, last_seen_at, user_agent FROM sessions
                  WHERE member_id = $1 ORDER BY last_seen_at DESC, id DESC",
                    )?
                    .query_map([member.0], |row| {
                        Ok(SessionRow {
                            id: SessionId(row.get(0)?),
                            created_at: row.get(1)?,
                            last_seen_at: row.get(2)?,
                            user_agent: row.get(3)?,
                        })
                    })?
                    .collect::<Result<_, _>>()?)
            })
            .await
        }
        Db::Postgres(db) => postgres::sessions::of_member(db, member).await,
    }
}

/// A sign-in attempt, counted before its password is checked: the failures each subject had
/// in the window, and the rows that record this attempt as one more (taken back if it
/// succeeds). Counting and recording in one write transaction means that parallel attempts
/// each see the ones before them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub failures: Vec<u32>,
    pub(super) rows: Recorded,
}

/// The failure rows an attempt recorded, as each engine finds them again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Recorded {
    /// SQLite: their rowids.
    Rowids(Vec<i64>),
    /// PostgreSQL has no rowid: a row is its subject and time, nothing else, so taking back any
    /// one row with this subject and time takes back this attempt's, to the count.
    Rows { subjects: Vec<String>, at: i64 },
}

pub async fn begin_attempt(
    db: &Db,
    subjects: &[String],
    since: i64,
    now: i64,
) -> Result<Attempt, DbError> {
    match db {
        Db::Sqlite(db) => {
            let subjects = subjects.to_vec();
            db.write(move |tx, _| {
                let mut failures = Vec::with_capacity(subjects.len());
                let mut rows = Vec::with_capacity(subjects.len());
                for subject in &subjects {
                    failures.push(
                        tx.prepare_cached(
                            "SELECT COUNT(*) FROM sign_in_failures WHERE subject = $1 AND at >= $2",
                        )?
                        .query_row(params![subject, since], |row| row.get(0))?,
                    );
                    rows.push(
                tx.prepare_cached(
                    "INSERT INTO sign_in_failures (subject, at) VALUES ($1, $2) RETURNING rowid",
                )?
                .query_row(params![subject, now], |row| row.get(0))?,
            );
                }
                Ok(Attempt {
                    failures,
                    rows: Recorded::Rowids(rows),
                })
            })
            .await
        }
        Db::Postgres(db) => postgres::sessions::begin_attempt(db, subjects, since, now).await,
    }
}

/// The attempt succeeded: it is no failure.
pub async fn forgive(db: &Db, attempt: Attempt) -> Result<(), DbError> {
    match db {
        Db::Sqlite(db) => {
            let Recorded::Rowids(rows) = attempt.rows else {
                return Err(members::corrupt("an attempt counted on another engine"));
            };
            db.write(move |tx, _| {
                let mut delete =
                    tx.prepare_cached("DELETE FROM sign_in_failures WHERE rowid = $1")?;
                for row in rows {
                    delete.execute([row])?;
                }
                Ok(())
            })
            .await
        }
        Db::Postgres(db) => postgres::sessions::forgive(db, attempt).await,
    }
}

/// Forgets the failures of `subject` (a known client that signed in).
pub async fn clear_failures(db: &Db, subject: &str) -> Result<(), DbError> {
    match db {
        Db::Sqlite(db) => {
            let subject = subject.to_owned();
            db.write(move |tx, _| {
                tx.prepare_cached("DELETE FROM sign_in_failures WHERE subject = $1")?
                    .execute([&subject])?;
                Ok(())
            })
            .await
        }
        Db::Postgres(db) => postgres::sessions::clear_failures(db, subject).await,
    }
}

/// The first of `clients` that signed in as the teammate with this email since `since`.
pub async fn known_client(
    db: &Db,
    email: &str,
    clients: &[String],
    since: i64,
) -> Result<Option<String>, DbError> {
    match db {
        Db::Sqlite(db) => {
            let (email, clients) = (email.to_owned(), clients.to_vec());
            db.read(move |connection| {
                let mut query = connection.prepare_cached(
                    "SELECT 1 FROM known_clients k JOIN members m ON m.id = k.member_id
              WHERE m.email = $1 AND k.client = $2 AND k.last_success_at >= $3",
                )?;
                for client in clients {
                    if query
                        .query_row(params![email, client, since], |_| Ok(()))
                        .optional()?
                        .is_some()
                    {
                        return Ok(Some(client));
                    }
                }
                Ok(None)
            })
            .await
        }
        Db::Postgres(db) => postgres::sessions::known_client(db, email, clients, since).await,
    }
}

/// Remembers that `clients` signed in as `member` now.
pub async fn remember_clients(
    db: &Db,
    member: MemberId,
    clients: &[String],
    now: i64,
) -> Result<(), DbError> {
    match db {
        Db::Sqlite(db) => {
            let clients = clients.to_vec();
            db.write(move |tx, _| {
        let mut upsert = tx.prepare_cached(
            "INSERT INTO known_clients (member_id, client, last_success_at) VALUES ($1, $2, $3)
             ON CONFLICT (member_id, client) DO UPDATE SET last_success_at = excluded.last_success_at",
        )?;
        for client in clients {
            upsert.execute(params![member.0, client, now])?;
        }
        Ok(())
    })
    .await
        }
        Db::Postgres(db) => postgres::sessions::remember_clients(db, member, clients, now).await,
    }
}
