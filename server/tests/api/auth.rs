//! Sessions: every route needs one, sign-in hands out a fresh one, it expires, sign-out ends it;
//! failed sign-ins are slowed and then refused; other sites cannot make changes.

use crate::helpers::{
    assert_error, session_set_cookie, spawn, spawn_app, Setup, TestApp, OWNER, SUPPORT_MEMBER,
};
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
                || path == "/api/v1/session";
            if open {
                continue;
            }
            let url = app.url(
                &path
                    .replace("{id}", "1")
                    .replace("{session_id}", "1")
                    .replace("{activity_id}", "1"),
            );
            let request = match method.as_str() {
                "get" => anonymous.get(url),
                "post" => anonymous.post(url).json(&json!({})),
                "patch" => anonymous.patch(url).json(&json!({})),
                "put" => anonymous.put(url).json(&json!({})),
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
async fn the_session_status_says_who_is_signed_in_and_is_never_an_error() {
    let app = spawn_app().await;
    let status = |client: reqwest::Client| {
        let url = app.url("/api/v1/session");
        async move {
            let response = client.get(url).send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.json::<Value>().await.unwrap()
        }
    };
    assert_eq!(status(app.anonymous()).await, json!({"member": null}));

    let owner = app.signed_in(OWNER).await;
    assert_eq!(status(owner.clone()).await["member"]["email"], OWNER.0);
    let signed_out = owner
        .delete(app.url("/api/v1/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), 204);
    assert_eq!(status(owner).await, json!({"member": null}));
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
            session_set_cookie(&response)
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
    let cookie = session_set_cookie(&login)
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

const MINUTE: Duration = Duration::from_secs(60);
const MS: Duration = Duration::from_millis(1);

/// A server on a manual clock, with these session timeouts.
async fn app_on_a_manual_clock(idle_timeout: Duration, lifetime: Duration) -> TestApp {
    spawn(
        Setup {
            demo_conversations: 20,
            idle_timeout,
            lifetime,
            ..Setup::default()
        }
        .manual_clock(),
    )
    .await
}

/// `GET /me` with `client`'s session: its status.
async fn me_status(app: &TestApp, client: &reqwest::Client) -> StatusCode {
    client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .status()
}

/// Asserts that the server ended `client`'s session: the cookie was sent (the client's cookie
/// store keeps it, its Max-Age being far off in real time) and refused as expired.
async fn assert_session_ended(app: &TestApp, client: &reqwest::Client) {
    let response = client.get(app.url("/api/v1/me")).send().await.unwrap();
    let body = assert_error(response, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
    assert!(
        body.error.message.contains("session has ended"),
        "refused as expired, not for want of a cookie: {}",
        body.error.message
    );
}

#[tokio::test]
async fn an_idle_session_expires() {
    let idle = 30 * MINUTE;
    let app = app_on_a_manual_clock(idle, 7 * 24 * 60 * MINUTE).await;
    let client = app.signed_in(OWNER).await;
    assert_eq!(me_status(&app, &client).await, 200);
    // Used within the idle timeout, again and again: it lives well past one timeout.
    for _ in 0..3 {
        app.advance_clock(idle - MS);
        assert_eq!(me_status(&app, &client).await, 200);
    }
    app.advance_clock(idle + MS);
    assert_session_ended(&app, &client).await;
    // Ended for good on the server, not only refused at that moment.
    app.set_clock(app.now_ms() - idle.as_millis() as i64);
    assert_session_ended(&app, &client).await;
}

#[tokio::test]
async fn a_session_in_use_still_ends_at_its_absolute_expiry() {
    let lifetime = 8 * 60 * MINUTE;
    let app = app_on_a_manual_clock(60 * MINUTE, lifetime).await;
    let client = app.signed_in(OWNER).await;
    let signed_in_at = app.now_ms();
    let at = |elapsed: Duration| signed_in_at + elapsed.as_millis() as i64;
    // In use every 50 minutes, never idle for the 60-minute timeout.
    let mut elapsed = Duration::ZERO;
    while elapsed + 50 * MINUTE < lifetime {
        elapsed += 50 * MINUTE;
        app.set_clock(at(elapsed));
        assert_eq!(me_status(&app, &client).await, 200, "after {elapsed:?}");
    }
    app.set_clock(at(lifetime - MS));
    assert_eq!(
        me_status(&app, &client).await,
        200,
        "just before the lifetime"
    );
    app.set_clock(at(lifetime + MS));
    assert_session_ended(&app, &client).await;
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
    // The server's clock stands still, so the failures all fall at one moment of its window; the
    // slow-down, a real delay, is measured in real time.
    let app = spawn(Setup::default().manual_clock()).await;
    let failed_at = app.now_ms();
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
    // Refused until the failures are out of the window; then the right password signs in.
    let window = switchboard_server::throttle::FAILURE_WINDOW.as_millis() as i64;
    app.set_clock(failed_at + window - 1);
    let response = try_sign_in(&app, SUPPORT_MEMBER.0, SUPPORT_MEMBER.1).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    app.set_clock(failed_at + window + 1);
    let response = try_sign_in(&app, SUPPORT_MEMBER.0, SUPPORT_MEMBER.1).await;
    assert_eq!(response.status(), StatusCode::OK);
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
