//! Registration, password login, sessions (access + refresh tokens), refresh rotation with
//! reuse detection, logout, and access-token authentication.

use serde_json::json;

use super::attempts::{count_failure, ensure_open};
use super::{AppState, RequestMeta};
use crate::crypto::jwt::Claims;
use crate::crypto::token::TokenHasher;
use crate::domain::email::Email;
use crate::domain::password::Password;
use crate::error::{ApiError, ApiResult};
use crate::store::{
    AuditEvent, NewRefreshToken, NewUser, RotateOutcome, SessionRecord, StoreError, UserRecord,
};

/// Label of refresh-token hashes.
const REFRESH: &str = "refresh";
/// Purpose of the password lockout counter.
pub const PASSWORD_PURPOSE: &str = "password";

/// A freshly issued pair of tokens.
#[derive(Debug, Clone)]
pub struct AuthTokens {
    /// The signed JWT.
    pub access_token: String,
    /// The opaque refresh token.
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

/// What a correct password leads to.
#[derive(Debug)]
pub enum LoginOutcome {
    /// No MFA: a session.
    Session(AuthTokens),
    /// MFA enabled: a challenge to answer at `verify-mfa`.
    MfaRequired {
        challenge_token: String,
        expires_in: i64,
    },
}

/// Creates an account.
#[tracing::instrument(skip_all)]
pub async fn register(
    state: &AppState,
    meta: &RequestMeta,
    email: Email,
    password: Password,
) -> ApiResult<UserRecord> {
    let password_hash = state.argon.hash_password(password.expose()).await?;
    let user = NewUser {
        id: uuid::Uuid::new_v4().to_string(),
        email: email.as_str().to_owned(),
        password_hash,
        created_at: state.now(),
    };
    let audit = state.event("auth.register", Some(&user.id), meta, json!({}));
    match state.store.create_user(&user, &audit).await {
        Ok(()) => {}
        Err(StoreError::UniqueViolation) => return Err(ApiError::EmailTaken),
        Err(e) => return Err(e.into()),
    }
    tracing::info!(user_id = %user.id, "account registered");
    Ok(UserRecord {
        id: user.id,
        email: user.email,
        password_hash: user.password_hash,
        created_at: user.created_at,
        mfa_enabled_at: None,
    })
}

/// Checks a password. Unknown email and wrong password give the same error after the
/// same Argon2 work; 10 consecutive wrong passwords lock the account's password login.
#[tracing::instrument(skip_all)]
pub async fn login(
    state: &AppState,
    meta: &RequestMeta,
    email: Email,
    password: Password,
) -> ApiResult<LoginOutcome> {
    let user = state.store.user_by_email(email.as_str()).await?;
    if let Some(user) = &user {
        ensure_open(state, &user.id, PASSWORD_PURPOSE).await?;
    }
    let stored = user.as_ref().map(|u| u.password_hash.as_str());
    let valid = state
        .argon
        .verify_password(password.expose(), stored)
        .await?;
    let user_id = user.as_ref().map(|u| u.id.clone());
    let Some(user) = user.filter(|_| valid) else {
        return Err(password_failure(state, meta, user_id).await);
    };
    state
        .store
        .reset_attempts(&user.id, PASSWORD_PURPOSE)
        .await?;
    if user.mfa_enabled_at.is_some() {
        let (challenge_token, expires_in) =
            super::mfa::start_challenge(state, meta, &user.id).await?;
        return Ok(LoginOutcome::MfaRequired {
            challenge_token,
            expires_in,
        });
    }
    let audit = state.event(
        "auth.login.succeeded",
        Some(&user.id),
        meta,
        json!({ "amr": ["pwd"] }),
    );
    let tokens = issue_session(state, &user.id, &["pwd"], &[audit]).await?;
    Ok(LoginOutcome::Session(tokens))
}

/// Records a wrong password (or an unknown email) and returns the error to answer with.
async fn password_failure(
    state: &AppState,
    meta: &RequestMeta,
    user_id: Option<String>,
) -> ApiError {
    let audit = state.event(
        "auth.login.failed",
        user_id.as_deref(),
        meta,
        json!({ "reason": "invalid_credentials" }),
    );
    let Some(user_id) = user_id else {
        return match state.store.append_audit(&audit).await {
            Ok(()) => ApiError::InvalidCredentials,
            Err(e) => e.into(),
        };
    };
    match count_failure(
        state,
        meta,
        &user_id,
        PASSWORD_PURPOSE,
        state.password_policy(),
        &[audit],
        "auth.login.locked",
    )
    .await
    {
        Ok(()) => ApiError::InvalidCredentials,
        Err(e) => e,
    }
}

/// Starts a session for `user_id` and returns its tokens; `audit` is written with it.
pub async fn issue_session(
    state: &AppState,
    user_id: &str,
    amr: &[&str],
    audit: &[AuditEvent],
) -> ApiResult<AuthTokens> {
    let (session, refresh, refresh_token) = new_session(state, user_id, amr);
    state
        .store
        .create_session(&session, &refresh, audit)
        .await?;
    tokens_for(state, &session, refresh_token)
}

/// A session and its first refresh token, not stored yet.
pub fn new_session(
    state: &AppState,
    user_id: &str,
    amr: &[&str],
) -> (SessionRecord, NewRefreshToken, String) {
    let now = state.now();
    let session = SessionRecord {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: user_id.to_owned(),
        amr: amr.join(" "),
        created_at: now,
        expires_at: now + state.settings.refresh_token_ttl,
        revoked_at: None,
    };
    let refresh_token = TokenHasher::generate();
    let refresh = NewRefreshToken {
        token_hash: state.keys.tokens.hash(REFRESH, &refresh_token),
        created_at: now,
        expires_at: session.expires_at,
    };
    (session, refresh, refresh_token)
}

/// The tokens of a stored session: a freshly signed access token and `refresh_token`.
pub fn tokens_for(
    state: &AppState,
    session: &SessionRecord,
    refresh_token: String,
) -> ApiResult<AuthTokens> {
    Ok(AuthTokens {
        access_token: sign_access_token(state, session)?,
        refresh_token,
        expires_in: state.settings.access_token_ttl,
    })
}

fn sign_access_token(state: &AppState, session: &SessionRecord) -> ApiResult<String> {
    let now = state.now();
    let claims = Claims {
        iss: state.keys.ring.issuer().to_owned(),
        sub: session.user_id.clone(),
        sid: session.id.clone(),
        iat: now,
        exp: now + state.settings.access_token_ttl,
        jti: uuid::Uuid::new_v4().to_string(),
        amr: session.amr.split_whitespace().map(str::to_owned).collect(),
    };
    Ok(state.keys.ring.sign(&claims)?)
}

/// Exchanges a refresh token for new tokens. A token that was already rotated revokes
/// its whole session (someone else holds a copy).
#[tracing::instrument(skip_all)]
pub async fn refresh(
    state: &AppState,
    meta: &RequestMeta,
    refresh_token: &str,
) -> ApiResult<AuthTokens> {
    if !TokenHasher::is_well_formed(refresh_token) {
        return Err(ApiError::InvalidToken);
    }
    let now = state.now();
    let new_token = TokenHasher::generate();
    let new = NewRefreshToken {
        token_hash: state.keys.tokens.hash(REFRESH, &new_token),
        created_at: now,
        expires_at: now + state.settings.refresh_token_ttl,
    };
    let old_hash = state.keys.tokens.hash(REFRESH, refresh_token);
    let reuse = state.event("auth.refresh.reuse_detected", None, meta, json!({}));
    match state
        .store
        .rotate_refresh_token(&old_hash, &new, now, reuse)
        .await?
    {
        RotateOutcome::Rotated(session) => tokens_for(state, &session, new_token),
        RotateOutcome::ReuseDetected {
            session_id,
            user_id,
        } => {
            tracing::warn!(%session_id, %user_id, "refresh token reuse detected: session revoked");
            Err(ApiError::InvalidToken)
        }
        RotateOutcome::Invalid => Err(ApiError::InvalidToken),
    }
}

/// Revokes the session of `claims` (its access and refresh tokens stop working).
#[tracing::instrument(skip_all)]
pub async fn logout(state: &AppState, meta: &RequestMeta, claims: &Claims) -> ApiResult<()> {
    let audit = state.event(
        "auth.logout",
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
pub async fn authenticate(state: &AppState, token: &str) -> ApiResult<Claims> {
    let now = state.now();
    let claims = state
        .keys
        .ring
        .verify(token, now)
        .map_err(|_| ApiError::Unauthorized)?;
    match state.store.session(&claims.sid).await? {
        Some(s) if s.revoked_at.is_none() && s.expires_at > now && s.user_id == claims.sub => {
            Ok(claims)
        }
        _ => Err(ApiError::Unauthorized),
    }
}
