use crate::store::Store;
use leptos::prelude::*;

/// Says when the server cannot be reached, and how many changes wait to be sent.
#[component]
pub fn ConnectionStatus() -> impl IntoView {
    let store = expect_context::<Store>();
    let waiting = move || store.pending.with(Vec::len);
    let text = move || {
        let changes = match waiting() {
            0 => String::new(),
            1 => " 1 conversation has changes waiting to sync.".to_owned(),
            n => format!(" {n} conversations have changes waiting to sync."),
        };
        match store.online.get() {
            false => Some(format!("Offline: showing what was last loaded.{changes}")),
            true if waiting() > 0 => Some(format!("Syncing…{changes}")),
            true => None,
        }
    };
    view! {
        <div class="connection-status" role="status">
            {move || text().map(|text| view! {
                <p class="connection" class:offline=move || !store.online.get()>{text}</p>
            })}
        </div>
    }
}
