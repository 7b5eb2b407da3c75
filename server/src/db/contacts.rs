//! Contacts, their numbers, emails, tags, property values, notes and history; the workspace's
//! tags and custom properties. Written once for both engines ([`super::portable`]).
//!
//! A number (a row of `numbers`, what conversations are with) belongs to at most one contact.
//! Every change records a live event for the whole workspace, and an entry in the contact's
//! history.

use super::conversations::{SummaryRow, SUMMARY_SELECT};
use super::events::Audience;
use super::members::SessionMember;
use super::portable::{portable_read, portable_write, PRow, Portable, V};
use super::{Db, DbError};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use switchboard_domain::api::ConversationSummary;
use switchboard_domain::contacts::{
    display_name, validate_property_value, ContactCard, ContactEmail, ContactHistoryEntry,
    ContactList, ContactNote, ContactPage, ContactPhone, ContactSort, PropertyDefinition,
    PropertyType, Tag, TagColour,
};
use switchboard_domain::team::{LiveEvent, MemberRef, Role};
use switchboard_domain::{ContactId, ContactNoteId, ConversationId, LineId, MemberId, TagId};
use unicode_normalization::UnicodeNormalization;

/// Rows per write transaction of an import: each is all or nothing, and other writes go
/// between them.
const IMPORT_CHUNK: usize = 2000;
/// An import that changes more contacts than this tells clients to reload, rather than
/// sending an event per contact.
const IMPORT_EVENTS: usize = 200;
/// The most words of a search that count.
const SEARCH_WORDS: usize = 8;

/// Why a contact change was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    NotFound(String),
    /// A value is wrong: the message names the field.
    Invalid(String),
    /// A number already belongs to another contact.
    NumberTaken {
        number: String,
        contact: ContactId,
        name: String,
    },
    /// Another conflict (a tag or property name taken).
    Conflict(String),
    /// Only owners and admins, or only the author.
    Forbidden(String),
}

/// A refusal or a database failure.
#[derive(Debug)]
pub enum Failure {
    Refused(Refused),
    Db(DbError),
}

impl From<DbError> for Failure {
    fn from(error: DbError) -> Failure {
        Failure::Db(error)
    }
}

impl From<Refused> for Failure {
    fn from(refused: Refused) -> Failure {
        Failure::Refused(refused)
    }
}

/// The portable layer works in `DbError`; refusals travel inside it to leave the transaction
/// (rolling it back) and come out again in [`split`].
const REFUSED: &str = "\u{0}refused\u{0}";

fn refuse<T>(refused: Refused) -> Result<T, DbError> {
    let json = match &refused {
        Refused::NotFound(m) => ("not_found", m.clone(), None),
        Refused::Invalid(m) => ("invalid", m.clone(), None),
        Refused::Conflict(m) => ("conflict", m.clone(), None),
        Refused::Forbidden(m) => ("forbidden", m.clone(), None),
        Refused::NumberTaken {
            number,
            contact,
            name,
        } => ("number", number.clone(), Some((contact.0, name.clone()))),
    };
    Err(DbError::Corrupt(format!(
        "{REFUSED}{}",
        serde_json::to_string(&json).expect("a refusal serialises")
    )))
}

fn split<T>(result: Result<T, DbError>) -> Result<T, Failure> {
    match result {
        Err(DbError::Corrupt(text)) if text.starts_with(REFUSED) => {
            let (kind, message, taken): (String, String, Option<(i64, String)>) =
                serde_json::from_str(&text[REFUSED.len()..]).map_err(|e| {
                    Failure::Db(DbError::Corrupt(format!(
                        "a refusal that does not read: {e}"
                    )))
                })?;
            Err(Failure::Refused(match (kind.as_str(), taken) {
                ("not_found", _) => Refused::NotFound(message),
                ("invalid", _) => Refused::Invalid(message),
                ("conflict", _) => Refused::Conflict(message),
                ("forbidden", _) => Refused::Forbidden(message),
                (_, Some((id, name))) => Refused::NumberTaken {
                    number: message,
                    contact: ContactId(id),
                    name,
                },
                _ => Refused::Invalid(message),
            }))
        }
        Err(error) => Err(Failure::Db(error)),
        Ok(value) => Ok(value),
    }
}

/// Lowercase, without accents: what search terms and sort keys are made of.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ß' => 's',
            'æ' => 'a',
            'œ' => 'o',
            'ø' => 'o',
            'ł' => 'l',
            'đ' => 'd',
            other => other,
        })
        .collect()
}

/// The words of `text`, folded.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    let folded = fold(text);
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect::<Vec<_>>()
        .into_iter()
}

/// A contact's search terms (see the migration): words, and the endings of its numbers.
fn terms(card: &ContactCard) -> BTreeSet<String> {
    let mut terms = BTreeSet::new();
    for field in [&card.first_name, &card.last_name, &card.company, &card.role]
        .into_iter()
        .flatten()
    {
        terms.extend(words(field));
    }
    for email in &card.emails {
        terms.insert(fold(&email.address));
        terms.extend(words(&email.address));
    }
    for phone in &card.phones {
        let digits: String = phone.number.chars().filter(char::is_ascii_digit).collect();
        for start in 0..digits.len().saturating_sub(2) {
            terms.insert(digits[start..].to_owned());
        }
    }
    terms.retain(|t| t.chars().count() <= 64);
    terms
}

/// The validated fields of a new contact or a change; `None`: leave as is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    pub first_name: Option<Option<String>>,
    pub last_name: Option<Option<String>>,
    pub company: Option<Option<String>>,
    pub role: Option<Option<String>>,
    /// E.164 numbers with labels.
    pub phones: Option<Vec<ContactPhone>>,
    pub emails: Option<Vec<ContactEmail>>,
    /// Tag names.
    pub tags: Option<Vec<String>>,
    /// Raw values, checked against the properties in the transaction; `Null` clears.
    pub properties: BTreeMap<String, Value>,
}

/// Where a contact came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub source: String,
    pub external_id: Option<String>,
}

impl Origin {
    pub fn by_hand() -> Origin {
        Origin {
            source: "switchboard".to_owned(),
            external_id: None,
        }
    }
}

/// A list of contacts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactQuery {
    pub q: Option<String>,
    pub tag: Option<TagId>,
    /// A property key and a value it must hold (for a multiple choice: among its choices).
    pub property: Option<(String, String)>,
    pub sort: ContactSort,
    pub after: Option<String>,
    pub limit: u32,
}

const CARD_SELECT: &str = "
    SELECT k.id, k.first_name, k.last_name, k.company, k.role, k.name, k.source, k.external_id,
           k.created_by, m.name, k.created_at, k.updated_at
      FROM contacts k LEFT JOIN members m ON m.id = k.created_by";

fn card_of(row: &PRow) -> Result<ContactCard, DbError> {
    Ok(ContactCard {
        id: ContactId(row.int(0)?),
        first_name: row.opt_text(1)?,
        last_name: row.opt_text(2)?,
        company: row.opt_text(3)?,
        role: row.opt_text(4)?,
        name: row.text(5)?,
        source: row.text(6)?,
        external_id: row.opt_text(7)?,
        created_by: match (row.opt_int(8)?, row.opt_text(9)?) {
            (Some(id), Some(name)) => Some(MemberRef {
                id: MemberId(id),
                name,
            }),
            _ => None,
        },
        created_at: row.int(10)?,
        updated_at: row.int(11)?,
        phones: Vec::new(),
        emails: Vec::new(),
        tags: Vec::new(),
        properties: BTreeMap::new(),
    })
}

/// `$first, $first+1, …` for `count` values.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The cards of `ids`, in that order, with their numbers, emails, tags and values.
async fn cards(w: &mut impl Portable, ids: &[i64]) -> Result<Vec<ContactCard>, DbError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let params: Vec<V> = chunk.iter().map(|&id| V::Int(id)).collect();
        let list = placeholders(1, chunk.len());
        let mut by_id: BTreeMap<i64, ContactCard> = BTreeMap::new();
        for row in w
            .rows(&format!("{CARD_SELECT} WHERE k.id IN ({list})"), &params)
            .await?
        {
            let card = card_of(&row)?;
            by_id.insert(card.id.0, card);
        }
        for row in w
            .rows(
                &format!(
                    "SELECT contact_id, number, label FROM numbers WHERE contact_id IN ({list})
                      ORDER BY contact_id, position, id"
                ),
                &params,
            )
            .await?
        {
            if let Some(card) = by_id.get_mut(&row.int(0)?) {
                card.phones.push(ContactPhone {
                    number: row.text(1)?,
                    label: row.text(2)?,
                });
            }
        }
        for row in w
            .rows(
                &format!(
                    "SELECT contact_id, address, label FROM contact_emails
                      WHERE contact_id IN ({list}) ORDER BY contact_id, position"
                ),
                &params,
            )
            .await?
        {
            if let Some(card) = by_id.get_mut(&row.int(0)?) {
                card.emails.push(ContactEmail {
                    address: row.text(1)?,
                    label: row.text(2)?,
                });
            }
        }
        for row in w
            .rows(
                &format!(
                    "SELECT contact_id, tag_id FROM contact_tags WHERE contact_id IN ({list})
                      ORDER BY contact_id, tag_id"
                ),
                &params,
            )
            .await?
        {
            if let Some(card) = by_id.get_mut(&row.int(0)?) {
                card.tags.push(TagId(row.int(1)?));
            }
        }
        for row in w
            .rows(
                &format!(
                    "SELECT contact_id, key, value FROM contact_values WHERE contact_id IN ({list})"
                ),
                &params,
            )
            .await?
        {
            if let Some(card) = by_id.get_mut(&row.int(0)?) {
                let value: Value = serde_json::from_str(&row.text(2)?)
                    .map_err(|e| DbError::Corrupt(format!("a property value: {e}")))?;
                card.properties.insert(row.text(1)?, value);
            }
        }
        for id in chunk {
            if let Some(card) = by_id.remove(id) {
                out.push(card);
            }
        }
    }
    Ok(out)
}

async fn card(w: &mut impl Portable, id: ContactId) -> Result<Option<ContactCard>, DbError> {
    Ok(cards(w, &[id.0]).await?.pop())
}

async fn existing(w: &mut impl Portable, id: ContactId) -> Result<ContactCard, DbError> {
    match card(w, id).await? {
        Some(card) => Ok(card),
        None => refuse(Refused::NotFound(format!("there is no contact {id}"))),
    }
}

