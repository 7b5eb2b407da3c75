use crate::store::{NoticeKind, Store};
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_domain::api::{ReplyText, MAX_REPLY_CHARS};
use switchboard_domain::ConversationId;

/// The reply box under a thread. Enter sends, Shift+Enter starts a new line, Escape leaves the
/// box so that the keyboard shortcuts work again.
#[component]
pub fn ReplyBox(id: ConversationId, name: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let text = RwSignal::new(String::new());
    let sending = RwSignal::new(false);
    let too_long = Memo::new(move |_| text.with(|t| t.trim().chars().count() > MAX_REPLY_CHARS));

    let send = move || {
        if sending.get_untracked() {
            return;
        }
        let draft = text.get_untracked();
        let Ok(reply) = ReplyText::parse(&draft) else {
            return;
        };
        sending.set(true);
        spawn_local(async move {
            match store.send_reply(id, reply.as_str().to_owned()).await {
                Ok(()) => text.set(String::new()),
                // The draft stays in the box, so nothing is lost.
                Err(error) => store.notify(NoticeKind::Error, format!("Not sent: {error}"), false),
            }
            sending.set(false);
        });
    };
    let label = format!("Reply to {name}");

    view! {
        <form class="reply-box" on:submit=move |ev| { ev.prevent_default(); send(); }>
            <textarea aria-label=label.clone() placeholder=format!("{label}…")
                rows="2"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
                on:keydown=move |ev| {
                    if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                        ev.prevent_default();
                        send();
                    }
                }
            ></textarea>
            <button type="submit" class="send"
                disabled=move || sending.get() || too_long.get() || text.with(|t| t.trim().is_empty())>
                {move || if sending.get() { "Sending…" } else { "Send" }}
            </button>
            {move || too_long.get().then(|| view! {
                <p class="reply-error" role="alert">{format!("A reply has at most {MAX_REPLY_CHARS} characters.")}</p>
            })}
        </form>
    }
}
