//! The list of contacts: searched, filtered by tag and by property, sorted, and windowed (only
//! the rows in view are in the DOM), fetched a page at a time with the API's cursor as it
//! scrolls.

use super::contact_path;
use super::new_contact::NewContactDialog;
use crate::api;
use crate::components::contact_tags::chip_class;
use crate::components::inbox_list::watch_height;
use crate::contact_list::{ContactFilters, Separator};
use crate::i18n::{t, tf, tn, Plural, Text};
use crate::navigation::Viewport;
use crate::store::{Contacts, Store};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;
use switchboard_domain::contacts::{ContactCard, ContactSort, PropertyType};
use switchboard_domain::phone::display_number;
use switchboard_domain::TagId;
use wasm_bindgen::JsCast;

/// Every row is this tall (style/contacts.css keeps it so).
pub const ROW_HEIGHT: f64 = 56.0;
/// How long typing pauses before the search runs.
const SEARCH_PAUSE: Duration = Duration::from_millis(250);

#[derive(Debug, Clone, PartialEq)]
enum Status {
    Loading,
    Ready,
    Failed(String),
}

/// The contacts the filters find, as far as loaded.
#[derive(Clone, Copy)]
struct Loaded {
    cards: RwSignal<Vec<ContactCard>>,
    next_cursor: RwSignal<Option<String>>,
    total: RwSignal<Option<u64>>,
    status: RwSignal<Status>,
    /// Bumped for each new search: answers to an older one are dropped.
    generation: StoredValue<u64>,
    fetching: StoredValue<bool>,
}

impl Loaded {
    fn new() -> Loaded {
        Loaded {
            cards: RwSignal::new(Vec::new()),
            next_cursor: RwSignal::new(None),
            total: RwSignal::new(None),
            status: RwSignal::new(Status::Loading),
            generation: StoredValue::new(0),
            fetching: StoredValue::new(false),
        }
    }

    /// The first page of `filters`, in place of whatever was shown.
    fn start(&self, store: Store, filters: ContactFilters) {
        self.generation.update_value(|g| *g += 1);
        self.fetching.set_value(false);
        self.status.set(Status::Loading);
        self.fetch(store, filters, None);
    }

    /// The next page, if there is one and none is on its way.
    fn more(&self, store: Store, filters: ContactFilters) {
        if self.fetching.get_value() || self.status.get_untracked() != Status::Ready {
            return;
        }
        if let Some(cursor) = self.next_cursor.get_untracked() {
            self.fetch(store, filters, Some(cursor));
        }
    }

    fn fetch(&self, store: Store, filters: ContactFilters, cursor: Option<String>) {
        let loaded = *self;
        let generation = self.generation.get_value();
        self.fetching.set_value(true);
        spawn_local(async move {
            let answer = api::contact_page(&filters, cursor.as_deref()).await;
            if loaded.generation.get_value() != generation {
                return;
            }
            loaded.fetching.set_value(false);
            match answer {
                Ok(page) => {
                    match cursor {
                        None => loaded.cards.set(page.contacts),
                        Some(_) => loaded.cards.update(|cards| cards.extend(page.contacts)),
                    }
                    if page.total.is_some() {
                        loaded.total.set(page.total);
                    }
                    loaded.next_cursor.set(page.next_cursor);
                    loaded.status.set(Status::Ready);
                }
                Err(error) => {
                    store.check_signed_out(&error);
                    loaded.status.set(Status::Failed(error.to_string()));
                }
            }
        });
    }
}

/// The list's search and filters, kept by the Contacts pages' frame.
#[derive(Clone, Copy)]
pub struct ListFilters(pub RwSignal<ContactFilters>);

