//! Which audit events become which webhook events (Standard Webhooks types), decided
//! when the audit event is made so that its webhooks are queued in the same transaction.
//! A leaf: the state that stamps audit events and the outbox's delivery both use it.

use serde_json::Value;

/// The webhook events an audit event of `kind` causes.
pub fn types_for(kind: &str, details: &Value) -> Vec<&'static str> {
    let one = match kind {
        "auth.mfa.enabled" => "mfa.enabled",
        "auth.mfa.disabled" => "mfa.disabled",
        "auth.mfa.replay_rejected" => "mfa.replay_rejected",
        "auth.mfa.locked" => "mfa.locked",
        "auth.mfa.recovery_codes.regenerated" => "mfa.recovery_codes.regenerated",
        "auth.password.changed" => "password.changed",
        "auth.login.locked" => "login.locked",
        "auth.refresh.reuse_detected" => "session.refresh_reuse_detected",
        "admin.mfa.reset" => "admin.mfa.reset",
        "admin.user.disabled" => "account.disabled",
        "auth.mfa.factor.added" => "mfa.factor.added",
        "auth.mfa.factor.renamed" => "mfa.factor.renamed",
        "auth.mfa.factor.removed" => "mfa.factor.removed",
        "auth.mfa.passkey.cloned_suspected" => "mfa.passkey.cloned_suspected",
        "auth.mfa.recovery_code.used" => {
            let low = details
                .get("remaining")
                .and_then(Value::as_u64)
                .is_some_and(|left| left <= RECOVERY_CODES_LOW);
            return if low {
                vec!["mfa.recovery_code.used", "mfa.recovery_codes.low"]
            } else {
                vec!["mfa.recovery_code.used"]
            };
        }
        _ => return Vec::new(),
    };
    vec![one]
}

/// `mfa.recovery_codes.low` is sent when this many codes or fewer are left.
const RECOVERY_CODES_LOW: u64 = 2;
