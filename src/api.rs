//! The one HTTP client of the web app: an async method per endpoint of `/api/v1`, each returning
//! the typed body or a [`ClientError`] that tells a network failure from the server's refusal.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;
use switchboard_domain::api::{
    conversation_address, ChangeId, ChangeStateRequest, ConversationDetail, ConversationPage,
    ConversationSummary, ConversationsQuery, ErrorCode, ErrorResponse, LineList, ReplyRequest,
    ReplyResponse, API_BASE,
};
use switchboard_domain::contacts::{
    ContactCard, ContactInput, ContactList, ContactNote, ContactNoteInput, ContactPage,
    ContactSort, ImportReport, MergeRequest, PropertyList, Tag, TagInput, TagList,
};
use switchboard_domain::team::{
    AssignRequest, LanguageChoice, Me, MemberList, NoteRequest, NotificationList, PinRequest,
    SessionStatus, SignInRequest,
};
use switchboard_domain::{
    ActivityId, ContactId, ContactNoteId, ConversationId, MemberId, NotificationId, StateChange,
    TagId,
};

const BASE: &str = API_BASE;

#[derive(Debug, Clone, PartialEq)]
pub enum ClientError {
    /// The request did not reach the server, or its answer could not be read.
    Network(String),
    /// The server refused, and said why.
    Api {
        status: u16,
        body: Box<ErrorResponse>,
    },
}

impl ClientError {
    /// The server does not know who is asking (no session, or an ended one).
    pub fn is_signed_out(&self) -> bool {
        matches!(self, ClientError::Api { status: 401, .. })
    }

    /// The conversation as the server has it, when a change was refused by the safety rule.
    pub fn unseen_activity(&self) -> Option<&ConversationSummary> {
        match self {
            ClientError::Api { body, .. } if body.error.code == ErrorCode::UnseenActivity => {
                body.conversation.as_ref()
            }
            _ => None,
        }
    }
}

impl ClientError {
    /// What the server said, in its own words (it names the field it refused), or the
    /// interface's words when it could not be reached.
    pub fn server_message(&self) -> String {
        match self {
            ClientError::Api { body, .. } if !body.error.message.is_empty() => {
                body.error.message.clone()
            }
            other => other.to_string(),
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Network(_) => f.write_str(crate::text::unreachable()),
            ClientError::Api { body, .. } => f.write_str(crate::text::refusal(body.error.code)),
        }
    }
}

/// Who is signed in, if anyone (never a failed request while signed out).
pub async fn session() -> Result<Option<Me>, ClientError> {
    send::<SessionStatus>(Request::get(&format!("{BASE}/session")))
        .await
        .map(|status| status.member)
}

pub async fn sign_in(email: &str, password: &str) -> Result<Me, ClientError> {
    let body = SignInRequest {
        email: email.to_owned(),
        password: password.to_owned(),
    };
    post(&format!("{BASE}/session"), &body).await
}

pub async fn sign_out() -> Result<(), ClientError> {
    let response = Request::delete(&format!("{BASE}/session")).send().await;
    empty(response).await
}

pub async fn members() -> Result<MemberList, ClientError> {
    send(Request::get(&format!("{BASE}/members"))).await
}

pub async fn notifications() -> Result<NotificationList, ClientError> {
    send(Request::get(&format!("{BASE}/notifications"))).await
}

pub async fn mark_notification_read(id: NotificationId) -> Result<(), ClientError> {
    let response = Request::post(&format!("{BASE}/notifications/{id}/read"))
        .send()
        .await;
    empty(response).await
}

pub async fn assign(
    id: ConversationId,
    assignee_id: Option<MemberId>,
) -> Result<ConversationSummary, ClientError> {
    post(
        &format!("{BASE}/conversations/{id}/assignee"),
        &AssignRequest { assignee_id },
    )
    .await
}

pub async fn pin(id: ConversationId, pinned: bool) -> Result<ConversationSummary, ClientError> {
    post(
        &format!("{BASE}/conversations/{id}/pin"),
        &PinRequest { pinned },
    )
    .await
}

pub async fn note(
    id: ConversationId,
    text: &str,
    mentions: Vec<MemberId>,
) -> Result<ReplyResponse, ClientError> {
    let body = NoteRequest {
        text: text.to_owned(),
        mentions,
    };
    post(&format!("{BASE}/conversations/{id}/notes"), &body).await
}

pub async fn lines() -> Result<LineList, ClientError> {
    send(Request::get(&format!("{BASE}/lines"))).await
}

