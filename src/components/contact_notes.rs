//! A contact's notes, newest first: written with @mentions as in a conversation's notes (the
//! teammates named are notified), linked to the conversation on screen, and edited or deleted
//! by their author.

use crate::components::contact_panel::SectionTitle;
use crate::components::Now;
use crate::i18n::{t, tf, Text};
use crate::mentions;
use crate::store::{ContactEntry, NoticeKind, Store, Team};
use crate::time_format;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_domain::contacts::{ContactNote, MAX_NOTE_CHARS};
use switchboard_domain::team::MemberRef;
use switchboard_domain::{ContactId, ConversationId, MemberId};

#[component]
/// `conversation`: the one on screen beside the notes, which a new note is linked to.
pub fn ContactNotes(id: ContactId, conversation: Option<ConversationId>) -> impl IntoView {
    let store = expect_context::<Store>();
    let team = expect_context::<Team>();
    let notes = Memo::new(move |_| {
        store.contacts.entry(id).map_or_else(Vec::new, |entry| {
            entry.with(|e| match e {
                ContactEntry::Loaded(page) => page.notes.clone(),
                _ => Vec::new(),
            })
        })
    });
    let text = RwSignal::new(String::new());
    let sending = RwSignal::new(false);
    let send = Callback::new(move |()| {
        let Some((written, mentioned)) = ready(text, team) else {
            return;
        };
        if sending.get_untracked() {
            return;
        }
        sending.set(true);
        spawn_local(async move {
            match store
                .write_contact_note(id, written, mentioned, conversation)
                .await
            {
                Ok(()) => text.set(String::new()),
                Err(error) => note_not_saved(store, &error),
            }
            sending.set(false);
        });
    });
    view! {
        <section class="contact-section">
            <SectionTitle>{t(Text::ContactNotes)}</SectionTitle>
            <form class="note-writer" on:submit=move |ev| { ev.prevent_default(); send.run(()); }>
                <MentionField text label=t(Text::ContactWriteNote).to_owned()
                    list_id=format!("contact-mentions-{id}") on_submit=send/>
                <button type="submit" class="send"
                    disabled=move || sending.get() || text.with(|t| t.trim().is_empty())>
                    {t(Text::ContactAddNote)}
                </button>
            </form>
            {move || notes.with(Vec::is_empty).then(|| view! { <p class="hint">{t(Text::ContactNoNotes)}</p> })}
            <ol class="contact-notes">
                <For each=move || notes.get() key=|note| (note.id, note.edited_at, note.text.clone())
                    children=move |note| view! { <NoteItem contact=id note/> }/>
            </ol>
        </section>
    }
}

/// The note as written and whom it mentions, if it is worth sending.
fn ready(text: RwSignal<String>, team: Team) -> Option<(String, Vec<MemberId>)> {
    let written = text.get_untracked().trim().to_owned();
    if written.is_empty() || written.chars().count() > MAX_NOTE_CHARS {
        return None;
    }
    let mentioned = team
        .members
        .with_untracked(|members| mentions::mentioned(&written, members));
    Some((written, mentioned))
}

fn note_not_saved(store: Store, error: &crate::api::ClientError) {
    store.notices.notify(
        NoticeKind::Error,
        tf(
            Text::ContactNoteNotSaved,
            &[("error", &error.server_message())],
        ),
        false,
    );
}

#[component]
fn NoteItem(contact: ContactId, note: ContactNote) -> impl IntoView {
    let store = expect_context::<Store>();
    let team = expect_context::<Team>();
    let now = expect_context::<Now>().0.get_untracked();
    let mine = team.me().is_some_and(|me| me.id == note.author.id);
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(note.text.clone());
    let note_id = note.id;
    let written = StoredValue::new(note.text.clone());
    let pieces = move || {
        written
            .with_value(|text| team.members.with_untracked(|m| mentions::segments(text, m)))
            .into_iter()
            .map(|(mention, piece)| match mention {
                true => view! { <strong class="mention">{piece}</strong> }.into_any(),
                false => piece.into_any(),
            })
            .collect_view()
    };
    let save = Callback::new(move |()| {
        let Some((written, mentioned)) = ready(draft, team) else {
            return;
        };
        spawn_local(async move {
            match store
                .edit_contact_note(contact, note_id, written, mentioned)
                .await
            {
                Ok(()) => editing.set(false),
                Err(error) => note_not_saved(store, &error),
            }
        });
    });
    let editor = NodeRef::<html::Textarea>::new();
    let edit_button = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if let (true, Some(field)) = (editing.get(), editor.get()) {
            let _ = field.focus();
        }
    });
    let stop_editing = move || {
        editing.set(false);
        if let Some(button) = edit_button.get_untracked() {
            let _ = button.focus();
        }
    };
    let original = note.text.clone();
    view! {
        <li class="contact-note note-card">
            <p class="note-author">
                {note.author.name.clone()}" · "<time>{time_format::long(note.at, now)}</time>
                {note.edited_at.map(|_| view! { " · "<span>{t(Text::ContactEdited)}</span> })}
            </p>
            <Show when=move || editing.get() fallback=move || view! { <p class="note-text">{pieces()}</p> }>
                <form class="note-editor" on:submit=move |ev| { ev.prevent_default(); save.run(()); }>
                    <MentionField text=draft label=t(Text::ContactEditNoteLabel).to_owned()
                        list_id=format!("note-mentions-{note_id}") on_submit=save node=editor/>
                    <button type="submit" class="link-button">{t(Text::ContactSave)}</button>
                    <button type="button" class="link-button" on:click={
                        let original = original.clone();
                        move |_| { draft.set(original.clone()); stop_editing(); }
                    }>{t(Text::ContactCancel)}</button>
                </form>
            </Show>
            {mine.then(|| view! {
                <p class="note-actions" hidden=move || editing.get()>
                    <button type="button" class="link-button" node_ref=edit_button
                        on:click=move |_| editing.set(true)>{t(Text::ContactEditNote)}</button>
                    <button type="button" class="link-button danger"
                        on:click=move |_| store.delete_contact_note(contact, note_id)>{t(Text::ContactDeleteNote)}</button>
                </p>
            })}
        </li>
    }
}

