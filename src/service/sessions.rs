//! Sessions and tokens: starting a session (access + refresh token, and a device token
//! after a login), refresh rotation with reuse detection, logout, access-token
//! authentication, and the caller's own session list and revocations.

use serde_json::json;

use super::error::{Error, Result};
use super::spend::Effect;
use super::{AppState, RequestMeta};
use crate::crypto::jwt::Claims;
use crate::crypto::token::TokenHasher;
use crate::domain::audit::AuditKind;
use crate::store::{
    AuditEvent, DeviceTrust, NewDeviceToken, NewRefreshToken, OtherSessions, Refund, RotateOutcome,
    SessionRecord, SessionStart, SessionUse, TrustedDevice,
};

/// Label of refresh-token hashes.
pub(super) const REFRESH: &str = "refresh";
/// Label of device-token hashes.
pub(super) const DEVICE: &str = "device";

/// A freshly issued set of tokens. Its `Debug` shows none of them.
#[derive(Clone)]
pub struct AuthTokens {
    /// The signed JWT.
    pub access_token: String,
    /// The opaque refresh token.
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// The device token issued by a login (none on refresh).
    pub device_token: Option<String>,
    /// The user the tokens are for.
    pub user_id: String,
}

impl std::fmt::Debug for AuthTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthTokens")
            .field("access_token", &"***")
            .field("refresh_token", &"***")
            .field("expires_in", &self.expires_in)
            .field("device_token", &self.device_token.as_ref().map(|_| "***"))
            .field("user_id", &self.user_id)
            .finish()
    }
}

/// A session of the caller, as `GET /sessions` lists it.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub id: String,
    pub created_at: i64,
    pub last_used_at: i64,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub amr: Vec<String>,
    pub current: bool,
}

/// A new session after a login: the session, its first refresh token and a device token,
/// none stored yet, and the plain tokens to hand out.
pub struct NewLogin {
    pub session: SessionRecord,
    pub refresh: NewRefreshToken,
    pub device: NewDeviceToken,
    refresh_token: String,
    device_token: String,
}

impl NewLogin {
    /// A session for `user_id` with these `amr` values, made by the request of `meta`.
    pub fn new(
        state: &AppState,
        meta: &RequestMeta,
        user_id: &str,
        roles: &str,
        amr: &[&str],
    ) -> Self {
        let now = state.now();
        let session = SessionRecord {
            id: uuid::Uuid::new_v4().to_string(),
            user_id: user_id.to_owned(),
            amr: amr.join(" "),
            created_at: now,
            expires_at: now + state.settings.refresh_token_ttl,
            revoked_at: None,
            last_used_at: Some(now),
            ip: meta.ip.clone(),
            user_agent: meta.user_agent.clone(),
            roles: roles.to_owned(),
            auth_time: now,
            email_verified: false,
        };
        let refresh_token = TokenHasher::generate();
        let refresh = NewRefreshToken {
            token_hash: state.keys.tokens.hash(REFRESH, &refresh_token),
            created_at: now,
            expires_at: session.expires_at,
        };
        let device_token = TokenHasher::generate();
        let device = NewDeviceToken {
            token_hash: state.keys.tokens.hash(DEVICE, &device_token),
            user_id: user_id.to_owned(),
            created_at: now,
            expires_at: now + state.settings.device_token_ttl,
            trust: None,
        };
        Self {
            session,
            refresh,
            device,
            refresh_token,
            device_token,
        }
    }

    /// The store effect that starts this login, consuming `challenge_hash` when given.
    pub fn effect(&self, challenge_hash: Option<Vec<u8>>, reset_counter: bool) -> Effect {
        Effect::Login {
            challenge_hash,
            session: self.session.clone(),
            refresh: self.refresh.clone(),
            device: self.device.clone(),
            reset_counter,
        }
    }

    /// The tokens to answer with, once the login is stored.
    pub fn tokens(self, state: &AppState) -> Result<AuthTokens> {
        let mut tokens = tokens_for(state, &self.session, self.refresh_token)?;
        tokens.device_token = Some(self.device_token);
        Ok(tokens)
    }
}

/// Stores a login's session, refresh token and device token with `audit`, giving the
/// password's budget back in the same transaction; returns its tokens.
pub(super) async fn start(
    state: &AppState,
    login: NewLogin,
    refund: Option<Refund>,
    audit: &[AuditEvent],
) -> Result<AuthTokens> {
    try_start(state, login, refund, audit)
        .await?
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("a login without trust to move lost it")))
}

/// [`start`], or `None` when the trust the login moves was taken meanwhile (by a
/// concurrent login presenting the same token): nothing written then. A user disabled
/// meanwhile is refused (`AccountDisabled`), re-checked in the transaction.
pub(super) async fn try_start(
    state: &AppState,
    login: NewLogin,
    refund: Option<Refund>,
    audit: &[AuditEvent],
) -> Result<Option<AuthTokens>> {
    match state
        .store
        .create_session(
            &login.session,
            &login.refresh,
            Some(&login.device),
            refund.as_ref(),
            audit,
        )
        .await?
    {
        SessionStart::Started => login.tokens(state).map(Some),
        SessionStart::Disabled => Err(Error::AccountDisabled),
        SessionStart::TrustGone => Ok(None),
    }
}

