//! "New contact": a contact created by hand, then its page.

use super::contact_path;
use crate::api;
use crate::i18n::{t, tf, Text};
use crate::store::{Store, NEW_NUMBER_LABEL};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use switchboard_domain::contacts::{ContactEmail, ContactInput, ContactPhone};

#[component]
pub fn NewContactDialog(open: RwSignal<bool>) -> impl IntoView {
    let store = expect_context::<Store>();
    let navigate = use_navigate();
    let dialog = NodeRef::<html::Dialog>::new();
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        }
    });
    let fields = [(); 5].map(|_| RwSignal::new(String::new()));
    let [first, last, company, phone, email] = fields;
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let value = |field: RwSignal<String>| {
            let value = field.get_untracked().trim().to_owned();
            (!value.is_empty()).then_some(value)
        };
        let input = ContactInput {
            first_name: value(first),
            last_name: value(last),
            company: value(company),
            phones: value(phone).map(|number| {
                vec![ContactPhone {
                    number,
                    label: NEW_NUMBER_LABEL.to_owned(),
                }]
            }),
            emails: value(email).map(|address| {
                vec![ContactEmail {
                    address,
                    label: String::new(),
                }]
            }),
            ..ContactInput::default()
        };
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::create_contact(&input).await {
                Ok(card) => {
                    let id = card.id;
                    store.contact_created(card);
                    open.set(false);
                    navigate(&contact_path(id), Default::default());
                }
                Err(refused) => {
                    busy.set(false);
                    store.check_signed_out(&refused);
                    error.set(Some(tf(
                        Text::ContactsCreateFailed,
                        &[("error", &refused.server_message())],
                    )));
                }
            }
        });
    };
    let field = |label: Text, kind: &'static str, signal: RwSignal<String>| {
        view! {
            <label class="field">
                <span>{t(label)}</span>
                <input type=kind prop:value=move || signal.get()
                    on:input=move |ev| signal.set(event_target_value(&ev))/>
            </label>
        }
    };
    view! {
        <dialog class="contact-dialog" node_ref=dialog aria-labelledby="new-contact-title"
            on:close=move |_| open.set(false)>
            <form class="new-contact" on:submit=submit>
                <h2 id="new-contact-title">{t(Text::ContactsNewTitle)}</h2>
                {field(Text::ContactFirstName, "text", first)}
                {field(Text::ContactLastName, "text", last)}
                {field(Text::ContactCompany, "text", company)}
                {field(Text::ContactsPhone, "tel", phone)}
                {field(Text::ContactsEmail, "email", email)}
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <div class="dialog-buttons">
                    <button type="button" on:click=move |_| open.set(false)>{t(Text::ContactsCancel)}</button>
                    <button type="submit" class="primary" disabled=move || busy.get()>{t(Text::ContactsCreate)}</button>
                </div>
            </form>
        </dialog>
    }
}
