//! [`ApiError`]: every failure a handler can return, rendered in the contract's shape
//! `{"error", "message", "status", "details"?, "retryAfter"?}`. Internal causes are logged
//! with their chain and shown to the client only as `internal_error`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::service::error::Error as ServiceError;

/// One field-level validation problem.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct FieldError {
    /// The JSON field name (camelCase, as the client sent it).
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl FieldError {
    /// A validation problem on `field`.
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// Everything an endpoint can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    InvalidInput {
        message: String,
        details: Vec<FieldError>,
    },
    #[error("the request body is larger than 64 KiB")]
    PayloadTooLarge,
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
    /// A code that is well formed but does not verify; `status` is 401 on login, 400 elsewhere.
    #[error("the code is not valid")]
    InvalidCode { status: StatusCode },
    #[error("the secret does not match the pending setup")]
    SecretMismatch,
    #[error("there is no pending MFA setup, or it has expired")]
    NoPendingSetup,
    #[error("MFA is already enabled for this account")]
    MfaAlreadyEnabled,
    #[error("MFA is not enabled for this account")]
    MfaNotEnabled,
    #[error("too many attempts; try again later")]
    TooManyAttempts { retry_after: u64 },
    #[error("too many requests from this address; try again later")]
    RateLimited { retry_after: u64 },
    #[error("this account is disabled")]
    AccountDisabled,
    #[error("an admin session with two factors is required")]
    AdminRequired,
    #[error("this action needs a recent sign-in: step up at POST /auth/step-up")]
    StepUpRequired { methods: Vec<&'static str> },
    #[error("cross-site request refused")]
    CrossSite,
    #[error("the server is busy; try again shortly")]
    Overloaded,
    #[error("the request took too long")]
    Timeout,
    #[error("not found")]
    NotFound,
    #[error("this is the last admin: grant the admin role to another user first")]
    LastAdmin,
    #[error("this account has as many factors as it may have")]
    TooManyFactors,
    #[error("the passkey answer is not valid")]
    InvalidCredential,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("the service is temporarily unavailable")]
    Unavailable,
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    /// A 400 `invalid_input` with one field detail.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::InvalidInput {
            message: format!("{field}: {message}"),
            details: vec![FieldError::new(field, message)],
        }
    }

    /// A 400 `invalid_input` without field details (e.g. a body that is not JSON).
    pub fn invalid_body(message: impl Into<String>) -> Self {
        Self::InvalidInput {
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::InvalidInput { .. }
            | Self::SecretMismatch
            | Self::NoPendingSetup
            | Self::MfaNotEnabled
            | Self::InvalidCredential => StatusCode::BAD_REQUEST,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::EmailTaken | Self::MfaAlreadyEnabled | Self::TooManyFactors | Self::LastAdmin => {
                StatusCode::CONFLICT
            }
            Self::InvalidCredentials
            | Self::Unauthorized
            | Self::InvalidToken
            | Self::InvalidChallenge => StatusCode::UNAUTHORIZED,
            Self::InvalidCode { status } => *status,
            Self::TooManyAttempts { .. } | Self::RateLimited { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            Self::AccountDisabled
            | Self::CrossSite
            | Self::AdminRequired
            | Self::StepUpRequired { .. } => StatusCode::FORBIDDEN,
            Self::Overloaded | Self::Timeout => StatusCode::SERVICE_UNAVAILABLE,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable snake_case error code of the contract.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidInput { .. } => "invalid_input",
            Self::PayloadTooLarge => "payload_too_large",
            Self::EmailTaken => "email_taken",
            Self::InvalidCredentials => "invalid_credentials",
            Self::Unauthorized => "unauthorized",
            Self::InvalidToken => "invalid_token",
            Self::InvalidChallenge => "invalid_challenge",
            Self::InvalidCode { .. } => "invalid_code",
            Self::SecretMismatch => "secret_mismatch",
            Self::NoPendingSetup => "no_pending_setup",
            Self::MfaAlreadyEnabled => "mfa_already_enabled",
            Self::MfaNotEnabled => "mfa_not_enabled",
            Self::TooManyAttempts { .. } => "too_many_attempts",
            Self::RateLimited { .. } => "rate_limited",
            Self::AccountDisabled => "account_disabled",
            Self::AdminRequired => "admin_required",
            Self::StepUpRequired { .. } => "step_up_required",
            Self::CrossSite => "cross_site_request",
            Self::Overloaded => "overloaded",
            Self::Timeout => "timeout",
            Self::NotFound => "not_found",
            Self::LastAdmin => "last_admin",
            Self::TooManyFactors => "too_many_factors",
            Self::InvalidCredential => "invalid_credential",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Unavailable => "service_unavailable",
            Self::Internal(_) => "internal_error",
        }
    }
}

