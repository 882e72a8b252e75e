//! `/auth/*`: register, login, verify-mfa, refresh, password change, logout (passkey
//! sign-in in `passkey_auth.rs`, step-up in `stepup.rs`).

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::error::ErrorBody;
use super::error::{ApiError, ApiResult};
use super::extract::{cookie, ApiJson, Auth, Meta, DEVICE_COOKIE};
use super::failure::Refusal;
use super::openapi::{Always, Authed};
use super::AuthBody;
use super::{access_cookie, auth_response};
use crate::crypto::token::TokenHasher;
use crate::domain::codes::MfaCode;
use crate::domain::email::Email;
use crate::domain::password::Password;
use crate::service::accounts::{self, LoginOutcome, LoginRequest, PasswordChange};
use crate::service::{mfa, passkeys, sessions, AppState};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The endpoints that cost a hash (or guard one), which share the per-IP bucket.
pub fn hashing_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(verify_mfa))
        .routes(routes!(refresh))
        .routes(routes!(change_password))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(logout))
}

/// What `POST /auth/login` answers with (documentation only): tokens, or a challenge.
#[derive(ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum LoginAnswer {
    Session(AuthBody),
    Mfa(MfaRequiredBody),
}

#[derive(Deserialize, ToSchema)]
struct Credentials {
    email: String,
    password: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct LoginBody {
    email: String,
    password: String,
    device_token: Option<String>,
}

/// The device token of a request: the body field wins over the cookie.
fn device_token(body: Option<String>, headers: &HeaderMap) -> Option<String> {
    body.map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .or_else(|| cookie(headers, DEVICE_COOKIE).map(str::to_owned))
}

#[derive(Serialize, ToSchema)]
struct UserBody {
    id: String,
    email: String,
}

/// Creates an account.
#[utoipa::path(post, path = "/auth/register", tag = "auth", request_body = Credentials,
    responses(
        (status = 201, description = "Created", body = UserBody),
        (status = 409, description = "`email_taken`", body = ErrorBody),
        (status = 429, description = "`rate_limited` (per-address limit)", body = ErrorBody),
        Always))]
async fn register(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ApiJson(body): ApiJson<Credentials>,
) -> ApiResult<(StatusCode, Json<UserBody>)> {
    let email = Email::parse(&body.email).map_err(|m| Refusal::invalid_field("email", m));
    let password =
        Password::parse(&body.password).map_err(|m| Refusal::invalid_field("password", m));
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
fn both<A, B>(a: Result<A, Refusal>, b: Result<B, Refusal>) -> Result<(A, B), Refusal> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (
            Err(Refusal::InvalidInput { mut details, .. }),
            Err(Refusal::InvalidInput { details: more, .. }),
        ) => {
            details.extend(more);
            let message = details
                .iter()
                .map(|d| format!("{}: {}", d.field, d.message))
                .collect::<Vec<_>>()
                .join("; ");
            Err(Refusal::InvalidInput { message, details })
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct MfaRequiredBody {
    mfa_required: bool,
    mfa_challenge_token: String,
    expires_in: i64,
    /// Present when the user has a passkey: how they can answer (`totp`, `passkey`,
    /// `recovery`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    methods: Vec<&'static str>,
}

/// Checks email and password: tokens, or an MFA challenge when MFA is on.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginBody,
    responses(
        (status = 200, description = "An `AuthResponse` (`mfaRequired: false`) or an MFA challenge", body = LoginAnswer),
        (status = 401, description = "`invalid_credentials`", body = ErrorBody),
        (status = 403, description = "`account_disabled`, or `cross_site_request`", body = ErrorBody),
        (status = 429, description = "`too_many_attempts` or `rate_limited`", body = ErrorBody),
        Always))]
