//! The one path by which a conversation's state changes: applied on screen at once, queued
//! (and kept in the browser's storage), sent to the server in order, and settled by its answer:
//! kept, corrected by a 409's fresh conversation, or rolled back with a notice. When the server
//! cannot be reached, changes wait and are sent once it answers again.

use super::{ListKey, NoticeKind, Store, UndoEntry, UNDO_DEPTH};
use crate::api::{self, ClientError};
use crate::i18n::{t, tf, Text};
use crate::navigation;
use crate::sync_queue::{PendingChange, SyncQueue};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;
use switchboard_domain::api::ConversationSummary;
use switchboard_domain::{ActivityId, ConversationId, MemberId, StateChange};

/// Where the queue is kept between visits.
const STORAGE_KEY: &str = "switchboard.pending-changes";
pub(super) const FIRST_RETRY: Duration = Duration::from_secs(1);
const LAST_RETRY: Duration = Duration::from_secs(8);

impl Store {
    /// The user's change to a conversation (key, button or swipe): shown at once, synced, and
    /// undoable. A row that no longer belongs in the view leaves it and the next row is selected
    /// (and opened, if the one that left was open).
    pub fn act(&self, id: ConversationId, change: StateChange) {
        let Some(before) = self.summary(id).map(|s| s.get_untracked()) else {
            return;
        };
        let seen = Some(before.latest_activity.id);
        let Ok(after) = before.state().apply(change, seen) else {
            return;
        };
        if (after.status, after.unread) == (before.status, before.unread) {
            return;
        }
        let key = self.inbox.list.with_untracked(|list| list.key);
        let ids = self.inbox.list.with_untracked(|list| list.ids.clone());
        let index = ids.iter().position(|x| *x == id);
        let leaves = index.is_some() && key.is_some_and(|key| !key.view.includes(&after));
        let successor = navigation::successor(&ids, id);

        // A row that leaves goes first: it is then disposed before its state changes, rather
        // than redrawn in the frame that removes it.
        let removed_from = match (leaves, key, index) {
            (true, Some(key), Some(index)) => {
                self.inbox.list.update(|list| list.ids.retain(|x| *x != id));
                Some((key, index))
            }
            _ => None,
        };
        self.set_state(id, after);
        self.undo.update_value(|undo| {
            undo.push(UndoEntry {
                id,
                previous: before.state(),
                list: key,
                index: index.unwrap_or(0),
            });
            if undo.len() > UNDO_DEPTH {
                undo.remove(0);
            }
        });
        if leaves {
            self.inbox.selected.set(successor);
            self.inbox.keyboard_moves.update(|n| *n += 1);
            if self.place.route.get_untracked().conversation == Some(id) {
                self.go(
                    self.place
                        .route
                        .get_untracked()
                        .with_conversation(successor),
                    true,
                );
            }
        }
        let name = before.contact.display_name();
        self.enqueue(change, seen, &before, removed_from, true);
        let text = match change {
            StateChange::Done => Text::NoticesMarkedDone,
            StateChange::Unread => Text::NoticesMarkedUnread,
            StateChange::Open => Text::NoticesReopened,
            StateChange::Read => Text::NoticesMarkedRead,
        };
        let text = tf(text, &[("name", &name)]);
        let store = *self;
        after_paint(move || store.notices.notify(NoticeKind::Info, text, true));
    }

    /// Acts on the selected conversation.
    pub fn act_on_selected(&self, change: StateChange) {
        if let Some(id) = self.inbox.selected.get_untracked() {
            self.act(id, change);
        }
    }

    /// Undoes the last change (`Z`): the conversation gets its earlier state back, and its row
    /// its place.
    pub fn undo(&self) {
        let Some(entry) = self.undo.try_update_value(|undo| undo.pop()).flatten() else {
            self.notices.notify(
                NoticeKind::Info,
                t(Text::NoticesNothingToUndo).to_owned(),
                false,
            );
            return;
        };
        let Some(current) = self.summary(entry.id).map(|s| s.get_untracked()) else {
            return;
        };
        let Some(change) = current.state().change_to_restore(&entry.previous) else {
            return;
        };
        let seen = Some(current.latest_activity.id);
        let Ok(after) = current.state().apply(change, seen) else {
            return;
        };
        self.set_state(entry.id, after);
        if let Some(key) = entry.list {
            self.put_back(entry.id, Some((key, entry.index)));
        }
        if self
            .inbox
            .list
            .with_untracked(|list| list.ids.contains(&entry.id))
        {
            self.inbox.selected.set(Some(entry.id));
            self.inbox.keyboard_moves.update(|n| *n += 1);
        }
        let name = current.contact.display_name();
        self.enqueue(change, seen, &current, None, true);
        self.notices.notify(
            NoticeKind::Info,
            tf(Text::NoticesUndone, &[("name", &name)]),
            false,
        );
    }

