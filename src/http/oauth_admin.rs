//! The JSON surfaces of OIDC.md under `/api/v1`: the admin API's clients (OPERATIONS.md
//! rules: admin role, two factors, a recent sign-in, audited) and the person's own grants
//! (`/oauth2/grants`). They translate; the rules are `service::oidc`'s.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::admin::actor;
use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, Auth, Meta};
use super::openapi::{Always, Authed};
use crate::domain::time::rfc3339;
use crate::service::oidc::clients::{self, Client, ClientSettings};
use crate::service::oidc::grants;
use crate::service::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_clients, add_client))
        .routes(routes!(show_client, change_client, remove_client))
        .routes(routes!(rotate_secret))
        .routes(routes!(list_grants))
        .routes(routes!(revoke_grant))
}

/// A registered app.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct ClientBody {
    client_id: String,
    name: String,
    public: bool,
    redirect_uris: Vec<String>,
    post_logout_redirect_uris: Vec<String>,
    backchannel_logout_uri: Option<String>,
    first_party: bool,
    require_mfa: bool,
    /// Space-separated.
    scopes: String,
    /// `RS256` or `EdDSA`.
    id_token_alg: String,
    created_at: String,
    /// Only in the answer that made it (registration, a new secret): shown once.
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret: Option<String>,
}

impl ClientBody {
    fn of(c: Client, secret: Option<String>) -> Self {
        Self {
            client_id: c.id,
            name: c.name,
            public: c.public,
            redirect_uris: c.redirect_uris,
            post_logout_redirect_uris: c.post_logout_redirect_uris,
            backchannel_logout_uri: c.backchannel_logout_uri,
            first_party: c.first_party,
            require_mfa: c.require_mfa,
            scopes: c.scopes.join(" "),
            id_token_alg: c.id_token_alg.as_str().to_owned(),
            created_at: rfc3339(c.created_at),
            client_secret: secret,
        }
    }
}

#[derive(Serialize, ToSchema)]
struct ClientsBody {
    clients: Vec<ClientBody>,
}

/// What an admin registers, or changes (every field replaced; `public` is fixed at
/// registration).
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClientRequest {
    name: String,
    redirect_uris: Vec<String>,
    #[serde(default)]
    post_logout_redirect_uris: Vec<String>,
    #[serde(default)]
    backchannel_logout_uri: Option<String>,
    #[serde(default)]
    public: bool,
    #[serde(default)]
    first_party: bool,
    #[serde(default)]
    require_mfa: bool,
    /// Space-separated; default `openid email profile groups offline_access`.
    #[serde(default)]
    scopes: Option<String>,
    /// `RS256` (default) or `EdDSA`.
    #[serde(default)]
    id_token_alg: Option<String>,
}

impl From<ClientRequest> for ClientSettings {
    fn from(r: ClientRequest) -> Self {
        Self {
            name: r.name,
            redirect_uris: r.redirect_uris,
            post_logout_redirect_uris: r.post_logout_redirect_uris,
            backchannel_logout_uri: r.backchannel_logout_uri,
            public: r.public,
            first_party: r.first_party,
            require_mfa: r.require_mfa,
            scopes: r.scopes,
            id_token_alg: r.id_token_alg,
        }
    }
}

/// The registered apps (OpenID Connect clients), oldest first.
#[utoipa::path(get, path = "/admin/clients", tag = "admin", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Clients", body = ClientsBody), Authed, Always))]
async fn list_clients(
    State(state): State<AppState>,
    meta: Meta,
    auth: Auth,
) -> ApiResult<Json<ClientsBody>> {
    actor(&state, auth, meta).await?;
    let list = clients::list(&state).await?;
    Ok(Json(ClientsBody {
        clients: list.into_iter().map(|c| ClientBody::of(c, None)).collect(),
    }))
}

/// Registers an app; a confidential one's `clientSecret` is in this answer only.
#[utoipa::path(post, path = "/admin/clients", tag = "admin", security(("bearer" = []), ("cookie" = [])),
    request_body = ClientRequest,
    responses((status = 201, description = "Registered", body = ClientBody), Authed, Always))]
async fn add_client(
    State(state): State<AppState>,
    meta: Meta,
    auth: Auth,
    ApiJson(body): ApiJson<ClientRequest>,
) -> ApiResult<(StatusCode, Json<ClientBody>)> {
    let actor = actor(&state, auth, meta).await?;
    let (client, secret) = clients::add(&state, &actor, &body.into()).await?;
    Ok((StatusCode::CREATED, Json(ClientBody::of(client, secret))))
}

