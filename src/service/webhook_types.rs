//! Which audit events become which webhook events (Standard Webhooks types), decided
//! when the audit event is made so that its webhooks are queued in the same transaction.
//! A leaf: the state that stamps audit events and the outbox's delivery both use it.

use serde_json::Value;

use crate::domain::audit::AuditKind;

/// The webhook events an audit event of `kind` causes (every kind named: a new one must
/// be placed here).
pub fn types_for(kind: AuditKind, details: &Value) -> Vec<&'static str> {
    let one = match kind {
        AuditKind::MfaEnabled => "mfa.enabled",
        AuditKind::MfaDisabled => "mfa.disabled",
        AuditKind::MfaReplayRejected => "mfa.replay_rejected",
        AuditKind::MfaLocked => "mfa.locked",
        AuditKind::MfaRecoveryCodesRegenerated => "mfa.recovery_codes.regenerated",
        AuditKind::PasswordChanged => "password.changed",
        AuditKind::LoginLocked => "login.locked",
        AuditKind::RefreshReuseDetected => "session.refresh_reuse_detected",
        AuditKind::AdminMfaReset => "admin.mfa.reset",
        AuditKind::AdminUserDisabled => "account.disabled",
        AuditKind::MfaFactorAdded => "mfa.factor.added",
        AuditKind::MfaFactorRenamed => "mfa.factor.renamed",
        AuditKind::MfaFactorRemoved => "mfa.factor.removed",
        AuditKind::MfaPasskeyClonedSuspected => "mfa.passkey.cloned_suspected",
        AuditKind::EmailVerified => "email.verified",
        AuditKind::EmailChanged => "email.changed",
        AuditKind::PasswordResetRequested => "password.reset_requested",
        AuditKind::PasswordReset => "password.reset",
        AuditKind::OidcAuthorized => "oidc.authorized",
        AuditKind::OidcConsentGranted => "oidc.consent.granted",
        AuditKind::OidcConsentRevoked => "oidc.consent.revoked",
        AuditKind::OidcCodeReused => "oidc.code.reused",
        AuditKind::OidcRefreshReused => "oidc.refresh.reused",
        AuditKind::MfaRecoveryCodeUsed => {
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
        AuditKind::Register
        | AuditKind::LoginSucceeded
        | AuditKind::LoginFailed
        | AuditKind::LoginMfaRequired
        | AuditKind::Logout
        | AuditKind::PasswordChangeFailed
        | AuditKind::SessionRevoked
        | AuditKind::DeviceRevoked
        | AuditKind::DeviceUntrusted
        | AuditKind::StepUpSucceeded
        | AuditKind::StepUpFailed
        | AuditKind::MfaSetupStarted
        | AuditKind::MfaSetupFailed
        | AuditKind::MfaChallengeSucceeded
        | AuditKind::MfaChallengeFailed
        | AuditKind::MfaManageFailed
        | AuditKind::MfaFactorSetupStarted
        | AuditKind::AdminAction
        | AuditKind::AdminSessionsRevoked
        | AuditKind::AdminUserEnabled
        | AuditKind::AdminUserUnlocked
        | AuditKind::AdminUserDeleted
        | AuditKind::AdminRoleGranted
        | AuditKind::AdminRoleRevoked
        | AuditKind::EmailVerificationSent
        | AuditKind::EmailChangeRequested
        | AuditKind::NoticesChanged => return Vec::new(),
    };
    vec![one]
}

/// `mfa.recovery_codes.low` is sent when this many codes or fewer are left.
const RECOVERY_CODES_LOW: u64 = 2;
