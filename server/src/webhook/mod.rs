//! Quo's webhooks: signature verification (both of Quo's schemes) and the payloads we take in.
//! Pure functions, tested against vectors computed in the tests.

pub mod quo;
pub mod signature;

pub use signature::{SignatureError, WebhookSecret};
