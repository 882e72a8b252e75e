//! Spending a second-factor proof: what a code proves, the one transaction that spends it
//! and applies its effect, and the audit of a code that did not verify (counted through
//! `attempts`).

use serde_json::json;
use zeroize::Zeroizing;

use super::attempts::count_failure;
use super::error::{Error, Result};
use super::mfa::{open_secret, LOGIN, SETUP};
use super::{AppState, RequestMeta};
use crate::domain::codes::{MfaCode, TotpCode};
use crate::domain::totp::{self, TotpParams};
use crate::store::{AuditEvent, MfaEffect, MfaOutcome, MfaProof, RecoveryCodeRecord, TotpRecord};

/// Steps accepted on either side of the current one.
const WINDOW: u64 = 1;

pub(super) fn recovery_audit(
    state: &AppState,
    meta: &RequestMeta,
    user_id: &str,
    proof: &MfaProof,
) -> Vec<AuditEvent> {
    match proof {
        MfaProof::RecoveryCode { id, remaining } => vec![state.event(
            "auth.mfa.recovery_code.used",
            Some(user_id),
            meta,
            json!({ "recoveryCodeId": id, "remaining": remaining }),
        )],
        _ => Vec::new(),
    }
}

/// The step of a pending enrollment's secret that `code` matches.
pub(super) fn totp_proof(secret: &[u8], code: &TotpCode, now: i64) -> Option<MfaProof> {
    totp::matching_step(secret, code.as_str(), now, TotpParams::DEFAULT, WINDOW).map(|s| {
        MfaProof::TotpStep {
            factor: None,
            step: s as i64,
        }
    })
}

/// Checks `code` against every one of the user's TOTP factors (each in constant time,
/// all of them whatever matched) and returns the step of the one that matched.
pub(super) async fn factor_proof(
    state: &AppState,
    factors: &[TotpRecord],
    code: &TotpCode,
) -> Result<Option<MfaProof>> {
    let now = state.now();
    let mut found = None;
    for factor in factors {
        let secret = open_secret(state, factor).await?;
        let step = totp::matching_step(&secret, code.as_str(), now, TotpParams::DEFAULT, WINDOW);
        if let (Some(step), None) = (step, &found) {
            found = Some(MfaProof::TotpStep {
                factor: Some(factor.factor_id.clone()),
                step: step as i64,
            });
        }
    }
    Ok(found)
}

/// Finds what `code` proves for the user: a step of one of the TOTP `factors`, or one
/// unused recovery code (checked on the bounded hashing pool).
pub(super) async fn mfa_proof(
    state: &AppState,
    user_id: &str,
    factors: &[TotpRecord],
    code: &MfaCode,
) -> Result<Option<MfaProof>> {
    match code {
        MfaCode::Totp(totp) => factor_proof(state, factors, totp).await,
        MfaCode::Recovery(recovery) => {
            let candidates = state.store.unused_recovery_codes(user_id).await?;
            let hashes = candidates.iter().map(|c| c.code_hash.clone()).collect();
            let found = state
                .argon
                .find_recovery_code(recovery.as_str(), hashes)
                .await?;
            Ok(found.map(|i| MfaProof::RecoveryCode {
                id: candidates[i].id.clone(),
                remaining: candidates.len() - 1,
            }))
        }
    }
}

pub(super) async fn hash_recovery_codes(
    state: &AppState,
    codes: &[Zeroizing<String>],
) -> Result<Vec<RecoveryCodeRecord>> {
    let hashes = state.argon.hash_recovery_codes(codes.to_vec()).await?;
    Ok(hashes
        .into_iter()
        .map(|code_hash| RecoveryCodeRecord {
            id: uuid::Uuid::new_v4().to_string(),
            code_hash,
        })
        .collect())
}

/// The proof, or a counted failure when the code did not verify.
pub(super) async fn require(
    state: &AppState,
    meta: &RequestMeta,
    user_id: &str,
    purpose: &'static str,
    proof: Option<MfaProof>,
    method: &'static str,
) -> Result<MfaProof> {
    match proof {
        Some(proof) => Ok(proof),
        None => {
            let error = failure(state, meta, user_id, purpose, "wrong_code").await;
            let outcome = match error {
                Error::Locked { .. } => "locked",
                _ => "invalid",
            };
            count_verification(purpose, method, outcome);
            Err(error)
        }
    }
}

