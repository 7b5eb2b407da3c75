//! The queue of state changes not yet acknowledged by the server, in the order they were made.
//!
//! It is kept in the browser's storage after every change, so that a reload or a closed tab
//! loses none; offline, changes wait in it and are sent in order once the server answers again.
//! Each change carries an id, so that a change is never queued twice and the server applies a
//! resent one once.
//!
//! A queue belongs to one teammate, and is stored with their id: on a shared browser it is sent
//! only while that teammate is signed in, and whoever signs in next finds it dropped, never
//! replayed as their own.

use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use switchboard_domain::{ActivityId, ConversationId, ConversationState, MemberId, StateChange};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingChange {
    pub change_id: String,
    pub conversation: ConversationId,
    pub change: StateChange,
    pub seen: Option<ActivityId>,
    /// The conversation's state before the change, to return to if the server refuses it.
    pub before: ConversationState,
    /// Who the conversation is with, for the notice if the change is refused.
    pub name: String,
    /// Asked for by the user (not the automatic "read" of viewing): a refusal is reported.
    pub explicit: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncQueue {
    /// Whose changes these are: `None` until the signed-in teammate is known.
    owner: Option<MemberId>,
    changes: VecDeque<PendingChange>,
}

/// The queue as the browser keeps it.
#[derive(Serialize)]
struct Stored<'a> {
    member: Option<MemberId>,
    changes: &'a VecDeque<PendingChange>,
}

/// The same, read back: each change from its own text (see [`SyncQueue::from_json`]).
#[derive(Deserialize)]
struct StoredRaw {
    member: Option<MemberId>,
    changes: Vec<Box<serde_json::value::RawValue>>,
}

impl SyncQueue {
    /// An empty queue for `member`'s changes.
    pub fn for_member(member: MemberId) -> SyncQueue {
        SyncQueue {
            owner: Some(member),
            changes: VecDeque::new(),
        }
    }

    /// What a previous visit stored, as `member` takes it: their own changes, or an empty queue
    /// if it was another teammate's or nobody's (those are dropped, never sent as `member`).
    pub fn restore(stored: Option<&str>, member: MemberId) -> SyncQueue {
        match stored.map(SyncQueue::from_json) {
            Some(queue) if queue.owner == Some(member) => queue,
            _ => SyncQueue::for_member(member),
        }
    }

    /// The teammate whose changes these are.
    pub fn owner(&self) -> Option<MemberId> {
        self.owner
    }

    /// Adds a change at the end; a change already queued (same id) is not added again.
    pub fn push(&mut self, change: PendingChange) -> bool {
        if self.changes.iter().any(|c| c.change_id == change.change_id) {
            return false;
        }
        self.changes.push_back(change);
        true
    }

    /// The change to send next.
    pub fn next(&self) -> Option<&PendingChange> {
        self.changes.front()
    }

    /// The change to send next while `signed_in` is who the server knows: none if the queue is
    /// another teammate's, or nobody is signed in.
    pub fn next_as(&self, signed_in: Option<MemberId>) -> Option<&PendingChange> {
        match signed_in {
            Some(member) if self.owner == Some(member) => self.next(),
            _ => None,
        }
    }

    /// Removes a change the server has answered for.
    pub fn acknowledge(&mut self, change_id: &str) -> Option<PendingChange> {
        let index = self.changes.iter().position(|c| c.change_id == change_id)?;
        self.changes.remove(index)
    }

    /// Whether a change to `conversation` is queued after `change_id`: its answer will be the
    /// last word on that conversation.
    pub fn has_later_change(&self, conversation: ConversationId, change_id: &str) -> bool {
        self.changes
            .iter()
            .skip_while(|c| c.change_id != change_id)
            .skip(1)
            .any(|c| c.conversation == conversation)
    }

    pub fn pending_conversations(&self) -> Vec<ConversationId> {
        let mut ids: Vec<ConversationId> = self.changes.iter().map(|c| c.conversation).collect();
        ids.sort();
        ids.dedup();
        ids
    }

