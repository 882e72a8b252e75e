//! Discovery (OpenID Connect Discovery 1.0 and RFC 8414): what the OpenID Provider
//! supports and where its endpoints are, always under the configured issuer.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::oauth::{PAPE_MFA, SCOPES};
use crate::service::oidc::{issuer, tokens};
use crate::service::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(discovery))
        .routes(routes!(authorization_server))
}

/// The discovery document (OpenID Connect Discovery 1.0, RFC 8414).
fn metadata(state: &AppState) -> Value {
    let iss = issuer(state);
    json!({
        "issuer": iss,
        "authorization_endpoint": format!("{iss}/oauth2/authorize"),
        "token_endpoint": format!("{iss}/oauth2/token"),
        "userinfo_endpoint": format!("{iss}/oauth2/userinfo"),
        "jwks_uri": format!("{iss}/.well-known/jwks.json"),
        "revocation_endpoint": format!("{iss}/oauth2/revoke"),
        "introspection_endpoint": format!("{iss}/oauth2/introspect"),
        "end_session_endpoint": format!("{iss}/oauth2/logout"),
        "scopes_supported": SCOPES,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "form_post"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": tokens::algorithms(),
        "userinfo_signing_alg_values_supported": ["none"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": [
            "iss", "sub", "aud", "azp", "exp", "iat", "auth_time", "nonce", "acr", "amr", "sid",
            "at_hash", "email", "email_verified", "name", "preferred_username", "groups",
        ],
        "acr_values_supported": ["pwd", "mfa", PAPE_MFA],
        "prompt_values_supported": ["none", "login", "consent", "select_account"],
        "claims_parameter_supported": false,
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
        "authorization_response_iss_parameter_supported": true,
        "backchannel_logout_supported": true,
        "backchannel_logout_session_supported": true,
    })
}

/// OpenID Provider metadata.
#[derive(ToSchema)]
#[allow(dead_code)]
struct Metadata {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
}

fn metadata_response(state: &AppState) -> Response {
    (
        [(header::CACHE_CONTROL, "public, max-age=300")],
        Json(metadata(state)),
    )
        .into_response()
}

/// OpenID Connect Discovery 1.0.
#[utoipa::path(get, path = "/.well-known/openid-configuration", tag = "oidc",
    responses((status = 200, description = "Provider metadata", body = Metadata)))]
async fn discovery(State(state): State<AppState>) -> Response {
    metadata_response(&state)
}

/// RFC 8414 authorization server metadata (the same document).
#[utoipa::path(get, path = "/.well-known/oauth-authorization-server", tag = "oidc",
    responses((status = 200, description = "Authorization server metadata", body = Metadata)))]
async fn authorization_server(State(state): State<AppState>) -> Response {
    metadata_response(&state)
}
