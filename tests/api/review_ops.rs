//! Issue 18 (second review): see the README's "After the second review".
//! Items:
//! - 6: cookies and HSTS from `public_url`'s scheme.
//! - 7: step-up to sign one session out or untrust a browser.
//! - 12: the webhook outbox is swept and bounded.
//! - 13: the last admin stays; admin actions say why.

use std::collections::BTreeMap;

use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use reqwest::{redirect, Method, StatusCode};
use serde_json::{json, Value};

#[allow(unused_imports)]
use crate::helpers::*;
use crate::operate::{claims_of, cli, exits};

/// A browser without JavaScript for the pages: keeps cookies, follows no redirect.
struct Jar<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
    cookies: BTreeMap<String, String>,
}

/// An answer of a page: status, headers (every `Set-Cookie` kept) and body.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    fn location(&self) -> &str {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }

    /// The first form's `csrf_token`.
    fn csrf_token(&self) -> String {
        let marker = "name=\"csrf_token\" value=\"";
        let at = self.body.find(marker).expect("a csrf_token field") + marker.len();
        let rest = &self.body[at..];
        rest[..rest.find('"').unwrap()].to_owned()
    }
}

impl<'a> Jar<'a> {
    fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            client: reqwest::Client::builder()
                .redirect(redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: BTreeMap::new(),
        }
    }

    async fn send(&mut self, req: reqwest::RequestBuilder) -> Answer {
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let resp = req.header("cookie", cookie).send().await.unwrap();
        for value in resp.headers().get_all(SET_COOKIE) {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        Answer {
            status: resp.status(),
            headers: resp.headers().clone(),
            body: resp.text().await.unwrap(),
        }
    }

    async fn get(&mut self, path: &str) -> Answer {
        let req = self.client.get(format!("{}{path}", self.app.address));
        self.send(req).await
    }

    /// A same-origin form post.
    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Answer {
        let req = self
            .client
            .post(format!("{}{path}", self.app.address))
            .header("sec-fetch-site", "same-origin")
            .form(form);
        self.send(req).await
    }

    /// Signs in through the login form (a user without MFA); the answer to the post.
    async fn sign_in(&mut self, email: &str, password: &str, return_to: &str) -> Answer {
        let token = self.get("/login").await.csrf_token();
        let fields = [
            ("csrf_token", token.as_str()),
            ("email", email),
            ("password", password),
            ("return_to", return_to),
        ];
        self.post("/login", &fields).await
    }
}

// ---- 6. Behind a TLS proxy: Secure, __Host-, HSTS and return_to from public_url -------

