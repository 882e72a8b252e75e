//! Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the database
//! answers too, else 503).

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use super::error::ApiError;
use super::error::ErrorBody;
use crate::service::{operate, AppState};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "health",
    responses((status = 200, description = "`{\"status\": \"ok\"}`", body = Object)))]
async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// Readiness: the database answers (a real write is probed on SQLite).
#[utoipa::path(get, path = "/readyz", tag = "health",
    responses((status = 200, description = "`{\"status\": \"ready\", \"database\"}`", body = Object),
        (status = 503, description = "`service_unavailable`", body = ErrorBody)))]
async fn readyz(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let backend = operate::readiness(&state).await?;
    Ok(Json(json!({ "status": "ready", "database": backend })))
}