/// The Contacts page: its heading and actions, the search and filters, the count, the list.
#[component]
pub fn ContactsList() -> impl IntoView {
    let store = expect_context::<Store>();
    let filters = expect_context::<ListFilters>().0;
    let loaded = Loaded::new();
    Effect::new(move |_| loaded.start(store, filters.get()));
    let creating = RwSignal::new(false);
    view! {
        <div class="contacts-page">
            <header class="contacts-header">
                <h1>{t(Text::ContactsTitle)}</h1>
                <div class="contacts-actions">
                    <button type="button" class="primary" on:click=move |_| creating.set(true)>
                        {t(Text::ContactsNew)}
                    </button>
                    <a class="button" href="/contacts/import">{t(Text::ContactsImport)}</a>
                    <a class="button export" download="contacts.csv"
                        href=move || filters.with(|f| f.export_address(Separator::Comma))>
                        {t(Text::ContactsExport)}
                    </a>
                    <a class="button export" download="contacts.csv"
                        href=move || filters.with(|f| f.export_address(Separator::Semicolon))>
                        {t(Text::ContactsExportSemicolon)}
                    </a>
                </div>
            </header>
            <ContactFiltersBar filters/>
            <ContactCount loaded/>
            <ContactGrid loaded filters/>
        </div>
        <Show when=move || creating.get()>
            <NewContactDialog open=creating/>
        </Show>
    }
}

/// The searchbox (debounced), the tag and property filters and the order.
#[component]
fn ContactFiltersBar(filters: RwSignal<ContactFilters>) -> impl IntoView {
    let contacts = expect_context::<Contacts>();
    let typed = RwSignal::new(filters.with_untracked(|f| f.q.clone()));
    let search = move |value: String| {
        typed.set(value.clone());
        set_timeout(
            move || {
                if typed.get_untracked() == value {
                    filters.update(|f| f.q = value);
                }
            },
            SEARCH_PAUSE,
        );
    };
    let chosen_property = Memo::new(move |_| {
        let key = filters.with(|f| f.property.clone());
        contacts
            .properties
            .with(|all| all.iter().find(|p| p.key == key).cloned())
    });
    view! {
        <div class="contacts-tools" role="search" aria-label=t(Text::ContactsTools)>
            <input type="search" class="contacts-search" aria-label=t(Text::ContactsSearch)
                placeholder=t(Text::ContactsSearchHint) autocomplete="off"
                prop:value=move || typed.get()
                on:input=move |ev| search(event_target_value(&ev))
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Enter" {
                        let value = typed.get_untracked();
                        filters.update(|f| f.q = value);
                    }
                }/>
            <label class="tag-filter">
                <span>{t(Text::FiltersTag)}</span>
                <select on:change=move |ev| {
                    let tag = event_target_value(&ev).parse().ok().map(TagId);
                    filters.update(|f| f.tag = tag);
                }>
                    <option value="">{t(Text::FiltersAnyTag)}</option>
                    <For each=move || contacts.tags.get() key=|tag| (tag.id, tag.name.clone()) children=move |tag| {
                        let id = tag.id;
                        view! {
                            <option value=id.to_string()
                                prop:selected=move || filters.with(|f| f.tag == Some(id))>
                                {tag.name}
                            </option>
                        }
                    }/>
                </select>
            </label>
            <label class="property-filter">
                <span>{t(Text::ContactsProperty)}</span>
                <select on:change=move |ev| {
                    let key = event_target_value(&ev);
                    filters.update(|f| {
                        f.property = key;
                        f.value = String::new();
                    });
                }>
                    <option value="">{t(Text::ContactsAnyProperty)}</option>
                    <For each=move || contacts.properties.get() key=|p| (p.key.clone(), p.name.clone()) children=move |p| {
                        let key = p.key.clone();
                        view! {
                            <option value=p.key.clone()
                                prop:selected=move || filters.with(|f| f.property == key)>
                                {p.name}
                            </option>
                        }
                    }/>
                </select>
            </label>
            {move || chosen_property.get().map(|property| {
                let set = move |value: String| filters.update(|f| f.value = value);
                match property.kind {
                    PropertyType::SingleChoice | PropertyType::MultipleChoice => view! {
                        <label class="property-filter">
                            <span>{t(Text::ContactsValue)}</span>
                            <select on:change=move |ev| set(event_target_value(&ev))>
                                <option value="">{t(Text::ContactsAnyValue)}</option>
                                {property.options.iter().map(|option| {
                                    let chosen = option.clone();
                                    view! {
                                        <option value=option.clone()
                                            prop:selected=move || filters.with(|f| f.value == chosen)>
                                            {option.clone()}
                                        </option>
                                    }
                                }).collect_view()}
                            </select>
                        </label>
                    }.into_any(),
                    _ => view! {
                        <label class="property-filter">
                            <span>{t(Text::ContactsValue)}</span>
                            <input type="text" prop:value=move || filters.with(|f| f.value.clone())
                                on:change=move |ev| set(event_target_value(&ev))/>
                        </label>
                    }.into_any(),
                }
            })}
            <label class="sort">
                <span>{t(Text::ContactsSort)}</span>
                <select on:change=move |ev| {
                    let sort = match event_target_value(&ev).as_str() {
                        "created" => ContactSort::Created,
                        "updated" => ContactSort::Updated,
                        _ => ContactSort::Name,
                    };
                    filters.update(|f| f.sort = sort);
                }>
                    {[
                        (ContactSort::Name, Text::ContactsSortName),
                        (ContactSort::Created, Text::ContactsSortCreated),
                        (ContactSort::Updated, Text::ContactsSortUpdated),
                    ].map(|(sort, text)| view! {
                        <option value=sort.as_str()
                            prop:selected=move || filters.with(|f| f.sort == sort)>
                            {t(text)}
                        </option>
                    }).collect_view()}
                </select>
            </label>
        </div>
    }
}