/// Properties in order.
async fn properties_on(w: &mut impl Portable) -> Result<Vec<PropertyDefinition>, DbError> {
    w.rows(
        "SELECT key, name, kind, options, position FROM contact_properties
          ORDER BY position, key",
        &[],
    )
    .await?
    .iter()
    .map(|row| {
        Ok(PropertyDefinition {
            key: row.text(0)?,
            name: row.text(1)?,
            kind: PropertyType::parse(&row.text(2)?)
                .ok_or_else(|| DbError::Corrupt("a property type".to_owned()))?,
            options: serde_json::from_str(&row.text(3)?)
                .map_err(|e| DbError::Corrupt(format!("property options: {e}")))?,
            position: u32::try_from(row.int(4)?).unwrap_or(0),
        })
    })
    .collect()
}

async fn tags_on(w: &mut impl Portable) -> Result<Vec<Tag>, DbError> {
    w.rows("SELECT id, name, colour FROM tags ORDER BY folded, id", &[])
        .await?
        .iter()
        .map(|row| {
            Ok(Tag {
                id: TagId(row.int(0)?),
                name: row.text(1)?,
                colour: TagColour::parse(&row.text(2)?).unwrap_or_default(),
            })
        })
        .collect()
}

async fn settings_changed(w: &mut impl Portable, at: i64) -> Result<(), DbError> {
    let event = LiveEvent::ContactSettings {
        tags: tags_on(w).await?,
        properties: properties_on(w).await?,
    };
    w.event(Audience::Workspace, &event, at).await
}

/// The tag named `name` (whatever its case), created if the workspace has none; whether it
/// was created.
async fn tag_named(
    w: &mut impl Portable,
    name: &str,
    colour: Option<TagColour>,
) -> Result<(Tag, bool), DbError> {
    let name = match switchboard_domain::contacts::tag_name(name) {
        Ok(name) => name,
        Err(why) => return refuse(Refused::Invalid(why)),
    };
    let folded = name.to_lowercase();
    if let Some(row) = w
        .opt(
            "SELECT id, name, colour FROM tags WHERE folded = $1",
            &[folded.clone().into()],
        )
        .await?
    {
        return Ok((
            Tag {
                id: TagId(row.int(0)?),
                name: row.text(1)?,
                colour: TagColour::parse(&row.text(2)?).unwrap_or_default(),
            },
            false,
        ));
    }
    let colour = colour.unwrap_or_else(|| TagColour::for_name(&folded));
    let id = w
        .one(
            "INSERT INTO tags (name, folded, colour) VALUES ($1, $2, $3) RETURNING id",
            &[name.clone().into(), folded.into(), colour.as_str().into()],
        )
        .await?
        .int(0)?;
    Ok((
        Tag {
            id: TagId(id),
            name,
            colour,
        },
        true,
    ))
}

/// The new state of a contact: `current` with `draft` applied (tags as names, resolved later).
fn apply(
    current: &ContactCard,
    draft: &Draft,
    properties: &[PropertyDefinition],
) -> Result<(ContactCard, Vec<&'static str>), DbError> {
    let mut next = current.clone();
    let mut changed = Vec::new();
    let mut set = |field: &mut Option<String>, value: &Option<Option<String>>, name| {
        if let Some(value) = value {
            if field != value {
                *field = value.clone();
                changed.push(name);
            }
        }
    };
    set(&mut next.first_name, &draft.first_name, "first name");
    set(&mut next.last_name, &draft.last_name, "last name");
    set(&mut next.company, &draft.company, "company");
    set(&mut next.role, &draft.role, "role");
    if let Some(phones) = &draft.phones {
        if *phones != next.phones {
            next.phones = phones.clone();
            changed.push("numbers");
        }
    }
    if let Some(emails) = &draft.emails {
        if *emails != next.emails {
            next.emails = emails.clone();
            changed.push("emails");
        }
    }
    let mut properties_changed = false;
    for (key, raw) in &draft.properties {
        let Some(definition) = properties.iter().find(|p| &p.key == key) else {
            return refuse(Refused::Invalid(format!(
                "there is no contact property {key:?} (see /api/v1/contact-properties)"
            )));
        };
        let value = match validate_property_value(definition, raw) {
            Ok(value) => value,
            Err(error) => return refuse(Refused::Invalid(error.message)),
        };
        let before = next.properties.get(key).cloned();
        if before != value {
            properties_changed = true;
            match value {
                Some(value) => next.properties.insert(key.clone(), value),
                None => next.properties.remove(key),
            };
        }
    }
    if properties_changed {
        changed.push("properties");
    }
    next.name = display_name(
        next.first_name.as_deref(),
        next.last_name.as_deref(),
        next.company.as_deref(),
        next.phones.first().map(|p| p.number.as_str()),
    );
    if next.name.is_empty() {
        next.name = next
            .emails
            .first()
            .map(|e| e.address.clone())
            .unwrap_or_default();
    }
    Ok((next, changed))
}

/// Refuses numbers that belong to another contact.
async fn check_numbers(
    w: &mut impl Portable,
    id: Option<ContactId>,
    phones: &[ContactPhone],
) -> Result<(), DbError> {
    let mut seen = BTreeSet::new();
    for phone in phones {
        if !seen.insert(phone.number.as_str()) {
            return refuse(Refused::Invalid(format!(
                "the number {} is given twice",
                phone.number
            )));
        }
        if let Some(row) = w
            .opt(
                "SELECT k.id, k.name FROM numbers n JOIN contacts k ON k.id = n.contact_id
                  WHERE n.number = $1",
                &[phone.number.clone().into()],
            )
            .await?
        {
            let owner = ContactId(row.int(0)?);
            if Some(owner) != id {
                return refuse(Refused::NumberTaken {
                    number: phone.number.clone(),
                    contact: owner,
                    name: row.text(1)?,
                });
            }
        }
    }
    Ok(())
}

/// Writes `card` (its row, numbers, emails, values and terms) and its tags by name; the card
/// as stored, and whether a tag was created.
async fn store(
    w: &mut impl Portable,
    mut card: ContactCard,
    tags: Option<&[String]>,
) -> Result<(ContactCard, bool), DbError> {
    let id = card.id.0;
    let sort_key = fold(&card.name);
    w.run(
        "UPDATE contacts SET first_name = $2, last_name = $3, company = $4, role = $5, name = $6,
                sort_key = $7, updated_at = $8
          WHERE id = $1",
        &[
            id.into(),
            card.first_name.clone().into(),
            card.last_name.clone().into(),
            card.company.clone().into(),
            card.role.clone().into(),
            card.name.clone().into(),
            sort_key.into(),
            card.updated_at.into(),
        ],
    )
    .await?;
    w.run(
        "UPDATE numbers SET contact_id = NULL WHERE contact_id = $1",
        &[id.into()],
    )
    .await?;
    for (position, phone) in card.phones.iter().enumerate() {
        w.run(
            "INSERT INTO numbers (number, contact_id, label, position) VALUES ($1, $2, $3, $4)
             ON CONFLICT (number) DO UPDATE
                SET contact_id = excluded.contact_id, label = excluded.label,
                    position = excluded.position",
            &[
                phone.number.clone().into(),
                id.into(),
                phone.label.clone().into(),
                (position as i64).into(),
            ],
        )
        .await?;
    }
    w.run(
        "DELETE FROM contact_emails WHERE contact_id = $1",
        &[id.into()],
    )
    .await?;
    for (position, email) in card.emails.iter().enumerate() {
        w.run(
            "INSERT INTO contact_emails (contact_id, position, address, label)
             VALUES ($1, $2, $3, $4)",
            &[
                id.into(),
                (position as i64).into(),
                email.address.clone().into(),
                email.label.clone().into(),
            ],
        )
        .await?;
    }
    w.run(
        "DELETE FROM contact_values WHERE contact_id = $1",
        &[id.into()],
    )
    .await?;
    for (key, value) in &card.properties {
        w.run(
            "INSERT INTO contact_values (contact_id, key, value) VALUES ($1, $2, $3)",
            &[id.into(), key.clone().into(), value.to_string().into()],
        )
        .await?;
    }
    let mut created_tag = false;
    if let Some(names) = tags {
        let mut ids = BTreeSet::new();
        for name in names {
            let (tag, created) = tag_named(w, name, None).await?;
            created_tag |= created;
            ids.insert(tag.id);
        }
        w.run(
            "DELETE FROM contact_tags WHERE contact_id = $1",
            &[id.into()],
        )
        .await?;
        for tag in &ids {
            w.run(
                "INSERT INTO contact_tags (contact_id, tag_id) VALUES ($1, $2)",
                &[id.into(), tag.0.into()],
            )
            .await?;
        }
        card.tags = ids.into_iter().collect();
    }
    index(w, &card).await?;
    Ok((card, created_tag))
}

/// Rewrites a contact's search terms and sort key.
async fn index(w: &mut impl Portable, card: &ContactCard) -> Result<(), DbError> {
    let id = card.id.0;
    w.run(
        "DELETE FROM contact_terms WHERE contact_id = $1",
        &[id.into()],
    )
    .await?;
    // One statement for all of them (an import writes many contacts).
    let terms: Vec<String> = terms(card).into_iter().collect();
    for chunk in terms.chunks(32) {
        let rows = (0..chunk.len())
            .map(|i| format!("(${}, $1)", i + 2))
            .collect::<Vec<_>>()
            .join(", ");
        let mut params: Vec<V> = vec![id.into()];
        params.extend(chunk.iter().map(|t| V::from(t.as_str())));
        w.run(
            &format!("INSERT INTO contact_terms (term, contact_id) VALUES {rows}"),
            &params,
        )
        .await?;
    }
    w.run(
        "UPDATE contacts SET sort_key = $2 WHERE id = $1",
        &[id.into(), fold(&card.name).into()],
    )
    .await?;
    Ok(())
}

async fn history(
    w: &mut impl Portable,
    id: ContactId,
    action: &str,
    detail: &str,
    by: Option<MemberId>,
    at: i64,
) -> Result<(), DbError> {
    w.run(
        "INSERT INTO contact_history (contact_id, action, detail, member_id, at)
         VALUES ($1, $2, $3, $4, $5)",
        &[
            id.0.into(),
            action.into(),
            detail.into(),
            by.map(|m| m.0).into(),
            at.into(),
        ],
    )
    .await?;
    Ok(())
}

async fn announce(w: &mut impl Portable, card: &ContactCard, at: i64) -> Result<(), DbError> {
    let event = LiveEvent::Contact {
        contact: card.clone(),
    };
    w.event(Audience::Workspace, &event, at).await
}

