//! members on PostgreSQL.

use super::{events, Postgres, Sql};
use crate::db::events::Audience;
use crate::db::members::{me_from, spoken, NewMember, SessionMember};
use crate::db::DbError;
use switchboard_catalogue::Lang;
use switchboard_domain::team::{LiveEvent, Me, MemberRef};
use switchboard_domain::{LineId, MemberId};

pub(crate) async fn create(
    db: &Postgres,
    member: &NewMember,
    now: i64,
) -> Result<Option<MemberId>, DbError> {
    db.write(async move |tx, _| {
        let id: i64 = match tx
            .opt(
                "INSERT INTO members (email, name, role, password_hash, created_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (email) DO NOTHING
                 RETURNING id",
                &[
                    &member.email.to_lowercase(),
                    &member.name,
                    &member.role.as_str(),
                    &member.password_hash,
                    &now,
                ],
            )
            .await?
        {
            Some(row) => row.try_get(0)?,
            None => return Ok(None),
        };
        for line in &member.lines {
            tx.run(
                "INSERT INTO line_access (member_id, line_id) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING",
                &[&id, &line.0],
            )
            .await?;
        }
        Ok(Some(MemberId(id)))
    })
    .await
}

pub(crate) async fn credentials(
    db: &Postgres,
    email: &str,
) -> Result<Option<(MemberId, String)>, DbError> {
    let email = email.trim().to_lowercase();
    db.client()
        .await?
        .opt(
            "SELECT id, password_hash FROM members
              WHERE email = $1 AND deactivated_at IS NULL",
            &[&email],
        )
        .await?
        .map(|row| Ok((MemberId(row.try_get(0)?), row.try_get(1)?)))
        .transpose()
}

pub(crate) async fn any(db: &Postgres) -> Result<bool, DbError> {
    Ok(db
        .client()
        .await?
        .one("SELECT EXISTS (SELECT 1 FROM members)", &[])
        .await?
        .try_get(0)?)
}

pub(crate) async fn list(db: &Postgres) -> Result<Vec<MemberRef>, DbError> {
    db.client()
        .await?
        .all(
            "SELECT id, name FROM members WHERE deactivated_at IS NULL ORDER BY name, id",
            &[],
        )
        .await?
        .iter()
        .map(|row| {
            Ok(MemberRef {
                id: MemberId(row.try_get(0)?),
                name: row.try_get(1)?,
            })
        })
        .collect()
}

pub(crate) async fn me(db: &Postgres, member: &SessionMember) -> Result<Me, DbError> {
    let client = db.client().await?;
    let row = client
        .one(
            "SELECT email, language FROM members WHERE id = $1",
            &[&member.id.0],
        )
        .await?;
    let (email, language) = (row.try_get(0)?, row.try_get(1)?);
    let all_lines = client
        .all("SELECT id FROM lines ORDER BY id", &[])
        .await?
        .iter()
        .map(|row| Ok(LineId(row.try_get(0)?)))
        .collect::<Result<_, DbError>>()?;
    Ok(me_from(member, email, language, all_lines))
}

pub(crate) async fn language(db: &Postgres, id: MemberId) -> Result<Option<Lang>, DbError> {
    let stored: Option<String> = match db
        .client()
        .await?
        .opt("SELECT language FROM members WHERE id = $1", &[&id.0])
        .await?
    {
        Some(row) => row.try_get(0)?,
        None => None,
    };
    Ok(spoken(stored))
}

pub(crate) async fn set_language(
    db: &Postgres,
    id: MemberId,
    language: Option<Lang>,
    now: i64,
) -> Result<(), DbError> {
    let code = language.map(Lang::code);
    db.write(async move |tx, log| {
        let before: Option<String> = tx
            .one("SELECT language FROM members WHERE id = $1", &[&id.0])
            .await?
            .try_get(0)?;
        if before.as_deref() == code {
            return Ok(());
        }
        tx.run(
            "UPDATE members SET language = $1 WHERE id = $2",
            &[&code, &id.0],
        )
        .await?;
        let event = LiveEvent::Language {
            language: code.map(str::to_owned),
        };
        events::record(tx, log, Audience::Member(id), &event, now).await
    })
    .await
}
