//! The hosted pages of PAGES.md: server-rendered HTML (maud) over the same service
//! functions as the native API. Every flow works without JavaScript; `assets/pages.js`
//! only adds copy buttons.
//!
//! The browser's state lives in HttpOnly cookies: the access token (`twofold_at`, shared
//! with the API), the refresh token (`twofold_rt`, rotated here when the access token has
//! expired), the MFA challenge of a login in progress (`twofold_mfa`), the device token of
//! API 1.1, and a random browser key (`twofold_csrf`, `__Host-` prefixed when `public_url`
//! is `https://`) to which every form's `csrf_token` is bound by an HMAC.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use base64::Engine as _;
use subtle::ConstantTimeEq;

use super::edge::Edge;
use super::extract::{cookie, Meta, ACCESS_COOKIE, REFRESH_COOKIE};
use super::set_cookie;
use crate::config::Settings;
use crate::crypto::jwt::Claims;
use crate::crypto::token::TokenHasher;
use crate::service::error::Error;
use crate::service::sessions::{self, AuthTokens};
use crate::service::{AppState, RequestMeta};

mod account;
mod activity;
mod email;
mod factors;
mod layout;
mod login;
mod mfa;
mod navigation;
mod oidc;
mod policy;
mod problem;
mod register;
mod second_step;
mod stepup;

use layout::Problem;
use policy::{app_origins, content_security_policy, logo_origin};

/// Name of the hidden field that carries the anti-CSRF token.
pub const CSRF_FIELD: &str = "csrf_token";
/// HMAC label of the anti-CSRF tokens.
const CSRF_LABEL: &str = "csrf";

/// What the page middleware needs.
struct Pages {
    state: AppState,
    edge: Arc<Edge>,
    csp: HeaderValue,
    csrf_cookie: &'static str,
}

/// The browser's key: its anti-CSRF token for the forms of this response.
#[derive(Clone)]
pub(crate) struct Browser {
    csrf_token: String,
}

/// The person signed in (set by [`require_session`]).
#[derive(Clone)]
pub(crate) struct SignedIn(pub Claims);

/// The pages and their assets.
pub fn router(state: &AppState, edge: &Arc<Edge>) -> Router<AppState> {
    let pages = Arc::new(Pages {
        csp: content_security_policy(&state.settings, &[]),
        csrf_cookie: if state.settings.secure_transport() {
            "__Host-twofold_csrf"
        } else {
            "twofold_csrf"
        },
        state: state.clone(),
        edge: Arc::clone(edge),
    });
    let signed_in = Router::new()
        .route("/account", get(account::overview))
        .route(
            "/account/sessions/{id}/revoke",
            post(account::revoke_session),
        )
        .route(
            "/account/devices/{id}/untrust",
            post(account::untrust_device),
        )
        .route(
            "/account/password",
            get(account::password_form).post(account::change_password),
        )
        .route(
            "/account/mfa/setup",
            get(mfa::setup_form).post(mfa::confirm),
        )
        .route(
            "/account/mfa/recovery-codes",
            get(mfa::regenerate_form).post(mfa::regenerate),
        )
        .route(
            "/account/mfa/disable",
            get(mfa::disable_form).post(mfa::disable),
        )
        .route("/account/step-up", get(stepup::form).post(stepup::submit))
        .route(
            "/account/passkeys/add",
            get(factors::add_passkey_form).post(factors::add_passkey),
        )
        .route(
            "/account/factors/totp",
            get(factors::add_totp_form).post(factors::add_totp),
        )
        .route("/account/factors/totp/start", post(factors::start_totp))
        .route("/account/factors/{id}/rename", post(factors::rename))
        .route("/account/factors/{id}/remove", post(factors::remove))
        .route(
            "/account/email",
            get(email::change_form).post(email::change),
        )
        .route("/account/email/resend", post(email::resend))
        .route("/account/notices", post(email::notices))
        .route("/logout", post(login::logout));
    let signed_in = if state.settings.oidc {
        signed_in
            .route("/oauth2/authorize/resume", get(oidc::resume))
            .route("/account/apps/{id}/revoke", post(oidc::revoke_app))
            .route(
                "/oauth2/consent",
                get(oidc::consent_form).post(oidc::consent),
            )
    } else {
        signed_in
    }
    .route_layer(from_fn_with_state(state.clone(), require_session));
    let oidc_pages = if state.settings.oidc {
        Router::new().route(
            "/oauth2/logout/confirm",
            get(oidc::confirm_form).post(oidc::confirm),
        )
    } else {
        Router::new()
    };
    Router::new()
        .route("/", get(|| async { navigation::see_other("/account") }))
        .route("/login", get(login::login_form).post(login::login))
        .route(
            "/login/mfa",
            get(second_step::code_form).post(second_step::verify_code),
        )
        .route("/login/mfa/passkey", post(second_step::verify_passkey))
        .route("/login/passkey", post(login::passkey_login))
        .route(
            "/login/recovery",
            get(second_step::recovery_form).post(second_step::verify_recovery),
        )
        .route(
            "/register",
            get(register::register_form).post(register::register),
        )
        .route(
            "/password/forgot",
            get(email::forgot_form).post(email::forgot),
        )
        .route("/password/reset", get(email::reset_form).post(email::reset))
        .route("/email/verify", get(email::verify_form).post(email::verify))
        .route("/email/resend", post(email::resend_to))
        .merge(signed_in)
        .merge(oidc_pages)
        .layer(from_fn_with_state(Arc::clone(&pages), browser))
        .merge(if state.settings.oidc {
            // From the app's redirect or form (cross-site): no anti-CSRF token here; these
            // only keep a request or ask before ending anything.
            Router::new()
                .route(
                    "/oauth2/authorize",
                    get(oidc::authorize_get).post(oidc::authorize_post),
                )
                .route(
                    "/oauth2/logout",
                    get(oidc::logout_get).post(oidc::logout_post),
                )
        } else {
            Router::new()
        })
        .route("/assets/pages.css", get(layout::stylesheet))
        .route("/assets/pages.js", get(layout::script))
        .route("/assets/brand.css", get(layout::brand_stylesheet))
}

