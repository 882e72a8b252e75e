//! The OpenID Provider (OIDC.md) over HTTP, on both backends: codes, PKCE, clients'
//! authentication, refresh rotation, consent and grants, prompts, the second factor on
//! demand, back-channel logout. The whole flow with real relying parties (authlib,
//! openid-client) in Chromium is `tests/oidc/run.py`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE, LOCATION, WWW_AUTHENTICATE};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use twofold::service::admin::Actor;
use twofold::service::oidc::clients::{self, ClientSettings};

use crate::helpers::*;

pub const REDIRECT: &str = "https://app.example/callback";
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

/// A registered client: its id and secret (none for a public one).
pub struct Rp {
    pub id: String,
    pub secret: Option<String>,
}

pub async fn register(app: &TestApp, adjust: impl FnOnce(&mut ClientSettings)) -> Rp {
    let mut settings = ClientSettings {
        name: "Test app".into(),
        redirect_uris: vec![REDIRECT.into()],
        post_logout_redirect_uris: vec!["https://app.example/bye".into()],
        first_party: true,
        ..ClientSettings::default()
    };
    adjust(&mut settings);
    let (client, secret) = clients::add(&app.state, &Actor::Cli, &settings)
        .await
        .unwrap();
    Rp {
        id: client.id,
        secret,
    }
}

/// The issuer the app names (its `public_url`).
pub fn issuer(app: &TestApp) -> String {
    app.state.settings.effective_public_url(None)
}

fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// `GET /oauth2/authorize` as the browser signed in with `token` (none: nobody).
pub async fn authorize(app: &TestApp, token: Option<&str>, query: &[(&str, &str)]) -> Response {
    let mut req = no_redirects()
        .get(format!("{}/oauth2/authorize", app.address))
        .query(query);
    if let Some(token) = token {
        req = req.header(COOKIE, format!("twofold_at={token}"));
    }
    req.send().await.unwrap()
}

/// The usual request of `rp` with PKCE, plus `extra`.
pub fn request<'a>(rp: &'a Rp, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, String)> {
    let mut q = vec![
        ("response_type", "code".to_owned()),
        ("client_id", rp.id.clone()),
        ("redirect_uri", REDIRECT.to_owned()),
        (
            "scope",
            "openid email profile groups offline_access".to_owned(),
        ),
        ("state", "st4te".to_owned()),
        ("nonce", "n0nce".to_owned()),
        ("code_challenge", challenge(VERIFIER)),
        ("code_challenge_method", "S256".to_owned()),
    ];
    for (k, v) in extra {
        q.retain(|(key, _)| key != k);
        if !v.is_empty() {
            q.push((k, (*v).to_owned()));
        }
    }
    q
}

pub async fn authorize_with(app: &TestApp, token: Option<&str>, q: &[(&str, String)]) -> Response {
    let q: Vec<(&str, &str)> = q.iter().map(|(k, v)| (*k, v.as_str())).collect();
    authorize(app, token, &q).await
}

/// The query of the redirect `resp` answers with.
pub fn redirect_params(resp: &Response) -> (String, Vec<(String, String)>) {
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "not a redirect");
    let location = resp.headers()[LOCATION].to_str().unwrap().to_owned();
    let url = url::Url::parse(&location)
        .or_else(|_| url::Url::parse(&format!("http://twofold{location}")))
        .unwrap();
    let params = url.query_pairs().into_owned().collect();
    let base = format!("{}{}", url.origin().ascii_serialization(), url.path());
    (base, params)
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A code for `rp` signed in as `token` (first-party: no consent).
pub async fn code(app: &TestApp, rp: &Rp, token: &str) -> String {
    let resp = authorize_with(app, Some(token), &request(rp, &[])).await;
    let (base, params) = redirect_params(&resp);
    assert_eq!(base, REDIRECT, "{params:?}");
    assert_eq!(param(&params, "state"), Some("st4te"));
    assert_eq!(param(&params, "iss"), Some(issuer(app).as_str()));
    param(&params, "code").expect("a code").to_owned()
}

/// `POST /oauth2/token` with `form`, authenticated as `rp` (Basic when it has a secret).
pub async fn token(app: &TestApp, rp: &Rp, form: &[(&str, &str)]) -> Response {
    let mut form: Vec<(&str, &str)> = form.to_vec();
    let mut req = no_redirects().post(format!("{}/oauth2/token", app.address));
    match &rp.secret {
        Some(secret) => {
            let basic =
                base64::engine::general_purpose::STANDARD.encode(format!("{}:{secret}", rp.id));
            req = req.header(AUTHORIZATION, format!("Basic {basic}"));
        }
        None => form.push(("client_id", &rp.id)),
    }
    req.form(&form).send().await.unwrap()
}

