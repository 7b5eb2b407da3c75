//! What the user sees, one component per file, named for it (the contact panel's parts in
//! `contact_*`).

pub mod account;
pub mod connection_status;
pub mod contact_notes;
pub mod contact_panel;
pub mod contact_properties;
pub mod contact_tags;
pub mod conversation_row;
pub mod icons;
pub mod inbox_list;
pub mod line_sidebar;
pub mod notices;
pub mod reply_box;
pub mod row_swipe;
pub mod shortcut_sheet;
pub mod tag_filter;
pub mod thread;
pub mod view_tabs;

pub use account::AccountBar;
pub use connection_status::ConnectionStatus;
pub use contact_panel::ContactPanel;
pub use conversation_row::ConversationRow;
pub use inbox_list::InboxList;
pub use line_sidebar::LineSidebar;
pub use notices::NoticeStack;
pub use reply_box::ReplyBox;
pub use shortcut_sheet::{ShortcutSheet, ShortcutSheetSlot};
pub use tag_filter::TagFilter;
pub use thread::ThreadPane;
pub use view_tabs::ViewTabs;

use leptos::prelude::*;

/// The current time, ticking each half minute, so that "2:14 PM" turns into "Yesterday".
#[derive(Clone, Copy)]
pub struct Now(pub RwSignal<i64>);

impl Now {
    pub fn start() -> Now {
        let now = RwSignal::new(js_now());
        set_interval(
            move || now.set(js_now()),
            std::time::Duration::from_secs(30),
        );
        Now(now)
    }
}

fn js_now() -> i64 {
    js_sys::Date::now() as i64
}
