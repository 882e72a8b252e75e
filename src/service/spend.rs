//! The one unit of work that spends a second-factor proof and applies what it was for
//! (a login, an enrollment, new recovery codes, MFA off, a step-up), composed here from
//! the store's single statements: the preconditions ("MFA already on", "too many
//! factors", "no pending setup") are decided here, once, under the user's row lock;
//! whether the proof is still unspent is decided by one conditional statement. Anything
//! but success rolls the whole unit back.

use super::error::Error;
use crate::domain::lockout::seconds_left;
use crate::store::{
    ceremonies, factors, guards, sessions, users, AuditEvent, Conn, NewDeviceToken,
    NewRefreshToken, OtherSessions, RecoveryCodeRecord, SessionRecord, StepUp, Store, StoreResult,
    TotpRecord,
};

/// What proves the user holds the second factor, consumed in the same transaction as
/// the effect: a TOTP step (must be above every step accepted before), a passkey
/// assertion, or a recovery code.
#[derive(Debug, Clone)]
pub enum MfaProof {
    /// A step of TOTP factor `factor` (`None`: the pending enrollment's secret, checked
    /// against the user's floor).
    TotpStep { factor: Option<String>, step: i64 },
    /// A passkey assertion (its ceremony spent, its counter moved forward).
    Passkey(PasskeyUse),
    RecoveryCode {
        id: String,
        /// Unused codes left once this one is spent (as read before spending it).
        remaining: usize,
    },
}

/// An accepted passkey assertion, spent with its ceremony in the transaction of its effect.
#[derive(Debug, Clone)]
pub struct PasskeyUse {
    pub ceremony_hash: Vec<u8>,
    pub purpose: &'static str,
    pub factor_id: String,
    pub sign_count: i64,
    pub credential: String,
}

/// What a verified proof changes.
#[derive(Debug, Clone)]
pub enum Effect {
    /// `verify-mfa`: consume the challenge, start a session, remember the device. The
    /// lock is checked by the statement that spends the proof; `reset_counter` says
    /// whether the counter had anything to reset when the challenge was read.
    Login {
        /// The MFA challenge to consume (`None`: a passwordless passkey login).
        challenge_hash: Option<Vec<u8>>,
        session: SessionRecord,
        refresh: NewRefreshToken,
        device: NewDeviceToken,
        reset_counter: bool,
    },
    /// `setup/confirm`: the pending secret becomes the first factor; a new batch of codes.
    Enable {
        credential: TotpRecord,
        recovery: Vec<RecoveryCodeRecord>,
        others: OtherSessions,
    },
    /// `factors/totp/confirm`: the pending secret becomes another factor (at most `max`).
    AddTotp { credential: TotpRecord, max: i64 },
    /// Replace the batch of recovery codes.
    Regenerate {
        recovery: Vec<RecoveryCodeRecord>,
        others: OtherSessions,
    },
    /// MFA off: every factor, code, setup, challenge and trusted browser goes.
    Disable { others: OtherSessions },
    /// A step-up of a live session.
    StepUp(StepUp),
}

/// Why a proof was not spent (nothing was written).
#[derive(Debug)]
pub enum Refused {
    /// The purpose is locked for this many seconds.
    Locked(u64),
    /// The TOTP step is not above the last accepted one.
    Replayed,
    /// The recovery code was used (by a concurrent request).
    CodeUsed,
    /// The WebAuthn ceremony was spent or expired meanwhile.
    CeremonyGone,
    /// The passkey's counter did not move forward: a cloned authenticator, or a race.
    CounterRegressed,
    /// A precondition of the effect does not hold.
    Because(Error),
}

/// Spends `proof` for `purpose` and applies `effect`, with `audit`, in one transaction.
pub async fn spend(
    store: &Store,
    user_id: &str,
    purpose: &'static str,
    now: i64,
    proof: MfaProof,
    effect: Effect,
    audit: &[AuditEvent],
) -> StoreResult<Result<(), Refused>> {
    let user_id = user_id.to_owned();
    store
        .write(audit.to_vec(), move |conn| {
            Box::pin(async move {
                let done = match effect {
                    Effect::Login {
                        challenge_hash,
                        session,
                        refresh,
                        device,
                        reset_counter,
                    } => {
                        let login = Login {
                            challenge_hash,
                            session,
                            refresh,
                            device,
                            reset_counter,
                        };
                        login.apply(conn, &user_id, purpose, now, &proof).await?
                    }
                    other => apply(conn, &user_id, purpose, now, &proof, other).await?,
                };
                Ok((done.is_ok(), done))
            })
        })
        .await
}

/// The parts of a `verify-mfa` success.
struct Login {
    challenge_hash: Option<Vec<u8>>,
    session: SessionRecord,
    refresh: NewRefreshToken,
    device: NewDeviceToken,
    reset_counter: bool,
}

