//! `GET /me`: the caller's account.

use axum::extract::State;
use axum::Json;
use serde::Serialize;

use super::error::ApiResult;
use super::extract::Auth;
use super::openapi::{Always, Authed};
use crate::domain::time::rfc3339;
use crate::service::{profile, AppState};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(me))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct MeBody {
    id: String,
    email: String,
    mfa_enabled: bool,
    created_at: String,
    /// Whether the address is proven (a verification or address-change link was followed).
    email_verified: bool,
}

/// The caller's account.
#[utoipa::path(get, path = "/me", tag = "account", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "The account", body = MeBody), Authed, Always))]
async fn me(State(state): State<AppState>, Auth(claims): Auth) -> ApiResult<Json<MeBody>> {
    let account = profile::account(&state, &claims.sub).await?;
    Ok(Json(MeBody {
        id: account.id,
        email: account.email,
        mfa_enabled: account.mfa_enabled,
        created_at: rfc3339(account.created_at),
        email_verified: account.email_verified,
    }))
}
