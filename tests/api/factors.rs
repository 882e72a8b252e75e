//! Several factors per user (FACTORS.md): another TOTP authenticator with its own secret
//! and replay guard, listing, renaming, deleting (with step-up; the last one turns MFA
//! off; every deletion ends the trusted browsers), `max_factors`, audit and webhooks.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;
use crate::operate::claims_of;

/// Adds a second TOTP authenticator named `name`: its id and secret.
async fn add_totp(app: &TestApp, token: &str, name: &str) -> (String, String) {
    let pending = json_of(
        assert_status(
            app.post("/mfa/factors/totp", json!({ "name": name }), Some(token))
                .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    let id = pending["factorId"].as_str().unwrap().to_owned();
    let secret = pending["secret"].as_str().unwrap().to_owned();
    assert!(pending["otpauthUri"]
        .as_str()
        .unwrap()
        .starts_with("otpauth://totp/"));
    assert!(pending["qrCode"]
        .as_str()
        .unwrap()
        .starts_with("data:image/svg+xml"));
    assert!(pending["expiresIn"].as_i64().unwrap() > 0);
    let code = oathtool(&secret, now(app));
    let factor = json_of(
        assert_status(
            app.post(
                "/mfa/factors/totp/confirm",
                json!({ "factorId": id, "code": code }),
                Some(token),
            )
            .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    assert_eq!(factor["id"], id.as_str());
    assert_eq!(factor["type"], "totp");
    assert_eq!(factor["name"], name);
    (id, secret)
}

async fn factors(app: &TestApp, token: &str) -> Vec<Value> {
    json_of(assert_status(app.get("/mfa/factors", Some(token)).await, StatusCode::OK).await).await
        ["factors"]
        .as_array()
        .unwrap()
        .clone()
}

async fn login_code(app: &TestApp, user: &TestUser, code: &str) -> reqwest::Response {
    let challenge = app.challenge(user).await;
    app.verify_mfa(&challenge, code).await
}

#[tokio::test]
async fn a_second_authenticator_works_and_replays_independently_of_the_first() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let token = e.user.access_token.as_str();
    let (second, secret) = add_totp(&app, token, "Backup phone").await;
    let list = factors(&app, token).await;
    assert_eq!(list.len(), 2);
    assert!(list.iter().any(|f| f["id"] == second.as_str()));
    assert!(list[0]["createdAt"].is_string());

    // One time step, both authenticators: each code works once.
    app.next_step();
    let t = now(&app);
    let first_code = oathtool(&e.secret, t);
    let second_code = oathtool(&secret, t);
    let ok = json_of(
        assert_status(
            login_code(&app, &e.user, &second_code).await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    assert_error(
        login_code(&app, &e.user, &second_code).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    assert_status(login_code(&app, &e.user, &first_code).await, StatusCode::OK).await;
    assert_error(
        login_code(&app, &e.user, &first_code).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;

    // The audit names the factor that matched.
    let access = ok["accessToken"].as_str().unwrap();
    let events = json_of(app.get("/audit?limit=200", Some(access)).await).await;
    let succeeded: Vec<&Value> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "auth.mfa.challenge.succeeded")
        .collect();
    let ids: Vec<&str> = succeeded
        .iter()
        .map(|e| e["details"]["factorId"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&second.as_str()), "{ids:?}");
    assert!(ids.iter().any(|i| *i != second), "{ids:?}");
    let status = json_of(app.get("/mfa/status", Some(access)).await).await;
    assert_eq!(status["factors"], json!({ "totp": 2, "passkey": 0 }));
    assert_eq!(status["enabled"], true);
    // The seeds' contract is unchanged.
    assert_error(
        app.post("/mfa/setup", json!({}), Some(access)).await,
        StatusCode::CONFLICT,
        "mfa_already_enabled",
    )
    .await;
}

#[tokio::test]
async fn adding_needs_mfa_a_step_up_and_room() {
    let app = TestApp::spawn_with(|s| s.max_factors = 2).await;
    let plain = app.user().await;
    assert_error(
        app.post("/mfa/factors/totp", json!({}), Some(&plain.access_token))
            .await,
        StatusCode::BAD_REQUEST,
        "mfa_not_enabled",
    )
    .await;
    let e = app.enrolled_user().await;
    let token = e.user.access_token.as_str();
    // A wrong code does not confirm, and names no pending factor it does not know.
    let pending = json_of(
        app.post("/mfa/factors/totp", json!({ "name": "x" }), Some(token))
            .await,
    )
    .await;
    assert_error(
        app.post(
            "/mfa/factors/totp/confirm",
            json!({ "factorId": pending["factorId"], "code": "000000" }),
            Some(token),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_code",
    )
    .await;
    assert_error(
        app.post(
            "/mfa/factors/totp/confirm",
            json!({ "factorId": "not-a-factor", "code": "123456" }),
            Some(token),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "no_pending_setup",
    )
    .await;
    add_totp(&app, token, "Second").await;
    assert_error(
        app.post("/mfa/factors/totp", json!({}), Some(token)).await,
        StatusCode::CONFLICT,
        "too_many_factors",
    )
    .await;
    assert_error(
        app.post(
            "/mfa/factors/passkey/register/start",
            json!({}),
            Some(token),
        )
        .await,
        StatusCode::CONFLICT,
        "too_many_factors",
    )
    .await;

    // A stale session (a stolen token) can neither add nor rename nor delete.
    app.clock.advance(app.settings.step_up_seconds + 1);
    let id = factors(&app, token).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (method, path, body) in [
        (
            Method::POST,
            "/mfa/factors/totp".to_owned(),
            Some(json!({})),
        ),
        (
            Method::POST,
            "/mfa/factors/passkey/register/start".to_owned(),
            Some(json!({})),
        ),
        (
            Method::PATCH,
            format!("/mfa/factors/{id}"),
            Some(json!({ "name": "thief" })),
        ),
        (Method::DELETE, format!("/mfa/factors/{id}"), None),
    ] {
        let body = assert_error(
            app.request(method, &path, body, Some(token)).await,
            StatusCode::FORBIDDEN,
            "step_up_required",
        )
        .await;
        assert_eq!(body["methods"], json!(["totp", "recovery"]), "{path}");
    }
    assert_eq!(factors(&app, token).await.len(), 2, "nothing changed");
}

#[tokio::test]
async fn rename_and_delete_down_to_mfa_off_ending_every_trust() {
    let app = TestApp::spawn_with(|s| s.remember_device_days = 30).await;
    let e = app.enrolled_user().await;
    let token = e.user.access_token.as_str();
    let (second, second_secret) = add_totp(&app, token, "Second").await;
    let first = factors(&app, token)
        .await
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .find(|id| *id != second)
        .unwrap();

    let renamed = json_of(
        assert_status(
            app.request(
                Method::PATCH,
                &format!("/mfa/factors/{first}"),
                Some(json!({ "name": "Old phone" })),
                Some(token),
            )
            .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    assert_eq!(renamed["name"], "Old phone");
    for (method, body) in [
        (Method::PATCH, Some(json!({ "name": "x" }))),
        (Method::DELETE, None),
    ] {
        assert_error(
            app.request(method, "/mfa/factors/no-such-factor", body, Some(token))
                .await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    // Another user's factor is not found either.
    let other = app.enrolled_user().await;
    assert_error(
        app.request(
            Method::DELETE,
            &format!("/mfa/factors/{first}"),
            None,
            Some(&other.user.access_token),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // A trusted browser...
    let answer = app.remembered_login(&e, true).await;
    let device = answer["deviceToken"].as_str().unwrap().to_owned();
    let skipped = json_of(
        app.login_with_device(&e.user.email, &e.user.password, &device)
            .await,
    )
    .await;
    assert!(skipped["accessToken"].is_string(), "{skipped}");
    let device = skipped["deviceToken"].as_str().unwrap().to_owned();

    // ...stops being trusted when a factor is deleted.
    assert_status(
        app.request(
            Method::DELETE,
            &format!("/mfa/factors/{first}"),
            None,
            Some(token),
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    let asked = json_of(
        app.login_with_device(&e.user.email, &e.user.password, &device)
            .await,
    )
    .await;
    assert_eq!(asked["mfaRequired"], true, "{asked}");
    // The deleted authenticator's codes are refused, the other's still work.
    app.next_step();
    let t = now(&app);
    assert_error(
        login_code(&app, &e.user, &oathtool(&e.secret, t)).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    assert_status(
        login_code(&app, &e.user, &oathtool(&second_secret, t)).await,
        StatusCode::OK,
    )
    .await;

    // Deleting the last factor turns MFA off and wipes the recovery codes.
    assert_status(
        app.request(
            Method::DELETE,
            &format!("/mfa/factors/{second}"),
            None,
            Some(token),
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    let status = json_of(app.get("/mfa/status", Some(token)).await).await;
    assert_eq!(status["enabled"], false);
    assert_eq!(status["recoveryCodesRemaining"], 0);
    assert_eq!(status["factors"], json!({ "totp": 0, "passkey": 0 }));
    let login = json_of(app.login(&e.user.email, &e.user.password).await).await;
    assert!(login["accessToken"].is_string(), "{login}");
    assert_eq!(
        claims_of(login["accessToken"].as_str().unwrap())["amr"],
        json!(["pwd"])
    );
    let types = app.audit_types(token).await;
    for kind in [
        "auth.mfa.factor.added",
        "auth.mfa.factor.renamed",
        "auth.mfa.factor.removed",
        "auth.mfa.disabled",
    ] {
        assert!(types.iter().any(|t| t == kind), "{kind} in {types:?}");
    }
    // MFA can be enrolled again from scratch, through the seeds' endpoint.
    app.setup(token).await;
}
