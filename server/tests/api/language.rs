//! The interface language: a teammate's choice on every device (and told to their other
//! sessions), each language's catalogue file, and pages and the manifest in the reader's language.

use crate::helpers::{
    announced, assert_error, ok_json, spawn_app, TestApp, OWNER, SUPPORT_MEMBER, TEST_PAGE,
};
use crate::live::Stream;
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;
use switchboard_catalogue::{Lang, Text, Texts};
use switchboard_domain::api::ErrorCode;
use switchboard_domain::team::{LiveEvent, Me, SessionStatus};

const FRENCH_BROWSER: &str = "fr-FR,fr;q=0.9";

async fn choose(app: &TestApp, client: &Client, body: Value) -> Response {
    client
        .put(app.url("/api/v1/me/language"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// The language `client`'s session says its teammate chose.
async fn chosen(app: &TestApp, client: &Client) -> Option<String> {
    let status: SessionStatus =
        ok_json(client.get(app.url("/api/v1/session")).send().await.unwrap()).await;
    status.member.expect("signed in").language
}

async fn get(app: &TestApp, client: &Client, path: &str, languages: Option<&str>) -> Response {
    let mut request = client.get(app.url(path));
    if let Some(languages) = languages {
        request = request.header("accept-language", languages);
    }
    request.send().await.unwrap()
}

/// A page's `<html lang>`, its announced addresses, and its body.
async fn page(
    app: &TestApp,
    client: &Client,
    path: &str,
    languages: Option<&str>,
) -> (String, Vec<String>) {
    let response = get(app, client, path, languages).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let vary: Vec<&str> = response
        .headers()
        .get_all("vary")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(
        vary.contains(&"Accept-Language, Cookie"),
        "{path}: {vary:?}"
    );
    let links = announced(&response);
    let body = response.text().await.unwrap();
    let lang = body
        .split("<html lang=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("{path}: no <html lang> in {body}"))
        .to_owned();
    (lang, links)
}

fn catalogue(lang: Lang) -> String {
    format!("/catalogue/{}", lang.file_name())
}

#[tokio::test]
async fn a_teammates_language_is_kept_for_every_session_until_they_follow_the_browser_again() {
    let app = spawn_app().await;
    let phone = app.signed_in(OWNER).await;
    assert_eq!(chosen(&app, &app.client).await, None);

    let me: Me = ok_json(choose(&app, &app.client, json!({"language": "fr"})).await).await;
    assert_eq!(me.language.as_deref(), Some("fr"));
    assert_eq!(chosen(&app, &app.client).await.as_deref(), Some("fr"));
    assert_eq!(
        chosen(&app, &phone).await.as_deref(),
        Some("fr"),
        "on every device"
    );
    let me: Me = ok_json(app.get("/api/v1/me").await).await;
    assert_eq!(me.language.as_deref(), Some("fr"));
    // Others keep theirs.
    let jordan = app.signed_in(SUPPORT_MEMBER).await;
    assert_eq!(chosen(&app, &jordan).await, None);

    let me: Me = ok_json(choose(&app, &phone, json!({"language": "en"})).await).await;
    assert_eq!(me.language.as_deref(), Some("en"));
    let me: Me = ok_json(choose(&app, &phone, json!({"language": null})).await).await;
    assert_eq!(me.language, None);
    assert_eq!(chosen(&app, &app.client).await, None);
}

#[tokio::test]
async fn a_language_the_interface_does_not_speak_or_an_unknown_field_is_refused_and_changes_nothing(
) {
    let app = spawn_app().await;
    ok_json::<Me>(choose(&app, &app.client, json!({"language": "fr"})).await).await;
    for code in ["de", "FR", "fr-FR", "", " fr", "français"] {
        let response = choose(&app, &app.client, json!({ "language": code })).await;
        let error = assert_error(response, StatusCode::BAD_REQUEST, ErrorCode::InvalidBody).await;
        let message = error.error.message;
        assert!(
            message.contains("\"en\"") && message.contains("\"fr\""),
            "{code:?}: the accepted codes are named: {message}"
        );
    }
    for body in [
        json!({"language": "en", "theme": "dark"}),
        json!({"lang": "en"}),
        json!({"language": 5}),
        json!({"language": ["en"]}),
        json!("en"),
    ] {
        let response = choose(&app, &app.client, body.clone()).await;
        assert_error(response, StatusCode::BAD_REQUEST, ErrorCode::InvalidBody).await;
    }
    assert_eq!(chosen(&app, &app.client).await.as_deref(), Some("fr"));

    let signed_out = choose(&app, &app.anonymous(), json!({"language": "en"})).await;
    assert_error(
        signed_out,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthorized,
    )
    .await;
    assert_eq!(chosen(&app, &app.client).await.as_deref(), Some("fr"));
}

#[tokio::test]
async fn a_change_of_language_reaches_every_session_of_the_teammate_and_nobody_else() {
    let app = spawn_app().await;
    let laptop = app.signed_in(OWNER).await;
    let phone = app.signed_in(OWNER).await;
    let jordan = app.signed_in(SUPPORT_MEMBER).await;
    let mut laptop_stream = Stream::open(&app, &laptop, None).await;
    let mut phone_stream = Stream::open(&app, &phone, None).await;
    let mut jordan_stream = Stream::open(&app, &jordan, None).await;

    ok_json::<Me>(choose(&app, &laptop, json!({"language": "fr"})).await).await;
    let french = LiveEvent::Language {
        language: Some("fr".to_owned()),
    };
    for stream in [&mut phone_stream, &mut laptop_stream] {
        let (_, event) = stream.next(Duration::from_secs(5)).await.expect("an event");
        assert_eq!(event, french);
    }
    // The same choice again is no change: nothing more is told.
    ok_json::<Me>(choose(&app, &laptop, json!({"language": "fr"})).await).await;
    // Jordan's own change is the first thing Jordan's stream tells: the owner's came before it,
    // and did not reach it.
    ok_json::<Me>(choose(&app, &jordan, json!({"language": "en"})).await).await;
    let (_, event) = jordan_stream
        .next(Duration::from_secs(5))
        .await
        .expect("an event");
    assert_eq!(
        event,
        LiveEvent::Language {
            language: Some("en".to_owned())
        }
    );
    ok_json::<Me>(choose(&app, &phone, json!({"language": null})).await).await;
    let (_, event) = laptop_stream
        .next(Duration::from_secs(5))
        .await
        .expect("an event");
    assert_eq!(event, LiveEvent::Language { language: None });

    // A session that reconnects from before the change is told it too (from the table), and
    // only its own teammate's.
    let mut again = Stream::open(&app, &jordan, Some("0")).await;
    let mut told = Vec::new();
    while let Some((_, event)) = again.next(Duration::from_millis(500)).await {
        if let LiveEvent::Language { language } = event {
            told.push(language);
        }
    }
    assert_eq!(told, [Some("en".to_owned())]);
}

#[tokio::test]
async fn each_catalogue_file_is_served_to_anyone_and_cached_for_good() {
    let app = spawn_app().await;
    let anyone = app.anonymous();
    for lang in Lang::ALL {
        let response = get(&app, &anyone, &catalogue(lang), None).await;
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers();
        assert_eq!(headers["content-type"], "text/plain; charset=utf-8");
        assert_eq!(
            headers["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(response.text().await.unwrap(), lang.file());
    }
    let french = get(&app, &anyone, &catalogue(Lang::Fr), None).await;
    let texts = Texts::parse(Lang::Fr.file()).unwrap();
    assert!(french
        .text()
        .await
        .unwrap()
        .contains(texts.get(Text::AppDescription)));

    let fingerprint = Lang::Fr.file_name().split_once('-').unwrap().1;
    for path in [
        "/catalogue/fr.txt".to_owned(),
        "/catalogue/fr-0000000000000000.txt".to_owned(),
        format!("/catalogue/de-{fingerprint}"),
        format!("/catalogue/x/{}", Lang::Fr.file_name()),
        "/catalogue/".to_owned(),
        "/catalogue".to_owned(),
    ] {
        let response = get(&app, &anyone, &path, None).await;
        assert_error(response, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    }
}

#[tokio::test]
async fn a_page_is_in_the_browsers_language_with_its_catalogue_announced_first() {
    let app = spawn_app().await;
    let anyone = app.anonymous();
    for path in ["/sign-in", "/all/open", "/", "/index.html"] {
        let (lang, links) = page(&app, &anyone, path, Some(FRENCH_BROWSER)).await;
        assert_eq!(lang, "fr", "{path}");
        // Signed out: then the sign-in page's chunks (the hardening tests check those).
        assert_eq!(
            links[..2],
            [catalogue(Lang::Fr), "/api/v1/session".to_owned()]
        );
        let (lang, links) = page(&app, &anyone, path, None).await;
        assert_eq!(lang, "en", "{path}");
        assert_eq!(links[0], "/api/v1/session");
        assert!(
            !links.iter().any(|link| link.starts_with("/catalogue/")),
            "{links:?}"
        );
        let (lang, _) = page(&app, &anyone, path, Some("de-DE,de;q=0.9,en;q=0.5")).await;
        assert_eq!(lang, "en", "{path}");
    }
    // The rest of the page is the built one.
    let english = get(&app, &anyone, "/all/open", None).await;
    assert_eq!(english.text().await.unwrap(), TEST_PAGE);
    let french = get(&app, &anyone, "/all/open", Some(FRENCH_BROWSER)).await;
    assert_eq!(
        french.text().await.unwrap(),
        TEST_PAGE.replace("<html lang=\"en\">", "<html lang=\"fr\">")
    );

    // Signed in, the catalogue comes before the API's answers.
    let (lang, links) = page(&app, &app.client, "/all/open", Some(FRENCH_BROWSER)).await;
    assert_eq!(lang, "fr");
    assert_eq!(links[0], catalogue(Lang::Fr));
    assert_eq!(links[1], "/api/v1/session");
    assert_eq!(links.len(), 8, "{links:?}");
    // Every announced address answers (nothing preloaded is refused).
    for address in links {
        assert_eq!(
            get(&app, &app.client, &address, None).await.status(),
            StatusCode::OK,
            "{address}"
        );
    }
}

#[tokio::test]
async fn the_teammates_choice_wins_over_the_browsers_languages() {
    let app = spawn_app().await;
    ok_json::<Me>(choose(&app, &app.client, json!({"language": "en"})).await).await;
    let (lang, links) = page(&app, &app.client, "/all/open", Some(FRENCH_BROWSER)).await;
    assert_eq!(lang, "en");
    assert!(!links.contains(&catalogue(Lang::Fr)), "{links:?}");

    ok_json::<Me>(choose(&app, &app.client, json!({"language": "fr"})).await).await;
    for path in ["/all/open", "/sign-in"] {
        let (lang, links) = page(&app, &app.client, path, Some("en-US,en;q=0.9")).await;
        assert_eq!(lang, "fr", "{path}");
        assert_eq!(links[0], catalogue(Lang::Fr), "{path}");
    }
    // On the same browser, signed out, the browser's languages decide again.
    let (lang, _) = page(&app, &app.anonymous(), "/all/open", Some("en-US")).await;
    assert_eq!(lang, "en");
}

#[tokio::test]
async fn a_reload_of_an_unchanged_page_is_a_304_and_each_language_is_its_own_copy() {
    let app = spawn_app().await;
    let anyone = app.anonymous();
    let french = get(&app, &anyone, "/all/open", Some(FRENCH_BROWSER)).await;
    let tag = french.headers()["etag"].to_str().unwrap().to_owned();
    let again = anyone
        .get(app.url("/2/unread"))
        .header("accept-language", FRENCH_BROWSER)
        .header("if-none-match", &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(announced(&again)[0], catalogue(Lang::Fr));
    let english = anyone
        .get(app.url("/all/open"))
        .header("if-none-match", &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(
        english.status(),
        StatusCode::OK,
        "another language, another copy"
    );
    assert_ne!(english.headers()["etag"].to_str().unwrap(), tag);
}

#[tokio::test]
async fn the_manifest_speaks_the_page_language() {
    let app = spawn_app().await;
    let french_texts = Texts::parse(Lang::Fr.file()).unwrap();
    let english_texts = Texts::parse(Lang::En.file()).unwrap();
    let manifest = |client: Client, languages: Option<&'static str>| {
        let url = app.url("/manifest.webmanifest");
        async move {
            let mut request = client.get(url);
            if let Some(languages) = languages {
                request = request.header("accept-language", languages);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            assert_eq!(
                response.headers()["content-type"],
                "application/manifest+json"
            );
            let vary: Vec<_> = response.headers().get_all("vary").iter().cloned().collect();
            assert!(
                vary.iter().any(|v| v == "Accept-Language, Cookie"),
                "{vary:?}"
            );
            response.json::<Value>().await.unwrap()
        }
    };
    let french = manifest(app.anonymous(), Some(FRENCH_BROWSER)).await;
    assert_eq!(
        french["description"],
        french_texts.get(Text::AppDescription)
    );
    assert_eq!(french["name"], french_texts.get(Text::AppName));
    assert_eq!(french["short_name"], french_texts.get(Text::AppName));
    assert_eq!(french["lang"], "fr");
    assert_eq!(
        french["start_url"], "/all/open",
        "the rest is the built one"
    );

    let english = manifest(app.anonymous(), None).await;
    assert_eq!(
        english["description"],
        english_texts.get(Text::AppDescription)
    );
    assert_eq!(english["lang"], "en");

    // The teammate's choice wins here too.
    ok_json::<Me>(choose(&app, &app.client, json!({"language": "fr"})).await).await;
    let chosen = manifest(app.client.clone(), Some("en-US")).await;
    assert_eq!(chosen["lang"], "fr");
    assert_eq!(
        chosen["description"],
        french_texts.get(Text::AppDescription)
    );

    // A French page names its language in the manifest's address, which browsers fetch without
    // the cookie: that language, whatever the request's own Accept-Language.
    let named = app
        .anonymous()
        .get(app.url("/manifest.webmanifest?lang=fr"))
        .header("accept-language", "en-US")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(named["lang"], "fr");
    let unknown = app
        .anonymous()
        .get(app.url("/manifest.webmanifest?lang=xx"))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(unknown["lang"], "en", "an unknown language is the reader's");
}
