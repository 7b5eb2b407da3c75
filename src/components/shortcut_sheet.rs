use crate::chunks::{chunk_view, in_chunk};
use crate::i18n::{t, Text};
use crate::keyboard::{ENTER, ESCAPE, SHORTCUT_SHEET};
use crate::store::Place;
use leptos::html;
use leptos::prelude::*;

in_chunk!(
    shortcuts,
    fn shortcut_sheet() {
        view! { <ShortcutSheet/> }.into_any()
    }
);

/// Where the shortcut sheet opens: it is built (and its code fetched) only when asked for.
#[component]
pub fn ShortcutSheetSlot() -> impl IntoView {
    let place = expect_context::<Place>();
    move || place.sheet_open.get().then(|| chunk_view(shortcut_sheet))
}

/// The keyboard shortcuts, in a modal dialog (`?` opens it, Escape closes it). A native
/// `<dialog>` keeps the focus inside while open and gives it back when closed.
#[component]
pub fn ShortcutSheet() -> impl IntoView {
    let place = expect_context::<Place>();
    let dialog = NodeRef::<html::Dialog>::new();
    Effect::new(move |_| {
        let open = place.sheet_open.get();
        if let Some(dialog) = dialog.get() {
            match (open, dialog.open()) {
                (true, false) => {
                    let _ = dialog.show_modal();
                }
                (false, true) => dialog.close(),
                _ => {}
            }
        }
    });
    let rows = SHORTCUT_SHEET
        .iter()
        .map(|(keys, action)| {
            let keys = keys
                .iter()
                .map(|key| {
                    let name = match *key {
                        ENTER => t(Text::ShortcutsKeyEnter),
                        ESCAPE => t(Text::ShortcutsKeyEscape),
                        key => key,
                    };
                    view! { <kbd>{name}</kbd> }
                })
                .collect_view();
            view! { <div class="shortcut"><dt>{keys}</dt><dd>{t(*action)}</dd></div> }
        })
        .collect_view();
    view! {
        <dialog class="shortcut-sheet" node_ref=dialog aria-labelledby="shortcut-sheet-title"
            on:close=move |_| place.sheet_open.set(false)>
            <h2 id="shortcut-sheet-title">{t(Text::ShortcutsTitle)}</h2>
            <dl>{rows}</dl>
            <p class="hint">{t(Text::ShortcutsHint)}</p>
            <form method="dialog">
                <button type="submit" class="close" autofocus>{t(Text::ShortcutsClose)}</button>
            </form>
        </dialog>
    }
}
