use crate::i18n::{t, Text};
use crate::routes::InboxRoute;
use crate::store::{Place, Store};
use leptos::prelude::*;
use switchboard_domain::View;

/// The Open, Unread and Done tabs of the current line.
#[component]
pub fn ViewTabs() -> impl IntoView {
    let store = expect_context::<Store>();
    let place = expect_context::<Place>();
    let tabs = View::ALL.map(|view| {
        let current = Memo::new(move |_| place.route.with(|route| route.view) == view);
        let href = move || {
            let route = place.route.get();
            InboxRoute::list(route.line, view)
                .mine(route.mine)
                .tagged(route.tag)
                .path()
        };
        view! {
            <a role="tab" class="tab" href=href id=format!("tab-{}", view.as_str())
                aria-selected=move || current.get().to_string()
                aria-controls="conversation-list"
                tabindex=move || if current.get() { "0" } else { "-1" }>
                {crate::text::view_label(view)}
            </a>
        }
    });
    let mine = Memo::new(move |_| place.route.with(|route| route.mine));
    view! {
        <div class="view-bar">
            <nav class="view-tabs" role="tablist" aria-label=t(Text::ViewsTabs)>{tabs}</nav>
            <button type="button" class="mine-filter" aria-pressed=move || mine.get().to_string()
                title=t(Text::ViewsMineTitle)
                on:click=move |_| store.show_mine(!mine.get_untracked())>
                {t(Text::ViewsMine)}
            </button>
        </div>
    }
}
