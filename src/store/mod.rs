//! Persistence. [`Store`] is the one interface the services use; [`connect`] picks the
//! backend from the URL scheme at run time (`sqlite:` or `postgres:`/`postgresql:`).
//! Anything single-use is decided by the database in one conditional statement, and every
//! change of more than one row is one transaction.

use std::sync::Arc;

use async_trait::async_trait;

use crate::domain::lockout::{AttemptState, LockPolicy};

mod backend;
/// Online SQLite backups.
pub mod backup;
mod operate;
pub use operate::*;
mod records;
pub use records::*;
#[cfg(feature = "postgres")]
pub mod postgres;
mod sql;
#[cfg(feature = "sqlite")]
pub mod sqlite;

/// Errors of the storage layer, independent of the backend.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint was violated (e.g. the email is taken).
    #[error("unique constraint violated")]
    UniqueViolation,
    /// The database cannot be reached (connection refused, pool timed out...).
    #[error("database unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    /// Anything else.
    #[error("database error: {0}")]
    Other(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => Self::UniqueViolation,
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed => Self::Unavailable(err),
            sqlx::Error::Database(db) if db.code().is_some_and(|c| is_unavailable_code(&c)) => {
                Self::Unavailable(err)
            }
            _ => Self::Other(err),
        }
    }
}

/// PostgreSQL SQLSTATEs that mean "the database is not there right now" rather than a
/// bug: connection exceptions (08), insufficient resources (53, e.g. too many
/// connections), operator intervention (57, e.g. admin shutdown), a database that does not
/// exist (3D000) or does not accept connections (55000).
fn is_unavailable_code(code: &str) -> bool {
    ["08", "53", "57"]
        .iter()
        .any(|class| code.starts_with(class))
        || code == "3D000"
        || code == "55000"
}

/// A boxed, sendable future (the shape of a unit of write work).
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// What a unit of write work returns: whether to keep its changes, and its value.
pub type WriteResult<T> = Result<(bool, T), sqlx::Error>;

/// Result alias of the storage layer.
pub type StoreResult<T> = Result<T, StoreError>;

