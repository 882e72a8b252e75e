//! Registration, login, /me, restart.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn register_returns_201_with_normalized_email() {
    let app = TestApp::spawn().await;
    let resp = assert_status(
        app.register("  Alice@Example.COM ", "password123").await,
        StatusCode::CREATED,
    )
    .await;
    let body = json_of(resp).await;
    assert_eq!(body["email"], "alice@example.com");
    assert!(uuid::Uuid::parse_str(body["id"].as_str().unwrap()).is_ok());
}

#[tokio::test]
async fn duplicate_email_in_another_case_is_409() {
    let app = TestApp::spawn().await;
    assert_status(
        app.register("bob@example.com", "password123").await,
        StatusCode::CREATED,
    )
    .await;
    assert_error(
        app.register("BOB@Example.com", "another-pass").await,
        StatusCode::CONFLICT,
        "email_taken",
    )
    .await;
}

#[tokio::test]
async fn bad_email_and_password_lengths_are_400_with_details() {
    let app = TestApp::spawn().await;
    let body = assert_error(
        app.register("not-an-email", "password123").await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    assert_eq!(body["details"][0]["field"], "email");
    let body = assert_error(
        app.register("a@example.com", "short").await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    assert_eq!(body["details"][0]["field"], "password");
    let long = "x".repeat(129);
    assert_error(
        app.register("a@example.com", &long).await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    // Exactly 8 and exactly 128 are fine.
    assert_status(
        app.register("b@example.com", "12345678").await,
        StatusCode::CREATED,
    )
    .await;
    assert_status(
        app.register("c@example.com", &"y".repeat(128)).await,
        StatusCode::CREATED,
    )
    .await;
    let body = assert_error(
        app.register("bad", "short").await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    assert_eq!(
        body["details"].as_array().unwrap().len(),
        2,
        "both fields reported: {body}"
    );
}

#[tokio::test]
async fn login_wrong_password_and_unknown_email_answer_identically() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let wrong = app.login(&user.email, "wrong password!").await;
    let unknown = app.login("nobody@example.com", "wrong password!").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let (a, b) = (json_of(wrong).await, json_of(unknown).await);
    assert_eq!(a, b);
    assert_eq!(a["error"], "invalid_credentials");
}

#[tokio::test]
async fn login_is_case_insensitive_and_returns_auth_response() {
    let app = TestApp::spawn().await;
    assert_status(
        app.register("carol@example.com", "password123").await,
        StatusCode::CREATED,
    )
    .await;
    let resp = assert_status(
        app.login("CAROL@example.com", "password123").await,
        StatusCode::OK,
    )
    .await;
    let body = json_of(resp).await;
    assert_eq!(body["mfaRequired"], false);
    assert_eq!(body["tokenType"], "Bearer");
    assert_eq!(body["expiresIn"], 3600);
    assert_eq!(body["refreshToken"].as_str().unwrap().len(), 43);
}

#[tokio::test]
async fn me_returns_the_account() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let body = json_of(assert_status(app.me(&user.access_token).await, StatusCode::OK).await).await;
    assert_eq!(body["email"], user.email);
    assert_eq!(body["mfaEnabled"], false);
    let created = body["createdAt"].as_str().unwrap();
    assert!(created.ends_with('Z') && created.contains('T'), "{created}");
    assert_error(
        app.me("not-a-token").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_error(
        app.get("/me", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn ten_wrong_passwords_lock_password_login_with_doubling() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    for _ in 0..10 {
        assert_error(
            app.login(&user.email, "wrong password").await,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        )
        .await;
    }
    let resp = app.login(&user.email, &user.password).await;
    assert_eq!(resp.headers()["retry-after"], "60");
    let body = assert_error(resp, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
    assert_eq!(body["retryAfter"], 60);
    app.clock.advance(61);
    for _ in 0..10 {
        assert_error(
            app.login(&user.email, "wrong password").await,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        )
        .await;
    }
    let resp = app.login(&user.email, &user.password).await;
    assert_eq!(resp.headers()["retry-after"], "120");
    app.clock.advance(121);
    assert_status(app.login(&user.email, &user.password).await, StatusCode::OK).await;
}

#[tokio::test]
async fn restart_keeps_users_sessions_and_signing_keys() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let jwks_before = json_of(app.get("/.well-known/jwks.json", None).await).await;
    let app = app.restart().await;
    assert_status(app.me(&user.access_token).await, StatusCode::OK).await;
    assert_status(app.login(&user.email, &user.password).await, StatusCode::OK).await;
    let jwks_after = json_of(app.get("/.well-known/jwks.json", None).await).await;
    assert_eq!(jwks_before, jwks_after);
}

#[tokio::test]
async fn database_holds_only_argon2id_and_keyed_hashes() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let all = app.db_dump().await;
    let contains = |needle: &[u8]| all.windows(needle.len()).any(|w| w == needle);
    assert!(!contains(user.password.as_bytes()), "plain password stored");
    assert!(
        !contains(user.refresh_token.as_bytes()),
        "plain refresh token stored"
    );
    assert!(contains(b"$argon2id$"), "argon2id hash expected");
}

#[tokio::test]
async fn health_and_readiness() {
    let app = TestApp::spawn().await;
    assert_status(app.get("/healthz", None).await, StatusCode::OK).await;
    assert_status(app.get("/readyz", None).await, StatusCode::OK).await;
    assert_status(app.get("/api/v1/healthz", None).await, StatusCode::OK).await;
    let _ = json!({});
}
