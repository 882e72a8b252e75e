//! Issue 18 (second review): see the README's "After the second review". The edge of the
//! HTTP layer: metrics labels, the cross-site rule and Bearer tokens, what a parser may
//! log, the per-IP bucket of the passkey endpoints, the pages' name rule and TOTP start,
//! `/readyz` and `/docs`.

use reqwest::{Method, StatusCode};
use serde_json::json;

#[allow(unused_imports)]
use crate::helpers::*;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// An app whose Prometheus listener is on a free port (and with no sweeper writing on
/// its own); its `/metrics` URL.
async fn app_with_metrics() -> (TestApp, String) {
    let listen = format!("127.0.0.1:{}", free_port());
    let app = TestApp::spawn_with(|s| {
        s.metrics_listen = Some(listen.clone());
        s.sweep_interval_seconds = 0;
    })
    .await;
    (app, format!("http://{listen}/metrics"))
}

async fn scrape(app: &TestApp, url: &str) -> String {
    let resp = app.client.get(url).send().await.unwrap();
    assert_status(resp, StatusCode::OK)
        .await
        .text()
        .await
        .unwrap()
}

/// The distinct values of `label` over the samples of `metric`.
fn label_values(text: &str, metric: &str, label: &str) -> std::collections::BTreeSet<String> {
    let key = format!("{label}=\"");
    text.lines()
        .filter(|l| l.starts_with(&format!("{metric}{{")))
        .filter_map(|l| {
            let at = l.find(&key)? + key.len();
            Some(l[at..at + l[at..].find('"')?].to_owned())
        })
        .collect()
}

