//! `/auth/verify-mfa/passkey/options` and `/auth/passkey/*`: a passkey as the second step
//! of a login, and passwordless sign-in.

use axum::extract::State;
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};

use super::auth::challenge_token;
use super::auth_response;
use super::error::ErrorBody;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, Meta};
use super::failure::Refusal;
use super::openapi::Always;
use super::AuthBody;
use crate::crypto::token::TokenHasher;
use crate::service::{passkeys, AppState};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The passkey sign-in endpoints, which share the per-IP bucket.
pub fn hashing_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(verify_mfa_passkey_options))
        .routes(routes!(passkey_options))
        .routes(routes!(passkey_login))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct ChallengeBody {
    mfa_challenge_token: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct PasskeyOptionsBody {
    /// PublicKeyCredentialRequestOptions in JSON form (WebAuthn Level 3
    /// `parseRequestOptionsFromJSON`).
    pub(super) public_key: serde_json::Value,
}

/// Request options for the challenge's user's passkeys (the second factor).
#[utoipa::path(post, path = "/auth/verify-mfa/passkey/options", tag = "auth", request_body = ChallengeBody,
    responses(
        (status = 200, description = "The request options", body = PasskeyOptionsBody),
        (status = 400, description = "`invalid_input` (no passkey)", body = ErrorBody),
        (status = 401, description = "`invalid_challenge`", body = ErrorBody),
        (status = 429, description = "`too_many_attempts` or `rate_limited`", body = ErrorBody),
        Always))]
async fn verify_mfa_passkey_options(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ChallengeBody>,
) -> ApiResult<Json<PasskeyOptionsBody>> {
    let token = challenge_token(&body.mfa_challenge_token)?;
    let public_key = passkeys::mfa_options(&state, token)
        .await
        .map_err(ApiError::on_login)?;
    Ok(Json(PasskeyOptionsBody { public_key }))
}

#[derive(Deserialize, ToSchema)]
struct EmptyBody {}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct PasswordlessOptionsBody {
    /// PublicKeyCredentialRequestOptions in JSON form, for discoverable credentials.
    public_key: serde_json::Value,
    passkey_challenge_token: String,
}

/// Starts a passwordless login with a discoverable passkey.
#[utoipa::path(post, path = "/auth/passkey/options", tag = "auth", request_body = EmptyBody,
    responses(
        (status = 200, description = "The request options and the ceremony's token", body = PasswordlessOptionsBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
        Always))]
async fn passkey_options(
    State(state): State<AppState>,
    ApiJson(_empty): ApiJson<EmptyBody>,
) -> ApiResult<Json<PasswordlessOptionsBody>> {
    let ceremony = passkeys::passwordless_options(&state).await?;
    Ok(Json(PasswordlessOptionsBody {
        public_key: ceremony.public_key,
        passkey_challenge_token: ceremony.token,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct PasskeyLoginBody {
    passkey_challenge_token: String,
    /// AuthenticationResponseJSON.
    passkey: serde_json::Value,
}

/// Logs in with a passkey alone (`amr: ["hwk","user","mfa"]`).
#[utoipa::path(post, path = "/auth/passkey/login", tag = "auth", request_body = PasskeyLoginBody,
    responses(
        (status = 200, description = "An `AuthResponse`", body = AuthBody),
        (status = 401, description = "`invalid_credentials`", body = ErrorBody),
        (status = 403, description = "`account_disabled`, or `cross_site_request`", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
        Always))]
async fn passkey_login(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ApiJson(body): ApiJson<PasskeyLoginBody>,
) -> ApiResult<Response> {
    let token = body.passkey_challenge_token.trim();
    if !TokenHasher::is_well_formed(token) {
        return Err(Refusal::invalid_field(
            "passkeyChallengeToken",
            "is not a passkey challenge token",
        )
        .into());
    }
    let tokens = passkeys::login(&state, &meta, token, &body.passkey).await?;
    Ok(auth_response(&state, tokens, None))
}
