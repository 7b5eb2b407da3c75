//! sessions on PostgreSQL.

use super::{Postgres, Sql, Transaction};
use crate::db::members::{self, SessionMember};
use crate::db::sessions::{session_where, Attempt, Recorded, SessionRow, LINES_OF};
use crate::db::DbError;
use switchboard_domain::{LineId, MemberId, SessionId};
use tokio_postgres::types::ToSql;

pub(crate) async fn create(
    db: &Postgres,
    member: MemberId,
    token_hash: &str,
    user_agent: Option<String>,
    now: i64,
) -> Result<SessionId, DbError> {
    db.write(async move |tx, _| {
        Ok(SessionId(
            tx.one(
                "INSERT INTO sessions (token_hash, member_id, created_at, last_seen_at, user_agent)
                 VALUES ($1, $2, $3, $3, $4)
                 RETURNING id",
                &[&token_hash, &member.0, &now, &user_agent],
            )
            .await?
            .try_get(0)?,
        ))
    })
    .await
}

pub(crate) async fn by_token(
    db: &Postgres,
    token_hash: &str,
) -> Result<Option<SessionMember>, DbError> {
    find(
        &db.client().await?,
        session_where!("s.token_hash = $1"),
        &token_hash,
    )
    .await
}

pub(crate) async fn by_id(db: &Postgres, id: SessionId) -> Result<Option<SessionMember>, DbError> {
    find(&db.client().await?, session_where!("s.id = $1"), &id.0).await
}

async fn find(
    client: &impl Sql,
    query: &'static str,
    value: &(dyn ToSql + Sync),
) -> Result<Option<SessionMember>, DbError> {
    let Some(row) = client.opt(query, &[value]).await? else {
        return Ok(None);
    };
    let id = MemberId(row.try_get(1)?);
    let role = members::role(row.try_get(3)?)?;
    let lines = match role.sees_every_line() {
        true => None,
        false => Some(
            client
                .all(LINES_OF, &[&id.0])
                .await?
                .iter()
                .map(|row| Ok(LineId(row.try_get(0)?)))
                .collect::<Result<_, DbError>>()?,
        ),
    };
    Ok(Some(SessionMember {
        session_id: SessionId(row.try_get(0)?),
        id,
        name: row.try_get(2)?,
        role,
        lines,
        created_at: row.try_get(4)?,
        last_seen_at: row.try_get(5)?,
    }))
}

pub(crate) async fn touch(db: &Postgres, id: SessionId, now: i64) -> Result<(), DbError> {
    db.write(async move |tx, _| {
        tx.run(
            "UPDATE sessions SET last_seen_at = $1 WHERE id = $2",
            &[&now, &id.0],
        )
        .await?;
        Ok(())
    })
    .await
}

pub(crate) async fn end_by_token(db: &Postgres, token_hash: &str) -> Result<(), DbError> {
    db.write(async move |tx, _| {
        tx.run("DELETE FROM sessions WHERE token_hash = $1", &[&token_hash])
            .await?;
        Ok(())
    })
    .await
}

pub(crate) async fn end(db: &Postgres, member: MemberId, id: SessionId) -> Result<bool, DbError> {
    db.write(async move |tx, _| {
        Ok(tx
            .run(
                "DELETE FROM sessions WHERE id = $1 AND member_id = $2",
                &[&id.0, &member.0],
            )
            .await?
            > 0)
    })
    .await
}

pub(crate) async fn end_all(db: &Postgres, member: MemberId) -> Result<usize, DbError> {
    db.write(async move |tx, _| end_all_in(tx, member).await)
        .await
}

pub(super) async fn end_all_in(tx: &Transaction<'_>, member: MemberId) -> Result<usize, DbError> {
    let ended = tx
        .run("DELETE FROM sessions WHERE member_id = $1", &[&member.0])
        .await?;
    usize::try_from(ended).map_err(members::corrupt)
}

pub(crate) async fn of_member(db: &Postgres, member: MemberId) -> Result<Vec<SessionRow>, DbError> {
    db.client()
        .await?
        .all(
            "SELECT id, created_at, last_seen_at, user_agent FROM sessions
              WHERE member_id = $1 ORDER BY last_seen_at DESC, id DESC",
            &[&member.0],
        )
        .await?
        .iter()
        .map(|row| {
            Ok(SessionRow {
                id: SessionId(row.try_get(0)?),
                created_at: row.try_get(1)?,
                last_seen_at: row.try_get(2)?,
                user_agent: row.try_get(3)?,
            })
        })
        .collect()
}

/// Counts and records in one write transaction, as on SQLite: the write lock makes parallel
/// attempts, on any server, each see the ones before them.
pub(crate) async fn begin_attempt(
    db: &Postgres,
    subjects: &[String],
    since: i64,
    now: i64,
) -> Result<Attempt, DbError> {
    db.write(async move |tx, _| {
        let mut failures = Vec::with_capacity(subjects.len());
        for subject in subjects {
            let counted: i64 = tx
                .one(
                    "SELECT COUNT(*) FROM sign_in_failures WHERE subject = $1 AND at >= $2",
                    &[subject, &since],
                )
                .await?
                .try_get(0)?;
            failures.push(members::count(counted)?);
            tx.run(
                "INSERT INTO sign_in_failures (subject, at) VALUES ($1, $2)",
                &[subject, &now],
            )
            .await?;
        }
        Ok(Attempt {
            failures,
            rows: Recorded::Rows {
                subjects: subjects.to_vec(),
                at: now,
            },
        })
    })
    .await
}

pub(crate) async fn forgive(db: &Postgres, attempt: Attempt) -> Result<(), DbError> {
    let Recorded::Rows { subjects, at } = attempt.rows else {
        return Err(members::corrupt("an attempt counted on another engine"));
    };
    db.write(async move |tx, _| {
        for subject in &subjects {
            // One row only: another attempt of this subject at the same moment keeps its own.
            tx.run(
                "DELETE FROM sign_in_failures WHERE ctid IN (
                     SELECT ctid FROM sign_in_failures WHERE subject = $1 AND at = $2 LIMIT 1
                 )",
                &[subject, &at],
            )
            .await?;
        }
        Ok(())
    })
    .await
}

pub(crate) async fn clear_failures(db: &Postgres, subject: &str) -> Result<(), DbError> {
    db.write(async move |tx, _| {
        tx.run(
            "DELETE FROM sign_in_failures WHERE subject = $1",
            &[&subject],
        )
        .await?;
        Ok(())
    })
    .await
}

pub(crate) async fn known_client(
    db: &Postgres,
    email: &str,
    clients: &[String],
    since: i64,
) -> Result<Option<String>, DbError> {
    let client = db.client().await?;
    for known in clients {
        let found = client
            .opt(
                "SELECT 1 FROM known_clients k JOIN members m ON m.id = k.member_id
                  WHERE m.email = $1 AND k.client = $2 AND k.last_success_at >= $3",
                &[&email, known, &since],
            )
            .await?;
        if found.is_some() {
            return Ok(Some(known.clone()));
        }
    }
    Ok(None)
}

pub(crate) async fn remember_clients(
    db: &Postgres,
    member: MemberId,
    clients: &[String],
    now: i64,
) -> Result<(), DbError> {
    db.write(async move |tx, _| {
        for client in clients {
            tx.run(
                "INSERT INTO known_clients (member_id, client, last_success_at)
                 VALUES ($1, $2, $3)
                 ON CONFLICT (member_id, client)
                 DO UPDATE SET last_success_at = excluded.last_success_at",
                &[&member.0, client, &now],
            )
            .await?;
        }
        Ok(())
    })
    .await
}
