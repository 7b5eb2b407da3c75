//! What teammates do elsewhere, as it happens: the server's live events applied to the store,
//! so that every screen converges to the server's state.

use super::{ListKey, Store, Thread};
use crate::navigation;
use crate::routes::LineFilter;
use leptos::prelude::*;
use std::cmp::Reverse;
use switchboard_domain::api::ConversationSummary;
use switchboard_domain::team::LiveEvent;
use switchboard_domain::{list_position, ConversationId, ListRule, MemberId};

impl Store {
    pub fn apply_live(&self, event: LiveEvent) {
        match event {
            LiveEvent::Conversation {
                conversation,
                line_unread_count,
            } => {
                let (id, line) = (conversation.id, conversation.line_id);
                self.remember(conversation);
                self.lines.report_count(line, line_unread_count);
                self.place_in_list(id);
                let showing = self.open_thread.thread.with_untracked(
                    |thread| matches!(thread, Thread::Loaded(detail) if detail.conversation.id == id),
                );
                if let Some(summary) = self.summary(id).filter(|_| showing) {
                    let summary = summary.get_untracked();
                    self.open_thread.thread.update(|thread| {
                        if let Thread::Loaded(detail) = thread {
                            detail.conversation = summary;
                        }
                    });
                }
            }
            LiveEvent::Connected {} => {}
            LiveEvent::Contact { contact } => self.take_contact(contact),
            LiveEvent::ContactRemoved { id, merged_into } => self.contact_removed(id, merged_into),
            LiveEvent::ContactNote {
                contact_id,
                note,
                deleted,
            } => self.contact_note_changed(contact_id, note, deleted),
            LiveEvent::ContactSettings { tags, properties } => {
                self.contact_settings_changed(tags, properties)
            }
            LiveEvent::SessionEnded {} => self.session_ended(),
            LiveEvent::AccessChanged {} | LiveEvent::Reload {} => self.reload(),
            // The server is restarting: the stream closes and reopens by itself, from here.
            LiveEvent::Reconnect {} => {}
            LiveEvent::Language { language } => self.language_chosen(language),
            LiveEvent::Activity { activity } => self.append_activity(activity),
            LiveEvent::Notification {
                notification,
                unread_count,
            } => self.team.notifications.update(|list| {
                if !list.notifications.iter().any(|n| n.id == notification.id) {
                    list.notifications.insert(0, notification);
                }
                list.unread_count = unread_count;
            }),
        }
    }

    /// The domain's rule for the list on screen (the server's query follows the same one).
    fn rule(&self, key: ListKey) -> ListRule {
        ListRule {
            view: key.view,
            line: match key.line {
                LineFilter::All => None,
                LineFilter::Line(line) => Some(line),
            },
            // "Mine" before the session is known admits nothing: no teammate has id 0.
            assignee: key.mine.then(|| self.me().map_or(MemberId(0), |me| me.id)),
        }
    }

    /// Whether the list on screen shows this conversation: the domain's rule, and the tag.
    fn admits(&self, key: ListKey, summary: &ConversationSummary) -> bool {
        self.rule(key).admits(summary)
            && key
                .tag
                .is_none_or(|tag| summary.contact.tags.contains(&tag))
    }

    /// Puts a conversation where it now belongs in the list on screen: out of it, into it at
    /// its place in the order, or moved (a new message brings it to the top).
    pub(super) fn place_in_list(&self, id: ConversationId) {
        let Some(summary) = self.summary(id).map(|s| s.get_untracked()) else {
            return;
        };
        let Some(key) = self.inbox.list.with_untracked(|list| list.key) else {
            return;
        };
        // The open conversation stays in its list while it is open (reading it in the Unread
        // view must not pull it out from under the reader).
        let open = self.place.route.with_untracked(|route| route.conversation) == Some(id);
        let belongs = self.admits(key, &summary)
            || (open && self.inbox.list.with_untracked(|l| l.ids.contains(&id)));
        let ids = self.inbox.list.with_untracked(|list| list.ids.clone());
        let present = ids.contains(&id);
        if present && !belongs {
            if self.inbox.selected.get_untracked() == Some(id) {
                self.inbox.selected.set(navigation::successor(&ids, id));
            }
            self.inbox.list.update(|list| list.ids.retain(|x| *x != id));
            return;
        }
        if !belongs {
            return;
        }
        let key_of = |other: &ConversationId| {
            self.summary(*other)
                .map(|s| s.with_untracked(list_position))
                .unwrap_or(Reverse((false, i64::MIN, i64::MIN)))
        };
        let mine = list_position(&summary);
        let others: Vec<ConversationId> = ids.into_iter().filter(|x| *x != id).collect();
        let position = others.partition_point(|other| key_of(other) < mine);
        // Past the last loaded row it belongs to a page not loaded yet.
        let more = self
            .inbox
            .list
            .with_untracked(|list| list.next_cursor.is_some());
        if position == others.len() && more {
            if present {
                self.inbox.list.update(|list| list.ids.retain(|x| *x != id));
            }
            return;
        }
        self.inbox.list.update(|list| {
            let current = list.ids.iter().position(|x| *x == id);
            if current != Some(position) {
                list.ids.retain(|x| *x != id);
                list.ids.insert(position.min(list.ids.len()), id);
            }
        });
    }
}
