//! The purposes a failure counter (and its lock) is kept for, per user: a leaf that
//! every module spending a code names, so none of them has to import another for it.

use crate::domain::audit::AuditKind;

/// What a counted failure was for: each purpose has its own counter and lock per user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// `verify-mfa`: the second step of login.
    Login,
    /// `setup/confirm`: proving a new authenticator.
    Setup,
    /// The code-protected actions: regenerate, disable, step-up.
    Manage,
    /// A passwordless passkey login.
    Passkey,
}

impl Purpose {
    /// The name stored with the counter and used as the metrics label (unchanged strings).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::Setup => "setup",
            Self::Manage => "manage",
            Self::Passkey => "passkey",
        }
    }

    /// The audit event of a code of this purpose that did not verify.
    pub const fn failure_event(self) -> AuditKind {
        match self {
            Self::Login => AuditKind::MfaChallengeFailed,
            Self::Setup => AuditKind::MfaSetupFailed,
            Self::Manage | Self::Passkey => AuditKind::MfaManageFailed,
        }
    }
}

impl serde::Serialize for Purpose {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Purpose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Failure counter of `verify-mfa`.
pub const LOGIN: Purpose = Purpose::Login;
/// Failure counter of `setup/confirm`.
pub const SETUP: Purpose = Purpose::Setup;
/// Failure counter of regenerate, disable and step-up.
pub const MANAGE: Purpose = Purpose::Manage;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_keep_their_stored_names() {
        let names: Vec<_> = [LOGIN, SETUP, MANAGE, Purpose::Passkey]
            .iter()
            .map(|p| p.as_str())
            .collect();
        assert_eq!(names, ["login", "setup", "manage", "passkey"]);
        assert_eq!(Purpose::Passkey.failure_event(), AuditKind::MfaManageFailed);
    }
}
