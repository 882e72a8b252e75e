//! TOTP enrollment and MFA login, end to end, with oathtool and zbarimg as independent
//! implementations.

use std::process::Command;

use base64::Engine;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

/// Decodes a `data:image/svg+xml;base64,` QR code with rsvg-convert + zbarimg.
fn decode_qr(data_uri: &str) -> String {
    let b64 = data_uri
        .strip_prefix("data:image/svg+xml;base64,")
        .expect("SVG data URI");
    let svg = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (svg_path, png_path) = (dir.path().join("qr.svg"), dir.path().join("qr.png"));
    std::fs::write(&svg_path, svg).unwrap();
    let status = Command::new("rsvg-convert")
        .args(["-w", "400", "-b", "white", "-o"])
        .arg(&png_path)
        .arg(&svg_path)
        .status()
        .expect("rsvg-convert runs (apt-get install librsvg2-bin)");
    assert!(status.success());
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw", "-Sbinary"])
        .arg(&png_path)
        .output()
        .expect("zbarimg runs (apt-get install zbar-tools)");
    assert!(
        out.status.success(),
        "zbarimg found no code: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .trim_end_matches('\n')
        .to_owned()
}

#[tokio::test]
async fn enrollment_end_to_end_with_independent_qr_reader_and_code_generator() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let setup = app.setup(&user.access_token).await;
    let secret = setup["secret"].as_str().unwrap();
    assert_eq!(secret.len(), 32, "160 bits in unpadded Base32");
    assert!(secret
        .bytes()
        .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
    let uri = setup["otpauthUri"].as_str().unwrap();
    let email = user.email.as_str();
    assert_eq!(
        uri,
        format!("otpauth://totp/twofold:{email}?secret={secret}&issuer=twofold&algorithm=SHA1&digits=6&period=30")
    );
    assert_eq!(setup["expiresIn"], 600);
    assert_eq!(decode_qr(setup["qrCode"].as_str().unwrap()), uri);

    let status = json_of(app.get("/mfa/status", Some(&user.access_token)).await).await;
    assert_eq!(status["enabled"], false);
    assert_eq!(status["pendingSetup"], true);

    let code = oathtool(secret, now(&app));
    let resp = app
        .post(
            "/mfa/setup/confirm",
            json!({ "code": code, "secret": secret, "deviceName": "Pixel 9" }),
            Some(&user.access_token),
        )
        .await;
    let body = json_of(assert_status(resp, StatusCode::OK).await).await;
    let codes = body["recoveryCodes"].as_array().unwrap();
    assert_eq!(codes.len(), 10);
    for c in codes {
        let c = c.as_str().unwrap();
        assert!(
            c.len() == 8
                && c.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            "{c}"
        );
    }
    let status = json_of(app.get("/mfa/status", Some(&user.access_token)).await).await;
    assert_eq!(status["enabled"], true);
    assert_eq!(status["deviceName"], "Pixel 9");
    assert_eq!(status["recoveryCodesRemaining"], 10);
    assert_eq!(status["pendingSetup"], false);
    assert!(status["enabledAt"].as_str().unwrap().ends_with('Z'));
    let me = json_of(app.me(&user.access_token).await).await;
    assert_eq!(me["mfaEnabled"], true);
    let types = app.audit_types(&user.access_token).await;
    assert!(
        types.contains(&"auth.mfa.setup.started".into())
            && types.contains(&"auth.mfa.enabled".into()),
        "{types:?}"
    );
}

#[tokio::test]
async fn login_with_totp_then_challenge_is_single_use() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let resp = assert_status(
        app.login(&e.user.email, &e.user.password).await,
        StatusCode::OK,
    )
    .await;
    assert!(
        resp.headers().get("set-cookie").is_none(),
        "no session before the second factor"
    );
    let body = json_of(resp).await;
    assert_eq!(body["mfaRequired"], true);
    assert_eq!(body["expiresIn"], 300);
    assert!(body.get("accessToken").is_none());
    let challenge = body["mfaChallengeToken"].as_str().unwrap();
    app.next_step();
    let code = oathtool(&e.secret, now(&app));
    let resp = assert_status(app.verify_mfa(challenge, &code).await, StatusCode::OK).await;
    assert!(resp.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("twofold_at="));
    let tokens = json_of(resp).await;
    assert_eq!(tokens["tokenType"], "Bearer");
    let access = tokens["accessToken"].as_str().unwrap();
    let payload = access.split('.').nth(1).unwrap();
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["amr"], json!(["pwd", "otp", "mfa"]));
    assert_status(app.me(access).await, StatusCode::OK).await;
    app.next_step();
    let code = oathtool(&e.secret, now(&app));
    assert_error(
        app.verify_mfa(challenge, &code).await,
        StatusCode::UNAUTHORIZED,
        "invalid_challenge",
    )
    .await;
    let types = app.audit_types(access).await;
    assert!(
        types.contains(&"auth.mfa.challenge.succeeded".into()),
        "{types:?}"
    );
}

