//! The PostgreSQL engine, for a team that runs several servers on one database: tokio-postgres
//! with a deadpool pool, its own migrations, and live events that reach every server.
//!
//! Writes that change what teammates see run one at a time across all servers: each holds one
//! advisory lock ([`WRITE_LOCK`]) until it commits. That gives the safety rule its guarantee
//! across servers (a "done" and an inbound message for one conversation cannot interleave), and
//! makes the events' `seq` order their commit order, so that a server that has read events up
//! to N has missed none before it. SQLite's single writer gives both the same way.
//!
//! Live events: a write that records one sends a `NOTIFY` on commit; every server listens and
//! reads the new events from the `events` table, which stays the source of truth: a server
//! whose listening connection drops, or that misses a notification, catches up from the table.

pub(crate) mod bulk;
pub mod changes;
pub mod conversations;
pub mod events;
pub mod lines;
pub mod members;
pub mod notifications;
pub mod outbox;
pub mod retention;
pub mod seed;
pub mod sessions;
pub mod team;

use super::events::{EventLog, StoredEvent};
use super::DbError;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use futures_util::future::poll_fn;
use std::future::Future;
use std::str::FromStr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};
use tokio_postgres::types::ToSql;
use tokio_postgres::{AsyncMessage, NoTls, Row};

/// The advisory lock every write transaction takes first (any constant: it names the lock).
pub(crate) const WRITE_LOCK: i64 = 0x5377_6974_6368;
/// Held by the server that applies migrations, so that two starting at once do not both.
const MIGRATION_LOCK: i64 = 0x5377_6974_6369;
/// The channel that says "new events are in the table".
const CHANNEL: &str = "switchboard_events";
/// How often a server looks for events even without a notification: the net under a missed one.
const POLL: Duration = Duration::from_secs(2);
/// Events a slow listener may fall behind by before it must catch up from the table.
const LIVE_BACKLOG: usize = 8192;

/// The migrations, in order; each runs once, in a transaction of its own.
const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        include_str!("../../../migrations/postgres/0001_schema.sql"),
    ),
    (
        2,
        include_str!("../../../migrations/postgres/0002_outbox_claims.sql"),
    ),
    (
        3,
        include_str!("../../../migrations/postgres/0003_contacts.sql"),
    ),
    (
        4,
        include_str!("../../../migrations/postgres/0004_contact_search.sql"),
    ),
];

#[derive(Clone, Debug)]
pub struct Postgres {
    pool: Pool,
    live: broadcast::Sender<Arc<StoredEvent>>,
    /// The backend pid of this server's live-events connection (0 until it connects): what
    /// names this server to the others while it runs (see `outbox.claimed_by`).
    listener: Arc<AtomicI64>,
}

/// A connection from the pool, or the transaction on one: what the queries run on.
pub type Client = deadpool_postgres::Client;
pub type Transaction<'a> = deadpool_postgres::Transaction<'a>;

impl Postgres {
    /// Connects, brings the schema up to date, and starts listening for events.
    pub async fn open(url: &str) -> Result<Postgres, DbError> {
        let config = tokio_postgres::Config::from_str(url)?;
        let size = std::thread::available_parallelism().map_or(4, |n| n.get() * 4);
        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(size.max(8))
            .build()
            .map_err(|e| DbError::PostgresPool(e.to_string()))?;
        migrate(&pool).await?;
        let start: i64 = {
            let client = client(&pool).await?;
            client
                .query_one("SELECT COALESCE(MAX(seq), 0) FROM events", &[])
                .await?
                .try_get(0)?
        };
        let (live, _) = broadcast::channel(LIVE_BACKLOG);
        let listener = Arc::new(AtomicI64::new(0));
        tokio::spawn(listen(
            config,
            pool.clone(),
            live.clone(),
            start,
            listener.clone(),
        ));
        Ok(Postgres {
            pool,
            live,
            listener,
        })
    }

