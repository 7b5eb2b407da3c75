//! The REST API's bodies (`/api/v1`), shared by the server and the web app's client.
//!
//! Times are milliseconds since the Unix epoch (UTC), so that both sides read them without a date
//! library.

use crate::conversation::{ConversationState, StateChange, Status};
use crate::ids::{ActivityId, ContactId, ConversationId, LineId, TagId};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where the API lives, on the web app's own origin.
pub const API_BASE: &str = "/api/v1";
/// Conversations per page when the client does not say.
pub const DEFAULT_PAGE_SIZE: u32 = 50;
/// The largest page a client may ask for.
pub const MAX_PAGE_SIZE: u32 = 200;
/// The longest reply, in characters: ten concatenated SMS segments.
pub const MAX_REPLY_CHARS: usize = 1600;

/// `GET /api/v1/conversations/{id}`'s address, as the server announces it with a page and the
/// web app asks for it.
pub fn conversation_address(id: ConversationId) -> String {
    format!("{API_BASE}/conversations/{id}")
}

/// Conversations per page that the web app asks for.
pub const CLIENT_PAGE_SIZE: u32 = 50;

/// `GET /api/v1/conversations`'s query, written in one place so that the address the server
/// announces with the page (see [`crate::routes`]) is the very one the web app then asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationsQuery<'a> {
    pub view: crate::View,
    pub line: Option<LineId>,
    pub mine: bool,
    /// Only conversations whose contact has this tag.
    pub tag: Option<TagId>,
    pub cursor: Option<&'a str>,
    pub limit: u32,
}

impl<'a> ConversationsQuery<'a> {
    pub fn first_page(view: crate::View, line: Option<LineId>, mine: bool) -> Self {
        ConversationsQuery {
            view,
            line,
            mine,
            tag: None,
            cursor: None,
            limit: CLIENT_PAGE_SIZE,
        }
    }

    /// The same query, of the conversations whose contact has `tag`.
    pub fn tagged(self, tag: Option<TagId>) -> Self {
        ConversationsQuery { tag, ..self }
    }

    /// The query's names and values, in order.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![
            ("view", self.view.as_str().to_owned()),
            ("limit", self.limit.to_string()),
        ];
        if let Some(line) = self.line {
            pairs.push(("line", line.to_string()));
        }
        if self.mine {
            pairs.push(("assignee", "me".to_owned()));
        }
        if let Some(tag) = self.tag {
            pairs.push(("tag", tag.to_string()));
        }
        if let Some(cursor) = self.cursor {
            pairs.push(("cursor", cursor.to_owned()));
        }
        pairs
    }

    /// The path and query, e.g. `/api/v1/conversations?view=open&limit=50&line=2`.
    pub fn address(&self) -> String {
        let mut address = format!("{API_BASE}/conversations?");
        for (index, (name, value)) in self.pairs().into_iter().enumerate() {
            if index > 0 {
                address.push('&');
            }
            address.push_str(name);
            address.push('=');
            // The server's cursors are digits and dots; anything else is escaped all the same.
            for byte in value.bytes() {
                match byte {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                        address.push(byte as char)
                    }
                    _ => address.push_str(&format!("%{byte:02X}")),
                }
            }
        }
        address
    }
}

/// A phone line (one inbox) with the number of its unread conversations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Line {
    pub id: LineId,
    pub name: String,
    /// E.164, e.g. "+15550100200".
    pub number: String,
    pub unread_count: u32,
    /// The Quo number the line's replies are sent from (its `PN…` id or E.164 number), when
    /// replies go out through Quo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sends_from: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineList {
    pub lines: Vec<Line>,
    /// How this server's replies reach customers.
    #[serde(default)]
    pub sending: ReplySending,
}

/// How a server's replies reach customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReplySending {
    /// Through Quo's API: the server has a Quo API key.
    Quo,
    /// The demo's carrier: replies are taken and reported delivered, but reach nobody.
    Demo,
    /// Not set up: replies stay in the thread, marked Not sent.
    #[default]
    Off,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    /// The contact the conversation's number belongs to; absent for an unknown number.
    pub id: Option<ContactId>,
    /// The contact's name; absent for an unknown number.
    pub name: Option<String>,
    /// E.164: the number this conversation is with.
    pub number: String,
    /// The contact's tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<TagId>,
}

