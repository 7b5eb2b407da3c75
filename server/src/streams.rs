//! What keeps open event streams honest: each stream checks its session again whenever a
//! session ends on this server (at once) and every few seconds anyway (for expiry, and for
//! what another server changed), and every stream is told to reconnect when the server stops.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use switchboard_domain::SessionId;
use tokio::sync::watch;

/// How often an open stream checks its session even when nothing said it ended.
pub const RECHECK_EVERY: Duration = Duration::from_secs(2);
/// Event streams one session may hold open at once: a few tabs; more is a leak or abuse, and
/// each holds a task and a connection.
pub const STREAMS_PER_SESSION: usize = 4;

#[derive(Debug, Clone)]
pub struct StreamControl {
    /// Bumped whenever sessions end or access changes: streams check theirs again.
    sessions: watch::Sender<u64>,
    /// Set once when the server begins to stop.
    stopping: watch::Sender<bool>,
    /// Streams open per session.
    open: Arc<Mutex<HashMap<SessionId, usize>>>,
}

/// One open stream, counted against its session until dropped.
#[derive(Debug)]
pub struct OpenStream {
    session: SessionId,
    open: Arc<Mutex<HashMap<SessionId, usize>>>,
}

impl Drop for OpenStream {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.session) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.session);
            }
        }
    }
}

impl Default for StreamControl {
    fn default() -> StreamControl {
        StreamControl {
            sessions: watch::Sender::new(0),
            stopping: watch::Sender::new(false),
            open: Arc::default(),
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

    /// Counts a new stream of `session`; `None` when it holds the most it may already.
    pub fn open(&self, session: SessionId) -> Option<OpenStream> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(session).or_default();
        if *count >= STREAMS_PER_SESSION {
            return None;
        }
        *count += 1;
        Some(OpenStream {
            session,
            open: self.open.clone(),
        })
    }

    pub fn watch_sessions(&self) -> watch::Receiver<u64> {
        self.sessions.subscribe()
    }

    pub fn watch_stopping(&self) -> watch::Receiver<bool> {
        self.stopping.subscribe()
    }
}
