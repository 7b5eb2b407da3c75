//! What end-to-end tests and benchmarks share: the real `switchboard` binary started on a free
//! port with a temporary database, and headless Chromium driven through chromedriver.
//!
//! The server binary and the built web app come from `SWITCHBOARD_BIN` and
//! `SWITCHBOARD_WEB_ROOT`, or else from this workspace's `target/debug/switchboard` and `dist/`
//! (`scripts/test` builds both first). [`fake_quo`] stands in for Quo's send endpoint.

pub mod fake_quo;

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_owned()
}

fn server_binary() -> PathBuf {
    let path = std::env::var_os("SWITCHBOARD_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target/debug/switchboard"));
    assert!(
        path.is_file(),
        "no server binary at {} (run scripts/test, which builds it, or set SWITCHBOARD_BIN)",
        path.display()
    );
    path
}

/// The built web app that servers serve.
pub fn web_root() -> PathBuf {
    let path = std::env::var_os("SWITCHBOARD_WEB_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("dist"));
    assert!(
        path.join("index.html").is_file(),
        "no built web app in {} (run scripts/test, which builds it, or set SWITCHBOARD_WEB_ROOT)",
        path.display()
    );
    path
}

/// The demo's owner (every line), as `--demo` creates them.
pub const DEMO_OWNER: (&str, &str) = ("sam@switchboard.example", "sam-switchboard");

/// The Quo webhook signing secret test servers take deliveries with (base64).
pub const WEBHOOK_SECRET: &str = "ZTJlIHdlYmhvb2sgc2lnbmluZyBzZWNyZXQ=";

/// The real server, in its own process, with its own database file.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub url: String,
    /// Its database, as `--database` takes it: a SQLite file unless started on another one.
    pub database: String,
    demo_conversations: u32,
    web_root: PathBuf,
    /// Further flags, kept for a restart.
    flags: Vec<String>,
    _dir: TempDir,
}

impl Server {
    /// A server whose fresh database holds `demo_conversations` demo conversations.
    pub fn start(demo_conversations: u32) -> Server {
        Self::start_serving(demo_conversations, web_root())
    }

    /// The same, serving the web app from `web_root` (a copy to change, say).
    pub fn start_serving(demo_conversations: u32, web_root: PathBuf) -> Server {
        Server::start_with_flags(demo_conversations, web_root, Vec::new())
    }

    /// With further flags (`--quo-api-url …`).
    pub fn start_with_flags(
        demo_conversations: u32,
        web_root: PathBuf,
        flags: Vec<String>,
    ) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = dir.path().join("switchboard.db").display().to_string();
        Server::start_on(database, demo_conversations, web_root, flags, dir)
    }

    /// A second server on this one's database (PostgreSQL: several servers share one), with
    /// the same web app and flags, on an address of its own.
    pub fn beside(&self) -> Server {
        Server::start_on(
            self.database.clone(),
            self.demo_conversations,
            self.web_root.clone(),
            self.flags.clone(),
            tempfile::tempdir().expect("temp dir"),
        )
    }

    /// A server on a new PostgreSQL database of the test cluster ([`test_postgres`]).
    pub fn start_on_postgres(demo_conversations: u32) -> Server {
        assert!(test_postgres().is_some(), "no test cluster");
        let dir = tempfile::tempdir().expect("temp dir");
        let database = fresh_database_blocking(dir.path());
        Server::start_on(database, demo_conversations, web_root(), Vec::new(), dir)
    }

    fn start_on(
        database: String,
        demo_conversations: u32,
        web_root: PathBuf,
        flags: Vec<String>,
        dir: TempDir,
    ) -> Server {
        let (child, url) = spawn(
            "127.0.0.1:0",
            &database,
            demo_conversations,
            &web_root,
            &flags,
        );
        Server {
            child,
            url,
            database,
            demo_conversations,
            web_root,
            flags,
            _dir: dir,
        }
    }

    /// Stops the server at once (SIGKILL), as a crash or a lost connection would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts the server again, on the same address with the same database.
    pub fn restart(&mut self) {
        self.kill();
        let address = self.url.trim_start_matches("http://").to_owned();
        let (child, url) = spawn(
            &address,
            &self.database,
            self.demo_conversations,
            &self.web_root,
            &self.flags,
        );
        assert_eq!(url, self.url);
        self.child = child;
    }
}

