//! `/admin/*`: the admin API of OPERATIONS.md. Every endpoint needs an access token with
//! the admin role and `mfa` in `amr` (403 `admin_required`; 401 without a valid token);
//! the rules are the service's ([`crate::service::admin`]), shared with the CLI.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::audit::{page, Event, Events};
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, Auth, Meta};
use super::me::rfc3339;
use super::mfa::StatusResponse;
use crate::service::admin::{self, Actor, UserSummary};
use crate::service::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list_users))
        .route("/admin/users/{id}", get(show_user).delete(delete_user))
        .route("/admin/users/{id}/mfa/reset", post(reset_mfa))
        .route("/admin/users/{id}/sessions/revoke", post(revoke_sessions))
        .route("/admin/users/{id}/disable", post(disable))
        .route("/admin/users/{id}/enable", post(enable))
        .route("/admin/users/{id}/unlock", post(unlock))
        .route("/admin/audit", get(audit))
}

/// The caller as an admin.
async fn actor(state: &AppState, auth: Auth, meta: Meta) -> ApiResult<Actor> {
    Ok(admin::authorize(state, &auth.0, &meta.0).await?)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UserBody {
    id: String,
    email: String,
    created_at: String,
    disabled: bool,
    mfa_enabled: bool,
    roles: Vec<String>,
    last_login_at: Option<String>,
}

impl From<UserSummary> for UserBody {
    fn from(u: UserSummary) -> Self {
        Self {
            id: u.id,
            email: u.email,
            created_at: rfc3339(u.created_at),
            disabled: u.disabled,
            mfa_enabled: u.mfa_enabled,
            roles: u.roles,
            last_login_at: u.last_login_at.map(rfc3339),
        }
    }
}

#[derive(Serialize)]
struct UsersBody {
    users: Vec<UserBody>,
    next: Option<String>,
}

#[derive(Deserialize)]
struct UsersQuery {
    email: Option<String>,
    limit: Option<String>,
    after: Option<String>,
}

fn query<T>(query: Result<Query<T>, QueryRejection>) -> ApiResult<T> {
    query
        .map(|Query(q)| q)
        .map_err(|_| ApiError::invalid_body("the query string is malformed"))
}

async fn list_users(
    State(state): State<AppState>,
    meta: Meta,
    auth: Auth,
    params: Result<Query<UsersQuery>, QueryRejection>,
) -> ApiResult<Json<UsersBody>> {
    actor(&state, auth, meta).await?;
    let params = query(params)?;
    let (limit, _) = page(params.limit.as_deref(), None)?;
    let after = params.after.as_deref().filter(|a| !a.is_empty());
    let page = admin::list_users(&state, params.email.as_deref(), limit, after).await?;
    Ok(Json(UsersBody {
        users: page.users.into_iter().map(UserBody::from).collect(),
        next: page.next,
    }))
}

#[derive(Serialize)]
struct UserDetailBody {
    #[serde(flatten)]
    user: UserBody,
    mfa: StatusResponse,
    sessions: i64,
}

async fn show_user(
    State(state): State<AppState>,
    meta: Meta,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<UserDetailBody>> {
    actor(&state, auth, meta).await?;
    let detail = admin::user(&state, &id).await?;
    Ok(Json(UserDetailBody {
        user: detail.user.into(),
        mfa: detail.mfa.into(),
        sessions: detail.sessions,
    }))
}

/// `{reason}` (optional, at most 500 characters).
#[derive(Deserialize)]
struct ReasonBody {
    reason: Option<String>,
}

/// `{}`.
#[derive(Deserialize)]
struct EmptyBody {}

async fn reset_mfa(
    State(state): State<AppState>,
    meta: Meta,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> ApiResult<StatusCode> {
    let actor = actor(&state, auth, meta).await?;
    admin::reset_mfa(&state, &actor, &id, body.reason.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize)]
struct RevokedBody {
    revoked: u64,
}

async fn revoke_sessions(
    State(state): State<AppState>,
    meta: Meta,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(_): ApiJson<EmptyBody>,
) -> ApiResult<Json<RevokedBody>> {
    let actor = actor(&state, auth, meta).await?;
    let revoked = admin::revoke_sessions(&state, &actor, &id).await?;
    Ok(Json(RevokedBody { revoked }))
}

async fn disable(
    State(state): State<AppState>,
    meta: Meta,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> ApiResult<StatusCode> {
    let actor = actor(&state, auth, meta).await?;
    admin::set_disabled(&state, &actor, &id, true, body.reason.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn enable(
    State(state): State<AppState>,
    meta: Meta,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> ApiResult<StatusCode> {
    let actor = actor(&state, auth, meta).await?;
    admin::set_disabled(&state, &actor, &id, false, body.reason.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn unlock(
    State(state): State<AppState>,
    meta: Meta,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(_): ApiJson<EmptyBody>,
) -> ApiResult<StatusCode> {
    let actor = actor(&state, auth, meta).await?;
    admin::unlock(&state, &actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn delete_user(
    State(state): State<AppState>,
    meta: Meta,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let actor = actor(&state, auth, meta).await?;
    admin::delete(&state, &actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AuditQuery {
    user_id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    limit: Option<String>,
    before: Option<String>,
}

async fn audit(
    State(state): State<AppState>,
    meta: Meta,
    auth: Auth,
    params: Result<Query<AuditQuery>, QueryRejection>,
) -> ApiResult<Json<Events>> {
    actor(&state, auth, meta).await?;
    let params = query(params)?;
    let (limit, before) = page(params.limit.as_deref(), params.before.as_deref())?;
    let user_id = params.user_id.as_deref().filter(|u| !u.is_empty());
    let kind = params.kind.as_deref().filter(|k| !k.is_empty());
    let records = admin::audit(&state, user_id, kind, before, limit).await?;
    Ok(Json(Events {
        events: records.into_iter().map(|r| Event::new(r, true)).collect(),
    }))
}
