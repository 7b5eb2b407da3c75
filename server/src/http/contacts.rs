//! Contacts, their notes, merging, CSV import and export; the workspace's tags and contact
//! properties.

use crate::auth::CurrentMember;
use crate::db::contacts::{self as store, ContactQuery, Draft, Failure, Origin, Refused};
use crate::db::members::SessionMember;
use crate::error::extract::{Json, Path, Query};
use crate::error::AppError;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use switchboard_domain::api::ErrorResponse;
use switchboard_domain::contacts::{
    is_email, name_field, ContactCard, ContactEmail, ContactInput, ContactList, ContactNote,
    ContactNoteInput, ContactPage, ContactPhone, ContactSort, MergeRequest, PropertyDefinition,
    PropertyInput, PropertyList, Tag, TagInput, TagList, DEFAULT_CONTACT_PAGE, MAX_CONTACT_PAGE,
    MAX_NOTE_CHARS, MAX_PER_CONTACT,
};
use switchboard_domain::{ContactId, ContactNoteId, TagId};
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_contacts, create_contact))
        .routes(routes!(get_contact, update_contact, delete_contact))
        .routes(routes!(add_note))
        .routes(routes!(edit_note, delete_note))
        .routes(routes!(merge_contacts))
        .routes(routes!(list_tags, create_tag))
        .routes(routes!(update_tag, delete_tag))
        .routes(routes!(list_properties, create_property))
        .routes(routes!(update_property, delete_property))
}

impl From<Failure> for AppError {
    fn from(failure: Failure) -> AppError {
        match failure {
            Failure::Db(error) => error.into(),
            Failure::Refused(refused) => refused.into(),
        }
    }
}

impl From<Refused> for AppError {
    fn from(refused: Refused) -> AppError {
        match refused {
            Refused::NotFound(message) => AppError::NotFound(message),
            Refused::Invalid(message) => AppError::InvalidBody(message),
            Refused::Conflict(message) => AppError::Conflict(message),
            Refused::Forbidden(message) => AppError::Forbidden(message),
            Refused::NumberTaken {
                number,
                contact,
                name,
            } => AppError::NumberTaken {
                message: format!("{number} already belongs to {name} (contact {contact})"),
                contact,
            },
        }
    }
}

/// A path's property key, which is never stored when it is not a key's shape.
fn known_key(key: &str) -> Result<(), AppError> {
    match switchboard_domain::contacts::is_property_key(key) {
        true => Ok(()),
        false => Err(AppError::NotFound(format!("there is no property {key:?}"))),
    }
}

fn administrator(member: &SessionMember) -> Result<(), AppError> {
    match store::administers(member) {
        true => Ok(()),
        false => Err(AppError::Forbidden(
            "only owners and admins change the workspace's tags and properties".to_owned(),
        )),
    }
}

/// A number as sent, in E.164 (national numbers read with `country`).
pub fn phone_number(written: &str, country: Option<&str>) -> Result<String, String> {
    let country = country.map(crate::phone_numbers::country).transpose()?;
    crate::phone_numbers::normalise(written, country)
}

fn label(field: &str, written: &str, default: &str) -> Result<String, AppError> {
    let label = written.trim();
    if label.chars().count() > 40 || label.chars().any(char::is_control) {
        return Err(AppError::InvalidBody(format!(
            "{field} label {label:?}: at most 40 characters on one line"
        )));
    }
    Ok(match label.is_empty() {
        true => default.to_owned(),
        false => label.to_owned(),
    })
}

