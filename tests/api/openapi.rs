//! The OpenAPI document: generated from the handlers, it lists every route of the
//! contracts (API.md, OPERATIONS.md), and `/docs` renders it from embedded assets.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

/// `METHOD /path` of every endpoint row in a contract's tables (the first cell).
fn contract_routes(file: &str) -> BTreeSet<(String, String)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} is needed beside the project: {e}", path.display()));
    let mut routes = BTreeSet::new();
    for line in text.lines().filter(|l| l.starts_with("| ")) {
        let cell = line.split('|').nth(1).unwrap_or("").trim();
        let mut method = None;
        let mut base = String::new();
        for part in cell.split(',').map(str::trim) {
            let (m, p) = match part.split_once(' ') {
                Some((m, p)) if ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&m) => {
                    (m.to_owned(), p.to_owned())
                }
                // `POST /admin/users/{id}/disable, /enable`: the same method and prefix.
                _ if part.starts_with('/') && method.is_some() => {
                    let prefix = base.rsplit_once('/').map(|(b, _)| b).unwrap_or("");
                    (method.clone().unwrap(), format!("{prefix}{part}"))
                }
                _ => continue,
            };
            method = Some(m.clone());
            base = p.clone();
            routes.insert((m, p));
        }
    }
    routes
}

fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let path = path.strip_prefix("/api/v1").unwrap_or(path);
            routes.insert((method.to_uppercase(), path.to_owned()));
        }
    }
    routes
}

#[tokio::test]
async fn every_route_of_the_contracts_is_in_the_served_document() {
    let app = TestApp::spawn().await;
    let doc =
        json_of(assert_status(app.get("/api/v1/openapi.json", None).await, StatusCode::OK).await)
            .await;
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    let have = documented(&doc);
    let mut want = contract_routes("API.md");
    want.extend(contract_routes("OPERATIONS.md"));
    assert!(
        want.len() >= 25,
        "the contracts' tables were read: {want:?}"
    );
    let missing: Vec<_> = want.difference(&have).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the OpenAPI document: {missing:?}"
    );
    assert!(have.contains(&("GET".into(), "/.well-known/jwks.json".into())));

    // The same document as the library builds (what the TypeScript types come from).
    assert_eq!(
        serde_json::to_value(twofold::http::openapi_document()).unwrap(),
        doc
    );

    // Security schemes, the error schema, and errors on every operation.
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["cookie"]["in"], "cookie");
    assert_eq!(schemes["cookie"]["name"], "twofold_at");
    let error = &doc["components"]["schemas"]["Error"];
    for field in ["error", "message", "status"] {
        assert!(
            error["required"]
                .as_array()
                .unwrap()
                .contains(&Value::from(field)),
            "{error}"
        );
    }
    // Operation ids are unique (OpenAPI requires it; client generators refuse duplicates).
    let mut ids = BTreeSet::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            let id = op["operationId"].as_str().unwrap_or_default().to_owned();
            assert!(ids.insert(id.clone()), "operationId {id:?} is used twice");
        }
    }
    // The login answer is one of two bodies, not an externally tagged enum.
    let answers = doc["components"]["schemas"]["LoginAnswer"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["$ref"].as_str().unwrap_or_default())
        .collect::<Vec<_>>();
    assert_eq!(
        answers,
        [
            "#/components/schemas/AuthBody",
            "#/components/schemas/MfaRequiredBody"
        ]
    );
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let statuses: Vec<&String> = op["responses"].as_object().unwrap().keys().collect();
            assert!(
                statuses
                    .iter()
                    .any(|s| s.starts_with('4') || s.starts_with('5'))
                    || path.contains("jwks")
                    || path.starts_with("/.well-known/")
                    || path.ends_with("healthz"),
                "{method} {path} documents no error: {statuses:?}"
            );
        }
    }
}

#[tokio::test]
async fn docs_render_from_embedded_assets_only() {
    let app = TestApp::spawn().await;
    let get = |path: &str| app.client.get(format!("{}{path}", app.address)).send();
    let page = assert_status(get("/docs").await.unwrap(), StatusCode::OK).await;
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"spec-url="/api/v1/openapi.json""#));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing from the network: {html}"
    );
    let script = assert_status(
        get("/docs/redoc.standalone.js").await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert!(
        script.text().await.unwrap().len() > 500_000,
        "the Redoc bundle is embedded"
    );
}
