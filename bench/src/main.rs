//! Benchmarks that need a real browser, run by `scripts/bench` (which builds the release server
//! and points `SWITCHBOARD_BIN` at it):
//!
//! - `keypress`: trusted `E` keydown to next paint, 10,000 conversations.
//! - `swipe`: frames and long tasks during touch swipes on a phone, CPU slowed four times.
//!
//! With no argument, both.

mod keypress;
mod swipe;

#[tokio::main]
async fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    if which.is_empty() || which == "keypress" {
        keypress::run().await;
    }
    if which.is_empty() || which == "swipe" {
        swipe::run().await;
    }
}
