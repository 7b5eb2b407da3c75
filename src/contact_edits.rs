//! Contacts on screen, as pure functions: what a conversation's contact becomes when a contact
//! changes or goes, a contact as an edit shows it before the server answers, tag suggestions,
//! and the notes list kept newest first.

use serde_json::Value;
use switchboard_domain::api::Contact;
use switchboard_domain::contacts::{
    display_name, normalise_number, ContactCard, ContactInput, ContactNote, Tag,
};
use switchboard_domain::{ContactId, ContactNoteId, TagId};

/// Tag suggestions shown at most.
const TAG_SUGGESTIONS: usize = 8;

/// A number as E.164 when it reads as one, else as written: an edit not yet normalised by
/// the server still matches the conversation it was typed for.
fn e164(number: &str) -> String {
    normalise_number(number).unwrap_or_else(|_| number.trim().to_owned())
}

/// What a conversation's contact becomes now that `card` is how that contact stands: its id,
/// name and tags where the conversation's number is one of its numbers, nobody's where it was
/// this contact's and the number no longer is. `None` when nothing changes.
pub fn contact_after_change(current: &Contact, card: &ContactCard) -> Option<Contact> {
    let number = e164(&current.number);
    let has_number = card
        .phones
        .iter()
        .any(|phone| e164(&phone.number) == number);
    let next = if has_number {
        Contact {
            id: Some(card.id),
            name: Some(card.name.clone()),
            number: current.number.clone(),
            tags: card.tags.clone(),
        }
    } else if current.id == Some(card.id) {
        unknown(&current.number)
    } else {
        return None;
    };
    (next != *current).then_some(next)
}

/// What a conversation's contact becomes once contact `removed` is deleted (or merged away):
/// an unknown number, if it was that contact's.
pub fn contact_after_removal(current: &Contact, removed: ContactId) -> Option<Contact> {
    (current.id == Some(removed)).then(|| unknown(&current.number))
}

fn unknown(number: &str) -> Contact {
    Contact {
        id: None,
        name: None,
        number: number.to_owned(),
        tags: Vec::new(),
    }
}

/// The contact as `input` will make it, shown while the server has not answered: names set
/// (an empty one cleared), lists replaced, property keys set or cleared (`null`), tags by name
/// (`tags` must know them) and the shown name recomputed.
pub fn apply_input(card: &ContactCard, input: &ContactInput, tags: &[Tag]) -> ContactCard {
    let mut next = card.clone();
    let field = |value: &Option<String>, current: &Option<String>| match value {
        Some(text) if text.trim().is_empty() => None,
        Some(text) => Some(text.trim().to_owned()),
        None => current.clone(),
    };
    next.first_name = field(&input.first_name, &card.first_name);
    next.last_name = field(&input.last_name, &card.last_name);
    next.company = field(&input.company, &card.company);
    next.role = field(&input.role, &card.role);
    if let Some(phones) = &input.phones {
        next.phones = phones.clone();
    }
    if let Some(emails) = &input.emails {
        next.emails = emails.clone();
    }
    if let Some(names) = &input.tags {
        next.tags = names
            .iter()
            .filter_map(|name| tag_named(tags, name).map(|tag| tag.id))
            .collect();
    }
    if let Some(properties) = &input.properties {
        for (key, value) in properties {
            let empty = match value {
                Value::Null => true,
                Value::String(text) => text.trim().is_empty(),
                Value::Array(items) => items.is_empty(),
                _ => false,
            };
            match empty {
                true => next.properties.remove(key),
                false => next.properties.insert(key.clone(), value.clone()),
            };
        }
    }
    next.name = display_name(
        next.first_name.as_deref(),
        next.last_name.as_deref(),
        next.company.as_deref(),
        next.phones.first().map(|p| p.number.as_str()),
    );
    next
}

/// Whether `card` is at least as recent as `known`: answers and live events may arrive out of
/// order, and an older one must not undo a newer.
pub fn is_current(card: &ContactCard, known: Option<&ContactCard>) -> bool {
    known.is_none_or(|known| card.updated_at >= known.updated_at)
}

/// The workspace's tag by that name, ignoring case (as the server matches them).
pub fn tag_named<'a>(tags: &'a [Tag], name: &str) -> Option<&'a Tag> {
    let name = name.trim().to_lowercase();
    tags.iter().find(|tag| tag.name.to_lowercase() == name)
}

/// The names of the tags `ids`, for the API (which takes tags by name); `None` if one is not
/// among the workspace's tags as known here, so that an edit never drops a tag it cannot name.
pub fn tag_names(ids: &[TagId], tags: &[Tag]) -> Option<Vec<String>> {
    ids.iter()
        .map(|id| {
            tags.iter()
                .find(|tag| tag.id == *id)
                .map(|t| t.name.clone())
        })
        .collect()
}