/// Checks a request's fields: names, numbers (to E.164), emails, tag names; property values
/// are checked against the properties in the transaction.
pub fn draft_of(input: ContactInput) -> Result<Draft, AppError> {
    let field = |name: &str, value: Option<String>| -> Result<Option<Option<String>>, AppError> {
        value
            .map(|v| name_field(name, &v).map_err(AppError::InvalidBody))
            .transpose()
    };
    let country = input.default_country.as_deref();
    let phones = match input.phones {
        None => None,
        Some(phones) => {
            if phones.len() > MAX_PER_CONTACT {
                return Err(AppError::InvalidBody(format!(
                    "a contact has at most {MAX_PER_CONTACT} numbers"
                )));
            }
            let mut out = Vec::with_capacity(phones.len());
            for phone in phones {
                let number = phone_number(&phone.number, country)
                    .map_err(|why| AppError::InvalidBody(format!("phones: {why}")))?;
                out.push(ContactPhone {
                    number,
                    label: label("phone", &phone.label, "mobile")?,
                });
            }
            Some(out)
        }
    };
    let emails = match input.emails {
        None => None,
        Some(emails) => {
            if emails.len() > MAX_PER_CONTACT {
                return Err(AppError::InvalidBody(format!(
                    "a contact has at most {MAX_PER_CONTACT} emails"
                )));
            }
            let mut out: Vec<ContactEmail> = Vec::with_capacity(emails.len());
            for email in emails {
                let address = email.address.trim();
                if !is_email(address) {
                    return Err(AppError::InvalidBody(format!(
                        "emails: {address:?} is not an email address"
                    )));
                }
                let (local, domain) = address.split_once('@').expect("checked above");
                let address = format!("{local}@{}", domain.to_lowercase());
                if out.iter().any(|e| e.address.eq_ignore_ascii_case(&address)) {
                    return Err(AppError::InvalidBody(format!(
                        "emails: {address} is given twice"
                    )));
                }
                out.push(ContactEmail {
                    address,
                    label: label("email", &email.label, "work")?,
                });
            }
            Some(out)
        }
    };
    let tags = match input.tags {
        None => None,
        Some(tags) if tags.len() > MAX_PER_CONTACT => {
            return Err(AppError::InvalidBody(format!(
                "a contact has at most {MAX_PER_CONTACT} tags"
            )))
        }
        Some(tags) => Some(
            tags.iter()
                .map(|t| switchboard_domain::contacts::tag_name(t))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|why| AppError::InvalidBody(format!("tags: {why}")))?,
        ),
    };
    Ok(Draft {
        first_name: field("first_name", input.first_name)?,
        last_name: field("last_name", input.last_name)?,
        company: field("company", input.company)?,
        role: field("role", input.role)?,
        phones,
        emails,
        tags,
        properties: input.properties.unwrap_or_default(),
    })
}

/// The `property` and `value` of a list or an export: a property key and a value it holds.
pub(super) fn property_filter(
    property: Option<String>,
    value: Option<String>,
) -> Result<Option<(String, String)>, AppError> {
    match (property, value) {
        (Some(_), Some(value)) if value.contains('\0') || value.chars().count() > 200 => Err(
            AppError::InvalidParameter("value: at most 200 characters, without NUL".to_owned()),
        ),
        (Some(key), Some(_)) if !switchboard_domain::contacts::is_property_key(&key) => Err(
            AppError::InvalidParameter(format!("property {key:?} is not a property key")),
        ),
        (Some(key), Some(value)) => Ok(Some((key, value))),
        (None, None) => Ok(None),
        _ => Err(AppError::InvalidParameter(
            "property and value go together".to_owned(),
        )),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ListParams {
    /// Words that each begin a name, company, role or email word, or digits within a number.
    q: Option<String>,
    /// Only the contacts with this tag.
    #[param(value_type = Option<i64>)]
    tag: Option<TagId>,
    /// With `value`: only the contacts whose property `property` holds `value`.
    property: Option<String>,
    value: Option<String>,
    /// `name` (default), `created` or `updated`.
    sort: Option<ContactSort>,
    /// Contacts per page, 1 to 500 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

impl ListParams {
    fn into_query(self) -> Result<ContactQuery, AppError> {
        let limit = match self.limit {
            None => DEFAULT_CONTACT_PAGE,
            Some(limit) if (1..=i64::from(MAX_CONTACT_PAGE)).contains(&limit) => limit as u32,
            Some(limit) => {
                return Err(AppError::InvalidParameter(format!(
                    "limit must be between 1 and {MAX_CONTACT_PAGE}, not {limit}"
                )))
            }
        };
        let property = property_filter(self.property, self.value)?;
        if self.q.as_ref().is_some_and(|q| q.chars().count() > 200) {
            return Err(AppError::InvalidParameter(
                "q has at most 200 characters".to_owned(),
            ));
        }
        Ok(ContactQuery {
            q: self.q.filter(|q| !q.trim().is_empty()),
            tag: self.tag,
            property,
            sort: self.sort.unwrap_or_default(),
            after: self.cursor,
            limit,
        })
    }
}

/// The workspace's contacts, searched, filtered and sorted, a page at a time.
#[utoipa::path(get, path = "/contacts", tag = "contacts", params(ListParams),
    responses(
        (status = 200, description = "A page of contacts", body = ContactList),
        (status = 400, description = "A parameter is wrong", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
    ))]
async fn list_contacts(
    State(state): State<AppState>,
    CurrentMember(_): CurrentMember,
    Query(params): Query<ListParams>,
) -> Result<axum::Json<ContactList>, AppError> {
    Ok(axum::Json(
        store::list(&state.db, params.into_query()?).await?,
    ))
}

/// Creates a contact. A number that another contact has: 409, naming it (`contact_id`).
#[utoipa::path(post, path = "/contacts", tag = "contacts", request_body = ContactInput,
    responses(
        (status = 201, description = "The contact", body = ContactCard),
        (status = 400, description = "A field is wrong (the message names it)", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 409, description = "A number belongs to another contact", body = ErrorResponse),
    ))]
