//! One error type for every handler, mapped to an HTTP status and the API's JSON error body.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use switchboard_domain::api::{ConversationSummary, ErrorBody, ErrorCode, ErrorResponse};

use crate::db::DbError;

/// The largest request body the API reads.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    InvalidBody(String),
    #[error("{0}")]
    InvalidParameter(String),
    #[error("{0}")]
    BodyTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    NotFound(String),
    #[error("this method is not allowed on this path")]
    MethodNotAllowed,
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    /// The request contradicts what is there (an email already taken, the last owner).
    #[error("{0}")]
    Conflict(String),
    /// The server cannot take this now (its queue is full): try again after a moment.
    #[error("{message}")]
    Unavailable {
        message: String,
        retry_after_seconds: u64,
    },
    #[error("{message}")]
    TooManyRequests {
        message: String,
        retry_after_seconds: u64,
    },
    /// The safety rule refused a change; the body carries the conversation as it now is.
    #[error("{message}")]
    UnseenActivity {
        message: String,
        conversation: Box<ConversationSummary>,
    },
    /// A number is on another contact: the body names it.
    #[error("{message}")]
    NumberTaken {
        message: String,
        contact: switchboard_domain::ContactId,
    },
    #[error("internal error")]
    Database(DbError),
    #[error("internal error")]
    Panic,
}

impl AppError {
    fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        match self {
            AppError::InvalidBody(_) => (StatusCode::BAD_REQUEST, ErrorCode::InvalidBody),
            AppError::InvalidParameter(_) => (StatusCode::BAD_REQUEST, ErrorCode::InvalidParameter),
            AppError::BodyTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::BodyTooLarge),
            AppError::UnsupportedMediaType(_) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
            ),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            AppError::MethodNotAllowed => {
                (StatusCode::METHOD_NOT_ALLOWED, ErrorCode::MethodNotAllowed)
            }
            AppError::UnseenActivity { .. } => (StatusCode::CONFLICT, ErrorCode::UnseenActivity),
            AppError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            AppError::Conflict(_) | AppError::NumberTaken { .. } => {
                (StatusCode::CONFLICT, ErrorCode::Conflict)
            }
            AppError::Unavailable { .. } => {
                (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Unavailable)
            }
            AppError::TooManyRequests { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManyRequests)
            }
            AppError::Database(_) | AppError::Panic => {
                (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let AppError::Database(detail) = &self {
            // The detail is for the logs; the client gets a generic message.
            tracing::error!(error = %detail, "database error");
        }
        let message = self.to_string();
        let retry_after = match &self {
            AppError::TooManyRequests {
                retry_after_seconds,
                ..
            }
            | AppError::Unavailable {
                retry_after_seconds,
                ..
            } => Some(*retry_after_seconds),
            _ => None,
        };
        let contact_id = match &self {
            AppError::NumberTaken { contact, .. } => Some(*contact),
            _ => None,
        };
        let conversation = match self {
            AppError::UnseenActivity { conversation, .. } => Some(*conversation),
            _ => None,
        };
        let body = ErrorResponse {
            error: ErrorBody { code, message },
            conversation,
            contact_id,
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl From<DbError> for AppError {
    fn from(error: DbError) -> Self {
        match error {
            DbError::Busy => AppError::Unavailable {
                message: "the server is busy: try again in a moment".to_owned(),
                retry_after_seconds: 1,
            },
            other => AppError::Database(other),
        }
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => AppError::BodyTooLarge(format!(
                "the body is larger than the {} bytes this server accepts",
                MAX_BODY_BYTES
            )),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType(
                "send the body as JSON, with `Content-Type: application/json`".to_owned(),
            ),
            _ => AppError::InvalidBody(rejection.body_text()),
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        AppError::InvalidParameter(rejection.body_text())
    }
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        AppError::InvalidParameter(rejection.body_text())
    }
}

/// `Json`, `Query` and `Path` extractors whose rejections use the API's error body.
pub mod extract {
    use super::AppError;
    use axum::extract::{FromRequest, FromRequestParts};

    #[derive(FromRequest)]
    #[from_request(via(axum::Json), rejection(AppError))]
    pub struct Json<T>(pub T);

    #[derive(FromRequestParts)]
    #[from_request(via(axum::extract::Query), rejection(AppError))]
    pub struct Query<T>(pub T);

    #[derive(FromRequestParts)]
    #[from_request(via(axum::extract::Path), rejection(AppError))]
    pub struct Path<T>(pub T);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_write_queue_answers_503_with_retry_after() {
        let response = AppError::from(DbError::Busy).into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[axum::http::header::RETRY_AFTER], "1");
        let other = AppError::from(DbError::Corrupt("x".into())).into_response();
        assert_eq!(other.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
