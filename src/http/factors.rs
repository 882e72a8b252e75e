//! `/mfa/factors*` (FACTORS.md): list, add another TOTP authenticator, register a
//! passkey, rename and delete factors.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

use super::error::ApiResult;
use super::error::ErrorBody;
use super::extract::{ApiJson, Auth, Meta};
use super::mfa::{name_field, totp_code};
use super::openapi::{Always, Authed};
use crate::domain::time::rfc3339;
use crate::service::factors::{self, Factor};
use crate::service::{passkeys, AppState};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(add_totp))
        .routes(routes!(confirm_totp))
        .routes(routes!(rename, delete))
}

/// The passkey registration, behind the per-IP bucket like the other passkey endpoints
/// (each starts or verifies a WebAuthn ceremony; a first passkey makes recovery codes).
pub fn passkey_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register_start))
        .routes(routes!(register_finish))
}

/// A factor: a TOTP authenticator or a passkey.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct FactorBody {
    id: String,
    /// `totp` or `passkey`.
    #[serde(rename = "type")]
    #[schema(example = "totp")]
    kind: String,
    name: Option<String>,
    created_at: String,
    last_used_at: Option<String>,
}

impl From<Factor> for FactorBody {
    fn from(f: Factor) -> Self {
        Self {
            id: f.id,
            kind: f.kind,
            name: f.name,
            created_at: rfc3339(f.created_at),
            last_used_at: f.last_used_at.map(rfc3339),
        }
    }
}

#[derive(Serialize, ToSchema)]
struct FactorsBody {
    factors: Vec<FactorBody>,
}

/// The caller's factors, oldest first.
#[utoipa::path(get, path = "/mfa/factors", tag = "mfa", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "The factors", body = FactorsBody), Authed, Always))]
async fn list(State(state): State<AppState>, Auth(claims): Auth) -> ApiResult<Json<FactorsBody>> {
    let factors = factors::list(&state, &claims.sub).await?;
    Ok(Json(FactorsBody {
        factors: factors.into_iter().map(FactorBody::from).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
struct NameBody {
    /// At most 64 printable characters; blank means none.
    name: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct PendingTotpBody {
    factor_id: String,
    secret: String,
    otpauth_uri: String,
    qr_code: String,
    expires_in: i64,
}

/// Starts another TOTP authenticator (MFA must be on: `/mfa/setup` enrolls the first).
#[utoipa::path(post, path = "/mfa/factors/totp", tag = "mfa", request_body = NameBody,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "The pending factor's secret", body = PendingTotpBody),
        (status = 400, description = "`mfa_not_enabled` (use /mfa/setup first) or `invalid_input`", body = ErrorBody),
        (status = 403, description = "`step_up_required`", body = ErrorBody),
        (status = 409, description = "`too_many_factors`", body = ErrorBody), Authed, Always))]
async fn add_totp(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
    ApiJson(body): ApiJson<NameBody>,
) -> ApiResult<Json<PendingTotpBody>> {
    let name = name_field(body.name, "name")?;
    let pending = factors::add_totp(&state, &meta, &claims, name).await?;
    Ok(Json(PendingTotpBody {
        factor_id: pending.factor_id,
        secret: pending.setup.secret.to_string(),
        otpauth_uri: pending.setup.otpauth_uri.to_string(),
        qr_code: pending.setup.qr_code,
        expires_in: pending.setup.expires_in,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct ConfirmTotpBody {
    factor_id: String,
    code: String,
}

/// Confirms a pending TOTP factor with a current code from it.
#[utoipa::path(post, path = "/mfa/factors/totp/confirm", tag = "mfa", request_body = ConfirmTotpBody,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "The factor", body = FactorBody),
        (status = 400, description = "`invalid_code` or `no_pending_setup`", body = ErrorBody),
        (status = 429, description = "`too_many_attempts`", body = ErrorBody), Authed, Always))]
async fn confirm_totp(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
    ApiJson(body): ApiJson<ConfirmTotpBody>,
) -> ApiResult<Json<FactorBody>> {
    let code = totp_code(&body.code)?;
    let factor = factors::confirm_totp(&state, &meta, &claims, body.factor_id.trim(), code).await?;
    Ok(Json(factor.into()))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct RegistrationBody {
    registration_id: String,
    /// PublicKeyCredentialCreationOptions in JSON form (WebAuthn Level 3
    /// `parseCreationOptionsFromJSON`).
    public_key: serde_json::Value,
}

/// Starts registering a passkey (needs a recent proof: step-up).
#[utoipa::path(post, path = "/mfa/factors/passkey/register/start", tag = "mfa", request_body = NameBody,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "The creation options", body = RegistrationBody),
        (status = 403, description = "`step_up_required`", body = ErrorBody),
        (status = 409, description = "`too_many_factors`", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody), Authed, Always))]
async fn register_start(
    State(state): State<AppState>,
    Auth(claims): Auth,
    ApiJson(body): ApiJson<NameBody>,
) -> ApiResult<Json<RegistrationBody>> {
    let name = name_field(body.name, "name")?;
    let ceremony = passkeys::register_start(&state, &claims, name).await?;
    Ok(Json(RegistrationBody {
        registration_id: ceremony.token,
        public_key: ceremony.public_key,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct FinishBody {
    registration_id: String,
    /// RegistrationResponseJSON (`PublicKeyCredential.toJSON()` after `create()`).
    credential: serde_json::Value,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct RegisteredBody {
    #[serde(flatten)]
    factor: FactorBody,
    /// Only when this passkey turned MFA on: ten recovery codes, shown once.
    #[serde(skip_serializing_if = "Option::is_none")]
    recovery_codes: Option<Vec<String>>,
}

/// Finishes a passkey registration.
#[utoipa::path(post, path = "/mfa/factors/passkey/register/finish", tag = "mfa", request_body = FinishBody,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "The factor (and recovery codes when it turned MFA on)", body = RegisteredBody),
        (status = 400, description = "`invalid_credential`", body = ErrorBody),
        (status = 409, description = "`too_many_factors`", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody), Authed, Always))]
async fn register_finish(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
    ApiJson(body): ApiJson<FinishBody>,
) -> ApiResult<Json<RegisteredBody>> {
    let registered = passkeys::register_finish(
        &state,
        &meta,
        &claims,
        body.registration_id.trim(),
        &body.credential,
        None,
    )
    .await?;
    Ok(Json(RegisteredBody {
        factor: registered.factor.into(),
        recovery_codes: registered
            .recovery_codes
            .map(|codes| codes.iter().map(|c| c.to_string()).collect()),
    }))
}

/// Renames a factor (needs a recent proof: step-up).
#[utoipa::path(patch, path = "/mfa/factors/{id}", tag = "mfa", request_body = NameBody,
    params(("id" = String, Path, description = "The factor's id")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "The factor", body = FactorBody),
        (status = 403, description = "`step_up_required`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody), Authed, Always))]
async fn rename(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NameBody>,
) -> ApiResult<Json<FactorBody>> {
    let name = name_field(body.name, "name")?;
    let factor = factors::rename(&state, &meta, &claims, &id, name).await?;
    Ok(Json(factor.into()))
}

/// Deletes a factor (needs a step-up); deleting the last one turns MFA off.
#[utoipa::path(delete, path = "/mfa/factors/{id}", tag = "mfa",
    params(("id" = String, Path, description = "The factor's id")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Deleted"),
        (status = 403, description = "`step_up_required`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody), Authed, Always))]
async fn delete(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    factors::delete(&state, &meta, &claims, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
