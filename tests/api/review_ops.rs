//! Issue 18 (second review): see the README's "After the second review".
//! Items:
//! - 6: cookies and HSTS from `public_url`'s scheme.

use std::collections::BTreeMap;

use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use reqwest::{redirect, StatusCode};

#[allow(unused_imports)]
use crate::helpers::*;

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
