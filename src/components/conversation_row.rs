use crate::components::contact_tags::chip_class;
use crate::components::icons::{CheckIcon, EnvelopeIcon, PhoneIcon, PinIcon, VoicemailIcon};
use crate::components::row_swipe::RowSwipe;
use crate::components::Now;
use crate::gesture::SwipeAction;
use crate::i18n::{t, tf, Text};
use crate::store::{Contacts, Inbox, Place, Store, SyncStatus};
use crate::time_format;
use leptos::prelude::*;
use switchboard_domain::api::{ActivityContent, ConversationSummary, Direction};
use switchboard_domain::{ConversationId, StateChange, Status, View};

/// The accessible name of a row: who, whether unread, what happened last, and when (and
/// whether a change waits to be sent).
pub fn row_label(summary: &ConversationSummary, time: &str, pending: bool) -> String {
    let mut label = row_label_without_sync(summary, time);
    if pending {
        label.push_str(t(Text::RowWaiting));
    }
    label
}

fn row_label_without_sync(summary: &ConversationSummary, time: &str) -> String {
    let mut label = row_label_core(summary, time);
    if let Some(owner) = &summary.assignee {
        label.push_str(&tf(Text::RowAssigned, &[("name", &owner.name)]));
    }
    if summary.pinned {
        label.push_str(t(Text::RowPinned));
    }
    label
}

fn row_label_core(summary: &ConversationSummary, time: &str) -> String {
    let name = summary.contact.display_name();
    let last = crate::text::activity_summary(&summary.latest_activity);
    let you = match (
        &summary.latest_activity.content,
        summary.latest_activity.direction,
    ) {
        (ActivityContent::Message { .. }, Direction::Outbound) => t(Text::RowYou),
        _ => "",
    };
    let text = match summary.unread {
        true => Text::RowLabelUnread,
        false => Text::RowLabel,
    };
    tf(
        text,
        &[
            ("name", &name),
            ("you", you),
            ("last", &last),
            ("time", time),
        ],
    )
}

/// Tags a row shows at most: the rest are on the contact.
const MAX_ROW_TAGS: usize = 3;

/// An action's name with its key: "Mark as done (E)".
pub fn with_key(action: Text, key: &str) -> String {
    tf(Text::ActionsWithKey, &[("action", t(action)), ("key", key)])
}

/// The row's element id: the grid names its active row with it (`aria-activedescendant`).
pub fn row_element_id(id: ConversationId) -> String {
    format!("conversation-{id}")
}

/// Up to two initials: the first letter of the name's first words (a number gets "#"). ASCII
/// rules only: Unicode's letter and case tables would weigh more than the whole row.
fn initials(name: &str) -> String {
    let letters: String = name
        .split(' ')
        .filter_map(|word| word.chars().next())
        .filter(|c| c.is_ascii_alphabetic() || !c.is_ascii())
        .take(2)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if letters.is_empty() {
        "#".to_owned()
    } else {
        letters
    }
}