pub async fn exchange(app: &TestApp, rp: &Rp, code: &str) -> Response {
    token(
        app,
        rp,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ],
    )
    .await
}

pub async fn userinfo(app: &TestApp, access_token: &str) -> Response {
    no_redirects()
        .get(format!("{}/oauth2/userinfo", app.address))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap()
}

pub fn claims_of(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn header_of(jwt: &str) -> Value {
    let header = jwt.split('.').next().unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap()
}

async fn oauth_error(resp: Response, status: StatusCode, error: &str) {
    assert_eq!(resp.status(), status);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"], error, "{body}");
}

#[tokio::test]
async fn a_code_is_spent_once_and_its_reuse_revokes_what_it_issued() {
    let app = TestApp::spawn().await;
    let rp = register(&app, |_| {}).await;
    let user = app.user().await;
    let code = code(&app, &rp, &user.access_token).await;
    let resp = assert_status(exchange(&app, &rp, &code).await, StatusCode::OK).await;
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let tokens = json_of(resp).await;
    let id = claims_of(tokens["id_token"].as_str().unwrap());
    assert_eq!(
        header_of(tokens["id_token"].as_str().unwrap())["alg"],
        "RS256"
    );
    assert_eq!(id["iss"], issuer(&app).as_str());
    assert_eq!(id["aud"], rp.id.as_str());
    assert_eq!(id["azp"], rp.id.as_str());
    assert_eq!(id["nonce"], "n0nce");
    assert_eq!(id["acr"], "pwd");
    assert_eq!(id["email"], user.email.as_str());
    assert_eq!(id["email_verified"], false);
    assert_eq!(id["groups"], json!([]));
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(header_of(access)["typ"], "at+jwt");
    assert_eq!(claims_of(access)["client_id"], rp.id.as_str());
    assert_eq!(
        id["at_hash"],
        URL_SAFE_NO_PAD.encode(&Sha256::digest(access.as_bytes())[..16])
    );
    assert!(
        tokens["refresh_token"].is_string(),
        "offline_access was asked for"
    );
    let info = json_of(assert_status(userinfo(&app, access).await, StatusCode::OK).await).await;
    assert_eq!(info["sub"], id["sub"]);
    assert_eq!(info["email"], user.email.as_str());
    // The sign-in is a session like any other.
    let sessions = json_of(app.get("/sessions", Some(&user.access_token)).await).await;
    assert!(sessions["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == id["sid"]));

    oauth_error(
        exchange(&app, &rp, &code).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    let resp = userinfo(&app, access).await;
    assert_eq!(
        resp.status(),
        StatusCode::UNAUTHORIZED,
        "the reused code's tokens are revoked"
    );
    assert!(resp.headers()[WWW_AUTHENTICATE]
        .to_str()
        .unwrap()
        .starts_with("Bearer"));
    let refresh = tokens["refresh_token"].as_str().unwrap();
    oauth_error(
        token(
            &app,
            &rp,
            &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    assert!(app
        .audit_types(&user.access_token)
        .await
        .contains(&"oidc.code.reused".to_owned()));
}

#[tokio::test]
async fn every_refusal_of_oidc_md_has_its_rfc_error() {
    let app = TestApp::spawn().await;
    let rp = register(&app, |_| {}).await;
    let other = register(&app, |s| {
        s.redirect_uris = vec!["https://other.example/cb".into()]
    })
    .await;
    let public = register(&app, |s| s.public = true).await;
    let user = app.user().await;
    let t = user.access_token.as_str();

    // A wrong, and a missing, PKCE verifier.
    let c = code(&app, &rp, t).await;
    let wrong = "a".repeat(43);
    let form = [
        ("grant_type", "authorization_code"),
        ("code", c.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", wrong.as_str()),
    ];
    oauth_error(
        token(&app, &rp, &form).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    let c = code(&app, &rp, t).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", c.as_str()),
        ("redirect_uri", REDIRECT),
    ];
    oauth_error(
        token(&app, &rp, &form).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    // A code for another redirect URI, and one presented by another client.
    let c = code(&app, &rp, t).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", c.as_str()),
        ("redirect_uri", "https://app.example/other"),
        ("code_verifier", VERIFIER),
    ];
    oauth_error(
        token(&app, &rp, &form).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    let c = code(&app, &rp, t).await;
    oauth_error(
        exchange(&app, &other, &c).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    // An expired code (60 seconds).
    let c = code(&app, &rp, t).await;
    app.clock.advance(61);
    oauth_error(
        exchange(&app, &rp, &c).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    // A wrong client secret: 401 invalid_client with a challenge.
    let c = code(&app, &rp, t).await;
    let impostor = Rp {
        id: rp.id.clone(),
        secret: Some("x".repeat(43)),
    };
    let resp = exchange(&app, &impostor, &c).await;
    assert!(resp.headers().contains_key(WWW_AUTHENTICATE));
    oauth_error(resp, StatusCode::UNAUTHORIZED, "invalid_client").await;
    // A public client authenticated by its id alone may not use a confidential one's id.
    let as_public = Rp {
        id: rp.id.clone(),
        secret: None,
    };
    oauth_error(
        exchange(&app, &as_public, &c).await,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
    )
    .await;

    // An unregistered redirect URI, or an unknown client: a page, never a redirect.
    let resp = authorize_with(
        &app,
        Some(t),
        &request(&rp, &[("redirect_uri", "https://evil.example/cb")]),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(!resp.headers().contains_key(LOCATION));
    assert!(resp.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let resp = authorize_with(&app, Some(t), &request(&rp, &[("client_id", "nobody")])).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(!resp.headers().contains_key(LOCATION));
    // Other errors go back to the client with state and iss.
    for (extra, error) in [
        (vec![("code_challenge_method", "plain")], "invalid_request"),
        (
            vec![("code_challenge", ""), ("code_challenge_method", "")],
            "invalid_request",
        ),
        (
            vec![("response_type", "token")],
            "unsupported_response_type",
        ),
        (
            vec![("response_type", "code id_token")],
            "unsupported_response_type",
        ),
        (vec![("scope", "email")], "invalid_scope"),
    ] {
        let resp = authorize_with(&app, Some(t), &request(&public, &extra)).await;
        let (base, params) = redirect_params(&resp);
        assert_eq!(base, REDIRECT);
        assert_eq!(param(&params, "error"), Some(error), "{extra:?}");
        assert_eq!(param(&params, "state"), Some("st4te"));
        assert_eq!(param(&params, "iss"), Some(issuer(&app).as_str()));
        assert_eq!(param(&params, "code"), None);
    }
    // A post-logout redirect URI that is not registered: a page, no redirect.
    let resp = no_redirects()
        .get(format!("{}/oauth2/logout", app.address))
        .query(&[
            ("client_id", rp.id.as_str()),
            ("post_logout_redirect_uri", "https://evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(!resp.headers().contains_key(LOCATION));
    // The grant types that are not there.
    oauth_error(
        token(
            &app,
            &rp,
            &[
                ("grant_type", "password"),
                ("username", "a"),
                ("password", "b"),
            ],
        )
        .await,
        StatusCode::BAD_REQUEST,
        "unsupported_grant_type",
    )
    .await;
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_reused_one_ends_the_sign_in() {
    let app = TestApp::spawn().await;
    let rp = register(&app, |_| {}).await;
    let user = app.user().await;
    let c = code(&app, &rp, &user.access_token).await;
    let first = json_of(exchange(&app, &rp, &c).await).await;
    let r1 = first["refresh_token"].as_str().unwrap();
    // The native API does not take a client's refresh token.
    assert_status(app.refresh(r1).await, StatusCode::UNAUTHORIZED).await;
    let second = json_of(
        assert_status(
            token(
                &app,
                &rp,
                &[("grant_type", "refresh_token"), ("refresh_token", r1)],
            )
            .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    let r2 = second["refresh_token"].as_str().unwrap();
    assert_ne!(r1, r2);
    assert_eq!(
        claims_of(second["id_token"].as_str().unwrap())["sub"],
        claims_of(first["id_token"].as_str().unwrap())["sub"]
    );
    // Another client cannot use it.
    let other = register(&app, |_| {}).await;
    oauth_error(
        token(
            &app,
            &other,
            &[("grant_type", "refresh_token"), ("refresh_token", r2)],
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    // r1 again: the sign-in ends, r2 with it.
    oauth_error(
        token(
            &app,
            &rp,
            &[("grant_type", "refresh_token"), ("refresh_token", r1)],
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    oauth_error(
        token(
            &app,
            &rp,
            &[("grant_type", "refresh_token"), ("refresh_token", r2)],
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    assert_eq!(
        userinfo(&app, second["access_token"].as_str().unwrap())
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert!(app
        .audit_types(&user.access_token)
        .await
        .contains(&"oidc.refresh.reused".to_owned()));
    // Without offline_access there is no refresh token.
    let q = request(&rp, &[("scope", "openid email")]);
    let (_, params) = redirect_params(&authorize_with(&app, Some(&user.access_token), &q).await);
    let tokens = json_of(exchange(&app, &rp, param(&params, "code").unwrap()).await).await;
    assert!(tokens.get("refresh_token").is_none(), "{tokens}");
    // Signing out everywhere (a password change) ends what clients hold.
    let c = code(&app, &rp, &user.access_token).await;
    let held = json_of(exchange(&app, &rp, &c).await).await;
    app.logout(&user.access_token).await;
    assert_eq!(
        userinfo(&app, held["access_token"].as_str().unwrap())
            .await
            .status(),
        StatusCode::UNAUTHORIZED,
        "the browser session ended its children"
    );
}

#[tokio::test]
async fn consent_is_asked_remembered_listed_and_revocable() {
    use twofold::service::oidc::{authorize, Browser};
    let app = TestApp::spawn().await;
    let rp = register(&app, |s| s.first_party = false).await;
    let user = app.user().await;
    let t = user.access_token.as_str();
    let resp = authorize_with(&app, Some(t), &request(&rp, &[])).await;
    let (base, params) = redirect_params(&resp);
    assert_eq!(base, "http://twofold/oauth2/consent");
    let id = param(&params, "id").unwrap().to_owned();
    // The page's answer, as its form posts it, through the same service call.
    let claims = twofold::service::sessions::authenticate(&app.state, t)
        .await
        .unwrap();
    let person = Browser { claims };
    let meta = twofold::service::RequestMeta::default();
    let step = authorize::consent(&app.state, &meta, &id, &person, true)
        .await
        .unwrap();
    let authorize::Step::Answer(answer) = step else {
        panic!("{step:?}")
    };
    let c = answer
        .params
        .iter()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .clone();
    let tokens = json_of(assert_status(exchange(&app, &rp, &c).await, StatusCode::OK).await).await;
    // Remembered: the next request gets a code at once; prompt=consent asks again.
    code(&app, &rp, t).await;
    let (base, _) = redirect_params(
        &authorize_with(&app, Some(t), &request(&rp, &[("prompt", "consent")])).await,
    );
    assert!(base.ends_with("/oauth2/consent"));
    // prompt=none for a client never allowed: consent_required.
    let stranger = register(&app, |s| s.first_party = false).await;
    let (_, params) = redirect_params(
        &authorize_with(&app, Some(t), &request(&stranger, &[("prompt", "none")])).await,
    );
    assert_eq!(param(&params, "error"), Some("consent_required"));
    // Listed, then revoked: its tokens stop.
    let grants = json_of(app.get("/oauth2/grants", Some(t)).await).await;
    assert_eq!(grants["grants"][0]["clientId"], rp.id.as_str());
    assert_eq!(grants["grants"][0]["clientName"], "Test app");
    assert_status(
        app.request(
            reqwest::Method::DELETE,
            &format!("/oauth2/grants/{}", rp.id),
            None,
            Some(t),
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    assert_eq!(
        userinfo(&app, tokens["access_token"].as_str().unwrap())
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let grants = json_of(app.get("/oauth2/grants", Some(t)).await).await;
    assert_eq!(grants["grants"], json!([]));
    assert_status(
        app.request(
            reqwest::Method::DELETE,
            &format!("/oauth2/grants/{}", rp.id),
            None,
            Some(t),
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let types = app.audit_types(t).await;
    for kind in [
        "oidc.consent.granted",
        "oidc.authorized",
        "oidc.consent.revoked",
    ] {
        assert!(types.contains(&kind.to_owned()), "{kind}: {types:?}");
    }
}

#[tokio::test]
async fn prompts_max_age_and_the_second_factor_on_demand() {
    let app = TestApp::spawn().await;
    let rp = register(&app, |_| {}).await;
    // Nobody signed in: the login page (email prefilled), or login_required.
    let (base, params) = redirect_params(
        &authorize_with(
            &app,
            None,
            &request(&rp, &[("login_hint", "ada@example.com")]),
        )
        .await,
    );
    assert_eq!(base, "http://twofold/login");
    assert!(param(&params, "return_to")
        .unwrap()
        .starts_with("/oauth2/authorize/resume?id="));
    assert_eq!(param(&params, "login_hint"), Some("ada@example.com"));
    let (_, params) =
        redirect_params(&authorize_with(&app, None, &request(&rp, &[("prompt", "none")])).await);
    assert_eq!(param(&params, "error"), Some("login_required"));
    // prompt=login and max_age ask for a fresh proof (a step-up of the session).
    let user = app.user().await;
    let t = user.access_token.as_str();
    app.clock.advance(1); // a sign-in in the request's own second counts as fresh
    for extra in [("prompt", "login"), ("max_age", "0")] {
        let (base, params) =
            redirect_params(&authorize_with(&app, Some(t), &request(&rp, &[extra])).await);
        assert_eq!(base, "http://twofold/account/step-up", "{extra:?}");
        assert!(param(&params, "return_to")
            .unwrap()
            .starts_with("/oauth2/authorize/resume?id="));
    }
    app.clock.advance(120);
    let (base, _) =
        redirect_params(&authorize_with(&app, Some(t), &request(&rp, &[("max_age", "60")])).await);
    assert_eq!(base, "http://twofold/account/step-up");
    let (base, _) = redirect_params(
        &authorize_with(&app, Some(t), &request(&rp, &[("max_age", "3600")])).await,
    );
    assert_eq!(base, REDIRECT);
    // Two factors asked for: a person without one enrolls; with one, steps up.
    for extra in [
        ("acr_values", "mfa"),
        (
            "acr_values",
            "http://schemas.openid.net/pape/policies/2007/06/multi-factor",
        ),
    ] {
        let (base, _) =
            redirect_params(&authorize_with(&app, Some(t), &request(&rp, &[extra])).await);
        assert_eq!(base, "http://twofold/account/mfa/setup");
    }
    let strict = register(&app, |s| s.require_mfa = true).await;
    let (base, _) = redirect_params(&authorize_with(&app, Some(t), &request(&strict, &[])).await);
    assert_eq!(base, "http://twofold/account/mfa/setup");
    let enrolled = app.enrolled_user().await;
    let (base, _) = redirect_params(
        &authorize_with(
            &app,
            Some(&enrolled.user.access_token),
            &request(&strict, &[]),
        )
        .await,
    );
    assert_eq!(
        base, "http://twofold/account/step-up",
        "a one-factor session steps up"
    );
    let (_, params) = redirect_params(
        &authorize_with(
            &app,
            Some(&enrolled.user.access_token),
            &request(&strict, &[("prompt", "none")]),
        )
        .await,
    );
    assert_eq!(param(&params, "error"), Some("interaction_required"));
    // With a second factor proven, the code comes, with acr mfa.
    app.next_step();
    let code_now = oathtool(&enrolled.secret, now(&app));
    let stepped = app
        .step_up(&enrolled.user.access_token, json!({ "code": code_now }))
        .await;
    let (base, params) =
        redirect_params(&authorize_with(&app, Some(&stepped), &request(&strict, &[])).await);
    assert_eq!(base, REDIRECT);
    let tokens = json_of(exchange(&app, &strict, param(&params, "code").unwrap()).await).await;
    let id = claims_of(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["acr"], "mfa");
    assert!(
        id["amr"].as_array().unwrap().contains(&json!("otp")),
        "{id}"
    );
}

#[tokio::test]
async fn a_client_may_sign_with_eddsa_and_keys_rotate_for_both() {
    let app = TestApp::spawn().await;
    let rp = register(&app, |s| s.id_token_alg = Some("EdDSA".into())).await;
    let user = app.user().await;
    let c = code(&app, &rp, &user.access_token).await;
    let tokens = json_of(exchange(&app, &rp, &c).await).await;
    let header = header_of(tokens["id_token"].as_str().unwrap());
    assert_eq!(header["alg"], "EdDSA");
    let jwks = json_of(app.get("/.well-known/jwks.json", None).await).await;
    let kids: Vec<&Value> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| &k["kid"])
        .collect();
    assert!(kids.contains(&&header["kid"]));
    let rsa = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kty"] == "RSA")
        .unwrap();
    assert_eq!(
        (rsa["alg"].as_str(), rsa["use"].as_str()),
        (Some("RS256"), Some("sig"))
    );
    assert!(
        URL_SAFE_NO_PAD
            .decode(rsa["n"].as_str().unwrap())
            .unwrap()
            .len()
            >= 256
    );
}

#[tokio::test]
async fn discovery_names_the_configured_issuer_whatever_the_host() {
    let app = TestApp::spawn_with(|s| s.public_url = Some("https://id.example".into())).await;
    let resp = reqwest::Client::new()
        .get(format!("{}/.well-known/openid-configuration", app.address))
        .header("host", "internal:8080")
        .send()
        .await
        .unwrap();
    let meta = json_of(assert_status(resp, StatusCode::OK).await).await;
    assert_eq!(meta["issuer"], "https://id.example");
    assert_eq!(meta["token_endpoint"], "https://id.example/oauth2/token");
    assert_eq!(meta["code_challenge_methods_supported"], json!(["S256"]));
    assert_eq!(meta["authorization_response_iss_parameter_supported"], true);
    assert_eq!(
        meta["acr_values_supported"],
        json!([
            "pwd",
            "mfa",
            "http://schemas.openid.net/pape/policies/2007/06/multi-factor"
        ])
    );
    let same = json_of(
        app.get("/.well-known/oauth-authorization-server", None)
            .await,
    )
    .await;
    assert_eq!(same, meta);
    let off = TestApp::spawn_with(|s| s.oidc = false).await;
    for path in [
        "/.well-known/openid-configuration",
        "/oauth2/authorize",
        "/oauth2/token",
        "/api/v1/oauth2/grants",
    ] {
        assert_eq!(
            off.get(path, None).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_end_of_a_session_posts_a_back_channel_logout_token() {
    use std::sync::{Arc, Mutex};
    let received: Arc<Mutex<Vec<String>>> = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let sink = Arc::clone(&received);
    let receiver = axum::Router::new().route(
        "/bc",
        axum::routing::post(
            move |axum::Form(form): axum::Form<std::collections::HashMap<String, String>>| {
                let sink = Arc::clone(&sink);
                async move {
                    sink.lock()
                        .unwrap()
                        .push(form.get("logout_token").cloned().unwrap_or_default());
                    "ok"
                }
            },
        ),
    );
    tokio::spawn(async move { axum::serve(listener, receiver).await.unwrap() });
    let app = TestApp::spawn().await;
    let uri = format!("http://127.0.0.1:{port}/bc");
    let rp = register(&app, |s| s.backchannel_logout_uri = Some(uri)).await;
    let user = app.user().await;
    let c = code(&app, &rp, &user.access_token).await;
    let tokens = json_of(exchange(&app, &rp, &c).await).await;
    let sid = claims_of(tokens["id_token"].as_str().unwrap())["sid"].clone();
    app.logout(&user.access_token).await;
    let token = crate::mailbox::wait_until(|| received.lock().unwrap().first().cloned())
        .await
        .expect("a logout token within 10 seconds");
    let header = header_of(&token);
    assert_eq!(header["typ"], "logout+jwt");
    let claims = claims_of(&token);
    assert_eq!(claims["sid"], sid);
    assert_eq!(claims["aud"], rp.id.as_str());
    assert!(claims["events"]["http://schemas.openid.net/event/backchannel-logout"].is_object());
    assert!(claims.get("nonce").is_none());
}

/// The README's settings for Grafana and Forgejo, as those apps send them: Grafana's
/// generic OAuth (PKCE S256, `client_secret_post`, reads userinfo: email, name, groups
/// for `role_attribute_path`), Forgejo's OpenID Connect source (discovery, no PKCE,
/// `client_secret_basic`, a nonce, the ID token's email and preferred_username).
#[tokio::test]
async fn grafana_and_forgejo_as_the_readme_configures_them() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let t = user.access_token.as_str();
    let meta = json_of(app.get("/.well-known/openid-configuration", None).await).await;
    let token_url = meta["token_endpoint"]
        .as_str()
        .unwrap()
        .replace(&issuer(&app), &app.address);

    // Grafana: redirect https://grafana.example.com/login/generic_oauth.
    let grafana_cb = "https://grafana.example.com/login/generic_oauth";
    let grafana = register(&app, |s| {
        s.name = "Grafana".into();
        s.redirect_uris = vec![grafana_cb.into()];
    })
    .await;
    let q = [
        ("response_type", "code".to_owned()),
        ("client_id", grafana.id.clone()),
        ("redirect_uri", grafana_cb.to_owned()),
        (
            "scope",
            "openid email profile groups offline_access".to_owned(),
        ),
        ("state", "grafana-state".to_owned()),
        ("code_challenge", challenge(VERIFIER)),
        ("code_challenge_method", "S256".to_owned()),
        ("access_type", "offline".to_owned()),
    ];
    let (_, params) = redirect_params(&authorize_with(&app, Some(t), &q).await);
    let code = param(&params, "code").unwrap().to_owned();
    let secret = grafana.secret.clone().unwrap();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", grafana_cb),
        ("code_verifier", VERIFIER),
        ("client_id", grafana.id.as_str()),
        ("client_secret", secret.as_str()),
    ];
    let resp = no_redirects()
        .post(&token_url)
        .form(&form)
        .send()
        .await
        .unwrap();
    let tokens = json_of(assert_status(resp, StatusCode::OK).await).await;
    let info = json_of(userinfo(&app, tokens["access_token"].as_str().unwrap()).await).await;
    assert_eq!(info["email"], user.email.as_str());
    assert_eq!(info["name"], user.email.as_str());
    assert_eq!(info["groups"], json!([]));

    // Forgejo: redirect https://git.example.com/user/oauth2/twofold/callback.
    let forgejo_cb = "https://git.example.com/user/oauth2/twofold/callback";
    let forgejo = register(&app, |s| {
        s.name = "Forgejo".into();
        s.redirect_uris = vec![forgejo_cb.into()];
        s.scopes = Some("openid email profile groups".into());
    })
    .await;
    let q = [
        ("client_id", forgejo.id.as_str()),
        ("redirect_uri", forgejo_cb),
        ("response_type", "code"),
        ("scope", "openid email profile groups"),
        ("state", "forgejo-state"),
        ("nonce", "forgejo-nonce"),
    ];
    let (base, params) = redirect_params(&authorize(&app, Some(t), &q).await);
    assert_eq!(base, forgejo_cb);
    let code = param(&params, "code").unwrap().to_owned();
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        forgejo.id,
        forgejo.secret.as_ref().unwrap()
    ));
    let resp = no_redirects()
        .post(&token_url)
        .header(AUTHORIZATION, format!("Basic {basic}"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", forgejo_cb),
        ])
        .send()
        .await
        .unwrap();
    let tokens = json_of(assert_status(resp, StatusCode::OK).await).await;
    let id = claims_of(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["nonce"], "forgejo-nonce");
    assert_eq!(id["email"], user.email.as_str());
    assert_eq!(id["preferred_username"], user.email.as_str());
    assert!(
        tokens.get("refresh_token").is_none(),
        "no offline_access, no refresh token"
    );
}

/// A wrong client secret is a guessed password: each failure takes a token of the
/// caller's per-IP bucket, and an empty bucket answers 429 (the limit of the sign-in
/// endpoints, shared with them).
#[tokio::test]
async fn wrong_client_secrets_are_counted_by_the_per_ip_limit() {
    let app = TestApp::spawn_with(|s| {
        s.rate_limit_burst = 3;
        s.rate_limit_per_second = 0.01;
    })
    .await;
    let rp = register(&app, |_| {}).await;
    let impostor = Rp {
        id: rp.id.clone(),
        secret: Some("y".repeat(43)),
    };
    let form = [("grant_type", "refresh_token"), ("refresh_token", "z")];
    for _ in 0..3 {
        oauth_error(
            token(&app, &impostor, &form).await,
            StatusCode::UNAUTHORIZED,
            "invalid_client",
        )
        .await;
    }
    let resp = token(&app, &impostor, &form).await;
    assert!(resp.headers().contains_key("retry-after"));
    oauth_error(resp, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // The sign-in endpoints share the bucket.
    assert_error(
        app.login("a@example.com", "wrong password!").await,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    )
    .await;
}

/// A second review's findings, each a rule that must hold (and failed before its fix).
#[tokio::test]
async fn the_consent_page_is_no_way_around_a_second_factor() {
    use twofold::service::oidc::{authorize, Browser};
    let app = TestApp::spawn().await;
    let rp = register(&app, |s| {
        s.first_party = false;
        s.require_mfa = true;
    })
    .await;
    let e = app.enrolled_user().await;
    let t = e.user.access_token.as_str();
    let (base, params) = redirect_params(&authorize_with(&app, Some(t), &request(&rp, &[])).await);
    assert_eq!(base, "http://twofold/account/step-up");
    let resume = param(&params, "return_to").unwrap().to_owned();
    let id = resume.split("id=").nth(1).unwrap().to_owned();
    // Posting "Allow" for that request, one factor still: a step-up, never a code.
    let claims = twofold::service::sessions::authenticate(&app.state, t)
        .await
        .unwrap();
    let meta = twofold::service::RequestMeta::default();
    let step = authorize::consent(&app.state, &meta, &id, &Browser { claims }, true)
        .await
        .unwrap();
    assert!(matches!(step, authorize::Step::StepUp { .. }), "{step:?}");
}

#[tokio::test]
async fn review_findings_on_tokens_and_clients() {
    let app = TestApp::spawn().await;
    let rp = register(&app, |_| {}).await;
    let user = app.user().await;
    // A refused narrower scope keeps the refresh token (it is checked before rotating).
    let c = code(&app, &rp, &user.access_token).await;
    let tokens = json_of(exchange(&app, &rp, &c).await).await;
    let r1 = tokens["refresh_token"].as_str().unwrap();
    let wide = [
        ("grant_type", "refresh_token"),
        ("refresh_token", r1),
        ("scope", "openid admin"),
    ];
    oauth_error(
        token(&app, &rp, &wide).await,
        StatusCode::BAD_REQUEST,
        "invalid_scope",
    )
    .await;
    let narrow = [
        ("grant_type", "refresh_token"),
        ("refresh_token", r1),
        ("scope", "openid email"),
    ];
    let narrowed =
        json_of(assert_status(token(&app, &rp, &narrow).await, StatusCode::OK).await).await;
    assert_eq!(narrowed["scope"], "openid email");
    // EdDSA ID tokens carry the at_hash of Ed25519's hash (SHA-512).
    let ed = register(&app, |s| s.id_token_alg = Some("EdDSA".into())).await;
    let c = code(&app, &ed, &user.access_token).await;
    let tokens = json_of(exchange(&app, &ed, &c).await).await;
    let access = tokens["access_token"].as_str().unwrap();
    let expected = URL_SAFE_NO_PAD.encode(&sha2::Sha512::digest(access.as_bytes())[..32]);
    assert_eq!(
        claims_of(tokens["id_token"].as_str().unwrap())["at_hash"],
        expected
    );
    // redirect_uri is required at authorization (a page, no redirect).
    let resp = authorize_with(
        &app,
        Some(&user.access_token),
        &request(&rp, &[("redirect_uri", "")]),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    // A public client sends `client_id:` in Basic; it may revoke but not introspect.
    let public = register(&app, |s| s.public = true).await;
    let c = code(&app, &public, &user.access_token).await;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{}:", public.id));
    let form = [
        ("grant_type", "authorization_code"),
        ("code", c.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
    ];
    let resp = no_redirects()
        .post(format!("{}/oauth2/token", app.address))
        .header(AUTHORIZATION, format!("Basic {basic}"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let tokens = json_of(assert_status(resp, StatusCode::OK).await).await;
    let access = tokens["access_token"].as_str().unwrap();
    let resp = no_redirects()
        .post(format!("{}/oauth2/introspect", app.address))
        .form(&[("token", access), ("client_id", public.id.as_str())])
        .send()
        .await
        .unwrap();
    oauth_error(resp, StatusCode::UNAUTHORIZED, "invalid_client").await;
}

#[tokio::test]
async fn an_expired_access_cookie_is_renewed_by_the_refresh_cookie() {
    let app = TestApp::spawn().await;
    let rp = register(&app, |_| {}).await;
    let user = app.user().await;
    // Only the refresh cookie (the access cookie expired): prompt=none still gets a code.
    let q = request(&rp, &[("prompt", "none")]);
    let q: Vec<(&str, &str)> = q.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let resp = no_redirects()
        .get(format!("{}/oauth2/authorize", app.address))
        .query(&q)
        .header(COOKIE, format!("twofold_rt={}", user.refresh_token))
        .send()
        .await
        .unwrap();
    assert!(resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap().starts_with("twofold_at=")));
    let (base, params) = redirect_params(&resp);
    assert_eq!(base, REDIRECT);
    assert!(param(&params, "code").is_some(), "{params:?}");
}
