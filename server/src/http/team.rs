//! Team administration for owners and admins: teammates, their access, their sessions.
//!
//! Admins manage members and admins; only owners manage owners. Nobody deactivates or demotes
//! themselves, and the team always keeps an active owner.

use crate::auth::{self, CurrentMember};
use crate::db;
use crate::db::members::SessionMember;
use crate::error::extract::{Json, Path};
use crate::error::AppError;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use std::time::Duration;
use switchboard_domain::api::ErrorResponse;
use switchboard_domain::team::{
    NewTeamMember, PasswordReset, Role, SessionInfo, SessionList, TeamMember, TeamMemberList,
    TeamMemberUpdate,
};
use switchboard_domain::{LineId, MemberId, SessionId};
use utoipa_axum::{router::OpenApiRouter, routes};

const MAX_NAME_CHARS: usize = 100;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, add))
        .routes(routes!(update))
        .routes(routes!(reset_password))
        .routes(routes!(sessions, end_sessions))
        .routes(routes!(end_session))
}

/// The teammate asking, if they manage the team.
fn manager(member: &SessionMember) -> Result<(), AppError> {
    match member.role.sees_every_line() {
        true => Ok(()),
        false => Err(AppError::Forbidden(
            "only owners and admins manage the team".to_owned(),
        )),
    }
}

/// Whether `manager` may manage `target` (and give the role `role`, if any).
fn may_manage(manager: &SessionMember, target: Role, role: Option<Role>) -> Result<(), AppError> {
    let touches_owner = target == Role::Owner || role == Some(Role::Owner);
    if touches_owner && manager.role != Role::Owner {
        return Err(AppError::Forbidden("only owners manage owners".to_owned()));
    }
    Ok(())
}

/// The teammate `id`, if `manager` may change them (and give them the role `role`, if any).
async fn managed_teammate(
    state: &AppState,
    manager: &SessionMember,
    id: MemberId,
    role: Option<Role>,
) -> Result<TeamMember, AppError> {
    let target = teammate(state, id).await?;
    may_manage(manager, target.role, role)?;
    Ok(target)
}

async fn teammate(state: &AppState, id: MemberId) -> Result<TeamMember, AppError> {
    db::team::get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no teammate {id}")))
}

fn check_password(password: &str) -> Result<(), AppError> {
    auth::check_new_password(password).map_err(AppError::InvalidBody)
}

async fn check_lines(state: &AppState, lines: &[LineId]) -> Result<(), AppError> {
    for line in lines {
        if !db::lines::exists(&state.db, *line).await? {
            return Err(AppError::InvalidBody(format!(
                "line_ids: there is no line {line}"
            )));
        }
    }
    Ok(())
}

async fn hash(state: &AppState, password: String) -> Result<String, AppError> {
    state
        .password_checks
        .run(Duration::from_secs(30), move || {
            auth::hash_password(&password)
        })
        .await
        .map_err(|_| AppError::Unavailable {
            message: "the server is busy: try again in a moment".to_owned(),
            retry_after_seconds: 1,
        })
}

/// Every teammate, deactivated ones too, by name.
#[utoipa::path(get, path = "/team/members", tag = "team",
    responses(
        (status = 200, description = "The team", body = TeamMemberList),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Not an owner or admin", body = ErrorResponse),
    ))]
async fn list(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
) -> Result<axum::Json<TeamMemberList>, AppError> {
    manager(&member)?;
    Ok(axum::Json(TeamMemberList {
        members: db::team::list(&state.db).await?,
    }))
}

/// Adds a teammate with a first password.
#[utoipa::path(post, path = "/team/members", tag = "team", request_body = NewTeamMember,
    responses(
        (status = 201, description = "Added", body = TeamMember),
        (status = 400, description = "A field is wrong", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Not allowed to add this teammate", body = ErrorResponse),
        (status = 409, description = "The email is taken", body = ErrorResponse),
        (status = 413, description = "Body too large", body = ErrorResponse),
        (status = 415, description = "Not JSON", body = ErrorResponse),
    ))]
async fn add(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
    Json(new): Json<NewTeamMember>,
) -> Result<(StatusCode, axum::Json<TeamMember>), AppError> {
    manager(&member)?;
    may_manage(&member, new.role, None)?;
    let email = auth::teammate_email(&new.email).map_err(AppError::InvalidBody)?;
    let name = new.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::InvalidBody(format!(
            "name: 1 to {MAX_NAME_CHARS} characters"
        )));
    }
    check_password(&new.password)?;
    check_lines(&state, &new.line_ids).await?;
    let created = db::members::NewMember {
        email,
        name,
        role: new.role,
        password_hash: hash(&state, new.password).await?,
        lines: new.line_ids,
    };
    let id = db::members::create(&state.db, &created, state.clock.now_ms())
        .await?
        .ok_or_else(|| AppError::Conflict(format!("{} is already a teammate", created.email)))?;
    Ok((StatusCode::CREATED, axum::Json(teammate(&state, id).await?)))
}

