//! `/mfa/*`: setup, confirm, status, recovery-code regeneration, disable.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::error::ErrorBody;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, Auth, Meta};
use super::failure::Refusal;
use super::openapi::{Always, Authed};
use crate::domain::codes::{MfaCode, TotpCode};
use crate::domain::text::factor_name;
use crate::domain::time::rfc3339;
use crate::service::{mfa, AppState};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(setup))
        .routes(routes!(status))
}

/// The MFA routes that hash (recovery codes made at confirm and regenerate, checked at
/// disable): behind the per-IP bucket.
pub fn hashing_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(confirm))
        .routes(routes!(regenerate))
        .routes(routes!(disable))
}

/// A trimmed device name of at most 64 printable characters; blank means none.
pub(super) fn device_name(raw: Option<String>) -> Result<Option<String>, Refusal> {
    name_field(raw, "deviceName")
}

/// A name (of a device or factor) in `field`, by the one rule of [`factor_name`].
pub(super) fn name_field(raw: Option<String>, field: &str) -> Result<Option<String>, Refusal> {
    factor_name(raw.as_deref().unwrap_or_default()).map_err(|m| Refusal::invalid_field(field, m))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct SetupBody {
    device_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct SetupResponse {
    secret: String,
    otpauth_uri: String,
    qr_code: String,
    expires_in: i64,
}

/// Starts (or restarts) TOTP enrollment: a pending secret, its URI and QR code.
#[utoipa::path(post, path = "/mfa/setup", tag = "mfa", request_body = SetupBody,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "The pending secret", body = SetupResponse),
        (status = 409, description = "`mfa_already_enabled`", body = ErrorBody), Authed, Always))]
async fn setup(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
    ApiJson(body): ApiJson<SetupBody>,
) -> ApiResult<Json<SetupResponse>> {
    let name = device_name(body.device_name)?;
    let setup = mfa::setup(&state, &meta, &claims, name).await?;
    Ok(Json(SetupResponse {
        secret: setup.secret.to_string(),
        otpauth_uri: setup.otpauth_uri.to_string(),
        qr_code: setup.qr_code,
        expires_in: setup.expires_in,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct ConfirmBody {
    code: String,
    secret: Option<String>,
    device_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct RecoveryCodesResponse {
    recovery_codes: Vec<String>,
}

fn codes_response(codes: Vec<Zeroizing<String>>) -> Json<RecoveryCodesResponse> {
    Json(RecoveryCodesResponse {
        recovery_codes: codes.iter().map(|c| c.to_string()).collect(),
    })
}

pub(super) fn totp_code(raw: &str) -> Result<TotpCode, Refusal> {
    TotpCode::parse(raw).map_err(|m| Refusal::invalid_field("code", m))
}

/// Confirms enrollment with a current code: MFA is on, and the recovery codes are shown once.
#[utoipa::path(post, path = "/mfa/setup/confirm", tag = "mfa", request_body = ConfirmBody,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Ten recovery codes", body = RecoveryCodesResponse),
        (status = 409, description = "`mfa_already_enabled`", body = ErrorBody),
        (status = 429, description = "`too_many_attempts`", body = ErrorBody), Authed, Always))]
async fn confirm(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
    ApiJson(body): ApiJson<ConfirmBody>,
) -> ApiResult<Json<RecoveryCodesResponse>> {
    let code = totp_code(&body.code)?;
    let name = device_name(body.device_name)?;
    let secret = body.secret.as_deref().filter(|s| !s.trim().is_empty());
    let codes = mfa::confirm(&state, &meta, &claims, Some(code), secret, name).await?;
    Ok(codes_response(codes))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct StatusResponse {
    enabled: bool,
    device_name: Option<String>,
    enabled_at: Option<String>,
    recovery_codes_remaining: usize,
    pending_setup: bool,
    /// How many factors of each type.
    factors: FactorCounts,
}

#[derive(Serialize, ToSchema)]
pub(super) struct FactorCounts {
    totp: usize,
    passkey: usize,
}

/// The caller's MFA state.
#[utoipa::path(get, path = "/mfa/status", tag = "mfa", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "The MFA state", body = StatusResponse), Authed, Always))]
async fn status(
    State(state): State<AppState>,
    Auth(claims): Auth,
) -> ApiResult<Json<StatusResponse>> {
    Ok(Json(StatusResponse::from(
        mfa::status(&state, &claims.sub).await?,
    )))
}

impl From<mfa::Status> for StatusResponse {
    fn from(s: mfa::Status) -> Self {
        Self {
            enabled: s.enabled,
            device_name: s.device_name,
            enabled_at: s.enabled_at.map(rfc3339),
            recovery_codes_remaining: s.recovery_codes_remaining,
            pending_setup: s.pending_setup,
            factors: FactorCounts {
                totp: s.totp_factors,
                passkey: s.passkey_factors,
            },
        }
    }
}

#[derive(Deserialize, ToSchema)]
struct CodeBody {
    code: String,
}

/// Replaces the recovery codes (needs a current TOTP code).
#[utoipa::path(post, path = "/mfa/recovery-codes/regenerate", tag = "mfa", request_body = CodeBody,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Ten new recovery codes", body = RecoveryCodesResponse),
        (status = 429, description = "`too_many_attempts`", body = ErrorBody), Authed, Always))]
async fn regenerate(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
    ApiJson(body): ApiJson<CodeBody>,
) -> ApiResult<Json<RecoveryCodesResponse>> {
    let code = totp_code(&body.code)?;
    let codes = mfa::regenerate(&state, &meta, &claims, code).await?;
    Ok(codes_response(codes))
}

/// Turns MFA off (needs a TOTP or recovery code).
#[utoipa::path(post, path = "/mfa/disable", operation_id = "disable_mfa", tag = "mfa", request_body = CodeBody,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "MFA is off"),
        (status = 429, description = "`too_many_attempts`", body = ErrorBody), Authed, Always))]
async fn disable(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
    ApiJson(body): ApiJson<CodeBody>,
) -> ApiResult<StatusCode> {
    let code = MfaCode::parse(&body.code).map_err(|m| ApiError::invalid_field("code", m))?;
    mfa::disable(&state, &meta, &claims, code).await?;
    Ok(StatusCode::NO_CONTENT)
}
