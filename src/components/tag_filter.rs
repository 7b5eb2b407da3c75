use crate::i18n::{t, Text};
use crate::store::{Contacts, Place, Store};
use leptos::prelude::*;
use switchboard_domain::TagId;

/// The inbox's tag filter: only the conversations whose contact has the chosen tag. The tag is
/// in the address (`?tag=`), so that a reload or a shared link keeps it.
#[component]
pub fn TagFilter() -> impl IntoView {
    let store = expect_context::<Store>();
    let place = expect_context::<Place>();
    let contacts = expect_context::<Contacts>();
    let current = Memo::new(move |_| place.route.with(|route| route.tag));
    view! {
        <div class="list-filters">
            <label class="tag-filter">
                <span>{t(Text::FiltersTag)}</span>
                <select on:change=move |ev| {
                    store.show_tag(event_target_value(&ev).parse().ok().map(TagId));
                }>
                    <option value="" prop:selected=move || current.get().is_none()>{t(Text::FiltersAnyTag)}</option>
                    <For each=move || contacts.tags.get() key=|tag| (tag.id, tag.name.clone()) children=move |tag| {
                        let id = tag.id;
                        view! {
                            <option value=id.to_string() selected=current.get_untracked() == Some(id)
                                prop:selected=move || current.get() == Some(id)>
                                {tag.name}
                            </option>
                        }
                    }/>
                </select>
            </label>
        </div>
    }
}
