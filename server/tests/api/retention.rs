//! Data that does not pile up: retention deletes the events log, webhook delivery ids, ended
//! sessions and read notifications past their windows, and nothing a customer or teammate
//! wrote; a stream asked to resume from before what is kept reloads. Event streams per session
//! are bounded.

use crate::helpers::{ok_json, spawn, Setup, TestApp, OWNER, SUPPORT_MEMBER};
use crate::live::Stream;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;
use switchboard_domain::team::{LiveEvent, NotificationList};
use switchboard_server::auth::AuthSettings;
use switchboard_server::client_address::TrustedProxies;
use switchboard_server::db::retention::Pruned;
use switchboard_server::retention::{run_once, Retention};

const DAY: Duration = Duration::from_secs(24 * 3600);

fn settings() -> (Retention, AuthSettings) {
    let auth = AuthSettings {
        idle_timeout: DAY * 30,
        lifetime: DAY * 60,
        secure_cookies: false,
        public_origin: None,
        trusted_proxies: TrustedProxies::default(),
    };
    (Retention::default(), auth)
}

async fn prune(app: &TestApp) -> Pruned {
    let (retention, auth) = settings();
    run_once(&app.db, &retention, &auth, app.now_ms())
        .await
        .expect("retention runs")
}

#[tokio::test]
async fn retention_deletes_what_it_keeps_for_a_while_and_nothing_anyone_wrote() {
    let (_, auth) = settings();
    let app = spawn(Setup {
        idle_timeout: auth.idle_timeout,
        lifetime: auth.lifetime,
        ..Setup::default().manual_clock()
    })
    .await;
    let jordan = app.signed_in(SUPPORT_MEMBER).await;
    let stream = Stream::open(&app, &app.client, None).await;
    drop(stream);
    let old_id = switchboard_server::db::events::last_seq(&app.db)
        .await
        .unwrap();

    // A day's work: a customer writes, a teammate answers with a note that mentions another,
    // who reads it.
    let conversation = app.first_on("open", Some(2)).await;
    let receipt: Value = ok_json(
        app.webhook_text(&conversation, "EV-kept-3-days", "Hello?")
            .await,
    )
    .await;
    assert_eq!(receipt["outcome"], "stored");
    let jordan_id = app.member_named("Jordan Lee").await.id;
    let note = json!({"text": "Jordan, yours", "mentions": [jordan_id]});
    let path = format!("/api/v1/conversations/{}/notes", conversation.id);
    assert_eq!(
        app.post_json(&path, &note).await.status(),
        StatusCode::CREATED
    );
    let riley_id = app.member_named("Riley Park").await.id;
    let other = app.first_on("open", Some(1)).await;
    let note = json!({"text": "Riley, have a look", "mentions": [riley_id]});
    let other_path = format!("/api/v1/conversations/{}/notes", other.id);
    assert_eq!(
        app.post_json(&other_path, &note).await.status(),
        StatusCode::CREATED
    );
    let mentions: NotificationList = ok_json(
        jordan
            .get(app.url("/api/v1/notifications"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let read = jordan
        .post(app.url(&format!(
            "/api/v1/notifications/{}/read",
            mentions.notifications[0].id
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::NO_CONTENT);
    let thread_before = app.conversation(conversation.id).await.activities;
    let changes_before = switchboard_server::db::changes::history(&app.db, conversation.id)
        .await
        .unwrap();

    // Within every window nothing goes.
    assert_eq!(prune(&app).await, Pruned::default());

    // Eight days on: the events log and the delivery ids are past their windows.
    app.advance_clock(DAY * 8);
    let pruned = prune(&app).await;
    assert!(pruned.events > 0, "{pruned:?}");
    assert_eq!(pruned.webhook_deliveries, 1, "{pruned:?}");
    assert_eq!((pruned.read_notifications, pruned.sessions), (0, 0));
    // A stream that asks to resume from before the kept log is told to reload.
    let response = app
        .client
        .get(app.url("/api/v1/events"))
        .header("last-event-id", old_id.to_string())
        .send()
        .await
        .unwrap();
    let mut stream = Stream::from_response(response);
    let (_, first) = stream.next(Duration::from_secs(5)).await.expect("an event");
    assert_eq!(first, LiveEvent::Reload {});
    // Quo no longer retries that delivery: its id may come again as new.
    let receipt: Value = ok_json(
        app.webhook_text(&conversation, "EV-kept-3-days", "Hello?")
            .await,
    )
    .await;
    assert_eq!(receipt["outcome"], "stored");

    // A hundred days on: the read notification goes, the unread one stays; ended sessions go.
    app.advance_clock(DAY * 100);
    let pruned = prune(&app).await;
    assert_eq!(pruned.read_notifications, 1, "{pruned:?}");
    assert!(pruned.sessions >= 2, "{pruned:?}");
    let riley = app
        .signed_in(("riley@switchboard.example", "riley-switchboard"))
        .await;
    let riley_mentions: NotificationList = ok_json(
        riley
            .get(app.url("/api/v1/notifications"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(riley_mentions.unread_count, 1);

    // What customers and teammates wrote, and the trail of changes, all stay.
    let owner = app.signed_in(OWNER).await;
    let thread_after: switchboard_domain::api::ConversationDetail = ok_json(
        owner
            .get(app.url(&format!("/api/v1/conversations/{}", conversation.id)))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(thread_before
        .iter()
        .all(|activity| thread_after.activities.contains(activity)));
    let changes_after = switchboard_server::db::changes::history(&app.db, conversation.id)
        .await
        .unwrap();
    assert_eq!(changes_before.len(), changes_after.len());
}

#[tokio::test]
async fn a_session_holds_at_most_four_event_streams_at_once() {
    let app = spawn(Setup::default()).await;
    let mut streams = Vec::new();
    for _ in 0..4 {
        streams.push(Stream::open(&app, &app.client, None).await);
    }
    let fifth = app.get("/api/v1/events").await;
    assert_eq!(fifth.status(), StatusCode::TOO_MANY_REQUESTS);
    // Another session has streams of its own.
    let other = app.signed_in(OWNER).await;
    Stream::open(&app, &other, None).await;
    // Closing one makes room again.
    streams.pop();
    let mut reopened = false;
    for _ in 0..100 {
        if app.get("/api/v1/events").await.status() == StatusCode::OK {
            reopened = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(reopened);
}
