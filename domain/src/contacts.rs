//! Contacts: the customers behind the numbers, with their tags, custom properties and notes.
//!
//! A phone number (E.164) ties conversations to a contact: it belongs to at most one contact of
//! the workspace. A number no contact has is an "unknown number".

use crate::ids::{ContactId, ContactNoteId, ConversationId, MemberId, TagId};
use crate::team::MemberRef;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// The longest name, company, role, label or email, in characters.
pub const MAX_FIELD_CHARS: usize = 200;
/// The longest tag name.
pub const MAX_TAG_CHARS: usize = 40;
/// The longest note.
pub const MAX_NOTE_CHARS: usize = 4000;
/// The longest text (or address) property value.
pub const MAX_PROPERTY_TEXT_CHARS: usize = 2000;
/// The most numbers, emails or tags on one contact.
pub const MAX_PER_CONTACT: usize = 50;
/// Contacts per page when the client does not say, and the most it may ask for.
pub const DEFAULT_CONTACT_PAGE: u32 = 50;
pub const MAX_CONTACT_PAGE: u32 = 500;

/// Why a phone number was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    Empty,
    /// Something other than digits, spaces and `+ - . ( ) /`.
    Characters,
    /// Not in international form (`+` and the country code), and no default country given.
    National,
    /// Too few or too many digits for a phone number (E.164 allows 15).
    Length,
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NumberError::Empty => "the number is empty",
            NumberError::Characters => "a phone number holds digits, spaces and + - . ( ) only",
            NumberError::National => {
                "write the number with its country code (+1…, +33…) or give a default country"
            }
            NumberError::Length => "a phone number has 7 to 15 digits with its country code",
        })
    }
}

/// A number written as people write it ("+1 (555) 010-0200", "0033 6 12 34 56 78") in E.164
/// ("+15550100200"). National numbers need the country's rules, which the server applies with
/// a phone-number library; this is the part every client and the server share.
pub fn normalise_number(written: &str) -> Result<String, NumberError> {
    let written = written.trim();
    if written.is_empty() {
        return Err(NumberError::Empty);
    }
    let mut digits = String::with_capacity(16);
    let mut plus = false;
    for (index, character) in written.chars().enumerate() {
        match character {
            '0'..='9' => digits.push(character),
            '+' if index == 0 => plus = true,
            ' ' | '\u{a0}' | '\u{202f}' | '-' | '.' | '(' | ')' | '/' => {}
            _ => return Err(NumberError::Characters),
        }
    }
    let international = if plus {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_owned()
    } else {
        return Err(NumberError::National);
    };
    if !(7..=15).contains(&international.len()) || international.starts_with('0') {
        return Err(NumberError::Length);
    }
    Ok(format!("+{international}"))
}

/// Whether `address` looks like an email address: one `@`, something before it, a domain with a
/// dot after it, no spaces.
pub fn is_email(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && address.chars().count() <= MAX_FIELD_CHARS
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !address.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A tag's colour, from a palette that reads in light and dark themes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum TagColour {
    #[default]
    Grey,
    Red,
    Orange,
    Yellow,
    Green,
    Teal,
    Blue,
    Purple,
    Pink,
}

impl TagColour {
    pub const ALL: [TagColour; 9] = [
        TagColour::Grey,
        TagColour::Red,
        TagColour::Orange,
        TagColour::Yellow,
        TagColour::Green,
        TagColour::Teal,
        TagColour::Blue,
        TagColour::Purple,
        TagColour::Pink,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TagColour::Grey => "grey",
            TagColour::Red => "red",
            TagColour::Orange => "orange",
            TagColour::Yellow => "yellow",
            TagColour::Green => "green",
            TagColour::Teal => "teal",
            TagColour::Blue => "blue",
            TagColour::Purple => "purple",
            TagColour::Pink => "pink",
        }
    }

    pub fn parse(name: &str) -> Option<TagColour> {
        TagColour::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// The colour a new tag gets when none is asked for: spread over the palette by name, so
    /// that tags created on the fly do not all look alike.
    pub fn for_name(name: &str) -> TagColour {
        let sum: u32 = name.bytes().map(u32::from).sum();
        TagColour::ALL[(sum as usize) % TagColour::ALL.len()]
    }
}

