//! Spending a second-factor proof: what a code proves, the one transaction that spends it
//! and applies its effect, and the audit of a code that did not verify (counted through
//! `attempts`).

use serde_json::json;
use zeroize::Zeroizing;

use super::attempts::{admit, admitted_failure, count_failure};
use super::enrollment::open_secret;
use super::error::{Error, Result};
use super::purpose::Purpose;
use super::spend::{spend, Effect, MfaProof, Refused};
use super::{AppState, RequestMeta};
use crate::domain::audit::AuditKind;
use crate::domain::codes::{self, MfaCode, RecoveryCode, TotpCode};
use crate::domain::totp::{self, TotpParams};
use crate::store::{AuditEvent, RecoveryCodeRecord, TotpRecord};

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
            AuditKind::MfaRecoveryCodeUsed,
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

/// Label of recovery-code lookup tags.
const RECOVERY_LOOKUP: &str = "recovery-lookup";

/// The lookup tag of a recovery code of `user_id`: 16 bits of a keyed hash, enough to
/// find the one stored code a typed code can be without revealing it.
fn recovery_tag(state: &AppState, user_id: &str, code: &str) -> i64 {
    let mac = state
        .keys
        .tokens
        .hash(RECOVERY_LOOKUP, &format!("{user_id}\n{code}"));
    i64::from(u16::from_be_bytes([mac[0], mac[1]]))
}

/// A fresh batch of recovery codes for `user_id`, shown once, and their records (peppered
/// Argon2id hashes, all in one job, and lookup tags distinct within the batch, so a code
/// typed matches at most one stored hash).
pub(super) async fn issue_recovery_codes(
    state: &AppState,
    user_id: &str,
) -> Result<(Vec<Zeroizing<String>>, Vec<RecoveryCodeRecord>)> {
    let (codes, tags) = loop {
        let codes = codes::generate_recovery_codes();
        let tags: Vec<i64> = codes
            .iter()
            .map(|c| recovery_tag(state, user_id, c))
            .collect();
        let distinct: std::collections::HashSet<_> = tags.iter().collect();
        if distinct.len() == tags.len() {
            break (codes, tags);
        }
    };
    let hashes = state.argon.hash_recovery_codes(codes.clone()).await?;
    let records = hashes
        .into_iter()
        .zip(tags)
        .map(|(code_hash, lookup)| RecoveryCodeRecord {
            id: uuid::Uuid::new_v4().to_string(),
            code_hash,
            lookup: Some(lookup),
        })
        .collect();
    Ok((codes, records))
}

/// Finds what `code` proves for the user for `purpose`: a step of one of the TOTP
/// `factors`, or one unused recovery code. `Ok(None)` is a wrong code not yet counted
/// (the caller counts it with [`require`]); a wrong recovery code that was hashed is
/// counted here and answered with its error.
pub(super) async fn mfa_proof(
    state: &AppState,
    meta: &RequestMeta,
    user_id: &str,
    purpose: Purpose,
    factors: &[TotpRecord],
    code: &MfaCode,
) -> Result<Option<MfaProof>> {
    match code {
        MfaCode::Totp(totp) => factor_proof(state, factors, totp).await,
        MfaCode::Recovery(recovery) => {
            recovery_proof(state, meta, user_id, purpose, recovery).await
        }
    }
}

/// A recovery code costs at most one Argon2 hash, and only when its lookup tag is one of
/// the user's unused codes' (else it cannot be a code: no hash, counted by the caller).
/// Before hashing, the attempt is admitted against the purpose's lock in one statement,
/// so parallel wrong codes beyond the budget are refused without hashing.
async fn recovery_proof(
    state: &AppState,
    meta: &RequestMeta,
    user_id: &str,
    purpose: Purpose,
    code: &RecoveryCode,
) -> Result<Option<MfaProof>> {
    let lookup = recovery_tag(state, user_id, code.as_str());
    let candidates = state.store.unused_recovery_codes(user_id, lookup).await?;
    if candidates.is_empty() {
        return Ok(None);
    }
    let ticket = state.argon.reserve()?;
    if let Err(locked) = admit(state, user_id, purpose).await {
        count_verification(purpose, "recovery", "locked");
        return Err(locked);
    }
    let hashes = candidates.iter().map(|c| c.code_hash.clone()).collect();
    match ticket.find_recovery_code(code.as_str(), hashes).await? {
        Some(i) => Ok(Some(MfaProof::RecoveryCode {
            id: candidates[i].id.clone(),
            remaining: candidates[i].unused.max(1) as usize - 1,
        })),
        None => {
            let audit = failure_events(state, meta, user_id, purpose, "wrong_code");
            admitted_failure(state, meta, user_id, purpose, &audit, AuditKind::MfaLocked).await?;
            count_verification(purpose, "recovery", "invalid");
            Err(Error::InvalidCode)
        }
    }
}

