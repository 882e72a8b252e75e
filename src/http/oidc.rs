//! The OpenID Provider's JSON endpoints (OIDC.md "Endpoints"): discovery (both well-known
//! names), token, userinfo, revocation and introspection, in OAuth's own shapes
//! (`{"error", "error_description"}`, RFC 6749 5.2), plus CORS for the origins of public
//! clients. They answer on any address the server listens on and always name the
//! configured issuer. The browser endpoints are in `pages::oidc`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::edge::{ClientIp, Edge};
use super::extract::Meta;
use crate::service::oidc::tokens::{self, Credentials, Issued};
use crate::service::oidc::{clients, OAuthError};
use crate::service::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(token_endpoint))
        .routes(routes!(userinfo_get, userinfo_post))
        .routes(routes!(revoke_token))
        .routes(routes!(introspect_token))
}

/// An OAuth error (RFC 6749 5.2).
#[derive(Serialize, ToSchema)]
struct OAuthErrorBody {
    error: String,
    error_description: String,
}

fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// The OAuth rendering of a refusal.
fn oauth_error(e: OAuthError, basic: bool) -> Response {
    let status = match &e {
        OAuthError::InvalidClient | OAuthError::InvalidToken => StatusCode::UNAUTHORIZED,
        OAuthError::Service(inner) => {
            tracing::error!(error = %inner, "oidc endpoint failed");
            StatusCode::SERVICE_UNAVAILABLE
        }
        _ => StatusCode::BAD_REQUEST,
    };
    let description = match &e {
        OAuthError::Service(_) => "the service is unavailable; try again".to_owned(),
        other => other.to_string(),
    };
    let body = OAuthErrorBody {
        error: e.code().to_owned(),
        error_description: description,
    };
    let mut response = no_store((status, Json(body)).into_response());
    let challenge = match e {
        OAuthError::InvalidClient if basic => Some(r#"Basic realm="twofold""#),
        OAuthError::InvalidClient => Some(r#"Basic realm="twofold""#),
        OAuthError::InvalidToken => Some(r#"Bearer error="invalid_token""#),
        _ => None,
    };
    if let Some(c) = challenge {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(c));
    }
    response
}

/// The token request's form (RFC 6749 4.1.3, 6).
#[derive(Deserialize, ToSchema, Default)]
struct TokenForm {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
    scope: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// A token response.
#[derive(Serialize, ToSchema)]
struct TokenBody {
    access_token: String,
    token_type: &'static str,
    expires_in: i64,
    id_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    scope: String,
}

/// The client's credentials: HTTP Basic (`client_secret_basic`, RFC 6749 2.3.1: each
/// part form-encoded) or the form's (`client_secret_post`, or `client_id` alone for a
/// public client); both at once is refused.
fn credentials(
    headers: &HeaderMap,
    form_id: Option<String>,
    form_secret: Option<String>,
) -> Result<(Credentials, bool), OAuthError> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
        .map(|(_, b64)| b64.trim().to_owned());
    let Some(b64) = basic else {
        return Ok((
            Credentials {
                client_id: form_id,
                secret: form_secret.filter(|s| !s.is_empty()),
            },
            false,
        ));
    };
    if form_secret.is_some() {
        return Err(OAuthError::InvalidRequest(
            "use one client authentication method, not two".into(),
        ));
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or(OAuthError::InvalidClient)?;
    let (id, secret) = decoded.split_once(':').ok_or(OAuthError::InvalidClient)?;
    let decode = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let id = decode(id);
    if form_id.as_deref().is_some_and(|f| f != id) {
        return Err(OAuthError::InvalidRequest(
            "client_id differs from the authenticated client".into(),
        ));
    }
    // `client_id:` with no password is a public client naming itself.
    let secret = Some(decode(secret)).filter(|s| !s.is_empty());
    Ok((
        Credentials {
            client_id: Some(id),
            secret,
        },
        true,
    ))
}

fn form<T: for<'de> Deserialize<'de>>(headers: &HeaderMap, body: &Bytes) -> Result<T, OAuthError> {
    let form_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form_type {
        return Err(OAuthError::InvalidRequest(
            "the body must be application/x-www-form-urlencoded".into(),
        ));
    }
    serde_urlencoded::from_bytes(body).map_err(|_| {
        OAuthError::InvalidRequest("the form is malformed or repeats a parameter".into())
    })
}

/// Authenticates the client; a failure takes a token of the caller's per-IP bucket (a
/// guessed secret is a guessed password), and an empty bucket is 429.
async fn client(
    state: &AppState,
    edge: &Edge,
    ip: Option<ClientIp>,
    creds: &Credentials,
) -> Result<clients::Client, Response> {
    match tokens::authenticate(state, creds).await {
        Ok(client) => Ok(client),
        Err(OAuthError::InvalidClient) => Err(refused_client(edge, ip)),
        Err(e) => Err(oauth_error(e, false)),
    }
}

/// A failed client authentication: counted in the caller's per-IP bucket; 401
/// `invalid_client`, or 429 once the bucket is empty.
fn refused_client(edge: &Edge, ip: Option<ClientIp>) -> Response {
    if let Err(retry_after) = edge.take_token_of(ip.map(|c| c.0)) {
        let body = OAuthErrorBody {
            error: "rate_limited".into(),
            error_description: "too many failed attempts; try again later".into(),
        };
        let mut response = no_store((StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response());
        if let Ok(v) = HeaderValue::from_str(&retry_after.max(1).to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return response;
    }
    oauth_error(OAuthError::InvalidClient, true)
}

/// The token endpoint: `authorization_code` and `refresh_token` grants.
#[utoipa::path(post, path = "/oauth2/token", tag = "oidc",
    request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Tokens", body = TokenBody),
        (status = 400, description = "An OAuth error", body = OAuthErrorBody),
        (status = 401, description = "invalid_client", body = OAuthErrorBody),
        (status = 429, description = "Too many failed client authentications", body = OAuthErrorBody),
        (status = 503, description = "Unavailable", body = OAuthErrorBody)))]
async fn token_endpoint(
    State(state): State<AppState>,
    Extension(edge): Extension<Arc<Edge>>,
    ip: Option<Extension<ClientIp>>,
    Meta(meta): Meta,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f: TokenForm = match form(&headers, &body) {
        Ok(f) => f,
        Err(e) => return oauth_error(e, false),
    };
    let ip = ip.map(|Extension(i)| i);
    let creds = match credentials(&headers, f.client_id.clone(), f.client_secret.clone()) {
        Ok((c, _)) => c,
        Err(OAuthError::InvalidClient) => return refused_client(&edge, ip),
        Err(e) => return oauth_error(e, true),
    };
    if f.grant_type.is_none() {
        return oauth_error(
            OAuthError::InvalidRequest("grant_type is required".into()),
            false,
        );
    }
    let client = match client(&state, &edge, ip, &creds).await {
        Ok(c) => c,
        Err(response) => return response,
    };
    let issued = match f.grant_type.as_deref() {
        Some("authorization_code") => {
            tokens::exchange_code(
                &state,
                &meta,
                &client,
                f.code.as_deref(),
                f.redirect_uri.as_deref(),
                f.code_verifier.as_deref(),
            )
            .await
        }
        Some("refresh_token") => {
            tokens::refresh(
                &state,
                &meta,
                &client,
                f.refresh_token.as_deref(),
                f.scope.as_deref(),
            )
            .await
        }
        _ => Err(OAuthError::UnsupportedGrantType),
    };
    match issued {
        Ok(Issued {
            access_token,
            id_token,
            refresh_token,
            expires_in,
            scope,
        }) => no_store(
            Json(TokenBody {
                access_token,
                token_type: "Bearer",
                expires_in,
                id_token,
                refresh_token,
                scope,
            })
            .into_response(),
        ),
        Err(e) => oauth_error(e, false),
    }
}

/// The claims of userinfo.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
struct UserInfo {
    sub: String,
    email: Option<String>,
    email_verified: Option<bool>,
    name: Option<String>,
    preferred_username: Option<String>,
    groups: Option<Vec<String>>,
}

async fn userinfo(state: &AppState, headers: &HeaderMap) -> Response {
    let token = super::edge::bearer_token(headers);
    let Some(token) = token else {
        return oauth_error(OAuthError::InvalidToken, false);
    };
    match tokens::userinfo(state, token).await {
        Ok(claims) => no_store(Json(claims).into_response()),
        Err(e) => oauth_error(e, false),
    }
}

/// Userinfo: the claims the access token's scopes allow.
#[utoipa::path(get, path = "/oauth2/userinfo", tag = "oidc",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Claims", body = UserInfo),
        (status = 401, description = "invalid_token", body = OAuthErrorBody),
        (status = 503, description = "Unavailable", body = OAuthErrorBody)))]