impl Contact {
    /// The contact's name, or their number when unnamed.
    pub fn display_name(&self) -> String {
        match &self.name {
            Some(name) => name.clone(),
            None => crate::phone::display_number(&self.number),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// From the customer to the team.
    Inbound,
    /// From the team to the customer.
    Outbound,
    /// Inside the team (a note): never sent.
    Internal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum CallOutcome {
    Answered,
    Missed,
}

/// What happened: a message, a call, a voicemail left after a missed call, or a teammate's note.
///
/// In JSON, one object: `kind` and that kind's fields (`{"kind": "message", "text": "…"}`),
/// read through [`ActivityFields`] in a single pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ActivityFields", into = "ActivityFields")]
pub enum ActivityContent {
    Message {
        text: String,
    },
    Call {
        outcome: CallOutcome,
        duration_seconds: u32,
    },
    Voicemail {
        duration_seconds: u32,
        transcript: Option<String>,
    },
    /// An internal note by a teammate, visible to the team only; `@Name` in the text mentions.
    Note {
        text: String,
        author: crate::team::MemberRef,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ActivityKind {
    Message,
    Call,
    Voicemail,
    Note,
}

/// The JSON form of [`ActivityContent`]: the fields a kind has are present, the others absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityFields {
    pub kind: ActivityKind,
    /// A message's or a note's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// A call's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<CallOutcome>,
    /// A call's or a voicemail's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u32>,
    /// A voicemail's, once transcribed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript: Option<String>,
    /// A note's writer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<crate::team::MemberRef>,
}

impl TryFrom<ActivityFields> for ActivityContent {
    type Error = String;
    fn try_from(fields: ActivityFields) -> Result<Self, String> {
        let missing = |field: &str| format!("a {:?} activity needs `{field}`", fields.kind);
        Ok(match fields.kind {
            ActivityKind::Message => ActivityContent::Message {
                text: fields.text.clone().ok_or_else(|| missing("text"))?,
            },
            ActivityKind::Call => ActivityContent::Call {
                outcome: fields.outcome.ok_or_else(|| missing("outcome"))?,
                duration_seconds: fields.duration_seconds.unwrap_or(0),
            },
            ActivityKind::Voicemail => ActivityContent::Voicemail {
                duration_seconds: fields.duration_seconds.unwrap_or(0),
                transcript: fields.transcript,
            },
            ActivityKind::Note => ActivityContent::Note {
                text: fields.text.clone().ok_or_else(|| missing("text"))?,
                author: fields.author.clone().ok_or_else(|| missing("author"))?,
            },
        })
    }
}

impl From<ActivityContent> for ActivityFields {
    fn from(content: ActivityContent) -> Self {
        let kind = match &content {
            ActivityContent::Message { .. } => ActivityKind::Message,
            ActivityContent::Call { .. } => ActivityKind::Call,
            ActivityContent::Voicemail { .. } => ActivityKind::Voicemail,
            ActivityContent::Note { .. } => ActivityKind::Note,
        };
        let mut fields = ActivityFields {
            kind,
            text: None,
            outcome: None,
            duration_seconds: None,
            transcript: None,
            author: None,
        };
        match content {
            ActivityContent::Message { text } => fields.text = Some(text),
            ActivityContent::Call {
                outcome,
                duration_seconds,
            } => {
                fields.outcome = Some(outcome);
                fields.duration_seconds = Some(duration_seconds);
            }
            ActivityContent::Voicemail {
                duration_seconds,
                transcript,
            } => {
                fields.duration_seconds = Some(duration_seconds);
                fields.transcript = transcript;
            }
            ActivityContent::Note { text, author } => {
                fields.text = Some(text);
                fields.author = Some(author);
            }
        }
        fields
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    pub id: ActivityId,
    pub conversation_id: ConversationId,
    pub direction: Direction,
    /// Milliseconds since the Unix epoch.
    pub at: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = ActivityFields))]
    pub content: ActivityContent,
    /// A reply's way to the customer; absent for everything else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
}

/// Where a reply stands on its way to the customer through Quo: `{"status": "failed",
/// "reason": "…"}`. (A plain struct rather than a tagged enum: its JSON reader is a fraction of
/// the size in the web app's bundle.)
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Delivery {
    pub status: DeliveryStatus,
    /// Why it did not go (`failed`, `not_sent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Stored; the outbox is sending it.
    Sending,
    /// Quo took it.
    Sent,
    /// Quo reports it delivered to the customer's phone.
    Delivered,
    /// Quo refused it, or every try failed: it can be sent again.
    Failed,
    /// Sending is not set up on this server (no Quo API key): it stays here.
    NotSent,
}

impl Delivery {
    pub fn is(status: DeliveryStatus) -> Delivery {
        Delivery {
            status,
            reason: None,
        }
    }

    pub fn because(status: DeliveryStatus, reason: impl Into<String>) -> Delivery {
        Delivery {
            status,
            reason: Some(reason.into()),
        }
    }
}

/// A conversation as listed: its state and its newest activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationSummary {
    pub id: ConversationId,
    pub line_id: LineId,
    pub contact: Contact,
    pub status: Status,
    pub unread: bool,
    pub latest_activity: Activity,
    /// The newest inbound activity: what a client must have seen before marking done.
    pub latest_inbound_activity_id: Option<ActivityId>,
    /// The teammate who owns it, if any.
    #[serde(default)]
    pub assignee: Option<crate::team::MemberRef>,
    /// Pinned for the whole team: on top of its view.
    #[serde(default)]
    pub pinned: bool,
}

impl ConversationSummary {
    pub fn state(&self) -> ConversationState {
        ConversationState {
            status: self.status,
            unread: self.unread,
            latest_inbound: self.latest_inbound_activity_id,
        }
    }

