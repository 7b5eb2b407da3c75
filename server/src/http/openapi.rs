//! The OpenAPI document says every status a route can answer. The handlers document what is
//! their own (a conversation not found, the safety rule's 409); what every route of a kind can
//! answer (a malformed id, a body too large, no session, a cross-site request, a full write
//! queue, an internal error) comes from the layers in front of them and is added here, once,
//! by the same rules the layers follow.

use serde_json::{json, Map, Value};

/// `doc` with the statuses the layers add, each with the API's error body.
pub fn complete(mut doc: Value) -> Value {
    let error_body = json!({
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
    });
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return doc;
    };
    for (path, operations) in paths.iter_mut() {
        let Some(operations) = operations.as_object_mut() else {
            continue;
        };
        for (method, operation) in operations.iter_mut() {
            let statuses = layered_statuses(path, method, operation);
            let Some(responses) = operation
                .get_mut("responses")
                .and_then(Value::as_object_mut)
            else {
                continue;
            };
            for (status, description) in statuses {
                responses.entry(status).or_insert_with(|| {
                    let mut response = Map::new();
                    response.insert("description".into(), description.into());
                    if let Some(content) = error_body.get("content") {
                        response.insert("content".into(), content.clone());
                    }
                    Value::Object(response)
                });
            }
        }
    }
    doc
}

/// The statuses the layers in front of this operation can answer, with their descriptions.
fn layered_statuses(
    path: &str,
    method: &str,
    operation: &Value,
) -> Vec<(&'static str, &'static str)> {
    let mut statuses = vec![(
        "500",
        "Internal error (the details are in the server's log)",
    )];
    let api = path.starts_with("/api/v1/");
    let reads_only = method == "get";
    let has_parameters = operation
        .get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|parameters| !parameters.is_empty());
    if has_parameters {
        statuses.push(("400", "A path or query parameter is wrong"));
    }
    if operation.get("requestBody").is_some() {
        statuses.push(("400", "The body is not the expected JSON"));
        statuses.push(("413", "The body is larger than the server accepts"));
        statuses.push(("415", "The body is not declared as JSON"));
    }
    let open = path == "/api/v1/session";
    if api && !open {
        statuses.push(("401", "Not signed in, or the session has ended"));
    }
    if api && !reads_only {
        statuses.push(("403", "Sent by another site's page"));
    }
    // Every write, and every request that notes a session's use, goes through the writer.
    if api || path.starts_with("/webhooks/") {
        statuses.push((
            "503",
            "Too many writes are waiting: try again after Retry-After",
        ));
    }
    statuses
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layers_statuses_are_added_and_a_handlers_own_kept() {
        let doc = json!({"paths": {
            "/api/v1/conversations/{id}/state": {"post": {
                "parameters": [{"name": "id"}],
                "requestBody": {},
                "responses": {"200": {"description": "ok"}, "400": {"description": "own"}}
            }},
            "/api/health": {"get": {"responses": {"200": {"description": "ok"}}}}
        }});
        let doc = complete(doc);
        let state = &doc["paths"]["/api/v1/conversations/{id}/state"]["post"]["responses"];
        for status in ["200", "400", "401", "403", "413", "415", "500", "503"] {
            assert!(state.get(status).is_some(), "{status}");
        }
        assert_eq!(state["400"]["description"], "own");
        let health = &doc["paths"]["/api/health"]["get"]["responses"];
        assert!(health.get("401").is_none() && health.get("500").is_some());
    }
}
