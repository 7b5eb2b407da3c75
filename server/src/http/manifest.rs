//! `/manifest.webmanifest`: the web app's manifest (the built one, `public/manifest.webmanifest`)
//! in the reader's language, as the page is: the name and description an installed app shows.

use super::web_app::{Reader, VARY};
use crate::error::AppError;
use crate::AppState;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, Request};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use switchboard_catalogue::{Lang, Text, Texts};

/// The manifest in each language, made once at start from the web root's file.
#[derive(Clone, Default)]
pub struct Manifests {
    manifests: Arc<HashMap<Lang, Bytes>>,
}

impl Manifests {
    /// None (answered 404) when the web root has no manifest, or one that is not a JSON object.
    pub fn for_web_root(web_root: &Path) -> Manifests {
        let path = web_root.join("manifest.webmanifest");
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Manifests::default();
        };
        let built: serde_json::Value = match serde_json::from_str(&text) {
            Ok(value @ serde_json::Value::Object(_)) => value,
            _ => {
                tracing::warn!(path = %path.display(), "the manifest is not a JSON object: not served");
                return Manifests::default();
            }
        };
        let manifests = Lang::ALL
            .into_iter()
            .map(|lang| (lang, Bytes::from(in_language(&built, lang).to_string())))
            .collect();
        Manifests {
            manifests: Arc::new(manifests),
        }
    }
}

/// `built` with its words in `lang`, and `lang` said.
fn in_language(built: &serde_json::Value, lang: Lang) -> serde_json::Value {
    let texts = Texts::parse(lang.file()).expect("the catalogue's own files parse");
    let mut manifest = built.clone();
    if let Some(fields) = manifest.as_object_mut() {
        for (field, text) in [
            ("name", Text::AppName),
            ("short_name", Text::AppName),
            ("description", Text::AppDescription),
        ] {
            fields.insert(field.to_owned(), texts.get(text).into());
        }
        fields.insert("lang".to_owned(), lang.code().into());
    }
    manifest
}

pub async fn serve(
    State(state): State<AppState>,
    request: Request<Body>,
    manifests: Manifests,
) -> Response {
    let (mut parts, _) = request.into_parts();
    // A page not in English names its language in the manifest's address (browsers fetch the
    // manifest without the session's cookie); otherwise the reader's, as for a page.
    let named = parts
        .uri
        .query()
        .and_then(|query| query.split('&').find_map(|pair| pair.strip_prefix("lang=")))
        .and_then(|code| Lang::ALL.into_iter().find(|lang| lang.code() == code));
    let lang = match named {
        Some(lang) => lang,
        None => Reader::of(&state, &mut parts).await.lang,
    };
    match manifests.manifests.get(&lang) {
        Some(manifest) => (
            [
                (header::CONTENT_TYPE, "application/manifest+json"),
                (header::VARY, VARY),
                // Checked on each load, as the page is: a new build, or another language.
                (header::CACHE_CONTROL, "no-cache"),
            ],
            manifest.clone(),
        )
            .into_response(),
        None => AppError::NotFound("no web app manifest is served here".to_owned()).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_words_change_with_the_language_and_the_rest_stays() {
        let built = json!({"name": "Switchboard", "short_name": "Switchboard",
                           "description": "English", "start_url": "/all/open"});
        let french = in_language(&built, Lang::Fr);
        let texts = Texts::parse(Lang::Fr.file()).unwrap();
        assert_eq!(french["description"], texts.get(Text::AppDescription));
        assert_eq!(french["name"], texts.get(Text::AppName));
        assert_eq!(french["short_name"], texts.get(Text::AppName));
        assert_eq!(french["lang"], "fr");
        assert_eq!(french["start_url"], "/all/open");
        assert_eq!(in_language(&built, Lang::En)["lang"], "en");
    }
}
