//! Quo's event payloads (`message.received`, `message.delivered`, `call.completed`), read into
//! the activity they mean. Shapes in shared/reference/quo-webhooks.md; fields Quo renamed over
//! versions are read under either name.

use crate::db::changes::NewActivity;
use serde::Deserialize;
use serde_json::Value;
use switchboard_domain::api::{ActivityContent, CallOutcome, Direction};

/// What a delivery means for us.
#[derive(Debug, Clone, PartialEq)]
pub enum Meaning {
    /// An activity on one of our lines (by its number).
    Activity {
        event_id: String,
        /// Quo's id for a message (`AC…`): a `message.delivered` of one of our replies names it.
        message_id: Option<String>,
        line_number: String,
        customer: String,
        activity: ActivityParts,
    },
    /// A Quo contact, changed (`contact.updated`) or deleted (`contact.deleted`).
    Contact {
        event_id: String,
        deleted: bool,
        contact: QuoContact,
    },
    /// An event we do not store (`call.ringing`, `call.summary.completed`…).
    Ignored { event_id: String, kind: String },
}

/// A contact as Quo sends it; what we keep of it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QuoContact {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub role: Option<String>,
    /// (label, number as written).
    pub phones: Vec<(String, String)>,
    /// (label, address).
    pub emails: Vec<(String, String)>,
    /// Custom fields by key: their values as Quo sends them.
    pub custom: Vec<(String, Value)>,
}

