use crate::components::conversation_row::row_element_id;
use crate::components::ConversationRow;
use crate::i18n::{t, tf, Text};
use crate::navigation::Viewport;
use crate::store::{Inbox, ListStatus, Place, Store};
use leptos::html;
use leptos::prelude::*;
use switchboard_domain::View;

/// Every row is this tall (style/main.css keeps it so): the window of rendered rows is computed
/// from the scroll position alone.
pub const ROW_HEIGHT: f64 = 76.0;

/// The Conversations grid. Only the rows near the viewport are in the DOM, so that a list of
/// thousands stays as light as a list of twenty; nearing the end loads the next page.
#[component]
pub fn InboxList() -> impl IntoView {
    let store = expect_context::<Store>();
    let inbox = expect_context::<Inbox>();
    let place = expect_context::<Place>();
    let grid = NodeRef::<html::Div>::new();
    let scroll_top = RwSignal::new(0.0);
    let height = RwSignal::new(800.0);
    let viewport = Memo::new(move |_| Viewport {
        scroll_top: scroll_top.get(),
        height: height.get(),
        row_height: ROW_HEIGHT,
    });
    let len = Memo::new(move |_| inbox.list.with(|list| list.ids.len()));
    let rendered = Memo::new(move |_| viewport.get().window(len.get()));
    let rows = Memo::new(move |_| {
        let range = rendered.get();
        inbox.list.with(|list| {
            list.ids[range.start.min(list.ids.len())..range.end.min(list.ids.len())].to_vec()
        })
    });

    // Never more than the window shows, even if a style left the grid unbounded.
    let screen_height = || {
        window()
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(f64::MAX)
    };
    let measure = move || {
        if let Some(grid) = grid.get_untracked() {
            scroll_top.set(grid.scroll_top() as f64);
            height.set((grid.client_height() as f64).min(screen_height()));
        }
    };
    // The grid's height comes from a ResizeObserver, after the browser has laid the page out:
    // reading it as the grid mounts would force that layout inside the task that builds the
    // inbox, one long task instead of two short ones. A new grid is at its top.
    Effect::new(move |_| {
        if let Some(grid) = grid.get() {
            watch_height(&grid, move |client_height| {
                height.set(client_height.min(screen_height()))
            });
        }
    });

    // The window's size bounds it too (see above).
    let _resize = window_event_listener(leptos::ev::resize, move |_| measure());

    // A new list starts at its top (and only a new one: a change in the list keeps the place).
    let key = Memo::new(move |_| inbox.list.with(|list| list.key));
    Effect::new(move |first: Option<()>| {
        key.track();
        if first.is_some() {
            if let Some(grid) = grid.get_untracked() {
                grid.set_scroll_top(0);
                scroll_top.set(0.0);
            }
        }
    });

    Effect::new(move |_| {
        if viewport.get().wants_more(len.get()) {
            store.load_more();
        }
    });

    // When the keyboard moves the selection: scroll it into view, then focus its row (unless
    // the user is typing somewhere else).
    Effect::new(move |previous: Option<u64>| {
        let moves = inbox.keyboard_moves.get();
        if previous.is_some() {
            reveal_selected(inbox, grid, viewport, scroll_top);
        }
        moves
    });

    let empty_text = move || {
        let view = place.route.with(|route| route.view);
        match view {
            View::Open => t(Text::ListEmptyOpen),
            View::Unread => t(Text::ListEmptyUnread),
            View::Done => t(Text::ListEmptyDone),
        }
    };
    let status = move || {
        inbox.list.with(|list| match &list.status {
            ListStatus::Loading => Some(("loading", t(Text::ListLoading).to_owned())),
            ListStatus::LoadingMore => Some(("loading", t(Text::ListLoadingMore).to_owned())),
            ListStatus::Failed(error) => Some((
                "failed",
                tf(Text::ListFailed, &[("error", &error.to_string())]),
            )),
            ListStatus::Ready if list.ids.is_empty() => Some(("empty", empty_text().to_owned())),
            ListStatus::Ready => None,
        })
    };
    let more = move || inbox.list.with(|list| list.next_cursor.is_some());

    view! {
        // The grid keeps the keyboard focus and names the selected row as its active descendant:
        // moving the selection moves no focus (no style and layout work per key press), and a
        // row that leaves the list never takes the focus with it.
        <div class="inbox-list" role="grid" id="conversation-list" aria-label=t(Text::ListLabel)
            tabindex="0"
            aria-activedescendant=move || {
                let id = inbox.selected.get()?;
                rows.with(|rows| rows.contains(&id)).then(|| row_element_id(id))
            }
            aria-rowcount=move || if more() { "-1".to_owned() } else { len.get().to_string() }
            aria-busy=move || inbox.list.with(|l| matches!(l.status, ListStatus::Loading)).to_string()
            node_ref=grid
            on:scroll=move |_| measure()
        >
            <div role="rowgroup" class="rows"
                style:height=move || pixels(len.get())
                style:padding-top=move || pixels(rendered.get().start)>
                <For each=move || rows.get() key=|id| *id children=move |id| {
                    let position = Signal::derive(move || {
                        rendered.get().start + rows.with(|r| r.iter().position(|x| *x == id).unwrap_or(0)) + 1
                    });
                    inbox.summary(id).map(|summary| view! { <ConversationRow id summary position/> })
                }/>
            </div>
        </div>
        {move || status().map(|(kind, text)| view! {
            <p class=format!("list-status {kind}") role="status">{text}</p>
        })}
    }
}

