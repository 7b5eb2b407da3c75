//! Sessions: every route needs one, sign-in hands out a fresh one, it expires, sign-out ends it;
//! failed sign-ins are slowed and then refused; other sites cannot make changes.

use crate::helpers::{assert_error, spawn_app, spawn_app_configured, OWNER, SUPPORT_MEMBER};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use switchboard_domain::api::ErrorCode;

#[tokio::test]
async fn every_route_but_health_sign_in_and_webhooks_answers_401_without_a_session() {
    let app = spawn_app().await;
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let anonymous = app.anonymous();
    let mut checked = 0;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for method in operations.as_object().unwrap().keys() {
            let open = path == "/api/health"
                || path.starts_with("/webhooks/")
                || (path == "/api/v1/session" && method != "get");
            if open {
                continue;
            }
            let url = app.url(&path.replace("{id}", "1"));
            let request = match method.as_str() {
                "get" => anonymous.get(url),
                "post" => anonymous.post(url).json(&json!({})),
                "delete" => anonymous.delete(url),
                other => panic!("a {other} route"),
            };
            let response = request.send().await.unwrap();
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{method} {path}"
            );
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"]["code"], "unauthorized", "{method} {path}");
            checked += 1;
        }
    }
    assert!(checked >= 12, "{checked} routes checked");
    assert_eq!(
        anonymous
            .get(app.url("/api/health"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn a_wrong_password_or_unknown_email_is_refused_alike() {
    let app = spawn_app().await;
    for (email, password) in [(OWNER.0, "wrong password"), ("nobody@example.com", OWNER.1)] {
        let response = app
            .anonymous()
            .post(app.url("/api/v1/session"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap();
        let body = assert_error(response, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
        assert_eq!(body.error.message, "wrong email or password");
    }
}

#[tokio::test]
async fn the_session_cookie_is_http_only_lax_and_new_at_every_sign_in() {
    let app = spawn_app().await;
    let sign_in = |client: reqwest::Client, proto: Option<&'static str>| {
        let url = app.url("/api/v1/session");
        async move {
            let mut request = client
                .post(url)
                .json(&json!({"email": OWNER.0, "password": OWNER.1}));
            if let Some(proto) = proto {
                request = request.header("x-forwarded-proto", proto);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            response.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .to_owned()
        }
    };
    let client = app.anonymous();
    let first = sign_in(client.clone(), None).await;
    assert!(first.starts_with("switchboard_session="), "{first}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(first.contains(attribute), "{attribute} missing: {first}");
    }
    assert!(!first.contains("Secure"));
    let token = |cookie: &str| cookie.split(';').next().unwrap().to_owned();
    assert!(token(&first).len() > 40, "at least 128 random bits");
    // Signing in again, with the first cookie still set, gives another session.
    let second = sign_in(client, Some("https")).await;
    assert_ne!(token(&first), token(&second));
    assert!(second.contains("Secure"), "over TLS the cookie is Secure");
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    let client = app.signed_in(OWNER).await;
    assert_eq!(
        client
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // Keep the cookie as a thief would, and sign out.
    let response = client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let login = app
        .anonymous()
        .post(app.url("/api/v1/session"))
        .json(&json!({"email": OWNER.0, "password": OWNER.1}))
        .send()
        .await
        .unwrap();
    let cookie = login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let with_cookie = |path: &str| {
        app.anonymous()
            .get(app.url(path))
            .header("cookie", cookie.clone())
            .send()
    };
    assert_eq!(with_cookie("/api/v1/me").await.unwrap().status(), 200);
    let out = app
        .anonymous()
        .delete(app.url("/api/v1/session"))
        .header("cookie", cookie.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert!(out.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(
        with_cookie("/api/v1/me").await.unwrap().status(),
        401,
        "the copied cookie is dead"
    );
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app =
        spawn_app_configured(20, Duration::from_millis(1500), Duration::from_secs(3600)).await;
    let client = app.signed_in(OWNER).await;
    assert_eq!(
        client
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    tokio::time::sleep(Duration::from_millis(2000)).await;
    let response = client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_error(response, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
}

#[tokio::test]
async fn a_session_in_use_still_ends_at_its_absolute_expiry() {
    let app =
        spawn_app_configured(20, Duration::from_secs(3600), Duration::from_millis(2500)).await;
    let client = app.signed_in(OWNER).await;
    let started = Instant::now();
    while started.elapsed() < Duration::from_millis(2000) {
        assert_eq!(
            client
                .get(app.url("/api/v1/me"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    let response = client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_error(response, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
}

async fn try_sign_in(
    app: &crate::helpers::TestApp,
    email: &str,
    password: &str,
) -> reqwest::Response {
    app.anonymous()
        .post(app.url("/api/v1/session"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn repeated_failures_on_an_account_are_slowed_then_refused_even_with_the_right_password() {
    let app = spawn_app().await;
    for attempt in 1..=10 {
        let started = Instant::now();
        let response = try_sign_in(&app, SUPPORT_MEMBER.0, "guess").await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
        if attempt > 3 {
            // A lower bound: the answer is held back, never sooner.
            assert!(
                started.elapsed() >= Duration::from_millis(200),
                "attempt {attempt} not slowed"
            );
        }
    }
    let response = try_sign_in(&app, SUPPORT_MEMBER.0, SUPPORT_MEMBER.1).await;
    assert!(response.headers().contains_key("retry-after"));
    assert_error(
        response,
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::TooManyRequests,
    )
    .await;
}

#[tokio::test]
async fn repeated_failures_from_one_address_are_refused_for_every_account() {
    let app = spawn_app().await;
    for attempt in 0..10 {
        let response = try_sign_in(&app, &format!("guess{attempt}@example.com"), "guess").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = try_sign_in(&app, OWNER.0, OWNER.1).await;
    assert_error(
        response,
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::TooManyRequests,
    )
    .await;
}

#[tokio::test]
async fn changes_requested_by_another_sites_page_are_refused() {
    let app = spawn_app().await;
    let target = app.first_of("open").await;
    let path = format!("/api/v1/conversations/{}/state", target.id);
    let body = json!({"change": "unread"});
    let from_elsewhere = app
        .client
        .post(app.url(&path))
        .header("origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_error(from_elsewhere, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    let cross_site = app
        .client
        .post(app.url(&path))
        .header("sec-fetch-site", "cross-site")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_error(cross_site, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    assert_eq!(
        app.conversation(target.id).await.conversation,
        target,
        "nothing changed"
    );

    let own_origin = app.url("").trim_end_matches('/').to_owned();
    let from_the_app = app
        .client
        .post(app.url(&path))
        .header("origin", own_origin)
        .header("sec-fetch-site", "same-origin")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(from_the_app.status(), StatusCode::OK);
}
