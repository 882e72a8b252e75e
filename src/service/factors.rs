//! Several factors per user (FACTORS.md): listing, adding another TOTP authenticator,
//! renaming and deleting. `/mfa/setup` still enrolls the first authenticator; passkeys are
//! added in [`super::passkeys`]. Adding and deleting need a recent proof (step-up).

use serde_json::json;
use zeroize::Zeroizing;

use super::attempts::ensure_open;
use super::enrollment::{added_event, open_secret, pending_record, present, store_pending, Setup};
use super::error::{Error, Result};
use super::proof::{finish, require, totp_proof};
use super::purpose::SETUP;
use super::spend::Effect;
use super::{AppState, RequestMeta};
use crate::crypto::jwt::Claims;
use crate::domain::audit::AuditKind;
use crate::domain::codes::{self, TotpCode};
use crate::store::{Enrollment, FactorDeleted, FactorRecord};

/// A factor as shown to its owner.
#[derive(Debug, Clone)]
pub struct Factor {
    pub id: String,
    /// `totp` or `passkey`.
    pub kind: String,
    pub name: Option<String>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

impl From<FactorRecord> for Factor {
    fn from(r: FactorRecord) -> Self {
        Self {
            id: r.id,
            kind: r.kind,
            name: r.name,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
        }
    }
}

/// A pending TOTP factor: its id and what the authenticator app needs.
pub struct PendingTotp {
    pub factor_id: String,
    pub setup: Setup,
}

/// The user's factors, oldest first.
pub async fn list(state: &AppState, user_id: &str) -> Result<Vec<Factor>> {
    Ok(state
        .store
        .factors(user_id)
        .await?
        .into_iter()
        .map(Factor::from)
        .collect())
}

/// Starts another TOTP authenticator (MFA must be on; `/mfa/setup` enrolls the first):
/// a pending secret, kept `mfa_setup_ttl` seconds, replacing any pending one.
#[tracing::instrument(skip_all, fields(user_id = %caller.sub))]
pub async fn add_totp(
    state: &AppState,
    meta: &RequestMeta,
    caller: &Claims,
    name: Option<String>,
) -> Result<PendingTotp> {
    let user_id = caller.sub.as_str();
    let user = state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or(Error::Unauthorized)?;
    if user.mfa_enabled_at.is_none() {
        return Err(Error::MfaNotEnabled);
    }
    super::recent::require_recent(state, caller).await?;
    let max = state.settings.max_factors;
    if state.store.factors(user_id).await?.len() as i64 >= max {
        return Err(Error::TooManyFactors);
    }
    let secret = codes::generate_secret();
    let pending = pending_record(state, user_id, &secret, name).await?;
    let factor_id = pending.factor_id.clone();
    let audit = state.event(
        AuditKind::MfaFactorSetupStarted,
        Some(user_id),
        meta,
        json!({ "factorId": factor_id, "type": "totp" }),
    );
    let enrollment = Enrollment::Another { max_factors: max };
    if !store_pending(state, pending, &secret, enrollment, &audit).await? {
        // MFA went off, or the last free place was taken, meanwhile.
        return Err(match state.store.user_by_id(user_id).await? {
            Some(u) if u.mfa_enabled_at.is_some() => Error::TooManyFactors,
            _ => Error::MfaNotEnabled,
        });
    }
    let setup = present(state, &user.email, &secret, state.settings.mfa_setup_ttl)?;
    Ok(PendingTotp { factor_id, setup })
}

/// The pending TOTP factor `factor_id` again, while it lasts (a page shown again keeps
/// the QR code already scanned).
pub async fn resume_totp(
    state: &AppState,
    caller: &Claims,
    factor_id: &str,
) -> Result<PendingTotp> {
    let now = state.now();
    let user = state.caller(&caller.sub).await?;
    let pending = state
        .store
        .pending_totp(&caller.sub)
        .await?
        .filter(|p| p.expires_at > now && p.factor_id == factor_id)
        .ok_or(Error::NoPendingSetup)?;
    let secret = open_secret(state, &pending).await?;
    Ok(PendingTotp {
        factor_id: pending.factor_id,
        setup: present(state, &user.email, &secret, pending.expires_at - now)?,
    })
}

/// Confirms the pending TOTP factor `factor_id` with a first code from it.
#[tracing::instrument(skip_all, fields(user_id = %caller.sub))]
pub async fn confirm_totp(
    state: &AppState,
    meta: &RequestMeta,
    caller: &Claims,
    factor_id: &str,
    code: TotpCode,
) -> Result<Factor> {
    let user_id = caller.sub.as_str();
    let now = state.now();
    let pending = state
        .store
        .pending_totp(user_id)
        .await?
        .filter(|p| p.expires_at > now && p.factor_id == factor_id)
        .ok_or(Error::NoPendingSetup)?;
    let secret: Zeroizing<Vec<u8>> = open_secret(state, &pending).await?;
    ensure_open(state, user_id, SETUP).await?;
    let proof = totp_proof(&secret, &code, now);
    let proof = require(state, meta, user_id, SETUP, proof, "totp").await?;
    let audit = [added_event(state, meta, user_id, factor_id, "totp")];
    let effect = Effect::AddTotp {
        credential: crate::store::TotpRecord {
            created_at: now,
            expires_at: i64::MAX,
            ..pending
        },
        max: state.settings.max_factors,
    };
    finish(state, meta, user_id, SETUP, proof, effect, &audit).await?;
    find(state, user_id, factor_id).await
}

async fn find(state: &AppState, user_id: &str, factor_id: &str) -> Result<Factor> {
    state
        .store
        .factors(user_id)
        .await?
        .into_iter()
        .find(|f| f.id == factor_id)
        .map(Factor::from)
        .ok_or(Error::NotFound)
}

/// Renames the caller's factor `id` (needs a step-up).
#[tracing::instrument(skip_all, fields(user_id = %caller.sub))]
pub async fn rename(
    state: &AppState,
    meta: &RequestMeta,
    caller: &Claims,
    id: &str,
    name: Option<String>,
) -> Result<Factor> {
    let user_id = caller.sub.as_str();
    super::recent::require_recent(state, caller).await?;
    let audit = state.event(
        AuditKind::MfaFactorRenamed,
        Some(user_id),
        meta,
        json!({ "factorId": id }),
    );
    state
        .store
        .rename_factor(user_id, id, name.as_deref(), &audit)
        .await?
        .map(Factor::from)
        .ok_or(Error::NotFound)
}

/// Deletes the caller's factor `id` (needs a step-up). Every trusted browser of the user
/// stops being trusted; deleting the last factor turns MFA off and wipes the recovery
/// codes. True when MFA went off.
#[tracing::instrument(skip_all, fields(user_id = %caller.sub))]
pub async fn delete(
    state: &AppState,
    meta: &RequestMeta,
    caller: &Claims,
    id: &str,
) -> Result<bool> {
    let user_id = caller.sub.as_str();
    super::recent::require_recent(state, caller).await?;
    let audit = state.event(
        AuditKind::MfaFactorRemoved,
        Some(user_id),
        meta,
        json!({ "factorId": id }),
    );
    let off = state.event(
        AuditKind::MfaDisabled,
        Some(user_id),
        meta,
        json!({ "reason": "last_factor_removed" }),
    );
    match state
        .store
        .delete_factor(
            user_id,
            id,
            &[audit],
            &[off],
            &super::sessions::others(state, meta, user_id, &caller.sid, "mfa_disabled"),
            state.now(),
        )
        .await?
    {
        FactorDeleted::NotFound => Err(Error::NotFound),
        FactorDeleted::Deleted { mfa_off } => Ok(mfa_off),
    }
}
