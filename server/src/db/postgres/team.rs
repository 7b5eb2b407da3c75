//! team on PostgreSQL.

use super::{events, sessions, Postgres, Sql};
use crate::db::events::Audience;
use crate::db::members::{self, corrupt};
use crate::db::sessions::LINES_OF;
use crate::db::team::{ACTIVE_OWNERS, READ};
use crate::db::DbError;
use switchboard_domain::team::{LiveEvent, TeamMember, TeamMemberUpdate};
use switchboard_domain::{LineId, MemberId};

pub(crate) async fn list(db: &Postgres) -> Result<Vec<TeamMember>, DbError> {
    let client = db.client().await?;
    let rows = client
        .all("SELECT id FROM members ORDER BY name, id", &[])
        .await?;
    let mut team = Vec::with_capacity(rows.len());
    for row in rows {
        let id = MemberId(row.try_get(0)?);
        team.push(
            read(&client, id)
                .await?
                .ok_or_else(|| corrupt("a member vanished"))?,
        );
    }
    Ok(team)
}

pub(crate) async fn get(db: &Postgres, id: MemberId) -> Result<Option<TeamMember>, DbError> {
    read(&db.client().await?, id).await
}

async fn read(client: &impl Sql, id: MemberId) -> Result<Option<TeamMember>, DbError> {
    let Some(row) = client.opt(READ, &[&id.0]).await? else {
        return Ok(None);
    };
    let role = members::role(row.try_get(2)?)?;
    let line_ids = match role.sees_every_line() {
        true => client.all("SELECT id FROM lines ORDER BY id", &[]).await?,
        false => client.all(LINES_OF, &[&id.0]).await?,
    }
    .iter()
    .map(|row| Ok(LineId(row.try_get(0)?)))
    .collect::<Result<_, DbError>>()?;
    Ok(Some(TeamMember {
        id,
        name: row.try_get(0)?,
        email: row.try_get(1)?,
        role,
        line_ids,
        deactivated: row.try_get(3)?,
        active_sessions: members::count(row.try_get(5)?)?,
        last_seen_at: row.try_get(6)?,
        created_at: row.try_get(4)?,
    }))
}

pub(crate) async fn active_owners(db: &Postgres) -> Result<u32, DbError> {
    members::count(
        db.client()
            .await?
            .one(ACTIVE_OWNERS, &[])
            .await?
            .try_get(0)?,
    )
}

pub(crate) async fn update(
    db: &Postgres,
    id: MemberId,
    update: TeamMemberUpdate,
    now: i64,
) -> Result<Option<TeamMember>, DbError> {
    db.write(async move |tx, log| {
        if read(tx, id).await?.is_none() {
            return Ok(None);
        }
        if let Some(role) = update.role {
            tx.run(
                "UPDATE members SET role = $1 WHERE id = $2",
                &[&role.as_str(), &id.0],
            )
            .await?;
        }
        if let Some(lines) = &update.line_ids {
            tx.run("DELETE FROM line_access WHERE member_id = $1", &[&id.0])
                .await?;
            for line in lines {
                tx.run(
                    "INSERT INTO line_access (member_id, line_id) VALUES ($1, $2)
                     ON CONFLICT DO NOTHING",
                    &[&id.0, &line.0],
                )
                .await?;
            }
        }
        match update.deactivated {
            Some(true) => {
                tx.run(
                    "UPDATE members SET deactivated_at = COALESCE(deactivated_at, $1)
                      WHERE id = $2",
                    &[&now, &id.0],
                )
                .await?;
                sessions::end_all_in(tx, id).await?;
            }
            Some(false) => {
                tx.run(
                    "UPDATE members SET deactivated_at = NULL WHERE id = $1",
                    &[&id.0],
                )
                .await?;
            }
            None => {}
        }
        // In the same transaction, so that the streams close before anything that follows.
        // (Ended sessions need no event: the streams find them gone when told to look.)
        if update.role.is_some() || update.line_ids.is_some() {
            events::record(
                tx,
                log,
                Audience::Member(id),
                &LiveEvent::AccessChanged {},
                now,
            )
            .await?;
        }
        read(tx, id).await
    })
    .await
}

pub(crate) async fn set_password(
    db: &Postgres,
    id: MemberId,
    password_hash: String,
) -> Result<bool, DbError> {
    db.write(async move |tx, _| {
        let changed = tx
            .run(
                "UPDATE members SET password_hash = $1 WHERE id = $2",
                &[&password_hash, &id.0],
            )
            .await?;
        if changed == 0 {
            return Ok(false);
        }
        sessions::end_all_in(tx, id).await?;
        Ok(true)
    })
    .await
}

pub(crate) async fn by_email(db: &Postgres, email: &str) -> Result<Option<MemberId>, DbError> {
    let email = email.trim().to_lowercase();
    db.client()
        .await?
        .opt("SELECT id FROM members WHERE email = $1", &[&email])
        .await?
        .map(|row| Ok(MemberId(row.try_get(0)?)))
        .transpose()
}
