//! The HTTP layer: one `router()` per file, assembled here with the body limit, tracing,
//! and JSON answers for unknown routes and methods.

use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::trace::TraceLayer;

use crate::error::ApiError;
use crate::service::accounts::AuthTokens;
use crate::service::AppState;

mod audit;
mod auth;
/// Request extractors.
pub mod extract;
mod health;
mod jwks;
mod me;
mod mfa;

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The whole application's routes.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(auth::router())
        .merge(me::router())
        .merge(mfa::router())
        .merge(audit::router())
        .merge(health::router());
    Router::new()
        .nest("/api/v1", api)
        .merge(health::router())
        .merge(jwks::router())
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The `AuthResponse` of the contract.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct AuthBody {
    access_token: String,
    refresh_token: String,
    token_type: &'static str,
    expires_in: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    mfa_required: Option<bool>,
}

/// Answers with `tokens` as an `AuthResponse` and sets the access-token cookie.
fn auth_response(state: &AppState, tokens: AuthTokens, mfa_required: Option<bool>) -> Response {
    let cookie = access_cookie(state, &tokens.access_token, tokens.expires_in);
    let body = AuthBody {
        access_token: tokens.access_token,
        refresh_token: tokens.refresh_token,
        token_type: "Bearer",
        expires_in: tokens.expires_in,
        mfa_required,
    };
    ([(header::SET_COOKIE, cookie)], axum::Json(body)).into_response()
}

/// The `Set-Cookie` value for the access token (`max_age` 0 clears it).
fn access_cookie(state: &AppState, value: &str, max_age: i64) -> String {
    let secure = if state.settings.listens_on_loopback() {
        ""
    } else {
        "; Secure"
    };
    format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
        extract::ACCESS_COOKIE
    )
}
