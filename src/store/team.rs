//! The team: who is signed in, the teammates, notifications, and the changes that involve them
//! (assignment, pins, notes).

use super::changes::storage;
use super::{NoticeKind, Store, Thread};
use crate::api::{self, ClientError};
use crate::i18n::{self, t, tf, Lang, Text};
use crate::live;
use crate::routes::{InboxRoute, LineFilter};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;
use std::time::Duration;
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

/// Where a sign-out the server has not confirmed yet is remembered, so that a reload tries it
/// again rather than forgetting it.
const SIGNING_OUT_KEY: &str = "switchboard.signing-out";
const FIRST_SIGN_OUT_RETRY: Duration = Duration::from_secs(1);
const LAST_SIGN_OUT_RETRY: Duration = Duration::from_secs(30);

/// The team as this teammate sees it: who they are, their teammates, their notifications.
#[derive(Clone, Copy)]
pub struct Team {
    pub session: RwSignal<Session>,
    /// The teammates, to assign to and @mention.
    pub members: RwSignal<Vec<MemberRef>>,
    pub notifications: RwSignal<NotificationList>,
    pub notifications_open: RwSignal<bool>,
    /// The teammate asked to sign out and the server has not confirmed it yet (offline): they
    /// stay signed in here until it does.
    pub signing_out: RwSignal<bool>,
    sign_out_attempts: StoredValue<SignOutAttempts>,
}

/// The tries at a sign-out the server has not confirmed yet.
#[derive(Debug, Clone, Copy)]
struct SignOutAttempts {
    in_flight: bool,
    next_delay: Duration,
    timer: Option<TimeoutHandle>,
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
            signing_out: RwSignal::new(false),
            sign_out_attempts: StoredValue::new(SignOutAttempts {
                in_flight: false,
                next_delay: FIRST_SIGN_OUT_RETRY,
                timer: None,
            }),
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
    /// At start: finishes a sign-out that a previous visit could not, or else asks the server
    /// who is signed in.
    pub fn check_session(&self) {
        if storage().is_some_and(|s| s.get_item(SIGNING_OUT_KEY).ok().flatten().is_some()) {
            // Tried first: if the server answers, nothing of the session shows at all.
            self.team.signing_out.set(true);
            self.try_sign_out();
        } else {
            self.ask_session();
        }
    }

    fn ask_session(&self) {
        let store = *self;
        spawn_local(async move {
            match api::session().await {
                Ok(Some(me)) => {
                    crate::pwa::remember_member(me.id).await;
                    store.signed_in(me);
                }
                Ok(None) => {
                    // Nobody is signed in here: what a session left behind (it ended while the
                    // app was closed) belongs to someone who is gone, and a sign-out waiting
                    // for the server has nothing left to end.
                    store.drop_pending_changes();
                    store.give_up_sign_out();
                    crate::pwa::forget_cached_data().await;
                    store.team.session.set(Session::SignedOut);
                }
                // Offline with nothing known of who was signed in: sign in once it answers.
                Err(_) => store.team.session.set(Session::SignedOut),
            }
        });
    }

    /// The sign-in page's answer: a new session, which ended any other this browser had (a
    /// sign-out still waiting for the server is done with). The service worker learns whose
    /// answers to keep before any is asked for.
    pub async fn signed_in_anew(&self, me: Me) {
        self.give_up_sign_out();
        crate::pwa::remember_member(me.id).await;
        self.signed_in(me);
    }

    /// Someone is signed in: their queue of changes, the team, their notifications, live
    /// updates, and any changes that waited for a session.
    pub fn signed_in(&self, me: Me) {
        self.follow_language(me.language.as_deref());
        self.adopt_pending_changes(me.id);
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
        self.load_contact_settings();
        if !self.team.signing_out.get_untracked() {
            let store = *self;
            live::connect(live::Listener {
                on_event: Rc::new(move |event| store.apply_live(event)),
                on_failure: Rc::new(move || store.check_live_session()),
            });
        }
        self.sync();
    }