/// The query is the domain's, as the server announces it with the page: the browser then
/// answers the first page from what it fetched ahead. (Given as pairs: gloo appends a stray
/// `&` to an address that already has its query, and the address would no longer match.)
pub async fn conversations(
    query: &ConversationsQuery<'_>,
) -> Result<ConversationPage, ClientError> {
    send(Request::get(&format!("{BASE}/conversations")).query(query.pairs())).await
}

pub async fn conversation(id: ConversationId) -> Result<ConversationDetail, ClientError> {
    send(Request::get(&conversation_address(id))).await
}

pub async fn change_state(
    id: ConversationId,
    change: StateChange,
    seen_activity_id: Option<ActivityId>,
    change_id: Option<ChangeId>,
) -> Result<ConversationSummary, ClientError> {
    let body = ChangeStateRequest {
        change,
        seen_activity_id,
        change_id,
    };
    post(&format!("{BASE}/conversations/{id}/state"), &body).await
}

pub async fn reply(
    id: ConversationId,
    text: &str,
    seen_activity_id: Option<ActivityId>,
    mark_done: bool,
) -> Result<ReplyResponse, ClientError> {
    let body = ReplyRequest {
        text: text.to_owned(),
        seen_activity_id,
        mark_done,
    };
    post(&format!("{BASE}/conversations/{id}/replies"), &body).await
}

/// Sends a reply that did not go (Not delivered) again.
pub async fn retry_reply(id: ConversationId, reply: ActivityId) -> Result<(), ClientError> {
    let response = Request::post(&format!("{BASE}/conversations/{id}/replies/{reply}/retry"))
        .send()
        .await;
    empty(response).await
}

// ----- Contacts -----

/// The workspace's tags, by name.
pub async fn tags() -> Result<TagList, ClientError> {
    send(Request::get(&format!("{BASE}/tags"))).await
}

/// A tag by that name: the workspace's if it has one (whatever its case), else a new one.
pub async fn create_tag(name: &str) -> Result<Tag, ClientError> {
    let body = TagInput {
        name: Some(name.to_owned()),
        colour: None,
    };
    post(&format!("{BASE}/tags"), &body).await
}

/// The workspace's custom contact properties, in order.
pub async fn contact_properties() -> Result<PropertyList, ClientError> {
    send(Request::get(&format!("{BASE}/contact-properties"))).await
}

/// A page of contacts: matching `q` (name, number, company, email), with `tag`, in `sort`.
pub async fn contacts(
    q: &str,
    tag: Option<TagId>,
    sort: ContactSort,
    cursor: Option<&str>,
) -> Result<ContactList, ClientError> {
    let mut pairs = vec![("sort", sort.as_str().to_owned())];
    if !q.is_empty() {
        pairs.push(("q", q.to_owned()));
    }
    if let Some(tag) = tag {
        pairs.push(("tag", tag.to_string()));
    }
    if let Some(cursor) = cursor {
        pairs.push(("cursor", cursor.to_owned()));
    }
    send(Request::get(&format!("{BASE}/contacts")).query(pairs)).await
}

/// A page of the Contacts page's list: its filters, its order, after `cursor`.
pub async fn contact_page(
    filters: &crate::contact_list::ContactFilters,
    cursor: Option<&str>,
) -> Result<ContactList, ClientError> {
    send(Request::get(&format!("{BASE}/contacts")).query(filters.page_pairs(cursor))).await
}

/// How a CSV import is read: the country of national numbers, and the columns' fields where
/// the reader chose them (JSON, `contact_list::mapping_json`).
pub struct ImportOptions<'a> {
    pub preview: bool,
    pub default_country: Option<&'a str>,
    pub mapping: Option<&'a str>,
}

/// Sends a CSV file (the `File` a file input holds) to import, or with `preview` to say what
/// importing it would do.
pub async fn import_contacts(
    file: &web_sys::File,
    options: &ImportOptions<'_>,
) -> Result<ImportReport, ClientError> {
    let mut pairs = vec![("preview", options.preview.to_string())];
    if let Some(country) = options.default_country {
        pairs.push(("default_country", country.to_owned()));
    }
    if let Some(mapping) = options.mapping {
        pairs.push(("mapping", mapping.to_owned()));
    }
    let request = Request::post(&format!("{BASE}/contacts/import"))
        .query(pairs)
        .header("Content-Type", "text/csv")
        .body(wasm_bindgen::JsValue::from(file.clone()))
        .map_err(|e| ClientError::Network(e.to_string()))?;
    read(request.send().await).await
}

pub async fn create_contact(input: &ContactInput) -> Result<ContactCard, ClientError> {
    post(&format!("{BASE}/contacts"), input).await
}