/// One conversation in the list: `role="row"` of the Conversations grid, with its actions in a
/// cell of their own so that no control nests inside another.
#[component]
pub fn ConversationRow(
    id: ConversationId,
    summary: ArcRwSignal<ConversationSummary>,
    /// 1-based position in the whole list, for `aria-rowindex`.
    #[prop(into)]
    position: Signal<usize>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let now = expect_context::<Now>().0;
    let (inbox, place) = (expect_context::<Inbox>(), expect_context::<Place>());
    let selected = Memo::new(move |_| inbox.selected.get() == Some(id));
    let opened = Memo::new(move |_| place.route.with(|route| route.conversation) == Some(id));
    let in_done_view = Memo::new(move |_| place.route.with(|route| route.view) == View::Done);

    let s = summary.clone();
    let unread = Memo::new(move |_| s.with(|s| s.unread));
    let s = summary.clone();
    let time = Memo::new(move |_| {
        let at = s.with(|s| s.latest_activity.at);
        time_format::short(at, now.get())
    });
    let sync = expect_context::<SyncStatus>();
    let pending = Memo::new(move |_| sync.pending.with(|p| p.contains(&id)));
    let s = summary.clone();
    let label = move || s.with(|s| row_label(s, &time.get(), pending.get()));
    let s = summary.clone();
    let name = move || s.with(|s| s.contact.display_name());
    let s = summary.clone();
    let avatar = move || s.with(|s| initials(&s.contact.display_name()));
    let s = summary.clone();
    let preview = move || {
        s.with(|s| {
            let activity = &s.latest_activity;
            let icon = match activity.content {
                ActivityContent::Message { .. } | ActivityContent::Note { .. } => None,
                ActivityContent::Call { .. } => Some(view! { <PhoneIcon/> }.into_any()),
                ActivityContent::Voicemail { .. } => Some(view! { <VoicemailIcon/> }.into_any()),
            };
            let you = match (&activity.content, activity.direction) {
                (ActivityContent::Message { .. }, Direction::Outbound) => Some(t(Text::RowYou)),
                _ => None,
            };
            (icon, you, crate::text::activity_summary(activity))
        })
    };
    let s = summary.clone();
    let missed = move || {
        s.with(|s| {
            matches!(
                s.latest_activity.content,
                ActivityContent::Call {
                    outcome: switchboard_domain::api::CallOutcome::Missed,
                    ..
                }
            )
        })
    };
    let s = summary.clone();
    let is_done = Memo::new(move |_| s.with(|s| s.status == Status::Done));
    let s = summary.clone();
    let pinned = Memo::new(move |_| s.with(|s| s.pinned));
    let s = summary.clone();
    let tags = Memo::new(move |_| s.with(|s| s.contact.tags.clone()));
    let contacts = expect_context::<Contacts>();
    // Only a tagged contact's row builds the chips: most rows have none.
    let chips = move || {
        (!tags.with(Vec::is_empty)).then(|| {
            let chips = move || {
                tags.get()
                    .into_iter()
                    .filter_map(|id| contacts.tag(id))
                    .take(MAX_ROW_TAGS)
                    .map(|tag| view! { <span class=chip_class(tag.colour)>{tag.name}</span> })
                    .collect_view()
            };
            view! { <span class="row-tags">{chips}</span> }
        })
    };
    let s = summary.clone();
    let owner = Memo::new(move |_| s.with(|s| s.assignee.as_ref().map(|a| a.name.clone())));

    let act = move |change: StateChange| {
        move |event: leptos::ev::MouseEvent| {
            // The row's own click opens the conversation; a button only acts.
            event.stop_propagation();
            store.act(id, change);
        }
    };
    let button_tabindex = move || if selected.get() { "0" } else { "-1" };

    let surface = NodeRef::<leptos::html::Div>::new();
    let swipe = RowSwipe::new(store, id, surface);
    let band = move || match swipe.revealed.get() {
        Some(SwipeAction::Done) => "swipe-done",
        Some(SwipeAction::Unread) => "swipe-unread",
        None => "",
    };

    view! {
        // One class binding rather than six: a row is created at every key press that moves
        // the list, and each binding is a reactive node to build.
        <div role="row" class=move || {
                let flags = [
                    (unread.get(), " unread"),
                    (selected.get(), " selected"),
                    (opened.get(), " opened"),
                    (pending.get(), " pending"),
                    (swipe.armed.get(), " armed"),
                ];
                let mut class = format!("row {}", band());
                for (on, name) in flags {
                    if on {
                        class.push_str(name);
                    }
                }
                class
            }
            aria-selected=move || selected.get().to_string()
            aria-rowindex=move || position.get().to_string()
            aria-label=label
            data-conversation-id=id.to_string()
            id=row_element_id(id)
            on:click=move |_| {
                if !swipe.swallows_click() {
                    store.open(id);
                }
            }
            on:pointerdown=move |ev| swipe.down(&ev)
            on:pointermove=move |ev| swipe.moved(&ev)
            on:pointerup=move |ev| swipe.up(&ev)
            on:pointercancel=move |_| swipe.cancel()
        >
            // The bands exist only while a finger swipes: a row is built at every key press
            // that moves the list, and the bands would be most of its nodes.
            {move || swipe.revealed.with(Option::is_some).then(|| view! {
                <div class="swipe-band band-unread" aria-hidden="true"><EnvelopeIcon/>" "{t(Text::ActionsUnread)}</div>
                <div class="swipe-band band-done" aria-hidden="true">{t(Text::ActionsDone)}" "<CheckIcon/></div>
            })}
            <div class="row-surface" role="none" node_ref=surface>
                <div role="gridcell" class="row-main">
                    <span class="avatar" aria-hidden="true">{avatar}</span>
                    <span class="row-text">
                        <span class="row-top">
                            <span class="unread-dot" aria-hidden="true"></span>
                            <span class="name">{name}</span>
                            {chips}
                            <span class="sync-mark" aria-hidden="true" title=t(Text::RowSyncTitle)>"⟳"</span>
                            {move || pinned.get().then(|| view! { <span class="pin-mark" title=t(Text::RowPinTitle)><PinIcon/></span> })}
                            {move || owner.get().map(|name| view! {
                                <span class="owner" title=tf(Text::RowOwnerTitle, &[("name", &name)])>{initials(&name)}</span>
                            })}
                            <time class="time">{move || time.get()}</time>
                        </span>
                        <span class="preview" class:missed=missed>
                            {move || {
                                let (icon, you, text) = preview();
                                view! { {icon} {you.map(|y| view! { <span class="you">{y}</span> })} <span class="preview-text">{text}</span> }
                            }}
                        </span>
                    </span>
                </div>
                // The buttons' icons are drawn by the stylesheet (`.row-actions .action::before`):
                // no SVG nodes to build per row.
                <div role="gridcell" class="row-actions">
                    {move || match in_done_view.get() || is_done.get() {
                        true => view! {
                            <button type="button" class="action reopen" aria-label=t(Text::ActionsMarkOpen)
                                title=with_key(Text::ActionsMarkOpen, "O") tabindex=button_tabindex
                                on:click=act(StateChange::Open)>
                            </button>
                        }.into_any(),
                        false => view! {
                            <button type="button" class="action done" aria-label=t(Text::ActionsMarkDone)
                                title=with_key(Text::ActionsMarkDone, "E") tabindex=button_tabindex
                                on:click=act(StateChange::Done)>
                            </button>
                        }.into_any(),
                    }}
                    <button type="button" class="action unread" aria-label=t(Text::ActionsMarkUnread)
                        title=with_key(Text::ActionsMarkUnread, "U") tabindex=button_tabindex
                        disabled=move || unread.get()
                        on:click=act(StateChange::Unread)>
                    </button>
                </div>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_domain::api::{Activity, CallOutcome, Contact};
    use switchboard_domain::{ActivityId, ContactId, LineId};

    fn summary(
        unread: bool,
        content: ActivityContent,
        direction: Direction,
    ) -> ConversationSummary {
        ConversationSummary {
            id: ConversationId(1),
            line_id: LineId(1),
            contact: Contact {
                id: Some(ContactId(1)),
                name: Some("Maya Smith".into()),
                number: "+12125550100".into(),
                tags: Vec::new(),
            },
            status: Status::Open,
            unread,
            latest_activity: Activity {
                id: ActivityId(9),
                conversation_id: ConversationId(1),
                direction,
                at: 0,
                content,
                delivery: None,
            },
            latest_inbound_activity_id: Some(ActivityId(9)),
            assignee: None,
            pinned: false,
        }
    }

    #[test]
    fn an_unread_rows_name_says_unread_then_what_and_when() {
        let text = ActivityContent::Message {
            text: "Are you open Saturday?".into(),
        };
        let label = row_label(&summary(true, text, Direction::Inbound), "2:14 PM", false);
        assert_eq!(label, "Maya Smith, unread, Are you open Saturday?, 2:14 PM");
    }

    #[test]
    fn a_read_rows_name_leaves_unread_out_and_marks_the_teams_own_message() {
        let text = ActivityContent::Message {
            text: "See you then".into(),
        };
        let label = row_label(
            &summary(false, text, Direction::Outbound),
            "Yesterday",
            false,
        );
        assert_eq!(label, "Maya Smith, You: See you then, Yesterday");
    }

    #[test]
    fn calls_are_named_by_what_happened() {
        let missed = ActivityContent::Call {
            outcome: CallOutcome::Missed,
            duration_seconds: 0,
        };
        let label = row_label(&summary(true, missed, Direction::Inbound), "Mon", true);
        assert_eq!(
            label,
            "Maya Smith, unread, Missed call, Mon, waiting to sync"
        );
    }

    #[test]
    fn an_owner_and_a_pin_are_said_after_the_time() {
        let text = ActivityContent::Message { text: "Hi".into() };
        let mut pinned = summary(false, text, Direction::Inbound);
        pinned.assignee = Some(switchboard_domain::team::MemberRef {
            id: switchboard_domain::MemberId(2),
            name: "Jordan Lee".into(),
        });
        pinned.pinned = true;
        assert_eq!(
            row_label(&pinned, "Mon", false),
            "Maya Smith, Hi, Mon, assigned to Jordan Lee, pinned"
        );
    }

    #[test]
    fn initials_come_from_the_name_or_a_hash_for_a_number() {
        assert_eq!(initials("Maya Smith"), "MS");
        assert_eq!(initials("chloé"), "C");
        assert_eq!(initials("Élodie Roux"), "ÉR");
        assert_eq!(initials("(212) 555-0100"), "#");
    }
}