async fn userinfo_get(State(state): State<AppState>, headers: HeaderMap) -> Response {
    userinfo(&state, &headers).await
}

/// Userinfo by POST.
#[utoipa::path(post, path = "/oauth2/userinfo", tag = "oidc",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Claims", body = UserInfo),
        (status = 401, description = "invalid_token", body = OAuthErrorBody),
        (status = 503, description = "Unavailable", body = OAuthErrorBody)))]
async fn userinfo_post(State(state): State<AppState>, headers: HeaderMap) -> Response {
    userinfo(&state, &headers).await
}

/// A revocation or introspection request's form.
#[derive(Deserialize, ToSchema, Default)]
struct TokenQuery {
    token: Option<String>,
    token_type_hint: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// The form and the authenticated client of a revocation or introspection.
async fn authenticated(
    state: &AppState,
    edge: &Edge,
    ip: Option<ClientIp>,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<(TokenQuery, clients::Client), Response> {
    let f: TokenQuery = form(headers, body).map_err(|e| oauth_error(e, false))?;
    let creds = match credentials(headers, f.client_id.clone(), f.client_secret.clone()) {
        Ok((c, _)) => c,
        Err(OAuthError::InvalidClient) => return Err(refused_client(edge, ip)),
        Err(e) => return Err(oauth_error(e, true)),
    };
    let client = client(state, edge, ip, &creds).await?;
    Ok((f, client))
}

/// RFC 7009: ends the sign-in the token belongs to; 200 whatever the token was.
#[utoipa::path(post, path = "/oauth2/revoke", tag = "oidc",
    request_body(content = TokenQuery, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Revoked (or nothing to revoke)"),
        (status = 400, description = "An OAuth error", body = OAuthErrorBody),
        (status = 401, description = "invalid_client", body = OAuthErrorBody),
        (status = 429, description = "Too many failed client authentications", body = OAuthErrorBody),
        (status = 503, description = "Unavailable", body = OAuthErrorBody)))]
