//! Malformed requests: every one gets a 4xx in the contract's error shape.

use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn malformed_bodies_are_400_invalid_input() {
    let app = TestApp::spawn().await;
    let cases: &[&[u8]] = &[
        b"",
        b"not json",
        b"[1,2]",
        b"\"str\"",
        b"{\"email\":1,\"password\":\"x\"}",
        b"{\"email\":\"a@b.co\"}",
        b"{",
    ];
    for body in cases {
        let resp = app
            .client
            .post(app.url("/auth/register"))
            .header("content-type", "application/json")
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        assert_error(resp, StatusCode::BAD_REQUEST, "invalid_input").await;
    }
}

#[tokio::test]
async fn missing_field_is_named_in_details() {
    let app = TestApp::spawn().await;
    let resp = app
        .post(
            "/auth/register",
            serde_json::json!({ "email": "a@example.com" }),
            None,
        )
        .await;
    let body = assert_error(resp, StatusCode::BAD_REQUEST, "invalid_input").await;
    assert_eq!(body["details"][0]["field"], "password");
}

#[tokio::test]
async fn oversized_body_is_413() {
    let app = TestApp::spawn().await;
    let big = format!(
        "{{\"email\":\"a@example.com\",\"password\":\"{}\"}}",
        "x".repeat(70 * 1024)
    );
    let resp = app
        .client
        .post(app.url("/auth/register"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_the_error_shape() {
    let app = TestApp::spawn().await;
    assert_error(
        app.get("/nope", None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.get("/auth/login", None).await,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;
}

#[tokio::test]
async fn text_content_type_is_still_read_as_json() {
    let app = TestApp::spawn().await;
    let resp = app
        .client
        .post(app.url("/auth/register"))
        .header("content-type", "text/plain")
        .body(r#"{"email":"t@example.com","password":"password123"}"#)
        .send()
        .await
        .unwrap();
    assert_status(resp, StatusCode::CREATED).await;
}
