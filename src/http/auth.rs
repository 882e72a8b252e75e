//! `/auth/*`: register, login, refresh, logout.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::extract::{ApiJson, Auth, Meta};
use super::{access_cookie, auth_response};
use crate::crypto::token::TokenHasher;
use crate::domain::codes::MfaCode;
use crate::domain::email::Email;
use crate::domain::password::Password;
use crate::error::{ApiError, ApiResult};
use crate::service::accounts::{self, LoginOutcome};
use crate::service::mfa;
use crate::service::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/register", post(register))
        .route("/auth/login", post(login))
        .route("/auth/verify-mfa", post(verify_mfa))
        .route("/auth/refresh", post(refresh))
        .route("/auth/logout", post(logout))
}

#[derive(Deserialize)]
struct Credentials {
    email: String,
    password: String,
}

#[derive(Serialize)]
struct UserBody {
    id: String,
    email: String,
}

async fn register(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ApiJson(body): ApiJson<Credentials>,
) -> ApiResult<(StatusCode, Json<UserBody>)> {
    let email = Email::parse(&body.email).map_err(|m| ApiError::invalid_field("email", m));
    let password =
        Password::parse(&body.password).map_err(|m| ApiError::invalid_field("password", m));
    let (email, password) = both(email, password)?;
    let user = accounts::register(&state, &meta, email, password).await?;
    Ok((
        StatusCode::CREATED,
        Json(UserBody {
            id: user.id,
            email: user.email,
        }),
    ))
}

/// Both values, or one `invalid_input` carrying the details of every invalid field.
fn both<A, B>(a: ApiResult<A>, b: ApiResult<B>) -> ApiResult<(A, B)> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (
            Err(ApiError::InvalidInput { mut details, .. }),
            Err(ApiError::InvalidInput { details: more, .. }),
        ) => {
            details.extend(more);
            let message = details
                .iter()
                .map(|d| format!("{}: {}", d.field, d.message))
                .collect::<Vec<_>>()
                .join("; ");
            Err(ApiError::InvalidInput { message, details })
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MfaRequiredBody {
    mfa_required: bool,
    mfa_challenge_token: String,
    expires_in: i64,
}

async fn login(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ApiJson(body): ApiJson<Credentials>,
) -> ApiResult<Response> {
    let email = Email::parse(&body.email).map_err(|m| ApiError::invalid_field("email", m));
    let password =
        Password::for_login(&body.password).map_err(|m| ApiError::invalid_field("password", m));
    let (email, password) = both(email, password)?;
    Ok(
        match accounts::login(&state, &meta, email, password).await? {
            LoginOutcome::Session(tokens) => auth_response(&state, tokens, Some(false)),
            LoginOutcome::MfaRequired {
                challenge_token,
                expires_in,
            } => Json(MfaRequiredBody {
                mfa_required: true,
                mfa_challenge_token: challenge_token,
                expires_in,
            })
            .into_response(),
        },
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VerifyMfaBody {
    mfa_challenge_token: String,
    code: String,
}

async fn verify_mfa(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ApiJson(body): ApiJson<VerifyMfaBody>,
) -> ApiResult<Response> {
    let token = body.mfa_challenge_token.trim();
    let token = if TokenHasher::is_well_formed(token) {
        Ok(token)
    } else {
        Err(ApiError::invalid_field(
            "mfaChallengeToken",
            "is not a challenge token",
        ))
    };
    let code = MfaCode::parse(&body.code).map_err(|m| ApiError::invalid_field("code", m));
    let (token, code) = both(token, code)?;
    let tokens = mfa::verify_login(&state, &meta, token, code).await?;
    Ok(auth_response(&state, tokens, None))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RefreshBody {
    refresh_token: String,
}

async fn refresh(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ApiJson(body): ApiJson<RefreshBody>,
) -> ApiResult<Response> {
    if body.refresh_token.trim().is_empty() {
        return Err(ApiError::invalid_field("refreshToken", "must not be empty"));
    }
    let tokens = accounts::refresh(&state, &meta, body.refresh_token.trim()).await?;
    Ok(auth_response(&state, tokens, None))
}

async fn logout(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
) -> ApiResult<Response> {
    accounts::logout(&state, &meta, &claims).await?;
    let clear = access_cookie(&state, "", 0);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)]).into_response())
}
