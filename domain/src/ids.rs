//! Typed ids, so that a line id is never passed where a conversation id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = i64))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

id_type!(
    /// A phone line: one of the team's inboxes.
    LineId
);
id_type!(
    /// A customer: a person or company with names, numbers, emails, tags, properties and notes.
    ContactId
);
id_type!(
    /// A workspace tag that contacts carry.
    TagId
);
id_type!(
    /// A note on a contact.
    ContactNoteId
);
id_type!(
    /// The thread between one line and one contact.
    ConversationId
);
id_type!(
    /// One message, call or voicemail. Ids grow in the order activities are stored, which is what
    /// the safety rule compares: an activity with a higher id arrived later.
    ActivityId
);
id_type!(
    /// A teammate: a member of the workspace.
    MemberId
);
id_type!(
    /// A notification for one teammate (a mention).
    NotificationId
);
id_type!(
    /// One signed-in session of a teammate (a browser or a device).
    SessionId
);
