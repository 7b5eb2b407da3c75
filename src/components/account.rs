use crate::chunks::in_chunk;
use crate::components::icons::BellIcon;
use crate::components::Now;
use crate::i18n::{around, t, tf, tn, Lang, Plural, Text};
use crate::store::{Session, Store, Team};
use crate::time_format;
use leptos::prelude::*;

in_chunk!(
    account,
    /// The account bar: not on a phone's first screen, nor needed for a desktop's first paint.
    pub fn account_bar() {
        view! { <AccountBar/> }.into_any()
    }
);

/// Who is signed in, their notifications (mentions), their language, and signing out.
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
        0 => t(Text::AccountNotifications).to_owned(),
        n => tn(Plural::AccountNotificationsUnread, n as usize),
    };
    let (before_name, after_name) = around(Text::AccountSignedInAs, "name");
    view! {
        <section class="account" aria-label=t(Text::AccountLabel)>
            <LanguagePicker/>
            <div class="account-row">
            <button type="button" class="icon-button bell" aria-label=bell_label
                aria-expanded=move || team.notifications_open.get().to_string()
                aria-controls="notifications"
                on:click=move |_| team.notifications_open.update(|open| *open = !*open)>
                <BellIcon/>
                <span class="badge" class:empty=move || unread() == 0 aria-hidden="true">{unread}</span>
            </button>
            // The name alone is shown (the bar is narrow, the words long in French); screen readers
            // hear the whole sentence.
            <p class="signed-in">
                <span class="visually-hidden">{before_name}</span><strong>{name}</strong>
                <span class="visually-hidden">{after_name}</span>
            </p>
            // Pressed again while the server cannot be reached, it tries again at once.
            <button type="button" class="sign-out" on:click=move |_| store.sign_out()>
                {move || t(if team.signing_out.get() { Text::AccountSigningOut } else { Text::AccountSignOut })}
            </button>
            </div>
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
                    let when = time_format::short(notification.at, now.get());
                    let unread = !notification.read;
                    let text = tf(
                        Text::AccountMentioned,
                        &[
                            ("author", &notification.author.name),
                            ("excerpt", &notification.excerpt),
                        ],
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
        <section id="notifications" class="notifications-panel" aria-label=t(Text::AccountNotifications)
            hidden=move || !team.notifications_open.get()>
            <h2>{t(Text::AccountNotifications)}</h2>
            {move || team.notifications.with(|l| l.notifications.is_empty()).then(|| view! {
                <p class="hint">{t(Text::AccountNotificationsEmpty)}</p>
            })}
            <ul>{items}</ul>
        </section>
    }
}

/// The teammate's interface language: each language by its own name, or the browser's. The
/// choice is the teammate's, on every device.
#[component]
fn LanguagePicker() -> impl IntoView {
    let store = expect_context::<Store>();
    let team = expect_context::<Team>();
    let chosen = move || {
        team.session.with(|session| match session {
            Session::SignedIn(me) => me.language.as_deref().and_then(Lang::from_tag),
            _ => None,
        })
    };
    let options = Lang::ALL
        .into_iter()
        .map(|lang| {
            view! {
                <option value=lang.code() lang=lang.code()
                    selected=move || chosen() == Some(lang)>{lang.name()}</option>
            }
        })
        .collect_view();
    view! {
        <label class="language">
            {t(Text::AccountLanguage)}
            <select on:change=move |ev| {
                let choice = Lang::from_tag(&event_target_value(&ev));
                store.choose_language(choice);
            }>
                <option value="" selected=move || chosen().is_none()>{t(Text::AccountLanguageBrowser)}</option>
                {options}
            </select>
        </label>
    }
}
