//! twofold as an OpenID Provider (OIDC.md). The use cases, free of HTTP: [`clients`] (the
//! operator's registrations), [`authorize`] (the authorization request, resumed after the
//! person signs in on the hosted pages, and consent), [`tokens`] (code and refresh grants,
//! userinfo, revocation, introspection), [`logout`] (RP-initiated and back-channel
//! logout). An OIDC sign-in is a twofold session like any other: the code exchange starts
//! a session that is the child of the browser's, and ends with it.

pub mod authorize;
pub mod clients;
pub mod grants;
mod inspect;
pub mod logout;
mod steps;
pub mod tokens;

use serde::{Deserialize, Serialize};

use super::AppState;
use crate::crypto::jwt::Claims;

/// The issuer: `public_url` without a trailing slash (never from `Host`).
pub fn issuer(state: &AppState) -> String {
    state.settings.effective_public_url(None)
}

/// Label of authorization-code hashes.
const CODE: &str = "oidc-code";
/// Label of the refresh-token hashes of clients (never accepted by the native API's
/// refresh, nor the native ones here).
const REFRESH: &str = "oidc-refresh";
/// Lifetime of a code (OIDC.md: 60 seconds).
const CODE_TTL: i64 = 60;
/// How long an authorization request waits for the person to sign in.
const REQUEST_TTL: i64 = 30 * 60;

/// `mfa` when the session proved two factors, else `pwd`. A trusted browser's session
/// (`trusted` in `amr`) proved its second factor in an earlier session, not in this one:
/// `pwd`, and an app that needs two factors gets a step-up.
pub fn acr_of(amr: &[String]) -> &'static str {
    if two_factors(amr) {
        "mfa"
    } else {
        "pwd"
    }
}

pub use crate::domain::access::two_factors;

/// What a code is bound to (stored as JSON with its hash).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Bound {
    pub redirect_uri: String,
    pub code_challenge: Option<String>,
    pub nonce: Option<String>,
    pub scopes: Vec<String>,
    /// The browser session the code came from.
    pub sid: String,
    pub auth_time: i64,
    pub amr: Vec<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// The person signed in on the pages, as an authorization request sees them.
#[derive(Debug, Clone)]
pub struct Browser {
    pub claims: Claims,
}

/// How an OAuth endpoint refuses (RFC 6749 5.2, 7009, 7662), independent of HTTP.
#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    /// Client authentication failed (401).
    #[error("client authentication failed")]
    InvalidClient,
    #[error("{0}")]
    InvalidGrant(&'static str),
    #[error("{0}")]
    InvalidRequest(String),
    #[error("{0}")]
    InvalidScope(String),
    #[error("the grant type is not supported")]
    UnsupportedGrantType,
    #[error("{0}")]
    UnauthorizedClient(&'static str),
    /// The bearer token of userinfo is missing, invalid, expired or revoked.
    #[error("the access token is invalid")]
    InvalidToken,
    #[error(transparent)]
    Service(#[from] super::error::Error),
}

impl From<crate::store::StoreError> for OAuthError {
    fn from(e: crate::store::StoreError) -> Self {
        Self::Service(e.into())
    }
}

impl OAuthError {
    /// The RFC's `error` code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant(_) => "invalid_grant",
            Self::InvalidRequest(_) => "invalid_request",
            Self::InvalidScope(_) => "invalid_scope",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::UnauthorizedClient(_) => "unauthorized_client",
            Self::InvalidToken => "invalid_token",
            Self::Service(_) => "server_error",
        }
    }
}
