//! Trusted browsers (FACTORS.md, `remember_device_days`): `rememberDevice` at verify-mfa
//! trusts the login's device token; a password login presenting it skips the MFA step
//! (`amr: ["pwd","mfa"]`) and carries the trust to its new device token; MFA off, a
//! password change, `DELETE /devices/{id}` and time end it.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::operate::claims_of;

async fn app_remembering(days: i64) -> TestApp {
    TestApp::spawn_with(|s| s.remember_device_days = days).await
}

/// A password login presenting `device`: its answer.
async fn login_with(app: &TestApp, e: &Enrolled, device: &str) -> Value {
    json_of(
        assert_status(
            app.login_with_device(&e.user.email, &e.user.password, device)
                .await,
            StatusCode::OK,
        )
        .await,
    )
    .await
}

fn device_of(answer: &Value) -> String {
    answer["deviceToken"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_remembered_browser_skips_the_code_and_carries_its_trust() {
    let app = app_remembering(30).await;
    let e = app.enrolled_user().await;
    let first = app.remembered_login(&e, true).await;
    let trusted = device_of(&first);

    let second = login_with(&app, &e, &trusted).await;
    assert!(second.get("mfaChallengeToken").is_none(), "{second}");
    let access = second["accessToken"].as_str().unwrap();
    assert_eq!(claims_of(access)["amr"], json!(["pwd", "mfa", "trusted"]));
    let carried = device_of(&second);
    assert_ne!(carried, trusted);
    // The trust moved to the new device token: the old one asks for a code again.
    assert_eq!(login_with(&app, &e, &trusted).await["mfaRequired"], true);
    assert!(login_with(&app, &e, &carried).await["accessToken"].is_string());

    let sessions = json_of(app.get("/sessions", Some(access)).await).await;
    assert_eq!(
        sessions["trustedDevices"].as_array().unwrap().len(),
        1,
        "{sessions}"
    );
    let types = app.audit_types(access).await;
    assert!(types.iter().any(|t| t == "auth.login.succeeded"));
}

#[tokio::test]
async fn no_trust_without_the_setting_or_the_request() {
    let app = app_remembering(0).await;
    let e = app.enrolled_user().await;
    let device = device_of(&app.remembered_login(&e, true).await);
    assert_eq!(login_with(&app, &e, &device).await["mfaRequired"], true);

    let app = app_remembering(30).await;
    let e = app.enrolled_user().await;
    let device = device_of(&app.remembered_login(&e, false).await);
    assert_eq!(login_with(&app, &e, &device).await["mfaRequired"], true);
    // Another user's trusted device token does not skip this user's code.
    let other = app.enrolled_user().await;
    let theirs = device_of(&app.remembered_login(&other, true).await);
    assert_eq!(login_with(&app, &e, &theirs).await["mfaRequired"], true);
}

#[tokio::test]
async fn trust_ends_with_mfa_off_a_password_change_a_delete_and_time() {
    let app = app_remembering(30).await;

    // Turning MFA off (and on again) ends it.
    let e = app.enrolled_user().await;
    let answer = app.remembered_login(&e, true).await;
    let device = device_of(&answer);
    let token = answer["accessToken"].as_str().unwrap();
    app.next_step();
    let code = oathtool(&e.secret, now(&app));
    assert_status(
        app.post("/mfa/disable", json!({ "code": code }), Some(token))
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    let setup = app.setup(token).await;
    let secret = setup["secret"].as_str().unwrap().to_owned();
    app.next_step();
    assert_status(
        app.confirm(token, &oathtool(&secret, now(&app))).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(login_with(&app, &e, &device).await["mfaRequired"], true);

    // A password change ends it.
    let e = app.enrolled_user().await;
    let answer = app.remembered_login(&e, true).await;
    let device = device_of(&answer);
    let token = answer["accessToken"].as_str().unwrap();
    assert_status(
        app.post(
            "/auth/password",
            json!({ "currentPassword": e.user.password, "newPassword": "a new long passphrase" }),
            Some(token),
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    let again = app
        .login_with_device(&e.user.email, "a new long passphrase", &device)
        .await;
    assert_eq!(json_of(again).await["mfaRequired"], true);

    // DELETE /devices/{id} ends it (once).
    let e = app.enrolled_user().await;
    let answer = app.remembered_login(&e, true).await;
    let device = device_of(&answer);
    let token = answer["accessToken"].as_str().unwrap();
    let sessions = json_of(app.get("/sessions", Some(token)).await).await;
    let id = sessions["trustedDevices"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/devices/{id}");
    assert_status(
        app.request(reqwest::Method::DELETE, &path, None, Some(token))
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_error(
        app.request(reqwest::Method::DELETE, &path, None, Some(token))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(login_with(&app, &e, &device).await["mfaRequired"], true);

    // Time ends it.
    let e = app.enrolled_user().await;
    let device = device_of(&app.remembered_login(&e, true).await);
    app.clock.advance(30 * 86_400 + 1);
    assert_eq!(login_with(&app, &e, &device).await["mfaRequired"], true);
}
