//! The edge of the HTTP layer, applied before any handler (API 1.1): the client IP (the
//! TCP peer, or `X-Forwarded-For` behind a trusted proxy), security headers, the
//! cross-site request rule for cookie requests, the per-IP token bucket of the endpoints
//! that cost a hash, and the request timeout.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::Clock as _;
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use ipnet::IpNet;

use super::error::ApiError;
use super::failure::Refusal;
use crate::clock::SharedClock;
use crate::config::Settings;

/// The client IP of a request, as the edge determined it.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

/// The application clock as a governor clock, so that tests move buckets in time.
#[derive(Clone)]
pub struct BucketClock(SharedClock);

impl governor::clock::Clock for BucketClock {
    type Instant = Nanos;
    fn now(&self) -> Nanos {
        Nanos::from(Duration::from_millis(self.0.now_millis().max(0) as u64))
    }
}

type Buckets =
    RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, BucketClock, NoOpMiddleware<Nanos>>;

/// What the edge needs: settings read once at start.
pub struct Edge {
    trusted: Vec<IpNet>,
    allowed_origins: Vec<String>,
    buckets: Option<Buckets>,
    clock: BucketClock,
    hsts: bool,
    timeout: Duration,
}

impl Edge {
    /// The edge of `settings`; an invalid `trusted_proxies` entry is an error.
    pub fn new(settings: &Settings, clock: SharedClock) -> anyhow::Result<Arc<Self>> {
        let clock = BucketClock(clock);
        let buckets = NonZeroU32::new(settings.rate_limit_burst)
            .map(|burst| {
                let rate = settings.rate_limit_per_second;
                anyhow::ensure!(
                    rate.is_finite() && rate > 0.0,
                    "rate_limit_per_second must be above 0"
                );
                let quota = Quota::with_period(Duration::from_secs_f64(1.0 / rate))
                    .ok_or_else(|| anyhow::anyhow!("rate_limit_per_second is too large"))?
                    .allow_burst(burst);
                Ok(RateLimiter::new(
                    quota,
                    DefaultKeyedStateStore::default(),
                    clock.clone(),
                ))
            })
            .transpose()?;
        Ok(Arc::new(Self {
            trusted: settings.trusted_networks()?,
            allowed_origins: settings
                .allowed_origins
                .0
                .iter()
                .map(|o| o.trim_end_matches('/').to_ascii_lowercase())
                .collect(),
            buckets,
            clock,
            hsts: settings.secure_transport(),
            timeout: Duration::from_secs(settings.request_timeout_seconds.max(1)),
        }))
    }

    /// Forgets buckets that are full again (they hold nothing worth keeping).
    pub fn forget_idle_buckets(&self) {
        if let Some(b) = &self.buckets {
            b.retain_recent();
            b.shrink_to_fit();
        }
    }

    /// The client IP: the peer, unless the peer is a trusted proxy; then the right-most
    /// `X-Forwarded-For` address that is not a trusted proxy.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.is_trusted(peer) {
            return peer;
        }
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        let mut client = peer;
        for hop in forwarded.iter().rev() {
            match hop.parse::<IpAddr>() {
                Ok(ip) if self.is_trusted(ip) => client = ip,
                Ok(ip) => return ip,
                Err(_) => break, // garbage: stop at the last address we could trust
            }
        }
        client
    }

    /// Whether `ip` is one of the trusted proxies.
    pub fn is_trusted(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.trusted.iter().any(|net| net.contains(&ip))
    }

    /// Whether a cookie request passes the cross-site rule of API 1.1.
    pub(crate) fn same_site(&self, headers: &HeaderMap) -> bool {
        if let Some(site) = headers.get("sec-fetch-site") {
            return matches!(site.as_bytes(), b"same-origin" | b"none");
        }
        let Some(origin) = headers.get(header::ORIGIN) else {
            return true; // neither header: curl, server-to-server
        };
        let origin = origin
            .to_str()
            .unwrap_or("")
            .trim_end_matches('/')
            .to_ascii_lowercase();
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_ascii_lowercase);
        let origin_host = origin.split_once("://").map(|(_, rest)| rest);
        (origin_host.is_some() && origin_host == host.as_deref())
            || self.allowed_origins.contains(&origin)
    }
}