/// A contact with nothing set yet, that a new contact's draft is applied to.
fn blank_card(id: ContactId, origin: &Origin, at: i64) -> ContactCard {
    ContactCard {
        id,
        name: String::new(),
        first_name: None,
        last_name: None,
        company: None,
        role: None,
        phones: Vec::new(),
        emails: Vec::new(),
        tags: Vec::new(),
        properties: BTreeMap::new(),
        source: origin.source.clone(),
        external_id: origin.external_id.clone(),
        created_by: None,
        created_at: at,
        updated_at: at,
    }
}

async fn create_on(
    w: &mut impl Portable,
    draft: &Draft,
    origin: &Origin,
    by: Option<MemberId>,
    at: i64,
    events: bool,
) -> Result<ContactCard, DbError> {
    if let Some(phones) = &draft.phones {
        check_numbers(w, None, phones).await?;
    }
    let id = w
        .one(
            "INSERT INTO contacts (name, source, external_id, created_by, created_at, updated_at)
             VALUES ('', $1, $2, $3, $4, $4) RETURNING id",
            &[
                origin.source.clone().into(),
                origin.external_id.clone().into(),
                by.map(|m| m.0).into(),
                at.into(),
            ],
        )
        .await?
        .int(0)?;
    let blank = blank_card(ContactId(id), origin, at);
    let definitions = match draft.properties.is_empty() {
        true => Vec::new(),
        false => properties_on(w).await?,
    };
    let (next, _) = apply(&blank, draft, &definitions)?;
    if next.name.is_empty() {
        return refuse(Refused::Invalid(
            "a contact needs a name, a company, a number or an email".to_owned(),
        ));
    }
    let (stored, created_tag) = store(w, next, draft.tags.as_deref()).await?;
    let detail = match origin.source.as_str() {
        "switchboard" => "created".to_owned(),
        source => format!("created from {source}"),
    };
    history(w, ContactId(id), "created", &detail, by, at).await?;
    if !events {
        // An import's: nobody is told of each, and the card as stored will do.
        return Ok(stored);
    }
    let card = existing(w, ContactId(id)).await?;
    {
        if created_tag {
            settings_changed(w, at).await?;
        }
        announce(w, &card, at).await?;
    }
    Ok(card)
}

async fn update_on(
    w: &mut impl Portable,
    id: ContactId,
    draft: &Draft,
    by: Option<MemberId>,
    at: i64,
    events: bool,
) -> Result<(ContactCard, bool), DbError> {
    let current = existing(w, id).await?;
    if let Some(phones) = &draft.phones {
        check_numbers(w, Some(id), phones).await?;
    }
    let definitions = match draft.properties.is_empty() {
        true => Vec::new(),
        false => properties_on(w).await?,
    };
    let (mut next, mut changed) = apply(&current, draft, &definitions)?;
    let tag_names: Option<Vec<String>> = draft.tags.clone();
    if let Some(names) = &tag_names {
        let before: BTreeSet<String> = tags_on(w)
            .await?
            .into_iter()
            .filter(|t| current.tags.contains(&t.id))
            .map(|t| t.name.to_lowercase())
            .collect();
        let after: BTreeSet<String> = names.iter().map(|n| n.trim().to_lowercase()).collect();
        if before != after {
            changed.push("tags");
        }
    }
    if changed.is_empty() {
        return Ok((current, false));
    }
    next.updated_at = at;
    let (stored, created_tag) = store(w, next, tag_names.as_deref()).await?;
    history(w, id, "updated", &changed.join(", "), by, at).await?;
    if !events {
        return Ok((stored, true));
    }
    let card = existing(w, id).await?;
    {
        if created_tag {
            settings_changed(w, at).await?;
        }
        announce(w, &card, at).await?;
    }
    Ok((card, true))
}

/// Creates a contact.
pub async fn create(
    db: &Db,
    draft: Draft,
    origin: Origin,
    by: Option<MemberId>,
    at: i64,
) -> Result<ContactCard, Failure> {
    split(portable_write!(db, |w| create_on(
        w, &draft, &origin, by, at, true
    )))
}

/// Changes a contact; unchanged fields stay (and a change to nothing records nothing).
pub async fn update(
    db: &Db,
    id: ContactId,
    draft: Draft,
    by: Option<MemberId>,
    at: i64,
) -> Result<ContactCard, Failure> {
    split(portable_write!(db, |w| async move {
        Ok(update_on(w, id, &draft, by, at, true).await?.0)
    }))
}

async fn remove_on(w: &mut impl Portable, id: i64) -> Result<(), DbError> {
    for sql in [
        "UPDATE numbers SET contact_id = NULL WHERE contact_id = $1",
        "UPDATE notifications SET contact_id = NULL WHERE contact_id = $1",
        "DELETE FROM contact_emails WHERE contact_id = $1",
        "DELETE FROM contact_tags WHERE contact_id = $1",
        "DELETE FROM contact_values WHERE contact_id = $1",
        "DELETE FROM contact_terms WHERE contact_id = $1",
        "DELETE FROM contact_notes WHERE contact_id = $1",
        "DELETE FROM contact_history WHERE contact_id = $1",
        "DELETE FROM contacts WHERE id = $1",
    ] {
        w.run(sql, &[id.into()]).await?;
    }
    Ok(())
}

/// Deletes a contact: its numbers become unknown numbers again (their conversations stay).
pub async fn delete(db: &Db, id: ContactId, at: i64) -> Result<(), Failure> {
    split(portable_write!(db, |w| async move {
        existing(w, id).await?;
        remove_on(w, id.0).await?;
        let event = LiveEvent::ContactRemoved {
            id,
            merged_into: None,
        };
        w.event(Audience::Workspace, &event, at).await
    }))
}

/// Merges `other` into `keep`: numbers, emails and tags together, `keep`'s fields and property
/// values first and `other`'s where `keep` has none; notes and history move over; `other` goes.
pub async fn merge(
    db: &Db,
    keep: ContactId,
    other: ContactId,
    by: MemberId,
    at: i64,
) -> Result<ContactCard, Failure> {
    if keep == other {
        return Err(Failure::Refused(Refused::Invalid(
            "a contact cannot be merged with itself".to_owned(),
        )));
    }
    split(portable_write!(db, |w| async move {
        let kept = existing(w, keep).await?;
        let gone = existing(w, other).await?;
        let mut merged = kept.clone();
        for (field, theirs) in [
            (&mut merged.first_name, &gone.first_name),
            (&mut merged.last_name, &gone.last_name),
            (&mut merged.company, &gone.company),
            (&mut merged.role, &gone.role),
        ] {
            if field.is_none() {
                field.clone_from(theirs);
            }
        }
        let phones = gone.phones.clone();
        for phone in phones {
            if !merged.phones.iter().any(|p| p.number == phone.number) {
                merged.phones.push(phone);
            }
        }
        for email in &gone.emails {
            if !merged
                .emails
                .iter()
                .any(|e| e.address.eq_ignore_ascii_case(&email.address))
            {
                merged.emails.push(email.clone());
            }
        }
        for (key, value) in &gone.properties {
            merged
                .properties
                .entry(key.clone())
                .or_insert_with(|| value.clone());
        }
        merged.name = display_name(
            merged.first_name.as_deref(),
            merged.last_name.as_deref(),
            merged.company.as_deref(),
            merged.phones.first().map(|p| p.number.as_str()),
        );
        merged.updated_at = at;
        let tags: BTreeSet<TagId> = kept.tags.iter().chain(&gone.tags).copied().collect();
        w.run(
            "UPDATE contact_notes SET contact_id = $1 WHERE contact_id = $2",
            &[keep.0.into(), other.0.into()],
        )
        .await?;
        w.run(
            "UPDATE contact_history SET contact_id = $1 WHERE contact_id = $2",
            &[keep.0.into(), other.0.into()],
        )
        .await?;
        w.run(
            "UPDATE notifications SET contact_id = $1 WHERE contact_id = $2",
            &[keep.0.into(), other.0.into()],
        )
        .await?;
        // The other's numbers are free once it is gone, then the kept one takes them.
        remove_on(w, other.0).await?;
        let (_, _) = store(w, merged, None).await?;
        for tag in &tags {
            w.run(
                "INSERT INTO contact_tags (contact_id, tag_id) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING",
                &[keep.0.into(), tag.0.into()],
            )
            .await?;
        }
        history(
            w,
            keep,
            "merged",
            &format!("merged with {} (#{})", gone.name, other.0),
            Some(by),
            at,
        )
        .await?;
        let card = existing(w, keep).await?;
        announce(w, &card, at).await?;
        let event = LiveEvent::ContactRemoved {
            id: other,
            merged_into: Some(keep),
        };
        w.event(Audience::Workspace, &event, at).await?;
        Ok(card)
    }))
}

/// A contact's card.
pub async fn get_card(db: &Db, id: ContactId) -> Result<Option<ContactCard>, DbError> {
    portable_read!(db, |w| card(w, id))
}

/// A contact with its notes, conversations and history as `viewer` may see them.
pub async fn page(
    db: &Db,
    id: ContactId,
    viewer: &SessionMember,
) -> Result<Option<ContactPage>, DbError> {
    let lines = viewer.lines.clone();
    portable_read!(db, |w| page_on(w, id, lines))
}

fn sees(lines: &Option<Vec<LineId>>, line: LineId) -> bool {
    lines.as_ref().is_none_or(|lines| lines.contains(&line))
}

async fn page_on(
    w: &mut impl Portable,
    id: ContactId,
    lines: Option<Vec<LineId>>,
) -> Result<Option<ContactPage>, DbError> {
    let Some(contact) = card(w, id).await? else {
        return Ok(None);
    };
    let conversations: Vec<ConversationSummary> = w
        .rows(
            &format!(
                "{SUMMARY_SELECT} WHERE ct.contact_id = $1
                  ORDER BY c.latest_activity_at DESC, c.id DESC LIMIT 200"
            ),
            &[id.0.into()],
        )
        .await?
        .iter()
        .map(|row| SummaryRow::from_portable(row)?.try_into())
        .collect::<Result<Vec<ConversationSummary>, DbError>>()?
        .into_iter()
        .filter(|c| sees(&lines, c.line_id))
        .collect();
    let mut notes = Vec::new();
    for row in w
        .rows(
            &format!("{NOTE_SELECT} WHERE n.contact_id = $1 ORDER BY n.id DESC"),
            &[id.0.into()],
        )
        .await?
    {
        let (note, line) = note_of(&row)?;
        if line.is_none_or(|line| sees(&lines, line)) {
            notes.push(note);
        }
    }
    let history = w
        .rows(
            "SELECT h.action, h.detail, h.member_id, m.name, h.at
               FROM contact_history h LEFT JOIN members m ON m.id = h.member_id
              WHERE h.contact_id = $1 ORDER BY h.id DESC LIMIT 100",
            &[id.0.into()],
        )
        .await?
        .iter()
        .map(|row| {
            Ok(ContactHistoryEntry {
                action: row.text(0)?,
                detail: row.text(1)?,
                by: match (row.opt_int(2)?, row.opt_text(3)?) {
                    (Some(id), Some(name)) => Some(MemberRef {
                        id: MemberId(id),
                        name,
                    }),
                    _ => None,
                },
                at: row.int(4)?,
            })
        })
        .collect::<Result<_, DbError>>()?;
    Ok(Some(ContactPage {
        contact,
        notes,
        conversations,
        history,
    }))
}

