//! `/authz/forward-auth` (Traefik, Caddy, HAProxy) and `/authz/auth-request` (nginx): the
//! proxy's question, read from its forwarded headers (believed only from
//! `trusted_proxies`), and the answer in the shape each proxy understands (PROXY.md). The
//! decision is `service::authz`'s.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{on, MethodFilter};
use axum::Extension;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::edge::Edge;
use super::extract::{cookie, ACCESS_COOKIE, REFRESH_COOKIE};
use crate::service::authz::{self, Cookies, Decision, Original};
use crate::service::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    // Documented as GET (one operation each); every other method a proxy may forward is
    // decided the same way.
    let others = || {
        MethodFilter::POST
            .or(MethodFilter::PUT)
            .or(MethodFilter::PATCH)
            .or(MethodFilter::DELETE)
            .or(MethodFilter::OPTIONS)
    };
    OpenApiRouter::new()
        .routes(routes!(forward_auth))
        .routes(routes!(auth_request))
        .route("/authz/forward-auth", on(others(), forward_auth))
        .route("/authz/auth-request", on(others(), auth_request))
}

/// Which proxy asks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Asker {
    ForwardAuth,
    AuthRequest,
}

/// Traefik's, Caddy's and HAProxy's question (`X-Forwarded-Method`, `-Proto`, `-Host`,
/// `-Uri`): 200 with `Remote-User`, `Remote-Email`, `Remote-Groups`, `Remote-Name`; 302/303
/// to sign in (a browser navigation) or 401; 403; 400.
#[utoipa::path(get, path = "/authz/forward-auth", operation_id = "authz_forward_auth", tag = "authz",
    responses(
        (status = 200, description = "Allowed: identity in the Remote-* headers (empty on a bypass)"),
        (status = 302, description = "Sign in first (a browser navigation, GET or HEAD)"),
        (status = 303, description = "Sign in first (a browser navigation, other methods)"),
        (status = 400, description = "The forwarded headers are missing or contradictory"),
        (status = 401, description = "Not signed in (Location says where), or not asked by a trusted proxy"),
        (status = 403, description = "Denied")))]
async fn forward_auth(
    State(state): State<AppState>,
    Extension(edge): Extension<Arc<Edge>>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
) -> Response {
    answer(&state, &edge, peer, &headers, Asker::ForwardAuth).await
}

/// nginx `auth_request`'s question (`X-Original-URL` and `X-Original-Method`, or the
/// `X-Forwarded-*` set): 200, 401 (with the sign-in URL in `Location`), 403, 400.
#[utoipa::path(get, path = "/authz/auth-request", operation_id = "authz_auth_request", tag = "authz",
    responses(
        (status = 200, description = "Allowed: identity in the Remote-* headers (empty on a bypass)"),
        (status = 400, description = "The forwarded headers are missing or contradictory"),
        (status = 401, description = "Sign in first: Location is the sign-in URL"),
        (status = 403, description = "Denied")))]
async fn auth_request(
    State(state): State<AppState>,
    Extension(edge): Extension<Arc<Edge>>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
) -> Response {
    answer(&state, &edge, peer, &headers, Asker::AuthRequest).await
}

fn text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    let mut values = headers.get_all(name).iter();
    let first = values.next()?;
    if values.next().is_some() {
        return Some(""); // repeated: contradictory, refused below
    }
    first.to_str().ok().map(str::trim)
}

