//! EMAIL.md end to end: every link taken from the message twofold sent (the `.eml` files
//! of the embedded default, or an SMTP server), the limits, the forgotten password without
//! enumeration, the reset's effects, the address change, the notices, and the outbox
//! across SMTP outages, a killed process and two instances.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use crate::mailbox::{self, closed_port, wait_until, SmtpSink};

const PASSWORD: &str = "correct horse battery staple";

fn new_email() -> String {
    format!("mail-{}@example.com", uuid::Uuid::new_v4().simple())
}

async fn verify(app: &TestApp, token: &str) -> reqwest::Response {
    app.post("/auth/email/verify", json!({ "token": token }), None)
        .await
}

fn claims_of(access_token: &str) -> serde_json::Value {
    use base64::Engine;
    let payload = access_token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[tokio::test]
async fn registering_sends_a_link_that_proves_the_address_once() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let me = json_of(app.me(&user.access_token).await).await;
    assert_eq!(me["emailVerified"], false);
    assert_eq!(claims_of(&user.access_token)["email_verified"], false);

    let mail = mailbox::wait_for(app.data_dir.path(), &user.email, "Confirm your email").await;
    assert!(mail.text.contains("Auto-Submitted: auto-generated"));
    assert!(mail.text.contains("Content-Type: text/html"));
    assert!(!mail.text.contains(PASSWORD));
    let token = mail.token("/email/verify");
    let body = json_of(assert_status(verify(&app, &token).await, StatusCode::OK).await).await;
    assert_eq!(body["emailVerified"], true);
    assert_eq!(body["email"], user.email.as_str());
    // Single use.
    assert_error(
        verify(&app, &token).await,
        StatusCode::BAD_REQUEST,
        "invalid_token",
    )
    .await;
    assert_error(
        verify(&app, "x".repeat(43).as_str()).await,
        StatusCode::BAD_REQUEST,
        "invalid_token",
    )
    .await;

    let me = json_of(app.me(&user.access_token).await).await;
    assert_eq!(me["emailVerified"], true);
    let login = json_of(app.login(&user.email, PASSWORD).await).await;
    assert_eq!(
        claims_of(login["accessToken"].as_str().unwrap())["email_verified"],
        true
    );
    let refreshed = json_of(app.refresh(login["refreshToken"].as_str().unwrap()).await).await;
    assert_eq!(
        claims_of(refreshed["accessToken"].as_str().unwrap())["email_verified"],
        true
    );
    assert!(app
        .audit_types(&user.access_token)
        .await
        .contains(&"auth.email.verified".to_owned()));
}

