//! Passkeys (FACTORS.md) with webauthn-rs: registration, the second factor of a password
//! login, passwordless login with discoverable credentials, and step-up. The library
//! checks attestations, origins, RP ids, signatures and counters; its ceremony state is
//! kept in the database (any instance can finish a ceremony another started), is single
//! use, expires after [`CEREMONY_TTL`] seconds, and is spent in the transaction that
//! accepts the answer, together with the counter moving forward.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use webauthn_rs_core::proto::{
    AttestationConveyancePreference, COSEAlgorithm, RegisterPublicKeyCredential, RegistrationState,
    ResidentKeyRequirement, UserVerificationPolicy,
};

use super::enrollment::added_event;
use super::error::{Error, Result};
use super::factors::Factor;
use super::proof::issue_recovery_codes;
use super::{AppState, RequestMeta};
use crate::crypto::jwt::Claims;
use crate::crypto::token::TokenHasher;
use crate::domain::audit::AuditKind;
use crate::store::{
    audit, ceremonies, factors, users, AuditEvent, NewPasskey, OtherSessions, RecoveryCodeRecord,
    Store,
};
use zeroize::Zeroizing;

use super::ceremonies::*;
pub use super::ceremonies::{relying_party, Ceremony, CEREMONY_TTL};
pub(super) use super::passkey_assertions::step_up_proof;
pub use super::passkey_assertions::{
    login, mfa_options, passwordless_options, step_up_options, verify_login,
};

/// What a registration adds: the factor, and the recovery codes when it turned MFA on.
pub struct Registered {
    pub factor: Factor,
    pub recovery_codes: Option<Vec<Zeroizing<String>>>,
}

/// Starts registering a passkey for the caller (after a recent proof: step-up).
#[tracing::instrument(skip_all, fields(user_id = %caller.sub))]
pub async fn register_start(
    state: &AppState,
    caller: &Claims,
    name: Option<String>,
) -> Result<Ceremony> {
    let user_id = caller.sub.as_str();
    let user = state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or(Error::Unauthorized)?;
    // A first passkey starts MFA enrollment: like `/mfa/setup`, it needs a recent proof
    // (FACTORS.md's step-up rule; its table names only the case with MFA on), so a stale
    // password-only token cannot enroll a thief's authenticator.
    super::recent::require_recent(state, caller).await?;
    let factors = state.store.factors(user_id).await?;
    if factors.len() as i64 >= state.settings.max_factors {
        return Err(Error::TooManyFactors);
    }
    let exclude = factors
        .iter()
        .filter(|f| f.kind == "passkey")
        .map(|f| stored_credential(f).map(|c| c.cred_id))
        .collect::<Result<Vec<_>>>()?;
    let handle = uuid::Uuid::parse_str(&user.id)
        .map(|u| u.as_bytes().to_vec())
        .unwrap_or_else(|_| user.id.as_bytes().to_vec());
    let builder = state
        .webauthn
        .new_challenge_register_builder(&handle, &user.email, &user.email)
        .map_err(internal)?
        .attestation(AttestationConveyancePreference::None)
        .credential_algorithms(COSEAlgorithm::secure_algs())
        .require_resident_key(false)
        .user_verification_policy(UserVerificationPolicy::Preferred)
        .exclude_credentials(Some(exclude));
    let (mut options, registration) = state
        .webauthn
        .generate_challenge_register(builder)
        .map_err(internal)?;
    // Discoverable credentials are asked for but not required (they make passwordless
    // login possible; an authenticator without them is still a second factor).
    if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
        selection.resident_key = Some(ResidentKeyRequirement::Preferred);
        selection.require_resident_key = false;
    }
    let token = TokenHasher::generate();
    let hash = ceremony_hash(state, &token);
    store_ceremony(state, &hash, Some(user_id), REGISTER, name, &registration).await?;
    Ok(Ceremony {
        token,
        public_key: options_json(&options.public_key)?,
    })
}