    pub fn set_state(&mut self, state: ConversationState) {
        self.status = state.status;
        self.unread = state.unread;
        self.latest_inbound_activity_id = state.latest_inbound;
    }
}

/// One page of a view, newest activity first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationPage {
    pub conversations: Vec<ConversationSummary>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// A conversation with its whole thread, oldest activity first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationDetail {
    pub conversation: ConversationSummary,
    pub activities: Vec<Activity>,
}

/// A client's name for one change, so that a change sent twice is applied once: 1 to 64
/// letters, digits, `-` or `_` (a UUID fits).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
#[serde(try_from = "String", into = "String")]
pub struct ChangeId(String);

impl ChangeId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ChangeId {
    type Error = String;
    fn try_from(id: String) -> Result<Self, String> {
        let valid = (1..=64).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        match valid {
            true => Ok(ChangeId(id)),
            false => Err("change_id must be 1 to 64 letters, digits, '-' or '_'".to_owned()),
        }
    }
}

impl From<ChangeId> for String {
    fn from(id: ChangeId) -> String {
        id.0
    }
}

/// `POST /api/v1/conversations/{id}/state`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangeStateRequest {
    pub change: StateChange,
    /// The newest activity of this conversation that the client has shown. A `done` or `read`
    /// is refused (409) if inbound activity arrived after it.
    #[serde(default)]
    pub seen_activity_id: Option<ActivityId>,
    /// Optional: the client's name for this change. A change whose name the server has seen
    /// is not applied again; the answer is the conversation as it is.
    #[serde(default)]
    pub change_id: Option<ChangeId>,
}

/// `POST /api/v1/conversations/{id}/replies`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReplyRequest {
    pub text: String,
    /// As for state changes: the reply marks the conversation read only if nothing inbound
    /// arrived after this.
    #[serde(default)]
    pub seen_activity_id: Option<ActivityId>,
    /// "Send and mark done": the conversation is marked done too, under the safety rule (if
    /// the customer wrote after `seen_activity_id`, the reply is sent and the conversation
    /// stays open; the answer's conversation says which).
    #[serde(default)]
    pub mark_done: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplyResponse {
    pub activity: Activity,
    pub conversation: ConversationSummary,
}

/// The text of a reply, checked: not blank, at most [`MAX_REPLY_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyText(String);

