//! `/admin/*`: the admin API of OPERATIONS.md. Every endpoint needs an access token with
//! the admin role and `mfa` in `amr` (403 `admin_required`; 401 without a valid token);
//! the rules are the service's ([`crate::service::admin`]), shared with the CLI.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

use super::audit::{page, Event, Events};
use super::error::ErrorBody;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, Auth, Meta};
use super::mfa::StatusResponse;
use super::openapi::{Always, Authed};
use crate::domain::time::rfc3339;
use crate::service::admin::{self, Actor, UserSummary};
use crate::service::AppState;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users))
        .routes(routes!(show_user, delete_user))
        .routes(routes!(reset_mfa))
        .routes(routes!(revoke_sessions))
        .routes(routes!(disable))
        .routes(routes!(enable))
        .routes(routes!(unlock))
        .routes(routes!(audit))
}

/// The caller as an admin.
pub(super) async fn actor(state: &AppState, auth: Auth, meta: Meta) -> ApiResult<Actor> {
    Ok(admin::authorize(state, &auth.0, &meta.0).await?)
}

#[derive(Serialize, ToSchema)]
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

#[derive(Serialize, ToSchema)]
struct UsersBody {
    users: Vec<UserBody>,
    next: Option<String>,
}

#[derive(Deserialize, ToSchema)]
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

/// Users whose email starts with `email`, in email order, a page at a time.
#[utoipa::path(get, path = "/admin/users", tag = "admin", security(("bearer" = []), ("cookie" = [])),
    params(("email" = Option<String>, Query, description = "Email prefix"),
        ("limit" = Option<i64>, Query, description = "1 to 200, default 50", minimum = 1, maximum = 200),
        ("after" = Option<String>, Query, description = "The `next` cursor of the previous page")),
    responses((status = 200, description = "A page of users", body = UsersBody), Authed, Always))]
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

#[derive(Serialize, ToSchema)]
struct UserDetailBody {
    #[serde(flatten)]
    user: UserBody,
    mfa: StatusResponse,
    sessions: i64,
}

/// One user, with its MFA status and live session count.
#[utoipa::path(get, path = "/admin/users/{id}", tag = "admin", security(("bearer" = []), ("cookie" = [])), params(("id" = String, Path, description = "The user id")),
    responses((status = 200, description = "The user", body = UserDetailBody), (status = 404, description = "`not_found`", body = ErrorBody), Authed, Always))]
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

/// `{reason}`: why (required, 1 to 500 characters; kept in the audit trail).
#[derive(Deserialize, ToSchema)]
struct ReasonBody {
    reason: String,
}

/// `{}`.
#[derive(Deserialize, ToSchema)]
struct EmptyBody {}

/// Break-glass: removes the user's authenticator, recovery codes and pending setup; revokes every session.
#[utoipa::path(post, path = "/admin/users/{id}/mfa/reset", tag = "admin", security(("bearer" = []), ("cookie" = [])), params(("id" = String, Path, description = "The user id")), request_body = ReasonBody,
    responses((status = 204, description = "Reset"), (status = 404, description = "`not_found`", body = ErrorBody), Authed, Always))]
async fn reset_mfa(
    State(state): State<AppState>,
    meta: Meta,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> ApiResult<StatusCode> {
    let actor = actor(&state, auth, meta).await?;
    admin::reset_mfa(&state, &actor, &id, Some(&body.reason)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
struct RevokedBody {
    revoked: u64,
}

/// Revokes every live session of the user.
#[utoipa::path(post, path = "/admin/users/{id}/sessions/revoke", tag = "admin", security(("bearer" = []), ("cookie" = [])), params(("id" = String, Path, description = "The user id")), request_body = EmptyBody,
    responses((status = 200, description = "How many were revoked", body = RevokedBody), (status = 404, description = "`not_found`", body = ErrorBody), Authed, Always))]
async fn revoke_sessions(
    State(state): State<AppState>,
    meta: Meta,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(_empty): ApiJson<EmptyBody>,
) -> ApiResult<Json<RevokedBody>> {
    let actor = actor(&state, auth, meta).await?;
    let revoked = admin::revoke_sessions(&state, &actor, &id).await?;
    Ok(Json(RevokedBody { revoked }))
}

/// Disables the account (no login; every session revoked). Never the last admin.
#[utoipa::path(post, path = "/admin/users/{id}/disable", operation_id = "disable_user", tag = "admin", security(("bearer" = []), ("cookie" = [])), params(("id" = String, Path, description = "The user id")), request_body = ReasonBody,
    responses((status = 204, description = "Disabled"), (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`last_admin`: the only admin not disabled", body = ErrorBody), Authed, Always))]
async fn disable(
    State(state): State<AppState>,
    meta: Meta,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> ApiResult<StatusCode> {
    let actor = actor(&state, auth, meta).await?;
    admin::set_disabled(&state, &actor, &id, true, Some(&body.reason)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Enables the account again.
#[utoipa::path(post, path = "/admin/users/{id}/enable", operation_id = "enable_user", tag = "admin", security(("bearer" = []), ("cookie" = [])), params(("id" = String, Path, description = "The user id")), request_body = ReasonBody,
    responses((status = 204, description = "Enabled"), (status = 404, description = "`not_found`", body = ErrorBody), Authed, Always))]
async fn enable(
    State(state): State<AppState>,
    meta: Meta,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> ApiResult<StatusCode> {
    let actor = actor(&state, auth, meta).await?;
    admin::set_disabled(&state, &actor, &id, false, Some(&body.reason)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Clears every lock and failure counter of the user.
#[utoipa::path(post, path = "/admin/users/{id}/unlock", tag = "admin", security(("bearer" = []), ("cookie" = [])), params(("id" = String, Path, description = "The user id")), request_body = EmptyBody,
    responses((status = 204, description = "Unlocked"), (status = 404, description = "`not_found`", body = ErrorBody), Authed, Always))]
async fn unlock(
    State(state): State<AppState>,
    meta: Meta,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(_empty): ApiJson<EmptyBody>,
) -> ApiResult<StatusCode> {
    let actor = actor(&state, auth, meta).await?;
    admin::unlock(&state, &actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes the user and everything of it but its audit trail. Never the last admin.
#[utoipa::path(delete, path = "/admin/users/{id}", tag = "admin", security(("bearer" = []), ("cookie" = [])), params(("id" = String, Path, description = "The user id")),
    responses((status = 204, description = "Deleted"), (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`last_admin`: the only admin not disabled", body = ErrorBody), Authed, Always))]
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

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct AuditQuery {
    user_id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    limit: Option<String>,
    before: Option<String>,
}

/// Audit events across users, newest first.
#[utoipa::path(get, path = "/admin/audit", operation_id = "admin_audit", tag = "admin", security(("bearer" = []), ("cookie" = [])),
    params(("userId" = Option<String>, Query, description = "Only this user's events"),
        ("type" = Option<String>, Query, description = "Only events of this type"),
        ("limit" = Option<i64>, Query, description = "1 to 200, default 50", minimum = 1, maximum = 200),
        ("before" = Option<String>, Query, description = "An event id: only older events")),
    responses((status = 200, description = "Events", body = Events), Authed, Always))]
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
