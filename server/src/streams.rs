//! What keeps open event streams honest: each stream checks its session again whenever a
//! session ends on this server (at once) and every few seconds anyway (for expiry, and for
//! what another server changed), and every stream is told to reconnect when the server stops.

use std::time::Duration;
use tokio::sync::watch;

/// How often an open stream checks its session even when nothing said it ended.
pub const RECHECK_EVERY: Duration = Duration::from_secs(2);

#[derive(Debug, Clone)]
pub struct StreamControl {
    /// Bumped whenever sessions end or access changes: streams check theirs again.
    sessions: watch::Sender<u64>,
    /// Set once when the server begins to stop.
    stopping: watch::Sender<bool>,
}

impl Default for StreamControl {
    fn default() -> StreamControl {
        StreamControl {
            sessions: watch::Sender::new(0),
            stopping: watch::Sender::new(false),
        }
    }
}

impl StreamControl {
    /// Sessions ended or access changed: every stream checks its own again now.
    pub fn sessions_changed(&self) {
        self.sessions.send_modify(|generation| *generation += 1);
    }

    /// The server is stopping: every stream says "reconnect" and closes.
    pub fn stop(&self) {
        self.stopping.send_replace(true);
    }

    pub fn watch_sessions(&self) -> watch::Receiver<u64> {
        self.sessions.subscribe()
    }

    pub fn watch_stopping(&self) -> watch::Receiver<bool> {
        self.stopping.subscribe()
    }
}
