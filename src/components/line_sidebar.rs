use crate::components::AccountBar;
use crate::routes::{InboxRoute, LineFilter};
use crate::store::{Lines, Place, Session, Team};
use leptos::prelude::*;
use switchboard_domain::api::ReplySending;
use switchboard_domain::phone::display_number;

/// The phone lines, each with its unread count, and "All lines" above them.
#[component]
pub fn LineSidebar() -> impl IntoView {
    let lines = expect_context::<Lines>();
    // The links stay as the counts change; only their badges and names follow.
    let entries = move || {
        let mut entries = vec![(LineFilter::All, "All lines".to_owned(), None)];
        lines.with(|lines| {
            entries.extend(lines.iter().map(|line| {
                let number = display_number(&line.number);
                (LineFilter::Line(line.id), line.name.clone(), Some(number))
            }))
        });
        entries
    };
    view! {
        <div class="sidebar">
        <nav class="line-sidebar" aria-label="Phone lines">
            <h1 class="brand">"Switchboard"</h1>
            <ul>
                <For each=entries key=|entry| entry.clone() let((filter, name, number))>
                    <LineLink filter name number/>
                </For>
            </ul>
            // Under the lines, once they are in: were it painted before them, their arrival
            // would move it (a layout shift).
            <Show when=move || lines.sending().is_some()>
                <p class="hint">"Press " <kbd>"?"</kbd> " for keyboard shortcuts"</p>
                <SendingStatus/>
            </Show>
        </nav>
        <AccountBar/>
        </div>
    }
}

#[component]
fn LineLink(filter: LineFilter, name: String, number: Option<String>) -> impl IntoView {
    let place = expect_context::<Place>();
    let lines = expect_context::<Lines>();
    let current = Memo::new(move |_| place.route.with(|route| route.line) == filter);
    let unread = Memo::new(move |_| match filter {
        LineFilter::All => lines.total_unread(),
        LineFilter::Line(id) => lines.unread(id),
    });
    let href = move || InboxRoute::list(filter, place.route.with(|r| r.view)).path();
    // The link's name is its visible text (WCAG 2.5.3), with the commas and the word "unread"
    // that a screen reader needs hidden from sight only: "Support, (555) 010-0200, 3 unread".
    view! {
        <li>
            <a class="line" href=href aria-current=move || current.get().then_some("page")>
                <span class="line-name">{name}</span>
                {number.map(|n| view! {
                    <span class="line-number"><span class="visually-hidden">", "</span>{n}</span>
                })}
                <span class="badge" class:empty=move || unread.get() == 0>
                    {move || match unread.get() {
                        0 => None,
                        n => Some(view! {
                            <span class="visually-hidden">", "</span>{n}
                            <span class="visually-hidden">" unread"</span>
                        }),
                    }}
                </span>
            </a>
        </li>
    }
}

/// For owners and admins: whether replies reach customers, and which Quo number each line
/// sends from.
#[component]
fn SendingStatus() -> impl IntoView {
    let lines = expect_context::<Lines>();
    let team = expect_context::<Team>();
    let manages = move || {
        team.session
            .with(|session| matches!(session, Session::SignedIn(me) if me.role.sees_every_line()))
    };
    move || {
        let sending = lines.sending().filter(|_| manages())?;
        let summary = match sending {
            ReplySending::Quo => "Replies go out through Quo.",
            ReplySending::Demo => {
                "Demo carrier: replies show as sent and delivered, but reach nobody."
            }
            ReplySending::Off => {
                "Replies are not sent: this server has no Quo API key (--quo-api-key)."
            }
        };
        let from = move || {
            lines.with(|lines| {
                lines
                    .iter()
                    .filter_map(|line| {
                        let from = line.sends_from.clone()?;
                        Some(view! { <li>{line.name.clone()}" sends from "{from}</li> })
                    })
                    .collect_view()
            })
        };
        Some(view! {
            <section class="sending" class:off=sending == ReplySending::Off
                aria-labelledby="sending-heading">
                <h2 id="sending-heading">"Sending"</h2>
                <p>{summary}</p>
                <ul>{from}</ul>
            </section>
        })
    }
}
