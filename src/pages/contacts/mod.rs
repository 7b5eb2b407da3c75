//! The Contacts page (`/contacts`), a contact's page (`/contacts/:id`) and the CSV import
//! (`/contacts/import`): all in the wasm chunk `contacts`, fetched on first use, with a
//! stylesheet of their own (`style/contacts.css`), so that the inbox's first screen carries
//! none of it.

mod contact;
mod import;
mod list;
mod merge;
mod new_contact;

use crate::chunks::in_chunk;
use crate::components::{LineSidebar, NoticeStack};
use crate::contact_list::ContactsAddress;
use crate::i18n::{t, Text};
use crate::layout::Layout;
use crate::store::Store;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

in_chunk!(
    contacts,
    /// Every page under `/contacts` (one route, so that the router's own code on the first
    /// screen grows by one route only).
    pub fn contacts_pages() {
        view! { <ContactsFrame><ContactsPages/></ContactsFrame> }.into_any()
    }
);

/// The page the address names, under a frame that stays as one goes from one to another.
#[component]
fn ContactsPages() -> impl IntoView {
    let params = use_params_map();
    let address = Memo::new(move |_| {
        params.with(|p| ContactsAddress::parse(&p.get("rest").unwrap_or_default()))
    });
    move || match address.get() {
        ContactsAddress::List => view! { <list::ContactsList/> }.into_any(),
        ContactsAddress::Import => view! { <import::ImportScreen/> }.into_any(),
        ContactsAddress::Contact(id) => view! { <contact::ContactDetail id/> }.into_any(),
        ContactsAddress::Unknown => view! {
            <h1>{t(Text::NotFoundTitle)}</h1>
            <p><a href="/contacts">{t(Text::ContactsBack)}</a></p>
        }
        .into_any(),
    }
}

/// The lines beside the page where there is room (as beside the inbox), and the page's main
/// landmark; on a phone, a header leads back to the lines.
#[component]
fn ContactsFrame(children: Children) -> impl IntoView {
    let store = expect_context::<Store>();
    let layout = expect_context::<Layout>();
    if store.lines.with(|lines| lines.is_empty()) {
        store.load_lines();
    }
    // The list's search and filters stay while a contact's page is open, for the way back.
    provide_context(list::ListFilters(RwSignal::new(Default::default())));
    view! {
        <link rel="stylesheet" href="/contacts.css"/>
        <div class="contacts-screen">
            <Show when=move || layout.wide()>
                <LineSidebar on_contacts=true/>
            </Show>
            <main class="contacts-main">
                <header class="list-header phone-only">
                    <a class="icon-button" href="/lines" aria-label=t(Text::SidebarSwitchLine)>"☰"</a>
                </header>
                {children()}
            </main>
        </div>
        <NoticeStack on_undo=move |_| store.undo()/>
    }
}

/// The path of a contact's page.
pub fn contact_path(id: switchboard_domain::ContactId) -> String {
    format!("/contacts/{id}")
}
