//! IdentSphere (`seeds/002_*`): snake_case bodies under `/v1/auth`, the `identsphere_at`
//! cookie, errors `{"error", "message"}` with IdentSphere's codes.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::super::edge::Edge;
use super::super::error::ApiError;
use super::super::extract::{authenticate, cookie, read_json, Meta, DEVICE_COOKIE};
use super::{limited, login_cookies, with_cookies, EdgeState};
use crate::crypto::token::TokenHasher;
use crate::domain::codes::{MfaCode, TotpCode};
use crate::domain::email::Email;
use crate::domain::password::Password;
use crate::service::accounts::{self, LoginOutcome, LoginRequest};
use crate::service::sessions::AuthTokens;
use crate::service::{mfa, AppState};

const COOKIE: &str = "identsphere_at";

pub fn router(edge: Arc<Edge>) -> Router<AppState> {
    let hashing = Router::new()
        .route("/v1/auth/login", post(login))
        .route("/v1/auth/mfa/challenge", post(challenge))
        .route_layer(from_fn_with_state(edge, limit));
    Router::new()
        .merge(hashing)
        .route("/v1/auth/mfa/setup", post(setup))
        .route("/v1/auth/mfa/enable", post(enable))
        .route("/v1/auth/mfa/status", get(status))
}

async fn limit(State(edge): EdgeState, req: Request, next: Next) -> Response {
    limited(&edge, req, next, error).await
}

/// IdentSphere's error: `{"error": <code>, "message"}`; 429 carries `Retry-After`.
fn error(e: ApiError) -> Response {
    let (status, code) = match &e {
        ApiError::InvalidInput { .. } | ApiError::SecretMismatch | ApiError::NoPendingSetup => {
            (StatusCode::BAD_REQUEST, "invalid_input")
        }
        ApiError::MfaNotEnabled => (StatusCode::BAD_REQUEST, "invalid_input"),
        ApiError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "invalid_input"),
        ApiError::InvalidCredentials
        | ApiError::Unauthorized
        | ApiError::InvalidToken
        | ApiError::InvalidChallenge
        | ApiError::InvalidCode { .. } => (StatusCode::UNAUTHORIZED, "authentication_required"),
        ApiError::AccountDisabled | ApiError::CrossSite => (StatusCode::FORBIDDEN, "forbidden"),
        ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
        ApiError::EmailTaken | ApiError::MfaAlreadyEnabled => (StatusCode::CONFLICT, "conflict"),
        ApiError::TooManyAttempts { .. } | ApiError::RateLimited { .. } => {
            (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
        }
        ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
        ApiError::Overloaded | ApiError::Timeout | ApiError::Unavailable => {
            (StatusCode::SERVICE_UNAVAILABLE, "service_unavailable")
        }
        ApiError::Internal(cause) => {
            tracing::error!(error = ?cause, "internal error");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal_error")
        }
    };
    let retry_after = match &e {
        ApiError::TooManyAttempts { retry_after } | ApiError::RateLimited { retry_after } => {
            Some((*retry_after).max(1))
        }
        ApiError::Overloaded | ApiError::Timeout => Some(1),
        _ => None,
    };
    let mut response = (
        status,
        Json(json!({ "error": code, "message": e.to_string() })),
    )
        .into_response();
    if let Some(secs) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
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

#[derive(Deserialize)]
struct Credentials {
    email: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    Meta(meta): Meta,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let body: Credentials = read_json(body)?;
        let email = Email::parse(&body.email).map_err(|m| ApiError::invalid_field("email", m))?;
        let password = Password::for_login(&body.password)
            .map_err(|m| ApiError::invalid_field("password", m))?;
        let request = LoginRequest {
            email,
            password,
            device_token: cookie(&headers, DEVICE_COOKIE).map(str::to_owned),
        };
        Ok::<_, ApiError>(accounts::login(&state, &meta, request).await?)
    };
    match result.await {
        Ok(LoginOutcome::Session(tokens)) => signed_in(&state, tokens),
        Ok(LoginOutcome::MfaRequired {
            challenge_token,
            expires_in,
        }) => Json(json!({
            "status": "mfa_required",
            "mfa_token": challenge_token,
            "expires_in": expires_in,
        }))
        .into_response(),
        Err(e) => error(e),
    }
}

#[derive(Deserialize)]
struct ChallengeBody {
    mfa_token: String,
    code: String,
}

async fn challenge(
    State(state): State<AppState>,
    Meta(meta): Meta,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let body: ChallengeBody = read_json(body)?;
        let token = body.mfa_token.trim();
        if !TokenHasher::is_well_formed(token) {
            return Err(ApiError::invalid_field("mfa_token", "is not an MFA token"));
        }
        let code = MfaCode::parse(&body.code).map_err(|m| ApiError::invalid_field("code", m))?;
        Ok(mfa::verify_login(&state, &meta, token, code).await?)
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
        let _: serde_json::Value = read_json(body)?;
        Ok::<_, ApiError>(mfa::setup(&state, &meta, &claims.sub, None).await?)
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
fn enable_code(raw: &str) -> Result<Option<TotpCode>, ApiError> {
    let normalized: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let len = normalized.chars().count();
    if !(6..=8).contains(&len) {
        return Err(ApiError::invalid_field("code", "must be 6 to 8 characters"));
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
        Ok::<_, ApiError>(mfa::confirm(&state, &meta, &claims, code, None, None).await?)
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
        Ok::<_, ApiError>(mfa::status(&state, &claims.sub).await?)
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
