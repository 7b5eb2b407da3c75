//! The contact beside a conversation (a `complementary` region named "Contact"): who the
//! customer is, edited in place, each field saved as it is left. An unknown number offers
//! "Create contact".

use crate::chunks::{chunk_view, in_chunk};
use crate::components::contact_notes::ContactNotes;
use crate::components::contact_properties::ContactProperties;
use crate::components::contact_tags::ContactTags;
use crate::components::Now;
use crate::i18n::{t, tf, Text};
use crate::layout::Layout;
use crate::routes::LineFilter;
use crate::store::{
    ContactEntry, Inbox, Lines, NoticeKind, OpenThread, Place, Store, NEW_NUMBER_LABEL,
};
use crate::time_format;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_domain::contacts::{ContactCard, ContactEmail, ContactInput, ContactPhone};
use switchboard_domain::phone::display_number;
use switchboard_domain::{ContactId, ConversationId};
use wasm_bindgen::JsCast;

/// The region of the open conversation's contact (its content is in the thread's wasm chunk,
/// and comes once `conversation` is loaded). Where it is not beside the thread, it is a screen
/// of its own: it takes the focus as it opens, and its ← goes back to the thread.
#[component]
pub fn ContactPanel(#[prop(into)] conversation: Signal<Option<ConversationId>>) -> impl IntoView {
    let open_thread = expect_context::<OpenThread>();
    let beside = use_context::<Layout>().is_none_or(|l| l.contact_beside());
    let top = NodeRef::<html::Div>::new();
    if !beside {
        Effect::new(move |_| {
            if let Some(top) = top.get() {
                let _ = top.focus();
            }
        });
    }
    let back = move |_| {
        open_thread.contact_screen.set(false);
        // The thread is shown again in the next frame: its Contact button takes the focus back.
        request_animation_frame(|| {
            if let Some(button) = document()
                .query_selector(".thread-header .contact-button")
                .ok()
                .flatten()
                .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = button.focus();
            }
        });
    };
    view! {
        <aside class="contact-panel" aria-label=t(Text::ContactLabel)>
            <div class="contact-top" tabindex="-1" node_ref=top>
                {(!beside).then(|| view! {
                    <button type="button" class="icon-button back" aria-label=t(Text::ContactBack)
                        on:click=back>"←"</button>
                })}
            </div>
            {move || conversation.get().map(|id| chunk_view(move || contact_content(id, !beside)))}
        </aside>
    }
}

in_chunk!(
    thread,
    fn contact_content(id: ConversationId, screen: bool) {
        view! { <ContactContent id screen/> }.into_any()
    }
);

/// Who the conversation is with: an unknown number, or a contact (rebuilt only when the
/// number becomes a contact's, another's, or nobody's).
#[component]
fn ContactContent(id: ConversationId, screen: bool) -> impl IntoView {
    let inbox = expect_context::<Inbox>();
    let summary = inbox.summary(id);
    let who = Memo::new(move |_| {
        summary
            .as_ref()
            .map(|s| s.with(|s| (s.contact.id, s.contact.number.clone())))
    });
    // Set by "Create contact": the new contact's first field takes the focus.
    let focus_first = StoredValue::new(false);
    provide_context(OwnScreen(screen));
    move || match who.get() {
        None => ().into_any(),
        Some((None, number)) => view! { <UnknownNumber number focus_first screen/> }.into_any(),
        Some((Some(contact), _)) => {
            view! { <ContactDetails id=contact conversation=id focus_first screen/> }.into_any()
        }
    }
}

