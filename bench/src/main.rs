//! Benchmarks that need a real browser, run by `scripts/bench` (which builds the release server
//! and points `SWITCHBOARD_BIN` at it):
//!
//! - `keypress`: trusted `E` keydowns with 10,000 conversations, all scrolled through: Event
//!   Timing and next paint, beside a hand-written vanilla JS page of the same rows (ratios).
//! - `swipe`: frames and long tasks during touch swipes on a phone, CPU slowed four times.
//! - `fanout`: a state change's event reaching 500 open event streams.
//! - `webhooks`: signed webhook deliveries at 1,000 per second.
//! - `load`: 200 connections for 60 s of mixed reads, changes and sign-ins.
//! - `replies`: 1,000 replies queued at once, out through a local Quo at its rate limit.
//! - `fill` and `crossover` ([`postgres`]): a large workspace on either engine; two servers.
//! - `contacts-csv` and `contacts-baseline` ([`contacts`]): a file of 100,000 contacts, and the
//!   raw database's rate to stand an import beside.
//!
//! With no argument, all of them but the PostgreSQL ones (`scripts/bench` runs those with the
//! cluster it starts).

mod contacts;
mod fanout;
mod keypress;
mod load;
mod postgres;
mod replies;
mod swipe;
mod webhooks;

#[tokio::main]
async fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    let rest: Vec<String> = std::env::args().skip(2).collect();
    match which.as_str() {
        "fill" => return postgres::fill(&rest).await,
        "crossover" => return postgres::crossover(&rest).await,
        "contacts-csv" => return contacts::csv(&rest),
        "contacts-baseline" => return contacts::baseline(&rest),
        _ => {}
    }
    if which.is_empty() || which == "keypress" {
        keypress::run().await;
    }
    if which.is_empty() || which == "swipe" {
        swipe::run().await;
    }
    if which.is_empty() || which == "fanout" {
        fanout::run().await;
    }
    if which.is_empty() || which == "webhooks" {
        webhooks::run().await;
    }
    if which.is_empty() || which == "load" {
        load::run().await;
    }
    if which.is_empty() || which == "replies" {
        replies::run().await;
    }
}
