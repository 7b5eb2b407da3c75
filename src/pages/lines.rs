use crate::components::{LineSidebar, NoticeStack};
use crate::store::Store;
use leptos::prelude::*;

/// The phone lines as a screen of their own (the phone layout's first screen; on a desktop the
/// same list stands beside the inbox).
#[component]
pub fn LinesPage() -> impl IntoView {
    let store = expect_context::<Store>();
    store.load_lines();
    view! {
        <main class="lines-page">
            <LineSidebar/>
        </main>
        <NoticeStack on_undo=move |_| store.undo()/>
    }
}