/// Calls `on_height` with the element's inner height whenever it changes (and once it is laid
/// out), for as long as the calling component lives.
pub(crate) fn watch_height(element: &web_sys::HtmlElement, on_height: impl Fn(f64) + 'static) {
    use wasm_bindgen::prelude::*;
    let observed = element.clone();
    let on_resize = Closure::<dyn Fn()>::new(move || on_height(observed.client_height() as f64));
    let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) else {
        return;
    };
    observer.observe(element);
    let kept = send_wrapper::SendWrapper::new((observer, on_resize));
    on_cleanup(move || kept.take().0.disconnect());
}

/// The height of `rows` rows, for CSS (whole pixels: no float formatting in the bundle).
fn pixels(rows: usize) -> String {
    format!("{}px", rows as i64 * ROW_HEIGHT as i64)
}

fn reveal_selected(
    inbox: Inbox,
    grid: NodeRef<html::Div>,
    viewport: Memo<Viewport>,
    scroll_top: RwSignal<f64>,
) {
    let Some(id) = inbox.selected.get_untracked() else {
        return;
    };
    let Some(index) = inbox
        .list
        .with_untracked(|list| list.ids.iter().position(|x| *x == id))
    else {
        return;
    };
    let Some(grid) = grid.get_untracked() else {
        return;
    };
    if let Some(top) = viewport.get_untracked().reveal(index) {
        grid.set_scroll_top(top as i32);
        scroll_top.set(top);
    }
    // The keyboard's focus joins the grid, once, after the frame that shows the move (unless
    // the user is typing somewhere else); within the grid the selection moves without it.
    if document()
        .active_element()
        .is_some_and(|active| grid.is_same_node(Some(&active)))
    {
        return;
    }
    request_animation_frame(move || {
        set_timeout(
            move || {
                let typing_elsewhere = document().active_element().is_some_and(|el| {
                    let tag = el.tag_name();
                    tag == "TEXTAREA" || tag == "INPUT" || tag == "SELECT"
                });
                if !typing_elsewhere {
                    let options = web_sys::FocusOptions::new();
                    options.set_prevent_scroll(true);
                    let _ = grid.focus_with_options(&options);
                }
            },
            std::time::Duration::ZERO,
        );
    });
}