async fn revoke_token(
    State(state): State<AppState>,
    Extension(edge): Extension<Arc<Edge>>,
    ip: Option<Extension<ClientIp>>,
    Meta(meta): Meta,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (f, client) =
        match authenticated(&state, &edge, ip.map(|Extension(i)| i), &headers, &body).await {
            Ok(x) => x,
            Err(response) => return response,
        };
    let Some(token) = f.token.filter(|t| !t.is_empty()) else {
        return oauth_error(
            OAuthError::InvalidRequest("token is required".into()),
            false,
        );
    };
    match tokens::revoke(&state, &meta, &client, &token, f.token_type_hint.as_deref()).await {
        Ok(()) => no_store(StatusCode::OK.into_response()),
        Err(e) => oauth_error(e, false),
    }
}

/// An introspection answer (RFC 7662).
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
struct Introspection {
    active: bool,
    client_id: Option<String>,
    scope: Option<String>,
    sub: Option<String>,
    exp: Option<i64>,
}

/// RFC 7662: whether a token of the calling client is live, and what it is.
#[utoipa::path(post, path = "/oauth2/introspect", tag = "oidc",
    request_body(content = TokenQuery, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "The token's state", body = Introspection),
        (status = 400, description = "An OAuth error", body = OAuthErrorBody),
        (status = 401, description = "invalid_client", body = OAuthErrorBody),
        (status = 429, description = "Too many failed client authentications", body = OAuthErrorBody),
        (status = 503, description = "Unavailable", body = OAuthErrorBody)))]
async fn introspect_token(
    State(state): State<AppState>,
    Extension(edge): Extension<Arc<Edge>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ip = ip.map(|Extension(i)| i);
    let (f, client) = match authenticated(&state, &edge, ip, &headers, &body).await {
        Ok(x) => x,
        Err(response) => return response,
    };
    if client.public {
        // RFC 7662 2.1: the caller must authenticate; a public client cannot.
        return refused_client(&edge, ip);
    }
    let Some(token) = f.token.filter(|t| !t.is_empty()) else {
        return oauth_error(
            OAuthError::InvalidRequest("token is required".into()),
            false,
        );
    };
    match tokens::introspect(&state, &client, &token, f.token_type_hint.as_deref()).await {
        Ok(answer) => no_store(Json(answer).into_response()),
        Err(e) => oauth_error(e, false),
    }
}
