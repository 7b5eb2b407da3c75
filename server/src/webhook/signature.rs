//! Webhook signatures, as described in shared/reference/quo-webhooks.md:
//!
//! - Legacy: `openphone-signature: hmac;1;<timestamp ms>;<base64 HMAC-SHA256>` over
//!   `"<timestamp>.<raw body>"`, keyed with the base64-decoded signing secret.
//! - Standard Webhooks: `webhook-id`, `webhook-timestamp` (seconds) and `webhook-signature`
//!   (space-separated `v1,<base64>`) over `"<id>.<timestamp>.<raw body>"`, keyed with the
//!   `whsec_…` secret, base64 after the prefix.
//!
//! Either way the timestamp must be within five minutes of now, so that a captured delivery
//! cannot be replayed later.

use axum::http::HeaderMap;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How far a signed timestamp may be from now.
pub const TOLERANCE_MS: i64 = 5 * 60 * 1000;

/// The key both schemes sign with.
#[derive(Clone)]
pub struct WebhookSecret {
    key: Vec<u8>,
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(…)")
    }
}

impl WebhookSecret {
    /// Quo's signing secret: base64, optionally `whsec_`-prefixed.
    pub fn parse(secret: &str) -> Result<WebhookSecret, String> {
        let encoded = secret.trim().trim_start_matches("whsec_");
        let key = STANDARD
            .decode(encoded)
            .map_err(|e| format!("the webhook secret is not base64: {e}"))?;
        if key.is_empty() {
            return Err("the webhook secret is empty".to_owned());
        }
        Ok(WebhookSecret { key })
    }

    pub fn from_key(key: Vec<u8>) -> WebhookSecret {
        WebhookSecret { key }
    }

    /// The secret as Quo shows it (base64).
    pub fn encoded(&self) -> String {
        STANDARD.encode(&self.key)
    }

    fn mac(&self, parts: &[&[u8]]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key");
        for part in parts {
            mac.update(part);
        }
        mac
    }

    /// The legacy `openphone-signature` header for `body` at `timestamp_ms`.
    pub fn sign_legacy(&self, timestamp_ms: i64, body: &[u8]) -> String {
        let stamp = timestamp_ms.to_string();
        let mac = self.mac(&[stamp.as_bytes(), b".", body]);
        format!(
            "hmac;1;{stamp};{}",
            STANDARD.encode(mac.finalize().into_bytes())
        )
    }

    /// The Standard Webhooks `webhook-signature` header.
    pub fn sign_standard(&self, id: &str, timestamp_s: i64, body: &[u8]) -> String {
        let stamp = timestamp_s.to_string();
        let mac = self.mac(&[id.as_bytes(), b".", stamp.as_bytes(), b".", body]);
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureError {
    Missing,
    Malformed,
    Mismatch,
    /// The timestamp is more than five minutes from now.
    Stale,
}

impl std::fmt::Display for SignatureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SignatureError::Missing => {
                "no webhook signature (openphone-signature or webhook-signature)"
            }
            SignatureError::Malformed => "the webhook signature header is malformed",
            SignatureError::Mismatch => "the webhook signature does not match",
            SignatureError::Stale => "the webhook timestamp is more than five minutes from now",
        })
    }
}

/// Checks a delivery's signature. Returns the Standard Webhooks `webhook-id`, if that scheme
/// was used (its idempotency key).
pub fn verify(
    headers: &HeaderMap,
    body: &[u8],
    secret: &WebhookSecret,
    now_ms: i64,
) -> Result<Option<String>, SignatureError> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(legacy) = header("openphone-signature") {
        verify_legacy(legacy, body, secret, now_ms)?;
        return Ok(None);
    }
    match (
        header("webhook-id"),
        header("webhook-timestamp"),
        header("webhook-signature"),
    ) {
        (Some(id), Some(timestamp), Some(signatures)) => {
            verify_standard(id, timestamp, signatures, body, secret, now_ms)?;
            Ok(Some(id.to_owned()))
        }
        _ => Err(SignatureError::Missing),
    }
}

fn fresh(timestamp_ms: i64, now_ms: i64) -> Result<(), SignatureError> {
    match (now_ms - timestamp_ms).abs() <= TOLERANCE_MS {
        true => Ok(()),
        false => Err(SignatureError::Stale),
    }
}

fn verify_legacy(
    header: &str,
    body: &[u8],
    secret: &WebhookSecret,
    now_ms: i64,
) -> Result<(), SignatureError> {
    let mut fields = header.split(';');
    let (Some("hmac"), Some("1"), Some(stamp), Some(signature), None) = (
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
    ) else {
        return Err(SignatureError::Malformed);
    };
    let timestamp: i64 = stamp.parse().map_err(|_| SignatureError::Malformed)?;
    let signature = STANDARD
        .decode(signature.trim())
        .map_err(|_| SignatureError::Malformed)?;
    // The signature is checked before the time, so that a forger learns nothing from either.
    secret
        .mac(&[stamp.as_bytes(), b".", body])
        .verify_slice(&signature)
        .map_err(|_| SignatureError::Mismatch)?;
    fresh(timestamp, now_ms)
}

