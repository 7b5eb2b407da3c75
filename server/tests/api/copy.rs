//! `switchboard copy`: a SQLite workspace moves into PostgreSQL and nothing is lost. Runs when a
//! PostgreSQL cluster is at hand (`SWITCHBOARD_TEST_POSTGRES`, as `scripts/test` sets it).

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use switchboard_domain::api::{ConversationDetail, ConversationSummary};
use switchboard_server::db;

/// Everything a teammate can read of the workspace, and what only the database keeps.
#[derive(Debug, PartialEq)]
struct Snapshot {
    views: Vec<Vec<ConversationSummary>>,
    threads: Vec<ConversationDetail>,
    team: Value,
    lines: Value,
    notifications: Value,
    contacts: Value,
    tags: Value,
    properties: Value,
    events: Vec<db::events::StoredEvent>,
    history: Vec<db::changes::RecordedChange>,
}

async fn snapshot(app: &TestApp, jordan: &reqwest::Client) -> Snapshot {
    let mut views = Vec::new();
    for view in ["open", "unread", "done"] {
        views.push(app.all_of_view(&format!("view={view}")).await);
    }
    let mut threads = Vec::new();
    for conversation in views.iter().flatten().take(25) {
        threads.push(app.conversation(conversation.id).await);
    }
    let json = |path: &'static str, client: reqwest::Client| async move {
        let response = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        response.json::<Value>().await.unwrap()
    };
    let history_of = views[2].first().expect("a conversation done").id;
    // The last use of each session moves as this test reads; the owner's sessions count the
    // one each server's test client opened.
    let mut team = json("/api/v1/team/members", app.client.clone()).await;
    for member in team["members"].as_array_mut().expect("members") {
        member["last_seen_at"] = Value::Null;
        if member["email"] == OWNER.0 {
            member["active_sessions"] = Value::Null;
        }
    }
    Snapshot {
        team,
        lines: json("/api/v1/lines", app.client.clone()).await,
        notifications: json("/api/v1/notifications", jordan.clone()).await,
        contacts: json("/api/v1/contacts?limit=500", app.client.clone()).await,
        tags: json("/api/v1/tags", app.client.clone()).await,
        properties: json("/api/v1/contact-properties", app.client.clone()).await,
        events: db::events::since(&app.db, 0, 100_000).await.unwrap(),
        history: db::changes::history(&app.db, history_of).await.unwrap(),
        views,
        threads,
    }
}

#[tokio::test]
async fn copy_moves_a_sqlite_workspace_into_postgresql_losing_nothing() {
    if switchboard_testkit::test_postgres().is_none() {
        eprintln!("no PostgreSQL cluster (SWITCHBOARD_TEST_POSTGRES): nothing to copy into");
        return;
    }
    let source = spawn(Setup {
        demo_conversations: 80,
        database: Database::FreshSqlite,
        ..Setup::default()
    })
    .await;
    // Work the team did: a state change, a reply, a note that notifies, a teammate's language.
    let done = source.first_of("unread").await;
    let response = source
        .change(done.id, "done", done.latest_inbound_activity_id)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let open = source.first_on("open", Some(2)).await;
    let replies = format!("/api/v1/conversations/{}/replies", open.id);
    let response = source
        .post_json(&replies, &json!({"text": "On its way today."}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let jordan = source.member_named("Jordan Lee").await;
    let notes = format!("/api/v1/conversations/{}/notes", open.id);
    let note = json!({"text": "@Jordan Lee please follow up", "mentions": [jordan.id]});
    let response = source.post_json(&notes, &note).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let jordan_client = source.signed_in(SUPPORT_MEMBER).await;
    let response = jordan_client
        .put(source.url("/api/v1/me/language"))
        .json(&json!({"language": "fr"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let before = snapshot(&source, &jordan_client).await;

    let dir = tempfile::tempdir().unwrap();
    let target = switchboard_testkit::fresh_database(dir.path()).await;
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["copy", "--from", &source.database, "--to", &target])
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(printed.contains("\nactivities\t"), "{printed}");

    let copy = spawn(Setup {
        database: Database::At(target.clone()),
        ..Setup::default()
    })
    .await;
    assert!(matches!(copy.db, db::Db::Postgres(_)));
    // The owner signed in with the copied password hash; Jordan's session goes on as it was
    // (the cookie jar sends it to any port of 127.0.0.1).
    let after = snapshot(&copy, &jordan_client).await;
    assert_eq!(after, before);

    // New rows take ids after the copied ones, and the events go on from the last one.
    let last_event = before.events.last().expect("events").seq;
    let response = copy.post_json(&notes, &note).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let newest = db::events::since(&copy.db, last_event, 10).await.unwrap();
    assert!(!newest.is_empty());
    assert!(newest.iter().all(|event| event.seq > last_event));

    // A second copy into the same database is refused, and changes nothing.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["copy", "--from", &source.database, "--to", &target])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("already holds a workspace"), "{message}");
    assert_eq!(
        db::events::last_seq(&copy.db).await.unwrap(),
        newest.last().unwrap().seq
    );
}