#[component]
fn UnknownNumber(number: String, focus_first: StoredValue<bool>, screen: bool) -> impl IntoView {
    let store = expect_context::<Store>();
    let creating = RwSignal::new(false);
    let shown = display_number(&number);
    let create = move |_| {
        if creating.get_untracked() {
            return;
        }
        creating.set(true);
        focus_first.set_value(true);
        let number = number.clone();
        spawn_local(async move {
            if let Err(error) = store.create_contact(number).await {
                focus_first.set_value(false);
                creating.set(false);
                store.notices.notify(
                    NoticeKind::Error,
                    tf(
                        Text::ContactNotCreated,
                        &[("error", &error.server_message())],
                    ),
                    false,
                );
            }
        });
    };
    view! {
        <div class="contact-unknown">
            <Heading screen>{shown}</Heading>
            <p class="hint">{t(Text::ContactUnknown)}</p>
            <button type="button" class="primary create-contact" on:click=create
                disabled=move || creating.get()>
                {move || match creating.get() {
                    true => t(Text::ContactCreating),
                    false => t(Text::ContactCreate),
                }}
            </button>
        </div>
    }
}

/// The headings' levels: one deeper where the panel is a screen of its own.
#[derive(Clone, Copy)]
pub(crate) struct OwnScreen(pub bool);

/// A section's heading: under the contact's name, whichever level that has.
#[component]
pub(crate) fn SectionTitle(children: Children) -> impl IntoView {
    match use_context::<OwnScreen>().is_some_and(|s| s.0) {
        true => view! { <h2 class="section-title">{children()}</h2> }.into_any(),
        false => view! { <h3 class="section-title">{children()}</h3> }.into_any(),
    }
}

/// Who the panel is about: the screen's heading where the panel is a screen of its own (the
/// thread's is hidden then), else the panel's.
#[component]
fn Heading(screen: bool, children: Children) -> impl IntoView {
    match screen {
        true => view! { <h1 class="contact-name">{children()}</h1> }.into_any(),
        false => view! { <h2 class="contact-name">{children()}</h2> }.into_any(),
    }
}

/// Where a loaded contact stands, without its content: an edit must not rebuild the fields
/// (and take the focus from the one being typed in).
#[derive(Debug, Clone, PartialEq)]
enum Status {
    Loading,
    Failed(String),
    Removed,
    Loaded,
}

#[component]
fn ContactDetails(
    id: ContactId,
    conversation: ConversationId,
    focus_first: StoredValue<bool>,
    screen: bool,
) -> impl IntoView {
    let store = expect_context::<Store>();
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
    move || {
        match status.get() {
        Status::Loading => view! {
            <p class="contact-status" role="status">{t(Text::ContactLoading)}</p>
        }
        .into_any(),
        Status::Failed(error) => view! {
            <p class="contact-status failed" role="alert">{tf(Text::ContactFailed, &[("error", &error)])}</p>
        }
        .into_any(),
        Status::Removed => view! {
            <p class="contact-status">{t(Text::ContactRemoved)}</p>
        }
        .into_any(),
        Status::Loaded => view! {
            <Heading screen>{move || card.with(|c| c.as_ref().map(|c| c.name.clone()))}</Heading>
            <NameFields id card focus_first/>
            <ListField id card kind=&PHONES/>
            <ListField id card kind=&EMAILS/>
            <ContactTags id card/>
            <ContactProperties id card/>
            <ContactNotes id conversation=Some(conversation)/>
            <OtherConversations id conversation/>
        }
        .into_any(),
    }
    }
}

/// First and last name, company and role, each saved as it is left (or on Enter).
#[component]
pub(crate) fn NameFields(
    id: ContactId,
    card: Memo<Option<ContactCard>>,
    focus_first: StoredValue<bool>,
) -> impl IntoView {
    let first = NodeRef::<html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = first.get() {
            if focus_first.get_value() {
                focus_first.set_value(false);
                let _ = input.focus();
            }
        }
    });
    let field = |label: Text,
                 read: fn(&ContactCard) -> Option<String>,
                 write: fn(String) -> ContactInput,
                 node: Option<NodeRef<html::Input>>| {
        view! {
            <label class="field">
                <span>{t(label)}</span>
                <TextInput id card read write node/>
            </label>
        }
    };
    view! {
        <div class="contact-names">
            {field(Text::ContactFirstName, |c| c.first_name.clone(),
                |v| ContactInput { first_name: Some(v), ..ContactInput::default() }, Some(first))}
            {field(Text::ContactLastName, |c| c.last_name.clone(),
                |v| ContactInput { last_name: Some(v), ..ContactInput::default() }, None)}
            {field(Text::ContactCompany, |c| c.company.clone(),
                |v| ContactInput { company: Some(v), ..ContactInput::default() }, None)}
            {field(Text::ContactRole, |c| c.role.clone(),
                |v| ContactInput { role: Some(v), ..ContactInput::default() }, None)}
        </div>
    }
}

