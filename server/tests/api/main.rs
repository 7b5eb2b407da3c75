//! The API over real HTTP, against a fresh SQLite file per test. One binary for all modules.

mod bad_input;
mod conversations;
mod durability;
mod helpers;
mod lines;
mod openapi;
mod replies;
mod state_changes;
