use crate::i18n::{t, Text};
use crate::store::{NoticeAction, NoticeKind, Notices};
use leptos::prelude::*;

/// Short-lived messages about changes: confirmations with Undo, and problems. Polite ones are
/// announced when the screen reader is idle; errors at once. `on_undo` undoes the last change.
#[component]
pub fn NoticeStack(#[prop(into)] on_undo: Callback<()>) -> impl IntoView {
    let notices = expect_context::<Notices>();
    let of_kind = move |urgent: bool| {
        move || {
            notices
                .shown()
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
                    let label = match action {
                        NoticeAction::Undo => t(Text::NoticesUndo),
                        NoticeAction::Reload => t(Text::NoticesReload),
                    };
                    let act = move || match action {
                        NoticeAction::Undo => on_undo.run(()),
                        NoticeAction::Reload => crate::pwa::reload_into_update(),
                    };
                    view! {
                        <button type="button" class="notice-action" on:click=move |_| { notices.dismiss(id); act(); }>
                            {label}
                        </button>
                    }
                })}
                <button type="button" class="notice-close" aria-label=t(Text::NoticesDismiss) on:click=move |_| notices.dismiss(id)>
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
