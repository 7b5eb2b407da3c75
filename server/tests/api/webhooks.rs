//! Quo's webhooks over real HTTP: signatures checked (vectors computed here, from the
//! definition), deliveries stored once, and the new activity live for the team.

use crate::helpers::{assert_error, ok_json, spawn, spawn_app, Setup, TestApp, WEBHOOK_SECRET};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::Sha256;
use std::time::Duration;
use switchboard_domain::api::{ActivityContent, ConversationSummary, ErrorCode};
use switchboard_domain::Status;

fn key() -> Vec<u8> {
    STANDARD.decode(WEBHOOK_SECRET).unwrap()
}

/// `openphone-signature` for `body` at `stamp` (ms), computed from Quo's description.
pub fn legacy_signature(stamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(&key()).unwrap();
    mac.update(format!("{stamp}.{body}").as_bytes());
    format!(
        "hmac;1;{stamp};{}",
        STANDARD.encode(mac.finalize().into_bytes())
    )
}

pub fn message_received(event_id: &str, from: &str, to: &str, text: &str) -> String {
    json!({
        "id": event_id, "object": "event", "apiVersion": "v3", "type": "message.received",
        "createdAt": "2026-11-25T12:00:00.000Z",
        "data": { "object": {
            "id": format!("AC{event_id}"), "object": "message", "from": from, "to": to,
            "direction": "incoming", "text": text, "status": "received",
        }}
    })
    .to_string()
}

impl TestApp {
    pub async fn deliver(&self, body: &str, signature: &str) -> reqwest::Response {
        self.anonymous()
            .post(self.url("/webhooks/quo"))
            .header("content-type", "application/json")
            .header("openphone-signature", signature)
            .body(body.to_owned())
            .send()
            .await
            .unwrap()
    }

    /// A signed `message.received` from the conversation's customer: (body, signature).
    pub async fn signed_text(
        &self,
        conversation: &ConversationSummary,
        event_id: &str,
        text: &str,
    ) -> (String, String) {
        let line = &self.lines().await.lines[(conversation.line_id.0 - 1) as usize].number;
        let body = message_received(event_id, &conversation.contact.number, line, text);
        let signature = legacy_signature(self.now_ms(), &body);
        (body, signature)
    }

    /// Delivers a signed `message.received` from the conversation's customer.
    pub async fn webhook_text(
        &self,
        conversation: &ConversationSummary,
        event_id: &str,
        text: &str,
    ) -> reqwest::Response {
        let (body, signature) = self.signed_text(conversation, event_id, text).await;
        self.deliver(&body, &signature).await
    }
}

#[tokio::test]
async fn a_signed_message_is_stored_unread_and_reopens_a_done_conversation() {
    let app = spawn_app().await;
    let target = app.first_of("done").await;
    let response = app
        .webhook_text(&target, "EV100", "Hello again, it broke")
        .await;
    let receipt: Value = ok_json(response).await;
    assert_eq!(receipt["outcome"], "stored");
    let detail = app.conversation(target.id).await;
    assert_eq!(
        (detail.conversation.status, detail.conversation.unread),
        (Status::Open, true)
    );
    assert_eq!(
        detail.activities.last().unwrap().content,
        ActivityContent::Message {
            text: "Hello again, it broke".into()
        }
    );
}

#[tokio::test]
async fn a_message_from_a_new_number_creates_the_contact_and_conversation() {
    let app = spawn_app().await;
    let body = message_received(
        "EV200",
        "+13125550999",
        "+15550100300",
        "Do you ship to Canada?",
    );
    let receipt: Value = ok_json(
        app.deliver(&body, &legacy_signature(app.now_ms(), &body))
            .await,
    )
    .await;
    assert_eq!(receipt["outcome"], "stored");
    let newest = app.newest_unpinned("unread").await;
    assert_eq!(newest.contact.number, "+13125550999");
    assert_eq!(newest.line_id.0, 3);
}

