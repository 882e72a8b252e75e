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
    AttestationConveyancePreference, AuthenticationState, COSEAlgorithm, Credential,
    PublicKeyCredential, RegisterPublicKeyCredential, RegistrationState, ResidentKeyRequirement,
    UserVerificationPolicy,
};
use webauthn_rs_core::WebauthnCore;
use zeroize::Zeroizing;

use super::enrollment::added_event;
use super::error::{Error, Result};
use super::factors::Factor;
use super::mfa::{complete_login, open_challenge};
use super::proof::{cloned, issue_recovery_codes, require};
use super::purpose::{Purpose, LOGIN};
use super::sessions::{AuthTokens, NewLogin};
use super::{AppState, RequestMeta};
use crate::config::Settings;
use crate::crypto::jwt::Claims;
use crate::crypto::token::TokenHasher;
use crate::domain::audit::AuditKind;
use crate::store::{
    CeremonyRecord, FactorRecord, MfaOutcome, MfaProof, NewPasskey, PasskeyAdded, PasskeyUse,
};

/// Seconds a ceremony (its challenge) lasts.
pub const CEREMONY_TTL: i64 = 300;
/// Label of ceremony-token hashes.
const CEREMONY: &str = "webauthn";
/// Ceremony purposes.
const REGISTER: &str = "register";
const MFA: &str = "mfa";
const STEP_UP: &str = "step_up";
const PASSWORDLESS: &str = "passwordless";
/// The failure counter of passwordless logins (never locks: nothing there can be guessed).
const PASSKEY: Purpose = Purpose::Passkey;

/// The relying party of `settings`: its id is the host of `public_url` (or
/// `webauthn_rp_id`, which must be that host or a parent domain of it), its name the issuer.
pub fn relying_party(settings: &Settings) -> anyhow::Result<WebauthnCore> {
    let public_url = settings.effective_public_url(None);
    let origin = url::Url::parse(&public_url)
        .map_err(|e| anyhow::anyhow!("public_url {public_url:?} is not a URL: {e}"))?;
    anyhow::ensure!(
        matches!(origin.scheme(), "https" | "http") && origin.path() == "/",
        "public_url must be an origin such as https://auth.example.com"
    );
    let host = origin
        .host_str()
        .ok_or_else(|| anyhow::anyhow!("public_url has no host"))?
        .to_owned();
    let rp_id = match settings.webauthn_rp_id.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() => {
            anyhow::ensure!(
                host == id || host.ends_with(&format!(".{id}")),
                "webauthn_rp_id {id:?} must be the host of public_url ({host}) or a parent domain of it"
            );
            id.to_owned()
        }
        _ => host,
    };
    Ok(WebauthnCore::new_unsafe_experts_only(
        &settings.issuer,
        &rp_id,
        vec![origin],
        std::time::Duration::from_secs(CEREMONY_TTL as u64),
        Some(false),
        Some(false),
    ))
}

/// Options for the browser (`publicKey`) and the token naming the ceremony.
pub struct Ceremony {
    pub token: String,
    pub public_key: Value,
}

/// What a registration adds: the factor, and the recovery codes when it turned MFA on.
pub struct Registered {
    pub factor: Factor,
    pub recovery_codes: Option<Vec<Zeroizing<String>>>,
}

/// The JSON form of options for browsers: without `null` members, which
/// `PublicKeyCredential.parse*OptionsFromJSON` refuses (absent is what they mean).
fn options_json(options: &impl serde::Serialize) -> Result<Value> {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.retain(|_, v| !v.is_null());
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(options).map_err(internal)?;
    strip(&mut value);
    Ok(value)
}

fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal(anyhow::anyhow!("webauthn: {e}"))
}

fn ceremony_hash(state: &AppState, token: &str) -> Vec<u8> {
    state.keys.tokens.hash(CEREMONY, token)
}

async fn store_ceremony(
    state: &AppState,
    hash: &[u8],
    user_id: Option<&str>,
    purpose: &str,
    name: Option<String>,
    ceremony_state: &impl serde::Serialize,
) -> Result<()> {
    let now = state.now();
    let record = CeremonyRecord {
        user_id: user_id.map(str::to_owned),
        purpose: purpose.to_owned(),
        name,
        state: serde_json::to_string(ceremony_state).map_err(internal)?,
        expires_at: now + CEREMONY_TTL,
    };
    Ok(state.store.put_ceremony(hash, &record, now).await?)
}