/// Refuses settings the pages cannot use.
pub fn check_settings(settings: &Settings) -> anyhow::Result<()> {
    if let Some(color) = &settings.brand_color {
        anyhow::ensure!(
            layout::is_hex_color(color),
            "brand_color must be #rgb or #rrggbb, not {color:?}"
        );
    }
    if let Some(logo) = &settings.logo_url {
        anyhow::ensure!(
            logo_origin(logo).is_some() || (logo.starts_with('/') && !logo.starts_with("//")),
            "logo_url must be an http(s) URL or a path starting with /"
        );
    }
    Ok(())
}

/// Every page request: the cross-site rule of API 1.1 (rendered as a page), the browser
/// key (made on a first visit), the anti-CSRF token of a post (checked before any handler
/// runs, so a bad one changes nothing), and the pages' security headers.
async fn browser(State(pages): State<Arc<Pages>>, req: Request, next: Next) -> Response {
    let mut response = match guard_request(&pages, req).await {
        Ok((req, new_key)) => {
            let mut response = next.run(req).await;
            if let Some(key) = new_key {
                let ttl = pages.state.settings.refresh_token_ttl;
                let value = set_cookie(&pages.state, pages.csrf_cookie, &key, ttl, "Lax");
                append_cookie(&mut response, value);
            }
            response
        }
        Err(refused) => refused,
    };
    let headers = response.headers_mut();
    // A page may set its own, stricter policy (the `form_post` answer to an app).
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        let apps = app_origins(&pages.state).await;
        let csp = if apps.is_empty() {
            pages.csp.clone()
        } else {
            content_security_policy(&pages.state.settings, &apps)
        };
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// The request to hand on (with its [`Browser`]) and a new browser key to set, or the
/// refusal.
async fn guard_request(pages: &Pages, req: Request) -> Result<(Request, Option<String>), Response> {
    let key = cookie(req.headers(), pages.csrf_cookie)
        .filter(|k| TokenHasher::is_well_formed(k))
        .map(str::to_owned);
    if req.method() != Method::POST {
        if passkey_request(req.method(), req.uri().path()) {
            if let Some(wait) = take_token(pages, &req) {
                return Err(wait);
            }
        }
        let (key, new_key) = match key {
            Some(key) => (key, None),
            None => {
                let key = TokenHasher::generate();
                (key.clone(), Some(key))
            }
        };
        let mut req = req;
        let csrf_token = csrf_token(&pages.state, &key);
        req.extensions_mut().insert(Browser { csrf_token });
        return Ok((req, new_key));
    }
    let refused = || layout::refused(&pages.state);
    if !pages.edge.same_site(req.headers()) {
        return Err(refused());
    }
    if hashing_post(req.uri().path()) || passkey_request(req.method(), req.uri().path()) {
        if let Some(wait) = take_token(pages, &req) {
            return Err(wait);
        }
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, super::BODY_LIMIT).await else {
        return Err(layout::problem_page(&pages.state, &Problem::too_large()));
    };
    let Some(key) = key else {
        return Err(refused());
    };
    let expected = csrf_token(&pages.state, &key);
    let given = form_field(&bytes, CSRF_FIELD).unwrap_or_default();
    if !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
        return Err(refused());
    }
    let mut req = Request::from_parts(parts, axum::body::Body::from(bytes));
    req.extensions_mut().insert(Browser {
        csrf_token: expected,
    });
    Ok((req, None))
}

/// Takes one token from the client IP's bucket; without one, the page that says to wait.
fn take_token(pages: &Pages, req: &Request) -> Option<Response> {
    let retry_after = pages.edge.take_token(req).err()?;
    Some(layout::problem_page(
        &pages.state,
        &Problem::rate_limited(retry_after),
    ))
}

/// The passkey pages, which share the per-IP bucket like the API's passkey endpoints: a
/// post verifies a WebAuthn answer; these pages, shown, start a ceremony (a stored row).
fn passkey_request(method: &Method, path: &str) -> bool {
    if *method == Method::POST {
        matches!(
            path,
            "/login/passkey" | "/login/mfa/passkey" | "/account/passkeys/add"
        )
    } else {
        matches!(
            path,
            "/login/mfa" | "/account/step-up" | "/account/passkeys/add"
        )
    }
}