#[tokio::test]
async fn login_with_recovery_code_normalized_and_single_use() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let code = &e.recovery_codes[3];
    let typed = format!(" {}-{} ", code[..4].to_uppercase(), &code[4..]);
    let challenge = app.challenge(&e.user).await;
    let tokens =
        json_of(assert_status(app.verify_mfa(&challenge, &typed).await, StatusCode::OK).await)
            .await;
    let payload = tokens["accessToken"]
        .as_str()
        .unwrap()
        .split('.')
        .nth(1)
        .unwrap()
        .to_owned();
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["amr"], json!(["pwd", "rcv", "mfa"]));
    let access = tokens["accessToken"].as_str().unwrap();
    let status = json_of(app.get("/mfa/status", Some(access)).await).await;
    assert_eq!(status["recoveryCodesRemaining"], 9);
    let challenge = app.challenge(&e.user).await;
    assert_error(
        app.verify_mfa(&challenge, code).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    let challenge = app.challenge(&e.user).await;
    assert_error(
        app.verify_mfa(&challenge, "zzzzzzzz").await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    let types = app.audit_types(access).await;
    assert!(
        types.contains(&"auth.mfa.recovery_code.used".into()),
        "{types:?}"
    );
    assert!(
        types.contains(&"auth.mfa.challenge.failed".into()),
        "{types:?}"
    );
}

#[tokio::test]
async fn setup_and_confirm_errors() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let t = &user.access_token;
    assert_error(
        app.confirm(t, "123456").await,
        StatusCode::BAD_REQUEST,
        "no_pending_setup",
    )
    .await;
    let setup = app.setup(t).await;
    let secret = setup["secret"].as_str().unwrap().to_owned();
    assert_error(
        app.confirm(t, "12345").await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    assert_error(
        app.confirm(t, "abcdef").await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    assert_error(
        app.post("/mfa/setup/confirm", json!({}), Some(t)).await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    let wrong = if oathtool(&secret, now(&app)) == "000000" {
        "111111"
    } else {
        "000000"
    };
    assert_error(
        app.confirm(t, wrong).await,
        StatusCode::BAD_REQUEST,
        "invalid_code",
    )
    .await;
    let code = oathtool(&secret, now(&app));
    let resp = app
        .post(
            "/mfa/setup/confirm",
            json!({ "code": code, "secret": "JBSWY3DPEHPK3PXP" }),
            Some(t),
        )
        .await;
    assert_error(resp, StatusCode::BAD_REQUEST, "secret_mismatch").await;
    let long_name = "x".repeat(65);
    let resp = app
        .post(
            "/mfa/setup/confirm",
            json!({ "code": code, "deviceName": long_name }),
            Some(t),
        )
        .await;
    assert_error(resp, StatusCode::BAD_REQUEST, "invalid_input").await;
    // A second setup replaces the first secret.
    let second = app.setup(t).await;
    let second_secret = second["secret"].as_str().unwrap().to_owned();
    assert_ne!(second_secret, secret);
    // The pending setup expires after 10 minutes.
    app.clock.advance(601);
    let code = oathtool(&second_secret, now(&app));
    assert_error(
        app.confirm(t, &code).await,
        StatusCode::BAD_REQUEST,
        "no_pending_setup",
    )
    .await;
    // Ten minutes on, a new enrollment needs a step-up first (FACTORS.md).
    assert_error(
        app.post("/mfa/setup", json!({}), Some(t)).await,
        StatusCode::FORBIDDEN,
        "step_up_required",
    )
    .await;
    let stepped = app.step_up(t, json!({ "password": user.password })).await;
    let t = stepped.as_str();
    let third = app.setup(t).await;
    let code = oathtool(third["secret"].as_str().unwrap(), now(&app));
    assert_status(app.confirm(t, &code).await, StatusCode::OK).await;
    assert_error(
        app.post("/mfa/setup", json!({}), Some(t)).await,
        StatusCode::CONFLICT,
        "mfa_already_enabled",
    )
    .await;
    assert_error(
        app.confirm(t, &code).await,
        StatusCode::CONFLICT,
        "mfa_already_enabled",
    )
    .await;
    assert_error(
        app.post("/mfa/setup", json!({}), None).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn manage_endpoints_need_mfa_enabled() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let t = Some(user.access_token.as_str());
    assert_error(
        app.post(
            "/mfa/recovery-codes/regenerate",
            json!({ "code": "123456" }),
            t,
        )
        .await,
        StatusCode::BAD_REQUEST,
        "mfa_not_enabled",
    )
    .await;
    assert_error(
        app.post("/mfa/disable", json!({ "code": "123456" }), t)
            .await,
        StatusCode::BAD_REQUEST,
        "mfa_not_enabled",
    )
    .await;
    assert_error(
        app.post("/mfa/disable", json!({ "code": "1" }), t).await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
}

#[tokio::test]
async fn verify_mfa_input_and_challenge_errors() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let challenge = app.challenge(&e.user).await;
    assert_error(
        app.verify_mfa("not-a-token", "123456").await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    assert_error(
        app.verify_mfa(&challenge, "12345").await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    assert_error(
        app.verify_mfa(&challenge, "abcdefghijklm").await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    assert_error(
        app.post("/auth/verify-mfa", json!({ "code": "123456" }), None)
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    let unknown = "A".repeat(43);
    assert_error(
        app.verify_mfa(&unknown, "123456").await,
        StatusCode::UNAUTHORIZED,
        "invalid_challenge",
    )
    .await;
    app.clock.advance(301);
    let code = oathtool(&e.secret, now(&app));
    assert_error(
        app.verify_mfa(&challenge, &code).await,
        StatusCode::UNAUTHORIZED,
        "invalid_challenge",
    )
    .await;
}

#[tokio::test]
async fn enrollment_code_and_login_code_cannot_be_replayed() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let setup = app.setup(&user.access_token).await;
    let secret = setup["secret"].as_str().unwrap().to_owned();
    let enrollment_code = oathtool(&secret, now(&app));
    assert_status(
        app.confirm(&user.access_token, &enrollment_code).await,
        StatusCode::OK,
    )
    .await;
    // The same code, still inside its time window, at login.
    let challenge = app.challenge(&user).await;
    assert_error(
        app.verify_mfa(&challenge, &enrollment_code).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    // An earlier step than the accepted one is refused too.
    let earlier = oathtool(&secret, now(&app) - 30);
    if earlier != enrollment_code {
        assert_error(
            app.verify_mfa(&challenge, &earlier).await,
            StatusCode::UNAUTHORIZED,
            "invalid_code",
        )
        .await;
    }
    app.clock.advance(61);
    let challenge = app.challenge(&user).await;
    let code = oathtool(&secret, now(&app));
    assert_status(app.verify_mfa(&challenge, &code).await, StatusCode::OK).await;
    let challenge = app.challenge(&user).await;
    assert_error(
        app.verify_mfa(&challenge, &code).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    let types = app.audit_types(&user.access_token).await;
    assert!(
        types
            .iter()
            .filter(|t| *t == "auth.mfa.replay_rejected")
            .count()
            >= 2,
        "{types:?}"
    );
}

#[tokio::test]
async fn lockout_spans_challenge_tokens_and_doubles() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let (a, b) = (app.challenge(&e.user).await, app.challenge(&e.user).await);
    app.next_step();
    let good = oathtool(&e.secret, now(&app));
    let bad = if good == "000000" { "111111" } else { "000000" };
    for challenge in [&a, &b, &a] {
        assert_error(
            app.verify_mfa(challenge, bad).await,
            StatusCode::UNAUTHORIZED,
            "invalid_code",
        )
        .await;
    }
    let resp = app.verify_mfa(&b, &good).await;
    assert_eq!(resp.headers()["retry-after"], "60");
    let body = assert_error(resp, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
    assert_eq!(body["retryAfter"], 60);
    // A fresh challenge does not help: the lock is per user.
    let c = app.challenge(&e.user).await;
    assert_error(
        app.verify_mfa(&c, &good).await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
    app.clock.advance(61);
    let c = app.challenge(&e.user).await;
    for _ in 0..3 {
        assert_error(
            app.verify_mfa(&c, bad).await,
            StatusCode::UNAUTHORIZED,
            "invalid_code",
        )
        .await;
    }
    let resp = app.verify_mfa(&c, bad).await;
    assert_eq!(resp.headers()["retry-after"], "120", "second lock doubles");
    app.clock.advance(121);
    let code = oathtool(&e.secret, now(&app));
    let c = app.challenge(&e.user).await;
    let tokens =
        json_of(assert_status(app.verify_mfa(&c, &code).await, StatusCode::OK).await).await;
    let types = app
        .audit_types(tokens["accessToken"].as_str().unwrap())
        .await;
    assert!(types.contains(&"auth.mfa.locked".into()), "{types:?}");
    // The success reset the count: three more failures are needed for the next lock, of 60 s.
    let c = app.challenge(&e.user).await;
    for _ in 0..3 {
        assert_error(
            app.verify_mfa(&c, bad).await,
            StatusCode::UNAUTHORIZED,
            "invalid_code",
        )
        .await;
    }
    assert_eq!(app.verify_mfa(&c, bad).await.headers()["retry-after"], "60");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_uses_of_one_recovery_code_succeed_once() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let statuses = race_verify(&[&app; 20], &e.user, &e.recovery_codes[0]).await;
    assert_exactly_one_success(&statuses);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_uses_of_one_totp_code_succeed_once() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    app.next_step();
    let code = oathtool(&e.secret, now(&app));
    let statuses = race_verify(&[&app; 20], &e.user, &code).await;
    assert_exactly_one_success(&statuses);
}

#[tokio::test]
async fn regenerate_replaces_the_batch_and_disable_turns_mfa_off() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let t = Some(e.user.access_token.as_str());
    app.next_step();
    let code = oathtool(&e.secret, now(&app));
    let resp = app
        .post("/mfa/recovery-codes/regenerate", json!({ "code": code }), t)
        .await;
    let new_codes =
        json_of(assert_status(resp, StatusCode::OK).await).await["recoveryCodes"].clone();
    assert_eq!(new_codes.as_array().unwrap().len(), 10);
    // Regenerate wants a TOTP, not a recovery code; a replayed TOTP is a wrong code.
    let resp = app
        .post(
            "/mfa/recovery-codes/regenerate",
            json!({ "code": e.recovery_codes[1] }),
            t,
        )
        .await;
    assert_error(resp, StatusCode::BAD_REQUEST, "invalid_input").await;
    let resp = app
        .post("/mfa/recovery-codes/regenerate", json!({ "code": code }), t)
        .await;
    assert_error(resp, StatusCode::BAD_REQUEST, "invalid_code").await;
    let challenge = app.challenge(&e.user).await;
    assert_error(
        app.verify_mfa(&challenge, &e.recovery_codes[0]).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    assert_status(
        app.verify_mfa(&challenge, new_codes[0].as_str().unwrap())
            .await,
        StatusCode::OK,
    )
    .await;
    // Disable with a recovery code of the new batch.
    let resp = app
        .post("/mfa/disable", json!({ "code": new_codes[1] }), t)
        .await;
    assert_status(resp, StatusCode::NO_CONTENT).await;
    let status = json_of(app.get("/mfa/status", t).await).await;
    assert_eq!(status["enabled"], false);
    assert_eq!(status["recoveryCodesRemaining"], 0);
    let body = json_of(app.login(&e.user.email, &e.user.password).await).await;
    assert_eq!(body["mfaRequired"], false);
    let types = app.audit_types(&e.user.access_token).await;
    assert!(
        types.contains(&"auth.mfa.disabled".into())
            && types.contains(&"auth.mfa.recovery_codes.regenerated".into())
    );
}

#[tokio::test]
async fn disable_with_totp_and_manage_lockout() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let t = Some(e.user.access_token.as_str());
    app.next_step();
    let good = oathtool(&e.secret, now(&app));
    let bad = if good == "000000" { "111111" } else { "000000" };
    for _ in 0..3 {
        assert_error(
            app.post("/mfa/disable", json!({ "code": bad }), t).await,
            StatusCode::BAD_REQUEST,
            "invalid_code",
        )
        .await;
    }
    let resp = app
        .post("/mfa/recovery-codes/regenerate", json!({ "code": good }), t)
        .await;
    assert_error(resp, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
    // The login purpose is not locked by manage failures.
    let c = app.challenge(&e.user).await;
    assert_status(app.verify_mfa(&c, &good).await, StatusCode::OK).await;
    app.clock.advance(61);
    let code = oathtool(&e.secret, now(&app));
    assert_status(
        app.post("/mfa/disable", json!({ "code": code }), t).await,
        StatusCode::NO_CONTENT,
    )
    .await;
}

#[tokio::test]
async fn database_files_hold_no_secret_and_no_recovery_code() {
    use sha2::{Digest, Sha256};
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let bytes = app.db_dump().await;
    let lower = bytes.to_ascii_lowercase();
    let has = |needle: &[u8]| {
        lower.windows(needle.len()).any(|w| w == needle)
            || bytes.windows(needle.len()).any(|w| w == needle)
    };
    let raw = data_encoding::BASE32_NOPAD
        .decode(e.secret.as_bytes())
        .unwrap();
    assert!(
        !has(e.secret.to_ascii_lowercase().as_bytes()),
        "Base32 secret stored"
    );
    assert!(!has(&raw), "raw secret stored");
    let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    assert!(!has(hex.as_bytes()), "hex secret stored");
    for code in &e.recovery_codes {
        assert!(!has(code.as_bytes()), "recovery code stored");
        let digest = Sha256::digest(code.as_bytes());
        assert!(!has(&digest), "bare SHA-256 of a recovery code stored");
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert!(
            !has(hex.as_bytes()),
            "hex SHA-256 of a recovery code stored"
        );
    }
}

#[tokio::test]
async fn audit_lists_own_events_newest_first_with_paging() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let other = app.user().await;
    let t = Some(e.user.access_token.as_str());
    let all = json_of(app.get("/audit", t).await).await["events"].clone();
    let all = all.as_array().unwrap();
    assert!(all.len() >= 4, "{all:?}");
    assert_eq!(all.last().unwrap()["type"], "auth.register");
    let ids: Vec<i64> = all
        .iter()
        .map(|e| e["id"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    assert!(all[0]["at"].as_str().unwrap().ends_with('Z'));
    assert!(
        all[0].get("userAgent").is_some()
            && all[0].get("ip").is_some()
            && all[0].get("details").is_some()
    );
    let page = json_of(app.get("/audit?limit=2", t).await).await["events"].clone();
    assert_eq!(page.as_array().unwrap().len(), 2);
    let before = page[1]["id"].as_str().unwrap();
    let next = json_of(app.get(&format!("/audit?limit=2&before={before}"), t).await).await
        ["events"]
        .clone();
    assert_eq!(next[0]["id"], all[2]["id"]);
    assert_error(
        app.get("/audit?limit=0", t).await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    assert_error(
        app.get("/audit?limit=201", t).await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    assert_error(
        app.get("/audit?before=abc", t).await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    let others =
        json_of(app.get("/audit", Some(&other.access_token)).await).await["events"].clone();
    assert!(others
        .as_array()
        .unwrap()
        .iter()
        .all(|ev| !ev["type"].as_str().unwrap().starts_with("auth.mfa")));
}
