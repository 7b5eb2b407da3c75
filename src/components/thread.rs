use crate::chunks::{chunk_view, in_chunk};
use crate::components::conversation_row::with_key;
use crate::components::icons::{
    CheckIcon, EnvelopeIcon, PhoneIcon, PinIcon, ReopenIcon, VoicemailIcon,
};
use crate::components::{ContactPanel, Now, ReplyBox};
use crate::i18n::{segments, t, tf, Text};
use crate::layout::Layout;
use crate::routes::LineFilter;
use crate::store::{Inbox, Lines, OpenThread, Place, Store, Team, Thread};
use crate::text::duration as format_duration;
use crate::time_format;
use leptos::html;
use leptos::prelude::*;
use switchboard_domain::api::{
    Activity, ActivityContent, CallOutcome, Delivery, DeliveryStatus, Direction,
};
use switchboard_domain::phone::display_number;
use switchboard_domain::{ActivityId, ConversationId, StateChange, Status};

/// What the pane shows, without the thread's content: a new activity in the open thread must not
/// rebuild the pane (and lose the reply box's focus).
#[derive(Debug, Clone, PartialEq)]
enum Showing {
    Nothing,
    Loading,
    Failed(String),
    Conversation(ConversationId),
}

/// The open conversation beside the list, or a hint when none is open.
#[component]
pub fn ThreadPane() -> impl IntoView {
    let open_thread = expect_context::<OpenThread>();
    let showing = Memo::new(move |_| {
        open_thread.thread.with(|thread| match thread {
            Thread::Closed => Showing::Nothing,
            Thread::Loading(_) => Showing::Loading,
            Thread::Failed(_, error) => Showing::Failed(error.clone()),
            Thread::Loaded(detail) => Showing::Conversation(detail.conversation.id),
        })
    });
    // The contact panel: beside the thread where there is room (from the moment a
    // conversation is in the address, so that nothing moves when it loads), else a screen of
    // its own in the thread's place. A sibling of the thread's region, not inside it: a
    // complementary landmark goes in no other but main.
    let place = expect_context::<Place>();
    let layout = use_context::<Layout>();
    let beside = move || layout.is_none_or(|l| l.contact_beside());
    let screen = Memo::new(move |_| open_thread.contact_screen.get() && !beside());
    let addressed = Memo::new(move |_| place.route.with(|route| route.conversation.is_some()));
    let loaded = Signal::derive(move || match showing.get() {
        Showing::Conversation(id) => Some(id),
        _ => None,
    });
    view! {
        <section class="thread-pane" aria-label=t(Text::ThreadLabel) hidden=move || screen.get()>
            {move || match showing.get() {
                Showing::Nothing => view! {
                    <div class="thread-empty">
                        <p>{t(Text::ThreadEmpty)}</p>
                        <p class="hint">{empty_hint()}</p>
                    </div>
                }.into_any(),
                Showing::Loading => view! {
                    <p class="thread-empty" role="status">{t(Text::ThreadLoading)}</p>
                }.into_any(),
                Showing::Failed(error) => view! {
                    <p class="thread-empty failed" role="alert">{tf(Text::ThreadFailed, &[("error", &error.to_string())])}</p>
                }.into_any(),
                Showing::Conversation(id) => chunk_view(move || conversation(id)).into_any(),
            }}
        </section>
        <Show when=move || addressed.get() && (beside() || screen.get())>
            <ContactPanel conversation=loaded/>
        </Show>
    }
}

in_chunk!(
    thread,
    fn conversation(id: ConversationId) {
        view! { <ConversationThread id/> }.into_any()
    }
);

