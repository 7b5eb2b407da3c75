//! `/catalogue/{name}`: each language's file of texts, which the web app fetches for any language
//! but English (it carries English). Open to anyone: the sign-in page is translated too.

use crate::error::extract::Path;
use crate::error::AppError;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use switchboard_catalogue::Lang;

/// The address of `lang`'s file, as pages announce it and the service worker keeps it.
pub fn address(lang: Lang) -> String {
    format!("/catalogue/{}", lang.file_name())
}

/// A language's file by its name; its name changes with its content, so it is cached for good.
pub async fn file(Path(name): Path<String>) -> Response {
    match Lang::ALL.into_iter().find(|lang| lang.file_name() == name) {
        Some(lang) => (
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            lang.file(),
        )
            .into_response(),
        None => unknown().await.into_response(),
    }
}

/// Any other address under `/catalogue` (an old build's file, a typo).
pub async fn unknown() -> AppError {
    AppError::NotFound("no such catalogue file: a page names the one it needs".to_owned())
}
