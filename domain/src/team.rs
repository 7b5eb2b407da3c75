//! The team: teammates and their roles, signing in, assignment, notes with @mentions, pins,
//! notifications, and the live events the server pushes.

use crate::api::{Activity, ConversationSummary};
use crate::ids::{ActivityId, ConversationId, LineId, MemberId, NotificationId, SessionId};
use serde::{Deserialize, Serialize};

/// What a teammate may do: owners and admins see every line and give members access to lines;
/// members see the lines they were given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Owner,
    Admin,
    Member,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Member => "member",
        }
    }

    /// Whether this role sees every line (and manages access to them).
    pub fn sees_every_line(self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "owner" => Ok(Role::Owner),
            "admin" => Ok(Role::Admin),
            "member" => Ok(Role::Member),
            other => Err(format!(
                "unknown role {other:?}: expected owner, admin or member"
            )),
        }
    }
}

/// A teammate as others see them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberRef {
    pub id: MemberId,
    pub name: String,
}

/// The signed-in teammate: `GET /api/v1/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: MemberId,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// The lines this teammate can see.
    pub line_ids: Vec<LineId>,
    /// The interface language this teammate chose (a code of the catalogue: `en`, `fr`), on
    /// every device; `None` until they choose one: the browser's languages decide.
    #[serde(default)]
    pub language: Option<String>,
}

/// `PUT /api/v1/me/language`: the teammate's interface language, or `None` to follow each
/// browser's languages again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LanguageChoice {
    pub language: Option<String>,
}

/// `GET /api/v1/session`: who is signed in on this browser, if anyone. Always a success, so
/// that a page asking before sign-in logs no failed request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionStatus {
    /// Absent when nobody is signed in (or the session has ended).
    pub member: Option<Me>,
}

/// `GET /api/v1/members`: the teammates, to assign and @mention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberList {
    pub members: Vec<MemberRef>,
}

/// `POST /api/v1/session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    pub email: String,
    pub password: String,
}

/// `POST /api/v1/conversations/{id}/assignee`: to a teammate, or to nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    pub assignee_id: Option<MemberId>,
}

/// `POST /api/v1/conversations/{id}/pin`: pinned conversations stay on top of their view, for
/// the whole team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PinRequest {
    pub pinned: bool,
}

/// `POST /api/v1/conversations/{id}/notes`: an internal note, never sent to the customer; the
/// teammates in `mentions` are notified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NoteRequest {
    pub text: String,
    #[serde(default)]
    pub mentions: Vec<MemberId>,
}

/// A teammate was mentioned in a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: NotificationId,
    pub conversation_id: ConversationId,
    pub line_id: LineId,
    pub activity_id: ActivityId,
    pub author: MemberRef,
    /// The note, cut to a line.
    pub excerpt: String,
    pub read: bool,
    /// Milliseconds since the Unix epoch.
    pub at: i64,
    /// For a note on a contact: the contact (the conversation is the note's, or the contact's
    /// latest on the teammate's lines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<crate::ContactId>,
}

/// `GET /api/v1/notifications`: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationList {
    pub notifications: Vec<Notification>,
    pub unread_count: u32,
}

/// What the server pushes on `GET /api/v1/events` (server-sent events, `data:` as JSON), each
/// with an id to resume from (`Last-Event-ID`). Externally tagged (`{"conversation": {…}}`):
/// the client reads it in one pass, with no buffering of the event's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LiveEvent {
    /// The first event of every stream: its id is where the stream starts, so that a client
    /// that reconnects before anything happened still resumes from there.
    Connected {},
    /// A conversation changed: state, newest activity, assignee or pin.
    Conversation {
        conversation: ConversationSummary,
        line_unread_count: u32,
    },
    /// A contact was created or changed (also its tags, numbers or properties): rows with one
    /// of its numbers show its name and tags.
    Contact {
        contact: crate::contacts::ContactCard,
    },
    /// A contact was deleted, or merged into `merged_into`.
    ContactRemoved {
        id: crate::ContactId,
        merged_into: Option<crate::ContactId>,
    },
    /// A note on a contact was written, edited (`note`) or deleted (`deleted`).
    ContactNote {
        contact_id: crate::ContactId,
        note: Option<crate::contacts::ContactNote>,
        deleted: Option<crate::ContactNoteId>,
    },
    /// The workspace's tags or contact properties changed: reload them.
    ContactSettings {
        tags: Vec<crate::contacts::Tag>,
        properties: Vec<crate::contacts::PropertyDefinition>,
    },
    /// A new activity in a conversation's thread (a message, a call, a note).
    Activity { activity: Activity },
    /// A notification for the teammate who receives the stream.
    Notification {
        notification: Notification,
        unread_count: u32,
    },
    /// This session has ended (signed out, expired, ended by an admin, teammate deactivated):
    /// the stream closes after it, and the app signs out and forgets what it kept.
    SessionEnded {},
    /// The teammate's access changed (lines given or taken, role): the stream closes after it;
    /// reload lines and lists before reconnecting.
    AccessChanged {},
    /// The teammate who receives the stream chose another interface language (on this device
    /// or another): show it at once.
    Language { language: Option<String> },
    /// The server is going away (a restart or a deploy): the stream closes after it; reconnect
    /// in a moment, resuming from the last event.
    Reconnect {},
    /// The stream cannot resume from the id asked for (older than what the server keeps):
    /// reload lines, lists and the open thread; the stream goes on from here.
    Reload {},
}

/// A teammate as owners and admins see them: `GET /api/v1/team/members`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMember {
    pub id: MemberId,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// The lines a member sees; for owners and admins, every line.
    pub line_ids: Vec<LineId>,
    /// A deactivated teammate cannot sign in and has no session; what they wrote and did stays
    /// theirs.
    pub deactivated: bool,
    /// Sessions that have not ended.
    pub active_sessions: u32,
    /// The last use of any of their sessions, in milliseconds since the Unix epoch.
    pub last_seen_at: Option<i64>,
    pub created_at: i64,
}

/// `GET /api/v1/team/members`: every teammate, deactivated ones too, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMemberList {
    pub members: Vec<TeamMember>,
}

/// `POST /api/v1/team/members`: adds a teammate with a first password (at least 8 characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTeamMember {
    pub email: String,
    pub name: String,
    pub role: Role,
    #[serde(default)]
    pub line_ids: Vec<LineId>,
    pub password: String,
}

/// `PATCH /api/v1/team/members/{id}`: what changes; an absent field stays as it is.
/// Deactivating ends every session of the teammate at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TeamMemberUpdate {
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub line_ids: Option<Vec<LineId>>,
    #[serde(default)]
    pub deactivated: Option<bool>,
}

/// `PUT /api/v1/team/members/{id}/password`: a new password (at least 8 characters); every
/// session of the teammate ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    pub password: String,
}

/// One session of a teammate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub id: SessionId,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    pub last_seen_at: i64,
    /// The browser or program that signed in, as it named itself.
    pub user_agent: Option<String>,
    /// Whether this is the session asking.
    pub current: bool,
}

/// `GET /api/v1/team/members/{id}/sessions`: newest use first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionList {
    pub sessions: Vec<SessionInfo>,
}
