use crate::helpers::{ok_json, spawn_app};
use serde_json::Value;

#[tokio::test]
async fn health_says_ok() {
    let app = spawn_app().await;
    let body: Value = ok_json(app.get("/api/health").await).await;
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn the_openapi_document_describes_every_endpoint() {
    let app = spawn_app().await;
    let doc: Value = ok_json(app.get("/api/openapi.json").await).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().expect("paths");
    for (path, method) in [
        ("/api/health", "get"),
        ("/api/v1/lines", "get"),
        ("/api/v1/conversations", "get"),
        ("/api/v1/conversations/{id}", "get"),
        ("/api/v1/conversations/{id}/state", "post"),
        ("/api/v1/conversations/{id}/replies", "post"),
        ("/api/v1/conversations/{id}/notes", "post"),
        ("/api/v1/conversations/{id}/assignee", "post"),
        ("/api/v1/conversations/{id}/pin", "post"),
        ("/api/v1/session", "post"),
        ("/api/v1/session", "delete"),
        ("/api/v1/me", "get"),
        ("/api/v1/me/language", "put"),
        ("/api/v1/members", "get"),
        ("/api/v1/notifications", "get"),
        ("/api/v1/notifications/{id}/read", "post"),
        ("/api/v1/events", "get"),
        ("/webhooks/quo", "post"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} missing from {:?}",
            paths.keys().collect::<Vec<_>>()
        );
    }
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for schema in [
        "ConversationSummary",
        "ChangeStateRequest",
        "ErrorResponse",
        "StateChange",
    ] {
        assert!(schemas.contains_key(schema), "{schema} missing");
    }
}

#[tokio::test]
async fn every_schema_the_document_references_is_defined_and_every_route_says_its_errors() {
    let app = spawn_app().await;
    let doc: Value = ok_json(app.get("/api/openapi.json").await).await;
    let text = doc.to_string();
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for reference in text.split("\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(
            schemas.contains_key(name),
            "{name} is referenced but not defined"
        );
    }
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            assert!(responses.contains_key("500"), "{method} {path}");
            if path.starts_with("/api/v1/") && path != "/api/v1/session" {
                assert!(responses.contains_key("401"), "{method} {path}");
                assert!(responses.contains_key("503"), "{method} {path}");
            }
            if operation.get("requestBody").is_some() {
                for status in ["400", "413", "415"] {
                    assert!(responses.contains_key(status), "{status}: {method} {path}");
                }
            }
            if path.starts_with("/api/v1/") && method != "get" {
                assert!(responses.contains_key("403"), "{method} {path}");
            }
        }
    }
    // Every kind of event the stream sends.
    let events = serde_json::to_string(&schemas["LiveEvent"]).unwrap();
    for kind in [
        "connected",
        "conversation",
        "activity",
        "notification",
        "session_ended",
        "access_changed",
        "language",
        "reconnect",
        "reload",
    ] {
        assert!(events.contains(&format!("\"{kind}\"")), "{kind} missing");
    }
}

#[tokio::test]
async fn a_language_choice_is_documented_as_the_catalogues_codes_or_null() {
    let app = spawn_app().await;
    let doc: Value = ok_json(app.get("/api/openapi.json").await).await;
    let body = &doc["paths"]["/api/v1/me/language"]["put"]["requestBody"]["content"]
        ["application/json"]["schema"]["$ref"];
    assert_eq!(body, "#/components/schemas/LanguageChoice");
    let choice = &doc["components"]["schemas"]["LanguageChoice"];
    let mut codes: Vec<Value> = switchboard_catalogue::Lang::ALL
        .iter()
        .map(|lang| lang.code().into())
        .collect();
    codes.push(Value::Null);
    assert_eq!(choice["properties"]["language"]["enum"], Value::from(codes));
    assert_eq!(choice["additionalProperties"], false);
}
