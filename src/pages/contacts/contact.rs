//! A contact's page: what the contact panel shows (its fields edit in place, as there), its
//! conversations on the reader's lines, its history, and Merge and Delete.

use super::merge::MergeDialog;
use crate::api;
use crate::components::contact_notes::ContactNotes;
use crate::components::contact_panel::{ListField, NameFields, OwnScreen, EMAILS, PHONES};
use crate::components::contact_properties::ContactProperties;
use crate::components::contact_tags::ContactTags;
use crate::components::Now;
use crate::i18n::{t, tf, Text};
use crate::routes::{InboxRoute, LineFilter};
use crate::store::{ContactEntry, Lines, NoticeKind, Store};
use crate::time_format;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use switchboard_domain::contacts::{ContactCard, ContactHistoryEntry};
use switchboard_domain::{ContactId, Status as ConversationStatus, View};

/// Where the contact stands, without its content (an edit must not rebuild the fields).
#[derive(Debug, Clone, PartialEq)]
enum Status {
    Loading,
    Failed(String),
    Removed,
    Loaded,
}

/// The page of a contact (`/contacts/:id`).
#[component]
pub fn ContactDetail(id: ContactId) -> impl IntoView {
    let store = expect_context::<Store>();
    // The contact's name is the page's heading, its sections' headings are one level down.
    provide_context(OwnScreen(true));
    let entry = store.show_contact(id);
    let status = Memo::new({
        let entry = entry.clone();
        move |_| {
            entry.with(|e| match e {
                ContactEntry::Loading => Status::Loading,
                ContactEntry::Failed(error) => Status::Failed(error.clone()),
                ContactEntry::Removed => Status::Removed,
                ContactEntry::Loaded(_) => Status::Loaded,
            })
        }
    });
    let card = Memo::new(move |_| entry.with(|e| e.card().cloned()));
    let focus_first = StoredValue::new(false);
    let merging = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    view! {
        <nav class="contact-page-back" aria-label=t(Text::ContactsBack)>
            <a href="/contacts">"← "{t(Text::ContactsBack)}</a>
        </nav>
        {move || match status.get() {
            Status::Loading => view! {
                <p class="contact-status" role="status">{t(Text::ContactLoading)}</p>
            }.into_any(),
            Status::Failed(error) => view! {
                <p class="contact-status failed" role="alert">{tf(Text::ContactFailed, &[("error", &error)])}</p>
            }.into_any(),
            Status::Removed => view! {
                <p class="contact-status">{t(Text::ContactRemoved)}</p>
            }.into_any(),
            Status::Loaded => view! {
                <article class="contact-panel contact-page">
                    <header class="contact-page-header">
                        <h1 class="contact-name">{move || card.with(|c| c.as_ref().map(|c| c.name.clone()))}</h1>
                        <div class="contact-actions" role="group" aria-label=t(Text::ContactsActions)>
                            <button type="button" on:click=move |_| merging.set(true)>{t(Text::ContactsMerge)}</button>
                            <button type="button" class="danger" on:click=move |_| deleting.set(true)>{t(Text::ContactsDelete)}</button>
                        </div>
                    </header>
                    <div class="contact-page-columns">
                        <div class="contact-page-column">
                            <NameFields id card focus_first/>
                            <ListField id card kind=&PHONES/>
                            <ListField id card kind=&EMAILS/>
                            <ContactTags id card/>
                            <ContactProperties id card/>
                        </div>
                        <div class="contact-page-column">
                            <ContactNotes id conversation=None/>
                            <ContactConversations id/>
                            <ContactHistory id/>
                        </div>
                    </div>
                </article>
                <Show when=move || merging.get()>
                    {move || card.get().map(|kept| view! { <MergeDialog kept open=merging/> })}
                </Show>
                <Show when=move || deleting.get()>
                    {move || card.get().map(|card| view! { <DeleteDialog card open=deleting/> })}
                </Show>
            }.into_any(),
        }}
    }
}