/// Finishes a registration: the attestation is verified and the passkey stored (named
/// `name`, else as the start named it). The user's first factor turns MFA on and comes
/// with 10 recovery codes.
#[tracing::instrument(skip_all, fields(user_id = %caller.sub))]
pub async fn register_finish(
    state: &AppState,
    meta: &RequestMeta,
    caller: &Claims,
    registration_id: &str,
    credential: &Value,
    name: Option<String>,
) -> Result<Registered> {
    let user_id = caller.sub.as_str();
    let hash = ceremony_hash(state, registration_id);
    let ceremony = live_ceremony(state, &hash, REGISTER, Some(user_id))
        .await?
        .ok_or(Error::InvalidCredential)?;
    let registration: RegistrationState =
        serde_json::from_str(&ceremony.state).map_err(internal)?;
    let response: RegisterPublicKeyCredential =
        serde_json::from_value(credential.clone()).map_err(|_| Error::InvalidCredential)?;
    let verified = state
        .webauthn
        .register_credential(&response, &registration, None)
        .map_err(|e| {
            tracing::info!(error = %e, "passkey registration refused");
            Error::InvalidCredential
        })?;
    let user = state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or(Error::Unauthorized)?;
    let first = user.mfa_enabled_at.is_none();
    // Before the costly part (a first factor hashes ten recovery codes): one request
    // claims the ceremony, and a credential already registered is refused.
    let credential_id = URL_SAFE_NO_PAD.encode(verified.cred_id.as_ref());
    if state
        .store
        .passkey_by_credential(&credential_id)
        .await?
        .is_some()
        || !state
            .store
            .claim_registration(&hash, user_id, state.now())
            .await?
    {
        return Err(Error::InvalidCredential);
    }
    let (recovery_codes, recovery) = if first {
        let (codes, records) = issue_recovery_codes(state, user_id).await?;
        (Some(codes), records)
    } else {
        (None, Vec::new())
    };
    let now = state.now();
    let passkey = NewPasskey {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: user_id.to_owned(),
        name: name.or(ceremony.name.clone()),
        created_at: now,
        credential_id,
        credential: serde_json::to_string(&verified).map_err(internal)?,
        sign_count: verified.counter as i64,
    };
    let audit = [added_event(state, meta, user_id, &passkey.id, "passkey")];
    let enabled = [state.event(
        AuditKind::MfaEnabled,
        Some(user_id),
        meta,
        json!({ "factorId": passkey.id, "type": "passkey" }),
    )];
    let others = super::sessions::others(state, meta, user_id, &caller.sid, "mfa_enabled");
    let max = state.settings.max_factors;
    let unit = Addition {
        hash,
        passkey: passkey.clone(),
        recovery,
        others,
        now,
        max,
    };
    let first = add(&state.store, unit, &audit, &enabled).await??;
    Ok(Registered {
        factor: Factor {
            id: passkey.id,
            kind: "passkey".into(),
            name: passkey.name,
            created_at: now,
            last_used_at: None,
        },
        recovery_codes: if first { recovery_codes } else { None },
    })
}

/// What adding a passkey writes.
struct Addition {
    hash: Vec<u8>,
    passkey: NewPasskey,
    recovery: Vec<RecoveryCodeRecord>,
    others: OtherSessions,
    now: i64,
    max: i64,
}

/// In one transaction: spends the claimed registration ceremony and adds the passkey (at
/// most `max` factors); for the user's first factor MFA turns on with its recovery codes.
/// Writes `audit`, and `first_audit` too when MFA turned on. Whether it was the first.
async fn add(
    store: &Store,
    unit: Addition,
    audit: &[AuditEvent],
    first_audit: &[AuditEvent],
) -> crate::store::StoreResult<Result<bool>> {
    let (audit, first_audit) = (audit.to_vec(), first_audit.to_vec());
    store
        .write(Vec::new(), move |conn| {
            Box::pin(async move {
                let Addition {
                    hash,
                    passkey: p,
                    recovery,
                    others,
                    now,
                    max,
                } = unit;
                users::lock_user(conn, &p.user_id).await?;
                if !ceremonies::take_claimed_registration(conn, &hash, now, &p.user_id).await? {
                    return Ok((false, Err(Error::InvalidCredential)));
                }
                let count = factors::count_factors(conn, &p.user_id).await?;
                if count >= max {
                    return Ok((false, Err(Error::TooManyFactors)));
                }
                if !factors::insert_passkey(conn, &p).await? {
                    return Ok((false, Err(Error::InvalidCredential)));
                }
                let first = count == 0;
                if first {
                    factors::mfa_on(conn, &p.user_id, &recovery, &others, now).await?;
                    audit::insert_audits(conn, &first_audit).await?;
                }
                audit::insert_audits(conn, &audit).await?;
                Ok((true, Ok(first)))
            })
        })
        .await
}