    pub fn len(&self) -> usize {
        self.changes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// `state` as it will be once the queued changes to `conversation` are applied: what the
    /// screen shows while they wait.
    pub fn overlay(
        &self,
        conversation: ConversationId,
        state: ConversationState,
    ) -> ConversationState {
        self.changes
            .iter()
            .filter(|c| c.conversation == conversation)
            .fold(state, |state, c| {
                state.apply(c.change, c.seen).unwrap_or(state)
            })
    }

    /// The queue as stored in the browser: `{"member": id, "changes": [...]}`.
    pub fn to_json(&self) -> String {
        let stored = Stored {
            member: self.owner,
            changes: &self.changes,
        };
        serde_json::to_string(&stored).unwrap_or_default()
    }

    /// The stored queue; what cannot be read is dropped rather than blocking the rest, and a
    /// queue that does not say whose it is (as stored before queues had owners) belongs to
    /// nobody.
    pub fn from_json(stored: &str) -> SyncQueue {
        // Each item is read from its own text, with the same reader as everything else (a
        // second kind of reader would double the code that reads conversations).
        let Ok(StoredRaw { member, changes }) = serde_json::from_str(stored) else {
            return SyncQueue::default();
        };
        let mut queue = SyncQueue {
            owner: member,
            changes: VecDeque::new(),
        };
        for item in changes {
            if let Ok(change) = serde_json::from_str(item.get()) {
                queue.push(change);
            }
        }
        queue
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_domain::api::{
        Activity, ActivityContent, Contact, ConversationSummary, Direction,
    };
    use switchboard_domain::{ContactId, LineId, Status};

    fn before(conversation: i64) -> ConversationSummary {
        ConversationSummary {
            id: ConversationId(conversation),
            line_id: LineId(1),
            contact: Contact {
                id: Some(ContactId(1)),
                name: None,
                number: "+12125550100".into(),
                tags: Vec::new(),
            },
            status: Status::Open,
            unread: true,
            latest_activity: Activity {
                id: ActivityId(5),
                conversation_id: ConversationId(conversation),
                direction: Direction::Inbound,
                at: 0,
                content: ActivityContent::Message { text: "hi".into() },
                delivery: None,
            },
            latest_inbound_activity_id: Some(ActivityId(5)),
            assignee: None,
            pinned: false,
        }
    }

    fn change(id: &str, conversation: i64, change: StateChange) -> PendingChange {
        PendingChange {
            change_id: id.to_owned(),
            conversation: ConversationId(conversation),
            change,
            seen: Some(ActivityId(5)),
            before: before(conversation).state(),
            name: "Maya Smith".to_owned(),
            explicit: true,
        }
    }

    const SAM: MemberId = MemberId(1);
    const JORDAN: MemberId = MemberId(3);

    #[test]
    fn changes_leave_in_the_order_they_were_made() {
        let mut queue = SyncQueue::default();
        queue.push(change("a", 1, StateChange::Done));
        queue.push(change("b", 2, StateChange::Done));
        queue.push(change("c", 3, StateChange::Unread));
        let mut sent = Vec::new();
        while let Some(next) = queue.next().cloned() {
            sent.push(next.change_id.clone());
            queue.acknowledge(&next.change_id);
        }
        assert_eq!(sent, ["a", "b", "c"]);
        assert!(queue.is_empty());
    }

    #[test]
    fn a_change_is_queued_once_however_often_it_is_pushed() {
        let mut queue = SyncQueue::default();
        assert!(queue.push(change("a", 1, StateChange::Done)));
        assert!(!queue.push(change("a", 1, StateChange::Done)));
        assert_eq!(queue.len(), 1);
    }

    #[test]
    fn an_unanswered_change_stays_first() {
        let mut queue = SyncQueue::default();
        queue.push(change("a", 1, StateChange::Done));
        queue.push(change("b", 2, StateChange::Done));
        // The network failed: nothing is acknowledged, the same change is next again.
        assert_eq!(queue.next().unwrap().change_id, "a");
        assert_eq!(queue.next().unwrap().change_id, "a");
        assert_eq!(queue.acknowledge("zzz"), None);
        assert_eq!(queue.len(), 2);
    }

    #[test]
    fn the_stored_queue_comes_back_whole_and_in_order_for_its_teammate() {
        let mut queue = SyncQueue::for_member(SAM);
        queue.push(change("a", 1, StateChange::Done));
        queue.push(change("b", 2, StateChange::Unread));
        let stored = queue.to_json();
        assert_eq!(SyncQueue::from_json(&stored), queue);
        let restored = SyncQueue::restore(Some(&stored), SAM);
        assert_eq!(restored, queue);
        assert_eq!(restored.next_as(Some(SAM)).unwrap().change_id, "a");
    }

    #[test]
    fn another_teammate_finds_the_queue_dropped_and_sends_none_of_it() {
        let mut queue = SyncQueue::for_member(SAM);
        queue.push(change("a", 1, StateChange::Done));
        let stored = queue.to_json();

        let jordans = SyncQueue::restore(Some(&stored), JORDAN);
        assert!(jordans.is_empty());
        assert_eq!(jordans.owner(), Some(JORDAN));
        // Held in memory while someone else is signed in: nothing of it goes out as them.
        assert_eq!(queue.next_as(Some(JORDAN)), None);
        assert_eq!(queue.next_as(None), None);
        assert_eq!(
            SyncQueue::restore(None, JORDAN),
            SyncQueue::for_member(JORDAN)
        );
    }

    #[test]
    fn a_queue_that_does_not_say_whose_it_is_is_never_sent() {
        // As stored before queues had owners: a bare list of changes.
        let legacy = serde_json::to_string(&[change("a", 1, StateChange::Done)]).unwrap();
        assert_eq!(
            SyncQueue::restore(Some(&legacy), SAM),
            SyncQueue::for_member(SAM)
        );
        let mut unowned = SyncQueue::default();
        unowned.push(change("b", 1, StateChange::Done));
        assert_eq!(unowned.next_as(Some(SAM)), None);
        let restored = SyncQueue::restore(Some(&unowned.to_json()), SAM);
        assert!(restored.is_empty());
    }

    #[test]
    fn a_damaged_store_loses_only_what_is_damaged() {
        let mut queue = SyncQueue::for_member(SAM);
        queue.push(change("a", 1, StateChange::Done));
        let json = queue.to_json();
        let damaged = json.replace("\"changes\":[", "\"changes\":[{\"nonsense\": true},");
        assert_ne!(damaged, json);
        assert_eq!(SyncQueue::from_json(&damaged), queue);
        assert!(SyncQueue::from_json("not json").is_empty());
        assert_eq!(SyncQueue::from_json("not json").owner(), None);
    }

    #[test]
    fn a_later_change_to_the_same_conversation_has_the_last_word() {
        let mut queue = SyncQueue::default();
        queue.push(change("a", 1, StateChange::Done));
        queue.push(change("b", 2, StateChange::Done));
        queue.push(change("c", 1, StateChange::Unread));
        assert!(queue.has_later_change(ConversationId(1), "a"));
        assert!(!queue.has_later_change(ConversationId(1), "c"));
        assert!(!queue.has_later_change(ConversationId(2), "b"));
    }

    #[test]
    fn the_screen_shows_the_state_after_the_queued_changes() {
        let mut queue = SyncQueue::default();
        queue.push(change("a", 1, StateChange::Done));
        queue.push(change("b", 2, StateChange::Unread));
        let fresh = before(1).state();
        let shown = queue.overlay(ConversationId(1), fresh);
        assert_eq!((shown.status, shown.unread), (Status::Done, false));
        assert_eq!(queue.overlay(ConversationId(3), fresh), fresh);
        assert_eq!(
            queue.pending_conversations(),
            [ConversationId(1), ConversationId(2)]
        );
    }
}