/// A contact with its notes, its conversations on the reader's lines, and its history.
pub async fn contact(id: ContactId) -> Result<ContactPage, ClientError> {
    send(Request::get(&format!("{BASE}/contacts/{id}"))).await
}

/// Changes what `input` gives (lists replace the contact's whole list).
pub async fn update_contact(
    id: ContactId,
    input: &ContactInput,
) -> Result<ContactCard, ClientError> {
    patch(&format!("{BASE}/contacts/{id}"), input).await
}

pub async fn delete_contact(id: ContactId) -> Result<(), ClientError> {
    let response = Request::delete(&format!("{BASE}/contacts/{id}"))
        .send()
        .await;
    empty(response).await
}

/// Merges `other` into `id`; the answer is the contact that stays.
pub async fn merge_contacts(id: ContactId, other: ContactId) -> Result<ContactCard, ClientError> {
    let body = MergeRequest { other_id: other };
    post(&format!("{BASE}/contacts/{id}/merge"), &body).await
}

pub async fn add_contact_note(
    id: ContactId,
    note: &ContactNoteInput,
) -> Result<ContactNote, ClientError> {
    post(&format!("{BASE}/contacts/{id}/notes"), note).await
}

/// Edits a note (its author only).
pub async fn edit_contact_note(
    id: ContactId,
    note_id: ContactNoteId,
    note: &ContactNoteInput,
) -> Result<ContactNote, ClientError> {
    patch(&format!("{BASE}/contacts/{id}/notes/{note_id}"), note).await
}

pub async fn delete_contact_note(id: ContactId, note_id: ContactNoteId) -> Result<(), ClientError> {
    let response = Request::delete(&format!("{BASE}/contacts/{id}/notes/{note_id}"))
        .send()
        .await;
    empty(response).await
}

/// A language's texts (`switchboard_catalogue::Lang::file`), which the server serves and
/// announces with a page in that language.
pub async fn catalogue(lang: switchboard_catalogue::Lang) -> Result<String, ClientError> {
    let response = Request::get(&format!("/catalogue/{}", lang.file_name()))
        .send()
        .await
        .map_err(|e| ClientError::Network(e.to_string()))?;
    if !response.ok() {
        return Err(ClientError::Network(format!("HTTP {}", response.status())));
    }
    response
        .text()
        .await
        .map_err(|e| ClientError::Network(e.to_string()))
}

/// The teammate's interface language, on every device (`None`: each browser's own).
pub async fn choose_language(language: Option<&str>) -> Result<Me, ClientError> {
    let body = LanguageChoice {
        language: language.map(str::to_owned),
    };
    let request = Request::put(&format!("{BASE}/me/language"))
        .json(&body)
        .map_err(|e| ClientError::Network(e.to_string()))?;
    read(request.send().await).await
}

async fn post<T: DeserializeOwned>(url: &str, body: &impl Serialize) -> Result<T, ClientError> {
    let request = Request::post(url)
        .json(body)
        .map_err(|e| ClientError::Network(e.to_string()))?;
    read(request.send().await).await
}

async fn patch<T: DeserializeOwned>(url: &str, body: &impl Serialize) -> Result<T, ClientError> {
    let request = Request::patch(url)
        .json(body)
        .map_err(|e| ClientError::Network(e.to_string()))?;
    read(request.send().await).await
}

/// An answer without a body (204), or the error it carries.
async fn empty(response: Result<Response, gloo_net::Error>) -> Result<(), ClientError> {
    let response = response.map_err(|e| ClientError::Network(e.to_string()))?;
    if response.ok() {
        return Ok(());
    }
    let status = response.status();
    match response.json::<ErrorResponse>().await {
        Ok(body) => Err(ClientError::Api {
            status,
            body: Box::new(body),
        }),
        Err(_) => Err(ClientError::Network(format!("HTTP {status}"))),
    }
}

async fn send<T: DeserializeOwned>(request: RequestBuilder) -> Result<T, ClientError> {
    read(request.send().await).await
}

async fn read<T: DeserializeOwned>(
    response: Result<Response, gloo_net::Error>,
) -> Result<T, ClientError> {
    let response = response.map_err(|e| ClientError::Network(e.to_string()))?;
    if response.ok() {
        return response
            .json()
            .await
            .map_err(|e| ClientError::Network(e.to_string()));
    }
    let status = response.status();
    match response.json::<ErrorResponse>().await {
        Ok(body) => Err(ClientError::Api {
            status,
            body: Box::new(body),
        }),
        // Not our server's answer (a proxy's error page, say).
        Err(_) => Err(ClientError::Network(format!("HTTP {status}"))),
    }
}