#[component]
fn ConversationThread(id: ConversationId) -> impl IntoView {
    let store = expect_context::<Store>();
    let (inbox, open_thread) = (expect_context::<Inbox>(), expect_context::<OpenThread>());
    let now = expect_context::<Now>().0.get_untracked();
    let detail = move || match open_thread.thread.get_untracked() {
        Thread::Loaded(detail) => Some(detail),
        _ => None,
    };
    let Some(first) = detail() else {
        return ().into_any();
    };
    let contact = first.conversation.contact.clone();
    let name = contact.display_name();
    let number = display_number(&contact.number);
    let line_id = first.conversation.line_id;
    let lines = expect_context::<Lines>();
    let line_name = move || lines.name(LineFilter::Line(line_id));
    // The state follows the row's signal, so that E, U and O show here at once.
    let summary = inbox.summary(id);
    let state = Memo::new(move |_| {
        summary
            .as_ref()
            .map(|s| s.with(|s| (s.status, s.unread)))
            .unwrap_or((Status::Open, false))
    });
    let pinned = Memo::new({
        let summary = inbox.summary(id);
        move |_| summary.as_ref().is_some_and(|s| s.with(|s| s.pinned))
    });
    let activities = Memo::new(move |_| {
        open_thread.thread.with(|thread| match thread {
            Thread::Loaded(detail) if detail.conversation.id == id => detail.activities.clone(),
            _ => Vec::new(),
        })
    });
    // Keep the newest activity in view as activities arrive.
    let activities_ref = NodeRef::<html::Ol>::new();
    Effect::new(move |_| {
        activities.with(Vec::len);
        if let Some(list) = activities_ref.get() {
            request_animation_frame(move || list.set_scroll_top(list.scroll_height()));
        }
    });
    let reply_name = name.clone();
    // The name follows the contact (created or renamed here, or by a teammate).
    let shown_name = Memo::new({
        let summary = inbox.summary(id);
        move |_| {
            summary
                .as_ref()
                .map_or_else(|| name.clone(), |s| s.with(|s| s.contact.display_name()))
        }
    });
    // Where the contact panel is not beside the thread, this button opens it in the thread's
    // place (src/components/contact_panel.rs).
    let layout = use_context::<Layout>();
    let beside = Signal::derive(move || layout.is_none_or(|l| l.contact_beside()));

    view! {
        <header class="thread-header">
            <button type="button" class="icon-button back phone-only" aria-label=t(Text::ThreadBack)
                on:click=move |_| store.back_to_list()>"←"</button>
            <div class="thread-title">
                <h1>{move || shown_name.get()}</h1>
                <p class="thread-meta">{number}" · "{line_name}</p>
            </div>
            <p class="state-chips">
                {move || match state.get() {
                    (Status::Done, _) => view! { <span class="chip done">{t(Text::StatesDone)}</span> }.into_any(),
                    (Status::Open, true) => view! { <span class="chip unread">{t(Text::StatesUnread)}</span> }.into_any(),
                    (Status::Open, false) => view! { <span class="chip open">{t(Text::StatesOpen)}</span> }.into_any(),
                }}
            </p>
            <div class="thread-actions" role="toolbar" aria-label=t(Text::ThreadActions)>
                {move || (!beside.get()).then(|| view! {
                    <button type="button" class="action contact-button"
                        on:click=move |_| open_thread.contact_screen.set(true)>{t(Text::ContactLabel)}</button>
                })}
                <AssigneePicker id/>
                <button type="button" class="action pin" aria-label=t(Text::ThreadPin)
                    aria-pressed=move || pinned.get().to_string()
                    title=t(Text::ThreadPinTitle)
                    on:click=move |_| store.set_pinned(id, !pinned.get_untracked())>
                    <PinIcon/>
                </button>
                {move || match state.get().0 {
                    Status::Open => view! {
                        <button type="button" class="action done" on:click=move |_| store.act(id, StateChange::Done)
                            title=with_key(Text::ActionsMarkDone, "E")><CheckIcon/><span>{t(Text::ActionsDone)}</span></button>
                    }.into_any(),
                    Status::Done => view! {
                        <button type="button" class="action reopen" on:click=move |_| store.act(id, StateChange::Open)
                            title=with_key(Text::ActionsMarkOpen, "O")><ReopenIcon/><span>{t(Text::ActionsReopen)}</span></button>
                    }.into_any(),
                }}
                <button type="button" class="action unread" on:click=move |_| store.act(id, StateChange::Unread)
                    disabled=move || state.get().1 title=with_key(Text::ActionsMarkUnread, "U")>
                    <EnvelopeIcon/><span>{t(Text::ActionsUnread)}</span>
                </button>
            </div>
        </header>
        <ol class="activities" aria-label=t(Text::ThreadActivities) node_ref=activities_ref>
            // Keyed by delivery too: a reply's item is drawn anew when its delivery changes.
            <For each=move || activities.get() key=|activity| (activity.id, activity.delivery.clone())
                children=move |activity| view! { <ActivityItem activity now/> }/>
        </ol>
        <ReplyBox id name=reply_name/>
    }
    .into_any()
}

