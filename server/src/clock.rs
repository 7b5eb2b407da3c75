//! What time it is, for everything a request stamps or compares: session expiry, sign-in
//! throttling, webhook freshness, the times of activities and changes. Handlers ask the
//! [`AppState`](crate::AppState)'s clock, never the system directly, so that tests can start the
//! server with a [`ManualClock`] and move time themselves instead of sleeping.
//!
//! The server runs on [`Clock::System`]; no flag or setting reaches a manual clock, only code
//! (the test helpers) can build one.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Now, in milliseconds since the Unix epoch, by the system's wall clock.
pub fn wall_clock_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// The server's clock.
#[derive(Debug, Clone, Default)]
pub enum Clock {
    /// The system's wall clock.
    #[default]
    System,
    /// A clock that stands still until it is moved (tests).
    Manual(ManualClock),
}

impl Clock {
    /// Now, in milliseconds since the Unix epoch, as stored.
    pub fn now_ms(&self) -> i64 {
        match self {
            Clock::System => wall_clock_ms(),
            Clock::Manual(clock) => clock.now_ms(),
        }
    }

    /// Now, as a point in time.
    pub fn now(&self) -> SystemTime {
        let ms = self.now_ms();
        match u64::try_from(ms) {
            Ok(ms) => UNIX_EPOCH + Duration::from_millis(ms),
            Err(_) => UNIX_EPOCH - Duration::from_millis(ms.unsigned_abs()),
        }
    }
}

/// A clock that shows the time it was set to, until it is set again or advanced. Clones share
/// the time: the test keeps one, the server's state holds another.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    /// A clock showing `ms` (milliseconds since the Unix epoch).
    pub fn starting_at(ms: i64) -> ManualClock {
        ManualClock(Arc::new(AtomicI64::new(ms)))
    }

    pub fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let by = i64::try_from(by.as_millis()).expect("a duration a clock can move by");
        self.0.fetch_add(by, Ordering::SeqCst);
    }

    /// Sets the clock to `ms`, forward or back.
    pub fn set(&self, ms: i64) {
        self.0.store(ms, Ordering::SeqCst);
    }
}

impl From<ManualClock> for Clock {
    fn from(clock: ManualClock) -> Clock {
        Clock::Manual(clock)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told_and_its_clones_share_the_time() {
        let manual = ManualClock::starting_at(1_000);
        let clock = Clock::from(manual.clone());
        assert_eq!(clock.now_ms(), 1_000);
        manual.advance(Duration::from_millis(1_500));
        assert_eq!(clock.now_ms(), 2_500);
        manual.set(10);
        assert_eq!(clock.now_ms(), 10);
        assert_eq!(clock.now(), UNIX_EPOCH + Duration::from_millis(10));
    }

    #[test]
    fn the_system_clock_is_the_default_and_reads_the_wall_clock() {
        let clock = Clock::default();
        assert!(matches!(clock, Clock::System));
        let before = wall_clock_ms();
        let now = clock.now_ms();
        assert!(before <= now && now <= wall_clock_ms());
    }
}
