//! Forward authentication (PROXY.md): a reverse proxy asks, for each request of a
//! protected app, whether to let it through. The decision is the first matching
//! `[[access_rules]]` rule's policy applied to the twofold session the browser's cookies
//! carry, read fresh from the database (one indexed read), so a revocation stops access at
//! once on every instance. Nothing is written on this path: no token is issued or rotated,
//! no audit row.

use crate::crypto::token::TokenHasher;
use crate::domain::access::two_factors;
use crate::domain::access::{normalize_host, normalize_path, Policy, Rules, Target, Who};
use crate::service::sessions::REFRESH;
use crate::service::AppState;
use crate::store::oidc::HeldSession;

/// The request the proxy asks about, as its forwarded headers describe it.
#[derive(Debug, Clone, Default)]
pub struct Original {
    pub method: String,
    pub scheme: String,
    /// The `Host` of the original request (a port allowed).
    pub host: String,
    /// Path and query, as sent (origin form).
    pub uri: String,
}

/// The browser's twofold cookies.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cookies<'a> {
    pub access: Option<&'a str>,
    pub refresh: Option<&'a str>,
}

/// Who is let through.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    pub user_id: String,
    pub email: String,
    pub groups: Vec<String>,
}

/// The answer to the proxy.
#[derive(Debug, Clone)]
pub enum Decision {
    /// Let it through; `None` on a `bypass` (the identity headers are sent empty).
    Allow(Option<Identity>),
    /// Nobody signed in: sign in at `url` (the login page, coming back to the request).
    SignIn { url: String },
    /// Signed in with one factor where two are needed: prove the second (or enroll one).
    SecondFactor { url: String },
    /// `deny`, or a subject that does not match.
    Forbidden,
    /// The forwarded headers do not describe a request that may be decided.
    BadRequest(&'static str),
}

/// Decides `original` for the browser with `cookies`.
pub async fn decide(
    state: &AppState,
    rules: &Rules,
    original: &Original,
    cookies: Cookies<'_>,
) -> crate::service::error::Result<Decision> {
    let Some(host) = normalize_host(&original.host) else {
        return Ok(Decision::BadRequest(
            "the forwarded host is not a host name",
        ));
    };
    let loopback = is_loopback(&host);
    let scheme = original.scheme.to_ascii_lowercase();
    let secure = matches!(scheme.as_str(), "https" | "wss");
    let plain_on_loopback = loopback && matches!(scheme.as_str(), "http" | "ws");
    if !(secure || plain_on_loopback) {
        return Ok(Decision::BadRequest("the forwarded scheme must be https"));
    }
    if !on_cookie_domain(state, &host) {
        return Ok(Decision::BadRequest(
            "the forwarded host is outside cookie_domain",
        ));
    }
    let method = original.method.to_ascii_uppercase();
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Ok(Decision::BadRequest(
            "the forwarded method is missing or malformed",
        ));
    }
    let Some(path) = normalize_path(&original.uri) else {
        // An encoded slash or NUL, invalid UTF-8, not an origin-form path: denied.
        return Ok(Decision::Forbidden);
    };
    let target = Target {
        host: host.clone(),
        path,
        method,
    };
    let matched = rules.matching(&target);
    match matched.policy {
        Policy::Deny => return Ok(Decision::Forbidden),
        Policy::Bypass if matched.subjects.is_empty() => return Ok(Decision::Allow(None)),
        _ => {}
    }
    let back = format!("{scheme}://{}{}", original.host.trim(), original.uri);
    let Some(held) = session(state, cookies).await? else {
        return Ok(Decision::SignIn {
            url: page_url(state, "/login", &back),
        });
    };
    let groups: Vec<String> = held
        .session
        .roles
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let email = held.email.clone().unwrap_or_default();
    let who = Who {
        user_id: &held.session.user_id,
        email: &email,
        groups: &groups,
    };
    if !matched.admits(&who) {
        return Ok(Decision::Forbidden);
    }
    let amr: Vec<String> = held
        .session
        .amr
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    if matched.policy == Policy::TwoFactor && !two_factors(&amr) {
        let methods = crate::service::stepup::methods(state, &held.session.user_id).await?;
        let page = if methods.contains(&"password") {
            "/account/mfa/setup"
        } else {
            "/account/step-up"
        };
        return Ok(Decision::SecondFactor {
            url: page_url(state, page, &back),
        });
    }
    Ok(Decision::Allow(Some(Identity {
        user_id: held.session.user_id,
        email,
        groups,
    })))
}

/// The live session behind the cookies: the access token's, or (it expired) the refresh
/// token's, which is looked at and not rotated. One indexed read.
async fn session(
    state: &AppState,
    cookies: Cookies<'_>,
) -> crate::service::error::Result<Option<HeldSession>> {
    let now = state.now();
    if let Some(token) = cookies.access {
        if let Ok(claims) = state.keys.ring.current().verify(token, now) {
            let cached = state.live_sessions.get(&claims.sid);
            let fresh = cached.is_none();
            let held = match cached {
                Some(held) => Some(held),
                None => state.store.held_session(&claims.sid).await?,
            };
            let live = held.filter(|h| {
                h.session.revoked_at.is_none()
                    && h.session.expires_at > now
                    && h.session.user_id == claims.sub
                    && h.client_id.is_none()
            });
            // Only a read from the database starts the half second, never a hit.
            if let (true, Some(held)) = (fresh, &live) {
                state.live_sessions.put(&claims.sid, held);
            }
            // What the session proved is the token's: a step-up hands out a new token, so
            // a remembered session never hides it.
            return Ok(live.map(|mut h| {
                h.session.amr = claims.amr.join(" ");
                h
            }));
        }
    }
    let Some(refresh) = cookies.refresh.filter(|t| TokenHasher::is_well_formed(t)) else {
        return Ok(None);
    };
    let hash = state.keys.tokens.hash(REFRESH, refresh);
    let held = state.store.session_of_live_refresh(&hash, now).await?;
    Ok(held.filter(|h| {
        h.session.revoked_at.is_none() && h.session.expires_at > now && h.client_id.is_none()
    }))
}

fn page_url(state: &AppState, page: &str, back: &str) -> String {
    let public = state.settings.effective_public_url(None);
    let back: String = url::form_urlencoded::byte_serialize(back.as_bytes()).collect();
    format!("{public}{page}?return_to={back}")
}

/// Whether `host` (normalized) is `cookie_domain` or under it; without `cookie_domain`,
/// whether it is `public_url`'s host.
pub fn on_cookie_domain(state: &AppState, host: &str) -> bool {
    match state.settings.cookie_domain() {
        Some(domain) => crate::domain::access::within(host, &domain),
        None => url::Url::parse(&state.settings.effective_public_url(None))
            .ok()
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
            .is_some_and(|h| h == host),
    }
}

/// Loopback hosts (RFC 6761's `localhost` names too), where plain `http` is accepted.
pub fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}