impl ReplyText {
    pub fn parse(text: &str) -> Result<ReplyText, String> {
        let trimmed = text.trim();
        let chars = trimmed.chars().count();
        if trimmed.is_empty() {
            Err("a reply needs some text".to_owned())
        } else if chars > MAX_REPLY_CHARS {
            Err(format!(
                "a reply has at most {MAX_REPLY_CHARS} characters; this one has {chars}"
            ))
        } else {
            Ok(ReplyText(trimmed.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What went wrong, for programs; the message says it for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body is not JSON, or not the expected JSON.
    InvalidBody,
    /// A path or query parameter is wrong.
    InvalidParameter,
    /// The body is larger than the server accepts.
    BodyTooLarge,
    /// The body is not `application/json`.
    UnsupportedMediaType,
    NotFound,
    MethodNotAllowed,
    /// No session, or an expired one: sign in.
    Unauthorized,
    /// Signed in, but this line (or action) is not yours, or the request came from another site.
    Forbidden,
    /// Too many failed sign-ins: wait and try again.
    TooManyRequests,
    /// The change would hide inbound activity the client has not seen.
    UnseenActivity,
    /// The request contradicts what is there: an email already taken, the last owner.
    Conflict,
    /// The server is too busy to take this now: try again after `Retry-After`.
    Unavailable,
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
}

/// Every error response: `{"error": {"code", "message"}}`; a 409 also carries the conversation as
/// the server now has it, so that the client can show what it had not seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorResponse {
    pub error: ErrorBody,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<ConversationSummary>,
    /// A 409 for a number that another contact has: that contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<ContactId>,
}

impl fmt::Display for ErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.error.message)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_is_trimmed_and_must_not_be_blank() {
        assert_eq!(ReplyText::parse("  hi \n").unwrap().as_str(), "hi");
        assert!(ReplyText::parse(" \n\t").is_err());
    }

    #[test]
    fn a_reply_longer_than_ten_segments_is_rejected() {
        assert!(ReplyText::parse(&"é".repeat(MAX_REPLY_CHARS)).is_ok());
        let error = ReplyText::parse(&"é".repeat(MAX_REPLY_CHARS + 1)).unwrap_err();
        assert!(error.contains("1601"), "{error}");
    }

    #[test]
    fn activity_content_is_one_object_tagged_by_kind() {
        let json = serde_json::to_value(ActivityContent::Message { text: "hi".into() }).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "message", "text": "hi"}));
        let call: ActivityContent = serde_json::from_value(
            serde_json::json!({"kind": "call", "outcome": "missed", "duration_seconds": 0}),
        )
        .unwrap();
        assert_eq!(
            call,
            ActivityContent::Call {
                outcome: CallOutcome::Missed,
                duration_seconds: 0
            }
        );
        let note = ActivityContent::Note {
            text: "@Sam see this".into(),
            author: crate::team::MemberRef {
                id: crate::MemberId(1),
                name: "Alex".into(),
            },
        };
        let round: ActivityContent =
            serde_json::from_str(&serde_json::to_string(&note).unwrap()).unwrap();
        assert_eq!(round, note);
        let error = serde_json::from_str::<ActivityContent>(r#"{"kind":"message"}"#).unwrap_err();
        assert!(error.to_string().contains("text"), "{error}");
    }

    #[test]
    fn a_change_id_is_short_and_plain() {
        let uuid = "0b7f3c1e-8d2a-4f5b-9c6d-1e2f3a4b5c6d".to_owned();
        assert_eq!(ChangeId::try_from(uuid.clone()).unwrap().as_str(), uuid);
        for bad in ["", "has space", "semi;colon", &"x".repeat(65)] {
            assert!(ChangeId::try_from(bad.to_owned()).is_err(), "{bad:?}");
        }
        let parsed: ChangeStateRequest =
            serde_json::from_str(r#"{"change":"done","change_id":"abc-1"}"#).unwrap();
        assert_eq!(parsed.change_id.unwrap().as_str(), "abc-1");
        assert!(serde_json::from_str::<ChangeStateRequest>(
            r#"{"change":"done","change_id":"a b"}"#
        )
        .is_err());
    }

    #[test]
    fn a_state_change_request_rejects_unknown_fields_and_changes() {
        let ok: ChangeStateRequest =
            serde_json::from_str(r#"{"change":"done","seen_activity_id":4}"#).unwrap();
        assert_eq!(ok.change, StateChange::Done);
        assert!(serde_json::from_str::<ChangeStateRequest>(r#"{"change":"archive"}"#).is_err());
        assert!(serde_json::from_str::<ChangeStateRequest>(r#"{"change":"done","x":1}"#).is_err());
    }
}
