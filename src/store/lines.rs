//! The phone lines and their unread counts. The server owns the counts: they are what it last
//! reported (with the lines, or with each live event), and what the screen shows adds only the
//! changes of ours it has not acknowledged yet.

use crate::i18n::{t, Text};
use crate::routes::LineFilter;
use leptos::prelude::*;
use switchboard_domain::api::{Line, ReplySending};
use switchboard_domain::{ConversationId, LineId};

#[derive(Clone, Copy)]
pub struct Lines {
    reported: RwSignal<Vec<Line>>,
    shown: Memo<Vec<(LineId, u32)>>,
    /// How replies reach customers, once the server has said (with the lines).
    sending: RwSignal<Option<ReplySending>>,
}

impl Lines {
    /// `pending` are the conversations with changes on their way; `conversation(id)` tells the
    /// line of one, whether it is unread on screen, and whether the server last said it was.
    pub(super) fn new(
        pending: Signal<Vec<ConversationId>>,
        conversation: impl Fn(ConversationId) -> Option<(LineId, bool, bool)> + Send + Sync + 'static,
    ) -> Lines {
        let reported = RwSignal::new(Vec::<Line>::new());
        let shown = Memo::new(move |_| {
            reported.with(|lines| {
                pending.with(|pending| unread_with_pending_changes(lines, pending, &conversation))
            })
        });
        Lines {
            reported,
            shown,
            sending: RwSignal::new(None),
        }
    }

    /// The lines, in the server's order (tracked).
    pub fn with<R>(&self, read: impl FnOnce(&[Line]) -> R) -> R {
        self.reported.with(|lines| read(lines))
    }

    /// A line's unread count as shown (tracked).
    pub fn unread(&self, line: LineId) -> u32 {
        self.shown.with(|counts| {
            counts
                .iter()
                .find(|(id, _)| *id == line)
                .map_or(0, |(_, n)| *n)
        })
    }

    /// Unread conversations across lines, for the title and the app badge (tracked).
    pub fn total_unread(&self) -> u32 {
        self.shown
            .with(|counts| counts.iter().map(|(_, n)| n).sum())
    }

    /// "All lines", or the line's name (tracked).
    pub fn name(&self, filter: LineFilter) -> String {
        match filter {
            LineFilter::All => t(Text::SidebarAllLines).to_owned(),
            LineFilter::Line(id) => self.reported.with(|lines| {
                lines
                    .iter()
                    .find(|line| line.id == id)
                    .map_or_else(String::new, |line| line.name.clone())
            }),
        }
    }

    /// The lines as the server listed them.
    pub fn set_reported(&self, lines: Vec<Line>) {
        self.reported.set(lines);
    }

    /// How replies reach customers, as the server said with the lines (tracked).
    pub fn sending(&self) -> Option<ReplySending> {
        self.sending.get()
    }

    pub fn set_sending(&self, sending: ReplySending) {
        if self.sending.get_untracked() != Some(sending) {
            self.sending.set(Some(sending));
        }
    }

    /// A line's count as a live event reported it.
    pub fn report_count(&self, line: LineId, unread_count: u32) {
        self.reported.update(|lines| {
            if let Some(line) = lines.iter_mut().find(|l| l.id == line) {
                line.unread_count = unread_count;
            }
        });
    }
}

/// Each line's unread count as the server reported it, corrected for the conversations whose
/// changes the server has not acknowledged: for those, `conversation(id)` tells the line, whether
/// it is unread on screen, and whether the server last said it was.
fn unread_with_pending_changes(
    lines: &[Line],
    pending: &[ConversationId],
    conversation: impl Fn(ConversationId) -> Option<(LineId, bool, bool)>,
) -> Vec<(LineId, u32)> {
    let mut counts: Vec<(LineId, u32)> = lines.iter().map(|l| (l.id, l.unread_count)).collect();
    for &id in pending {
        let Some((line, shown, told)) = conversation(id) else {
            continue;
        };
        if let Some((_, count)) = counts.iter_mut().find(|(l, _)| *l == line) {
            *count = match (shown, told) {
                (true, false) => *count + 1,
                (false, true) => count.saturating_sub(1),
                _ => *count,
            };
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: i64, unread_count: u32) -> Line {
        Line {
            id: LineId(id),
            name: format!("Line {id}"),
            number: "+15550100200".into(),
            unread_count,
            sends_from: None,
        }
    }

    #[test]
    fn counts_are_the_servers_when_nothing_is_on_its_way() {
        let counts = unread_with_pending_changes(&[line(1, 3), line(2, 0)], &[], |_| None);
        assert_eq!(counts, [(LineId(1), 3), (LineId(2), 0)]);
    }

    #[test]
    fn a_change_on_its_way_counts_until_the_server_reports_it() {
        let lines = [line(1, 3), line(2, 0)];
        let pending = [ConversationId(7), ConversationId(8)];
        // 7 was read on screen (the server still says unread); 8 was marked unread.
        let before_the_echo = unread_with_pending_changes(&lines, &pending, |id| match id.0 {
            7 => Some((LineId(1), false, true)),
            _ => Some((LineId(2), true, false)),
        });
        assert_eq!(before_the_echo, [(LineId(1), 2), (LineId(2), 1)]);
        // The live event brings both the new count and the conversation's new state: no
        // change is counted twice.
        let after = [line(1, 2), line(2, 1)];
        let after_the_echo = unread_with_pending_changes(&after, &pending, |id| match id.0 {
            7 => Some((LineId(1), false, false)),
            _ => Some((LineId(2), true, true)),
        });
        assert_eq!(after_the_echo, [(LineId(1), 2), (LineId(2), 1)]);
    }
}