#[component]
fn ActivityItem(activity: Activity, now: i64) -> impl IntoView {
    let when = time_format::long(activity.at, now);
    let side = match activity.direction {
        Direction::Inbound => "inbound",
        Direction::Outbound => "outbound",
        Direction::Internal => "internal",
    };
    let delivery = activity.delivery.clone();
    let (conversation, reply) = (activity.conversation_id, activity.id);
    match activity.content {
        ActivityContent::Message { text } => view! {
            <li class=format!("activity message {side}")>
                <p class="bubble">{text}</p>
                <time class="when">{when}</time>
                {delivery.map(|delivery| view! { <DeliveryLine conversation reply delivery/> })}
            </li>
        }
        .into_any(),
        ActivityContent::Call { outcome, duration_seconds } => {
            let (class, text) = match (outcome, activity.direction) {
                (CallOutcome::Missed, _) => ("missed", t(Text::ActivityMissedCall).to_owned()),
                (CallOutcome::Answered, Direction::Outbound) => {
                    ("answered", tf(Text::ThreadOutgoingCall, &[("duration", &format_duration(duration_seconds))]))
                }
                (CallOutcome::Answered, _) => {
                    ("answered", tf(Text::ThreadIncomingCall, &[("duration", &format_duration(duration_seconds))]))
                }
            };
            view! {
                <li class=format!("activity call {class}")>
                    <p class="event"><PhoneIcon/>" "{text}</p>
                    <time class="when">{when}</time>
                </li>
            }
            .into_any()
        }
        ActivityContent::Note { text, author } => {
            let team = expect_context::<Team>();
            let pieces = team
                .members
                .with_untracked(|members| crate::mentions::segments(&text, members))
                .into_iter()
                .map(|(mention, piece)| match mention {
                    true => view! { <strong class="mention">{piece}</strong> }.into_any(),
                    false => piece.into_any(),
                })
                .collect_view();
            view! {
                <li class="activity note internal">
                    <div class="note-card">
                        <p class="note-author">{tf(Text::ThreadNoteAuthor, &[("author", &author.name)])}</p>
                        <p class="note-text">{pieces}</p>
                    </div>
                    <time class="when">{when}</time>
                </li>
            }
            .into_any()
        }
        ActivityContent::Voicemail { duration_seconds, transcript } => view! {
            <li class="activity voicemail inbound">
                <div class="bubble voicemail-card">
                    <p class="event"><VoicemailIcon/>" "{tf(Text::ThreadVoicemail, &[("duration", &format_duration(duration_seconds))])}</p>
                    <p class="transcript">{transcript.unwrap_or_else(|| t(Text::ThreadNoTranscript).to_owned())}</p>
                </div>
                <time class="when">{when}</time>
            </li>
        }
        .into_any(),
    }
}

/// Where a reply stands (Sending, Sent, Delivered, Not delivered with the reason), with Retry
/// for one that did not go. A live region: teammates hear it change.
#[component]
fn DeliveryLine(
    conversation: ConversationId,
    reply: ActivityId,
    delivery: Delivery,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let class = match delivery.status {
        DeliveryStatus::Sending => "delivery sending",
        DeliveryStatus::Sent => "delivery sent",
        DeliveryStatus::Delivered => "delivery delivered",
        DeliveryStatus::Failed | DeliveryStatus::NotSent => "delivery failed",
    };
    let retry = (delivery.status == DeliveryStatus::Failed).then(|| {
        view! {
            <button type="button" class="link-button retry"
                on:click=move |_| store.retry_reply(conversation, reply)>{t(Text::DeliveryRetry)}</button>
        }
    });
    view! {
        <p class=class role="status">{crate::text::delivery(&delivery)}" "{retry}</p>
    }
}

/// Who owns the conversation: a teammate, or nobody.
#[component]
fn AssigneePicker(id: ConversationId) -> impl IntoView {
    let store = expect_context::<Store>();
    let inbox = expect_context::<Inbox>();
    let team = expect_context::<Team>();
    let summary = inbox.summary(id);
    let current = Memo::new(move |_| {
        summary
            .as_ref()
            .and_then(|s| s.with(|s| s.assignee.as_ref().map(|a| a.id)))
    });
    view! {
        <select class="assignee" aria-label=t(Text::ThreadAssign)
            on:change=move |ev| {
                let chosen = event_target_value(&ev).parse().ok().map(switchboard_domain::MemberId);
                store.assign(id, chosen);
            }>
            <option value="" selected=move || current.get().is_none()>{t(Text::ThreadUnassigned)}</option>
            {move || team.members.get().into_iter().map(|member| {
                let member_id = member.id;
                view! {
                    <option value=member_id.to_string() selected=move || current.get() == Some(member_id)>
                        {member.name}
                    </option>
                }
            }).collect_view()}
        </select>
    }
}

/// "↑ ↓ to move, Enter to open…", with each key in a `<kbd>`.
fn empty_hint() -> impl IntoView {
    segments(t(Text::ThreadEmptyHint))
        .into_iter()
        .map(|(placeholder, piece)| match placeholder {
            false => piece.into_any(),
            true => {
                let key = match piece {
                    "up" => "↑",
                    "down" => "↓",
                    "enter" => t(Text::ShortcutsKeyEnter),
                    "e" => "E",
                    _ => "?",
                };
                view! { <kbd>{key}</kbd> }.into_any()
            }
        })
        .collect_view()
}
