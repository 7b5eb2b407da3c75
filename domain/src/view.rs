//! The inbox views: Open (the default inbox), Unread, and Done (history).

use crate::conversation::{ConversationState, Status};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum View {
    #[default]
    Open,
    Unread,
    Done,
}

impl View {
    pub const ALL: [View; 3] = [View::Open, View::Unread, View::Done];

    pub fn as_str(self) -> &'static str {
        match self {
            View::Open => "open",
            View::Unread => "unread",
            View::Done => "done",
        }
    }

    /// Whether a conversation in `state` is listed in this view.
    pub fn includes(self, state: &ConversationState) -> bool {
        match self {
            View::Open => state.status == Status::Open,
            View::Unread => state.unread,
            View::Done => state.status == Status::Done,
        }
    }
}

impl std::str::FromStr for View {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        View::ALL
            .into_iter()
            .find(|view| view.as_str() == s)
            .ok_or_else(|| format!("unknown view {s:?}: expected open, unread or done"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ActivityId, StateChange};

    #[test]
    fn a_done_conversation_is_only_in_the_done_view() {
        let state = ConversationState::started_by_inbound(ActivityId(1))
            .apply(StateChange::Done, Some(ActivityId(1)))
            .unwrap();
        let views: Vec<View> = View::ALL
            .into_iter()
            .filter(|v| v.includes(&state))
            .collect();
        assert_eq!(views, [View::Done]);
    }

    #[test]
    fn an_unread_conversation_is_in_the_open_and_unread_views() {
        let state = ConversationState::started_by_inbound(ActivityId(1));
        let views: Vec<View> = View::ALL
            .into_iter()
            .filter(|v| v.includes(&state))
            .collect();
        assert_eq!(views, [View::Open, View::Unread]);
    }

    #[test]
    fn views_parse_from_their_names_only() {
        for view in View::ALL {
            assert_eq!(view.as_str().parse::<View>(), Ok(view));
        }
        assert!("archived".parse::<View>().is_err());
        assert!("Open".parse::<View>().is_err());
    }
}
