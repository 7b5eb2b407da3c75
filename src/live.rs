//! The live connection: server-sent events from `/api/v1/events`, applied to the store. A thin
//! binding: when the stream fails it is reopened after a growing pause (1 s, 2 s… 30 s), from
//! the last event received, so that nothing is missed.

use crate::store::Store;
use std::cell::{Cell, RefCell};
use std::time::Duration;
use switchboard_domain::team::LiveEvent;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{EventSource, MessageEvent};

const FIRST_RETRY: Duration = Duration::from_secs(1);
const LAST_RETRY: Duration = Duration::from_secs(30);

thread_local! {
    static SOURCE: RefCell<Option<EventSource>> = const { RefCell::new(None) };
    static LAST_EVENT: RefCell<Option<String>> = const { RefCell::new(None) };
    static RETRY: Cell<Duration> = const { Cell::new(FIRST_RETRY) };
    /// Bumped by `disconnect`, so that a pending reconnection knows it is no longer wanted.
    static GENERATION: Cell<u32> = const { Cell::new(0) };
}

/// Opens the stream (closing any other).
pub fn connect(store: Store) {
    disconnect();
    let generation = GENERATION.with(Cell::get);
    open(store, generation);
}

pub fn disconnect() {
    GENERATION.with(|g| g.set(g.get().wrapping_add(1)));
    SOURCE.with(|source| {
        if let Some(source) = source.borrow_mut().take() {
            source.close();
        }
    });
}

fn open(store: Store, generation: u32) {
    let url = match LAST_EVENT.with(|last| last.borrow().clone()) {
        Some(id) => format!("/api/v1/events?last_event_id={id}"),
        None => "/api/v1/events".to_owned(),
    };
    let Ok(source) = EventSource::new(&url) else {
        return;
    };
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |message: MessageEvent| {
        RETRY.with(|retry| retry.set(FIRST_RETRY));
        let id = message.last_event_id();
        if !id.is_empty() {
            LAST_EVENT.with(|last| *last.borrow_mut() = Some(id));
        }
        let Some(data) = message.data().as_string() else {
            return;
        };
        if let Ok(event) = serde_json::from_str::<LiveEvent>(&data) {
            store.apply_live(event);
        }
    });
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();

    let failing = source.clone();
    let on_error = Closure::<dyn Fn()>::new(move || {
        // Our own pace, and our own resume point, rather than the browser's.
        failing.close();
        let delay = RETRY.with(|retry| {
            let delay = retry.get();
            retry.set((delay * 2).min(LAST_RETRY));
            delay
        });
        leptos::prelude::set_timeout(
            move || {
                if GENERATION.with(Cell::get) == generation {
                    store.check_live_session();
                    open(store, generation);
                }
            },
            delay,
        );
    });
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    SOURCE.with(|slot| *slot.borrow_mut() = Some(source));
}
