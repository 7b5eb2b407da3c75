use crate::store::{NoticeAction, NoticeKind, Store};
use leptos::prelude::*;

/// Short-lived messages about changes: confirmations with Undo, and problems. Polite ones are
/// announced when the screen reader is idle; errors at once.
#[component]
pub fn Notices() -> impl IntoView {
    let store = expect_context::<Store>();
    let of_kind = move |urgent: bool| {
        move || {
            store
                .notices
                .get()
                .into_iter()
                .filter(|n| (n.kind == NoticeKind::Error) == urgent)
                .collect::<Vec<_>>()
        }
    };
    let item = move |notice: crate::store::Notice| {
        let id = notice.id;
        let kind = match notice.kind {
            NoticeKind::Info => "info",
            NoticeKind::Warning => "warning",
            NoticeKind::Error => "error",
        };
        view! {
            <div class=format!("notice {kind}")>
                <span class="notice-text">{notice.text}</span>
                {notice.action.map(|action| {
                    let (label, act): (&str, fn(Store)) = match action {
                        NoticeAction::Undo => ("Undo", |store| store.undo()),
                        NoticeAction::Reload => ("Reload", |_| crate::pwa::reload_into_update()),
                    };
                    view! {
                        <button type="button" class="notice-action" on:click=move |_| { store.dismiss(id); act(store); }>
                            {label}
                        </button>
                    }
                })}
                <button type="button" class="notice-close" aria-label="Dismiss" on:click=move |_| store.dismiss(id)>
                    "×"
                </button>
            </div>
        }
    };
    view! {
        <div class="notices">
            <div role="status" aria-live="polite">
                <For each=of_kind(false) key=|n| n.id children=item/>
            </div>
            <div role="alert">
                <For each=of_kind(true) key=|n| n.id children=item/>
            </div>
        </div>
    }
}
