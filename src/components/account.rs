use crate::components::icons::BellIcon;
use crate::components::Now;
use crate::store::{Session, Store, Team};
use crate::time_format::{self, LocalTime};
use leptos::prelude::*;

/// Who is signed in, their notifications (mentions), and signing out.
#[component]
pub fn AccountBar() -> impl IntoView {
    let store = expect_context::<Store>();
    let team = expect_context::<Team>();
    let name = move || match team.session.get() {
        Session::SignedIn(me) => me.name,
        _ => String::new(),
    };
    let unread = move || team.notifications.with(|n| n.unread_count);
    let bell_label = move || match unread() {
        0 => "Notifications".to_owned(),
        n => format!("Notifications, {n} unread"),
    };
    view! {
        <section class="account" aria-label="Account">
            <button type="button" class="icon-button bell" aria-label=bell_label
                aria-expanded=move || team.notifications_open.get().to_string()
                aria-controls="notifications"
                on:click=move |_| team.notifications_open.update(|open| *open = !*open)>
                <BellIcon/>
                <span class="badge" class:empty=move || unread() == 0 aria-hidden="true">{unread}</span>
            </button>
            <p class="signed-in">"Signed in as "<strong>{name}</strong></p>
            // Pressed again while the server cannot be reached, it tries again at once.
            <button type="button" class="sign-out" on:click=move |_| store.sign_out()>
                {move || if team.signing_out.get() { "Signing out…" } else { "Sign out" }}
            </button>
        </section>
        <NotificationsPanel/>
    }
}

/// The mentions of the signed-in teammate, newest first; opening one opens its conversation.
#[component]
fn NotificationsPanel() -> impl IntoView {
    let store = expect_context::<Store>();
    let team = expect_context::<Team>();
    let now = expect_context::<Now>().0;
    let items = move || {
        team.notifications.with(|list| {
            list.notifications
                .iter()
                .cloned()
                .map(|notification| {
                    let when = time_format::short(
                        &LocalTime::in_browser(notification.at),
                        &LocalTime::in_browser(now.get()),
                    );
                    let unread = !notification.read;
                    let text = format!(
                        "{} mentioned you: {}",
                        notification.author.name, notification.excerpt
                    );
                    view! {
                        <li>
                            <button type="button" class="notification" class:unread=unread
                                on:click=move |_| store.open_notification(&notification)>
                                <span class="notification-text">{text}</span>
                                <time>{when}</time>
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section id="notifications" class="notifications-panel" aria-label="Notifications"
            hidden=move || !team.notifications_open.get()>
            <h2>"Notifications"</h2>
            {move || team.notifications.with(|l| l.notifications.is_empty()).then(|| view! {
                <p class="hint">"Nothing yet. When a teammate mentions you in a note, it shows here."</p>
            })}
            <ul>{items}</ul>
        </section>
    }
}