/// Changes a teammate's role or lines, or deactivates (or reactivates) them. Deactivating ends
/// every session of theirs at once; what they wrote and did stays theirs.
#[utoipa::path(patch, path = "/team/members/{id}", tag = "team", request_body = TeamMemberUpdate,
    params(("id" = i64, Path, description = "Teammate id")),
    responses(
        (status = 200, description = "The teammate as they now are", body = TeamMember),
        (status = 400, description = "A field is wrong", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Not allowed to change this teammate", body = ErrorResponse),
        (status = 404, description = "No such teammate", body = ErrorResponse),
        (status = 409, description = "It would leave the team without an owner, or change yourself", body = ErrorResponse),
        (status = 413, description = "Body too large", body = ErrorResponse),
        (status = 415, description = "Not JSON", body = ErrorResponse),
    ))]
async fn update(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
    Path(id): Path<MemberId>,
    Json(change): Json<TeamMemberUpdate>,
) -> Result<axum::Json<TeamMember>, AppError> {
    manager(&member)?;
    let target = managed_teammate(&state, &member, id, change.role).await?;
    let demotes = change.role.is_some_and(|role| role != target.role);
    if id == member.id && (demotes || change.deactivated == Some(true)) {
        return Err(AppError::Conflict(
            "you cannot deactivate yourself or change your own role".to_owned(),
        ));
    }
    let owner_leaves = target.role == Role::Owner
        && !target.deactivated
        && (demotes || change.deactivated == Some(true));
    if owner_leaves && db::team::active_owners(&state.db).await? <= 1 {
        return Err(AppError::Conflict(
            "the team keeps at least one active owner".to_owned(),
        ));
    }
    if let Some(lines) = &change.line_ids {
        check_lines(&state, lines).await?;
    }
    let updated = db::team::update(&state.db, id, change, state.clock.now_ms())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no teammate {id}")))?;
    state.streams.sessions_changed();
    Ok(axum::Json(updated))
}

/// Sets a teammate's password; every session of theirs ends.
#[utoipa::path(put, path = "/team/members/{id}/password", tag = "team", request_body = PasswordReset,
    params(("id" = i64, Path, description = "Teammate id")),
    responses(
        (status = 204, description = "Set; their sessions ended"),
        (status = 400, description = "Too short or too long", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Not allowed to change this teammate", body = ErrorResponse),
        (status = 404, description = "No such teammate", body = ErrorResponse),
        (status = 413, description = "Body too large", body = ErrorResponse),
        (status = 415, description = "Not JSON", body = ErrorResponse),
    ))]
async fn reset_password(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
    Path(id): Path<MemberId>,
    Json(reset): Json<PasswordReset>,
) -> Result<StatusCode, AppError> {
    manager(&member)?;
    managed_teammate(&state, &member, id, None).await?;
    check_password(&reset.password)?;
    let password_hash = hash(&state, reset.password).await?;
    db::team::set_password(&state.db, id, password_hash).await?;
    state.streams.sessions_changed();
    Ok(StatusCode::NO_CONTENT)
}

/// A teammate's sessions, most recently used first.
#[utoipa::path(get, path = "/team/members/{id}/sessions", tag = "team",
    params(("id" = i64, Path, description = "Teammate id")),
    responses(
        (status = 200, description = "Their sessions", body = SessionList),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Not an owner or admin", body = ErrorResponse),
        (status = 404, description = "No such teammate", body = ErrorResponse),
    ))]
async fn sessions(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
    Path(id): Path<MemberId>,
) -> Result<axum::Json<SessionList>, AppError> {
    manager(&member)?;
    teammate(&state, id).await?;
    let sessions = db::sessions::of_member(&state.db, id)
        .await?
        .into_iter()
        .map(|row| SessionInfo {
            current: row.id == member.session_id,
            id: row.id,
            created_at: row.created_at,
            last_seen_at: row.last_seen_at,
            user_agent: row.user_agent,
        })
        .collect();
    Ok(axum::Json(SessionList { sessions }))
}

/// Ends every session of a teammate (they sign in again).
#[utoipa::path(delete, path = "/team/members/{id}/sessions", tag = "team",
    params(("id" = i64, Path, description = "Teammate id")),
    responses(
        (status = 204, description = "Ended"),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Not allowed to change this teammate", body = ErrorResponse),
        (status = 404, description = "No such teammate", body = ErrorResponse),
    ))]
async fn end_sessions(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
    Path(id): Path<MemberId>,
) -> Result<StatusCode, AppError> {
    manager(&member)?;
    managed_teammate(&state, &member, id, None).await?;
    db::sessions::end_all(&state.db, id).await?;
    state.streams.sessions_changed();
    Ok(StatusCode::NO_CONTENT)
}

/// Ends one session of a teammate.
#[utoipa::path(delete, path = "/team/members/{id}/sessions/{session_id}", tag = "team",
    params(
        ("id" = i64, Path, description = "Teammate id"),
        ("session_id" = i64, Path, description = "Session id"),
    ),
    responses(
        (status = 204, description = "Ended"),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Not allowed to change this teammate", body = ErrorResponse),
        (status = 404, description = "No such session of this teammate", body = ErrorResponse),
    ))]
async fn end_session(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
    Path((id, session)): Path<(MemberId, SessionId)>,
) -> Result<StatusCode, AppError> {
    manager(&member)?;
    managed_teammate(&state, &member, id, None).await?;
    match db::sessions::end(&state.db, id, session).await? {
        true => {
            state.streams.sessions_changed();
            Ok(StatusCode::NO_CONTENT)
        }
        false => Err(AppError::NotFound(format!(
            "teammate {id} has no session {session}"
        ))),
    }
}
