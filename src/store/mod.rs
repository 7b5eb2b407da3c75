//! The web app's state, in signals. Each conversation's summary lives in its own signal, so that
//! a change re-renders its row only; the list itself is a vector of ids.
//!
//! [`changes`] holds the one path by which a conversation's state changes.

mod changes;
mod contacts;
mod lines;
mod live;
mod notices;
mod team;

pub use contacts::{ContactEntry, Contacts, NEW_NUMBER_LABEL};
pub use lines::Lines;
pub use notices::{Notice, NoticeAction, NoticeKind, Notices};
pub use team::{Session, Team};

use crate::api::{self, ClientError};
use crate::i18n::{tf, Language, Text};
use crate::navigation;
use crate::routes::{InboxRoute, LineFilter};
use crate::sync_queue::SyncQueue;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashMap;
use std::time::Duration;
use switchboard_domain::api::{ConversationDetail, ConversationSummary, ConversationsQuery};
use switchboard_domain::{ConversationId, ConversationState, TagId, View};

/// Changes that can be undone with `Z`, newest last.
pub(crate) const UNDO_DEPTH: usize = 50;

/// Which list: a line (or all) and a view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ListKey {
    pub line: LineFilter,
    pub view: View,
    /// Only the signed-in teammate's conversations.
    pub mine: bool,
    /// Only the conversations whose contact has this tag.
    pub tag: Option<TagId>,
}

impl From<InboxRoute> for ListKey {
    fn from(route: InboxRoute) -> Self {
        ListKey {
            line: route.line,
            view: route.view,
            mine: route.mine,
            tag: route.tag,
        }
    }
}

impl ListKey {
    /// The first page's query of this list.
    fn query(&self) -> ConversationsQuery<'static> {
        ConversationsQuery::first_page(self.view, self.line.line(), self.mine).tagged(self.tag)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ListStatus {
    Loading,
    Ready,
    LoadingMore,
    Failed(String),
}

/// The conversations of the list on screen, newest activity first, as far as loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct ConversationList {
    pub key: Option<ListKey>,
    pub ids: Vec<ConversationId>,
    pub next_cursor: Option<String>,
    pub status: ListStatus,
}

/// The open conversation's thread.
#[derive(Debug, Clone, PartialEq)]
pub enum Thread {
    Closed,
    Loading(ConversationId),
    Loaded(Box<ConversationDetail>),
    Failed(ConversationId, String),
}

/// What `Z` restores.
#[derive(Debug, Clone)]
struct UndoEntry {
    id: ConversationId,
    previous: ConversationState,
    list: Option<ListKey>,
    index: usize,
}

type Navigator = Box<dyn Fn(&str, bool)>;

#[derive(Clone, Copy)]
pub struct Store {
    /// Who is signed in, the teammates, their notifications.
    pub team: Team,
    pub lines: Lines,
    pub notices: Notices,
    /// What waits to reach the server, and whether it can be reached.
    pub sync_status: SyncStatus,
    pub inbox: Inbox,
    pub place: Place,
    pub open_thread: OpenThread,
    /// The workspace's tags and properties, and the contacts shown.
    pub contacts: Contacts,
    /// The language the interface is shown in.
    pub language: Language,
    /// Whether the server last said each conversation is unread (the summaries show our own
    /// changes on top).
    server_unread: StoredValue<HashMap<ConversationId, bool>>,
    undo: StoredValue<Vec<UndoEntry>>,
    queue: StoredValue<SyncQueue>,
    /// Where rows were when a queued change took them out of the list, by change id.
    removed_from: StoredValue<HashMap<String, (ListKey, usize)>>,
    syncing: StoredValue<bool>,
    retry_delay: StoredValue<Duration>,
    /// Whether the open conversation was opened from the list in this visit, so that "back"
    /// can return through the browser's history.
    opened_from_list: StoredValue<bool>,
    navigator: StoredValue<Option<Navigator>, LocalStorage>,
}

/// What waits to reach the server, and whether it answers: for the row marks and the offline
/// banner.
#[derive(Clone, Copy)]
pub struct SyncStatus {
    /// Conversations with changes the server has not acknowledged yet.
    pub pending: RwSignal<Vec<ConversationId>>,
    /// Whether the server answered the last request (false: offline, or the server is down).
    pub online: RwSignal<bool>,
}