/// The live ceremony `hash` of `purpose` (and of `user_id`, when given).
async fn live_ceremony(
    state: &AppState,
    hash: &[u8],
    purpose: &str,
    user_id: Option<&str>,
) -> Result<Option<CeremonyRecord>> {
    let now = state.now();
    Ok(state.store.ceremony(hash).await?.filter(|c| {
        c.purpose == purpose
            && c.expires_at > now
            && user_id.is_none_or(|u| c.user_id.as_deref() == Some(u))
    }))
}

fn stored_credential(factor: &FactorRecord) -> Result<Credential> {
    let json = factor.credential.as_deref().ok_or(Error::NotFound)?;
    let mut credential: Credential = serde_json::from_str(json).map_err(internal)?;
    // The database's counter is the one that counts (another instance may have moved it).
    credential.counter = factor.sign_count.clamp(0, u32::MAX as i64) as u32;
    Ok(credential)
}

async fn passkeys_of(state: &AppState, user_id: &str) -> Result<Vec<FactorRecord>> {
    Ok(state
        .store
        .factors(user_id)
        .await?
        .into_iter()
        .filter(|f| f.kind == "passkey")
        .collect())
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
    let added = state
        .store
        .add_passkey(
            &hash,
            &passkey,
            state.settings.max_factors,
            &recovery,
            now,
            &audit,
            &enabled,
            &super::sessions::others(state, meta, user_id, &caller.sid, "mfa_enabled"),
        )
        .await?;
    match added {
        PasskeyAdded::Added { first } => Ok(Registered {
            factor: Factor {
                id: passkey.id,
                kind: "passkey".into(),
                name: passkey.name,
                created_at: now,
                last_used_at: None,
            },
            recovery_codes: if first { recovery_codes } else { None },
        }),
        PasskeyAdded::CeremonyGone | PasskeyAdded::Duplicate => Err(Error::InvalidCredential),
        PasskeyAdded::TooManyFactors => Err(Error::TooManyFactors),
    }
}

/// Request options for the passkeys of `user_id` (second factor, step-up).
async fn options_for_user(
    state: &AppState,
    user_id: &str,
    hash: &[u8],
    purpose: &str,
) -> Result<Value> {
    let credentials = passkeys_of(state, user_id)
        .await?
        .iter()
        .map(stored_credential)
        .collect::<Result<Vec<_>>>()?;
    if credentials.is_empty() {
        return Err(Error::InvalidInput {
            field: "passkey",
            message: "this account has no passkey".into(),
        });
    }
    let builder = state
        .webauthn
        .new_challenge_authenticate_builder(credentials, Some(UserVerificationPolicy::Preferred))
        .map_err(internal)?;
    let (options, auth) = state
        .webauthn
        .generate_challenge_authenticate(builder)
        .map_err(internal)?;
    store_ceremony(state, hash, Some(user_id), purpose, None, &auth).await?;
    options_json(&options.public_key)
}

/// `POST /auth/verify-mfa/passkey/options`: request options for the challenge's user.
pub async fn mfa_options(state: &AppState, challenge_token: &str) -> Result<Value> {
    let (_, challenge) = open_challenge(state, challenge_token).await?;
    let hash = ceremony_hash(state, challenge_token);
    options_for_user(state, &challenge.user_id, &hash, MFA).await
}

/// `POST /auth/step-up/passkey/options`: request options for the caller's passkeys,
/// bound to the caller's session.
pub async fn step_up_options(state: &AppState, caller: &Claims) -> Result<Value> {
    let hash = ceremony_hash(state, &format!("step-up:{}", caller.sid));
    options_for_user(state, &caller.sub, &hash, STEP_UP).await
}

