use crate::store::SyncStatus;
use leptos::prelude::*;

/// Says when the server cannot be reached, and how many changes wait to be sent. While the
/// server answers, changes in flight show on their rows only: a banner for each would shift the
/// list up and down at every keypress.
#[component]
pub fn ConnectionStatus() -> impl IntoView {
    let sync = expect_context::<SyncStatus>();
    let waiting = move || sync.pending.with(Vec::len);
    let text = move || {
        let changes = match waiting() {
            0 => String::new(),
            1 => " 1 conversation has changes waiting to sync.".to_owned(),
            n => format!(" {n} conversations have changes waiting to sync."),
        };
        (!sync.online.get()).then(|| format!("Offline: showing what was last loaded.{changes}"))
    };
    view! {
        <div class="connection-status" role="status">
            {move || text().map(|text| view! {
                <p class="connection" class:offline=move || !sync.online.get()>{text}</p>
            })}
        </div>
    }
}