/// The list on screen and the keyboard's row in it: for the list and its rows.
#[derive(Clone, Copy)]
pub struct Inbox {
    pub list: RwSignal<ConversationList>,
    /// The row under the keyboard cursor; actions apply to it.
    pub selected: RwSignal<Option<ConversationId>>,
    /// Bumped when the keyboard moves the selection: the list then scrolls to it.
    pub keyboard_moves: RwSignal<u64>,
    summaries: StoredValue<HashMap<ConversationId, ArcRwSignal<ConversationSummary>>>,
}

impl Inbox {
    /// The signal holding a conversation's summary, if it was ever loaded.
    pub fn summary(&self, id: ConversationId) -> Option<ArcRwSignal<ConversationSummary>> {
        self.summaries.with_value(|map| map.get(&id).cloned())
    }
}

/// Where the user is: what the URL says (line, view, open conversation), and whether the
/// shortcut sheet is open.
#[derive(Clone, Copy)]
pub struct Place {
    pub route: RwSignal<InboxRoute>,
    pub sheet_open: RwSignal<bool>,
}

/// The open conversation's thread, and what is being written in each conversation.
#[derive(Clone, Copy)]
pub struct OpenThread {
    pub thread: RwSignal<Thread>,
    /// Where the contact panel is not beside the thread: whether it shows in its place.
    pub contact_screen: RwSignal<bool>,
    drafts: StoredValue<HashMap<ConversationId, Draft>>,
}

/// What a teammate wrote under a thread and has not sent: it stays when they open another
/// conversation and come back, and when the page is built anew in another language.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub text: String,
    /// An internal note rather than a reply.
    pub note: bool,
}

impl OpenThread {
    pub fn draft(&self, id: ConversationId) -> Draft {
        self.drafts
            .with_value(|drafts| drafts.get(&id).cloned())
            .unwrap_or_default()
    }

    pub fn keep_draft(&self, id: ConversationId, draft: Draft) {
        self.drafts.update_value(|drafts| {
            match draft == Draft::default() {
                true => drafts.remove(&id),
                false => drafts.insert(id, draft),
            };
        });
    }
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}

impl Store {
    pub fn new() -> Store {
        let sync_status = SyncStatus {
            pending: RwSignal::new(Vec::new()),
            online: RwSignal::new(true),
        };
        let inbox = Inbox {
            list: RwSignal::new(ConversationList {
                key: None,
                ids: Vec::new(),
                next_cursor: None,
                status: ListStatus::Loading,
            }),
            selected: RwSignal::new(None),
            keyboard_moves: RwSignal::new(0),
            summaries: StoredValue::new(HashMap::new()),
        };
        let server_unread = StoredValue::new(HashMap::new());
        let lines = Lines::new(sync_status.pending.into(), move |id| {
            let (line, shown) = inbox.summary(id)?.with(|s| (s.line_id, s.unread));
            let told = server_unread.with_value(|map: &HashMap<_, bool>| map.get(&id).copied())?;
            Some((line, shown, told))
        });
        Store {
            team: Team::new(),
            lines,
            notices: Notices::new(),
            sync_status,
            inbox,
            place: Place {
                route: RwSignal::new(InboxRoute::default()),
                sheet_open: RwSignal::new(false),
            },
            open_thread: OpenThread {
                thread: RwSignal::new(Thread::Closed),
                drafts: StoredValue::new(HashMap::new()),
                contact_screen: RwSignal::new(false),
            },
            contacts: Contacts::new(),
            language: Language::start(),
            server_unread,
            undo: StoredValue::new(Vec::new()),
            queue: StoredValue::new(SyncQueue::default()),
            removed_from: StoredValue::new(HashMap::new()),
            syncing: StoredValue::new(false),
            retry_delay: StoredValue::new(changes::FIRST_RETRY),
            opened_from_list: StoredValue::new(false),
            navigator: StoredValue::new_local(None),
        }
    }

    /// Puts the store and each of its narrow handles in context, for the components below.
    pub fn provide(self) -> Store {
        provide_context(self);
        provide_context(self.team);
        provide_context(self.lines);
        provide_context(self.notices);
        provide_context(self.sync_status);
        provide_context(self.inbox);
        provide_context(self.place);
        provide_context(self.open_thread);
        provide_context(self.contacts);
        provide_context(self.language);
        self
    }

    /// How the store changes the URL: `navigate(path, replace)`.
    pub fn set_navigator(&self, navigate: impl Fn(&str, bool) + 'static) {
        self.navigator.set_value(Some(Box::new(navigate)));
    }

    pub(super) fn go(&self, route: InboxRoute, replace: bool) {
        self.navigator.with_value(|navigate| {
            if let Some(navigate) = navigate {
                navigate(&route.path(), replace);
            }
        });
    }

    // ----- Conversations by id -----

