//! A teammate's notifications (mentions).

use crate::auth::CurrentMember;
use crate::db;
use crate::error::extract::Path;
use crate::error::AppError;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use switchboard_domain::api::ErrorResponse;
use switchboard_domain::team::NotificationList;
use switchboard_domain::NotificationId;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(mark_read))
}

/// The signed-in teammate's notifications, newest first, with the number unread.
#[utoipa::path(get, path = "/notifications", tag = "notifications",
    responses(
        (status = 200, description = "Notifications", body = NotificationList),
        (status = 401, description = "Not signed in", body = ErrorResponse),
    ))]
async fn list(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
) -> Result<axum::Json<NotificationList>, AppError> {
    Ok(axum::Json(
        db::notifications::list(&state.db, member.id).await?,
    ))
}

/// Marks one of the signed-in teammate's notifications read.
#[utoipa::path(post, path = "/notifications/{id}/read", tag = "notifications",
    params(("id" = i64, Path, description = "Notification id")),
    responses(
        (status = 204, description = "Read"),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 404, description = "No such notification of yours", body = ErrorResponse),
    ))]
async fn mark_read(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
    Path(id): Path<NotificationId>,
) -> Result<StatusCode, AppError> {
    match db::notifications::mark_read(&state.db, member.id, id).await? {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(AppError::NotFound(format!("you have no notification {id}"))),
    }
}
