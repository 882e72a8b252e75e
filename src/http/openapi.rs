//! The OpenAPI 3.1 document of the native API, generated from the handlers themselves:
//! every native router is a `utoipa_axum` `OpenApiRouter` whose routes are registered with
//! `routes!(handler)`, so a route and its documentation are one registration (a route
//! cannot be served undocumented). Served at `/api/v1/openapi.json`; `/docs` renders it
//! with Redoc, whose script is embedded in the binary (no network at run time).

use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::Router;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};

use super::error::ErrorBody;
use super::extract::ACCESS_COOKIE;
use super::failure::FieldError;
use crate::service::AppState;

/// The document's fixed parts; the paths come from the routers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "twofold",
        description = "Accounts, EdDSA access tokens and TOTP two-factor login (API.md, OPERATIONS.md). \
            Every error answers with the `Error` schema.",
    ),
    components(schemas(ErrorBody, FieldError)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "auth", description = "Registration, login, tokens, password"),
        (name = "mfa", description = "TOTP enrollment, recovery codes, disabling"),
        (name = "account", description = "The caller's account, sessions and audit trail"),
        (name = "admin", description = "Operators (admin role and a two-factor session)"),
        (name = "health", description = "Liveness, readiness, public keys"),
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(ACCESS_COOKIE))),
        );
    }
}

/// The Redoc standalone bundle (npm `redoc@2.5.0`, `bundles/redoc.standalone.js`).
const REDOC_JS: &str = include_str!("../../assets/redoc.standalone.js");

/// `/api/v1/openapi.json` and `/docs`, serving `document`.
pub fn router(document: Document) -> Router<AppState> {
    let json = document
        .to_pretty_json()
        .expect("the OpenAPI document serializes");
    Router::new()
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let json = json.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], json) }
            }),
        )
        .route("/docs", get(docs))
        .route("/docs/redoc.standalone.js", get(redoc_js))
}

async fn docs() -> impl IntoResponse {
    (
        // The page runs the embedded script only; it reaches nothing but this server, and
        // no other site may frame it.
        [
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                 img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src blob:; \
                 frame-ancestors 'none'",
            ),
            (header::X_FRAME_OPTIONS, "DENY"),
        ],
        Html(
            r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>twofold API</title>
</head>
<body>
<redoc spec-url="/api/v1/openapi.json" hide-download-button="false"></redoc>
<script src="/docs/redoc.standalone.js"></script>
</body>
</html>
"#,
        ),
    )
}

async fn redoc_js() -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                "application/javascript; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        REDOC_JS,
    )
}

/// Answers any endpoint may give: a malformed request, a body over 64 KiB, a timeout or an
/// unavailable database.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub(crate) enum Always {
    /// `invalid_input`: a body that is not the JSON object asked for, a bad field or query.
    #[response(status = 400)]
    BadRequest(#[to_schema] ErrorBody<'static>),
    /// `payload_too_large`.
    #[response(status = 413)]
    TooLarge(#[to_schema] ErrorBody<'static>),
    /// `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done.
    #[response(status = 503)]
    Unavailable(#[to_schema] ErrorBody<'static>),
}

/// Answers of the endpoints that need an access token.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub(crate) enum Authed {
    /// `unauthorized`: the access token is missing, invalid, expired or revoked.
    #[response(status = 401)]
    Unauthorized(#[to_schema] ErrorBody<'static>),
    /// `cross_site_request` (a cookie-authenticated request from another site), or
    /// `admin_required` on the admin endpoints.
    #[response(status = 403)]
    Forbidden(#[to_schema] ErrorBody<'static>),
}