fn spawn(
    address: &str,
    database: &str,
    demo_conversations: u32,
    web_root: &Path,
    flags: &[String],
) -> (Child, String) {
    let mut child = Command::new(server_binary())
        .args(["--addr", address, "--quo-webhook-secret", WEBHOOK_SECRET])
        .args(["--demo", "--demo-conversations"])
        .arg(demo_conversations.to_string())
        .arg("--database")
        .arg(database)
        .arg("--web-root")
        .arg(web_root)
        .args(flags)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the server");
    let stdout = child.stdout.take().expect("stdout");
    let line = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find(|line| line.contains("listening on"))
        .expect("the server prints its address");
    let url = line.rsplit(' ').next().expect("address").to_owned();
    (child, url)
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The interface language end-to-end tests run in: `SWITCHBOARD_E2E_LANGUAGE` (a catalogue
/// code, `en` by default). The browser asks for it as a reader of that language would.
pub fn interface_language() -> switchboard_catalogue::Lang {
    match std::env::var("SWITCHBOARD_E2E_LANGUAGE") {
        Ok(code) if !code.is_empty() => switchboard_catalogue::Lang::from_tag(&code)
            .unwrap_or_else(|| panic!("SWITCHBOARD_E2E_LANGUAGE={code}: not a catalogue language")),
        _ => switchboard_catalogue::Lang::En,
    }
}

/// How the browser should present itself.
#[derive(Debug, Clone, Copy)]
pub enum Device {
    Desktop {
        width: u32,
        height: u32,
    },
    /// A phone: its viewport, three device pixels per CSS pixel, touch, a mobile user agent.
    Phone {
        width: u32,
        height: u32,
    },
}

impl Device {
    /// An iPhone-sized phone, 390 × 844.
    pub const PHONE: Device = Device::Phone {
        width: 390,
        height: 844,
    };
}

/// A chromedriver process and a headless Chromium session through it, in a fresh profile.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: TempDir,
}

impl Browser {
    pub async fn start(device: Device) -> Browser {
        let port = free_port();
        let mut driver = Command::new(which("chromedriver"))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = tempfile::tempdir().expect("profile dir");
        let (width, height) = match device {
            Device::Desktop { width, height } => (width, height),
            // The window a little taller than the phone, for the browser's own bars.
            Device::Phone { width, height } => (width, height + 100),
        };
        let mut options = json!({
                "binary": which("chromium"),
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--disable-extensions",
                    format!("--user-data-dir={}", profile.path().display()),
                    format!("--window-size={width},{height}"),
                    format!("--lang={}", interface_language().code()),
                    format!("--accept-lang={}", interface_language().code()),
                ],
                // The reader's languages: `navigator.languages` and `Accept-Language`.
                "prefs": { "intl.accept_languages": interface_language().code() },
        });
        if let Device::Phone { width, height } = device {
            options["mobileEmulation"] = json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 3.0, "touch": true },
                "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 \
                              (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36",
            });
        }
        let mut capabilities = Capabilities::new();
        capabilities.insert("goog:chromeOptions".to_owned(), options);
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            let attempt =
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                    .capabilities(capabilities.clone())
                    .connect(&format!("http://127.0.0.1:{port}"))
                    .await;
            match attempt {
                Ok(client) => break client,
                Err(error) if Instant::now() > deadline => {
                    let _ = driver.kill();
                    panic!("no browser session: {error}");
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        Browser {
            client,
            driver,
            _profile: profile,
        }
    }

    /// Sends a Chrome DevTools Protocol command to the page (`Page.getInstallabilityErrors`,
    /// `Emulation.setCPUThrottlingRate`…) and returns its result.
    pub async fn cdp(&self, command: &str, params: serde_json::Value) -> serde_json::Value {
        self.client
            .issue_cmd(Cdp {
                command: command.to_owned(),
                params,
            })
            .await
            .unwrap_or_else(|e| panic!("{command}: {e}"))
    }

    /// Signs in through the app's sign-in page on `server` (its base URL).
    pub async fn sign_in(&self, server: &str, email: &str, password: &str) {
        let client = &self.client;
        client
            .goto(&format!("{server}/sign-in"))
            .await
            .expect("the sign-in page");
        for (selector, keys) in [
            ("input[type=email]", email),
            ("input[type=password]", password),
        ] {
            let field = client
                .wait()
                .for_element(fantoccini::Locator::Css(selector))
                .await
                .unwrap_or_else(|e| panic!("{selector}: {e}"));
            field.send_keys(keys).await.expect("typing");
        }
        client
            .find(fantoccini::Locator::Css("button[type=submit]"))
            .await
            .expect("the sign-in button")
            .click()
            .await
            .expect("click");
        let deadline = Instant::now() + Duration::from_secs(15);
        while client.current_url().await.expect("url").path() == "/sign-in" {
            assert!(Instant::now() < deadline, "{email} could not sign in");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Ends the session; call at the end of a test (dropping only kills the driver).
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

/// A program on PATH (Debian's chromium and chromedriver).
fn which(program: &str) -> String {
    let output = Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .expect("sh");
    let path = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    assert!(
        !path.is_empty(),
        "{program} is not installed (scripts/setup installs it)"
    );
    path
}

/// chromedriver's passage to the DevTools protocol.
#[derive(Debug)]
struct Cdp {
    command: String,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.command, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// The PostgreSQL cluster that tests put their databases on, if any: `SWITCHBOARD_TEST_POSTGRES`
/// holds its URL (`scripts/test` starts one with `scripts/postgres`). Without it, tests use
/// SQLite files.
pub fn test_postgres() -> Option<url::Url> {
    let url = std::env::var("SWITCHBOARD_TEST_POSTGRES").ok()?;
    if url.is_empty() {
        return None;
    }
    Some(url::Url::parse(&url).expect("SWITCHBOARD_TEST_POSTGRES is a postgres:// URL"))
}

/// Where a test's workspace goes, as `--database` takes it: a new, empty PostgreSQL database
/// when [`test_postgres`] names a cluster, else `switchboard.db` in `dir`.
pub async fn fresh_database(dir: &Path) -> String {
    let Some(cluster) = test_postgres() else {
        return dir.join("switchboard.db").display().to_string();
    };
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock after 1970")
        .subsec_nanos();
    let name = format!(
        "test_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    create_database(&cluster, &name).await
}

/// Creates database `name` on the cluster at `cluster` (a `postgres://` URL of any of its
/// databases); its URL.
pub async fn create_database(cluster: &url::Url, name: &str) -> String {
    let (client, connection) = tokio_postgres::connect(cluster.as_str(), tokio_postgres::NoTls)
        .await
        .expect("connect to the cluster");
    let driver = tokio::spawn(connection);
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create a database");
    drop(client);
    let _ = driver.await;
    let mut url = cluster.clone();
    url.set_path(&format!("/{name}"));
    url.to_string()
}

/// [`fresh_database`], for code that does not run on Tokio.
pub fn fresh_database_blocking(dir: &Path) -> String {
    let dir = dir.to_owned();
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
            .block_on(fresh_database(&dir))
    })
    .join()
    .expect("create a test database")
}
