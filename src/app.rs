use crate::chunks::chunk_view;
use crate::components::Now;
use crate::i18n::{t, Text};
use crate::keyboard::{self, KeyPress, KeyTarget, Shortcut};
use crate::layout::Layout;
use crate::pages::{contacts_pages, sign_in_page, InboxPage, LinesPage, NotFound, SignedIn};
use crate::pwa;
use crate::routes::InboxRoute;
use crate::store::Store;
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::{path, NavigateOptions};
use std::cell::RefCell;
use std::rc::Rc;
use switchboard_domain::StateChange;
use wasm_bindgen::JsCast;

/// Starts the app in the page's language: the store and what lives as long as the page, then the
/// view, which is built anew whenever the teammate switches language (the store, and so the
/// page's state, stays). Remounting keeps the views' code free of any path that patches a whole
/// app into another language.
pub async fn run() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    crate::i18n::begin().await;
    // The page's own owner: the store, its contexts and the listeners outlive every view.
    let root = Owner::new();
    root.set();
    let store = Store::new().provide();
    provide_context(Now::start());
    provide_context(Layout::follow_window());
    start_page(store);
    let mounted = Rc::new(RefCell::new(None));
    let mount = {
        let root = root.clone();
        let mounted = mounted.clone();
        move || {
            // The old view goes first: its listeners (keys, resize) must not act on the new.
            drop(mounted.take());
            let view =
                root.with(|| leptos::mount::mount_to(document().body().expect("a body"), AppView));
            *mounted.borrow_mut() = Some(view);
        }
    };
    mount();
    store.language.on_switch(mount);
    // The page's owner lives as long as the page.
    std::mem::forget(root);
}

/// What the page does once, whatever its view: the session, the connection, the service
/// worker, the title.
fn start_page(store: Store) {
    // Changes a previous visit could not send go out once the session says whose they are;
    // the browser's own word on the connection starts another try (of them, and of a sign-out
    // that waits for the server), or marks the app offline.
    store.check_session();
    let online = window_event_listener(leptos::ev::online, move |_| {
        store.sync();
        store.resume_sign_out();
    });
    let offline = window_event_listener(leptos::ev::offline, move |_| {
        store.sync_status.online.set(false)
    });
    // A change made just before the page goes away is stored even if its turn had not come.
    let hidden = window_event_listener(leptos::ev::pagehide, move |_| store.save_queue());
    std::mem::forget((online, offline, hidden));

    let notices = store.notices;
    pwa::register_service_worker(move || notices.offer_update());

    // The document title and the installed app's icon carry the unread total; neither is in
    // the page's next frame, so they follow it rather than delay it.
    Effect::new(move |_| {
        let unread = store.lines.total_unread();
        store.language.get();
        set_timeout(
            move || {
                let name = t(Text::AppName);
                let title = match unread {
                    0 => name.to_owned(),
                    n => format!("({}) {name}", crate::i18n::number(n as usize)),
                };
                document().set_title(&title);
                pwa::set_app_badge(unread);
            },
            std::time::Duration::ZERO,
        );
    });
}

#[component]
fn AppView() -> impl IntoView {
    view! {
        <Router>
            <Navigator/>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=|| view! { <Redirect path=InboxRoute::default().path()/> }/>
                <Route path=path!("/sign-in") view=|| chunk_view(sign_in_page)/>
                <Route path=path!("/lines") view=|| view! { <SignedIn><LinesPage/></SignedIn> }/>
                // `/contacts`, `/contacts/import` and `/contacts/:id`, in their own chunk.
                <Route path=path!("/contacts/*rest")
                    view=|| view! { <SignedIn>{chunk_view(contacts_pages)}</SignedIn> }/>
                <Route path=path!("/:line/:view/:conversation?")
                    view=|| view! { <SignedIn><InboxPage/></SignedIn> }/>
            </Routes>
        </Router>
    }
}

/// Gives the store the router's navigation, and binds the keyboard shortcuts to the window.
#[component]
fn Navigator() -> impl IntoView {
    let store = expect_context::<Store>();
    let navigate = use_navigate();
    store.set_navigator(move |path, replace| {
        navigate(
            path,
            NavigateOptions {
                replace,
                scroll: false,
                ..Default::default()
            },
        )
    });
    let handle = window_event_listener(leptos::ev::keydown, move |event| on_key(store, &event));
    on_cleanup(move || handle.remove());
}

/// The thin binding: a browser key event to [`keyboard::shortcut`], and its answer to the store.
fn on_key(store: Store, event: &web_sys::KeyboardEvent) {
    if event.default_prevented() || event.is_composing() {
        return;
    }
    let key = event.key();
    let press = KeyPress {
        key: &key,
        ctrl: event.ctrl_key(),
        meta: event.meta_key(),
        alt: event.alt_key(),
        target: key_target(event),
        sheet_open: store.place.sheet_open.get_untracked(),
    };
    let Some(shortcut) = keyboard::shortcut(&press) else {
        return;
    };
    // The inbox's shortcuts act on the inbox only (not on the Contacts pages).
    if !on_inbox() {
        return;
    }
    event.prevent_default();
    match shortcut {
        Shortcut::MarkDone => store.act_on_selected(StateChange::Done),
        Shortcut::MarkUnread => store.act_on_selected(StateChange::Unread),
        Shortcut::MarkOpen => store.act_on_selected(StateChange::Open),
        Shortcut::Next => store.step(1),
        Shortcut::Previous => store.step(-1),
        Shortcut::OpenSelected => store.open_selected(),
        Shortcut::ToggleSheet => store.place.sheet_open.update(|open| *open = !*open),
        Shortcut::CloseSheet => store.place.sheet_open.set(false),
        Shortcut::Undo => store.undo(),
        Shortcut::LeaveField => {
            if let Some(element) = document()
                .active_element()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = element.blur();
            }
        }
    }
}

/// Whether the page shown is the inbox's (not the Contacts pages).
fn on_inbox() -> bool {
    window()
        .location()
        .pathname()
        .is_ok_and(|path| !path.starts_with("/contacts"))
}

fn key_target(event: &web_sys::KeyboardEvent) -> KeyTarget {
    let Some(element) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return KeyTarget::Page;
    };
    if element.is_content_editable() {
        return KeyTarget::TextField;
    }
    match element.tag_name().as_str() {
        "TEXTAREA" | "SELECT" => KeyTarget::TextField,
        "INPUT" => {
            let kind = element.get_attribute("type").unwrap_or_default();
            match kind.as_str() {
                "button" | "submit" | "checkbox" | "radio" | "reset" => KeyTarget::Control,
                _ => KeyTarget::TextField,
            }
        }
        "BUTTON" | "A" | "SUMMARY" => KeyTarget::Control,
        _ => KeyTarget::Page,
    }
}
