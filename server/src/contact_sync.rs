//! Quo's `contact.updated` and `contact.deleted` events applied to our contacts: Quo's contact
//! (by its id, else by one of its numbers) takes Quo's names, numbers, emails and the values of
//! the custom fields whose key is one of our properties.

use crate::db::contacts::{self, Draft, Failure, Origin, Refused};
use crate::db::{Db, DbError};
use crate::webhook::quo::QuoContact;
use switchboard_domain::contacts::{
    is_email, name_field, validate_property_value, ContactEmail, ContactPhone,
};

/// Where Quo's contacts come from, as `source` says.
pub const SOURCE: &str = "openphone";

/// Applies one event; what it did, for the webhook's receipt.
pub async fn apply(db: &Db, quo: QuoContact, deleted: bool, now: i64) -> Result<String, DbError> {
    let known = contacts::by_external_id(db, SOURCE, &quo.id).await?;
    if deleted {
        return Ok(match known {
            Some(id) => match contacts::delete(db, id, now).await {
                Ok(()) => format!("contact {id} deleted"),
                Err(Failure::Db(error)) => return Err(error),
                Err(Failure::Refused(_)) => format!("contact {id} was gone"),
            },
            None => format!("Quo contact {} is not here", quo.id),
        });
    }
    let mut skipped = Vec::new();
    let mut phones: Vec<ContactPhone> = Vec::new();
    let mut target = known;
    for (label, written) in &quo.phones {
        let Ok(number) = switchboard_domain::contacts::normalise_number(written) else {
            skipped.push(format!("number {written:?}"));
            continue;
        };
        match contacts::by_number(db, &number).await? {
            Some(owner) if target.is_none() => target = Some(owner),
            Some(owner) if Some(owner) != target => {
                skipped.push(format!("{number} (contact {owner}'s)"));
                continue;
            }
            _ => {}
        }
        if !phones.iter().any(|p| p.number == number) {
            phones.push(ContactPhone {
                number,
                label: if label.is_empty() {
                    "mobile".to_owned()
                } else {
                    label.clone()
                },
            });
        }
    }
    let emails = quo
        .emails
        .iter()
        .filter(|(_, address)| is_email(address))
        .map(|(label, address)| ContactEmail {
            address: address.clone(),
            label: if label.is_empty() {
                "work".to_owned()
            } else {
                label.clone()
            },
        })
        .collect();
    let mut properties = std::collections::BTreeMap::new();
    let ours = contacts::properties(db).await?;
    for (key, value) in &quo.custom {
        match ours.iter().find(|p| &p.key == key) {
            Some(property) => match validate_property_value(property, value) {
                Ok(_) => {
                    properties.insert(key.clone(), value.clone());
                }
                Err(error) => skipped.push(error.message),
            },
            None => skipped.push(format!("custom field {key:?} (no such property here)")),
        }
    }
    let field = |value: &Option<String>| {
        Some(
            value
                .as_deref()
                .and_then(|v| name_field("name", v).ok().flatten()),
        )
    };
    let draft = Draft {
        first_name: field(&quo.first_name),
        last_name: field(&quo.last_name),
        company: field(&quo.company),
        role: field(&quo.role),
        phones: Some(phones),
        emails: Some(emails),
        tags: None,
        properties,
    };
    let outcome = match target {
        Some(id) => contacts::update(db, id, draft, None, now)
            .await
            .map(|card| format!("contact {} updated", card.id)),
        None => {
            let origin = Origin {
                source: SOURCE.to_owned(),
                external_id: Some(quo.id.clone()),
            };
            contacts::create(db, draft, origin, None, now)
                .await
                .map(|card| format!("contact {} created", card.id))
        }
    };
    let mut detail = match outcome {
        Ok(detail) => detail,
        Err(Failure::Db(error)) => return Err(error),
        Err(Failure::Refused(refused)) => format!("not kept: {}", reason(refused)),
    };
    if !skipped.is_empty() {
        detail.push_str(&format!("; left out: {}", skipped.join(", ")));
    }
    Ok(detail)
}

fn reason(refused: Refused) -> String {
    match refused {
        Refused::NumberTaken {
            number,
            contact,
            name,
        } => format!("{number} belongs to {name} (contact {contact})"),
        Refused::NotFound(m)
        | Refused::Invalid(m)
        | Refused::Conflict(m)
        | Refused::Forbidden(m) => m,
    }
}
