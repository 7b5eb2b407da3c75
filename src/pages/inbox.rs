use crate::components::{
    ConnectionStatus, InboxList, LineSidebar, NoticeStack, ShortcutSheetSlot, TagFilter,
    ThreadPane, ViewTabs,
};
use crate::i18n::{t, Text};
use crate::layout::Layout;
use crate::pages::NotFound;
use crate::routes::InboxRoute;
use crate::store::Store;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The inbox: lines beside the list of the chosen view, and the open conversation's thread.
#[component]
pub fn InboxPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let layout = expect_context::<Layout>();
    let params = use_params_map();
    let query = use_query_map();
    let route = Memo::new(move |_| {
        let (assignee, tag) = query.with(|q| (q.get("assignee"), q.get("tag")));
        params.with(|p| {
            InboxRoute::parse(
                &p.get("line")?,
                &p.get("view")?,
                p.get("conversation").as_deref(),
            )
            .map(|route| {
                route
                    .with_assignee(assignee.as_deref())
                    .with_tag(tag.as_deref())
            })
        })
    });
    Effect::new(move |_| {
        if let Some(route) = route.get() {
            store.show_route(route);
        }
    });
    let thread_open = move || route.with(|r| r.is_some_and(|r| r.conversation.is_some()));

    view! {
        <Show when=move || route.with(Option::is_some) fallback=NotFound>
            <div class="inbox" class:thread-open=thread_open
                class:contact-beside=move || thread_open() && layout.contact_beside()>
                // A phone shows the lines on a screen of their own (/lines), never beside the
                // list: building them here would only slow its first paint.
                <Show when=move || layout.wide()>
                    <LineSidebar/>
                </Show>
                // One main landmark for the list and the thread, so that a phone showing only
                // the thread still has one; it takes no box of its own.
                <main class="inbox-main">
                    <div class="list-pane">
                        <header class="list-header phone-only">
                            <a class="icon-button" href="/lines" aria-label=t(Text::SidebarSwitchLine)>"☰"</a>
                            <h1>{move || store.line_name()}</h1>
                        </header>
                        <ConnectionStatus/>
                        <ViewTabs/>
                        <TagFilter/>
                        <InboxList/>
                    </div>
                    <ThreadPane/>
                </main>
            </div>
        </Show>
        <ShortcutSheetSlot/>
        <NoticeStack on_undo=move |_| store.undo()/>
    }
}
