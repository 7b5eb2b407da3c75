//! Replies reach the customer: sent through Quo's API (a local server that implements its send
//! endpoint, `fake_quo`) by the outbox, once each, retried when Quo says so, Not delivered with
//! the reason when it will not go, and Delivered when Quo's webhook says so, in one activity.

use crate::helpers::{fake_quo_carrier, ok_json, spawn, spawn_app, Setup, TestApp};
use crate::webhooks::legacy_signature;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use switchboard_domain::api::{ConversationSummary, Delivery, DeliveryStatus, ReplyResponse};
use switchboard_domain::ActivityId;
use switchboard_testkit::fake_quo::{Answer, FakeQuo, Message};

/// Quo's `message.delivered` event for a message it took, as its webhook posts it: the receipt.
async fn report_delivered(app: &TestApp, event_id: &str, message: &Message) -> Value {
    let body = json!({
        "id": event_id, "object": "event", "apiVersion": "v3", "type": "message.delivered",
        "createdAt": "2026-12-01T12:00:05.000Z",
        "data": { "object": {
            "id": message.id, "object": "message", "from": message.from, "to": message.to,
            "direction": "outgoing", "text": message.content, "status": "delivered",
        }}
    })
    .to_string();
    ok_json(
        app.deliver(&body, &legacy_signature(app.now_ms(), &body))
            .await,
    )
    .await
}

async fn app_with(quo: &FakeQuo) -> TestApp {
    spawn(Setup {
        carrier: Some(fake_quo_carrier(&quo.url)),
        ..Setup::default()
    })
    .await
}

async fn reply(app: &TestApp, conversation: &ConversationSummary, text: &str) -> ReplyResponse {
    let path = format!("/api/v1/conversations/{}/replies", conversation.id);
    ok_json(app.post_json(&path, &json!({"text": text})).await).await
}

async fn delivery(
    app: &TestApp,
    conversation: &ConversationSummary,
    id: ActivityId,
) -> Option<Delivery> {
    app.conversation(conversation.id)
        .await
        .activities
        .into_iter()
        .find(|a| a.id == id)
        .and_then(|a| a.delivery)
}