/// A workspace tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tag {
    pub id: TagId,
    pub name: String,
    pub colour: TagColour,
}

/// `GET /api/v1/tags`: by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagList {
    pub tags: Vec<Tag>,
}

/// `POST /api/v1/tags` (anyone); `PATCH /api/v1/tags/{id}` (owners and admins) changes what is
/// given.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TagInput {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub colour: Option<TagColour>,
}

/// A tag name as stored: trimmed, inner spaces collapsed, 1 to [`MAX_TAG_CHARS`] characters.
pub fn tag_name(written: &str) -> Result<String, String> {
    let name = written.split_whitespace().collect::<Vec<_>>().join(" ");
    match name.chars().count() {
        0 => Err("a tag needs a name".to_owned()),
        n if n > MAX_TAG_CHARS => Err(format!("a tag name has at most {MAX_TAG_CHARS} characters")),
        _ if name.chars().any(char::is_control) => {
            Err("a tag name cannot hold control characters".to_owned())
        }
        _ => Ok(name),
    }
}

/// What a custom property holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PropertyType {
    Text,
    Number,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// An `http` or `https` address.
    Url,
    /// A postal address (text on several lines).
    Address,
    Boolean,
    /// One of the property's options.
    SingleChoice,
    /// Any of the property's options (a list).
    MultipleChoice,
}

impl PropertyType {
    pub fn as_str(self) -> &'static str {
        match self {
            PropertyType::Text => "text",
            PropertyType::Number => "number",
            PropertyType::Date => "date",
            PropertyType::Url => "url",
            PropertyType::Address => "address",
            PropertyType::Boolean => "boolean",
            PropertyType::SingleChoice => "single_choice",
            PropertyType::MultipleChoice => "multiple_choice",
        }
    }

    pub fn parse(name: &str) -> Option<PropertyType> {
        use PropertyType::*;
        [
            Text,
            Number,
            Date,
            Url,
            Address,
            Boolean,
            SingleChoice,
            MultipleChoice,
        ]
        .into_iter()
        .find(|t| t.as_str() == name)
    }

    pub fn has_options(self) -> bool {
        matches!(
            self,
            PropertyType::SingleChoice | PropertyType::MultipleChoice
        )
    }
}

/// A custom property that owners and admins define for every contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PropertyDefinition {
    /// Stable, for the API and CSV: lowercase letters, digits and `_`.
    pub key: String,
    /// What people read.
    pub name: String,
    #[serde(rename = "type")]
    pub kind: PropertyType,
    /// The choices of a single or multiple choice property, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// Where it shows, from 0.
    pub position: u32,
}

/// `GET /api/v1/contact-properties`: in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PropertyList {
    pub properties: Vec<PropertyDefinition>,
}

/// `POST /api/v1/contact-properties` (all but `position` required; a new property goes last)
/// and `PATCH /api/v1/contact-properties/{key}` (what is given changes; the type never does).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PropertyInput {
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<PropertyType>,
    #[serde(default)]
    pub options: Option<Vec<String>>,
    #[serde(default)]
    pub position: Option<u32>,
}

/// Whether `key` is a property key: 1 to 40 of `a-z`, `0-9`, `_`, starting with a letter.
pub fn is_property_key(key: &str) -> bool {
    (1..=40).contains(&key.len())
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// A value refused for a property, with the property's name in the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyError {
    pub key: String,
    pub message: String,
}

