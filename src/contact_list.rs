//! The Contacts page's logic, apart from any view: the list's filters as the API's query (for a
//! page of contacts and for the export), the CSV import's column mapping, and what a merge will
//! do. Tested natively.

use std::collections::BTreeMap;
use switchboard_domain::api::API_BASE;
use switchboard_domain::contacts::{ContactCard, ContactSort, ImportColumn, ImportField};
use switchboard_domain::{ContactId, TagId};

/// Which page under `/contacts` an address names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactsAddress {
    /// `/contacts`: the list.
    List,
    /// `/contacts/import`.
    Import,
    /// `/contacts/12`: a contact's page.
    Contact(ContactId),
    Unknown,
}

impl ContactsAddress {
    /// Reads what follows `/contacts/` in the path.
    pub fn parse(rest: &str) -> ContactsAddress {
        match rest.trim_matches('/') {
            "" => ContactsAddress::List,
            "import" => ContactsAddress::Import,
            id => match id.parse::<i64>() {
                Ok(id) if id > 0 => ContactsAddress::Contact(ContactId(id)),
                _ => ContactsAddress::Unknown,
            },
        }
    }
}

/// Contacts fetched per page as the list scrolls.
pub const PAGE_SIZE: u32 = 100;

/// What the list shows: a search, a tag, a property's value, an order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContactFilters {
    pub q: String,
    pub tag: Option<TagId>,
    /// A property key and the value it must hold; used once both are given.
    pub property: String,
    pub value: String,
    pub sort: ContactSort,
}

impl ContactFilters {
    /// The property filter, if it is complete.
    pub fn property_filter(&self) -> Option<(&str, &str)> {
        let (key, value) = (self.property.trim(), self.value.trim());
        (!key.is_empty() && !value.is_empty()).then_some((key, value))
    }

    /// The query pairs the list and the export share.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![("sort", self.sort.as_str().to_owned())];
        let q = self.q.trim();
        if !q.is_empty() {
            pairs.push(("q", q.to_owned()));
        }
        if let Some(tag) = self.tag {
            pairs.push(("tag", tag.to_string()));
        }
        if let Some((key, value)) = self.property_filter() {
            pairs.push(("property", key.to_owned()));
            pairs.push(("value", value.to_owned()));
        }
        pairs
    }

    /// The pairs of one page of the list: `cursor` is the previous page's `next_cursor`.
    pub fn page_pairs(&self, cursor: Option<&str>) -> Vec<(&'static str, String)> {
        let mut pairs = self.pairs();
        pairs.push(("limit", PAGE_SIZE.to_string()));
        if let Some(cursor) = cursor {
            pairs.push(("cursor", cursor.to_owned()));
        }
        pairs
    }

    /// The address of the CSV of the contacts these filters find.
    pub fn export_address(&self, separator: Separator) -> String {
        let mut pairs = self.pairs();
        if separator == Separator::Semicolon {
            pairs.push(("separator", "semicolon".to_owned()));
        }
        format!("{API_BASE}/contacts/export?{}", query_string(&pairs))
    }
}

/// The separator of an exported file: commas, or semicolons as spreadsheets set to French
/// (and other decimal-comma languages) read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Separator {
    #[default]
    Comma,
    Semicolon,
}

/// `a=1&b=x%20y`, each value encoded for a URL.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={}", encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes everything but the unreserved characters of RFC 3986.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The value of a column's field in the import's select: `""` for an ignored column,
/// `property:key` for a custom property.
pub fn field_value(field: Option<&ImportField>) -> String {
    match field {
        None => String::new(),
        Some(ImportField::Property(key)) => format!("property:{key}"),
        Some(field) => serde_json::to_value(field)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
    }
}

/// The field a select's value names ([`field_value`] read back).
pub fn parse_field(value: &str) -> Option<ImportField> {
    if value.is_empty() {
        return None;
    }
    if let Some(key) = value.strip_prefix("property:") {
        return Some(ImportField::Property(key.to_owned()));
    }
    serde_json::from_value(serde_json::Value::String(value.to_owned())).ok()
}

/// The fields every import offers, in the order the select lists them.
pub const FIELDS: [ImportField; 8] = [
    ImportField::FirstName,
    ImportField::LastName,
    ImportField::FullName,
    ImportField::Company,
    ImportField::Role,
    ImportField::Phone,
    ImportField::Email,
    ImportField::Tags,
];

/// The `mapping` parameter of an import: every column's field, as the reader chose or the
/// server read it (`null` to ignore it).
pub fn mapping_json(columns: &[ImportColumn]) -> String {
    let mapping: BTreeMap<&str, Option<&ImportField>> = columns
        .iter()
        .map(|column| (column.header.as_str(), column.field.as_ref()))
        .collect();
    serde_json::to_string(&mapping).unwrap_or_else(|_| "{}".to_owned())
}

/// What merging `other` into `kept` gives: the union of their numbers, emails and tags, the
/// kept contact's first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergePreview {
    pub numbers: Vec<String>,
    pub emails: Vec<String>,
    pub tags: Vec<TagId>,
}