/// Waits until the reply's delivery satisfies `done` (10 s at most).
async fn wait_for(
    app: &TestApp,
    conversation: &ConversationSummary,
    id: ActivityId,
    done: impl Fn(&Delivery) -> bool,
) -> Delivery {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now = delivery(app, conversation, id)
            .await
            .expect("a reply has a delivery");
        if done(&now) || Instant::now() > deadline {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_reply_is_sent_through_quo_once_from_its_line_to_the_customer() {
    let quo = FakeQuo::start().await;
    let app = app_with(&quo).await;
    let conversation = app.first_of("open").await;
    let sent = reply(&app, &conversation, "Your order ships today").await;
    assert_eq!(
        sent.activity.delivery,
        Some(Delivery::is(DeliveryStatus::Sending))
    );
    let now = wait_for(&app, &conversation, sent.activity.id, |d| {
        d.status == DeliveryStatus::Sent
    })
    .await;
    assert_eq!(now, Delivery::is(DeliveryStatus::Sent));
    let line = &app.lines().await.lines[(conversation.line_id.0 - 1) as usize]
        .number
        .clone();
    let messages = quo.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(
        (
            &messages[0].from,
            &messages[0].to,
            messages[0].content.as_str()
        ),
        (line, &conversation.contact.number, "Your order ships today")
    );
    assert!(messages[0].key.is_some(), "sent with its idempotency key");
}

#[tokio::test]
async fn throttled_and_failed_tries_are_retried_until_quo_takes_the_reply() {
    let quo = FakeQuo::start().await;
    quo.plan([
        Answer::TooMany {
            retry_after_seconds: 1,
        },
        Answer::ServerError,
    ]);
    let app = app_with(&quo).await;
    let conversation = app.first_of("open").await;
    let sent = reply(&app, &conversation, "Trying again").await;
    let now = wait_for(&app, &conversation, sent.activity.id, |d| {
        d.status == DeliveryStatus::Sent
    })
    .await;
    assert_eq!(now, Delivery::is(DeliveryStatus::Sent));
    assert_eq!(quo.requests(), 3);
    assert_eq!(quo.messages().len(), 1, "taken once");
}

#[tokio::test]
async fn replies_held_back_by_quos_rate_limit_go_as_soon_as_it_lets_them_each_once() {
    let quo = FakeQuo::start().await;
    quo.limit_rate(5);
    // The first send takes its time, so that the others wait in the outbox together and are
    // taken as one batch, which a 429 then interrupts.
    quo.plan([Answer::Slow(Duration::from_millis(500))]);
    let app = app_with(&quo).await;
    let conversation = app.first_of("open").await;
    let mut replies = Vec::new();
    for n in 0..20 {
        replies.push(reply(&app, &conversation, &format!("Held back {n}")).await);
    }
    for sent in &replies {
        let now = wait_for(&app, &conversation, sent.activity.id, |d| {
            d.status == DeliveryStatus::Sent
        })
        .await;
        assert_eq!(
            now,
            Delivery::is(DeliveryStatus::Sent),
            "at the limit's pace"
        );
    }
    let mut texts: Vec<String> = quo.messages().into_iter().map(|m| m.content).collect();
    texts.sort();
    texts.dedup();
    assert_eq!((quo.messages().len(), texts.len()), (20, 20), "each once");
    assert!(quo.requests() > 20, "Quo said 429 on the way");
    assert_eq!(
        quo.lookups(),
        0,
        "a try held back is not a try that got no answer"
    );
}

#[tokio::test]
async fn a_refused_reply_shows_not_delivered_with_the_reason_and_retry_sends_it() {
    let quo = FakeQuo::start().await;
    quo.plan([Answer::BadRequest]);
    let app = app_with(&quo).await;
    let conversation = app.first_of("open").await;
    let sent = reply(&app, &conversation, "Will this go?").await;
    let now = wait_for(&app, &conversation, sent.activity.id, |d| {
        d.status == DeliveryStatus::Failed
    })
    .await;
    assert_eq!(now.status, DeliveryStatus::Failed);
    let reason = now.reason.unwrap_or_default();
    assert!(reason.contains("400"), "{reason}");
    assert_eq!(quo.requests(), 1, "a 400 is not tried again by itself");
    let path = format!(
        "/api/v1/conversations/{}/replies/{}/retry",
        conversation.id, sent.activity.id
    );
    assert_eq!(
        app.post_json(&path, &json!({})).await.status(),
        StatusCode::ACCEPTED
    );
    let now = wait_for(&app, &conversation, sent.activity.id, |d| {
        d.status == DeliveryStatus::Sent
    })
    .await;
    assert_eq!(now, Delivery::is(DeliveryStatus::Sent));
    assert_eq!(quo.messages().len(), 1);
    // A reply that went is not sent again.
    assert_eq!(
        app.post_json(&path, &json!({})).await.status(),
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn quos_delivery_report_and_the_reply_are_one_activity() {
    let quo = FakeQuo::start().await;
    let app = app_with(&quo).await;
    let conversation = app.first_of("open").await;
    let sent = reply(&app, &conversation, "See you at 3").await;
    wait_for(&app, &conversation, sent.activity.id, |d| {
        d.status == DeliveryStatus::Sent
    })
    .await;
    let before = app.conversation(conversation.id).await.activities.len();
    let message = quo.messages().remove(0);
    let receipt = report_delivered(&app, "EVdelivered1", &message).await;
    assert_eq!(receipt["outcome"], "stored");
    assert_eq!(
        delivery(&app, &conversation, sent.activity.id).await,
        Some(Delivery::is(DeliveryStatus::Delivered))
    );
    assert_eq!(
        app.conversation(conversation.id).await.activities.len(),
        before
    );
}

#[tokio::test]
async fn a_delivery_report_that_beats_quos_answer_is_still_one_activity_with_the_reply() {
    let quo = FakeQuo::start().await;
    // Quo takes the message at once and answers the send two seconds later; its delivery
    // report comes in between.
    quo.plan([Answer::Slow(Duration::from_secs(2))]);
    let app = app_with(&quo).await;
    let conversation = app.first_of("open").await;
    let sent = reply(&app, &conversation, "Quick one").await;
    let deadline = Instant::now() + Duration::from_secs(5);
    while quo.messages().is_empty() {
        assert!(Instant::now() < deadline, "the send reaches Quo");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let before = app.conversation(conversation.id).await.activities.len();
    let message = quo.messages().remove(0);
    let receipt = report_delivered(&app, "EVdelivered2", &message).await;
    assert_eq!(receipt["detail"], "the reply is delivered");
    assert_eq!(
        delivery(&app, &conversation, sent.activity.id).await,
        Some(Delivery::is(DeliveryStatus::Delivered)),
        "before Quo's answer"
    );
    // The answer comes, and says no less.
    let deadline = Instant::now() + Duration::from_secs(5);
    while quo_answer_pending(&app).await && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        delivery(&app, &conversation, sent.activity.id).await,
        Some(Delivery::is(DeliveryStatus::Delivered))
    );
    assert_eq!(
        app.conversation(conversation.id).await.activities.len(),
        before
    );
    assert_eq!(quo.requests(), 1);
}

/// Whether a reply is still in the outbox (waiting for Quo's answer).
async fn quo_answer_pending(app: &TestApp) -> bool {
    switchboard_server::db::outbox::next_due(&app.db)
        .await
        .unwrap()
        .is_some()
}

#[tokio::test]
async fn without_a_quo_api_key_a_reply_stays_in_the_thread_not_sent() {
    let app = spawn_app().await;
    let conversation = app.first_of("open").await;
    let sent = reply(&app, &conversation, "Hello?").await;
    assert_eq!(
        sent.activity.delivery,
        Some(Delivery::because(DeliveryStatus::NotSent, "no Quo API key"))
    );
    let path = format!(
        "/api/v1/conversations/{}/replies/{}/retry",
        conversation.id, sent.activity.id
    );
    assert_eq!(
        app.post_json(&path, &json!({})).await.status(),
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn the_demos_carrier_sends_at_once_and_reports_delivery_a_moment_later() {
    let app = spawn(Setup {
        carrier: Some(switchboard_server::outbox::Carrier::Demo),
        ..Setup::default()
    })
    .await;
    let conversation = app.first_of("open").await;
    let sent = reply(&app, &conversation, "Thanks, all sorted").await;
    assert_eq!(
        sent.activity.delivery,
        Some(Delivery::is(DeliveryStatus::Sending))
    );
    let now = wait_for(&app, &conversation, sent.activity.id, |d| {
        d.status == DeliveryStatus::Delivered
    })
    .await;
    assert_eq!(now, Delivery::is(DeliveryStatus::Delivered));
}

#[tokio::test]
async fn the_lines_say_how_replies_reach_customers_and_from_which_quo_number() {
    use switchboard_domain::api::{LineList, ReplySending};
    use switchboard_domain::LineId;
    let lines =
        |app: TestApp| async move { ok_json::<LineList>(app.get("/api/v1/lines").await).await };

    let off = lines(spawn_app().await).await;
    assert_eq!(off.sending, ReplySending::Off);
    assert!(off.lines.iter().all(|line| line.sends_from.is_none()));

    let demo = lines(
        spawn(Setup {
            carrier: Some(switchboard_server::outbox::Carrier::Demo),
            ..Setup::default()
        })
        .await,
    )
    .await;
    assert_eq!(demo.sending, ReplySending::Demo);
    assert!(demo.lines.iter().all(|line| line.sends_from.is_none()));

    let quo = FakeQuo::start().await;
    let app = app_with(&quo).await;
    switchboard_server::db::lines::set_quo_number(&app.db, LineId(2), Some("PNsupport01".into()))
        .await
        .unwrap();
    let through_quo = lines(app).await;
    assert_eq!(through_quo.sending, ReplySending::Quo);
    for line in &through_quo.lines {
        let expected = match line.id {
            LineId(2) => "PNsupport01".to_owned(),
            _ => line.number.clone(),
        };
        assert_eq!(
            line.sends_from.as_deref(),
            Some(expected.as_str()),
            "{}",
            line.name
        );
    }
}
