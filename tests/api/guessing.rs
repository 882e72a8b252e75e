//! API 1.1 "Guessing, lockout and devices": attempts are admitted by the database before
//! any hashing, untrusted logins lock per account key (existing or not), device tokens
//! keep their owner's logins working, and nothing tells an attacker who exists.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

/// Sends the same login body `n` times at the same instant; returns (status, body text).
async fn burst(app: &TestApp, body: Value, n: usize) -> Vec<(StatusCode, String)> {
    let requests = (0..n)
        .map(|_| app.client.post(app.url("/auth/login")).json(&body))
        .collect();
    at_once(requests).await
}

/// The body with `retryAfter` taken out (it counts down with the clock).
fn shape(body: &str) -> Value {
    let mut v: Value = serde_json::from_str(body).expect("JSON error body");
    v.as_object_mut().unwrap().remove("retryAfter");
    v
}

#[tokio::test]
async fn forty_parallel_wrong_passwords_evaluate_at_most_the_budget() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let wrong = json!({ "email": user.email, "password": "wrong password!" });
    let results = burst(&app, wrong, 40).await;
    let evaluated = count(&results, StatusCode::UNAUTHORIZED);
    let refused = count(&results, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        evaluated <= 10,
        "{evaluated} wrong passwords were evaluated"
    );
    assert_eq!(evaluated + refused, 40, "{results:?}");
    for (status, body) in &results {
        let code = if *status == StatusCode::UNAUTHORIZED {
            "invalid_credentials"
        } else {
            "too_many_attempts"
        };
        assert_eq!(shape(body)["error"], code);
    }
    // The right password without a device token is locked out like any guess...
    assert_error(
        app.login(&user.email, &user.password).await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
    // ...while the owner's browser, which logged in before, keeps working.
    let ok = assert_status(
        app.login_with_device(&user.email, &user.password, &user.device_token)
            .await,
        StatusCode::OK,
    )
    .await;
    let tokens = json_of(ok).await;
    // Only admitted attempts were hashed and audited.
    let types = app
        .audit_types(tokens["accessToken"].as_str().unwrap())
        .await;
    let failed = types.iter().filter(|t| *t == "auth.login.failed").count();
    assert!(failed <= 10, "{failed} failures audited");
    assert!(types.contains(&"auth.login.locked".to_owned()), "{types:?}");
}

#[tokio::test]
async fn the_device_cookie_works_like_the_body_field() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    for _ in 0..10 {
        assert_status(
            app.login(&user.email, "wrong password!").await,
            StatusCode::UNAUTHORIZED,
        )
        .await;
    }
    let resp = app
        .client
        .post(app.url("/auth/login"))
        .header("cookie", format!("twofold_device={}", user.device_token))
        .json(&json!({ "email": user.email, "password": user.password }))
        .send()
        .await
        .unwrap();
    let resp = assert_status(resp, StatusCode::OK).await;
    let cookies: Vec<_> = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let device = cookies
        .iter()
        .find(|c| c.starts_with("twofold_device="))
        .expect("device cookie set");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(device.contains(attribute), "{device}");
    }
    let body = json_of(resp).await;
    assert!(
        device.contains(body["deviceToken"].as_str().unwrap()),
        "the cookie and the body carry the same new token"
    );
}