impl fmt::Display for PropertyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Checks `value` against `property` and returns it as stored: `None` clears the value (JSON
/// `null`, an empty string or an empty list). Strings are accepted for every type, as CSV
/// files and forms write them ("12.5", "yes", "2026-03-01", "Basic, Pro").
pub fn validate_property_value(
    property: &PropertyDefinition,
    value: &Value,
) -> Result<Option<Value>, PropertyError> {
    let refuse = |why: String| PropertyError {
        key: property.key.clone(),
        message: format!("“{}” {why}", property.name),
    };
    if let Value::String(text) = value {
        if text.trim().is_empty() {
            return Ok(None);
        }
    }
    match (property.kind, value) {
        (_, Value::Null) => Ok(None),
        (PropertyType::Text | PropertyType::Address, Value::String(text)) => {
            let text = text.trim();
            if text.chars().count() > MAX_PROPERTY_TEXT_CHARS {
                return Err(refuse(format!(
                    "holds at most {MAX_PROPERTY_TEXT_CHARS} characters"
                )));
            }
            if property.kind == PropertyType::Text && text.contains(['\n', '\r']) {
                return Err(refuse("is one line of text".to_owned()));
            }
            Ok(Some(Value::String(text.to_owned())))
        }
        (PropertyType::Number, Value::Number(number)) => match number.as_f64() {
            Some(n) if n.is_finite() => Ok(Some(Value::Number(number.clone()))),
            _ => Err(refuse("must be a number".to_owned())),
        },
        (PropertyType::Number, Value::String(text)) => {
            let written = text.trim().replace([' ', '\u{a0}', '\u{202f}'], "");
            // French spreadsheets write decimal commas.
            let written = if written.contains(',') && !written.contains('.') {
                written.replace(',', ".")
            } else {
                written
            };
            match written.parse::<f64>() {
                Ok(n) if n.is_finite() && !written.contains(['e', 'E', 'i', 'n', 'N']) => {
                    Ok(Some(number_value(n)))
                }
                _ => Err(refuse(format!("must be a number, not {:?}", text.trim()))),
            }
        }
        (PropertyType::Date, Value::String(text)) => match parse_date(text.trim()) {
            Some(date) => Ok(Some(Value::String(date))),
            None => Err(refuse(format!(
                "must be a date written YYYY-MM-DD, not {:?}",
                text.trim()
            ))),
        },
        (PropertyType::Url, Value::String(text)) => {
            let url = text.trim();
            let host = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"))
                .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""));
            match host {
                Some(host)
                    if !host.is_empty()
                        && url.chars().count() <= MAX_PROPERTY_TEXT_CHARS
                        && !url.chars().any(|c| c.is_whitespace() || c.is_control()) =>
                {
                    Ok(Some(Value::String(url.to_owned())))
                }
                _ => Err(refuse(format!(
                    "must be a web address starting with https://, not {url:?}"
                ))),
            }
        }
        (PropertyType::Boolean, Value::Bool(b)) => Ok(Some(Value::Bool(*b))),
        (PropertyType::Boolean, Value::String(text)) => match text.trim().to_lowercase().as_str() {
            "true" | "yes" | "y" | "1" | "oui" | "vrai" | "x" => Ok(Some(Value::Bool(true))),
            "false" | "no" | "n" | "0" | "non" | "faux" => Ok(Some(Value::Bool(false))),
            _ => Err(refuse(format!("must be yes or no, not {:?}", text.trim()))),
        },
        (PropertyType::SingleChoice, Value::String(text)) => match option(property, text) {
            Some(choice) => Ok(Some(Value::String(choice))),
            None => Err(refuse(format!(
                "must be one of {}, not {:?}",
                property.options.join(", "),
                text.trim()
            ))),
        },
        (PropertyType::MultipleChoice, Value::String(text)) => {
            let items: Vec<Value> = text
                .split([',', ';'])
                .map(|item| Value::String(item.to_owned()))
                .collect();
            validate_property_value(property, &Value::Array(items))
        }
        (PropertyType::MultipleChoice, Value::Array(items)) => {
            let mut chosen: Vec<String> = Vec::new();
            for item in items {
                let Value::String(text) = item else {
                    return Err(refuse("must be a list of its options".to_owned()));
                };
                if text.trim().is_empty() {
                    continue;
                }
                match option(property, text) {
                    Some(choice) if !chosen.contains(&choice) => chosen.push(choice),
                    Some(_) => {}
                    None => {
                        return Err(refuse(format!(
                            "takes {}, not {:?}",
                            property.options.join(", "),
                            text.trim()
                        )))
                    }
                }
            }
            // In the options' order, so that equal choices compare equal.
            chosen.sort_by_key(|c| property.options.iter().position(|o| o == c));
            if chosen.is_empty() {
                Ok(None)
            } else {
                Ok(Some(Value::Array(
                    chosen.into_iter().map(Value::String).collect(),
                )))
            }
        }
        (kind, _) => Err(refuse(format!("does not take this value (it is {})", {
            match kind {
                PropertyType::Text | PropertyType::Address => "text",
                PropertyType::Number => "a number",
                PropertyType::Date => "a date",
                PropertyType::Url => "a web address",
                PropertyType::Boolean => "yes or no",
                PropertyType::SingleChoice => "one choice",
                PropertyType::MultipleChoice => "a list of choices",
            }
        }))),
    }
}

