//! Team administration: every teammate as owners and admins see them, and the changes they
//! make (role, lines, deactivation, password). A change of access ends the teammate's event
//! streams through a live event recorded in the same transaction, so that nothing of a line
//! taken away is sent after it.

use super::events::Audience;
use super::members::{self, corrupt};
use super::{postgres, Db, DbError};
use rusqlite::{params, Connection, OptionalExtension};
use switchboard_domain::team::{LiveEvent, Role, TeamMember, TeamMemberUpdate};
use switchboard_domain::{LineId, MemberId};

/// Every teammate, deactivated ones too, by name.
pub async fn list(db: &Db) -> Result<Vec<TeamMember>, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.read(|connection| {
                let ids: Vec<i64> = connection
                    .prepare_cached("SELECT id FROM members ORDER BY name, id")?
                    .query_map([], |row| row.get(0))?
                    .collect::<Result<_, _>>()?;
                ids.into_iter()
                    .map(|id| {
                        read(connection, MemberId(id))?.ok_or_else(|| corrupt("a member vanished"))
                    })
                    .collect()
            })
            .await
        }
        Db::Postgres(db) => postgres::team::list(db).await,
    }
}

/// One teammate.
pub async fn get(db: &Db, id: MemberId) -> Result<Option<TeamMember>, DbError> {
    match db {
        Db::Sqlite(db) => db.read(move |connection| read(connection, id)).await,
        Db::Postgres(db) => postgres::team::get(db, id).await,
    }
}

/// A teammate as the team page shows them, but their lines.
pub(super) const READ: &str =
    "SELECT m.name, m.email, m.role, m.deactivated_at IS NOT NULL, m.created_at,
            (SELECT COUNT(*) FROM sessions s WHERE s.member_id = m.id),
            (SELECT MAX(s.last_seen_at) FROM sessions s WHERE s.member_id = m.id)
       FROM members m WHERE m.id = $1";

/// How many active owners the team has.
pub(super) const ACTIVE_OWNERS: &str =
    "SELECT COUNT(*) FROM members WHERE role = 'owner' AND deactivated_at IS NULL";

fn read(connection: &Connection, id: MemberId) -> Result<Option<TeamMember>, DbError> {
    let found = connection
        .prepare_cached(READ)?
        .query_row([id.0], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, bool>(3)?,
                row.get::<_, i64>(4)?,
                row.get::<_, u32>(5)?,
                row.get::<_, Option<i64>>(6)?,
            ))
        })
        .optional()?;
    let Some((name, email, role, deactivated, created_at, active_sessions, last_seen_at)) = found
    else {
        return Ok(None);
    };
    let role: Role = members::role(&role)?;
    let query = match role.sees_every_line() {
        true => "SELECT id FROM lines WHERE $1 = $1 ORDER BY id",
        false => super::sessions::LINES_OF,
    };
    let line_ids = connection
        .prepare_cached(query)?
        .query_map([id.0], |row| Ok(LineId(row.get(0)?)))?
        .collect::<Result<_, _>>()?;
    Ok(Some(TeamMember {
        id,
        name,
        email,
        role,
        line_ids,
        deactivated,
        active_sessions,
        last_seen_at,
        created_at,
    }))
}

/// How many active owners the team has.
pub async fn active_owners(db: &Db) -> Result<u32, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.read(|connection| Ok(connection.query_row(ACTIVE_OWNERS, [], |row| row.get(0))?))
                .await
        }
        Db::Postgres(db) => postgres::team::active_owners(db).await,
    }
}

/// Applies `update` to teammate `id` (checked by the caller); the teammate as they now are,
/// `None` if there is no such teammate. Deactivating ends every session; a change of role or
/// lines ends their event streams (they reconnect with the new access).
pub async fn update(
    db: &Db,
    id: MemberId,
    update: TeamMemberUpdate,
    now: i64,
) -> Result<Option<TeamMember>, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.write(move |tx, log| {
                if read(tx, id)?.is_none() {
                    return Ok(None);
                }
                if let Some(role) = update.role {
                    tx.prepare_cached("UPDATE members SET role = $1 WHERE id = $2")?
                        .execute(params![role.as_str(), id.0])?;
                }
                if let Some(lines) = &update.line_ids {
                    tx.prepare_cached("DELETE FROM line_access WHERE member_id = $1")?
                        .execute([id.0])?;
                    let mut grant = tx.prepare_cached(
                        "INSERT INTO line_access (member_id, line_id) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING",
                    )?;
                    for line in lines {
                        grant.execute(params![id.0, line.0])?;
                    }
                }
                match update.deactivated {
                    Some(true) => {
                        tx.prepare_cached(
                            "UPDATE members SET deactivated_at = COALESCE(deactivated_at, $1)
                      WHERE id = $2",
                        )?
                        .execute(params![now, id.0])?;
                        super::sessions::end_all_in(tx, id)?;
                    }
                    Some(false) => {
                        tx.prepare_cached(
                            "UPDATE members SET deactivated_at = NULL WHERE id = $1",
                        )?
                        .execute([id.0])?;
                    }
                    None => {}
                }
                // In the same transaction, so that the streams close before anything that follows.
                // (Ended sessions need no event: the streams find them gone when told to look.)
                if update.role.is_some() || update.line_ids.is_some() {
                    log.record(tx, Audience::Member(id), &LiveEvent::AccessChanged {}, now)?;
                }
                read(tx, id)
            })
            .await
        }
        Db::Postgres(db) => postgres::team::update(db, id, update, now).await,
    }
}

/// Sets teammate `id`'s password hash and ends every session of theirs; whether they exist.
pub async fn set_password(db: &Db, id: MemberId, password_hash: String) -> Result<bool, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.write(move |tx, _| {
                let changed = tx
                    .prepare_cached("UPDATE members SET password_hash = $1 WHERE id = $2")?
                    .execute(params![password_hash, id.0])?;
                if changed == 0 {
                    return Ok(false);
                }
                super::sessions::end_all_in(tx, id)?;
                Ok(true)
            })
            .await
        }
        Db::Postgres(db) => postgres::team::set_password(db, id, password_hash).await,
    }
}

/// The id of the teammate with this email, deactivated or not.
pub async fn by_email(db: &Db, email: &str) -> Result<Option<MemberId>, DbError> {
    match db {
        Db::Sqlite(db) => {
            let email = email.trim().to_lowercase();
            db.read(move |connection| {
                Ok(connection
                    .prepare_cached("SELECT id FROM members WHERE email = $1")?
                    .query_row([&email], |row| Ok(MemberId(row.get(0)?)))
                    .optional()?)
            })
            .await
        }
        Db::Postgres(db) => postgres::team::by_email(db, email).await,
    }
}