impl Login {
    /// The success path of `verify-mfa` in two statements: spend the proof (the lock
    /// checked in the same statement), then consume the challenge and start the session
    /// (one insert); a third resets the counter when the challenge's read said it needs it.
    async fn apply(
        self,
        conn: &mut dyn Conn,
        user_id: &str,
        purpose: &'static str,
        now: i64,
        proof: &MfaProof,
    ) -> StoreResult<Result<(), Refused>> {
        let spent = match proof {
            MfaProof::TotpStep { factor, step } => {
                let factor = factor.as_deref().unwrap_or_default();
                factors::advance_step(conn, user_id, factor, *step, now, Some(purpose)).await?
            }
            MfaProof::RecoveryCode { id, .. } => {
                factors::use_recovery_code(conn, user_id, id, now, Some(purpose)).await?
            }
            MfaProof::Passkey(_) => {
                // The lock is read under the counter's row lock; then the assertion
                // (ceremony and counter) is spent.
                if let Some(left) = guards::lock_counter(conn, user_id, purpose)
                    .await?
                    .retry_after(now)
                {
                    return Ok(Err(Refused::Locked(left)));
                }
                if let Err(refused) = spend_proof(conn, user_id, now, proof).await? {
                    return Ok(Err(refused));
                }
                true
            }
        };
        if !spent {
            // Refused: tell a lock from a spent proof by reading the counter under its
            // lock (which creates a missing row: the refusal stands either way).
            if let Some(left) = guards::lock_counter(conn, user_id, purpose)
                .await?
                .retry_after(now)
            {
                return Ok(Err(Refused::Locked(left)));
            }
            return Ok(Err(match proof {
                MfaProof::RecoveryCode { .. } => Refused::CodeUsed,
                _ => Refused::Replayed,
            }));
        }
        let challenge = self.challenge_hash.as_deref();
        if !sessions::insert_new_login(conn, &self.session, &self.refresh, &self.device, challenge)
            .await?
        {
            return Ok(Err(Refused::Because(Error::InvalidChallenge)));
        }
        if self.reset_counter {
            guards::reset_counter(conn, user_id, purpose).await?;
        }
        Ok(Ok(()))
    }
}

/// Every effect but a login: under the user's row lock and the counter's, the lock and
/// the effect's preconditions, then the proof, then the effect.
async fn apply(
    conn: &mut dyn Conn,
    user_id: &str,
    purpose: &'static str,
    now: i64,
    proof: &MfaProof,
    effect: Effect,
) -> StoreResult<Result<(), Refused>> {
    // The user's row is locked first, as a pending setup's write does: a setup racing
    // this unit waits for it instead of deadlocking with it.
    users::lock_user(conn, user_id).await?;
    let counter = guards::lock_counter(conn, user_id, purpose).await?;
    if let Some(left) = seconds_left(counter.locked_until, now) {
        return Ok(Err(Refused::Locked(left)));
    }
    let count = factors::count_factors(conn, user_id).await?;
    // An enrollment takes the pending setup whose secret the code was checked against.
    let pending_taken = match &effect {
        Effect::Enable { credential, .. } | Effect::AddTotp { credential, .. } => {
            factors::take_pending(conn, user_id, now, &credential.sealed_secret).await?
        }
        _ => true,
    };
    let unmet = match &effect {
        _ if !pending_taken => Some(Error::NoPendingSetup),
        Effect::Enable { .. } if count > 0 => Some(Error::MfaAlreadyEnabled),
        Effect::AddTotp { .. } if count == 0 => Some(Error::MfaNotEnabled),
        Effect::AddTotp { max, .. } if count >= *max => Some(Error::TooManyFactors),
        Effect::Regenerate { .. } | Effect::Disable { .. } | Effect::StepUp(_) if count == 0 => {
            Some(Error::MfaNotEnabled)
        }
        _ => None,
    };
    if let Some(error) = unmet {
        return Ok(Err(Refused::Because(error)));
    }
    if let Err(refused) = spend_proof(conn, user_id, now, proof).await? {
        return Ok(Err(refused));
    }
    let first_step = match proof {
        MfaProof::TotpStep { step, .. } => *step,
        _ => -1,
    };
    match effect {
        Effect::Login { .. } => unreachable!("a login is applied by Login::apply"),
        Effect::Enable {
            credential,
            recovery,
            others,
        } => {
            factors::insert_totp_factor(conn, &credential, first_step).await?;
            factors::mfa_on(conn, user_id, &recovery, &others, now).await?;
        }
        Effect::AddTotp { credential, .. } => {
            factors::insert_totp_factor(conn, &credential, first_step).await?;
        }
        Effect::Regenerate { recovery, others } => {
            factors::replace_codes(conn, user_id, &recovery).await?;
            sessions::revoke_others(conn, user_id, &others, now).await?;
        }
        Effect::StepUp(step_up) => {
            if !sessions::apply_step_up(conn, user_id, &step_up).await? {
                return Ok(Err(Refused::Because(Error::Unauthorized)));
            }
        }
        Effect::Disable { others } => factors::mfa_off(conn, user_id, &others, now).await?,
    }
    if counter.failures != 0 || counter.lockouts != 0 || counter.locked_until != 0 {
        guards::reset_counter(conn, user_id, purpose).await?;
    }
    Ok(Ok(()))
}

/// Spends a proof outside the login path (the lock already checked).
async fn spend_proof(
    conn: &mut dyn Conn,
    user_id: &str,
    now: i64,
    proof: &MfaProof,
) -> StoreResult<Result<(), Refused>> {
    let refused = match proof {
        MfaProof::TotpStep {
            factor: Some(factor),
            step,
        } => {
            let moved = factors::advance_step(conn, user_id, factor, *step, now, None).await?;
            (!moved).then_some(Refused::Replayed)
        }
        MfaProof::TotpStep { factor: None, step } => {
            let above = factors::above_user_floor(conn, user_id, *step).await?;
            (!above).then_some(Refused::Replayed)
        }
        MfaProof::RecoveryCode { id, .. } => {
            let used = factors::use_recovery_code(conn, user_id, id, now, None).await?;
            (!used).then_some(Refused::CodeUsed)
        }
        MfaProof::Passkey(p) => {
            if !ceremonies::take_ceremony(conn, &p.ceremony_hash, p.purpose, now, user_id).await? {
                Some(Refused::CeremonyGone)
            } else {
                let moved = factors::advance_passkey(
                    conn,
                    user_id,
                    &p.factor_id,
                    p.sign_count,
                    &p.credential,
                    now,
                )
                .await?;
                (!moved).then_some(Refused::CounterRegressed)
            }
        }
    };
    Ok(refused.map_or(Ok(()), Err))
}
