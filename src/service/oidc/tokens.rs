//! The token endpoint's grants (authorization code with PKCE, refresh token), the tokens
//! they issue (ID token, RFC 9068 access token, rotating refresh token), userinfo,
//! revocation (RFC 7009) and introspection (RFC 7662). Every token is checked against the
//! session it belongs to on every use, so a revoked one stops at once.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::clients::{self, Client};
use super::{acr_of, issuer, Bound, OAuthError, CODE, REFRESH};
use crate::crypto::jwt::JwsAlg;
use crate::crypto::token::TokenHasher;
use crate::domain::audit::AuditKind;
use crate::domain::oauth::{at_hash, parse_scopes, pkce_matches};
use crate::service::sessions::refresh_token_labelled;
use crate::service::{AppState, RequestMeta};
use crate::store::oidc::{ClientRotate, ClientSession, CodeSpend, HeldSession};
use crate::store::{SessionRecord, SessionUse};

type Result<T> = std::result::Result<T, OAuthError>;

pub use super::inspect::{id_token_hint, id_token_subject, introspect, revoke, userinfo, Hint};

/// Lifetime of a client's access and ID tokens.
const ACCESS_TTL: i64 = 15 * 60;

/// How a client presented itself at the token, revocation or introspection endpoint.
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    pub client_id: Option<String>,
    pub secret: Option<String>,
}

/// A token response.
#[derive(Debug, Clone)]
pub struct Issued {
    pub access_token: String,
    pub id_token: String,
    pub refresh_token: Option<String>,
    pub expires_in: i64,
    pub scope: String,
}

/// The claims of an access token (RFC 9068).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct AccessClaims {
    pub(super) iss: String,
    pub(super) sub: String,
    pub(super) aud: String,
    pub(super) client_id: String,
    pub(super) scope: String,
    pub(super) jti: String,
    pub(super) iat: i64,
    pub(super) exp: i64,
    pub(super) auth_time: i64,
    pub(super) sid: String,
    pub(super) acr: String,
    pub(super) amr: Vec<String>,
}

/// Authenticates a client: `client_secret_basic` or `_post` for a confidential one, none
/// (its id alone) for a public one. Anything else is `invalid_client`.
pub async fn authenticate(state: &AppState, creds: &Credentials) -> Result<Client> {
    let id = creds
        .client_id
        .as_deref()
        .ok_or(OAuthError::InvalidClient)?;
    let client = clients::find(state, id)
        .await?
        .ok_or(OAuthError::InvalidClient)?;
    match (&creds.secret, client.public) {
        (None, true) => Ok(client),
        (Some(secret), false) if client.secret_matches(state, secret) => Ok(client),
        _ => {
            metrics::counter!("twofold_oidc_client_auth_failures_total").increment(1);
            Err(OAuthError::InvalidClient)
        }
    }
}

