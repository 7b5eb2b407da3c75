//! `GET /api/v1/events`: live updates as server-sent events.

use crate::auth::CurrentMember;
use crate::db;
use crate::db::events::{self, StoredEvent};
use crate::db::members::SessionMember;
use crate::db::Db;
use crate::error::extract::Query;
use crate::error::AppError;
use crate::streams::{RECHECK_EVERY, STREAMS_PER_SESSION};
use crate::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{Stream, StreamExt};
use serde::Deserialize;
use std::convert::Infallible;
use std::sync::Arc;
use switchboard_domain::team::LiveEvent;
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

/// Events read from the table at a time when a client catches up.
const CATCH_UP_BATCH: u32 = 500;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(stream))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct StreamParams {
    /// Resume after this event (as the `Last-Event-ID` header does, for clients that cannot
    /// set it).
    last_event_id: Option<i64>,
}

/// Live updates: every change to the conversations of the signed-in teammate's lines (state,
/// new activity, assignment, pin, note) and their own notifications, as server-sent events
/// whose `data` is a `LiveEvent` and whose `id` resumes the stream (`Last-Event-ID`).
#[utoipa::path(get, path = "/events", tag = "live", params(StreamParams),
    responses(
        (status = 200, description = "A text/event-stream of LiveEvent", content_type = "text/event-stream", body = switchboard_domain::team::LiveEvent),
        (status = 400, description = "A parameter is wrong", body = switchboard_domain::api::ErrorResponse),
        (status = 401, description = "Not signed in", body = switchboard_domain::api::ErrorResponse),
        (status = 429, description = "This session has too many streams open", body = switchboard_domain::api::ErrorResponse),
    ))]
async fn stream(
    State(state): State<AppState>,
    CurrentMember(viewer): CurrentMember,
    headers: HeaderMap,
    Query(params): Query<StreamParams>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let resume_after = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .or(params.last_event_id);
    let counted =
        state
            .streams
            .open(viewer.session_id)
            .ok_or_else(|| AppError::TooManyRequests {
                message: format!(
                    "this session has {STREAMS_PER_SESSION} event streams open already: close one"
                ),
                retry_after_seconds: 5,
            })?;
    // Listen before reading the table, so that nothing falls between the two.
    let live = state.db.subscribe();
    // An id from before what retention kept cannot be resumed: the client reloads, and the
    // stream goes on from now.
    let resumable = match resume_after {
        Some(seq) => seq >= db::retention::events_pruned_through(&state.db).await?,
        None => true,
    };
    let start = match resume_after.filter(|_| resumable) {
        Some(seq) => seq,
        None => events::last_seq(&state.db).await?,
    };
    let (sender, receiver) = mpsc::channel(256);
    let opening = match resumable {
        true => LiveEvent::Connected {},
        false => LiveEvent::Reload {},
    };
    let hello = StoredEvent {
        seq: start,
        line_id: None,
        member_id: Some(viewer.id),
        json: serde_json::to_string(&opening).expect("an event serialises"),
    };
    // Room for one is certain: the channel is new.
    let _ = sender.try_send(Arc::new(hello));
    tokio::spawn(async move {
        forward(state.clone(), viewer, live, start, sender).await;
        drop(counted);
    });
    let events = ReceiverStream::new(receiver).map(|event: Arc<StoredEvent>| {
        Ok(Event::default()
            .id(event.seq.to_string())
            .data(event.json.as_str()))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}

fn visible_to(viewer: &SessionMember, event: &StoredEvent) -> bool {
    match (event.member_id, event.line_id) {
        (Some(member), _) => member == viewer.id,
        (None, Some(line)) => viewer.can_see(line),
        (None, None) => true,
    }
}

/// Sends one teammate the events after `last`: first those in the table, then live ones, until
/// they hang up, their session ends or their access changes (the last event says which, and
/// the stream closes), or the server stops (the last event says "reconnect").
async fn forward(
    state: AppState,
    viewer: SessionMember,
    mut live: broadcast::Receiver<Arc<StoredEvent>>,
    mut last: i64,
    sender: mpsc::Sender<Arc<StoredEvent>>,
) {
    let db = &state.db;
    let mut sessions = state.streams.watch_sessions();
    let mut stopping = state.streams.watch_stopping();
    let mut recheck = tokio::time::interval(RECHECK_EVERY);
    recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    if catch_up(db, &viewer, &mut last, &sender).await.is_err() {
        return;
    }
    let ending = loop {
        let received = tokio::select! {
            received = live.recv() => received,
            () = sender.closed() => return,
            () = stopped(&mut stopping) => break LiveEvent::Reconnect {},
            _ = recheck.tick() => match still_allowed(&state, &viewer).await {
                Some(ending) => break ending,
                None => continue,
            },
            Ok(()) = sessions.changed() => match still_allowed(&state, &viewer).await {
                Some(ending) => break ending,
                None => continue,
            },
        };
        match received {
            Ok(event) if event.seq > last => {
                last = event.seq;
                if visible_to(&viewer, &event) {
                    let ends = event.ends_stream();
                    if sender.send(event).await.is_err() || ends {
                        return;
                    }
                }
            }
            Ok(_) => {}
            // Fell behind the broadcast: the table has everything.
            Err(broadcast::error::RecvError::Lagged(_)) => {
                if catch_up(db, &viewer, &mut last, &sender).await.is_err() {
                    return;
                }
            }
            Err(broadcast::error::RecvError::Closed) => return,
        }
    };
    // The last event resumes where the stream stood, for a client that reconnects.
    let farewell = StoredEvent {
        seq: last,
        line_id: None,
        member_id: Some(viewer.id),
        json: serde_json::to_string(&ending).expect("an event serialises"),
    };
    let _ = sender.send(Arc::new(farewell)).await;
}

async fn stopped(stopping: &mut tokio::sync::watch::Receiver<bool>) {
    // The guard it returns must not live across an await.
    let _ = stopping.wait_for(|stopping| *stopping).await;
}

/// `None` while the stream's session goes on with the access it started with; otherwise the
/// event that ends the stream. A database error ends nothing: the next check tries again.
async fn still_allowed(state: &AppState, viewer: &SessionMember) -> Option<LiveEvent> {
    let now = state.clock.now_ms();
    match db::sessions::by_id(&state.db, viewer.session_id).await {
        Ok(Some(session)) if !state.auth.session_is_live(&session, now) => {
            Some(LiveEvent::SessionEnded {})
        }
        Ok(Some(session)) if !viewer.same_access(&session) => Some(LiveEvent::AccessChanged {}),
        Ok(Some(_)) | Err(_) => None,
        Ok(None) => Some(LiveEvent::SessionEnded {}),
    }
}

async fn catch_up(
    db: &Db,
    viewer: &SessionMember,
    last: &mut i64,
    sender: &mpsc::Sender<Arc<StoredEvent>>,
) -> Result<(), ()> {
    loop {
        let batch = events::since(db, *last, CATCH_UP_BATCH)
            .await
            .map_err(|_| ())?;
        let full = batch.len() == CATCH_UP_BATCH as usize;
        for event in batch {
            *last = event.seq;
            if visible_to(viewer, &event) {
                let ends = event.ends_stream();
                sender.send(Arc::new(event)).await.map_err(|_| ())?;
                if ends {
                    return Err(());
                }
            }
        }
        if !full {
            return Ok(());
        }
    }
}
