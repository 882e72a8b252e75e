//! TOTP enrollment (setup, confirm), the MFA step of login, recovery codes, disabling, and
//! the per-user, per-purpose lockout of wrong codes. Every success is one store transaction
//! ([`spend`](super::spend::spend)) that spends the proof.

use serde_json::json;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::attempts::ensure_open;
pub use super::enrollment::Setup;
use super::enrollment::{added_event, open_secret, pending_record, present, store_pending};
use super::error::{Error, Result};
use super::proof::{finish, issue_recovery_codes, mfa_proof, recovery_audit, require, totp_proof};
use super::sessions::{self, AuthTokens, NewLogin};
use super::spend::{Effect, MfaProof};
use super::{AppState, RequestMeta};
use crate::crypto::jwt::Claims;
use crate::crypto::token::TokenHasher;
use crate::domain::audit::AuditKind;
use crate::domain::codes::{self, MfaCode, TotpCode};
use crate::domain::lockout::seconds_left;
use crate::store::{ChallengeRecord, Enrollment, Refund, TotpRecord};

pub use super::purpose::{LOGIN, MANAGE, SETUP};
/// Label of challenge-token hashes.
const CHALLENGE: &str = "challenge";

/// What `status` returns.
#[derive(Debug, Clone)]
pub struct Status {
    pub enabled: bool,
    pub device_name: Option<String>,
    pub enabled_at: Option<i64>,
    pub recovery_codes_remaining: usize,
    pub pending_setup: bool,
    /// How many factors of each type.
    pub totp_factors: usize,
    pub passkey_factors: usize,
}

/// Starts (or restarts) enrollment: a new pending secret, kept `mfa_setup_ttl` seconds.
/// Needs a recent proof (step-up): a stolen password-only token must not enroll a
/// thief's authenticator.
#[tracing::instrument(skip_all, fields(user_id = %caller.sub))]
pub async fn setup(
    state: &AppState,
    meta: &RequestMeta,
    caller: &Claims,
    device_name: Option<String>,
) -> Result<Setup> {
    let user_id = caller.sub.as_str();
    let user = state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or(Error::Unauthorized)?;
    if user.mfa_enabled_at.is_some() {
        return Err(Error::MfaAlreadyEnabled);
    }
    super::recent::require_recent(state, caller).await?;
    let secret = codes::generate_secret();
    let audit = state.event(AuditKind::MfaSetupStarted, Some(&user.id), meta, json!({}));
    let pending = pending_record(state, &user.id, &secret, device_name).await?;
    if !store_pending(state, pending, &secret, Enrollment::First, &audit).await? {
        // MFA was enabled meanwhile (the store decides, in the same statement).
        return Err(Error::MfaAlreadyEnabled);
    }
    present(state, &user.email, &secret, state.settings.mfa_setup_ttl)
}

/// The enrollment the hosted page shows: the pending one while it lasts (reloading the
/// page keeps the QR code already scanned), else a new one as [`setup`] makes it.
#[tracing::instrument(skip_all, fields(user_id = %caller.sub))]
pub async fn resume_or_setup(
    state: &AppState,
    meta: &RequestMeta,
    caller: &Claims,
) -> Result<Setup> {
    let user_id = caller.sub.as_str();
    let now = state.now();
    let user = state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or(Error::Unauthorized)?;
    if user.mfa_enabled_at.is_some() {
        return Err(Error::MfaAlreadyEnabled);
    }
    super::recent::require_recent(state, caller).await?;
    match state.store.pending_totp(user_id).await? {
        Some(pending) if pending.expires_at > now => {
            let secret = open_secret(state, &pending).await?;
            present(state, &user.email, &secret, pending.expires_at - now)
        }
        _ => setup(state, meta, caller, None).await,
    }
}

