//! Why a request did not succeed, as a page shows it: the one mapping of a service error
//! to a page's status, title and message (and the field it belongs beside).

use axum::http::StatusCode;

use crate::domain::text::factor_name;
use crate::service::error::Error;

/// Why a request did not succeed, as a page shows it.
#[derive(Debug)]
pub struct Problem {
    pub status: StatusCode,
    pub title: &'static str,
    pub message: String,
    /// The form field the message belongs beside.
    pub field: Option<&'static str>,
    /// More fields with their own messages (a form with several mistakes).
    pub also: Vec<(&'static str, String)>,
    pub retry_after: Option<u64>,
}

impl Problem {
    pub fn new(status: StatusCode, title: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            title,
            message: message.into(),
            field: None,
            also: Vec::new(),
            retry_after: None,
        }
    }

    /// A name field (`subject` names it in the message) refused by the rule every surface
    /// applies to the names of factors and devices ([`factor_name`]).
    pub fn name(field: &'static str, subject: &str, raw: &str) -> Result<Option<String>, Self> {
        factor_name(raw).map_err(|m| Self::field(field, format!("{subject} {m}.")))
    }

    /// A message beside `field` (400 unless `at`).
    pub fn field(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: Some(field),
            ..Self::new(StatusCode::BAD_REQUEST, "Check this field.", message)
        }
    }

    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// Adds another field's message.
    pub fn and(mut self, other: Problem) -> Self {
        if let Some(field) = other.field {
            self.also.push((field, other.message));
        }
        self
    }

    pub fn at(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }

    pub fn rate_limited(retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests.",
                format!(
                    "Too many attempts came from your network. Try again in {}.",
                    wait_words(retry_after)
                ),
            )
        }
    }

    pub fn too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Too much data.",
            "The form sent more than this page accepts. Nothing was changed.",
        )
    }

    pub fn bad_form() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "Something went wrong.",
            "The form could not be read. Nothing was changed; reload the page and try again.",
        )
    }

    /// The plain-words version of a service error that no page handles specially: the one
    /// place the pages translate each service error.
    pub fn from_service(e: Error) -> Self {
        use StatusCode as S;
        match e {
            Error::Locked { retry_after } => Self {
                retry_after: Some(retry_after),
                ..Self::new(
                    S::TOO_MANY_REQUESTS,
                    "Too many attempts.",
                    format!(
                        "For your safety, this is paused. Try again in {}.",
                        wait_words(retry_after)
                    ),
                )
            },
            Error::InvalidCredentials => Self::new(
                S::UNAUTHORIZED,
                "That didn't work.",
                "The email or password is not right.",
            ),
            Error::InvalidCode => Self::new(
                S::UNAUTHORIZED,
                "That didn't work.",
                "That code is not right, or it was already used. Enter the newest code.",
            ),
            Error::AccountDisabled => Self::new(
                S::FORBIDDEN,
                "This account is disabled.",
                "Ask your administrator to turn it back on.",
            ),
            Error::RateLimited { retry_after } => Self {
                retry_after: Some(retry_after),
                ..Self::new(
                    S::TOO_MANY_REQUESTS,
                    "Not so fast.",
                    format!("A message was sent a moment ago. Try again in {}.", wait_words(retry_after)),
                )
            },
            Error::EmailNotVerified => Self::new(
                S::FORBIDDEN,
                "Confirm your email address first.",
                "Open the link we sent to your address. No message? Ask for a new one below.",
            ),
            Error::InvalidLink => Self::new(
                S::BAD_REQUEST,
                "This link does not work.",
                "It was already used, it expired, or it was copied incompletely. Ask for a new one.",
            ),
            Error::EmailTaken => Self::new(
                S::CONFLICT,
                "Email in use.",
                "An account with this email already exists. Sign in instead.",
            ),
            Error::InvalidInput { field, message } => Self {
                field: Some(field),
                ..Self::new(S::BAD_REQUEST, "Check this field.", message)
            },
            Error::Overloaded | Error::Unavailable => Self {
                retry_after: Some(1),
                ..Self::new(
                    S::SERVICE_UNAVAILABLE,
                    "Temporarily unavailable.",
                    "The service could not handle this just now. Nothing was changed. Try again in a moment.",
                )
            },
            Error::Internal(e) => {
                tracing::error!(error = ?e, "page failed");
                Self::new(
                    S::INTERNAL_SERVER_ERROR,
                    "Something went wrong.",
                    "Nothing was changed. Try again in a moment.",
                )
            }
            other @ (Error::Unauthorized
            | Error::InvalidToken
            | Error::InvalidChallenge
            | Error::SecretMismatch
            | Error::NoPendingSetup
            | Error::MfaAlreadyEnabled
            | Error::MfaNotEnabled
            | Error::AdminRequired
            | Error::StepUpRequired { .. }
            | Error::NotFound
            | Error::EmailAlreadyVerified
            | Error::LastAdmin
            | Error::TooManyFactors
            | Error::InvalidCredential) => {
                Self::new(S::BAD_REQUEST, "That didn't work.", other.to_string())
            }
        }
    }
}

/// A wait in words: "45 seconds", "2 minutes", "3 hours".
pub fn wait_words(seconds: u64) -> String {
    let plural = |n: u64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match seconds {
        0..=59 => plural(seconds.max(1), "second"),
        60..=3599 => plural(seconds.div_ceil(60), "minute"),
        _ => plural(seconds.div_ceil(3600), "hour"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_read_as_words() {
        assert_eq!(wait_words(0), "1 second");
        assert_eq!(wait_words(45), "45 seconds");
        assert_eq!(wait_words(60), "1 minute");
        assert_eq!(wait_words(61), "2 minutes");
        assert_eq!(wait_words(7200), "2 hours");
    }
}
