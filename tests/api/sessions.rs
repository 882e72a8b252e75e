//! API 1.1 "Sessions and password": the session list, revoking one or all others,
//! password change, and security changes that end every other session.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

/// Logs `user` in again: a second session (password only).
async fn second_session(app: &TestApp, user: &TestUser) -> (String, String) {
    let body =
        json_of(assert_status(app.login(&user.email, &user.password).await, StatusCode::OK).await)
            .await;
    (
        body["accessToken"].as_str().unwrap().to_owned(),
        body["refreshToken"].as_str().unwrap().to_owned(),
    )
}

async fn assert_revoked(app: &TestApp, access: &str, refresh: &str) {
    assert_error(
        app.me(access).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_error(
        app.refresh(refresh).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn sessions_are_listed_newest_first_and_revoked_one_by_one() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    app.clock.advance(5);
    let (b_access, b_refresh) = second_session(&app, &user).await;
    let list =
        json_of(assert_status(app.get("/sessions", Some(&b_access)).await, StatusCode::OK).await)
            .await;
    let sessions = list["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "{list}");
    assert_eq!(sessions[0]["current"], true);
    assert_eq!(sessions[1]["current"], false);
    for s in sessions {
        assert!(s["id"].is_string() && s["createdAt"].is_string() && s["lastUsedAt"].is_string());
        assert_eq!(s["ip"], "127.0.0.1");
        assert_eq!(s["amr"], json!(["pwd"]));
        assert!(s.as_object().unwrap().contains_key("userAgent"));
    }
    let a_id = sessions[1]["id"].as_str().unwrap().to_owned();
    let resp = app
        .request(
            reqwest::Method::DELETE,
            &format!("/sessions/{a_id}"),
            None,
            Some(&b_access),
        )
        .await;
    assert_status(resp, StatusCode::NO_CONTENT).await;
    assert_revoked(&app, &user.access_token, &user.refresh_token).await;
    // Again, unknown, or someone else's: 404.
    let other = app.user().await;
    for (id, token) in [
        (a_id.as_str(), b_access.as_str()),
        ("no-such-session", b_access.as_str()),
    ] {
        let resp = app
            .request(
                reqwest::Method::DELETE,
                &format!("/sessions/{id}"),
                None,
                Some(token),
            )
            .await;
        assert_error(resp, StatusCode::NOT_FOUND, "not_found").await;
    }
    let b_id = sessions[0]["id"].as_str().unwrap().to_owned();
    let resp = app
        .request(
            reqwest::Method::DELETE,
            &format!("/sessions/{b_id}"),
            None,
            Some(&other.access_token),
        )
        .await;
    assert_error(resp, StatusCode::NOT_FOUND, "not_found").await;
    assert_status(app.me(&b_access).await, StatusCode::OK).await;
    // A refresh records when and from where the session was last used.
    app.clock.advance(100);
    assert_status(app.refresh(&b_refresh).await, StatusCode::OK).await;
    let list = json_of(app.get("/sessions", Some(&b_access)).await).await;
    assert_ne!(
        list["sessions"][0]["lastUsedAt"],
        list["sessions"][0]["createdAt"]
    );
    let types = app.audit_types(&b_access).await;
    assert!(
        types.contains(&"auth.session.revoked".to_owned()),
        "{types:?}"
    );
}

#[tokio::test]
async fn revoke_others_keeps_only_the_calling_session() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let (b_access, b_refresh) = second_session(&app, &user).await;
    let (c_access, _) = second_session(&app, &user).await;
    let body = json_of(
        assert_status(
            app.post("/sessions/revoke-others", json!({}), Some(&c_access))
                .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    assert_eq!(body, json!({ "revoked": 2 }));
    assert_revoked(&app, &user.access_token, &user.refresh_token).await;
    assert_revoked(&app, &b_access, &b_refresh).await;
    assert_status(app.me(&c_access).await, StatusCode::OK).await;
    let list = json_of(app.get("/sessions", Some(&c_access)).await).await;
    assert_eq!(list["sessions"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn enabling_mfa_in_one_session_revokes_the_others() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let (b_access, b_refresh) = second_session(&app, &user).await;
    let setup = app.setup(&user.access_token).await;
    let secret = setup["secret"].as_str().unwrap().to_owned();
    let confirmed = app
        .confirm(&user.access_token, &oathtool(&secret, now(&app)))
        .await;
    assert_status(confirmed, StatusCode::OK).await;
    assert_revoked(&app, &b_access, &b_refresh).await;
    // The session that enabled MFA goes on, refresh included.
    assert_status(app.me(&user.access_token).await, StatusCode::OK).await;
    assert_status(app.refresh(&user.refresh_token).await, StatusCode::OK).await;
    let types = app.audit_types(&user.access_token).await;
    assert!(
        types.contains(&"auth.session.revoked".to_owned()),
        "{types:?}"
    );
}

#[tokio::test]
async fn regenerating_codes_and_disabling_mfa_revoke_the_others() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    for action in ["regenerate", "disable"] {
        let challenge = app.challenge(&e.user).await;
        app.next_step();
        let other = json_of(
            assert_status(
                app.verify_mfa(&challenge, &oathtool(&e.secret, now(&app)))
                    .await,
                StatusCode::OK,
            )
            .await,
        )
        .await;
        app.next_step();
        let code = oathtool(&e.secret, now(&app));
        let (path, status) = match action {
            "regenerate" => ("/mfa/recovery-codes/regenerate", StatusCode::OK),
            _ => ("/mfa/disable", StatusCode::NO_CONTENT),
        };
        assert_status(
            app.post(path, json!({ "code": code }), Some(&e.user.access_token))
                .await,
            status,
        )
        .await;
        assert_revoked(
            &app,
            other["accessToken"].as_str().unwrap(),
            other["refreshToken"].as_str().unwrap(),
        )
        .await;
        assert_status(app.me(&e.user.access_token).await, StatusCode::OK).await;
    }
}

#[tokio::test]
async fn changing_the_password_revokes_the_other_sessions() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let (b_access, b_refresh) = second_session(&app, &user).await;
    let change =
        |current: &str, new: &str| json!({ "currentPassword": current, "newPassword": new });
    assert_error(
        app.post(
            "/auth/password",
            change("wrong password!", "a brand new password"),
            Some(&user.access_token),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    assert_error(
        app.post(
            "/auth/password",
            change(&user.password, "short"),
            Some(&user.access_token),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    assert_status(
        app.post(
            "/auth/password",
            change(&user.password, "a brand new password"),
            Some(&user.access_token),
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_revoked(&app, &b_access, &b_refresh).await;
    assert_status(app.me(&user.access_token).await, StatusCode::OK).await;
    assert_error(
        app.login(&user.email, &user.password).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    assert_status(
        app.login(&user.email, "a brand new password").await,
        StatusCode::OK,
    )
    .await;
    let types = app.audit_types(&user.access_token).await;
    assert!(
        types.contains(&"auth.password.changed".to_owned()),
        "{types:?}"
    );
}

#[tokio::test]
async fn wrong_current_passwords_count_like_wrong_logins() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    for _ in 0..9 {
        app.login(&user.email, "wrong password!").await;
    }
    let wrong =
        json!({ "currentPassword": "wrong password!", "newPassword": "a brand new password" });
    assert_error(
        app.post("/auth/password", wrong.clone(), Some(&user.access_token))
            .await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    // The tenth wrong password (here, at /auth/password) locked untrusted attempts.
    let right = json!({ "currentPassword": user.password, "newPassword": "a brand new password" });
    assert_error(
        app.post("/auth/password", right.clone(), Some(&user.access_token))
            .await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
    // With the device token of this browser, it is counted against that token instead.
    let mut with_device = right;
    with_device["deviceToken"] = json!(user.device_token);
    assert_status(
        app.post("/auth/password", with_device, Some(&user.access_token))
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;
}
