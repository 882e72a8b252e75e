//! Forward authentication (PROXY.md) over HTTP, on both backends: the answers of both
//! endpoints, each policy and subject, the bypass attempts, revocation, and nothing
//! written on the allowed path. Real nginx and Traefik in front of an app are
//! `tests/proxy/run.py`.

use reqwest::header::{ACCEPT, COOKIE, LOCATION};
use reqwest::{Response, StatusCode};
use twofold::config::AccessRuleSetting;
use twofold::config::StringList;

use crate::helpers::*;

fn rule(domain: &str, resources: &[&str], subject: &[&str], policy: &str) -> AccessRuleSetting {
    AccessRuleSetting {
        domain: StringList(vec![domain.into()]),
        resources: resources.iter().map(|s| s.to_string()).collect(),
        subject: StringList(subject.iter().map(|s| s.to_string()).collect()),
        policy: policy.into(),
        ..AccessRuleSetting::default()
    }
}

async fn proxied_app() -> TestApp {
    TestApp::spawn_with(|s| {
        s.trusted_proxies = StringList(vec!["127.0.0.1/32".into(), "::1/128".into()]);
        s.cookie_domain = Some("localhost".into());
        s.access_rules = vec![
            rule("app.localhost", &["^/public/"], &[], "bypass"),
            rule("app.localhost", &[], &[], "one_factor"),
            rule("admin.localhost", &[], &["group:admin"], "two_factor"),
            rule("secure.localhost", &[], &[], "two_factor"),
            rule("closed.localhost", &[], &[], "deny"),
        ];
    })
    .await
}

/// Traefik's question about `method https://host uri` from a browser with `token`.
async fn ask(app: &TestApp, method: &str, host: &str, uri: &str, token: Option<&str>) -> Response {
    let mut req = no_redirects()
        .get(format!("{}/api/v1/authz/forward-auth", app.address))
        .header("x-forwarded-method", method)
        .header("x-forwarded-proto", "http")
        .header("x-forwarded-host", host)
        .header("x-forwarded-uri", uri)
        .header(ACCEPT, "text/html,application/xhtml+xml");
    if let Some(token) = token {
        req = req.header(COOKIE, format!("twofold_at={token}"));
    }
    req.send().await.unwrap()
}

