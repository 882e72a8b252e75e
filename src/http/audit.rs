//! `GET /audit`: the caller's own security events, newest first, paged with `before`.

use axum::extract::{Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::error::{ApiError, ApiResult};
use super::extract::Auth;
use super::openapi::{Always, Authed};
use crate::domain::time::rfc3339;
use crate::service::profile::{self, AuditRecord};
use crate::service::AppState;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

#[derive(Deserialize, ToSchema)]
struct Params {
    limit: Option<String>,
    before: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct Event {
    id: String,
    /// Only in the admin API's listing across users.
    #[serde(skip_serializing_if = "Option::is_none")]
    user_id: Option<String>,
    #[serde(rename = "type")]
    kind: String,
    at: String,
    ip: Option<String>,
    user_agent: Option<String>,
    details: serde_json::Value,
}

#[derive(Serialize, ToSchema)]
pub(super) struct Events {
    pub events: Vec<Event>,
}

impl Event {
    /// The event as listed; `with_user` adds its `userId` (admin listing).
    pub(super) fn new(r: AuditRecord, with_user: bool) -> Self {
        Self {
            id: r.id.to_string(),
            user_id: if with_user { r.user_id } else { None },
            kind: r.kind,
            at: rfc3339(r.at),
            ip: r.ip,
            user_agent: r.user_agent,
            details: serde_json::from_str(&r.details).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// `limit` (1 to 200, default 50) and `before` (an event id) of a listing.
pub(super) fn page(limit: Option<&str>, before: Option<&str>) -> ApiResult<(i64, Option<i64>)> {
    let limit = match limit {
        None | Some("") => 50,
        Some(raw) => raw
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=200).contains(n))
            .ok_or_else(|| {
                ApiError::invalid_field("limit", "must be a whole number from 1 to 200")
            })?,
    };
    let before = match before {
        None | Some("") => None,
        Some(raw) => Some(
            raw.parse::<i64>()
                .map_err(|_| ApiError::invalid_field("before", "must be an event id"))?,
        ),
    };
    Ok((limit, before))
}

/// The caller's own security events, newest first.
#[utoipa::path(get, path = "/audit", operation_id = "list_audit", tag = "account", security(("bearer" = []), ("cookie" = [])),
    params(("limit" = Option<i64>, Query, description = "1 to 200, default 50", minimum = 1, maximum = 200),
        ("before" = Option<String>, Query, description = "An event id: only older events")),
    responses((status = 200, description = "Events", body = Events), Authed, Always))]
async fn list(
    State(state): State<AppState>,
    Auth(claims): Auth,
    query: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<Events>> {
    let Query(params) =
        query.map_err(|_| ApiError::invalid_body("the query string is malformed"))?;
    let (limit, before) = page(params.limit.as_deref(), params.before.as_deref())?;
    let records = profile::audit(&state, &claims.sub, before, limit).await?;
    let events = records.into_iter().map(|r| Event::new(r, false)).collect();
    Ok(Json(Events { events }))
}