#[tokio::test]
async fn behind_a_tls_proxy_cookies_are_secure_with_hsts_and_no_return_to_http() {
    // The shipped unit: a loopback listener behind a proxy that terminates TLS.
    let app =
        TestApp::spawn_with(|s| s.public_url = Some("https://auth.example.test".into())).await;
    assert_eq!(app.settings.listen, "127.0.0.1:0");
    let user = app.user().await;

    let login = assert_status(app.login(&user.email, &user.password).await, StatusCode::OK).await;
    let cookies: Vec<String> = login
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(
        cookies.iter().any(|c| c.starts_with("twofold_device=")),
        "{cookies:?}"
    );
    for cookie in &cookies {
        assert!(cookie.ends_with("; Secure"), "{cookie}");
    }
    let health = app.get("/healthz", None).await;
    assert_eq!(
        health.headers()["strict-transport-security"],
        "max-age=31536000"
    );

    let mut browser = Jar::new(&app);
    let form = browser.get("/login").await;
    let csrf = form.set_cookies();
    assert!(
        csrf.iter()
            .any(|c| c.starts_with("__Host-twofold_csrf=") && c.ends_with("; Secure")),
        "{csrf:?}"
    );
    // return_to names this very host (the Host the proxy passes on), but over http://.
    let downgrade = format!("{}/account/password", app.address);
    assert!(downgrade.starts_with("http://127.0.0.1:"));
    let signed_in = browser
        .sign_in(&user.email, &user.password, &downgrade)
        .await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    assert_eq!(signed_in.location(), "/account");
    let session = signed_in.set_cookies();
    for name in ["twofold_at=", "twofold_rt=", "twofold_device="] {
        let cookie = session
            .iter()
            .find(|c| c.starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {session:?}"));
        assert!(cookie.ends_with("; Secure"), "{cookie}");
    }
    // The same service's https:// URL is still followed.
    let own = browser
        .get("/login?return_to=https%3A%2F%2Fauth.example.test%2Faccount%2Fpassword")
        .await;
    assert_eq!(own.location(), "https://auth.example.test/account/password");

    // Local use (public_url http://) keeps plain cookies and no HSTS.
    let local = TestApp::spawn().await;
    let mut browser = Jar::new(&local);
    let form = browser.get("/login").await;
    let csrf = form.set_cookies();
    assert!(
        csrf.iter()
            .any(|c| c.starts_with("twofold_csrf=") && !c.contains("Secure")),
        "{csrf:?}"
    );
    assert!(form.headers.get("strict-transport-security").is_none());
}

// ---- 7. Step-up to sign another session out or untrust a browser --------------------

fn sid_of(token: &str) -> String {
    claims_of(token)["sid"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn signing_another_session_out_or_untrusting_a_browser_needs_a_recent_sign_in() {
    let app = TestApp::spawn_with(|s| s.remember_device_days = 30).await;
    let user = app.user().await;
    let other = json_of(app.login(&user.email, &user.password).await).await;
    let other_token = other["accessToken"].as_str().unwrap().to_owned();
    let other_path = format!("/sessions/{}", sid_of(&other_token));

    // A stale (say stolen) token cannot sign the owner out, one session at a time.
    app.clock.advance(app.settings.step_up_seconds + 1);
    let refused = assert_error(
        app.request(Method::DELETE, &other_path, None, Some(&user.access_token))
            .await,
        StatusCode::FORBIDDEN,
        "step_up_required",
    )
    .await;
    assert_eq!(refused["methods"], json!(["password"]));
    assert_status(app.me(&other_token).await, StatusCode::OK).await;
    // revoke-others answers the same.
    assert_error(
        app.post(
            "/sessions/revoke-others",
            json!({}),
            Some(&user.access_token),
        )
        .await,
        StatusCode::FORBIDDEN,
        "step_up_required",
    )
    .await;
    // After a step-up it works.
    let fresh = app
        .step_up(&user.access_token, json!({ "password": user.password }))
        .await;
    assert_status(
        app.request(Method::DELETE, &other_path, None, Some(&fresh))
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_error(
        app.me(&other_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    // Signing out the current session (a logout) never needs one.
    app.clock.advance(app.settings.step_up_seconds + 1);
    let own = format!("/sessions/{}", sid_of(&fresh));
    assert_status(
        app.request(Method::DELETE, &own, None, Some(&fresh)).await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_error(
        app.me(&fresh).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;

    // DELETE /devices/{id}: the same rule.
    let e = app.enrolled_user().await;
    let remembered = app.remembered_login(&e, true).await;
    let token = remembered["accessToken"].as_str().unwrap().to_owned();
    let sessions = json_of(app.get("/sessions", Some(&token)).await).await;
    let device = sessions["trustedDevices"][0]["id"].as_str().unwrap();
    let path = format!("/devices/{device}");
    app.clock.advance(app.settings.step_up_seconds + 1);
    assert_error(
        app.request(Method::DELETE, &path, None, Some(&token)).await,
        StatusCode::FORBIDDEN,
        "step_up_required",
    )
    .await;
    app.next_step();
    let code = oathtool(&e.secret, now(&app));
    let fresh = app.step_up(&token, json!({ "code": code })).await;
    assert_status(
        app.request(Method::DELETE, &path, None, Some(&fresh)).await,
        StatusCode::NO_CONTENT,
    )
    .await;
}

#[tokio::test]
async fn the_pages_ask_a_stale_session_to_confirm_before_signing_another_out() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let other = json_of(app.login(&user.email, &user.password).await).await;
    let other_token = other["accessToken"].as_str().unwrap().to_owned();
    let mut browser = Jar::new(&app);
    let signed_in = browser.sign_in(&user.email, &user.password, "").await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    let own = sid_of(&browser.cookies["twofold_at"]);

    app.clock.advance(app.settings.step_up_seconds + 1);
    let csrf = browser.get("/account").await.csrf_token();
    let revoke = format!("/account/sessions/{}/revoke", sid_of(&other_token));
    let answer = browser.post(&revoke, &[("csrf_token", &csrf)]).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location(), "/account/step-up?return_to=%2Faccount");
    assert_status(app.me(&other_token).await, StatusCode::OK).await;

    // Signing this browser's own session out needs no step-up.
    let mine = format!("/account/sessions/{own}/revoke");
    let answer = browser.post(&mine, &[("csrf_token", &csrf)]).await;
    assert_eq!(answer.location(), "/login?done=signed_out");
}

// ---- 12. The webhook outbox: swept like the audit trail, bounded for strangers -------

/// `(user_id, type)` of every outbox row, in order.
async fn outbox_rows(url: &str) -> Vec<(Option<String>, String)> {
    let sql = "SELECT user_id, type FROM webhook_outbox ORDER BY seq";
    if url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        let rows = sqlx::query_as(sql).fetch_all(&pool).await.unwrap();
        pool.close().await;
        rows
    } else {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        let rows = sqlx::query_as(sql).fetch_all(&pool).await.unwrap();
        pool.close().await;
        rows
    }
}

fn webhook_event(user: &str, at: i64, kind: &'static str) -> twofold::store::AuditEvent {
    twofold::store::AuditEvent {
        user_id: Some(user.into()),
        kind: twofold::domain::audit::AuditKind::MfaEnabled,
        at,
        ip: None,
        user_agent: None,
        details: json!({}),
        webhooks: vec![kind],
        notice: None,
    }
}

#[tokio::test]
async fn the_outbox_is_swept_past_retention_and_of_deleted_users() {
    use twofold::store::{connect, NewUser, StoreOptions, WebhookAttempt};
    let dir = tempfile::tempdir().unwrap();
    let url = if backend_is_postgres() {
        fresh_postgres_database().await
    } else {
        format!("sqlite://{}?mode=rwc", dir.path().join("s.db").display())
    };
    let options = StoreOptions {
        max_connections: 2,
        acquire_timeout_secs: 5,
        write_batch_max: 512,
    };
    let store = connect(&url, options).await.unwrap();
    store.migrate().await.unwrap();
    let now = 100 * 86_400;
    for id in ["kept", "gone"] {
        let user = NewUser {
            id: id.into(),
            email: format!("{id}@example.com"),
            password_hash: "$argon2id$x".into(),
            created_at: 1,
        };
        let mut audit = webhook_event(id, now, "mfa.enabled");
        audit.webhooks.clear();
        store.create_user(&user, &audit).await.unwrap();
    }
    for event in [
        webhook_event("kept", 10, "password.changed"), // past the retention
        webhook_event("kept", now, "mfa.enabled"),
        webhook_event("gone", now, "mfa.enabled"), // delivered, then the user is deleted
        webhook_event("gone", now, "mfa.disabled"), // still to deliver when deleted
    ] {
        store.append_audit(&event).await.unwrap();
    }
    let due = store.due_webhooks(now, 10).await.unwrap();
    let delivered = due
        .iter()
        .find(|e| e.user_id.as_deref() == Some("gone"))
        .unwrap();
    assert_eq!(delivered.kind, "mfa.enabled");
    store
        .settle_webhook(delivered.seq, &WebhookAttempt::Delivered { at: now })
        .await
        .unwrap();
    assert_eq!(
        store.delete_user("gone", b"key", &[], None).await.unwrap(),
        twofold::store::UserChange::Done
    );

    store.sweep(now, now - 30 * 86_400, 500).await.unwrap();
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(
        outbox_rows(&url).await,
        [
            (some("kept"), "mfa.enabled".to_owned()),
            (some("gone"), "mfa.disabled".to_owned())
        ]
    );
    // Once the deleted user's last event is sent, it goes too.
    let last = store.due_webhooks(now, 10).await.unwrap();
    let last = last.iter().find(|e| e.user_id.as_deref() == Some("gone"));
    store
        .settle_webhook(
            last.unwrap().seq,
            &WebhookAttempt::Failed {
                at: now,
                error: "answered 500".into(),
            },
        )
        .await
        .unwrap();
    store.sweep(now, now - 30 * 86_400, 500).await.unwrap();
    assert_eq!(outbox_rows(&url).await.len(), 1);
}

#[tokio::test]
async fn a_lock_of_an_email_nobody_registered_queues_no_webhook() {
    use base64::Engine as _;
    // A receiver that is down: events stay in the outbox, waiting.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let secret = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
    let app = TestApp::spawn_with(|s| {
        s.webhook_url = Some(format!("http://127.0.0.1:{port}/hook"));
        s.webhook_secret = Some(secret.into());
        s.password_max_failures = 2;
    })
    .await;
    for n in 0..20 {
        let email = format!("stranger{n}@example.com");
        for _ in 0..2 {
            assert_error(
                app.login(&email, "wrong password").await,
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
            )
            .await;
        }
    }
    assert_eq!(app.state.store.webhook_backlog().await.unwrap(), 0);
    // A real account's lock is still sent.
    let user = app.user().await;
    for _ in 0..2 {
        app.login(&user.email, "wrong password").await;
    }
    assert_eq!(app.state.store.webhook_backlog().await.unwrap(), 1);
}

// ---- 13. The last admin stays; admin actions documented with a reason need one ---------

async fn user_id(app: &TestApp, token: &str) -> String {
    let me = json_of(assert_status(app.me(token).await, StatusCode::OK).await).await;
    me["id"].as_str().unwrap().to_owned()
}

/// An enrolled user made admin by the CLI, signed in with two factors: its access token.
async fn admin(app: &TestApp) -> (Enrolled, String) {
    let e = app.enrolled_user().await;
    exits(&cli(app, &["admin", "grant", &e.user.email]), 0);
    app.next_step();
    let challenge = app.challenge(&e.user).await;
    let code = oathtool(&e.secret, now(app));
    let tokens =
        json_of(assert_status(app.verify_mfa(&challenge, &code).await, StatusCode::OK).await).await;
    (e, tokens["accessToken"].as_str().unwrap().to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_last_admin_cannot_disable_or_delete_itself() {
    let app = TestApp::spawn().await;
    let (me, token) = admin(&app).await;
    let my_id = user_id(&app, &token).await;
    let disable = format!("/admin/users/{my_id}/disable");
    let body = json!({ "reason": "leaving" });
    let refused = assert_error(
        app.post(&disable, body.clone(), Some(&token)).await,
        StatusCode::CONFLICT,
        "last_admin",
    )
    .await;
    assert_eq!(refused["status"], 409);
    let delete = format!("/admin/users/{my_id}");
    assert_error(
        app.request(Method::DELETE, &delete, None, Some(&token))
            .await,
        StatusCode::CONFLICT,
        "last_admin",
    )
    .await;
    // The command line calls the same rule.
    let email = me.user.email.as_str();
    let args = ["admin", "user", "disable", email, "--reason", "leaving"];
    let out = cli(&app, &args);
    exits(&out, 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("last admin"));
    exits(&cli(&app, &["admin", "user", "delete", email]), 1);
    assert_status(app.get("/admin/users", Some(&token)).await, StatusCode::OK).await;

    // With another admin, an admin may step down.
    let (_, other) = admin(&app).await;
    assert_status(
        app.post(&disable, body, Some(&token)).await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_status(app.get("/admin/users", Some(&other)).await, StatusCode::OK).await;
    // ...but now the other one is the last.
    let other_id = user_id(&app, &other).await;
    assert_error(
        app.request(
            Method::DELETE,
            &format!("/admin/users/{other_id}"),
            None,
            Some(&other),
        )
        .await,
        StatusCode::CONFLICT,
        "last_admin",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_actions_documented_with_a_reason_require_one() {
    let app = TestApp::spawn().await;
    let (_, token) = admin(&app).await;
    let target = app.enrolled_user().await;
    let id = user_id(&app, &target.user.access_token).await;
    for action in ["disable", "enable", "mfa/reset"] {
        let path = format!("/admin/users/{id}/{action}");
        for body in [
            json!({}),
            json!({ "reason": "  " }),
            json!({ "reason": null }),
        ] {
            let refused = assert_error(
                app.post(&path, body.clone(), Some(&token)).await,
                StatusCode::BAD_REQUEST,
                "invalid_input",
            )
            .await;
            assert_eq!(refused["details"][0]["field"], "reason", "{action} {body}");
        }
    }
    // Nothing was done: the target still signs in with its second factor.
    assert_status(app.me(&target.user.access_token).await, StatusCode::OK).await;
    let shown = json_of(app.get(&format!("/admin/users/{id}"), Some(&token)).await).await;
    assert_eq!(shown["disabled"], false);
    assert_eq!(shown["mfa"]["enabled"], true);
    for action in ["disable", "enable"] {
        let path = format!("/admin/users/{id}/{action}");
        let body = json!({ "reason": "ticket 42" });
        assert_status(
            app.post(&path, body, Some(&token)).await,
            StatusCode::NO_CONTENT,
        )
        .await;
    }
    // The command line asks for it too (a missing flag is misuse, an empty one a failure).
    let email = target.user.email.as_str();
    for action in ["disable", "enable"] {
        exits(&cli(&app, &["admin", "user", action, email]), 2);
        exits(
            &cli(&app, &["admin", "user", action, email, "--reason", " "]),
            1,
        );
    }
    let audit = json_of(
        app.get(
            &format!("/admin/audit?userId={id}&type=admin.user.enabled"),
            Some(&token),
        )
        .await,
    )
    .await;
    let events: &Vec<Value> = audit["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{audit}");
    assert_eq!(events[0]["details"]["reason"], "ticket 42");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_last_two_admins_stepping_down_at_once_leave_one() {
    // Decided under the row locks of every admin, in the change's transaction: a check
    // read before the write would let both pass.
    for _ in 0..4 {
        let app = TestApp::spawn().await;
        let (_, a) = admin(&app).await;
        let (_, b) = admin(&app).await;
        let mut requests = Vec::new();
        for token in [&a, &b] {
            let id = user_id(&app, token).await;
            requests.push(
                app.client
                    .post(app.url(&format!("/admin/users/{id}/disable")))
                    .bearer_auth(token)
                    .json(&json!({ "reason": "stepping down" })),
            );
        }
        let results = at_once(requests).await;
        assert_eq!(count(&results, StatusCode::NO_CONTENT), 1, "{results:?}");
        assert_eq!(count(&results, StatusCode::CONFLICT), 1, "{results:?}");
    }
}
