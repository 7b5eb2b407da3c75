//! Swiping a conversation row on a touch screen, as pure decisions: which way the finger is
//! going (a mostly vertical move is a scroll, never a swipe), where the row is drawn, when the
//! action is armed, and what a release does. The event binding (in the conversation row) only
//! feeds positions and times in and applies the answers.

/// How far the finger moves before the direction is decided, in CSS pixels.
pub const LOCK_DISTANCE: f64 = 10.0;
/// A swipe released past this share of the row's width commits its action.
pub const COMMIT_FRACTION: f64 = 0.4;
/// A release at least this fast (pixels per millisecond) commits, however short the swipe.
pub const FLING_VELOCITY: f64 = 0.5;
/// ...provided the row moved at least this far, so that a tap's jitter never flings.
pub const FLING_MIN_DISTANCE: f64 = 30.0;

/// What a swipe does: left marks done, right marks unread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SwipeAction {
    Done,
    Unread,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    Undecided,
    Horizontal,
    /// A scroll: the swipe is over for this touch.
    Vertical,
}

/// Where to draw the row for the finger's position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    /// The row's horizontal offset, in pixels.
    pub offset: f64,
    /// The action whose band the row uncovers.
    pub revealed: Option<SwipeAction>,
    /// Whether releasing now would commit.
    pub armed: bool,
    /// The row just crossed the threshold toward arming: a short vibration says so.
    pub tick: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Release {
    Commit(SwipeAction),
    SpringBack,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Swipe {
    origin: (f64, f64),
    width: f64,
    lock: Lock,
    offset: f64,
    armed: bool,
    /// Horizontal velocity, pixels per millisecond, smoothed over the last moves.
    velocity: f64,
    last: (f64, f64),
}

impl Swipe {
    /// A touch starts at (`x`, `y`) at time `t` (ms) on a row `width` pixels wide.
    pub fn start(x: f64, y: f64, t: f64, width: f64) -> Swipe {
        Swipe {
            origin: (x, y),
            width: width.max(1.0),
            lock: Lock::Undecided,
            offset: 0.0,
            armed: false,
            velocity: 0.0,
            last: (x, t),
        }
    }

    pub fn lock(&self) -> Lock {
        self.lock
    }

    /// The finger moved to (`x`, `y`) at `t`: the frame to draw, or `None` while the direction
    /// is undecided or the move is a scroll.
    pub fn track(&mut self, x: f64, y: f64, t: f64) -> Option<Frame> {
        let (dx, dy) = (x - self.origin.0, y - self.origin.1);
        if self.lock == Lock::Undecided && dx.abs().max(dy.abs()) >= LOCK_DISTANCE {
            self.lock = match dx.abs() > dy.abs() {
                true => Lock::Horizontal,
                false => Lock::Vertical,
            };
        }
        let dt = t - self.last.1;
        if dt > 0.0 {
            let instant = (x - self.last.0) / dt;
            self.velocity = 0.7 * instant + 0.3 * self.velocity;
        }
        self.last = (x, t);
        if self.lock != Lock::Horizontal {
            return None;
        }
        self.offset = dx.clamp(-self.width, self.width);
        let was_armed = self.armed;
        self.armed = self.offset.abs() >= self.width * COMMIT_FRACTION;
        Some(Frame {
            offset: self.offset,
            revealed: action_for(self.offset),
            armed: self.armed,
            tick: self.armed && !was_armed,
        })
    }

    /// The finger lifted: commit if the row went far enough, or was flung; else spring back.
    pub fn release(&self) -> Release {
        if self.lock != Lock::Horizontal {
            return Release::SpringBack;
        }
        let flung = self.velocity.abs() >= FLING_VELOCITY
            && self.velocity.signum() == self.offset.signum()
            && self.offset.abs() >= FLING_MIN_DISTANCE;
        match (self.armed || flung, action_for(self.offset)) {
            (true, Some(action)) => Release::Commit(action),
            _ => Release::SpringBack,
        }
    }
}

fn action_for(offset: f64) -> Option<SwipeAction> {
    if offset < 0.0 {
        Some(SwipeAction::Done)
    } else if offset > 0.0 {
        Some(SwipeAction::Unread)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIDTH: f64 = 390.0;

    /// Moves the finger from (200, 300) by (dx, dy) in `steps` equal moves over `ms`.
    fn drag(dx: f64, dy: f64, steps: u32, ms: f64) -> (Swipe, Vec<Option<Frame>>) {
        let mut swipe = Swipe::start(200.0, 300.0, 0.0, WIDTH);
        let frames = (1..=steps)
            .map(|i| {
                let k = f64::from(i) / f64::from(steps);
                swipe.track(200.0 + dx * k, 300.0 + dy * k, ms * k)
            })
            .collect();
        (swipe, frames)
    }

    #[test]
    fn a_slow_swipe_left_past_40_percent_marks_done() {
        let (swipe, frames) = drag(-200.0, 6.0, 40, 2000.0);
        assert_eq!(swipe.lock(), Lock::Horizontal);
        let last = frames.last().unwrap().unwrap();
        assert_eq!(last.revealed, Some(SwipeAction::Done));
        assert!(last.armed);
        assert_eq!(swipe.release(), Release::Commit(SwipeAction::Done));
    }

    #[test]
    fn a_slow_swipe_right_past_40_percent_marks_unread() {
        let (swipe, _) = drag(170.0, -4.0, 40, 2000.0);
        assert_eq!(swipe.release(), Release::Commit(SwipeAction::Unread));
    }

    #[test]
    fn a_short_slow_swipe_springs_back() {
        let (swipe, frames) = drag(-120.0, 0.0, 30, 1500.0);
        assert!(!frames.last().unwrap().unwrap().armed);
        assert_eq!(swipe.release(), Release::SpringBack);
    }

    #[test]
    fn a_fast_fling_commits_even_when_short() {
        let (swipe, _) = drag(-90.0, 0.0, 6, 90.0);
        assert_eq!(swipe.release(), Release::Commit(SwipeAction::Done));
    }

    #[test]
    fn a_fling_back_toward_the_start_cancels() {
        let mut swipe = Swipe::start(200.0, 300.0, 0.0, WIDTH);
        for (x, t) in [
            (180.0, 16.0),
            (120.0, 200.0),
            (60.0, 500.0),
            (120.0, 530.0),
            (170.0, 545.0),
        ] {
            swipe.track(x, 300.0, t);
        }
        assert_eq!(swipe.release(), Release::SpringBack);
    }

    #[test]
    fn a_tap_never_flings() {
        let (swipe, frames) = drag(-8.0, 0.0, 2, 20.0);
        assert!(
            frames.iter().all(Option::is_none),
            "undecided under the lock distance"
        );
        assert_eq!(swipe.release(), Release::SpringBack);
    }

    #[test]
    fn a_mostly_vertical_move_is_a_scroll_and_never_a_swipe() {
        let (swipe, frames) = drag(-150.0, 400.0, 40, 800.0);
        assert_eq!(swipe.lock(), Lock::Vertical);
        assert!(frames.iter().all(Option::is_none));
        assert_eq!(swipe.release(), Release::SpringBack);
    }

    #[test]
    fn once_horizontal_a_swipe_stays_a_swipe() {
        let mut swipe = Swipe::start(200.0, 300.0, 0.0, WIDTH);
        swipe.track(185.0, 302.0, 16.0);
        assert_eq!(swipe.lock(), Lock::Horizontal);
        let frame = swipe.track(150.0, 360.0, 32.0).expect("still swiping");
        assert_eq!(
            frame.offset, -50.0,
            "the row follows only the horizontal move"
        );
    }

    #[test]
    fn crossing_the_threshold_ticks_once() {
        let (_, frames) = drag(-300.0, 0.0, 60, 3000.0);
        let ticks = frames.iter().flatten().filter(|f| f.tick).count();
        assert_eq!(ticks, 1);
    }

    #[test]
    fn the_row_never_moves_past_its_width() {
        let (_, frames) = drag(-900.0, 0.0, 10, 1000.0);
        assert_eq!(frames.last().unwrap().unwrap().offset, -WIDTH);
    }
}
