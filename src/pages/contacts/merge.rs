//! Merging another contact into this one: search and choose it, see what the merge will do
//! (the kept contact's values win; numbers, emails and tags are united; notes and
//! conversations move), then merge.

use crate::api;
use crate::components::contact_tags::chip_class;
use crate::contact_list::{merge_preview, ContactFilters};
use crate::i18n::{t, tf, Text};
use crate::store::{Contacts, NoticeKind, Store};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;
use switchboard_domain::contacts::ContactCard;
use switchboard_domain::phone::display_number;

#[component]
pub fn MergeDialog(kept: ContactCard, open: RwSignal<bool>) -> impl IntoView {
    let store = expect_context::<Store>();
    let dialog = NodeRef::<html::Dialog>::new();
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        }
    });
    let typed = RwSignal::new(String::new());
    let found = RwSignal::new(Vec::<ContactCard>::new());
    let searched = RwSignal::new(false);
    let chosen = RwSignal::new(None::<ContactCard>);
    let busy = RwSignal::new(false);
    let kept_id = kept.id;
    let search = move |value: String| {
        typed.set(value.clone());
        set_timeout(
            move || {
                if typed.get_untracked() != value {
                    return;
                }
                if value.trim().is_empty() {
                    found.set(Vec::new());
                    searched.set(false);
                    return;
                }
                let filters = ContactFilters {
                    q: value.clone(),
                    ..ContactFilters::default()
                };
                spawn_local(async move {
                    if let Ok(page) = api::contact_page(&filters, None).await {
                        if typed.get_untracked() == value {
                            let others = page
                                .contacts
                                .into_iter()
                                .filter(|c| c.id != kept_id)
                                .take(20)
                                .collect();
                            found.set(others);
                            searched.set(true);
                        }
                    }
                });
            },
            Duration::from_millis(200),
        );
    };
    let kept_name = kept.name.clone();
    let merge = move |_| {
        let Some(other) = chosen.get_untracked() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let kept_name = kept_name.clone();
        spawn_local(async move {
            match api::merge_contacts(kept_id, other.id).await {
                Ok(card) => {
                    store.contacts_merged(card, other.id);
                    store.notices.notify(
                        NoticeKind::Info,
                        tf(
                            Text::ContactsMerged,
                            &[("other", &other.name), ("kept", &kept_name)],
                        ),
                        false,
                    );
                    open.set(false);
                }
                Err(error) => {
                    busy.set(false);
                    store.check_signed_out(&error);
                    store.notices.notify(
                        NoticeKind::Error,
                        tf(
                            Text::ContactsMergeFailed,
                            &[("error", &error.server_message())],
                        ),
                        false,
                    );
                }
            }
        });
    };
    let kept_for_preview = kept.clone();
    view! {
        <dialog class="contact-dialog merge-dialog" node_ref=dialog aria-labelledby="merge-title"
            on:close=move |_| open.set(false)>
            <h2 id="merge-title">{tf(Text::ContactsMergeTitle, &[("name", &kept.name)])}</h2>
            <input type="search" class="merge-search" aria-label=t(Text::ContactsMergeSearch)
                placeholder=t(Text::ContactsSearchHint) autocomplete="off" autofocus
                prop:value=move || typed.get()
                on:input=move |ev| search(event_target_value(&ev))/>
            {move || (searched.get() && found.with(Vec::is_empty)).then(|| view! {
                <p class="hint">{t(Text::ContactsMergeNone)}</p>
            })}
            <ul class="merge-candidates" aria-label=t(Text::ContactsMergeResults)>
                <For each=move || found.get() key=|c| (c.id, c.updated_at) children=move |card| {
                    let id = card.id;
                    let number = card.phones.first().map(|p| display_number(&p.number));
                    let company = card.company.clone();
                    let name = card.name.clone();
                    view! {
                        <li>
                            <button type="button" class="merge-candidate"
                                aria-pressed=move || chosen.with(|c| c.as_ref().is_some_and(|c| c.id == id)).to_string()
                                on:click=move |_| chosen.set(Some(card.clone()))>
                                <span class="name">{name}</span>
                                {company.map(|c| view! { <span class="contact-company">{c}</span> })}
                                {number.map(|n| view! { <span class="contact-number">{n}</span> })}
                            </button>
                        </li>
                    }
                }/>
            </ul>
            {move || chosen.get().map(|other| view! { <MergeSummary kept=kept_for_preview.clone() other/> })}
            <div class="dialog-buttons">
                <button type="button" on:click=move |_| open.set(false)>{t(Text::ContactsCancel)}</button>
                {move || chosen.get().map(|other| view! {
                    <button type="button" class="primary merge-confirm" on:click=merge.clone()
                        disabled=move || busy.get()>
                        {tf(Text::ContactsMergeConfirm, &[("other", &other.name), ("kept", &kept.name)])}
                    </button>
                })}
            </div>
        </dialog>
    }
}

/// What merging `other` into `kept` will give.
#[component]
fn MergeSummary(kept: ContactCard, other: ContactCard) -> impl IntoView {
    let contacts = expect_context::<Contacts>();
    let preview = merge_preview(&kept, &other);
    let names = [("kept", kept.name.as_str()), ("other", other.name.as_str())];
    let tags = preview.tags.clone();
    view! {
        <section class="merge-summary" aria-labelledby="merge-summary-title">
            <p id="merge-summary-title">{tf(Text::ContactsMergeKeeps, &names)}</p>
            <p>{tf(Text::ContactsMergeValues, &names)}</p>
            <p>{tf(Text::ContactsMergeMoves, &names)}</p>
            <dl>
                <dt>{t(Text::ContactsMergeNumbers)}</dt>
                <dd class="contact-number">{preview.numbers.iter().map(|n| display_number(n)).collect::<Vec<_>>().join(", ")}</dd>
                <dt>{t(Text::ContactsMergeEmails)}</dt>
                <dd class="contact-email">{preview.emails.join(", ")}</dd>
                <dt>{t(Text::ContactsMergeTags)}</dt>
                <dd>
                    {move || contacts.tags.with(|all| {
                        tags.iter()
                            .filter_map(|id| all.iter().find(|tag| tag.id == *id))
                            .map(|tag| view! { <span class=chip_class(tag.colour)>{tag.name.clone()}</span> })
                            .collect_view()
                    })}
                </dd>
            </dl>
        </section>
    }
}