/// A note's text box with @mention suggestions, as in a conversation's notes: ↑ ↓ choose,
/// Enter or Tab picks, Escape closes them; otherwise Enter submits and Shift+Enter starts a
/// new line.
#[component]
fn MentionField(
    text: RwSignal<String>,
    label: String,
    list_id: String,
    on_submit: Callback<()>,
    #[prop(optional)] node: Option<NodeRef<html::Textarea>>,
) -> impl IntoView {
    let team = expect_context::<Team>();
    let field = node.unwrap_or_default();
    let query = RwSignal::new(None::<(usize, String)>);
    let highlighted = RwSignal::new(0usize);
    let suggestions = Memo::new(move |_| {
        let Some((_, typed)) = query.get() else {
            return Vec::new();
        };
        team.members.with(|members| {
            mentions::suggestions(members, &typed)
                .into_iter()
                .cloned()
                .collect::<Vec<MemberRef>>()
        })
    });
    let caret = move || {
        field
            .get_untracked()
            .and_then(|f| f.selection_start().ok().flatten())
            .map_or(0, |c| c as usize)
    };
    let follow_typing = move || {
        let found = text.with_untracked(|t| mentions::query_at(t, caret()));
        if query.get_untracked().map(|q| q.0) != found.as_ref().map(|f| f.0) {
            highlighted.set(0);
        }
        query.set(found);
    };
    let pick = move |member: MemberRef| {
        let Some((at, _)) = query.get_untracked() else {
            return;
        };
        let (picked, caret) = text.with_untracked(|t| mentions::pick(t, at, caret(), &member.name));
        text.set(picked.clone());
        query.set(None);
        if let Some(field) = field.get_untracked() {
            field.set_value(&picked);
            let _ = field.set_selection_range(caret as u32, caret as u32);
            let _ = field.focus();
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let options = suggestions.get_untracked();
        if !options.is_empty() {
            let count = options.len();
            let handled = match ev.key().as_str() {
                "ArrowDown" => {
                    highlighted.update(|h| *h = (*h + 1) % count);
                    true
                }
                "ArrowUp" => {
                    highlighted.update(|h| *h = (*h + count - 1) % count);
                    true
                }
                "Enter" | "Tab" => {
                    pick(options[highlighted.get_untracked().min(count - 1)].clone());
                    true
                }
                "Escape" => {
                    ev.stop_propagation();
                    query.set(None);
                    true
                }
                _ => false,
            };
            if handled {
                ev.prevent_default();
                return;
            }
        }
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            on_submit.run(());
        }
    };
    let option_id = {
        let list_id = list_id.clone();
        move |index: usize| format!("{list_id}-{index}")
    };
    let active = {
        let option_id = option_id.clone();
        move || (!suggestions.with(Vec::is_empty)).then(|| option_id(highlighted.get()))
    };
    view! {
        <div class="mention-field">
            <textarea node_ref=field aria-label=label rows="2" aria-autocomplete="list"
                aria-controls=list_id.clone() aria-activedescendant=active
                prop:value=move || text.get()
                on:input=move |ev| {
                    text.set(event_target_value(&ev));
                    follow_typing();
                }
                on:click=move |_| follow_typing()
                on:keydown=on_keydown></textarea>
            <ul class="mention-suggestions" role="listbox" id=list_id aria-label=t(Text::ReplyTeammates)
                hidden=move || suggestions.with(Vec::is_empty)>
                {move || suggestions.get().into_iter().enumerate().map(|(index, member)| {
                    let chosen = member.clone();
                    view! {
                        <li role="option" id=option_id(index)
                            aria-selected=move || (highlighted.get() == index).to_string()
                            on:mousedown=move |ev| { ev.prevent_default(); pick(chosen.clone()); }>
                            {member.name}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}
