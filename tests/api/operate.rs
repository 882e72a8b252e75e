//! Operating twofold (OPERATIONS.md): the admin API, the command line (break-glass MFA
//! reset, grants, import), key rotation, and their audit trail; on both backends.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;

/// Runs the `twofold` binary's `args` on the database and master key of `app`.
pub fn cli(app: &TestApp, args: &[&str]) -> std::process::Output {
    cli_with_key(app, app.settings.master_key.as_ref(), args)
}

pub fn cli_with_key(
    app: &TestApp,
    master_key: Option<&secrecy::SecretString>,
    args: &[&str],
) -> std::process::Output {
    use secrecy::ExposeSecret;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_twofold"));
    command
        .args(args)
        .env("TWOFOLD_DATA_DIR", app.data_dir.path())
        .env("TWOFOLD_ARGON2_MEMORY_KIB", "1024")
        .env("TWOFOLD_ARGON2_ITERATIONS", "1")
        .env("TWOFOLD_LOG", "warn")
        .env_remove("TWOFOLD_DATABASE_URL")
        .env_remove("TWOFOLD_MASTER_KEY");
    if let Some(url) = &app.settings.database_url {
        command.env("TWOFOLD_DATABASE_URL", url);
    }
    if let Some(key) = master_key {
        command.env("TWOFOLD_MASTER_KEY", key.expose_secret());
    }
    command.output().expect("the twofold binary runs")
}

/// Asserts an exit status and returns stdout.
pub fn exits(output: &std::process::Output, code: i32) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The claims of an access token (not verified: the server did that).
pub fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

pub fn kid_of(token: &str) -> String {
    let header = token.split('.').next().expect("a JWT");
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
    header["kid"].as_str().unwrap().to_owned()
}

async fn user_id(app: &TestApp, token: &str) -> String {
    let me = json_of(assert_status(app.me(token).await, StatusCode::OK).await).await;
    me["id"].as_str().unwrap().to_owned()
}

/// Logs `e` in with a fresh TOTP code; returns the token answer.
async fn mfa_login(app: &TestApp, e: &Enrolled) -> Value {
    app.next_step();
    let challenge = app.challenge(&e.user).await;
    let code = oathtool(&e.secret, now(app));
    json_of(assert_status(app.verify_mfa(&challenge, &code).await, StatusCode::OK).await).await
}

/// An enrolled user made admin by the CLI, logged in with two factors: its access token.
async fn admin(app: &TestApp) -> (Enrolled, String) {
    let e = app.enrolled_user().await;
    exits(&cli(app, &["admin", "grant", &e.user.email]), 0);
    let tokens = mfa_login(app, &e).await;
    let token = tokens["accessToken"].as_str().unwrap().to_owned();
    (e, token)
}

