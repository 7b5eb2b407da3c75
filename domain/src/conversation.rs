//! A conversation's state and the rules that change it (the table of PRODUCT.md).
//!
//! Every function here is pure: the server applies them inside a transaction, the web app applies
//! them optimistically, and both therefore agree on the outcome.

use crate::ids::ActivityId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Whether a conversation still needs the team's attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Open,
    Done,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Done => "done",
        }
    }
}

impl std::str::FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "open" => Ok(Status::Open),
            "done" => Ok(Status::Done),
            other => Err(format!("unknown status {other:?}")),
        }
    }
}

/// A change a teammate asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum StateChange {
    /// ✓, swipe left, key `E`: Done and read.
    Done,
    /// Envelope, swipe right, key `U`: unread, and Open if it was Done.
    Unread,
    /// Key `O`, or reopen from the Done view.
    Open,
    /// The teammate viewed the conversation.
    Read,
}

impl StateChange {
    pub const ALL: [StateChange; 4] = [
        StateChange::Done,
        StateChange::Unread,
        StateChange::Open,
        StateChange::Read,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StateChange::Done => "done",
            StateChange::Unread => "unread",
            StateChange::Open => "open",
            StateChange::Read => "read",
        }
    }

    /// Whether this change would let the team stop looking at the conversation, which the safety
    /// rule forbids while inbound activity is unseen.
    pub fn hides_activity(self) -> bool {
        matches!(self, StateChange::Done | StateChange::Read)
    }
}

/// Refusal of a change that would hide inbound activity the requester has not seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnseenActivity {
    /// The newest inbound activity, which the requester had not seen.
    pub latest_inbound: ActivityId,
}

impl fmt::Display for UnseenActivity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "new inbound activity ({}) arrived after what you last saw",
            self.latest_inbound
        )
    }
}

impl std::error::Error for UnseenActivity {}

/// What the rules need to know of a conversation.
///
/// Invariants kept by every transition: a Done conversation is read, and so an unread one is Open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationState {
    pub status: Status,
    pub unread: bool,
    /// The newest inbound activity (message, call, voicemail), if any.
    pub latest_inbound: Option<ActivityId>,
}

impl ConversationState {
    /// A conversation that starts with an inbound activity.
    pub fn started_by_inbound(activity: ActivityId) -> Self {
        ConversationState {
            status: Status::Open,
            unread: true,
            latest_inbound: Some(activity),
        }
    }

    /// A conversation that the team starts (an outbound message or call): nothing to read.
    pub fn started_by_outbound() -> Self {
        ConversationState {
            status: Status::Open,
            unread: false,
            latest_inbound: None,
        }
    }