/// Whole numbers stay integers in JSON ("3", not "3.0").
fn number_value(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9e15 {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

/// The option `written` names, ignoring case and surrounding spaces.
fn option(property: &PropertyDefinition, written: &str) -> Option<String> {
    let written = written.trim();
    property
        .options
        .iter()
        .find(|o| o.eq_ignore_ascii_case(written) || o.to_lowercase() == written.to_lowercase())
        .cloned()
}

/// `YYYY-MM-DD` (or the date of a `YYYY-MM-DDT…` date-time, as Quo sends), checked against the
/// calendar.
fn parse_date(written: &str) -> Option<String> {
    let date = written.get(..10)?;
    if written.len() > 10 && !written[10..].starts_with('T') {
        return None;
    }
    let bytes = date.as_bytes();
    if bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year: u32 = date[..4].parse().ok()?;
    let month: u32 = date[5..7].parse().ok()?;
    let day: u32 = date[8..10].parse().ok()?;
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (year >= 1 && (1..=days).contains(&day)).then(|| date.to_owned())
}

/// One of a contact's numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactPhone {
    /// E.164 when read; any written form (with `default_country` for national ones) when sent.
    pub number: String,
    /// "mobile", "work", "home"… (free text; "mobile" when not given).
    #[serde(default)]
    pub label: String,
}

/// One of a contact's email addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactEmail {
    pub address: String,
    #[serde(default)]
    pub label: String,
}

/// A contact as every teammate sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactCard {
    pub id: ContactId,
    /// What lists show: first and last name, else the company, else the first number.
    pub name: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub role: Option<String>,
    pub phones: Vec<ContactPhone>,
    pub emails: Vec<ContactEmail>,
    pub tags: Vec<TagId>,
    /// By property key; only properties with a value.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub properties: BTreeMap<String, Value>,
    /// Where it came from: `switchboard` (by hand), `conversation`, `csv`, `openphone`…
    pub source: String,
    /// Its id where it came from (Quo's contact id).
    pub external_id: Option<String>,
    pub created_by: Option<MemberRef>,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    pub updated_at: i64,
}

/// The name a contact is shown by.
pub fn display_name(
    first_name: Option<&str>,
    last_name: Option<&str>,
    company: Option<&str>,
    first_number: Option<&str>,
) -> String {
    let person = [first_name, last_name]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if !person.is_empty() {
        return person;
    }
    match (company, first_number) {
        (Some(company), _) if !company.is_empty() => company.to_owned(),
        (_, Some(number)) => crate::phone::display_number(number),
        _ => String::new(),
    }
}

/// `GET /api/v1/contacts`: one page, in the order asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactList {
    pub contacts: Vec<ContactCard>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// How many contacts match, over all pages: on the first page only.
    pub total: Option<u64>,
}

/// The order of a contact list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContactSort {
    /// By display name, A to Z.
    #[default]
    Name,
    /// Newest first.
    Created,
    /// Most recently changed first.
    Updated,
}

