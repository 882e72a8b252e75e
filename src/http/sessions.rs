//! `/sessions`: the caller's live sessions, revoking one, revoking all the others.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;

use super::error::ApiResult;
use super::error::ErrorBody;
use super::extract::{ApiJson, Auth, Meta};
use super::openapi::{Always, Authed};
use crate::domain::time::rfc3339;
use crate::service::{sessions, AppState};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(revoke_others))
        .routes(routes!(revoke))
        .routes(routes!(untrust_device))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct TrustedDeviceBody {
    id: String,
    created_at: String,
    trusted_until: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct SessionBody {
    id: String,
    created_at: String,
    last_used_at: String,
    ip: Option<String>,
    user_agent: Option<String>,
    amr: Vec<String>,
    current: bool,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct SessionsBody {
    sessions: Vec<SessionBody>,
    /// Browsers that skip the MFA step (`remember_device_days`).
    trusted_devices: Vec<TrustedDeviceBody>,
}

/// The caller's live sessions, newest first.
#[utoipa::path(get, path = "/sessions", operation_id = "list_sessions", tag = "account", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Sessions", body = SessionsBody), Authed, Always))]
async fn list(State(state): State<AppState>, Auth(claims): Auth) -> ApiResult<Json<SessionsBody>> {
    let sessions = sessions::list(&state, &claims)
        .await?
        .into_iter()
        .map(|s| SessionBody {
            id: s.id,
            created_at: rfc3339(s.created_at),
            last_used_at: rfc3339(s.last_used_at),
            ip: s.ip,
            user_agent: s.user_agent,
            amr: s.amr,
            current: s.current,
        })
        .collect();
    let trusted_devices = sessions::trusted_devices(&state, &claims)
        .await?
        .into_iter()
        .map(|d| TrustedDeviceBody {
            id: d.id,
            created_at: rfc3339(d.created_at),
            trusted_until: rfc3339(d.trusted_until),
        })
        .collect();
    Ok(Json(SessionsBody {
        sessions,
        trusted_devices,
    }))
}

/// Ends the trust of one of the caller's browsers (its next login asks for MFA again).
/// Needs a recent sign-in (step-up).
#[utoipa::path(delete, path = "/devices/{id}", tag = "account", security(("bearer" = []), ("cookie" = [])),
    params(("id" = String, Path, description = "The trusted device id")),
    responses((status = 204, description = "No longer trusted"),
        (status = 403, description = "`step_up_required`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody), Authed, Always))]
async fn untrust_device(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    sessions::end_device_trust(&state, &meta, &claims, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Revokes one of the caller's sessions. Another session than the caller's needs a recent
/// sign-in (step-up); revoking the caller's own is a logout and never does.
#[utoipa::path(delete, path = "/sessions/{id}", tag = "account", security(("bearer" = []), ("cookie" = [])),
    params(("id" = String, Path, description = "The session id")),
    responses((status = 204, description = "Revoked"),
        (status = 403, description = "`step_up_required`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody), Authed, Always))]
async fn revoke(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    sessions::revoke(&state, &meta, &claims, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize, ToSchema)]
struct Empty {}

#[derive(Serialize, ToSchema)]
struct RevokedBody {
    revoked: u64,
}

/// Revokes every session of the caller but this one. Needs a recent sign-in (step-up).
#[utoipa::path(post, path = "/sessions/revoke-others", tag = "account", request_body = Empty,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "How many were revoked", body = RevokedBody),
        (status = 403, description = "`step_up_required`", body = ErrorBody), Authed, Always))]
async fn revoke_others(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
    ApiJson(_empty): ApiJson<Empty>,
) -> ApiResult<Json<RevokedBody>> {
    let revoked = sessions::revoke_others(&state, &meta, &claims).await?;
    Ok(Json(RevokedBody { revoked }))
}
