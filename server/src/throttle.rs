//! Sign-in throttling that an attacker cannot turn against a teammate.
//!
//! Guessing is slowed and then refused, but not for everyone alike:
//! - an **address** (IPv4, or IPv6 per /64) with many failures, for any accounts, is refused:
//!   that stops one machine guessing many passwords or many accounts;
//! - an **account** with many failures from clients it has never signed in from is refused to
//!   such clients only: many machines guessing one password get nowhere, while
//! - a **known client** (an address or a device cookie that signed in as this teammate before)
//!   keeps a budget of its own, so the teammate still signs in from their usual devices while
//!   their account is under attack from elsewhere.
//!
//! Every attempt counts as a failure before its password is checked (one write transaction
//! counts and records it, so parallel attempts see each other) and is taken back if it
//! succeeds.

use std::time::Duration;

/// Failures are counted over this window...
pub const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);
/// ...answers slow down from this many on...
pub const SLOW_AFTER_FAILURES: u32 = 3;
/// ...and are refused from this many on, until the window has passed.
pub const REFUSE_AFTER_FAILURES: u32 = 10;
/// How long a client that signed in stays known.
pub const KNOWN_FOR: Duration = Duration::from_secs(90 * 24 * 3600);

/// Who is signing in, as throttling sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The email, trimmed and in lower case.
    pub email: String,
    /// The address's throttling key.
    pub address: String,
    /// The hash of the device cookie the browser sent, if any.
    pub device: Option<String>,
}

impl Attempt {
    /// The clients this attempt comes from, device first (the stronger sign).
    pub fn clients(&self) -> Vec<String> {
        let mut clients = Vec::with_capacity(2);
        if let Some(device) = &self.device {
            clients.push(format!("device:{device}"));
        }
        clients.push(format!("address:{}", self.address));
        clients
    }

    /// The counters this attempt is judged by and adds to: with `known`, the client that
    /// signed in as this teammate before.
    pub fn subjects(&self, known: Option<&str>) -> Vec<String> {
        let address = format!("address:{}", self.address);
        match known {
            // A known device is judged by its own budget alone: the address it is at may be
            // shared with whoever attacks.
            Some(client) if client.starts_with("device:") => {
                vec![format!("known:{}:{client}", self.email)]
            }
            Some(client) => vec![address, format!("known:{}:{client}", self.email)],
            None => vec![address, format!("account:{}", self.email)],
        }
    }
}

/// What to do with an attempt, from the failures its subjects had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Check,
    /// Check the password after this pause.
    SlowDown(Duration),
    Refuse,
}

pub fn verdict(failures: &[u32]) -> Verdict {
    let worst = failures.iter().copied().max().unwrap_or(0);
    if worst >= REFUSE_AFTER_FAILURES {
        Verdict::Refuse
    } else if worst >= SLOW_AFTER_FAILURES {
        // A quarter of a second more for each failure, at most two seconds.
        let steps = u64::from(worst - SLOW_AFTER_FAILURES + 1);
        Verdict::SlowDown(Duration::from_millis(250 * steps).min(Duration::from_secs(2)))
    } else {
        Verdict::Check
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(device: Option<&str>) -> Attempt {
        Attempt {
            email: "sam@example.com".into(),
            address: "192.0.2.1".into(),
            device: device.map(str::to_owned),
        }
    }

    #[test]
    fn an_unknown_client_is_judged_by_its_address_and_the_accounts_unknown_failures() {
        assert_eq!(
            attempt(None).subjects(None),
            ["address:192.0.2.1", "account:sam@example.com"]
        );
    }

    #[test]
    fn a_known_client_keeps_its_own_budget_and_a_known_device_ignores_the_address() {
        assert_eq!(
            attempt(None).subjects(Some("address:192.0.2.1")),
            [
                "address:192.0.2.1",
                "known:sam@example.com:address:192.0.2.1"
            ]
        );
        assert_eq!(
            attempt(Some("d1")).subjects(Some("device:d1")),
            ["known:sam@example.com:device:d1"]
        );
        assert_eq!(
            attempt(Some("d1")).clients(),
            ["device:d1", "address:192.0.2.1"]
        );
    }

    #[test]
    fn failures_slow_then_refuse() {
        assert_eq!(verdict(&[0, 2]), Verdict::Check);
        assert_eq!(
            verdict(&[3, 0]),
            Verdict::SlowDown(Duration::from_millis(250))
        );
        assert_eq!(
            verdict(&[0, 9]),
            Verdict::SlowDown(Duration::from_secs(1) * 7 / 4)
        );
        assert_eq!(verdict(&[10, 0]), Verdict::Refuse);
        assert_eq!(verdict(&[]), Verdict::Check);
    }
}
