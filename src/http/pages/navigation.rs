//! Where a page sends the person next: `return_to` (never an open redirect) and 303s.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::config::Settings;

/// Where a signed-in person lands by default.
pub const HOME: &str = "/account";

/// A `303 See Other` to `location` (a form post is followed by a GET).
pub fn see_other(location: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

/// To the login page, coming back to `back` afterwards.
pub fn to_login(back: Option<&str>) -> Response {
    match back {
        Some(back) if back != HOME => see_other(&format!("/login?return_to={}", encode(back))),
        _ => see_other("/login"),
    }
}

/// `value` percent-encoded for a query string.
pub fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The query suffix that carries a (checked) `return_to` on to the next page.
pub fn carry(return_to: Option<&str>) -> String {
    return_to
        .map(|r| format!("?return_to={}", encode(r)))
        .unwrap_or_default()
}

/// `return_to` when it stays on this service or goes to an allowed origin; anything else
/// (other hosts, `//host`, `/\host`, other schemes, control characters) is ignored. An
/// absolute URL on this service must have `public_url`'s scheme, and an `https://` service
/// never sends a browser to an `http://` URL (its cookies and referrer would leave TLS).
pub fn safe_return_to(
    settings: &Settings,
    headers: &HeaderMap,
    return_to: Option<&str>,
) -> Option<String> {
    let target = return_to?.trim();
    if target.is_empty() || target.len() > 2048 || target.chars().any(|c| c.is_control()) {
        return None;
    }
    if target.starts_with('/') {
        let second = target.as_bytes().get(1);
        return (!matches!(second, Some(b'/') | Some(b'\\'))).then(|| target.to_owned());
    }
    let url = url::Url::parse(target).ok()?;
    if !matches!(url.scheme(), "https" | "http") || !url.username().is_empty() {
        return None;
    }
    let https = settings.public_url_is_https();
    if https && url.scheme() != "https" {
        return None;
    }
    let own_scheme = if https { "https" } else { "http" };
    let origin = url.origin().ascii_serialization();
    let public = settings.effective_public_url(None);
    let own = url.scheme() == own_scheme
        && (origin.eq_ignore_ascii_case(&public)
            || headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .is_some_and(|host| {
                    url.host_str().is_some_and(|h| {
                        let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
                        format!("{h}{port}").eq_ignore_ascii_case(host)
                    })
                }));
    let allowed = settings
        .allowed_origins
        .0
        .iter()
        .any(|o| o.trim_end_matches('/').eq_ignore_ascii_case(&origin));
    (own || allowed || on_cookie_domain(settings, &url)).then(|| url.to_string())
}

/// PROXY.md: a URL of an app protected on `cookie_domain` (the domain or under it),
/// `https` unless the host is loopback.
fn on_cookie_domain(settings: &Settings, url: &url::Url) -> bool {
    let (Some(domain), Some(host)) = (settings.cookie_domain(), url.host_str()) else {
        return false;
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let inside = crate::domain::access::within(&host, &domain);
    let loopback = crate::service::authz::is_loopback(&host);
    inside && (url.scheme() == "https" || loopback)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn return_to_stays_home_or_on_allowed_origins() {
        let settings = Settings {
            allowed_origins: crate::config::StringList(vec!["https://app.example".into()]),
            ..Settings::default()
        };
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("id.example:8080"));
        let check = |r: &str| safe_return_to(&settings, &headers, Some(r));
        assert_eq!(
            check("/account/password").as_deref(),
            Some("/account/password")
        );
        assert_eq!(
            check("https://app.example/after?x=1").as_deref(),
            Some("https://app.example/after?x=1")
        );
        assert_eq!(
            check("http://id.example:8080/account").as_deref(),
            Some("http://id.example:8080/account")
        );
        for bad in [
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
            "javascript:alert(1)",
            "data:text/html,hi",
            "https://app.example.evil.example/",
            "https://user@app.example.evil/",
            "http://id.example:8081/",
            "/acc\nount",
            "",
            "evil.example",
        ] {
            assert_eq!(check(bad), None, "{bad:?} must be ignored");
        }
        // Over HTTP (local use) this service's own URLs are http://, not https://.
        assert_eq!(check("https://id.example:8080/account"), None);
    }

    #[test]
    fn an_https_service_never_returns_to_http() {
        let settings = Settings {
            public_url: Some("https://id.example".into()),
            allowed_origins: crate::config::StringList(vec![
                "https://app.example".into(),
                "http://legacy.example".into(),
            ]),
            ..Settings::default()
        };
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("id.example"));
        let check = |r: &str| safe_return_to(&settings, &headers, Some(r));
        assert_eq!(
            check("https://id.example/account").as_deref(),
            Some("https://id.example/account")
        );
        assert_eq!(
            check("https://app.example/x").as_deref(),
            Some("https://app.example/x")
        );
        assert_eq!(check("/account").as_deref(), Some("/account"));
        for bad in [
            "http://id.example/account",
            "http://id.example:80/",
            "http://legacy.example/",
        ] {
            assert_eq!(check(bad), None, "{bad:?} must be ignored");
        }
        // Behind a proxy that does not pass Host on, public_url still names this service.
        let mut inner = HeaderMap::new();
        inner.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert_eq!(
            safe_return_to(&settings, &inner, Some("https://id.example/a")).as_deref(),
            Some("https://id.example/a")
        );
    }
}