/// How many contacts the filters find (announced as it changes), or why none are shown.
#[component]
fn ContactCount(loaded: Loaded) -> impl IntoView {
    let text = move || match loaded.status.get() {
        Status::Loading => t(Text::ContactsLoading).to_owned(),
        Status::Failed(error) => tf(Text::ContactsFailed, &[("error", &error)]),
        Status::Ready => match loaded.total.get().unwrap_or(0) {
            0 => t(Text::ContactsEmpty).to_owned(),
            n => tn(Plural::ContactsCount, n as usize),
        },
    };
    view! { <p class="contacts-count" role="status">{text}</p> }
}

/// The grid "Contacts": a header row, then one row per contact, only those in view rendered.
/// ↑ and ↓ move from row to row.
#[component]
fn ContactGrid(loaded: Loaded, filters: RwSignal<ContactFilters>) -> impl IntoView {
    let store = expect_context::<Store>();
    let grid = NodeRef::<html::Div>::new();
    let scroll_top = RwSignal::new(0.0);
    let height = RwSignal::new(600.0);
    let viewport = Memo::new(move |_| Viewport {
        scroll_top: scroll_top.get(),
        height: height.get(),
        row_height: ROW_HEIGHT,
    });
    let len = Memo::new(move |_| loaded.cards.with(Vec::len));
    let rendered = Memo::new(move |_| viewport.get().window(len.get()));
    let rows = Memo::new(move |_| {
        let range = rendered.get();
        loaded.cards.with(|cards| {
            let (start, end) = (range.start.min(cards.len()), range.end.min(cards.len()));
            (start..end)
                .map(|index| (index, cards[index].clone()))
                .collect::<Vec<_>>()
        })
    });
    Effect::new(move |_| {
        if let Some(grid) = grid.get() {
            watch_height(&grid, move |h| height.set(h));
        }
    });
    // A new search starts at the top.
    Effect::new(move |first: Option<()>| {
        filters.track();
        if first.is_some() {
            if let Some(grid) = grid.get_untracked() {
                grid.set_scroll_top(0);
            }
            scroll_top.set(0.0);
        }
    });
    Effect::new(move |_| {
        if viewport.get().wants_more(len.get()) && loaded.next_cursor.with(Option::is_some) {
            loaded.more(store, filters.get_untracked());
        }
    });
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let delta: isize = match ev.key().as_str() {
            "ArrowDown" => 1,
            "ArrowUp" => -1,
            _ => return,
        };
        let Some(index) = focused_row(&ev) else {
            return;
        };
        ev.prevent_default();
        let target = index
            .saturating_add_signed(delta)
            .min(len.get_untracked().saturating_sub(1));
        if let (Some(top), Some(grid)) = (
            viewport.get_untracked().reveal(target),
            grid.get_untracked(),
        ) {
            grid.set_scroll_top(top as i32);
            scroll_top.set(top);
        }
        request_animation_frame(move || focus_row(target));
    };
    let rowcount = move || match (loaded.total.get(), loaded.next_cursor.with(Option::is_some)) {
        (Some(total), _) => (total + 1).to_string(),
        (None, true) => "-1".to_owned(),
        (None, false) => (len.get() + 1).to_string(),
    };
    view! {
        <div class="contact-grid" role="grid" aria-label=t(Text::ContactsLabel) aria-readonly="true"
            aria-rowcount=rowcount node_ref=grid
            aria-busy=move || (loaded.status.get() == Status::Loading).to_string()
            on:scroll=move |_| {
                if let Some(grid) = grid.get_untracked() {
                    scroll_top.set(grid.scroll_top() as f64);
                }
            }
            on:keydown=on_key>
            <div role="rowgroup" class="contact-grid-head">
                <div role="row" class="contact-row" aria-rowindex="1">
                    <span role="columnheader">{t(Text::ContactsColumnName)}</span>
                    <span role="columnheader">{t(Text::ContactsColumnCompany)}</span>
                    <span role="columnheader">{t(Text::ContactsColumnNumber)}</span>
                    <span role="columnheader">{t(Text::ContactsColumnTags)}</span>
                </div>
            </div>
            <div role="rowgroup" class="contact-rows"
                style:height=move || pixels(len.get())
                style:padding-top=move || pixels(rendered.get().start)>
                <For each=move || rows.get() key=|(index, card)| (*index, card.id, card.updated_at)
                    children=move |(index, card)| view! { <ContactRow index card/> }/>
            </div>
        </div>
    }
}

