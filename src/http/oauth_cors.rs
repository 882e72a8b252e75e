//! CORS for the OpenID Provider's endpoints that browser apps (public clients) call.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::service::oidc::clients;
use crate::service::AppState;

/// CORS for browser apps (public clients): discovery, JWKS, token, userinfo, revocation
/// and introspection answer the origins of public clients' redirect URIs, and nothing
/// else; a preflight is answered here.
pub async fn cors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let covered = matches!(
        path,
        "/.well-known/openid-configuration"
            | "/.well-known/oauth-authorization-server"
            | "/.well-known/jwks.json"
            | "/oauth2/token"
            | "/oauth2/userinfo"
            | "/oauth2/revoke"
            | "/oauth2/introspect"
    );
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .map(str::to_owned);
    let (true, Some(origin)) = (covered, origin) else {
        return next.run(req).await;
    };
    let allowed = allowed_origin(&state, &origin).await;
    let preflight = req.method() == Method::OPTIONS;
    let mut response = if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(req).await
    };
    if allowed {
        let headers = response.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&origin) {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
        }
        headers.append(header::VARY, HeaderValue::from_static("Origin"));
        if preflight {
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST"),
            );
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static("authorization, content-type"),
            );
            headers.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            );
        }
    }
    response
}

/// Whether `origin` is the origin of a public client's redirect URI.
async fn allowed_origin(state: &AppState, origin: &str) -> bool {
    let Ok(clients) = clients::list(state).await else {
        return false;
    };
    clients
        .iter()
        .filter(|c| c.public)
        .flat_map(|c| c.redirect_uris.iter())
        .filter_map(|u| url::Url::parse(u).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .any(|u| u.origin().ascii_serialization() == origin)
}
