use crate::auth::CurrentMember;
use crate::db;
use crate::db::changes::{self, AssignRefused, ChangeOutcome};
use crate::db::conversations::{self as store, Cursor, Denied, PageQuery};
use crate::db::outbox::SendVia;
use crate::error::extract::{Json, Path, Query};
use crate::error::AppError;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use switchboard_domain::api::{
    ChangeStateRequest, ConversationDetail, ConversationPage, ConversationSummary, ErrorResponse,
    ReplyRequest, ReplyResponse, ReplySending, ReplyText, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE,
};
use switchboard_domain::team::{AssignRequest, NoteRequest, PinRequest};
use switchboard_domain::{ActivityId, ConversationId, LineId, StateChange, TagId, View};
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_conversations))
        .routes(routes!(get_conversation))
        .routes(routes!(change_state))
        .routes(routes!(reply))
        .routes(routes!(retry_reply))
        .routes(routes!(note))
        .routes(routes!(assign))
        .routes(routes!(pin))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ListParams {
    /// `open` (default), `unread` or `done`.
    view: Option<View>,
    /// Only this line's conversations; all lines when absent.
    #[param(value_type = Option<i64>)]
    line: Option<LineId>,
    /// Conversations per page, 1 to 200 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// `me`: only the conversations assigned to the signed-in teammate.
    assignee: Option<String>,
    /// Only the conversations whose contact has this tag.
    #[param(value_type = Option<i64>)]
    tag: Option<TagId>,
}

impl ListParams {
    /// Parses the parameters into a query, or says what is wrong with them.
    fn into_query(self, viewer: switchboard_domain::MemberId) -> Result<PageQuery, AppError> {
        let limit = match self.limit {
            None => DEFAULT_PAGE_SIZE,
            Some(limit) if (1..=i64::from(MAX_PAGE_SIZE)).contains(&limit) => limit as u32,
            Some(limit) => {
                return Err(AppError::InvalidParameter(format!(
                    "limit must be between 1 and {MAX_PAGE_SIZE}, not {limit}"
                )))
            }
        };
        let after = self
            .cursor
            .map(|cursor| {
                cursor.parse::<Cursor>().map_err(|()| {
                    AppError::InvalidParameter(format!(
                        "cursor {cursor:?} is not one this server gave out (use next_cursor)"
                    ))
                })
            })
            .transpose()?;
        let assignee = match self.assignee.as_deref() {
            None => None,
            Some("me") => Some(viewer),
            Some(other) => {
                return Err(AppError::InvalidParameter(format!(
                    "assignee must be \"me\", not {other:?}"
                )))
            }
        };
        Ok(PageQuery {
            view: self.view.unwrap_or_default(),
            line: self.line,
            assignee,
            limit,
            after,
            tag: self.tag,
        })
    }
}

fn refused(id: ConversationId, denied: Denied) -> AppError {
    match denied {
        Denied::NotFound => AppError::NotFound(format!("there is no conversation {id}")),
        Denied::Forbidden => {
            AppError::Forbidden(format!("conversation {id} is on a line you do not have"))
        }
    }
}

/// A page of a view's conversations, newest activity first.
#[utoipa::path(get, path = "/conversations", tag = "conversations", params(ListParams),
    responses(
        (status = 200, description = "A page of conversations", body = ConversationPage),
        (status = 400, description = "A parameter is wrong", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "A line you do not have", body = ErrorResponse),
        (status = 404, description = "No such line", body = ErrorResponse),
    ))]
async fn list_conversations(
    State(state): State<AppState>,
    CurrentMember(viewer): CurrentMember,
    Query(params): Query<ListParams>,
) -> Result<axum::Json<ConversationPage>, AppError> {
    let query = params.into_query(viewer.id)?;
    if let Some(line) = query.line {
        if !db::lines::exists(&state.db, line).await? {
            return Err(AppError::NotFound(format!("there is no line {line}")));
        }
        if !viewer.can_see(line) {
            return Err(AppError::Forbidden(format!(
                "line {line} is not one of yours"
            )));
        }
    }
    Ok(axum::Json(store::page(&state.db, query, &viewer).await?))
}

/// One conversation with its whole thread, oldest activity first.
#[utoipa::path(get, path = "/conversations/{id}", tag = "conversations",
    params(("id" = i64, Path, description = "Conversation id")),
    responses(
        (status = 200, description = "The conversation and its activities", body = ConversationDetail),
        (status = 400, description = "The id is not a number", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "On a line you do not have", body = ErrorResponse),
        (status = 404, description = "No such conversation", body = ErrorResponse),
    ))]
async fn get_conversation(
    State(state): State<AppState>,
    CurrentMember(viewer): CurrentMember,
    Path(id): Path<ConversationId>,
) -> Result<axum::Json<ConversationDetail>, AppError> {
    let detail = store::detail(&state.db, id, &viewer).await?;
    Ok(axum::Json(detail.map_err(|denied| refused(id, denied))?))
}

