use crate::chunks::chunk_view;
use crate::components::account::account_bar;
use crate::i18n::{around, t, tf, tn, Plural, Text};
use crate::routes::{InboxRoute, LineFilter};
use crate::store::{Lines, Place, Session, Team};
use leptos::prelude::*;
use switchboard_domain::api::ReplySending;
use switchboard_domain::phone::display_number;

/// The phone lines, each with its unread count, and "All lines" above them; under them, once
/// they are in, the Contacts page's link (`on_contacts`: the page shown is one of the Contacts
/// pages).
#[component]
pub fn LineSidebar(#[prop(optional)] on_contacts: bool) -> impl IntoView {
    let lines = expect_context::<Lines>();
    let hint = around(Text::SidebarHint, "key");

    // The links stay as the counts change; only their badges and names follow.
    let entries = move || {
        let mut entries = vec![(LineFilter::All, t(Text::SidebarAllLines).to_owned(), None)];
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
        <nav class="line-sidebar" aria-label=t(Text::SidebarLabel)>
            <h1 class="brand">{t(Text::AppName)}</h1>
            <ul>
                <For each=entries key=|entry| entry.clone() let((filter, name, number))>
                    <LineLink filter name number on_contacts/>
                </For>
            </ul>
            // Under the lines, once they are in: were it painted before them, their arrival
            // would move it (a layout shift).
            <Show when=move || lines.sending().is_some()>
                <ul class="sidebar-pages">
                    <li>
                        <a class="line page-link" href="/contacts"
                            aria-current=on_contacts.then_some("page")>
                            {t(Text::ContactsNav)}
                        </a>
                    </li>
                </ul>
                <p class="hint">{hint.0}<kbd>"?"</kbd>{hint.1}</p>
                <SendingStatus/>
            </Show>
        </nav>
        {chunk_view(account_bar)}
        </div>
    }
}

#[component]
fn LineLink(
    filter: LineFilter,
    name: String,
    number: Option<String>,
    on_contacts: bool,
) -> impl IntoView {
    let place = expect_context::<Place>();
    let lines = expect_context::<Lines>();
    let current =
        Memo::new(move |_| !on_contacts && place.route.with(|route| route.line) == filter);
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
                            <span class="visually-hidden">", "</span>{crate::i18n::number(n as usize)}
                            <span class="visually-hidden">{tn(Plural::SidebarUnreadAfter, n as usize)}</span>
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
            ReplySending::Quo => t(Text::SidebarSendingQuo),
            ReplySending::Demo => t(Text::SidebarSendingDemo),
            ReplySending::Off => t(Text::SidebarSendingOff),
        };
        let from = move || {
            lines.with(|lines| {
                lines
                    .iter()
                    .filter_map(|line| {
                        let from = line.sends_from.clone()?;
                        let text = tf(
                            Text::SidebarSendsFrom,
                            &[("line", &line.name), ("number", &from)],
                        );
                        Some(view! { <li>{text}</li> })
                    })
                    .collect_view()
            })
        };
        Some(view! {
            <section class="sending" class:off=sending == ReplySending::Off
                aria-labelledby="sending-heading">
                <h2 id="sending-heading">{t(Text::SidebarSending)}</h2>
                <p>{summary}</p>
                <ul>{from}</ul>
            </section>
        })
    }
}
