//! `POST /webhooks/quo`: Quo's events, signed, taken in once each.

use crate::db;
use crate::db::changes::{self, Incoming};
use crate::error::AppError;
use crate::webhook::{quo, signature};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde::Serialize;
use switchboard_domain::api::ActivityContent;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(quo))
}

/// What became of a delivery.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
enum Outcome {
    /// A new activity, pushed live to the team.
    Stored,
    /// Seen before (Quo retries): nothing stored again.
    Duplicate,
    /// An event Switchboard does not keep, or for a number that is none of its lines.
    Ignored,
}

#[derive(Debug, Serialize, ToSchema)]
struct Receipt {
    outcome: Outcome,
    detail: String,
}

/// Takes in a Quo webhook event (`message.received`, `message.delivered`, `call.completed`),
/// signed with `openphone-signature` or the Standard Webhooks headers.
///
/// A bad or missing signature, or one more than five minutes old, is refused (401) and nothing
/// is stored; an event delivered twice is stored once.
#[utoipa::path(post, path = "/webhooks/quo", tag = "webhooks",
    request_body(content = String, content_type = "application/json", description = "Quo's event"),
    responses(
        (status = 200, description = "Taken in", body = Receipt),
        (status = 400, description = "Not a Quo event", body = switchboard_domain::api::ErrorResponse),
        (status = 401, description = "Bad, missing or stale signature", body = switchboard_domain::api::ErrorResponse),
    ))]
async fn quo(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Receipt>, AppError> {
    let secret = state.webhook_secret.as_ref().ok_or_else(|| {
        AppError::Unauthorized(
            "webhooks are not set up on this server (--quo-webhook-secret)".to_owned(),
        )
    })?;
    let now = state.clock.now_ms();
    let delivery = signature::verify(&headers, &body, secret, now)
        .map_err(|error| AppError::Unauthorized(error.to_string()))?;
    let receipt = |outcome, detail: String| Ok(Json(Receipt { outcome, detail }));
    match quo::read(&body).map_err(AppError::InvalidBody)? {
        quo::Meaning::Ignored { kind, .. } => {
            receipt(Outcome::Ignored, format!("{kind} events are not kept"))
        }
        quo::Meaning::Contact {
            deleted, contact, ..
        } => {
            let detail = crate::contact_sync::apply(&state.db, contact, deleted, now).await?;
            receipt(Outcome::Stored, detail)
        }
        quo::Meaning::Activity {
            event_id,
            message_id,
            line_number,
            customer,
            activity,
        } => {
            // The delivery report of one of our replies: the reply says Delivered, and no
            // second activity tells the same.
            let outbound = activity.direction == switchboard_domain::api::Direction::Outbound;
            if let Some(message_id) = message_id.filter(|_| outbound) {
                if db::outbox::delivered(&state.db, message_id.clone(), now).await? {
                    return receipt(Outcome::Stored, "the reply is delivered".to_owned());
                }
                // Quo may report delivery before its answer to the send has reached us.
                if let ActivityContent::Message { text } = &activity.content {
                    let (line, to, text) = (line_number.clone(), customer.clone(), text.clone());
                    let now_delivered = db::outbox::delivered_before_answer(
                        &state.db, line, to, text, message_id, now,
                    );
                    if now_delivered.await? {
                        return receipt(Outcome::Stored, "the reply is delivered".to_owned());
                    }
                }
            }
            let Some(line) = db::lines::by_number(&state.db, &line_number).await? else {
                return receipt(
                    Outcome::Ignored,
                    format!("{line_number} is none of the lines"),
                );
            };
            let incoming = Incoming {
                line,
                customer,
                activity: activity.into_activity(now),
                delivery_id: Some(delivery.unwrap_or(event_id)),
            };
            match changes::record_incoming(&state.db, &incoming).await? {
                Some((conversation, _)) => {
                    receipt(Outcome::Stored, format!("conversation {}", conversation.id))
                }
                None => receipt(Outcome::Duplicate, "delivered before".to_owned()),
            }
        }
    }
}