/// The `authorization_code` grant.
pub async fn exchange_code(
    state: &AppState,
    meta: &RequestMeta,
    client: &Client,
    code: Option<&str>,
    redirect_uri: Option<&str>,
    verifier: Option<&str>,
) -> Result<Issued> {
    let code = code.ok_or_else(|| OAuthError::InvalidRequest("code is required".into()))?;
    if !TokenHasher::is_well_formed(code) {
        return Err(OAuthError::InvalidGrant(
            "the code is invalid, expired or was already used",
        ));
    }
    let now = state.now();
    let hash = state.keys.tokens.hash(CODE, code);
    let reuse = state.event(
        AuditKind::OidcCodeReused,
        None,
        meta,
        json!({ "clientId": client.id }),
    );
    let (client_id, redirect_uri, verifier) = (
        client.id.clone(),
        redirect_uri.map(str::to_owned),
        verifier.map(str::to_owned),
    );
    let session_id = uuid::Uuid::new_v4().to_string();
    let (refresh_token, refresh) = refresh_token_labelled(state, REFRESH);
    let session_ttl = state.settings.refresh_token_ttl;
    let start = move |code: &crate::store::oidc::CodeRecord| -> std::result::Result<(ClientSession, Bound), &'static str> {
        let bound: Bound = serde_json::from_str(&code.data).map_err(|_| "the code is invalid")?;
        if code.expires_at <= now {
            return Err("the code has expired");
        }
        if code.client_id != client_id {
            return Err("the code was issued to another client");
        }
        if redirect_uri.as_deref() != Some(bound.redirect_uri.as_str()) {
            return Err("redirect_uri does not match the authorization request");
        }
        match (&bound.code_challenge, &verifier) {
            (Some(challenge), Some(v)) if pkce_matches(challenge, v) => {}
            (Some(_), _) => return Err("the PKCE code_verifier does not match the code_challenge"),
            (None, Some(_)) => return Err("a code_verifier was sent but no code_challenge"),
            (None, None) => {}
        }
        let offline = bound.scopes.iter().any(|s| s == "offline_access");
        let session = SessionRecord {
            id: session_id,
            user_id: code.user_id.clone(),
            amr: bound.amr.join(" "),
            created_at: now,
            expires_at: now + session_ttl,
            revoked_at: None,
            last_used_at: Some(now),
            ip: bound.ip.clone(),
            user_agent: bound.user_agent.clone(),
            roles: String::new(),
            auth_time: bound.auth_time,
            email_verified: false,
        };
        Ok((
            ClientSession {
                session,
                client_id: client_id.clone(),
                parent_id: bound.sid.clone(),
                scope: bound.scopes.join(" "),
                refresh: offline.then_some(refresh),
            },
            bound,
        ))
    };
    // The session is stored by the statement that spends the code; `start` returns it with
    // what the tokens need, so the store gets only the session.
    let bound_cell = std::sync::Arc::new(std::sync::Mutex::new(None));
    let cell = bound_cell.clone();
    let outcome = state
        .store
        .spend_code(&hash, now, reuse, Vec::new(), move |code| {
            start(code).map(|(session, bound)| {
                *cell.lock().unwrap_or_else(|p| p.into_inner()) = Some(bound);
                session
            })
        })
        .await?;
    let session = match outcome {
        CodeSpend::Spent(Ok(session)) => session,
        CodeSpend::Spent(Err(why)) => return Err(OAuthError::InvalidGrant(why)),
        CodeSpend::Reused => {
            tracing::warn!(client_id = %client.id, "authorization code reused: its tokens were revoked");
            return Err(OAuthError::InvalidGrant(
                "the code is invalid, expired or was already used",
            ));
        }
        CodeSpend::Unknown => {
            return Err(OAuthError::InvalidGrant(
                "the code is invalid, expired or was already used",
            ))
        }
    };
    let bound = bound_cell
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take()
        .ok_or(OAuthError::InvalidGrant("the code is invalid"))?;
    let held = state
        .store
        .held_session(&session.session.id)
        .await?
        .ok_or(OAuthError::InvalidGrant("the sign-in has ended"))?;
    let refresh = session.refresh.is_some().then_some(refresh_token);
    issue(
        state,
        client,
        &held,
        &bound.scopes,
        bound.nonce.as_deref(),
        refresh,
    )
}

/// The `refresh_token` grant: rotates the token (a reused one ends the sign-in).
pub async fn refresh(
    state: &AppState,
    meta: &RequestMeta,
    client: &Client,
    token: Option<&str>,
    scope: Option<&str>,
) -> Result<Issued> {
    let token =
        token.ok_or_else(|| OAuthError::InvalidRequest("refresh_token is required".into()))?;
    let invalid = OAuthError::InvalidGrant("the refresh token is invalid, expired or revoked");
    if !TokenHasher::is_well_formed(token) {
        return Err(invalid);
    }
    let now = state.now();
    let (new_token, new) = refresh_token_labelled(state, REFRESH);
    let used = SessionUse {
        at: now,
        ip: meta.ip.clone(),
        user_agent: meta.user_agent.clone(),
    };
    let reuse = state.event(
        AuditKind::OidcRefreshReused,
        None,
        meta,
        json!({ "clientId": client.id }),
    );
    let old = state.keys.tokens.hash(REFRESH, token);
    // A narrower scope is checked before the rotation: a refused one keeps the token.
    let asked = scope.map(parse_scopes).filter(|s| !s.is_empty());
    if let Some(asked) = &asked {
        if let Some(held) = state.store.session_of_live_refresh(&old, now).await? {
            let granted = parse_scopes(held.scope.as_deref().unwrap_or_default());
            if asked.iter().any(|s| !granted.contains(s)) {
                return Err(OAuthError::InvalidScope(
                    "the scope asked for exceeds the grant".into(),
                ));
            }
        }
    }
    let held = match state
        .store
        .rotate_client_refresh(&client.id, &old, &new, &used, reuse)
        .await?
    {
        ClientRotate::Rotated(held) => *held,
        ClientRotate::Reused => {
            tracing::warn!(client_id = %client.id, "refresh token reused: the sign-in was ended");
            return Err(invalid);
        }
        ClientRotate::Invalid => return Err(invalid),
    };
    let granted = parse_scopes(held.scope.as_deref().unwrap_or_default());
    let scopes = match asked {
        Some(asked) if asked.iter().all(|s| granted.contains(s)) => asked,
        Some(_) => {
            return Err(OAuthError::InvalidScope(
                "the scope asked for exceeds the grant".into(),
            ))
        }
        None => granted,
    };
    issue(state, client, &held, &scopes, None, Some(new_token))
}