async fn create_contact(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
    Json(input): Json<ContactInput>,
) -> Result<(StatusCode, axum::Json<ContactCard>), AppError> {
    let draft = draft_of(input)?;
    let card = store::create(
        &state.db,
        draft,
        Origin::by_hand(),
        Some(member.id),
        state.clock.now_ms(),
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(card)))
}

/// A contact, its notes, its conversations on your lines and its history.
#[utoipa::path(get, path = "/contacts/{id}", tag = "contacts",
    params(("id" = i64, Path, description = "Contact id")),
    responses(
        (status = 200, description = "The contact", body = ContactPage),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 404, description = "No such contact", body = ErrorResponse),
    ))]
async fn get_contact(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
    Path(id): Path<ContactId>,
) -> Result<axum::Json<ContactPage>, AppError> {
    match store::page(&state.db, id, &member).await? {
        Some(page) => Ok(axum::Json(page)),
        None => Err(AppError::NotFound(format!("there is no contact {id}"))),
    }
}

/// Changes what is given of a contact.
#[utoipa::path(patch, path = "/contacts/{id}", tag = "contacts",
    params(("id" = i64, Path, description = "Contact id")),
    request_body = ContactInput,
    responses(
        (status = 200, description = "The contact", body = ContactCard),
        (status = 400, description = "A field is wrong (the message names it)", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 404, description = "No such contact", body = ErrorResponse),
        (status = 409, description = "A number belongs to another contact", body = ErrorResponse),
    ))]
async fn update_contact(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
    Path(id): Path<ContactId>,
    Json(input): Json<ContactInput>,
) -> Result<axum::Json<ContactCard>, AppError> {
    let draft = draft_of(input)?;
    let card = store::update(&state.db, id, draft, Some(member.id), state.clock.now_ms()).await?;
    Ok(axum::Json(card))
}

/// Deletes a contact; its numbers become unknown numbers (their conversations stay).
#[utoipa::path(delete, path = "/contacts/{id}", tag = "contacts",
    params(("id" = i64, Path, description = "Contact id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 404, description = "No such contact", body = ErrorResponse),
    ))]
async fn delete_contact(
    State(state): State<AppState>,
    CurrentMember(_): CurrentMember,
    Path(id): Path<ContactId>,
) -> Result<StatusCode, AppError> {
    store::delete(&state.db, id, state.clock.now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Merges `other_id` into this contact, which keeps its fields and values where both have one.
#[utoipa::path(post, path = "/contacts/{id}/merge", tag = "contacts",
    params(("id" = i64, Path, description = "The contact that stays")),
    request_body = MergeRequest,
    responses(
        (status = 200, description = "The merged contact", body = ContactCard),
        (status = 400, description = "The body is wrong", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 404, description = "No such contact", body = ErrorResponse),
    ))]
async fn merge_contacts(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
    Path(id): Path<ContactId>,
    Json(request): Json<MergeRequest>,
) -> Result<axum::Json<ContactCard>, AppError> {
    let card = store::merge(
        &state.db,
        id,
        request.other_id,
        member.id,
        state.clock.now_ms(),
    )
    .await?;
    Ok(axum::Json(card))
}

fn note_text(text: &str) -> Result<String, AppError> {
    let text = text.trim();
    if text.contains('\0') {
        return Err(AppError::InvalidBody(
            "a note cannot hold NUL characters".to_owned(),
        ));
    }
    match text.chars().count() {
        0 => Err(AppError::InvalidBody("a note needs text".to_owned())),
        n if n > MAX_NOTE_CHARS => Err(AppError::InvalidBody(format!(
            "a note has at most {MAX_NOTE_CHARS} characters"
        ))),
        _ => Ok(text.to_owned()),
    }
}