#[tokio::test]
async fn the_same_event_twice_is_stored_once() {
    let app = spawn_app().await;
    let target = app.first_of("open").await;
    let before = app.conversation(target.id).await.activities.len();
    for _ in 0..3 {
        let response = app.webhook_text(&target, "EV300", "Are you there?").await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    assert_eq!(
        app.conversation(target.id).await.activities.len(),
        before + 1
    );
}

#[tokio::test]
async fn a_bad_missing_or_stale_signature_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let target = app.first_of("open").await;
    let before = app.conversation(target.id).await;
    let line = &app.lines().await.lines[(target.line_id.0 - 1) as usize].number;
    let body = message_received("EV400", &target.contact.number, line, "forged");

    let wrong_key = {
        let mut mac = Hmac::<Sha256>::new_from_slice(b"another secret").unwrap();
        let stamp = app.now_ms();
        mac.update(format!("{stamp}.{body}").as_bytes());
        format!(
            "hmac;1;{stamp};{}",
            STANDARD.encode(mac.finalize().into_bytes())
        )
    };
    let other_body = legacy_signature(app.now_ms(), "{}");
    let stale = legacy_signature(app.now_ms() - 6 * 60 * 1000, &body);
    for signature in [
        wrong_key.as_str(),
        other_body.as_str(),
        stale.as_str(),
        "hmac;1;x;y",
        "",
    ] {
        let response = app.deliver(&body, signature).await;
        assert_error(response, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
    }
    let unsigned = app
        .anonymous()
        .post(app.url("/webhooks/quo"))
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_error(unsigned, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
    assert_eq!(app.conversation(target.id).await, before, "nothing stored");
    // The same delivery, properly signed, is then taken: a refused one does not count as seen.
    let receipt: Value = ok_json(
        app.deliver(&body, &legacy_signature(app.now_ms(), &body))
            .await,
    )
    .await;
    assert_eq!(receipt["outcome"], "stored");
}

#[tokio::test]
async fn a_signature_is_fresh_for_five_minutes_by_the_servers_clock() {
    let app = spawn(Setup::default().manual_clock()).await;
    let target = app.first_of("open").await;
    let (kept, kept_signature) = app.signed_text(&target, "EV450", "on time").await;
    let (late, late_signature) = app.signed_text(&target, "EV451", "too late").await;
    let five_minutes = Duration::from_secs(5 * 60);
    app.advance_clock(five_minutes);
    let receipt: Value = ok_json(app.deliver(&kept, &kept_signature).await).await;
    assert_eq!(receipt["outcome"], "stored");
    app.advance_clock(Duration::from_millis(1));
    let response = app.deliver(&late, &late_signature).await;
    let body = assert_error(response, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
    assert!(
        body.error.message.contains("five minutes"),
        "{}",
        body.error.message
    );
    // Signed a minute ahead of the server's clock is fresh too (clocks differ both ways).
    let (early, _) = app.signed_text(&target, "EV452", "from the future").await;
    let early_signature = legacy_signature(app.now_ms() + 60_000, &early);
    let receipt: Value = ok_json(app.deliver(&early, &early_signature).await).await;
    assert_eq!(receipt["outcome"], "stored");
}

#[tokio::test]
async fn standard_webhooks_signatures_are_accepted_and_their_id_deduplicates() {
    let app = spawn_app().await;
    let target = app.first_of("open").await;
    let before = app.conversation(target.id).await.activities.len();
    let line = &app.lines().await.lines[(target.line_id.0 - 1) as usize].number;
    for (delivery, event) in [("msg_1", "EV500"), ("msg_1", "EV501"), ("msg_2", "EV502")] {
        let body = message_received(event, &target.contact.number, line, "standard");
        let stamp = app.now_ms() / 1000;
        let mut mac = Hmac::<Sha256>::new_from_slice(&key()).unwrap();
        mac.update(format!("{delivery}.{stamp}.{body}").as_bytes());
        let signature = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
        let response = app
            .anonymous()
            .post(app.url("/webhooks/quo"))
            .header("content-type", "application/json")
            .header("webhook-id", delivery)
            .header("webhook-timestamp", stamp.to_string())
            .header("webhook-signature", signature)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    assert_eq!(
        app.conversation(target.id).await.activities.len(),
        before + 2
    );
}

#[tokio::test]
async fn calls_and_voicemails_arrive_as_such_and_unknown_events_and_lines_are_ignored() {
    let app = spawn_app().await;
    let target = app.first_of("open").await;
    let line = app.lines().await.lines[(target.line_id.0 - 1) as usize]
        .number
        .clone();
    let call = json!({
        "id": "EV600", "type": "call.completed", "data": { "object": {
            "from": target.contact.number, "to": line, "direction": "incoming",
            "status": "missed", "answeredAt": null,
            "voicemail": { "duration": 12, "type": "audio/mpeg", "url": "https://x.example/v.mp3" }
        }}
    })
    .to_string();
    let receipt: Value = ok_json(
        app.deliver(&call, &legacy_signature(app.now_ms(), &call))
            .await,
    )
    .await;
    assert_eq!(receipt["outcome"], "stored");
    let detail = app.conversation(target.id).await;
    assert_eq!(
        detail.activities.last().unwrap().content,
        ActivityContent::Voicemail {
            duration_seconds: 12,
            transcript: None
        }
    );
    assert!(detail.conversation.unread);

    let ringing =
        json!({"id": "EV601", "type": "call.ringing", "data": {"object": {}}}).to_string();
    let receipt: Value = ok_json(
        app.deliver(&ringing, &legacy_signature(app.now_ms(), &ringing))
            .await,
    )
    .await;
    assert_eq!(receipt["outcome"], "ignored");
    let elsewhere = message_received("EV602", "+12125550100", "+19995550000", "wrong number");
    let receipt: Value = ok_json(
        app.deliver(&elsewhere, &legacy_signature(app.now_ms(), &elsewhere))
            .await,
    )
    .await;
    assert_eq!(receipt["outcome"], "ignored");
    let malformed = "{\"id\": 5}";
    let response = app
        .deliver(malformed, &legacy_signature(app.now_ms(), malformed))
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, ErrorCode::InvalidBody).await;
}