/// Workspace tags for what is typed, those the contact does not have yet: names that start
/// with it first, then names that contain it.
pub fn tag_suggestions<'a>(tags: &'a [Tag], on_contact: &[TagId], typed: &str) -> Vec<&'a Tag> {
    let typed = typed.trim().to_lowercase();
    let free = tags.iter().filter(|tag| !on_contact.contains(&tag.id));
    let (mut starting, containing): (Vec<&Tag>, Vec<&Tag>) = free
        .filter(|tag| tag.name.to_lowercase().contains(&typed))
        .partition(|tag| tag.name.to_lowercase().starts_with(&typed));
    starting.extend(containing);
    starting.truncate(TAG_SUGGESTIONS);
    starting
}

/// Puts a note written or edited into the list, which stays newest first.
pub fn put_note(notes: &mut Vec<ContactNote>, note: ContactNote) {
    notes.retain(|known| known.id != note.id);
    let at = notes.partition_point(|known| (known.at, known.id) > (note.at, note.id));
    notes.insert(at, note);
}

pub fn remove_note(notes: &mut Vec<ContactNote>, id: ContactNoteId) {
    notes.retain(|note| note.id != id);
}

/// A property's value as a field shows it ("" when it has none).
pub fn value_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

/// The options a multiple-choice value holds.
pub fn chosen(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|item| item.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(text)) if !text.is_empty() => vec![text.clone()],
        _ => Vec::new(),
    }
}

