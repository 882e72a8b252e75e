//! The hosted pages over HTTP (the browser flows are in `tests/browser/pages.py`): the
//! anti-CSRF token and the cross-site rule (refused posts change nothing), security
//! headers, `return_to`, sign-in redirects, the server-side refresh, logout, and the MFA
//! step's single use and lock.

use std::collections::BTreeMap;

use reqwest::header::{HeaderMap, CONTENT_TYPE, LOCATION, SET_COOKIE};
use reqwest::{redirect, StatusCode};

use crate::helpers::*;

/// A browser without JavaScript: keeps cookies, follows nothing by itself.
struct Browser<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
    cookies: BTreeMap<String, String>,
}

/// An answer: status, headers, body.
struct Page {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Page {
    fn location(&self) -> &str {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The value of the hidden `csrf_token` field of the page's first form.
    fn csrf_token(&self) -> String {
        let at = self
            .body
            .find("name=\"csrf_token\" value=\"")
            .expect("a csrf_token field");
        let rest = &self.body[at + "name=\"csrf_token\" value=\"".len()..];
        rest[..rest.find('"').unwrap()].to_owned()
    }
}

impl<'a> Browser<'a> {
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

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn send(&mut self, req: reqwest::RequestBuilder) -> Page {
        let resp = req
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        for value in resp.headers().get_all(SET_COOKIE) {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || value == "\"\"" {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        Page {
            status: resp.status(),
            headers: resp.headers().clone(),
            body: resp.text().await.unwrap(),
        }
    }

    async fn get(&mut self, path: &str) -> Page {
        let req = self.client.get(format!("{}{path}", self.app.address));
        self.send(req).await
    }

    /// A same-origin form post, as a browser sends it.
    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        self.post_from("same-origin", path, form).await
    }

    async fn post_from(&mut self, site: &str, path: &str, form: &[(&str, &str)]) -> Page {
        let req = self
            .client
            .post(format!("{}{path}", self.app.address))
            .header("sec-fetch-site", site)
            .form(form);
        self.send(req).await
    }

    /// Signs in through the login form; the answer to the password step.
    async fn sign_in(&mut self, email: &str, password: &str, return_to: &str) -> Page {
        let token = self.get("/login").await.csrf_token();
        self.post(
            "/login",
            &[
                ("csrf_token", &token),
                ("email", email),
                ("password", password),
                ("return_to", return_to),
            ],
        )
        .await
    }

    /// The access token the pages set.
    fn access_token(&self) -> String {
        self.cookies["twofold_at"].clone()
    }
}

#[tokio::test]
async fn pages_send_the_security_headers() {
    let app = TestApp::spawn().await;
    let mut browser = Browser::new(&app);
    let page = browser.get("/login").await;
    assert_eq!(page.status, StatusCode::OK);
    let header = |name: &str| page.headers.get(name).unwrap().to_str().unwrap().to_owned();
    assert!(header(CONTENT_TYPE.as_str()).starts_with("text/html"));
    let csp = header("content-security-policy");
    for directive in [
        "frame-ancestors 'none'",
        "script-src 'self'",
        "default-src 'none'",
    ] {
        assert!(csp.contains(directive), "{csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(header("x-frame-options"), "DENY");
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert!(!page.body.contains("<script>"), "no inline script");
    assert!(browser.cookies.contains_key("twofold_csrf"));
    assert!(!page.csrf_token().is_empty());
}

#[tokio::test]
async fn a_post_without_this_browsers_token_changes_nothing() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let mut browser = Browser::new(&app);
    let signed_in = browser.sign_in(&user.email, &user.password, "").await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    assert_eq!(signed_in.location(), "/account");
    let token = browser.get("/account/password").await.csrf_token();
    let mut other = Browser::new(&app);
    let foreign_token = other.get("/login").await.csrf_token();
    assert_ne!(token, foreign_token, "each browser has its own token");

    fn change(token: &str) -> [(&str, &str); 3] {
        [
            ("csrf_token", token),
            ("current_password", "correct horse battery staple"),
            ("new_password", "the attacker's new password"),
        ]
    }
    for bad in ["", "forged", foreign_token.as_str()] {
        let page = browser.post("/account/password", &change(bad)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "token {bad:?}");
        assert!(page.headers[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert!(page.body.contains("Nothing was changed"));
    }
    let page = browser.post("/logout", &[]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);

    // Nothing changed: the password is the old one, the session is alive.
    assert_status(app.login(&user.email, &user.password).await, StatusCode::OK).await;
    assert_status(app.me(&browser.access_token()).await, StatusCode::OK).await;
    // And the right token works.
    let page = browser.post("/account/password", &change(&token)).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_status(
        app.login(&user.email, "the attacker's new password").await,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn cross_site_posts_are_refused_with_a_page() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let mut browser = Browser::new(&app);
    let token = browser.get("/login").await.csrf_token();
    let form = [
        ("csrf_token", token.as_str()),
        ("email", user.email.as_str()),
        ("password", user.password.as_str()),
    ];
    for site in ["cross-site", "same-site"] {
        let page = browser.post_from(site, "/login", &form).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{site}");
        assert!(page.body.contains("refused"));
        assert!(!browser.cookies.contains_key("twofold_at"), "no session");
    }
    // Without Sec-Fetch-Site, a foreign Origin is refused too.
    let req = browser
        .client
        .post(format!("{}/login", app.address))
        .header("origin", "https://evil.example")
        .form(&form);
    let page = browser.send(req).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = browser.post("/login", &form).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn return_to_stays_on_this_service_or_an_allowed_origin() {
    let app = TestApp::spawn_with(|s| {
        s.allowed_origins = twofold::config::StringList(vec!["https://app.example".into()]);
    })
    .await;
    let user = app.user().await;
    for (return_to, lands) in [
        ("https://evil.example/x", "/account"),
        ("//evil.example/x", "/account"),
        ("/\\evil.example", "/account"),
        ("javascript:alert(1)", "/account"),
        ("/account/password", "/account/password"),
        ("https://app.example/done", "https://app.example/done"),
    ] {
        let mut browser = Browser::new(&app);
        let page = browser
            .sign_in(&user.email, &user.password, return_to)
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(page.location(), lands, "return_to {return_to:?}");
    }
    let csp = Browser::new(&app).get("/login").await.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("form-action 'self' https://app.example"),
        "{csp}"
    );
}

#[tokio::test]
async fn signed_out_pages_send_to_the_login_and_back() {
    let app = TestApp::spawn().await;
    let mut browser = Browser::new(&app);
    let page = browser.get("/account/mfa/setup").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/login?return_to=%2Faccount%2Fmfa%2Fsetup");
    assert_eq!(browser.get("/account").await.location(), "/login");
    let login = browser
        .get("/login?return_to=%2Faccount%2Fmfa%2Fsetup")
        .await;
    assert!(login.body.contains("value=\"/account/mfa/setup\""));
}

#[tokio::test]
async fn the_pages_refresh_an_expired_token_and_logout_ends_everything() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&user.email, &user.password, "").await;
    let first_access = browser.access_token();
    let first_refresh = browser.cookies["twofold_rt"].clone();

    app.clock.advance(app.settings.access_token_ttl + 60);
    assert_status(app.me(&first_access).await, StatusCode::UNAUTHORIZED).await;
    let page = browser.get("/account").await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "signed in through the refresh cookie"
    );
    assert!(page.body.contains(&user.email));
    assert_ne!(browser.access_token(), first_access);
    assert_ne!(browser.cookies["twofold_rt"], first_refresh, "rotated");
    let access = browser.access_token();
    let refresh = browser.cookies["twofold_rt"].clone();
    assert_status(app.me(&access).await, StatusCode::OK).await;

    let token = page.csrf_token();
    let out = browser.post("/logout", &[("csrf_token", &token)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.location(), "/login?done=signed_out");
    assert!(!browser.cookies.contains_key("twofold_at"));
    assert_status(app.me(&access).await, StatusCode::UNAUTHORIZED).await;
    assert_status(app.refresh(&refresh).await, StatusCode::UNAUTHORIZED).await;
    // The old cookies, replayed, open nothing.
    browser.cookies.insert("twofold_at".into(), access);
    browser.cookies.insert("twofold_rt".into(), refresh);
    assert_eq!(browser.get("/account").await.location(), "/login");
}

#[tokio::test]
async fn the_code_step_spends_a_code_once_and_locks_with_a_page() {
    let app = TestApp::spawn().await;
    let enrolled = app.enrolled_user().await;
    let user = &enrolled.user;
    app.next_step();
    let code = oathtool(&enrolled.secret, now(&app));

    let mut browser = Browser::new(&app);
    let page = browser.sign_in(&user.email, &user.password, "").await;
    assert_eq!(page.location(), "/login/mfa");
    assert!(
        !browser.cookies.contains_key("twofold_at"),
        "no session before the code"
    );
    let form = browser.get("/login/mfa").await;
    assert!(form.body.contains("autocomplete=\"one-time-code\""));
    assert!(form.body.contains("inputmode=\"numeric\""));
    let token = form.csrf_token();
    let page = browser
        .post("/login/mfa", &[("csrf_token", &token), ("code", &code)])
        .await;
    assert_eq!(page.location(), "/account");
    assert_status(app.me(&browser.access_token()).await, StatusCode::OK).await;

    // The same code again, in another browser: refused beside the field.
    let mut second = Browser::new(&app);
    second.sign_in(&user.email, &user.password, "").await;
    let token = second.get("/login/mfa").await.csrf_token();
    let page = second
        .post("/login/mfa", &[("csrf_token", &token), ("code", &code)])
        .await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(page.body.contains("role=\"alert\""));
    assert!(page.body.contains("aria-invalid=\"true\""));
    // Two more wrong codes lock the step: the page says when to try again.
    let mut last = page;
    for _ in 0..3 {
        last = second
            .post("/login/mfa", &[("csrf_token", &token), ("code", "000000")])
            .await;
    }
    assert_eq!(last.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(last.headers.contains_key("retry-after"));
    assert!(last.body.contains("Try again in"), "{}", last.body);
    assert!(!second.cookies.contains_key("twofold_at"));
}

#[tokio::test]
async fn the_hashing_posts_share_the_per_address_limit_and_answer_with_a_page() {
    let app = TestApp::spawn_with(|s| {
        s.rate_limit_burst = 2;
        s.rate_limit_per_second = 0.01;
    })
    .await;
    let mut browser = Browser::new(&app);
    let token = browser.get("/login").await.csrf_token();
    let form = [
        ("csrf_token", token.as_str()),
        ("email", "nobody@example.com"),
        ("password", "wrong password"),
    ];
    for _ in 0..2 {
        let page = browser.post("/login", &form).await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        assert!(page.body.contains("email or password is not right"));
    }
    let page = browser.post("/login", &form).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.headers.contains_key("retry-after"));
    assert!(page.body.contains("Try again in"));
    // Pages that cost nothing are not limited.
    assert_eq!(browser.get("/login").await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_brand_settings_reach_the_pages() {
    let app = TestApp::spawn_with(|s| {
        s.issuer = "Acme ID".into();
        s.brand_color = Some("#0a7d55".into());
        s.logo_url = Some("https://cdn.acme.example/logo.svg".into());
    })
    .await;
    let mut browser = Browser::new(&app);
    let page = browser.get("/login").await;
    assert!(page.body.contains("Acme ID"));
    assert!(page
        .body
        .contains("src=\"https://cdn.acme.example/logo.svg\""));
    assert!(page.body.contains("/assets/brand.css"));
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("img-src 'self' data: https://cdn.acme.example"),
        "{csp}"
    );
    let css = browser.get("/assets/brand.css").await;
    assert!(css.body.contains("--brand: #0a7d55"), "{}", css.body);
    let settings = twofold::config::Settings {
        brand_color: Some("red; } body { display: none".into()),
        ..twofold::config::Settings::default()
    };
    assert!(twofold::startup::check_settings(&settings).is_err());
}

#[tokio::test]
async fn a_stale_page_session_confirms_it_is_you_before_enrolling() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&user.email, &user.password, "").await;
    assert_eq!(
        browser.get("/account/mfa/setup").await.status,
        StatusCode::OK
    );

    app.clock.advance(app.settings.step_up_seconds + 1);
    for page in ["/account/mfa/setup", "/account/password"] {
        let answer = browser.get(page).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{page}");
        assert_eq!(
            answer.location(),
            format!("/account/step-up?return_to={}", page.replace('/', "%2F"))
        );
    }
    let form = browser
        .get("/account/step-up?return_to=%2Faccount%2Fmfa%2Fsetup")
        .await;
    assert!(form.body.contains("autocomplete=\"current-password\""));
    let token = form.csrf_token();
    let wrong = browser
        .post(
            "/account/step-up?return_to=%2Faccount%2Fmfa%2Fsetup",
            &[("csrf_token", &token), ("password", "not it")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("aria-invalid=\"true\""));
    let done = browser
        .post(
            "/account/step-up?return_to=%2Faccount%2Fmfa%2Fsetup",
            &[("csrf_token", &token), ("password", &user.password)],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), "/account/mfa/setup");
    let setup = browser.get("/account/mfa/setup").await;
    assert_eq!(setup.status, StatusCode::OK);
    assert!(setup.body.contains("data-testid=\"totp-secret\""));
}

#[tokio::test]
async fn sign_in_methods_are_listed_and_changed_only_after_a_recent_sign_in() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let second = {
        let pending = json_of(
            app.post(
                "/mfa/factors/totp",
                serde_json::json!({ "name": "Spare" }),
                Some(&e.user.access_token),
            )
            .await,
        )
        .await;
        let id = pending["factorId"].as_str().unwrap().to_owned();
        let code = oathtool(pending["secret"].as_str().unwrap(), now(&app));
        assert_status(
            app.post(
                "/mfa/factors/totp/confirm",
                serde_json::json!({ "factorId": id, "code": code }),
                Some(&e.user.access_token),
            )
            .await,
            StatusCode::OK,
        )
        .await;
        id
    };
    let mut browser = Browser::new(&app);
    browser.sign_in(&e.user.email, &e.user.password, "").await;
    app.next_step();
    let token = browser.get("/login/mfa").await.csrf_token();
    let code = oathtool(&e.secret, now(&app));
    let signed_in = browser
        .post("/login/mfa", &[("csrf_token", &token), ("code", &code)])
        .await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    let account = browser.get("/account").await;
    assert_eq!(account.body.matches("data-testid=\"factor\"").count(), 2);
    assert!(account.body.contains("Spare"));
    assert!(account.body.contains("href=\"/account/passkeys/add\""));
    // Without JavaScript the passkey forms stay hidden: the login page's is.
    let login = Browser::new(&app).get("/login").await;
    assert!(login.body.contains("data-passkey=\"get\""));
    assert!(login.body.contains("hidden"));

    // A stale session is sent to "Confirm it's you" and nothing is removed.
    app.clock.advance(app.settings.step_up_seconds + 1);
    let token = browser.get("/account").await.csrf_token();
    let refused = browser
        .post(
            &format!("/account/factors/{second}/remove"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert!(refused.location().starts_with("/account/step-up"));
    assert_eq!(
        browser
            .get("/account")
            .await
            .body
            .matches("data-testid=\"factor\"")
            .count(),
        2
    );
    // After it, the removal goes through.
    app.next_step();
    let token = browser.get("/account/step-up").await.csrf_token();
    let code = oathtool(&e.secret, now(&app));
    browser
        .post(
            "/account/step-up?return_to=%2Faccount",
            &[("csrf_token", &token), ("code", &code)],
        )
        .await;
    let removed = browser
        .post(
            &format!("/account/factors/{second}/remove"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(removed.location(), "/account?done=factor_removed");
    let account = browser.get("/account").await;
    assert_eq!(account.body.matches("data-testid=\"factor\"").count(), 1);
    assert!(!account.body.contains("Spare"));
}
