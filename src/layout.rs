//! Which layout the window has: a phone's one screen at a time, or the wide one with the line
//! sidebar beside the list. `style/main.css` draws the line at 768px; this follows the same
//! media query, so that what a phone never shows is not built either. From 1280px the contact
//! panel fits beside the thread; narrower, it is a screen of its own, reached from the thread.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// The complement of the stylesheet's `(max-width: 768px)`, fractional widths included.
const WIDE: &str = "not all and (max-width: 768px)";
/// The stylesheet's `(min-width: 1280px)`: room for the contact panel beside the thread.
const ROOMY: &str = "(min-width: 1280px)";

#[derive(Clone, Copy)]
pub struct Layout {
    wide: ReadSignal<bool>,
    roomy: ReadSignal<bool>,
}

impl Layout {
    /// Reads the window's layout now and follows its changes (a turned tablet, a resized window)
    /// for as long as the app runs: one listener for the app's life.
    pub fn follow_window() -> Self {
        Self {
            wide: follow(WIDE),
            roomy: follow(ROOMY),
        }
    }

    /// Wide enough for the line sidebar beside the list.
    pub fn wide(&self) -> bool {
        self.wide.get()
    }

    /// Wide enough for the contact panel beside the thread.
    pub fn contact_beside(&self) -> bool {
        self.roomy.get()
    }
}

/// Whether the window matches `media` now, and as it changes.
fn follow(media: &str) -> ReadSignal<bool> {
    let query = window().match_media(media).ok().flatten();
    let (matches, set_matches) = signal(query.as_ref().is_none_or(|q| q.matches()));
    if let Some(query) = query {
        let on_change = Closure::<dyn Fn()>::new({
            let query = query.clone();
            move || set_matches.set(query.matches())
        });
        let _ =
            query.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        on_change.forget();
    }
    matches
}