/// The storage interface of the service.
#[async_trait]
pub trait Store: OperatorStore + Send + Sync + 'static {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    /// Runs the embedded migrations (safe to call from several instances at once).
    async fn migrate(&self) -> StoreResult<()>;
    /// Checks that the database answers.
    async fn ping(&self) -> StoreResult<()>;

    /// Stores `key` unless a key with its `id` exists; several instances may race here.
    async fn insert_signing_key_if_absent(&self, key: &SigningKeyRecord) -> StoreResult<()>;
    /// All signing keys, newest first.
    async fn signing_keys(&self) -> StoreResult<Vec<SigningKeyRecord>>;

    /// Creates a user and writes `audit`, in one transaction.
    async fn create_user(&self, user: &NewUser, audit: &AuditEvent) -> StoreResult<()>;
    /// The user with this (normalized) email.
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>>;
    /// The user with this id.
    async fn user_by_id(&self, id: &str) -> StoreResult<Option<UserRecord>>;

    /// Creates a session with its first refresh token (and a device token, when given),
    /// applies `refund` and writes `audit`, in one transaction; only while the user is not
    /// disabled (checked under the user's row lock, so a disable in flight either waits
    /// and then revokes it, or is seen), and, when the device token's trust moves from an
    /// older token, only if that trust is still there to take (one login gets it).
    async fn create_session(
        &self,
        session: &SessionRecord,
        refresh: &NewRefreshToken,
        device: Option<&NewDeviceToken>,
        refund: Option<&Refund>,
        audit: &[AuditEvent],
    ) -> StoreResult<SessionStart>;
    /// The session with this id.
    async fn session(&self, id: &str) -> StoreResult<Option<SessionRecord>>;
    /// Uses the refresh token whose hash is `old_hash` and stores `new` in its place,
    /// recording `used` on the session; a reused token revokes its session and writes
    /// `auth.refresh.reuse_detected`.
    async fn rotate_refresh_token(
        &self,
        old_hash: &[u8],
        new: &NewRefreshToken,
        used: &SessionUse,
        reuse_audit: AuditEvent,
    ) -> StoreResult<RotateOutcome>;
    /// Revokes a session (and so its refresh tokens); writes `audit` if it was live.
    async fn revoke_session(&self, id: &str, now: i64, audit: &AuditEvent) -> StoreResult<bool>;
    /// The user's live sessions at `now`, newest first.
    async fn user_sessions(&self, user_id: &str, now: i64) -> StoreResult<Vec<SessionRecord>>;
    /// Revokes the user's live session `id`; writes `audit` if it did. False when the
    /// session is unknown, another user's, or not live.
    async fn revoke_user_session(
        &self,
        user_id: &str,
        id: &str,
        now: i64,
        audit: &AuditEvent,
    ) -> StoreResult<bool>;
    /// Revokes every live session of the user but `others.keep`; returns how many.
    async fn revoke_other_sessions(
        &self,
        user_id: &str,
        others: &OtherSessions,
        now: i64,
    ) -> StoreResult<u64>;
    /// The MFA trust of device token `token_hash` of `user_id` at `now`, if it is trusted.
    async fn device_trust(
        &self,
        token_hash: &[u8],
        user_id: &str,
        now: i64,
    ) -> StoreResult<Option<DeviceTrust>>;
    /// The trusted browsers of `user_id` at `now`.
    async fn trusted_devices(&self, user_id: &str, now: i64) -> StoreResult<Vec<TrustedDevice>>;
    /// Ends the trust of the user's trusted browser `id` with `audit`; false if none.
    async fn end_device_trust(
        &self,
        user_id: &str,
        id: &str,
        audit: &[AuditEvent],
    ) -> StoreResult<bool>;
    /// In one transaction: a step-up proved by a password (whose budget `refund` gives
    /// back) and `audit`. False (nothing written) when the session is no longer live.
    async fn step_up_session(
        &self,
        user_id: &str,
        step_up: &StepUp,
        refund: Option<&Refund>,
        audit: &[AuditEvent],
    ) -> StoreResult<bool>;
    /// In one transaction: sets the password hash, revokes the other sessions, writes `audit`.
    async fn change_password(
        &self,
        user_id: &str,
        password_hash: &str,
        others: &OtherSessions,
        now: i64,
        audit: &[AuditEvent],
    ) -> StoreResult<u64>;

    /// Admits (counts) one untrusted password attempt for `account_key`, in one
    /// statement, before any hashing. False when the key is locked or `max` attempts are
    /// already counted.
    async fn admit_account(&self, account_key: &[u8], now: i64, max: u32) -> StoreResult<bool>;
    /// The guard state of `account_key`, if it has one.
    async fn login_guard(&self, account_key: &[u8]) -> StoreResult<Option<AttemptState>>;
    /// After a wrong password counted against `account_key`: writes `audit`, and when the
    /// budget is spent and no lock runs, starts one under `policy` and writes `lock_audit`.
    /// True when this call started a lock.
    async fn account_failed(
        &self,
        account_key: &[u8],
        now: i64,
        policy: LockPolicy,
        audit: &[AuditEvent],
        lock_audit: AuditEvent,
    ) -> StoreResult<bool>;
    /// After a correct password that starts nothing else: gives the budget back.
    async fn refund(&self, refund: &Refund) -> StoreResult<()>;
    /// Admits (counts) one password attempt under a live device token of `user_id`
    /// whose budget of `max` is not spent.
    async fn admit_device(
        &self,
        token_hash: &[u8],
        user_id: &str,
        now: i64,
        max: u32,
    ) -> StoreResult<bool>;
    /// After a wrong password under a device token: writes `audit`; revokes the token when
    /// its budget of `max` is spent, writing `revoke_audit`. True when it was revoked.
    async fn device_failed(
        &self,
        token_hash: &[u8],
        now: i64,
        max: u32,
        audit: &[AuditEvent],
        revoke_audit: AuditEvent,
    ) -> StoreResult<bool>;

    /// Deletes state that ended before `now` (challenges, pending setups, sessions,
    /// refresh and device tokens, idle login guards), audit and webhook events older than
    /// `audit_before`, and the sent webhook events of deleted users, in small transactions
    /// of at most `chunk` rows. Returns rows deleted.
    async fn sweep(&self, now: i64, audit_before: i64, chunk: i64) -> StoreResult<u64>;

    /// Test hook: makes the write path fail as if its connection died (SQLite: the
    /// group-commit writer panics; with `keep_down` it cannot be restarted until
    /// [`Store::release_writer_for_tests`]). Other backends ignore it.
    #[cfg(feature = "test-hooks")]
    async fn crash_writer_for_tests(&self, _keep_down: bool) {}
    /// Test hook: lets a writer crashed with `keep_down` restart.
    #[cfg(feature = "test-hooks")]
    fn release_writer_for_tests(&self) {}

    /// Appends one audit event on its own.
    async fn append_audit(&self, event: &AuditEvent) -> StoreResult<()>;
    /// A user's events, newest first, older than `before` when given.
    async fn audit_events(
        &self,
        user_id: &str,
        before: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<AuditRecord>>;

    /// Seconds left on the user's lock of `purpose` at `now`, if it is locked.
    async fn lock_remaining(
        &self,
        user_id: &str,
        purpose: &str,
        now: i64,
    ) -> StoreResult<Option<u64>>;
    /// Admits (counts) one code attempt of `purpose` for `user_id` in one statement, before
    /// any hashing: false when the purpose is locked at `now` or `max` failures (counted
    /// or in flight) are already there.
    async fn admit_code(
        &self,
        user_id: &str,
        purpose: &str,
        now: i64,
        max: u32,
    ) -> StoreResult<bool>;
    /// After a wrong code admitted by [`Store::admit_code`]: writes `audit`, and when the
    /// budget is spent and no lock runs, starts one under `policy` and writes `lock_audit`
    /// (with `lockedForSeconds`). True when this call started a lock.
    async fn code_failed(
        &self,
        user_id: &str,
        purpose: &str,
        now: i64,
        policy: LockPolicy,
        audit: &[AuditEvent],
        lock_audit: AuditEvent,
    ) -> StoreResult<bool>;
    /// Counts one failure under `policy` and writes `audit`, in one transaction. Returns the state before the failure (a failure
    /// that arrives while locked is not counted; the caller answers 429) and after it.
    async fn record_failure(
        &self,
        user_id: &str,
        purpose: &str,
        now: i64,
        policy: LockPolicy,
        audit: &[AuditEvent],
    ) -> StoreResult<(AttemptState, AttemptState)>;

    /// Stores (replacing any earlier one) the user's pending TOTP setup and writes
    /// `audit`, while the user's factors leave room for it as `enrollment` says (else
    /// false, nothing written).
    async fn put_pending_totp(
        &self,
        pending: &TotpRecord,
        enrollment: Enrollment,
        audit: &AuditEvent,
    ) -> StoreResult<bool>;
    /// The user's pending TOTP setup, expired or not.
    async fn pending_totp(&self, user_id: &str) -> StoreResult<Option<TotpRecord>>;
    /// The user's TOTP factors, oldest first.
    async fn totp_factors(&self, user_id: &str) -> StoreResult<Vec<TotpRecord>>;
    /// The user's factors, oldest first.
    async fn factors(&self, user_id: &str) -> StoreResult<Vec<FactorRecord>>;
    /// The passkey whose credential id (base64url) is `credential_id`, with its owner.
    async fn passkey_by_credential(&self, credential_id: &str)
        -> StoreResult<Option<FactorRecord>>;
    /// Renames the user's factor `id` with `audit`; the factor, or `None`.
    async fn rename_factor(
        &self,
        user_id: &str,
        id: &str,
        name: Option<&str>,
        audit: &AuditEvent,
    ) -> StoreResult<Option<FactorRecord>>;
    /// In one transaction: deletes the user's factor `id` (its replay floor kept), ends
    /// every trusted browser of the user; when it was the last factor, also the recovery
    /// codes, pending setup and open challenges (MFA off). Writes `audit` (and
    /// `off_audit` when MFA went off).
    async fn delete_factor(
        &self,
        user_id: &str,
        id: &str,
        audit: &[AuditEvent],
        off_audit: &[AuditEvent],
        others: &OtherSessions,
        now: i64,
    ) -> StoreResult<FactorDeleted>;
    /// Claims the live registration ceremony `token_hash` of `user_id` in one statement
    /// (it becomes `register-claimed`, which only [`Store::add_passkey`] takes): of
    /// requests finishing one ceremony at once, one goes on to the costly work.
    async fn claim_registration(
        &self,
        token_hash: &[u8],
        user_id: &str,
        now: i64,
    ) -> StoreResult<bool>;
    /// Stores a WebAuthn ceremony's state under the hash of its token.
    async fn put_ceremony(
        &self,
        token_hash: &[u8],
        ceremony: &CeremonyRecord,
        now: i64,
    ) -> StoreResult<()>;
    /// The ceremony with this hash, expired or not.
    async fn ceremony(&self, token_hash: &[u8]) -> StoreResult<Option<CeremonyRecord>>;
    /// In one transaction: spends the registration ceremony, adds the passkey (at most
    /// `max` factors); for the user's first factor also stores `recovery` and makes sure
    /// the `login` counter exists. Writes `audit` when added, and `first_audit` too when
    /// it is the first factor (MFA turned on).
    #[allow(clippy::too_many_arguments)]
    #[allow(clippy::too_many_arguments)]
    async fn add_passkey(
        &self,
        ceremony_hash: &[u8],
        passkey: &NewPasskey,
        max: i64,
        recovery: &[RecoveryCodeRecord],
        now: i64,
        audit: &[AuditEvent],
        first_audit: &[AuditEvent],
        others: &OtherSessions,
    ) -> StoreResult<PasskeyAdded>;
    /// The user's MFA state in one read.
    async fn mfa_status(&self, user_id: &str) -> StoreResult<MfaStatusRecord>;
    /// The user's unused recovery codes whose lookup tag is `lookup` (or who have none).
    async fn unused_recovery_codes(
        &self,
        user_id: &str,
        lookup: i64,
    ) -> StoreResult<Vec<RecoveryCandidate>>;
    /// Stores a new MFA challenge (its keyed hash), applies `refund` and writes `audit`;
    /// makes sure the user's failure counter of `counter_purpose` exists.
    #[allow(clippy::too_many_arguments)]
    async fn create_challenge(
        &self,
        token_hash: &[u8],
        user_id: &str,
        counter_purpose: &str,
        now: i64,
        expires_at: i64,
        refund: Option<&Refund>,
        audit: &AuditEvent,
    ) -> StoreResult<()>;
    /// The challenge with this hash, with the user's login lock and credential.
    async fn challenge(&self, token_hash: &[u8]) -> StoreResult<Option<ChallengeRecord>>;
    /// In one transaction: refuses if `purpose` is locked, consumes `proof` (single use,
    /// decided by one conditional statement), applies `effect`, resets the failure count
    /// and writes `audit`. Any refusal rolls everything back.
    async fn complete_mfa(
        &self,
        user_id: &str,
        purpose: &str,
        now: i64,
        proof: MfaProof,
        effect: MfaEffect,
        audit: &[AuditEvent],
    ) -> StoreResult<MfaOutcome>;
}