/// A new refresh token: the plain token and its record (not stored yet).
pub(super) fn new_refresh_token(state: &AppState) -> (String, NewRefreshToken) {
    refresh_token_labelled(state, REFRESH)
}

/// A new refresh token hashed under `label` (a client's are not the native API's).
pub(super) fn refresh_token_labelled(state: &AppState, label: &str) -> (String, NewRefreshToken) {
    let now = state.now();
    let token = TokenHasher::generate();
    let record = NewRefreshToken {
        token_hash: state.keys.tokens.hash(label, &token),
        created_at: now,
        expires_at: now + state.settings.refresh_token_ttl,
    };
    (token, record)
}

/// The tokens of a stored session: a freshly signed access token and `refresh_token`.
pub(super) fn tokens_for(
    state: &AppState,
    session: &SessionRecord,
    refresh_token: String,
) -> Result<AuthTokens> {
    Ok(AuthTokens {
        access_token: sign_access_token(state, session)?,
        refresh_token,
        expires_in: state.settings.access_token_ttl,
        device_token: None,
        user_id: session.user_id.clone(),
    })
}

fn sign_access_token(state: &AppState, session: &SessionRecord) -> Result<String> {
    let now = state.now();
    let ring = state.keys.ring.current();
    let claims = Claims {
        iss: ring.issuer().to_owned(),
        aud: ring.audience().to_owned(),
        sub: session.user_id.clone(),
        sid: session.id.clone(),
        iat: now,
        exp: now + state.settings.access_token_ttl,
        jti: uuid::Uuid::new_v4().to_string(),
        amr: session.amr.split_whitespace().map(str::to_owned).collect(),
        auth_time: session.auth_time,
        roles: session
            .roles
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        email_verified: session.email_verified,
    };
    Ok(ring.sign(&claims)?)
}

/// Exchanges a refresh token for new tokens. A token that was already rotated revokes
/// its whole session (someone else holds a copy).
#[tracing::instrument(skip_all)]
pub async fn refresh(
    state: &AppState,
    meta: &RequestMeta,
    refresh_token: &str,
) -> Result<AuthTokens> {
    if !TokenHasher::is_well_formed(refresh_token) {
        return Err(Error::InvalidToken);
    }
    let now = state.now();
    let new_token = TokenHasher::generate();
    let new = NewRefreshToken {
        token_hash: state.keys.tokens.hash(REFRESH, &new_token),
        created_at: now,
        expires_at: now + state.settings.refresh_token_ttl,
    };
    let old_hash = state.keys.tokens.hash(REFRESH, refresh_token);
    let reuse = state.event(AuditKind::RefreshReuseDetected, None, meta, json!({}));
    let used = SessionUse {
        at: now,
        ip: meta.ip.clone(),
        user_agent: meta.user_agent.clone(),
    };
    match state
        .store
        .rotate_refresh_token(&old_hash, &new, &used, reuse)
        .await?
    {
        RotateOutcome::Rotated(session) => tokens_for(state, &session, new_token),
        RotateOutcome::ReuseDetected {
            session_id,
            user_id,
        } => {
            tracing::warn!(%session_id, %user_id, "refresh token reuse detected: session revoked");
            Err(Error::InvalidToken)
        }
        RotateOutcome::Invalid => Err(Error::InvalidToken),
    }
}

/// Revokes the session of `claims` (its access and refresh tokens stop working).
#[tracing::instrument(skip_all)]
pub async fn logout(state: &AppState, meta: &RequestMeta, claims: &Claims) -> Result<()> {
    let audit = state.event(
        AuditKind::Logout,
        Some(&claims.sub),
        meta,
        json!({ "sessionId": claims.sid }),
    );
    state
        .store
        .revoke_session(&claims.sid, state.now(), &audit)
        .await?;
    Ok(())
}

/// Verifies an access token and that its session is still live.
pub async fn authenticate(state: &AppState, token: &str) -> Result<Claims> {
    let now = state.now();
    let mut verified = state.keys.ring.current().verify(token, now);
    if verified.is_err() && super::keys::reload_for_unknown_kid(state, token).await {
        verified = state.keys.ring.current().verify(token, now);
    }
    let claims = verified.map_err(|_| Error::Unauthorized)?;
    match state.store.session(&claims.sid).await? {
        Some(s) if s.revoked_at.is_none() && s.expires_at > now && s.user_id == claims.sub => {
            Ok(claims)
        }
        _ => Err(Error::Unauthorized),
    }
}

