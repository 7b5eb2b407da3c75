//! The real binary: its flags and environment, demo data, and that an acknowledged change
//! survives `kill -9`.

use crate::helpers::ok_json;
use reqwest::Client;
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use switchboard_domain::api::{ConversationPage, ConversationSummary, LineList};
use switchboard_domain::Status;

struct Server {
    child: Child,
    address: String,
    /// What it printed before its address: the demo teammates' sign-in details.
    printed: Vec<String>,
}

/// Starts `switchboard` and waits for the line that gives its address.
fn start(database: &str, args: &[&str], env: &[(&str, &str)]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .arg("--database")
        .arg(database)
        .args(args)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start switchboard");
    let stdout = child.stdout.take().unwrap();
    let mut printed = Vec::new();
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        if line.contains("listening on") {
            let address = line.rsplit(' ').next().unwrap().to_owned();
            return Server {
                child,
                address,
                printed,
            };
        }
        printed.push(line);
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not print its address: {printed:?}");
}

/// The (email, password) pairs of the printed demo teammates.
fn teammates(server: &Server) -> Vec<(String, String)> {
    server
        .printed
        .iter()
        .filter(|line| line.starts_with("Demo teammate:"))
        .map(|line| {
            let email = line.split('<').nth(1).unwrap().split('>').next().unwrap();
            let password = line
                .split(" password ")
                .nth(1)
                .unwrap()
                .split(' ')
                .next()
                .unwrap();
            (email.to_owned(), password.to_owned())
        })
        .collect()
}

/// A client signed in as the first printed demo teammate.
async fn signed_in(server: &Server) -> Client {
    let (email, password) = teammates(server)
        .into_iter()
        .next()
        .expect("a demo teammate");
    sign_in(server, &email, &password).await
}

async fn sign_in(server: &Server, email: &str, password: &str) -> Client {
    let client = Client::builder().cookie_store(true).build().unwrap();
    let response = client
        .post(format!("{}/api/v1/session", server.address))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        reqwest::StatusCode::OK,
        "sign in as {email}"
    );
    client
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn count(client: &Client, address: &str, view: &str) -> usize {
    let mut total = 0;
    let mut cursor = String::new();
    loop {
        let url = format!("{address}/api/v1/conversations?view={view}&limit=200{cursor}");
        let page: ConversationPage = ok_json(client.get(url).send().await.unwrap()).await;
        total += page.conversations.len();
        match page.next_cursor {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return total,
        }
    }
}

#[tokio::test]
async fn an_acknowledged_change_survives_kill_9_and_demo_leaves_a_filled_database_alone() {
    let dir = tempfile::tempdir().unwrap();
    let database = switchboard_testkit::fresh_database(dir.path()).await;

    let mut server = start(
        &database,
        &[
            "--addr",
            "127.0.0.1:0",
            "--demo",
            "--demo-conversations",
            "40",
        ],
        &[],
    );
    let client = signed_in(&server).await;
    let total = count(&client, &server.address, "open").await
        + count(&client, &server.address, "done").await;
    assert_eq!(total, 40);
    let url = format!("{}/api/v1/conversations?view=open&limit=1", server.address);
    let page: ConversationPage = ok_json(client.get(url).send().await.unwrap()).await;
    let target = &page.conversations[0];
    let url = format!(
        "{}/api/v1/conversations/{}/state",
        server.address, target.id
    );
    let body = json!({"change": "done", "seen_activity_id": target.latest_activity.id});
    let done: ConversationSummary =
        ok_json(client.post(url).json(&body).send().await.unwrap()).await;
    assert_eq!(done.status, Status::Done);

    server.child.kill().unwrap(); // SIGKILL: no shutdown, no checkpoint.
    server.child.wait().unwrap();

    let server = start(
        &database,
        &["--demo", "--demo-conversations", "500"],
        &[("SWITCHBOARD_ADDR", "127.0.0.1:0")],
    );
    // The session lived in the database too: the old cookie still works on the new process.
    let url = format!("{}/api/v1/conversations/{}", server.address, target.id);
    let detail: serde_json::Value = ok_json(client.get(url).send().await.unwrap()).await;
    assert_eq!(
        detail["conversation"]["status"], "done",
        "the change survived"
    );
    let total = count(&client, &server.address, "open").await
        + count(&client, &server.address, "done").await;
    assert_eq!(total, 40, "--demo left the filled database alone");
}

