//! The kinds of audit event, one enum: each is written to the audit trail as the string
//! it has always had (`auth.mfa.enabled`...), and the code that reacts to a kind (the
//! webhooks it causes, the sentence the account page shows) matches the enum
//! exhaustively, so a new kind cannot be forgotten there.

/// What an audit event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditKind {
    /// `auth.register`
    Register,
    /// `auth.login.succeeded`
    LoginSucceeded,
    /// `auth.login.failed`
    LoginFailed,
    /// `auth.login.locked`
    LoginLocked,
    /// `auth.login.mfa_required`
    LoginMfaRequired,
    /// `auth.logout`
    Logout,
    /// `auth.refresh.reuse_detected`
    RefreshReuseDetected,
    /// `auth.password.changed`
    PasswordChanged,
    /// `auth.password.change_failed`
    PasswordChangeFailed,
    /// `auth.session.revoked`
    SessionRevoked,
    /// `auth.device.revoked`
    DeviceRevoked,
    /// `auth.device.untrusted`
    DeviceUntrusted,
    /// `auth.step_up.succeeded`
    StepUpSucceeded,
    /// `auth.step_up.failed`
    StepUpFailed,
    /// `auth.mfa.setup.started`
    MfaSetupStarted,
    /// `auth.mfa.setup.failed`
    MfaSetupFailed,
    /// `auth.mfa.enabled`
    MfaEnabled,
    /// `auth.mfa.disabled`
    MfaDisabled,
    /// `auth.mfa.challenge.succeeded`
    MfaChallengeSucceeded,
    /// `auth.mfa.challenge.failed`
    MfaChallengeFailed,
    /// `auth.mfa.manage.failed`
    MfaManageFailed,
    /// `auth.mfa.replay_rejected`
    MfaReplayRejected,
    /// `auth.mfa.locked`
    MfaLocked,
    /// `auth.mfa.recovery_code.used`
    MfaRecoveryCodeUsed,
    /// `auth.mfa.recovery_codes.regenerated`
    MfaRecoveryCodesRegenerated,
    /// `auth.mfa.factor.setup_started`
    MfaFactorSetupStarted,
    /// `auth.mfa.factor.added`
    MfaFactorAdded,
    /// `auth.mfa.factor.renamed`
    MfaFactorRenamed,
    /// `auth.mfa.factor.removed`
    MfaFactorRemoved,
    /// `auth.mfa.passkey.cloned_suspected`
    MfaPasskeyClonedSuspected,
    /// `auth.email.verification_sent`
    EmailVerificationSent,
    /// `auth.email.verified`
    EmailVerified,
    /// `auth.email.change_requested`
    EmailChangeRequested,
    /// `auth.email.changed`
    EmailChanged,
    /// `auth.password.reset_requested`
    PasswordResetRequested,
    /// `auth.password.reset`
    PasswordReset,
    /// `auth.notices.changed`
    NoticesChanged,
    /// `admin.action`
    AdminAction,
    /// `admin.mfa.reset`
    AdminMfaReset,
    /// `admin.sessions.revoked`
    AdminSessionsRevoked,
    /// `admin.user.disabled`
    AdminUserDisabled,
    /// `admin.user.enabled`
    AdminUserEnabled,
    /// `admin.user.unlocked`
    AdminUserUnlocked,
    /// `admin.user.deleted`
    AdminUserDeleted,
    /// `admin.role.granted`
    AdminRoleGranted,
    /// `admin.role.revoked`
    AdminRoleRevoked,
    /// `oidc.authorized`
    OidcAuthorized,
    /// `oidc.consent.granted`
    OidcConsentGranted,
    /// `oidc.consent.revoked`
    OidcConsentRevoked,
    /// `oidc.code.reused`
    OidcCodeReused,
    /// `oidc.refresh.reused`
    OidcRefreshReused,
}

impl AuditKind {
    /// Every kind, in the order above.
    pub const ALL: [AuditKind; 51] = [
        Self::Register,
        Self::LoginSucceeded,
        Self::LoginFailed,
        Self::LoginLocked,
        Self::LoginMfaRequired,
        Self::Logout,
        Self::RefreshReuseDetected,
        Self::PasswordChanged,
        Self::PasswordChangeFailed,
        Self::SessionRevoked,
        Self::DeviceRevoked,
        Self::DeviceUntrusted,
        Self::StepUpSucceeded,
        Self::StepUpFailed,
        Self::MfaSetupStarted,
        Self::MfaSetupFailed,
        Self::MfaEnabled,
        Self::MfaDisabled,
        Self::MfaChallengeSucceeded,
        Self::MfaChallengeFailed,
        Self::MfaManageFailed,
        Self::MfaReplayRejected,
        Self::MfaLocked,
        Self::MfaRecoveryCodeUsed,
        Self::MfaRecoveryCodesRegenerated,
        Self::MfaFactorSetupStarted,
        Self::MfaFactorAdded,
        Self::MfaFactorRenamed,
        Self::MfaFactorRemoved,
        Self::MfaPasskeyClonedSuspected,
        Self::EmailVerificationSent,
        Self::EmailVerified,
        Self::EmailChangeRequested,
        Self::EmailChanged,
        Self::PasswordResetRequested,
        Self::PasswordReset,
        Self::NoticesChanged,
        Self::AdminAction,
        Self::AdminMfaReset,
        Self::AdminSessionsRevoked,
        Self::AdminUserDisabled,
        Self::AdminUserEnabled,
        Self::AdminUserUnlocked,
        Self::AdminUserDeleted,
        Self::AdminRoleGranted,
        Self::AdminRoleRevoked,
        Self::OidcAuthorized,
        Self::OidcConsentGranted,
        Self::OidcConsentRevoked,
        Self::OidcCodeReused,
        Self::OidcRefreshReused,
    ];

