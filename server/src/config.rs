//! The server's configuration: command-line flags, each with an environment equivalent.

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "switchboard",
    version,
    about = "Switchboard: a team inbox for business phone lines"
)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port (the address is printed at start).
    #[arg(long, env = "SWITCHBOARD_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// SQLite database file, created if missing.
    #[arg(long, env = "SWITCHBOARD_DATABASE", default_value = "switchboard.db")]
    pub database: PathBuf,

    /// Fill an empty database with demo data; a database that holds data is left alone.
    #[arg(long, env = "SWITCHBOARD_DEMO")]
    pub demo: bool,

    /// How many conversations `--demo` creates.
    #[arg(long, env = "SWITCHBOARD_DEMO_CONVERSATIONS", default_value_t = 300,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub demo_conversations: u32,

    /// Folder of the built web app (Trunk's `dist`), served on the same origin as the API.
    #[arg(long, env = "SWITCHBOARD_WEB_ROOT", default_value = "dist")]
    pub web_root: PathBuf,
}
