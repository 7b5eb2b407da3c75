//! Switchboard's domain, shared by the web app and the server so that the rules live in one place.
//!
//! - [`conversation`]: a conversation's state (Open or Done, read or unread) and the transitions of
//!   the product brief, as pure functions, including the safety rule.
//! - [`view`]: the inbox views and which conversations belong in each; [`list`]: which
//!   conversations a list shows and their order, the one rule for server and web app.
//! - [`api`]: the REST API's request and response bodies; [`team`]: teammates, sign-in,
//!   notifications and live events.
//! - [`contacts`]: contacts, their tags, properties and notes, with the validation of numbers
//!   and property values.
//! - [`routes`]: the web app's addresses, read by its router and by the server.

pub mod api;
pub mod contacts;
pub mod conversation;
pub mod ids;
pub mod list;
pub mod phone;
pub mod routes;
pub mod team;
pub mod view;

pub use conversation::{ConversationState, StateChange, Status, UnseenActivity};
pub use ids::{
    ActivityId, ContactId, ContactNoteId, ConversationId, LineId, MemberId, NotificationId,
    SessionId, TagId,
};
pub use list::{list_position, ListPosition, ListRule};
pub use view::View;