/// `defaultFields` and `customFields` of a Quo contact (top-level fields in some payloads).
fn contact(object: &Value) -> Result<QuoContact, String> {
    let id = object
        .get("id")
        .and_then(Value::as_str)
        .ok_or("data.object.id is missing")?
        .to_owned();
    let fields = object.get("defaultFields").unwrap_or(object);
    let text = |name: &str| {
        fields
            .get(name)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    let list = |name: &str| -> Vec<(String, String)> {
        fields
            .get(name)
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| {
                        let value = item.get("value")?.as_str()?.trim().to_owned();
                        let label = item.get("name").and_then(Value::as_str).unwrap_or("");
                        (!value.is_empty()).then(|| (label.to_owned(), value))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let custom = object
        .get("customFields")
        .and_then(Value::as_array)
        .map(|fields| {
            fields
                .iter()
                .filter_map(|field| {
                    let key = field.get("key")?.as_str()?.to_owned();
                    Some((key, field.get("value").cloned().unwrap_or(Value::Null)))
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(QuoContact {
        id,
        first_name: text("firstName"),
        last_name: text("lastName"),
        company: text("company"),
        role: text("role"),
        phones: list("phoneNumbers"),
        emails: list("emails"),
        custom,
    })
}

/// The activity, before it has a time of its own in our store.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityParts {
    pub direction: Direction,
    pub content: ActivityContent,
    /// When it happened, milliseconds since the epoch (now, if Quo did not say).
    pub at: Option<i64>,
}

impl ActivityParts {
    /// The activity, at the time Quo gives it, or `now` (the time of receipt) when that is
    /// missing or later: a clock far in the future must not pin a thread to the top.
    pub fn into_activity(self, now: i64) -> NewActivity {
        NewActivity {
            direction: self.direction,
            content: self.content,
            at: self.at.map_or(now, |at| at.min(now)),
        }
    }
}

#[derive(Debug, Deserialize)]
struct Envelope {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: Data,
}

#[derive(Debug, Deserialize)]
struct Data {
    object: Value,
}

/// A number field: E.164 text, or (in some versions) a list of them.
fn number(value: &Value) -> Option<String> {
    match value {
        Value::String(number) => Some(number.clone()),
        Value::Array(numbers) => numbers.first().and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

fn time(value: Option<&Value>) -> Option<i64> {
    let text = value?.as_str()?;
    let moment = humantime::parse_rfc3339_weak(text.trim_end_matches('Z')).ok()?;
    let millis = moment
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_millis();
    i64::try_from(millis).ok()
}

fn required(object: &Value, field: &str) -> Result<String, String> {
    object
        .get(field)
        .and_then(number)
        .ok_or_else(|| format!("data.object.{field} is missing"))
}

/// Reads a delivery's JSON body.
pub fn read(body: &[u8]) -> Result<Meaning, String> {
    let envelope: Envelope =
        serde_json::from_slice(body).map_err(|e| format!("not a Quo event: {e}"))?;
    let object = &envelope.data.object;
    if let kind @ ("contact.updated" | "contact.deleted") = envelope.kind.as_str() {
        return Ok(Meaning::Contact {
            deleted: kind == "contact.deleted",
            event_id: envelope.id,
            contact: contact(object)?,
        });
    }
    let incoming = match object.get("direction").and_then(Value::as_str) {
        Some("incoming") => true,
        Some("outgoing") => false,
        other => {
            if !matches!(
                envelope.kind.as_str(),
                "message.received" | "message.delivered" | "call.completed"
            ) {
                return Ok(Meaning::Ignored {
                    event_id: envelope.id,
                    kind: envelope.kind,
                });
            }
            return Err(format!("data.object.direction is {other:?}"));
        }
    };
    let (from, to) = (required(object, "from")?, required(object, "to")?);
    // Our line is the number called (incoming) or calling (outgoing); the customer the other.
    let (line_number, customer) = if incoming { (to, from) } else { (from, to) };
    let direction = if incoming {
        Direction::Inbound
    } else {
        Direction::Outbound
    };
    let at = time(object.get("createdAt"));
    let content = match envelope.kind.as_str() {
        "message.received" | "message.delivered" => {
            let text = object
                .get("text")
                .or_else(|| object.get("body"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            ActivityContent::Message { text }
        }
        "call.completed" => call(object),
        kind => {
            return Ok(Meaning::Ignored {
                event_id: envelope.id,
                kind: kind.to_owned(),
            })
        }
    };
    let message_id = match envelope.kind.as_str() {
        "message.received" | "message.delivered" => {
            object.get("id").and_then(Value::as_str).map(str::to_owned)
        }
        _ => None,
    };
    Ok(Meaning::Activity {
        event_id: envelope.id,
        message_id,
        line_number,
        customer,
        activity: ActivityParts {
            direction,
            content,
            at,
        },
    })
}

fn call(object: &Value) -> ActivityContent {
    let seconds = |value: Option<&Value>| {
        value
            .and_then(Value::as_f64)
            .map_or(0, |s| s.max(0.0).round() as u32)
    };
    if let Some(voicemail) = object.get("voicemail").filter(|v| !v.is_null()) {
        return ActivityContent::Voicemail {
            duration_seconds: seconds(voicemail.get("duration")),
            transcript: voicemail
                .get("transcript")
                .and_then(Value::as_str)
                .map(str::to_owned),
        };
    }
    let status = object
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let answered_at = time(object.get("answeredAt"));
    let missed = matches!(
        status,
        "missed" | "no-answer" | "busy" | "canceled" | "failed"
    ) || (answered_at.is_none() && status != "answered");
    if missed {
        return ActivityContent::Call {
            outcome: CallOutcome::Missed,
            duration_seconds: 0,
        };
    }
    let mut duration = seconds(object.get("duration"));
    if duration == 0 {
        if let (Some(answered), Some(completed)) = (answered_at, time(object.get("completedAt"))) {
            duration = u32::try_from((completed - answered).max(0) / 1000).unwrap_or(0);
        }
    }
    ActivityContent::Call {
        outcome: CallOutcome::Answered,
        duration_seconds: duration,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_contact_update_reads_its_fields_numbers_and_custom_fields() {
        let body = event(
            "contact.updated",
            json!({"id": "CT1", "object": "contact", "source": "openphone",
                   "defaultFields": {"firstName": "Ana", "lastName": " ", "company": "Acme",
                       "phoneNumbers": [{"name": "work", "value": "+15550100123", "id": "x"}],
                       "emails": [{"name": "home", "value": "ana@acme.example"}]},
                   "customFields": [{"key": "plan", "name": "Plan", "type": "string",
                                     "value": "Pro"}]}),
        );
        let Meaning::Contact {
            deleted, contact, ..
        } = read(&body).unwrap()
        else {
            panic!("a contact event");
        };
        assert!(!deleted);
        assert_eq!(contact.id, "CT1");
        assert_eq!(contact.first_name.as_deref(), Some("Ana"));
        assert_eq!(contact.last_name, None);
        assert_eq!(contact.phones, vec![("work".into(), "+15550100123".into())]);
        assert_eq!(
            contact.emails,
            vec![("home".into(), "ana@acme.example".into())]
        );
        assert_eq!(contact.custom, vec![("plan".into(), json!("Pro"))]);
        let gone = event("contact.deleted", json!({"id": "CT1"}));
        assert!(matches!(
            read(&gone),
            Ok(Meaning::Contact { deleted: true, .. })
        ));
        assert!(read(&event("contact.updated", json!({"firstName": "x"}))).is_err());
    }

    fn event(kind: &str, object: Value) -> Vec<u8> {
        json!({
            "id": "EVd39d3c8d6f244d21a9131de4fc9350d0",
            "object": "event",
            "apiVersion": "v3",
            "createdAt": "2022-01-24T19:22:25.427Z",
            "type": kind,
            "data": { "object": object }
        })
        .to_string()
        .into_bytes()
    }

    fn activity(meaning: Meaning) -> (String, String, ActivityParts) {
        match meaning {
            Meaning::Activity {
                line_number,
                customer,
                activity,
                ..
            } => (line_number, customer, activity),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_time_in_the_future_is_taken_as_the_time_of_receipt() {
        let body = event(
            "message.received",
            json!({
                "id": "AC124", "object": "message", "from": "+12125550100", "to": "+15550100200",
                "direction": "incoming", "text": "From the future", "status": "received",
                "createdAt": "2099-01-01T00:00:00.000Z", "phoneNumberId": "PN1"
            }),
        );
        let (_, _, parts) = activity(read(&body).unwrap());
        let received_at = 1_700_000_000_000;
        assert_eq!(parts.clone().into_activity(received_at).at, received_at);
        let past = ActivityParts {
            at: Some(1_643_052_145_427),
            ..parts
        };
        assert_eq!(past.into_activity(received_at).at, 1_643_052_145_427);
    }

    #[test]
    fn a_received_message_is_inbound_on_the_line_it_was_sent_to() {
        let body = event(
            "message.received",
            json!({
                "id": "AC123", "object": "message", "from": "+12125550100", "to": "+15550100200",
                "direction": "incoming", "text": "Is my order shipped?", "status": "received",
                "createdAt": "2022-01-24T19:22:25.427Z", "phoneNumberId": "PN1"
            }),
        );
        let (line, customer, parts) = activity(read(&body).unwrap());
        assert_eq!(
            (line.as_str(), customer.as_str()),
            ("+15550100200", "+12125550100")
        );
        assert_eq!(parts.direction, Direction::Inbound);
        assert_eq!(
            parts.content,
            ActivityContent::Message {
                text: "Is my order shipped?".into()
            }
        );
        assert_eq!(parts.at, Some(1_643_052_145_427));
    }

    #[test]
    fn older_payloads_call_the_text_body_and_may_list_recipients() {
        let body = event(
            "message.received",
            json!({
                "from": "+12125550100", "to": ["+15550100200"], "direction": "incoming", "body": "hi"
            }),
        );
        let (line, _, parts) = activity(read(&body).unwrap());
        assert_eq!(line, "+15550100200");
        assert_eq!(
            parts.content,
            ActivityContent::Message { text: "hi".into() }
        );
    }

    #[test]
    fn a_delivered_message_is_the_teams_own_from_the_line() {
        let body = event(
            "message.delivered",
            json!({
                "from": "+15550100200", "to": "+12125550100", "direction": "outgoing", "text": "On its way"
            }),
        );
        let (line, customer, parts) = activity(read(&body).unwrap());
        assert_eq!(
            (line.as_str(), customer.as_str()),
            ("+15550100200", "+12125550100")
        );
        assert_eq!(parts.direction, Direction::Outbound);
    }

    #[test]
    fn calls_are_answered_missed_or_left_as_voicemail() {
        let answered = event(
            "call.completed",
            json!({
                "from": "+12125550100", "to": "+15550100100", "direction": "incoming",
                "status": "completed", "answeredAt": "2022-01-24T19:20:00Z",
                "completedAt": "2022-01-24T19:23:05Z"
            }),
        );
        assert_eq!(
            activity(read(&answered).unwrap()).2.content,
            ActivityContent::Call {
                outcome: CallOutcome::Answered,
                duration_seconds: 185
            }
        );
        let missed = event(
            "call.completed",
            json!({
                "from": "+12125550100", "to": "+15550100100", "direction": "incoming",
                "status": "no-answer", "answeredAt": null
            }),
        );
        assert_eq!(
            activity(read(&missed).unwrap()).2.content,
            ActivityContent::Call {
                outcome: CallOutcome::Missed,
                duration_seconds: 0
            }
        );
        let voicemail = event(
            "call.completed",
            json!({
                "from": "+12125550100", "to": "+15550100100", "direction": "incoming",
                "status": "missed", "answeredAt": null,
                "voicemail": { "duration": 7, "type": "audio/mpeg", "url": "https://example.com/v.mp3" }
            }),
        );
        assert_eq!(
            activity(read(&voicemail).unwrap()).2.content,
            ActivityContent::Voicemail {
                duration_seconds: 7,
                transcript: None
            }
        );
    }

    #[test]
    fn other_events_are_acknowledged_and_ignored() {
        let body = event("call.summary.completed", json!({ "id": "CT1" }));
        assert!(
            matches!(read(&body).unwrap(), Meaning::Ignored { kind, .. } if kind == "call.summary.completed")
        );
    }

    #[test]
    fn a_body_that_is_not_an_event_is_refused() {
        assert!(read(b"{}").is_err());
        assert!(read(b"not json").is_err());
        let no_from = event(
            "message.received",
            json!({ "to": "+1555", "direction": "incoming" }),
        );
        assert!(read(&no_from).unwrap_err().contains("from"));
    }
}