    /// The server no longer knows this session (signed out elsewhere, ended by an admin,
    /// expired, the teammate deactivated): sign in again, and nothing of it stays on this
    /// device: not its cached answers, not its unsent changes, not what the page holds.
    pub fn session_ended(&self) {
        if !matches!(self.team.session.get_untracked(), Session::SignedIn(_)) {
            return;
        }
        live::disconnect();
        let here = web_sys::window()
            .and_then(|w| w.location().pathname().ok().zip(w.location().search().ok()))
            .map(|(path, search)| format!("{path}{search}"))
            .unwrap_or_default();
        self.drop_pending_changes();
        self.give_up_sign_out();
        self.team.session.set(Session::SignedOut);
        spawn_local(async move {
            crate::pwa::forget_cached_data().await;
            // A fresh page: the lists, threads and undo steps in memory go too, rather than
            // greet whoever signs in next.
            let next = js_sys::encode_uri_component(&here);
            if let Some(window) = web_sys::window() {
                let _ = window.location().replace(&format!("/sign-in?next={next}"));
            }
        });
    }

    /// Handles an answer the server gave because nobody is signed in; `true` if it was that.
    pub(super) fn signed_out_by(&self, error: &ClientError) -> bool {
        if error.is_signed_out() {
            self.session_ended();
        }
        error.is_signed_out()
    }

    /// Signs out. Only once the server confirms does the app forget what this browser kept of
    /// the team's data and start afresh: until then (offline, the server down) the teammate
    /// stays signed in here, is told so, and the sign-out is tried again, after a reload too.
    /// Forgetting at once would leave the session open on the server for the next person.
    pub fn sign_out(&self) {
        live::disconnect();
        if let Some(storage) = storage() {
            let _ = storage.set_item(SIGNING_OUT_KEY, "1");
        }
        self.team.signing_out.set(true);
        self.team
            .sign_out_attempts
            .update_value(|a| a.next_delay = FIRST_SIGN_OUT_RETRY);
        self.try_sign_out();
    }

    /// Tries a waiting sign-out again now (the browser says it is back online).
    pub fn resume_sign_out(&self) {
        if self.team.signing_out.get_untracked() {
            self.team
                .sign_out_attempts
                .update_value(|a| a.next_delay = FIRST_SIGN_OUT_RETRY);
            self.try_sign_out();
        }
    }

    fn try_sign_out(&self) {
        let mut started = false;
        self.team.sign_out_attempts.update_value(|a| {
            if let Some(timer) = a.timer.take() {
                timer.clear();
            }
            started = !a.in_flight;
            a.in_flight = true;
        });
        if !started {
            return;
        }
        let store = *self;
        spawn_local(async move {
            let result = api::sign_out().await;
            store
                .team
                .sign_out_attempts
                .update_value(|a| a.in_flight = false);
            if !store.team.signing_out.get_untracked() {
                return; // Given up meanwhile: someone signed in anew.
            }
            match result {
                // Signed out, or the server had already ended the session: it is over.
                Ok(()) => store.signed_out_here().await,
                Err(error) if error.is_signed_out() => store.signed_out_here().await,
                Err(error) => {
                    if let ClientError::Network(_) = error {
                        store.sync_status.online.set(false);
                    }
                    // At start: show the session as this browser last knew it meanwhile.
                    if store.team.session.get_untracked() == Session::Checking {
                        store.ask_session();
                    }
                    store.retry_sign_out_later();
                }
            }
        });
    }

    fn retry_sign_out_later(&self) {
        let store = *self;
        let mut delay = FIRST_SIGN_OUT_RETRY;
        self.team.sign_out_attempts.update_value(|a| {
            delay = a.next_delay;
            a.next_delay = (delay * 2).min(LAST_SIGN_OUT_RETRY);
        });
        let timer = set_timeout_with_handle(move || store.try_sign_out(), delay).ok();
        self.team
            .sign_out_attempts
            .update_value(|a| a.timer = timer);
    }

