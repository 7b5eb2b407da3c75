//! Password hashing and checking, a few at a time on threads of their own. Each argon2 run
//! takes 19 MiB and a core for a moment: run on the general blocking pool, hundreds of parallel
//! sign-ins would each take their share at once (and every thread would keep its own malloc
//! arena of them). Here at most one run per core goes at a time; the rest wait in line, briefly.

use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;
use tokio::sync::{oneshot, Semaphore};

type Job = Box<dyn FnOnce() + Send>;

#[derive(Clone)]
pub struct PasswordChecks {
    jobs: mpsc::Sender<Job>,
    /// One permit per worker: who holds one has a worker to themselves.
    permits: Arc<Semaphore>,
}

/// The line was too long: the caller answers "busy, try again".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

impl PasswordChecks {
    pub fn start(workers: usize) -> PasswordChecks {
        let workers = workers.max(1);
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..workers {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("password-{n}"))
                .spawn(move || loop {
                    let job = match queue.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return, // every sender is gone
                    }
                })
                .expect("a thread starts");
        }
        PasswordChecks {
            jobs,
            permits: Arc::new(Semaphore::new(workers)),
        }
    }

    /// Runs `work` on a password thread, waiting at most `wait` for one to be free.
    pub async fn run<T: Send + 'static>(
        &self,
        wait: Duration,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let permit = tokio::time::timeout(wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| Busy)?
            .map_err(|_| Busy)?;
        let (done, result) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(work());
            drop(permit);
        });
        self.jobs.send(job).map_err(|_| Busy)?;
        result.await.map_err(|_| Busy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_runs_on_the_pool_and_a_full_line_says_busy() {
        let checks = PasswordChecks::start(1);
        assert_eq!(checks.run(Duration::from_secs(1), || 6 * 7).await, Ok(42));
        let (started, release) = (std::sync::mpsc::channel(), std::sync::mpsc::channel::<()>());
        let (started_tx, release_rx) = (started.0, release.1);
        let slow = checks.clone();
        let holder = tokio::spawn(async move {
            slow.run(Duration::from_secs(1), move || {
                started_tx.send(()).unwrap();
                release_rx.recv().unwrap();
            })
            .await
        });
        tokio::task::spawn_blocking(move || started.1.recv().unwrap())
            .await
            .unwrap();
        assert_eq!(
            checks.run(Duration::from_millis(50), || ()).await,
            Err(Busy)
        );
        release.0.send(()).unwrap();
        assert_eq!(holder.await.unwrap(), Ok(()));
    }
}