#[tokio::test(flavor = "multi_thread")]
async fn break_glass_mfa_reset_from_the_cli() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let second = mfa_login(&app, &e).await;
    let old_refresh = second["refreshToken"].as_str().unwrap().to_owned();
    let old_access = second["accessToken"].as_str().unwrap().to_owned();

    // Misuse is exit status 2; an unknown user is a failure (1); nothing changed.
    exits(&cli(&app, &["admin", "mfa", "reset", &e.user.email]), 2);
    let unknown = cli(
        &app,
        &[
            "admin",
            "mfa",
            "reset",
            "nobody@example.com",
            "--reason",
            "x",
        ],
    );
    exits(&unknown, 1);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no user"));
    assert_status(app.me(&old_access).await, StatusCode::OK).await;

    exits(
        &cli(
            &app,
            &[
                "admin",
                "mfa",
                "reset",
                &e.user.email,
                "--reason",
                "lost phone and codes",
            ],
        ),
        0,
    );

    // Every old session is dead.
    assert_error(
        app.me(&old_access).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_error(
        app.me(&e.user.access_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_error(
        app.refresh(&old_refresh).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;

    // The password alone logs in now; MFA is off and must be enrolled again.
    let body = json_of(
        assert_status(
            app.login(&e.user.email, &e.user.password).await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    assert!(
        body.get("mfaRequired").is_none() || body["mfaRequired"] == false,
        "{body}"
    );
    let token = body["accessToken"].as_str().unwrap().to_owned();
    let status = json_of(app.get("/mfa/status", Some(&token)).await).await;
    assert_eq!(status["enabled"], false);
    assert_eq!(status["recoveryCodesRemaining"], 0);

    // Enrolling again: the old recovery codes are dead.
    app.next_step();
    let setup = app.setup(&token).await;
    let secret = setup["secret"].as_str().unwrap().to_owned();
    assert_ne!(secret, e.secret);
    assert_status(
        app.confirm(&token, &oathtool(&secret, now(&app))).await,
        StatusCode::OK,
    )
    .await;
    let challenge = app.challenge(&e.user).await;
    assert_error(
        app.verify_mfa(&challenge, &e.recovery_codes[0]).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;

    // Audited with its actor and reason.
    let events = json_of(app.get("/audit?limit=200", Some(&token)).await).await;
    let reset = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "admin.mfa.reset")
        .expect("admin.mfa.reset audited")
        .clone();
    assert_eq!(reset["details"]["actorId"], "cli");
    assert_eq!(reset["details"]["reason"], "lost phone and codes");
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_api_requires_an_admin_with_two_factors() {
    let app = TestApp::spawn().await;
    let plain = app.user().await;
    assert_error(
        app.get("/admin/users", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_error(
        app.get("/admin/users", Some(&plain.access_token)).await,
        StatusCode::FORBIDDEN,
        "admin_required",
    )
    .await;

    // An admin with a password-only session is refused too.
    exits(&cli(&app, &["admin", "grant", &plain.email]), 0);
    let body = json_of(app.login(&plain.email, &plain.password).await).await;
    let one_factor = body["accessToken"].as_str().unwrap();
    assert_eq!(claims_of(one_factor)["roles"], json!(["admin"]));
    assert_error(
        app.get("/admin/users", Some(one_factor)).await,
        StatusCode::FORBIDDEN,
        "admin_required",
    )
    .await;

    let (admin_user, token) = admin(&app).await;
    assert_eq!(claims_of(&token)["roles"], json!(["admin"]));
    assert!(claims_of(&token)["amr"]
        .as_array()
        .unwrap()
        .contains(&json!("mfa")));
    let users = json_of(
        assert_status(
            app.get("/admin/users?limit=200", Some(&token)).await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    let listed = users["users"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    let mine = listed
        .iter()
        .find(|u| u["email"] == admin_user.user.email.as_str())
        .unwrap();
    assert_eq!(mine["mfaEnabled"], true);
    assert_eq!(mine["roles"], json!(["admin"]));
    assert!(mine["lastLoginAt"].is_string());
    assert_eq!(users["next"], Value::Null);

    // Pages by cursor, filtered by prefix.
    let first = json_of(app.get("/admin/users?limit=1", Some(&token)).await).await;
    let next = first["next"].as_str().expect("a next cursor").to_owned();
    let second = json_of(
        app.get(&format!("/admin/users?limit=1&after={next}"), Some(&token))
            .await,
    )
    .await;
    assert_ne!(first["users"][0]["id"], second["users"][0]["id"]);
    let prefix = &plain.email[..12];
    let filtered = json_of(
        app.get(&format!("/admin/users?email={prefix}"), Some(&token))
            .await,
    )
    .await;
    assert_eq!(filtered["users"].as_array().unwrap().len(), 1);
    assert_error(
        app.get("/admin/users?limit=201", Some(&token)).await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;

    // The target: an enrolled user.
    let target = app.enrolled_user().await;
    let target_id = user_id(&app, &target.user.access_token).await;
    let shown = json_of(
        assert_status(
            app.get(&format!("/admin/users/{target_id}"), Some(&token))
                .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    assert_eq!(shown["email"], target.user.email.as_str());
    assert_eq!(shown["mfa"]["enabled"], true);
    assert_eq!(shown["mfa"]["recoveryCodesRemaining"], 10);
    assert_eq!(shown["sessions"], 1);
    assert_error(
        app.get("/admin/users/no-such-user", Some(&token)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Disable: no login, sessions revoked; enable again.
    let path = |action: &str| format!("/admin/users/{target_id}/{action}");
    assert_status(
        app.post(&path("disable"), json!({"reason": "abuse"}), Some(&token))
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_error(
        app.me(&target.user.access_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_error(
        app.login(&target.user.email, &target.user.password).await,
        StatusCode::FORBIDDEN,
        "account_disabled",
    )
    .await;
    assert_status(
        app.post(&path("enable"), json!({"reason": "appeal"}), Some(&token))
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    let challenge = app.challenge(&target.user).await;

    // Unlock: three wrong codes lock the login; the admin clears it.
    for _ in 0..3 {
        app.verify_mfa(&challenge, "000000").await;
    }
    app.next_step();
    let code = oathtool(&target.secret, now(&app));
    assert_error(
        app.verify_mfa(&challenge, &code).await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
    assert_status(
        app.post(&path("unlock"), json!({}), Some(&token)).await,
        StatusCode::NO_CONTENT,
    )
    .await;
    let session =
        json_of(assert_status(app.verify_mfa(&challenge, &code).await, StatusCode::OK).await).await;
    let target_token = session["accessToken"].as_str().unwrap().to_owned();

    // Revoke its sessions.
    let revoked = json_of(
        assert_status(
            app.post(&path("sessions/revoke"), json!({}), Some(&token))
                .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    assert_eq!(revoked["revoked"], 1);
    assert_error(
        app.me(&target_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;

    // Audited on the target's trail and the admin's, with the actor.
    let admin_id = user_id(&app, &token).await;
    let disabled = json_of(
        app.get(
            &format!("/admin/audit?userId={target_id}&type=admin.user.disabled"),
            Some(&token),
        )
        .await,
    )
    .await;
    let event = &disabled["events"][0];
    assert_eq!(event["userId"], target_id.as_str());
    assert_eq!(event["details"]["actorId"], admin_id.as_str());
    assert_eq!(event["details"]["reason"], "abuse");
    let on_admin = json_of(
        app.get(
            &format!("/admin/audit?userId={admin_id}&type=admin.action"),
            Some(&token),
        )
        .await,
    )
    .await;
    let actions: Vec<&str> = on_admin["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["details"]["action"].as_str().unwrap())
        .collect();
    for action in [
        "admin.user.disabled",
        "admin.user.enabled",
        "admin.user.unlocked",
        "admin.sessions.revoked",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }

    // Delete: gone, but its audit trail is kept.
    assert_status(
        app.request(
            Method::DELETE,
            &format!("/admin/users/{target_id}"),
            None,
            Some(&token),
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_error(
        app.get(&format!("/admin/users/{target_id}"), Some(&token))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let kept = json_of(
        app.get(
            &format!("/admin/audit?userId={target_id}&limit=200"),
            Some(&token),
        )
        .await,
    )
    .await;
    let types: Vec<&str> = kept["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert!(
        types.contains(&"admin.user.deleted") && types.contains(&"auth.register"),
        "{types:?}"
    );
    assert_error(
        app.login(&target.user.email, &target.user.password).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;

    // A revoked grant takes effect at once, even for a token that still says admin.
    exits(&cli(&app, &["admin", "revoke", &admin_user.user.email]), 0);
    assert_error(
        app.get("/admin/users", Some(&token)).await,
        StatusCode::FORBIDDEN,
        "admin_required",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_lists_shows_and_audits_users() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let list = exits(&cli(&app, &["admin", "user", "list", "--json"]), 0);
    let rows: Vec<Value> = list
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["email"], e.user.email.as_str());
    assert_eq!(rows[0]["mfaEnabled"], true);
    let table = exits(&cli(&app, &["admin", "user", "list"]), 0);
    assert!(
        table.starts_with("ID") && table.contains(&e.user.email),
        "{table}"
    );
    let shown: Value = serde_json::from_str(&exits(
        &cli(&app, &["admin", "user", "show", &e.user.email]),
        0,
    ))
    .unwrap();
    assert_eq!(shown["mfa"]["recoveryCodesRemaining"], 10);
    exits(
        &cli(
            &app,
            &[
                "admin",
                "user",
                "disable",
                &e.user.email,
                "--reason",
                "test",
            ],
        ),
        0,
    );
    assert_error(
        app.login(&e.user.email, &e.user.password).await,
        StatusCode::FORBIDDEN,
        "account_disabled",
    )
    .await;
    exits(
        &cli(
            &app,
            &["admin", "user", "enable", &e.user.email, "--reason", "test"],
        ),
        0,
    );
    app.challenge(&e.user).await;
    let audit = exits(
        &cli(
            &app,
            &[
                "admin",
                "audit",
                "--email",
                &e.user.email,
                "--json",
                "--limit",
                "100",
            ],
        ),
        0,
    );
    let types: Vec<String> = audit
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert!(
        types.contains(&"admin.user.disabled".to_owned()),
        "{types:?}"
    );
    exits(&cli(&app, &["admin", "user", "delete", &e.user.email]), 0);
    exits(&cli(&app, &["admin", "user", "show", &e.user.email]), 1);
    exits(&cli(&app, &["admin", "user", "frobnicate"]), 2);
    exits(&cli(&app, &["check-config"]), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn imported_authenticators_log_in_with_their_codes() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    let file = app.data_dir.path().join("import.txt");
    std::fs::write(
        &file,
        format!(
            "# moved from Other\n{} otpauth://totp/Other:{}?secret={secret}&issuer=Other\n\
             nobody@example.com otpauth://totp/x?secret={secret}\n\
             {} otpauth://totp/x?secret={secret}&digits=8\n",
            user.email, user.email, user.email
        ),
    )
    .unwrap();
    let output = cli(&app, &["import", "totp", file.to_str().unwrap()]);
    let stdout = exits(&output, 1);
    assert!(
        stdout.contains(&format!("line 2: {}: imported", user.email)),
        "{stdout}"
    );
    assert!(
        stdout.contains("line 3: nobody@example.com: skipped: no such user"),
        "{stdout}"
    );
    assert!(
        stdout.contains("line 4") && stdout.contains("skipped"),
        "{stdout}"
    );
    assert!(!stdout.contains(secret), "the secret is never printed");

    app.next_step();
    let challenge = app.challenge(&user).await;
    let code = oathtool(secret, now(&app));
    let tokens =
        json_of(assert_status(app.verify_mfa(&challenge, &code).await, StatusCode::OK).await).await;
    let status = json_of(app.get("/mfa/status", tokens["accessToken"].as_str()).await).await;
    assert_eq!(status["enabled"], true);
    assert_eq!(status["recoveryCodesRemaining"], 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rotated_signing_key_keeps_old_tokens_until_they_expire() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let old_kid = kid_of(&user.access_token);
    exits(&cli(&app, &["keys", "rotate-signing"]), 0);
    twofold::service::keys::reload(&app.state).await.unwrap();

    let jwks = json_of(app.get("/.well-known/jwks.json", None).await).await;
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    // Both algorithms rotate together: the old Ed25519 and RSA keys stay published.
    assert_eq!(kids.len(), 4, "{kids:?}");
    let rsa = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["alg"] == "RS256")
        .count();
    assert_eq!(rsa, 2, "{jwks}");
    assert!(kids.contains(&old_kid.as_str()));
    assert_status(app.me(&user.access_token).await, StatusCode::OK).await;
    let fresh = json_of(app.login(&user.email, &user.password).await).await;
    let fresh = fresh["accessToken"].as_str().unwrap().to_owned();
    assert_ne!(kid_of(&fresh), old_kid);
    assert!(kids.contains(&kid_of(&fresh).as_str()));

    // Once every token of the old key has expired, the key leaves the JWKS.
    app.clock.advance(app.settings.access_token_ttl + 1);
    twofold::service::keys::reload(&app.state).await.unwrap();
    let jwks = json_of(app.get("/.well-known/jwks.json", None).await).await;
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    // The new Ed25519 key and the new RSA key.
    assert_eq!(kids.len(), 2, "{kids:?}");
    assert_eq!(kids[0], kid_of(&fresh));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rotated_master_key_reseals_everything_and_keeps_tokens_and_codes() {
    let mut app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let tokens = mfa_login(&app, &e).await;
    let refresh = tokens["refreshToken"].as_str().unwrap().to_owned();
    let old_key = app.settings.master_key.clone();

    // A missing or malformed new key changes nothing.
    let new_key = twofold::crypto::keys::MasterKey::generate_base64();
    let key_file = app.data_dir.path().join("new.key");
    let missing = app.data_dir.path().join("missing.key");
    exits(
        &cli(
            &app,
            &[
                "keys",
                "rotate-master",
                "--new-key-file",
                missing.to_str().unwrap(),
            ],
        ),
        1,
    );
    std::fs::write(&key_file, "not a key").unwrap();
    exits(
        &cli(
            &app,
            &[
                "keys",
                "rotate-master",
                "--new-key-file",
                key_file.to_str().unwrap(),
            ],
        ),
        1,
    );
    std::fs::write(&key_file, &new_key).unwrap();
    let sealed = |app: &TestApp| {
        let store = std::sync::Arc::clone(&app.state.store);
        async move {
            let values: Vec<(i64, Vec<u8>)> = store
                .sealed_values()
                .await
                .unwrap()
                .into_iter()
                .map(|v| (v.key_id, v.sealed))
                .collect();
            (values, store.master_keys().await.unwrap().len())
        }
    };
    let before = sealed(&app).await;
    // The current key given as the new one is refused.
    let same = app.data_dir.path().join("same.key");
    {
        use secrecy::ExposeSecret;
        std::fs::write(&same, old_key.as_ref().unwrap().expose_secret()).unwrap();
    }
    exits(
        &cli(
            &app,
            &[
                "keys",
                "rotate-master",
                "--new-key-file",
                same.to_str().unwrap(),
            ],
        ),
        1,
    );
    assert!(
        sealed(&app).await == before,
        "a refused rotation wrote nothing"
    );

    exits(
        &cli(
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
    let after = sealed(&app).await;
    assert_eq!(after.1, 2, "the new master key is recorded");
    assert!(
        after.0.iter().all(|(key_id, _)| *key_id == 2),
        "every value re-sealed"
    );
    assert!(after.0.iter().all(|v| !before.0.contains(v)));
    // Done again with the old key as the current one: refused (it is not current any more).
    let wrong = cli(
        &app,
        &[
            "keys",
            "rotate-master",
            "--new-key-file",
            same.to_str().unwrap(),
        ],
    );
    exits(&wrong, 1);
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("not this database's current master key"),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );

    // An instance still running with the old key refuses to use the re-sealed secrets
    // (503, nothing changed) until it is restarted with the new key.
    app.next_step();
    let challenge = app.challenge(&e.user).await;
    assert_error(
        app.verify_mfa(&challenge, &oathtool(&e.secret, now(&app)))
            .await,
        StatusCode::SERVICE_UNAVAILABLE,
        "service_unavailable",
    )
    .await;

    // The service starts with the new key only.
    app.settings.master_key = Some(new_key.clone().into());
    let app = app.restart().await;
    let mut with_old = app.settings.clone();
    with_old.master_key = old_key;
    let refused = twofold::startup::Application::build(with_old).await;
    assert!(
        refused.is_err(),
        "the old master key no longer opens the database"
    );

    // The TOTP secret (re-sealed), refresh tokens and recovery codes (carried keys) work.
    mfa_login(&app, &e).await;
    assert_status(app.refresh(&refresh).await, StatusCode::OK).await;
    let challenge = app.challenge(&e.user).await;
    assert_status(
        app.verify_mfa(&challenge, &e.recovery_codes[0]).await,
        StatusCode::OK,
    )
    .await;
    exits(&cli(&app, &["check-config"]), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_master_key_file_rotated_by_the_cli_is_picked_up_under_load_without_a_restart() {
    // The embedded default: the key is the data folder's master.key.
    let app = std::sync::Arc::new(TestApp::spawn_with(|s| s.master_key = None).await);
    let users = [app.enrolled_user().await, app.enrolled_user().await];
    let newcomer = app.user().await;

    // Load during the rotation: enrollment starts (sealing) and status reads.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load = {
        let (app, stop, token) = (
            std::sync::Arc::clone(&app),
            std::sync::Arc::clone(&stop),
            newcomer.access_token.clone(),
        );
        tokio::spawn(async move {
            let mut answers = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                answers.push(
                    app.post("/mfa/setup", json!({}), Some(&token))
                        .await
                        .status(),
                );
                answers.push(app.get("/mfa/status", Some(&token)).await.status());
            }
            answers
        })
    };
    let key_file = app.data_dir.path().join("new.key");
    let new_key = twofold::crypto::keys::MasterKey::generate_base64();
    std::fs::write(&key_file, &new_key).unwrap();
    let app2 = std::sync::Arc::clone(&app);
    let output = tokio::task::spawn_blocking(move || {
        cli_with_key(
            &app2,
            None,
            &[
                "keys",
                "rotate-master",
                "--new-key-file",
                key_file.to_str().unwrap(),
            ],
        )
    })
    .await
    .unwrap();
    let stdout = exits(&output, 0);
    assert!(stdout.contains("switch to it by themselves"), "{stdout}");
    // A few more requests after the commit, then stop.
    let settled = app.get("/mfa/status", Some(&newcomer.access_token)).await;
    assert_eq!(settled.status(), StatusCode::OK);
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let answers = load.await.unwrap();
    assert!(!answers.is_empty());
    assert!(
        answers.iter().all(|s| *s == StatusCode::OK),
        "a request failed: {answers:?}"
    );
    let stored = std::fs::read_to_string(app.data_dir.path().join("master.key")).unwrap();
    assert_eq!(stored.trim(), new_key.trim());
    assert!(!app.data_dir.path().join("master.key.next").exists());

    // The running instance opens the re-sealed secrets: TOTP logins, no restart.
    for e in &users {
        mfa_login(&app, e).await;
    }
    // The setup sealed during the rotation (under either key) is confirmed.
    let setup = app.setup(&newcomer.access_token).await;
    let secret = setup["secret"].as_str().unwrap().to_owned();
    assert_status(
        app.confirm(&newcomer.access_token, &oathtool(&secret, now(&app)))
            .await,
        StatusCode::OK,
    )
    .await;
    let sealed = app.state.store.sealed_values().await.unwrap();
    assert!(
        sealed.iter().any(|v| v.key_id == 2),
        "values are under the new key"
    );
}

/// OIDC.md "Clients": the CLI and the admin API register, show, change, give a new secret
/// to and remove clients through the same service; a secret is shown once, kept as a
/// keyed hash, and works at the token endpoint only until it is replaced.
#[tokio::test(flavor = "multi_thread")]
async fn clients_by_the_cli_and_the_admin_api() {
    use crate::oidc::{code, exchange, Rp, REDIRECT};
    let app = TestApp::spawn().await;
    let out = exits(
        &cli(
            &app,
            &[
                "clients",
                "add",
                "--name",
                "Grafana",
                "--redirect-uri",
                REDIRECT,
                "--post-logout-redirect-uri",
                "https://app.example/bye",
                "--first-party",
            ],
        ),
        0,
    );
    let field = |name: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}: ")))
            .unwrap_or_else(|| panic!("no {name} in {out}"))
            .to_owned()
    };
    let (id, secret) = (field("client_id"), field("client_secret"));
    assert!(
        secret.len() >= 43
            && secret
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    let list = exits(&cli(&app, &["clients", "list"]), 0);
    assert!(list.contains(&id) && list.contains("Grafana") && !list.contains(&secret));
    let shown = exits(&cli(&app, &["clients", "show", &id]), 0);
    assert!(shown.contains(REDIRECT) && !shown.contains(&secret));
    // The secret works; after rotate-secret only the new one does.
    let user = app.user().await;
    let rp = Rp {
        id: id.clone(),
        secret: Some(secret.clone()),
    };
    let c = code(&app, &rp, &user.access_token).await;
    assert_status(exchange(&app, &rp, &c).await, StatusCode::OK).await;
    let rotated = exits(&cli(&app, &["clients", "rotate-secret", &id]), 0);
    let new_secret = rotated
        .lines()
        .find_map(|l| l.strip_prefix("client_secret: "))
        .unwrap()
        .to_owned();
    let c = code(&app, &rp, &user.access_token).await;
    assert_eq!(
        exchange(&app, &rp, &c).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let rp = Rp {
        id: id.clone(),
        secret: Some(new_secret),
    };
    let c = code(&app, &rp, &user.access_token).await;
    let tokens = json_of(assert_status(exchange(&app, &rp, &c).await, StatusCode::OK).await).await;
    // Bad registrations are refused with the reason.
    let bad = cli(
        &app,
        &[
            "clients",
            "add",
            "--name",
            "X",
            "--redirect-uri",
            "http://app.example/cb",
        ],
    );
    assert_eq!(bad.status.code(), Some(1), "{bad:?}");

    // The admin API: two factors, an admin, a recent sign-in.
    let (_, admin_token) = admin(&app).await;
    let t = Some(admin_token.as_str());
    assert_status(
        app.get("/admin/clients", Some(&user.access_token)).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let listed =
        json_of(assert_status(app.get("/admin/clients", t).await, StatusCode::OK).await).await;
    assert_eq!(listed["clients"][0]["clientId"], id.as_str());
    assert!(listed["clients"][0].get("clientSecret").is_none());
    let made = json_of(
        assert_status(
            app.post(
                "/admin/clients",
                json!({ "name": "Forgejo", "redirectUris": ["https://git.example/user/oauth2/twofold/callback"], "requireMfa": true }),
                t,
            )
            .await,
            StatusCode::CREATED,
        )
        .await,
    )
    .await;
    let forgejo = made["clientId"].as_str().unwrap().to_owned();
    assert!(made["clientSecret"].as_str().unwrap().len() >= 43);
    assert_eq!(made["requireMfa"], true);
    assert_eq!(made["idTokenAlg"], "RS256");
    assert_error(
        app.post(
            "/admin/clients",
            json!({ "name": "Bad", "redirectUris": ["https://x.example/cb#frag"] }),
            t,
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    let changed = app
        .request(
            reqwest::Method::PATCH,
            &format!("/admin/clients/{forgejo}"),
            Some(json!({ "name": "Forgejo 2", "redirectUris": ["https://git.example/cb"] })),
            t,
        )
        .await;
    let changed = json_of(assert_status(changed, StatusCode::OK).await).await;
    assert_eq!(changed["name"], "Forgejo 2");
    let again = json_of(
        assert_status(
            app.post(&format!("/admin/clients/{forgejo}/secret"), json!({}), t)
                .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    assert!(again["clientSecret"].is_string());
    // Removing the CLI's client ends what it holds.
    assert_status(
        app.request(
            reqwest::Method::DELETE,
            &format!("/admin/clients/{id}"),
            None,
            t,
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_eq!(
        crate::oidc::userinfo(&app, tokens["access_token"].as_str().unwrap())
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_status(
        app.get(&format!("/admin/clients/{id}"), t).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}
