//! The built web app (Trunk's `dist`), with the single-page app's routes falling back to
//! `index.html`.

use crate::auth::CurrentMember;
use crate::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::{header, HeaderValue, Method, Request};
use axum::middleware::{self, Next};
use axum::response::Response;
use base64::Engine;
use sha2::Digest;
use std::path::Path;
use switchboard_domain::api::API_BASE;
use switchboard_domain::routes::InboxRoute;
use tower::ServiceBuilder;
use tower_http::services::{ServeDir, ServeFile};

/// Serves files from `web_root`; unknown paths get `index.html` so that every route of the app
/// can be loaded directly and reloaded, announcing what the page will ask the API first.
pub fn service(
    web_root: &Path,
    state: AppState,
) -> impl tower::Service<
    Request<axum::body::Body>,
    Response = Response,
    Error = std::convert::Infallible,
    Future = impl Send,
> + Clone
       + Send
       + Sync
       + 'static {
    let index = web_root.join("index.html");
    let files = ServeDir::new(web_root)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(
            ServeFile::new(index)
                .precompressed_br()
                .precompressed_gzip(),
        );
    ServiceBuilder::new()
        .layer(middleware::from_fn(cache_control))
        .layer(middleware::from_fn_with_state(
            state,
            announce_first_requests,
        ))
        .service(files)
}

/// With the page, a `Link` header names the API's answers that the app asks for as it starts
/// (who is signed in; then the team, the lines and the page's list and conversation), so that
/// the browser fetches them while the app downloads, instead of one round trip after another
/// once it runs. Only a live session's page names more than the session: anything else would
/// be refused, and a refused request is an error in the console of someone signed out.
async fn announce_first_requests(
    State(state): State<AppState>,
    request: Request<axum::body::Body>,
    next: Next,
) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let route = InboxRoute::from_address(parts.uri.path(), parts.uri.query());
    let signed_in = match route {
        Some(_) => CurrentMember::from_request_parts(&mut parts, &state)
            .await
            .is_ok(),
        None => false,
    };
    let mut response = next.run(Request::from_parts(parts, body)).await;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|kind| kind.as_bytes().starts_with(b"text/html"));
    if is_page {
        let mut addresses = vec![format!("{API_BASE}/session")];
        if let (Some(route), true) = (route, signed_in) {
            addresses
                .extend(["members", "notifications", "lines"].map(|p| format!("{API_BASE}/{p}")));
            addresses.extend(route.first_requests());
        }
        let links: Vec<String> = addresses
            .iter()
            .map(|address| format!("<{address}>; rel=preload; as=fetch; crossorigin"))
            .collect();
        if let Ok(value) = HeaderValue::from_str(&links.join(", ")) {
            response.headers_mut().insert(header::LINK, value);
        }
    }
    response
}

/// Trunk (and scripts/build-web, for the wasm chunks) names built files by their content hash,
/// so those can be cached forever; everything else (the page itself) must be checked on each
/// load to pick up a new build.
async fn cache_control(request: Request<axum::body::Body>, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let hashed = is_hashed_asset(&path);
    let value = if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// `/switchboard-web-1a2b3c4d5e6f7a8b_bg.wasm` and the like.
fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let stem = name.split('.').next().unwrap_or("");
    stem.trim_end_matches("_bg")
        .rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() >= 16 && hash.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The Content-Security-Policy for the app: its own origin only, WebAssembly compiled by the
/// page (`'wasm-unsafe-eval'`, not `'unsafe-eval'`), and of inline scripts only those of the
/// built `index.html` (Trunk's loader), by their hashes.
pub fn content_security_policy(web_root: &Path) -> String {
    let index = std::fs::read_to_string(web_root.join("index.html")).unwrap_or_default();
    let hashes: String = inline_scripts(&index)
        .map(|script| {
            let digest = sha2::Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The bodies of the `<script>` elements without `src` in `html`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, rest) = rest.split_once('>')?;
        let (body, _) = rest.split_once("</script>")?;
        (!attributes.contains("src=")).then_some(body)
    })
}

#[cfg(test)]
mod tests {
    use super::{inline_scripts, is_hashed_asset};

    #[test]
    fn the_policy_hashes_inline_scripts_only() {
        let html = r#"<script type="module">import init from '/a.js';</script>
            <script src="/b.js"></script><script>one()</script>"#;
        let scripts: Vec<&str> = inline_scripts(html).collect();
        assert_eq!(scripts, ["import init from '/a.js';", "one()"]);
    }

    #[test]
    fn trunk_hashed_files_are_recognised() {
        assert!(is_hashed_asset("/switchboard-web-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed_asset("/switchboard-web-1a2b3c4d5e6f7a8b.js"));
        assert!(is_hashed_asset("/main-00112233445566aa.css"));
        // The wasm chunks and their loader (scripts/build-web).
        assert!(is_hashed_asset("/__wasm_split-1a2b3c4d5e6f7a8b.js"));
        assert!(is_hashed_asset("/split_thread-1a2b3c4d5e6f7a8b.wasm"));
        assert!(is_hashed_asset("/chunk_3-1a2b3c4d5e6f7a8b.wasm"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/all/open/12"));
        assert!(!is_hashed_asset("/sw.js"));
    }
}
