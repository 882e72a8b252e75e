//! What the store reads and writes: the records of each aggregate (users, sessions and
//! tokens, guards, factors and ceremonies, audit events), the outcomes of its single-use
//! decisions. Plain data, no SQL.

use crate::domain::audit::AuditKind;

/// A user as stored.
#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: String,
    pub email: String,
    pub password_hash: String,
    pub created_at: i64,
    /// When an operator disabled the account, if they did.
    pub disabled_at: Option<i64>,
    /// Space-separated roles (`admin`).
    pub roles: String,
    /// When MFA was enabled (its oldest factor), if it is.
    pub mfa_enabled_at: Option<i64>,
    /// How many passkeys the user has.
    pub passkeys: i64,
    /// When the current address was proven, if it was.
    pub email_verified_at: Option<i64>,
    /// Whether the person wants the notice of a sign-in from a new browser.
    pub notify_new_browser: bool,
}

/// A new user.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: String,
    pub email: String,
    pub password_hash: String,
    pub created_at: i64,
}

/// A signing key as stored: its private seed sealed under the master key.
#[derive(Debug, Clone)]
pub struct SigningKeyRecord {
    pub id: i64,
    pub kid: String,
    pub key_id: i64,
    /// The sealed Ed25519 seed, or the sealed PKCS#1 DER of an RSA key.
    pub sealed_seed: Vec<u8>,
    pub created_at: i64,
    /// `EdDSA` or `RS256`.
    pub alg: String,
    /// When a newer key became current.
    pub retired_at: Option<i64>,
}

/// A session (one login) as stored.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub id: String,
    pub user_id: String,
    /// Space-separated `amr` values.
    pub amr: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    /// When it was created or last refreshed.
    pub last_used_at: Option<i64>,
    /// The client IP of its creation or last refresh.
    pub ip: Option<String>,
    /// The `User-Agent` of its creation or last refresh.
    pub user_agent: Option<String>,
    /// The user's roles, space separated, when read with the session (for its tokens).
    pub roles: String,
    /// Whether the user's address is proven, when read with the session (for its tokens).
    pub email_verified: bool,
    /// When the session last proved who the person is: its login, or a step-up.
    pub auth_time: i64,
}

/// Who used a session, recorded on each refresh.
#[derive(Debug, Clone, Default)]
pub struct SessionUse {
    pub at: i64,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// The user's other sessions, revoked by a security change: every live session but
/// `keep`; `audit` (`auth.session.revoked`) is written with the number revoked when
/// there were any.
#[derive(Debug, Clone)]
pub struct OtherSessions {
    pub keep: String,
    pub audit: AuditEvent,
}

/// Gives a password attempt's budget back after a correct password: the account key's
/// (unless a lock has started) or the device token's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refund {
    Account { key: Vec<u8>, now: i64 },
    Device { token_hash: Vec<u8> },
}

/// A device token to store (only its keyed hash).
#[derive(Clone)]
pub struct NewDeviceToken {
    pub token_hash: Vec<u8>,
    pub user_id: String,
    pub created_at: i64,
    pub expires_at: i64,
    /// Trusted for MFA (a trusted browser), when set.
    pub trust: Option<DeviceTrust>,
}

/// A device token's trust for MFA: its public id, until when, and the device token the
/// trust is carried over from (whose trust ends in the same transaction).
#[derive(Clone, PartialEq, Eq)]
pub struct DeviceTrust {
    pub id: String,
    pub until: i64,
    pub from: Option<Vec<u8>>,
}

impl std::fmt::Debug for DeviceTrust {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceTrust")
            .field("id", &self.id)
            .field("until", &self.until)
            .finish_non_exhaustive()
    }
}

/// A trusted browser of a user, as `GET /sessions` lists it.
#[derive(Debug, Clone)]
pub struct TrustedDevice {
    pub id: String,
    pub created_at: i64,
    pub trusted_until: i64,
}

impl std::fmt::Debug for NewDeviceToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewDeviceToken")
            .field("user_id", &self.user_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// A refresh token to store (only its keyed hash).
#[derive(Debug, Clone)]
pub struct NewRefreshToken {
    pub token_hash: Vec<u8>,
    pub created_at: i64,
    pub expires_at: i64,
}

/// What presenting a refresh token did.
#[derive(Debug, Clone)]
pub enum RotateOutcome {
    /// It was current: it is now used and the new one replaces it.
    Rotated(SessionRecord),
    /// It had been rotated already: the whole session is now revoked.
    ReuseDetected { session_id: String, user_id: String },
    /// Unknown, expired, or its session is revoked or expired.
    Invalid,
}

/// One audit event to write.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub user_id: Option<String>,
    pub kind: AuditKind,
    pub at: i64,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub details: serde_json::Value,
    /// Webhook event types to queue in the outbox with it (same transaction).
    pub webhooks: Vec<&'static str>,
    /// The security notice to queue in the mail outbox with it (same transaction).
    pub notice: Option<QueuedNotice>,
}

/// A security notice queued with its audit event: sent to `to`, or to the user's address
/// as the transaction leaves it; an `optional` one only when the user has not switched
/// that notice off.
#[derive(Debug, Clone)]
pub struct QueuedNotice {
    pub kind: &'static str,
    pub optional: bool,
    pub to: Option<String>,
}

