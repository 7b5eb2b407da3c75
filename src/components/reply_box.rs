use crate::i18n::{number, t, tf, Text};
use crate::mentions;
use crate::store::{Draft, Lines, NoticeKind, Notices, OpenThread, Store, Team};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_domain::api::{ReplySending, ReplyText, MAX_REPLY_CHARS};
use switchboard_domain::team::MemberRef;
use switchboard_domain::ConversationId;

/// The box under a thread: a reply to the customer, or an internal note for the team (with
/// @mentions). Enter sends, Ctrl/Cmd+Enter sends and marks the conversation done, Shift+Enter
/// starts a new line, Escape leaves the box so that the keyboard shortcuts work again.
#[component]
pub fn ReplyBox(id: ConversationId, name: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let team = expect_context::<Team>();
    let notices = expect_context::<Notices>();
    let lines = expect_context::<Lines>();
    let open_thread = expect_context::<OpenThread>();
    let draft = open_thread.draft(id);
    let text = RwSignal::new(draft.text);
    let sending = RwSignal::new(false);
    let note = RwSignal::new(draft.note);
    // Kept in the store as it is typed.
    Effect::new(move |_| {
        let draft = Draft {
            text: text.get(),
            note: note.get(),
        };
        open_thread.keep_draft(id, draft);
    });
    let field = NodeRef::<html::Textarea>::new();
    // The @mention being typed: where its @ is, and what follows it.
    let query = RwSignal::new(None::<(usize, String)>);
    let highlighted = RwSignal::new(0usize);
    let too_long = Memo::new(move |_| text.with(|t| t.trim().chars().count() > MAX_REPLY_CHARS));
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
        let found = match note.get_untracked() {
            true => text.with_untracked(|t| mentions::query_at(t, caret())),
            false => None,
        };
        if found.is_none() || query.get_untracked().map(|q| q.0) != found.as_ref().map(|f| f.0) {
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

    let send = move |mark_done: bool| {
        if sending.get_untracked() {
            return;
        }
        let draft = text.get_untracked();
        let Ok(message) = ReplyText::parse(&draft) else {
            return;
        };
        sending.set(true);
        let as_note = note.get_untracked();
        spawn_local(async move {
            let message = message.as_str().to_owned();
            let sent = match as_note {
                true => {
                    let mentioned = team
                        .members
                        .with_untracked(|members| mentions::mentioned(&message, members));
                    store.send_note(id, message, mentioned).await
                }
                false => store.send_reply(id, message, mark_done).await,
            };
            match sent {
                Ok(()) => text.set(String::new()),
                // The draft stays in the box, so nothing is lost.
                Err(error) => notices.notify(
                    NoticeKind::Error,
                    tf(Text::ReplyNotSent, &[("error", &error.to_string())]),
                    false,
                ),
            }
            sending.set(false);
        });
    };

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let options = suggestions.get_untracked();
        if !options.is_empty() {
            let count = options.len();
            match ev.key().as_str() {
                "ArrowDown" => {
                    ev.prevent_default();
                    highlighted.update(|h| *h = (*h + 1) % count);
                    return;
                }
                "ArrowUp" => {
                    ev.prevent_default();
                    highlighted.update(|h| *h = (*h + count - 1) % count);
                    return;
                }
                "Enter" | "Tab" => {
                    ev.prevent_default();
                    pick(options[highlighted.get_untracked().min(count - 1)].clone());
                    return;
                }
                "Escape" => {
                    // Closes the suggestions; a second Escape leaves the box.
                    ev.prevent_default();
                    ev.stop_propagation();
                    query.set(None);
                    return;
                }
                _ => {}
            }
        }
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            // Ctrl/Cmd+Enter: send and mark done (a note only adds).
            let mark_done = (ev.ctrl_key() || ev.meta_key()) && !note.get_untracked();
            send(mark_done);
        }
    };

    let reply_label = StoredValue::new(tf(Text::ReplyTo, &[("name", &name)]));
    let label = move || match note.get() {
        true => t(Text::ReplyNote).to_owned(),
        false => reply_label.get_value(),
    };
    let option_id = move |index: usize| format!("mention-{id}-{index}");
    let mode = move |as_note: bool, caption: &'static str| {
        view! {
            <button type="button" class="mode" aria-pressed=move || (note.get() == as_note).to_string()
                on:click=move |_| {
                    note.set(as_note);
                    query.set(None);
                }>
                {caption}
            </button>
        }
    };

    view! {
        <form class="reply-box" class:note-mode=move || note.get()
            on:submit=move |ev| { ev.prevent_default(); send(false); }>
            <div class="modes" role="group" aria-label=t(Text::ReplyModes)>
                {mode(false, t(Text::ReplyModeReply))}
                {mode(true, t(Text::ReplyModeNote))}
            </div>
            <textarea node_ref=field aria-label=label placeholder=move || format!("{}…", label())
                rows="2"
                aria-autocomplete="list"
                aria-controls=format!("mentions-{id}")
                aria-activedescendant=move || {
                    (!suggestions.with(Vec::is_empty)).then(|| option_id(highlighted.get()))
                }
                prop:value=move || text.get()
                on:input=move |ev| {
                    text.set(event_target_value(&ev));
                    follow_typing();
                }
                on:click=move |_| follow_typing()
                on:keydown=on_keydown
            ></textarea>
            <button type="submit" class="send"
                disabled=move || sending.get() || too_long.get() || text.with(|t| t.trim().is_empty())>
                {move || match (sending.get(), note.get()) {
                    (true, _) => t(Text::ReplySending),
                    (false, true) => t(Text::ReplyAddNote),
                    (false, false) => t(Text::ReplySend),
                }}
            </button>
            {move || (!note.get()).then(|| view! {
                <button type="button" class="send-done" title=t(Text::ReplySendDoneTitle)
                    disabled=move || sending.get() || too_long.get() || text.with(|t| t.trim().is_empty())
                    on:click=move |_| send(true)>
                    {t(Text::ReplySendDone)}
                </button>
            })}
            <ul class="mention-suggestions" role="listbox" id=format!("mentions-{id}") aria-label=t(Text::ReplyTeammates)
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
            // Said before anyone writes a reply that would go nowhere.
            {move || (!note.get() && lines.sending() == Some(ReplySending::Off)).then(|| view! {
                <p class="reply-hint">{t(Text::ReplyOffHint)}</p>
            })}
            {move || too_long.get().then(|| view! {
                <p class="reply-error" role="alert">{tf(Text::ReplyTooLong, &[("max", &number(MAX_REPLY_CHARS))])}</p>
            })}
        </form>
    }
}
