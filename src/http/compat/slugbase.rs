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
use super::super::extract::{authenticate, read_json, Meta};
use super::super::failure::{Failure, Refusal};
use super::{empty_body, limited, login_cookies, login_request, mfa_step, with_cookies, EdgeState};
use crate::domain::codes::TotpCode;
use crate::service::accounts::{self, LoginOutcome};
use crate::service::error::Error as ServiceError;
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
/// fields are listed; a 409 says "Resource already exists". A code that does not verify is
/// 401 at the login's second step, 400 at enrollment.
fn error(e: Failure) -> Response {
    use ServiceError as E;
    use StatusCode as S;
    e.log_internal();
    let status = match &e {
        Failure::SignIn(E::InvalidCode) => S::UNAUTHORIZED,
        Failure::Service(s) | Failure::SignIn(s) => match s {
            E::InvalidInput { .. }
            | E::InvalidCode
            | E::SecretMismatch
            | E::NoPendingSetup
            | E::MfaNotEnabled
            | E::InvalidCredential => S::BAD_REQUEST,
            E::InvalidCredentials | E::Unauthorized | E::InvalidToken | E::InvalidChallenge => {
                S::UNAUTHORIZED
            }
            E::AccountDisabled | E::AdminRequired | E::StepUpRequired { .. } => S::FORBIDDEN,
            E::NotFound => S::NOT_FOUND,
            E::EmailNotVerified => S::FORBIDDEN,
            E::InvalidLink => S::BAD_REQUEST,
            E::EmailAlreadyVerified => S::CONFLICT,
            E::RateLimited { .. } => S::TOO_MANY_REQUESTS,
            E::EmailTaken | E::MfaAlreadyEnabled | E::TooManyFactors | E::LastAdmin => S::CONFLICT,
            E::Locked { .. } => S::TOO_MANY_REQUESTS,
            E::Overloaded | E::Unavailable => S::SERVICE_UNAVAILABLE,
            E::Internal(_) => S::INTERNAL_SERVER_ERROR,
        },
        Failure::Refused(r) => match r {
            Refusal::InvalidInput { .. } => S::BAD_REQUEST,
            Refusal::PayloadTooLarge => S::PAYLOAD_TOO_LARGE,
            Refusal::RateLimited { .. } => S::TOO_MANY_REQUESTS,
            Refusal::CrossSite => S::FORBIDDEN,
            Refusal::Timeout => S::SERVICE_UNAVAILABLE,
            Refusal::NoRoute => S::NOT_FOUND,
            Refusal::MethodNotAllowed => S::METHOD_NOT_ALLOWED,
        },
    };
    let message = e.message();
    let mut body = json!({
        "error": status.canonical_reason().unwrap_or("Error"),
        "message": message,
        "code": status.as_u16(),
    });
    let details = e.details();
    match &e {
        _ if !details.is_empty() => body["details"] = json!(details),
        Failure::Service(E::InvalidCode | E::NoPendingSetup)
        | Failure::SignIn(E::InvalidCode | E::NoPendingSetup)
            if status == S::BAD_REQUEST =>
        {
            body["details"] = json!([{ "field": "code", "message": message }]);
        }
        _ if status == S::CONFLICT => body["details"] = json!("Resource already exists"),
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
) -> Result<Response, Failure> {
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
            .map_err(Failure::SignIn)?;
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
        Ok::<_, Failure>(
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
        let code = TotpCode::parse(&body.code).map_err(|m| Refusal::invalid_field("code", m))?;
        let codes = mfa::confirm(&state, &meta, &claims, Some(code), None, None).await?;
        let codes: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
        Ok::<_, Failure>(Json(json!({ "backup_codes": codes })).into_response())
    };
    result.await.unwrap_or_else(error)
}