/// Confirms enrollment with a first code: enables MFA, revokes the caller's other
/// sessions and returns 10 recovery codes. `code` is `None` for a code that a surface
/// accepts as well formed but that cannot be a TOTP code (IdentSphere's 7 or 8
/// characters): it is a wrong code, counted like one.
#[tracing::instrument(skip_all, fields(user_id = %caller.sub))]
pub async fn confirm(
    state: &AppState,
    meta: &RequestMeta,
    caller: &Claims,
    code: Option<TotpCode>,
    secret: Option<&str>,
    device_name: Option<String>,
) -> Result<Vec<Zeroizing<String>>> {
    let user_id = caller.sub.as_str();
    let user = state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or(Error::Unauthorized)?;
    if user.mfa_enabled_at.is_some() {
        return Err(Error::MfaAlreadyEnabled);
    }
    let now = state.now();
    let pending = state
        .store
        .pending_totp(user_id)
        .await?
        .filter(|p| p.expires_at > now)
        .ok_or(Error::NoPendingSetup)?;
    let pending_secret = open_secret(state, &pending).await?;
    if let Some(given) = secret {
        let matches = codes::secret_from_base32(given)
            .is_some_and(|g| bool::from(g.as_slice().ct_eq(pending_secret.as_slice())));
        if !matches {
            return Err(Error::SecretMismatch);
        }
    }
    ensure_open(state, user_id, SETUP).await?;
    let proof = code.and_then(|code| totp_proof(&pending_secret, &code, now));
    let proof = require(state, meta, user_id, SETUP, proof, "totp").await?;
    let (recovery_codes, recovery) = issue_recovery_codes(state, user_id).await?;
    let device_name = device_name.or(pending.device_name.clone());
    // Every factor added is audited (and sent) as such; the first also turns MFA on.
    let audit = [
        state.event(
            AuditKind::MfaEnabled,
            Some(user_id),
            meta,
            json!({ "deviceName": device_name, "factorId": pending.factor_id, "type": "totp" }),
        ),
        added_event(state, meta, user_id, &pending.factor_id, "totp"),
    ];
    let effect = Effect::Enable {
        credential: TotpRecord {
            device_name,
            created_at: now,
            expires_at: i64::MAX,
            ..pending
        },
        recovery,
        others: sessions::others(state, meta, user_id, &caller.sid, "mfa_enabled"),
    };
    finish(state, meta, user_id, SETUP, proof, effect, &audit).await?;
    tracing::info!("MFA enabled");
    Ok(recovery_codes)
}

/// The user's MFA state.
pub async fn status(state: &AppState, user_id: &str) -> Result<Status> {
    let s = state.store.mfa_status(user_id).await?;
    Ok(Status {
        enabled: s.enabled_at.is_some(),
        device_name: s.device_name,
        enabled_at: s.enabled_at,
        recovery_codes_remaining: s.recovery_codes_remaining.max(0) as usize,
        pending_setup: s.pending_expires_at.is_some_and(|e| e > state.now()),
        totp_factors: s.totp_factors.max(0) as usize,
        passkey_factors: s.passkey_factors.max(0) as usize,
    })
}

/// Replaces the batch of recovery codes (needs a current TOTP code) and revokes the
/// caller's other sessions.
#[tracing::instrument(skip_all, fields(user_id = %caller.sub))]
pub async fn regenerate(
    state: &AppState,
    meta: &RequestMeta,
    caller: &Claims,
    code: TotpCode,
) -> Result<Vec<Zeroizing<String>>> {
    let user_id = caller.sub.as_str();
    let proof = manage_proof(state, meta, user_id, &MfaCode::Totp(code)).await?;
    let (recovery_codes, recovery) = issue_recovery_codes(state, user_id).await?;
    let audit = [state.event(
        AuditKind::MfaRecoveryCodesRegenerated,
        Some(user_id),
        meta,
        json!({}),
    )];
    finish(
        state,
        meta,
        user_id,
        MANAGE,
        proof,
        Effect::Regenerate {
            recovery,
            others: sessions::others(
                state,
                meta,
                user_id,
                &caller.sid,
                "recovery_codes_regenerated",
            ),
        },
        &audit,
    )
    .await?;
    Ok(recovery_codes)
}

/// Turns MFA off (TOTP or recovery code): removes the secret, the codes, any pending
/// setup and every open challenge, and revokes the caller's other sessions.
#[tracing::instrument(skip_all, fields(user_id = %caller.sub))]
pub async fn disable(
    state: &AppState,
    meta: &RequestMeta,
    caller: &Claims,
    code: MfaCode,
) -> Result<()> {
    let user_id = caller.sub.as_str();
    let proof = manage_proof(state, meta, user_id, &code).await?;
    let mut audit = recovery_audit(state, meta, user_id, &proof);
    audit.push(state.event(AuditKind::MfaDisabled, Some(user_id), meta, json!({})));
    finish(
        state,
        meta,
        user_id,
        MANAGE,
        proof,
        Effect::Disable {
            others: sessions::others(state, meta, user_id, &caller.sid, "mfa_disabled"),
        },
        &audit,
    )
    .await?;
    tracing::info!("MFA disabled");
    Ok(())
}

/// What `code` proves for regenerate and disable (the `manage` purpose), or the error.
async fn manage_proof(
    state: &AppState,
    meta: &RequestMeta,
    user_id: &str,
    code: &MfaCode,
) -> Result<MfaProof> {
    let user = state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or(Error::Unauthorized)?;
    if user.mfa_enabled_at.is_none() {
        return Err(Error::MfaNotEnabled);
    }
    let factors = state.store.totp_factors(user_id).await?;
    ensure_open(state, user_id, MANAGE).await?;
    let proof = mfa_proof(state, meta, user_id, MANAGE, &factors, code).await?;
    require(state, meta, user_id, MANAGE, proof, code.method()).await
}

