//! RiverGen (`seeds/004_*`): envelopes under `/api/v1/mfa/totp`, Bearer only; failures
//! `{"success": false, "error": {"code": <UPPER_CASE>, "message"}, "message"}`; backup
//! codes shown as `XXXX-XXXX`.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use std::sync::Arc;

use axum::extract::Request;
use axum::middleware::{from_fn_with_state, Next};

use super::super::edge::Edge;
use super::super::extract::{bearer_token, read_json, Meta};
use super::super::failure::{Failure, Refusal};
use super::super::mfa::name_field;
use super::{limited, EdgeState};
use crate::domain::codes::TotpCode;
use crate::service::error::Error as ServiceError;
use crate::service::{mfa, sessions, AppState};

pub fn router(edge: Arc<Edge>) -> Router<AppState> {
    // Verifying enables MFA, which hashes ten recovery codes: behind the per-IP bucket.
    let hashing = Router::new()
        .route("/api/v1/mfa/totp/verify", post(verify))
        .route_layer(from_fn_with_state(edge, limit));
    Router::new()
        .merge(hashing)
        .route("/api/v1/mfa/totp/setup", post(setup))
        .route("/api/v1/mfa/totp/status", get(status))
}

async fn limit(State(edge): EdgeState, req: Request, next: Next) -> Response {
    limited(&edge, req, next, error).await
}

fn success(data: Value, message: &str) -> Response {
    Json(json!({ "success": true, "data": data, "message": message })).into_response()
}

/// RiverGen's failure envelope; a malformed request is 422 `VALIDATION_ERROR`.
fn error(e: Failure) -> Response {
    use ServiceError as E;
    use StatusCode as S;
    e.log_internal();
    let (status, code) = match &e {
        Failure::Service(s) | Failure::SignIn(s) => match s {
            E::InvalidInput { .. } => (S::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR"),
            E::InvalidCode | E::SecretMismatch => (S::BAD_REQUEST, "INVALID_CODE"),
            E::NoPendingSetup => (S::BAD_REQUEST, "NO_PENDING_SETUP"),
            E::MfaNotEnabled => (S::BAD_REQUEST, "MFA_NOT_ENABLED"),
            E::InvalidCredential => (S::BAD_REQUEST, "INVALID_CREDENTIAL"),
            E::TooManyFactors => (S::CONFLICT, "TOO_MANY_FACTORS"),
            E::LastAdmin => (S::CONFLICT, "LAST_ADMIN"),
            E::Unauthorized | E::InvalidToken | E::InvalidCredentials | E::InvalidChallenge => {
                (S::UNAUTHORIZED, "UNAUTHORIZED")
            }
            E::MfaAlreadyEnabled | E::EmailTaken => (S::CONFLICT, "MFA_ALREADY_ENABLED"),
            E::Locked { .. } => (S::TOO_MANY_REQUESTS, "TOO_MANY_ATTEMPTS"),
            E::AccountDisabled | E::AdminRequired | E::StepUpRequired { .. } => {
                (S::FORBIDDEN, "FORBIDDEN")
            }
            E::NotFound => (S::NOT_FOUND, "NOT_FOUND"),
            E::EmailNotVerified => (S::FORBIDDEN, "EMAIL_NOT_VERIFIED"),
            E::InvalidLink => (S::BAD_REQUEST, "INVALID_TOKEN"),
            E::EmailAlreadyVerified => (S::CONFLICT, "EMAIL_ALREADY_VERIFIED"),
            E::RateLimited { .. } => (S::TOO_MANY_REQUESTS, "RATE_LIMITED"),
            E::Overloaded | E::Unavailable => (S::SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE"),
            E::Internal(_) => (S::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR"),
        },
        Failure::Refused(r) => match r {
            Refusal::InvalidInput { .. } | Refusal::PayloadTooLarge => {
                (S::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR")
            }
            Refusal::RateLimited { .. } => (S::TOO_MANY_REQUESTS, "RATE_LIMITED"),
            Refusal::CrossSite => (S::FORBIDDEN, "FORBIDDEN"),
            Refusal::NoRoute => (S::NOT_FOUND, "NOT_FOUND"),
            Refusal::MethodNotAllowed => (S::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED"),
            Refusal::Timeout => (S::SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE"),
        },
    };
    let message = e.message();
    let response = (
        status,
        Json(json!({
            "success": false,
            "error": { "code": code, "message": message },
            "message": message,
        })),
    )
        .into_response();
    e.with_retry_after(response)
}

/// The caller of a RiverGen request: a Bearer access token only.
async fn caller(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<crate::crypto::jwt::Claims, ServiceError> {
    let token = bearer_token(headers).ok_or(ServiceError::Unauthorized)?;
    sessions::authenticate(state, token).await
}

/// A backup code in RiverGen's form: upper case, `XXXX-XXXX`.
fn river_form(code: &str) -> String {
    let upper = code.to_uppercase();
    match upper.len() {
        8 => format!("{}-{}", &upper[..4], &upper[4..]),
        _ => upper,
    }
}

#[derive(Deserialize)]
struct SetupBody {
    device_name: Option<String>,
}

async fn setup(
    State(state): State<AppState>,
    Meta(meta): Meta,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let claims = caller(&state, &headers).await?;
        let body: SetupBody = read_json(body)?;
        let name = name_field(body.device_name, "device_name")?;
        let s = mfa::setup(&state, &meta, &claims, name).await?;
        Ok::<_, Failure>(success(
            json!({
                "secret": s.secret.as_str(),
                "otpauth_url": s.otpauth_uri.as_str(),
                "qr_code": s.qr_code,
                "expires_in": s.expires_in,
            }),
            "TOTP setup initiated",
        ))
    };
    result.await.unwrap_or_else(error)
}

#[derive(Deserialize)]
struct VerifyBody {
    code: String,
    device_name: Option<String>,
}

async fn verify(
    State(state): State<AppState>,
    Meta(meta): Meta,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let claims = caller(&state, &headers).await?;
        let body: VerifyBody = read_json(body)?;
        let code = TotpCode::parse(&body.code).map_err(|m| Refusal::invalid_field("code", m))?;
        let name = name_field(body.device_name, "device_name")?;
        let codes = mfa::confirm(&state, &meta, &claims, Some(code), None, name).await?;
        let codes: Vec<String> = codes.iter().map(|c| river_form(c)).collect();
        let message = "TOTP MFA enabled successfully";
        Ok::<_, Failure>(success(
            json!({ "success": true, "backup_codes": codes, "message": message }),
            message,
        ))
    };
    result.await.unwrap_or_else(error)
}

async fn status(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let result = async {
        let claims = caller(&state, &headers).await?;
        let s = mfa::status(&state, &claims.sub).await?;
        Ok::<_, Failure>(success(
            json!({
                "enabled": s.enabled,
                "device_name": s.device_name,
                "backup_codes_remaining": s.recovery_codes_remaining,
                "pending_setup": s.pending_setup,
            }),
            "TOTP status retrieved",
        ))
    };
    result.await.unwrap_or_else(error)
}
