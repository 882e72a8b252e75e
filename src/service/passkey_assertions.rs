//! Passkey assertions: the options a browser signs, and checking its answer as the second
//! factor of a password login, as a passwordless login, or as a step-up. Refusals are
//! counted like wrong codes; a counter that went back is audited as a suspected clone.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use webauthn_rs_core::proto::{AuthenticationState, PublicKeyCredential, UserVerificationPolicy};

use super::error::{Error, Result};
use super::mfa::{complete_login, open_challenge};
use super::proof::{cloned, require};
use super::purpose::{Purpose, LOGIN};
use super::sessions::{AuthTokens, NewLogin};
use super::spend::{spend, MfaProof, PasskeyUse, Refused as NotSpent};
use super::{AppState, RequestMeta};
use crate::crypto::jwt::Claims;
use crate::crypto::token::TokenHasher;
use crate::domain::audit::AuditKind;

use super::ceremonies::*;

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
    if state.settings.require_verified_email && user.email_verified_at.is_none() {
        return Err(Error::EmailNotVerified);
    }
    let amr: &[&str] = &["hwk", "user", "mfa"];
    let mut login = NewLogin::new(state, meta, &user.id, &user.roles, amr);
    login.session.email_verified = user.email_verified_at.is_some();
    let audit = [state.event(
        AuditKind::LoginSucceeded,
        Some(&user.id),
        meta,
        json!({ "amr": amr, "sessionId": login.session.id, "factorId": accepted.used.factor_id }),
    )];
    let proof = MfaProof::Passkey(accepted.used);
    let purpose = PASSKEY.as_str();
    let spent = spend(
        &state.store,
        &user.id,
        purpose,
        state.now(),
        proof,
        login.effect(None, false),
        &audit,
    );
    match spent.await? {
        Ok(()) => login.tokens(state),
        Err(NotSpent::CounterRegressed) => {
            cloned(state, meta, &user.id, PASSKEY).await;
            Err(Error::InvalidCredentials)
        }
        Err(NotSpent::Locked(retry_after)) => Err(Error::Locked { retry_after }),
        Err(_) => Err(Error::InvalidCredentials),
    }
}