#[tokio::test]
async fn the_environment_configures_the_server_like_the_flags() {
    let dir = tempfile::tempdir().unwrap();
    let database = switchboard_testkit::fresh_database(dir.path()).await;
    let server = start(
        &database,
        &[],
        &[
            ("SWITCHBOARD_ADDR", "127.0.0.1:0"),
            ("SWITCHBOARD_DEMO", "true"),
            ("SWITCHBOARD_DEMO_CONVERSATIONS", "12"),
        ],
    );
    let client = signed_in(&server).await;
    let total = count(&client, &server.address, "open").await
        + count(&client, &server.address, "done").await;
    assert_eq!(total, 12);
    let lines: LineList = ok_json(
        client
            .get(format!("{}/api/v1/lines", server.address))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(lines.lines.len(), 3);
}

#[test]
fn bad_flags_are_refused_with_a_message() {
    let output = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["--addr", "not-an-address"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--addr"), "{stderr}");
    let output = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["--demo-conversations", "0"])
        .output()
        .unwrap();
    assert!(!output.status.success());
}

#[tokio::test]
async fn migrate_makes_the_schema_and_exits_and_a_second_run_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let database = switchboard_testkit::fresh_database(dir.path()).await;
    let switchboard = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_switchboard"))
            .args(args)
            .args(["--database", &database])
            .output()
            .unwrap();
        let printed = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        (output.status.success(), printed)
    };
    for _ in 0..2 {
        let (ok, printed) = switchboard(&["migrate"]);
        assert!(ok && printed.contains("is up to date"), "{printed}");
    }
    // The schema is there, and empty: no line yet.
    let (ok, printed) = switchboard(&["line", "list"]);
    assert!(ok && printed.trim().is_empty(), "{printed}");
}

#[test]
fn copy_refuses_what_it_cannot_copy_with_a_message() {
    let copy = |from: &str, to: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_switchboard"))
            .args(["copy", "--from", from, "--to", to])
            .output()
            .unwrap();
        assert!(!output.status.success());
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let message = copy(
        "/nonexistent/switchboard.db",
        "postgres://nobody@127.0.0.1:1/x",
    );
    assert!(message.contains("no SQLite database at"), "{message}");
    let message = copy("/nonexistent/switchboard.db", "other.db");
    assert!(
        message.contains("--to takes a postgres:// URL"),
        "{message}"
    );
}

#[tokio::test]
async fn demo_prints_each_teammates_email_and_password_and_they_can_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(
        &switchboard_testkit::fresh_database(dir.path()).await,
        &["--addr", "127.0.0.1:0", "--demo"],
        &[],
    );
    let team = teammates(&server);
    assert_eq!(team.len(), 4, "{:?}", server.printed);
    for (email, password) in &team {
        let client = sign_in(&server, email, password).await;
        let me: serde_json::Value = ok_json(
            client
                .get(format!("{}/api/v1/me", server.address))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(me["email"], email.as_str());
    }
}

#[tokio::test]
async fn user_add_creates_a_teammate_who_can_sign_in_and_sees_only_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let database = switchboard_testkit::fresh_database(dir.path()).await;
    drop(start(
        &database,
        &[
            "--addr",
            "127.0.0.1:0",
            "--demo",
            "--demo-conversations",
            "30",
        ],
        &[],
    ));

    let mut add = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args([
            "user",
            "add",
            "--email",
            "casey@example.com",
            "--name",
            "Casey Moore",
            "--line",
            "3",
        ])
        .arg("--database")
        .arg(&database)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    add.stdin
        .take()
        .unwrap()
        .write_all(b"a long enough password\n")
        .unwrap();
    let output = add.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("Added Casey Moore"));

    let again = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args([
            "user",
            "add",
            "--email",
            "casey@example.com",
            "--name",
            "Casey",
            "--password",
            "whatever123",
        ])
        .arg("--database")
        .arg(&database)
        .output()
        .unwrap();
    assert!(!again.status.success(), "an email is taken once");
    let short = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args([
            "user",
            "add",
            "--email",
            "x@example.com",
            "--name",
            "X",
            "--password",
            "short",
        ])
        .arg("--database")
        .arg(&database)
        .output()
        .unwrap();
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("8 characters"));

    let server = start(&database, &["--addr", "127.0.0.1:0"], &[]);
    let client = sign_in(&server, "casey@example.com", "a long enough password").await;
    let lines: LineList = ok_json(
        client
            .get(format!("{}/api/v1/lines", server.address))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let names: Vec<&str> = lines.lines.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["Sales"]);
}

#[tokio::test]
async fn demo_traffic_brings_new_unread_messages_signed_like_quos() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(
        &switchboard_testkit::fresh_database(dir.path()).await,
        &[
            "--addr",
            "127.0.0.1:0",
            "--demo",
            "--demo-conversations",
            "30",
            "--demo-traffic",
            "--demo-traffic-pace",
            "200ms",
        ],
        &[],
    );
    let client = signed_in(&server).await;
    let activities = |client: Client| {
        let url = format!(
            "{}/api/v1/conversations?view=unread&limit=200",
            server.address
        );
        async move {
            let page: ConversationPage = ok_json(client.get(url).send().await.unwrap()).await;
            page.conversations
                .iter()
                .map(|c| c.latest_activity.id.0)
                .max()
                .unwrap_or(0)
        }
    };
    let before = activities(client.clone()).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while activities(client.clone()).await <= before {
        assert!(
            std::time::Instant::now() < deadline,
            "no demo traffic arrived"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
