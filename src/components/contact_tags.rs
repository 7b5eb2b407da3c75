//! Tags: colour chips (in the inbox rows and the contact panel), and the panel's editor: × takes
//! one off, and the field adds one, suggesting the workspace's tags as it is typed in and
//! creating a new tag from a new name on Enter.

use crate::components::contact_panel::{is_enter, SectionTitle};
use crate::contact_edits::tag_suggestions;
use crate::i18n::{t, tf, Text};
use crate::store::{Contacts, Store};
use leptos::html;
use leptos::prelude::*;
use switchboard_domain::contacts::{ContactCard, Tag, TagColour};
use switchboard_domain::ContactId;
use wasm_bindgen::JsCast;

/// The class of a tag's chip in its colour (style/main.css draws each in both themes).
pub fn chip_class(colour: TagColour) -> String {
    format!("tag-chip tag-{}", colour.as_str())
}

/// The tags of a contact, for the panel.
#[component]
pub fn ContactTags(id: ContactId, card: Memo<Option<ContactCard>>) -> impl IntoView {
    let store = expect_context::<Store>();
    let contacts = expect_context::<Contacts>();
    let on_contact =
        Memo::new(move |_| card.with(|c| c.as_ref().map(|c| c.tags.clone()).unwrap_or_default()));
    let shown = Memo::new(move |_| {
        let ids = on_contact.get();
        contacts.tags.with(|tags| {
            ids.iter()
                .filter_map(|id| tags.iter().find(|tag| tag.id == *id).cloned())
                .collect::<Vec<Tag>>()
        })
    });
    let typed = RwSignal::new(String::new());
    let suggestions = Memo::new(move |_| {
        let typed = typed.get();
        on_contact.with(|on| {
            contacts.tags.with(|tags| {
                tag_suggestions(tags, on, &typed)
                    .into_iter()
                    .map(|tag| tag.name.clone())
                    .collect::<Vec<_>>()
            })
        })
    });
    let field = NodeRef::<html::Input>::new();
    let add = move |name: String| {
        typed.set(String::new());
        if let Some(field) = field.get_untracked() {
            field.set_value("");
        }
        store.add_contact_tag(id, name);
    };
    let list_id = format!("tag-suggestions-{id}");
    view! {
        <section class="contact-section">
            <SectionTitle>{t(Text::ContactTags)}</SectionTitle>
            <ul class="tag-list">
                <For each=move || shown.get() key=|tag| (tag.id, tag.name.clone(), tag.colour) children=move |tag| {
                    let tag_id = tag.id;
                    view! {
                        <li class=chip_class(tag.colour)>
                            <span>{tag.name.clone()}</span>
                            <button type="button" class="chip-remove"
                                aria-label=tf(Text::ContactRemoveTag, &[("name", &tag.name)])
                                on:click=move |_| store.remove_contact_tag(id, tag_id)>"×"</button>
                        </li>
                    }
                }/>
            </ul>
            <label class="field">
                <span>{t(Text::ContactAddTag)}</span>
                // The browser lists the workspace's tags that match what is typed (a datalist):
                // picking one adds it at once; Enter adds what is typed, a new tag if need be.
                <input type="text" node_ref=field list=list_id.clone() autocomplete="off"
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        let replaced = ev
                            .dyn_ref::<web_sys::InputEvent>()
                            .is_some_and(|ev| ev.input_type() == "insertReplacementText");
                        let picked = replaced
                            && suggestions.with_untracked(|s| s.contains(&value));
                        match picked {
                            true => add(value),
                            false => typed.set(value),
                        }
                    }
                    on:keydown=move |ev| {
                        if is_enter(&ev) {
                            let value = event_target_value(&ev);
                            if !value.trim().is_empty() {
                                add(value);
                            }
                        }
                    }/>
            </label>
            <datalist id=list_id>
                {move || suggestions.get().into_iter().map(|name| view! { <option value=name/> }).collect_view()}
            </datalist>
        </section>
    }
}