    /// A connection for reading.
    pub(crate) async fn client(&self) -> Result<Client, DbError> {
        client(&self.pool).await
    }

    /// Runs `work` in a write transaction that holds [`WRITE_LOCK`]; nothing of it stays if it
    /// returns `Err`. The events it recorded reach every server's listeners once it commits.
    pub(crate) async fn write<T>(
        &self,
        work: impl AsyncFnOnce(&Transaction<'_>, &mut EventLog) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
            .await?;
        let mut log = EventLog::default();
        // On `Err` the transaction is dropped, which rolls it back.
        let outcome = work(&tx, &mut log).await?;
        if !log.is_empty() {
            tx.execute("SELECT pg_notify($1, '')", &[&CHANNEL]).await?;
        }
        tx.commit().await?;
        Ok(outcome)
    }

    /// This server, as the others see it while it runs: its live-events connection's backend
    /// pid (0 before that connection is made).
    pub(crate) fn server_id(&self) -> i64 {
        self.listener.load(Ordering::Relaxed)
    }

    /// Live events from now on, from every server.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<StoredEvent>> {
        self.live.subscribe()
    }
}

async fn client(pool: &Pool) -> Result<Client, DbError> {
    pool.get().await.map_err(|error| match error {
        deadpool_postgres::PoolError::Backend(error) => DbError::Postgres(error),
        other => DbError::PostgresPool(other.to_string()),
    })
}

/// Applies the migrations not yet applied, under [`MIGRATION_LOCK`].
async fn migrate(pool: &Pool) -> Result<(), DbError> {
    let mut client = client(pool).await?;
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    let outcome = async {
        client
            .batch_execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (
                     version BIGINT PRIMARY KEY,
                     applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                 )",
            )
            .await?;
        for (version, sql) in MIGRATIONS {
            let applied = client
                .query_opt(
                    "SELECT version FROM schema_migrations WHERE version = $1",
                    &[version],
                )
                .await?
                .is_some();
            if applied {
                continue;
            }
            let tx = client.transaction().await?;
            tx.batch_execute(sql).await?;
            tx.execute(
                "INSERT INTO schema_migrations (version) VALUES ($1)",
                &[version],
            )
            .await?;
            tx.commit().await?;
            tracing::info!(version, "applied a PostgreSQL migration");
        }
        Ok::<(), DbError>(())
    }
    .await;
    client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
        .await?;
    outcome
}

