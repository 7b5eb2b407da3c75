//! The installed app's ties to the browser: the service worker (offline shell, cached reads,
//! and the offer to reload into a new version) and the unread count on the app's icon. A thin
//! binding: every call checks that the browser has the feature.

use std::cell::Cell;
use std::rc::Rc;
use switchboard_domain::MemberId;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

thread_local! {
    /// Set when the user asked for the new version, so that the change of worker reloads the
    /// page then (and not when the very first worker takes control).
    static RELOAD_ASKED: Cell<bool> = const { Cell::new(false) };
}

fn container() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    let supported = js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
    supported.then(|| navigator.service_worker())
}

/// Registers `/sw.js`; `update_waiting` is called when a new version waits to take over.
pub fn register_service_worker(update_waiting: impl Fn() + 'static) {
    let update_waiting: Rc<dyn Fn()> = Rc::new(update_waiting);
    let Some(container) = container() else {
        return;
    };
    let on_controller_change = Closure::<dyn Fn()>::new(|| {
        if RELOAD_ASKED.with(Cell::get) {
            let _ = web_sys::window().map(|w| w.location().reload());
        }
    });
    container.set_oncontrollerchange(Some(on_controller_change.as_ref().unchecked_ref()));
    on_controller_change.forget();

    wasm_bindgen_futures::spawn_local(async move {
        let Ok(registration) = JsFuture::from(container.register("/sw.js")).await else {
            return;
        };
        let registration: ServiceWorkerRegistration = registration.unchecked_into();
        let controlled = move || container.controller().is_some();
        if registration.waiting().is_some() && controlled() {
            update_waiting();
        }
        let watched = registration.clone();
        let on_update_found = Closure::<dyn Fn()>::new(move || {
            let Some(installing) = watched.installing() else {
                return;
            };
            let worker = installing.clone();
            let controlled = controlled.clone();
            let update_waiting = update_waiting.clone();
            let on_state_change = Closure::<dyn Fn()>::new(move || {
                // Installed while an older worker controls the page: an update is waiting.
                if worker.state() == ServiceWorkerState::Installed && controlled() {
                    update_waiting();
                }
            });
            installing.set_onstatechange(Some(on_state_change.as_ref().unchecked_ref()));
            on_state_change.forget();
        });
        registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
        on_update_found.forget();
    });
}

/// Asks the waiting worker to take over; the page reloads when it has.
pub fn reload_into_update() {
    let Some(container) = container() else {
        return;
    };
    RELOAD_ASKED.with(|asked| asked.set(true));
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(registration) = JsFuture::from(container.get_registration()).await else {
            return;
        };
        let Ok(registration) = registration.dyn_into::<ServiceWorkerRegistration>() else {
            return;
        };
        match registration.waiting() {
            Some(waiting) => {
                let message = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&message, &"type".into(), &"SKIP_WAITING".into());
                let _ = waiting.post_message(&message);
            }
            None => {
                let _ = web_sys::window().map(|w| w.location().reload());
            }
        }
    });
}

/// Shows `count` on the installed app's icon (nothing where the browser cannot).
pub fn set_app_badge(count: u32) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    let (name, args) = match count {
        0 => ("clearAppBadge", js_sys::Array::new()),
        n => ("setAppBadge", js_sys::Array::of1(&JsValue::from(n))),
    };
    let Ok(method) = js_sys::Reflect::get(&navigator, &name.into()) else {
        return;
    };
    if let Some(method) = method.dyn_ref::<js_sys::Function>() {
        if let Ok(Ok(promise)) = method
            .apply(&navigator, &args)
            .map(JsCast::dyn_into::<js_sys::Promise>)
        {
            // A refusal (not installed, no permission) is of no consequence.
            wasm_bindgen_futures::spawn_local(async move {
                let _ = JsFuture::from(promise).await;
            });
        }
    }
}

/// The service worker's caches of the API's answers, one per teammate: `switchboard-data-<id>`
/// (server/src/http/service_worker.js).
const DATA_CACHES: &str = "switchboard-data";
/// Who is signed in, as the service worker reads it before keeping or serving an answer.
const MEMBER_CACHE: &str = "switchboard-member";
const MEMBER_KEY: &str = "/switchboard/member";

/// Tells the service worker who is signed in, so that it keeps and serves only `member`'s
/// answers; any other teammate's it had are deleted. Written where the worker reads it (it
/// learns the same from the session's answers that pass through it): a message would be
/// lost whenever the worker is asleep or not yet running.
pub async fn remember_member(member: MemberId) {
    let Some(caches) = cache_storage() else {
        return;
    };
    delete_data_caches(&caches, Some(&format!("{DATA_CACHES}-{member}"))).await;
    let Ok(cache) = JsFuture::from(caches.open(MEMBER_CACHE)).await else {
        return;
    };
    let cache: web_sys::Cache = cache.unchecked_into();
    if let Ok(entry) = web_sys::Response::new_with_opt_str(Some(&member.to_string())) {
        let _ = JsFuture::from(cache.put_with_str(MEMBER_KEY, &entry)).await;
    }
}

/// Deletes every teammate's cached answers, and who was signed in (at sign-out and when a
/// session ends: the next person on this device must find nothing of them).
pub async fn forget_cached_data() {
    let Some(caches) = cache_storage() else {
        return;
    };
    let _ = JsFuture::from(caches.delete(MEMBER_CACHE)).await;
    delete_data_caches(&caches, None).await;
}

async fn delete_data_caches(caches: &web_sys::CacheStorage, keep: Option<&str>) {
    let Ok(names) = JsFuture::from(caches.keys()).await else {
        return;
    };
    for name in js_sys::Array::from(&names)
        .iter()
        .filter_map(|n| n.as_string())
    {
        if name.starts_with(DATA_CACHES) && Some(name.as_str()) != keep {
            let _ = JsFuture::from(caches.delete(&name)).await;
        }
    }
}

/// The Cache API, where the browser has it (secure contexts only).
fn cache_storage() -> Option<web_sys::CacheStorage> {
    let window = web_sys::window()?;
    let has = js_sys::Reflect::has(&window, &"caches".into()).unwrap_or(false);
    has.then(|| window.caches().ok()).flatten()
}
