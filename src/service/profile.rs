//! What a signed-in person reads about their own account: `/me`, their audit trail, the
//! account page's overview, and the authenticator app they are adding. These are read
//! models, so that no surface (the native API, the compat surfaces, the pages) reads the
//! store itself and each rule (an account that is gone, an enrollment that has expired)
//! has one home.

use super::error::{Error, Result};
use super::factors::{self, Factor, PendingTotp};
use super::mfa::{self, Status};
use super::sessions::{self, SessionInfo};
use super::AppState;
use crate::crypto::jwt::Claims;
use crate::store::TrustedDevice;

/// One event of an audit trail as surfaces list it: the stored event as it is (id, user,
/// kind, time, IP, user agent and its details as JSON text).
pub use crate::store::AuditRecord;

/// An account as its owner sees it.
#[derive(Debug, Clone)]
pub struct Account {
    /// The user id (a UUID).
    pub id: String,
    /// The email the account signs in with.
    pub email: String,
    /// When it was created (Unix seconds).
    pub created_at: i64,
    /// Whether MFA is on (the account has a confirmed factor).
    pub mfa_enabled: bool,
    /// Whether the email address is proven.
    pub email_verified: bool,
    /// Whether the person hears of sign-ins from new browsers.
    pub notify_new_browser: bool,
}

/// Everything the account page shows, read in one go.
#[derive(Debug)]
pub struct Overview {
    /// The account.
    pub account: Account,
    /// Its MFA state.
    pub mfa: Status,
    /// Its sessions.
    pub sessions: Vec<SessionInfo>,
    /// The browsers it trusts.
    pub trusted: Vec<TrustedDevice>,
    /// Its most recent audit events, newest first.
    pub events: Vec<AuditRecord>,
    /// Its sign-in methods.
    pub factors: Vec<Factor>,
}

async fn find(state: &AppState, user_id: &str) -> Result<Option<Account>> {
    Ok(state.store.user_by_id(user_id).await?.map(|user| Account {
        id: user.id,
        email: user.email,
        created_at: user.created_at,
        mfa_enabled: user.mfa_enabled_at.is_some(),
        email_verified: user.email_verified_at.is_some(),
        notify_new_browser: user.notify_new_browser,
    }))
}

/// The caller's account; one that no longer exists is `Unauthorized` (the token that
/// names it speaks for nobody).
pub async fn account(state: &AppState, user_id: &str) -> Result<Account> {
    find(state, user_id).await?.ok_or(Error::Unauthorized)
}

/// The caller's own audit events, newest first: at most `limit`, older than the event
/// `before` if given.
pub async fn audit(
    state: &AppState,
    user_id: &str,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditRecord>> {
    Ok(state.store.audit_events(user_id, before, limit).await?)
}

/// The account page's overview with the `recent_events` newest events; `None` when the
/// account no longer exists (the page then asks to sign in again).
pub async fn overview(
    state: &AppState,
    caller: &Claims,
    recent_events: i64,
) -> Result<Option<Overview>> {
    let account = find(state, &caller.sub).await?;
    let mfa = mfa::status(state, &caller.sub).await?;
    let sessions = sessions::list(state, caller).await?;
    let trusted = sessions::trusted_devices(state, caller).await?;
    let events = audit(state, &caller.sub, None, recent_events).await?;
    let factors = factors::list(state, &caller.sub).await?;
    Ok(account.map(|account| Overview {
        account,
        mfa,
        sessions,
        trusted,
        events,
        factors,
    }))
}

/// The authenticator app the caller is adding, while its enrollment lasts; reading it
/// starts nothing (a page shown again keeps the QR code already scanned).
pub async fn pending_totp(state: &AppState, caller: &Claims) -> Result<Option<PendingTotp>> {
    let now = state.now();
    let Some(pending) = state
        .store
        .pending_totp(&caller.sub)
        .await?
        .filter(|p| p.expires_at > now)
    else {
        return Ok(None);
    };
    match factors::resume_totp(state, caller, &pending.factor_id).await {
        Ok(p) => Ok(Some(p)),
        Err(Error::NoPendingSetup) => Ok(None),
        Err(e) => Err(e),
    }
}
