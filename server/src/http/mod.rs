//! The HTTP surface: the API under `/api`, documented by an OpenAPI document generated from the
//! handlers themselves, and the built web app for every other path.

mod conversations;
mod health;
mod lines;
mod service_worker;
mod web_app;

use crate::error::AppError;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use std::path::Path;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

/// The largest request body the API reads.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Switchboard API",
        description = "A team inbox for business phone lines: lines, conversations, their states \
                       and replies. Errors are `{\"error\": {\"code\", \"message\"}}`."
    ),
    tags(
        (name = "health", description = "Liveness"),
        (name = "lines", description = "Phone lines and their unread counts"),
        (name = "conversations", description = "Conversations, their states and replies"),
    )
)]
struct ApiDoc;

/// The API routes with their OpenAPI document.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::router())
        .nest(
            "/api/v1",
            OpenApiRouter::new()
                .merge(lines::router())
                .merge(conversations::router()),
        )
        .split_for_parts()
}

/// The whole application.
pub fn app(state: AppState, web_root: &Path) -> Router {
    let (api, openapi) = api();
    let service_worker = service_worker::ServiceWorker::for_web_root(web_root);
    // Written once: the document only changes with the code.
    let openapi: Bytes = openapi
        .to_json()
        .expect("the OpenAPI document serialises")
        .into();
    Router::new()
        .merge(api)
        .route(
            "/api/openapi.json",
            get(move || async move { ([(header::CONTENT_TYPE, "application/json")], openapi) }),
        )
        .route(
            "/sw.js",
            get(move || async move { service_worker.response() }),
        )
        .route("/api", axum::routing::any(unknown_api_path))
        .route("/api/{*rest}", axum::routing::any(unknown_api_path))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback_service(web_app::service(web_root))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::custom(|_| AppError::Panic.into_response()))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn unknown_api_path() -> AppError {
    AppError::NotFound("no such API endpoint; see /api/openapi.json".to_owned())
}

async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}
