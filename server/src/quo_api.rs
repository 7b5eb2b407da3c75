//! Quo's public API, as far as sending a text goes: `POST /v1/messages` (see
//! `shared/reference/quo-webhooks.md`, "Sending a message"), each answer sorted into accepted,
//! try again later, or refused for good; and, for a try whose answer never came, looking for
//! the message among those Quo has sent (`GET /v1/messages`, with the line's phone number id
//! from `GET /v1/phone-numbers`) before sending it again.

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
    /// 429 or 5xx: try again, not before `after` if Quo said so.
    RetryLater {
        after: Option<Duration>,
        reason: String,
    },
    /// No answer (the connection failed or timed out): Quo may have taken it, so the next try
    /// first looks for it (not before `after`, if Quo said so while it was looked for).
    NoAnswer {
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
                return SendOutcome::NoAnswer {
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

    /// The ids of the messages Quo has sent from `outgoing.from` to `outgoing.to` with its very
    /// text since `since_ms` (less a few minutes, for clocks that disagree), oldest first.
    pub async fn find_sent(&self, outgoing: &Outgoing, since_ms: i64) -> Lookup {
        let phone_number_id = if outgoing.from.starts_with("PN") {
            outgoing.from.clone()
        } else {
            match self.phone_number_id(&outgoing.from).await {
                Ok(Some(id)) => id,
                Ok(None) => {
                    return Lookup::Impossible(format!(
                        "{} is not one of the workspace's Quo numbers",
                        outgoing.from
                    ))
                }
                Err(lookup) => return lookup,
            }
        };
        let since = rfc3339(since_ms - CLOCK_SKEW_MS);
        let response = self
            .http
            .get(format!("{}/v1/messages", self.base))
            .header("Authorization", &self.key.0)
            .query(&[
                ("phoneNumberId", phone_number_id.as_str()),
                ("participants", outgoing.to.as_str()),
                ("createdAfter", since.as_str()),
                ("maxResults", "100"),
            ])
            .send()
            .await;
        let body: MessageList = match read_json(response).await {
            Ok(body) => body,
            Err(lookup) => return lookup,
        };
        let mut found: Vec<ListedMessage> = body
            .data
            .into_iter()
            .filter(|m| {
                m.direction.as_deref() != Some("incoming")
                    && m.text.as_deref() == Some(outgoing.content.as_str())
                    && m.to.contains(&outgoing.to)
            })
            .collect();
        found.sort_by(|a, b| a.created_at.cmp(&b.created_at));
        Lookup::Found(found.into_iter().map(|m| m.id).collect())
    }

    async fn phone_number_id(&self, number: &str) -> Result<Option<String>, Lookup> {
        let response = self
            .http
            .get(format!("{}/v1/phone-numbers", self.base))
            .header("Authorization", &self.key.0)
            .send()
            .await;
        let body: PhoneNumberList = read_json(response).await?;
        Ok(body
            .data
            .into_iter()
            .find(|n| n.number == number)
            .map(|n| n.id))
    }
}

/// Clocks of Quo and of this server may disagree by this much.
const CLOCK_SKEW_MS: i64 = 5 * 60_000;

/// What looking for a message at Quo found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The ids of the matching messages (none: Quo never took it).
    Found(Vec<String>),
    /// Quo could not say now (no answer, 429, 5xx): look again later.
    Unavailable {
        after: Option<Duration>,
        reason: String,
    },
    /// Quo will not say (another 4xx, an answer of another shape): only the key is left.
    Impossible(String),
}

#[derive(Deserialize)]
struct MessageList {
    data: Vec<ListedMessage>,
}

#[derive(Deserialize)]
struct ListedMessage {
    id: String,
    #[serde(default)]
    to: Vec<String>,
    text: Option<String>,
    direction: Option<String>,
    #[serde(rename = "createdAt", default)]
    created_at: String,
}

#[derive(Deserialize)]
struct PhoneNumberList {
    data: Vec<PhoneNumber>,
}

#[derive(Deserialize)]
struct PhoneNumber {
    id: String,
    number: String,
}

async fn read_json<T: serde::de::DeserializeOwned>(
    response: Result<reqwest::Response, reqwest::Error>,
) -> Result<T, Lookup> {
    let response = response.map_err(|error| Lookup::Unavailable {
        after: None,
        reason: format!("Quo did not answer: {}", without_url(&error)),
    })?;
    let status = response.status().as_u16();
    let after = retry_after(response.headers());
    let text = response.text().await.unwrap_or_default();
    match status {
        200..=299 => serde_json::from_str(&text).map_err(|error| {
            Lookup::Impossible(format!("Quo's answer was not understood: {error}"))
        }),
        429 | 500..=599 => Err(Lookup::Unavailable {
            after,
            reason: format!("Quo answered {status}"),
        }),
        _ => Err(Lookup::Impossible(format!("Quo answered {status}"))),
    }
}

/// `2026-12-01T12:00:00.000Z`, as Quo writes times.
fn rfc3339(ms: i64) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let (date, clock) = (at.date(), at.time());
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        date.year(),
        u8::from(date.month()),
        date.day(),
        clock.hour(),
        clock.minute(),
        clock.second(),
        clock.millisecond()
    )
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
    fn times_are_written_as_quo_writes_them() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(1_796_126_400_123), "2026-12-01T12:00:00.123Z");
    }

    #[test]
    fn the_key_never_shows_in_debug_output() {
        let api = QuoApi::new("http://127.0.0.1:1", ApiKey::new("secret-key-123".into()));
        assert!(!format!("{api:?}").contains("secret-key-123"));
    }
}
