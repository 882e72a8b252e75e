//! Passkeys (FACTORS.md): registration, the second factor of a password login,
//! passwordless login, step-up; replayed, cloned and cross-origin assertions refused.
//! Assertions are signed for real by software authenticators: ours (`authenticator.rs`)
//! and webauthn-authenticator-rs's `SoftPasskey`.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::authenticator::Authenticator;
use crate::helpers::*;
use crate::operate::claims_of;

fn origin(app: &TestApp) -> String {
    app.state.settings.public_url.clone().unwrap()
}

/// Registers a passkey for the holder of `token`: the factor's JSON answer.
async fn register(app: &TestApp, token: &str, auth: &mut Authenticator, name: &str) -> Value {
    let start = json_of(
        assert_status(
            app.post(
                "/mfa/factors/passkey/register/start",
                json!({ "name": name }),
                Some(token),
            )
            .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    let credential = auth.register(&start["publicKey"]);
    json_of(
        assert_status(
            app.post(
                "/mfa/factors/passkey/register/finish",
                json!({ "registrationId": start["registrationId"], "credential": credential }),
                Some(token),
            )
            .await,
            StatusCode::OK,
        )
        .await,
    )
    .await
}

async fn mfa_options(app: &TestApp, challenge: &str) -> Value {
    json_of(
        assert_status(
            app.post(
                "/auth/verify-mfa/passkey/options",
                json!({ "mfaChallengeToken": challenge }),
                None,
            )
            .await,
            StatusCode::OK,
        )
        .await,
    )
    .await["publicKey"]
        .clone()
}

async fn verify_passkey(app: &TestApp, challenge: &str, passkey: &Value) -> reqwest::Response {
    app.post(
        "/auth/verify-mfa",
        json!({ "mfaChallengeToken": challenge, "passkey": passkey }),
        None,
    )
    .await
}

fn amr(token: &str) -> Vec<String> {
    claims_of(token)["amr"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_passkey_is_a_second_factor_beside_the_authenticator_app() {
    let app = TestApp::spawn().await;
    let enrolled = app.enrolled_user().await;
    let token = enrolled.user.access_token.as_str();
    let mut key = Authenticator::new(&origin(&app));

    // The creation options of the contract.
    let start = json_of(
        app.post(
            "/mfa/factors/passkey/register/start",
            json!({ "name": "Laptop" }),
            Some(token),
        )
        .await,
    )
    .await;
    let options = &start["publicKey"];
    assert_eq!(options["rp"]["id"], "localhost");
    assert_eq!(options["rp"]["name"], app.settings.issuer);
    assert_eq!(
        options["authenticatorSelection"]["residentKey"],
        "preferred"
    );
    assert_eq!(
        options["authenticatorSelection"]["userVerification"],
        "preferred"
    );
    let factor = register(&app, token, &mut key, "Laptop").await;
    assert_eq!(factor["type"], "passkey");
    assert_eq!(factor["name"], "Laptop");
    assert!(
        factor.get("recoveryCodes").is_none(),
        "MFA was on already: no new codes"
    );
    // Registered credentials are excluded from the next registration.
    let again = json_of(
        app.post(
            "/mfa/factors/passkey/register/start",
            json!({}),
            Some(token),
        )
        .await,
    )
    .await;
    assert_eq!(
        again["publicKey"]["excludeCredentials"][0]["id"],
        json!(factor_credential(&key))
    );

    let login = json_of(
        app.login(&enrolled.user.email, &enrolled.user.password)
            .await,
    )
    .await;
    assert_eq!(login["methods"], json!(["totp", "passkey", "recovery"]));
    let challenge = login["mfaChallengeToken"].as_str().unwrap();
    let options = mfa_options(&app, challenge).await;
    assert_eq!(
        options["allowCredentials"][0]["id"],
        json!(factor_credential(&key))
    );
    let assertion = key.assert(&options);
    let body = json_of(
        assert_status(
            verify_passkey(&app, challenge, &assertion).await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    let access = body["accessToken"].as_str().unwrap();
    assert_eq!(amr(access), ["pwd", "hwk", "mfa"]);

    // Replayed: on the spent challenge, and on a new challenge (whose ceremony has another
    // WebAuthn challenge): refused, the second counted like a wrong code.
    assert_error(
        verify_passkey(&app, challenge, &assertion).await,
        StatusCode::UNAUTHORIZED,
        "invalid_challenge",
    )
    .await;
    let challenge = app.challenge(&enrolled.user).await;
    mfa_options(&app, &challenge).await;
    assert_error(
        verify_passkey(&app, &challenge, &assertion).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    // The authenticator app still works for the same login.
    app.next_step();
    let code = oathtool(&enrolled.secret, now(&app));
    assert_status(app.verify_mfa(&challenge, &code).await, StatusCode::OK).await;

    let factors = json_of(app.get("/mfa/factors", Some(access)).await).await;
    let passkey = factors["factors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["type"] == "passkey")
        .unwrap();
    assert!(passkey["lastUsedAt"].is_string(), "{passkey}");
    let status = json_of(app.get("/mfa/status", Some(access)).await).await;
    assert_eq!(status["factors"], json!({ "totp": 1, "passkey": 1 }));
}

fn factor_credential(key: &Authenticator) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&key.credential_id)
}

#[tokio::test]
async fn a_first_passkey_turns_mfa_on_and_signs_in_alone() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let mut key = Authenticator::new(&origin(&app));
    let factor = register(&app, &user.access_token, &mut key, "Phone").await;
    assert_eq!(
        factor["recoveryCodes"].as_array().unwrap().len(),
        10,
        "{factor}"
    );
    let status = json_of(app.get("/mfa/status", Some(&user.access_token)).await).await;
    assert_eq!(status["enabled"], true);
    assert_eq!(status["factors"], json!({ "totp": 0, "passkey": 1 }));
    // The seeds' contract: /mfa/setup is 409 once MFA is on.
    assert_error(
        app.post("/mfa/setup", json!({}), Some(&user.access_token))
            .await,
        StatusCode::CONFLICT,
        "mfa_already_enabled",
    )
    .await;
    let types = app.audit_types(&user.access_token).await;
    for kind in ["auth.mfa.enabled", "auth.mfa.factor.added"] {
        assert!(types.iter().any(|t| t == kind), "{kind} in {types:?}");
    }
    let login = json_of(app.login(&user.email, &user.password).await).await;
    assert_eq!(login["methods"], json!(["passkey", "recovery"]));

    // Passwordless.
    let options = json_of(
        assert_status(
            app.post("/auth/passkey/options", json!({}), None).await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    assert_eq!(options["publicKey"]["userVerification"], "required");
    assert!(options["publicKey"]["allowCredentials"]
        .as_array()
        .is_none_or(|a| a.is_empty()));
    let token = options["passkeyChallengeToken"].as_str().unwrap();
    let assertion = key.assert(&options["publicKey"]);
    let login = |assertion: Value| {
        app.post(
            "/auth/passkey/login",
            json!({ "passkeyChallengeToken": token, "passkey": assertion }),
            None,
        )
    };
    let body = json_of(assert_status(login(assertion.clone()).await, StatusCode::OK).await).await;
    let access = body["accessToken"].as_str().unwrap();
    assert_eq!(amr(access), ["hwk", "user", "mfa"]);
    assert_eq!(
        claims_of(access)["sub"],
        claims_of(&user.access_token)["sub"]
    );
    // The ceremony is spent: the same assertion, or a fresh one, is refused.
    assert_error(
        login(assertion).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let fresh = key.assert(&options["publicKey"]);
    assert_error(
        login(fresh).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    // Malformed input is a 400.
    assert_error(
        app.post(
            "/auth/passkey/login",
            json!({ "passkeyChallengeToken": token, "passkey": { "id": 3 } }),
            None,
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
}

#[tokio::test]
async fn cloned_cross_origin_and_unknown_assertions_are_refused() {
    // Each refusal counts like a wrong code; enough room here not to lock.
    let app = TestApp::spawn_with(|s| s.mfa_max_failures = 20).await;
    let user = app.user().await;
    let mut key = Authenticator::new(&origin(&app));
    register(&app, &user.access_token, &mut key, "Key").await;
    let clone = key.clone();

    // The original signs twice (counter 1, 2)...
    for _ in 0..2 {
        let challenge = app.challenge(&user).await;
        let options = mfa_options(&app, &challenge).await;
        assert_status(
            verify_passkey(&app, &challenge, &key.assert(&options)).await,
            StatusCode::OK,
        )
        .await;
    }
    // ...then the clone, whose counter is behind (1): refused and audited.
    let challenge = app.challenge(&user).await;
    let options = mfa_options(&app, &challenge).await;
    let mut clone = clone;
    assert_error(
        verify_passkey(&app, &challenge, &clone.assert(&options)).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;

    // Signed for another origin, or another RP id: refused.
    let mut phishing = key.clone();
    phishing.origin = "https://login.example.net".into();
    let options = mfa_options(&app, &challenge).await;
    assert_error(
        verify_passkey(&app, &challenge, &phishing.assert(&options)).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    let mut other_rp = key.clone();
    other_rp.rp_id = "example.net".into();
    let options = mfa_options(&app, &challenge).await;
    assert_error(
        verify_passkey(&app, &challenge, &other_rp.assert(&options)).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    // An authenticator the server never saw.
    let mut stranger = Authenticator::new(&origin(&app));
    stranger.user_handle = key.user_handle.clone();
    let options = mfa_options(&app, &challenge).await;
    assert_error(
        verify_passkey(&app, &challenge, &stranger.assert(&options)).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    // The genuine key still works after all that.
    let options = mfa_options(&app, &challenge).await;
    assert_status(
        verify_passkey(&app, &challenge, &key.assert(&options)).await,
        StatusCode::OK,
    )
    .await;
    let types = app.audit_types(&user.access_token).await;
    assert_eq!(
        types
            .iter()
            .filter(|t| *t == "auth.mfa.passkey.cloned_suspected")
            .count(),
        1,
        "{types:?}"
    );
    assert_eq!(
        types
            .iter()
            .filter(|t| *t == "auth.mfa.challenge.failed")
            .count(),
        4,
        "{types:?}"
    );
}

#[tokio::test]
async fn a_stale_session_steps_up_with_its_passkey() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let t = user.access_token.as_str();
    let mut key = Authenticator::new(&origin(&app));
    register(&app, t, &mut key, "Key").await;
    app.clock.advance(app.settings.step_up_seconds + 1);
    let body = assert_error(
        app.post("/mfa/factors/totp", json!({}), Some(t)).await,
        StatusCode::FORBIDDEN,
        "step_up_required",
    )
    .await;
    assert_eq!(body["methods"], json!(["passkey", "recovery"]));
    let options = |token: String| {
        let app = &app;
        async move {
            json_of(
                assert_status(
                    app.post("/auth/step-up/passkey/options", json!({}), Some(&token))
                        .await,
                    StatusCode::OK,
                )
                .await,
            )
            .await["publicKey"]
                .clone()
        }
    };
    // Signed for another origin: refused, and the session is still stale.
    let mut phishing = key.clone();
    phishing.origin = "https://login.example.net".into();
    let assertion = phishing.assert(&options(t.to_owned()).await);
    assert_error(
        app.post("/auth/step-up", json!({ "passkey": assertion }), Some(t))
            .await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    let assertion = key.assert(&options(t.to_owned()).await);
    let fresh = app
        .step_up(t, json!({ "passkey": assertion.clone() }))
        .await;
    let claims = claims_of(&fresh);
    assert_eq!(claims["auth_time"].as_i64().unwrap(), now(&app));
    assert_eq!(claims["sid"], claims_of(t)["sid"]);
    assert!(amr(&fresh).contains(&"hwk".to_owned()));
    // The same assertion again: its ceremony is spent.
    assert_error(
        app.post(
            "/auth/step-up",
            json!({ "passkey": assertion }),
            Some(&fresh),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    assert_status(
        app.post("/mfa/factors/totp", json!({}), Some(&fresh)).await,
        StatusCode::OK,
    )
    .await;
}

/// webauthn-authenticator-rs's `SoftPasskey`: an implementation that is not ours,
/// registering and answering the second factor through the public API.
#[tokio::test]
async fn an_independent_soft_passkey_registers_and_signs_in() {
    use webauthn_authenticator_rs::softpasskey::SoftPasskey;
    use webauthn_authenticator_rs::WebauthnAuthenticator;
    use webauthn_rs_core::proto::{CreationChallengeResponse, RequestChallengeResponse};

    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let token = e.user.access_token.as_str();
    let origin = url::Url::parse(&origin(&app)).unwrap();
    let mut soft = WebauthnAuthenticator::new(SoftPasskey::new(true));
    let start = json_of(
        app.post(
            "/mfa/factors/passkey/register/start",
            json!({ "name": "Soft" }),
            Some(token),
        )
        .await,
    )
    .await;
    let options: CreationChallengeResponse =
        serde_json::from_value(json!({ "publicKey": start["publicKey"] })).unwrap();
    let credential = soft.do_registration(origin.clone(), options).unwrap();
    assert_status(
        app.post(
            "/mfa/factors/passkey/register/finish",
            json!({ "registrationId": start["registrationId"], "credential": credential }),
            Some(token),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let challenge = app.challenge(&e.user).await;
    let options: RequestChallengeResponse =
        serde_json::from_value(json!({ "publicKey": mfa_options(&app, &challenge).await }))
            .unwrap();
    let assertion = soft.do_authentication(origin, options).unwrap();
    let body = json_of(
        assert_status(
            verify_passkey(&app, &challenge, &serde_json::to_value(&assertion).unwrap()).await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    assert_eq!(
        amr(body["accessToken"].as_str().unwrap()),
        ["pwd", "hwk", "mfa"]
    );
}

/// A stolen password-only token cannot enroll the thief's passkey as the first factor.
#[tokio::test]
async fn a_stale_password_session_cannot_register_a_first_passkey() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    app.clock.advance(app.settings.step_up_seconds + 1);
    let body = assert_error(
        app.post(
            "/mfa/factors/passkey/register/start",
            json!({}),
            Some(&user.access_token),
        )
        .await,
        StatusCode::FORBIDDEN,
        "step_up_required",
    )
    .await;
    assert_eq!(body["methods"], json!(["password"]));
    let fresh = app
        .step_up(&user.access_token, json!({ "password": user.password }))
        .await;
    let mut key = Authenticator::new(&origin(&app));
    let factor = register(&app, &fresh, &mut key, "Mine").await;
    assert_eq!(factor["recoveryCodes"].as_array().unwrap().len(), 10);
}