/// `POST /auth/passkey/options`: a passwordless ceremony (discoverable credentials, user
/// verification required).
pub async fn passwordless_options(state: &AppState) -> Result<Ceremony> {
    let builder = state
        .webauthn
        .new_challenge_authenticate_builder(Vec::new(), Some(UserVerificationPolicy::Required))
        .map_err(internal)?;
    let (options, auth) = state
        .webauthn
        .generate_challenge_authenticate(builder)
        .map_err(internal)?;
    let token = TokenHasher::generate();
    store_ceremony(
        state,
        &ceremony_hash(state, &token),
        None,
        PASSWORDLESS,
        None,
        &auth,
    )
    .await?;
    Ok(Ceremony {
        token,
        public_key: options_json(&options.public_key)?,
    })
}

/// Why an assertion was refused.
enum Refused {
    /// Not an assertion at all (400).
    Malformed,
    /// Spent or expired ceremony, unknown credential, bad signature, origin, RP id...
    Invalid(&'static str),
    /// The counter went back: a cloned authenticator (of this user).
    Cloned(String),
    Failed(Error),
}

impl From<Error> for Refused {
    fn from(e: Error) -> Self {
        Self::Failed(e)
    }
}

/// A verified assertion, not spent yet.
struct Accepted {
    user_id: String,
    used: PasskeyUse,
    /// The authenticator verified the person (PIN, biometrics).
    user_verified: bool,
}

/// Verifies `passkey` against the ceremony `hash` of `purpose` (of `user_id` when known).
async fn verify(
    state: &AppState,
    hash: Vec<u8>,
    purpose: &'static str,
    user_id: Option<&str>,
    passkey: &Value,
) -> std::result::Result<Accepted, Refused> {
    let response: PublicKeyCredential =
        serde_json::from_value(passkey.clone()).map_err(|_| Refused::Malformed)?;
    let ceremony = live_ceremony(state, &hash, purpose, user_id)
        .await?
        .ok_or(Refused::Invalid("ceremony_gone"))?;
    let credential_id = URL_SAFE_NO_PAD.encode(response.raw_id.as_ref());
    let factor = state
        .store
        .passkey_by_credential(&credential_id)
        .await
        .map_err(Error::from)?
        .filter(|f| user_id.is_none_or(|u| f.user_id == u))
        .ok_or(Refused::Invalid("unknown_credential"))?;
    if let Some(handle) = response.get_user_unique_id() {
        let owner = uuid::Uuid::parse_str(&factor.user_id)
            .map(|u| u.as_bytes().to_vec())
            .unwrap_or_else(|_| factor.user_id.as_bytes().to_vec());
        if handle != owner.as_slice() {
            return Err(Refused::Invalid("user_handle_mismatch"));
        }
    }
    let mut credential = stored_credential(&factor)?;
    let mut auth: AuthenticationState = serde_json::from_str(&ceremony.state).map_err(internal)?;
    auth.set_allowed_credentials(vec![credential.clone()]);
    let result = match state.webauthn.authenticate_credential(&response, &auth) {
        Ok(result) => result,
        Err(webauthn_rs_core::error::WebauthnError::CredentialPossibleCompromise) => {
            tracing::warn!(factor_id = factor.id, "passkey counter went back");
            return Err(Refused::Cloned(factor.user_id));
        }
        Err(e) => {
            tracing::info!(error = %e, "passkey assertion refused");
            return Err(Refused::Invalid("assertion_invalid"));
        }
    };
    credential.counter = result.counter();
    credential.backup_state = result.backup_state();
    credential.backup_eligible |= result.backup_eligible();
    Ok(Accepted {
        user_id: factor.user_id,
        user_verified: result.user_verified(),
        used: PasskeyUse {
            ceremony_hash: hash,
            purpose,
            factor_id: factor.id,
            sign_count: result.counter() as i64,
            credential: serde_json::to_string(&credential).map_err(internal)?,
        },
    })
}

/// The refusal of an assertion for a known user, counted for `purpose` like a wrong code.
async fn refuse(
    state: &AppState,
    meta: &RequestMeta,
    user_id: &str,
    purpose: Purpose,
    refused: Refused,
) -> Error {
    match refused {
        Refused::Malformed => Error::InvalidInput {
            field: "passkey",
            message: "not a WebAuthn assertion (AuthenticationResponseJSON)".into(),
        },
        Refused::Failed(e) => e,
        Refused::Cloned(_) => cloned(state, meta, user_id, purpose).await,
        Refused::Invalid(reason) => {
            tracing::info!(reason, "passkey assertion refused");
            match require(state, meta, user_id, purpose, None, "passkey").await {
                Err(e) => e,
                Ok(_) => Error::InvalidCode,
            }
        }
    }
}

/// `verify-mfa` with a passkey: the second factor of a password login.
#[tracing::instrument(skip_all)]
pub async fn verify_login(
    state: &AppState,
    meta: &RequestMeta,
    challenge_token: &str,
    passkey: &Value,
    remember_device: bool,
) -> Result<AuthTokens> {
    let (challenge_hash, challenge) = open_challenge(state, challenge_token).await?;
    let user_id = challenge.user_id.clone();
    let hash = ceremony_hash(state, challenge_token);
    let accepted = match verify(state, hash, MFA, Some(&user_id), passkey).await {
        Ok(accepted) => accepted,
        Err(refused) => return Err(refuse(state, meta, &user_id, LOGIN, refused).await),
    };
    complete_login(
        state,
        meta,
        challenge_hash,
        &challenge,
        MfaProof::Passkey(accepted.used),
        &["pwd", "hwk", "mfa"],
        remember_device,
    )
    .await
}

/// A step-up proved by a passkey: the assertion, verified and not spent yet, and the `amr`.
pub(super) async fn step_up_proof(
    state: &AppState,
    meta: &RequestMeta,
    caller: &Claims,
    purpose: Purpose,
    passkey: &Value,
) -> Result<(MfaProof, String)> {
    let hash = ceremony_hash(state, &format!("step-up:{}", caller.sid));
    match verify(state, hash, STEP_UP, Some(&caller.sub), passkey).await {
        Ok(accepted) => {
            let amr = if accepted.user_verified {
                "hwk user mfa"
            } else {
                "hwk mfa"
            };
            Ok((MfaProof::Passkey(accepted.used), amr.to_owned()))
        }
        Err(refused) => Err(refuse(state, meta, &caller.sub, purpose, refused).await),
    }
}

/// Passwordless login with a discoverable passkey (user verification required). An
/// account with MFA only through TOTP has no passkey to present.
#[tracing::instrument(skip_all)]
pub async fn login(
    state: &AppState,
    meta: &RequestMeta,
    token: &str,
    passkey: &Value,
) -> Result<AuthTokens> {
    let hash = ceremony_hash(state, token);
    let accepted = match verify(state, hash, PASSWORDLESS, None, passkey).await {
        Ok(accepted) => accepted,
        Err(Refused::Malformed) => {
            return Err(Error::InvalidInput {
                field: "passkey",
                message: "not a WebAuthn assertion (AuthenticationResponseJSON)".into(),
            })
        }
        Err(Refused::Failed(e)) => return Err(e),
        Err(Refused::Cloned(owner)) => {
            cloned(state, meta, &owner, PASSKEY).await;
            return Err(Error::InvalidCredentials);
        }
        Err(Refused::Invalid(reason)) => {
            tracing::info!(reason, "passwordless assertion refused");
            return Err(Error::InvalidCredentials);
        }
    };
    let user = state
        .store
        .user_by_id(&accepted.user_id)
        .await?
        .ok_or(Error::InvalidCredentials)?;
    if user.disabled_at.is_some() {
        return Err(Error::AccountDisabled);
    }
    let amr: &[&str] = &["hwk", "user", "mfa"];
    let login = NewLogin::new(state, meta, &user.id, &user.roles, amr);
    let audit = [state.event(
        AuditKind::LoginSucceeded,
        Some(&user.id),
        meta,
        json!({ "amr": amr, "sessionId": login.session.id, "factorId": accepted.used.factor_id }),
    )];
    let outcome = state
        .store
        .complete_mfa(
            &user.id,
            PASSKEY.as_str(),
            state.now(),
            MfaProof::Passkey(accepted.used),
            login.effect(None, false),
            &audit,
        )
        .await?;
    match outcome {
        MfaOutcome::Done => login.tokens(state),
        MfaOutcome::CounterRegressed => {
            cloned(state, meta, &user.id, PASSKEY).await;
            Err(Error::InvalidCredentials)
        }
        MfaOutcome::Locked(retry_after) => Err(Error::Locked { retry_after }),
        _ => Err(Error::InvalidCredentials),
    }
}