    /// Returns a row to the list where it was, if it belongs in the view again.
    fn put_back(&self, id: ConversationId, removed_from: Option<(ListKey, usize)>) {
        let Some((key, index)) = removed_from else {
            return;
        };
        let Some(state) = self.summary(id).map(|s| s.with_untracked(|s| s.state())) else {
            return;
        };
        self.inbox.list.update(|list| {
            if list.key == Some(key) && !list.ids.contains(&id) && key.view.includes(&state) {
                let index = index.min(list.ids.len());
                list.ids.insert(index, id);
            }
        });
    }

    /// Viewing a conversation marks it read: not undoable, and not reported if refused.
    pub(super) fn mark_read(&self, id: ConversationId, seen: Option<ActivityId>) {
        let Some(before) = self.summary(id).map(|s| s.get_untracked()) else {
            return;
        };
        if let Ok(after) = before.state().apply(StateChange::Read, seen) {
            self.set_state(id, after);
        }
        self.enqueue(StateChange::Read, seen, &before, None, false);
    }

    fn enqueue(
        &self,
        change: StateChange,
        seen: Option<ActivityId>,
        before: &ConversationSummary,
        removed_from: Option<(ListKey, usize)>,
        explicit: bool,
    ) {
        let change_id = new_change_id();
        if let Some(place) = removed_from {
            self.removed_from.update_value(|places| {
                places.insert(change_id.clone(), place);
            });
        }
        self.queue.update_value(|queue| {
            queue.push(PendingChange {
                change_id,
                conversation: before.id,
                change,
                seen,
                before: before.state(),
                name: before.contact.display_name(),
                explicit,
            });
        });
        // Storing, sending and marking rows as waiting wait until the change is on screen (see
        // `after_paint`): the next frame shows the change itself, nothing more.
        let store = *self;
        after_paint(move || {
            store.save_queue();
            store.sync();
        });
    }

    /// `member` signed in: the queue becomes theirs. Changes a previous visit left unsent come
    /// back if they were this teammate's; another teammate's are dropped, never sent as this
    /// one.
    pub(super) fn adopt_pending_changes(&self, member: MemberId) {
        if self.queue.with_value(SyncQueue::owner) == Some(member) {
            return;
        }
        let stored = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        let restored = SyncQueue::restore(stored.as_deref(), member);
        self.removed_from.update_value(|places| places.clear());
        self.queue.set_value(restored);
        self.save_queue();
    }

    /// Forgets the changes not yet sent, here and in the browser's storage (at sign-out, and
    /// when the session ends): nobody else may send them, nor see them.
    pub(super) fn drop_pending_changes(&self) {
        self.queue.set_value(SyncQueue::default());
        self.removed_from.update_value(|places| places.clear());
        if let Some(storage) = storage() {
            let _ = storage.remove_item(STORAGE_KEY);
        }
        self.show_pending();
    }

    /// Writes the queue to the browser's storage (also when the page is hidden or closed).
    pub fn save_queue(&self) {
        let (owner, empty) = self.queue.with_value(|q| (q.owner(), q.is_empty()));
        // Until a teammate has taken the queue, what is stored is a previous visit's: keep it.
        if owner.is_none() {
            return;
        }
        if let Some(storage) = storage() {
            let _ = match empty {
                true => storage.remove_item(STORAGE_KEY),
                false => storage.set_item(STORAGE_KEY, &self.queue.with_value(SyncQueue::to_json)),
            };
        }
        self.show_pending();
    }

    fn show_pending(&self) {
        let pending = self.queue.with_value(SyncQueue::pending_conversations);
        if self
            .sync_status
            .pending
            .with_untracked(|shown| *shown != pending)
        {
            self.sync_status.pending.set(pending);
        }
    }

