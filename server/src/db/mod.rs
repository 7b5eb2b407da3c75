//! All SQL lives under this module: the pools, the migrations, and one file of queries per
//! resource. The SQL is kept portable (numbered placeholders, `RETURNING`, no SQLite functions) so
//! that PostgreSQL can join SQLite behind the same functions.

pub mod conversations;
pub mod lines;
pub mod seed;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::path::Path;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored value that the domain cannot read: a bug or a hand-edited database.
    #[error("unreadable stored value: {0}")]
    Corrupt(String),
}

/// The database: many readers, one writer. SQLite takes one writer at a time anyway; queueing
/// writers in the pool instead of in SQLite's busy loop keeps their latency even.
#[derive(Clone, Debug)]
pub struct Db {
    read: SqlitePool,
    write: SqlitePool,
}

impl Db {
    /// Opens (or creates) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Db, DbError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            // WAL: readers never wait for the writer. NORMAL: a commit is in the WAL file before
            // the response, so it survives the server being killed (not a power cut mid-write).
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!().run(&write).await?;
        let readers = std::thread::available_parallelism().map_or(4, |n| n.get() * 2) as u32;
        let read = SqlitePoolOptions::new()
            .max_connections(readers.max(4))
            .connect_with(options.read_only(true))
            .await?;
        Ok(Db { read, write })
    }
}

/// Now, in milliseconds since the Unix epoch, as stored.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
