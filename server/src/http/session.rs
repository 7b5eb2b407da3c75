//! Signing in and out, the signed-in teammate, and the team.

use crate::auth::{self, ClientAddress, CurrentMember};
use crate::db;
use crate::error::extract::Json;
use crate::error::AppError;
use crate::throttle;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, StatusCode};
use axum_extra::extract::cookie::CookieJar;
use std::time::Duration;
use switchboard_catalogue::Lang;
use switchboard_domain::api::ErrorResponse;
use switchboard_domain::team::{LanguageChoice, Me, MemberList, SessionStatus, SignInRequest};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(session_status, sign_in, sign_out))
        .routes(routes!(me))
        .routes(routes!(choose_language))
        .routes(routes!(members))
}

/// What is kept of a browser's name for the session list.
const MAX_USER_AGENT_CHARS: usize = 300;

/// A hash to check wrong emails against, so that an unknown email takes as long to refuse as a
/// wrong password (nothing tells which emails exist).
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| auth::hash_password("decoy password, never matched"))
}

/// How long a sign-in waits for a free password check before the server says it is busy.
const PASSWORD_CHECK_WAIT: Duration = Duration::from_secs(5);

/// Signs in with email and password; the answer sets a new session cookie (and ends the
/// session this browser had, if any).
///
/// Throttled per address, per account and per known client (see the README): after 3
/// failures answers slow down, by a quarter of a second per failure; after 10, sign-in is
/// refused (429) until 15 minutes have passed. A browser or address that signed in as this
/// teammate before keeps a budget of its own.
#[utoipa::path(post, path = "/session", tag = "session", request_body = SignInRequest,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = Me),
        (status = 400, description = "Not a sign-in request (or an email over 254 characters)", body = ErrorResponse),
        (status = 401, description = "Wrong email or password", body = ErrorResponse),
        (status = 403, description = "Sent by another site's page", body = ErrorResponse),
        (status = 413, description = "Body too large", body = ErrorResponse),
        (status = 415, description = "Not JSON", body = ErrorResponse),
        (status = 429, description = "Too many failed sign-ins, or too many at once", body = ErrorResponse),
    ))]
async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    jar: CookieJar,
    Json(request): Json<SignInRequest>,
) -> Result<(CookieJar, axum::Json<Me>), AppError> {
    let email = request.email.trim().to_lowercase();
    if email.chars().count() > auth::MAX_EMAIL_CHARS {
        return Err(AppError::InvalidBody(format!(
            "email: at most {} characters",
            auth::MAX_EMAIL_CHARS
        )));
    }
    let attempt = throttle::Attempt {
        email: email.clone(),
        address,
        device: jar
            .get(state.auth.device_cookie_name())
            .map(|cookie| auth::token_hash(cookie.value())),
    };
    let now = state.clock.now_ms();
    let known_since = now - throttle::KNOWN_FOR.as_millis() as i64;
    let known =
        db::sessions::known_client(&state.db, &email, &attempt.clients(), known_since).await?;
    let subjects = attempt.subjects(known.as_deref());
    let since = now - throttle::FAILURE_WINDOW.as_millis() as i64;
    // Counted as a failure before the password is checked, so that parallel guesses each
    // count; taken back below if it succeeds.
    let counted = db::sessions::begin_attempt(&state.db, &subjects, since, now).await?;
    match throttle::verdict(&counted.failures) {
        throttle::Verdict::Refuse => {
            // A refused attempt guessed nothing: it does not push the end of the wait back.
            db::sessions::forgive(&state.db, counted).await?;
            return Err(AppError::TooManyRequests {
                message: "too many failed sign-ins: try again in 15 minutes".to_owned(),
                retry_after_seconds: throttle::FAILURE_WINDOW.as_secs(),
            });
        }
        throttle::Verdict::SlowDown(pause) => tokio::time::sleep(pause).await,
        throttle::Verdict::Check => {}
    }

    let credentials = db::members::credentials(&state.db, &email).await?;
    let hash = credentials
        .as_ref()
        .map_or_else(|| decoy_hash().to_owned(), |(_, hash)| hash.clone());
    let password = request.password;
    // A few checks at a time (each takes argon2's memory and a core); the rest wait briefly.
    let check = state
        .password_checks
        .run(PASSWORD_CHECK_WAIT, move || {
            auth::verify_password(&password, &hash)
        })
        .await;
    let Ok(matches) = check else {
        db::sessions::forgive(&state.db, counted).await?;
        return Err(AppError::TooManyRequests {
            message: "too many sign-ins at once: try again in a moment".to_owned(),
            retry_after_seconds: 1,
        });
    };
    let Some((member, _)) = credentials.filter(|_| matches) else {
        return Err(AppError::Unauthorized("wrong email or password".to_owned()));
    };
    db::sessions::forgive(&state.db, counted).await?;
    if let Some(client) = &known {
        db::sessions::clear_failures(&state.db, &format!("known:{email}:{client}")).await?;
    }

    // The session this browser had ends: one browser, one session.
    if let Some(cookie) = jar.get(state.auth.session_cookie_name()) {
        db::sessions::end_by_token(&state.db, &auth::token_hash(cookie.value())).await?;
        state.streams.sessions_changed();
    }
    let https = auth::came_over_https(&headers);
    let mut jar = jar;
    let device = match jar.get(state.auth.device_cookie_name()) {
        Some(cookie) => auth::token_hash(cookie.value()),
        None => {
            let token = auth::new_token();
            let hash = auth::token_hash(&token);
            jar = jar.add(auth::device_cookie(token, &state.auth, https));
            hash
        }
    };
    let remembered = throttle::Attempt {
        device: Some(device),
        ..attempt
    };
    db::sessions::remember_clients(&state.db, member, &remembered.clients(), now).await?;

    // A new session at every sign-in: a token planted before cannot be carried in.
    let token = auth::new_token();
    let user_agent = headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|agent| agent.chars().take(MAX_USER_AGENT_CHARS).collect());
    db::sessions::create(
        &state.db,
        member,
        &auth::token_hash(&token),
        user_agent,
        now,
    )
    .await?;
    let session = db::sessions::by_token(&state.db, &auth::token_hash(&token))
        .await?
        .ok_or_else(|| AppError::Unauthorized("the session could not start".to_owned()))?;
    let me = db::members::me(&state.db, &session).await?;
    let cookie = auth::session_cookie(token, &state.auth, https);
    Ok((jar.add(cookie), axum::Json(me)))
}