    /// Whether inbound activity arrived after `seen`, the newest activity the requester saw.
    pub fn has_unseen_inbound(&self, seen: Option<ActivityId>) -> bool {
        match (self.latest_inbound, seen) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(inbound), Some(seen)) => inbound > seen,
        }
    }

    /// Applies a teammate's change. `seen` is the newest activity their screen showed.
    ///
    /// The safety rule: a change that would hide inbound activity (done, read) is refused when such
    /// activity arrived after `seen`; the conversation then stays as it is, Open and unread.
    pub fn apply(
        self,
        change: StateChange,
        seen: Option<ActivityId>,
    ) -> Result<Self, UnseenActivity> {
        if change.hides_activity() && self.has_unseen_inbound(seen) {
            return Err(UnseenActivity {
                latest_inbound: self
                    .latest_inbound
                    .expect("unseen inbound implies one exists"),
            });
        }
        let (status, unread) = match change {
            StateChange::Done => (Status::Done, false),
            StateChange::Unread => (Status::Open, true),
            StateChange::Open => (Status::Open, self.unread),
            StateChange::Read => (self.status, false),
        };
        Ok(ConversationState {
            status,
            unread,
            ..self
        })
    }

    /// A new inbound message or call: Open and unread, also when it was Done.
    pub fn receive_inbound(self, activity: ActivityId) -> Self {
        ConversationState {
            status: Status::Open,
            unread: true,
            latest_inbound: Some(self.latest_inbound.map_or(activity, |l| l.max(activity))),
        }
    }

    /// A teammate replied: it is read unless inbound activity arrived that they had not seen, in
    /// which case the reply is kept and the conversation stays unread for the team. The status is
    /// left as it is: a reply does not reopen a Done conversation (the customer's answer will).
    pub fn reply(self, seen: Option<ActivityId>) -> Self {
        ConversationState {
            unread: self.unread && self.has_unseen_inbound(seen),
            ..self
        }
    }

    /// Handed to another teammate: unread for the team, and Open, so that the handoff is seen
    /// (the seed's "mark as unread when handing a conversation over").
    pub fn hand_off(self) -> Self {
        ConversationState {
            status: Status::Open,
            unread: true,
            ..self
        }
    }

    /// The change that brings `self` back to `previous` (status and unread), for undo; `None` when
    /// there is nothing to undo.
    pub fn change_to_restore(&self, previous: &ConversationState) -> Option<StateChange> {
        match (previous.status, previous.unread) {
            _ if (self.status, self.unread) == (previous.status, previous.unread) => None,
            (Status::Done, _) => Some(StateChange::Done),
            (Status::Open, true) => Some(StateChange::Unread),
            (Status::Open, false) if self.status == Status::Done => Some(StateChange::Open),
            (Status::Open, false) => Some(StateChange::Read),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: i64) -> ActivityId {
        ActivityId(n)
    }

    fn open_read(latest_inbound: i64) -> ConversationState {
        ConversationState {
            status: Status::Open,
            unread: false,
            latest_inbound: Some(id(latest_inbound)),
        }
    }

    fn done(latest_inbound: i64) -> ConversationState {
        ConversationState {
            status: Status::Done,
            unread: false,
            latest_inbound: Some(id(latest_inbound)),
        }
    }

    #[test]
    fn a_new_inbound_activity_makes_a_done_conversation_open_and_unread() {
        let state = done(3).receive_inbound(id(7));
        assert_eq!(state.status, Status::Open);
        assert!(state.unread);
        assert_eq!(state.latest_inbound, Some(id(7)));
    }

    #[test]
    fn a_conversation_started_by_a_customer_is_open_and_unread() {
        let state = ConversationState::started_by_inbound(id(1));
        assert_eq!((state.status, state.unread), (Status::Open, true));
    }

    #[test]
    fn a_conversation_started_by_the_team_is_open_and_read() {
        let state = ConversationState::started_by_outbound();
        assert_eq!((state.status, state.unread), (Status::Open, false));
        assert!(!state.has_unseen_inbound(None));
    }

    #[test]
    fn viewing_everything_marks_it_read() {
        let state = open_read(5).receive_inbound(id(6));
        let read = state.apply(StateChange::Read, Some(id(6))).unwrap();
        assert!(!read.unread);
        assert_eq!(read.status, Status::Open);
    }

    #[test]
    fn replying_marks_read_and_keeps_it_open() {
        let state = ConversationState::started_by_inbound(id(4)).reply(Some(id(4)));
        assert_eq!((state.status, state.unread), (Status::Open, false));
    }

    #[test]
    fn replying_without_having_seen_the_newest_message_leaves_it_unread() {
        let state = ConversationState::started_by_inbound(id(4))
            .receive_inbound(id(9))
            .reply(Some(id(4)));
        assert!(state.unread);
    }

    #[test]
    fn replying_to_a_done_conversation_leaves_it_done() {
        assert_eq!(done(2).reply(Some(id(3))).status, Status::Done);
    }

    #[test]
    fn mark_done_makes_it_done_and_read() {
        let state = open_read(5).receive_inbound(id(8));
        let done = state.apply(StateChange::Done, Some(id(8))).unwrap();
        assert_eq!((done.status, done.unread), (Status::Done, false));
    }

    #[test]
    fn mark_done_is_refused_when_a_message_arrived_after_what_the_client_saw() {
        let state = open_read(5).receive_inbound(id(8));
        assert_eq!(
            state.apply(StateChange::Done, Some(id(7))),
            Err(UnseenActivity {
                latest_inbound: id(8)
            })
        );
    }

    #[test]
    fn mark_done_is_refused_when_the_client_saw_nothing_at_all() {
        let state = ConversationState::started_by_inbound(id(1));
        assert!(state.apply(StateChange::Done, None).is_err());
    }

    #[test]
    fn mark_read_is_refused_when_a_message_arrived_after_what_the_client_saw() {
        let state = open_read(5).receive_inbound(id(8));
        assert!(state.apply(StateChange::Read, Some(id(6))).is_err());
    }

    #[test]
    fn outbound_activity_after_the_seen_one_does_not_block_mark_done() {
        // The client saw inbound 5; the team's own replies since then hide nothing from anyone.
        let state = open_read(5);
        assert!(state.apply(StateChange::Done, Some(id(5))).is_ok());
    }

    #[test]
    fn mark_unread_reopens_a_done_conversation() {
        let state = done(3).apply(StateChange::Unread, None).unwrap();
        assert_eq!((state.status, state.unread), (Status::Open, true));
    }

    #[test]
    fn mark_unread_is_never_refused() {
        let state = open_read(5).receive_inbound(id(9));
        assert!(state.apply(StateChange::Unread, None).is_ok());
    }

    #[test]
    fn mark_open_reopens_a_done_conversation_as_read() {
        let state = done(3).apply(StateChange::Open, None).unwrap();
        assert_eq!((state.status, state.unread), (Status::Open, false));
    }

    #[test]
    fn mark_open_keeps_an_unread_conversation_unread() {
        let state = ConversationState::started_by_inbound(id(2));
        let opened = state.apply(StateChange::Open, None).unwrap();
        assert_eq!((opened.status, opened.unread), (Status::Open, true));
    }

    #[test]
    fn a_handoff_reopens_and_marks_unread_for_the_team() {
        let handed = done(4).hand_off();
        assert_eq!((handed.status, handed.unread), (Status::Open, true));
        assert_eq!(handed.latest_inbound, Some(id(4)));
    }

    #[test]
    fn undo_brings_back_each_earlier_state() {
        let start = ConversationState::started_by_inbound(id(2));
        let read = start.apply(StateChange::Read, Some(id(2))).unwrap();
        let done = read.apply(StateChange::Done, Some(id(2))).unwrap();
        assert_eq!(done.change_to_restore(&read), Some(StateChange::Open));
        assert_eq!(done.change_to_restore(&start), Some(StateChange::Unread));
        assert_eq!(read.change_to_restore(&start), Some(StateChange::Unread));
        assert_eq!(start.change_to_restore(&read), Some(StateChange::Read));
        assert_eq!(read.change_to_restore(&done), Some(StateChange::Done));
        assert_eq!(done.change_to_restore(&done), None);
    }

    #[test]
    fn changes_are_spelled_as_in_the_api() {
        for change in StateChange::ALL {
            let json = serde_json::to_string(&change).unwrap();
            assert_eq!(json, format!("\"{}\"", change.as_str()));
        }
        assert_eq!(serde_json::to_string(&Status::Done).unwrap(), "\"done\"");
        assert_eq!("open".parse::<Status>(), Ok(Status::Open));
        assert!("closed".parse::<Status>().is_err());
    }
}

