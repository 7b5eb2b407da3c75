//! The server's configuration: command-line flags, each with an environment equivalent, and the
//! `user add` command.

use crate::clock::Clock;
use crate::db::Location;
use clap::{Args, Parser, Subcommand};
use ipnet::IpNet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use switchboard_domain::team::Role;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "switchboard",
    version,
    about = "Switchboard: a team inbox for business phone lines",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: Config,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Manage the workspace's teammates.
    #[command(subcommand)]
    User(UserCommand),
    /// The phone lines and the Quo numbers they send from.
    #[command(subcommand)]
    Line(LineCommand),
    /// Bring the database's schema up to date, and exit (a server does it too when it starts).
    Migrate(Database),
    /// Copy a SQLite workspace into an empty PostgreSQL database: every conversation, thread,
    /// state, teammate (with their password), session, note and event, with their ids.
    Copy(CopyCommand),
}

#[derive(Debug, Clone, Args)]
pub struct CopyCommand {
    /// The SQLite database file to copy (it is only read).
    #[arg(long)]
    pub from: PathBuf,
    /// The PostgreSQL database to copy into: a `postgres://` URL. Its schema is created if
    /// missing; it must hold no workspace yet.
    #[arg(long)]
    pub to: String,
}

#[derive(Debug, Clone, Subcommand)]
pub enum LineCommand {
    /// List the lines: id, name, number, the Quo number replies are sent from.
    List(Database),
    /// Set the Quo number a line's replies are sent from: its `PN…` id in Quo, or its E.164
    /// number; `--quo none` goes back to the line's own number.
    SetQuo(LineQuo),
}

#[derive(Debug, Clone, Args)]
pub struct LineQuo {
    #[command(flatten)]
    pub database: Database,
    /// The line's id (`switchboard line list`).
    #[arg(long)]
    pub line: i64,
    /// `PN…`, `+15550100200`, or `none`.
    #[arg(long)]
    pub quo: String,
}

#[derive(Debug, Clone, Subcommand)]
pub enum UserCommand {
    /// Add a teammate (the password is asked for, without echo, unless --password is given).
    Add(NewUser),
    /// List the teammates: role, lines, whether active, open sessions.
    List(Database),
    /// Deactivate a teammate: every session of theirs ends at once, they cannot sign in, and
    /// what they wrote and did stays theirs.
    Deactivate(Teammate),
    /// Let a deactivated teammate sign in again.
    Reactivate(Teammate),
    /// Set a teammate's password (asked for without echo); every session of theirs ends.
    ResetPassword(Teammate),
    /// List a teammate's sessions.
    Sessions(Teammate),
    /// End every session of a teammate (they sign in again).
    EndSessions(Teammate),
}

#[derive(Debug, Clone, Args)]
pub struct Database {
    /// The workspace: a SQLite file, or a `postgres://` URL.
    #[arg(long, env = "SWITCHBOARD_DATABASE", default_value = "switchboard.db")]
    pub database: Location,
}

#[derive(Debug, Clone, Args)]
pub struct Teammate {
    #[command(flatten)]
    pub database: Database,
    /// The teammate's email.
    #[arg(long)]
    pub email: String,
}

#[derive(Debug, Clone, Args)]
pub struct NewUser {
    /// The workspace: a SQLite file, or a `postgres://` URL.
    #[arg(long, env = "SWITCHBOARD_DATABASE", default_value = "switchboard.db")]
    pub database: Location,
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub name: String,
    /// owner, admin or member; owners and admins see every line.
    #[arg(long, default_value = "member", value_parser = clap::builder::ValueParser::new(parse_role))]
    pub role: Role,
    /// A line (by id) the member may see; repeat for several.
    #[arg(long = "line")]
    pub lines: Vec<i64>,
    /// The password (at least 8 characters). Prefer standard input: a flag shows in `ps`.
    #[arg(long)]
    pub password: Option<String>,
}

/// `https://inbox.example.com` (a trailing slash allowed), kept as its origin.
pub fn parse_public_url(text: &str) -> Result<String, String> {
    let trimmed = text.trim().trim_end_matches('/');
    let invalid = || format!("{text:?} is not a URL like https://inbox.example.com");
    let (scheme, host) = trimmed.split_once("://").ok_or_else(invalid)?;
    let scheme = scheme.to_ascii_lowercase();
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c));
    if !(scheme == "https" || scheme == "http") || !host_ok {
        return Err(invalid());
    }
    Ok(format!("{scheme}://{}", host.to_ascii_lowercase()))
}

/// `10.0.0.0/8`, or one address (`127.0.0.1`, `::1`) as a block of its own.
fn parse_network(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(IpNet::from))
        .map_err(|_| format!("{text:?} is not an address or a CIDR block (e.g. 10.0.0.0/8)"))
}

