//! The HTTP surface: the API under `/api`, documented by an OpenAPI document generated from the
//! handlers themselves, and the built web app for every other path.

mod catalogue;
mod contacts;
mod contacts_csv;
mod conversations;
mod events;
mod health;
mod lines;
mod manifest;
mod notifications;
mod openapi;
mod service_worker;
mod session;
mod team;
mod web_app;
mod webhooks;

use crate::error::AppError;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use std::path::Path;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Switchboard API",
        description = "A team inbox for business phone lines: lines, conversations, their states \
                       and replies. Errors are `{\"error\": {\"code\", \"message\"}}`."
    ),
    tags(
        (name = "health", description = "Liveness"),
        (name = "session", description = "Signing in and out; the team"),
        (name = "team", description = "Team administration, for owners and admins"),
        (name = "lines", description = "Phone lines and their unread counts"),
        (name = "conversations", description = "Conversations: states, replies, notes, assignment, pins"),
        (name = "notifications", description = "Mentions of the signed-in teammate"),
        (name = "contacts", description = "Contacts, their notes, tags and properties; CSV import and export"),
        (name = "live", description = "Live updates (server-sent events)"),
        (name = "webhooks", description = "Quo's events"),
    ),
    components(schemas(switchboard_domain::View, switchboard_domain::contacts::ContactSort))
)]
struct ApiDoc;

/// The API routes with their OpenAPI document.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (v1, v1_doc) = OpenApiRouter::new()
        .merge(session::router())
        .merge(lines::router())
        .merge(conversations::router())
        .merge(notifications::router())
        .merge(events::router())
        .merge(team::router())
        .merge(contacts::router())
        .merge(contacts_csv::router())
        .split_for_parts();
    // Pages of other sites must not make the browser change anything here.
    let v1 = v1.route_layer(axum::middleware::from_fn(crate::auth::same_origin_only));
    let (rest, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::router())
        .merge(webhooks::router())
        .split_for_parts();
    (rest.nest("/api/v1", v1), doc.nest("/api/v1", v1_doc))
}

/// The whole application.
pub fn app(state: AppState, web_root: &Path) -> Router {
    let (api, openapi) = api();
    let service_worker = service_worker::ServiceWorker::for_web_root(web_root);
    let manifests = manifest::Manifests::for_web_root(web_root);
    let public_origin = crate::auth::PublicOrigin(state.auth.public_origin.clone());
    let policy = HeaderValue::from_str(&web_app::content_security_policy(web_root))
        .expect("the policy is ASCII");
    // Written once: the document only changes with the code.
    let openapi: Bytes = serde_json::to_vec(&openapi::complete(
        serde_json::to_value(&openapi).expect("the OpenAPI document serialises"),
    ))
    .expect("the OpenAPI document serialises")
    .into();
    Router::new()
        .merge(api)
        .route(
            "/api/openapi.json",
            get(move || async move { ([(header::CONTENT_TYPE, "application/json")], openapi) }),
        )
        .route("/api", axum::routing::any(unknown_api_path))
        .route("/api/{*rest}", axum::routing::any(unknown_api_path))
        // What the API answers is one teammate's: no cache (the browser's, a proxy's) keeps it.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .route(
            "/sw.js",
            get(move || async move { service_worker.response() }),
        )
        .route("/catalogue/{*name}", get(catalogue::file))
        .route("/catalogue", get(catalogue::unknown))
        .route("/catalogue/", get(catalogue::unknown))
        .route(
            "/manifest.webmanifest",
            get(
                move |state: axum::extract::State<AppState>, request: axum::extract::Request| {
                    manifest::serve(state, request, manifests.clone())
                },
            ),
        )
        .method_not_allowed_fallback(method_not_allowed)
        .fallback_service(web_app::service(web_root, state.clone()))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            policy,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(axum::Extension(public_origin))
        .layer(DefaultBodyLimit::max(crate::error::MAX_BODY_BYTES))
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
