//! Quo's public API, as far as sending a text goes: `POST /v1/messages` (see
//! `shared/reference/quo-webhooks.md`, "Sending a message"), each answer sorted into accepted,
//! try again later, or refused for good.

use serde::Deserialize;
use serde_json::json;
use std::time::Duration;

/// Quo's public address.
pub const DEFAULT_BASE_URL: &str = "https://api.openphone.com";

/// The API key: sent to Quo and nowhere else (its `Debug` says nothing of it).
#[derive(Clone)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: String) -> ApiKey {
        ApiKey(key)
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(…)")
    }
}

/// A text to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The line's Quo number: its `PN…` id or its E.164 number.
    pub from: String,
    pub to: String,
    pub content: String,
    /// Kept with the reply: a send repeated after a crash carries the same key.
    pub idempotency_key: String,
}

/// What Quo made of a send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// 202: Quo took it, under this message id.
    Accepted { message_id: String },
    /// 429, 5xx, or no answer: try again, not before `after` if Quo said so.
    RetryLater {
        after: Option<Duration>,
        reason: String,
    },
    /// Any other 4xx: it will never go through as it is.
    Refused { reason: String },
}

#[derive(Clone, Debug)]
pub struct QuoApi {
    http: reqwest::Client,
    base: String,
    key: ApiKey,
}

#[derive(Deserialize)]
struct Accepted {
    data: AcceptedMessage,
}

#[derive(Deserialize)]
struct AcceptedMessage {
    id: String,
}

impl QuoApi {
    pub fn new(base: &str, key: ApiKey) -> QuoApi {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("an HTTP client");
        QuoApi {
            http,
            base: base.trim_end_matches('/').to_owned(),
            key,
        }
    }

    pub async fn send(&self, outgoing: &Outgoing) -> SendOutcome {
        let body = json!({
            "content": outgoing.content,
            "from": outgoing.from,
            "to": [outgoing.to],
        });
        let response = self
            .http
            .post(format!("{}/v1/messages", self.base))
            .header("Authorization", &self.key.0)
            .header("Idempotency-Key", &outgoing.idempotency_key)
            .json(&body)
            .send()
            .await;
        let response = match response {
            Ok(response) => response,
            Err(error) => {
                return SendOutcome::RetryLater {
                    after: None,
                    reason: format!("Quo did not answer: {}", without_url(&error)),
                }
            }
        };
        let status = response.status();
        let after = retry_after(response.headers());
        let text = response.text().await.unwrap_or_default();
        classify(status.as_u16(), after, &text)
    }
}

/// The error without the request's URL (which is ours, and says nothing new).
fn without_url(error: &reqwest::Error) -> String {
    let mut error_text = error.to_string();
    if let Some(url) = error.url() {
        error_text = error_text.replace(url.as_str(), "").replace(" ()", "");
    }
    error_text
}

fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// Sorts Quo's answer: status, `Retry-After`, body.
pub fn classify(status: u16, after: Option<Duration>, body: &str) -> SendOutcome {
    let reason = || {
        let message = serde_json::from_str::<serde_json::Value>(body)
            .ok()
            .and_then(|v| {
                v.get("message")
                    .or_else(|| v.pointer("/error/message"))
                    .and_then(|m| m.as_str().map(str::to_owned))
            })
            .unwrap_or_else(|| body.chars().take(200).collect());
        format!("Quo answered {status}: {message}")
            .trim_end_matches(": ")
            .to_owned()
    };
    match status {
        200..=299 => match serde_json::from_str::<Accepted>(body) {
            Ok(accepted) => SendOutcome::Accepted {
                message_id: accepted.data.id,
            },
            Err(_) => SendOutcome::RetryLater {
                after,
                reason: format!("Quo answered {status} without a message id"),
            },
        },
        429 | 500..=599 => SendOutcome::RetryLater {
            after,
            reason: reason(),
        },
        _ => SendOutcome::Refused { reason: reason() },
    }
}

/// How long to wait before try number `attempt` (1 is the first retry): doubling from a second
/// up to five minutes, with full jitter over its second half (`jitter` in 0..1), and never
/// sooner than Quo asked.
pub fn backoff(attempt: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
    let base = Duration::from_secs(1)
        .saturating_mul(1 << attempt.saturating_sub(1).min(16))
        .min(Duration::from_secs(300));
    let jittered = base.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0));
    retry_after.map_or(jittered, |asked| asked.max(jittered))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quos_answers_are_sorted_into_accepted_retry_and_refused() {
        let accepted = r#"{"data": {"id": "AC123", "status": "queued"}}"#;
        assert_eq!(
            classify(202, None, accepted),
            SendOutcome::Accepted {
                message_id: "AC123".into()
            }
        );
        assert_eq!(
            classify(
                429,
                Some(Duration::from_secs(7)),
                r#"{"message": "slow down"}"#
            ),
            SendOutcome::RetryLater {
                after: Some(Duration::from_secs(7)),
                reason: "Quo answered 429: slow down".into()
            }
        );
        assert!(matches!(
            classify(503, None, ""),
            SendOutcome::RetryLater { .. }
        ));
        assert_eq!(
            classify(400, None, r#"{"message": "to is not a valid number"}"#),
            SendOutcome::Refused {
                reason: "Quo answered 400: to is not a valid number".into()
            }
        );
        assert!(matches!(
            classify(401, None, "{}"),
            SendOutcome::Refused { .. }
        ));
    }

    #[test]
    fn backoff_doubles_with_jitter_up_to_five_minutes_and_honours_retry_after() {
        assert_eq!(backoff(1, None, 1.0), Duration::from_secs(1));
        assert_eq!(backoff(1, None, 0.0), Duration::from_millis(500));
        assert_eq!(backoff(4, None, 1.0), Duration::from_secs(8));
        assert_eq!(backoff(30, None, 1.0), Duration::from_secs(300));
        assert_eq!(
            backoff(1, Some(Duration::from_secs(30)), 1.0),
            Duration::from_secs(30)
        );
        assert_eq!(
            backoff(9, Some(Duration::from_secs(2)), 1.0),
            Duration::from_secs(256)
        );
    }

    #[test]
    fn the_key_never_shows_in_debug_output() {
        let api = QuoApi::new("http://127.0.0.1:1", ApiKey::new("secret-key-123".into()));
        assert!(!format!("{api:?}").contains("secret-key-123"));
    }
}
