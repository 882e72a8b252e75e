//! What a presented token is: userinfo for a live access token, revocation (RFC 7009) and
//! introspection (RFC 7662) of a client's own tokens, and ID token hints. Every answer
//! checks the session behind the token, so a revoked one stops at once.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::clients::Client;
use super::tokens::{scope_claims, AccessClaims};
use super::{issuer, OAuthError, REFRESH};
use crate::crypto::token::TokenHasher;
use crate::domain::audit::AuditKind;
use crate::domain::oauth::parse_scopes;
use crate::service::{AppState, RequestMeta};
use crate::store::oidc::HeldSession;

type Result<T> = std::result::Result<T, OAuthError>;

/// A live access token of a client: its claims and session. `None` when the signature,
/// issuer, type, expiry or session says no.
async fn live_access(state: &AppState, token: &str) -> Result<Option<(Value, HeldSession)>> {
    let now = state.now();
    let iss = issuer(state);
    let ring = state.keys.ring.current();
    let mut verified = ring.verify_as::<AccessClaims>(token, Some("at+jwt"), &iss);
    if verified.is_err() && crate::service::keys::reload_for_unknown_kid(state, token).await {
        verified = state
            .keys
            .ring
            .current()
            .verify_as::<AccessClaims>(token, Some("at+jwt"), &iss);
    }
    let Ok(claims) = verified else {
        return Ok(None);
    };
    if claims.exp <= now {
        return Ok(None);
    }
    let Some(held) = state.store.held_session(&claims.sid).await? else {
        return Ok(None);
    };
    let live = held.session.revoked_at.is_none()
        && held.session.expires_at > now
        && held.session.user_id == claims.sub
        && held.client_id.as_deref() == Some(claims.client_id.as_str());
    Ok(live.then(|| (json!(claims), held)))
}

/// Userinfo: the claims the access token's scopes allow.
pub async fn userinfo(state: &AppState, token: &str) -> Result<Value> {
    let (claims, held) = live_access(state, token)
        .await?
        .ok_or(OAuthError::InvalidToken)?;
    let scopes = parse_scopes(claims["scope"].as_str().unwrap_or_default());
    let mut body = Map::new();
    body.insert("sub".into(), json!(held.session.user_id));
    body.extend(scope_claims(&held, &scopes));
    Ok(Value::Object(body))
}

/// What a token of `client` is: a live access token's claims or a live refresh token's
/// session. Tokens of other clients are not this client's to see.
async fn find_token(
    state: &AppState,
    client: &Client,
    token: &str,
    hint: Option<&str>,
) -> Result<Option<(Option<Value>, HeldSession)>> {
    let as_refresh = || async {
        if !TokenHasher::is_well_formed(token) {
            return Ok::<_, OAuthError>(None);
        }
        let hash = state.keys.tokens.hash(REFRESH, token);
        let held = state
            .store
            .session_of_live_refresh(&hash, state.now())
            .await?;
        Ok(held
            .filter(|h| h.session.revoked_at.is_none() && h.session.expires_at > state.now())
            .map(|h| (None, h)))
    };
    let found = if hint == Some("refresh_token") {
        match as_refresh().await? {
            Some(f) => Some(f),
            None => live_access(state, token).await?.map(|(c, h)| (Some(c), h)),
        }
    } else {
        match live_access(state, token).await? {
            Some((c, h)) => Some((Some(c), h)),
            None => as_refresh().await?,
        }
    };
    Ok(found.filter(|(_, h)| h.client_id.as_deref() == Some(client.id.as_str())))
}

/// RFC 7009: revoking either token of a sign-in ends it (every token it issued).
pub async fn revoke(
    state: &AppState,
    meta: &RequestMeta,
    client: &Client,
    token: &str,
    hint: Option<&str>,
) -> Result<()> {
    if let Some((_, held)) = find_token(state, client, token, hint).await? {
        let audit = state.event(
            AuditKind::SessionRevoked,
            Some(&held.session.user_id),
            meta,
            json!({ "sessionId": held.session.id, "clientId": client.id, "by": "revocation" }),
        );
        state
            .store
            .end_session(&held.session.id, state.now(), vec![audit])
            .await?;
    }
    Ok(())
}

/// RFC 7662: `active` and, for a live token of this client, what it is.
pub async fn introspect(
    state: &AppState,
    client: &Client,
    token: &str,
    hint: Option<&str>,
) -> Result<Value> {
    let Some((claims, held)) = find_token(state, client, token, hint).await? else {
        return Ok(json!({ "active": false }));
    };
    Ok(match claims {
        Some(c) => json!({
            "active": true, "client_id": c["client_id"], "scope": c["scope"], "sub": c["sub"],
            "exp": c["exp"], "iat": c["iat"], "iss": c["iss"], "aud": c["aud"], "jti": c["jti"],
            "token_type": "Bearer", "username": held.email,
        }),
        None => json!({
            "active": true, "client_id": client.id, "scope": held.scope, "sub": held.session.user_id,
            "iss": issuer(state), "token_type": "refresh_token", "username": held.email,
        }),
    })
}

/// The `sub` of an ID token this issuer signed for `client_id` (expired or not: a hint
/// names a person, it grants nothing).
pub async fn id_token_subject(state: &AppState, token: &str, client_id: &str) -> Option<String> {
    id_token_hint(state, token)
        .await
        .filter(|h| h.aud == client_id)
        .map(|h| h.sub)
}

/// What an ID token hint says.
#[derive(Debug, Clone, Deserialize)]
pub struct Hint {
    pub sub: String,
    pub aud: String,
    #[serde(default)]
    pub sid: Option<String>,
}

/// Reads an ID token this issuer signed (signature and issuer checked, expiry not),
/// reloading the keys once when it names one this instance does not know yet.
pub async fn id_token_hint(state: &AppState, token: &str) -> Option<Hint> {
    let read = || {
        state
            .keys
            .ring
            .current()
            .verify_as::<Hint>(token, Some("JWT"), &issuer(state))
            .ok()
    };
    match read() {
        Some(hint) => Some(hint),
        None if crate::service::keys::reload_for_unknown_kid(state, token).await => read(),
        None => None,
    }
}