    /// The signal holding a conversation's summary, if it was ever loaded.
    pub fn summary(&self, id: ConversationId) -> Option<ArcRwSignal<ConversationSummary>> {
        self.inbox.summary(id)
    }

    /// Takes in a conversation as the server sent it (with a page, an answer or a live event).
    /// Changes still waiting for the server stay applied on top.
    pub fn remember(&self, mut summary: ConversationSummary) {
        self.server_unread.update_value(|told| {
            told.insert(summary.id, summary.unread);
        });
        let shown = self
            .queue
            .with_value(|queue| queue.overlay(summary.id, summary.state()));
        summary.set_state(shown);
        match self.summary(summary.id) {
            Some(signal) => {
                if signal.with_untracked(|current| current != &summary) {
                    signal.set(summary);
                }
            }
            None => self
                .inbox
                .summaries
                .update_value(|map| drop(map.insert(summary.id, ArcRwSignal::new(summary)))),
        }
    }

    /// Shows a state of our own making (a change not yet acknowledged, or one rolled back).
    pub(super) fn set_state(&self, id: ConversationId, state: ConversationState) {
        if let Some(signal) = self.summary(id) {
            if signal.with_untracked(|s| s.state()) != state {
                signal.update(|summary| summary.set_state(state));
            }
        }
    }

    // ----- Loading -----

    pub fn load_lines(&self) {
        let store = *self;
        spawn_local(async move {
            match api::lines().await {
                Ok(list) => {
                    store.lines.set_reported(list.lines);
                    store.lines.set_sending(list.sending);
                }
                Err(error) if store.signed_out_by(&error) => {}
                Err(error) => store.notices.notify(
                    NoticeKind::Error,
                    tf(Text::NoticesLinesFailed, &[("error", &error.to_string())]),
                    false,
                ),
            }
        });
    }

    /// Reads again what the server may now show differently (after a change of this
    /// teammate's access, or when the live stream cannot resume): who is signed in and on
    /// which lines, the lines, the list and the open thread.
    pub fn reload(&self) {
        let store = *self;
        spawn_local(async move {
            match api::session().await {
                // Another teammate now (signed in from another tab): this page was not theirs.
                Ok(Some(me)) if store.me().is_some_and(|known| known.id != me.id) => {
                    store.session_ended()
                }
                Ok(Some(me)) if store.me().as_ref() != Some(&me) => {
                    store.team.session.set(Session::SignedIn(me))
                }
                Ok(None) => store.session_ended(),
                Ok(Some(_)) | Err(_) => {}
            }
        });
        match self.inbox.list.with_untracked(|list| list.key) {
            Some(key) => self.load_list(key), // with the lines
            None => self.load_lines(),
        }
        if let Some(id) = self.place.route.with_untracked(|route| route.conversation) {
            self.fetch_thread(id, false);
        }
        self.reload_contacts();
    }

    /// Follows the URL: loads the list if it is another one, opens or closes the thread.
    pub fn show_route(&self, route: InboxRoute) {
        let key = ListKey::from(route);
        self.place.route.set(route);
        if self.inbox.list.with_untracked(|list| list.key) != Some(key) {
            self.load_list(key);
        }
        let showing = self
            .open_thread
            .thread
            .with_untracked(|thread| match thread {
                Thread::Closed => None,
                Thread::Loading(id) | Thread::Failed(id, _) => Some(*id),
                Thread::Loaded(detail) => Some(detail.conversation.id),
            });
        if route.conversation != showing {
            // Another conversation opens on its thread, not on the last one's contact.
            self.open_thread.contact_screen.set(false);
            match route.conversation {
                Some(id) => self.open_thread(id),
                None => self.open_thread.thread.set(Thread::Closed),
            }
        }
    }

    fn load_list(&self, key: ListKey) {
        self.inbox.list.set(ConversationList {
            key: Some(key),
            ids: Vec::new(),
            next_cursor: None,
            status: ListStatus::Loading,
        });
        let store = *self;
        spawn_local(async move {
            let query = key.query();
            let result = api::conversations(&query).await;
            if store.inbox.list.with_untracked(|list| list.key) != Some(key) {
                return; // The user moved on to another list meanwhile.
            }
            match result {
                Ok(page) => {
                    let ids = store.take_in_page(key, page.conversations);
                    store.inbox.list.set(ConversationList {
                        key: Some(key),
                        ids,
                        next_cursor: page.next_cursor,
                        status: ListStatus::Ready,
                    });
                    store.keep_selection_in_list();
                }
                Err(error) => {
                    store.signed_out_by(&error);
                    store
                        .inbox
                        .list
                        .update(|list| list.status = ListStatus::Failed(error.to_string()))
                }
            }
            // Counts are fetched with each list, so that they agree with it.
            store.load_lines();
        });
    }

