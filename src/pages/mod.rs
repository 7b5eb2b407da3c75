//! The routed pages, one per file.

pub mod contacts;
pub mod inbox;
pub mod lines;
pub mod not_found;
pub mod sign_in;

pub use contacts::contacts_pages;
pub use inbox::InboxPage;
pub use lines::LinesPage;
pub use not_found::NotFound;
pub use sign_in::{sign_in_page, SignInPage, SignedIn};