#[tokio::test]
async fn an_unknown_email_answers_exactly_like_a_real_one() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let ghost = "nobody-here@example.com";
    for _ in 0..10 {
        let real = app.login(&user.email, "wrong password!").await;
        let fake = app.login(ghost, "wrong password!").await;
        assert_eq!(real.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(fake.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(real.text().await.unwrap(), fake.text().await.unwrap());
    }
    // Both are locked now; the real owner's right password too (no device token).
    let real = app.login(&user.email, &user.password).await;
    let fake = app.login(ghost, "any password at all").await;
    assert_eq!(real.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(fake.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(real.headers()["retry-after"], fake.headers()["retry-after"]);
    assert_eq!(
        shape(&real.text().await.unwrap()),
        shape(&fake.text().await.unwrap())
    );
    // The lock ends for both after 60 s; then a real login works again.
    app.clock.advance(61);
    assert_status(app.login(&user.email, &user.password).await, StatusCode::OK).await;
}

#[tokio::test]
async fn a_device_token_of_another_user_counts_as_none() {
    let app = TestApp::spawn().await;
    let alice = app.user().await;
    let bob = app.user().await;
    for _ in 0..10 {
        app.login(&bob.email, "wrong password!").await;
    }
    assert_error(
        app.login_with_device(&bob.email, &bob.password, &alice.device_token)
            .await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
    assert_error(
        app.login_with_device(&bob.email, &bob.password, "not-a-device-token")
            .await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
    assert_status(
        app.login_with_device(&bob.email, &bob.password, &bob.device_token)
            .await,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn a_device_tokens_own_budget_of_five_revokes_it() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    for _ in 0..5 {
        assert_error(
            app.login_with_device(&user.email, "wrong password!", &user.device_token)
                .await,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        )
        .await;
    }
    // Those five did not touch the untrusted budget: ten more untrusted guesses fit.
    for _ in 0..10 {
        assert_error(
            app.login(&user.email, "wrong password!").await,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        )
        .await;
    }
    // The token is revoked: it now counts as none, and untrusted logins are locked.
    assert_error(
        app.login_with_device(&user.email, &user.password, &user.device_token)
            .await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
    app.clock.advance(61);
    let tokens =
        json_of(assert_status(app.login(&user.email, &user.password).await, StatusCode::OK).await)
            .await;
    let types = app
        .audit_types(tokens["accessToken"].as_str().unwrap())
        .await;
    assert!(
        types.contains(&"auth.device.revoked".to_owned()),
        "{types:?}"
    );
}

#[tokio::test]
async fn a_correct_password_resets_the_budget_it_was_counted_against() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    for _ in 0..9 {
        app.login(&user.email, "wrong password!").await;
    }
    assert_status(app.login(&user.email, &user.password).await, StatusCode::OK).await;
    for _ in 0..9 {
        assert_error(
            app.login(&user.email, "wrong password!").await,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        )
        .await;
    }
}

#[tokio::test]
async fn parallel_wrong_codes_never_evaluate_more_than_three_per_lock() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    app.next_step();
    let good = oathtool(&e.secret, now(&app));
    let bad = if good == "000000" { "111111" } else { "000000" };
    // verify-mfa (GHSA-7h8m-vrxx-vr4m pattern: a burst on one challenge).
    let challenge = app.challenge(&e.user).await;
    let body = json!({ "mfaChallengeToken": challenge, "code": bad });
    let results = at_once(
        (0..30)
            .map(|_| app.client.post(app.url("/auth/verify-mfa")).json(&body))
            .collect(),
    )
    .await;
    assert!(
        count(&results, StatusCode::UNAUTHORIZED) <= 3,
        "{results:?}"
    );
    assert_eq!(
        count(&results, StatusCode::UNAUTHORIZED) + count(&results, StatusCode::TOO_MANY_REQUESTS),
        30
    );
    // confirm, for a second user enrolling.
    let user = app.user().await;
    let setup = app.setup(&user.access_token).await;
    let secret = setup["secret"].as_str().unwrap().to_owned();
    let good = oathtool(&secret, now(&app));
    let bad = if good == "000000" { "111111" } else { "000000" };
    let results = at_once(
        (0..30)
            .map(|_| {
                app.client
                    .post(app.url("/mfa/setup/confirm"))
                    .bearer_auth(&user.access_token)
                    .json(&json!({ "code": bad }))
            })
            .collect(),
    )
    .await;
    assert!(count(&results, StatusCode::BAD_REQUEST) <= 3, "{results:?}");
}

#[tokio::test]
async fn verify_mfa_issues_a_device_token_too() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let challenge = app.challenge(&e.user).await;
    app.next_step();
    let resp = assert_status(
        app.verify_mfa(&challenge, &oathtool(&e.secret, now(&app)))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap().starts_with("twofold_device=")));
    let body = json_of(resp).await;
    let device = body["deviceToken"]
        .as_str()
        .expect("deviceToken")
        .to_owned();
    for _ in 0..10 {
        app.login(&e.user.email, "wrong password!").await;
    }
    // Its owner still gets through the password step (to the MFA challenge).
    let body = json_of(
        assert_status(
            app.login_with_device(&e.user.email, &e.user.password, &device)
                .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    assert_eq!(body["mfaRequired"], true);
    assert!(
        body.get("deviceToken").is_none(),
        "issued only once the login is complete"
    );
}
