//! All SQL lives under this module: the migrations, the two engines, and one file of queries per
//! resource. Each resource's functions are the data-access interface the handlers call; each
//! runs its SQLite implementation in place and hands PostgreSQL's to [`postgres`], so a handler
//! never knows which engine holds the workspace.
//!
//! SQLite ([`sqlite`]) is the embedded default: one file, nothing to install. PostgreSQL serves
//! a team that runs several servers on one database.

pub mod bulk;
pub mod changes;
pub mod contacts;
pub mod conversations;
pub mod copy;
pub mod events;
pub mod lines;
pub mod members;
pub mod notifications;
pub mod outbox;
pub mod portable;
pub mod postgres;
pub mod retention;
pub mod seed;
pub mod sessions;
pub mod sqlite;
pub mod team;
mod writer;

use events::StoredEvent;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::broadcast;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Pool(#[from] r2d2::Error),
    #[error(transparent)]
    Migration(#[from] rusqlite_migration::Error),
    #[error(transparent)]
    Postgres(#[from] tokio_postgres::Error),
    #[error("no PostgreSQL connection: {0}")]
    PostgresPool(String),
    #[error("database task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// Too many writes are waiting: try again in a moment.
    #[error("too many writes are waiting")]
    Busy,
    /// A stored value that the domain cannot read: a bug or a hand-edited database.
    #[error("unreadable stored value: {0}")]
    Corrupt(String),
}

/// Where the workspace is: a SQLite file, or a PostgreSQL database.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    /// A `postgres://` or `postgresql://` URL.
    Postgres(String),
}

impl Location {
    /// A `postgres://` (or `postgresql://`) URL names PostgreSQL; anything else is a file path.
    pub fn parse(text: &str) -> Location {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Location::Postgres(text.to_owned())
        } else {
            Location::Sqlite(PathBuf::from(text))
        }
    }
}

impl std::str::FromStr for Location {
    type Err = std::convert::Infallible;
    fn from_str(text: &str) -> Result<Location, Self::Err> {
        Ok(Location::parse(text))
    }
}

impl From<&Location> for Location {
    fn from(location: &Location) -> Location {
        location.clone()
    }
}

/// Shown in messages and logs: a URL without its password.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => write!(f, "{}", postgres::without_password(url)),
        }
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

/// The database, on either engine.
///
/// It also hands out the live events that writes record: each is in the `events` table (for
/// whoever reconnects) and, once committed, on a broadcast channel (for whoever listens now).
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(sqlite::Sqlite),
    Postgres(postgres::Postgres),
}

impl Db {
    /// Opens (or creates) the database and brings its schema up to date.
    pub async fn open(location: impl Into<Location>) -> Result<Db, DbError> {
        Ok(match location.into() {
            Location::Sqlite(path) => Db::Sqlite(sqlite::Sqlite::open(&path).await?),
            Location::Postgres(url) => Db::Postgres(postgres::Postgres::open(&url).await?),
        })
    }

    /// Live events from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<StoredEvent>> {
        match self {
            Db::Sqlite(db) => db.subscribe(),
            Db::Postgres(db) => db.subscribe(),
        }
    }
}

/// Now by the system's wall clock, in milliseconds since the Unix epoch, as stored. Requests
/// take their time from the server's [`Clock`](crate::clock::Clock) (`AppState::clock`) instead,
/// so that tests can move it; this is for what runs outside a server (commands, tools).
pub fn now_ms() -> i64 {
    crate::clock::wall_clock_ms()
}
