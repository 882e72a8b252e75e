//! SlugBase (`seeds/003_*`): under `/api/auth`, the `slugbase.sid` session cookie (it holds
//! the access token), errors `{"error": <reason phrase>, "message", "code": <status>}`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
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
use crate::service::sessions::{self, AuthTokens};
use crate::service::{mfa, AppState};

const COOKIE: &str = "slugbase.sid";

pub fn router(edge: Arc<Edge>) -> Router<AppState> {
    let hashing = Router::new()
        .route("/api/auth/login", post(login))
        .route("/api/auth/mfa/verify", post(verify))
        .route_layer(from_fn_with_state(edge, limit));
    Router::new()
        .merge(hashing)
        .route("/api/auth/mfa/enroll", post(enroll))
        .route("/api/auth/mfa/enroll/confirm", post(confirm))
}

async fn limit(State(edge): EdgeState, req: Request, next: Next) -> Response {
    limited(&edge, req, next, error).await
}

/// SlugBase's error shape. On a 400 of invalid fields (the code at confirm included), the
/// fields are listed; a 409 says "Resource already exists".
fn error(e: ApiError) -> Response {
    let status = match &e {
        ApiError::SecretMismatch | ApiError::NoPendingSetup => StatusCode::BAD_REQUEST,
        ApiError::InvalidChallenge | ApiError::InvalidCredentials | ApiError::InvalidToken => {
            StatusCode::UNAUTHORIZED
        }
        other => other.status(),
    };
    if let ApiError::Internal(cause) = &e {
        tracing::error!(error = ?cause, "internal error");
    }
    let mut body = json!({
        "error": status.canonical_reason().unwrap_or("Error"),
        "message": e.to_string(),
        "code": status.as_u16(),
    });
    match &e {
        ApiError::InvalidInput { details, .. } if !details.is_empty() => {
            body["details"] = json!(details);
        }
        ApiError::InvalidCode { .. } | ApiError::NoPendingSetup
            if status == StatusCode::BAD_REQUEST =>
        {
            body["details"] = json!([{ "field": "code", "message": e.to_string() }]);
        }
        _ if status == StatusCode::CONFLICT => body["details"] = json!("Resource already exists"),
        _ => {}
    }
    let mut response = (status, Json(body)).into_response();
    let retry_after = match &e {
        ApiError::TooManyAttempts { retry_after } | ApiError::RateLimited { retry_after } => {
            Some((*retry_after).max(1))
        }
        ApiError::Overloaded | ApiError::Timeout => Some(1),
        _ => None,
    };
    if let Some(secs) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

/// `{"user": {id, email}, ...extra}` with the session cookie.
async fn signed_in(
    state: &AppState,
    tokens: AuthTokens,
    extra: serde_json::Value,
) -> Result<Response, ApiError> {
    let claims = sessions::authenticate(state, &tokens.access_token).await?;
    let user = state
        .store
        .user_by_id(&claims.sub)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let mut body = json!({ "user": { "id": user.id, "email": user.email } });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    let cookies = login_cookies(state, COOKIE, &tokens);
    Ok(with_cookies(Json(body).into_response(), cookies))
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
        match accounts::login(&state, &meta, request).await? {
            LoginOutcome::Session(tokens) => {
                signed_in(&state, tokens, json!({ "mfa_required": false })).await
            }
            LoginOutcome::MfaRequired {
                challenge_token, ..
            } => Ok(
                Json(json!({ "mfa_required": true, "mfa_token": challenge_token })).into_response(),
            ),
        }
    };
    result.await.unwrap_or_else(error)
}

#[derive(Deserialize)]
struct VerifyBody {
    mfa_token: String,
    code: String,
}

async fn verify(
    State(state): State<AppState>,
    Meta(meta): Meta,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let body: VerifyBody = read_json(body)?;
        let token = body.mfa_token.trim();
        if !TokenHasher::is_well_formed(token) {
            return Err(ApiError::invalid_field("mfa_token", "is not an MFA token"));
        }
        let code = MfaCode::parse(&body.code).map_err(|m| ApiError::invalid_field("code", m))?;
        let tokens = mfa::verify_login(&state, &meta, token, code)
            .await
            .map_err(ApiError::on_login)?;
        signed_in(&state, tokens, json!({})).await
    };
    result.await.unwrap_or_else(error)
}

async fn enroll(
    State(state): State<AppState>,
    Meta(meta): Meta,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let claims = authenticate(&state, &headers, COOKIE).await?;
        let _: serde_json::Value = read_json(body)?;
        let setup = mfa::setup(&state, &meta, &claims.sub, None).await?;
        Ok::<_, ApiError>(
            Json(json!({
                "secret": setup.secret.as_str(),
                "otpauth_url": setup.otpauth_uri.as_str(),
                "qr_code": setup.qr_code,
            }))
            .into_response(),
        )
    };
    result.await.unwrap_or_else(error)
}

#[derive(Deserialize)]
struct ConfirmBody {
    code: String,
}

async fn confirm(
    State(state): State<AppState>,
    Meta(meta): Meta,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let claims = authenticate(&state, &headers, COOKIE).await?;
        let body: ConfirmBody = read_json(body)?;
        let code = TotpCode::parse(&body.code).map_err(|m| ApiError::invalid_field("code", m))?;
        let codes = mfa::confirm(&state, &meta, &claims, Some(code), None, None).await?;
        let codes: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
        Ok::<_, ApiError>(Json(json!({ "backup_codes": codes })).into_response())
    };
    result.await.unwrap_or_else(error)
}
