use crate::store::{SyncStatus, Team};
use leptos::prelude::*;

/// Says when the server cannot be reached, how many changes wait to be sent, and that a
/// sign-out waits for the server. While the server answers, changes in flight show on their
/// rows only: a banner for each would shift the list up and down at every keypress.
#[component]
pub fn ConnectionStatus() -> impl IntoView {
    let sync = expect_context::<SyncStatus>();
    let team = expect_context::<Team>();
    let text = move || {
        crate::text::connection_status(
            sync.online.get(),
            sync.pending.with(Vec::len),
            team.signing_out.get(),
        )
    };
    view! {
        <div class="connection-status" role="status">
            {move || text().map(|text| view! {
                <p class="connection" class:offline=move || !sync.online.get()>{text}</p>
            })}
        </div>
    }
}
