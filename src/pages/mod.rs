//! The routed pages, one per file.

pub mod inbox;
pub mod not_found;

pub use inbox::InboxPage;
pub use not_found::NotFound;
