//! Contacts: the workspace's tags and properties (loaded once signed in, replaced when an owner
//! changes them), each shown contact in a signal of its own, and every edit shown at once,
//! sent, and rolled back with the server's reason if it refuses. The conversations whose number
//! is a contact's carry its name and tags, and follow its changes.

use super::{NoticeKind, Store, Thread};
use crate::api::{self, ClientError};
use crate::contact_edits::{
    apply_input, contact_after_change, contact_after_removal, is_current, put_note, remove_note,
    tag_named, tag_names,
};
use crate::i18n::{tf, Text};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashMap;
use switchboard_domain::api::Contact;
use switchboard_domain::contacts::{
    ContactCard, ContactInput, ContactNote, ContactNoteInput, ContactPage, ContactPhone,
    PropertyDefinition, Tag,
};
use switchboard_domain::{ContactId, ContactNoteId, ConversationId, MemberId, TagId};

/// A contact as the panel shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum ContactEntry {
    Loading,
    Loaded(Box<ContactPage>),
    Failed(String),
    /// Deleted, or merged into another contact.
    Removed,
}

impl ContactEntry {
    pub fn card(&self) -> Option<&ContactCard> {
        match self {
            ContactEntry::Loaded(page) => Some(&page.contact),
            _ => None,
        }
    }
}

/// The label a number gets when a contact is made from a conversation.
pub const NEW_NUMBER_LABEL: &str = "mobile";

#[derive(Clone, Copy)]
pub struct Contacts {
    /// The workspace's tags, by name.
    pub tags: RwSignal<Vec<Tag>>,
    /// The workspace's custom properties, in order.
    pub properties: RwSignal<Vec<PropertyDefinition>>,
    entries: StoredValue<HashMap<ContactId, ArcRwSignal<ContactEntry>>>,
    /// Each contact as the server last said it is: what a refused edit returns to.
    confirmed: StoredValue<HashMap<ContactId, ContactCard>>,
}

impl Default for Contacts {
    fn default() -> Self {
        Self::new()
    }
}

impl Contacts {
    pub fn new() -> Contacts {
        Contacts {
            tags: RwSignal::new(Vec::new()),
            properties: RwSignal::new(Vec::new()),
            entries: StoredValue::new(HashMap::new()),
            confirmed: StoredValue::new(HashMap::new()),
        }
    }

    /// A workspace tag (tracked).
    pub fn tag(&self, id: TagId) -> Option<Tag> {
        self.tags
            .with(|tags| tags.iter().find(|tag| tag.id == id).cloned())
    }

    /// The signal of a contact, if it was ever shown.
    pub fn entry(&self, id: ContactId) -> Option<ArcRwSignal<ContactEntry>> {
        self.entries.with_value(|map| map.get(&id).cloned())
    }

    /// Shows a page as loaded (a component test fills the store so).
    pub fn put_page(&self, page: ContactPage) {
        let id = page.contact.id;
        self.confirmed.update_value(|known| {
            known.insert(id, page.contact.clone());
        });
        let entry = ContactEntry::Loaded(Box::new(page));
        match self.entry(id) {
            Some(signal) => signal.set(entry),
            None => self
                .entries
                .update_value(|map| drop(map.insert(id, ArcRwSignal::new(entry)))),
        }
    }

    fn update_page(&self, id: ContactId, change: impl FnOnce(&mut ContactPage)) {
        if let Some(signal) = self.entry(id) {
            signal.update(|entry| {
                if let ContactEntry::Loaded(page) = entry {
                    change(page);
                }
            });
        }
    }
}

impl Store {
    /// The workspace's tags and properties, once someone is signed in.
    pub(super) fn load_contact_settings(&self) {
        let contacts = self.contacts;
        spawn_local(async move {
            if let Ok(list) = api::tags().await {
                contacts.tags.set(list.tags);
            }
            if let Ok(list) = api::contact_properties().await {
                contacts.properties.set(list.properties);
            }
        });
    }

