//! The live connection: server-sent events from `/api/v1/events`. A thin binding that knows
//! nothing of the store: it hands each event to a callback, and when the stream fails it says
//! so through another and reopens it after a growing pause (1 s, 2 s… 30 s), from the last
//! event received, so that nothing is missed.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;
use switchboard_domain::team::LiveEvent;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{EventSource, MessageEvent};

const FIRST_RETRY: Duration = Duration::from_secs(1);
const LAST_RETRY: Duration = Duration::from_secs(30);

/// What the stream tells its owner.
#[derive(Clone)]
pub struct Listener {
    /// Each event, in order.
    pub on_event: Rc<dyn Fn(LiveEvent)>,
    /// The stream failed and is about to be reopened (the session may have ended).
    pub on_failure: Rc<dyn Fn()>,
}

/// The open stream and the handlers it calls: they live exactly as long as it does.
struct Connection {
    source: EventSource,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn()>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.source.set_onmessage(None);
        self.source.set_onerror(None);
        self.source.close();
    }
}

thread_local! {
    static CONNECTION: RefCell<Option<Connection>> = const { RefCell::new(None) };
    static LAST_EVENT: RefCell<Option<String>> = const { RefCell::new(None) };
    static RETRY: Cell<Duration> = const { Cell::new(FIRST_RETRY) };
    /// Bumped by `disconnect`, so that a pending reconnection knows it is no longer wanted.
    static GENERATION: Cell<u32> = const { Cell::new(0) };
}

/// Opens the stream (closing any other).
pub fn connect(listener: Listener) {
    disconnect();
    let generation = GENERATION.with(Cell::get);
    open(listener, generation);
}

pub fn disconnect() {
    GENERATION.with(|g| g.set(g.get().wrapping_add(1)));
    if let Some(closed) = CONNECTION.with(|slot| slot.borrow_mut().take()) {
        closed.source.close();
        // Its handlers may be what called us: they are dropped once they have returned.
        leptos::prelude::set_timeout(move || drop(closed), Duration::ZERO);
    }
}

fn open(listener: Listener, generation: u32) {
    let url = match LAST_EVENT.with(|last| last.borrow().clone()) {
        Some(id) => format!("/api/v1/events?last_event_id={id}"),
        None => "/api/v1/events".to_owned(),
    };
    let Ok(source) = EventSource::new(&url) else {
        return;
    };
    let on_event = listener.on_event.clone();
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
            on_event(event);
        }
    });
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));

    let on_error = Closure::<dyn Fn()>::new(move || {
        // Our own pace, and our own resume point, rather than the browser's. The failed
        // connection (and this very handler) is dropped once the timer fires, not from within.
        CONNECTION.with(|slot| {
            if let Some(connection) = slot.borrow().as_ref() {
                connection.source.close();
            }
        });
        let delay = RETRY.with(|retry| {
            let delay = retry.get();
            retry.set((delay * 2).min(LAST_RETRY));
            delay
        });
        let listener = listener.clone();
        leptos::prelude::set_timeout(
            move || {
                if GENERATION.with(Cell::get) == generation {
                    let failed = CONNECTION.with(|slot| slot.borrow_mut().take());
                    drop(failed);
                    (listener.on_failure)();
                    open(listener, generation);
                }
            },
            delay,
        );
    });
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    CONNECTION.with(|slot| {
        *slot.borrow_mut() = Some(Connection {
            source,
            _on_message: on_message,
            _on_error: on_error,
        })
    });
}