/// Marks a conversation done, unread, open or read.
///
/// `done` and `read` are refused with 409 when inbound activity arrived after
/// `seen_activity_id`: the body then holds the conversation as it now is, still Open and unread.
/// A change sent again with the same `change_id` is not applied twice.
#[utoipa::path(post, path = "/conversations/{id}/state", tag = "conversations",
    params(("id" = i64, Path, description = "Conversation id")),
    request_body = ChangeStateRequest,
    responses(
        (status = 200, description = "The conversation after the change", body = ConversationSummary),
        (status = 400, description = "The body is wrong", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "On a line you do not have", body = ErrorResponse),
        (status = 404, description = "No such conversation", body = ErrorResponse),
        (status = 409, description = "Refused: unseen inbound activity", body = ErrorResponse),
        (status = 413, description = "The body is too large", body = ErrorResponse),
    ))]
async fn change_state(
    State(state): State<AppState>,
    CurrentMember(viewer): CurrentMember,
    Path(id): Path<ConversationId>,
    Json(request): Json<ChangeStateRequest>,
) -> Result<axum::Json<ConversationSummary>, AppError> {
    let outcome = changes::change_state(
        &state.db,
        &viewer,
        id,
        request.change,
        request.seen_activity_id,
        request.change_id.as_ref(),
        state.clock.now_ms(),
    )
    .await?
    .map_err(|denied| refused(id, denied))?;
    match outcome {
        ChangeOutcome::Changed(conversation) => Ok(axum::Json(conversation)),
        ChangeOutcome::Refused(conversation) => Err(AppError::UnseenActivity {
            message: format!(
                "not marked {}: {} sent something you have not seen yet",
                request.change.as_str(),
                conversation.contact.display_name()
            ),
            conversation: Box::new(conversation),
        }),
    }
}

/// Replies in a conversation: stored as an outbound message (delivery `sending`, then sent by the
/// outbox through Quo), or `not_sent` where no Quo API key is set.
///
/// The conversation becomes read unless inbound activity arrived after `seen_activity_id`; with
/// `mark_done` it is marked done too, unless that activity arrived (then it stays open).
#[utoipa::path(post, path = "/conversations/{id}/replies", tag = "conversations",
    params(("id" = i64, Path, description = "Conversation id")),
    request_body = ReplyRequest,
    responses(
        (status = 201, description = "The reply and the conversation after it", body = ReplyResponse),
        (status = 400, description = "The body is wrong, or the text blank or too long", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "On a line you do not have", body = ErrorResponse),
        (status = 404, description = "No such conversation", body = ErrorResponse),
        (status = 413, description = "The body is too large", body = ErrorResponse),
    ))]
async fn reply(
    State(state): State<AppState>,
    CurrentMember(viewer): CurrentMember,
    Path(id): Path<ConversationId>,
    Json(request): Json<ReplyRequest>,
) -> Result<(StatusCode, axum::Json<ReplyResponse>), AppError> {
    let text = ReplyText::parse(&request.text).map_err(AppError::InvalidBody)?;
    let seen = request.seen_activity_id;
    let via = match state.replies.sending != ReplySending::Off {
        true => SendVia::Quo,
        false => SendVia::Nowhere {
            reason: "no Quo API key".to_owned(),
        },
    };
    let now = state.clock.now_ms();
    let mut response = changes::reply(&state.db, &viewer, id, &text, seen, via, now)
        .await?
        .map_err(|denied| refused(id, denied))?;
    state.replies.queued.queued();
    if request.mark_done {
        // Under the safety rule, as a done of its own: refused, the reply still goes.
        let done =
            changes::change_state(&state.db, &viewer, id, StateChange::Done, seen, None, now)
                .await?
                .map_err(|denied| refused(id, denied))?;
        response.conversation = match done {
            ChangeOutcome::Changed(conversation) | ChangeOutcome::Refused(conversation) => {
                conversation
            }
        };
    }
    Ok((StatusCode::CREATED, axum::Json(response)))
}

/// Sends a reply that was not delivered (or not sent) again.
#[utoipa::path(post, path = "/conversations/{id}/replies/{activity_id}/retry", tag = "conversations",
    params(
        ("id" = i64, Path, description = "Conversation id"),
        ("activity_id" = i64, Path, description = "The reply's activity id"),
    ),
    responses(
        (status = 202, description = "Back in the outbox: Sending"),
        (status = 403, description = "On a line you do not have", body = ErrorResponse),
        (status = 404, description = "No such reply in this conversation", body = ErrorResponse),
        (status = 409, description = "It is not waiting to be sent again, or sending is not set up", body = ErrorResponse),
    ))]
