//! The password guessing guard of API 1.1 (OWASP's device-cookie scheme). Every password
//! attempt is admitted (counted) by the database before any Argon2 work: under a valid
//! device token of the user, against that token's own budget; otherwise against the
//! account key (a keyed hash of the normalized email, whether or not the account exists),
//! whose spent budget locks untrusted logins only. A correct password gives back the
//! budget it was counted against.

use serde_json::json;

use super::error::{Error, Result};
use super::sessions::DEVICE;
use super::{AppState, RequestMeta};
use crate::crypto::token::TokenHasher;
use crate::domain::audit::AuditKind;
use crate::domain::lockout::seconds_left;
use crate::domain::password::Password;
use crate::store::{Refund, UserRecord};

/// Label of account-key hashes.
const ACCOUNT: &str = "account";

/// The account key of a normalized email: what its untrusted attempts are counted against.
pub(super) fn account_key(state: &AppState, email: &str) -> Vec<u8> {
    state.keys.tokens.hash(ACCOUNT, email)
}

/// What an admitted attempt was counted against.
enum Budget {
    /// A live device token of this user (its keyed hash).
    Device(Vec<u8>),
    /// The account key's untrusted budget.
    Account,
}

/// One password attempt: who it claims to be, and the audit event of a wrong password.
pub(super) struct Attempt<'a> {
    /// The normalized email the attempt names (as stored for an existing account).
    pub email: &'a str,
    pub user: Option<&'a UserRecord>,
    pub password: &'a Password,
    pub device_token: Option<&'a str>,
    /// `auth.login.failed` at login.
    pub failure_event: AuditKind,
}

/// Admits, checks and settles one password attempt: for the right password of an existing
/// account, the [`Refund`] the caller applies in the transaction of what the login starts;
/// 401 `invalid_credentials` for a wrong one or an unknown email (the same answer after
/// the same work); 429 when the attempt is not admitted; 503 when the hashing queue is
/// full (nothing counted then).
pub(super) async fn check(
    state: &AppState,
    meta: &RequestMeta,
    attempt: Attempt<'_>,
) -> Result<Refund> {
    let ticket = state.argon.reserve()?;
    let key = account_key(state, attempt.email);
    let budget = admit(state, &key, attempt.user, attempt.device_token).await?;
    let stored = attempt.user.map(|u| u.password_hash.as_str());
    let valid = ticket
        .verify_password(attempt.password.expose(), stored)
        .await?;
    let user_id = attempt.user.map(|u| u.id.as_str());
    let now = state.now();
    match (valid, &budget) {
        (true, Budget::Device(hash)) => Ok(Refund::Device {
            token_hash: hash.clone(),
        }),
        (true, Budget::Account) => Ok(Refund::Account { key, now }),
        (false, Budget::Device(hash)) => {
            let audit = [failure_audit(state, meta, &attempt, "device")];
            let revoked = state.event(
                AuditKind::DeviceRevoked,
                user_id,
                meta,
                json!({ "reason": "too_many_failures" }),
            );
            let max = state.settings.device_max_failures;
            if state
                .store
                .device_failed(hash, now, max, &audit, revoked)
                .await?
            {
                tracing::warn!(
                    user_id,
                    "device token revoked after repeated wrong passwords"
                );
            }
            Err(Error::InvalidCredentials)
        }
        (false, Budget::Account) => {
            let audit = [failure_audit(state, meta, &attempt, "untrusted")];
            let locked = state.event(AuditKind::LoginLocked, user_id, meta, json!({}));
            let policy = state.password_policy();
            if state
                .store
                .account_failed(&key, now, policy, &audit, locked)
                .await?
            {
                tracing::warn!(user_id, "untrusted password logins locked");
            }
            Err(Error::InvalidCredentials)
        }
    }
}

fn failure_audit(
    state: &AppState,
    meta: &RequestMeta,
    attempt: &Attempt<'_>,
    budget: &str,
) -> crate::store::AuditEvent {
    state.event(
        attempt.failure_event,
        attempt.user.map(|u| u.id.as_str()),
        meta,
        json!({ "reason": "invalid_credentials", "budget": budget }),
    )
}

/// Counts the attempt against a valid device token of `user`, else against `key`.
async fn admit(
    state: &AppState,
    key: &[u8],
    user: Option<&UserRecord>,
    device_token: Option<&str>,
) -> Result<Budget> {
    let now = state.now();
    if let Some(token) = device_token.filter(|t| TokenHasher::is_well_formed(t)) {
        // The same statement whether or not the account exists (an unknown email matches
        // no device row), so a device token does not make known accounts slower.
        let hash = state.keys.tokens.hash(DEVICE, token);
        let max = state.settings.device_max_failures;
        let user_id = user.map_or("", |u| u.id.as_str());
        if state.store.admit_device(&hash, user_id, now, max).await? && user.is_some() {
            return Ok(Budget::Device(hash));
        }
    }
    let policy = state.password_policy();
    if state
        .store
        .admit_account(key, now, policy.max_failures)
        .await?
    {
        return Ok(Budget::Account);
    }
    // Locked, or the budget is taken by attempts still being checked (a lock follows).
    let guard = state.store.login_guard(key).await?.unwrap_or_default();
    let retry_after = seconds_left(guard.locked_until, now)
        .unwrap_or_else(|| policy.lock_seconds(guard.lockouts) as u64);
    Err(Error::Locked { retry_after })
}