/// The contact's conversations on the reader's lines, each a link into the inbox.
#[component]
fn ContactConversations(id: ContactId) -> impl IntoView {
    let store = expect_context::<Store>();
    let lines = expect_context::<Lines>();
    let now = expect_context::<Now>().0;
    let conversations = Memo::new(move |_| {
        store.contacts.entry(id).map_or_else(Vec::new, |entry| {
            entry.with(|e| match e {
                ContactEntry::Loaded(page) => page.conversations.clone(),
                _ => Vec::new(),
            })
        })
    });
    view! {
        <section class="contact-section">
            <h2 class="section-title">{t(Text::ContactsConversations)}</h2>
            {move || conversations.with(Vec::is_empty).then(|| view! {
                <p class="hint">{t(Text::ContactsNoConversations)}</p>
            })}
            <ul class="contact-conversations">
                <For each=move || conversations.get() key=|c| (c.id, c.latest_activity.id, c.status) children=move |c| {
                    let view = match c.status {
                        ConversationStatus::Done => View::Done,
                        _ => View::Open,
                    };
                    let href = InboxRoute::list(LineFilter::All, view).with_conversation(Some(c.id)).path();
                    let line = lines.name(LineFilter::Line(c.line_id));
                    let when = time_format::short(c.latest_activity.at, now.get_untracked());
                    view! {
                        <li>
                            <a href=href>
                                <span class="conversation-line">{line}</span>
                                <span class="conversation-last">{crate::text::activity_summary(&c.latest_activity)}</span>
                                <time>{when}</time>
                            </a>
                        </li>
                    }
                }/>
            </ul>
        </section>
    }
}

/// What happened to the contact, newest first.
#[component]
fn ContactHistory(id: ContactId) -> impl IntoView {
    let store = expect_context::<Store>();
    let now = expect_context::<Now>().0;
    let history = Memo::new(move |_| {
        store.contacts.entry(id).map_or_else(Vec::new, |entry| {
            entry.with(|e| match e {
                ContactEntry::Loaded(page) => page.history.clone(),
                _ => Vec::new(),
            })
        })
    });
    view! {
        <section class="contact-section">
            <h2 class="section-title">{t(Text::ContactsHistory)}</h2>
            {move || history.with(Vec::is_empty).then(|| view! {
                <p class="hint">{t(Text::ContactsNoHistory)}</p>
            })}
            <ol class="contact-history">
                {move || history.get().into_iter().map(|entry| {
                    let when = time_format::long(entry.at, now.get_untracked());
                    view! {
                        <li>
                            <strong>{action_name(&entry)}</strong>
                            {entry.by.as_ref().map(|by| view! {
                                " "<span class="note-author">{tf(Text::ContactsHistoryBy, &[("name", &by.name)])}</span>
                            })}
                            " · "<time>{when}</time>
                            {(!entry.detail.is_empty()).then(|| view! {
                                <p class="history-detail">{entry.detail.clone()}</p>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

fn action_name(entry: &ContactHistoryEntry) -> &'static str {
    t(match entry.action.as_str() {
        "created" => Text::ContactsHistoryCreated,
        "merged" => Text::ContactsHistoryMerged,
        "imported" => Text::ContactsHistoryImported,
        "synced" => Text::ContactsHistorySynced,
        _ => Text::ContactsHistoryUpdated,
    })
}

/// "Delete Ana Bell?", with what it means, in a modal dialog; on to the list once deleted.
#[component]
fn DeleteDialog(card: ContactCard, open: RwSignal<bool>) -> impl IntoView {
    let store = expect_context::<Store>();
    let navigate = use_navigate();
    let dialog = NodeRef::<html::Dialog>::new();
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        }
    });
    let busy = RwSignal::new(false);
    let id = card.id;
    let name = card.name.clone();
    let delete = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let name = name.clone();
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::delete_contact(id).await {
                Ok(()) => {
                    open.set(false);
                    navigate("/contacts", Default::default());
                    store.contact_deleted(id);
                    store.notices.notify(
                        NoticeKind::Info,
                        tf(Text::ContactsDeleted, &[("name", &name)]),
                        false,
                    );
                }
                Err(error) => {
                    busy.set(false);
                    store.check_signed_out(&error);
                    store.notices.notify(
                        NoticeKind::Error,
                        tf(
                            Text::ContactsDeleteFailed,
                            &[("error", &error.server_message())],
                        ),
                        false,
                    );
                }
            }
        });
    };
    view! {
        <dialog class="contact-dialog" node_ref=dialog aria-labelledby="delete-title"
            on:close=move |_| open.set(false)>
            <h2 id="delete-title">{tf(Text::ContactsDeleteTitle, &[("name", &card.name)])}</h2>
            <p>{t(Text::ContactsDeleteText)}</p>
            <div class="dialog-buttons">
                <button type="button" on:click=move |_| open.set(false) autofocus>{t(Text::ContactsCancel)}</button>
                <button type="button" class="danger primary" on:click=delete disabled=move || busy.get()>
                    {t(Text::ContactsDelete)}
                </button>
            </div>
        </dialog>
    }
}