/// The caller's live sessions, newest first; `current` marks the caller's own.
pub async fn list(state: &AppState, claims: &Claims) -> Result<Vec<SessionInfo>> {
    let sessions = state.store.user_sessions(&claims.sub, state.now()).await?;
    Ok(sessions
        .into_iter()
        .map(|s| SessionInfo {
            current: s.id == claims.sid,
            last_used_at: s.last_used_at.unwrap_or(s.created_at),
            amr: s.amr.split_whitespace().map(str::to_owned).collect(),
            id: s.id,
            created_at: s.created_at,
            ip: s.ip,
            user_agent: s.user_agent,
        })
        .collect())
}

/// Revokes one of the caller's sessions; `NotFound` when it is not a live session of theirs.
/// Another session needs a recent proof (step-up), as revoking all the others does, so a
/// stale stolen token cannot sign the owner out; the caller's own (a logout) never does.
#[tracing::instrument(skip_all)]
pub async fn revoke(
    state: &AppState,
    meta: &RequestMeta,
    claims: &Claims,
    session_id: &str,
) -> Result<()> {
    if session_id != claims.sid {
        super::recent::require_recent(state, claims).await?;
    }
    let audit = state.event(
        AuditKind::SessionRevoked,
        Some(&claims.sub),
        meta,
        json!({ "reason": "user_revoked", "sessionId": session_id }),
    );
    let revoked = state
        .store
        .revoke_user_session(&claims.sub, session_id, state.now(), &audit)
        .await?;
    if revoked {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

/// The MFA trust of the browser presenting `device_token` for `user_id`, when
/// `remember_device_days` is on and the token is trusted (and live).
pub(super) async fn browser_trust(
    state: &AppState,
    user_id: &str,
    device_token: Option<&str>,
) -> Result<Option<DeviceTrust>> {
    let Some(token) = device_token.filter(|_| state.settings.remember_device_days > 0) else {
        return Ok(None);
    };
    if !TokenHasher::is_well_formed(token) {
        return Ok(None);
    }
    let hash = state.keys.tokens.hash(DEVICE, token);
    Ok(state
        .store
        .device_trust(&hash, user_id, state.now())
        .await?)
}

/// A new trust for the device token a login issues (`rememberDevice`), when
/// `remember_device_days` is on.
pub(super) fn new_trust(state: &AppState) -> Option<DeviceTrust> {
    let days = state.settings.remember_device_days;
    (days > 0).then(|| DeviceTrust {
        id: uuid::Uuid::new_v4().to_string(),
        until: state.now() + days * 86_400,
        from: None,
    })
}

/// The caller's trusted browsers.
pub async fn trusted_devices(state: &AppState, claims: &Claims) -> Result<Vec<TrustedDevice>> {
    Ok(state
        .store
        .trusted_devices(&claims.sub, state.now())
        .await?)
}

/// Ends the trust of one of the caller's browsers (after a step-up when the session's last
/// proof is not recent, like revoking sessions); `NotFound` when it is not trusted.
#[tracing::instrument(skip_all)]
pub async fn end_device_trust(
    state: &AppState,
    meta: &RequestMeta,
    claims: &Claims,
    id: &str,
) -> Result<()> {
    super::recent::require_recent(state, claims).await?;
    let audit = state.event(
        AuditKind::DeviceUntrusted,
        Some(&claims.sub),
        meta,
        json!({ "deviceId": id }),
    );
    if state
        .store
        .end_device_trust(&claims.sub, id, &[audit])
        .await?
    {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

/// Revokes every session of the caller but the calling one; returns how many.
#[tracing::instrument(skip_all)]
pub async fn revoke_others(state: &AppState, meta: &RequestMeta, claims: &Claims) -> Result<u64> {
    super::recent::require_recent(state, claims).await?;
    let others = others(state, meta, &claims.sub, &claims.sid, "user_revoked_others");
    Ok(state
        .store
        .revoke_other_sessions(&claims.sub, &others, state.now())
        .await?)
}

/// The sessions a security change of `user_id` ends: all but `keep`, audited with `reason`.
pub(super) fn others(
    state: &AppState,
    meta: &RequestMeta,
    user_id: &str,
    keep: &str,
    reason: &'static str,
) -> OtherSessions {
    OtherSessions {
        keep: keep.to_owned(),
        audit: state.event(
            AuditKind::SessionRevoked,
            Some(user_id),
            meta,
            json!({ "reason": reason }),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_token() {
        let tokens = AuthTokens {
            access_token: "eyJsecret-access".into(),
            refresh_token: "secret-refresh".into(),
            expires_in: 3600,
            device_token: Some("secret-device".into()),
            user_id: "u1".into(),
        };
        let shown = format!("{tokens:?}");
        assert!(!shown.contains("secret"), "{shown}");
        let device = NewDeviceToken {
            token_hash: vec![0xAB; 32],
            user_id: "u1".into(),
            created_at: 1,
            expires_at: 2,
            trust: None,
        };
        assert!(
            !format!("{device:?}").contains("171"),
            "no hash bytes shown"
        );
    }
}