/// The proof, or a counted failure when the code did not verify.
pub(super) async fn require(
    state: &AppState,
    meta: &RequestMeta,
    user_id: &str,
    purpose: Purpose,
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
fn count_verification(purpose: Purpose, method: &'static str, outcome: &'static str) {
    metrics::counter!(
        "twofold_mfa_verifications_total",
        "purpose" => purpose.as_str(), "method" => method, "outcome" => outcome
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
    purpose: Purpose,
    proof: MfaProof,
    effect: Effect,
    audit: &[AuditEvent],
) -> Result<()> {
    let now = state.now();
    let method = method_of(&proof);
    let refused = match spend(
        &state.store,
        user_id,
        purpose.as_str(),
        now,
        proof,
        effect,
        audit,
    )
    .await?
    {
        Ok(()) => {
            count_verification(purpose, method, "ok");
            return Ok(());
        }
        Err(refused) => refused,
    };
    let label = match refused {
        Refused::Locked(_) => Some("locked"),
        Refused::Replayed => Some("replay"),
        Refused::CodeUsed => Some("invalid"),
        _ => None,
    };
    if let Some(label) = label {
        count_verification(purpose, method, label);
    }
    Err(match refused {
        Refused::Locked(retry_after) => Error::Locked { retry_after },
        Refused::Replayed => failure(state, meta, user_id, purpose, "replayed_code").await,
        Refused::CodeUsed => failure(state, meta, user_id, purpose, "used_recovery_code").await,
        Refused::CeremonyGone => failure(state, meta, user_id, purpose, "replayed_assertion").await,
        Refused::CounterRegressed => cloned(state, meta, user_id, purpose).await,
        Refused::Because(error) => error,
    })
}

/// The audit events of a code of `purpose` that did not verify, for `reason`.
fn failure_events(
    state: &AppState,
    meta: &RequestMeta,
    user_id: &str,
    purpose: Purpose,
    reason: &'static str,
) -> Vec<AuditEvent> {
    let mut audit = vec![state.event(
        purpose.failure_event(),
        Some(user_id),
        meta,
        json!({ "reason": reason, "purpose": purpose }),
    )];
    if reason == "replayed_code" {
        audit.push(state.event(
            AuditKind::MfaReplayRejected,
            Some(user_id),
            meta,
            json!({ "purpose": purpose }),
        ));
    }
    audit
}

/// Counts a failed code for `purpose` and returns the error to answer with: the normal
/// `invalid_code`, or 429 when the purpose was already locked.
async fn failure(
    state: &AppState,
    meta: &RequestMeta,
    user_id: &str,
    purpose: Purpose,
    reason: &'static str,
) -> Error {
    let audit = failure_events(state, meta, user_id, purpose, reason);
    match count_failure(
        state,
        meta,
        user_id,
        purpose,
        state.mfa_policy(),
        &audit,
        AuditKind::MfaLocked,
    )
    .await
    {
        Ok(()) => Error::InvalidCode,
        Err(e) => e,
    }
}

/// Audits a counter that went back (`auth.mfa.passkey.cloned_suspected`) and counts the
/// failure for `purpose`; the error to answer with.
pub(super) async fn cloned(
    state: &AppState,
    meta: &RequestMeta,
    user_id: &str,
    purpose: Purpose,
) -> Error {
    let event = state.event(
        AuditKind::MfaPasskeyClonedSuspected,
        Some(user_id),
        meta,
        json!({ "purpose": purpose }),
    );
    if let Err(e) = state.store.append_audit(&event).await {
        tracing::error!(error = %e, "could not audit a suspected passkey clone");
    }
    match require(state, meta, user_id, purpose, None, "passkey").await {
        Err(e) => e,
        Ok(_) => Error::InvalidCode,
    }
}