/// The token of an `Authorization: Bearer` header, if there is a non-empty one (the
/// edge exempts such a request from the cross-site rule; the extractors read it).
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Whether `path` is one of the hosted pages' (which answer refusals with pages, not
/// JSON, and apply the cross-site rule themselves). Kept here, not in the pages, so that
/// the edge does not import them.
fn is_page(path: &str) -> bool {
    matches!(path, "/" | "/login" | "/logout" | "/register")
        || path.starts_with("/login/")
        || path == "/account"
        || path.starts_with("/account/")
}

/// The edge of every request, as one layer: determines the client IP (put in the
/// request's extensions), refuses cross-site requests without a Bearer token (403,
/// nothing done), drops the cookies of a request with one, bounds
/// the request's time (503 `timeout`), and adds the security headers to every answer.
pub async fn guard(State(edge): State<Arc<Edge>>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let cacheable = path == "/.well-known/jwks.json" || path.starts_with("/assets/");
    // The pages apply the cross-site rule themselves, answering with a page.
    let page = is_page(path);
    // A proxy's question carries the app's own headers (its Bearer token too): the
    // browser's cookies are what it is about, so they are kept.
    let authz = path.starts_with("/api/v1/authz/");
    let oauth = path.starts_with("/oauth2/") || authz;
    let mut from_trusted_proxy = false;
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        from_trusted_proxy = edge.is_trusted(peer.ip());
        let ip = edge.client_ip(peer.ip(), req.headers());
        req.extensions_mut().insert(ClientIp(ip));
    }
    let request_id = request_id(req.headers(), from_trusted_proxy);
    req.headers_mut().insert(REQUEST_ID, request_id.clone());
    let span = tracing::info_span!("request", id = request_id.to_str().unwrap_or_default());
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // Only a Bearer token exempts a request from the cross-site rule: a browser never
    // adds one by itself (it does add Basic credentials it remembers). A request that
    // sends one is judged by it alone: its cookies are not read by anything after this.
    let bearer = !page && !authz && bearer_token(req.headers()).is_some();
    if bearer {
        req.headers_mut().remove(header::COOKIE);
    }
    // OAuth's endpoints are called cross-site by design (an app's form post to
    // authorize, a browser app's token request); they read no cookie but the pages'
    // session, and what they do with it is the app's to ask (OIDC.md).
    let mut response = if !safe && !bearer && !page && !oauth && !edge.same_site(req.headers()) {
        ApiError::from(Refusal::CrossSite).into_response()
    } else {
        let run = tracing::Instrument::instrument(next.run(req), span);
        match tokio::time::timeout(edge.timeout, run).await {
            Ok(response) => response,
            Err(_) => ApiError::from(Refusal::Timeout).into_response(),
        }
    };
    edge.add_headers(response.headers_mut(), cacheable);
    response.headers_mut().insert(REQUEST_ID, request_id);
    response
}

/// The header that carries a request's id.
const REQUEST_ID: &str = "x-request-id";

/// The request's id: the one a trusted proxy sent, when well formed (1 to 128 letters,
/// digits, `-`, `_`, `.`), else a new one.
fn request_id(headers: &HeaderMap, from_trusted_proxy: bool) -> HeaderValue {
    let given = headers
        .get(REQUEST_ID)
        .filter(|_| from_trusted_proxy)
        .filter(|v| {
            let b = v.as_bytes();
            !b.is_empty()
                && b.len() <= 128
                && b.iter()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        });
    match given {
        Some(v) => v.clone(),
        None => HeaderValue::from_str(&uuid::Uuid::new_v4().simple().to_string())
            .unwrap_or_else(|_| HeaderValue::from_static("unknown")),
    }
}

/// One token from the client IP's bucket, or 429 `rate_limited`.
pub async fn rate_limit(State(edge): State<Arc<Edge>>, req: Request, next: Next) -> Response {
    match edge.take_token(&req) {
        Ok(()) => next.run(req).await,
        Err(retry_after) => ApiError::from(Refusal::RateLimited { retry_after }).into_response(),
    }
}