/// Writes a note on a contact; the teammates mentioned are notified.
#[utoipa::path(post, path = "/contacts/{id}/notes", tag = "contacts",
    params(("id" = i64, Path, description = "Contact id")),
    request_body = ContactNoteInput,
    responses(
        (status = 201, description = "The note", body = ContactNote),
        (status = 400, description = "The body is wrong", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "The conversation is on a line you do not have", body = ErrorResponse),
        (status = 404, description = "No such contact", body = ErrorResponse),
    ))]
async fn add_note(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
    Path(id): Path<ContactId>,
    Json(input): Json<ContactNoteInput>,
) -> Result<(StatusCode, axum::Json<ContactNote>), AppError> {
    let text = note_text(&input.text)?;
    let note = store::add_note(
        &state.db,
        id,
        text,
        input.mentions,
        input.conversation_id,
        &member,
        state.clock.now_ms(),
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(note)))
}

/// Changes a note's text and mentions: its author only.
#[utoipa::path(patch, path = "/contacts/{id}/notes/{note_id}", tag = "contacts",
    params(("id" = i64, Path, description = "Contact id"), ("note_id" = i64, Path, description = "Note id")),
    request_body = ContactNoteInput,
    responses(
        (status = 200, description = "The note", body = ContactNote),
        (status = 400, description = "The body is wrong", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Not your note", body = ErrorResponse),
        (status = 404, description = "No such note", body = ErrorResponse),
    ))]
async fn edit_note(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
    Path((id, note_id)): Path<(ContactId, ContactNoteId)>,
    Json(input): Json<ContactNoteInput>,
) -> Result<axum::Json<ContactNote>, AppError> {
    let text = note_text(&input.text)?;
    let note = store::edit_note(
        &state.db,
        id,
        note_id,
        text,
        input.mentions,
        member.id,
        state.clock.now_ms(),
    )
    .await?;
    Ok(axum::Json(note))
}

/// Deletes a note: its author only.
#[utoipa::path(delete, path = "/contacts/{id}/notes/{note_id}", tag = "contacts",
    params(("id" = i64, Path, description = "Contact id"), ("note_id" = i64, Path, description = "Note id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Not your note", body = ErrorResponse),
        (status = 404, description = "No such note", body = ErrorResponse),
    ))]
async fn delete_note(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
    Path((id, note_id)): Path<(ContactId, ContactNoteId)>,
) -> Result<StatusCode, AppError> {
    store::delete_note(&state.db, id, note_id, member.id, state.clock.now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The workspace's tags, by name.
#[utoipa::path(get, path = "/tags", tag = "contacts",
    responses(
        (status = 200, description = "Tags", body = TagList),
        (status = 401, description = "Not signed in", body = ErrorResponse),
    ))]
async fn list_tags(
    State(state): State<AppState>,
    CurrentMember(_): CurrentMember,
) -> Result<axum::Json<TagList>, AppError> {
    Ok(axum::Json(TagList {
        tags: store::tags(&state.db).await?,
    }))
}

/// Creates a tag (anyone may); a name the workspace has (whatever its case) answers that tag.
#[utoipa::path(post, path = "/tags", tag = "contacts", request_body = TagInput,
    responses(
        (status = 201, description = "Created", body = Tag),
        (status = 200, description = "The tag of that name", body = Tag),
        (status = 400, description = "The body is wrong", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
    ))]
async fn create_tag(
    State(state): State<AppState>,
    CurrentMember(_): CurrentMember,
    Json(input): Json<TagInput>,
) -> Result<(StatusCode, axum::Json<Tag>), AppError> {
    let Some(name) = input.name else {
        return Err(AppError::InvalidBody("a tag needs a name".to_owned()));
    };
    let (tag, created) =
        store::create_tag(&state.db, name, input.colour, state.clock.now_ms()).await?;
    let status = match created {
        true => StatusCode::CREATED,
        false => StatusCode::OK,
    };
    Ok((status, axum::Json(tag)))
}

/// Renames or recolours a tag: owners and admins.
#[utoipa::path(patch, path = "/tags/{id}", tag = "contacts",
    params(("id" = i64, Path, description = "Tag id")),
    request_body = TagInput,
    responses(
        (status = 200, description = "The tag", body = Tag),
        (status = 400, description = "The body is wrong", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Owners and admins only", body = ErrorResponse),
        (status = 404, description = "No such tag", body = ErrorResponse),
        (status = 409, description = "Another tag has that name", body = ErrorResponse),
    ))]