/// A multiple-choice value once `option` is ticked or unticked, in the options' order.
pub fn toggle_choice(options: &[String], chosen: &[String], option: &str, on: bool) -> Value {
    let items = options
        .iter()
        .filter(|o| match o.as_str() == option {
            true => on,
            false => chosen.contains(o),
        })
        .map(|o| Value::String(o.clone()))
        .collect();
    Value::Array(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;
    use switchboard_domain::contacts::{ContactPhone, TagColour};
    use switchboard_domain::team::MemberRef;
    use switchboard_domain::{ConversationId, MemberId};

    fn card(id: i64, numbers: &[&str]) -> ContactCard {
        ContactCard {
            id: ContactId(id),
            name: "Ana Bell".into(),
            first_name: Some("Ana".into()),
            last_name: Some("Bell".into()),
            company: None,
            role: None,
            phones: numbers
                .iter()
                .map(|n| ContactPhone {
                    number: (*n).into(),
                    label: "mobile".into(),
                })
                .collect(),
            emails: Vec::new(),
            tags: vec![TagId(2)],
            properties: BTreeMap::new(),
            source: "switchboard".into(),
            external_id: None,
            created_by: None,
            created_at: 1,
            updated_at: 10,
        }
    }

    fn row(id: Option<i64>, number: &str) -> Contact {
        Contact {
            id: id.map(ContactId),
            name: id.map(|_| "Old name".to_owned()),
            number: number.into(),
            tags: Vec::new(),
        }
    }

    fn tags() -> Vec<Tag> {
        ["VIP", "Wholesale", "Late payer", "New"]
            .iter()
            .enumerate()
            .map(|(i, name)| Tag {
                id: TagId(i as i64 + 1),
                name: (*name).into(),
                colour: TagColour::Blue,
            })
            .collect()
    }

    #[test]
    fn a_conversation_with_one_of_the_contacts_numbers_gets_its_name_and_tags() {
        let ana = card(7, &["+12125550100", "+33612345678"]);
        let after = contact_after_change(&row(None, "+33612345678"), &ana).unwrap();
        assert_eq!(after.id, Some(ContactId(7)));
        assert_eq!(after.name.as_deref(), Some("Ana Bell"));
        assert_eq!(after.tags, [TagId(2)]);
        assert_eq!(after.number, "+33612345678");
    }

    #[test]
    fn a_number_typed_in_another_form_still_matches_its_conversation() {
        let ana = card(7, &["+1 (212) 555-0100"]);
        let after = contact_after_change(&row(None, "+12125550100"), &ana);
        assert_eq!(after.and_then(|c| c.id), Some(ContactId(7)));
    }

    #[test]
    fn a_conversation_whose_number_left_the_contact_becomes_an_unknown_number() {
        let ana = card(7, &["+12125550100"]);
        let after = contact_after_change(&row(Some(7), "+15550100999"), &ana).unwrap();
        assert_eq!(after, row(None, "+15550100999"));
    }

    #[test]
    fn other_conversations_and_unchanged_ones_are_left_alone() {
        let ana = card(7, &["+12125550100"]);
        assert_eq!(
            contact_after_change(&row(Some(3), "+15550100999"), &ana),
            None
        );
        assert_eq!(contact_after_change(&row(None, "+15550100999"), &ana), None);
        let shown = contact_after_change(&row(None, "+12125550100"), &ana).unwrap();
        assert_eq!(contact_after_change(&shown, &ana), None);
    }

    #[test]
    fn a_removed_contacts_conversations_become_unknown_numbers() {
        assert_eq!(
            contact_after_removal(&row(Some(7), "+12125550100"), ContactId(7)),
            Some(row(None, "+12125550100"))
        );
        assert_eq!(
            contact_after_removal(&row(Some(8), "+12125550100"), ContactId(7)),
            None
        );
    }

    #[test]
    fn an_edit_shows_at_once_with_the_name_recomputed() {
        let ana = card(7, &["+12125550100"]);
        let input = ContactInput {
            first_name: Some("  ".into()),
            last_name: Some("".into()),
            company: Some("Bell & Co".into()),
            tags: Some(vec!["vip".into(), "Late payer".into()]),
            properties: Some(BTreeMap::from([
                ("plan".to_owned(), json!("Pro")),
                ("since".to_owned(), Value::Null),
            ])),
            ..ContactInput::default()
        };
        let mut with_since = ana.clone();
        with_since
            .properties
            .insert("since".into(), json!("2024-01-01"));
        let after = apply_input(&with_since, &input, &tags());
        assert_eq!((after.first_name, after.last_name), (None, None));
        assert_eq!(after.name, "Bell & Co");
        assert_eq!(after.tags, [TagId(1), TagId(3)]);
        assert_eq!(
            after.properties,
            BTreeMap::from([("plan".to_owned(), json!("Pro"))])
        );
        assert_eq!(after.phones, ana.phones, "what is not given stays");
    }

    #[test]
    fn an_older_answer_does_not_undo_a_newer_one() {
        let newer = card(7, &[]);
        let mut older = newer.clone();
        older.updated_at = 9;
        assert!(!is_current(&older, Some(&newer)));
        assert!(is_current(&newer, Some(&older)));
        assert!(is_current(&newer, Some(&newer)));
        assert!(is_current(&older, None));
    }

    #[test]
    fn tags_are_named_for_the_api_only_when_every_one_is_known() {
        assert_eq!(
            tag_names(&[TagId(2), TagId(1)], &tags()),
            Some(vec!["Wholesale".to_owned(), "VIP".to_owned()])
        );
        assert_eq!(tag_names(&[TagId(2), TagId(99)], &tags()), None);
    }

    #[test]
    fn suggestions_are_tags_the_contact_lacks_starting_with_the_text_first() {
        let tags = tags();
        let names = |on: &[TagId], typed| -> Vec<&str> {
            tag_suggestions(&tags, on, typed)
                .iter()
                .map(|t| t.name.as_str())
                .collect()
        };
        assert_eq!(names(&[], "w"), ["Wholesale", "New"]);
        assert_eq!(names(&[TagId(2)], "W"), ["New"]);
        assert_eq!(names(&[], "pay"), ["Late payer"]);
        assert_eq!(names(&[TagId(1)], "").len(), 3);
        assert_eq!(tag_named(&tags, " vip ").map(|t| t.id), Some(TagId(1)));
    }

    #[test]
    fn notes_stay_newest_first_and_an_edit_replaces_its_note() {
        let note = |id: i64, at: i64, text: &str| ContactNote {
            id: ContactNoteId(id),
            contact_id: ContactId(7),
            author: MemberRef {
                id: MemberId(1),
                name: "Sam Rivera".into(),
            },
            text: text.into(),
            mentions: Vec::new(),
            conversation_id: Some(ConversationId(3)),
            at,
            edited_at: None,
        };
        let mut notes = vec![note(2, 200, "second"), note(1, 100, "first")];
        put_note(&mut notes, note(3, 300, "third"));
        put_note(&mut notes, note(1, 100, "first, edited"));
        let texts: Vec<&str> = notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(texts, ["third", "second", "first, edited"]);
        remove_note(&mut notes, ContactNoteId(2));
        assert_eq!(notes.len(), 2);
    }

    #[test]
    fn property_values_read_as_field_text_and_choices() {
        assert_eq!(value_text(Some(&json!(12.5))), "12.5");
        assert_eq!(value_text(Some(&json!("2024-01-01"))), "2024-01-01");
        assert_eq!(value_text(Some(&json!(["Basic", "Pro"]))), "Basic, Pro");
        assert_eq!(value_text(None), "");
        assert_eq!(chosen(Some(&json!(["Pro"]))), ["Pro"]);
        let options = [
            "Basic".to_owned(),
            "Pro".to_owned(),
            "Enterprise".to_owned(),
        ];
        let chosen = ["Enterprise".to_owned()];
        assert_eq!(
            toggle_choice(&options, &chosen, "Basic", true),
            json!(["Basic", "Enterprise"])
        );
        assert_eq!(
            toggle_choice(&options, &chosen, "Enterprise", false),
            json!([])
        );
    }
}
