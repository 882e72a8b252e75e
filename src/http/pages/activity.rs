//! The audit trail in plain sentences, and friendly names for dates and browsers.

use crate::domain::audit::AuditKind;
use crate::service::profile::AuditRecord;

/// One event of the trail as a person reads it: `None` for events that only repeat
/// another one (the password step of a two-step login, the code step of a success).
pub fn sentence(event: &AuditRecord) -> Option<String> {
    let details: serde_json::Value = serde_json::from_str(&event.details).unwrap_or_default();
    let text = |s: &str| Some(s.to_owned());
    let Some(kind) = AuditKind::parse(&event.kind) else {
        return text("Security event");
    };
    match kind {
        AuditKind::Register => text("Account created"),
        AuditKind::LoginSucceeded => {
            let amr = details["amr"].as_array().cloned().unwrap_or_default();
            let has = |m: &str| amr.iter().any(|v| v == m);
            Some(if details["trustedDevice"] == true {
                "Signed in with your password on a trusted browser".into()
            } else if has("hwk") && !has("pwd") {
                "Signed in with a passkey".into()
            } else if has("hwk") {
                "Signed in with your password and a passkey".into()
            } else if has("rcv") {
                "Signed in with a recovery code".into()
            } else if has("otp") {
                "Signed in with your password and a code from your app".into()
            } else {
                "Signed in with your password".into()
            })
        }
        AuditKind::LoginFailed => text("Someone tried to sign in with a wrong password"),
        AuditKind::LoginLocked => text("Sign-in was paused after too many wrong passwords"),
        AuditKind::Logout => text("Signed out"),
        AuditKind::RefreshReuseDetected => {
            text("A copied sign-in token was used, so that session was ended")
        }
        AuditKind::SessionRevoked => Some(
            match details["reason"].as_str().unwrap_or_default() {
                "user_revoked" => "You ended a session",
                "user_revoked_others" => "You signed out everywhere else",
                "password_changed" => "Other sessions were ended because the password changed",
                "mfa_enabled" => {
                    "Other sessions were ended when two-factor authentication was turned on"
                }
                "mfa_disabled" => {
                    "Other sessions were ended when two-factor authentication was turned off"
                }
                "recovery_codes_regenerated" => {
                    "Other sessions were ended when new recovery codes were made"
                }
                _ => "A session was ended",
            }
            .into(),
        ),
        AuditKind::DeviceUntrusted => text("You stopped trusting a browser"),
        AuditKind::StepUpSucceeded => text("You confirmed it was you for a sensitive change"),
        AuditKind::StepUpFailed => text("A wrong password was entered to confirm it was you"),
        AuditKind::DeviceRevoked => text("A browser lost its trusted status after wrong passwords"),
        AuditKind::PasswordChanged => text("Password changed"),
        AuditKind::PasswordChangeFailed => {
            text("A password change was refused: the current password was wrong")
        }
        AuditKind::MfaSetupStarted => text("Two-factor setup started"),
        AuditKind::MfaSetupFailed => text("A wrong code was entered during two-factor setup"),
        AuditKind::MfaEnabled => Some(match details["deviceName"].as_str() {
            Some(device) if !device.is_empty() => {
                format!("Two-factor authentication turned on ({device})")
            }
            _ => "Two-factor authentication turned on".into(),
        }),
        AuditKind::MfaDisabled => text("Two-factor authentication turned off"),
        AuditKind::MfaFactorAdded => Some(match details["type"].as_str() {
            Some("passkey") => "A passkey was added".into(),
            _ => "An authenticator app was added".into(),
        }),
        AuditKind::MfaFactorSetupStarted => text("Adding an authenticator app started"),
        AuditKind::MfaFactorRenamed => text("A sign-in method was renamed"),
        AuditKind::MfaFactorRemoved => text("A sign-in method was removed"),
        AuditKind::MfaPasskeyClonedSuspected => {
            text("A copy of one of your passkeys may exist: its use was refused")
        }
        AuditKind::MfaChallengeFailed => text("A wrong code was entered while signing in"),
        AuditKind::MfaManageFailed => {
            text("A wrong code was entered to change two-factor settings")
        }
        AuditKind::MfaLocked => text("Codes were paused after too many wrong tries"),
        AuditKind::MfaReplayRejected => text("A code that was already used was refused"),
        AuditKind::MfaRecoveryCodeUsed => Some(match details["remaining"].as_i64() {
            Some(n) => format!("A recovery code was used ({n} left)",),
            None => "A recovery code was used".into(),
        }),
        AuditKind::MfaRecoveryCodesRegenerated => {
            text("New recovery codes were made; the old ones no longer work")
        }
        AuditKind::AdminMfaReset => text("An administrator reset your two-factor authentication"),
        AuditKind::AdminSessionsRevoked => text("An administrator signed you out everywhere"),
        AuditKind::AdminUserDisabled => text("An administrator disabled your account"),
        AuditKind::AdminUserEnabled => text("An administrator enabled your account"),
        AuditKind::AdminUserUnlocked => text("An administrator lifted a sign-in pause"),
        AuditKind::AdminRoleGranted => text("You were made an administrator"),
        AuditKind::AdminRoleRevoked => text("Your administrator role was removed"),
        AuditKind::AdminAction => text("You made a change as an administrator"),
        AuditKind::LoginMfaRequired | AuditKind::MfaChallengeSucceeded => None,
        AuditKind::AdminUserDeleted => text("An administrator deleted your account"),
        AuditKind::EmailVerificationSent => text("A link to confirm your email address was sent"),
        AuditKind::EmailVerified => text("Your email address was confirmed"),
        AuditKind::EmailChangeRequested => {
            text("A change of your email address was asked for; a link went to the new one")
        }
        AuditKind::EmailChanged => text("Your email address was changed"),
        AuditKind::PasswordResetRequested => text("A password reset link was asked for"),
        AuditKind::PasswordReset => text("Your password was reset with an emailed link"),
        AuditKind::NoticesChanged => text("Your email notice settings were changed"),
        AuditKind::OidcAuthorized => Some(match details["clientName"].as_str() {
            Some(app) => format!("You signed in to {app}"),
            None => "You signed in to an app".into(),
        }),
        AuditKind::OidcConsentGranted => Some(match details["clientName"].as_str() {
            Some(app) => format!("You allowed {app} to see your account"),
            None => "You allowed an app to see your account".into(),
        }),
        AuditKind::OidcConsentRevoked => text("An app's access to your account was removed"),
        AuditKind::OidcCodeReused => {
            text("An app's sign-in code was used twice: what it gave was withdrawn")
        }
        AuditKind::OidcRefreshReused => {
            text("An app's sign-in was used from two places: it was ended")
        }
    }
}

