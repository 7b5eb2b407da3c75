//! The workspace's custom properties of a contact, one field per property in the field its type
//! wants: text, number, date, web address, postal address, yes or no, one choice, several. Each
//! value is saved as it is left or chosen; the server checks it and names the field it refuses.

use crate::components::contact_panel::{is_enter, SectionTitle};
use crate::contact_edits::{chosen, toggle_choice, value_text};
use crate::i18n::{t, Text};
use crate::store::{Contacts, Store};
use leptos::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use switchboard_domain::contacts::{ContactCard, ContactInput, PropertyDefinition, PropertyType};
use switchboard_domain::ContactId;

#[component]
pub fn ContactProperties(id: ContactId, card: Memo<Option<ContactCard>>) -> impl IntoView {
    let contacts = expect_context::<Contacts>();
    let has_any = Memo::new(move |_| contacts.properties.with(|p| !p.is_empty()));
    move || {
        has_any.get().then(|| {
            view! {
                <section class="contact-section">
                    <SectionTitle>{t(Text::ContactProperties)}</SectionTitle>
                    <div class="contact-properties">
                        // A definition changed by an owner (its name, its options) is built anew.
                        <For each=move || contacts.properties.get() key=|p| (p.key.clone(), p.name.clone(), p.kind, p.options.clone())
                            children=move |property| view! { <PropertyField id card property/> }/>
                    </div>
                </section>
            }
        })
    }
}

#[component]
fn PropertyField(
    id: ContactId,
    card: Memo<Option<ContactCard>>,
    property: PropertyDefinition,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let key = property.key.clone();
    let value =
        Memo::new(move |_| card.with(|c| c.as_ref().and_then(|c| c.properties.get(&key).cloned())));
    let key = property.key.clone();
    let save = move |next: Value| {
        let current = value.get_untracked();
        let unchanged = match (&current, &next) {
            (None, Value::Null) => true,
            (None, Value::String(text)) => text.trim().is_empty(),
            (Some(current), next) => value_text(Some(current)) == value_text(Some(next)),
            _ => false,
        };
        if !unchanged {
            let input = ContactInput {
                properties: Some(BTreeMap::from([(key.clone(), next)])),
                ..ContactInput::default()
            };
            store.edit_contact(id, input);
        }
    };
    let save = StoredValue::new(save);
    let text = move |typed: String| match typed.trim().is_empty() {
        true => Value::Null,
        false => Value::String(typed.trim().to_owned()),
    };
    let shown = move || value_text(value.get().as_ref());
    let name = property.name.clone();
    match property.kind {
        PropertyType::Text | PropertyType::Number | PropertyType::Date | PropertyType::Url => {
            // A number is typed as text (with the keyboard's decimals): a number field would
            // give nothing for what it cannot read, and clear the value.
            let (kind, mode) = match property.kind {
                PropertyType::Date => ("date", None),
                PropertyType::Url => ("url", None),
                PropertyType::Number => ("text", Some("decimal")),
                _ => ("text", None),
            };
            view! {
                <label class="field">
                    <span class="property-name">{name}</span>
                    <input type=kind inputmode=mode prop:value=shown
                        on:change=move |ev| save.with_value(|save| save(text(event_target_value(&ev))))
                        on:keydown=move |ev| if is_enter(&ev) {
                            save.with_value(|save| save(text(event_target_value(&ev))))
                        }/>
                </label>
            }
            .into_any()
        }
        PropertyType::Address => view! {
            <label class="field">
                <span class="property-name">{name}</span>
                <textarea rows="3" prop:value=shown
                    on:change=move |ev| save.with_value(|save| save(text(event_target_value(&ev))))></textarea>
            </label>
        }
        .into_any(),
        PropertyType::Boolean => view! {
            <label class="field check">
                <input type="checkbox" prop:checked=move || value.get() == Some(Value::Bool(true))
                    on:change=move |ev| save.with_value(|save| save(Value::Bool(event_target_checked(&ev))))/>
                <span class="property-name">{name}</span>
            </label>
        }
        .into_any(),
        PropertyType::SingleChoice => {
            let options = property.options.clone();
            view! {
                <label class="field">
                    <span class="property-name">{name}</span>
                    <select on:change=move |ev| save.with_value(|save| save(text(event_target_value(&ev))))>
                        <option value="" prop:selected=move || value.with(Option::is_none)>{t(Text::ContactNotSet)}</option>
                        {options.into_iter().map(|option| {
                            let (this, shown) = (option.clone(), option.clone());
                            view! {
                                <option value=option
                                    prop:selected=move || value.with(|v| v.as_ref().and_then(Value::as_str) == Some(this.as_str()))>
                                    {shown}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </label>
            }
            .into_any()
        }
        PropertyType::MultipleChoice => {
            let options = StoredValue::new(property.options.clone());
            view! {
                <fieldset class="field choices">
                    <legend class="property-name">{name}</legend>
                    {property.options.iter().cloned().map(|option| {
                        let this = option.clone();
                        let ticked = move || chosen(value.get().as_ref()).contains(&this);
                        let toggled = option.clone();
                        view! {
                            <label class="check">
                                <input type="checkbox" prop:checked=ticked
                                    on:change=move |ev| {
                                        let now = chosen(value.get_untracked().as_ref());
                                        let next = options.with_value(|all| {
                                            toggle_choice(all, &now, &toggled, event_target_checked(&ev))
                                        });
                                        save.with_value(|save| save(next));
                                    }/>
                                <span>{option}</span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            }
            .into_any()
        }
    }
}