/// The original request from the forwarded headers; `Err` when they are missing or
/// contradict each other.
fn original(headers: &HeaderMap, asker: Asker) -> Result<Original, &'static str> {
    let forwarded = || -> Result<Original, &'static str> {
        let method = text(headers, "x-forwarded-method").filter(|v| !v.is_empty());
        let proto = text(headers, "x-forwarded-proto").filter(|v| !v.is_empty());
        let host = text(headers, "x-forwarded-host").filter(|v| !v.is_empty());
        let uri = text(headers, "x-forwarded-uri").filter(|v| !v.is_empty());
        match (method, proto, host, uri) {
            (Some(m), Some(p), Some(h), Some(u)) => Ok(Original {
                method: m.to_owned(),
                scheme: p.to_owned(),
                host: h.to_owned(),
                uri: u.to_owned(),
            }),
            _ => Err("X-Forwarded-Method, -Proto, -Host and -Uri are required"),
        }
    };
    if asker == Asker::ForwardAuth || headers.get("x-original-url").is_none() {
        return forwarded();
    }
    let url = text(headers, "x-original-url").unwrap_or_default();
    let parsed = url::Url::parse(url).map_err(|_| "X-Original-URL is not an absolute URL")?;
    let host = match (parsed.host_str(), parsed.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => return Err("X-Original-URL has no host"),
    };
    // The path as sent (the url crate would resolve dot segments itself).
    let after_scheme = url
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or_default();
    let uri = after_scheme
        .find('/')
        .map(|i| &after_scheme[i..])
        .unwrap_or("/")
        .to_owned();
    // nginx may send the X-Forwarded-* set too: it must say the same.
    if let Some(forwarded) = text(headers, "x-forwarded-host").filter(|h| !h.is_empty()) {
        let same = |a: &str, b: &str| {
            crate::domain::access::normalize_host(a) == crate::domain::access::normalize_host(b)
        };
        if !same(forwarded, &host) {
            return Err("X-Forwarded-Host contradicts X-Original-URL");
        }
    }
    let method = text(headers, "x-original-method")
        .or_else(|| text(headers, "x-forwarded-method"))
        .filter(|m| !m.is_empty())
        .ok_or("X-Original-Method is required")?;
    Ok(Original {
        method: method.to_owned(),
        scheme: parsed.scheme().to_owned(),
        host,
        uri,
    })
}

/// Whether the original request is a browser navigation (a page, not a script's call).
fn navigation(headers: &HeaderMap) -> bool {
    let accepts_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    accepts_html && !headers.contains_key("x-requested-with")
}

async fn answer(
    state: &AppState,
    edge: &Edge,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: &HeaderMap,
    asker: Asker,
) -> Response {
    let trusted = peer.is_some_and(|Extension(ConnectInfo(addr))| edge.is_trusted(addr.ip()));
    if !trusted {
        return counted("untrusted", StatusCode::UNAUTHORIZED.into_response());
    }
    let original = match original(headers, asker) {
        Ok(o) => o,
        Err(why) => {
            return counted(
                "bad_request",
                (StatusCode::BAD_REQUEST, why).into_response(),
            )
        }
    };
    let cookies = Cookies {
        access: cookie(headers, ACCESS_COOKIE),
        refresh: cookie(headers, REFRESH_COOKIE),
    };
    let decision = match authz::decide(state, &state.access, &original, cookies).await {
        Ok(d) => d,
        Err(e) => {
            tracing::error!(error = %e, "forward authentication failed");
            return counted("error", StatusCode::SERVICE_UNAVAILABLE.into_response());
        }
    };
    let mut response = match decision {
        Decision::Allow(identity) => {
            let identity = identity.unwrap_or_default();
            let mut response = StatusCode::OK.into_response();
            let h = response.headers_mut();
            for (name, value) in [
                ("remote-user", identity.user_id.as_str()),
                ("remote-email", identity.email.as_str()),
                ("remote-groups", &identity.groups.join(",")),
                ("remote-name", identity.email.as_str()),
            ] {
                h.insert(
                    name,
                    HeaderValue::from_str(value).unwrap_or(HeaderValue::from_static("")),
                );
            }
            return counted("allowed", no_store(response));
        }
        Decision::SignIn { url } | Decision::SecondFactor { url } => {
            let status = match asker {
                Asker::AuthRequest => StatusCode::UNAUTHORIZED,
                Asker::ForwardAuth if !navigation(headers) => StatusCode::UNAUTHORIZED,
                Asker::ForwardAuth
                    if ["GET", "HEAD"].contains(&original.method.to_ascii_uppercase().as_str()) =>
                {
                    StatusCode::FOUND
                }
                Asker::ForwardAuth => StatusCode::SEE_OTHER,
            };
            let mut response = status.into_response();
            if let Ok(v) = HeaderValue::from_str(&url) {
                response.headers_mut().insert(header::LOCATION, v);
            }
            counted("sign_in", response)
        }
        Decision::Forbidden => counted("denied", StatusCode::FORBIDDEN.into_response()),
        Decision::BadRequest(why) => counted(
            "bad_request",
            (StatusCode::BAD_REQUEST, why).into_response(),
        ),
    };
    response = no_store(response);
    response
}

fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn counted(decision: &'static str, response: Response) -> Response {
    metrics::counter!("twofold_authz_decisions_total", "decision" => decision).increment(1);
    response
}
