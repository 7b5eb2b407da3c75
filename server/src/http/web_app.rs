//! The built web app (Trunk's `dist`), with the single-page app's routes falling back to
//! `index.html`, in the language of whoever asks.

use super::catalogue;
use crate::auth::CurrentMember;
use crate::db;
use crate::error::AppError;
use crate::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::Digest;
use std::collections::HashMap;
use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;
use switchboard_catalogue::{Lang, Text, Texts};
use switchboard_domain::api::API_BASE;
use switchboard_domain::routes::InboxRoute;
use tower::ServiceBuilder;
use tower_http::services::ServeDir;

/// Serves files from `web_root`; unknown paths get `index.html` so that every route of the app
/// can be loaded directly and reloaded, in the reader's language, announcing what the page will
/// ask for first.
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
    let pages = Arc::new(Pages::read(web_root));
    let fallback = {
        let (state, pages) = (state.clone(), pages.clone());
        tower::service_fn(move |request: Request<Body>| {
            let (state, pages) = (state.clone(), pages.clone());
            async move { Ok::<_, Infallible>(page(&state, &pages, request).await) }
        })
    };
    // The page is never sent as it lies on disk (its `lang` and headers are the reader's):
    // `/` and `/index.html` are the fallback's too.
    let files = ServeDir::new(web_root)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .fallback(fallback);
    ServiceBuilder::new()
        .layer(middleware::from_fn(cache_control))
        .layer(middleware::from_fn_with_state((state, pages), index_page))
        .service(files)
}

/// `index.html` in each language, made once at start (the built files do not change while the
/// server runs): `<html lang>` says the language, and a weak `ETag` lets a reload be a 304.
struct Pages {
    pages: HashMap<Lang, (Bytes, HeaderValue)>,
    chunks: Chunks,
}

/// The wasm files each chunk of the app (`src/chunks.rs`) loads, read from the chunks' loader
/// that `scripts/build-web` writes (`__wasm_split-<hash>.js`): the page announces those its first
/// screen will load (the sign-in page's, an open conversation's) so that they download with the
/// app rather than after it.
#[derive(Default)]
struct Chunks {
    files: HashMap<String, Vec<String>>,
}

impl Chunks {
    fn read(web_root: &Path) -> Chunks {
        let loader = std::fs::read_dir(web_root)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .find(|path| {
                path.file_name()
                    .and_then(|name| name.to_str())
                    .is_some_and(|name| name.starts_with("__wasm_split") && name.ends_with(".js"))
            });
        match loader.and_then(|path| std::fs::read_to_string(path).ok()) {
            Some(source) => Chunks::parse(&source),
            None => Chunks::default(),
        }
    }

