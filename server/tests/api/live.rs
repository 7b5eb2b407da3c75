//! Live updates over server-sent events: delivered to the teammates who see the line, and
//! resumed from `Last-Event-ID` after a reconnect.

use crate::helpers::{spawn_app, TestApp, OWNER, SUPPORT_MEMBER};
use futures_util::StreamExt;
use reqwest::Client;
use std::time::Duration;
use switchboard_domain::team::LiveEvent;

/// An open event stream, read event by event.
pub struct Stream {
    body: std::pin::Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    buffer: String,
}

impl Stream {
    pub async fn open(app: &TestApp, client: &Client, last_event_id: Option<&str>) -> Stream {
        Stream::open_at(&app.address, client, last_event_id).await
    }

    /// The stream of the server at `address` (`http://host:port`).
    pub async fn open_at(address: &str, client: &Client, last_event_id: Option<&str>) -> Stream {
        let mut request = client.get(format!("{address}/api/v1/events"));
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id);
        }
        let response = request.send().await.unwrap();
        let mut stream = Stream::from_response(response);
        // Every stream opens with where it starts.
        let (id, first) = stream
            .next(Duration::from_secs(5))
            .await
            .expect("a first event");
        assert_eq!(first, LiveEvent::Connected {});
        assert!(id.parse::<i64>().is_ok(), "{id}");
        stream
    }

    /// The next event: (id, payload), or `None` if none comes within `wait`.
    pub async fn next(&mut self, wait: Duration) -> Option<(String, LiveEvent)> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let frame: String = self.buffer.drain(..end + 2).collect();
                let mut id = None;
                let mut data = String::new();
                for line in frame.lines() {
                    if let Some(value) = line.strip_prefix("id:") {
                        id = Some(value.trim().to_owned());
                    } else if let Some(value) = line.strip_prefix("data:") {
                        data.push_str(value.trim_start());
                    }
                }
                if data.is_empty() {
                    continue; // a keep-alive comment
                }
                let event: LiveEvent = serde_json::from_str(&data).unwrap();
                return Some((id.expect("events carry ids"), event));
            }
            let chunk = tokio::time::timeout_at(deadline, self.body.next())
                .await
                .ok()??;
            self.buffer
                .push_str(&String::from_utf8_lossy(&chunk.unwrap()));
        }
    }

    /// The stream an answer carries, from its first event on.
    pub fn from_response(response: reqwest::Response) -> Stream {
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream"));
        Stream {
            body: Box::pin(response.bytes_stream()),
            buffer: String::new(),
        }
    }

    /// Whether the server closes the stream within `wait` (keep-alives aside, nothing more may
    /// come).
    pub async fn closes_within(&mut self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.body.next()).await {
                Ok(None) | Ok(Some(Err(_))) => return self.buffer.trim().is_empty(),
                Ok(Some(Ok(chunk))) => {
                    let text = String::from_utf8_lossy(&chunk);
                    assert!(
                        text.lines()
                            .all(|line| line.is_empty() || line.starts_with(':')),
                        "an event after the last: {text}"
                    );
                }
                Err(_) => return false,
            }
        }
    }

    /// The next conversation event, skipping others.
    pub async fn next_conversation(
        &mut self,
    ) -> (String, switchboard_domain::api::ConversationSummary) {
        loop {
            match self.next(Duration::from_secs(5)).await.expect("an event") {
                (id, LiveEvent::Conversation { conversation, .. }) => return (id, conversation),
                _ => continue,
            }
        }
    }
}

#[tokio::test]
async fn a_change_reaches_every_teammate_who_sees_the_line_and_nobody_else() {
    let app = spawn_app().await;
    let owner = app.signed_in(OWNER).await;
    let jordan = app.signed_in(SUPPORT_MEMBER).await;
    let mut owner_stream = Stream::open(&app, &owner, None).await;
    let mut jordan_stream = Stream::open(&app, &jordan, None).await;

    let main = app.first_on("open", Some(1)).await;
    app.change(main.id, "unread", None).await;
    let (_, changed) = owner_stream.next_conversation().await;
    assert_eq!((changed.id, changed.unread), (main.id, true));
    assert!(
        jordan_stream
            .next(Duration::from_millis(500))
            .await
            .is_none(),
        "not Jordan's line"
    );

    let support = app.first_on("open", Some(2)).await;
    app.change(support.id, "done", Some(support.latest_activity.id))
        .await;
    let (_, seen_by_jordan) = jordan_stream.next_conversation().await;
    assert_eq!(seen_by_jordan.id, support.id);
    assert_eq!(seen_by_jordan.status, switchboard_domain::Status::Done);
    let (_, seen_by_owner) = owner_stream.next_conversation().await;
    assert_eq!(seen_by_owner.id, support.id);
}

#[tokio::test]
async fn a_reconnecting_stream_gets_what_it_missed_from_last_event_id() {
    let app = spawn_app().await;
    let owner = app.signed_in(OWNER).await;
    let open = app.page("view=open&limit=5").await.conversations;
    let mut stream = Stream::open(&app, &owner, None).await;
    app.change(open[0].id, "unread", None).await;
    let (last_id, first) = stream.next_conversation().await;
    assert_eq!(first.id, open[0].id);
    drop(stream); // The connection drops...

    app.change(open[1].id, "unread", None).await; // ...changes happen meanwhile...
    app.change(open[2].id, "unread", None).await;

    let mut resumed = Stream::open(&app, &owner, Some(&last_id)).await;
    let (_, missed_1) = resumed.next_conversation().await;
    let (_, missed_2) = resumed.next_conversation().await;
    assert_eq!([missed_1.id, missed_2.id], [open[1].id, open[2].id]);
    // And it goes on live.
    app.change(open[3].id, "unread", None).await;
    let (_, live) = resumed.next_conversation().await;
    assert_eq!(live.id, open[3].id);
}

#[tokio::test]
async fn an_inbound_webhook_message_is_pushed_with_its_activity() {
    let app = spawn_app().await;
    let owner = app.signed_in(OWNER).await;
    let mut stream = Stream::open(&app, &owner, None).await;
    let target = app.first_of("done").await;
    app.webhook_text(&target, "EV-live-1", "Back again").await;
    let mut saw_activity = false;
    loop {
        match stream.next(Duration::from_secs(5)).await.expect("events").1 {
            LiveEvent::Activity { activity } => {
                assert_eq!(activity.conversation_id, target.id);
                saw_activity = true;
            }
            LiveEvent::Conversation {
                conversation,
                line_unread_count,
            } => {
                assert_eq!(conversation.id, target.id);
                assert!(conversation.unread);
                let line = app
                    .lines()
                    .await
                    .lines
                    .into_iter()
                    .find(|l| l.id == conversation.line_id)
                    .unwrap();
                assert_eq!(line_unread_count, line.unread_count);
                break;
            }
            LiveEvent::Notification { .. } | LiveEvent::Connected {} => {}
            ending => panic!("the stream ended: {ending:?}"),
        }
    }
    assert!(saw_activity);
}
