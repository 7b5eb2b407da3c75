//! The team: who is signed in, the teammates, notifications, and the changes that involve them
//! (assignment, pins, notes).

use super::{NoticeKind, Store, Thread};
use crate::api::{self, ClientError};
use crate::live;
use crate::routes::{InboxRoute, LineFilter};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;
use switchboard_domain::team::{Me, MemberRef, Notification, NotificationList};
use switchboard_domain::{ConversationId, MemberId, View};

/// Whether someone is signed in.
#[derive(Debug, Clone, PartialEq)]
pub enum Session {
    /// Asking the server, at start.
    Checking,
    SignedIn(Me),
    SignedOut,
}

/// The team as this teammate sees it: who they are, their teammates, their notifications.
#[derive(Clone, Copy)]
pub struct Team {
    pub session: RwSignal<Session>,
    /// The teammates, to assign to and @mention.
    pub members: RwSignal<Vec<MemberRef>>,
    pub notifications: RwSignal<NotificationList>,
    pub notifications_open: RwSignal<bool>,
}

impl Team {
    pub fn new() -> Team {
        Team {
            session: RwSignal::new(Session::Checking),
            members: RwSignal::new(Vec::new()),
            notifications: RwSignal::new(NotificationList {
                notifications: Vec::new(),
                unread_count: 0,
            }),
            notifications_open: RwSignal::new(false),
        }
    }

    /// The signed-in teammate, if any.
    pub fn me(&self) -> Option<Me> {
        match self.session.get_untracked() {
            Session::SignedIn(me) => Some(me),
            _ => None,
        }
    }
}

impl Default for Team {
    fn default() -> Self {
        Self::new()
    }
}

impl Store {
    /// At start: asks the server who is signed in.
    pub fn check_session(&self) {
        let store = *self;
        spawn_local(async move {
            match api::session().await {
                Ok(Some(me)) => store.signed_in(me),
                Ok(None) | Err(_) => store.team.session.set(Session::SignedOut),
            }
        });
    }

    /// Someone signed in: the team, their notifications, live updates, and any changes that
    /// waited for a session.
    pub fn signed_in(&self, me: Me) {
        self.team.session.set(Session::SignedIn(me));
        let store = *self;
        spawn_local(async move {
            if let Ok(team) = api::members().await {
                store.team.members.set(team.members);
            }
            if let Ok(list) = api::notifications().await {
                store.team.notifications.set(list);
            }
        });
        let store = *self;
        live::connect(live::Listener {
            on_event: Rc::new(move |event| store.apply_live(event)),
            on_failure: Rc::new(move || store.check_live_session()),
        });
        self.sync();
    }

    /// The server no longer knows us (the session expired or was ended): sign in again.
    /// Changes not yet sent wait for the next session.
    pub fn session_ended(&self) {
        if matches!(self.team.session.get_untracked(), Session::SignedIn(_)) {
            live::disconnect();
            self.team.session.set(Session::SignedOut);
        }
    }

    /// The server ended this session (signed out elsewhere, ended by an admin, expired, the
    /// teammate deactivated): sign in again, and nothing of it stays on this device.
    pub fn session_ended_by_server(&self) {
        self.session_ended();
        spawn_local(crate::pwa::forget_cached_data());
    }

    /// Handles an answer the server gave because nobody is signed in; `true` if it was that.
    pub(super) fn signed_out_by(&self, error: &ClientError) -> bool {
        if error.is_signed_out() {
            self.session_ended();
        }
        error.is_signed_out()
    }

    /// Signs out, forgets what this browser kept of the team's data, and starts afresh.
    pub fn sign_out(&self) {
        live::disconnect();
        spawn_local(async move {
            let _ = api::sign_out().await;
            crate::pwa::forget_cached_data().await;
            if let Some(window) = web_sys::window() {
                let _ = window.location().assign("/sign-in");
            }
        });
    }

    /// The live stream failed: if that was because the session ended, say so (the stream
    /// cannot tell a 401 from a dropped connection).
    pub fn check_live_session(&self) {
        let store = *self;
        spawn_local(async move {
            if let Ok(None) = api::session().await {
                store.session_ended();
            }
        });
    }

    pub fn me(&self) -> Option<Me> {
        self.team.me()
    }

    /// Assigns a conversation to a teammate, or to nobody.
    pub fn assign(&self, id: ConversationId, assignee: Option<MemberId>) {
        let store = *self;
        spawn_local(async move {
            match api::assign(id, assignee).await {
                Ok(conversation) => {
                    let name = conversation.contact.display_name();
                    let to = conversation
                        .assignee
                        .as_ref()
                        .map_or_else(|| "nobody".to_owned(), |a| a.name.clone());
                    store.remember(conversation);
                    store.place_in_list(id);
                    store.notices.notify(
                        NoticeKind::Info,
                        format!("{name} assigned to {to}"),
                        false,
                    );
                }
                Err(error) if store.signed_out_by(&error) => {}
                Err(error) => {
                    store
                        .notices
                        .notify(NoticeKind::Error, format!("Not assigned: {error}"), false)
                }
            }
        });
    }

    /// Pins or unpins a conversation for the whole team.
    pub fn set_pinned(&self, id: ConversationId, pinned: bool) {
        let store = *self;
        spawn_local(async move {
            match api::pin(id, pinned).await {
                Ok(conversation) => {
                    store.remember(conversation);
                    store.place_in_list(id);
                }
                Err(error) if store.signed_out_by(&error) => {}
                Err(error) => {
                    store
                        .notices
                        .notify(NoticeKind::Error, format!("Not pinned: {error}"), false)
                }
            }
        });
    }

    /// Writes an internal note in the open conversation.
    pub async fn send_note(
        &self,
        id: ConversationId,
        text: String,
        mentions: Vec<MemberId>,
    ) -> Result<(), ClientError> {
        let response = api::note(id, &text, mentions).await;
        if let Err(error) = &response {
            self.signed_out_by(error);
        }
        let response = response?;
        self.append_activity(response.activity);
        Ok(())
    }

    /// Opens the conversation a notification is about, and marks the notification read.
    pub fn open_notification(&self, notification: &Notification) {
        let id = notification.id;
        if !notification.read {
            self.team.notifications.update(|list| {
                if let Some(n) = list.notifications.iter_mut().find(|n| n.id == id) {
                    n.read = true;
                }
                list.unread_count = list.unread_count.saturating_sub(1);
            });
            spawn_local(async move {
                let _ = api::mark_notification_read(id).await;
            });
        }
        self.team.notifications_open.set(false);
        let route = InboxRoute::list(LineFilter::All, View::Open)
            .with_conversation(Some(notification.conversation_id));
        self.open_route(route);
    }

    /// Adds an activity to the open thread (a reply, a note, one that arrived live).
    pub(super) fn append_activity(&self, activity: switchboard_domain::api::Activity) {
        self.open_thread.thread.update(|thread| {
            if let Thread::Loaded(detail) = thread {
                let ours = detail.conversation.id == activity.conversation_id;
                if ours && !detail.activities.iter().any(|a| a.id == activity.id) {
                    let at = detail.activities.partition_point(|a| a.id < activity.id);
                    detail.activities.insert(at, activity);
                }
            }
        });
    }
}