    /// Reads `const __chunk_5 = makeLoad(() => { … fetch(new URL("./chunk_5-….wasm" …), [])` and
    /// `export const __wasm_split_load_sign_in = wrapAsyncCb(makeLoad(… "./split_sign_in-….wasm"
    /// …, [__chunk_5, …]))`: each chunk's own file and the shared ones it waits for.
    fn parse(source: &str) -> Chunks {
        let mut own: HashMap<&str, (&str, Vec<&str>)> = HashMap::new();
        for part in source.split("const __").skip(1) {
            let Some((name, rest)) = part.split_once(" =") else {
                continue;
            };
            let Some(file) = rest
                .split_once("new URL(\"./")
                .and_then(|(_, after)| after.split_once('"'))
                .map(|(file, _)| file)
            else {
                continue;
            };
            let deps = rest
                .rsplit_once(", [")
                .and_then(|(_, after)| after.split_once(']'))
                .map(|(list, _)| {
                    list.split(',')
                        .map(|dep| dep.trim().trim_start_matches("__"))
                        .filter(|dep| !dep.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            own.insert(name, (file, deps));
        }
        let files = own
            .iter()
            .filter_map(|(name, (file, deps))| {
                let chunk = name.strip_prefix("wasm_split_load_")?;
                let mut files = vec![format!("/{file}")];
                files.extend(
                    deps.iter()
                        .filter_map(|dep| own.get(dep))
                        .map(|(file, _)| format!("/{file}")),
                );
                Some((chunk.to_owned(), files))
            })
            .collect();
        Chunks { files }
    }

    fn files(&self, chunk: &str) -> &[String] {
        self.files.get(chunk).map_or(&[], Vec::as_slice)
    }
}

impl Pages {
    fn read(web_root: &Path) -> Option<Pages> {
        let index = std::fs::read_to_string(web_root.join("index.html")).ok()?;
        if with_lang(&index, Lang::En.code()).is_none() {
            tracing::warn!("index.html has no <html> tag: its pages will not say their language");
        }
        let english = Texts::parse(Lang::En.file()).expect("the catalogue's own files parse");
        for text in PAGE_TEXTS {
            if !index.contains(english.get(text)) {
                tracing::warn!(
                    text = english.get(text),
                    "index.html lacks this catalogue text: it stays in English"
                );
            }
        }
        let pages = Lang::ALL
            .into_iter()
            .map(|lang| {
                let mut page = with_lang(&index, lang.code()).unwrap_or_else(|| index.clone());
                if lang != Lang::En {
                    let texts = Texts::parse(lang.file()).expect("the catalogue's own files parse");
                    for text in PAGE_TEXTS {
                        page = page.replace(english.get(text), &escape_html(texts.get(text)));
                    }
                    // The manifest's own request carries no cookie: the page names its language.
                    page = page.replace(
                        "/manifest.webmanifest",
                        &format!("/manifest.webmanifest?lang={}", lang.code()),
                    );
                }
                let tag = format!("W/\"{}-{:016x}\"", lang.code(), fnv1a(page.as_bytes()));
                let tag = HeaderValue::from_str(&tag).expect("an ETag is ASCII");
                (lang, (Bytes::from(page), tag))
            })
            .collect();
        Some(Pages {
            pages,
            chunks: Chunks::read(web_root),
        })
    }
}

/// The words of `index.html` itself (its description, its `<noscript>`), in each language's page.
const PAGE_TEXTS: [Text; 2] = [Text::AppSummary, Text::AppNoscript];

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page with its `<html>` tag's `lang` set to `code`, whether the built file writes the
/// attribute quoted (`lang="en"`), bare (`lang=en`, as the minified build does) or not at all;
/// `None` if it has no `<html>` tag.
fn with_lang(page: &str, code: &str) -> Option<String> {
    let start = page.find("<html")?;
    let end = start + page[start..].find('>')?;
    let tag = &page[start..end];
    let attributes = tag["<html".len()..]
        .split_whitespace()
        .filter(|attribute| !attribute.starts_with("lang="))
        .collect::<Vec<_>>();
    let mut new_tag = format!("<html lang=\"{code}\"");
    for attribute in attributes {
        new_tag.push(' ');
        new_tag.push_str(attribute);
    }
    Some(format!("{}{new_tag}{}", &page[..start], &page[end..]))
}

/// FNV-1a: stable across runs (std's hasher promises no stability), enough to tell pages apart.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `/index.html` itself (the service worker keeps the page under that name) is the page too.
async fn index_page(
    State((state, pages)): State<(AppState, Arc<Option<Pages>>)>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let reads = matches!(*request.method(), Method::GET | Method::HEAD);
    match reads && request.uri().path() == "/index.html" {
        true => page(&state, &pages, request).await,
        false => next.run(request).await,
    }
}

/// A page's language: the teammate's own choice, else the best of the browser's languages that
/// the interface speaks, else English.
pub(super) fn page_language(chosen: Option<Lang>, accept_language: Option<&str>) -> Lang {
    chosen
        .or_else(|| accept_language.and_then(Lang::for_accept_language))
        .unwrap_or(Lang::En)
}

/// Who asks for a page, as far as the page cares.
pub(super) struct Reader {
    /// Whether a live session came with the request.
    pub signed_in: bool,
    pub lang: Lang,
}

impl Reader {
    /// Reads the session (if any) and the languages of the request. The answer differs by both:
    /// say so with [`VARY`].
    pub(super) async fn of(state: &AppState, parts: &mut Parts) -> Reader {
        let member = CurrentMember::from_request_parts(parts, state).await.ok();
        // The teammate's choice, when it can be read; a page loads anyway when it cannot.
        let chosen = match &member {
            Some(CurrentMember(member)) => db::members::language(&state.db, member.id)
                .await
                .unwrap_or_else(|error| {
                    tracing::warn!(%error, "a teammate's language could not be read");
                    None
                }),
            None => None,
        };
        let accept_language = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok());
        Reader {
            signed_in: member.is_some(),
            lang: page_language(chosen, accept_language),
        }
    }
}

/// What a page or the manifest is chosen by: a cache must keep one copy per value of these.
pub(super) const VARY: &str = "Accept-Language, Cookie";

/// The page, with a `Link` header naming what the app asks for as it starts: the reader's
/// catalogue if it is not English (the app carries English), then who is signed in; on an inbox
/// route with a live session, also the team, the lines and the page's list and conversation. So
/// the browser fetches them while the app downloads, instead of one round trip after another
/// once it runs. Only a live session's page names more than the session: anything else would be
/// refused, and a refused request is an error in the console of someone signed out.
async fn page(state: &AppState, pages: &Option<Pages>, request: Request<Body>) -> Response {
    let Some(pages) = pages else {
        return AppError::NotFound("no web app is served here".to_owned()).into_response();
    };
    let (mut parts, _) = request.into_parts();
    let route = InboxRoute::from_address(parts.uri.path(), parts.uri.query());
    let reader = Reader::of(state, &mut parts).await;
    let mut addresses = Vec::new();
    if reader.lang != Lang::En {
        addresses.push(catalogue::address(reader.lang));
    }
    addresses.push(format!("{API_BASE}/session"));
    if let (Some(route), true) = (route, reader.signed_in) {
        addresses.extend(
            [
                "members",
                "notifications",
                "lines",
                "tags",
                "contact-properties",
            ]
            .map(|p| format!("{API_BASE}/{p}")),
        );
        addresses.extend(route.first_requests());
        // The open conversation's contact, for the panel beside its thread.
        if let Some(conversation) = route.conversation {
            if let Ok(Some(contact)) =
                crate::db::contacts::of_conversation(&state.db, conversation).await
            {
                addresses.push(format!("{API_BASE}/contacts/{contact}"));
            }
        }
        if route.conversation.is_some() {
            addresses.extend(pages.chunks.files("thread").iter().cloned());
        }
    }
    // Whoever is signed out is shown the sign-in page, whatever the address.
    if !reader.signed_in {
        addresses.extend(pages.chunks.files("sign_in").iter().cloned());
    }
    let links: Vec<String> = addresses
        .iter()
        .map(|address| format!("<{address}>; rel=preload; as=fetch; crossorigin"))
        .collect();
    let (body, tag) = &pages.pages[&reader.lang];
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::VARY, HeaderValue::from_static(VARY));
    headers.insert(header::ETAG, tag.clone());
    if let Ok(value) = HeaderValue::from_str(&links.join(", ")) {
        headers.insert(header::LINK, value);
    }
    if already_has(&parts.headers, tag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    (headers, body.clone()).into_response()
}

/// Whether `If-None-Match` names `tag` (compared weakly, as that header is).
fn already_has(request: &HeaderMap, tag: &HeaderValue) -> bool {
    let Ok(tag) = tag.to_str() else {
        return false;
    };
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|candidate| candidate.trim() == "*" || opaque(candidate) == opaque(tag))
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
    use super::{
        already_has, inline_scripts, is_hashed_asset, page_language, with_lang, Chunks, Pages,
    };
    use axum::http::{header, HeaderMap, HeaderValue};
    use switchboard_catalogue::{Lang, Text, Texts};

    #[test]
    fn the_teammates_choice_wins_then_the_browsers_then_english() {
        let french_browser = Some("fr-FR,fr;q=0.9,en;q=0.8");
        assert_eq!(page_language(None, french_browser), Lang::Fr);
        assert_eq!(page_language(Some(Lang::En), french_browser), Lang::En);
        assert_eq!(page_language(Some(Lang::Fr), Some("en-GB")), Lang::Fr);
        assert_eq!(page_language(None, Some("de-DE, it;q=0.5")), Lang::En);
        assert_eq!(page_language(None, Some("en;q=0.9, fr")), Lang::Fr);
        assert_eq!(page_language(None, None), Lang::En);
    }

    #[test]
    fn the_page_language_is_set_however_the_build_writes_the_attribute() {
        let fr = |page: &str| with_lang(page, "fr").unwrap();
        assert_eq!(
            fr("<!doctype html><html lang=en><head>"),
            r#"<!doctype html><html lang="fr"><head>"#
        );
        assert_eq!(
            fr(r#"<html lang="en" dir="ltr">"#),
            r#"<html lang="fr" dir="ltr">"#
        );
        assert_eq!(fr("<html><body>"), r#"<html lang="fr"><body>"#);
        assert_eq!(with_lang("<p>no page</p>", "fr"), None);
    }

    #[test]
    fn the_chunks_loader_tells_each_chunks_files() {
        let loader = r#"import { initSync } from "./switchboard-web-1.js";
/* account, sign_in */
const __chunk_7 = makeLoad(() => {
    const src = fetch(new URL("./chunk_7-1.wasm", import.meta.url));
    src.catch(() => {});
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);
/* sign_in, thread */
const __chunk_13 = makeLoad(() => {
    const src = fetch(new URL("./chunk_13-1.wasm", import.meta.url));
}
, []);
export const __wasm_split_load_sign_in = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_sign_in-1.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, [__chunk_7, __chunk_13]));
export const __wasm_split_load_thread = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_thread-1.wasm", import.meta.url));
}
, [__chunk_13]));"#;
        let chunks = Chunks::parse(loader);
        assert_eq!(
            chunks.files("sign_in"),
            [
                "/split_sign_in-1.wasm",
                "/chunk_7-1.wasm",
                "/chunk_13-1.wasm"
            ]
        );
        assert_eq!(
            chunks.files("thread"),
            ["/split_thread-1.wasm", "/chunk_13-1.wasm"]
        );
        assert!(chunks.files("nothing").is_empty());
    }

    #[test]
    fn a_page_in_french_has_its_description_noscript_and_manifest_in_french() {
        let dir = tempfile::tempdir().unwrap();
        let english = Texts::parse(Lang::En.file()).unwrap();
        let french = Texts::parse(Lang::Fr.file()).unwrap();
        std::fs::write(
            dir.path().join("index.html"),
            format!(
                "<html lang=en><meta content=\"{}\" name=description>\
                 <link href=/manifest.webmanifest rel=manifest><noscript>{}</noscript>",
                english.get(Text::AppSummary),
                english.get(Text::AppNoscript)
            ),
        )
        .unwrap();
        let pages = Pages::read(dir.path()).unwrap();
        let page = String::from_utf8(pages.pages[&Lang::Fr].0.to_vec()).unwrap();
        assert!(page.contains(french.get(Text::AppSummary)), "{page}");
        assert!(page.contains(french.get(Text::AppNoscript)), "{page}");
        assert!(
            page.contains("href=/manifest.webmanifest?lang=fr "),
            "{page}"
        );
        let page = String::from_utf8(pages.pages[&Lang::En].0.to_vec()).unwrap();
        assert!(page.contains(english.get(Text::AppNoscript)), "{page}");
        assert!(page.contains("href=/manifest.webmanifest "), "{page}");
    }

    #[test]
    fn each_language_has_its_page_and_its_own_tag() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("index.html"),
            r#"<!doctype html><html lang="en"><p lang="en">"#,
        )
        .unwrap();
        let pages = Pages::read(dir.path()).unwrap();
        let (french, french_tag) = &pages.pages[&Lang::Fr];
        assert_eq!(
            &french[..],
            br#"<!doctype html><html lang="fr"><p lang="en">"#
        );
        let (english, english_tag) = &pages.pages[&Lang::En];
        assert_eq!(
            &english[..],
            br#"<!doctype html><html lang="en"><p lang="en">"#
        );
        assert_ne!(french_tag, english_tag);
        let asking = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
            headers
        };
        let tag = french_tag.to_str().unwrap();
        assert!(already_has(&asking(tag), french_tag));
        assert!(already_has(
            &asking(tag.trim_start_matches("W/")),
            french_tag
        ));
        assert!(already_has(&asking(&format!("\"x\", {tag}")), french_tag));
        assert!(!already_has(
            &asking(english_tag.to_str().unwrap()),
            french_tag
        ));
        assert!(!already_has(&HeaderMap::new(), french_tag));
    }

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
