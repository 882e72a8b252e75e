//! The compatibility surfaces of COMPAT.md over HTTP: each one's enrollment (codes from
//! oathtool), login, shapes and error codes, its cookie working alone, one account and one
//! lockout/replay state across surfaces, and the off switch.

use reqwest::StatusCode;
use serde_json::{json, Value};
use twofold::config::StringList;

use crate::helpers::*;

async fn app() -> TestApp {
    TestApp::spawn_with(|s| {
        s.compat = StringList(vec![
            "identsphere".into(),
            "slugbase".into(),
            "rivergen".into(),
        ])
    })
    .await
}

/// A POST with a JSON body and optionally a cookie header.
async fn post_cookie(
    app: &TestApp,
    path: &str,
    body: Value,
    cookie: Option<&str>,
) -> reqwest::Response {
    let mut req = app
        .client
        .post(format!("{}{path}", app.address))
        .json(&body);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    req.send().await.unwrap()
}

/// The value of cookie `name` set by `resp`.
fn set_cookie(resp: &reqwest::Response, name: &str) -> String {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie"))
}

fn pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_owned()
}

async fn body(resp: reqwest::Response, status: StatusCode) -> Value {
    json_of(assert_status(resp, status).await).await
}

#[tokio::test]
async fn identsphere_enrolls_and_logs_in_with_its_cookie_alone() {
    let app = app().await;
    let user = app.user().await;
    let login = post_cookie(
        &app,
        "/v1/auth/login",
        json!({ "email": user.email, "password": user.password }),
        None,
    )
    .await;
    let at = pair(&set_cookie(&login, "identsphere_at"));
    assert!(set_cookie(&login, "identsphere_at").contains("HttpOnly"));
    let b = body(login, StatusCode::OK).await;
    assert_eq!(b["status"], "ok");
    assert_eq!(b["token_type"], "Bearer");
    assert!(
        b["access_token"].is_string()
            && b["refresh_token"].is_string()
            && b["expires_in"].is_number()
    );
    // Errors before setup: enable without a setup is invalid_input.
    let e = body(
        post_cookie(
            &app,
            "/v1/auth/mfa/enable",
            json!({ "code": "123456" }),
            Some(&at),
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(
        e,
        json!({ "error": "invalid_input", "message": e["message"] })
    );
    let setup = body(
        post_cookie(&app, "/v1/auth/mfa/setup", json!({}), Some(&at)).await,
        StatusCode::OK,
    )
    .await;
    let secret = setup["secret"].as_str().unwrap().to_owned();
    assert!(setup["otpauth_url"]
        .as_str()
        .unwrap()
        .starts_with("otpauth://totp/"));
    assert!(setup["qr_code"]
        .as_str()
        .unwrap()
        .starts_with("data:image/"));
    // 5 characters: malformed; 7 characters: well formed here, never valid: 401.
    let short = body(
        post_cookie(
            &app,
            "/v1/auth/mfa/enable",
            json!({ "code": "12345" }),
            Some(&at),
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(short["error"], "invalid_input");
    let seven = body(
        post_cookie(
            &app,
            "/v1/auth/mfa/enable",
            json!({ "code": "1234567" }),
            Some(&at),
        )
        .await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_eq!(seven["error"], "authentication_required");
    let codes = body(
        post_cookie(
            &app,
            "/v1/auth/mfa/enable",
            json!({ "code": oathtool(&secret, now(&app)) }),
            Some(&at),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let codes: Vec<String> = codes["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    let again = body(
        post_cookie(&app, "/v1/auth/mfa/setup", json!({}), Some(&at)).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(again["error"], "conflict");
    let status = json_of(
        app.client
            .get(format!("{}/v1/auth/mfa/status", app.address))
            .header("cookie", &at)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        status,
        json!({ "mfa_enabled": true, "recovery_codes_remaining": 10 })
    );
    // Login: mfa_required, then the challenge with TOTP, then with a recovery code.
    for code in [None, Some(codes[0].clone())] {
        let first = body(
            post_cookie(
                &app,
                "/v1/auth/login",
                json!({ "email": user.email, "password": user.password }),
                None,
            )
            .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(first["status"], "mfa_required");
        assert_eq!(first["expires_in"], 300);
        app.next_step();
        let code = code.unwrap_or_else(|| oathtool(&secret, now(&app)));
        let resp = post_cookie(
            &app,
            "/v1/auth/mfa/challenge",
            json!({ "mfa_token": first["mfa_token"], "code": code }),
            None,
        )
        .await;
        assert!(set_cookie(&resp, "identsphere_at").len() > 20);
        assert_eq!(body(resp, StatusCode::OK).await["status"], "ok");
    }
    // The used recovery code is refused: 401 authentication_required.
    let first = body(
        post_cookie(
            &app,
            "/v1/auth/login",
            json!({ "email": user.email, "password": user.password }),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let used = body(
        post_cookie(
            &app,
            "/v1/auth/mfa/challenge",
            json!({ "mfa_token": first["mfa_token"], "code": codes[0] }),
            None,
        )
        .await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_eq!(used["error"], "authentication_required");
    let anonymous = body(
        post_cookie(&app, "/v1/auth/mfa/setup", json!({}), None).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_eq!(anonymous["error"], "authentication_required");
}

#[tokio::test]
async fn slugbase_enrolls_with_its_session_cookie_and_logs_in() {
    let app = app().await;
    let user = app.user().await;
    let login = post_cookie(
        &app,
        "/api/auth/login",
        json!({ "email": user.email, "password": user.password }),
        None,
    )
    .await;
    let sid = pair(&set_cookie(&login, "slugbase.sid"));
    let b = body(login, StatusCode::OK).await;
    assert_eq!(b["mfa_required"], false);
    assert_eq!(b["user"]["email"], user.email.as_str());
    assert!(b["user"]["id"].is_string());
    let setup = body(
        post_cookie(&app, "/api/auth/mfa/enroll", json!({}), Some(&sid)).await,
        StatusCode::OK,
    )
    .await;
    let secret = setup["secret"].as_str().unwrap().to_owned();
    let wrong = if oathtool(&secret, now(&app)) == "000000" {
        "111111"
    } else {
        "000000"
    };
    let e = body(
        post_cookie(
            &app,
            "/api/auth/mfa/enroll/confirm",
            json!({ "code": wrong }),
            Some(&sid),
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(e["error"], "Bad Request");
    assert_eq!(e["code"], 400);
    assert_eq!(e["details"][0]["field"], "code");
    let codes = body(
        post_cookie(
            &app,
            "/api/auth/mfa/enroll/confirm",
            json!({ "code": oathtool(&secret, now(&app)) }),
            Some(&sid),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let codes = codes["backup_codes"].as_array().unwrap().clone();
    assert_eq!(codes.len(), 10);
    let conflict = body(
        post_cookie(&app, "/api/auth/mfa/enroll", json!({}), Some(&sid)).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(conflict["details"], "Resource already exists");
    assert_eq!(conflict["error"], "Conflict");
    let unauthorized = body(
        post_cookie(&app, "/api/auth/mfa/enroll", json!({}), None).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_eq!(unauthorized["error"], "Unauthorized");
    assert_eq!(unauthorized["code"], 401);
    let first = body(
        post_cookie(
            &app,
            "/api/auth/login",
            json!({ "email": user.email, "password": user.password }),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(first["mfa_required"], true);
    let verified = post_cookie(
        &app,
        "/api/auth/mfa/verify",
        json!({ "mfa_token": first["mfa_token"], "code": codes[3] }),
        None,
    )
    .await;
    assert!(set_cookie(&verified, "slugbase.sid").len() > 20);
    assert_eq!(
        body(verified, StatusCode::OK).await["user"]["email"],
        user.email.as_str()
    );
}

#[tokio::test]
async fn rivergen_enrolls_in_envelopes_and_its_codes_work_everywhere() {
    let app = app().await;
    let user = app.user().await;
    let post = |path: &'static str, body: Value| {
        app.client
            .post(format!("{}{path}", app.address))
            .bearer_auth(&user.access_token)
            .json(&body)
            .send()
    };
    let e = body(
        post("/api/v1/mfa/totp/verify", json!({ "code": "123456" }))
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(e["success"], false);
    assert_eq!(e["error"]["code"], "NO_PENDING_SETUP");
    let setup = body(
        post("/api/v1/mfa/totp/setup", json!({ "device_name": "Pixel" }))
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(setup["success"], true);
    assert_eq!(setup["data"]["expires_in"], 600);
    let secret = setup["data"]["secret"].as_str().unwrap().to_owned();
    let invalid = body(
        post("/api/v1/mfa/totp/verify", json!({ "code": "12345" }))
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(invalid["error"]["code"], "VALIDATION_ERROR");
    let bad_name = body(
        post(
            "/api/v1/mfa/totp/verify",
            json!({ "code": "123456", "device_name": "a\u{202e}b" }),
        )
        .await
        .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(bad_name["error"]["code"], "VALIDATION_ERROR");
    let wrong = if oathtool(&secret, now(&app)) == "000000" {
        "111111"
    } else {
        "000000"
    };
    let w = body(
        post("/api/v1/mfa/totp/verify", json!({ "code": wrong }))
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(w["error"]["code"], "INVALID_CODE");
    let ok = body(
        post(
            "/api/v1/mfa/totp/verify",
            json!({ "code": oathtool(&secret, now(&app)), "device_name": "iPhone 14" }),
        )
        .await
        .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(ok["message"], "TOTP MFA enabled successfully");
    assert_eq!(ok["data"]["success"], true);
    let codes: Vec<String> = ok["data"]["backup_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert!(
        codes
            .iter()
            .all(|c| c.len() == 9 && c.as_bytes()[4] == b'-' && *c == c.to_uppercase()),
        "{codes:?}"
    );
    let again = body(
        post("/api/v1/mfa/totp/setup", json!({})).await.unwrap(),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(again["error"]["code"], "MFA_ALREADY_ENABLED");
    let status = body(
        app.client
            .get(format!("{}/api/v1/mfa/totp/status", app.address))
            .bearer_auth(&user.access_token)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        status["data"],
        json!({ "enabled": true, "device_name": "iPhone 14", "backup_codes_remaining": 10, "pending_setup": false })
    );
    let anonymous = body(
        app.client
            .get(format!("{}/api/v1/mfa/totp/status", app.address))
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_eq!(anonymous["error"]["code"], "UNAUTHORIZED");
    // A backup code in RiverGen's form logs in through the native API and IdentSphere.
    let challenge = app.challenge(&user).await;
    assert_status(app.verify_mfa(&challenge, &codes[0]).await, StatusCode::OK).await;
    let first = body(
        post_cookie(
            &app,
            "/v1/auth/login",
            json!({ "email": user.email, "password": user.password }),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_status(
        post_cookie(
            &app,
            "/v1/auth/mfa/challenge",
            json!({ "mfa_token": first["mfa_token"], "code": codes[1].to_lowercase() }),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn lockout_and_replay_are_shared_across_surfaces() {
    let app = app().await;
    let e = app.enrolled_user().await;
    app.next_step();
    let good = oathtool(&e.secret, now(&app));
    let bad = if good == "000000" { "111111" } else { "000000" };
    // Three wrong codes, one on each surface that has a login: the purpose locks on all.
    let identsphere = body(
        post_cookie(
            &app,
            "/v1/auth/login",
            json!({ "email": e.user.email, "password": e.user.password }),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let slugbase = body(
        post_cookie(
            &app,
            "/api/auth/login",
            json!({ "email": e.user.email, "password": e.user.password }),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let native = app.challenge(&e.user).await;
    assert_status(
        post_cookie(
            &app,
            "/v1/auth/mfa/challenge",
            json!({ "mfa_token": identsphere["mfa_token"], "code": bad }),
            None,
        )
        .await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_status(
        post_cookie(
            &app,
            "/api/auth/mfa/verify",
            json!({ "mfa_token": slugbase["mfa_token"], "code": bad }),
            None,
        )
        .await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_status(app.verify_mfa(&native, bad).await, StatusCode::UNAUTHORIZED).await;
    let locked = post_cookie(
        &app,
        "/v1/auth/mfa/challenge",
        json!({ "mfa_token": identsphere["mfa_token"], "code": good }),
        None,
    )
    .await;
    assert!(locked.headers().contains_key("retry-after"));
    assert_eq!(
        body(locked, StatusCode::TOO_MANY_REQUESTS).await["error"],
        "rate_limited"
    );
    assert_error(
        app.verify_mfa(&native, &good).await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
    // After the lock, a step accepted on SlugBase is a replay on the native API.
    app.clock.advance(61);
    app.next_step();
    let code = oathtool(&e.secret, now(&app));
    assert_status(
        post_cookie(
            &app,
            "/api/auth/mfa/verify",
            json!({ "mfa_token": slugbase["mfa_token"], "code": code }),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let native = app.challenge(&e.user).await;
    assert_error(
        app.verify_mfa(&native, &code).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
}

#[tokio::test]
async fn surfaces_that_are_off_answer_404() {
    let app = TestApp::spawn_with(|s| s.compat = StringList(vec!["rivergen".into()])).await;
    for path in ["/v1/auth/login", "/api/auth/login"] {
        let resp = post_cookie(&app, path, json!({}), None).await;
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let off = TestApp::spawn().await;
    let user = off.user().await;
    let resp = off
        .client
        .get(format!("{}/api/v1/mfa/totp/status", off.address))
        .bearer_auth(&user.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
}

/// Runs `curl` with `args` (the seed page's example, host and secrets substituted) and
/// returns (status, body).
fn curl(args: &[&str]) -> (u16, Value) {
    let out = std::process::Command::new("curl")
        .args(["-s", "-w", "\n%{http_code}"])
        .args(args)
        .output()
        .expect("curl runs (apt-get install curl)");
    let text = String::from_utf8(out.stdout).unwrap();
    let (body, status) = text.rsplit_once('\n').unwrap();
    (
        status.parse().unwrap(),
        serde_json::from_str(body).unwrap_or(Value::Null),
    )
}

// curl blocks its thread: the server needs threads of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_seed_pages_curl_example_works_as_written() {
    let app = app().await;
    let host = app.address.clone();
    let dir = tempfile::tempdir().unwrap();
    // IdentSphere (002): `-b cookies.txt`, a cookie jar from a login on its own surface.
    let user = app.user().await;
    let jar = dir.path().join("cookies.txt");
    let jar = jar.to_str().unwrap();
    let login = json!({ "email": user.email, "password": user.password }).to_string();
    let (status, _) = curl(&[
        "-c",
        jar,
        "-X",
        "POST",
        &format!("{host}/v1/auth/login"),
        "-H",
        "Content-Type: application/json",
        "-d",
        &login,
    ]);
    assert_eq!(status, 200);
    let (_, setup) = curl(&[
        "-X",
        "POST",
        &format!("{host}/v1/auth/mfa/setup"),
        "-H",
        "Content-Type: application/json",
        "-b",
        jar,
        "-d",
        "{}",
    ]);
    let code = oathtool(setup["secret"].as_str().unwrap(), now(&app));
    let (status, body) = curl(&[
        "-X",
        "POST",
        &format!("{host}/v1/auth/mfa/enable"),
        "-H",
        "Content-Type: application/json",
        "-b",
        jar,
        "-d",
        &format!("{{\"code\":\"{code}\"}}"),
    ]);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["recovery_codes"].as_array().unwrap().len(), 10);
    // SlugBase (003): a Bearer token.
    let user = app.user().await;
    let enroll = app
        .client
        .post(format!("{host}/api/auth/mfa/enroll"))
        .bearer_auth(&user.access_token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let secret = json_of(enroll).await["secret"].as_str().unwrap().to_owned();
    let code = oathtool(&secret, now(&app));
    let (status, body) = curl(&[
        "-X",
        "POST",
        &format!("{host}/api/auth/mfa/enroll/confirm"),
        "-H",
        "Content-Type: application/json",
        "-H",
        &format!("Authorization: Bearer {}", user.access_token),
        "-d",
        &format!("{{\n\"code\": \"{code}\"\n}}"),
    ]);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["backup_codes"].as_array().unwrap().len(), 10);
    // RiverGen (004): a Bearer token and a device name.
    let user = app.user().await;
    let setup = app
        .client
        .post(format!("{host}/api/v1/mfa/totp/setup"))
        .bearer_auth(&user.access_token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let secret = json_of(setup).await["data"]["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let code = oathtool(&secret, now(&app));
    let (status, body) = curl(&[
        "-X",
        "POST",
        &format!("{host}/api/v1/mfa/totp/verify"),
        "-H",
        &format!("Authorization: Bearer {}", user.access_token),
        "-H",
        "Content-Type: application/json",
        "-d",
        &format!("{{\n\"code\": \"{code}\",\n\"device_name\": \"iPhone 14\"\n}}"),
    ]);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["success"], true);
    assert_eq!(body["data"]["message"], "TOTP MFA enabled successfully");
    assert_eq!(body["data"]["backup_codes"].as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn identsphere_and_slugbase_logins_honour_the_device_cookie() {
    let app = app().await;
    let user = app.user().await;
    let creds = json!({ "email": user.email, "password": user.password });
    let first = post_cookie(&app, "/v1/auth/login", creds.clone(), None).await;
    let device = pair(&set_cookie(&first, "twofold_device"));
    for _ in 0..10 {
        app.login(&user.email, "wrong password!").await;
    }
    for path in ["/v1/auth/login", "/api/auth/login"] {
        assert_eq!(
            post_cookie(&app, path, creds.clone(), None).await.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "{path}"
        );
        assert_eq!(
            post_cookie(&app, path, creds.clone(), Some(&device))
                .await
                .status(),
            StatusCode::OK,
            "{path}"
        );
    }
}

#[tokio::test]
async fn rivergen_locks_after_three_wrong_codes_and_identsphere_shares_the_ip_bucket() {
    let app = TestApp::spawn_with(|s| {
        s.compat = StringList(vec!["rivergen".into(), "identsphere".into()]);
        // register, login, and RiverGen's four verifies (they hash once MFA turns on).
        s.rate_limit_burst = 6;
    })
    .await;
    let user = app.user().await;
    let post = |path: &'static str, body: Value| {
        app.client
            .post(format!("{}{path}", app.address))
            .bearer_auth(&user.access_token)
            .json(&body)
            .send()
    };
    let setup = body(
        post("/api/v1/mfa/totp/setup", json!({})).await.unwrap(),
        StatusCode::OK,
    )
    .await;
    let secret = setup["data"]["secret"].as_str().unwrap().to_owned();
    let good = oathtool(&secret, now(&app));
    let bad = if good == "000000" { "111111" } else { "000000" };
    for _ in 0..3 {
        let e = body(
            post("/api/v1/mfa/totp/verify", json!({ "code": bad }))
                .await
                .unwrap(),
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert_eq!(e["error"]["code"], "INVALID_CODE");
    }
    let locked = post("/api/v1/mfa/totp/verify", json!({ "code": good }))
        .await
        .unwrap();
    assert!(locked.headers().contains_key("retry-after"));
    assert_eq!(
        body(locked, StatusCode::TOO_MANY_REQUESTS).await["error"]["code"],
        "TOO_MANY_ATTEMPTS"
    );
    // The per-address bucket (burst 6, spent by the user's register, login and the
    // verifies) covers IdentSphere's login too, answered in its shape.
    let limited = post_cookie(
        &app,
        "/v1/auth/login",
        json!({ "email": user.email, "password": user.password }),
        None,
    )
    .await;
    assert!(limited.headers().contains_key("retry-after"));
    assert_eq!(
        body(limited, StatusCode::TOO_MANY_REQUESTS).await["error"],
        "rate_limited"
    );
}

/// (status, error) of a surface's answer: IdentSphere's `error`, SlugBase's `code` and
/// reason, RiverGen's `error.code`.
async fn outcome(resp: reqwest::Response) -> (u16, String) {
    let status = resp.status().as_u16();
    let b: Value = resp.json().await.unwrap_or(Value::Null);
    let code = if let Some(c) = b["error"]["code"].as_str() {
        c.to_owned()
    } else if b["code"].is_number() {
        assert_eq!(b["code"], status, "{b}");
        b["error"].as_str().unwrap_or_default().to_owned()
    } else {
        b["error"].as_str().unwrap_or_default().to_owned()
    };
    assert!(b["message"].is_string(), "{b}");
    (status, code)
}

#[tokio::test]
async fn every_error_row_of_the_seed_tables() {
    let app = app().await;
    let h = app.address.clone();
    let e = app.enrolled_user().await;
    let plain = app.user().await;
    let wrong_pw = json!({ "email": e.user.email, "password": "wrong password!" });
    let bad_email = json!({ "email": "not an email", "password": "whatever it is" });
    let get = |path: &str, token: Option<&str>| {
        let mut r = app.client.get(format!("{h}{path}"));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send()
    };
    let post = |path: &str, body: Value, token: Option<&str>| {
        let mut r = app.client.post(format!("{h}{path}")).json(&body);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send()
    };
    let enrolled = Some(e.user.access_token.as_str());
    let rows: Vec<(reqwest::Response, (u16, &str))> = vec![
        // IdentSphere
        (
            post("/v1/auth/login", bad_email.clone(), None)
                .await
                .unwrap(),
            (400, "invalid_input"),
        ),
        (
            post("/v1/auth/login", wrong_pw.clone(), None)
                .await
                .unwrap(),
            (401, "authentication_required"),
        ),
        (
            post(
                "/v1/auth/mfa/challenge",
                json!({ "mfa_token": "x", "code": "123456" }),
                None,
            )
            .await
            .unwrap(),
            (400, "invalid_input"),
        ),
        (
            post("/v1/auth/mfa/enable", json!({ "code": "123456" }), None)
                .await
                .unwrap(),
            (401, "authentication_required"),
        ),
        (
            post("/v1/auth/mfa/enable", json!({}), enrolled)
                .await
                .unwrap(),
            (400, "invalid_input"),
        ),
        (
            post(
                "/v1/auth/mfa/enable",
                json!({ "code": "123456789" }),
                enrolled,
            )
            .await
            .unwrap(),
            (400, "invalid_input"),
        ),
        (
            post("/v1/auth/mfa/enable", json!({ "code": "123456" }), enrolled)
                .await
                .unwrap(),
            (409, "conflict"),
        ),
        (
            get("/v1/auth/mfa/status", None).await.unwrap(),
            (401, "authentication_required"),
        ),
        // SlugBase
        (
            post("/api/auth/login", bad_email, None).await.unwrap(),
            (400, "Bad Request"),
        ),
        (
            post("/api/auth/login", wrong_pw, None).await.unwrap(),
            (401, "Unauthorized"),
        ),
        (
            post(
                "/api/auth/mfa/verify",
                json!({ "mfa_token": "x", "code": "123456" }),
                None,
            )
            .await
            .unwrap(),
            (400, "Bad Request"),
        ),
        (
            post(
                "/api/auth/mfa/enroll/confirm",
                json!({ "code": "123456" }),
                None,
            )
            .await
            .unwrap(),
            (401, "Unauthorized"),
        ),
        (
            post(
                "/api/auth/mfa/enroll/confirm",
                json!({ "code": "12" }),
                enrolled,
            )
            .await
            .unwrap(),
            (400, "Bad Request"),
        ),
        (
            post(
                "/api/auth/mfa/enroll/confirm",
                json!({ "code": "123456" }),
                Some(&plain.access_token),
            )
            .await
            .unwrap(),
            (400, "Bad Request"),
        ),
        (
            post(
                "/api/auth/mfa/enroll/confirm",
                json!({ "code": "123456" }),
                enrolled,
            )
            .await
            .unwrap(),
            (409, "Conflict"),
        ),
        // RiverGen
        (
            post("/api/v1/mfa/totp/setup", json!({}), None)
                .await
                .unwrap(),
            (401, "UNAUTHORIZED"),
        ),
        (
            post("/api/v1/mfa/totp/verify", json!({ "code": "123456" }), None)
                .await
                .unwrap(),
            (401, "UNAUTHORIZED"),
        ),
        (
            post(
                "/api/v1/mfa/totp/verify",
                json!({ "code": "123456" }),
                enrolled,
            )
            .await
            .unwrap(),
            (409, "MFA_ALREADY_ENABLED"),
        ),
        (
            app.client
                .post(format!("{h}/api/v1/mfa/totp/verify"))
                .bearer_auth(&plain.access_token)
                .body("[1]")
                .send()
                .await
                .unwrap(),
            (422, "VALIDATION_ERROR"),
        ),
        (
            post(
                "/api/v1/mfa/totp/setup",
                json!({ "device_name": "x".repeat(65) }),
                Some(&plain.access_token),
            )
            .await
            .unwrap(),
            (422, "VALIDATION_ERROR"),
        ),
    ];
    for (i, (resp, (status, code))) in rows.into_iter().enumerate() {
        assert_eq!(outcome(resp).await, (status, code.to_owned()), "row {i}");
    }
}