    /// Reads again what was shown, when the live stream could not say what changed meanwhile.
    pub(super) fn reload_contacts(&self) {
        self.load_contact_settings();
        let shown: Vec<ContactId> = self
            .contacts
            .entries
            .with_value(|map| map.keys().copied().collect());
        for id in shown {
            self.fetch_contact(id);
        }
    }

    /// A contact's signal, loading it if it is not here yet.
    pub fn show_contact(&self, id: ContactId) -> ArcRwSignal<ContactEntry> {
        if let Some(signal) = self.contacts.entry(id) {
            if matches!(signal.get_untracked(), ContactEntry::Failed(_)) {
                self.fetch_contact(id);
            }
            return signal;
        }
        let signal = ArcRwSignal::new(ContactEntry::Loading);
        self.contacts
            .entries
            .update_value(|map| drop(map.insert(id, signal.clone())));
        self.fetch_contact(id);
        signal
    }

    fn fetch_contact(&self, id: ContactId) {
        let store = *self;
        spawn_local(async move {
            match api::contact(id).await {
                Ok(page) => {
                    let card = page.contact.clone();
                    store.contacts.put_page(page);
                    store.follow_contact(&card);
                }
                Err(ClientError::Api { status: 404, .. }) => {
                    if let Some(signal) = store.contacts.entry(id) {
                        signal.set(ContactEntry::Removed);
                    }
                }
                Err(error) if store.signed_out_by(&error) => {}
                Err(error) => {
                    if let Some(signal) = store.contacts.entry(id) {
                        if signal.with_untracked(|e| e.card().is_none()) {
                            signal.set(ContactEntry::Failed(error.to_string()));
                        }
                    }
                }
            }
        });
    }

    /// A contact as the server now has it (an answer, a live event): shown, unless something
    /// newer already is, and carried to the conversations with its numbers.
    pub(super) fn take_contact(&self, card: ContactCard) {
        let id = card.id;
        let current = self
            .contacts
            .confirmed
            .with_value(|known| is_current(&card, known.get(&id)));
        if !current {
            return;
        }
        self.contacts.confirmed.update_value(|known| {
            known.insert(id, card.clone());
        });
        self.follow_contact(&card);
        self.contacts.update_page(id, |page| page.contact = card);
    }

    /// Every conversation whose number is the contact's gets its name and tags; one whose
    /// number left it becomes an unknown number. Rows then move in or out of a tag's list.
    fn follow_contact(&self, card: &ContactCard) {
        self.change_conversation_contacts(|contact| contact_after_change(contact, card));
    }

    fn change_conversation_contacts(&self, change: impl Fn(&Contact) -> Option<Contact>) {
        let summaries: Vec<_> = self
            .inbox
            .summaries
            .with_value(|map| map.values().cloned().collect());
        let mut changed = Vec::new();
        for summary in summaries {
            if let Some(next) = summary.with_untracked(|s| change(&s.contact)) {
                let id = summary.with_untracked(|s| s.id);
                summary.update(|s| s.contact = next);
                changed.push(id);
            }
        }
        self.open_thread.thread.update(|thread| {
            if let Thread::Loaded(detail) = thread {
                if let Some(next) = change(&detail.conversation.contact) {
                    detail.conversation.contact = next;
                }
            }
        });
        for id in changed {
            self.place_in_list(id);
        }
    }

    /// Changes a contact as `input` says: shown at once, sent, and undone with the server's
    /// reason (which names the field) if it refuses.
    pub fn edit_contact(&self, id: ContactId, input: ContactInput) {
        let Some(before) = self
            .contacts
            .entry(id)
            .and_then(|entry| entry.with_untracked(|e| e.card().cloned()))
        else {
            return;
        };
        let after = self
            .contacts
            .tags
            .with_untracked(|tags| apply_input(&before, &input, tags));
        if after == before {
            return;
        }
        self.follow_contact(&after);
        self.contacts.update_page(id, |page| page.contact = after);
        let store = *self;
        spawn_local(async move {
            match api::update_contact(id, &input).await {
                Ok(card) => store.take_contact(card),
                Err(error) => store.contact_edit_refused(id, &error),
            }
        });
    }