/// One app.
#[utoipa::path(get, path = "/admin/clients/{id}", tag = "admin", security(("bearer" = []), ("cookie" = [])),
    params(("id" = String, Path, description = "The client id")),
    responses((status = 200, description = "The client", body = ClientBody), (status = 404, description = "`not_found`", body = ErrorBody), Authed, Always))]
async fn show_client(
    State(state): State<AppState>,
    meta: Meta,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<ClientBody>> {
    actor(&state, auth, meta).await?;
    Ok(Json(ClientBody::of(clients::get(&state, &id).await?, None)))
}

/// Changes an app's settings.
#[utoipa::path(patch, path = "/admin/clients/{id}", tag = "admin", security(("bearer" = []), ("cookie" = [])),
    params(("id" = String, Path, description = "The client id")), request_body = ClientRequest,
    responses((status = 200, description = "The client", body = ClientBody), (status = 404, description = "`not_found`", body = ErrorBody), Authed, Always))]
async fn change_client(
    State(state): State<AppState>,
    meta: Meta,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ClientRequest>,
) -> ApiResult<Json<ClientBody>> {
    let actor = actor(&state, auth, meta).await?;
    let client = clients::update(&state, &actor, &id, &body.into()).await?;
    Ok(Json(ClientBody::of(client, None)))
}

/// Removes an app: every grant, code and token it holds ends.
#[utoipa::path(delete, path = "/admin/clients/{id}", tag = "admin", security(("bearer" = []), ("cookie" = [])),
    params(("id" = String, Path, description = "The client id")),
    responses((status = 204, description = "Removed"), (status = 404, description = "`not_found`", body = ErrorBody), Authed, Always))]
async fn remove_client(
    State(state): State<AppState>,
    meta: Meta,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let actor = actor(&state, auth, meta).await?;
    clients::remove(&state, &actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new secret for a confidential app (in this answer only); the old one stops at once.
#[utoipa::path(post, path = "/admin/clients/{id}/secret", tag = "admin", security(("bearer" = []), ("cookie" = [])),
    params(("id" = String, Path, description = "The client id")),
    responses((status = 200, description = "The client with its new secret", body = ClientBody), (status = 404, description = "`not_found`", body = ErrorBody), Authed, Always))]
async fn rotate_secret(
    State(state): State<AppState>,
    meta: Meta,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<ClientBody>> {
    let actor = actor(&state, auth, meta).await?;
    let secret = clients::rotate_secret(&state, &actor, &id).await?;
    let client = clients::get(&state, &id).await?;
    Ok(Json(ClientBody::of(client, Some(secret))))
}

/// An app the caller allowed.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct GrantBody {
    client_id: String,
    client_name: String,
    scopes: Vec<String>,
    created_at: String,
    updated_at: String,
}

#[derive(Serialize, ToSchema)]
struct GrantsBody {
    grants: Vec<GrantBody>,
}

/// The apps the caller allowed to see their account ("Apps with access").
#[utoipa::path(get, path = "/oauth2/grants", tag = "account", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Grants", body = GrantsBody), Authed, Always))]
async fn list_grants(
    State(state): State<AppState>,
    Auth(claims): Auth,
) -> ApiResult<Json<GrantsBody>> {
    let list = grants::list(&state, &claims).await?;
    Ok(Json(GrantsBody {
        grants: list
            .into_iter()
            .map(|g| GrantBody {
                client_id: g.client_id,
                client_name: g.client_name,
                scopes: g.scopes,
                created_at: rfc3339(g.created_at),
                updated_at: rfc3339(g.updated_at),
            })
            .collect(),
    }))
}

/// Removes an app's access: its sign-ins and refresh tokens end.
#[utoipa::path(delete, path = "/oauth2/grants/{clientId}", tag = "account", security(("bearer" = []), ("cookie" = [])),
    params(("clientId" = String, Path, description = "The client id")),
    responses((status = 204, description = "Revoked"), (status = 404, description = "`not_found`", body = ErrorBody), Authed, Always))]
async fn revoke_grant(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
    Path(client_id): Path<String>,
) -> ApiResult<StatusCode> {
    grants::revoke(&state, &meta, &claims, &client_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
