//! The touch binding of a conversation row's swipe: pointer events in, [`gesture`] decisions
//! applied. Each frame moves only the row's transform, written straight to its style (no
//! re-render, no layout); classes change only when the band or the threshold does.
//!
//! [`gesture`]: crate::gesture

use crate::gesture::{Release, Swipe, SwipeAction};
use crate::store::Store;
use leptos::html;
use leptos::prelude::*;
use std::time::Duration;
use switchboard_domain::{ConversationId, StateChange};
use web_sys::PointerEvent;

/// How long the row takes to slide out or spring back.
const SETTLE: Duration = Duration::from_millis(180);

#[derive(Clone, Copy)]
pub struct RowSwipe {
    store: Store,
    id: ConversationId,
    surface: NodeRef<html::Div>,
    gesture: StoredValue<Option<Swipe>>,
    /// The band the row uncovers, for its colour and label.
    pub revealed: RwSignal<Option<SwipeAction>>,
    /// Whether letting go now commits.
    pub armed: RwSignal<bool>,
    /// A swipe ends with a click the row must not take as "open".
    swallow_click: StoredValue<bool>,
}

impl RowSwipe {
    pub fn new(store: Store, id: ConversationId, surface: NodeRef<html::Div>) -> RowSwipe {
        RowSwipe {
            store,
            id,
            surface,
            gesture: StoredValue::new(None),
            revealed: RwSignal::new(None),
            armed: RwSignal::new(false),
            swallow_click: StoredValue::new(false),
        }
    }

    pub fn down(&self, event: &PointerEvent) {
        // The mouse keeps clicks and hover; touch and pen swipe.
        if !matches!(event.pointer_type().as_str(), "touch" | "pen") || !event.is_primary() {
            return;
        }
        let Some(surface) = self.surface.get_untracked() else {
            return;
        };
        let width = surface.get_bounding_client_rect().width();
        let (x, y) = (f64::from(event.client_x()), f64::from(event.client_y()));
        self.gesture
            .set_value(Some(Swipe::start(x, y, event.time_stamp(), width)));
    }

    pub fn moved(&self, event: &PointerEvent) {
        let Some(mut swipe) = self.gesture.get_value() else {
            return;
        };
        let (x, y) = (f64::from(event.client_x()), f64::from(event.client_y()));
        let frame = swipe.track(x, y, event.time_stamp());
        self.gesture.set_value(Some(swipe));
        let Some(frame) = frame else {
            if swipe.lock() == crate::gesture::Lock::Vertical {
                self.gesture.set_value(None); // A scroll: the browser has it.
            }
            return;
        };
        if let Some(surface) = self.surface.get_untracked() {
            if self.revealed.get_untracked().is_none() {
                // Keep the finger's later moves even when it leaves the row.
                let _ = surface.set_pointer_capture(event.pointer_id());
            }
            let style = web_sys::HtmlElement::style(&surface);
            let _ = style.set_property("transition", "none");
            let _ = style.set_property(
                "transform",
                &format!("translateX({}px)", frame.offset.round() as i32),
            );
        }
        if self.revealed.get_untracked() != frame.revealed {
            self.revealed.set(frame.revealed);
        }
        if self.armed.get_untracked() != frame.armed {
            self.armed.set(frame.armed);
        }
        if frame.tick {
            vibrate();
        }
    }

    pub fn up(&self, _event: &PointerEvent) {
        let Some(swipe) = self.gesture.get_value() else {
            return;
        };
        self.gesture.set_value(None);
        self.swallow_click
            .set_value(swipe.lock() == crate::gesture::Lock::Horizontal);
        match swipe.release() {
            Release::Commit(SwipeAction::Done) => {
                // The row slides out, then leaves the list.
                self.slide_to("translateX(-100%)");
                let (store, id, this) = (self.store, self.id, *self);
                set_timeout(
                    move || {
                        store.act(id, StateChange::Done);
                        this.rest();
                    },
                    SETTLE,
                );
            }
            Release::Commit(SwipeAction::Unread) => {
                self.slide_to("translateX(0)");
                self.store.act(self.id, StateChange::Unread);
                self.finish_later();
            }
            Release::SpringBack => {
                self.slide_to("translateX(0)");
                self.finish_later();
            }
        }
    }

    pub fn cancel(&self) {
        if self.gesture.get_value().is_some() {
            self.gesture.set_value(None);
            self.slide_to("translateX(0)");
            self.finish_later();
        }
    }

    /// Whether a click is the end of a swipe (and so not a request to open the conversation).
    pub fn swallows_click(&self) -> bool {
        let swallow = self.swallow_click.get_value();
        self.swallow_click.set_value(false);
        swallow
    }

    fn slide_to(&self, transform: &str) {
        if let Some(surface) = self.surface.get_untracked() {
            let style = web_sys::HtmlElement::style(&surface);
            let _ = style.set_property(
                "transition",
                &format!("transform {}ms ease-out", SETTLE.as_millis()),
            );
            let _ = style.set_property("transform", transform);
        }
    }

    fn finish_later(&self) {
        let this = *self;
        set_timeout(move || this.rest(), SETTLE);
    }

    /// Back at rest: no band, no transform (for a row that stays in the list).
    fn rest(&self) {
        self.revealed.try_set(None);
        self.armed.try_set(false);
        if let Some(surface) = self.surface.try_get_untracked().flatten() {
            let style = web_sys::HtmlElement::style(&surface);
            let _ = style.remove_property("transition");
            let _ = style.remove_property("transform");
        }
    }
}

/// A short tick as the swipe arms, where the device can.
fn vibrate() {
    if let Some(window) = web_sys::window() {
        let navigator = window.navigator();
        if js_sys::Reflect::has(&navigator, &"vibrate".into()).unwrap_or(false) {
            let _ = navigator.vibrate_with_duration(10);
        }
    }
}
