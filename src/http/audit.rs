//! `GET /audit`: the caller's own security events, newest first, paged with `before`.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::error::{ApiError, ApiResult};
use super::extract::Auth;
use super::me::rfc3339;
use crate::service::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/audit", get(list))
}

#[derive(Deserialize)]
struct Params {
    limit: Option<String>,
    before: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Event {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    at: String,
    ip: Option<String>,
    user_agent: Option<String>,
    details: serde_json::Value,
}

#[derive(Serialize)]
struct Events {
    events: Vec<Event>,
}

async fn list(
    State(state): State<AppState>,
    Auth(claims): Auth,
    query: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<Events>> {
    let Query(params) =
        query.map_err(|_| ApiError::invalid_body("the query string is malformed"))?;
    let limit = match params.limit.as_deref() {
        None | Some("") => 50,
        Some(raw) => raw
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=200).contains(n))
            .ok_or_else(|| {
                ApiError::invalid_field("limit", "must be a whole number from 1 to 200")
            })?,
    };
    let before = match params.before.as_deref() {
        None | Some("") => None,
        Some(raw) => Some(
            raw.parse::<i64>()
                .map_err(|_| ApiError::invalid_field("before", "must be an event id"))?,
        ),
    };
    let records = state.store.audit_events(&claims.sub, before, limit).await?;
    let events = records
        .into_iter()
        .map(|r| Event {
            id: r.id.to_string(),
            kind: r.kind,
            at: rfc3339(r.at),
            ip: r.ip,
            user_agent: r.user_agent,
            details: serde_json::from_str(&r.details).unwrap_or(serde_json::Value::Null),
        })
        .collect();
    Ok(Json(Events { events }))
}
