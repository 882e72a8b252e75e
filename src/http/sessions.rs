//! `/sessions`: the caller's live sessions, revoking one, revoking all the others.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Serialize;

use super::error::ApiResult;
use super::extract::{ApiJson, Auth, Meta};
use super::me::rfc3339;
use crate::service::{sessions, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sessions", get(list))
        .route("/sessions/revoke-others", post(revoke_others))
        .route("/sessions/{id}", delete(revoke))
}

#[derive(Serialize)]
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

#[derive(Serialize)]
struct SessionsBody {
    sessions: Vec<SessionBody>,
}

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
    Ok(Json(SessionsBody { sessions }))
}

async fn revoke(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    sessions::revoke(&state, &meta, &claims, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize)]
struct Empty {}

#[derive(Serialize)]
struct RevokedBody {
    revoked: u64,
}

async fn revoke_others(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Auth(claims): Auth,
    ApiJson(_): ApiJson<Empty>,
) -> ApiResult<Json<RevokedBody>> {
    let revoked = sessions::revoke_others(&state, &meta, &claims).await?;
    Ok(Json(RevokedBody { revoked }))
}