    /// The name stored in the audit trail and shown by the API.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Register => "auth.register",
            Self::LoginSucceeded => "auth.login.succeeded",
            Self::LoginFailed => "auth.login.failed",
            Self::LoginLocked => "auth.login.locked",
            Self::LoginMfaRequired => "auth.login.mfa_required",
            Self::Logout => "auth.logout",
            Self::RefreshReuseDetected => "auth.refresh.reuse_detected",
            Self::PasswordChanged => "auth.password.changed",
            Self::PasswordChangeFailed => "auth.password.change_failed",
            Self::SessionRevoked => "auth.session.revoked",
            Self::DeviceRevoked => "auth.device.revoked",
            Self::DeviceUntrusted => "auth.device.untrusted",
            Self::StepUpSucceeded => "auth.step_up.succeeded",
            Self::StepUpFailed => "auth.step_up.failed",
            Self::MfaSetupStarted => "auth.mfa.setup.started",
            Self::MfaSetupFailed => "auth.mfa.setup.failed",
            Self::MfaEnabled => "auth.mfa.enabled",
            Self::MfaDisabled => "auth.mfa.disabled",
            Self::MfaChallengeSucceeded => "auth.mfa.challenge.succeeded",
            Self::MfaChallengeFailed => "auth.mfa.challenge.failed",
            Self::MfaManageFailed => "auth.mfa.manage.failed",
            Self::MfaReplayRejected => "auth.mfa.replay_rejected",
            Self::MfaLocked => "auth.mfa.locked",
            Self::MfaRecoveryCodeUsed => "auth.mfa.recovery_code.used",
            Self::MfaRecoveryCodesRegenerated => "auth.mfa.recovery_codes.regenerated",
            Self::MfaFactorSetupStarted => "auth.mfa.factor.setup_started",
            Self::MfaFactorAdded => "auth.mfa.factor.added",
            Self::MfaFactorRenamed => "auth.mfa.factor.renamed",
            Self::MfaFactorRemoved => "auth.mfa.factor.removed",
            Self::MfaPasskeyClonedSuspected => "auth.mfa.passkey.cloned_suspected",
            Self::EmailVerificationSent => "auth.email.verification_sent",
            Self::EmailVerified => "auth.email.verified",
            Self::EmailChangeRequested => "auth.email.change_requested",
            Self::EmailChanged => "auth.email.changed",
            Self::PasswordResetRequested => "auth.password.reset_requested",
            Self::PasswordReset => "auth.password.reset",
            Self::NoticesChanged => "auth.notices.changed",
            Self::AdminAction => "admin.action",
            Self::AdminMfaReset => "admin.mfa.reset",
            Self::AdminSessionsRevoked => "admin.sessions.revoked",
            Self::AdminUserDisabled => "admin.user.disabled",
            Self::AdminUserEnabled => "admin.user.enabled",
            Self::AdminUserUnlocked => "admin.user.unlocked",
            Self::AdminUserDeleted => "admin.user.deleted",
            Self::AdminRoleGranted => "admin.role.granted",
            Self::AdminRoleRevoked => "admin.role.revoked",
            Self::OidcAuthorized => "oidc.authorized",
            Self::OidcConsentGranted => "oidc.consent.granted",
            Self::OidcConsentRevoked => "oidc.consent.revoked",
            Self::OidcCodeReused => "oidc.code.reused",
            Self::OidcRefreshReused => "oidc.refresh.reused",
        }
    }

    /// The kind a stored name stands for (`None` for a name this version does not know).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl std::fmt::Display for AuditKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for AuditKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_name_and_parses_back() {
        let names: std::collections::HashSet<_> =
            AuditKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(names.len(), AuditKind::ALL.len());
        for kind in AuditKind::ALL {
            assert_eq!(AuditKind::parse(kind.as_str()), Some(kind));
            assert!(["auth.", "admin.", "oidc."]
                .iter()
                .any(|prefix| kind.as_str().starts_with(prefix)));
        }
        assert_eq!(AuditKind::MfaEnabled.as_str(), "auth.mfa.enabled");
        assert_eq!(AuditKind::AdminUserDisabled.as_str(), "admin.user.disabled");
        assert_eq!(AuditKind::parse("auth.nothing"), None);
    }
}