    /// Fetches the next page, if there is one and none is on its way.
    pub fn load_more(&self) {
        let Some((key, cursor)) =
            self.inbox
                .list
                .with_untracked(|list| match (&list.status, &list.next_cursor) {
                    (ListStatus::Ready, Some(cursor)) => list.key.map(|key| (key, cursor.clone())),
                    _ => None,
                })
        else {
            return;
        };
        self.inbox
            .list
            .update(|list| list.status = ListStatus::LoadingMore);
        let store = *self;
        spawn_local(async move {
            let query = ConversationsQuery {
                cursor: Some(&cursor),
                ..key.query()
            };
            let result = api::conversations(&query).await;
            if store.inbox.list.with_untracked(|list| list.key) != Some(key) {
                return;
            }
            match result {
                Ok(page) => {
                    let ids: Vec<ConversationId> =
                        page.conversations.iter().map(|c| c.id).collect();
                    for summary in page.conversations {
                        store.remember(summary);
                    }
                    store.inbox.list.update(|list| {
                        for id in ids {
                            if !list.ids.contains(&id) {
                                list.ids.push(id);
                            }
                        }
                        list.next_cursor = page.next_cursor;
                        list.status = ListStatus::Ready;
                    });
                }
                Err(error) => store
                    .inbox
                    .list
                    .update(|list| list.status = ListStatus::Failed(error.to_string())),
            }
        });
    }

    /// Remembers a page's conversations and returns the ids of those that belong in the list
    /// (a change waiting for the server may have taken one out of its view).
    fn take_in_page(&self, key: ListKey, page: Vec<ConversationSummary>) -> Vec<ConversationId> {
        let mut ids = Vec::with_capacity(page.len());
        for summary in page {
            let id = summary.id;
            self.remember(summary);
            let shown = self.summary(id).map(|s| s.with_untracked(|s| s.state()));
            if shown.is_some_and(|state| key.view.includes(&state)) {
                ids.push(id);
            }
        }
        ids
    }

    fn keep_selection_in_list(&self) {
        let ids = self.inbox.list.with_untracked(|list| list.ids.clone());
        let selected = self.inbox.selected.get_untracked();
        if selected.is_some_and(|id| ids.contains(&id)) {
            return;
        }
        let opened = self
            .place
            .route
            .get_untracked()
            .conversation
            .filter(|id| ids.contains(id));
        self.inbox
            .selected
            .set(opened.or_else(|| ids.first().copied()));
    }

    fn open_thread(&self, id: ConversationId) {
        self.open_thread.thread.set(Thread::Loading(id));
        self.inbox.selected.set(Some(id));
        self.fetch_thread(id, true);
    }

    /// Loads a thread; viewing it marks it read when `mark_read` (not when it is only refreshed,
    /// so that a conversation marked unread on screen stays unread).
    pub(super) fn fetch_thread(&self, id: ConversationId, mark_read: bool) {
        let store = *self;
        spawn_local(async move {
            let result = api::conversation(id).await;
            if store.place.route.get_untracked().conversation != Some(id) {
                return;
            }
            match result {
                Ok(detail) => {
                    let unread = detail.conversation.unread;
                    let seen = detail.activities.last().map(|a| a.id);
                    store.remember(detail.conversation.clone());
                    store
                        .open_thread
                        .thread
                        .set(Thread::Loaded(Box::new(detail)));
                    if unread && mark_read {
                        store.mark_read(id, seen);
                    }
                }
                Err(error) => {
                    store.signed_out_by(&error);
                    store
                        .open_thread
                        .thread
                        .set(Thread::Failed(id, error.to_string()))
                }
            }
        });
    }

    // ----- Selection -----

    pub fn select(&self, id: ConversationId) {
        self.inbox.selected.set(Some(id));
    }

    /// Moves the selection `delta` rows (keyboard).
    pub fn step(&self, delta: isize) {
        let next = self.inbox.list.with_untracked(|list| {
            navigation::step(&list.ids, self.inbox.selected.get_untracked(), delta)
        });
        if next.is_some() {
            self.inbox.selected.set(next);
            self.inbox.keyboard_moves.update(|n| *n += 1);
        }
    }

    /// Opens a conversation (its thread beside the list, or in its place on a phone).
    pub fn open(&self, id: ConversationId) {
        self.open_route(self.place.route.get_untracked().with_conversation(Some(id)));
    }

