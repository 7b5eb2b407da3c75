//! The interface's words that are built from data, through the catalogue of the shown language
//! (`crate::i18n`).

use crate::i18n::{t, tf, tn, Plural, Text};
use switchboard_domain::api::ErrorCode;
use switchboard_domain::api::{
    Activity, ActivityContent, CallOutcome, Delivery, DeliveryStatus, Direction,
};
use switchboard_domain::View;

/// The name shown on a view's tab.
pub fn view_label(view: View) -> &'static str {
    match view {
        View::Open => t(Text::ViewsOpen),
        View::Unread => t(Text::ViewsUnread),
        View::Done => t(Text::ViewsDone),
    }
}

/// One line for a list row or a notice: "Missed call", "Voicemail: …", the message text.
pub fn activity_summary(activity: &Activity) -> String {
    match &activity.content {
        ActivityContent::Message { text } => text.clone(),
        ActivityContent::Call {
            outcome: CallOutcome::Missed,
            ..
        } => t(Text::ActivityMissedCall).to_owned(),
        ActivityContent::Call {
            duration_seconds, ..
        } => {
            let way = match activity.direction {
                Direction::Outbound => Text::ActivityOutgoingCall,
                Direction::Inbound | Direction::Internal => Text::ActivityIncomingCall,
            };
            tf(way, &[("duration", &duration(*duration_seconds))])
        }
        ActivityContent::Voicemail { transcript, .. } => match transcript {
            Some(text) => tf(Text::ActivityVoicemailText, &[("text", text)]),
            None => t(Text::ActivityVoicemail).to_owned(),
        },
        ActivityContent::Note { text, author, .. } => tf(
            Text::ActivityNote,
            &[("author", &author.name), ("text", text)],
        ),
    }
}

/// "42s", "3m 5s", "1h 2m" ("3min 5s" in French): `Intl.DurationFormat` in the interface's
/// language, or the catalogue's words where the browser has none.
pub fn duration(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let units = if h > 0 {
        (Some(h), Some(m), None)
    } else if m > 0 {
        (None, Some(m), Some(s))
    } else {
        (None, None, Some(s))
    };
    #[cfg(target_arch = "wasm32")]
    if let Some(text) = intl_duration(units) {
        return text;
    }
    let (h, m, s) = (h.to_string(), m.to_string(), s.to_string());
    match units {
        (Some(_), ..) => tf(Text::DurationHours, &[("h", &h), ("m", &m)]),
        (None, Some(_), _) => tf(Text::DurationMinutes, &[("m", &m), ("s", &s)]),
        _ => tf(Text::DurationSeconds, &[("s", &s)]),
    }
}

#[cfg(target_arch = "wasm32")]
fn intl_duration((h, m, s): (Option<u32>, Option<u32>, Option<u32>)) -> Option<String> {
    use js_sys::{Intl, JsString, Object};
    use std::cell::RefCell;
    use wasm_bindgen::JsCast;
    type Formats = RefCell<Vec<(crate::i18n::Lang, Option<Intl::DurationFormat>)>>;
    thread_local! {
        static FORMATS: Formats = const { RefCell::new(Vec::new()) };
    }
    let lang = crate::i18n::current();
    let format = FORMATS.with_borrow_mut(|cache| {
        if let Some((_, format)) = cache.iter().find(|(l, _)| *l == lang) {
            return format.clone();
        }
        let options = Intl::DurationFormatOptions::new();
        options.set_style(Intl::DurationFormatStyle::Narrow);
        // Absent from older browsers: the catalogue's words then.
        let format = Intl::DurationFormat::new(&[JsString::from(lang.code())], &options).ok();
        cache.push((lang, format.clone()));
        format
    })?;
    let duration: Intl::Duration = Object::new().unchecked_into();
    if let Some(h) = h {
        duration.set_hours(h.into());
    }
    if let Some(m) = m {
        duration.set_minutes(m.into());
    }
    if let Some(s) = s {
        duration.set_seconds(s.into());
    }
    Some(format.format(&duration).into())
}

