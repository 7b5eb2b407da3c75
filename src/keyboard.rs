//! The global keyboard shortcuts, as a pure function from a key press to a command. The event
//! binding (in the app) only translates browser events into [`KeyPress`] and acts on the answer.

use crate::i18n::Text;

/// Where the key was pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyTarget {
    /// The page, a row, or anything else that does not take typing.
    Page,
    /// A text field: keys are typing there, never shortcuts.
    TextField,
    /// A button or link: Enter and Space activate it natively.
    Control,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyPress<'a> {
    /// `KeyboardEvent.key`: "e", "E", "ArrowDown", "?", "Escape"…
    pub key: &'a str,
    pub ctrl: bool,
    /// Cmd on a Mac, the Windows key elsewhere.
    pub meta: bool,
    pub alt: bool,
    pub target: KeyTarget,
    /// Whether the shortcut sheet is showing.
    pub sheet_open: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    MarkDone,
    MarkUnread,
    MarkOpen,
    Next,
    Previous,
    OpenSelected,
    ToggleSheet,
    CloseSheet,
    Undo,
    /// Escape in a text field: leave it, so that shortcuts work again.
    LeaveField,
}

/// The shortcut a key press means, if any.
pub fn shortcut(press: &KeyPress) -> Option<Shortcut> {
    // Ctrl, Cmd and Alt belong to the browser and the system (copy, reload, tab switching…).
    if press.ctrl || press.meta || press.alt {
        return None;
    }
    if press.target == KeyTarget::TextField {
        return (press.key == "Escape").then_some(Shortcut::LeaveField);
    }
    if press.sheet_open {
        return match press.key {
            "Escape" | "?" => Some(Shortcut::CloseSheet),
            _ => None,
        };
    }
    match press.key {
        "e" | "E" => Some(Shortcut::MarkDone),
        "u" | "U" => Some(Shortcut::MarkUnread),
        "o" | "O" => Some(Shortcut::MarkOpen),
        "z" | "Z" => Some(Shortcut::Undo),
        "j" | "J" | "ArrowDown" => Some(Shortcut::Next),
        "k" | "K" | "ArrowUp" => Some(Shortcut::Previous),
        "Enter" if press.target == KeyTarget::Page => Some(Shortcut::OpenSelected),
        "?" => Some(Shortcut::ToggleSheet),
        _ => None,
    }
}

/// The keys whose names the sheet says in the interface's language ("Entrée", "Échap"); the
/// others are the same letters and arrows in every language.
pub const ENTER: &str = "Enter";
pub const ESCAPE: &str = "Esc";

/// The shortcut sheet's content: keys and what they do, in the order shown.
pub const SHORTCUT_SHEET: &[(&[&str], Text)] = &[
    (&["E"], Text::ActionsMarkDone),
    (&["U"], Text::ActionsMarkUnread),
    (&["O"], Text::ActionsMarkOpen),
    (&["↓", "J"], Text::ShortcutsNext),
    (&["↑", "K"], Text::ShortcutsPrevious),
    (&[ENTER], Text::ShortcutsOpenSelected),
    (&["Z"], Text::ShortcutsUndo),
    (&["?"], Text::ShortcutsToggle),
    (&[ESCAPE], Text::ShortcutsEscape),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn press(key: &str) -> KeyPress<'_> {
        KeyPress {
            key,
            ctrl: false,
            meta: false,
            alt: false,
            target: KeyTarget::Page,
            sheet_open: false,
        }
    }

    #[test]
    fn e_u_o_change_the_state_in_either_case() {
        for (keys, expected) in [
            (["e", "E"], Shortcut::MarkDone),
            (["u", "U"], Shortcut::MarkUnread),
            (["o", "O"], Shortcut::MarkOpen),
            (["z", "Z"], Shortcut::Undo),
        ] {
            for key in keys {
                assert_eq!(shortcut(&press(key)), Some(expected), "{key}");
            }
        }
    }

    #[test]
    fn arrows_and_j_k_move_between_conversations() {
        assert_eq!(shortcut(&press("ArrowDown")), Some(Shortcut::Next));
        assert_eq!(shortcut(&press("j")), Some(Shortcut::Next));
        assert_eq!(shortcut(&press("ArrowUp")), Some(Shortcut::Previous));
        assert_eq!(shortcut(&press("K")), Some(Shortcut::Previous));
    }

    #[test]
    fn enter_opens_and_question_mark_shows_the_sheet() {
        assert_eq!(shortcut(&press("Enter")), Some(Shortcut::OpenSelected));
        assert_eq!(shortcut(&press("?")), Some(Shortcut::ToggleSheet));
    }

    #[test]
    fn typing_in_a_field_is_never_a_shortcut() {
        for key in ["e", "u", "o", "z", "j", "k", "?", "Enter", "ArrowDown"] {
            let typing = KeyPress {
                target: KeyTarget::TextField,
                ..press(key)
            };
            assert_eq!(shortcut(&typing), None, "{key}");
        }
    }

    #[test]
    fn escape_leaves_a_text_field() {
        let escape = KeyPress {
            target: KeyTarget::TextField,
            ..press("Escape")
        };
        assert_eq!(shortcut(&escape), Some(Shortcut::LeaveField));
    }

    #[test]
    fn ctrl_cmd_and_alt_belong_to_the_browser() {
        for modified in [
            KeyPress {
                ctrl: true,
                ..press("e")
            },
            KeyPress {
                meta: true,
                ..press("u")
            },
            KeyPress {
                alt: true,
                ..press("o")
            },
            KeyPress {
                ctrl: true,
                ..press("z")
            },
        ] {
            assert_eq!(shortcut(&modified), None, "{modified:?}");
        }
    }

    #[test]
    fn enter_on_a_button_activates_the_button_not_the_row() {
        let on_button = KeyPress {
            target: KeyTarget::Control,
            ..press("Enter")
        };
        assert_eq!(shortcut(&on_button), None);
        let e_on_button = KeyPress {
            target: KeyTarget::Control,
            ..press("e")
        };
        assert_eq!(shortcut(&e_on_button), Some(Shortcut::MarkDone));
    }

    #[test]
    fn with_the_sheet_open_only_escape_and_question_mark_act() {
        let open = |key| KeyPress {
            sheet_open: true,
            ..press(key)
        };
        assert_eq!(shortcut(&open("Escape")), Some(Shortcut::CloseSheet));
        assert_eq!(shortcut(&open("?")), Some(Shortcut::CloseSheet));
        assert_eq!(shortcut(&open("e")), None);
        assert_eq!(shortcut(&open("ArrowDown")), None);
    }

    #[test]
    fn other_keys_do_nothing() {
        for key in ["a", "x", " ", "Tab", "Shift", "F5", "Escape"] {
            assert_eq!(shortcut(&press(key)), None, "{key}");
        }
    }
}