fn location(resp: &Response) -> String {
    resp.headers()[LOCATION].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn each_policy_answers_as_proxy_md_says() {
    let app = proxied_app().await;
    let public = app.state.settings.effective_public_url(None);
    // bypass: 200, the identity headers present and empty.
    let resp = ask(&app, "GET", "app.localhost", "/public/logo.png", None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    for h in [
        "remote-user",
        "remote-email",
        "remote-groups",
        "remote-name",
    ] {
        assert_eq!(resp.headers()[h], "", "{h}");
    }
    // Nobody signed in: a browser navigation is sent to sign in (302 for GET, 303 else),
    // a script gets 401; nginx's endpoint always 401 with the URL in Location.
    let resp = ask(&app, "GET", "app.localhost:8443", "/dash?x=1", None).await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    assert_eq!(
        location(&resp),
        format!("{public}/login?return_to=http%3A%2F%2Fapp.localhost%3A8443%2Fdash%3Fx%3D1")
    );
    assert_eq!(
        ask(&app, "POST", "app.localhost", "/form", None)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let script = no_redirects()
        .get(format!("{}/api/v1/authz/forward-auth", app.address))
        .header("x-forwarded-method", "GET")
        .header("x-forwarded-proto", "http")
        .header("x-forwarded-host", "app.localhost")
        .header("x-forwarded-uri", "/api/data")
        .header(ACCEPT, "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(script.status(), StatusCode::UNAUTHORIZED);
    let nginx = no_redirects()
        .get(format!("{}/api/v1/authz/auth-request", app.address))
        .header("x-original-url", "http://app.localhost/dash")
        .header("x-original-method", "GET")
        .send()
        .await
        .unwrap();
    assert_eq!(nginx.status(), StatusCode::UNAUTHORIZED);
    assert!(location(&nginx).starts_with(&format!(
        "{public}/login?return_to=http%3A%2F%2Fapp.localhost%2Fdash"
    )));

    // one_factor with a session: 200 and who it is.
    let user = app.user().await;
    let resp = ask(
        &app,
        "GET",
        "app.localhost",
        "/dash",
        Some(&user.access_token),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let me = json_of(app.me(&user.access_token).await).await;
    assert_eq!(resp.headers()["remote-user"], me["id"].as_str().unwrap());
    assert_eq!(resp.headers()["remote-email"], user.email.as_str());
    assert_eq!(resp.headers()["remote-groups"], "");
    // two_factor: a person without a factor enrolls; with one, steps up; with two, passes.
    let resp = ask(
        &app,
        "GET",
        "secure.localhost",
        "/",
        Some(&user.access_token),
    )
    .await;
    assert!(location(&resp).starts_with(&format!("{public}/account/mfa/setup?return_to=")));
    let e = app.enrolled_user().await;
    let resp = ask(
        &app,
        "GET",
        "secure.localhost",
        "/",
        Some(&e.user.access_token),
    )
    .await;
    assert!(location(&resp).starts_with(&format!("{public}/account/step-up?return_to=")));
    app.next_step();
    let code = oathtool(&e.secret, now(&app));
    let stepped = app
        .step_up(&e.user.access_token, serde_json::json!({ "code": code }))
        .await;
    assert_eq!(
        ask(&app, "GET", "secure.localhost", "/", Some(&stepped))
            .await
            .status(),
        StatusCode::OK
    );
    // A subject that does not match, and deny: 403.
    assert_eq!(
        ask(&app, "GET", "admin.localhost", "/", Some(&stepped))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        ask(&app, "GET", "closed.localhost", "/", Some(&stepped))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    // No rule: the default policy (deny).
    assert_eq!(
        ask(&app, "GET", "other.localhost", "/", Some(&stepped))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn bypass_attempts_are_refused() {
    let app = proxied_app().await;
    // Dot segments, encoded dots and double slashes are resolved before the rules.
    for uri in [
        "/public/../admin",
        "/public/%2e%2e/admin",
        "/public/%2E%2E/admin",
        "//public/../admin",
    ] {
        let resp = ask(&app, "GET", "app.localhost", uri, None).await;
        assert_eq!(
            resp.status(),
            StatusCode::FOUND,
            "{uri} must not be bypassed"
        );
    }
    // An encoded slash, NUL or backslash, and an absolute-form URI: denied.
    for uri in [
        "/public%2F..%2Fadmin",
        "/public/%00",
        "/public/%5c..",
        "http://app.localhost/public/x",
    ] {
        assert_eq!(
            ask(&app, "GET", "app.localhost", uri, None).await.status(),
            StatusCode::FORBIDDEN,
            "{uri}"
        );
    }
    // Rules are case-sensitive: /PUBLIC/ is not /public/.
    assert_eq!(
        ask(&app, "GET", "app.localhost", "/PUBLIC/x", None)
            .await
            .status(),
        StatusCode::FOUND
    );
    // A host outside cookie_domain, or a missing header: 400.
    assert_eq!(
        ask(&app, "GET", "evil.example", "/public/x", None)
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
    let missing = no_redirects()
        .get(format!("{}/api/v1/authz/forward-auth", app.address))
        .header("x-forwarded-method", "GET")
        .header("x-forwarded-host", "app.localhost")
        .header("x-forwarded-uri", "/public/x")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
    // A websocket upgrade is decided like any request.
    let ws = no_redirects()
        .get(format!("{}/api/v1/authz/forward-auth", app.address))
        .header("x-forwarded-method", "GET")
        .header("x-forwarded-proto", "ws")
        .header("x-forwarded-host", "app.localhost")
        .header("x-forwarded-uri", "/socket")
        .header("upgrade", "websocket")
        .header("connection", "upgrade")
        .send()
        .await
        .unwrap();
    assert_eq!(ws.status(), StatusCode::UNAUTHORIZED);
    // Forwarded headers from an untrusted address: 401, nothing revealed.
    let untrusted = TestApp::spawn_with(|s| {
        s.cookie_domain = Some("localhost".into());
        s.access_rules = vec![rule("app.localhost", &[], &[], "bypass")];
    })
    .await;
    let resp = ask(&untrusted, "GET", "app.localhost", "/", None).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(resp.headers().get("remote-user").is_none());
}

#[tokio::test]
async fn revocation_stops_access_at_once_and_nothing_is_written() {
    let app = proxied_app().await;
    let user = app.user().await;
    let before = app.audit_types(&user.access_token).await.len();
    for _ in 0..5 {
        assert_eq!(
            ask(&app, "GET", "app.localhost", "/", Some(&user.access_token))
                .await
                .status(),
            StatusCode::OK
        );
    }
    assert_eq!(
        app.audit_types(&user.access_token).await.len(),
        before,
        "no audit row per request"
    );
    // An expired access token with a live refresh cookie still passes, rotating nothing.
    app.clock.advance(app.settings.access_token_ttl + 1);
    let resp = no_redirects()
        .get(format!("{}/api/v1/authz/forward-auth", app.address))
        .header("x-forwarded-method", "GET")
        .header("x-forwarded-proto", "http")
        .header("x-forwarded-host", "app.localhost")
        .header("x-forwarded-uri", "/")
        .header(
            COOKIE,
            format!(
                "twofold_at={}; twofold_rt={}",
                user.access_token, user.refresh_token
            ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers().get("set-cookie").is_none());
    assert_status(app.refresh(&user.refresh_token).await, StatusCode::OK).await;
    // Signed out: the next decision says so.
    let fresh = json_of(app.login(&user.email, &user.password).await).await;
    let token = fresh["accessToken"].as_str().unwrap();
    assert_eq!(
        ask(&app, "GET", "app.localhost", "/", Some(token))
            .await
            .status(),
        StatusCode::OK
    );
    app.logout(token).await;
    within_a_second(
        || ask(&app, "GET", "app.localhost", "/", Some(token)),
        StatusCode::FOUND,
    )
    .await;
}

/// Asks until the answer is `want`; PROXY.md's bound on a revocation is one second.
pub async fn within_a_second<F, Fut>(ask: F, want: StatusCode)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Response>,
{
    let started = std::time::Instant::now();
    loop {
        let status = ask().await.status();
        if status == want {
            return;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "still {status} after a second"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn the_session_cookies_are_shared_with_cookie_domain_and_return_to_reaches_its_apps() {
    let app = proxied_app().await;
    let user = app.user().await;
    let resp = app
        .client
        .post(format!("{}/api/v1/auth/login", app.address))
        .json(&serde_json::json!({ "email": user.email, "password": user.password }))
        .send()
        .await
        .unwrap();
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("; Domain=localhost"), "{cookie}");
    // The login page follows return_to to an app on the domain, not elsewhere.
    let page = no_redirects()
        .get(format!(
            "{}/login?return_to=http%3A%2F%2Fapp.localhost%2Fdash",
            app.address
        ))
        .header(COOKIE, format!("twofold_at={}", user.access_token))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&page), "http://app.localhost/dash");
    let page = no_redirects()
        .get(format!(
            "{}/login?return_to=http%3A%2F%2Fevil.example%2F",
            app.address
        ))
        .header(COOKIE, format!("twofold_at={}", user.access_token))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&page), "/account");
}

#[tokio::test]
async fn a_bad_rule_stops_the_server_with_its_number() {
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let mut settings = test_settings(&dir);
    settings.cookie_domain = Some("localhost".into());
    settings.access_rules = vec![
        rule("app.localhost", &[], &[], "bypass"),
        rule("b.localhost", &["("], &[], "deny"),
    ];
    let err = twofold::startup::check_settings(&settings)
        .unwrap_err()
        .to_string();
    assert!(err.contains("access rule 2"), "{err}");
    settings.access_rules = vec![rule("app.example.com", &[], &[], "bypass")];
    assert!(twofold::startup::check_settings(&settings)
        .unwrap_err()
        .to_string()
        .contains("outside cookie_domain"));
    settings.access_rules = Vec::new();
    settings.cookie_domain = Some("example.com".into());
    assert!(twofold::startup::check_settings(&settings)
        .unwrap_err()
        .to_string()
        .contains("cookie_domain"));
}

/// A second review's findings: an app's own Bearer token does not hide the browser's
/// session from the decision, and nginx's two descriptions of the host must agree.
#[tokio::test]
async fn the_apps_bearer_token_and_contradicting_headers() {
    let app = proxied_app().await;
    let user = app.user().await;
    let resp = no_redirects()
        .get(format!("{}/api/v1/authz/auth-request", app.address))
        .header("x-original-url", "http://app.localhost/api/items")
        .header("x-original-method", "POST")
        .header("authorization", "Bearer the-apps-own-token")
        .header(COOKIE, format!("twofold_at={}", user.access_token))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let resp = no_redirects()
        .post(format!("{}/api/v1/authz/auth-request", app.address))
        .header("x-original-url", "http://app.localhost/public/x")
        .header("x-original-method", "GET")
        .header("x-forwarded-host", "admin.localhost")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
}