#[tokio::test]
async fn a_verification_link_expires_after_a_day() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let mail = mailbox::wait_for(app.data_dir.path(), &user.email, "Confirm").await;
    app.clock.advance(24 * 3600 + 1);
    assert_error(
        verify(&app, &mail.token("/email/verify")).await,
        StatusCode::BAD_REQUEST,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn resending_is_limited_and_spends_older_links() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let first = mailbox::wait_for(app.data_dir.path(), &user.email, "Confirm").await;
    let resend = || {
        app.post(
            "/auth/email/verify/resend",
            json!({}),
            Some(&user.access_token),
        )
    };
    // The registration's link does not count: a resend at once is fine, a second one
    // within the minute is not.
    assert_status(resend().await, StatusCode::ACCEPTED).await;
    let refused = resend().await;
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_error(refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    for _ in 0..4 {
        app.clock.advance(61);
        assert_status(resend().await, StatusCode::ACCEPTED).await;
    }
    // Five resends in a day: the sixth waits for the oldest to leave the window.
    app.clock.advance(61);
    let refused = resend().await;
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 3600, "{wait}");
    assert_error(refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;

    // Only the newest link works.
    let all = wait_until(|| {
        let m: Vec<_> = mailbox::files(app.data_dir.path())
            .into_iter()
            .filter(|m| m.to.contains(&user.email))
            .collect();
        (m.len() == 6).then_some(m)
    })
    .await
    .expect("six messages: the registration's and five resends");
    assert_error(
        verify(&app, &first.token("/email/verify")).await,
        StatusCode::BAD_REQUEST,
        "invalid_token",
    )
    .await;
    let tokens: Vec<String> = all.iter().map(|m| m.token("/email/verify")).collect();
    let mut ok = 0;
    for token in &tokens {
        if verify(&app, token).await.status() == StatusCode::OK {
            ok += 1;
        }
    }
    assert_eq!(ok, 1, "exactly the newest link works");
    assert_error(
        resend().await,
        StatusCode::CONFLICT,
        "email_already_verified",
    )
    .await;
}

#[tokio::test]
async fn forgot_answers_the_same_for_every_address_and_in_the_same_time() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let forgot = |email: String| {
        let app = &app;
        async move {
            let started = Instant::now();
            let resp = app
                .post("/auth/password/forgot", json!({ "email": email }), None)
                .await;
            let took = started.elapsed();
            let status = resp.status();
            let mut headers: Vec<(String, String)> = resp
                .headers()
                .iter()
                .filter(|(k, _)| !matches!(k.as_str(), "date" | "x-request-id"))
                .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned()))
                .collect();
            headers.sort();
            (status, headers, resp.text().await.unwrap(), took)
        }
    };
    let known = forgot(user.email.clone()).await;
    let unknown = forgot(new_email()).await;
    assert_eq!(known.0, StatusCode::ACCEPTED);
    assert_eq!(
        (&known.0, &known.1, &known.2),
        (&unknown.0, &unknown.1, &unknown.2)
    );

    let mut known_times = Vec::new();
    let mut unknown_times = Vec::new();
    for _ in 0..50 {
        known_times.push(forgot(user.email.clone()).await.3);
        unknown_times.push(forgot(new_email()).await.3);
    }
    known_times.sort();
    unknown_times.sort();
    let (a, b) = (known_times[25], unknown_times[25]);
    let gap = a.abs_diff(b);
    assert!(gap < Duration::from_millis(5), "medians {a:?} and {b:?}");

    // Three messages an hour for one address, however often it is asked.
    let sent = wait_until(|| {
        let n = mailbox::files(app.data_dir.path())
            .iter()
            .filter(|m| m.to.contains(&user.email) && m.subject.contains("Reset"))
            .count();
        (n >= 3).then_some(n)
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let n = mailbox::files(app.data_dir.path())
        .iter()
        .filter(|m| m.to.contains(&user.email) && m.subject.contains("Reset"))
        .count();
    assert_eq!((sent, n), (Some(3), 3));
}

async fn reset_link(app: &TestApp, email: &str) -> String {
    let reset_tokens = || {
        mailbox::files(app.data_dir.path())
            .into_iter()
            .filter(|m| m.to.contains(email) && m.subject.contains("Reset"))
            .map(|m| m.token("/password/reset"))
            .collect::<Vec<_>>()
    };
    let before = reset_tokens();
    assert_status(
        app.post("/auth/password/forgot", json!({ "email": email }), None)
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    // The link of the message this request caused: a new one, still open.
    for _ in 0..200 {
        for token in reset_tokens().into_iter().filter(|t| !before.contains(t)) {
            let hash = app.state.keys.tokens.hash("email-link", &token);
            if app
                .state
                .store
                .email_token(&hash, now(app))
                .await
                .unwrap()
                .is_some()
            {
                return token;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no new open reset link to {email}");
}

async fn change(app: &TestApp, to: &str, token: &str) -> reqwest::Response {
    app.post("/me/email", json!({ "newEmail": to }), Some(token))
        .await
}

async fn reset(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.post(
        "/auth/password/reset",
        json!({ "token": token, "newPassword": password }),
        None,
    )
    .await
}

#[tokio::test]
async fn a_reset_link_works_once_signs_everyone_out_and_keeps_the_second_factor() {
    let app = TestApp::spawn_with(|s| s.remember_device_days = 30).await;
    let e = app.enrolled_user().await;
    let remembered = app.remembered_login(&e, true).await;
    let device = remembered["deviceToken"].as_str().unwrap().to_owned();
    let old_refresh = remembered["refreshToken"].as_str().unwrap().to_owned();
    let old_access = remembered["accessToken"].as_str().unwrap().to_owned();
    // The trusted browser skips the code before the reset.
    let before = json_of(
        app.login_with_device(&e.user.email, PASSWORD, &device)
            .await,
    )
    .await;
    assert_eq!(before["mfaRequired"], false, "{before}");

    let token = reset_link(&app, &e.user.email).await;
    assert_error(
        reset(&app, &token, "short").await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
    assert_status(
        reset(&app, &token, "a brand new passphrase").await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_error(
        reset(&app, &token, "yet another passphrase").await,
        StatusCode::BAD_REQUEST,
        "invalid_token",
    )
    .await;

    // Every session and refresh token is gone.
    assert_error(
        app.refresh(&old_refresh).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    assert_eq!(app.me(&old_access).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.me(&e.user.access_token).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // The old password is refused, the new one asks for the code, even on the browser that
    // was trusted.
    assert_error(
        app.login(&e.user.email, PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let after = json_of(
        app.login_with_device(&e.user.email, "a brand new passphrase", &device)
            .await,
    )
    .await;
    assert_eq!(after["mfaRequired"], true, "{after}");
    // The owner hears of it.
    mailbox::wait_for(
        app.data_dir.path(),
        &e.user.email,
        "Your password was reset",
    )
    .await;
}

#[tokio::test]
async fn a_reset_link_dies_after_thirty_minutes_and_after_another_password_change() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let token = reset_link(&app, &user.email).await;
    app.clock.advance(30 * 60 + 1);
    assert_error(
        reset(&app, &token, "a brand new passphrase").await,
        StatusCode::BAD_REQUEST,
        "invalid_token",
    )
    .await;

    let token = reset_link(&app, &user.email).await;
    let fresh = json_of(app.login(&user.email, PASSWORD).await).await;
    assert_status(
        app.post(
            "/auth/password",
            json!({ "currentPassword": PASSWORD, "newPassword": "changed the usual way" }),
            fresh["accessToken"].as_str(),
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_error(
        reset(&app, &token, "a brand new passphrase").await,
        StatusCode::BAD_REQUEST,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn a_reset_link_resets_only_its_own_account() {
    let app = TestApp::spawn().await;
    let alice = app.user().await;
    let bob = app.user().await;
    let token = reset_link(&app, &alice.email).await;
    assert_status(
        reset(&app, &token, "alice's new phrase").await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_status(app.login(&bob.email, PASSWORD).await, StatusCode::OK).await;
    assert_error(
        app.login(&bob.email, "alice's new phrase").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    assert_status(
        app.login(&alice.email, "alice's new phrase").await,
        StatusCode::OK,
    )
    .await;
    // A verification link is no reset link, and a reset link verifies nothing.
    let verify_mail = mailbox::wait_for(app.data_dir.path(), &bob.email, "Confirm").await;
    assert_error(
        reset(
            &app,
            &verify_mail.token("/email/verify"),
            "bob's new phrase",
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_token",
    )
    .await;
    let token = reset_link(&app, &bob.email).await;
    assert_error(
        verify(&app, &token).await,
        StatusCode::BAD_REQUEST,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn require_verified_email_refuses_only_after_a_correct_password() {
    let app = TestApp::spawn_with(|s| s.require_verified_email = true).await;
    let email = new_email();
    assert_status(app.register(&email, PASSWORD).await, StatusCode::CREATED).await;
    assert_error(
        app.login(&email, "wrong password!").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    assert_error(
        app.login(&email, PASSWORD).await,
        StatusCode::FORBIDDEN,
        "email_not_verified",
    )
    .await;
    let mail = mailbox::wait_for(app.data_dir.path(), &email, "Confirm").await;
    assert_status(
        verify(&app, &mail.token("/email/verify")).await,
        StatusCode::OK,
    )
    .await;
    assert_status(app.login(&email, PASSWORD).await, StatusCode::OK).await;
}

#[tokio::test]
async fn changing_the_address_needs_a_recent_sign_in_and_the_new_addresses_link() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let other = app.user().await;
    let new = new_email();

    assert_error(
        change(&app, &other.email, &user.access_token).await,
        StatusCode::CONFLICT,
        "email_taken",
    )
    .await;
    assert_status(
        change(&app, &new, &user.access_token).await,
        StatusCode::ACCEPTED,
    )
    .await;
    // Nothing changes until the link is followed.
    let me = json_of(app.me(&user.access_token).await).await;
    assert_eq!(me["email"], user.email.as_str());
    let mail = mailbox::wait_for(app.data_dir.path(), &new, "Confirm your new email").await;
    let body = json_of(
        assert_status(
            verify(&app, &mail.token("/email/verify")).await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    assert_eq!(body["emailChanged"], true);
    let me = json_of(app.me(&user.access_token).await).await;
    assert_eq!(
        (me["email"].as_str(), me["emailVerified"].as_bool()),
        (Some(new.as_str()), Some(true))
    );
    assert_status(app.login(&new, PASSWORD).await, StatusCode::OK).await;
    // The old address is told.
    let notice = mailbox::wait_for(
        app.data_dir.path(),
        &user.email,
        "email address was changed",
    )
    .await;
    assert!(notice.text.contains(&new));

    // After step_up_seconds, a change needs a new proof.
    app.clock.advance(601);
    let late = app.refresh(&user.refresh_token).await;
    let token = json_of(late).await["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_error(
        change(&app, &new_email(), &token).await,
        StatusCode::FORBIDDEN,
        "step_up_required",
    )
    .await;
}

#[tokio::test]
async fn security_notices_go_out_and_only_the_new_browser_one_can_be_switched_off() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let email = &e.user.email;
    mailbox::wait_for(app.data_dir.path(), email, "sign-in method was added").await;
    // A sign-in without a device token of the account: a new browser.
    app.next_step();
    let challenge = app.challenge(&e.user).await;
    assert_status(
        app.verify_mfa(&challenge, &oathtool(&e.secret, now(&app)))
            .await,
        StatusCode::OK,
    )
    .await;
    let notice = mailbox::wait_for(app.data_dir.path(), email, "new browser").await;
    assert!(notice.text.contains("127.0.0.1"), "{}", notice.text);
    // With its device token: no notice.
    let count = || {
        mailbox::files(app.data_dir.path())
            .iter()
            .filter(|m| m.to.contains(email.as_str()) && m.subject.contains("new browser"))
            .count()
    };
    app.next_step();
    let known = json_of(
        app.login_with_device(email, PASSWORD, &e.user.device_token)
            .await,
    )
    .await;
    let code = oathtool(&e.secret, now(&app));
    assert_status(
        app.verify_mfa(known["mfaChallengeToken"].as_str().unwrap(), &code)
            .await,
        StatusCode::OK,
    )
    .await;
    // Switched off: no notice for a new browser.
    let off = app
        .request(
            reqwest::Method::PATCH,
            "/me/notices",
            Some(json!({ "newBrowser": false })),
            Some(&e.user.access_token),
        )
        .await;
    assert_eq!(json_of(off).await["newBrowser"], false);
    app.next_step();
    let challenge = app.challenge(&e.user).await;
    assert_status(
        app.verify_mfa(&challenge, &oathtool(&e.secret, now(&app)))
            .await,
        StatusCode::OK,
    )
    .await;
    // Recovery codes made anew always notify.
    app.next_step();
    let code = oathtool(&e.secret, now(&app));
    assert_status(
        app.post(
            "/mfa/recovery-codes/regenerate",
            json!({ "code": code }),
            Some(&e.user.access_token),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    mailbox::wait_for(app.data_dir.path(), email, "New recovery codes").await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(count(), 1);
}

#[tokio::test]
async fn smtp_down_then_up_delivers_what_waited() {
    let port = closed_port();
    let app = TestApp::spawn_with(|s| {
        s.smtp_url = Some(format!("smtp://127.0.0.1:{port}?tls=off").into());
    })
    .await;
    let email = new_email();
    // The change succeeds while the server is down; the message waits.
    assert_status(app.register(&email, PASSWORD).await, StatusCode::CREATED).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(app.state.store.mail_backlog().await.unwrap(), 1);
    let sink = SmtpSink::start_on(port).await;
    // Retried a minute later (the outbox's backoff), not before.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(sink.messages().is_empty());
    app.clock.advance(61);
    let got = wait_until(|| sink.messages().into_iter().find(|m| m.to.contains(&email))).await;
    let mail = got.expect("delivered once the server is back");
    assert!(mail.subject.contains("Confirm"));
    // Marked sent right after the server's answer.
    let mut backlog = 1;
    for _ in 0..200 {
        backlog = app.state.store.mail_backlog().await.unwrap();
        if backlog == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(backlog, 0);
}

#[tokio::test]
async fn sqlite_only_a_killed_instance_loses_no_queued_message() {
    crate::helpers::sqlite_only();
    let dir = tempfile::tempdir().unwrap();
    let port = closed_port();
    let url = format!("smtp://127.0.0.1:{port}?tls=off");
    let key = twofold::crypto::keys::MasterKey::generate_base64();
    let env = [
        ("TWOFOLD_SMTP_URL", url.as_str()),
        ("TWOFOLD_MASTER_KEY", key.as_str()),
    ];
    let (mut child, api) = start_binary(dir.path(), &[], &env);
    let email = new_email();
    let client = reqwest::Client::new();
    let resp = client
        .post(format!("{api}/auth/register"))
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    child.kill().unwrap(); // SIGKILL: no shutdown of any kind
    child.wait().unwrap();
    // The message is in the database, unsent. (The killed process may have tried once and
    // scheduled its retry a minute later; the backoff has its own test, so that retry is
    // moved to now rather than waited for.)
    let db = rusqlite::Connection::open(dir.path().join("twofold.db")).unwrap();
    let waiting: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM mail_outbox WHERE to_address = ?1 AND sent_at IS NULL",
            [&email],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(waiting, 1);
    db.execute("UPDATE mail_outbox SET next_attempt_at = 0", [])
        .unwrap();
    drop(db);
    let sink = SmtpSink::start_on(port).await;
    let (mut child, _) = start_binary(dir.path(), &[], &env);
    let got = wait_until(|| sink.messages().into_iter().find(|m| m.to.contains(&email))).await;
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        got.is_some(),
        "the queued message went out after the restart"
    );
}

#[tokio::test]
async fn a_reset_link_dies_when_the_address_changes_and_ends_sign_ins_under_way() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let old_link = reset_link(&app, &user.email).await;
    let new = new_email();
    assert_status(
        change(&app, &new, &user.access_token).await,
        StatusCode::ACCEPTED,
    )
    .await;
    let mail = mailbox::wait_for(app.data_dir.path(), &new, "Confirm your new email").await;
    assert_status(
        verify(&app, &mail.token("/email/verify")).await,
        StatusCode::OK,
    )
    .await;
    // The old mailbox's link no longer resets anything.
    assert_error(
        reset(&app, &old_link, "taken over by the old mailbox").await,
        StatusCode::BAD_REQUEST,
        "invalid_token",
    )
    .await;

    // An MFA sign-in half done with the old password does not finish after a reset.
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    app.next_step();
    let challenge = app.challenge(&e.user).await;
    let token = reset_link(&app, &e.user.email).await;
    assert_status(
        reset(&app, &token, "a brand new passphrase").await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_error(
        app.verify_mfa(&challenge, &oathtool(&e.secret, now(&app)))
            .await,
        StatusCode::UNAUTHORIZED,
        "invalid_challenge",
    )
    .await;
}

#[tokio::test]
async fn a_reset_lifts_the_accounts_password_lock() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    for _ in 0..app.settings.password_max_failures {
        app.login(&user.email, "wrong password!").await;
    }
    assert_error(
        app.login(&user.email, PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
    let token = reset_link(&app, &user.email).await;
    assert_status(
        reset(&app, &token, "a brand new passphrase").await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_status(
        app.login(&user.email, "a brand new passphrase").await,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn the_forgot_limit_outlives_the_links_and_the_sweep() {
    let app = TestApp::spawn_with(|s| s.sweep_interval_seconds = 0).await;
    let user = app.user().await;
    let resets = || {
        mailbox::files(app.data_dir.path())
            .iter()
            .filter(|m| m.to.contains(&user.email) && m.subject.contains("Reset"))
            .count()
    };
    for _ in 0..3 {
        reset_link(&app, &user.email).await;
    }
    // The links expire (30 minutes) and are swept; the hour is not over.
    app.clock.advance(31 * 60);
    twofold::service::sweep::sweep_once(&app.state)
        .await
        .unwrap();
    assert_status(
        app.post(
            "/auth/password/forgot",
            json!({ "email": user.email }),
            None,
        )
        .await,
        StatusCode::ACCEPTED,
    )
    .await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(resets(), 3, "no fourth message within the hour");
    app.clock.advance(30 * 60);
    reset_link(&app, &user.email).await;
    assert_eq!(resets(), 4);
}

#[tokio::test]
async fn messages_are_files_for_the_owner_only_and_a_change_link_lives_a_day() {
    use std::os::unix::fs::PermissionsExt;
    let app = TestApp::spawn().await;
    let user = app.user().await;
    mailbox::wait_for(app.data_dir.path(), &user.email, "Confirm").await;
    let folder = app.data_dir.path().join("mail");
    assert_eq!(
        std::fs::metadata(&folder).unwrap().permissions().mode() & 0o777,
        0o700
    );
    for file in std::fs::read_dir(&folder).unwrap() {
        let mode = file.unwrap().metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let new = new_email();
    assert_status(
        change(&app, &new, &user.access_token).await,
        StatusCode::ACCEPTED,
    )
    .await;
    let mail = mailbox::wait_for(app.data_dir.path(), &new, "Confirm your new email").await;
    app.clock.advance(24 * 3600 + 1);
    assert_error(
        verify(&app, &mail.token("/email/verify")).await,
        StatusCode::BAD_REQUEST,
        "invalid_token",
    )
    .await;
    let login = json_of(app.login(&user.email, PASSWORD).await).await;
    let me = json_of(app.me(login["accessToken"].as_str().unwrap()).await).await;
    assert_eq!(me["email"], user.email.as_str());
}
