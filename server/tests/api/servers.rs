//! Several servers on one PostgreSQL database behave as one: live events, sessions, sign-in
//! throttling, idempotency and the safety rule hold across them. Each "server" here is a server
//! of its own (its own pool, its own event listener, its own HTTP port) on the same database.
//! Runs when a PostgreSQL cluster is at hand (`SWITCHBOARD_TEST_POSTGRES`).

use crate::helpers::*;
use crate::live::Stream;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;
use switchboard_domain::api::ErrorCode;
use switchboard_domain::team::LiveEvent;

/// Two servers on one new PostgreSQL database, or `None` without a cluster.
async fn two_servers(setup: impl Fn() -> Setup) -> Option<(TestApp, TestApp)> {
    if switchboard_testkit::test_postgres().is_none() {
        eprintln!("no PostgreSQL cluster (SWITCHBOARD_TEST_POSTGRES): one server only");
        return None;
    }
    let first = spawn(setup()).await;
    let second = spawn(Setup {
        database: Database::At(first.database.clone()),
        ..setup()
    })
    .await;
    Some((first, second))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_on_one_server_reaches_the_streams_of_the_other_and_a_webhook_too() {
    let Some((one, two)) = two_servers(Setup::default).await else {
        return;
    };
    // A session made on one server is good on the other.
    let jordan = one.signed_in(SUPPORT_MEMBER).await;
    let mut on_two = Stream::open(&two, &jordan, None).await;
    let mut on_one = Stream::open(&one, &one.client, None).await;

    let target = one.first_on("open", Some(2)).await;
    let response = one.change(target.id, "unread", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let (_, changed) = on_two.next_conversation().await;
    assert_eq!((changed.id, changed.unread), (target.id, true));

    // A customer's text delivered to the second server shows on the first one's stream.
    let response = two
        .webhook_text(&target, "EV-two-servers", "Still there?")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    loop {
        let (_, event) = on_one.next(Duration::from_secs(5)).await.expect("an event");
        if let LiveEvent::Conversation { conversation, .. } = event {
            if conversation.id == target.id
                && conversation.latest_activity.id > target.latest_activity.id
            {
                break;
            }
        }
    }
    // The same delivery, retried on the first server, is not stored twice.
    let response = one
        .webhook_text(&target, "EV-two-servers", "Still there?")
        .await;
    let receipt: Value = ok_json(response).await;
    assert_eq!(receipt["outcome"], "duplicate", "{receipt}");
    let thread = two.conversation(target.id).await;
    let copies = thread
        .activities
        .iter()
        .filter(|a| matches!(&a.content, switchboard_domain::api::ActivityContent::Message { text } if text == "Still there?"))
        .count();
    assert_eq!(copies, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_that_lost_its_notifications_catches_up_from_the_events_table() {
    let Some((one, two)) = two_servers(Setup::default).await else {
        return;
    };
    let mut on_two = Stream::open(&two, &two.client, None).await;
    // Cut every server's listening connection: notifications sent meanwhile are lost.
    let admin = one.db.clone();
    let cut = switchboard_server::db::postgres::testing::end_listeners(&admin)
        .await
        .unwrap();
    assert!(cut >= 2, "{cut} listeners ended");
    let target = one.first_of("open").await;
    let response = one.change(target.id, "unread", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let (_, changed) = on_two.next_conversation().await;
    assert_eq!((changed.id, changed.unread), (target.id, true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_id_applies_once_whichever_server_takes_each_try() {
    let Some((one, two)) = two_servers(Setup::default).await else {
        return;
    };
    let target = one.first_of("unread").await;
    let body = json!({"change": "done", "seen_activity_id": target.latest_inbound_activity_id,
                      "change_id": "7b0e6a52-two-servers"});
    let path = format!("/api/v1/conversations/{}/state", target.id);
    let (first, second) = tokio::join!(one.post_json(&path, &body), two.post_json(&path, &body));
    assert_eq!(
        (first.status(), second.status()),
        (StatusCode::OK, StatusCode::OK)
    );
    let history = switchboard_server::db::changes::history(&two.db, target.id)
        .await
        .unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_failures_count_across_servers() {
    let Some((one, two)) = two_servers(|| Setup::default().manual_clock()).await else {
        return;
    };
    for attempt in 0..10 {
        let server = if attempt % 2 == 0 { &one } else { &two };
        let response = server
            .anonymous()
            .post(server.url("/api/v1/session"))
            .json(&json!({"email": SUPPORT_MEMBER.0, "password": "guess"}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    for server in [&one, &two] {
        let response = server
            .anonymous()
            .post(server.url("/api/v1/session"))
            .json(&json!({"email": SUPPORT_MEMBER.0, "password": SUPPORT_MEMBER.1}))
            .send()
            .await
            .unwrap();
        assert_error(
            response,
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::TooManyRequests,
        )
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mark_done_on_one_server_racing_an_inbound_message_on_the_other_never_hides_it() {
    let Some((one, two)) = two_servers(Setup::default).await else {
        return;
    };
    let refused = crate::race::race_done_against_inbound(&one, &two, 40).await;
    eprintln!("{refused} of 40 done requests came second and were refused");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_starts_leaves_alone_a_reply_another_is_sending() {
    use switchboard_testkit::fake_quo::{Answer, FakeQuo};
    let quo = FakeQuo::start().await;
    // Quo takes the message only after three seconds: until then, a look at what Quo has sent
    // does not find it, and a second try would be a second message.
    quo.plan([Answer::SlowToTake(Duration::from_secs(3))]);
    let with_quo = || Setup {
        carrier: Some(fake_quo_carrier(&quo.url)),
        ..Setup::default()
    };
    if switchboard_testkit::test_postgres().is_none() {
        eprintln!("no PostgreSQL cluster (SWITCHBOARD_TEST_POSTGRES): one server only");
        return;
    }
    let one = spawn(with_quo()).await;
    let conversation = one.first_of("open").await;
    let path = format!("/api/v1/conversations/{}/replies", conversation.id);
    let response = one.post_json(&path, &json!({"text": "Sent once"})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while quo.requests() == 0 {
        assert!(std::time::Instant::now() < deadline, "the send reaches Quo");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // A second server starts while the first waits for Quo's answer: its outbox worker takes
    // back the tries of servers that are gone, and the first is not.
    let _two = spawn(Setup {
        database: Database::At(one.database.clone()),
        ..with_quo()
    })
    .await;
    let deadline = std::time::Instant::now() + Duration::from_secs(6);
    loop {
        let thread = one.conversation(conversation.id).await;
        let sent = thread.activities.iter().any(|a| {
            a.delivery
                .as_ref()
                .is_some_and(|d| d.status == switchboard_domain::api::DeliveryStatus::Sent)
        });
        if sent {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the reply is sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(quo.requests(), 1, "Quo was asked once");
    assert_eq!(quo.lookups(), 0, "nobody took the try back");
    assert_eq!(quo.messages().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_that_start_at_once_on_an_empty_database_migrate_and_fill_it_once() {
    if switchboard_testkit::test_postgres().is_none() {
        eprintln!("no PostgreSQL cluster (SWITCHBOARD_TEST_POSTGRES): one server only");
        return;
    }
    // A few rounds, each two servers started on their own threads at once on a new database.
    for _ in 0..4 {
        let dir = tempfile::tempdir().unwrap();
        let database = switchboard_testkit::fresh_database(dir.path()).await;
        let start = |database: String| {
            tokio::spawn(spawn(Setup {
                demo_conversations: 60,
                database: Database::At(database),
                ..Setup::default()
            }))
        };
        let (one, two) = (start(database.clone()), start(database));
        let (one, two) = (one.await.unwrap(), two.await.unwrap());
        for server in [&one, &two] {
            let total = server.all_of_view("view=open").await.len()
                + server.all_of_view("view=done").await.len();
            assert_eq!(total, 60, "the demo once, not twice");
            assert_eq!(server.lines().await.lines.len(), 3);
        }
    }
}
