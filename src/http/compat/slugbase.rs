//! SlugBase (`seeds/003_*`): under `/api/auth`, the `slugbase.sid` session cookie (it holds
//! the access token), errors `{"error": <reason phrase>, "message", "code": <status>}`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::super::edge::Edge;
use super::super::error::ApiError;
use super::super::extract::{authenticate, read_json, Meta};
use super::{empty_body, limited, login_cookies, login_request, mfa_step, with_cookies, EdgeState};
use crate::domain::codes::TotpCode;
use crate::service::accounts::{self, LoginOutcome};
use crate::service::sessions::AuthTokens;
use crate::service::{mfa, profile, AppState};

const COOKIE: &str = "slugbase.sid";

pub fn router(edge: Arc<Edge>) -> Router<AppState> {
    let hashing = Router::new()
        .route("/api/auth/login", post(login))
        .route("/api/auth/mfa/verify", post(verify))
        // Confirming hashes the new recovery codes.
        .route("/api/auth/mfa/enroll/confirm", post(confirm))
        .route_layer(from_fn_with_state(edge, limit));
    Router::new()
        .merge(hashing)
        .route("/api/auth/mfa/enroll", post(enroll))
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
    let response = (status, Json(body)).into_response();
    e.with_retry_after(response)
}

/// `{"user": {id, email}, ...extra}` with the session cookie.
async fn signed_in(
    state: &AppState,
    tokens: AuthTokens,
    extra: serde_json::Value,
) -> Result<Response, ApiError> {
    let user = profile::account(state, &tokens.user_id).await?;
    let mut body = json!({ "user": { "id": user.id, "email": user.email } });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    let cookies = login_cookies(state, COOKIE, &tokens);
    Ok(with_cookies(Json(body).into_response(), cookies))
}

async fn login(
    State(state): State<AppState>,
    Meta(meta): Meta,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let request = login_request(body, &headers)?;
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

async fn verify(
    State(state): State<AppState>,
    Meta(meta): Meta,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let (token, code) = mfa_step(body)?;
        let tokens = mfa::verify_login(&state, &meta, &token, code, false)
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
        empty_body(body)?;
        let setup = mfa::setup(&state, &meta, &claims, None).await?;
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