    /// Shows the contact as the server last had it again, and says why the edit was refused.
    fn contact_edit_refused(&self, id: ContactId, error: &ClientError) {
        if self.signed_out_by(error) {
            return;
        }
        if let Some(card) = self
            .contacts
            .confirmed
            .with_value(|known| known.get(&id).cloned())
        {
            self.follow_contact(&card);
            self.contacts.update_page(id, |page| page.contact = card);
        }
        self.notices.notify(
            NoticeKind::Error,
            tf(Text::ContactNotSaved, &[("error", &error.server_message())]),
            false,
        );
    }

    /// Puts a tag on a contact: the workspace's tag by that name, or a new one.
    pub fn add_contact_tag(&self, id: ContactId, name: String) {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return;
        }
        let known = self
            .contacts
            .tags
            .with_untracked(|tags| tag_named(tags, &name).cloned());
        let store = *self;
        spawn_local(async move {
            let tag = match known {
                Some(tag) => tag,
                None => match api::create_tag(&name).await {
                    Ok(tag) => {
                        store.contacts.tags.update(|tags| {
                            if !tags.iter().any(|t| t.id == tag.id) {
                                tags.push(tag.clone());
                                tags.sort_by_key(|t| t.name.to_lowercase());
                            }
                        });
                        tag
                    }
                    Err(error) => return store.contact_edit_refused(id, &error),
                },
            };
            store.set_contact_tags(id, |tags| {
                if !tags.contains(&tag.id) {
                    tags.push(tag.id);
                }
            });
        });
    }

    pub fn remove_contact_tag(&self, id: ContactId, tag: TagId) {
        self.set_contact_tags(id, |tags| tags.retain(|t| *t != tag));
    }

    fn set_contact_tags(&self, id: ContactId, change: impl FnOnce(&mut Vec<TagId>)) {
        let Some(mut ids) = self
            .contacts
            .entry(id)
            .and_then(|entry| entry.with_untracked(|e| e.card().map(|c| c.tags.clone())))
        else {
            return;
        };
        change(&mut ids);
        let names = self
            .contacts
            .tags
            .with_untracked(|tags| tag_names(&ids, tags));
        match names {
            Some(names) => self.edit_contact(
                id,
                ContactInput {
                    tags: Some(names),
                    ..ContactInput::default()
                },
            ),
            // A tag not known here yet (made a moment ago elsewhere): fetch the list first.
            None => self.load_contact_settings(),
        }
    }

    /// Makes a contact of an unknown number (labelled "mobile"); its conversations then
    /// carry it. The answer is the new contact's id.
    pub async fn create_contact(&self, number: String) -> Result<ContactId, ClientError> {
        let input = ContactInput {
            phones: Some(vec![ContactPhone {
                number,
                label: NEW_NUMBER_LABEL.to_owned(),
            }]),
            ..ContactInput::default()
        };
        let result = api::create_contact(&input).await;
        let card = match result {
            Ok(card) => card,
            Err(error) => {
                self.signed_out_by(&error);
                return Err(error);
            }
        };
        let id = card.id;
        let page = ContactPage {
            contact: card.clone(),
            notes: Vec::new(),
            conversations: Vec::new(),
            history: Vec::new(),
        };
        if self.contacts.entry(id).is_none() {
            self.contacts.put_page(page);
        }
        self.take_contact(card);
        // The page's conversations and history come with a read of the whole contact.
        self.fetch_contact(id);
        Ok(id)
    }

    /// A contact was deleted, or merged into `merged_into` (whose numbers it now has).
    pub(super) fn contact_removed(&self, id: ContactId, merged_into: Option<ContactId>) {
        self.change_conversation_contacts(|contact| contact_after_removal(contact, id));
        self.contacts.confirmed.update_value(|known| {
            known.remove(&id);
        });
        if let Some(signal) = self.contacts.entry(id) {
            signal.set(ContactEntry::Removed);
        }
        if let Some(kept) = merged_into {
            // Read again: the merge brought it numbers (whose conversations then carry it),
            // notes and conversations.
            match self.contacts.entry(kept) {
                Some(_) => self.fetch_contact(kept),
                None => drop(self.show_contact(kept)),
            }
        }
    }

    /// A note written, edited or deleted (here or by a teammate).
    pub(super) fn contact_note_changed(
        &self,
        id: ContactId,
        note: Option<ContactNote>,
        deleted: Option<ContactNoteId>,
    ) {
        self.contacts.update_page(id, |page| {
            if let Some(note) = note {
                put_note(&mut page.notes, note);
            }
            if let Some(deleted) = deleted {
                remove_note(&mut page.notes, deleted);
            }
        });
    }

    /// Writes a note on a contact, from the conversation on screen; it shows once the server
    /// has it.
    pub async fn write_contact_note(
        &self,
        id: ContactId,
        text: String,
        mentions: Vec<MemberId>,
        conversation_id: Option<ConversationId>,
    ) -> Result<(), ClientError> {
        let input = ContactNoteInput {
            text,
            mentions,
            conversation_id,
        };
        let note = api::add_contact_note(id, &input).await.inspect_err(|e| {
            self.signed_out_by(e);
        })?;
        self.contact_note_changed(id, Some(note), None);
        Ok(())
    }

    /// Edits one's own note.
    pub async fn edit_contact_note(
        &self,
        id: ContactId,
        note_id: ContactNoteId,
        text: String,
        mentions: Vec<MemberId>,
    ) -> Result<(), ClientError> {
        let input = ContactNoteInput {
            text,
            mentions,
            conversation_id: None,
        };
        let note = api::edit_contact_note(id, note_id, &input)
            .await
            .inspect_err(|e| {
                self.signed_out_by(e);
            })?;
        self.contact_note_changed(id, Some(note), None);
        Ok(())
    }

    /// Deletes one's own note: gone at once, back with a notice if the server refuses.
    pub fn delete_contact_note(&self, id: ContactId, note_id: ContactNoteId) {
        let Some(note) = self.contacts.entry(id).and_then(|entry| {
            entry.with_untracked(|e| match e {
                ContactEntry::Loaded(page) => page.notes.iter().find(|n| n.id == note_id).cloned(),
                _ => None,
            })
        }) else {
            return;
        };
        self.contact_note_changed(id, None, Some(note_id));
        let store = *self;
        spawn_local(async move {
            if let Err(error) = api::delete_contact_note(id, note_id).await {
                if store.signed_out_by(&error) {
                    return;
                }
                store.contact_note_changed(id, Some(note), None);
                store.notices.notify(
                    NoticeKind::Error,
                    tf(
                        Text::ContactNoteNotDeleted,
                        &[("error", &error.server_message())],
                    ),
                    false,
                );
            }
        });
    }

    /// An owner or admin changed the workspace's tags or properties.
    pub(super) fn contact_settings_changed(
        &self,
        tags: Vec<Tag>,
        properties: Vec<PropertyDefinition>,
    ) {
        self.contacts.tags.set(tags);
        self.contacts.properties.set(properties);
    }

    /// `other` was merged into `kept` here (the server's answer is `kept`): `other` is gone,
    /// and `kept` is read again with the notes and conversations it took over.
    pub fn contacts_merged(&self, kept: ContactCard, other: ContactId) {
        let id = kept.id;
        self.take_contact(kept);
        self.contact_removed(other, Some(id));
    }

    /// A contact deleted here.
    pub fn contact_deleted(&self, id: ContactId) {
        self.contact_removed(id, None);
    }

    /// A contact created here (by hand, on the Contacts page): shown at once.
    pub fn contact_created(&self, card: ContactCard) {
        if self.contacts.entry(card.id).is_none() {
            self.contacts.put_page(ContactPage {
                contact: card.clone(),
                notes: Vec::new(),
                conversations: Vec::new(),
                history: Vec::new(),
            });
        }
        self.take_contact(card);
    }

    /// Whether `error` says the session is over (the app then goes to sign in).
    pub fn check_signed_out(&self, error: &ClientError) -> bool {
        self.signed_out_by(error)
    }
}
