//! Issue 18 (second review): see the README's "After the second review".

#[allow(unused_imports)]
use crate::helpers::*;

use reqwest::StatusCode;
use serde_json::{json, Value};

/// The user id of `token`'s owner.
async fn user_id(app: &TestApp, token: &str) -> String {
    json_of(app.me(token).await).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A code of the recovery shape that is none of `codes` but has the lookup tag of
/// `codes[0]` for `user_id` (found by trying: 1 in 65,536): the worst case for the
/// server, a wrong code it must hash.
fn wrong_code_with_a_real_tag(app: &TestApp, user_id: &str, codes: &[String]) -> String {
    let tag = |code: &str| {
        app.state
            .keys
            .tokens
            .hash("recovery-lookup", &format!("{user_id}\n{code}"))[..2]
            .to_vec()
    };
    let target = tag(&codes[0]);
    (0u64..)
        .map(|i| format!("{:08}", i).chars().rev().collect::<String>())
        .map(|digits| format!("z{}", &digits[..7]))
        .find(|c| tag(c) == target && !codes.contains(c))
        .unwrap()
}

#[tokio::test]
async fn a_wrong_recovery_code_costs_at_most_one_hash_and_a_non_code_none() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let uid = user_id(&app, &e.user.access_token).await;
    let worst = wrong_code_with_a_real_tag(&app, &uid, &e.recovery_codes);
    for (code, most) in [("zzzz9999", 0), (worst.as_str(), 1)] {
        // At the second step of a login, and on /mfa/disable.
        let challenge = app.challenge(&e.user).await;
        let before = app.state.argon.hashes_run();
        assert_error(
            app.verify_mfa(&challenge, code).await,
            StatusCode::UNAUTHORIZED,
            "invalid_code",
        )
        .await;
        let spent = app.state.argon.hashes_run() - before;
        assert!(spent <= most, "verify-mfa: {spent} hashes for {code}");
        let before = app.state.argon.hashes_run();
        assert_error(
            app.post(
                "/mfa/disable",
                json!({ "code": code }),
                Some(&e.user.access_token),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "invalid_code",
        )
        .await;
        let spent = app.state.argon.hashes_run() - before;
        assert!(spent <= most, "disable: {spent} hashes for {code}");
    }
    // The right code still works (one hash), and only once.
    let challenge = app.challenge(&e.user).await;
    let before = app.state.argon.hashes_run();
    assert_status(
        app.verify_mfa(&challenge, &e.recovery_codes[3]).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(app.state.argon.hashes_run() - before, 1);
    let challenge = app.challenge(&e.user).await;
    assert_error(
        app.verify_mfa(&challenge, &e.recovery_codes[3]).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
}

#[tokio::test]
async fn parallel_wrong_recovery_codes_are_admitted_against_the_lock_before_hashing() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let uid = user_id(&app, &e.user.access_token).await;
    let worst = wrong_code_with_a_real_tag(&app, &uid, &e.recovery_codes);
    let before = app.state.argon.hashes_run();
    let requests = (0..20)
        .map(|_| {
            app.client
                .post(app.url("/mfa/disable"))
                .bearer_auth(&e.user.access_token)
                .json(&json!({ "code": worst }))
        })
        .collect();
    let results = at_once(requests).await;
    let max = u64::from(app.settings.mfa_max_failures);
    let hashed = app.state.argon.hashes_run() - before;
    assert!(hashed <= max, "{hashed} hashes for 20 parallel wrong codes");
    assert!(
        count(&results, StatusCode::BAD_REQUEST) as u64 <= max,
        "{results:?}"
    );
    assert_eq!(
        count(&results, StatusCode::BAD_REQUEST) + count(&results, StatusCode::TOO_MANY_REQUESTS),
        20,
        "{results:?}"
    );
    // The manage purpose is now locked: even the right code waits.
    assert_error(
        app.post(
            "/mfa/disable",
            json!({ "code": e.recovery_codes[0] }),
            Some(&e.user.access_token),
        )
        .await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
}

#[tokio::test]
async fn a_first_passkey_finished_in_parallel_hashes_recovery_codes_once() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let origin = app.state.settings.public_url.clone().unwrap();
    let mut key = crate::authenticator::Authenticator::new(&origin);
    let start = json_of(
        assert_status(
            app.post(
                "/mfa/factors/passkey/register/start",
                json!({ "name": "key" }),
                Some(&user.access_token),
            )
            .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    let credential = key.register(&start["publicKey"]);
    let before = app.state.argon.hashes_run();
    let requests = (0..6)
        .map(|_| {
            app.client
                .post(app.url("/mfa/factors/passkey/register/finish"))
                .bearer_auth(&user.access_token)
                .json(
                    &json!({ "registrationId": start["registrationId"], "credential": credential }),
                )
        })
        .collect();
    let results = at_once(requests).await;
    assert_eq!(count(&results, StatusCode::OK), 1, "{results:?}");
    // One batch of ten codes was hashed: the replays were refused before any hashing.
    assert_eq!(app.state.argon.hashes_run() - before, 10, "{results:?}");
}

#[tokio::test]
async fn every_endpoint_that_hashes_shares_the_per_address_bucket() {
    use twofold::config::StringList;
    let app = TestApp::spawn_with(|s| {
        s.compat = StringList(vec!["rivergen".into()]);
        s.rate_limit_burst = 3;
    })
    .await;
    // register + login take two tokens; /mfa/setup does not hash.
    let user = app.user().await;
    let setup = app.setup(&user.access_token).await;
    let secret = setup["secret"].as_str().unwrap();
    let good = oathtool(secret, now(&app));
    let wrong = if good == "000000" { "111111" } else { "000000" };
    // The last token: a wrong confirm (which would hash ten codes when right).
    assert_error(
        app.confirm(&user.access_token, wrong).await,
        StatusCode::BAD_REQUEST,
        "invalid_code",
    )
    .await;
    for (path, body) in [
        ("/api/v1/mfa/setup/confirm", json!({ "code": good })),
        ("/api/v1/mfa/disable", json!({ "code": "abcd2345" })),
        (
            "/api/v1/mfa/recovery-codes/regenerate",
            json!({ "code": good }),
        ),
        ("/api/v1/mfa/totp/verify", json!({ "code": good })),
    ] {
        let resp = app
            .client
            .post(format!("{}{path}", app.address))
            .bearer_auth(&user.access_token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS, "{path}");
        assert!(resp.headers().contains_key("retry-after"), "{path}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_trusted_browser_login_is_no_proof_for_step_up_or_the_admin_api() {
    let app = TestApp::spawn_with(|s| s.remember_device_days = 30).await;
    let e = app.enrolled_user().await;
    let bin = |args: &[&str]| crate::operate::cli(&app, args);
    crate::operate::exits(&bin(&["admin", "grant", &e.user.email]), 0);
    // A code login that trusts this browser, then a password login presenting it.
    let first = app.remembered_login(&e, true).await;
    let device = first["deviceToken"].as_str().unwrap();
    let trusted = json_of(
        assert_status(
            app.login_with_device(&e.user.email, &e.user.password, device)
                .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    let access = trusted["accessToken"].as_str().unwrap().to_owned();
    let amr = crate::operate::claims_of(&access)["amr"].clone();
    assert!(
        amr.as_array().unwrap().iter().any(|a| a == "trusted"),
        "{amr}"
    );
    // Adding a thief's authenticator, the password, the last factor, the admin API: each
    // asks for a factor proven in this session first.
    let refused = [
        app.post(
            "/mfa/factors/totp",
            json!({ "name": "thief" }),
            Some(&access),
        )
        .await,
        app.post(
            "/auth/password",
            json!({ "currentPassword": e.user.password, "newPassword": "a whole new passphrase" }),
            Some(&access),
        )
        .await,
        app.get("/admin/users", Some(&access)).await,
    ];
    for resp in refused {
        let body = assert_error(resp, StatusCode::FORBIDDEN, "step_up_required").await;
        assert!(body["methods"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "totp"));
    }
    // A code proves it: then the same session may.
    app.next_step();
    let code = oathtool(&e.secret, now(&app));
    let stepped = app.step_up(&access, json!({ "code": code })).await;
    let amr = crate::operate::claims_of(&stepped)["amr"].clone();
    assert_eq!(amr, json!(["pwd", "otp", "mfa"]));
    assert_status(
        app.post(
            "/mfa/factors/totp",
            json!({ "name": "mine" }),
            Some(&stepped),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_status(
        app.get("/admin/users", Some(&stepped)).await,
        StatusCode::OK,
    )
    .await;
}

/// Whether `token` still works on the API.
async fn alive(app: &TestApp, token: &str) -> bool {
    app.me(token).await.status() == StatusCode::OK
}

#[tokio::test]
async fn every_way_mfa_turns_on_or_off_ends_the_other_sessions() {
    let app = TestApp::spawn().await;
    // On, with a first passkey: the other session (and its refresh token) ends.
    let user = app.user().await;
    let other = json_of(app.login(&user.email, &user.password).await).await;
    let other_access = other["accessToken"].as_str().unwrap();
    let origin = app.state.settings.public_url.clone().unwrap();
    let mut key = crate::authenticator::Authenticator::new(&origin);
    let start = json_of(
        assert_status(
            app.post(
                "/mfa/factors/passkey/register/start",
                json!({ "name": "key" }),
                Some(&user.access_token),
            )
            .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    let credential = key.register(&start["publicKey"]);
    let added = json_of(
        assert_status(
            app.post(
                "/mfa/factors/passkey/register/finish",
                json!({ "registrationId": start["registrationId"], "credential": credential }),
                Some(&user.access_token),
            )
            .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    assert!(
        alive(&app, &user.access_token).await,
        "the caller's own session stays"
    );
    assert!(
        !alive(&app, other_access).await,
        "MFA on: the other session ends"
    );
    assert_error(
        app.refresh(other["refreshToken"].as_str().unwrap()).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;

    // Off, by deleting the last factor: a second session signed in with the passkey ends.
    let challenge = app.challenge(&user).await;
    let options = json_of(
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
    .await;
    let assertion = key.assert(&options["publicKey"]);
    let second = json_of(
        assert_status(
            app.post(
                "/auth/verify-mfa",
                json!({ "mfaChallengeToken": challenge, "passkey": assertion }),
                None,
            )
            .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    let second_access = second["accessToken"].as_str().unwrap();
    let id = added["id"].as_str().unwrap();
    assert_status(
        app.request(
            reqwest::Method::DELETE,
            &format!("/mfa/factors/{id}"),
            None,
            Some(&user.access_token),
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert!(alive(&app, &user.access_token).await);
    assert!(
        !alive(&app, second_access).await,
        "MFA off: the other session ends"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_instance_on_an_old_master_key_refuses_to_seal_after_a_rotation() {
    let mut app = TestApp::spawn().await;
    let user = app.user().await;
    let enrolled = app.enrolled_user().await;
    let new_key = twofold::crypto::keys::MasterKey::generate_base64();
    let key_file = app.data_dir.path().join("new.key");
    std::fs::write(&key_file, &new_key).unwrap();
    crate::operate::exits(
        &crate::operate::cli(
            &app,
            &[
                "keys",
                "rotate-master",
                "--new-key-file",
                key_file.to_str().unwrap(),
            ],
        ),
        0,
    );
    // This instance still has only the old key: it seals nothing new under it.
    assert_error(
        app.post("/mfa/setup", json!({}), Some(&user.access_token))
            .await,
        StatusCode::SERVICE_UNAVAILABLE,
        "service_unavailable",
    )
    .await;
    assert_error(
        app.post(
            "/mfa/factors/totp",
            json!({ "name": "second" }),
            Some(&enrolled.user.access_token),
        )
        .await,
        StatusCode::SERVICE_UNAVAILABLE,
        "service_unavailable",
    )
    .await;
    let stale: Vec<i64> = app
        .state
        .store
        .sealed_values()
        .await
        .unwrap()
        .into_iter()
        .map(|v| v.key_id)
        .filter(|k| *k != 2)
        .collect();
    assert!(
        stale.is_empty(),
        "values sealed under an old key: {stale:?}"
    );
    // Restarted with the new key, enrollment works, and the next rotation is accepted.
    app.settings.master_key = Some(new_key.clone().into());
    let app = app.restart().await;
    let user = json_of(app.login(&user.email, &user.password).await).await;
    assert_status(
        app.post(
            "/mfa/setup",
            json!({}),
            Some(user["accessToken"].as_str().unwrap()),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let newer = app.data_dir.path().join("newer.key");
    std::fs::write(&newer, twofold::crypto::keys::MasterKey::generate_base64()).unwrap();
    crate::operate::exits(
        &crate::operate::cli(
            &app,
            &[
                "keys",
                "rotate-master",
                "--new-key-file",
                newer.to_str().unwrap(),
            ],
        ),
        0,
    );
}

/// Commits of the database writer so far, from a running binary's `/metrics`.
async fn commits(client: &reqwest::Client, metrics: &str) -> f64 {
    let text = client
        .get(format!("http://{metrics}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .filter(|l| l.starts_with("twofold_db_commit_duration_seconds_count"))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
        .sum()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_device_token_costs_known_and_unknown_emails_the_same_writes() {
    let dir = tempfile::tempdir().unwrap();
    let key = twofold::crypto::keys::MasterKey::generate_base64();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let metrics = format!("127.0.0.1:{port}");
    let (mut server, base) = start_binary(
        dir.path(),
        &[],
        &[
            ("TWOFOLD_MASTER_KEY", &key),
            ("TWOFOLD_METRICS_LISTEN", &metrics),
        ],
    );
    let client = reqwest::Client::new();
    let post = |path: &str, body: Value| client.post(format!("{base}{path}")).json(&body).send();
    let known = "known@example.com";
    let unknown = "nobody@example.com";
    let password = "correct horse battery staple";
    assert_eq!(
        post(
            "/auth/register",
            json!({ "email": known, "password": password })
        )
        .await
        .unwrap()
        .status(),
        StatusCode::CREATED
    );
    // Both addresses' untrusted budgets spent: locked.
    for email in [known, unknown] {
        for _ in 0..10 {
            post(
                "/auth/login",
                json!({ "email": email, "password": "wrong guess" }),
            )
            .await
            .unwrap();
        }
    }
    // A device token that is not theirs (another user's, or stolen and revoked): the
    // locked path must cost both addresses the same database work.
    let mut spent = Vec::new();
    for email in [known, unknown, known, unknown] {
        let before = commits(&client, &metrics).await;
        let resp = post(
            "/auth/login",
            json!({ "email": email, "password": "wrong guess", "deviceToken": "x".repeat(43) }),
        )
        .await
        .unwrap();
        assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS, "{email}");
        spent.push(commits(&client, &metrics).await - before);
    }
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(spent[0], spent[1], "known vs unknown: {spent:?}");
    assert_eq!(spent[2], spent[3], "known vs unknown: {spent:?}");
}

#[tokio::test]
async fn parallel_logins_with_one_trusted_browser_come_out_trusted_once() {
    let app = TestApp::spawn_with(|s| s.remember_device_days = 30).await;
    let e = app.enrolled_user().await;
    let first = app.remembered_login(&e, true).await;
    let device = first["deviceToken"].as_str().unwrap();
    let requests = (0..8)
        .map(|_| {
            app.client.post(app.url("/auth/login")).json(&json!({
                "email": e.user.email, "password": e.user.password, "deviceToken": device
            }))
        })
        .collect();
    let results = at_once(requests).await;
    assert_eq!(count(&results, StatusCode::OK), 8, "{results:?}");
    let trusted = results
        .iter()
        .filter(|(_, body)| body.contains("accessToken"))
        .count();
    let asked = results
        .iter()
        .filter(|(_, body)| body.contains("mfaChallengeToken"))
        .count();
    assert_eq!((trusted, asked), (1, 7), "{results:?}");
}
