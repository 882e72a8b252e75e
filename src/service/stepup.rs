//! Step-up (FACTORS.md): the actions that change how a person proves who they are
//! (starting MFA enrollment, changing the password, revoking other sessions, the admin
//! API) need a session whose last proof is recent; [`step_up`] proves it again, with a
//! code (TOTP or recovery) when MFA is on, else with the password.

use serde_json::json;

use super::attempts::ensure_open;
use super::error::{Error, Result};
use super::guard::{self, Attempt};
use super::proof::{finish, mfa_proof, recovery_audit, require};
use super::purpose::MANAGE;
use super::sessions::{new_refresh_token, tokens_for, AuthTokens};
use super::spend::Effect;
use super::{AppState, RequestMeta};
use crate::crypto::jwt::Claims;
use crate::domain::audit::AuditKind;
use crate::domain::codes::MfaCode;
use crate::domain::password::Password;
use crate::store::StepUp;

/// What a step-up presents.
pub enum Proof {
    /// A TOTP or recovery code (MFA users).
    Code(MfaCode),
    /// The password (users without MFA).
    Password(Password),
    /// A passkey assertion (AuthenticationResponseJSON) answering the options of
    /// `POST /auth/step-up/passkey/options`.
    Passkey(serde_json::Value),
}

pub use super::recent::{methods, proven_in_session, require_recent, TRUSTED};

/// Proves the caller's session again: its `auth_time` becomes now, its `amr` the proof's,
/// its refresh token is replaced; answers with fresh tokens for the same session. A code
/// is checked and spent like the other code-protected actions (the `manage` purpose, its
/// lock and replay guard), in the transaction that marks the session.
#[tracing::instrument(skip_all, fields(user_id = %claims.sub))]
pub async fn step_up(
    state: &AppState,
    meta: &RequestMeta,
    claims: &Claims,
    proof: Proof,
) -> Result<AuthTokens> {
    let user_id = claims.sub.as_str();
    let user = state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or(Error::Unauthorized)?;
    let (refresh_token, refresh) = new_refresh_token(state);
    let now = state.now();
    let mfa_on = user.mfa_enabled_at.is_some();
    // A second factor (code or passkey): what it proves, the session's new `amr`, and the
    // audit, spent with the step-up in one transaction (the `manage` lock and guards).
    let second_factor = match proof {
        Proof::Code(code) => {
            if !mfa_on {
                return Err(Error::MfaNotEnabled);
            }
            let factors = state.store.totp_factors(user_id).await?;
            ensure_open(state, user_id, MANAGE).await?;
            let proof = mfa_proof(state, meta, user_id, MANAGE, &factors, &code).await?;
            let proof = require(state, meta, user_id, MANAGE, proof, code.method()).await?;
            let amr = match code {
                MfaCode::Totp(_) => "pwd otp mfa",
                MfaCode::Recovery(_) => "pwd rcv mfa",
            };
            let mut audit = recovery_audit(state, meta, user_id, &proof);
            audit.push(stepped_up(state, meta, claims, code.method()));
            Some((proof, amr.to_owned(), audit))
        }
        Proof::Passkey(passkey) => {
            let (proof, amr) =
                super::passkeys::step_up_proof(state, meta, claims, MANAGE, &passkey).await?;
            Some((proof, amr, vec![stepped_up(state, meta, claims, "passkey")]))
        }
        Proof::Password(password) => {
            step_up_with_password(state, meta, claims, &user, password, refresh.clone()).await?;
            None
        }
    };
    if let Some((proof, amr, audit)) = second_factor {
        let step = StepUp {
            session_id: claims.sid.clone(),
            amr,
            at: now,
            refresh,
        };
        finish(
            state,
            meta,
            user_id,
            MANAGE,
            proof,
            Effect::StepUp(step),
            &audit,
        )
        .await?;
    }
    let mut session = state
        .store
        .session(&claims.sid)
        .await?
        .ok_or(Error::Unauthorized)?;
    // The token keeps the roles it had (the admin API re-checks them in the database).
    session.roles = claims.roles.join(" ");
    tokens_for(state, &session, refresh_token)
}

/// A step-up proved by the password (users without MFA), checked like a login attempt.
async fn step_up_with_password(
    state: &AppState,
    meta: &RequestMeta,
    claims: &Claims,
    user: &crate::store::UserRecord,
    password: Password,
    refresh: crate::store::NewRefreshToken,
) -> Result<()> {
    let mfa_on = user.mfa_enabled_at.is_some();
    let user_id = claims.sub.as_str();
    let now = state.now();
    if mfa_on {
        return Err(Error::InvalidInput {
            field: "code",
            message: "two-factor accounts step up with a code".into(),
        });
    }
    let refund = guard::check(
        state,
        meta,
        Attempt {
            email: &user.email,
            user: Some(user),
            password: &password,
            device_token: None,
            failure_event: AuditKind::StepUpFailed,
        },
    )
    .await?;
    let step = StepUp {
        session_id: claims.sid.clone(),
        amr: "pwd".to_owned(),
        at: now,
        refresh,
    };
    let audit = [stepped_up(state, meta, claims, "password")];
    if !state
        .store
        .step_up_session(user_id, &step, Some(&refund), &audit)
        .await?
    {
        return Err(Error::Unauthorized);
    }
    Ok(())
}

fn stepped_up(
    state: &AppState,
    meta: &RequestMeta,
    claims: &Claims,
    method: &str,
) -> crate::store::AuditEvent {
    state.event(
        AuditKind::StepUpSucceeded,
        Some(&claims.sub),
        meta,
        json!({ "method": method, "sessionId": claims.sid }),
    )
}