/// The posts that cost a password hash or guard a code: they share the per-IP bucket.
fn hashing_post(path: &str) -> bool {
    matches!(
        path,
        "/login"
            | "/login/mfa"
            | "/login/recovery"
            | "/register"
            | "/account/password"
            | "/account/step-up"
            | "/account/mfa/setup"
            | "/account/mfa/recovery-codes"
            | "/account/mfa/disable"
            | "/password/forgot"
            | "/password/reset"
            | "/email/verify"
            | "/email/resend"
            | "/account/email"
            | "/account/email/resend"
    )
}

/// The anti-CSRF token of a browser key: an HMAC under the server's token key, so only
/// this server can make one and only for this browser.
fn csrf_token(state: &AppState, browser_key: &str) -> String {
    let mac = state.keys.tokens.hash(CSRF_LABEL, browser_key);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac)
}

/// The first value of `name` in an `application/x-www-form-urlencoded` body.
fn form_field(body: &[u8], name: &str) -> Option<String> {
    url::form_urlencoded::parse(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// A form body as `T` (the last extractor of a page's POST handler), or the 400 page.
pub(crate) struct PageForm<T>(pub T);

impl<T: serde::de::DeserializeOwned> axum::extract::FromRequest<AppState> for PageForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let bad = || layout::problem_page(state, &Problem::bad_form());
        let body = Bytes::from_request(req, state).await.map_err(|_| bad())?;
        serde_urlencoded::from_bytes(&body)
            .map(PageForm)
            .map_err(|_| bad())
    }
}

/// The pages that need someone signed in: the access-token cookie, or else the refresh
/// cookie (rotated here, the new tokens set on the answer); without either, to the login
/// page and back.
async fn require_session(
    State(state): State<AppState>,
    Meta(meta): Meta,
    mut req: Request,
    next: Next,
) -> Response {
    match signed_in(&state, &meta, req.headers()).await {
        Ok(Some((claims, tokens))) => {
            req.extensions_mut().insert(SignedIn(claims));
            let mut response = next.run(req).await;
            if let Some(tokens) = tokens {
                session_cookies(&state, &tokens, &mut response);
            }
            response
        }
        Ok(None) => {
            let back = (req.method() == Method::GET)
                .then(|| req.uri().path_and_query().map(|p| p.as_str().to_owned()))
                .flatten();
            navigation::to_login(back.as_deref())
        }
        Err(e) => layout::problem_page(&state, &Problem::from_service(e)),
    }
}

/// Who is signed in on this browser, and the tokens of a refresh if one was needed.
async fn signed_in(
    state: &AppState,
    meta: &RequestMeta,
    headers: &HeaderMap,
) -> Result<Option<(Claims, Option<AuthTokens>)>, Error> {
    if let Some(token) = cookie(headers, ACCESS_COOKIE) {
        match sessions::authenticate(state, token).await {
            Ok(claims) => return Ok(Some((claims, None))),
            Err(Error::Unauthorized) => {}
            Err(e) => return Err(e),
        }
    }
    let Some(refresh) = cookie(headers, REFRESH_COOKIE) else {
        return Ok(None);
    };
    let tokens = match sessions::refresh(state, meta, refresh).await {
        Ok(tokens) => tokens,
        Err(Error::InvalidToken) => return Ok(None),
        Err(e) => return Err(e),
    };
    let claims = sessions::authenticate(state, &tokens.access_token).await?;
    Ok(Some((claims, Some(tokens))))
}

/// Who is signed in according to the access-token cookie alone (no refresh).
async fn current_claims(state: &AppState, headers: &HeaderMap) -> Option<Claims> {
    let token = cookie(headers, ACCESS_COOKIE)?;
    sessions::authenticate(state, token).await.ok()
}

/// Sets the cookies of a session: access token, refresh token, and the device token a
/// login issued.
fn session_cookies(state: &AppState, tokens: &AuthTokens, response: &mut Response) {
    let settings = &state.settings;
    let access = set_cookie(
        state,
        ACCESS_COOKIE,
        &tokens.access_token,
        tokens.expires_in,
        "Lax",
    );
    let refresh = set_cookie(
        state,
        REFRESH_COOKIE,
        &tokens.refresh_token,
        settings.refresh_token_ttl,
        "Lax",
    );
    append_cookie(response, access);
    append_cookie(response, refresh);
    if let Some(device) = &tokens.device_token {
        append_cookie(response, super::device_cookie(state, device));
    }
}

/// Clears the session's cookies (the device cookie stays: it is the browser's, not the
/// session's).
fn clear_session_cookies(state: &AppState, response: &mut Response) {
    for name in [ACCESS_COOKIE, REFRESH_COOKIE] {
        append_cookie(response, set_cookie(state, name, "", 0, "Lax"));
    }
}

fn append_cookie(response: &mut Response, value: String) {
    if let Ok(value) = HeaderValue::try_from(value) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}