#[cfg(test)]
mod properties {
    //! Any sequence of inbound activity, replies and teammates' changes, each teammate seeing some
    //! earlier point of the conversation, keeps the invariants of the product.

    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Event {
        Inbound,
        Outbound,
        /// A teammate's change, made having seen the activity `lag` steps before the newest.
        Change(StateChange, usize),
        Reply(usize),
    }

    fn event() -> impl Strategy<Value = Event> {
        prop_oneof![
            2 => Just(Event::Inbound),
            1 => Just(Event::Outbound),
            4 => (prop::sample::select(StateChange::ALL.to_vec()), 0usize..3)
                .prop_map(|(c, lag)| Event::Change(c, lag)),
            1 => (0usize..3).prop_map(Event::Reply),
        ]
    }

    /// The simulation: the conversation plus what an honest observer knows of it.
    struct Run {
        state: ConversationState,
        next_activity: i64,
        /// Every activity so far, in arrival order.
        activities: Vec<ActivityId>,
        /// The newest activity that some accepted change or reply proves a teammate saw while
        /// making the conversation read.
        acknowledged: Option<ActivityId>,
    }

    impl Run {
        fn new() -> Self {
            Run {
                state: ConversationState::started_by_outbound(),
                next_activity: 1,
                activities: Vec::new(),
                acknowledged: None,
            }
        }

