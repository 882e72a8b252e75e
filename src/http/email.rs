//! Email endpoints (EMAIL.md): following a link, resending the verification, the forgotten
//! password, changing the address, and the notice setting. They translate; the rules are
//! in `service::email`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, Auth, Meta};
use super::failure::Refusal;
use super::openapi::{Always, Authed};
use crate::domain::email::Email;
use crate::domain::password::Password;
use crate::service::{email, profile, AppState};

/// What `forgot` always answers, whatever the address.
pub const FORGOT_ANSWER: &str =
    "If an account uses this address, a link to reset its password is on its way.";

/// The endpoints a stranger can call, which share the per-IP bucket.
pub fn limited_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(verify))
        .routes(routes!(forgot))
        .routes(routes!(reset))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(resend))
        .routes(routes!(change))
        .routes(routes!(notices, set_notices))
}

#[derive(Deserialize, ToSchema)]
struct TokenBody {
    /// The `token` of the link's query.
    token: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct VerifiedBody {
    email: String,
    email_verified: bool,
    /// True when the link moved the account to a new address.
    email_changed: bool,
}

/// Follows a verification or address-change link: the address is proven (and, for a
/// change, the account moves to it if it is still free).
#[utoipa::path(post, path = "/auth/email/verify", tag = "email", request_body = TokenBody,
    responses(
        (status = 200, description = "The address is proven", body = VerifiedBody),
        (status = 400, description = "`invalid_token`: unknown, used or expired link", body = ErrorBody),
        (status = 409, description = "`email_taken`: the new address was taken meanwhile", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
        Always))]
async fn verify(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ApiJson(body): ApiJson<TokenBody>,
) -> ApiResult<Json<VerifiedBody>> {
    let done = email::verify(&state, &meta, &body.token).await?;
    Ok(Json(VerifiedBody {
        email: done.email,
        email_verified: true,
        email_changed: done.changed,
    }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct SentBody {
    /// Seconds the new link works.
    expires_in: i64,
}

/// Sends a new verification link to the caller's address; earlier ones stop working.
/// At most one a minute and five a day.
#[utoipa::path(post, path = "/auth/email/verify/resend", tag = "email",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 202, description = "A new link is on its way", body = SentBody),
        (status = 409, description = "`email_already_verified`", body = ErrorBody),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = ErrorBody),
        Authed, Always))]
async fn resend(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
) -> ApiResult<(StatusCode, Json<SentBody>)> {
    let expires_in = email::resend_verification(&state, &meta, &claims).await?;
    Ok((StatusCode::ACCEPTED, Json(SentBody { expires_in })))
}

#[derive(Deserialize, ToSchema)]
struct ForgotBody {
    email: String,
}

#[derive(Serialize, ToSchema)]
struct ForgotAnswer {
    message: &'static str,
}

/// Asks for a password reset link: always the same answer, whether or not an account
/// uses the address; only an existing account gets a message (at most 3 an hour).
#[utoipa::path(post, path = "/auth/password/forgot", tag = "email", request_body = ForgotBody,
    responses(
        (status = 202, description = "The same answer for every address", body = ForgotAnswer),
        (status = 429, description = "`rate_limited` (per-address bucket)", body = ErrorBody),
        Always))]
async fn forgot(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ApiJson(body): ApiJson<ForgotBody>,
) -> ApiResult<(StatusCode, Json<ForgotAnswer>)> {
    let address = Email::parse(&body.email).map_err(|m| Refusal::invalid_field("email", m))?;
    email::forgot_password(&state, &meta, address);
    Ok((
        StatusCode::ACCEPTED,
        Json(ForgotAnswer {
            message: FORGOT_ANSWER,
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct ResetBody {
    token: String,
    new_password: String,
}

/// Sets a new password with a reset link: every session and refresh token is revoked and
/// every trusted browser ended. Nobody is signed in.
#[utoipa::path(post, path = "/auth/password/reset", tag = "email", request_body = ResetBody,
    responses(
        (status = 204, description = "The password is replaced; sign in with it"),
        (status = 400, description = "`invalid_input` (password rules) or `invalid_token`", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
        Always))]
async fn reset(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ApiJson(body): ApiJson<ResetBody>,
) -> ApiResult<StatusCode> {
    let password = Password::parse(&body.new_password)
        .map_err(|m| Refusal::invalid_field("newPassword", m))?;
    email::reset_password(&state, &meta, &body.token, password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct ChangeBody {
    new_email: String,
}

/// Asks to move the account to a new address (needs a recent sign-in): a link goes to the
/// new address; nothing changes until it is followed, and then the old address is told.
#[utoipa::path(post, path = "/me/email", tag = "email", request_body = ChangeBody,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 202, description = "A link is on its way to the new address", body = SentBody),
        (status = 403, description = "`step_up_required`", body = ErrorBody),
        (status = 409, description = "`email_taken`", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
        Authed, Always))]
async fn change(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
    ApiJson(body): ApiJson<ChangeBody>,
) -> ApiResult<(StatusCode, Json<SentBody>)> {
    let address =
        Email::parse(&body.new_email).map_err(|m| Refusal::invalid_field("newEmail", m))?;
    let expires_in = email::request_change(&state, &meta, &claims, address).await?;
    Ok((StatusCode::ACCEPTED, Json(SentBody { expires_in })))
}

/// The security notices a person may switch off (only one: sign-ins from new browsers;
/// the others always go).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct NoticesBody {
    new_browser: bool,
}

/// The caller's notice settings.
#[utoipa::path(get, path = "/me/notices", tag = "email",
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "The settings", body = NoticesBody), Authed, Always))]
async fn notices(
    State(state): State<AppState>,
    Auth(claims): Auth,
) -> ApiResult<Json<NoticesBody>> {
    let account = profile::account(&state, &claims.sub).await?;
    Ok(Json(NoticesBody {
        new_browser: account.notify_new_browser,
    }))
}

/// Switches the notice of sign-ins from new browsers on or off.
#[utoipa::path(patch, path = "/me/notices", tag = "email", request_body = NoticesBody,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "The settings now", body = NoticesBody), Authed, Always))]
async fn set_notices(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
    ApiJson(body): ApiJson<NoticesBody>,
) -> ApiResult<Json<NoticesBody>> {
    email::set_new_browser_notice(&state, &meta, &claims, body.new_browser).await?;
    Ok(Json(body))
}
