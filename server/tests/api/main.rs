//! The API over real HTTP, against a fresh database per test: a SQLite file, or a PostgreSQL
//! database when `SWITCHBOARD_TEST_POSTGRES` names a cluster. One binary for all modules.

mod access;
mod auth;
mod bad_input;
mod contacts;
mod conversations;
mod copy;
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
mod servers;
mod state_changes;
mod team;
mod webhooks;