async fn update_tag(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
    Path(id): Path<TagId>,
    Json(input): Json<TagInput>,
) -> Result<axum::Json<Tag>, AppError> {
    administrator(&member)?;
    let tag = store::update_tag(
        &state.db,
        id,
        input.name,
        input.colour,
        state.clock.now_ms(),
    )
    .await?;
    Ok(axum::Json(tag))
}

/// Removes a tag from the workspace and every contact: owners and admins.
#[utoipa::path(delete, path = "/tags/{id}", tag = "contacts",
    params(("id" = i64, Path, description = "Tag id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Owners and admins only", body = ErrorResponse),
        (status = 404, description = "No such tag", body = ErrorResponse),
    ))]
async fn delete_tag(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
    Path(id): Path<TagId>,
) -> Result<StatusCode, AppError> {
    administrator(&member)?;
    store::delete_tag(&state.db, id, state.clock.now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The workspace's contact properties, in order.
#[utoipa::path(get, path = "/contact-properties", tag = "contacts",
    responses(
        (status = 200, description = "Properties", body = PropertyList),
        (status = 401, description = "Not signed in", body = ErrorResponse),
    ))]
async fn list_properties(
    State(state): State<AppState>,
    CurrentMember(_): CurrentMember,
) -> Result<axum::Json<PropertyList>, AppError> {
    Ok(axum::Json(PropertyList {
        properties: store::properties(&state.db).await?,
    }))
}

/// Defines a contact property (it goes last): owners and admins.
#[utoipa::path(post, path = "/contact-properties", tag = "contacts", request_body = PropertyInput,
    responses(
        (status = 201, description = "The property", body = PropertyDefinition),
        (status = 400, description = "The body is wrong", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Owners and admins only", body = ErrorResponse),
        (status = 409, description = "The key or name is taken", body = ErrorResponse),
    ))]
async fn create_property(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
    Json(input): Json<PropertyInput>,
) -> Result<(StatusCode, axum::Json<PropertyDefinition>), AppError> {
    administrator(&member)?;
    let (Some(key), Some(name), Some(kind)) = (input.key, input.name, input.kind) else {
        return Err(AppError::InvalidBody(
            "a property needs a key, a name and a type".to_owned(),
        ));
    };
    if input.position.is_some() {
        return Err(AppError::InvalidBody(
            "a new property goes last: move it with PATCH".to_owned(),
        ));
    }
    let property = store::create_property(
        &state.db,
        key,
        name,
        kind,
        input.options.unwrap_or_default(),
        state.clock.now_ms(),
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(property)))
}

/// Renames a property, changes its options or moves it: owners and admins. Its key and type
/// never change.
#[utoipa::path(patch, path = "/contact-properties/{key}", tag = "contacts",
    params(("key" = String, Path, description = "Property key")),
    request_body = PropertyInput,
    responses(
        (status = 200, description = "The property", body = PropertyDefinition),
        (status = 400, description = "The body is wrong", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Owners and admins only", body = ErrorResponse),
        (status = 404, description = "No such property", body = ErrorResponse),
    ))]
async fn update_property(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
    Path(key): Path<String>,
    Json(input): Json<PropertyInput>,
) -> Result<axum::Json<PropertyDefinition>, AppError> {
    administrator(&member)?;
    known_key(&key)?;
    if input.key.as_ref().is_some_and(|k| *k != key) || input.kind.is_some() {
        return Err(AppError::InvalidBody(
            "a property's key and type do not change: make a new property".to_owned(),
        ));
    }
    let property = store::update_property(
        &state.db,
        key,
        input.name,
        input.options,
        input.position,
        state.clock.now_ms(),
    )
    .await?;
    Ok(axum::Json(property))
}

/// Removes a property and every contact's value of it: owners and admins.
#[utoipa::path(delete, path = "/contact-properties/{key}", tag = "contacts",
    params(("key" = String, Path, description = "Property key")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "Owners and admins only", body = ErrorResponse),
        (status = 404, description = "No such property", body = ErrorResponse),
    ))]
async fn delete_property(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
    Path(key): Path<String>,
) -> Result<StatusCode, AppError> {
    administrator(&member)?;
    known_key(&key)?;
    store::delete_property(&state.db, key, state.clock.now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}