/// One audit event as stored.
#[derive(Debug, Clone)]
pub struct AuditRecord {
    pub id: i64,
    pub user_id: Option<String>,
    pub kind: String,
    pub at: i64,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub details: String,
}

/// An active TOTP factor, or a pending (unconfirmed) one.
#[derive(Debug, Clone)]
pub struct TotpRecord {
    /// The factor's id (pending: the id it will have; empty for a setup started before
    /// factors had ids).
    pub factor_id: String,
    pub user_id: String,
    /// Which sealing key sealed the secret.
    pub key_id: i64,
    pub sealed_secret: Vec<u8>,
    pub device_name: Option<String>,
    /// Enabled at (active) or created at (pending).
    pub created_at: i64,
    /// When a pending setup expires (`i64::MAX` for an active credential).
    pub expires_at: i64,
}

/// A recovery code as stored: a peppered Argon2id PHC string, and its lookup tag (16 bits
/// of a keyed hash of the user and the code; `None` for codes issued before tags).
#[derive(Debug, Clone)]
pub struct RecoveryCodeRecord {
    pub id: String,
    pub code_hash: String,
    pub lookup: Option<i64>,
}

/// Which enrollment a pending TOTP setup is: it decides how many factors the user may
/// have when the setup is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enrollment {
    /// The first factor (`/mfa/setup`): MFA must be off, no factor yet.
    First,
    /// Another authenticator: MFA on, and fewer than `max_factors` factors.
    Another { max_factors: i64 },
}

impl Enrollment {
    /// The least and most factors the user may have for it (both included).
    pub fn factor_bounds(self) -> (i64, i64) {
        match self {
            Self::First => (0, 0),
            Self::Another { max_factors } => (1, max_factors - 1),
        }
    }
}

/// What [`Store::create_session`](super::Store::create_session) did; nothing was written unless `Started`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStart {
    Started,
    /// The user was disabled meanwhile.
    Disabled,
    /// The trust to move was taken by a concurrent login (or ended) meanwhile.
    TrustGone,
}

/// An unused recovery code a typed code may be, and how many unused codes the user has.
#[derive(Debug, Clone)]
pub struct RecoveryCandidate {
    pub id: String,
    pub code_hash: String,
    pub unused: i64,
}

/// Everything `GET /mfa/status` shows, read in one query.
#[derive(Debug, Clone)]
pub struct MfaStatusRecord {
    pub enabled_at: Option<i64>,
    /// The name of the oldest TOTP factor.
    pub device_name: Option<String>,
    pub totp_factors: i64,
    pub passkey_factors: i64,
    pub recovery_codes_remaining: i64,
    pub pending_expires_at: Option<i64>,
}

/// An MFA challenge as stored, read together with what answering it needs: the user's
/// `login` lock and TOTP credential (one query on the hot path of `verify-mfa`).
#[derive(Debug, Clone)]
pub struct ChallengeRecord {
    pub user_id: String,
    pub expires_at: i64,
    pub consumed_at: Option<i64>,
    /// Until when the user's `login` purpose is locked, if it ever was.
    pub locked_until: Option<i64>,
    /// Non-zero when the `login` counter has failures or locks to reset on a success.
    pub counter_dirty: Option<i64>,
    /// How many factors the user has (0: MFA was turned off after the password step).
    pub factor_count: i64,
    /// One TOTP factor per row (the query joins them); gathered into `totp`.
    pub factor_id: Option<String>,
    pub key_id: Option<i64>,
    pub sealed_secret: Option<Vec<u8>>,
    /// The user's roles, space separated.
    pub roles: Option<String>,
    /// When the user's address was proven, if it was.
    pub email_verified_at: Option<i64>,
    /// Whether the password step came from a browser the account never had.
    pub new_browser: bool,
    /// The user's TOTP factors.
    pub totp: Vec<TotpRecord>,
}

/// A factor as listed (`GET /mfa/factors`); a passkey's with its stored credential.
#[derive(Debug, Clone)]
pub struct FactorRecord {
    pub id: String,
    /// `totp` or `passkey`.
    pub kind: String,
    pub name: Option<String>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    /// A passkey's verified credential (webauthn-rs JSON).
    pub credential: Option<String>,
    /// A passkey's last accepted signature counter.
    pub sign_count: i64,
    /// The owner (read when a passkey is looked up by its credential id).
    pub user_id: String,
}

/// A new passkey factor.
#[derive(Debug, Clone)]
pub struct NewPasskey {
    pub id: String,
    pub user_id: String,
    pub name: Option<String>,
    pub created_at: i64,
    /// base64url of the credential id (unique across users).
    pub credential_id: String,
    pub credential: String,
    pub sign_count: i64,
}

/// A WebAuthn ceremony in progress: the library's state, kept server side.
#[derive(Debug, Clone)]
pub struct CeremonyRecord {
    pub user_id: Option<String>,
    pub purpose: String,
    pub name: Option<String>,
    pub state: String,
    pub expires_at: i64,
}

/// What deleting a factor did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactorDeleted {
    NotFound,
    /// Deleted; `mfa_off` when it was the last one (MFA is now off, codes wiped).
    Deleted {
        mfa_off: bool,
    },
}

/// A step-up: the session proved itself again at `at` with `amr`; its unused refresh
/// tokens are spent and `refresh` becomes its refresh token.
#[derive(Debug, Clone)]
pub struct StepUp {
    pub session_id: String,
    pub amr: String,
    pub at: i64,
    pub refresh: NewRefreshToken,
}