async fn login(
    State(state): State<AppState>,
    Meta(meta): Meta,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<Response> {
    let email = Email::parse(&body.email).map_err(|m| Refusal::invalid_field("email", m));
    let password =
        Password::for_login(&body.password).map_err(|m| Refusal::invalid_field("password", m));
    let (email, password) = both(email, password)?;
    let request = LoginRequest {
        email,
        password,
        device_token: device_token(body.device_token, &headers),
    };
    Ok(match accounts::login(&state, &meta, request).await? {
        LoginOutcome::Session(tokens) => auth_response(&state, tokens, Some(false)),
        LoginOutcome::MfaRequired {
            challenge_token,
            expires_in,
            methods,
        } => Json(MfaRequiredBody {
            mfa_required: true,
            mfa_challenge_token: challenge_token,
            expires_in,
            methods,
        })
        .into_response(),
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct VerifyMfaBody {
    mfa_challenge_token: String,
    /// A TOTP or recovery code (or `passkey` instead).
    code: Option<String>,
    /// An AuthenticationResponseJSON answering `POST /auth/verify-mfa/passkey/options`.
    passkey: Option<serde_json::Value>,
    /// Trust this browser's device token for MFA (`remember_device_days` > 0).
    remember_device: Option<bool>,
}

pub(super) fn challenge_token(raw: &str) -> Result<&str, Refusal> {
    let token = raw.trim();
    if TokenHasher::is_well_formed(token) {
        Ok(token)
    } else {
        Err(Refusal::invalid_field(
            "mfaChallengeToken",
            "is not a challenge token",
        ))
    }
}

/// The second step of a login: the challenge token and a TOTP or recovery code, or a
/// passkey assertion.
#[utoipa::path(post, path = "/auth/verify-mfa", tag = "auth", request_body = VerifyMfaBody,
    responses(
        (status = 200, description = "An `AuthResponse`", body = AuthBody),
        (status = 401, description = "`invalid_code` or `invalid_challenge`", body = ErrorBody),
        (status = 403, description = "`cross_site_request`", body = ErrorBody),
        (status = 429, description = "`too_many_attempts` or `rate_limited`", body = ErrorBody),
        Always))]
async fn verify_mfa(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ApiJson(body): ApiJson<VerifyMfaBody>,
) -> ApiResult<Response> {
    let token = challenge_token(&body.mfa_challenge_token);
    let remember = body.remember_device.unwrap_or(false);
    let tokens = match (body.code, body.passkey) {
        (None, Some(passkey)) => {
            let token = token?;
            passkeys::verify_login(&state, &meta, token, &passkey, remember).await
        }
        (Some(code), None) => {
            let code = MfaCode::parse(&code).map_err(|m| Refusal::invalid_field("code", m));
            let (token, code) = both(token, code)?;
            mfa::verify_login(&state, &meta, token, code, remember).await
        }
        _ => return Err(Refusal::invalid_field("code", "send either `code` or `passkey`").into()),
    }
    .map_err(ApiError::on_login)?;
    Ok(auth_response(&state, tokens, None))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct RefreshBody {
    refresh_token: String,
}

/// Exchanges a refresh token for new tokens (the old one is spent; reusing it revokes the session).
#[utoipa::path(post, path = "/auth/refresh", tag = "auth", request_body = RefreshBody,
    responses(
        (status = 200, description = "An `AuthResponse`", body = AuthBody),
        (status = 401, description = "`invalid_token`", body = ErrorBody),
        (status = 403, description = "`cross_site_request`", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
        Always))]
async fn refresh(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ApiJson(body): ApiJson<RefreshBody>,
) -> ApiResult<Response> {
    if body.refresh_token.trim().is_empty() {
        return Err(Refusal::invalid_field("refreshToken", "must not be empty").into());
    }
    let tokens = sessions::refresh(&state, &meta, body.refresh_token.trim()).await?;
    Ok(auth_response(&state, tokens, None))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct PasswordBody {
    current_password: String,
    new_password: String,
    device_token: Option<String>,
}

/// Changes the password (the current one is checked like a login) and revokes the other sessions.
#[utoipa::path(post, path = "/auth/password", tag = "auth", request_body = PasswordBody,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 204, description = "Changed"),
        (status = 401, description = "`unauthorized` or `invalid_credentials`", body = ErrorBody),
        (status = 403, description = "`cross_site_request`", body = ErrorBody),
        (status = 429, description = "`too_many_attempts` or `rate_limited`", body = ErrorBody),
        Always))]
async fn change_password(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PasswordBody>,
) -> ApiResult<StatusCode> {
    let current = Password::for_login(&body.current_password)
        .map_err(|m| Refusal::invalid_field("currentPassword", m));
    let new =
        Password::parse(&body.new_password).map_err(|m| Refusal::invalid_field("newPassword", m));
    let (current, new) = both(current, new)?;
    let change = PasswordChange {
        current,
        new,
        device_token: device_token(body.device_token, &headers),
    };
    accounts::change_password(&state, &meta, &claims, change).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Revokes the caller's session and clears the access-token cookie.
#[utoipa::path(post, path = "/auth/logout", tag = "auth",
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Logged out"), Authed, Always))]
async fn logout(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
) -> ApiResult<Response> {
    sessions::logout(&state, &meta, &claims).await?;
    let clear = access_cookie(&state, "", 0);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)]).into_response())
}
