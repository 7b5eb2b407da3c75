use crate::api;
use crate::chunks::in_chunk;
use crate::i18n::{t, Text};
use crate::routes::InboxRoute;
use crate::store::{Session, Store};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

in_chunk!(
    sign_in,
    pub fn sign_in_page() {
        view! { <SignInPage/> }.into_any()
    }
);

/// Signing in with email and password; then on to where the teammate was going.
#[component]
pub fn SignInPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let query = use_query_map();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let next = move || {
        let origin = web_sys::window().and_then(|w| w.location().origin().ok());
        query
            .with_untracked(|q| q.get("next"))
            .zip(origin)
            .and_then(|(next, origin)| same_origin_path(&next, &origin))
            .unwrap_or_else(|| InboxRoute::default().path())
    };
    let go_on = {
        let navigate = navigate.clone();
        move || {
            navigate(
                &next(),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            )
        }
    };
    // Someone already signed in has nothing to do here.
    let already = go_on.clone();
    Effect::new(move |_| {
        if matches!(store.team.session.get(), Session::SignedIn(_)) {
            already();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match api::sign_in(&email.get_untracked(), &password.get_untracked()).await {
                Ok(me) => store.signed_in_anew(me).await,
                Err(refused) => {
                    password.set(String::new());
                    error.set(Some(refused.to_string()));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <main class="sign-in">
            <form class="sign-in-card" on:submit=submit aria-labelledby="sign-in-title">
                <h1 id="sign-in-title">{t(Text::SignInTitle)}</h1>
                <label>
                    {t(Text::SignInEmail)}
                    <input type="email" name="email" autocomplete="username" required autofocus
                        prop:value=move || email.get()
                        on:input=move |ev| email.set(event_target_value(&ev))/>
                </label>
                <label>
                    {t(Text::SignInPassword)}
                    <input type="password" name="password" autocomplete="current-password" required
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))/>
                </label>
                {move || error.get().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || t(if busy.get() { Text::SignInBusy } else { Text::SignInSubmit })}
                </button>
            </form>
        </main>
    }
}

/// Where `next` leads, as a path with its query and fragment, if it is a place on `origin`:
/// read as the browser reads a link, so that `//evil.example`, `/\evil.example` or
/// `https://evil.example` lead nowhere but the inbox.
pub fn same_origin_path(next: &str, origin: &str) -> Option<String> {
    let url = web_sys::Url::new_with_base(next, origin).ok()?;
    (url.origin() == origin).then(|| format!("{}{}{}", url.pathname(), url.search(), url.hash()))
}

/// Shows `children` to a signed-in teammate; sends anyone else to sign in, and back afterwards.
#[component]
pub fn SignedIn(children: ChildrenFn) -> impl IntoView {
    let store = expect_context::<Store>();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if store.team.session.get() == Session::SignedOut {
            let here = web_sys::window()
                .and_then(|w| w.location().pathname().ok().zip(w.location().search().ok()))
                .map(|(path, search)| format!("{path}{search}"))
                .unwrap_or_default();
            let next = js_sys::encode_uri_component(&here);
            navigate(
                &format!("/sign-in?next={next}"),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    // Built once per sign-in: a change of the teammate's record (their language, their
    // lines) does not build the page again.
    let signed_in = Memo::new(move |_| matches!(store.team.session.get(), Session::SignedIn(_)));
    move || match signed_in.get() {
        true => children().into_any(),
        false => view! { <p class="splash" role="status">{t(Text::AppLoading)}</p> }.into_any(),
    }
}