/// One contact: its name (a link to its page), company, first number and tags.
#[component]
fn ContactRow(index: usize, card: ContactCard) -> impl IntoView {
    let contacts = expect_context::<Contacts>();
    let tags = card.tags.clone();
    let number = card.phones.first().map(|p| display_number(&p.number));
    view! {
        <div role="row" class="contact-row" aria-rowindex=(index + 2).to_string()
            aria-label=card.name.clone() data-contact-id=card.id.to_string()>
            <span role="gridcell" class="cell-name">
                <a class="name" href=contact_path(card.id)>{card.name.clone()}</a>
            </span>
            <span role="gridcell" class="contact-company">{card.company.clone()}</span>
            <span role="gridcell" class="contact-number">{number}</span>
            <span role="gridcell" class="row-tags">
                {move || contacts.tags.with(|all| {
                    tags.iter()
                        .filter_map(|id| all.iter().find(|tag| tag.id == *id))
                        .map(|tag| view! { <span class=chip_class(tag.colour)>{tag.name.clone()}</span> })
                        .collect_view()
                })}
            </span>
        </div>
    }
}

/// The index of the row whose link has the focus.
fn focused_row(ev: &leptos::ev::KeyboardEvent) -> Option<usize> {
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let row = target.closest("[role=row][data-contact-id]").ok()??;
    let index: usize = row.get_attribute("aria-rowindex")?.parse().ok()?;
    index.checked_sub(2)
}

fn focus_row(index: usize) {
    let selector = format!(".contact-rows [aria-rowindex=\"{}\"] a", index + 2);
    if let Some(link) = document()
        .query_selector(&selector)
        .ok()
        .flatten()
        .and_then(|l| l.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = link.focus();
    }
}

fn pixels(rows: usize) -> String {
    format!("{}px", rows as i64 * ROW_HEIGHT as i64)
}
