use crate::auth::CurrentMember;
use crate::error::AppError;
use crate::{db, AppState};
use axum::extract::State;
use axum::Json;
use switchboard_domain::api::{ErrorResponse, LineList, ReplySending};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_lines))
}

/// The phone lines the signed-in teammate sees, each with its number of unread conversations,
/// and how replies reach customers (with the Quo number each line sends from).
#[utoipa::path(get, path = "/lines", tag = "lines",
    responses(
        (status = 200, description = "The teammate's lines", body = LineList),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 500, description = "Server error", body = ErrorResponse),
    ))]
async fn list_lines(
    State(state): State<AppState>,
    CurrentMember(viewer): CurrentMember,
) -> Result<Json<LineList>, AppError> {
    let mut lines = db::lines::list_with_unread_counts(&state.db, &viewer).await?;
    let sending = state.replies.sending;
    if sending != ReplySending::Quo {
        for line in &mut lines {
            line.sends_from = None;
        }
    }
    Ok(Json(LineList { lines, sending }))
}
