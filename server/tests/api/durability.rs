//! The real binary: its flags and environment, demo data, and that an acknowledged change
//! survives `kill -9`.

use crate::helpers::ok_json;
use reqwest::Client;
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use switchboard_domain::api::{ConversationPage, ConversationSummary, LineList};
use switchboard_domain::Status;

struct Server {
    child: Child,
    address: String,
}

/// Starts `switchboard` and waits for the line that gives its address.
fn start(database: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
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
    let line = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find(|line| line.contains("listening on"))
        .expect("the server prints its address");
    let address = line.rsplit(' ').next().unwrap().to_owned();
    Server { child, address }
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
    let database = dir.path().join("switchboard.db");
    let client = Client::new();

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
    let database = dir.path().join("from-env.db");
    let server = start(
        &database,
        &[],
        &[
            ("SWITCHBOARD_ADDR", "127.0.0.1:0"),
            ("SWITCHBOARD_DEMO", "true"),
            ("SWITCHBOARD_DEMO_CONVERSATIONS", "12"),
        ],
    );
    let client = Client::new();
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
