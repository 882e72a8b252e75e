//! The lockout rule shared by passwords and MFA codes: refuse while a purpose is locked,
//! and count a failure (starting a lock, audited, when it is the last one allowed).

use serde_json::json;

use super::error::{Error, Result};
use super::purpose::Purpose;
use super::{AppState, RequestMeta};
use crate::domain::audit::AuditKind;
use crate::domain::lockout::LockPolicy;
use crate::store::AuditEvent;

/// 429 if `purpose` is locked for the user (checked again where the proof is spent).
pub(super) async fn ensure_open(state: &AppState, user_id: &str, purpose: Purpose) -> Result<()> {
    match state
        .store
        .lock_remaining(user_id, purpose.as_str(), state.now())
        .await?
    {
        None => Ok(()),
        Some(retry_after) => Err(Error::Locked { retry_after }),
    }
}

/// Counts one failure of `purpose` under `policy`, writing `audit` with it; when this
/// failure starts a lock, writes `lock_event` too. `Err(429)` when the purpose was already
/// locked (the failure is then not counted); `Ok` means: answer with the normal error.
pub(super) async fn count_failure(
    state: &AppState,
    meta: &RequestMeta,
    user_id: &str,
    purpose: Purpose,
    policy: LockPolicy,
    audit: &[AuditEvent],
    lock_event: AuditKind,
) -> Result<()> {
    let now = state.now();
    let (before, after) = state
        .store
        .record_failure(user_id, purpose.as_str(), now, policy, audit)
        .await?;
    if let Some(retry_after) = before.retry_after(now) {
        return Err(Error::Locked { retry_after });
    }
    if after.locked_until > before.locked_until {
        lock_started(user_id, purpose);
        let details =
            json!({ "purpose": purpose.as_str(), "lockedForSeconds": after.locked_until - now });
        state
            .store
            .append_audit(&state.event(lock_event, Some(user_id), meta, details))
            .await?;
    }
    Ok(())
}

/// Admits (counts) one attempt of `purpose` before costly work, in one statement; 429
/// when the purpose is locked or its budget is taken by attempts still being checked.
pub(super) async fn admit(state: &AppState, user_id: &str, purpose: Purpose) -> Result<()> {
    let now = state.now();
    let policy = state.mfa_policy();
    if state
        .store
        .admit_code(user_id, purpose.as_str(), now, policy.max_failures)
        .await?
    {
        return Ok(());
    }
    let retry_after = state
        .store
        .lock_remaining(user_id, purpose.as_str(), now)
        .await?
        .unwrap_or_else(|| policy.lock_seconds(0) as u64);
    Err(Error::Locked { retry_after })
}

/// Settles a wrong attempt that [`admit`] already counted: writes `audit`, and starts the
/// lock (audited as `lock_event`) when the budget is spent.
pub(super) async fn admitted_failure(
    state: &AppState,
    meta: &RequestMeta,
    user_id: &str,
    purpose: Purpose,
    audit: &[AuditEvent],
    lock_event: AuditKind,
) -> Result<()> {
    let locked = state.event(
        lock_event,
        Some(user_id),
        meta,
        json!({ "purpose": purpose.as_str() }),
    );
    let now = state.now();
    let policy = state.mfa_policy();
    if state
        .store
        .code_failed(user_id, purpose.as_str(), now, policy, audit, locked)
        .await?
    {
        lock_started(user_id, purpose);
    }
    Ok(())
}

/// A lock of `purpose` started for `user_id`: logged and counted.
fn lock_started(user_id: &str, purpose: Purpose) {
    tracing::warn!(%user_id, %purpose, "locked after repeated failures");
    metrics::counter!("twofold_lockouts_total", "purpose" => purpose.as_str()).increment(1);
}
