use crate::routes::InboxRoute;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <main class="not-found">
            <h1>"Nothing here"</h1>
            <p>"This address does not name a line, a view or a conversation."</p>
            <a href=InboxRoute::default().path()>"Go to the inbox"</a>
        </main>
    }
}
