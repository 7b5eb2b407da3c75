//! The API over real HTTP, against a fresh SQLite file per test. One binary for all modules.

mod access;
mod auth;
mod bad_input;
mod conversations;
mod durability;
mod hardening;
mod helpers;
mod language;
mod lines;
mod list_rule;
mod live;
mod openapi;
mod outbox;
mod process;
mod race;
mod replies;
mod retention;
mod state_changes;
mod team;
mod webhooks;
