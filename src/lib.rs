//! Switchboard's web app: a Leptos single-page app compiled to WebAssembly.
//!
//! - [`app`]: the router and the page layout ([`layout`]: phone or wide); [`pages`]: one file per routed page.
//! - [`components`]: what the user sees (line sidebar, view tabs, inbox list, conversation row,
//!   thread, reply box, shortcut sheet, notices).
//! - [`store`]: the app's state in signals, and every change's optimistic sync with the server.
//! - [`api`]: all HTTP, one method per endpoint; [`i18n`]: the shown language and its texts.
//! - [`contact_edits`], [`contact_list`], [`gesture`], [`keyboard`], [`mentions`], [`navigation`], [`sync_queue`], [`time_format`]:
//!   pure logic, tested natively; [`text`]: the words built from data; [`routes`]: the app's
//!   addresses (in the domain crate, since the server reads them too).

pub mod api;
pub mod app;
pub mod chunks;
pub mod components;
pub mod contact_edits;
pub mod contact_list;
pub mod gesture;
pub mod i18n;
pub mod keyboard;
pub mod layout;
pub mod live;
pub mod mentions;
pub mod navigation;
pub mod pages;
pub mod pwa;
pub use switchboard_domain::routes;
pub mod store;
pub mod sync_queue;
pub mod text;
pub mod time_format;

pub use app::run;