        fn seen(&self, lag: usize) -> Option<ActivityId> {
            self.activities
                .len()
                .checked_sub(1 + lag)
                .map(|index| self.activities[index])
        }

        fn new_activity(&mut self) -> ActivityId {
            let activity = ActivityId(self.next_activity);
            self.next_activity += 1;
            self.activities.push(activity);
            activity
        }

        fn step(&mut self, event: &Event) {
            match *event {
                Event::Inbound => {
                    let activity = self.new_activity();
                    self.state = self.state.receive_inbound(activity);
                }
                Event::Outbound => {
                    self.new_activity();
                }
                Event::Change(change, lag) => {
                    let seen = self.seen(lag);
                    match self.state.apply(change, seen) {
                        Ok(next) => {
                            if change.hides_activity() {
                                self.acknowledged = self.acknowledged.max(seen);
                            }
                            self.state = next;
                        }
                        Err(refused) => {
                            assert!(change.hides_activity(), "only done and read are refused");
                            assert!(seen < Some(refused.latest_inbound));
                        }
                    }
                }
                Event::Reply(lag) => {
                    let seen = self.seen(lag);
                    let before = self.state;
                    self.state = self.state.reply(seen);
                    if before.unread && !self.state.unread {
                        self.acknowledged = self.acknowledged.max(seen);
                    }
                    self.new_activity();
                }
            }
        }
    }

    proptest! {
        #[test]
        fn nothing_with_unseen_inbound_activity_is_ever_done_or_read(
            events in prop::collection::vec(event(), 0..60)
        ) {
            let mut run = Run::new();
            for event in &events {
                run.step(event);
                let state = run.state;
                if state.status == Status::Done || !state.unread {
                    prop_assert!(
                        state.latest_inbound <= run.acknowledged,
                        "{state:?} hides inbound activity nobody saw (acknowledged {:?})",
                        run.acknowledged
                    );
                }
            }
        }

        #[test]
        fn a_done_conversation_is_always_read(events in prop::collection::vec(event(), 0..60)) {
            let mut run = Run::new();
            for event in &events {
                run.step(event);
                if run.state.status == Status::Done {
                    prop_assert!(!run.state.unread);
                }
            }
        }

        #[test]
        fn the_newest_inbound_activity_is_never_forgotten(
            events in prop::collection::vec(event(), 0..60)
        ) {
            let mut run = Run::new();
            let mut newest_inbound = None;
            for event in &events {
                let before = run.activities.len();
                run.step(event);
                if matches!(event, Event::Inbound) {
                    newest_inbound = run.activities.get(before).copied();
                }
                prop_assert_eq!(run.state.latest_inbound, newest_inbound);
            }
        }

        #[test]
        fn undo_restores_the_previous_status_and_unread_flag(
            events in prop::collection::vec(event(), 0..30),
            change in prop::sample::select(StateChange::ALL.to_vec()),
        ) {
            let mut run = Run::new();
            for event in &events {
                run.step(event);
            }
            let everything = run.activities.last().copied();
            let before = run.state;
            let after = before.apply(change, everything).expect("a client that saw all");
            match after.change_to_restore(&before) {
                None => prop_assert_eq!((after.status, after.unread), (before.status, before.unread)),
                Some(undo) => {
                    let restored = after.apply(undo, everything).expect("undo by the same client");
                    prop_assert_eq!((restored.status, restored.unread), (before.status, before.unread));
                }
            }
        }
    }
}