/// The connection banner: whether the screen may be behind, what waits to be sent, and a
/// sign-out that waits for the server. `None` when there is nothing to say.
pub fn connection_status(online: bool, waiting: usize, signing_out: bool) -> Option<String> {
    let mut sentences: Vec<String> = Vec::new();
    if !online {
        sentences.push(t(Text::ConnectionOffline).to_owned());
    }
    if signing_out {
        sentences.push(t(Text::ConnectionSigningOut).to_owned());
        if waiting > 0 {
            sentences.push(t(Text::ConnectionDropped).to_owned());
        }
    } else if !online && waiting > 0 {
        sentences.push(tn(Plural::ConnectionWaiting, waiting));
    }
    (!sentences.is_empty()).then(|| sentences.join(" "))
}

/// Where a reply stands, as its thread says it.
pub fn delivery(delivery: &Delivery) -> String {
    let reason = delivery
        .reason
        .as_deref()
        .unwrap_or(t(Text::DeliveryNoReason));
    match delivery.status {
        DeliveryStatus::Sending => t(Text::DeliverySending).to_owned(),
        DeliveryStatus::Sent => t(Text::DeliverySent).to_owned(),
        DeliveryStatus::Delivered => t(Text::DeliveryDelivered).to_owned(),
        DeliveryStatus::Failed => tf(Text::DeliveryFailed, &[("reason", reason)]),
        // The server keeps a reply unsent for one reason only: it has no Quo API key.
        DeliveryStatus::NotSent => t(Text::DeliveryNotSent).to_owned(),
    }
}

/// Why the server refused, in the interface's words for its error code (its own message is
/// for developers, in English).
pub fn refusal(code: ErrorCode) -> &'static str {
    t(match code {
        ErrorCode::InvalidBody | ErrorCode::InvalidParameter | ErrorCode::UnsupportedMediaType => {
            Text::ErrorsInvalid
        }
        ErrorCode::BodyTooLarge => Text::ErrorsTooLarge,
        ErrorCode::NotFound | ErrorCode::MethodNotAllowed => Text::ErrorsNotFound,
        ErrorCode::Unauthorized => Text::ErrorsUnauthorized,
        ErrorCode::Forbidden => Text::ErrorsForbidden,
        ErrorCode::TooManyRequests => Text::ErrorsTooMany,
        ErrorCode::UnseenActivity => Text::ErrorsUnseen,
        ErrorCode::Conflict => Text::ErrorsConflict,
        ErrorCode::Unavailable => Text::ErrorsUnavailable,
        ErrorCode::Internal => Text::ErrorsInternal,
    })
}

/// The server could not be reached.
pub fn unreachable() -> &'static str {
    t(Text::ErrorsNetwork)
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
            "Outgoing call, 3m 5s"
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
    #[cfg(not(target_arch = "wasm32"))]
    fn in_french_the_same_words_follow_french_rules() {
        crate::i18n::show_built_in(crate::i18n::Lang::Fr);
        assert_eq!(duration(185), "3\u{202f}min 5\u{202f}s");
        let voicemail = ActivityContent::Voicemail {
            duration_seconds: 20,
            transcript: Some("Rappelez-moi".into()),
        };
        assert_eq!(
            activity_summary(&activity(voicemail, Direction::Inbound)),
            "Message vocal\u{202f}: Rappelez-moi"
        );
        // French takes the singular for one (and zero) and the plural above.
        assert_eq!(
            connection_status(false, 1, false).unwrap(),
            "Hors ligne\u{202f}: affichage des dernières données chargées. 1 conversation a des \
             modifications en attente de synchronisation."
        );
        assert!(connection_status(false, 2, false)
            .unwrap()
            .ends_with("2 conversations ont des modifications en attente de synchronisation."));
        let names: Vec<&str> = View::ALL.into_iter().map(view_label).collect();
        assert_eq!(names, ["Ouvertes", "Non lues", "Terminées"]);
        assert_eq!(
            refusal(ErrorCode::Unauthorized),
            "e-mail ou mot de passe incorrect"
        );
        crate::i18n::show_built_in(crate::i18n::Lang::En);
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(9), "9s");
        assert_eq!(duration(65), "1m 5s");
        assert_eq!(duration(3720), "1h 2m");
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
        assert_eq!(
            delivery(&not_sent),
            "Not sent: this server has no Quo API key"
        );
    }
}
