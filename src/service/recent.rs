//! The step-up recency rule (FACTORS.md): whether the caller's session proved a factor
//! recently enough for an action that changes how a person proves who they are, and the
//! methods it can prove itself again with. A leaf: the modules that guard such actions
//! (sessions, factors, passkeys, mfa, admin) ask it without importing step-up itself.

use super::error::{Error, Result};
use super::AppState;
use crate::crypto::jwt::Claims;

/// The `amr` value of a session a trusted browser started without a code.
pub const TRUSTED: &str = "trusted";

/// Whether the session proved a factor itself (not a trusted browser's skipped code).
pub fn proven_in_session(claims: &Claims) -> bool {
    !claims.amr.iter().any(|a| a == TRUSTED)
}

/// Ok when the caller's session proved itself within `step_up_seconds`; otherwise
/// `StepUpRequired` with the methods the person can step up with. A session a trusted
/// browser started (amr `trusted`) has proven no factor: it always steps up first.
pub async fn require_recent(state: &AppState, claims: &Claims) -> Result<()> {
    if proven_in_session(claims) && state.now() - claims.auth_time <= state.settings.step_up_seconds
    {
        return Ok(());
    }
    Err(Error::StepUpRequired {
        methods: methods(state, &claims.sub).await?,
    })
}

/// How `user_id` proves it: with MFA on, the factors they have (and recovery codes), else
/// the password.
pub async fn methods(state: &AppState, user_id: &str) -> Result<Vec<&'static str>> {
    let status = state.store.mfa_status(user_id).await?;
    Ok(if status.enabled_at.is_none() {
        vec!["password"]
    } else {
        let mut methods = Vec::new();
        if status.totp_factors > 0 {
            methods.push("totp");
        }
        if status.passkey_factors > 0 {
            methods.push("passkey");
        }
        methods.push("recovery");
        methods
    })
}