/// After a correct password for a user with MFA: a single-use challenge token (the
/// password's budget is given back in the same transaction).
pub(super) async fn start_challenge(
    state: &AppState,
    meta: &RequestMeta,
    user_id: &str,
    refund: Refund,
    new_browser: bool,
) -> Result<(String, i64)> {
    let token = TokenHasher::generate();
    let now = state.now();
    let ttl = state.settings.mfa_challenge_ttl;
    let audit = state.event(AuditKind::LoginMfaRequired, Some(user_id), meta, json!({}));
    state
        .store
        .create_challenge(
            &state.keys.tokens.hash(CHALLENGE, &token),
            user_id,
            LOGIN.as_str(),
            now,
            now + ttl,
            Some(&refund),
            new_browser,
            &audit,
        )
        .await?;
    Ok((token, ttl))
}

/// The second step of login: answers a challenge with a TOTP or a recovery code.
#[tracing::instrument(skip_all)]
pub async fn verify_login(
    state: &AppState,
    meta: &RequestMeta,
    challenge_token: &str,
    code: MfaCode,
    remember_device: bool,
) -> Result<AuthTokens> {
    let (challenge_hash, challenge) = open_challenge(state, challenge_token).await?;
    let user_id = challenge.user_id.clone();
    let proof = mfa_proof(state, meta, &user_id, LOGIN, &challenge.totp, &code).await?;
    let proof = require(state, meta, &user_id, LOGIN, proof, code.method()).await?;
    // A recovery code was counted against the lock before hashing: the success resets it.
    let mut challenge = challenge;
    if matches!(code, MfaCode::Recovery(_)) {
        challenge.counter_dirty = Some(1);
    }
    let amr: &[&str] = match code {
        MfaCode::Totp(_) => &["pwd", "otp", "mfa"],
        MfaCode::Recovery(_) => &["pwd", "rcv", "mfa"],
    };
    complete_login(
        state,
        meta,
        challenge_hash,
        &challenge,
        proof,
        amr,
        remember_device,
    )
    .await
}

/// The open (unconsumed, unexpired, unlocked) challenge of `token`, with its hash; a
/// challenge of a user whose MFA was turned off after the password step is invalid.
pub(super) async fn open_challenge(
    state: &AppState,
    token: &str,
) -> Result<(Vec<u8>, ChallengeRecord)> {
    let now = state.now();
    let challenge_hash = state.keys.tokens.hash(CHALLENGE, token);
    let challenge = state
        .store
        .challenge(&challenge_hash)
        .await?
        .filter(|c| c.consumed_at.is_none() && c.expires_at > now && c.factor_count > 0)
        .ok_or(Error::InvalidChallenge)?;
    if let Some(retry_after) = challenge
        .locked_until
        .and_then(|until| seconds_left(until, now))
    {
        return Err(Error::Locked { retry_after });
    }
    Ok((challenge_hash, challenge))
}

/// Spends `proof` for the challenge and starts the session (amr `amr`), in one transaction.
pub(super) async fn complete_login(
    state: &AppState,
    meta: &RequestMeta,
    challenge_hash: Vec<u8>,
    challenge: &ChallengeRecord,
    proof: MfaProof,
    amr: &[&str],
    remember_device: bool,
) -> Result<AuthTokens> {
    let user_id = challenge.user_id.clone();
    let reset_counter = challenge.counter_dirty.unwrap_or(0) != 0;
    let roles = challenge.roles.clone().unwrap_or_default();
    let mut login = NewLogin::new(state, meta, &user_id, &roles, amr);
    login.session.email_verified = challenge.email_verified_at.is_some();
    if remember_device {
        login.device.trust = sessions::new_trust(state);
    }
    let mut audit = recovery_audit(state, meta, &user_id, &proof);
    let factor_id = match &proof {
        MfaProof::TotpStep { factor, .. } => factor.clone(),
        MfaProof::Passkey(p) => Some(p.factor_id.clone()),
        MfaProof::RecoveryCode { .. } => None,
    };
    audit.push(state.event(
        AuditKind::MfaChallengeSucceeded,
        Some(&user_id),
        meta,
        json!({ "amr": amr, "rememberDevice": login.device.trust.is_some(), "factorId": factor_id }),
    ));
    audit.push(state.event(
        AuditKind::LoginSucceeded,
        Some(&user_id),
        meta,
        json!({ "amr": amr, "sessionId": login.session.id, "newBrowser": challenge.new_browser }),
    ));
    let effect = login.effect(Some(challenge_hash), reset_counter);
    finish(state, meta, &user_id, LOGIN, proof, effect, &audit).await?;
    login.tokens(state)
}
