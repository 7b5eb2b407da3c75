//! The `switchboard` binary as a deployment runs it: a process of its own, stopped by SIGTERM,
//! its memory read from the kernel.

use crate::live::Stream;
use reqwest::{Client, StatusCode};
use serde_json::json;
use std::process::Stdio;
use std::time::Duration;
use switchboard_domain::team::LiveEvent;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

struct Server {
    child: Child,
    address: String,
    /// Its database, as `--database` takes it.
    database: String,
    _dir: tempfile::TempDir,
}

impl Server {
    async fn start(extra: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let database = switchboard_testkit::fresh_database(dir.path()).await;
        Server::start_in(dir, database, extra).await
    }

    /// A server on `database` (made with demo data if it is new), its files in `dir`.
    async fn start_in(dir: tempfile::TempDir, database: String, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard"))
            .args([
                "--addr",
                "127.0.0.1:0",
                "--demo",
                "--demo-conversations",
                "50",
            ])
            .arg("--database")
            .arg(&database)
            .arg("--web-root")
            .arg(dir.path().join("no-web-app"))
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("the switchboard binary starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let address = tokio::time::timeout(Duration::from_secs(60), async {
            while let Some(line) = lines.next_line().await.unwrap() {
                if let Some(address) = line.strip_prefix("Switchboard is listening on ") {
                    return address.trim().to_owned();
                }
            }
            panic!("the server ended before it listened");
        })
        .await
        .expect("the server listens within a minute");
        // Keep reading what it prints, so that it never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Server {
            child,
            address,
            database,
            _dir: dir,
        }
    }

    fn pid(&self) -> u32 {
        self.child.id().expect("running")
    }

    async fn signed_in(&self) -> Client {
        let client = Client::builder().cookie_store(true).build().unwrap();
        let response = client
            .post(format!("{}/api/v1/session", self.address))
            .json(&json!({"email": "sam@switchboard.example", "password": "sam-switchboard"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        client
    }

    /// The most memory the process has held, in bytes (`VmHWM`).
    fn peak_memory(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        let kib: u64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM in /proc");
        kib * 1024
    }
}

#[tokio::test]
async fn sigterm_tells_open_streams_to_reconnect_and_stops_within_seconds() {
    let mut server = Server::start(&[]).await;
    let client = server.signed_in().await;
    let mut streams = Vec::new();
    for _ in 0..3 {
        streams.push(Stream::open_at(&server.address, &client, None).await);
    }
    let status = std::process::Command::new("kill")
        .args(["-TERM", &server.pid().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    for stream in &mut streams {
        let (_, event) = stream.next(Duration::from_secs(5)).await.expect("an event");
        assert_eq!(event, LiveEvent::Reconnect {});
        assert!(stream.closes_within(Duration::from_secs(5)).await);
    }
    let exit = tokio::time::timeout(Duration::from_secs(10), server.child.wait())
        .await
        .expect("the server stops within seconds")
        .unwrap();
    assert!(exit.success(), "{exit:?}");
}

#[tokio::test]
async fn two_hundred_parallel_wrong_sign_ins_are_all_answered_in_bounded_memory() {
    // Every guess from an address of its own (through a trusted proxy), for an account of its
    // own: no throttle stops them, so every one reaches the password check.
    let server = Server::start(&["--trusted-proxy", "127.0.0.1"]).await;
    let at_start = server.peak_memory();
    let client = Client::new();
    let guesses =
        (0..200).map(|n| {
            let request = client
            .post(format!("{}/api/v1/session", server.address))
            .header("x-forwarded-for", format!("198.18.{}.{}", n / 250, n % 250 + 1))
            .json(&json!({"email": format!("guess{n}@example.com"), "password": "wrong-password"}));
            async move { request.send().await.map(|r| r.status()) }
        });
    let answers = futures_util::future::join_all(guesses).await;
    for answer in &answers {
        let status = answer.as_ref().expect("every request answered");
        assert!(
            *status == StatusCode::UNAUTHORIZED || *status == StatusCode::TOO_MANY_REQUESTS,
            "{status}"
        );
    }
    assert!(
        answers
            .iter()
            .filter(|a| *a.as_ref().unwrap() == StatusCode::UNAUTHORIZED)
            .count()
            >= 2,
        "some guesses were checked"
    );
    // argon2 takes 19 MiB per check: 200 at once would be close to 4 GiB. (200 connections
    // at once cost some 200 MiB of their own here, checks or not.)
    let peak = server.peak_memory();
    eprintln!(
        "peak memory: {} MiB at start, {} MiB after 200 parallel sign-ins",
        at_start / (1024 * 1024),
        peak / (1024 * 1024)
    );
    assert!(
        peak < 600 * 1024 * 1024,
        "peak memory {} MiB",
        peak / (1024 * 1024)
    );
}

/// `switchboard user …` on `database`, with `input` on standard input; its output.
async fn user_command(database: &str, args: &[&str], input: &str) -> (bool, String) {
    use tokio::io::AsyncWriteExt;
    let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .arg("user")
        .args(args)
        .arg("--database")
        .arg(database)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.as_bytes()).await.unwrap();
    drop(stdin);
    let output = child.wait_with_output().await.unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

#[tokio::test]
async fn the_command_line_manages_the_team_as_the_web_app_does() {
    let server = Server::start(&[]).await;
    let database = server.database.clone();
    let jordan = Client::builder().cookie_store(true).build().unwrap();
    let signed_in = jordan
        .post(format!("{}/api/v1/session", server.address))
        .json(&json!({"email": "jordan@switchboard.example", "password": "jordan-switchboard"}))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::OK);
    let mut stream = Stream::open_at(&server.address, &jordan, None).await;

    let (ok, listed) = user_command(
        &database,
        &["sessions", "--email", "jordan@switchboard.example"],
        "",
    )
    .await;
    assert!(ok && listed.lines().count() == 1, "{listed}");
    let (ok, out) = user_command(
        &database,
        &["deactivate", "--email", "jordan@switchboard.example"],
        "",
    )
    .await;
    assert!(ok, "{out}");
    // The running server's stream finds the session gone.
    let (_, event) = stream.next(Duration::from_secs(5)).await.expect("an event");
    assert_eq!(event, LiveEvent::SessionEnded {});
    let (_, listed) = user_command(&database, &["list"], "").await;
    assert!(
        listed
            .lines()
            .any(|l| l.contains("jordan@switchboard.example") && l.contains("deactivated")),
        "{listed}"
    );
    let (ok, out) = user_command(
        &database,
        &["deactivate", "--email", "sam@switchboard.example"],
        "",
    )
    .await;
    assert!(!ok && out.contains("last active owner"), "{out}");

    // A new password, read from standard input, then sign-in with it.
    let (ok, out) = user_command(
        &database,
        &["reactivate", "--email", "jordan@switchboard.example"],
        "",
    )
    .await;
    assert!(ok, "{out}");
    let (ok, out) = user_command(
        &database,
        &["reset-password", "--email", "jordan@switchboard.example"],
        "short\n",
    )
    .await;
    assert!(!ok && out.contains("at least 8"), "{out}");
    let (ok, out) = user_command(
        &database,
        &["reset-password", "--email", "jordan@switchboard.example"],
        "a brand new password\n",
    )
    .await;
    assert!(ok, "{out}");
    let again = Client::new()
        .post(format!("{}/api/v1/session", server.address))
        .json(&json!({"email": "jordan@switchboard.example", "password": "a brand new password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    let (ok, out) = user_command(
        &database,
        &["end-sessions", "--email", "jordan@switchboard.example"],
        "",
    )
    .await;
    assert!(ok && out.contains("Ended 1 session"), "{out}");
    let (ok, out) = user_command(
        &database,
        &["sessions", "--email", "nobody@example.com"],
        "",
    )
    .await;
    assert!(!ok && out.contains("no teammate"), "{out}");
}

/// Sends a reply through a server whose every send Quo answers as `answer`, kills the server
/// (-9) once Quo has the request, restarts it on the same database, and waits for the reply's
/// delivery to be Sent: the fake Quo, to count what it was asked.
async fn crash_while_a_send_is_on_its_way(
    answer: switchboard_testkit::fake_quo::Answer,
) -> switchboard_testkit::fake_quo::FakeQuo {
    use switchboard_testkit::fake_quo::{FakeQuo, KEY};
    let quo = FakeQuo::start().await;
    quo.plan([answer]);
    let quo_flags = ["--quo-api-key", KEY, "--quo-api-url", quo.url.as_str()];
    let mut server = Server::start(&quo_flags).await;
    let client = server.signed_in().await;
    let page: serde_json::Value = client
        .get(format!(
            "{}/api/v1/conversations?view=open&limit=1",
            server.address
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let conversation = page["conversations"][0]["id"].as_i64().unwrap();
    let sent: serde_json::Value = client
        .post(format!(
            "{}/api/v1/conversations/{conversation}/replies",
            server.address
        ))
        .json(&json!({"text": "On its way"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let reply = sent["activity"]["id"].as_i64().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while quo.requests() == 0 {
        assert!(std::time::Instant::now() < deadline, "the send reaches Quo");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // kill -9 while the try waits for Quo's answer.
    server.child.start_kill().unwrap();
    server.child.wait().await.unwrap();

    let server = Server::start_in(server._dir, server.database, &quo_flags).await;
    let client = server.signed_in().await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let status = loop {
        let detail: serde_json::Value = client
            .get(format!(
                "{}/api/v1/conversations/{conversation}",
                server.address
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let activity = detail["activities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"].as_i64() == Some(reply))
            .cloned()
            .expect("the reply is kept");
        let status = activity["delivery"]["status"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if status == "sent" || std::time::Instant::now() > deadline {
            break status;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(status, "sent");
    quo
}

#[tokio::test]
async fn a_reply_that_reached_quo_before_a_crash_is_found_there_and_not_sent_again() {
    use switchboard_testkit::fake_quo::Answer;
    // Quo takes the message at once, and would answer only after the server has died.
    let quo = crash_while_a_send_is_on_its_way(Answer::Slow(Duration::from_secs(30))).await;
    assert!(quo.lookups() >= 1, "looked for at Quo after the restart");
    assert_eq!(quo.requests(), 1, "and found there: not sent again");
    assert_eq!(quo.messages().len(), 1);
}

#[tokio::test]
async fn a_reply_that_had_not_reached_quo_at_a_crash_is_sent_after_the_restart() {
    use switchboard_testkit::fake_quo::Answer;
    // The server dies before Quo takes the message.
    let quo = crash_while_a_send_is_on_its_way(Answer::SlowToTake(Duration::from_secs(30))).await;
    assert!(quo.lookups() >= 1, "looked for at Quo after the restart");
    assert_eq!(quo.requests(), 2, "not found there, so sent again");
    assert_eq!(quo.messages().len(), 1, "and Quo has it once");
}

#[tokio::test]
async fn the_command_line_sets_the_quo_number_a_lines_replies_are_sent_from() {
    // A server made the database (with the demo's lines); it stops before the command runs.
    let mut server = Server::start(&[]).await;
    server.child.start_kill().unwrap();
    server.child.wait().await.unwrap();
    let database = server.database.clone();
    let line = |args: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_switchboard"));
        command
            .arg("line")
            .args(args)
            .arg("--database")
            .arg(&database);
        let output = command.output().unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned()
                + &String::from_utf8_lossy(&output.stderr),
        )
    };
    let (ok, listed) = line(&["list"]);
    assert!(ok && listed.lines().count() == 3, "{listed}");
    let (ok, out) = line(&["set-quo", "--line", "2", "--quo", "PNsupport01"]);
    assert!(ok, "{out}");
    let (_, listed) = line(&["list"]);
    assert!(
        listed
            .lines()
            .nth(1)
            .unwrap()
            .ends_with("sends from PNsupport01"),
        "{listed}"
    );
    let (ok, out) = line(&["set-quo", "--line", "2", "--quo", "support"]);
    assert!(!ok && out.contains("neither"), "{out}");
    let (ok, out) = line(&["set-quo", "--line", "9", "--quo", "none"]);
    assert!(!ok && out.contains("no line 9"), "{out}");
}