impl Edge {
    /// Takes one token from the bucket of the request's client IP; `Err(seconds)` to wait.
    pub fn take_token(&self, req: &Request) -> Result<(), u64> {
        self.take_token_of(req.extensions().get::<ClientIp>().map(|c| c.0))
    }

    /// [`Self::take_token`] for client IP `ip` (none: nothing to count).
    pub fn take_token_of(&self, ip: Option<IpAddr>) -> Result<(), u64> {
        if let (Some(buckets), Some(ip)) = (&self.buckets, ip) {
            if let Err(not_until) = buckets.check_key(&bucket_key(ip)) {
                let wait = not_until.wait_time_from(self.clock.now());
                return Err(wait.as_secs() + u64::from(wait.subsec_nanos() > 0));
            }
        }
        Ok(())
    }
}

/// The bucket of a client IP: its IPv4 address (/32), or its IPv6 /64. One host gets a
/// whole /64 (often more) from its provider, so a bucket per IPv6 address would give it
/// 2^64 buckets; IPv4-mapped addresses count as IPv4.
pub fn bucket_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let prefix = u128::from(v6) & !(u128::MAX >> 64);
            IpAddr::V6(std::net::Ipv6Addr::from(prefix))
        }
        v4 => v4,
    }
}

impl Edge {
    /// Headers every response carries; `no-store` on everything but the public key set.
    fn add_headers(&self, headers: &mut HeaderMap, cacheable: bool) {
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        if !cacheable {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        if self.hsts {
            headers.insert(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=31536000"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(trusted: &str, origins: &str) -> Arc<Edge> {
        let settings = Settings {
            trusted_proxies: crate::config::StringList(
                trusted
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(Into::into)
                    .collect(),
            ),
            allowed_origins: crate::config::StringList(
                origins
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(Into::into)
                    .collect(),
            ),
            ..Settings::default()
        };
        Edge::new(&settings, Arc::new(crate::clock::SystemClock)).unwrap()
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let e = edge("10.0.0.0/8", "");
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9, 10.0.0.2")]);
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let stranger: IpAddr = "198.51.100.7".parse().unwrap();
        assert_eq!(
            e.client_ip(proxy, &h),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        assert_eq!(e.client_ip(stranger, &h), stranger);
        assert_eq!(e.client_ip(proxy, &HeaderMap::new()), proxy);
    }

    #[test]
    fn buckets_key_ipv4_by_address_and_ipv6_by_64() {
        let key = |ip: &str| bucket_key(ip.parse().unwrap()).to_string();
        assert_eq!(key("203.0.113.9"), "203.0.113.9");
        assert_eq!(key("::ffff:203.0.113.9"), "203.0.113.9");
        assert_eq!(key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::");
        assert_eq!(
            key("2001:db8:1:2::1"),
            key("2001:db8:1:2:ffff:ffff:ffff:ffff")
        );
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::1"), "::");
    }

    #[test]
    fn cross_site_rule() {
        let e = edge("", "https://app.example");
        assert!(e.same_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(e.same_site(&headers(&[("sec-fetch-site", "none")])));
        assert!(!e.same_site(&headers(&[("sec-fetch-site", "same-site")])));
        // Sec-Fetch-Site decides alone, whatever Origin says.
        assert!(!e.same_site(&headers(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://app.example")
        ])));
        assert!(e.same_site(&headers(&[
            ("origin", "http://id.example:8080"),
            ("host", "id.example:8080")
        ])));
        assert!(!e.same_site(&headers(&[
            ("origin", "http://evil.example"),
            ("host", "id.example:8080")
        ])));
        assert!(e.same_site(&headers(&[
            ("origin", "https://app.example"),
            ("host", "id.example")
        ])));
        assert!(!e.same_site(&headers(&[("origin", "null"), ("host", "id.example")])));
        assert!(e.same_site(&HeaderMap::new()));
    }
}
