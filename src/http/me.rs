//! `GET /me`: the caller's account.

use axum::extract::State;
use axum::Json;
use serde::Serialize;

use super::error::ApiResult;
use super::extract::Auth;
use super::openapi::{Always, Authed};
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
    }))
}

/// Unix seconds as RFC 3339 UTC (`2026-11-22T10:00:00Z`).
pub(crate) fn rfc3339(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}