fn verify_standard(
    id: &str,
    stamp: &str,
    signatures: &str,
    body: &[u8],
    secret: &WebhookSecret,
    now_ms: i64,
) -> Result<(), SignatureError> {
    let timestamp: i64 = stamp.parse().map_err(|_| SignatureError::Malformed)?;
    let expected = secret.mac(&[id.as_bytes(), b".", stamp.as_bytes(), b".", body]);
    let matched = signatures.split_whitespace().any(|entry| {
        entry
            .strip_prefix("v1,")
            .and_then(|encoded| STANDARD.decode(encoded).ok())
            .is_some_and(|signature| expected.clone().verify_slice(&signature).is_ok())
    });
    if !matched {
        return Err(SignatureError::Mismatch);
    }
    fresh(timestamp.saturating_mul(1000), now_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const NOW: i64 = 1_795_615_500_000;
    const BODY: &[u8] = br#"{"id":"EV1","type":"message.received"}"#;

    fn secret() -> WebhookSecret {
        WebhookSecret::parse("c2lnbmluZyBzZWNyZXQgZm9yIHRlc3Rz").unwrap()
    }

    fn headers(pairs: &[(&'static str, String)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    /// The legacy signature computed independently, from its definition.
    fn legacy_vector(key: &[u8], stamp: i64, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
        mac.update(format!("{stamp}.").as_bytes());
        mac.update(body);
        format!(
            "hmac;1;{stamp};{}",
            STANDARD.encode(mac.finalize().into_bytes())
        )
    }

    #[test]
    fn a_legacy_signature_made_with_the_decoded_secret_verifies() {
        let header = legacy_vector(b"signing secret for tests", NOW - 1000, BODY);
        assert_eq!(header, secret().sign_legacy(NOW - 1000, BODY));
        let h = headers(&[("openphone-signature", header)]);
        assert_eq!(verify(&h, BODY, &secret(), NOW), Ok(None));
    }

    #[test]
    fn a_signature_over_another_body_or_key_is_refused() {
        let h = headers(&[("openphone-signature", secret().sign_legacy(NOW, BODY))]);
        assert_eq!(
            verify(&h, b"{}", &secret(), NOW),
            Err(SignatureError::Mismatch)
        );
        let other = WebhookSecret::from_key(b"another key".to_vec());
        assert_eq!(verify(&h, BODY, &other, NOW), Err(SignatureError::Mismatch));
        // Keyed with the secret's text instead of its decoded bytes: refused.
        let undecoded = WebhookSecret::from_key(b"c2lnbmluZyBzZWNyZXQgZm9yIHRlc3Rz".to_vec());
        let h = headers(&[("openphone-signature", undecoded.sign_legacy(NOW, BODY))]);
        assert_eq!(
            verify(&h, BODY, &secret(), NOW),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn a_timestamp_more_than_five_minutes_off_is_stale() {
        for stamp in [NOW - TOLERANCE_MS - 1, NOW + TOLERANCE_MS + 1] {
            let h = headers(&[("openphone-signature", secret().sign_legacy(stamp, BODY))]);
            assert_eq!(verify(&h, BODY, &secret(), NOW), Err(SignatureError::Stale));
        }
        let h = headers(&[(
            "openphone-signature",
            secret().sign_legacy(NOW - TOLERANCE_MS, BODY),
        )]);
        assert!(verify(&h, BODY, &secret(), NOW).is_ok());
    }

    #[test]
    fn malformed_and_missing_headers_are_told_apart() {
        let h = headers(&[("openphone-signature", "hmac;2;1;abc".to_owned())]);
        assert_eq!(
            verify(&h, BODY, &secret(), NOW),
            Err(SignatureError::Malformed)
        );
        let h = headers(&[("openphone-signature", "hmac;1;soon;abc".to_owned())]);
        assert_eq!(
            verify(&h, BODY, &secret(), NOW),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            verify(&HeaderMap::new(), BODY, &secret(), NOW),
            Err(SignatureError::Missing)
        );
    }

    #[test]
    fn a_standard_webhooks_signature_verifies_and_names_the_delivery() {
        let whsec = WebhookSecret::parse("whsec_c2lnbmluZyBzZWNyZXQgZm9yIHRlc3Rz").unwrap();
        let stamp = NOW / 1000;
        let mut mac = Hmac::<Sha256>::new_from_slice(b"signing secret for tests").unwrap();
        mac.update(format!("msg_1.{stamp}.").as_bytes());
        mac.update(BODY);
        let vector = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
        assert_eq!(vector, whsec.sign_standard("msg_1", stamp, BODY));
        let h = headers(&[
            ("webhook-id", "msg_1".to_owned()),
            ("webhook-timestamp", stamp.to_string()),
            ("webhook-signature", format!("v1,bm90IGl0 {vector}")),
        ]);
        assert_eq!(verify(&h, BODY, &whsec, NOW), Ok(Some("msg_1".to_owned())));

        let stale = headers(&[
            ("webhook-id", "msg_1".to_owned()),
            ("webhook-timestamp", (stamp - 301).to_string()),
            (
                "webhook-signature",
                whsec.sign_standard("msg_1", stamp - 301, BODY),
            ),
        ]);
        assert_eq!(
            verify(&stale, BODY, &whsec, NOW),
            Err(SignatureError::Stale)
        );
        let forged = headers(&[
            ("webhook-id", "msg_2".to_owned()),
            ("webhook-timestamp", stamp.to_string()),
            ("webhook-signature", vector),
        ]);
        assert_eq!(
            verify(&forged, BODY, &whsec, NOW),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn a_secret_must_be_base64() {
        assert!(WebhookSecret::parse("not base64 !").is_err());
        assert!(WebhookSecret::parse("").is_err());
    }
}