/// A one-line field of the contact, saved on Enter and when left, if it changed.
#[component]
fn TextInput(
    id: ContactId,
    card: Memo<Option<ContactCard>>,
    read: fn(&ContactCard) -> Option<String>,
    write: fn(String) -> ContactInput,
    node: Option<NodeRef<html::Input>>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let value = Memo::new(move |_| card.with(|c| c.as_ref().and_then(read).unwrap_or_default()));
    let save = move |typed: String| {
        if typed.trim() != value.get_untracked() {
            store.edit_contact(id, write(typed));
        }
    };
    view! {
        <input type="text" node_ref=node.unwrap_or_default() prop:value=move || value.get()
            on:change=move |ev| save(event_target_value(&ev))
            on:keydown=move |ev| if is_enter(&ev) { save(event_target_value(&ev)) }/>
    }
}

/// Enter (not while composing text): a field's value is saved. Its default is prevented, so
/// that nothing else acts on it.
pub(crate) fn is_enter(ev: &leptos::ev::KeyboardEvent) -> bool {
    let enter = ev.key() == "Enter" && !ev.is_composing() && !ev.shift_key();
    if enter {
        ev.prevent_default();
    }
    enter
}

/// A list's values and their labels: numbers or emails.
type Items = Vec<(String, String)>;

/// What differs between the numbers and the emails of a contact.
pub struct ListKind {
    heading: Text,
    item: Text,
    item_label: Text,
    remove: Text,
    add: Text,
    input_type: &'static str,
    default_label: &'static str,
    read: fn(&ContactCard) -> Items,
    write: fn(Items) -> ContactInput,
}

pub(crate) static PHONES: ListKind = ListKind {
    heading: Text::ContactNumbers,
    item: Text::ContactNumber,
    item_label: Text::ContactNumberLabel,
    remove: Text::ContactRemoveNumber,
    add: Text::ContactAddNumber,
    input_type: "tel",
    default_label: NEW_NUMBER_LABEL,
    read: |card| {
        card.phones
            .iter()
            .map(|p| (p.number.clone(), p.label.clone()))
            .collect()
    },
    write: |items| ContactInput {
        phones: Some(
            items
                .into_iter()
                .map(|(number, label)| ContactPhone { number, label })
                .collect(),
        ),
        ..ContactInput::default()
    },
};

pub(crate) static EMAILS: ListKind = ListKind {
    heading: Text::ContactEmails,
    item: Text::ContactEmail,
    item_label: Text::ContactEmailLabel,
    remove: Text::ContactRemoveEmail,
    add: Text::ContactAddEmail,
    input_type: "email",
    default_label: "",
    read: |card| {
        card.emails
            .iter()
            .map(|e| (e.address.clone(), e.label.clone()))
            .collect()
    },
    write: |items| ContactInput {
        emails: Some(
            items
                .into_iter()
                .map(|(address, label)| ContactEmail { address, label })
                .collect(),
        ),
        ..ContactInput::default()
    },
};

