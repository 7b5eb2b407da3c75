//! Moving through the list, and which rows to render: pure functions of the list's ids and the
//! scroll position.

use std::ops::Range;

/// The id `delta` rows from `current` (clamped to the list); the first row when nothing is
/// selected or the selection is gone.
pub fn step<T: Copy + PartialEq>(ids: &[T], current: Option<T>, delta: isize) -> Option<T> {
    let index = current.and_then(|current| ids.iter().position(|id| *id == current));
    match index {
        None => ids.first().copied(),
        Some(index) => {
            let target = index.saturating_add_signed(delta).min(ids.len() - 1);
            ids.get(target).copied()
        }
    }
}

/// Which row takes the selection when `leaving` leaves the list: the next one, or the previous
/// one at the end of the list.
pub fn successor<T: Copy + PartialEq>(ids: &[T], leaving: T) -> Option<T> {
    let index = ids.iter().position(|id| *id == leaving)?;
    ids.get(index + 1)
        .or_else(|| index.checked_sub(1).and_then(|i| ids.get(i)))
        .copied()
}

/// The geometry of the scrolled list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub scroll_top: f64,
    pub height: f64,
    pub row_height: f64,
}

/// Rows rendered beyond each edge of the viewport, so that a quick scroll or a keyboard step
/// never shows a gap.
pub const OVERSCAN: usize = 6;

impl Viewport {
    /// The rows to render out of `len`.
    pub fn window(&self, len: usize) -> Range<usize> {
        if len == 0 || self.row_height <= 0.0 {
            return 0..0;
        }
        let first = (self.scroll_top.max(0.0) / self.row_height).floor() as usize;
        let visible = (self.height.max(0.0) / self.row_height).ceil() as usize + 1;
        let start = first.saturating_sub(OVERSCAN).min(len);
        let end = (first + visible + OVERSCAN).min(len);
        start..end
    }

    /// The scroll position that brings row `index` fully into view, if it is not.
    pub fn reveal(&self, index: usize) -> Option<f64> {
        let top = index as f64 * self.row_height;
        let bottom = top + self.row_height;
        if top < self.scroll_top {
            Some(top)
        } else if bottom > self.scroll_top + self.height {
            Some((bottom - self.height).max(0.0))
        } else {
            None
        }
    }

    /// Whether the rendered rows come near enough to the end of what is loaded to fetch the
    /// next page.
    pub fn wants_more(&self, len: usize) -> bool {
        self.window(len).end + OVERSCAN * 2 >= len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: [u32; 4] = [10, 20, 30, 40];

    #[test]
    fn stepping_moves_and_stops_at_the_ends() {
        assert_eq!(step(&IDS, Some(20), 1), Some(30));
        assert_eq!(step(&IDS, Some(20), -1), Some(10));
        assert_eq!(step(&IDS, Some(40), 1), Some(40));
        assert_eq!(step(&IDS, Some(10), -1), Some(10));
    }

    #[test]
    fn stepping_without_a_selection_starts_at_the_top() {
        assert_eq!(step(&IDS, None, 1), Some(10));
        assert_eq!(step(&IDS, Some(99), -1), Some(10));
        assert_eq!(step::<u32>(&[], None, 1), None);
    }

    #[test]
    fn the_next_row_takes_the_selection_or_the_previous_at_the_end() {
        assert_eq!(successor(&IDS, 20), Some(30));
        assert_eq!(successor(&IDS, 40), Some(30));
        assert_eq!(successor(&[7], 7), None);
        assert_eq!(successor(&IDS, 99), None);
    }

    fn viewport(scroll_top: f64) -> Viewport {
        Viewport {
            scroll_top,
            height: 400.0,
            row_height: 80.0,
        }
    }

    #[test]
    fn only_rows_near_the_viewport_are_rendered() {
        assert_eq!(viewport(0.0).window(10_000), 0..12);
        let window = viewport(80.0 * 5000.0).window(10_000);
        assert_eq!(window, 4994..5012);
        assert!(window.len() < 30, "the DOM stays small");
        assert_eq!(viewport(0.0).window(3), 0..3);
        assert_eq!(viewport(0.0).window(0), 0..0);
    }

    #[test]
    fn revealing_a_row_scrolls_only_when_needed() {
        assert_eq!(viewport(0.0).reveal(2), None);
        assert_eq!(viewport(0.0).reveal(5), Some(80.0));
        assert_eq!(viewport(800.0).reveal(3), Some(240.0));
    }

    #[test]
    fn the_next_page_is_wanted_near_the_end_of_what_is_loaded() {
        assert!(viewport(0.0).wants_more(20));
        assert!(!viewport(0.0).wants_more(50));
        assert!(viewport(80.0 * 30.0).wants_more(50));
    }
}
