//! The HTTP layer: one `router()` per file, assembled here with the edge of
//! [`edge`] (client IP, security headers, timeout, cross-site rule, per-IP limit), the
//! body limit, tracing, and JSON answers for unknown routes and methods.

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::service::sessions::AuthTokens;
use crate::service::AppState;
use error::ApiError;
use failure::Refusal;

mod admin;
mod audit;
mod auth;
mod authz;
/// The compatibility surfaces (IdentSphere, SlugBase, RiverGen).
pub mod compat;
mod discovery;
/// The edge: client IP, security headers, cross-site rule, rate limit, timeout.
pub mod edge;
/// Email: links, the forgotten password, the address, the notice setting.
pub(crate) mod email;
/// The native API's error type, rendered in the contract's JSON shape.
pub mod error;
/// Request extractors.
pub mod extract;
/// The hosted pages for people (PAGES.md).
mod factors;
/// What a request fails with before a surface renders it: a service error or a refusal.
pub mod failure;
mod health;
mod jwks;
pub(crate) mod me;
/// Prometheus metrics: recorder, request middleware, listener.
pub mod metrics;
mod mfa;
mod oauth_admin;
mod oauth_cors;
mod oidc;
/// The OpenAPI document and the `/docs` page.
pub mod openapi;
pub mod pages;
mod passkey_auth;
/// The HTTP server: connections, header timeout, graceful shutdown.
pub mod serve;
mod sessions;
mod stepup;

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The native API's routes with their documentation (one registration each), under
/// `/api/v1`, and the JWKS; `edge` adds the per-IP limit to the endpoints that hash or
/// run a passkey ceremony.
fn native(edge: Option<&Arc<edge::Edge>>) -> OpenApiRouter<AppState> {
    let mut hashing = auth::hashing_router()
        .merge(passkey_auth::hashing_router())
        .merge(stepup::hashing_router())
        .merge(mfa::hashing_router())
        .merge(factors::passkey_router())
        .merge(email::limited_router());
    if let Some(edge) = edge {
        hashing = hashing.route_layer(from_fn_with_state(Arc::clone(edge), edge::rate_limit));
    }
    let api = OpenApiRouter::new()
        .merge(hashing)
        .merge(auth::router())
        .merge(sessions::router())
        .merge(me::router())
        .merge(email::router())
        .merge(mfa::router())
        .merge(factors::router())
        .merge(audit::router())
        .merge(admin::router())
        .merge(oauth_admin::router())
        .merge(authz::router())
        .merge(health::router());
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .nest("/api/v1", api)
        .merge(jwks::router())
        .merge(oidc::router())
        .merge(discovery::router())
}

/// The OpenAPI 3.1 document of the native API, as `/api/v1/openapi.json` serves it.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    native(None).into_openapi()
}

/// The whole application's routes.
pub fn router(state: AppState, edge: Arc<edge::Edge>) -> Router {
    let (api, document) = native(Some(&edge)).split_for_parts();
    let router = api
        .merge(openapi::router(document))
        .merge(compat::router(&state.settings, &edge))
        .merge(pages::router(&state, &edge))
        // Also at the root, for load balancers (documented under /api/v1).
        .merge(Router::from(health::router()))
        .fallback(|| async { ApiError::from(Refusal::NoRoute) })
        .method_not_allowed_fallback(|| async { ApiError::from(Refusal::MethodNotAllowed) });
    // Requests are counted and timed only when someone can scrape the figures.
    let router = if state.settings.oidc {
        router.layer(from_fn_with_state(state.clone(), oauth_cors::cors))
    } else {
        router.layer(axum::middleware::from_fn(without_oidc))
    };
    let router = router.layer(axum::Extension(Arc::clone(&edge)));
    let router = if state.settings.metrics_listen.is_some() {
        router.layer(axum::middleware::from_fn(metrics::track))
    } else {
        router
    };
    router
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(from_fn_with_state(edge, edge::guard))
        // The span names the path only: a link's `?token=` never reaches a log line.
        .layer(TraceLayer::new_for_http().make_span_with(
            |req: &axum::http::Request<axum::body::Body>| {
                tracing::debug_span!("request", method = %req.method(), path = %req.uri().path())
            },
        ))
        .with_state(state)
}

/// The `AuthResponse` of the contract.
/// With `oidc = false`, none of OIDC.md is served: 404 as for any unknown path.
async fn without_oidc(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let path = req.uri().path();
    if path.starts_with("/oauth2/")
        || path.starts_with("/api/v1/oauth2/")
        || path.starts_with("/api/v1/admin/clients")
        || path == "/.well-known/openid-configuration"
        || path == "/.well-known/oauth-authorization-server"
    {
        return ApiError::from(Refusal::NoRoute).into_response();
    }
    next.run(req).await
}

#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct AuthBody {
    access_token: String,
    refresh_token: String,
    token_type: &'static str,
    expires_in: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    mfa_required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    device_token: Option<String>,
}

/// Answers with `tokens` as an `AuthResponse` and sets the access-token cookie (and the
/// device cookie after a login).
fn auth_response(state: &AppState, tokens: AuthTokens, mfa_required: Option<bool>) -> Response {
    let cookie = access_cookie(state, &tokens.access_token, tokens.expires_in);
    let device_cookie = tokens
        .device_token
        .as_deref()
        .map(|t| device_cookie(state, t));
    let body = AuthBody {
        access_token: tokens.access_token,
        refresh_token: tokens.refresh_token,
        token_type: "Bearer",
        expires_in: tokens.expires_in,
        mfa_required,
        device_token: tokens.device_token,
    };
    let mut response = ([(header::SET_COOKIE, cookie)], axum::Json(body)).into_response();
    if let Some(Ok(value)) = device_cookie.map(header::HeaderValue::try_from) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// A `Set-Cookie` value: HttpOnly, Path=/, Secure when `public_url` is `https://`.
pub(crate) fn set_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    max_age: i64,
    same_site: &str,
) -> String {
    let secure = if state.settings.secure_transport() {
        "; Secure"
    } else {
        ""
    };
    // The session's cookies are shared with the apps under `cookie_domain` (PROXY.md).
    let domain = match state.settings.cookie_domain() {
        Some(d) if name == extract::ACCESS_COOKIE || name == extract::REFRESH_COOKIE => {
            format!("; Domain={d}")
        }
        _ => String::new(),
    };
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite={same_site}; Max-Age={max_age}{domain}{secure}"
    )
}

/// The `Set-Cookie` value for a device token (SameSite=Strict, kept for its lifetime).
pub(crate) fn device_cookie(state: &AppState, value: &str) -> String {
    let ttl = state.settings.device_token_ttl;
    set_cookie(state, extract::DEVICE_COOKIE, value, ttl, "Strict")
}

/// The `Set-Cookie` value for the access token (`max_age` 0 clears it).
fn access_cookie(state: &AppState, value: &str, max_age: i64) -> String {
    set_cookie(state, extract::ACCESS_COOKIE, value, max_age, "Lax")
}
