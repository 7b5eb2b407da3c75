//! Who is asking: sessions from a cookie, passwords hashed with argon2id, sign-in throttling,
//! and the check that state-changing requests come from the app's own pages.

use crate::client_address::TrustedProxies;
use crate::db;
use crate::db::members::SessionMember;
use crate::error::AppError;
use crate::AppState;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use base64::Engine;
use rand::rngs::OsRng;
use rand::TryRngCore;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::time::Duration;

/// The session cookie's name over plain HTTP (development on loopback)...
pub const SESSION_COOKIE: &str = "switchboard_session";
/// ...and when the server is known to be reached over HTTPS: the prefix makes the browser
/// refuse it unless it is Secure, for the whole host, and set by the host itself (no
/// sibling subdomain can plant or overwrite it).
pub const SECURE_SESSION_COOKIE: &str = "__Host-switchboard_session";
/// A long-lived random token that marks a browser that signed in before (throttling lets it
/// keep its own budget: [`crate::throttle`]).
pub const DEVICE_COOKIE: &str = "switchboard_device";
/// The same over HTTPS (`__Secure-`, since it is scoped to the sign-in path, which `__Host-`
/// forbids).
pub const SECURE_DEVICE_COOKIE: &str = "__Secure-switchboard_device";
/// How long the device cookie lasts.
const DEVICE_COOKIE_DAYS: i64 = 400;

#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// A session unused this long ends.
    pub idle_timeout: Duration,
    /// A session ends this long after sign-in, used or not.
    pub lifetime: Duration,
    /// Mark the cookie `Secure` (the server is behind TLS); also done when the request says it
    /// came over HTTPS (`X-Forwarded-Proto`).
    pub secure_cookies: bool,
    /// The origin the app is served from (`https://inbox.example.com`), when configured: the
    /// origin check compares against it, and an `https` one makes cookies Secure.
    pub public_origin: Option<String>,
    /// Reverse proxies whose forwarding headers name the client.
    pub trusted_proxies: TrustedProxies,
}

impl AuthSettings {
    /// Whether the server is known to be reached over HTTPS, whatever a request says.
    fn always_https(&self) -> bool {
        self.secure_cookies
            || self
                .public_origin
                .as_deref()
                .is_some_and(|origin| origin.starts_with("https://"))
    }

    /// The name the session cookie has on this server.
    pub fn session_cookie_name(&self) -> &'static str {
        match self.always_https() {
            true => SECURE_SESSION_COOKIE,
            false => SESSION_COOKIE,
        }
    }

    /// The name the device cookie has on this server.
    pub fn device_cookie_name(&self) -> &'static str {
        match self.always_https() {
            true => SECURE_DEVICE_COOKIE,
            false => DEVICE_COOKIE,
        }
    }

    /// Whether a session is still live at `now`: used within the idle timeout, and younger
    /// than its lifetime.
    pub fn session_is_live(&self, session: &SessionMember, now: i64) -> bool {
        let idle = now - session.last_seen_at > self.idle_timeout.as_millis() as i64;
        let too_old = now - session.created_at > self.lifetime.as_millis() as i64;
        !idle && !too_old
    }
}

/// The longest email address (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;
/// The shortest password accepted for a teammate.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Argon2 takes any length; a bound keeps a request from making it hash megabytes.
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// A teammate's email as stored (trimmed, lower case), or why it is not one.
pub fn teammate_email(email: &str) -> Result<String, String> {
    let email = email.trim().to_lowercase();
    if email.chars().count() > MAX_EMAIL_CHARS || !email.contains('@') {
        return Err(format!(
            "email: an address of at most {MAX_EMAIL_CHARS} characters"
        ));
    }
    Ok(email)
}

/// Whether `password` may be a teammate's (the API and the command line ask the same).
pub fn check_new_password(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&length) {
        return Err(format!(
            "a password has at least {MIN_PASSWORD_CHARS} characters (and at most {MAX_PASSWORD_CHARS})"
        ));
    }
    Ok(())
}

/// An argon2id hash of `password`, in PHC form. Slow on purpose: call it off the async threads.
pub fn hash_password(password: &str) -> String {
    let mut bytes = [0u8; 16];
    OsRng
        .try_fill_bytes(&mut bytes)
        .expect("the system's random source works");
    let salt = SaltString::encode_b64(&bytes).expect("16 bytes make a salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes any password")
        .to_string()
}

/// Whether `password` matches `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A fresh session token: 256 random bits.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng
        .try_fill_bytes(&mut bytes)
        .expect("the system's random source works");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a token.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The session cookie for `token`.