pub fn merge_preview(kept: &ContactCard, other: &ContactCard) -> MergePreview {
    fn union<T: PartialEq + Clone>(
        first: impl Iterator<Item = T>,
        then: impl Iterator<Item = T>,
    ) -> Vec<T> {
        let mut all: Vec<T> = Vec::new();
        for item in first.chain(then) {
            if !all.contains(&item) {
                all.push(item);
            }
        }
        all
    }
    MergePreview {
        numbers: union(
            kept.phones.iter().map(|p| p.number.clone()),
            other.phones.iter().map(|p| p.number.clone()),
        ),
        emails: union(
            kept.emails.iter().map(|e| e.address.to_lowercase()),
            other.emails.iter().map(|e| e.address.to_lowercase()),
        ),
        tags: union(kept.tags.iter().copied(), other.tags.iter().copied()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_domain::contacts::{ContactEmail, ContactPhone};

    #[test]
    fn the_contacts_addresses_name_the_list_the_import_or_a_contact() {
        assert_eq!(ContactsAddress::parse(""), ContactsAddress::List);
        assert_eq!(ContactsAddress::parse("/"), ContactsAddress::List);
        assert_eq!(ContactsAddress::parse("import"), ContactsAddress::Import);
        assert_eq!(
            ContactsAddress::parse("42"),
            ContactsAddress::Contact(ContactId(42))
        );
        for other in ["0", "-3", "x", "42/notes", "import/x"] {
            assert_eq!(
                ContactsAddress::parse(other),
                ContactsAddress::Unknown,
                "{other}"
            );
        }
    }

    #[test]
    fn filters_become_the_query_of_a_page_and_of_the_export() {
        let filters = ContactFilters {
            q: "  ana bell ".to_owned(),
            tag: Some(TagId(4)),
            property: "plan".to_owned(),
            value: "Pro".to_owned(),
            sort: ContactSort::Updated,
        };
        assert_eq!(
            filters.page_pairs(Some("1.zz")),
            vec![
                ("sort", "updated".to_owned()),
                ("q", "ana bell".to_owned()),
                ("tag", "4".to_owned()),
                ("property", "plan".to_owned()),
                ("value", "Pro".to_owned()),
                ("limit", PAGE_SIZE.to_string()),
                ("cursor", "1.zz".to_owned()),
            ]
        );
        assert_eq!(
            filters.export_address(Separator::Semicolon),
            "/api/v1/contacts/export?sort=updated&q=ana%20bell&tag=4&property=plan&value=Pro&separator=semicolon"
        );
        assert_eq!(
            ContactFilters::default().export_address(Separator::Comma),
            "/api/v1/contacts/export?sort=name"
        );
    }

    #[test]
    fn a_property_filter_needs_its_value() {
        let filters = ContactFilters {
            property: "plan".to_owned(),
            ..ContactFilters::default()
        };
        assert_eq!(filters.property_filter(), None);
        assert_eq!(filters.pairs(), vec![("sort", "name".to_owned())]);
    }

    #[test]
    fn values_are_encoded_for_a_url() {
        assert_eq!(encode("Café & co+1"), "Caf%C3%A9%20%26%20co%2B1");
        assert_eq!(encode("a-b_c.d~"), "a-b_c.d~");
    }

    #[test]
    fn fields_round_trip_through_the_selects_values() {
        for field in FIELDS
            .into_iter()
            .chain([ImportField::Property("plan".to_owned())])
        {
            let value = field_value(Some(&field));
            assert!(!value.is_empty());
            assert_eq!(parse_field(&value), Some(field));
        }
        assert_eq!(field_value(None), "");
        assert_eq!(parse_field(""), None);
        assert_eq!(field_value(Some(&ImportField::FirstName)), "first_name");
    }

    #[test]
    fn the_mapping_names_every_column() {
        let columns = vec![
            ImportColumn {
                header: "Prénom".to_owned(),
                field: Some(ImportField::FirstName),
            },
            ImportColumn {
                header: "Plan".to_owned(),
                field: Some(ImportField::Property("plan".to_owned())),
            },
            ImportColumn {
                header: "Notes".to_owned(),
                field: None,
            },
        ];
        assert_eq!(
            mapping_json(&columns),
            r#"{"Notes":null,"Plan":{"property":"plan"},"Prénom":"first_name"}"#
        );
    }

    fn card(id: i64, numbers: &[&str], emails: &[&str], tags: &[i64]) -> ContactCard {
        ContactCard {
            id: ContactId(id),
            name: format!("Contact {id}"),
            first_name: None,
            last_name: None,
            company: None,
            role: None,
            phones: numbers
                .iter()
                .map(|n| ContactPhone {
                    number: n.to_string(),
                    label: "mobile".to_owned(),
                })
                .collect(),
            emails: emails
                .iter()
                .map(|a| ContactEmail {
                    address: a.to_string(),
                    label: String::new(),
                })
                .collect(),
            tags: tags.iter().map(|t| TagId(*t)).collect(),
            properties: BTreeMap::new(),
            source: "switchboard".to_owned(),
            external_id: None,
            created_by: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn a_merge_unites_numbers_emails_and_tags_the_kept_contacts_first() {
        let kept = card(1, &["+15550100001"], &["ana@example.com"], &[1, 2]);
        let other = card(
            2,
            &["+15550100002", "+15550100001"],
            &["ANA@example.com", "b@example.com"],
            &[2, 3],
        );
        assert_eq!(
            merge_preview(&kept, &other),
            MergePreview {
                numbers: vec!["+15550100001".to_owned(), "+15550100002".to_owned()],
                emails: vec!["ana@example.com".to_owned(), "b@example.com".to_owned()],
                tags: vec![TagId(1), TagId(2), TagId(3)],
            }
        );
    }
}
