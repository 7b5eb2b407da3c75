//! The interface's words that are built from data: one place, so that a second language is a
//! second set of these functions, not a search through components.

use switchboard_domain::api::{
    Activity, ActivityContent, CallOutcome, Delivery, DeliveryStatus, Direction,
};
use switchboard_domain::View;

/// The name shown on a view's tab.
pub fn view_label(view: View) -> &'static str {
    match view {
        View::Open => "Open",
        View::Unread => "Unread",
        View::Done => "Done",
    }
}

/// One line for a list row or a notice: "Missed call", "Voicemail: …", the message text.
pub fn activity_summary(activity: &Activity) -> String {
    match &activity.content {
        ActivityContent::Message { text } => text.clone(),
        ActivityContent::Call {
            outcome: CallOutcome::Missed,
            ..
        } => "Missed call".to_owned(),
        ActivityContent::Call {
            duration_seconds, ..
        } => {
            let way = match activity.direction {
                Direction::Outbound => "Outgoing call",
                Direction::Inbound | Direction::Internal => "Incoming call",
            };
            format!("{way}, {}", duration(*duration_seconds))
        }
        ActivityContent::Voicemail { transcript, .. } => match transcript {
            Some(text) => format!("Voicemail: {text}"),
            None => "Voicemail".to_owned(),
        },
        ActivityContent::Note { text, author, .. } => {
            format!("Note by {}: {text}", author.name)
        }
    }
}

/// "42s", "3m 05s", "1h 02m".
pub fn duration(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}h {m:02}m")
    } else if m > 0 {
        format!("{m}m {s:02}s")
    } else {
        format!("{s}s")
    }
}

/// The connection banner: whether the screen may be behind, what waits to be sent, and a
/// sign-out that waits for the server. `None` when there is nothing to say.
pub fn connection_status(online: bool, waiting: usize, signing_out: bool) -> Option<String> {
    let offline = match online {
        true => "",
        false => "Offline: showing what was last loaded. ",
    };
    if signing_out {
        let dropped = match waiting {
            0 => "",
            _ => " Changes not yet sent will not be sent.",
        };
        return Some(format!(
            "{offline}You will be signed out when the connection returns.{dropped}"
        ));
    }
    let changes = match waiting {
        0 => String::new(),
        1 => "1 conversation has changes waiting to sync.".to_owned(),
        n => format!("{n} conversations have changes waiting to sync."),
    };
    (!online).then(|| format!("{offline}{changes}").trim_end().to_owned())
}

/// Where a reply stands, as its thread says it.
pub fn delivery(delivery: &Delivery) -> String {
    let reason = delivery.reason.as_deref().unwrap_or("no reason given");
    match delivery.status {
        DeliveryStatus::Sending => "Sending…".to_owned(),
        DeliveryStatus::Sent => "Sent".to_owned(),
        DeliveryStatus::Delivered => "Delivered".to_owned(),
        DeliveryStatus::Failed => format!("Not delivered: {reason}"),
        DeliveryStatus::NotSent => format!("Not sent: {reason}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_domain::{ActivityId, ConversationId};

    fn activity(content: ActivityContent, direction: Direction) -> Activity {
        Activity {
            id: ActivityId(1),
            conversation_id: ConversationId(1),
            direction,
            at: 0,
            content,
            delivery: None,
        }
    }

    #[test]
    fn activities_summarise_in_one_line() {
        let missed = ActivityContent::Call {
            outcome: CallOutcome::Missed,
            duration_seconds: 0,
        };
        assert_eq!(
            activity_summary(&activity(missed, Direction::Inbound)),
            "Missed call"
        );
        let answered = ActivityContent::Call {
            outcome: CallOutcome::Answered,
            duration_seconds: 185,
        };
        assert_eq!(
            activity_summary(&activity(answered, Direction::Outbound)),
            "Outgoing call, 3m 05s"
        );
        let voicemail = ActivityContent::Voicemail {
            duration_seconds: 20,
            transcript: Some("Call me back".into()),
        };
        assert_eq!(
            activity_summary(&activity(voicemail, Direction::Inbound)),
            "Voicemail: Call me back"
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(9), "9s");
        assert_eq!(duration(65), "1m 05s");
        assert_eq!(duration(3720), "1h 02m");
    }

    #[test]
    fn every_view_has_a_tab_name() {
        let names: Vec<&str> = View::ALL.into_iter().map(view_label).collect();
        assert_eq!(names, ["Open", "Unread", "Done"]);
    }

    #[test]
    fn the_connection_banner_says_what_waits_and_a_sign_out_that_waits() {
        assert_eq!(connection_status(true, 2, false), None);
        assert_eq!(
            connection_status(false, 0, false).unwrap(),
            "Offline: showing what was last loaded."
        );
        assert_eq!(
            connection_status(false, 3, false).unwrap(),
            "Offline: showing what was last loaded. 3 conversations have changes waiting to sync."
        );
        assert_eq!(
            connection_status(false, 1, true).unwrap(),
            "Offline: showing what was last loaded. You will be signed out when the connection \
             returns. Changes not yet sent will not be sent."
        );
        assert_eq!(
            connection_status(true, 0, true).unwrap(),
            "You will be signed out when the connection returns."
        );
    }

    #[test]
    fn a_replys_delivery_says_where_it_stands_and_why_it_did_not_go() {
        assert_eq!(delivery(&Delivery::is(DeliveryStatus::Sending)), "Sending…");
        assert_eq!(
            delivery(&Delivery::is(DeliveryStatus::Delivered)),
            "Delivered"
        );
        let failed = Delivery::because(
            DeliveryStatus::Failed,
            "Quo answered 400: to is not reachable",
        );
        assert_eq!(
            delivery(&failed),
            "Not delivered: Quo answered 400: to is not reachable"
        );
        let not_sent = Delivery::because(DeliveryStatus::NotSent, "no Quo API key");
        assert_eq!(delivery(&not_sent), "Not sent: no Quo API key");
    }
}