    /// Goes to a route with a conversation open, from where the user is.
    pub fn open_route(&self, route: InboxRoute) {
        self.inbox.selected.set(route.conversation);
        self.opened_from_list.set_value(true);
        self.go(route, false);
    }

    /// Shows only the conversations assigned to the signed-in teammate, or all again.
    pub fn show_mine(&self, mine: bool) {
        self.go(self.place.route.get_untracked().mine(mine), false);
    }

    /// Shows only the conversations whose contact has `tag`, or all again.
    pub fn show_tag(&self, tag: Option<TagId>) {
        let route = self.place.route.get_untracked();
        self.go(route.tagged(tag).with_conversation(None), false);
    }

    /// From a thread back to its list: through the history when the list is the page before,
    /// so that Back and this button agree.
    pub fn back_to_list(&self) {
        if self.opened_from_list.get_value() {
            self.opened_from_list.set_value(false);
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ = history.back();
                return;
            }
        }
        self.go(
            self.place.route.get_untracked().with_conversation(None),
            true,
        );
    }

    /// The name of the line the list shows, or "All lines".
    pub fn line_name(&self) -> String {
        self.lines.name(self.place.route.with(|route| route.line))
    }

    pub fn open_selected(&self) {
        if let Some(id) = self.inbox.selected.get_untracked() {
            self.open(id);
        }
    }

    // ----- Replies -----

    /// Sends a reply in the open conversation (and, with `mark_done`, marks it done unless the
    /// customer wrote meanwhile); the thread and the list follow.
    pub async fn send_reply(
        &self,
        id: ConversationId,
        text: String,
        mark_done: bool,
    ) -> Result<(), ClientError> {
        let in_thread = self
            .open_thread
            .thread
            .with_untracked(|thread| match thread {
                Thread::Loaded(detail) if detail.conversation.id == id => {
                    Some(detail.activities.last().map(|a| a.id))
                }
                _ => None,
            });
        let seen = match in_thread {
            Some(seen) => seen,
            None => self
                .summary(id)
                .map(|s| s.with_untracked(|s| s.latest_activity.id)),
        };
        let response = api::reply(id, &text, seen, mark_done).await;
        if let Err(error) = &response {
            self.signed_out_by(error);
        }
        let response = response?;
        let name = response.conversation.contact.display_name();
        let done = response.conversation.status == switchboard_domain::Status::Done;
        self.remember(response.conversation.clone());
        self.add_activity_if_new(response.activity);
        match done && mark_done {
            // As after E: the row leaves its view, and the next conversation is the open one.
            true => self.leave_view(id),
            // The newest activity comes first (after the pinned).
            false => self.place_in_list(id),
        }
        if mark_done {
            let text = match done {
                true => tf(Text::NoticesSentAndDone, &[("name", &name)]),
                false => tf(Text::NoticesSentNotDone, &[("name", &name)]),
            };
            self.notices.notify(NoticeKind::Info, text, false);
        }
        Ok(())
    }

    /// A conversation that no longer belongs in the list on screen leaves it at once, even the
    /// open one (as after E): the next one is selected, and opened if it was open.
    fn leave_view(&self, id: ConversationId) {
        let ids = self.inbox.list.with_untracked(|list| list.ids.clone());
        if !ids.contains(&id) {
            return;
        }
        let belongs = match self.inbox.list.with_untracked(|list| list.key) {
            Some(key) => self
                .summary(id)
                .is_some_and(|s| s.with_untracked(|s| key.view.includes(&s.state()))),
            None => true,
        };
        if belongs {
            return self.place_in_list(id);
        }
        let successor = navigation::successor(&ids, id);
        self.inbox.list.update(|list| list.ids.retain(|x| *x != id));
        if self.inbox.selected.get_untracked() == Some(id) {
            self.inbox.selected.set(successor);
            self.inbox.keyboard_moves.update(|n| *n += 1);
        }
        let route = self.place.route.get_untracked();
        if route.conversation == Some(id) {
            self.go(route.with_conversation(successor), true);
        }
    }

    /// Sends a reply that did not go again; its delivery comes back live.
    pub fn retry_reply(&self, id: ConversationId, reply: switchboard_domain::ActivityId) {
        let store = *self;
        spawn_local(async move {
            match api::retry_reply(id, reply).await {
                Ok(()) => {}
                Err(error) if store.signed_out_by(&error) => {}
                Err(error) => store.notices.notify(
                    NoticeKind::Error,
                    tf(Text::NoticesResendFailed, &[("error", &error.to_string())]),
                    false,
                ),
            }
        });
    }
}
