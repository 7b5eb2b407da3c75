//! Which conversations a list shows, and in what order: the one rule. The server's query follows
//! it (a test in the server's suite ties them) and the web app uses it to place the rows that
//! live events and its own changes move.

use crate::api::ConversationSummary;
use crate::ids::{LineId, MemberId};
use crate::view::View;
use std::cmp::Reverse;

/// A list: a view, on one line or all, of everyone's conversations or one teammate's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ListRule {
    pub view: View,
    /// `None`: every line the teammate has.
    pub line: Option<LineId>,
    /// `Some`: only the conversations assigned to this teammate.
    pub assignee: Option<MemberId>,
}

impl ListRule {
    /// Whether the list shows this conversation.
    pub fn admits(&self, conversation: &ConversationSummary) -> bool {
        self.view.includes(&conversation.state())
            && self.line.is_none_or(|line| conversation.line_id == line)
            && self.assignee.is_none_or(|member| {
                conversation
                    .assignee
                    .as_ref()
                    .is_some_and(|assignee| assignee.id == member)
            })
    }
}

/// Where a conversation sorts in every list: pinned first, then newest activity, then newest
/// id. Smaller keys come first, so that `sort_by_key` and `partition_point` read naturally.
pub type ListPosition = Reverse<(bool, i64, i64)>;

pub fn list_position(conversation: &ConversationSummary) -> ListPosition {
    Reverse((
        conversation.pinned,
        conversation.latest_activity.at,
        conversation.id.0,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Activity, ActivityContent, Contact, Direction};
    use crate::conversation::Status;
    use crate::ids::{ActivityId, ContactId, ConversationId};
    use crate::team::MemberRef;

    fn conversation(id: i64, line: i64, at: i64) -> ConversationSummary {
        ConversationSummary {
            id: ConversationId(id),
            line_id: LineId(line),
            contact: Contact {
                id: Some(ContactId(id)),
                name: None,
                number: "+15550100000".into(),
                tags: Vec::new(),
            },
            status: Status::Open,
            unread: false,
            latest_activity: Activity {
                id: ActivityId(id),
                conversation_id: ConversationId(id),
                direction: Direction::Inbound,
                at,
                content: ActivityContent::Message { text: "hi".into() },
                delivery: None,
            },
            latest_inbound_activity_id: Some(ActivityId(id)),
            assignee: None,
            pinned: false,
        }
    }

    #[test]
    fn a_list_admits_its_view_line_and_assignee_only() {
        let mut c = conversation(1, 2, 0);
        let rule = ListRule {
            view: View::Open,
            line: Some(LineId(2)),
            assignee: None,
        };
        assert!(rule.admits(&c));
        assert!(!ListRule {
            line: Some(LineId(3)),
            ..rule
        }
        .admits(&c));
        assert!(!ListRule {
            view: View::Done,
            ..rule
        }
        .admits(&c));
        let mine = ListRule {
            assignee: Some(MemberId(7)),
            ..rule
        };
        assert!(!mine.admits(&c));
        c.assignee = Some(MemberRef {
            id: MemberId(7),
            name: "Sam".into(),
        });
        assert!(mine.admits(&c));
        assert!(ListRule { line: None, ..mine }.admits(&c));
    }

    #[test]
    fn pinned_come_first_then_newest_activity_then_newest_id() {
        let mut pinned_old = conversation(1, 1, 10);
        pinned_old.pinned = true;
        let mut list = [
            conversation(2, 1, 50),
            conversation(3, 1, 50),
            pinned_old,
            conversation(4, 1, 90),
        ];
        list.sort_by_key(list_position);
        let ids: Vec<i64> = list.iter().map(|c| c.id.0).collect();
        assert_eq!(ids, [1, 4, 3, 2]);
    }
}