/// The contact whose number this is, if any.
pub async fn by_number(db: &Db, number: &str) -> Result<Option<ContactId>, DbError> {
    let number = number.to_owned();
    portable_read!(db, |w| async move {
        Ok(w.opt(
            "SELECT contact_id FROM numbers WHERE number = $1 AND contact_id IS NOT NULL",
            &[number.into()],
        )
        .await?
        .map(|row| row.int(0))
        .transpose()?
        .map(ContactId))
    })
}

/// The contact a conversation's number belongs to, if any.
pub async fn of_conversation(
    db: &Db,
    conversation: ConversationId,
) -> Result<Option<ContactId>, DbError> {
    portable_read!(db, |w| async move {
        Ok(w.opt(
            "SELECT n.contact_id FROM conversations c JOIN numbers n ON n.id = c.number_id
              WHERE c.id = $1",
            &[conversation.0.into()],
        )
        .await?
        .and_then(|row| row.opt_int(0).transpose())
        .transpose()?
        .map(ContactId))
    })
}

/// The contact with this id where it came from (Quo's), if any.
pub async fn by_external_id(
    db: &Db,
    source: &str,
    external_id: &str,
) -> Result<Option<ContactId>, DbError> {
    let (source, external_id) = (source.to_owned(), external_id.to_owned());
    portable_read!(db, |w| async move {
        Ok(w.opt(
            "SELECT id FROM contacts WHERE source = $1 AND external_id = $2",
            &[source.into(), external_id.into()],
        )
        .await?
        .map(|row| row.int(0))
        .transpose()?
        .map(ContactId))
    })
}

/// The words of a search that count.
fn search_words(query: &ContactQuery) -> Vec<String> {
    match &query.q {
        Some(q) => words(q).take(SEARCH_WORDS).collect(),
        None => Vec::new(),
    }
}

/// A search of one word found in more search terms than this walks the contacts in the list's
/// order and stops at a page's end, which costs less than sorting all its matches.
const LEADS_AT_MOST: i64 = 2000;

/// The matches of a search's word counted, at most, to plan the search.
const COUNTED_AT_MOST: i64 = 10_000;

/// How a search finds its contacts: from one word's matches (`lead`, sorted afterwards) or by
/// walking the contacts in the list's order; each other word checked against a list of its
/// matches, or, for a word found nearly everywhere (more than [`COUNTED_AT_MOST`]: a list too
/// long to read), against each contact's own terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct SearchPlan {
    lead: Option<usize>,
    listed: Vec<bool>,
}

/// The plans of a page and of its count (which always leads with the rarest word).
async fn search_plans(
    w: &mut impl Portable,
    words: &[String],
) -> Result<(SearchPlan, SearchPlan), DbError> {
    let mut counts = Vec::with_capacity(words.len());
    for word in words {
        counts.push(
            w.one(
                &format!(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM contact_terms
                      WHERE term >= $1 AND term < $2 LIMIT {}) found",
                    COUNTED_AT_MOST + 1
                ),
                &[word.clone().into(), format!("{word}\u{10ffff}").into()],
            )
            .await?
            .int(0)?,
        );
    }
    let rarest = (0..counts.len()).min_by_key(|&i| counts[i]);
    let listed: Vec<bool> = counts.iter().map(|&n| n <= COUNTED_AT_MOST).collect();
    // Several words match fewer contacts together than any alone: walking would read many.
    let page_lead = rarest.filter(|&i| counts[i] <= LEADS_AT_MOST || words.len() > 1);
    Ok((
        SearchPlan {
            lead: page_lead,
            listed: listed.clone(),
        },
        SearchPlan {
            lead: rarest,
            listed,
        },
    ))
}

/// The SQL and parameters that select the ids of `query`'s contacts, in its order (or, with
/// `count`, how many there are), searched as `plan` says.
fn list_sql(
    query: &ContactQuery,
    limit: Option<u32>,
    plan: &SearchPlan,
    count: bool,
) -> Result<(String, Vec<V>), Refused> {
    let mut filters = Vec::new();
    let mut params: Vec<V> = Vec::new();
    let param = |params: &mut Vec<V>, value: V| {
        params.push(value);
        format!("${}", params.len())
    };
    for (i, word) in search_words(query).into_iter().enumerate() {
        let from = param(&mut params, word.clone().into());
        let to = param(&mut params, format!("{word}\u{10ffff}").into());
        let matches =
            format!("SELECT contact_id FROM contact_terms WHERE term >= {from} AND term < {to}");
        filters.push(
            match (plan.lead == Some(i), plan.listed.get(i) != Some(&false)) {
                (true, _) => format!("k.id IN ({matches})"),
                // `+k.id` is no key to look contacts up by: the list only checks.
                (false, true) => format!("+k.id IN ({matches})"),
                (false, false) => format!(
                    "EXISTS (SELECT 1 FROM contact_terms t
                          WHERE t.contact_id = k.id AND t.term >= {from} AND t.term < {to})"
                ),
            },
        );
    }
    if let Some(tag) = query.tag {
        let tag = param(&mut params, tag.0.into());
        filters.push(format!(
            "EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = k.id AND t.tag_id = {tag})"
        ));
    }
    if let Some((key, value)) = &query.property {
        let key = param(&mut params, key.clone().into());
        let exact = param(&mut params, value.clone().into());
        let within = param(
            &mut params,
            format!(
                "%{}%",
                Value::String(value.clone())
                    .to_string()
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            )
            .into(),
        );
        filters.push(format!(
            "EXISTS (SELECT 1 FROM contact_values v WHERE v.contact_id = k.id AND v.key = {key}
                     AND (v.value = {exact} OR v.value LIKE {within} ESCAPE '\\'))"
        ));
    }
    let (order, cursor) = match query.sort {
        ContactSort::Name => (
            "k.sort_key, k.id",
            "(k.sort_key > $A OR (k.sort_key = $A AND k.id > $B))",
        ),
        ContactSort::Created => (
            "k.created_at DESC, k.id DESC",
            "(k.created_at < $A OR (k.created_at = $A AND k.id < $B))",
        ),
        ContactSort::Updated => (
            "k.updated_at DESC, k.id DESC",
            "(k.updated_at < $A OR (k.updated_at = $A AND k.id < $B))",
        ),
    };
    if let Some(after) = &query.after {
        let (key, id) = parse_cursor(query.sort, after).ok_or_else(|| {
            Refused::Invalid(format!(
                "cursor {after:?} is not one this server gave out (use next_cursor)"
            ))
        })?;
        let a = param(&mut params, key);
        let b = param(&mut params, id.into());
        filters.push(cursor.replace("$A", &a).replace("$B", &b));
    }
    let filter = match filters.is_empty() {
        true => String::new(),
        false => format!("WHERE {}", filters.join(" AND ")),
    };
    if count {
        return Ok((format!("SELECT COUNT(*) FROM contacts k {filter}"), params));
    }
    let limit = match limit {
        Some(limit) => format!("LIMIT {}", u64::from(limit) + 1),
        None => String::new(),
    };
    Ok((
        format!(
            "SELECT k.id, k.sort_key, k.created_at, k.updated_at FROM contacts k {filter}
              ORDER BY {order} {limit}"
        ),
        params,
    ))
}

fn cursor_of(sort: ContactSort, row: &PRow) -> Result<String, DbError> {
    let id = row.int(0)?;
    Ok(match sort {
        ContactSort::Name => {
            let key = row.opt_text(1)?.unwrap_or_default();
            let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
            format!("{id}.{hex}")
        }
        ContactSort::Created => format!("{id}.{}", row.int(2)?),
        ContactSort::Updated => format!("{id}.{}", row.int(3)?),
    })
}

fn parse_cursor(sort: ContactSort, cursor: &str) -> Option<(V, i64)> {
    let (id, key) = cursor.split_once('.')?;
    let id: i64 = id.parse().ok()?;
    let key = match sort {
        ContactSort::Name => {
            if key.len() % 2 != 0 {
                return None;
            }
            let bytes = (0..key.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(key.get(i..i + 2)?, 16).ok())
                .collect::<Option<Vec<u8>>>()?;
            V::Text(
                String::from_utf8(bytes)
                    .ok()
                    .filter(|k| !k.contains('\0'))?,
            )
        }
        _ => V::Int(key.parse().ok()?),
    };
    Some((key, id))
}

/// One page of contacts.
pub async fn list(db: &Db, query: ContactQuery) -> Result<ContactList, Failure> {
    // A cursor this server did not give out is refused before anything is read.
    list_sql(&query, None, &SearchPlan::default(), false).map_err(Failure::Refused)?;
    let limit = query.limit as usize;
    let sort = query.sort;
    let first_page = query.after.is_none();
    split(portable_read!(db, |w| async move {
        let (page_plan, count_plan) = search_plans(w, &search_words(&query)).await?;
        let (sql, params) = match list_sql(&query, Some(query.limit), &page_plan, false) {
            Ok(sql) => sql,
            Err(refused) => return refuse(refused),
        };
        let rows = w.rows(&sql, &params).await?;
        let next_cursor = match rows.len() > limit {
            true => Some(cursor_of(sort, &rows[limit - 1])?),
            false => None,
        };
        let ids: Vec<i64> = rows
            .iter()
            .take(limit)
            .map(|row| row.int(0))
            .collect::<Result<_, _>>()?;
        let total = match first_page {
            true => {
                let (sql, params) = match list_sql(&query, None, &count_plan, true) {
                    Ok(sql) => sql,
                    Err(refused) => return refuse(refused),
                };
                Some(w.one(&sql, &params).await?.int(0)? as u64)
            }
            false => None,
        };
        Ok(ContactList {
            contacts: cards(w, &ids).await?,
            next_cursor,
            total,
        })
    }))
}