/// How to open the database.
#[derive(Debug, Clone, Copy)]
pub struct StoreOptions {
    /// Largest number of pooled connections (SQLite: readers).
    pub max_connections: u32,
    /// How long a request waits for a connection, seconds.
    pub acquire_timeout_secs: u64,
    /// SQLite: most units of write work committed together (1 = one flush per write).
    pub write_batch_max: usize,
}

/// Opens the database at `url`, choosing the backend from its scheme.
/// `postgres://` and `postgresql://` select PostgreSQL; `sqlite:` URLs and bare file paths
/// (`/var/lib/twofold/twofold.db`) select SQLite.
pub async fn connect(url: &str, options: StoreOptions) -> anyhow::Result<Arc<dyn Store>> {
    match Backend::of(url)? {
        #[cfg(feature = "sqlite")]
        Backend::Sqlite(url) => Ok(Arc::new(sqlite::SqliteStore::connect(&url, options).await?)),
        #[cfg(feature = "postgres")]
        Backend::Postgres => Ok(Arc::new(postgres::PgStore::connect(url, options).await?)),
    }
}

/// The backend a database URL names.
#[derive(Debug, PartialEq, Eq)]
enum Backend {
    /// With the URL to open (a bare path becomes `sqlite://PATH`).
    Sqlite(String),
    Postgres,
}

