//! The one place the CLI turns a service error into what an operator reads (the command
//! then exits with status 1). Every variant is named, so a new one must be worded here.

use crate::service::error::Error;

/// What an operator reads for `error`.
pub(super) fn explain(error: Error) -> anyhow::Error {
    match error {
        Error::NotFound => anyhow::anyhow!("no such user"),
        Error::LastAdmin => anyhow::anyhow!(
            "refused: this is the last admin (the only enabled one); grant the admin role to another user first"
        ),
        Error::Unavailable => {
            anyhow::anyhow!("the database is unavailable; nothing was changed (try again)")
        }
        Error::Overloaded => anyhow::anyhow!("the server is busy; try again shortly"),
        Error::InvalidInput { field, message } => anyhow::anyhow!("{field}: {message}"),
        Error::MfaAlreadyEnabled => anyhow::anyhow!("MFA is already enabled for this user"),
        Error::MfaNotEnabled => anyhow::anyhow!("MFA is not enabled for this user"),
        Error::Internal(cause) => cause.context("internal error"),
        // What only a person signing in meets; worded as the service words it.
        e @ (Error::EmailTaken
        | Error::InvalidCredentials
        | Error::Unauthorized
        | Error::InvalidToken
        | Error::InvalidChallenge
        | Error::InvalidCode
        | Error::SecretMismatch
        | Error::NoPendingSetup
        | Error::Locked { .. }
        | Error::AccountDisabled
        | Error::AdminRequired
        | Error::StepUpRequired { .. }
        | Error::TooManyFactors
        | Error::InvalidCredential
        | Error::EmailNotVerified
        | Error::EmailAlreadyVerified
        | Error::InvalidLink
        | Error::RateLimited { .. }) => anyhow::Error::new(e),
    }
}
