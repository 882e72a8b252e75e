//! IdentSphere (`seeds/002_*`): snake_case bodies under `/v1/auth`, the `identsphere_at`
//! cookie, errors `{"error", "message"}` with IdentSphere's codes.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::super::edge::Edge;
use super::super::extract::{authenticate, read_json, Meta};
use super::super::failure::{Failure, Refusal};
use super::{empty_body, limited, login_cookies, login_request, mfa_step, with_cookies, EdgeState};
use crate::domain::codes::TotpCode;
use crate::service::accounts::{self, LoginOutcome};
use crate::service::error::Error as ServiceError;
use crate::service::sessions::AuthTokens;
use crate::service::{mfa, AppState};

const COOKIE: &str = "identsphere_at";

pub fn router(edge: Arc<Edge>) -> Router<AppState> {
    let hashing = Router::new()
        .route("/v1/auth/login", post(login))
        .route("/v1/auth/mfa/challenge", post(challenge))
        // Enabling hashes the new recovery codes.
        .route("/v1/auth/mfa/enable", post(enable))
        .route_layer(from_fn_with_state(edge, limit));
    Router::new()
        .merge(hashing)
        .route("/v1/auth/mfa/setup", post(setup))
        .route("/v1/auth/mfa/status", get(status))
}

async fn limit(State(edge): EdgeState, req: Request, next: Next) -> Response {
    limited(&edge, req, next, error).await
}

/// IdentSphere's error: `{"error": <code>, "message"}`; 429 carries `Retry-After`.
fn error(e: Failure) -> Response {
    use ServiceError as E;
    use StatusCode as S;
    e.log_internal();
    let (status, code) = match &e {
        Failure::Service(s) | Failure::SignIn(s) => match s {
            E::InvalidInput { .. }
            | E::SecretMismatch
            | E::NoPendingSetup
            | E::MfaNotEnabled
            | E::InvalidCredential => (S::BAD_REQUEST, "invalid_input"),
            E::InvalidCredentials
            | E::Unauthorized
            | E::InvalidToken
            | E::InvalidChallenge
            | E::InvalidCode => (S::UNAUTHORIZED, "authentication_required"),
            E::AccountDisabled | E::AdminRequired | E::StepUpRequired { .. } => {
                (S::FORBIDDEN, "forbidden")
            }
            E::NotFound => (S::NOT_FOUND, "not_found"),
            E::EmailNotVerified => (S::FORBIDDEN, "forbidden"),
            E::InvalidLink => (S::BAD_REQUEST, "invalid_input"),
            E::EmailAlreadyVerified => (S::CONFLICT, "conflict"),
            E::RateLimited { .. } => (S::TOO_MANY_REQUESTS, "rate_limited"),
            E::EmailTaken | E::MfaAlreadyEnabled | E::TooManyFactors | E::LastAdmin => {
                (S::CONFLICT, "conflict")
            }
            E::Locked { .. } => (S::TOO_MANY_REQUESTS, "rate_limited"),
            E::Overloaded | E::Unavailable => (S::SERVICE_UNAVAILABLE, "service_unavailable"),
            E::Internal(_) => (S::INTERNAL_SERVER_ERROR, "internal_error"),
        },
        Failure::Refused(r) => match r {
            Refusal::InvalidInput { .. } => (S::BAD_REQUEST, "invalid_input"),
            Refusal::PayloadTooLarge => (S::PAYLOAD_TOO_LARGE, "invalid_input"),
            Refusal::CrossSite => (S::FORBIDDEN, "forbidden"),
            Refusal::NoRoute => (S::NOT_FOUND, "not_found"),
            Refusal::RateLimited { .. } => (S::TOO_MANY_REQUESTS, "rate_limited"),
            Refusal::MethodNotAllowed => (S::METHOD_NOT_ALLOWED, "method_not_allowed"),
            Refusal::Timeout => (S::SERVICE_UNAVAILABLE, "service_unavailable"),
        },
    };
    let response = (
        status,
        Json(json!({ "error": code, "message": e.message() })),
    )
        .into_response();
    e.with_retry_after(response)
}

fn ok_body(tokens: &AuthTokens) -> serde_json::Value {
    json!({
        "status": "ok",
        "access_token": tokens.access_token,
        "refresh_token": tokens.refresh_token,
        "token_type": "Bearer",
        "expires_in": tokens.expires_in,
    })
}

fn signed_in(state: &AppState, tokens: AuthTokens) -> Response {
    let cookies = login_cookies(state, COOKIE, &tokens);
    with_cookies(Json(ok_body(&tokens)).into_response(), cookies)
}

async fn login(
    State(state): State<AppState>,
    Meta(meta): Meta,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let request = login_request(body, &headers)?;
        Ok::<_, Failure>(accounts::login(&state, &meta, request).await?)
    };
    match result.await {
        Ok(LoginOutcome::Session(tokens)) => signed_in(&state, tokens),
        Ok(LoginOutcome::MfaRequired {
            challenge_token,
            expires_in,
            ..
        }) => Json(json!({
            "status": "mfa_required",
            "mfa_token": challenge_token,
            "expires_in": expires_in,
        }))
        .into_response(),
        Err(e) => error(e),
    }
}

async fn challenge(
    State(state): State<AppState>,
    Meta(meta): Meta,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let (token, code) = mfa_step(body)?;
        Ok(mfa::verify_login(&state, &meta, &token, code, false).await?)
    };
    match result.await {
        Ok(tokens) => signed_in(&state, tokens),
        Err(e) => error(e),
    }
}

async fn setup(
    State(state): State<AppState>,
    Meta(meta): Meta,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let claims = authenticate(&state, &headers, COOKIE).await?;
        empty_body(body)?;
        Ok::<_, Failure>(mfa::setup(&state, &meta, &claims, None).await?)
    };
    match result.await {
        Ok(setup) => Json(json!({
            "secret": setup.secret.as_str(),
            "otpauth_url": setup.otpauth_uri.as_str(),
            "qr_code": setup.qr_code,
        }))
        .into_response(),
        Err(e) => error(e),
    }
}

#[derive(Deserialize)]
struct EnableBody {
    code: String,
}

/// IdentSphere's codes are 6 to 8 characters; only a 6-digit one can be a TOTP code.
fn enable_code(raw: &str) -> Result<Option<TotpCode>, Refusal> {
    let normalized: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let len = normalized.chars().count();
    if !(6..=8).contains(&len) {
        return Err(Refusal::invalid_field("code", "must be 6 to 8 characters"));
    }
    Ok(TotpCode::parse(&normalized).ok())
}

async fn enable(
    State(state): State<AppState>,
    Meta(meta): Meta,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let claims = authenticate(&state, &headers, COOKIE).await?;
        let body: EnableBody = read_json(body)?;
        let code = enable_code(&body.code)?;
        Ok::<_, Failure>(mfa::confirm(&state, &meta, &claims, code, None, None).await?)
    };
    match result.await {
        Ok(codes) => {
            let codes: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
            Json(json!({ "recovery_codes": codes })).into_response()
        }
        Err(e) => error(e),
    }
}

async fn status(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let result = async {
        let claims = authenticate(&state, &headers, COOKIE).await?;
        Ok::<_, Failure>(mfa::status(&state, &claims.sub).await?)
    };
    match result.await {
        Ok(s) => Json(json!({
            "mfa_enabled": s.enabled,
            "recovery_codes_remaining": s.recovery_codes_remaining,
        }))
        .into_response(),
        Err(e) => error(e),
    }
}