#[tokio::test]
async fn metrics_labels_have_a_fixed_set_of_values() {
    let (app, metrics) = app_with_metrics().await;
    for i in 0..40 {
        let method = Method::from_bytes(format!("X{i}").as_bytes()).unwrap();
        for path in ["/api/v1/healthz", "/no/such/path"] {
            let resp = app
                .client
                .request(method.clone(), format!("{}{path}{i}", app.address))
                .send()
                .await
                .unwrap();
            assert!(resp.status().is_client_error(), "{}", resp.status());
        }
        let resp = app
            .client
            .request(method, app.url("/healthz"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    }
    assert_status(app.get("/healthz", None).await, StatusCode::OK).await;
    let text = scrape(&app, &metrics).await;
    for metric in [
        "twofold_http_requests_total",
        "twofold_http_request_duration_seconds_count",
    ] {
        let methods = label_values(&text, metric, "method");
        assert_eq!(
            methods,
            ["GET", "other"].map(String::from).into(),
            "{metric}: {text}"
        );
        let routes = label_values(&text, metric, "route");
        assert_eq!(
            routes,
            ["/api/v1/healthz", "unmatched"].map(String::from).into(),
            "{metric}"
        );
    }
}

#[tokio::test]
async fn only_a_bearer_token_exempts_a_request_from_the_cross_site_rule() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let cookie = format!("twofold_at={}", user.access_token);
    // Credentials a browser adds by itself (Basic, remembered for the site) and headers
    // that are not a Bearer token leave a cookie request under the rule.
    for authorization in [
        "Basic dXNlcjpwYXNzd29yZA==",
        "Bearer",
        "Bearer   ",
        "Token x",
    ] {
        let resp = app
            .client
            .post(app.url("/auth/logout"))
            .header("cookie", &cookie)
            .header("authorization", authorization)
            .header("sec-fetch-site", "cross-site")
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_error(resp, StatusCode::FORBIDDEN, "cross_site_request").await;
    }
    assert_status(app.me(&user.access_token).await, StatusCode::OK).await;
    // A Bearer token is judged alone: a bad one is 401 whatever cookie comes with it.
    let resp = app
        .client
        .get(app.url("/me"))
        .header("cookie", &cookie)
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn a_bearer_request_reads_no_cookie_not_even_the_device_cookie() {
    let app = TestApp::spawn_with(|s| s.remember_device_days = 30).await;
    let e = app.enrolled_user().await;
    app.next_step();
    let challenge = app.challenge(&e.user).await;
    let code = oathtool(&e.secret, now(&app));
    let body = json!({ "mfaChallengeToken": challenge, "code": code, "rememberDevice": true });
    let trusted = json_of(
        assert_status(
            app.post("/auth/verify-mfa", body, None).await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    let device = trusted["deviceToken"].as_str().unwrap().to_owned();
    let login = |bearer: Option<String>| {
        let mut req = app
            .client
            .post(app.url("/auth/login"))
            .header("cookie", format!("twofold_device={device}"))
            .json(&json!({ "email": e.user.email, "password": e.user.password }));
        if let Some(token) = bearer {
            req = req.bearer_auth(token);
        }
        req.send()
    };
    // With a Bearer header (a client that sends its old token along), the device cookie
    // is not read: the code is asked for.
    let token = e.user.access_token.clone();
    let answer =
        json_of(assert_status(login(Some(token)).await.unwrap(), StatusCode::OK).await).await;
    assert_eq!(answer["mfaRequired"], true, "{answer}");
    // Without one, the trusted browser's cookie still skips the code.
    let answer = json_of(assert_status(login(None).await.unwrap(), StatusCode::OK).await).await;
    assert!(answer["accessToken"].is_string(), "{answer}");
}

/// A log sink for one test (a thread's default subscriber: the app runs on the test's
/// current-thread runtime).
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn take(&self) -> String {
        String::from_utf8_lossy(&std::mem::take(&mut *self.0.lock().unwrap())).into_owned()
    }
}

/// CBOR of `{"fmt": "none", "attStmt": {}, "authData": auth_data}` (auth_data < 64 KiB).
fn attestation_object(auth_data: &[u8]) -> Vec<u8> {
    let mut cbor = vec![0xa3, 0x63];
    cbor.extend(b"fmt");
    cbor.push(0x64);
    cbor.extend(b"none");
    cbor.push(0x67);
    cbor.extend(b"attStmt");
    cbor.push(0xa0);
    cbor.push(0x68);
    cbor.extend(b"authData");
    cbor.push(0x59);
    cbor.extend((auth_data.len() as u16).to_be_bytes());
    cbor.extend(auth_data);
    cbor
}

#[tokio::test]
async fn a_malformed_passkey_registration_is_not_logged_whole() {
    use base64::Engine as _;
    let b64 = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(twofold::telemetry::filter("trace"))
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let app = TestApp::spawn().await;
    let user = app.user().await;
    let start = json_of(
        assert_status(
            app.post(
                "/mfa/factors/passkey/register/start",
                json!({}),
                Some(&user.access_token),
            )
            .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    let client_data = json!({
        "type": "webauthn.create",
        "challenge": start["publicKey"]["challenge"],
        "origin": app.state.settings.public_url,
    });
    // Authenticator data the library's parser gives up on, with 30 KB still unread.
    let auth_data = vec![0x41u8; 30_000];
    let credential = json!({
        "id": "AAAA",
        "rawId": "AAAA",
        "type": "public-key",
        "response": {
            "clientDataJSON": b64(client_data.to_string().as_bytes()),
            "attestationObject": b64(&attestation_object(&auth_data)),
        },
        "clientExtensionResults": {},
    });
    let body = json!({ "registrationId": start["registrationId"], "credential": credential });
    let sent = body.to_string().len();
    logs.take();
    assert_error(
        app.post(
            "/mfa/factors/passkey/register/finish",
            body,
            Some(&user.access_token),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_credential",
    )
    .await;
    let text = logs.take();
    assert!(
        text.contains("passkey registration refused"),
        "the capture works: {}",
        &text[..text.len().min(2000)]
    );
    assert!(
        !text.contains("webauthn_rs_core"),
        "the library's lines are off: {}",
        &text[..text.len().min(2000)]
    );
    assert!(
        text.len() < sent / 4,
        "{} bytes of log for a request of {sent}",
        text.len()
    );
}

/// `send` is answered `burst` times before 429 `rate_limited` (the bucket starts full).
async fn limited<F, Fut>(app: &TestApp, what: &str, send: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = reqwest::Response>,
{
    app.clock.advance(BURST as i64 + 1); // a full bucket
    for _ in 0..BURST {
        let resp = send().await;
        assert_ne!(resp.status(), StatusCode::TOO_MANY_REQUESTS, "{what}");
    }
    let resp = send().await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS, "{what}");
    assert!(resp.headers().contains_key("retry-after"), "{what}");
}

const BURST: u32 = 3;

#[tokio::test]
async fn the_passkey_endpoints_share_the_per_ip_bucket() {
    let app = TestApp::spawn_with(|s| {
        s.rate_limit_burst = BURST;
        s.rate_limit_per_second = 1.0;
    })
    .await;
    let user = app.user().await;
    let token = user.access_token.as_str();
    let api = |path: &'static str, body: serde_json::Value| {
        let app = &app;
        move || app.post(path, body.clone(), Some(token))
    };
    for (path, body) in [
        ("/mfa/factors/passkey/register/start", json!({})),
        (
            "/mfa/factors/passkey/register/finish",
            json!({ "registrationId": "x", "credential": {} }),
        ),
        ("/auth/passkey/options", json!({})),
        (
            "/auth/passkey/login",
            json!({ "passkeyChallengeToken": "x", "passkey": {} }),
        ),
        (
            "/auth/verify-mfa/passkey/options",
            json!({ "mfaChallengeToken": "x" }),
        ),
        ("/auth/step-up/passkey/options", json!({})),
    ] {
        limited(&app, path, api(path, body)).await;
    }
    // The pages' passkey posts, and the pages that start a ceremony.
    let cookie = format!("twofold_at={token}");
    for (method, path) in [
        (Method::POST, "/login/passkey"),
        (Method::POST, "/login/mfa/passkey"),
        (Method::POST, "/account/passkeys/add"),
        (Method::GET, "/account/passkeys/add"),
        (Method::GET, "/login/mfa"),
        (Method::GET, "/account/step-up"),
    ] {
        let send = || {
            app.client
                .request(method.clone(), format!("{}{path}", app.address))
                .header("cookie", &cookie)
                .header("sec-fetch-site", "same-origin")
                .form(&[("passkey", "{}")])
                .send()
        };
        limited(&app, path, || async { send().await.unwrap() }).await;
    }
}

async fn login_from(app: &TestApp, forwarded_for: &str) -> reqwest::Response {
    app.client
        .post(app.url("/auth/login"))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({ "email": "a@example.com", "password": "wrong password!" }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn ipv6_clients_share_a_bucket_per_64() {
    let app = TestApp::spawn_with(|s| {
        s.rate_limit_burst = 2;
        s.trusted_proxies = twofold::config::StringList(vec!["127.0.0.1/32".into()]);
    })
    .await;
    // Three addresses of one /64 (one host may use them all): one bucket.
    for ip in ["2001:db8:1:2::1", "2001:db8:1:2::2"] {
        assert_status(login_from(&app, ip).await, StatusCode::UNAUTHORIZED).await;
    }
    assert_error(
        login_from(&app, "2001:db8:1:2:ffff:ffff:ffff:ffff").await,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    )
    .await;
    // The next /64 and IPv4 clients have their own.
    assert_status(
        login_from(&app, "2001:db8:1:3::1").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_status(
        login_from(&app, "203.0.113.7").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

/// A browser without JavaScript, signed in with an access token: keeps cookies, follows
/// no redirect.
struct Browser<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
    cookies: std::collections::BTreeMap<String, String>,
}

/// An answer: status, `Location`, body.
struct Page {
    status: StatusCode,
    location: String,
    body: String,
}

impl Page {
    fn csrf_token(&self) -> String {
        let marker = "name=\"csrf_token\" value=\"";
        let rest = &self.body[self.body.find(marker).expect("a csrf_token field") + marker.len()..];
        rest[..rest.find('"').unwrap()].to_owned()
    }
}

impl<'a> Browser<'a> {
    fn signed_in(app: &'a TestApp, access_token: &str) -> Self {
        Self {
            app,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: [("twofold_at".to_owned(), access_token.to_owned())].into(),
        }
    }

    async fn send(&mut self, site: &str, req: reqwest::RequestBuilder) -> Page {
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let resp = req
            .header("cookie", cookie)
            .header("sec-fetch-site", site)
            .send()
            .await
            .unwrap();
        for value in resp.headers().get_all("set-cookie") {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.insert(name.to_owned(), value.to_owned());
        }
        let location = resp
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned())
            .unwrap_or_default();
        Page {
            status: resp.status(),
            location,
            body: resp.text().await.unwrap(),
        }
    }

    async fn get_from(&mut self, site: &str, path: &str) -> Page {
        let req = self.client.get(format!("{}{path}", self.app.address));
        self.send(site, req).await
    }

    async fn get(&mut self, path: &str) -> Page {
        self.get_from("same-origin", path).await
    }

    /// A same-origin form post with the page's anti-CSRF token.
    async fn post(&mut self, path: &str, csrf: &str, form: &[(&str, &str)]) -> Page {
        let mut fields = vec![("csrf_token", csrf)];
        fields.extend_from_slice(form);
        let req = self
            .client
            .post(format!("{}{path}", self.app.address))
            .form(&fields);
        self.send("same-origin", req).await
    }
}

#[tokio::test]
async fn the_pages_refuse_hidden_characters_in_names_like_the_api() {
    let app = TestApp::spawn().await;
    // Enrollment on the page: the device name.
    let user = app.user().await;
    let setup = app.setup(&user.access_token).await;
    let secret = setup["secret"].as_str().unwrap().to_owned();
    let mut browser = Browser::signed_in(&app, &user.access_token);
    let csrf = browser.get("/account/mfa/setup").await.csrf_token();
    let code = oathtool(&secret, now(&app));
    let refused = browser
        .post(
            "/account/mfa/setup",
            &csrf,
            &[("code", &code), ("device_name", "Pixel\u{202e}9")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert!(
        refused
            .body
            .contains("invisible or text-direction characters"),
        "{}",
        refused.body
    );
    let status = json_of(app.get("/mfa/status", Some(&user.access_token)).await).await;
    assert_eq!(status["enabled"], false, "{status}");

    // Renaming a factor on the account page.
    let e = app.enrolled_user().await;
    let factors = json_of(app.get("/mfa/factors", Some(&e.user.access_token)).await).await;
    let id = factors["factors"][0]["id"].as_str().unwrap().to_owned();
    let mut browser = Browser::signed_in(&app, &e.user.access_token);
    let csrf = browser.get("/account").await.csrf_token();
    for bad in ["Pix\u{200b}el", "a\u{0007}b", "\u{2066}x"] {
        let refused = browser
            .post(
                &format!("/account/factors/{id}/rename"),
                &csrf,
                &[("name", bad)],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{bad:?}");
    }
    let renamed = browser
        .post(
            &format!("/account/factors/{id}/rename"),
            &csrf,
            &[("name", "Work phone")],
        )
        .await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER);
    let factors = json_of(app.get("/mfa/factors", Some(&e.user.access_token)).await).await;
    assert_eq!(factors["factors"][0]["name"], "Work phone");

    // Adding an authenticator app on its page.
    let started = browser
        .post("/account/factors/totp/start", &csrf, &[])
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let page = browser.get("/account/factors/totp").await;
    let refused = browser
        .post(
            "/account/factors/totp",
            &page.csrf_token(),
            &[
                ("factor_id", "x"),
                ("code", "123456"),
                ("name", "ab\u{feff}"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused
        .body
        .contains("invisible or text-direction characters"));
}

#[tokio::test]
async fn a_cross_site_get_leaves_a_pending_authenticator_alone() {
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let token = e.user.access_token.as_str();
    let pending = json_of(
        assert_status(
            app.post("/mfa/factors/totp", json!({}), Some(token)).await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    let id = pending["factorId"].as_str().unwrap().to_owned();
    let secret = pending["secret"].as_str().unwrap().to_owned();
    // A link from another site (a top-level GET carries the Lax cookie) shows the
    // enrollment in progress and replaces nothing.
    let mut browser = Browser::signed_in(&app, token);
    let page = browser
        .get_from("cross-site", "/account/factors/totp")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&id), "the pending enrollment is shown");
    app.next_step();
    let code = oathtool(&secret, now(&app));
    assert_status(
        app.post(
            "/mfa/factors/totp/confirm",
            json!({ "factorId": id, "code": code }),
            Some(token),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    // With nothing pending the page offers a button that posts; only the post starts one.
    let page = browser
        .get_from("cross-site", "/account/factors/totp")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("action=\"/account/factors/totp/start\""));
    assert!(!page.body.contains("name=\"factor_id\""));
    let started = browser
        .post("/account/factors/totp/start", &page.csrf_token(), &[])
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER);
    assert_eq!(started.location, "/account/factors/totp");
    let page = browser.get("/account/factors/totp").await;
    assert!(page.body.contains("name=\"factor_id\""), "{}", page.body);
    assert!(page.body.contains("QR code"));
}

#[tokio::test]
async fn readyz_sends_at_most_one_write_probe_a_second() {
    let (app, metrics) = app_with_metrics().await;
    let commits = |text: &str| -> f64 {
        text.lines()
            .filter(|l| l.starts_with("twofold_db_commit_duration_seconds_count"))
            .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
            .sum()
    };
    assert_status(app.get("/readyz", None).await, StatusCode::OK).await;
    let started = std::time::Instant::now();
    let before = commits(&scrape(&app, &metrics).await);
    let mut flood = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let (client, url) = (app.client.clone(), app.url("/readyz"));
        flood.spawn(async move { client.get(url).send().await.unwrap().status() });
    }
    while let Some(status) = flood.join_next().await {
        assert_eq!(status.unwrap(), StatusCode::OK);
    }
    for _ in 0..50 {
        assert_status(app.get("/readyz", None).await, StatusCode::OK).await;
    }
    let after = commits(&scrape(&app, &metrics).await);
    // One probe per second begun, whatever the number of requests (and how slow the
    // machine running this test is).
    let seconds = started.elapsed().as_secs_f64().ceil();
    assert!(
        after - before <= seconds + 1.0,
        "{} commits for 100 /readyz in {seconds} s",
        after - before
    );
}

#[tokio::test]
async fn docs_may_not_be_framed() {
    let app = TestApp::spawn().await;
    let page = app
        .client
        .get(format!("{}/docs", app.address))
        .send()
        .await
        .unwrap();
    let page = assert_status(page, StatusCode::OK).await;
    assert_eq!(page.headers()["x-frame-options"], "DENY");
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
}