async fn retry_reply(
    State(state): State<AppState>,
    CurrentMember(viewer): CurrentMember,
    Path((id, activity)): Path<(ConversationId, ActivityId)>,
) -> Result<StatusCode, AppError> {
    store::detail(&state.db, id, &viewer)
        .await?
        .map_err(|denied| refused(id, denied))?;
    if db::outbox::reply_conversation(&state.db, activity).await? != Some(id) {
        return Err(AppError::NotFound(format!(
            "conversation {id} has no reply {activity}"
        )));
    }
    if state.replies.sending == ReplySending::Off {
        return Err(AppError::Conflict(
            "sending is not set up on this server (no Quo API key)".to_owned(),
        ));
    }
    match db::outbox::retry(&state.db, activity, state.clock.now_ms()).await? {
        true => {
            state.replies.queued.queued();
            Ok(StatusCode::ACCEPTED)
        }
        false => Err(AppError::Conflict(format!(
            "reply {activity} is not waiting to be sent again"
        ))),
    }
}

/// Writes an internal note in a conversation, for the team only; `mentions` are notified.
#[utoipa::path(post, path = "/conversations/{id}/notes", tag = "conversations",
    params(("id" = i64, Path, description = "Conversation id")),
    request_body = NoteRequest,
    responses(
        (status = 201, description = "The note and the conversation", body = ReplyResponse),
        (status = 400, description = "The body is wrong, or the text blank or too long", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "On a line you do not have", body = ErrorResponse),
        (status = 404, description = "No such conversation", body = ErrorResponse),
    ))]
async fn note(
    State(state): State<AppState>,
    CurrentMember(viewer): CurrentMember,
    Path(id): Path<ConversationId>,
    Json(request): Json<NoteRequest>,
) -> Result<(StatusCode, axum::Json<ReplyResponse>), AppError> {
    let text = ReplyText::parse(&request.text).map_err(AppError::InvalidBody)?;
    let mut named = std::collections::HashSet::new();
    if !request.mentions.iter().all(|member| named.insert(*member)) {
        return Err(AppError::InvalidBody(
            "mentions: each teammate at most once".to_owned(),
        ));
    }
    // A note names each teammate at most once: no list longer than the team.
    let team_size = db::members::list(&state.db).await?.len();
    if request.mentions.len() > team_size {
        return Err(AppError::InvalidBody(format!(
            "mentions: at most the team's {team_size} teammates"
        )));
    }
    let response = changes::note(
        &state.db,
        &viewer,
        id,
        &text,
        &request.mentions,
        state.clock.now_ms(),
    )
    .await?
    .map_err(|denied| refused(id, denied))?;
    Ok((StatusCode::CREATED, axum::Json(response)))
}

/// Assigns a conversation to a teammate, or to nobody. Handing it to someone else makes it
/// unread for the team.
#[utoipa::path(post, path = "/conversations/{id}/assignee", tag = "conversations",
    params(("id" = i64, Path, description = "Conversation id")),
    request_body = AssignRequest,
    responses(
        (status = 200, description = "The conversation, assigned", body = ConversationSummary),
        (status = 400, description = "No such teammate, or one without this line", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "On a line you do not have", body = ErrorResponse),
        (status = 404, description = "No such conversation", body = ErrorResponse),
    ))]
async fn assign(
    State(state): State<AppState>,
    CurrentMember(viewer): CurrentMember,
    Path(id): Path<ConversationId>,
    Json(request): Json<AssignRequest>,
) -> Result<axum::Json<ConversationSummary>, AppError> {
    let assigned = changes::assign(
        &state.db,
        &viewer,
        id,
        request.assignee_id,
        state.clock.now_ms(),
    )
    .await?;
    match assigned {
        Ok(conversation) => Ok(axum::Json(conversation)),
        Err(AssignRefused::Denied(denied)) => Err(refused(id, denied)),
        Err(AssignRefused::UnknownAssignee) => Err(AppError::InvalidBody(
            "assignee_id names no teammate who can see this line".to_owned(),
        )),
    }
}

/// Pins or unpins a conversation for the whole team: pinned ones stay on top of their view.
#[utoipa::path(post, path = "/conversations/{id}/pin", tag = "conversations",
    params(("id" = i64, Path, description = "Conversation id")),
    request_body = PinRequest,
    responses(
        (status = 200, description = "The conversation", body = ConversationSummary),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 403, description = "On a line you do not have", body = ErrorResponse),
        (status = 404, description = "No such conversation", body = ErrorResponse),
    ))]
async fn pin(
    State(state): State<AppState>,
    CurrentMember(viewer): CurrentMember,
    Path(id): Path<ConversationId>,
    Json(request): Json<PinRequest>,
) -> Result<axum::Json<ConversationSummary>, AppError> {
    let pinned = changes::pin(&state.db, &viewer, id, request.pinned, state.clock.now_ms())
        .await?
        .map_err(|denied| refused(id, denied))?;
    Ok(axum::Json(pinned))
}