/// Every contact of `query` (no paging), for an export.
pub async fn all(db: &Db, query: ContactQuery) -> Result<Vec<ContactCard>, Failure> {
    let (sql, params) = list_sql(
        &ContactQuery {
            after: None,
            ..query
        },
        None,
        &SearchPlan {
            lead: Some(0),
            listed: Vec::new(),
        },
        false,
    )
    .map_err(Failure::Refused)?;
    split(portable_read!(db, |w| async move {
        let ids: Vec<i64> = w
            .rows(&sql, &params)
            .await?
            .iter()
            .map(|row| row.int(0))
            .collect::<Result<_, _>>()?;
        cards(w, &ids).await
    }))
}

/// Indexes the contacts that have no sort key yet (those a migration made).
pub async fn index_missing(db: &Db) -> Result<u64, DbError> {
    portable_write!(db, |w| async move {
        let ids: Vec<i64> = w
            .rows("SELECT id FROM contacts WHERE sort_key IS NULL", &[])
            .await?
            .iter()
            .map(|row| row.int(0))
            .collect::<Result<_, _>>()?;
        let count = ids.len() as u64;
        for card in cards(w, &ids).await? {
            index(w, &card).await?;
        }
        Ok(count)
    })
}

// Tags.

pub async fn tags(db: &Db) -> Result<Vec<Tag>, DbError> {
    portable_read!(db, |w| tags_on(w))
}

/// The tag of this name, created if there is none; whether it was created.
pub async fn create_tag(
    db: &Db,
    name: String,
    colour: Option<TagColour>,
    at: i64,
) -> Result<(Tag, bool), Failure> {
    split(portable_write!(db, |w| async move {
        let (tag, created) = tag_named(w, &name, colour).await?;
        if created {
            settings_changed(w, at).await?;
        }
        Ok((tag, created))
    }))
}

pub async fn update_tag(
    db: &Db,
    id: TagId,
    name: Option<String>,
    colour: Option<TagColour>,
    at: i64,
) -> Result<Tag, Failure> {
    split(portable_write!(db, |w| async move {
        let Some(row) = w
            .opt(
                "SELECT name, colour FROM tags WHERE id = $1",
                &[id.0.into()],
            )
            .await?
        else {
            return refuse(Refused::NotFound(format!("there is no tag {id}")));
        };
        let mut name_now = row.text(0)?;
        let mut colour_now = TagColour::parse(&row.text(1)?).unwrap_or_default();
        if let Some(name) = name {
            let name = switchboard_domain::contacts::tag_name(&name)
                .or_else(|why| refuse(Refused::Invalid(why)))?;
            if let Some(other) = w
                .opt(
                    "SELECT id FROM tags WHERE folded = $1 AND id <> $2",
                    &[name.to_lowercase().into(), id.0.into()],
                )
                .await?
            {
                return refuse(Refused::Conflict(format!(
                    "there is already a tag named {name:?} (#{})",
                    other.int(0)?
                )));
            }
            name_now = name;
        }
        if let Some(colour) = colour {
            colour_now = colour;
        }
        w.run(
            "UPDATE tags SET name = $2, folded = $3, colour = $4 WHERE id = $1",
            &[
                id.0.into(),
                name_now.clone().into(),
                name_now.to_lowercase().into(),
                colour_now.as_str().into(),
            ],
        )
        .await?;
        settings_changed(w, at).await?;
        Ok(Tag {
            id,
            name: name_now,
            colour: colour_now,
        })
    }))
}

/// Removes a tag from every contact and from the workspace.
pub async fn delete_tag(db: &Db, id: TagId, at: i64) -> Result<(), Failure> {
    split(portable_write!(db, |w| async move {
        let contacts: Vec<i64> = w
            .rows(
                "SELECT contact_id FROM contact_tags WHERE tag_id = $1",
                &[id.0.into()],
            )
            .await?
            .iter()
            .map(|row| row.int(0))
            .collect::<Result<_, _>>()?;
        w.run("DELETE FROM contact_tags WHERE tag_id = $1", &[id.0.into()])
            .await?;
        if w.run("DELETE FROM tags WHERE id = $1", &[id.0.into()])
            .await?
            == 0
        {
            return refuse(Refused::NotFound(format!("there is no tag {id}")));
        }
        settings_changed(w, at).await?;
        // Rows show tags by id: a client drops the ones the workspace no longer has; the
        // contacts' own events say they changed.
        if contacts.len() <= IMPORT_EVENTS {
            for card in cards(w, &contacts).await? {
                announce(w, &card, at).await?;
            }
        }
        Ok(())
    }))
}

// Properties.

pub async fn properties(db: &Db) -> Result<Vec<PropertyDefinition>, DbError> {
    portable_read!(db, |w| properties_on(w))
}

fn check_options(kind: PropertyType, options: &[String]) -> Result<Vec<String>, Refused> {
    if !kind.has_options() {
        return match options.is_empty() {
            true => Ok(Vec::new()),
            false => Err(Refused::Invalid(format!(
                "a {} property has no options",
                kind.as_str()
            ))),
        };
    }
    let mut clean: Vec<String> = Vec::new();
    for option in options {
        let option = option.trim();
        if option.is_empty() || option.chars().count() > 100 || option.contains([',', ';']) {
            return Err(Refused::Invalid(format!(
                "option {option:?}: 1 to 100 characters, without commas or semicolons"
            )));
        }
        if clean
            .iter()
            .any(|o| o.to_lowercase() == option.to_lowercase())
        {
            return Err(Refused::Invalid(format!(
                "option {option:?} is given twice"
            )));
        }
        clean.push(option.to_owned());
    }
    if clean.is_empty() {
        return Err(Refused::Invalid(format!(
            "a {} property needs options",
            kind.as_str()
        )));
    }
    Ok(clean)
}

fn property_name(name: &str) -> Result<String, Refused> {
    switchboard_domain::contacts::name_field("name", name)
        .map_err(Refused::Invalid)?
        .ok_or_else(|| Refused::Invalid("a property needs a name".to_owned()))
}

pub async fn create_property(
    db: &Db,
    key: String,
    name: String,
    kind: PropertyType,
    options: Vec<String>,
    at: i64,
) -> Result<PropertyDefinition, Failure> {
    if !switchboard_domain::contacts::is_property_key(&key) {
        return Err(Failure::Refused(Refused::Invalid(format!(
            "key {key:?}: 1 to 40 lowercase letters, digits or _, starting with a letter"
        ))));
    }
    let name = property_name(&name)?;
    let options = check_options(kind, &options)?;
    split(portable_write!(db, |w| async move {
        let existing = properties_on(w).await?;
        if existing.iter().any(|p| p.key == key) {
            return refuse(Refused::Conflict(format!(
                "there is already a property {key:?}"
            )));
        }
        if existing
            .iter()
            .any(|p| p.name.to_lowercase() == name.to_lowercase())
        {
            return refuse(Refused::Conflict(format!(
                "there is already a property named {name:?}"
            )));
        }
        let position = existing.len() as u32;
        w.run(
            "INSERT INTO contact_properties (key, name, kind, options, position)
             VALUES ($1, $2, $3, $4, $5)",
            &[
                key.clone().into(),
                name.clone().into(),
                kind.as_str().into(),
                serde_json::to_string(&options)
                    .expect("strings serialise")
                    .into(),
                i64::from(position).into(),
            ],
        )
        .await?;
        settings_changed(w, at).await?;
        Ok(PropertyDefinition {
            key,
            name,
            kind,
            options,
            position,
        })
    }))
}

pub async fn update_property(
    db: &Db,
    key: String,
    name: Option<String>,
    options: Option<Vec<String>>,
    position: Option<u32>,
    at: i64,
) -> Result<PropertyDefinition, Failure> {
    let name = name.map(|n| property_name(&n)).transpose()?;
    split(portable_write!(db, |w| async move {
        let mut all = properties_on(w).await?;
        let Some(index) = all.iter().position(|p| p.key == key) else {
            return refuse(Refused::NotFound(format!("there is no property {key:?}")));
        };
        if let Some(name) = name {
            if all
                .iter()
                .any(|p| p.key != key && p.name.to_lowercase() == name.to_lowercase())
            {
                return refuse(Refused::Conflict(format!(
                    "there is already a property named {name:?}"
                )));
            }
            all[index].name = name;
        }
        if let Some(options) = options {
            all[index].options = check_options(all[index].kind, &options).or_else(refuse)?;
        }
        if let Some(position) = position {
            let property = all.remove(index);
            let position = (position as usize).min(all.len());
            all.insert(position, property);
        }
        for (position, property) in all.iter_mut().enumerate() {
            property.position = position as u32;
            w.run(
                "UPDATE contact_properties SET name = $2, options = $3, position = $4
                  WHERE key = $1",
                &[
                    property.key.clone().into(),
                    property.name.clone().into(),
                    serde_json::to_string(&property.options)
                        .expect("strings serialise")
                        .into(),
                    (position as i64).into(),
                ],
            )
            .await?;
        }
        settings_changed(w, at).await?;
        Ok(all
            .into_iter()
            .find(|p| p.key == key)
            .expect("the property is still there"))
    }))
}

/// Removes a property and every contact's value of it.
pub async fn delete_property(db: &Db, key: String, at: i64) -> Result<(), Failure> {
    split(portable_write!(db, |w| async move {
        w.run(
            "DELETE FROM contact_values WHERE key = $1",
            &[key.clone().into()],
        )
        .await?;
        if w.run(
            "DELETE FROM contact_properties WHERE key = $1",
            &[key.clone().into()],
        )
        .await?
            == 0
        {
            return refuse(Refused::NotFound(format!("there is no property {key:?}")));
        }
        settings_changed(w, at).await
    }))
}

// Notes.

const NOTE_SELECT: &str = "
    SELECT n.id, n.contact_id, n.author_id, m.name, n.body, n.mentions, n.conversation_id, n.at,
           n.edited_at, c.line_id
      FROM contact_notes n
      JOIN members m ON m.id = n.author_id
      LEFT JOIN conversations c ON c.id = n.conversation_id";

/// A note, and the line of the conversation it came from (which decides who sees it).
fn note_of(row: &PRow) -> Result<(ContactNote, Option<LineId>), DbError> {
    Ok((
        ContactNote {
            id: ContactNoteId(row.int(0)?),
            contact_id: ContactId(row.int(1)?),
            author: MemberRef {
                id: MemberId(row.int(2)?),
                name: row.text(3)?,
            },
            text: row.text(4)?,
            mentions: serde_json::from_str(&row.text(5)?)
                .map_err(|e| DbError::Corrupt(format!("note mentions: {e}")))?,
            conversation_id: row.opt_int(6)?.map(ConversationId),
            at: row.int(7)?,
            edited_at: row.opt_int(8)?,
        },
        row.opt_int(9)?.map(LineId),
    ))
}

