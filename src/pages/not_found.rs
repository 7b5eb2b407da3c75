use crate::i18n::{t, Text};
use crate::routes::InboxRoute;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <main class="not-found">
            <h1>{t(Text::NotFoundTitle)}</h1>
            <p>{t(Text::NotFoundText)}</p>
            <a href=InboxRoute::default().path()>{t(Text::NotFoundLink)}</a>
        </main>
    }
}