/// The contact's numbers or emails, each with its label: edited in place, removed with ×, and
/// one more added from the last field. The whole list is sent, as the API takes it.
#[component]
pub(crate) fn ListField(
    id: ContactId,
    card: Memo<Option<ContactCard>>,
    kind: &'static ListKind,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let items = Memo::new(move |_| card.with(|c| c.as_ref().map(kind.read).unwrap_or_default()));
    let save = move |change: &dyn Fn(&mut Items)| {
        let mut next = items.get_untracked();
        change(&mut next);
        next.retain(|(value, _)| !value.trim().is_empty());
        if next != items.get_untracked() {
            store.edit_contact(id, (kind.write)(next));
        }
    };
    let row = move |index: usize| {
        let n = (index + 1).to_string();
        let value =
            move || items.with(|i| i.get(index).map(|(v, _)| v.clone()).unwrap_or_default());
        let label =
            move || items.with(|i| i.get(index).map(|(_, l)| l.clone()).unwrap_or_default());
        let set_value = move |typed: String| {
            save(&|list| {
                if let Some(item) = list.get_mut(index) {
                    item.0 = typed.trim().to_owned();
                }
            })
        };
        let set_label = move |typed: String| {
            save(&|list| {
                if let Some(item) = list.get_mut(index) {
                    item.1 = typed.trim().to_owned();
                }
            })
        };
        view! {
            <li class="list-field-item">
                <input type=kind.input_type class="list-value" aria-label=tf(kind.item, &[("n", &n)])
                    prop:value=value
                    on:keydown=move |ev| if is_enter(&ev) { set_value(event_target_value(&ev)) }
                    on:change=move |ev| set_value(event_target_value(&ev))/>
                <input type="text" class="list-label" aria-label=tf(kind.item_label, &[("n", &n)])
                    prop:value=label
                    on:keydown=move |ev| if is_enter(&ev) { set_label(event_target_value(&ev)) }
                    on:change=move |ev| set_label(event_target_value(&ev))/>
                <button type="button" class="icon-button remove" aria-label=tf(kind.remove, &[("n", &n)])
                    on:click=move |_| save(&|list| if index < list.len() { list.remove(index); })>"×"</button>
            </li>
        }
    };
    let added = NodeRef::<html::Input>::new();
    let add = move || {
        let Some(input) = added.get_untracked() else {
            return;
        };
        let typed = input.value().trim().to_owned();
        if !typed.is_empty() {
            input.set_value("");
            save(&|list| list.push((typed.clone(), kind.default_label.to_owned())));
        }
    };
    view! {
        <section class="contact-section">
            <SectionTitle>{t(kind.heading)}</SectionTitle>
            <ul class="list-field">
                <For each=move || 0..items.with(Vec::len) key=|index| *index children=row/>
            </ul>
            <label class="field">
                <span>{t(kind.add)}</span>
                <input type=kind.input_type node_ref=added on:change=move |_| add()
                    on:keydown=move |ev| if is_enter(&ev) { add() }/>
            </label>
        </section>
    }
}

/// The contact's other conversations, on the reader's lines: each opens beside the list.
#[component]
fn OtherConversations(id: ContactId, conversation: ConversationId) -> impl IntoView {
    let store = expect_context::<Store>();
    let (place, lines) = (expect_context::<Place>(), expect_context::<Lines>());
    let now = expect_context::<Now>().0;
    let others = Memo::new(move |_| {
        store.contacts.entry(id).map_or_else(Vec::new, |entry| {
            entry.with(|e| match e {
                ContactEntry::Loaded(page) => page
                    .conversations
                    .iter()
                    .filter(|c| c.id != conversation)
                    .cloned()
                    .collect(),
                _ => Vec::new(),
            })
        })
    });
    view! {
        <section class="contact-section">
            <SectionTitle>{t(Text::ContactConversations)}</SectionTitle>
            {move || others.with(Vec::is_empty).then(|| view! {
                <p class="hint">{t(Text::ContactNoConversations)}</p>
            })}
            <ul class="contact-conversations">
                <For each=move || others.get() key=|c| (c.id, c.latest_activity.id) children=move |c| {
                    let href = place.route.get_untracked().with_conversation(Some(c.id)).path();
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