/// The native API's rendering of a use case's failure. A code that does not verify is
/// 400 here; `verify-mfa` answers 401 instead (see [`ApiError::on_login`]).
impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::EmailTaken => Self::EmailTaken,
            ServiceError::InvalidCredentials => Self::InvalidCredentials,
            ServiceError::Unauthorized => Self::Unauthorized,
            ServiceError::InvalidToken => Self::InvalidToken,
            ServiceError::InvalidChallenge => Self::InvalidChallenge,
            ServiceError::InvalidCode => Self::InvalidCode {
                status: StatusCode::BAD_REQUEST,
            },
            ServiceError::SecretMismatch => Self::SecretMismatch,
            ServiceError::NoPendingSetup => Self::NoPendingSetup,
            ServiceError::MfaAlreadyEnabled => Self::MfaAlreadyEnabled,
            ServiceError::MfaNotEnabled => Self::MfaNotEnabled,
            ServiceError::Locked { retry_after } => Self::TooManyAttempts { retry_after },
            ServiceError::AccountDisabled => Self::AccountDisabled,
            ServiceError::AdminRequired => Self::AdminRequired,
            ServiceError::StepUpRequired { methods } => Self::StepUpRequired { methods },
            ServiceError::InvalidInput { field, message } => Self::invalid_field(field, message),
            ServiceError::NotFound => Self::NotFound,
            ServiceError::LastAdmin => Self::LastAdmin,
            ServiceError::TooManyFactors => Self::TooManyFactors,
            ServiceError::InvalidCredential => Self::InvalidCredential,
            ServiceError::Overloaded => Self::Overloaded,
            ServiceError::Unavailable => Self::Unavailable,
            ServiceError::Internal(e) => Self::Internal(e),
        }
    }
}

impl ApiError {
    /// The seconds a client should wait before trying again, for the errors that say so.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::TooManyAttempts { retry_after } | Self::RateLimited { retry_after } => {
                Some((*retry_after).max(1))
            }
            Self::Overloaded | Self::Timeout => Some(1),
            _ => None,
        }
    }

    /// Adds the `Retry-After` header this error calls for to `response`.
    pub fn with_retry_after(&self, mut response: Response) -> Response {
        if let Some(secs) = self.retry_after() {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }

    /// On the login's second step a code that does not verify is 401, not 400.
    pub fn on_login(err: ServiceError) -> Self {
        match err {
            ServiceError::InvalidCode => Self::InvalidCode {
                status: StatusCode::UNAUTHORIZED,
            },
            other => other.into(),
        }
    }
}

/// Store, hashing-queue and other failures are classified once, by the service error.
impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> Self {
        ServiceError::from(err).into()
    }
}

/// The body of every error: a stable snake_case `error` code, a message for people, the
/// HTTP status, field problems of a 400, and `retryAfter` (seconds) of a 429 or 503.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Error)]
pub(crate) struct ErrorBody<'a> {
    error: &'a str,
    message: String,
    status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<FieldError>>)]
    details: Option<&'a [FieldError]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_after: Option<u64>,
    /// How to step up (`step_up_required`): `totp`, `recovery`, `password`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<String>>)]
    methods: Option<&'a [&'static str]>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(cause) = &self {
            tracing::error!(error = ?cause, "internal error");
        }
        let status = self.status();
        let details = match &self {
            Self::InvalidInput { details, .. } if !details.is_empty() => Some(details.as_slice()),
            _ => None,
        };
        let retry_after = self.retry_after();
        let methods = match &self {
            Self::StepUpRequired { methods } => Some(methods.as_slice()),
            _ => None,
        };
        let body = ErrorBody {
            methods,
            error: self.code(),
            message: self.to_string(),
            status: status.as_u16(),
            details,
            retry_after,
        };
        let response = (status, axum::Json(body)).into_response();
        self.with_retry_after(response)
    }
}

/// Result alias for handlers and services.
pub type ApiResult<T> = Result<T, ApiError>;
