//! Issue 8's probes of the running service, and failing closed: challenges and setups
//! that outlive an MFA change, one form per email address, the setup/confirm race, the
//! supervised SQLite writer, the sweep, and file permissions.

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use twofold::service::sweep::sweep_once;

use crate::helpers::*;

#[tokio::test]
async fn a_challenge_from_before_mfa_was_disabled_is_dead_after_re_enrolling() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let old_challenge = app.challenge(&e.user).await;
    app.next_step();
    let code = oathtool(&e.secret, now(&app));
    assert_status(
        app.post(
            "/mfa/disable",
            json!({ "code": code }),
            Some(&e.user.access_token),
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    let setup = app.setup(&e.user.access_token).await;
    let secret = setup["secret"].as_str().unwrap().to_owned();
    app.next_step();
    let codes = json_of(
        assert_status(
            app.confirm(&e.user.access_token, &oathtool(&secret, now(&app)))
                .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    let recovery = codes["recoveryCodes"][0].as_str().unwrap();
    assert_error(
        app.verify_mfa(&old_challenge, recovery).await,
        StatusCode::UNAUTHORIZED,
        "invalid_challenge",
    )
    .await;
}

#[tokio::test]
async fn a_setup_racing_a_confirm_never_both_succeed() {
    let app = TestApp::spawn().await;
    for _ in 0..8 {
        let user = app.user().await;
        let setup = app.setup(&user.access_token).await;
        let secret = setup["secret"].as_str().unwrap().to_owned();
        let code = oathtool(&secret, now(&app));
        let barrier = Arc::new(tokio::sync::Barrier::new(2));
        let (b1, b2) = (barrier.clone(), barrier);
        let (c1, c2) = (app.client.clone(), app.client.clone());
        let (u1, u2) = (app.url("/mfa/setup/confirm"), app.url("/mfa/setup"));
        let (t1, t2) = (user.access_token.clone(), user.access_token.clone());
        let confirm = tokio::spawn(async move {
            b1.wait().await;
            let r = c1
                .post(u1)
                .bearer_auth(t1)
                .json(&json!({ "code": code }))
                .send();
            r.await.unwrap().status()
        });
        let restart = tokio::spawn(async move {
            b2.wait().await;
            c2.post(u2)
                .bearer_auth(t2)
                .json(&json!({}))
                .send()
                .await
                .unwrap()
                .status()
        });
        let (confirmed, restarted) = (confirm.await.unwrap(), restart.await.unwrap());
        assert!(
            !(confirmed == StatusCode::OK && restarted == StatusCode::OK),
            "both answered 200: the new setup's secret would be silently lost"
        );
        let status = json_of(app.get("/mfa/status", Some(&user.access_token)).await).await;
        if confirmed == StatusCode::OK {
            assert_eq!(restarted, StatusCode::CONFLICT);
            assert_eq!(status["pendingSetup"], false, "{status}");
        } else {
            assert_eq!(restarted, StatusCode::OK);
            assert_eq!(status["enabled"], false, "{status}");
        }
    }
}

#[tokio::test]
async fn one_address_has_one_account_whatever_its_unicode_form() {
    let app = TestApp::spawn().await;
    let password = "long enough password";
    assert_status(
        app.register("us\u{e9}r@ex\u{e4}mple.com", password).await,
        StatusCode::CREATED,
    )
    .await;
    for same in [
        "use\u{301}r@ex\u{e4}mple.com",
        "US\u{c9}R@xn--exmple-cua.com",
        "us\u{e9}r@EXA\u{308}MPLE.com",
    ] {
        assert_error(
            app.register(same, password).await,
            StatusCode::CONFLICT,
            "email_taken",
        )
        .await;
        assert_status(app.login(same, password).await, StatusCode::OK).await;
    }
    for hidden in [
        "a\u{200b}b@example.com",
        "\u{feff}ab@example.com",
        "ab\u{202e}moc@example.com",
        "a\u{e000}@example.com",
        "a\u{e0041}@example.com",
        "\u{ff41}b@example.com",
    ] {
        let body = assert_error(
            app.register(hidden, password).await,
            StatusCode::BAD_REQUEST,
            "invalid_input",
        )
        .await;
        assert_eq!(body["details"][0]["field"], "email");
    }
}

#[tokio::test]
async fn a_password_typed_on_another_keyboard_still_matches() {
    let app = TestApp::spawn().await;
    assert_status(
        app.register("k@example.com", "caf\u{e9} au lait 42").await,
        StatusCode::CREATED,
    )
    .await;
    assert_status(
        app.login("k@example.com", "cafe\u{301} au lait \u{ff14}\u{ff12}")
            .await,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn device_names_refuse_control_and_bidi_characters() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    for bad in ["Pixel\u{202e}9", "Pixel\u{0007}", "Pix\u{200b}el"] {
        let body = assert_error(
            app.post(
                "/mfa/setup",
                json!({ "deviceName": bad }),
                Some(&user.access_token),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "invalid_input",
        )
        .await;
        assert_eq!(body["details"][0]["field"], "deviceName");
    }
}

async fn ready(app: &TestApp) -> StatusCode {
    app.get("/readyz", None).await.status()
}

#[tokio::test]
async fn sqlite_only_a_dead_writer_makes_readyz_fail_until_it_is_restarted() {
    // PostgreSQL has no writer task; its outages are in multi_instance.
    sqlite_only();
    let app = TestApp::spawn().await;
    assert_eq!(ready(&app).await, StatusCode::OK);
    app.state.store.crash_writer_for_tests(true).await;
    assert_eq!(ready(&app).await, StatusCode::SERVICE_UNAVAILABLE);
    assert_error(
        app.register("w@example.com", "long enough password").await,
        StatusCode::SERVICE_UNAVAILABLE,
        "service_unavailable",
    )
    .await;
    app.state.store.release_writer_for_tests();
    let mut status = StatusCode::SERVICE_UNAVAILABLE;
    for _ in 0..500 {
        status = ready(&app).await;
        if status == StatusCode::OK {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(status, StatusCode::OK, "the writer was restarted");
    assert_status(
        app.register("w@example.com", "long enough password").await,
        StatusCode::CREATED,
    )
    .await;
    assert_status(
        app.login("w@example.com", "long enough password").await,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn the_sweep_deletes_what_has_ended_and_keeps_what_lives() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let live = app.user().await;
    let _challenge = app.challenge(&e.user).await;
    assert_status(
        app.logout(&e.user.access_token).await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert!(
        sweep_once(&app.state).await.unwrap() > 0,
        "the revoked session"
    );
    app.clock.advance(301); // the challenge expired
    assert!(sweep_once(&app.state).await.unwrap() > 0, "the challenge");
    assert_status(app.me(&live.access_token).await, StatusCode::OK).await;
    assert_status(app.refresh(&live.refresh_token).await, StatusCode::OK).await;
    // After the retention period, audit events go too; a second sweep finds nothing.
    app.clock.advance(400 * 24 * 3600 + 1);
    assert!(sweep_once(&app.state).await.unwrap() > 0);
    assert_eq!(sweep_once(&app.state).await.unwrap(), 0);
}

#[cfg(unix)]
#[tokio::test]
async fn sqlite_only_the_data_folder_and_database_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    sqlite_only();
    let parent = tempfile::tempdir().unwrap();
    let data = parent.path().join("data");
    let mut settings = test_settings(&parent);
    settings.data_dir = data.clone();
    settings.master_key = None;
    let app = TestApp::start(settings, Arc::new(parent), Default::default()).await;
    app.user().await;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    for file in ["twofold.db", "twofold.db-wal", "master.key"] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
    // A master key readable by others is refused at start.
    std::fs::set_permissions(
        data.join("master.key"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let mut settings = app.settings.clone();
    settings.listen = "127.0.0.1:0".into();
    let err = twofold::startup::Application::build(settings)
        .await
        .err()
        .expect("refused");
    assert!(
        format!("{err:#}").contains("readable by group or others"),
        "{err:#}"
    );
}

#[tokio::test]
async fn sqlite_only_a_single_use_decision_that_cannot_be_written_fails_closed() {
    // The PostgreSQL outage test is multi_instance::unreachable_database_*.
    sqlite_only();
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let challenge = app.challenge(&e.user).await;
    app.next_step();
    let code = oathtool(&e.secret, now(&app));
    app.state.store.crash_writer_for_tests(true).await;
    for proof in [code.as_str(), e.recovery_codes[0].as_str()] {
        assert_error(
            app.verify_mfa(&challenge, proof).await,
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable",
        )
        .await;
    }
    app.state.store.release_writer_for_tests();
    for _ in 0..500 {
        if ready(&app).await == StatusCode::OK {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Nothing was spent: the same challenge and code now succeed, once.
    assert_status(app.verify_mfa(&challenge, &code).await, StatusCode::OK).await;
    assert_error(
        app.verify_mfa(&challenge, &code).await,
        StatusCode::UNAUTHORIZED,
        "invalid_challenge",
    )
    .await;
}

#[tokio::test]
async fn one_challenge_answered_twice_at_once_starts_one_session() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    for round in 0..5 {
        let challenge = app.challenge(&e.user).await;
        app.next_step();
        let totp = oathtool(&e.secret, now(&app));
        let recovery = &e.recovery_codes[round];
        // Two different proofs, both valid: only the challenge can tell them apart.
        let results = at_once(
            [totp.as_str(), recovery.as_str()]
                .iter()
                .map(|code| {
                    app.client
                        .post(app.url("/auth/verify-mfa"))
                        .json(&json!({ "mfaChallengeToken": challenge, "code": code }))
                })
                .collect(),
        )
        .await;
        assert_eq!(count(&results, StatusCode::OK), 1, "{results:?}");
        let loser = results.iter().find(|(s, _)| *s != StatusCode::OK).unwrap();
        assert_eq!(loser.0, StatusCode::UNAUTHORIZED, "{results:?}");
        assert!(loser.1.contains("invalid_challenge"), "{results:?}");
    }
    // A losing recovery code was not spent: the codes used equal the recovery wins.
    let status = json_of(app.get("/mfa/status", Some(&e.user.access_token)).await).await;
    let types = app.audit_types(&e.user.access_token).await;
    let used = types
        .iter()
        .filter(|t| *t == "auth.mfa.recovery_code.used")
        .count();
    assert_eq!(status["recoveryCodesRemaining"], 10 - used, "{status}");
}
