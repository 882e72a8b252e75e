//! `GET /me`: the caller's account.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use super::error::{ApiError, ApiResult};
use super::extract::Auth;
use crate::service::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/me", get(me))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MeBody {
    id: String,
    email: String,
    mfa_enabled: bool,
    created_at: String,
}

async fn me(State(state): State<AppState>, Auth(claims): Auth) -> ApiResult<Json<MeBody>> {
    let user = state
        .store
        .user_by_id(&claims.sub)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    Ok(Json(MeBody {
        id: user.id,
        email: user.email,
        mfa_enabled: user.mfa_enabled_at.is_some(),
        created_at: rfc3339(user.created_at),
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