    /// Sends the queued changes, one at a time, unless that is already under way or a
    /// sign-out is (the sign-out drops them).
    pub fn sync(&self) {
        if self.syncing.get_value() || self.team.signing_out.get_untracked() {
            return;
        }
        self.syncing.set_value(true);
        let store = *self;
        spawn_local(async move { store.drain().await });
    }

    async fn drain(self) {
        while let Some(next) = self.next_to_send() {
            let change_id =
                switchboard_domain::api::ChangeId::try_from(next.change_id.clone()).ok();
            let result =
                api::change_state(next.conversation, next.change, next.seen, change_id).await;
            if let Err(ClientError::Network(_)) = result {
                // Unreachable: keep the change, and try again later.
                self.sync_status.online.set(false);
                self.syncing.set_value(false);
                self.retry_later();
                return;
            }
            self.sync_status.online.set(true);
            self.retry_delay.set_value(FIRST_RETRY);
            let superseded = self
                .queue
                .with_value(|queue| queue.has_later_change(next.conversation, &next.change_id));
            self.queue.update_value(|queue| {
                queue.acknowledge(&next.change_id);
            });
            self.save_queue();
            let removed_from = self
                .removed_from
                .try_update_value(|places| places.remove(&next.change_id))
                .flatten();
            self.settle(next, removed_from, superseded, result);
        }
        self.syncing.set_value(false);
    }

    /// The change to send next: only the signed-in teammate's own, and none once they are
    /// signing out.
    fn next_to_send(&self) -> Option<PendingChange> {
        if self.team.signing_out.get_untracked() {
            return None;
        }
        let me = self.me().map(|me| me.id);
        self.queue.with_value(|queue| queue.next_as(me).cloned())
    }

    fn retry_later(&self) {
        let delay = self.retry_delay.get_value();
        self.retry_delay.set_value((delay * 2).min(LAST_RETRY));
        let store = *self;
        set_timeout(move || store.sync(), delay);
    }

    fn settle(
        &self,
        change: PendingChange,
        removed_from: Option<(ListKey, usize)>,
        superseded: bool,
        result: Result<ConversationSummary, ClientError>,
    ) {
        let id = change.conversation;
        let error = match result {
            Ok(summary) => {
                if !superseded {
                    self.remember(summary);
                }
                return;
            }
            Err(error) => error,
        };
        let name = change.name.clone();
        self.forget_undo(id);
        if let Some(fresh) = error.unseen_activity().cloned() {
            let what = crate::text::activity_summary(&fresh.latest_activity);
            self.remember(fresh);
            self.put_back(id, removed_from);
            if self.place.route.get_untracked().conversation == Some(id) {
                self.fetch_thread(id, false);
            }
            self.notices.notify(
                NoticeKind::Warning,
                tf(Text::NoticesSentNew, &[("name", &name), ("what", &what)]),
                false,
            );
            return;
        }
        if !superseded {
            self.set_state(id, change.before);
            self.put_back(id, removed_from);
        }
        if change.explicit {
            self.notices.notify(
                NoticeKind::Error,
                tf(
                    match change.change {
                        StateChange::Done => Text::NoticesNotDone,
                        StateChange::Unread => Text::NoticesNotUnread,
                        StateChange::Open => Text::NoticesNotOpen,
                        StateChange::Read => Text::NoticesNotRead,
                    },
                    &[("name", &name), ("error", &error.to_string())],
                ),
                false,
            );
        }
    }

    fn forget_undo(&self, id: ConversationId) {
        self.undo
            .update_value(|undo| undo.retain(|entry| entry.id != id));
    }
}

/// Runs `work` once the current changes are painted: a key press or a swipe shows its effect in
/// the next frame, and what the screen does not need (storage, the network, the toast) follows.
fn after_paint(work: impl FnOnce() + 'static) {
    request_animation_frame(move || set_timeout(work, Duration::ZERO));
}

/// A name for a change, unique enough never to meet another: a random UUID where the browser
/// has one, else time and randomness.
fn new_change_id() -> String {
    let uuid = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|crypto| crypto.random_uuid());
    uuid.unwrap_or_else(|| {
        format!(
            "{:x}-{:x}",
            js_sys::Date::now() as u64,
            (js_sys::Math::random() * u64::MAX as f64) as u64
        )
    })
}

pub(super) fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}