/// A date as people read it: `25 Nov 2026, 19:20 UTC`.
pub fn when(unix: i64) -> String {
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp(unix) else {
        return String::new();
    };
    let Ok(format) = time::format_description::parse_borrowed::<2>(
        "[day padding:none] [month repr:short] [year], [hour]:[minute] UTC",
    ) else {
        return String::new();
    };
    t.format(&format).unwrap_or_default()
}

/// "Chrome on Linux" from a `User-Agent` header.
pub fn device(user_agent: Option<&str>) -> String {
    let Some(ua) = user_agent.filter(|u| !u.is_empty()) else {
        return "Unknown device".into();
    };
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| *name);
    let os = [
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| *name);
    match (browser, os) {
        (Some(b), Some(o)) => format!("{b} on {o}"),
        (Some(b), None) => b.to_owned(),
        (None, Some(o)) => o.to_owned(),
        (None, None) => ua.chars().take(40).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: &str, details: &str) -> AuditRecord {
        AuditRecord {
            id: 1,
            user_id: None,
            kind: kind.into(),
            at: 0,
            ip: None,
            user_agent: None,
            details: details.into(),
        }
    }

    #[test]
    fn events_read_as_sentences() {
        assert_eq!(
            sentence(&event(
                "auth.login.succeeded",
                r#"{"amr":["pwd","rcv","mfa"]}"#
            ))
            .unwrap(),
            "Signed in with a recovery code"
        );
        assert_eq!(
            sentence(&event("auth.mfa.recovery_code.used", r#"{"remaining":9}"#)).unwrap(),
            "A recovery code was used (9 left)"
        );
        assert!(sentence(&event("auth.mfa.challenge.succeeded", "{}")).is_none());
        assert!(!sentence(&event("auth.mfa.disabled", "{}"))
            .unwrap()
            .contains("auth."));
    }

    #[test]
    fn dates_and_devices() {
        assert_eq!(when(1_795_000_000), "18 Nov 2026, 11:06 UTC");
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
        assert_eq!(device(Some(chrome)), "Chrome on Linux");
        assert_eq!(device(None), "Unknown device");
    }
}
