//! Signing in and out, the signed-in teammate, and the team.

use crate::auth::{self, ClientAddress, CurrentMember};
use crate::db;
use crate::error::extract::Json;
use crate::error::AppError;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum_extra::extract::cookie::CookieJar;
use std::time::Duration;
use switchboard_domain::api::ErrorResponse;
use switchboard_domain::team::{Me, MemberList, SessionStatus, SignInRequest};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(session_status, sign_in, sign_out))
        .routes(routes!(me))
        .routes(routes!(members))
}

/// A hash to check wrong emails against, so that an unknown email takes as long to refuse as a
/// wrong password (nothing tells which emails exist).
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| auth::hash_password("decoy password, never matched"))
}

/// Signs in with email and password; the answer sets a new session cookie.
///
/// After 3 failures (per account or per address, in 15 minutes) answers slow down, by a
/// quarter of a second per failure; after 10, sign-in is refused (429) until the 15 minutes
/// have passed.
#[utoipa::path(post, path = "/session", tag = "session", request_body = SignInRequest,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = Me),
        (status = 401, description = "Wrong email or password", body = ErrorResponse),
        (status = 429, description = "Too many failed sign-ins", body = ErrorResponse),
    ))]
async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    jar: CookieJar,
    Json(request): Json<SignInRequest>,
) -> Result<(CookieJar, axum::Json<Me>), AppError> {
    let email = request.email.trim().to_lowercase();
    let subjects = [format!("email:{email}"), format!("address:{address}")];
    let now = state.clock.now_ms();
    let since = now - auth::FAILURE_WINDOW.as_millis() as i64;
    let mut failures = 0;
    for subject in &subjects {
        failures = failures.max(db::members::failures_since(&state.db, subject, since).await?);
    }
    if failures >= auth::REFUSE_AFTER_FAILURES {
        return Err(AppError::TooManyRequests {
            message: "too many failed sign-ins: try again in 15 minutes".to_owned(),
            retry_after_seconds: auth::FAILURE_WINDOW.as_secs(),
        });
    }
    if failures >= auth::SLOW_AFTER_FAILURES {
        // A quarter of a second more for each failure, at most two seconds.
        let steps = u64::from(failures - auth::SLOW_AFTER_FAILURES + 1);
        tokio::time::sleep(Duration::from_millis(250 * steps).min(Duration::from_secs(2))).await;
    }

    let credentials = db::members::credentials(&state.db, &email).await?;
    let hash = credentials
        .as_ref()
        .map_or_else(|| decoy_hash().to_owned(), |(_, hash)| hash.clone());
    let password = request.password;
    let matches = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    let Some((member, _)) = credentials.filter(|_| matches) else {
        db::members::record_failure(&state.db, &subjects, now).await?;
        return Err(AppError::Unauthorized("wrong email or password".to_owned()));
    };
    db::members::clear_failures(&state.db, &subjects[0]).await?;

    // A new session at every sign-in: a token planted before cannot be carried in.
    let token = auth::new_token();
    db::members::create_session(&state.db, member, &auth::token_hash(&token), now).await?;
    let session = db::members::session(&state.db, &auth::token_hash(&token))
        .await?
        .ok_or_else(|| AppError::Unauthorized("the session could not start".to_owned()))?;
    let me = db::members::me(&state.db, &session).await?;
    let cookie = auth::session_cookie(token, &state.auth, auth::came_over_https(&headers));
    Ok((jar.add(cookie), axum::Json(me)))
}

/// Signs out: the session ends on the server, and its cookie in the browser.
#[utoipa::path(delete, path = "/session", tag = "session",
    responses((status = 204, description = "Signed out")))]
async fn sign_out(
    State(state): State<AppState>,
    jar: CookieJar,
) -> Result<(StatusCode, CookieJar), AppError> {
    if let Some(cookie) = jar.get(auth::SESSION_COOKIE) {
        db::members::delete_session(&state.db, &auth::token_hash(cookie.value())).await?;
    }
    Ok((StatusCode::NO_CONTENT, jar.add(auth::cleared_cookie())))
}

/// Who is signed in, if anyone: 200 either way (an app starting up asks this, and a signed-out
/// visitor is no error).
#[utoipa::path(get, path = "/session", tag = "session",
    responses(
        (status = 200, description = "The signed-in teammate, or none", body = SessionStatus),
    ))]
async fn session_status(
    State(state): State<AppState>,
    member: Result<CurrentMember, AppError>,
) -> Result<axum::Json<SessionStatus>, AppError> {
    let member = match member {
        Ok(CurrentMember(member)) => Some(db::members::me(&state.db, &member).await?),
        Err(AppError::Unauthorized(_)) => None,
        Err(error) => return Err(error),
    };
    Ok(axum::Json(SessionStatus { member }))
}

/// The signed-in teammate.
#[utoipa::path(get, path = "/me", tag = "session",
    responses(
        (status = 200, description = "Who is signed in", body = Me),
        (status = 401, description = "Not signed in", body = ErrorResponse),
    ))]
async fn me(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
) -> Result<axum::Json<Me>, AppError> {
    Ok(axum::Json(db::members::me(&state.db, &member).await?))
}

/// The teammates, to assign conversations to and to @mention.
#[utoipa::path(get, path = "/members", tag = "session",
    responses(
        (status = 200, description = "Every teammate", body = MemberList),
        (status = 401, description = "Not signed in", body = ErrorResponse),
    ))]
async fn members(
    State(state): State<AppState>,
    CurrentMember(_): CurrentMember,
) -> Result<axum::Json<MemberList>, AppError> {
    Ok(axum::Json(MemberList {
        members: db::members::list(&state.db).await?,
    }))
}