fn parse_role(role: &str) -> Result<Role, String> {
    role.parse()
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port (the address is printed at start).
    #[arg(long, env = "SWITCHBOARD_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// The workspace: a SQLite file (created if missing), or a `postgres://` URL of a
    /// PostgreSQL 15 (or later) database that several servers may share.
    #[arg(long, env = "SWITCHBOARD_DATABASE", default_value = "switchboard.db")]
    pub database: Location,

    /// Fill an empty database with demo data and demo teammates (their sign-in details are
    /// printed); a database that holds data is left alone.
    #[arg(long, env = "SWITCHBOARD_DEMO")]
    pub demo: bool,

    /// How many conversations `--demo` creates.
    #[arg(long, env = "SWITCHBOARD_DEMO_CONVERSATIONS", default_value_t = 300,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub demo_conversations: u32,

    /// Post signed webhook events to this server at a human pace, so that the inbox comes alive
    /// (with a secret of its own when --quo-webhook-secret is not given).
    #[arg(long, env = "SWITCHBOARD_DEMO_TRAFFIC")]
    pub demo_traffic: bool,

    /// The average pause between two demo traffic events ("30s"; each pause is drawn between
    /// half and one and a half of it).
    #[arg(long, env = "SWITCHBOARD_DEMO_TRAFFIC_PACE", default_value = "30s",
          value_parser = humantime::parse_duration)]
    pub demo_traffic_pace: Duration,

    /// Quo's webhook signing secret (base64, or `whsec_…`): `/webhooks/quo` accepts events
    /// signed with it.
    #[arg(long, env = "SWITCHBOARD_QUO_WEBHOOK_SECRET", hide_env_values = true)]
    pub quo_webhook_secret: Option<String>,

    /// Quo's API key: replies are sent through Quo's API with it. Without one they stay in
    /// the thread, Not sent. Never logged, never sent to the browser.
    #[arg(long, env = "SWITCHBOARD_QUO_API_KEY", hide_env_values = true)]
    pub quo_api_key: Option<String>,

    /// Quo's API address (another one for tests).
    #[arg(long, env = "SWITCHBOARD_QUO_API_URL", default_value = crate::quo_api::DEFAULT_BASE_URL)]
    pub quo_api_url: String,

    /// A session unused this long ends ("30m", "12h").
    #[arg(long, env = "SWITCHBOARD_SESSION_IDLE_TIMEOUT", default_value = "12h",
          value_parser = humantime::parse_duration)]
    pub session_idle_timeout: Duration,

    /// A session ends this long after sign-in, however used.
    #[arg(long, env = "SWITCHBOARD_SESSION_LIFETIME", default_value = "7days",
          value_parser = humantime::parse_duration)]
    pub session_lifetime: Duration,

    /// The address people reach the app at, scheme and host (`https://inbox.example.com`):
    /// requests that change something must come from pages of this origin, and an `https`
    /// one makes the session cookie Secure (named with the `__Host-` prefix). Without it,
    /// the origin is the `Host` a request names, as suits development on loopback.
    #[arg(long, env = "SWITCHBOARD_PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<String>,

    /// Mark the session cookie Secure (set it when TLS ends in front of the server; it is also
    /// set for requests with `X-Forwarded-Proto: https`).
    #[arg(long, env = "SWITCHBOARD_SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// A reverse proxy (an address or a CIDR block, e.g. 10.0.0.0/8) whose `X-Forwarded-For` or
    /// `Forwarded` header names the client; repeat or separate with commas for several.
    /// Without one, the socket's peer is the client.
    #[arg(long = "trusted-proxy", env = "SWITCHBOARD_TRUSTED_PROXY", value_delimiter = ',',
          value_parser = parse_network)]
    pub trusted_proxies: Vec<IpNet>,

    /// How long live events are kept: an event stream resumes only within this window (a
    /// client away longer reloads).
    #[arg(long, env = "SWITCHBOARD_RETAIN_EVENTS", default_value = "7days",
          value_parser = humantime::parse_duration)]
    pub retain_events: Duration,

    /// How long webhook delivery ids are kept against duplicates (Quo retries for a day).
    #[arg(long, env = "SWITCHBOARD_RETAIN_WEBHOOK_DELIVERIES", default_value = "3days",
          value_parser = humantime::parse_duration)]
    pub retain_webhook_deliveries: Duration,

    /// How long notifications are kept once read.
    #[arg(long, env = "SWITCHBOARD_RETAIN_READ_NOTIFICATIONS", default_value = "90days",
          value_parser = humantime::parse_duration)]
    pub retain_read_notifications: Duration,

    /// Folder of the built web app (Trunk's `dist`), served on the same origin as the API.
    #[arg(long, env = "SWITCHBOARD_WEB_ROOT", default_value = "dist")]
    pub web_root: PathBuf,

    /// The server's clock: always the system's from the command line (no flag reaches it); code
    /// that runs the server in-process may hand it a manual one.
    #[arg(skip)]
    pub clock: Clock,
}

#[cfg(test)]
mod tests {
    use super::parse_public_url;

    #[test]
    fn a_public_url_is_kept_as_its_origin() {
        assert_eq!(
            parse_public_url("HTTPS://Inbox.Example.com/").unwrap(),
            "https://inbox.example.com"
        );
        assert_eq!(
            parse_public_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        for wrong in [
            "inbox.example.com",
            "ftp://x",
            "https://",
            "https://a.example/inbox",
        ] {
            assert!(parse_public_url(wrong).is_err(), "{wrong}");
        }
    }
}