impl ContactSort {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactSort::Name => "name",
            ContactSort::Created => "created",
            ContactSort::Updated => "updated",
        }
    }
}

/// `POST /api/v1/contacts` and `PATCH /api/v1/contacts/{id}`: what is given is set, what is
/// absent stays; an empty string clears a name field. `phones`, `emails` and `tags` replace
/// the whole list; `properties` sets the keys given (`null` clears one) and leaves the others.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phones: Option<Vec<ContactPhone>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emails: Option<Vec<ContactEmail>>,
    /// Tag names; a name the workspace does not have yet is created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub properties: Option<BTreeMap<String, Value>>,
    /// A country (ISO 3166 code, e.g. `FR`) for national numbers in `phones`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_country: Option<String>,
}

/// A name field as stored: trimmed, `None` when empty, at most [`MAX_FIELD_CHARS`].
pub fn name_field(field: &str, written: &str) -> Result<Option<String>, String> {
    let value = written.trim();
    if value.chars().count() > MAX_FIELD_CHARS {
        return Err(format!("{field} has at most {MAX_FIELD_CHARS} characters"));
    }
    if value.chars().any(char::is_control) {
        return Err(format!(
            "{field} cannot hold control characters or line breaks"
        ));
    }
    Ok((!value.is_empty()).then(|| value.to_owned()))
}

/// A note on a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactNote {
    pub id: ContactNoteId,
    pub contact_id: ContactId,
    pub author: MemberRef,
    pub text: String,
    pub mentions: Vec<MemberId>,
    /// The conversation it came from, if any.
    pub conversation_id: Option<ConversationId>,
    pub at: i64,
    pub edited_at: Option<i64>,
}

/// `POST /api/v1/contacts/{id}/notes`, and `PATCH …/notes/{note_id}` (text and mentions only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactNoteInput {
    pub text: String,
    #[serde(default)]
    pub mentions: Vec<MemberId>,
    #[serde(default)]
    pub conversation_id: Option<ConversationId>,
}

/// One entry of a contact's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactHistoryEntry {
    /// `created`, `updated`, `merged`, `imported`, `synced`.
    pub action: String,
    /// What changed, for people ("first name, tags"; "merged with Ana B. (#12)").
    pub detail: String,
    pub by: Option<MemberRef>,
    pub at: i64,
}

/// `GET /api/v1/contacts/{id}`: the contact, its notes (those the reader may see, newest
/// first), its conversations on the reader's lines, and its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactPage {
    pub contact: ContactCard,
    pub notes: Vec<ContactNote>,
    pub conversations: Vec<crate::api::ConversationSummary>,
    pub history: Vec<ContactHistoryEntry>,
}

/// `POST /api/v1/contacts/{id}/merge`: `other_id` is merged into `id` and removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    pub other_id: ContactId,
}

/// A contact field a CSV column can fill.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportField {
    FirstName,
    LastName,
    /// "Ana Bell" in one column: the first word is the first name.
    FullName,
    Company,
    Role,
    Phone,
    Email,
    Tags,
    /// A custom property, by key.
    Property(String),
}

/// How one CSV column was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportColumn {
    pub header: String,
    /// `None`: the column is ignored.
    pub field: Option<ImportField>,
}

/// A row the import could not take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RejectedRow {
    /// The row's line in the file (the header is line 1).
    pub line: u64,
    pub reason: String,
    pub values: Vec<String>,
}