/// `twofold_mfa_verifications_total{purpose,method,outcome}`.
fn count_verification(purpose: &'static str, method: &'static str, outcome: &'static str) {
    metrics::counter!(
        "twofold_mfa_verifications_total",
        "purpose" => purpose, "method" => method, "outcome" => outcome
    )
    .increment(1);
}

/// The `method` label of a proof.
fn method_of(proof: &MfaProof) -> &'static str {
    match proof {
        MfaProof::TotpStep { .. } => "totp",
        MfaProof::RecoveryCode { .. } => "recovery",
        MfaProof::Passkey(_) => "passkey",
    }
}

/// Spends `proof` and applies `effect` in one transaction; a replayed or used code is
/// counted as a failure.
#[allow(clippy::too_many_arguments)]
pub(super) async fn finish(
    state: &AppState,
    meta: &RequestMeta,
    user_id: &str,
    purpose: &'static str,
    proof: MfaProof,
    effect: MfaEffect,
    audit: &[AuditEvent],
) -> Result<()> {
    let now = state.now();
    let method = method_of(&proof);
    let outcome = state
        .store
        .complete_mfa(user_id, purpose, now, proof, effect, audit)
        .await?;
    let label = match outcome {
        MfaOutcome::Done => Some("ok"),
        MfaOutcome::Locked(_) => Some("locked"),
        MfaOutcome::Replayed => Some("replay"),
        MfaOutcome::CodeUsed => Some("invalid"),
        _ => None,
    };
    if let Some(label) = label {
        count_verification(purpose, method, label);
    }
    match outcome {
        MfaOutcome::Done => Ok(()),
        MfaOutcome::Locked(retry_after) => Err(Error::Locked { retry_after }),
        MfaOutcome::Replayed => Err(failure(state, meta, user_id, purpose, "replayed_code").await),
        MfaOutcome::CodeUsed => {
            Err(failure(state, meta, user_id, purpose, "used_recovery_code").await)
        }
        MfaOutcome::ChallengeGone => Err(Error::InvalidChallenge),
        MfaOutcome::NoPendingSetup => Err(Error::NoPendingSetup),
        MfaOutcome::AlreadyEnabled => Err(Error::MfaAlreadyEnabled),
        MfaOutcome::NotEnabled => Err(Error::MfaNotEnabled),
        MfaOutcome::SessionGone => Err(Error::Unauthorized),
        MfaOutcome::TooManyFactors => Err(Error::TooManyFactors),
        MfaOutcome::CeremonyGone => {
            Err(failure(state, meta, user_id, purpose, "replayed_assertion").await)
        }
        MfaOutcome::CounterRegressed => {
            Err(super::passkeys::cloned(state, meta, user_id, purpose).await)
        }
    }
}

/// Counts a failed code for `purpose` and returns the error to answer with: the normal
/// `invalid_code`, or 429 when the purpose was already locked.
async fn failure(
    state: &AppState,
    meta: &RequestMeta,
    user_id: &str,
    purpose: &'static str,
    reason: &'static str,
) -> Error {
    let kind = match purpose {
        LOGIN => "auth.mfa.challenge.failed",
        SETUP => "auth.mfa.setup.failed",
        _ => "auth.mfa.manage.failed",
    };
    let mut audit = vec![state.event(
        kind,
        Some(user_id),
        meta,
        json!({ "reason": reason, "purpose": purpose }),
    )];
    if reason == "replayed_code" {
        audit.push(state.event(
            "auth.mfa.replay_rejected",
            Some(user_id),
            meta,
            json!({ "purpose": purpose }),
        ));
    }
    match count_failure(
        state,
        meta,
        user_id,
        purpose,
        state.mfa_policy(),
        &audit,
        "auth.mfa.locked",
    )
    .await
    {
        Ok(()) => Error::InvalidCode,
        Err(e) => e,
    }
}