/// Signs the access and ID tokens of a session a client holds.
fn issue(
    state: &AppState,
    client: &Client,
    held: &HeldSession,
    scopes: &[String],
    nonce: Option<&str>,
    refresh_token: Option<String>,
) -> Result<Issued> {
    let now = state.now();
    // OIDC.md: 15 minutes; never longer than the native tokens, whose lifetime is how long
    // a rotated signing key stays published.
    let ttl = ACCESS_TTL.min(state.settings.access_token_ttl);
    let iss = issuer(state);
    let s = &held.session;
    let amr: Vec<String> = s.amr.split_whitespace().map(str::to_owned).collect();
    let access = AccessClaims {
        iss: iss.clone(),
        sub: s.user_id.clone(),
        aud: client.id.clone(),
        client_id: client.id.clone(),
        scope: scopes.join(" "),
        jti: uuid::Uuid::new_v4().to_string(),
        iat: now,
        exp: now + ttl,
        auth_time: s.auth_time,
        sid: s.id.clone(),
        acr: acr_of(&amr).to_owned(),
        amr: amr.clone(),
    };
    let ring = state.keys.ring.current();
    let sign = |typ: &str, claims: &Value| {
        ring.sign_as(client.id_token_alg, typ, claims)
            .map_err(|e| OAuthError::Service(crate::service::error::Error::Internal(e)))
    };
    let access_token = sign("at+jwt", &json!(access))?;
    let mut id = json!({
        "iss": iss, "sub": s.user_id, "aud": client.id, "azp": client.id,
        "exp": now + ttl, "iat": now, "auth_time": s.auth_time,
        "acr": acr_of(&amr), "amr": amr, "sid": s.id, "at_hash": at_hash(&access_token, client.id_token_alg == JwsAlg::EdDSA),
    });
    if let Some(nonce) = nonce {
        id["nonce"] = json!(nonce);
    }
    if let Value::Object(map) = &mut id {
        map.extend(scope_claims(held, scopes));
    }
    Ok(Issued {
        id_token: sign("JWT", &id)?,
        access_token,
        refresh_token,
        expires_in: ttl,
        scope: scopes.join(" "),
    })
}

/// The claims the scopes allow (ID token and userinfo alike).
pub(super) fn scope_claims(held: &HeldSession, scopes: &[String]) -> Map<String, Value> {
    let mut claims = Map::new();
    let has = |s: &str| scopes.iter().any(|x| x == s);
    let email = held.email.clone().unwrap_or_default();
    if has("email") {
        claims.insert("email".into(), json!(email));
        claims.insert("email_verified".into(), json!(held.session.email_verified));
    }
    if has("profile") {
        claims.insert("name".into(), json!(email));
        claims.insert("preferred_username".into(), json!(email));
    }
    if has("groups") {
        let groups: Vec<&str> = held.session.roles.split_whitespace().collect();
        claims.insert("groups".into(), json!(groups));
    }
    claims
}

/// Whether the algorithm is one an ID token may be signed with (for discovery).
pub fn algorithms() -> [&'static str; 2] {
    [JwsAlg::RS256.as_str(), JwsAlg::EdDSA.as_str()]
}