/// What `POST /api/v1/contacts/import` did (or, with `preview=true`, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub preview: bool,
    pub columns: Vec<ImportColumn>,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: Vec<RejectedRow>,
    /// The rejected rows as CSV (the file's header plus a "Reason" column), to download.
    pub rejected_csv: String,
    /// The first rows as they would be stored (a preview only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sample: Vec<ContactInput>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn property(kind: PropertyType, options: &[&str]) -> PropertyDefinition {
        PropertyDefinition {
            key: "plan".into(),
            name: "Plan".into(),
            kind,
            options: options.iter().map(|s| s.to_string()).collect(),
            position: 0,
        }
    }

    #[test]
    fn numbers_are_read_in_the_forms_people_write() {
        for (written, e164) in [
            ("+1 (555) 010-0200", "+15550100200"),
            ("0033 6 12 34 56 78", "+33612345678"),
            ("+33.6.12.34.56.78", "+33612345678"),
            ("+44 20/7946 0958", "+442079460958"),
        ] {
            assert_eq!(normalise_number(written).as_deref(), Ok(e164), "{written}");
        }
        assert_eq!(normalise_number("  "), Err(NumberError::Empty));
        assert_eq!(
            normalise_number("06 12 34 56 78"),
            Err(NumberError::National)
        );
        assert_eq!(
            normalise_number("+1 555 CALL"),
            Err(NumberError::Characters)
        );
        assert_eq!(normalise_number("+12"), Err(NumberError::Length));
        assert_eq!(
            normalise_number("+1234567890123456"),
            Err(NumberError::Length)
        );
    }

    proptest! {
        #[test]
        fn a_number_normalises_to_e164_whatever_the_separators(
            digits in "[1-9][0-9]{6,14}",
            separators in proptest::collection::vec(prop_oneof![
                Just(""), Just(" "), Just("-"), Just("."), Just("("), Just(")"), Just("/")
            ], 16),
            double_zero in any::<bool>(),
        ) {
            let mut written = String::from(if double_zero { "00" } else { "+" });
            for (digit, separator) in digits.chars().zip(separators.iter()) {
                written.push(digit);
                written.push_str(separator);
            }
            let e164 = normalise_number(&written).unwrap();
            prop_assert_eq!(&e164, &format!("+{digits}"));
            // Normalising again changes nothing.
            prop_assert_eq!(normalise_number(&e164).unwrap(), e164);
        }

        #[test]
        fn whatever_is_accepted_is_e164(written in "\\PC{0,24}") {
            if let Ok(e164) = normalise_number(&written) {
                prop_assert!(e164.starts_with('+'));
                prop_assert!((8..=16).contains(&e164.len()));
                prop_assert!(e164[1..].bytes().all(|b| b.is_ascii_digit()));
                prop_assert!(!e164[1..].starts_with('0'));
            }
        }

        #[test]
        fn a_valid_value_is_valid_again_and_unchanged(
            kind in prop_oneof![
                Just(PropertyType::Text), Just(PropertyType::Number), Just(PropertyType::Date),
                Just(PropertyType::Url), Just(PropertyType::Address), Just(PropertyType::Boolean),
                Just(PropertyType::SingleChoice), Just(PropertyType::MultipleChoice),
            ],
            written in prop_oneof![
                "\\PC{0,30}", "-?[0-9]{1,6}([.,][0-9]{1,3})?", "(19|20)[0-9]{2}-[01][0-9]-[0-3][0-9]",
                "https?://[a-z]{1,10}\\.[a-z]{2,3}(/[a-z]{0,5})?", "(yes|no|oui|non|true|false)",
                "(basic|Pro|ENTERPRISE)(, ?(basic|pro|enterprise)){0,3}",
            ],
        ) {
            let definition = property(kind, &["Basic", "Pro", "Enterprise"]);
            if let Ok(Some(stored)) = validate_property_value(&definition, &json!(written)) {
                prop_assert_eq!(
                    validate_property_value(&definition, &stored),
                    Ok(Some(stored.clone()))
                );
            }
        }

        #[test]
        fn a_refusal_names_the_property(kind in prop_oneof![
            Just(PropertyType::Number), Just(PropertyType::Date), Just(PropertyType::Url),
            Just(PropertyType::Boolean), Just(PropertyType::SingleChoice),
        ], junk in "[a-z]{3,12}") {
            let definition = property(kind, &["Basic", "Pro"]);
            if let Err(error) = validate_property_value(&definition, &json!(format!("z{junk}"))) {
                prop_assert!(error.message.starts_with("“Plan”"), "{}", error.message);
                prop_assert_eq!(error.key, "plan");
            } else {
                prop_assert!(false, "z{} was accepted as {:?}", junk, kind);
            }
        }
    }

    #[test]
    fn values_are_checked_by_type() {
        let number = property(PropertyType::Number, &[]);
        assert_eq!(
            validate_property_value(&number, &json!("12,5")),
            Ok(Some(json!(12.5)))
        );
        assert_eq!(
            validate_property_value(&number, &json!("3")),
            Ok(Some(json!(3)))
        );
        assert!(validate_property_value(&number, &json!("NaN")).is_err());
        assert!(validate_property_value(&number, &json!(true)).is_err());
        let date = property(PropertyType::Date, &[]);
        assert_eq!(
            validate_property_value(&date, &json!("2024-02-29")),
            Ok(Some(json!("2024-02-29")))
        );
        assert_eq!(
            validate_property_value(&date, &json!("2024-02-29T10:00:00Z")),
            Ok(Some(json!("2024-02-29")))
        );
        assert!(validate_property_value(&date, &json!("2023-02-29")).is_err());
        assert!(validate_property_value(&date, &json!("29/02/2024")).is_err());
        let url = property(PropertyType::Url, &[]);
        assert!(validate_property_value(&url, &json!("https://example.com/a")).is_ok());
        assert!(validate_property_value(&url, &json!("javascript:alert(1)")).is_err());
        let flag = property(PropertyType::Boolean, &[]);
        assert_eq!(
            validate_property_value(&flag, &json!("Oui")),
            Ok(Some(json!(true)))
        );
        let single = property(PropertyType::SingleChoice, &["Basic", "Pro"]);
        assert_eq!(
            validate_property_value(&single, &json!("pro")),
            Ok(Some(json!("Pro")))
        );
        let error = validate_property_value(&single, &json!("Gold")).unwrap_err();
        assert_eq!(
            error.message,
            "“Plan” must be one of Basic, Pro, not \"Gold\""
        );
        let multiple = property(PropertyType::MultipleChoice, &["A", "B", "C"]);
        assert_eq!(
            validate_property_value(&multiple, &json!("c; a, A")),
            Ok(Some(json!(["A", "C"])))
        );
        assert_eq!(validate_property_value(&multiple, &json!([])), Ok(None));
        let text = property(PropertyType::Text, &[]);
        assert_eq!(validate_property_value(&text, &json!("  ")), Ok(None));
        assert_eq!(validate_property_value(&text, &Value::Null), Ok(None));
        assert!(validate_property_value(&text, &json!("two\nlines")).is_err());
        let address = property(PropertyType::Address, &[]);
        assert!(validate_property_value(&address, &json!("1 rue de la Paix\n75002 Paris")).is_ok());
    }

    #[test]
    fn names_show_the_person_then_the_company_then_the_number() {
        assert_eq!(
            display_name(Some("Ana"), Some("Bell"), Some("Acme"), None),
            "Ana Bell"
        );
        assert_eq!(display_name(None, Some("Bell"), None, None), "Bell");
        assert_eq!(
            display_name(None, None, Some("Acme"), Some("+15550100200")),
            "Acme"
        );
        assert_eq!(
            display_name(None, None, None, Some("+15550100200")),
            "(555) 010-0200"
        );
    }

    #[test]
    fn emails_and_tags_are_checked() {
        assert!(is_email("ana@example.com"));
        assert!(!is_email("ana@example"));
        assert!(!is_email("ana example@x.com"));
        assert!(!is_email("@x.com"));
        assert_eq!(tag_name("  VIP   client "), Ok("VIP client".to_owned()));
        assert!(tag_name(" ").is_err());
        assert!(tag_name(&"x".repeat(41)).is_err());
        assert!(is_property_key("plan_2"));
        assert!(!is_property_key("2plan"));
        assert!(!is_property_key("Plan"));
    }
}