    /// The server confirmed the sign-out: nothing of this teammate stays on this device (the
    /// server's `Clear-Site-Data` says the same to the browser), and a fresh page starts.
    async fn signed_out_here(&self) {
        self.drop_pending_changes();
        crate::pwa::forget_cached_data().await;
        self.give_up_sign_out();
        if let Some(window) = web_sys::window() {
            let _ = window.location().assign("/sign-in");
        }
    }

    /// No sign-out waits any more (it is done, or a session ended or began meanwhile).
    fn give_up_sign_out(&self) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(SIGNING_OUT_KEY);
        }
        self.team.sign_out_attempts.update_value(|a| {
            if let Some(timer) = a.timer.take() {
                timer.clear();
            }
        });
        if self.team.signing_out.get_untracked() {
            self.team.signing_out.set(false);
        }
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

    /// Shows the teammate's chosen language (`None`: the browser's).
    pub fn follow_language(&self, choice: Option<&str>) {
        self.language.switch(i18n::chosen_or_browser(choice));
    }

    /// The teammate chose a language here (`None`: each browser's own): shown at once, and kept
    /// by the server for every device they use (which the live stream tells).
    pub fn choose_language(&self, choice: Option<Lang>) {
        self.language
            .switch(choice.unwrap_or_else(i18n::of_browser));
        let store = *self;
        spawn_local(async move {
            match api::choose_language(choice.map(Lang::code)).await {
                Ok(me) => store.team.session.set(Session::SignedIn(me)),
                Err(error) if store.signed_out_by(&error) => {}
                Err(error) => store.notices.notify(
                    NoticeKind::Error,
                    tf(
                        Text::NoticesLanguageFailed,
                        &[("error", &error.to_string())],
                    ),
                    false,
                ),
            }
        });
    }

    /// The live stream says the teammate chose a language (here or on another device).
    pub(super) fn language_chosen(&self, language: Option<String>) {
        self.follow_language(language.as_deref());
        self.team.session.update(|session| {
            if let Session::SignedIn(me) = session {
                me.language = language;
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
                        .map_or_else(|| t(Text::NoticesNobody).to_owned(), |a| a.name.clone());
                    store.remember(conversation);
                    store.place_in_list(id);
                    store.notices.notify(
                        NoticeKind::Info,
                        tf(Text::NoticesAssigned, &[("name", &name), ("to", &to)]),
                        false,
                    );
                }
                Err(error) if store.signed_out_by(&error) => {}
                Err(error) => store.notices.notify(
                    NoticeKind::Error,
                    tf(Text::NoticesNotAssigned, &[("error", &error.to_string())]),
                    false,
                ),
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
                Err(error) => store.notices.notify(
                    NoticeKind::Error,
                    tf(Text::NoticesNotPinned, &[("error", &error.to_string())]),
                    false,
                ),
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
        self.add_activity_if_new(response.activity);
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
    /// An activity as the live stream tells it: new, or changed (a reply's delivery). The
    /// stream is in the server's order, so what it says last is how the activity stands.
    pub(super) fn append_activity(&self, activity: switchboard_domain::api::Activity) {
        self.put_activity(activity, true);
    }

    /// An activity from the answer to this browser's own request: shown if the stream has not
    /// brought it yet, and never over what the stream said since (the answer may come later).
    pub(super) fn add_activity_if_new(&self, activity: switchboard_domain::api::Activity) {
        self.put_activity(activity, false);
    }

    fn put_activity(&self, activity: switchboard_domain::api::Activity, replace: bool) {
        self.open_thread.thread.update(|thread| {
            if let Thread::Loaded(detail) = thread {
                if detail.conversation.id != activity.conversation_id {
                    return;
                }
                let at = detail.activities.partition_point(|a| a.id < activity.id);
                match detail.activities.get_mut(at) {
                    Some(known) if known.id == activity.id => {
                        if replace {
                            *known = activity;
                        }
                    }
                    _ => detail.activities.insert(at, activity),
                }
            }
        });
    }
}
