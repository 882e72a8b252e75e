//! Step-up (FACTORS.md): enrolling, changing the password, revoking other sessions and the
//! admin API need a session whose last proof is within `step_up_seconds`; `POST
//! /auth/step-up` proves it again (a code with MFA on, spent like any code; else the
//! password) and answers with fresh tokens for the same session.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::operate::{claims_of, cli, exits};

fn methods(body: &Value) -> Vec<&str> {
    body["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_stale_password_session_cannot_enroll_until_it_steps_up() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let t = user.access_token.as_str();
    // Just after login the seeds' flow is unchanged.
    let login_time = claims_of(t)["auth_time"].as_i64().unwrap();
    // (The clock may have crossed into the next second since the login.)
    assert!(
        (0..=1).contains(&(now(&app) - login_time)),
        "auth_time is the login's"
    );
    app.setup(t).await;

    app.clock.advance(app.settings.step_up_seconds + 1);
    let body = assert_error(
        app.post("/mfa/setup", json!({}), Some(t)).await,
        StatusCode::FORBIDDEN,
        "step_up_required",
    )
    .await;
    assert_eq!(methods(&body), ["password"]);
    let body = assert_error(
        app.post(
            "/auth/password",
            json!({ "currentPassword": user.password, "newPassword": "a brand new passphrase" }),
            Some(t),
        )
        .await,
        StatusCode::FORBIDDEN,
        "step_up_required",
    )
    .await;
    assert_eq!(methods(&body), ["password"]);

    // A wrong password does not step up (and counts like a login failure).
    assert_error(
        app.post(
            "/auth/step-up",
            json!({ "password": "not the password" }),
            Some(t),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let fresh = app.step_up(t, json!({ "password": user.password })).await;
    let claims = claims_of(&fresh);
    assert_eq!(claims["auth_time"].as_i64().unwrap(), now(&app));
    assert_eq!(claims["sid"], claims_of(t)["sid"], "the same session");
    app.setup(&fresh).await;
    assert_status(
        app.post(
            "/auth/password",
            json!({ "currentPassword": user.password, "newPassword": "a brand new passphrase" }),
            Some(&fresh),
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    let types = app.audit_types(&fresh).await;
    assert!(
        types.iter().any(|t| t == "auth.step_up.succeeded"),
        "{types:?}"
    );
    // The refresh token from before the step-up was spent: whoever presents it again is
    // treated as a thief, and the session ends.
    assert_status(
        app.refresh(&user.refresh_token).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_status(app.me(&fresh).await, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn an_mfa_session_steps_up_with_a_code_spent_once() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    app.next_step();
    let challenge = app.challenge(&e.user).await;
    let code = oathtool(&e.secret, now(&app));
    let login =
        json_of(assert_status(app.verify_mfa(&challenge, &code).await, StatusCode::OK).await).await;
    let t = login["accessToken"].as_str().unwrap().to_owned();

    app.clock.advance(app.settings.step_up_seconds + 1);
    let body = assert_error(
        app.post("/sessions/revoke-others", json!({}), Some(&t))
            .await,
        StatusCode::FORBIDDEN,
        "step_up_required",
    )
    .await;
    assert_eq!(methods(&body), ["totp", "recovery"]);
    assert_error(
        app.post(
            "/auth/step-up",
            json!({ "password": e.user.password }),
            Some(&t),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;

    app.next_step();
    let code = oathtool(&e.secret, now(&app));
    let fresh = app.step_up(&t, json!({ "code": code })).await;
    let claims = claims_of(&fresh);
    assert_eq!(claims["amr"], json!(["pwd", "otp", "mfa"]));
    assert_status(
        app.post("/sessions/revoke-others", json!({}), Some(&fresh))
            .await,
        StatusCode::OK,
    )
    .await;
    // The same code cannot step up twice (the replay guard of every code).
    assert_error(
        app.post("/auth/step-up", json!({ "code": code }), Some(&fresh))
            .await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    // A recovery code works too, once.
    let recovery = &e.recovery_codes[0];
    app.step_up(&fresh, json!({ "code": recovery })).await;
    assert_error(
        app.post("/auth/step-up", json!({ "code": recovery }), Some(&fresh))
            .await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_admin_api_needs_a_recent_proof() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    exits(&cli(&app, &["admin", "grant", &e.user.email]), 0);
    app.next_step();
    let challenge = app.challenge(&e.user).await;
    let code = oathtool(&e.secret, now(&app));
    let login =
        json_of(assert_status(app.verify_mfa(&challenge, &code).await, StatusCode::OK).await).await;
    let t = login["accessToken"].as_str().unwrap().to_owned();
    assert_status(app.get("/admin/users", Some(&t)).await, StatusCode::OK).await;
    app.clock.advance(app.settings.step_up_seconds + 1);
    assert_error(
        app.get("/admin/users", Some(&t)).await,
        StatusCode::FORBIDDEN,
        "step_up_required",
    )
    .await;
    app.next_step();
    let code = oathtool(&e.secret, now(&app));
    let fresh = app.step_up(&t, json!({ "code": code })).await;
    assert_eq!(claims_of(&fresh)["roles"], json!(["admin"]));
    assert_status(app.get("/admin/users", Some(&fresh)).await, StatusCode::OK).await;
}

#[tokio::test]
async fn step_up_needs_a_live_session_and_one_proof() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let t = user.access_token.as_str();
    assert_error(
        app.post("/auth/step-up", json!({}), Some(t)).await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    assert_error(
        app.post("/auth/step-up", json!({ "password": user.password }), None)
            .await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_status(app.logout(t).await, StatusCode::NO_CONTENT).await;
    assert_error(
        app.post(
            "/auth/step-up",
            json!({ "password": user.password }),
            Some(t),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}