impl Backend {
    fn of(url: &str) -> anyhow::Result<Self> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres);
        }
        if url.contains(":memory:") || url.contains("mode=memory") {
            anyhow::bail!("in-memory SQLite databases are not supported: name a file");
        }
        if url.starts_with("sqlite:") {
            return Ok(Self::Sqlite(url.to_owned()));
        }
        match url.split_once("://") {
            Some((scheme, _)) => anyhow::bail!(
                "unsupported database URL scheme {scheme:?} (use sqlite: or postgres:)"
            ),
            None => Ok(Self::Sqlite(format!("sqlite://{url}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_is_chosen_from_the_url() {
        assert_eq!(Backend::of("postgres://u@h/db").unwrap(), Backend::Postgres);
        assert_eq!(
            Backend::of("postgresql://u@h/db").unwrap(),
            Backend::Postgres
        );
        assert_eq!(
            Backend::of("sqlite://a.db?mode=rwc").unwrap(),
            Backend::Sqlite("sqlite://a.db?mode=rwc".into())
        );
        assert_eq!(
            Backend::of("/var/lib/t.db").unwrap(),
            Backend::Sqlite("sqlite:///var/lib/t.db".into())
        );
        assert_eq!(
            Backend::of("t.db").unwrap(),
            Backend::Sqlite("sqlite://t.db".into())
        );
        assert!(Backend::of("mysql://x").is_err());
        assert!(Backend::of("sqlite::memory:").is_err());
    }
}