/// Signs out: the session ends on the server (and its event streams with it), and in the
/// browser its cookie, cache and storage (`Clear-Site-Data`), so that the next person on a
/// shared device finds nothing of it.
#[utoipa::path(delete, path = "/session", tag = "session",
    responses(
        (status = 204, description = "Signed out"),
        (status = 403, description = "Sent by another site's page", body = ErrorResponse),
    ))]
async fn sign_out(
    State(state): State<AppState>,
    jar: CookieJar,
) -> Result<(StatusCode, [(HeaderName, &'static str); 1], CookieJar), AppError> {
    if let Some(cookie) = jar.get(state.auth.session_cookie_name()) {
        db::sessions::end_by_token(&state.db, &auth::token_hash(cookie.value())).await?;
        state.streams.sessions_changed();
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(
            HeaderName::from_static("clear-site-data"),
            "\"cache\", \"storage\"",
        )],
        jar.add(auth::cleared_cookie(&state.auth)),
    ))
}

/// Who is signed in, if anyone: 200 either way (an app starting up asks this, and a signed-out
/// visitor is no error).
#[utoipa::path(get, path = "/session", tag = "session",
    responses(
        (status = 200, description = "The signed-in teammate, or none", body = SessionStatus),
    ))]
async fn session_status(
    State(state): State<AppState>,
    member: Result<CurrentMember, AppError>,
) -> Result<axum::Json<SessionStatus>, AppError> {
    let member = match member {
        Ok(CurrentMember(member)) => Some(db::members::me(&state.db, &member).await?),
        Err(AppError::Unauthorized(_)) => None,
        Err(error) => return Err(error),
    };
    Ok(axum::Json(SessionStatus { member }))
}

/// The signed-in teammate.
#[utoipa::path(get, path = "/me", tag = "session",
    responses(
        (status = 200, description = "Who is signed in", body = Me),
        (status = 401, description = "Not signed in", body = ErrorResponse),
    ))]
async fn me(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
) -> Result<axum::Json<Me>, AppError> {
    Ok(axum::Json(db::members::me(&state.db, &member).await?))
}

/// Chooses the signed-in teammate's interface language, on every device: a code of the
/// catalogue, or `null` to follow each browser's languages again. Their other sessions are told
/// at once (a `language` event on their streams); nobody else's.
#[utoipa::path(put, path = "/me/language", tag = "session", request_body = DocumentedLanguageChoice,
    responses(
        (status = 200, description = "The teammate, with the language now chosen", body = Me),
        (status = 400, description = "Not a language the interface speaks (the message names those it does), or not the expected JSON", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
    ))]
async fn choose_language(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
    Json(choice): Json<LanguageChoice>,
) -> Result<axum::Json<Me>, AppError> {
    let language = match choice.language.as_deref() {
        None => None,
        Some(code) => Some(crate::language::by_code(code).ok_or_else(|| {
            AppError::InvalidBody(format!(
                "language: {code:?} is not one the interface speaks: {} or null",
                crate::language::codes()
            ))
        })?),
    };
    db::members::set_language(&state.db, member.id, language, state.clock.now_ms()).await?;
    Ok(axum::Json(db::members::me(&state.db, &member).await?))
}

/// [`LanguageChoice`] as the document gives it: the domain's type says `string`, and the API
/// takes only the catalogue's codes (a third language joins the enum by itself).
struct DocumentedLanguageChoice;

impl utoipa::PartialSchema for DocumentedLanguageChoice {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, SchemaType, Type};
        let codes = Lang::ALL
            .map(|lang| serde_json::Value::from(lang.code()))
            .into_iter()
            .chain([serde_json::Value::Null]);
        let language = ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
            .enum_values(Some(codes))
            .description(Some(
                "A code of the catalogue, or null to follow each browser's languages",
            ));
        ObjectBuilder::new()
            .property("language", language)
            .required("language")
            .additional_properties(Some(AdditionalProperties::FreeForm(false)))
            .into()
    }
}

impl utoipa::ToSchema for DocumentedLanguageChoice {
    fn name() -> std::borrow::Cow<'static, str> {
        "LanguageChoice".into()
    }
}

/// The teammates, to assign conversations to and to @mention.
#[utoipa::path(get, path = "/members", tag = "session",
    responses(
        (status = 200, description = "Every teammate", body = MemberList),
        (status = 401, description = "Not signed in", body = ErrorResponse),
    ))]
async fn members(
    State(state): State<AppState>,
    CurrentMember(_): CurrentMember,
) -> Result<axum::Json<MemberList>, AppError> {
    Ok(axum::Json(MemberList {
        members: db::members::list(&state.db).await?,
    }))
}
