//! [`Error`]: how a use case fails, independent of any surface. The native API renders it
//! as its `ApiError` (`crate::http::error`); other surfaces translate it their own way.

use crate::crypto::argon::Overloaded;
use crate::store::StoreError;

/// Why a use case did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error("invalid email or password")]
    InvalidCredentials,
    #[error("the access token is missing, invalid, expired or revoked")]
    Unauthorized,
    #[error("the refresh token is invalid, expired or revoked")]
    InvalidToken,
    #[error("the MFA challenge is invalid, expired or already used")]
    InvalidChallenge,
    /// A well-formed code that does not verify (wrong, replayed, used): counted.
    #[error("the code is not valid")]
    InvalidCode,
    #[error("the secret does not match the pending setup")]
    SecretMismatch,
    #[error("there is no pending MFA setup, or it has expired")]
    NoPendingSetup,
    #[error("MFA is already enabled for this account")]
    MfaAlreadyEnabled,
    #[error("MFA is not enabled for this account")]
    MfaNotEnabled,
    /// A lock of the user or account key: try again after `retry_after` seconds.
    #[error("too many attempts; try again later")]
    Locked { retry_after: u64 },
    #[error("this account is disabled")]
    AccountDisabled,
    /// Not an admin with a two-factor session.
    #[error("an admin session with two factors is required")]
    AdminRequired,
    /// The session's last proof is older than `step_up_seconds`: prove it again with one
    /// of `methods` at `POST /auth/step-up`.
    #[error("this action needs a recent sign-in: confirm it's you")]
    StepUpRequired { methods: Vec<&'static str> },
    /// Input a use case refuses (the field and why).
    #[error("{field}: {message}")]
    InvalidInput {
        field: &'static str,
        message: String,
    },
    #[error("not found")]
    NotFound,
    /// A sign-in of an address not yet proven while `require_verified_email` is on.
    #[error(
        "this email address is not verified yet: follow the link we sent, or ask for a new one"
    )]
    EmailNotVerified,
    /// A new verification link for an address that is already proven.
    #[error("this email address is already verified")]
    EmailAlreadyVerified,
    /// An emailed link's token that is unknown, spent, expired or not for this use.
    #[error("this link is invalid, expired or already used")]
    InvalidLink,
    /// A per-user or per-address limit (resending a link): try again after `retry_after`.
    #[error("too many requests; try again later")]
    RateLimited { retry_after: u64 },
    /// Disabling or deleting this user would leave no enabled admin.
    #[error("this is the last admin: grant the admin role to another user first")]
    LastAdmin,
    /// `max_factors` reached.
    #[error("this account has as many factors as it may have")]
    TooManyFactors,
    /// A WebAuthn answer that does not verify (attestation, origin, RP id, signature,
    /// counter) or whose ceremony is spent or expired.
    #[error("the passkey answer is not valid")]
    InvalidCredential,
    /// The hashing queue is full.
    #[error("the server is busy; try again shortly")]
    Overloaded,
    /// The database cannot take the decision now: nothing was accepted (fail closed).
    #[error("the service is temporarily unavailable")]
    Unavailable,
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

/// Result alias of the use cases.
pub type Result<T> = std::result::Result<T, Error>;

/// Any store failure fails closed: nothing was accepted.
impl From<StoreError> for Error {
    fn from(err: StoreError) -> Self {
        match &err {
            StoreError::Unavailable(_) => tracing::error!(error = %err, "database unavailable"),
            _ => tracing::error!(error = ?err, "database error"),
        }
        Self::Unavailable
    }
}

impl From<Overloaded> for Error {
    fn from(_: Overloaded) -> Self {
        Self::Overloaded
    }
}

impl From<anyhow::Error> for Error {
    fn from(err: anyhow::Error) -> Self {
        let err = match err.downcast::<StoreError>() {
            Ok(store) => return store.into(),
            Err(other) => other,
        };
        match err.downcast::<Overloaded>() {
            Ok(overloaded) => overloaded.into(),
            Err(other) => Self::Internal(other),
        }
    }
}