async fn note_on(
    w: &mut impl Portable,
    id: ContactNoteId,
) -> Result<Option<(ContactNote, Option<LineId>)>, DbError> {
    match w
        .opt(&format!("{NOTE_SELECT} WHERE n.id = $1"), &[id.0.into()])
        .await?
    {
        Some(row) => Ok(Some(note_of(&row)?)),
        None => Ok(None),
    }
}

/// Announces a note to the teammates who may see it: everyone, or those of its line.
async fn announce_note(
    w: &mut impl Portable,
    contact_id: ContactId,
    note: Option<ContactNote>,
    deleted: Option<ContactNoteId>,
    line: Option<LineId>,
    at: i64,
) -> Result<(), DbError> {
    let event = LiveEvent::ContactNote {
        contact_id,
        note,
        deleted,
    };
    let audience = match line {
        Some(line) => Audience::Line(line),
        None => Audience::Workspace,
    };
    w.event(audience, &event, at).await
}

/// Checks that the mentioned teammates exist, and that the conversation is the contact's and
/// on the author's lines; the conversation's line.
async fn check_note(
    w: &mut impl Portable,
    contact: ContactId,
    mentions: &[MemberId],
    conversation: Option<ConversationId>,
    author_lines: &Option<Vec<LineId>>,
) -> Result<Option<LineId>, DbError> {
    for member in mentions {
        if w.opt("SELECT id FROM members WHERE id = $1", &[member.0.into()])
            .await?
            .is_none()
        {
            return refuse(Refused::Invalid(format!(
                "there is no teammate {member} to mention"
            )));
        }
    }
    let Some(conversation) = conversation else {
        return Ok(None);
    };
    let row = w
        .opt(
            "SELECT c.line_id, n.contact_id FROM conversations c
               JOIN numbers n ON n.id = c.number_id WHERE c.id = $1",
            &[conversation.0.into()],
        )
        .await?;
    match row {
        Some(row) if row.opt_int(1)? == Some(contact.0) => {
            let line = LineId(row.int(0)?);
            if !sees(author_lines, line) {
                return refuse(Refused::Forbidden(format!(
                    "conversation {conversation} is on a line you do not have"
                )));
            }
            Ok(Some(line))
        }
        Some(_) => refuse(Refused::Invalid(format!(
            "conversation {conversation} is not with contact {contact}"
        ))),
        None => refuse(Refused::Invalid(format!(
            "there is no conversation {conversation}"
        ))),
    }
}

/// Writes a note on a contact.
pub async fn add_note(
    db: &Db,
    contact: ContactId,
    text: String,
    mentions: Vec<MemberId>,
    conversation: Option<ConversationId>,
    author: &SessionMember,
    at: i64,
) -> Result<ContactNote, Failure> {
    let (author_id, lines) = (author.id, author.lines.clone());
    split(portable_write!(db, |w| async move {
        note_in(
            w,
            contact,
            text,
            mentions,
            conversation,
            author_id,
            lines,
            at,
        )
        .await
    }))
}

#[allow(clippy::too_many_arguments)]
async fn note_in(
    w: &mut impl Portable,
    contact: ContactId,
    text: String,
    mentions: Vec<MemberId>,
    conversation: Option<ConversationId>,
    author_id: MemberId,
    lines: Option<Vec<LineId>>,
    at: i64,
) -> Result<ContactNote, DbError> {
    {
        existing(w, contact).await?;
        let line = check_note(w, contact, &mentions, conversation, &lines).await?;
        let id = w
            .one(
                "INSERT INTO contact_notes (contact_id, author_id, body, mentions, conversation_id, at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                &[
                    contact.0.into(),
                    author_id.0.into(),
                    text.into(),
                    serde_json::to_string(&mentions).expect("ids serialise").into(),
                    conversation.map(|c| c.0).into(),
                    at.into(),
                ],
            )
            .await?
            .int(0)?;
        let (note, _) = note_on(w, ContactNoteId(id))
            .await?
            .ok_or_else(|| DbError::Corrupt("a note vanished".to_owned()))?;
        announce_note(w, contact, Some(note.clone()), None, line, at).await?;
        notify(w, &note, &mentions, at).await?;
        Ok(note)
    }
}

/// Notifies the teammates `mentioned` in `note` (not its author), as a mention in a
/// conversation's note does: in the note's conversation, else the contact's latest one they
/// see. A teammate who sees none of the contact's conversations is not notified (there is
/// nothing of it they could open).
async fn notify(
    w: &mut impl Portable,
    note: &ContactNote,
    mentioned: &[MemberId],
    at: i64,
) -> Result<(), DbError> {
    let mut done = BTreeSet::new();
    for &member in mentioned {
        if member == note.author.id || !done.insert(member) {
            continue;
        }
        let Some(target) = w
            .opt(
                "SELECT c.id, c.latest_activity_id FROM conversations c
                   JOIN numbers n ON n.id = c.number_id
                  WHERE (c.id = CAST($1 AS BIGINT)
                         OR (CAST($1 AS BIGINT) IS NULL AND n.contact_id = $2))
                    AND EXISTS (SELECT 1 FROM members m
                                 WHERE m.id = $3 AND (m.role IN ('owner', 'admin')
                                       OR EXISTS (SELECT 1 FROM line_access la
                                                   WHERE la.member_id = m.id
                                                     AND la.line_id = c.line_id)))
                  ORDER BY c.latest_activity_at DESC, c.id DESC LIMIT 1",
                &[
                    note.conversation_id.map(|c| c.0).into(),
                    note.contact_id.0.into(),
                    member.0.into(),
                ],
            )
            .await?
        else {
            continue;
        };
        let excerpt: String = note.text.chars().take(140).collect();
        let id = w
            .one(
                "INSERT INTO notifications
                     (member_id, conversation_id, activity_id, author_id, excerpt, at, contact_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                &[
                    member.0.into(),
                    target.int(0)?.into(),
                    target.int(1)?.into(),
                    note.author.id.0.into(),
                    excerpt.into(),
                    at.into(),
                    note.contact_id.0.into(),
                ],
            )
            .await?
            .int(0)?;
        let row = w
            .one(
                &format!("{} WHERE n.id = $1", super::notifications::SELECT),
                &[id.into()],
            )
            .await?;
        let notification = switchboard_domain::team::Notification {
            id: switchboard_domain::NotificationId(row.int(0)?),
            conversation_id: ConversationId(row.int(1)?),
            line_id: LineId(row.int(2)?),
            activity_id: switchboard_domain::ActivityId(row.int(3)?),
            author: MemberRef {
                id: MemberId(row.int(4)?),
                name: row.text(5)?,
            },
            excerpt: row.text(6)?,
            read: row.int(7)? != 0,
            at: row.int(8)?,
            contact_id: row.opt_int(9)?.map(ContactId),
        };
        let unread_count = w
            .one(
                "SELECT COUNT(*) FROM notifications WHERE member_id = $1 AND read = FALSE",
                &[member.0.into()],
            )
            .await?
            .int(0)? as u32;
        let event = LiveEvent::Notification {
            notification,
            unread_count,
        };
        w.event(Audience::Member(member), &event, at).await?;
    }
    Ok(())
}

/// The author changes a note's text and mentions.
pub async fn edit_note(
    db: &Db,
    contact: ContactId,
    id: ContactNoteId,
    text: String,
    mentions: Vec<MemberId>,
    author: MemberId,
    at: i64,
) -> Result<ContactNote, Failure> {
    split(portable_write!(db, |w| async move {
        let Some((note, line)) = note_on(w, id)
            .await?
            .filter(|(n, _)| n.contact_id == contact)
        else {
            return refuse(Refused::NotFound(format!(
                "contact {contact} has no note {id}"
            )));
        };
        if note.author.id != author {
            return refuse(Refused::Forbidden(
                "only its author edits a note".to_owned(),
            ));
        }
        check_note(w, contact, &mentions, None, &None).await?;
        w.run(
            "UPDATE contact_notes SET body = $2, mentions = $3, edited_at = $4 WHERE id = $1",
            &[
                id.0.into(),
                text.into(),
                serde_json::to_string(&mentions)
                    .expect("ids serialise")
                    .into(),
                at.into(),
            ],
        )
        .await?;
        let (edited, _) = note_on(w, id)
            .await?
            .ok_or_else(|| DbError::Corrupt("a note vanished".to_owned()))?;
        announce_note(w, contact, Some(edited.clone()), None, line, at).await?;
        let added: Vec<MemberId> = edited
            .mentions
            .iter()
            .filter(|m| !note.mentions.contains(m))
            .copied()
            .collect();
        notify(w, &edited, &added, at).await?;
        Ok(edited)
    }))
}

/// The author deletes a note.
pub async fn delete_note(
    db: &Db,
    contact: ContactId,
    id: ContactNoteId,
    author: MemberId,
    at: i64,
) -> Result<(), Failure> {
    split(portable_write!(db, |w| async move {
        let Some((note, line)) = note_on(w, id)
            .await?
            .filter(|(n, _)| n.contact_id == contact)
        else {
            return refuse(Refused::NotFound(format!(
                "contact {contact} has no note {id}"
            )));
        };
        if note.author.id != author {
            return refuse(Refused::Forbidden(
                "only its author deletes a note".to_owned(),
            ));
        }
        w.run("DELETE FROM contact_notes WHERE id = $1", &[id.0.into()])
            .await?;
        announce_note(w, contact, None, Some(id), line, at).await
    }))
}

/// Whether this teammate may change the workspace's tags and properties.
pub fn administers(member: &SessionMember) -> bool {
    matches!(member.role, Role::Owner | Role::Admin)
}

// Demo data.

/// A demo contact's details: (contact id, what to set, notes as (author, text)).
pub type DemoDetails = (ContactId, Draft, Vec<(MemberId, String)>);

/// The demo's properties, and details of its contacts, in one transaction.
pub async fn demo_details(
    db: &Db,
    properties: Vec<PropertyDefinition>,
    contacts: Vec<DemoDetails>,
    at: i64,
) -> Result<(), DbError> {
    portable_write!(db, |w| async move {
        // Two servers that start at once on an empty database both give the demo team its
        // details; the second finds them there.
        if !properties_on(w).await?.is_empty() {
            return Ok(());
        }
        for (position, property) in properties.iter().enumerate() {
            w.run(
                "INSERT INTO contact_properties (key, name, kind, options, position)
                 VALUES ($1, $2, $3, $4, $5)",
                &[
                    property.key.clone().into(),
                    property.name.clone().into(),
                    property.kind.as_str().into(),
                    serde_json::to_string(&property.options)
                        .expect("strings serialise")
                        .into(),
                    (position as i64).into(),
                ],
            )
            .await?;
        }
        for (id, draft, notes) in contacts {
            update_on(w, id, &draft, None, at, false).await?;
            for (author, text) in notes {
                note_in(w, id, text, Vec::new(), None, author, None, at).await?;
            }
        }
        Ok(())
    })
}

// Import.

/// One row of an import, read and checked: its line in the file, its values, its draft.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub line: u64,
    pub values: Vec<String>,
    pub draft: Draft,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Rows the database refused: their line and why.
    pub rejected: Vec<(u64, String)>,
}

