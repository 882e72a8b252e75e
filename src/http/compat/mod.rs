//! The compatibility surfaces of COMPAT.md: IdentSphere, SlugBase and RiverGen served on
//! their own paths. Each file is a router of translations over the same services as the
//! native API (paths, field names, cookies, envelopes, error codes); no rule lives here.
//! Each surface renders a [`Failure`] (a service error or a refusal) in one `fn error`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use serde::Deserialize;

use super::edge::Edge;
use super::extract::{self, read_json, DEVICE_COOKIE};
use super::failure::{Failure, Refusal};
use crate::config::Settings;
use crate::crypto::token::TokenHasher;
use crate::domain::codes::MfaCode;
use crate::domain::email::Email;
use crate::domain::password::Password;
use crate::service::accounts::LoginRequest;
use crate::service::AppState;

mod identsphere;
mod rivergen;
mod slugbase;

/// The surfaces that can be switched on with the setting `compat`.
pub const SURFACES: &[&str] = &["identsphere", "slugbase", "rivergen"];

/// The routes of every surface switched on in `settings`.
pub fn router(settings: &Settings, edge: &Arc<Edge>) -> Router<AppState> {
    let mut router = Router::new();
    if settings.compat_on("identsphere") {
        router = router.merge(identsphere::router(Arc::clone(edge)));
    }
    if settings.compat_on("slugbase") {
        router = router.merge(slugbase::router(Arc::clone(edge)));
    }
    if settings.compat_on("rivergen") {
        router = router.merge(rivergen::router(Arc::clone(edge)));
    }
    router
}

/// The per-address bucket of the native API, answered in a surface's own error shape.
async fn limited(
    edge: &Edge,
    req: Request,
    next: Next,
    render: fn(Failure) -> Response,
) -> Response {
    match edge.take_token(&req) {
        Ok(()) => next.run(req).await,
        Err(retry_after) => render(Refusal::RateLimited { retry_after }.into()),
    }
}

/// The access-token cookie of a surface and, after a login, the device cookie of API 1.1.
fn login_cookies(
    state: &AppState,
    access_cookie: &str,
    tokens: &crate::service::sessions::AuthTokens,
) -> Vec<String> {
    let mut cookies = vec![super::set_cookie(
        state,
        access_cookie,
        &tokens.access_token,
        tokens.expires_in,
        "Lax",
    )];
    if let Some(device) = &tokens.device_token {
        cookies.push(super::device_cookie(state, device));
    }
    cookies
}

/// Adds `Set-Cookie` headers to `response`.
fn with_cookies(mut response: Response, cookies: Vec<String>) -> Response {
    for c in cookies {
        if let Ok(value) = axum::http::HeaderValue::try_from(c) {
            response
                .headers_mut()
                .append(axum::http::header::SET_COOKIE, value);
        }
    }
    response
}

/// The state a surface's limit middleware needs.
type EdgeState = State<Arc<Edge>>;

/// A login body `{email, password}` of IdentSphere or SlugBase; the device token comes
/// from the `twofold_device` cookie (their bodies have no field for it).
fn login_request(
    body: Result<Bytes, BytesRejection>,
    headers: &HeaderMap,
) -> Result<LoginRequest, Refusal> {
    #[derive(Deserialize)]
    struct Credentials {
        email: String,
        password: String,
    }
    let body: Credentials = read_json(body)?;
    let email = Email::parse(&body.email).map_err(|m| Refusal::invalid_field("email", m));
    let password =
        Password::for_login(&body.password).map_err(|m| Refusal::invalid_field("password", m));
    Ok(LoginRequest {
        email: email?,
        password: password?,
        device_token: extract::cookie(headers, DEVICE_COOKIE).map(str::to_owned),
    })
}

/// A second-step body `{mfa_token, code}` of IdentSphere or SlugBase.
fn mfa_step(body: Result<Bytes, BytesRejection>) -> Result<(String, MfaCode), Refusal> {
    #[derive(Deserialize)]
    struct Step {
        mfa_token: String,
        code: String,
    }
    let body: Step = read_json(body)?;
    let token = body.mfa_token.trim().to_owned();
    if !TokenHasher::is_well_formed(&token) {
        return Err(Refusal::invalid_field("mfa_token", "is not an MFA token"));
    }
    let code = MfaCode::parse(&body.code).map_err(|m| Refusal::invalid_field("code", m))?;
    Ok((token, code))
}

/// An empty body `{}` (any JSON object is accepted).
fn empty_body(body: Result<Bytes, BytesRejection>) -> Result<(), Refusal> {
    read_json::<serde_json::Value>(body).map(|_| ())
}
