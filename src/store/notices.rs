//! Short-lived messages to the user: their own fact, with their own handle, so that anything
//! may report without reaching into the rest of the state.

use crate::i18n::{t, Text};
use leptos::prelude::*;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Warning,
    Error,
}

/// What a notice's button does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeAction {
    /// Undo the change the notice reports.
    Undo,
    /// Reload into the new version of the app.
    Reload,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub id: u64,
    pub kind: NoticeKind,
    pub text: String,
    pub action: Option<NoticeAction>,
}

/// At most this many notices show at once; the oldest goes first.
const SHOWN_AT_ONCE: usize = 3;

/// The notices on screen, newest last.
#[derive(Clone, Copy)]
pub struct Notices {
    shown: RwSignal<Vec<Notice>>,
    next_id: StoredValue<u64>,
}

impl Default for Notices {
    fn default() -> Self {
        Self::new()
    }
}

impl Notices {
    pub fn new() -> Notices {
        Notices {
            shown: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
        }
    }

    /// The notices on screen (tracked).
    pub fn shown(&self) -> Vec<Notice> {
        self.shown.get()
    }

    /// Shows a notice for a few seconds; `undoable` adds an Undo button for the last change.
    pub fn notify(&self, kind: NoticeKind, text: String, undoable: bool) {
        let id = self.push(kind, text, undoable.then_some(NoticeAction::Undo));
        let notices = *self;
        let lasts = match kind {
            NoticeKind::Info => Duration::from_secs(5),
            NoticeKind::Warning | NoticeKind::Error => Duration::from_secs(10),
        };
        set_timeout(move || notices.dismiss(id), lasts);
    }

    /// Offers to reload into a new version of the app; stays until used or dismissed.
    pub fn offer_update(&self) {
        let offered = self
            .shown
            .with_untracked(|n| n.iter().any(|n| n.action == Some(NoticeAction::Reload)));
        if !offered {
            let text = t(Text::NoticesUpdate).to_owned();
            self.push(NoticeKind::Info, text, Some(NoticeAction::Reload));
        }
    }

    pub fn dismiss(&self, id: u64) {
        self.shown.update(|notices| notices.retain(|n| n.id != id));
    }

    fn push(&self, kind: NoticeKind, text: String, action: Option<NoticeAction>) -> u64 {
        let id = self
            .next_id
            .try_update_value(|n| {
                *n += 1;
                *n
            })
            .unwrap_or_default();
        self.shown.update(|notices| {
            // Only the newest change offers Undo.
            for notice in notices.iter_mut() {
                if notice.action == Some(NoticeAction::Undo) {
                    notice.action = None;
                }
            }
            notices.push(Notice {
                id,
                kind,
                text,
                action,
            });
            if notices.len() > SHOWN_AT_ONCE {
                notices.remove(0);
            }
        });
        id
    }
}
