//! `/auth/step-up` and its passkey options: a session proving itself again (FACTORS.md).

use axum::extract::State;
use axum::response::Response;
use axum::Json;
use serde::Deserialize;

use super::auth_response;
use super::error::ErrorBody;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, Auth, Meta};
use super::failure::Refusal;
use super::openapi::{Always, Authed};
use super::passkey_auth::PasskeyOptionsBody;
use super::AuthBody;
use crate::domain::codes::MfaCode;
use crate::domain::password::Password;
use crate::service::stepup::{self, Proof};
use crate::service::{passkeys, AppState};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The step-up endpoints, which share the per-IP bucket.
pub fn hashing_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(step_up))
        .routes(routes!(step_up_passkey_options))
}

#[derive(Deserialize, ToSchema)]
struct StepUpBody {
    /// A code from the authenticator app or a recovery code (users with MFA).
    code: Option<String>,
    /// The password (users without MFA).
    password: Option<String>,
    /// An AuthenticationResponseJSON answering `POST /auth/step-up/passkey/options`.
    passkey: Option<serde_json::Value>,
}

/// Proves the session again (a code with MFA on, else the password): fresh tokens for the
/// same session, whose `auth_time` is now.
#[utoipa::path(post, path = "/auth/step-up", tag = "auth", request_body = StepUpBody,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "An `AuthResponse` for the same session", body = AuthBody),
        (status = 401, description = "`unauthorized`, `invalid_code` or `invalid_credentials`", body = ErrorBody),
        (status = 403, description = "`cross_site_request`", body = ErrorBody),
        (status = 429, description = "`too_many_attempts` or `rate_limited`", body = ErrorBody),
        Always))]
async fn step_up(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
    ApiJson(body): ApiJson<StepUpBody>,
) -> ApiResult<Response> {
    let proof = match (body.code.as_deref(), body.password.as_deref(), body.passkey) {
        (Some(code), None, None) => {
            Proof::Code(MfaCode::parse(code).map_err(|m| Refusal::invalid_field("code", m))?)
        }
        (None, Some(password), None) => Proof::Password(
            Password::for_login(password).map_err(|m| Refusal::invalid_field("password", m))?,
        ),
        (None, None, Some(passkey)) => Proof::Passkey(passkey),
        _ => {
            return Err(Refusal::invalid_field(
                "code",
                "send one of `code` or `passkey` (with MFA on) or `password`",
            )
            .into())
        }
    };
    let tokens = stepup::step_up(&state, &meta, &claims, proof)
        .await
        .map_err(ApiError::on_login)?;
    Ok(auth_response(&state, tokens, None))
}

/// Request options for the caller's passkeys, to step up with (bound to the session).
#[utoipa::path(post, path = "/auth/step-up/passkey/options", tag = "auth",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The request options", body = PasskeyOptionsBody),
        (status = 400, description = "`invalid_input` (no passkey)", body = ErrorBody),
        Authed, Always))]
async fn step_up_passkey_options(
    State(state): State<AppState>,
    Auth(claims): Auth,
) -> ApiResult<Json<PasskeyOptionsBody>> {
    let public_key = passkeys::step_up_options(&state, &claims).await?;
    Ok(Json(PasskeyOptionsBody { public_key }))
}
