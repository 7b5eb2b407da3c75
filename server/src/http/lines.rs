use crate::error::AppError;
use crate::{db, AppState};
use axum::extract::State;
use axum::Json;
use switchboard_domain::api::{ErrorResponse, LineList};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_lines))
}

/// The phone lines, each with its number of unread conversations.
#[utoipa::path(get, path = "/lines", tag = "lines",
    responses(
        (status = 200, description = "Every line", body = LineList),
        (status = 500, description = "Server error", body = ErrorResponse),
    ))]
async fn list_lines(State(state): State<AppState>) -> Result<Json<LineList>, AppError> {
    let lines = db::lines::list_with_unread_counts(&state.db).await?;
    Ok(Json(LineList { lines }))
}
