//! Security notices (EMAIL.md): which audit events are worth a message to the account's
//! address, decided when the event is made so that the message is queued in the same
//! transaction. Every kind is named in [`notice_for`]: a new audit kind must be placed.

use serde_json::Value;

use super::audit::AuditKind;

/// The security notices, as stored in the mail outbox's `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    PasswordChanged,
    PasswordReset,
    EmailChanged,
    FactorAdded,
    FactorRemoved,
    MfaDisabled,
    RecoveryCodesRegenerated,
    RecoveryCodeUsed,
    NewBrowser,
}

impl NoticeKind {
    /// Every notice.
    pub const ALL: [NoticeKind; 9] = [
        Self::PasswordChanged,
        Self::PasswordReset,
        Self::EmailChanged,
        Self::FactorAdded,
        Self::FactorRemoved,
        Self::MfaDisabled,
        Self::RecoveryCodesRegenerated,
        Self::RecoveryCodeUsed,
        Self::NewBrowser,
    ];

    /// The name stored in the outbox.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::PasswordChanged => "notice.password_changed",
            Self::PasswordReset => "notice.password_reset",
            Self::EmailChanged => "notice.email_changed",
            Self::FactorAdded => "notice.factor_added",
            Self::FactorRemoved => "notice.factor_removed",
            Self::MfaDisabled => "notice.mfa_disabled",
            Self::RecoveryCodesRegenerated => "notice.recovery_codes_regenerated",
            Self::RecoveryCodeUsed => "notice.recovery_code_used",
            Self::NewBrowser => "notice.new_browser",
        }
    }

    /// The notice a stored name stands for.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Whether the person may switch this notice off (only the new-browser one).
    pub const fn optional(self) -> bool {
        matches!(self, Self::NewBrowser)
    }

    /// The subject line.
    pub const fn subject(self) -> &'static str {
        match self {
            Self::PasswordChanged => "Your password was changed",
            Self::PasswordReset => "Your password was reset",
            Self::EmailChanged => "Your email address was changed",
            Self::FactorAdded => "A sign-in method was added to your account",
            Self::FactorRemoved => "A sign-in method was removed from your account",
            Self::MfaDisabled => "Two-factor authentication was turned off",
            Self::RecoveryCodesRegenerated => "New recovery codes were made",
            Self::RecoveryCodeUsed => "A recovery code was used",
            Self::NewBrowser => "A sign-in from a new browser",
        }
    }

    /// The sentence that says what happened, from the event's details.
    pub fn sentence(self, details: &Value) -> String {
        match self {
            Self::PasswordChanged => "The password of your account was changed.".into(),
            Self::PasswordReset => {
                "The password of your account was reset with a link sent to this address. \
                 Every session was signed out."
                    .into()
            }
            Self::EmailChanged => match details["newEmail"].as_str() {
                Some(new) => format!(
                    "The email address of your account was changed from this address to {new}."
                ),
                None => "The email address of your account was changed.".into(),
            },
            Self::FactorAdded => match details["type"].as_str() {
                Some("passkey") => "A passkey was added to your account.".into(),
                _ => "An authenticator app was added to your account.".into(),
            },
            Self::FactorRemoved => "A sign-in method was removed from your account.".into(),
            Self::MfaDisabled => match details["actorId"].as_str() {
                Some(_) => "An administrator turned off two-factor authentication \
                            for your account."
                    .into(),
                None => "Two-factor authentication was turned off for your account.".into(),
            },
            Self::RecoveryCodesRegenerated => {
                "New recovery codes were made for your account; the old ones no longer work.".into()
            }
            Self::RecoveryCodeUsed => match details["remaining"].as_i64() {
                Some(n) => format!("A recovery code was used to sign in. {n} codes are left."),
                None => "A recovery code was used to sign in.".into(),
            },
            Self::NewBrowser => {
                "Your account was signed in to from a browser it was never used from before.".into()
            }
        }
    }
}

/// The notice an audit event of `kind` causes, if any.
pub fn notice_for(kind: AuditKind, details: &Value) -> Option<NoticeKind> {
    use AuditKind as A;
    Some(match kind {
        A::PasswordChanged => NoticeKind::PasswordChanged,
        A::PasswordReset => NoticeKind::PasswordReset,
        A::EmailChanged => NoticeKind::EmailChanged,
        A::MfaFactorAdded => NoticeKind::FactorAdded,
        // An operator's import adds a factor without an `auth.mfa.factor.added`.
        A::MfaEnabled if details["source"] == "import" => NoticeKind::FactorAdded,
        A::MfaFactorRemoved => NoticeKind::FactorRemoved,
        A::MfaDisabled | A::AdminMfaReset => NoticeKind::MfaDisabled,
        A::MfaRecoveryCodesRegenerated => NoticeKind::RecoveryCodesRegenerated,
        A::MfaRecoveryCodeUsed => NoticeKind::RecoveryCodeUsed,
        A::LoginSucceeded if details["newBrowser"] == true => NoticeKind::NewBrowser,
        A::MfaEnabled
        | A::OidcAuthorized
        | A::OidcConsentGranted
        | A::OidcConsentRevoked
        | A::OidcCodeReused
        | A::OidcRefreshReused
        | A::LoginSucceeded
        | A::Register
        | A::LoginFailed
        | A::LoginLocked
        | A::LoginMfaRequired
        | A::Logout
        | A::RefreshReuseDetected
        | A::PasswordChangeFailed
        | A::SessionRevoked
        | A::DeviceRevoked
        | A::DeviceUntrusted
        | A::StepUpSucceeded
        | A::StepUpFailed
        | A::MfaSetupStarted
        | A::MfaSetupFailed
        | A::MfaChallengeSucceeded
        | A::MfaChallengeFailed
        | A::MfaManageFailed
        | A::MfaReplayRejected
        | A::MfaLocked
        | A::MfaFactorSetupStarted
        | A::MfaFactorRenamed
        | A::MfaPasskeyClonedSuspected
        | A::EmailVerificationSent
        | A::EmailVerified
        | A::EmailChangeRequested
        | A::PasswordResetRequested
        | A::NoticesChanged
        | A::AdminAction
        | A::AdminSessionsRevoked
        | A::AdminUserDisabled
        | A::AdminUserEnabled
        | A::AdminUserUnlocked
        | A::AdminUserDeleted
        | A::AdminRoleGranted
        | A::AdminRoleRevoked => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_parse_back_and_only_new_browser_is_optional() {
        for kind in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(kind.as_str()), Some(kind));
            assert_eq!(kind.optional(), kind == NoticeKind::NewBrowser);
        }
    }

    #[test]
    fn which_events_notify() {
        let none = json!({});
        assert_eq!(
            notice_for(AuditKind::LoginSucceeded, &json!({"newBrowser": true})),
            Some(NoticeKind::NewBrowser)
        );
        assert_eq!(notice_for(AuditKind::LoginSucceeded, &none), None);
        assert_eq!(notice_for(AuditKind::MfaEnabled, &none), None);
        assert_eq!(
            notice_for(AuditKind::MfaEnabled, &json!({"source": "import"})),
            Some(NoticeKind::FactorAdded)
        );
        assert_eq!(
            notice_for(AuditKind::AdminMfaReset, &none),
            Some(NoticeKind::MfaDisabled)
        );
        assert_eq!(notice_for(AuditKind::StepUpFailed, &none), None);
    }
}
