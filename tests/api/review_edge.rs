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