pub fn session_cookie(token: String, settings: &AuthSettings, https: bool) -> Cookie<'static> {
    Cookie::build((settings.session_cookie_name(), token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(settings.always_https() || https)
        .path("/")
        .max_age(time::Duration::seconds(
            i64::try_from(settings.lifetime.as_secs()).unwrap_or(i64::MAX),
        ))
        .build()
}

/// The device cookie for `token`: long-lived, for sign-in only.
pub fn device_cookie(token: String, settings: &AuthSettings, https: bool) -> Cookie<'static> {
    Cookie::build((settings.device_cookie_name(), token))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(settings.always_https() || https)
        .path("/api/v1/session")
        .max_age(time::Duration::days(DEVICE_COOKIE_DAYS))
        .build()
}

/// The cookie that ends the session in the browser.
pub fn cleared_cookie(settings: &AuthSettings) -> Cookie<'static> {
    let mut cookie = Cookie::build((settings.session_cookie_name(), ""))
        .path("/")
        .secure(settings.always_https())
        .build();
    cookie.make_removal();
    cookie
}

/// Whether the request came over HTTPS (through a proxy that says so).
pub fn came_over_https(parts: &axum::http::HeaderMap) -> bool {
    parts
        .get("x-forwarded-proto")
        .is_some_and(|proto| proto.as_bytes().eq_ignore_ascii_case(b"https"))
}

/// The signed-in teammate, from the session cookie: 401 without a valid one.
pub struct CurrentMember(pub SessionMember);

impl FromRequestParts<AppState> for CurrentMember {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar
            .get(state.auth.session_cookie_name())
            .map(|cookie| cookie.value().to_owned())
            .ok_or_else(|| AppError::Unauthorized("sign in first".to_owned()))?;
        let hash = token_hash(&token);
        let ended = || AppError::Unauthorized("your session has ended: sign in again".to_owned());
        let member = db::sessions::by_token(&state.db, &hash)
            .await?
            .ok_or_else(ended)?;
        let now = state.clock.now_ms();
        let settings = &state.auth;
        if !settings.session_is_live(&member, now) {
            db::sessions::end_by_token(&state.db, &hash).await?;
            state.streams.sessions_changed();
            return Err(ended());
        }
        // Note the use now and then, not on every request: enough for the idle expiry.
        let touch_every = (settings.idle_timeout / 4).min(Duration::from_secs(60));
        if now - member.last_seen_at > touch_every.as_millis() as i64 {
            db::sessions::touch(&state.db, member.session_id, now).await?;
        }
        Ok(CurrentMember(member))
    }
}

/// The address a request came from, as sign-in throttling counts it (see
/// [`crate::client_address`]; "unknown" when not served over a socket).
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let address = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(
                || "unknown".to_owned(),
                |info| {
                    let client = state
                        .auth
                        .trusted_proxies
                        .client(info.0.ip(), &parts.headers);
                    crate::client_address::throttling_key(client)
                },
            );
        Ok(ClientAddress(address))
    }
}

/// The configured public origin, for [`same_origin_only`] (a request extension, set by the app).
#[derive(Debug, Clone)]
pub struct PublicOrigin(pub Option<String>);

/// Refuses state-changing requests that another site's page made the browser send: the browser
/// says so in `Sec-Fetch-Site`, and `Origin` must be this server's own: the configured public
/// origin when there is one (a `Host` header can name anything, as in DNS rebinding), else the
/// `Host` the request was sent to. (SameSite=Lax cookies already keep most of them out; this
/// closes the rest.) Programs that send neither header, such as scripts with their own session,
/// are let through.
pub async fn same_origin_only(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let cross_site = fetch_site.is_some_and(|site| site != "same-origin" && site != "none");
    let public = request
        .extensions()
        .get::<PublicOrigin>()
        .and_then(|public| public.0.clone());
    let own: Vec<String> = match public {
        Some(public) => vec![public],
        None => headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .map(|host| vec![format!("http://{host}"), format!("https://{host}")])
            .unwrap_or_default(),
    };
    let foreign_origin = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|origin| !own.iter().any(|o| o == origin));
    if cross_site || foreign_origin {
        return AppError::Forbidden(
            "requests from other sites are refused: use Switchboard's own pages".to_owned(),
        )
        .into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse battery staple");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery staple", &hash));
        assert!(!verify_password("Correct horse battery staple", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn tokens_are_long_random_and_stored_only_as_hashes() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(a.len() >= 43, "256 bits in base64");
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn the_session_cookie_is_http_only_and_same_site_lax() {
        let settings = AuthSettings {
            idle_timeout: Duration::from_secs(3600),
            lifetime: Duration::from_secs(86_400),
            secure_cookies: false,
            public_origin: None,
            trusted_proxies: TrustedProxies::default(),
        };
        let cookie = session_cookie("t".into(), &settings, false).to_string();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        assert!(!cookie.contains("Secure"));
        assert!(session_cookie("t".into(), &settings, true)
            .to_string()
            .contains("Secure"));
    }
}
