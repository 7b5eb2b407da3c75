//! The one writer, with group commit: writes queue up while a transaction commits, and the next
//! transaction takes all of them at once, each in a savepoint of its own (one that fails is
//! rolled back alone). A commit costs the same for one write or fifty, so under load the queue
//! drains in a few commits instead of one per request; alone, a write waits for nobody.

use super::events::{EventLog, StoredEvent};
use super::DbError;
use rusqlite::{Connection, TransactionBehavior};
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc, oneshot};

/// Writes taken into one transaction at most.
const BATCH: usize = 128;
/// Writes waiting at most: beyond, a write is refused at once ([`DbError::Busy`], answered
/// 503 with `Retry-After`) rather than held in memory without bound.
pub(super) const QUEUE: usize = 4096;

/// Hands a write's outcome to its caller, once its transaction has committed (or failed to).
type Delivery = Box<dyn FnOnce(Result<(), String>) + Send>;

/// A write: runs in the transaction, says whether it succeeded, and how to deliver its result.
type Job = Box<dyn FnOnce(&Connection, &mut EventLog) -> (bool, Delivery) + Send>;

#[derive(Clone, Debug)]
pub(super) struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer thread, which owns `connection` until the last handle is dropped.
    pub(super) fn start(
        connection: Connection,
        live: broadcast::Sender<Arc<StoredEvent>>,
    ) -> Result<Writer, DbError> {
        Writer::start_with_queue(connection, live, QUEUE)
    }

    fn start_with_queue(
        mut connection: Connection,
        live: broadcast::Sender<Arc<StoredEvent>>,
        queue: usize,
    ) -> Result<Writer, DbError> {
        let (jobs, mut queue) = mpsc::channel::<Job>(queue);
        std::thread::Builder::new()
            .name("database-writer".to_owned())
            .spawn(move || {
                while let Some(first) = queue.blocking_recv() {
                    let mut batch = vec![first];
                    while batch.len() < BATCH {
                        match queue.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(_) => break,
                        }
                    }
                    run_batch(&mut connection, batch, &live);
                }
            })
            .map_err(|e| DbError::Corrupt(format!("cannot start the writer thread: {e}")))?;
        Ok(Writer { jobs })
    }

    /// Runs `work` in a write transaction; its result comes back once the transaction has
    /// committed, and the events it recorded then go out to live listeners.
    pub(super) async fn write<T, F>(&self, work: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection, &mut EventLog) -> Result<T, DbError> + Send + 'static,
    {
        let (done, result) = oneshot::channel::<Result<T, DbError>>();
        let job: Job = Box::new(move |connection, log| {
            let outcome = work(connection, log);
            let succeeded = outcome.is_ok();
            let delivery: Delivery = Box::new(move |committed| {
                let result = match committed {
                    Ok(()) => outcome,
                    Err(error) => Err(DbError::Corrupt(format!("the commit failed: {error}"))),
                };
                let _ = done.send(result);
            });
            (succeeded, delivery)
        });
        self.jobs.try_send(job).map_err(|error| match error {
            mpsc::error::TrySendError::Full(_) => DbError::Busy,
            mpsc::error::TrySendError::Closed(_) => {
                DbError::Corrupt("the writer has stopped".to_owned())
            }
        })?;
        result
            .await
            .map_err(|_| DbError::Corrupt("the writer dropped a write".to_owned()))?
    }
}

fn run_batch(
    connection: &mut Connection,
    batch: Vec<Job>,
    live: &broadcast::Sender<Arc<StoredEvent>>,
) {
    let mut deliveries = Vec::with_capacity(batch.len());
    let mut events = Vec::new();
    let committed = (|| -> Result<(), rusqlite::Error> {
        let mut tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for job in batch {
            let savepoint = tx.savepoint()?;
            let mut log = EventLog::default();
            let (succeeded, delivery) = job(&savepoint, &mut log);
            if succeeded {
                savepoint.commit()?;
                events.extend(log.into_events());
            } else {
                // Dropping a savepoint rolls it back: this write leaves no trace.
                drop(savepoint);
            }
            deliveries.push(delivery);
        }
        tx.commit()
    })();
    let outcome = committed.as_ref().map(|_| ()).map_err(ToString::to_string);
    if committed.is_ok() {
        for event in events {
            // No listener is no error.
            let _ = live.send(Arc::new(event));
        }
    }
    for delivery in deliveries {
        delivery(outcome.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes queued together share a transaction, yet one that fails leaves no trace and
    /// takes none of its neighbours down with it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_write_is_rolled_back_alone() {
        let connection = Connection::open_in_memory().unwrap();
        connection
            .execute_batch("CREATE TABLE marks (n INTEGER NOT NULL)")
            .unwrap();
        let (live, _) = broadcast::channel(16);
        let writer = Writer::start(connection, live).unwrap();

        let writes = (0..200i64).map(|n| {
            let writer = writer.clone();
            tokio::spawn(async move {
                writer
                    .write(move |connection, _| {
                        connection.execute("INSERT INTO marks (n) VALUES ($1)", [n])?;
                        match n % 2 {
                            0 => Ok(n),
                            _ => Err(DbError::Corrupt(format!("write {n} gives up"))),
                        }
                    })
                    .await
            })
        });
        let outcomes = futures_util::future::join_all(writes).await;
        for (n, outcome) in outcomes.into_iter().enumerate() {
            match outcome.unwrap() {
                Ok(value) => assert_eq!(value, n as i64),
                Err(error) => {
                    assert_eq!(n % 2, 1, "write {n} failed: {error}");
                }
            }
        }
        let (count, odd): (i64, i64) = writer
            .write(|connection, _| {
                Ok(connection.query_row(
                    "SELECT COUNT(*), COALESCE(SUM(n % 2), 0) FROM marks",
                    [],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )?)
            })
            .await
            .unwrap();
        assert_eq!((count, odd), (100, 0));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_refuses_a_write_at_once_and_loses_none_it_took() {
        let connection = Connection::open_in_memory().unwrap();
        connection
            .execute_batch("CREATE TABLE marks (n INTEGER NOT NULL)")
            .unwrap();
        let (live, _) = broadcast::channel(16);
        let writer = Writer::start_with_queue(connection, live, 2).unwrap();
        // The writer is held inside a write until the test lets it go.
        let (held, release) = std::sync::mpsc::channel::<()>();
        let (started, wait_started) = oneshot::channel::<()>();
        let holder = writer.clone();
        let blocking = tokio::spawn(async move {
            holder
                .write(move |_, _| {
                    let _ = started.send(());
                    let _ = release.recv();
                    Ok(())
                })
                .await
        });
        wait_started.await.unwrap();
        let queued: Vec<_> = (0..2i64)
            .map(|n| {
                let writer = writer.clone();
                tokio::spawn(async move {
                    writer
                        .write(move |connection, _| {
                            connection.execute("INSERT INTO marks (n) VALUES ($1)", [n])?;
                            Ok(())
                        })
                        .await
                })
            })
            .collect();
        // Once both wait in the queue, a third is refused at once.
        while writer.jobs.capacity() > 0 {
            tokio::task::yield_now().await;
        }
        assert!(matches!(
            writer.write(|_, _| Ok(())).await,
            Err(DbError::Busy)
        ));
        held.send(()).unwrap();
        blocking.await.unwrap().unwrap();
        for write in queued {
            write.await.unwrap().unwrap();
        }
        let count: i64 = writer
            .write(|connection, _| {
                Ok(connection.query_row("SELECT COUNT(*) FROM marks", [], |row| row.get(0))?)
            })
            .await
            .unwrap();
        assert_eq!(count, 2);
    }
}