/// The contact a row is for: the one with one of its numbers, else one of its emails.
async fn match_row(w: &mut impl Portable, draft: &Draft) -> Result<Option<ContactId>, String> {
    let numbers: Vec<V> = draft
        .phones
        .iter()
        .flatten()
        .map(|phone| phone.number.clone().into())
        .collect();
    let mut owners = BTreeSet::new();
    if !numbers.is_empty() {
        let rows = w
            .rows(
                &format!(
                    "SELECT DISTINCT contact_id FROM numbers
                      WHERE number IN ({}) AND contact_id IS NOT NULL",
                    placeholders(1, numbers.len())
                ),
                &numbers,
            )
            .await
            .map_err(|e| e.to_string())?;
        for row in rows {
            owners.insert(row.int(0).map_err(|e| e.to_string())?);
        }
    }
    if owners.len() > 1 {
        return Err(format!(
            "its numbers belong to different contacts ({})",
            owners
                .iter()
                .map(|id| format!("#{id}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(owner) = owners.into_iter().next() {
        return Ok(Some(ContactId(owner)));
    }
    for email in draft.emails.iter().flatten() {
        if let Some(row) = w
            .opt(
                "SELECT contact_id FROM contact_emails WHERE lower(address) = $1
                  ORDER BY contact_id LIMIT 1",
                &[email.address.to_lowercase().into()],
            )
            .await
            .map_err(|e| e.to_string())?
        {
            return Ok(Some(ContactId(row.int(0).map_err(|e| e.to_string())?)));
        }
    }
    Ok(None)
}

/// Most values bound to one statement that writes many rows.
const VALUES_PER_STATEMENT: usize = 4000;

/// Writes `values` (rows of `width` values) with `INSERT … VALUES (…), (…) tail`, in
/// statements of at most [`VALUES_PER_STATEMENT`] values. The last rows go in statements of
/// a power of two of rows, so that the statements prepared stay few.
async fn insert_rows(
    w: &mut impl Portable,
    head: &str,
    tail: &str,
    width: usize,
    values: &[V],
) -> Result<(), DbError> {
    let most = (VALUES_PER_STATEMENT / width).max(1);
    let mut rest = values;
    while !rest.is_empty() {
        let left = rest.len() / width;
        let rows = match left >= most {
            true => most,
            false => 1 << left.ilog2(),
        };
        let (these, after) = rest.split_at(rows * width);
        let tuples = (0..rows)
            .map(|row| format!("({})", placeholders(row * width + 1, width)))
            .collect::<Vec<_>>()
            .join(", ");
        w.run(&format!("{head} {tuples} {tail}"), these).await?;
        rest = after;
    }
    Ok(())
}

/// New contacts of an import, checked and waiting to be written together: one statement per
/// table for hundreds of them, rather than a dozen per contact.
#[derive(Default)]
struct NewContacts {
    cards: Vec<(ContactCard, Vec<TagId>)>,
    /// Their numbers, and their emails lowercased: a later row with one of them is for one of
    /// these contacts, which must be written before it is looked for.
    numbers: BTreeSet<String>,
    emails: BTreeSet<String>,
}

/// New contacts written at once, at most.
const NEW_CONTACTS_AT_ONCE: usize = 500;

impl NewContacts {
    fn hold_one_of(&self, draft: &Draft) -> bool {
        draft
            .phones
            .iter()
            .flatten()
            .any(|phone| self.numbers.contains(&phone.number))
            || draft
                .emails
                .iter()
                .flatten()
                .any(|email| self.emails.contains(&email.address.to_lowercase()))
    }

    fn push(&mut self, card: ContactCard, tags: Vec<TagId>) {
        self.numbers
            .extend(card.phones.iter().map(|phone| phone.number.clone()));
        self.emails
            .extend(card.emails.iter().map(|email| email.address.to_lowercase()));
        self.cards.push((card, tags));
    }

    /// Writes them (as [`create_on`] writes one); their ids.
    async fn write(
        &mut self,
        w: &mut impl Portable,
        by: MemberId,
        at: i64,
    ) -> Result<Vec<i64>, DbError> {
        let cards = std::mem::take(&mut self.cards);
        self.numbers.clear();
        self.emails.clear();
        let (mut numbers, mut emails, mut values, mut tags, mut term_rows, mut history) =
            (vec![], vec![], vec![], vec![], vec![], vec![]);
        let mut ids = Vec::with_capacity(cards.len());
        for (card, tag_ids) in &cards {
            let id = w
                .one(
                    "INSERT INTO contacts (first_name, last_name, company, role, name, sort_key,
                                           source, external_id, created_by, created_at,
                                           updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
                    &[
                        card.first_name.clone().into(),
                        card.last_name.clone().into(),
                        card.company.clone().into(),
                        card.role.clone().into(),
                        card.name.clone().into(),
                        fold(&card.name).into(),
                        card.source.clone().into(),
                        card.external_id.clone().into(),
                        by.0.into(),
                        at.into(),
                    ],
                )
                .await?
                .int(0)?;
            ids.push(id);
            for (position, phone) in card.phones.iter().enumerate() {
                numbers.extend([
                    phone.number.clone().into(),
                    id.into(),
                    phone.label.clone().into(),
                    (position as i64).into(),
                ]);
            }
            for (position, email) in card.emails.iter().enumerate() {
                emails.extend([
                    id.into(),
                    (position as i64).into(),
                    email.address.clone().into(),
                    email.label.clone().into(),
                ]);
            }
            for (key, value) in &card.properties {
                values.extend([id.into(), key.clone().into(), value.to_string().into()]);
            }
            for tag in tag_ids {
                tags.extend([id.into(), tag.0.into()]);
            }
            for term in terms(card) {
                term_rows.extend([term.into(), id.into()]);
            }
            history.extend([
                id.into(),
                "created".into(),
                format!("created from {}", card.source).into(),
                by.0.into(),
                at.into(),
            ]);
        }
        insert_rows(
            w,
            "INSERT INTO numbers (number, contact_id, label, position) VALUES",
            "ON CONFLICT (number) DO UPDATE
                SET contact_id = excluded.contact_id, label = excluded.label,
                    position = excluded.position",
            4,
            &numbers,
        )
        .await?;
        insert_rows(
            w,
            "INSERT INTO contact_emails (contact_id, position, address, label) VALUES",
            "",
            4,
            &emails,
        )
        .await?;
        insert_rows(
            w,
            "INSERT INTO contact_values (contact_id, key, value) VALUES",
            "",
            3,
            &values,
        )
        .await?;
        insert_rows(
            w,
            "INSERT INTO contact_tags (contact_id, tag_id) VALUES",
            "",
            2,
            &tags,
        )
        .await?;
        insert_rows(
            w,
            "INSERT INTO contact_terms (term, contact_id) VALUES",
            "",
            2,
            &term_rows,
        )
        .await?;
        insert_rows(
            w,
            "INSERT INTO contact_history (contact_id, action, detail, member_id, at) VALUES",
            "",
            5,
            &history,
        )
        .await?;
        Ok(ids)
    }
}

/// An import row's new contact, checked as [`create_on`] checks one (its numbers are nobody's:
/// the row matched no contact), and its tags' names.
fn new_card(
    draft: &Draft,
    origin: &Origin,
    at: i64,
    definitions: &[PropertyDefinition],
) -> Result<(ContactCard, Vec<String>), Refused> {
    let refused = |result: Result<_, DbError>| match split(result) {
        Ok(value) => Ok(value),
        Err(Failure::Refused(refused)) => Err(refused),
        Err(Failure::Db(error)) => Err(Refused::Invalid(error.to_string())),
    };
    let mut seen = BTreeSet::new();
    for phone in draft.phones.iter().flatten() {
        if !seen.insert(phone.number.as_str()) {
            return Err(Refused::Invalid(format!(
                "the number {} is given twice",
                phone.number
            )));
        }
    }
    let blank = blank_card(ContactId(0), origin, at);
    let (card, _) = refused(apply(&blank, draft, definitions))?;
    if card.name.is_empty() {
        return Err(Refused::Invalid(
            "a contact needs a name, a company, a number or an email".to_owned(),
        ));
    }
    let tags = draft
        .tags
        .iter()
        .flatten()
        .map(|name| switchboard_domain::contacts::tag_name(name).map_err(Refused::Invalid))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((card, tags))
}

/// Why a row was refused, for the import's report.
fn reason(refused: Refused) -> String {
    match refused {
        Refused::NumberTaken {
            number,
            contact,
            name,
        } => format!("{number} belongs to {name} (#{contact})"),
        Refused::Invalid(m)
        | Refused::NotFound(m)
        | Refused::Conflict(m)
        | Refused::Forbidden(m) => m,
    }
}

/// An import row as a change of `current`: numbers, emails and tags only added, never removed.
fn upsert_draft(current: &ContactCard, row: &Draft, tag_names: &BTreeMap<TagId, String>) -> Draft {
    let mut draft = row.clone();
    if let Some(phones) = &row.phones {
        let mut all = current.phones.clone();
        for phone in phones {
            if !all.iter().any(|p| p.number == phone.number) {
                all.push(phone.clone());
            }
        }
        draft.phones = Some(all);
    }
    if let Some(emails) = &row.emails {
        let mut all = current.emails.clone();
        for email in emails {
            if !all
                .iter()
                .any(|e| e.address.eq_ignore_ascii_case(&email.address))
            {
                all.push(email.clone());
            }
        }
        draft.emails = Some(all);
    }
    if let Some(tags) = &row.tags {
        let mut all: Vec<String> = current
            .tags
            .iter()
            .filter_map(|id| tag_names.get(id).cloned())
            .collect();
        for tag in tags {
            if !all.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
                all.push(tag.clone());
            }
        }
        draft.tags = Some(all);
    }
    draft
}

/// Creates or updates a contact per row (matched by number, then email), in transactions of
/// [`IMPORT_CHUNK`] rows. With `preview`, counts what it would do and changes nothing.
pub async fn import(
    db: &Db,
    rows: Vec<ImportRow>,
    by: MemberId,
    at: i64,
    preview: bool,
) -> Result<Imported, DbError> {
    let mut total = Imported::default();
    let announce_each = rows.len() <= IMPORT_EVENTS;
    let mut rows = rows;
    while !rows.is_empty() {
        let rest = rows.split_off(rows.len().min(IMPORT_CHUNK));
        let chunk = std::mem::replace(&mut rows, rest);
        let done = match portable_write!(db, |w| import_chunk(
            w,
            chunk,
            by,
            at,
            preview,
            announce_each
        )) {
            Ok(done) => done,
            Err(error) => preview_counts(&error).ok_or(error)?,
        };
        total.created += done.created;
        total.updated += done.updated;
        total.unchanged += done.unchanged;
        total.rejected.extend(done.rejected);
    }
    if !preview && !announce_each && total.created + total.updated > 0 {
        portable_write!(db, |w| async move {
            settings_changed(w, at).await?;
            w.event(Audience::Workspace, &LiveEvent::Reload {}, at)
                .await
        })?;
    }
    Ok(total)
}

const PREVIEW: &str = "\u{0}preview\u{0}";

async fn import_chunk(
    w: &mut impl Portable,
    chunk: Vec<ImportRow>,
    by: MemberId,
    at: i64,
    preview: bool,
    announce_each: bool,
) -> Result<Imported, DbError> {
    let mut done = Imported::default();
    let origin = Origin {
        source: "csv".to_owned(),
        external_id: None,
    };
    let definitions = properties_on(w).await?;
    let mut tag_names: BTreeMap<TagId, String> = BTreeMap::new();
    let mut tag_ids: BTreeMap<String, TagId> = BTreeMap::new();
    for tag in tags_on(w).await? {
        tag_ids.insert(tag.name.to_lowercase(), tag.id);
        tag_names.insert(tag.id, tag.name);
    }
    let mut created_tags = false;
    let mut fresh = NewContacts::default();
    let mut created = Vec::new();
    for row in chunk {
        if fresh.hold_one_of(&row.draft) || fresh.cards.len() >= NEW_CONTACTS_AT_ONCE {
            created.extend(fresh.write(w, by, at).await?);
        }
        let target = match match_row(w, &row.draft).await {
            Ok(target) => target,
            Err(why) => {
                done.rejected.push((row.line, why));
                continue;
            }
        };
        let Some(id) = target else {
            let (card, names) = match new_card(&row.draft, &origin, at, &definitions) {
                Ok(new) => new,
                Err(refused) => {
                    done.rejected.push((row.line, reason(refused)));
                    continue;
                }
            };
            let mut ids = BTreeSet::new();
            for name in names {
                let id = match tag_ids.get(&name.to_lowercase()) {
                    Some(id) => *id,
                    None => {
                        let (tag, _) = tag_named(w, &name, None).await?;
                        created_tags = true;
                        tag_ids.insert(tag.name.to_lowercase(), tag.id);
                        tag_names.insert(tag.id, tag.name);
                        tag.id
                    }
                };
                ids.insert(id);
            }
            fresh.push(card, ids.into_iter().collect());
            done.created += 1;
            continue;
        };
        // A refused row leaves nothing behind, and the rows around it stay.
        w.batch("SAVEPOINT import_row").await?;
        let current = existing(w, id).await?;
        let draft = upsert_draft(&current, &row.draft, &tag_names);
        let outcome = split(update_on(w, id, &draft, Some(by), at, announce_each).await);
        match &outcome {
            Err(Failure::Refused(_)) => {
                w.batch("ROLLBACK TO SAVEPOINT import_row; RELEASE SAVEPOINT import_row")
                    .await?
            }
            _ => w.batch("RELEASE SAVEPOINT import_row").await?,
        }
        match outcome {
            Ok((card, changed)) => {
                match changed {
                    true => done.updated += 1,
                    false => done.unchanged += 1,
                }
                if card.tags.iter().any(|tag| !tag_names.contains_key(tag)) {
                    created_tags = true;
                    for tag in tags_on(w).await? {
                        tag_ids.insert(tag.name.to_lowercase(), tag.id);
                        tag_names.insert(tag.id, tag.name);
                    }
                }
            }
            Err(Failure::Refused(refused)) => done.rejected.push((row.line, reason(refused))),
            Err(Failure::Db(error)) => return Err(error),
        }
    }
    created.extend(fresh.write(w, by, at).await?);
    if preview {
        // Nothing of a preview stays: the transaction fails on purpose, carrying the counts.
        return Err(DbError::Corrupt(format!(
            "{PREVIEW}{}",
            serde_json::to_string(&(done.created, done.updated, done.unchanged, &done.rejected))
                .expect("counts serialise")
        )));
    }
    if announce_each {
        for card in cards(w, &created).await? {
            announce(w, &card, at).await?;
        }
        if created_tags {
            settings_changed(w, at).await?;
        }
    }
    Ok(done)
}

/// Reads back the counts a preview's rolled-back transaction carried out.
pub fn preview_counts(error: &DbError) -> Option<Imported> {
    match error {
        DbError::Corrupt(text) if text.starts_with(PREVIEW) => {
            let (created, updated, unchanged, rejected): (u64, u64, u64, Vec<(u64, String)>) =
                serde_json::from_str(&text[PREVIEW.len()..]).ok()?;
            Some(Imported {
                created,
                updated,
                unchanged,
                rejected,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_and_accents() {
        assert_eq!(fold("Hélène Ørsted"), "helene orsted");
        assert_eq!(fold("ÇA VA"), "ca va");
    }

    #[test]
    fn terms_hold_words_and_number_endings() {
        let card = ContactCard {
            id: ContactId(1),
            name: "Hélène Bell".into(),
            first_name: Some("Hélène".into()),
            last_name: Some("Bell".into()),
            company: Some("Acme & Co".into()),
            role: None,
            phones: vec![ContactPhone {
                number: "+15550100".into(),
                label: "mobile".into(),
            }],
            emails: vec![ContactEmail {
                address: "Helene@Example.com".into(),
                label: "work".into(),
            }],
            tags: vec![],
            properties: BTreeMap::new(),
            source: "switchboard".into(),
            external_id: None,
            created_by: None,
            created_at: 0,
            updated_at: 0,
        };
        let terms = terms(&card);
        for term in [
            "helene",
            "bell",
            "acme",
            "co",
            "helene@example.com",
            "example",
            "15550100",
            "0100",
            "100",
        ] {
            assert!(terms.contains(term), "{term} in {terms:?}");
        }
        assert!(!terms.contains("00"));
    }

    #[test]
    fn cursors_read_back() {
        for (sort, key) in [
            (ContactSort::Name, V::Text("hélène bell".into())),
            (ContactSort::Created, V::Int(1_700_000_000_000)),
        ] {
            let row = PRow::for_tests(vec![
                V::Int(42),
                match &key {
                    V::Text(_) => key.clone(),
                    _ => V::Null,
                },
                V::Int(1_700_000_000_000),
                V::Int(0),
            ]);
            let cursor = cursor_of(sort, &row).unwrap();
            assert_eq!(parse_cursor(sort, &cursor), Some((key, 42)));
        }
        assert_eq!(parse_cursor(ContactSort::Name, "1.zz"), None);
        assert_eq!(parse_cursor(ContactSort::Created, "x.1"), None);
    }

    /// Every way of planning a search (which word leads, which are read as lists or checked
    /// contact by contact, walking in order or not) finds the same contacts in the same order.
    #[tokio::test]
    async fn every_search_plan_finds_the_same_contacts() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(super::super::Location::Sqlite(dir.path().join("plans.db")))
            .await
            .unwrap();
        let firsts = ["Ana", "Ben", "Hugo", "Anaïs"];
        let lasts = ["Bell", "Martin", "Bellamy"];
        for n in 0..60 {
            let draft = Draft {
                first_name: Some(Some(firsts[n % firsts.len()].to_owned())),
                last_name: Some(Some(lasts[n % lasts.len()].to_owned())),
                company: Some(Some(format!("Acme {}", n % 7))),
                phones: Some(vec![ContactPhone {
                    number: format!("+3361234{n:04}"),
                    label: "mobile".to_owned(),
                }]),
                ..Draft::default()
            };
            create(&db, draft, Origin::by_hand(), None, 1_000 + n as i64)
                .await
                .unwrap();
        }
        for q in [
            "ana",
            "ana bell",
            "acme 4",
            "bell hugo",
            "1234 acme",
            "zzz",
            "an be ac",
        ] {
            for sort in [
                ContactSort::Name,
                ContactSort::Created,
                ContactSort::Updated,
            ] {
                let query = ContactQuery {
                    q: Some(q.to_owned()),
                    sort,
                    limit: 500,
                    ..ContactQuery::default()
                };
                let count = search_words(&query).len();
                let mut plans = vec![SearchPlan::default()];
                for lead in (0..count).map(Some).chain([None]) {
                    for listed in [vec![true; count], vec![false; count]] {
                        plans.push(SearchPlan { lead, listed });
                    }
                }
                let mut found = Vec::new();
                for plan in &plans {
                    let (sql, params) = list_sql(&query, Some(500), plan, false).unwrap();
                    let (count_sql, count_params) = list_sql(&query, None, plan, true).unwrap();
                    let read = async {
                        portable_read!(&db, |w| async move {
                            let ids: Vec<i64> = w
                                .rows(&sql, &params)
                                .await?
                                .iter()
                                .map(|row| row.int(0))
                                .collect::<Result<_, _>>()?;
                            let total = w.one(&count_sql, &count_params).await?.int(0)?;
                            Ok::<_, DbError>((ids, total))
                        })
                    };
                    let (ids, total) = read.await.unwrap();
                    assert_eq!(ids.len() as i64, total, "{q:?} {plan:?}");
                    found.push((plan.clone(), ids));
                }
                let (_, expected) = &found[0];
                assert!(q == "zzz" || !expected.is_empty(), "{q:?} finds somebody");
                for (plan, ids) in &found {
                    assert_eq!(ids, expected, "{q:?} sorted by {sort:?} with {plan:?}");
                }
            }
        }
    }
}