/// Reads new events from the table whenever a notification says so (and every [`POLL`]), and
/// hands them to this server's listeners, in order, each once.
async fn listen(
    config: tokio_postgres::Config,
    pool: Pool,
    live: broadcast::Sender<Arc<StoredEvent>>,
    mut seen: i64,
    server_id: Arc<AtomicI64>,
) {
    loop {
        let (listener, mut connection) = match config.connect(NoTls).await {
            Ok(connected) => connected,
            Err(error) => {
                tracing::warn!(%error, "cannot listen for live events; trying again");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        let (notified, mut notifications) = mpsc::unbounded_channel::<()>();
        let driver = tokio::spawn(async move {
            while let Some(message) = poll_fn(|cx| connection.poll_message(cx)).await {
                match message {
                    Ok(AsyncMessage::Notification(_)) => {
                        if notified.send(()).is_err() {
                            break;
                        }
                    }
                    Ok(_) => {}
                    Err(error) => {
                        tracing::warn!(%error, "the live events connection failed");
                        break;
                    }
                }
            }
        });
        let listening = async {
            let pid: i32 = listener
                .query_one("SELECT pg_backend_pid()", &[])
                .await?
                .try_get(0)?;
            server_id.store(i64::from(pid), Ordering::Relaxed);
            listener.batch_execute(&format!("LISTEN {CHANNEL}")).await
        };
        if listening.await.is_ok() {
            loop {
                // Whatever was committed before LISTEN took effect is read here too.
                if let Err(error) = catch_up(&pool, &live, &mut seen).await {
                    tracing::warn!(%error, "cannot read the live events");
                }
                let woken = tokio::time::timeout(POLL, notifications.recv()).await;
                if let Ok(None) = woken {
                    break; // The connection ended: connect again.
                }
                while notifications.try_recv().is_ok() {}
            }
        }
        driver.abort();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn catch_up(
    pool: &Pool,
    live: &broadcast::Sender<Arc<StoredEvent>>,
    seen: &mut i64,
) -> Result<(), DbError> {
    let client = client(pool).await?;
    loop {
        let events = events::after(&client, *seen, 1000).await?;
        let Some(last) = events.last() else {
            return Ok(());
        };
        *seen = last.seq;
        let full = events.len() == 1000;
        for event in events {
            // No listener is no error.
            let _ = live.send(Arc::new(event));
        }
        if !full {
            return Ok(());
        }
    }
}

/// Shorthands for a prepared (and cached) statement: what every query of this engine uses.
pub(crate) trait Sql: Sync {
    fn one(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> impl Future<Output = Result<Row, DbError>> + Send;
    fn opt(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> impl Future<Output = Result<Option<Row>, DbError>> + Send;
    fn all(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> impl Future<Output = Result<Vec<Row>, DbError>> + Send;
    /// Runs a statement; the number of rows it changed.
    fn run(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> impl Future<Output = Result<u64, DbError>> + Send;
}

macro_rules! sql_on {
    ($type:ty) => {
        impl Sql for $type {
            async fn one(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Row, DbError> {
                let statement = self.prepare_cached(sql).await?;
                Ok(self.query_one(&statement, params).await?)
            }
            async fn opt(
                &self,
                sql: &str,
                params: &[&(dyn ToSql + Sync)],
            ) -> Result<Option<Row>, DbError> {
                let statement = self.prepare_cached(sql).await?;
                Ok(self.query_opt(&statement, params).await?)
            }
            async fn all(
                &self,
                sql: &str,
                params: &[&(dyn ToSql + Sync)],
            ) -> Result<Vec<Row>, DbError> {
                let statement = self.prepare_cached(sql).await?;
                Ok(self.query(&statement, params).await?)
            }
            async fn run(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64, DbError> {
                let statement = self.prepare_cached(sql).await?;
                Ok(self.execute(&statement, params).await?)
            }
        }
    };
}

sql_on!(Client);
sql_on!(Transaction<'_>);

/// The URL as it may be shown: its password replaced.
pub fn without_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Handlers run on a multi-threaded runtime: a write's future must be `Send`. This fails to
/// compile, rather than a handler far away, if a write's closure stops being so.
#[allow(dead_code)]
fn writes_are_send(db: &Postgres) {
    fn send<T: Send>(_: T) {}
    send(lines::set_quo_number(
        db,
        switchboard_domain::LineId(1),
        None,
    ));
}

/// What tests do to the engine that nothing else may.
pub mod testing {
    use super::super::Db;
    use super::{client, DbError};

    /// Ends every server's connection that listens for live events on this database, as a
    /// network failure would: notifications sent before they reconnect are lost. The number
    /// ended.
    pub async fn end_listeners(db: &Db) -> Result<u64, DbError> {
        let Db::Postgres(db) = db else {
            return Ok(0);
        };
        let row = client(&db.pool)
            .await?
            .query_one(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
                  WHERE datname = current_database() AND query LIKE 'LISTEN %'",
                &[],
            )
            .await?;
        Ok(row.try_get::<_, i64>(0)? as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::without_password;

    #[test]
    fn a_shown_url_hides_its_password() {
        assert_eq!(
            without_password("postgres://team:s3cret@db.example:5432/switchboard"),
            "postgres://team:***@db.example:5432/switchboard"
        );
        assert_eq!(
            without_password("postgres://team@db/switchboard"),
            "postgres://team@db/switchboard"
        );
        assert_eq!(
            without_password("postgres:///switchboard"),
            "postgres:///switchboard"
        );
    }
}
