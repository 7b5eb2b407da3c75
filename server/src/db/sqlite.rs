//! The SQLite engine: one file, many readers, one writer (see [`writer`]).
//!
//! SQLite is reached through rusqlite, and each query or transaction runs to its end on the task
//! that asked for it. Every one is short (pages are bounded, a thread is one conversation's), and
//! handing work to another thread cost more than the work: with a driver that sends each row
//! across threads (sqlx) a page of the list took p99 25 ms under 64 connections, with a blocking
//! task per query 19 ms, run in place 13 ms (`scripts/bench`).

use super::events::{EventLog, StoredEvent};
use super::writer;
use super::DbError;
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{Migrations, M};
use std::path::Path;
use std::sync::Arc;
use tokio::sync::{broadcast, Semaphore};

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("../../migrations/sqlite/0001_inbox.sql")),
        M::up(include_str!(
            "../../migrations/sqlite/0002_state_changes.sql"
        )),
        M::up(include_str!("../../migrations/sqlite/0003_team.sql")),
        M::up(include_str!(
            "../../migrations/sqlite/0004_line_unread_counts.sql"
        )),
        M::up(include_str!("../../migrations/sqlite/0005_hardening.sql")),
        M::up(include_str!("../../migrations/sqlite/0006_outbox.sql")),
        M::up(include_str!("../../migrations/sqlite/0007_language.sql")),
        M::up(include_str!("../../migrations/sqlite/0008_contacts.sql")),
        M::up(include_str!(
            "../../migrations/sqlite/0009_contact_search.sql"
        )),
    ])
}

/// Set on every connection. WAL: readers never wait for the writer. NORMAL: a commit is in the
/// WAL file before it is acknowledged, so it survives the server being killed (not a power cut).
const PRAGMAS: &str = "
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    PRAGMA foreign_keys = ON;
    PRAGMA busy_timeout = 5000;
    -- 32 MB of page cache per connection (the default is 2 MB): a busy inbox's indexes stay in it.
    PRAGMA cache_size = -32768;
";

/// Statements kept prepared per connection: every query of this module, with room to spare.
const STATEMENT_CACHE: usize = 64;

/// A pool of connections, with a semaphore so that a task waits (asynchronously) for a free
/// connection rather than blocking its thread on the pool.
#[derive(Clone, Debug)]
struct Pool {
    connections: r2d2::Pool<SqliteConnectionManager>,
    permits: Arc<Semaphore>,
}

impl Pool {
    fn new(path: &Path, flags: OpenFlags, size: u32) -> Result<Pool, DbError> {
        let manager = SqliteConnectionManager::file(path)
            .with_flags(flags | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI)
            .with_init(|connection| {
                connection.execute_batch(PRAGMAS)?;
                connection.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
                Ok(())
            });
        let connections = r2d2::Pool::builder()
            .max_size(size)
            .min_idle(Some(size))
            // A local file does not go stale; checking it on each checkout costs a query.
            .test_on_check_out(false)
            .build(manager)?;
        Ok(Pool {
            connections,
            permits: Arc::new(Semaphore::new(size as usize)),
        })
    }

    async fn run<T, F>(&self, work: F) -> Result<T, DbError>
    where
        F: FnOnce(&mut Connection) -> Result<T, DbError>,
    {
        let _permit = self
            .permits
            .acquire()
            .await
            .expect("the semaphore is never closed");
        let mut connection = self.connections.get()?;
        work(&mut connection)
    }
}

/// The database: many readers, one writer. SQLite takes one writer at a time anyway; queueing
/// writes for one thread that commits them in groups, instead of letting them fight over
/// SQLite's lock, keeps their latency low and even.
///
/// It also hands out the live events that writes record: each is in the `events` table (for
/// whoever reconnects) and, once committed, on a broadcast channel (for whoever listens now).
#[derive(Clone, Debug)]
pub struct Sqlite {
    read: Pool,
    writer: writer::Writer,
    live: broadcast::Sender<Arc<StoredEvent>>,
}

/// Events a slow listener may fall behind by before it must catch up from the table.
const LIVE_BACKLOG: usize = 8192;

impl Sqlite {
    /// Opens (or creates) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Sqlite, DbError> {
        let path = path.to_owned();
        tokio::task::spawn_blocking(move || {
            let mut write = Connection::open_with_flags(
                &path,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | OpenFlags::SQLITE_OPEN_URI,
            )?;
            write.execute_batch(PRAGMAS)?;
            write.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
            migrations().to_latest(&mut write)?;
            let readers = std::thread::available_parallelism().map_or(4, |n| n.get() * 2);
            let read = Pool::new(
                &path,
                OpenFlags::SQLITE_OPEN_READ_ONLY,
                readers.max(4) as u32,
            )?;
            let (live, _) = broadcast::channel(LIVE_BACKLOG);
            let writer = writer::Writer::start(write, live.clone())?;
            Ok(Sqlite { read, writer, live })
        })
        .await?
    }

    /// Runs `work` on a reader connection.
    pub(super) async fn read<T, F>(&self, work: F) -> Result<T, DbError>
    where
        F: FnOnce(&Connection) -> Result<T, DbError>,
    {
        self.read.run(move |connection| work(connection)).await
    }

    /// Runs `work` in a write transaction (shared with the writes queued beside it, see
    /// [`writer`]); nothing of it stays if it returns `Err`. The events it recorded go out to
    /// live listeners once it is committed.
    pub(super) async fn write<T, F>(&self, work: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection, &mut EventLog) -> Result<T, DbError> + Send + 'static,
    {
        self.writer.write(work).await
    }

    /// Live events from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<StoredEvent>> {
        self.live.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::migrations;

    #[test]
    fn the_migrations_are_valid() {
        migrations().validate().expect("valid migrations");
    }
}
