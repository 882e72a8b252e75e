//! The pages' Content Security Policy: scripts and styles from this server only, and
//! forms that may end on the apps that sign in through twofold.

use axum::http::HeaderValue;

use crate::config::Settings;
use crate::service::AppState;

/// `scheme://host[:port]` of an absolute http(s) URL.
pub(super) fn logo_origin(logo: &str) -> Option<String> {
    let url = url::Url::parse(logo).ok()?;
    matches!(url.scheme(), "https" | "http").then(|| url.origin().ascii_serialization())
}

/// The pages' policy: scripts and styles from this server only, images from this server,
/// `data:` (the QR code) and the logo's origin; forms post here or to an allowed origin
/// (a login redirects there); no framing.
pub(super) fn content_security_policy(settings: &Settings, app_origins: &[String]) -> HeaderValue {
    let logo = settings
        .logo_url
        .as_deref()
        .and_then(logo_origin)
        .unwrap_or_default();
    // A sign-in for an app ends with a redirect to the app, which `form-action` governs:
    // the OIDC clients' redirect origins, and the apps protected under `cookie_domain`.
    let protected = settings
        .cookie_domain()
        .filter(|d| {
            d.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        })
        .map(|d| {
            let mut sources = vec![format!("https://{d}"), format!("https://*.{d}")];
            if crate::service::authz::is_loopback(&d) {
                sources.extend([format!("http://{d}:*"), format!("http://*.{d}:*")]);
            }
            sources
        })
        .unwrap_or_default();
    let origins = settings
        .allowed_origins
        .0
        .iter()
        .chain(app_origins)
        .chain(&protected)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    let policy = format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: {logo}; connect-src 'self'; \
         form-action 'self' {origins}; frame-ancestors 'none'; base-uri 'none'"
    );
    HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ))
}

/// The origins (or private-use schemes) of the registered apps' redirect URIs.
pub(super) async fn app_origins(state: &AppState) -> Vec<String> {
    if !state.settings.oidc {
        return Vec::new();
    }
    let clients = crate::service::oidc::clients::list(state)
        .await
        .unwrap_or_default();
    let mut origins: Vec<String> = clients
        .iter()
        .flat_map(|c| c.redirect_uris.iter().chain(&c.post_logout_redirect_uris))
        .filter_map(|u| url::Url::parse(u).ok())
        .map(|u| match (u.scheme(), u.host_str()) {
            // RFC 8252: a loopback redirect URI matches any port.
            ("http", Some(host @ ("127.0.0.1" | "[::1]"))) => format!("http://{host}:*"),
            ("http" | "https", _) => u.origin().ascii_serialization(),
            (scheme, _) => format!("{scheme}:"),
        })
        .filter(|o| o.chars().all(|c| c.is_ascii_graphic()))
        .collect();
    origins.sort();
    origins.dedup();
    origins
}
