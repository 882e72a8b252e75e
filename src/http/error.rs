//! [`ApiError`]: the native API's rendering of a [`Failure`] (a use case's error or a
//! refusal of the HTTP layer) in the contract's shape
//! `{"error", "message", "status", "details"?, "retryAfter"?, "methods"?}`. Internal causes
//! are logged with their chain and shown to the client only as `internal_error`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::failure::{Failure, FieldError, Refusal};
use crate::service::error::Error as ServiceError;

/// Everything a native endpoint can fail with, rendered in the contract's shape.
#[derive(Debug)]
pub struct ApiError(Failure);

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        Self(Failure::Service(err))
    }
}

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        Self(Failure::Refused(refusal))
    }
}

impl ApiError {
    /// A 400 `invalid_input` with one field detail.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        Refusal::invalid_field(field, message).into()
    }

    /// A 400 `invalid_input` without field details (e.g. a query that does not parse).
    pub fn invalid_body(message: impl Into<String>) -> Self {
        Refusal::invalid_body(message).into()
    }

    /// On a sign-in step (the login's second step, a step-up) a code that does not verify
    /// is 401, not 400.
    pub fn on_login(err: ServiceError) -> Self {
        Self(Failure::SignIn(err))
    }
}

/// The native status and code of a use case's failure: the one place each service error
/// gets its contract shape. A code that does not verify is 400 here; on a sign-in step it
/// is 401 (see [`ApiError::on_login`]).
fn native(e: &ServiceError) -> (StatusCode, &'static str) {
    use ServiceError as E;
    use StatusCode as S;
    match e {
        E::EmailTaken => (S::CONFLICT, "email_taken"),
        E::InvalidCredentials => (S::UNAUTHORIZED, "invalid_credentials"),
        E::Unauthorized => (S::UNAUTHORIZED, "unauthorized"),
        E::InvalidToken => (S::UNAUTHORIZED, "invalid_token"),
        E::InvalidChallenge => (S::UNAUTHORIZED, "invalid_challenge"),
        E::InvalidCode => (S::BAD_REQUEST, "invalid_code"),
        E::SecretMismatch => (S::BAD_REQUEST, "secret_mismatch"),
        E::NoPendingSetup => (S::BAD_REQUEST, "no_pending_setup"),
        E::MfaAlreadyEnabled => (S::CONFLICT, "mfa_already_enabled"),
        E::MfaNotEnabled => (S::BAD_REQUEST, "mfa_not_enabled"),
        E::Locked { .. } => (S::TOO_MANY_REQUESTS, "too_many_attempts"),
        E::AccountDisabled => (S::FORBIDDEN, "account_disabled"),
        E::AdminRequired => (S::FORBIDDEN, "admin_required"),
        E::StepUpRequired { .. } => (S::FORBIDDEN, "step_up_required"),
        E::InvalidInput { .. } => (S::BAD_REQUEST, "invalid_input"),
        E::NotFound => (S::NOT_FOUND, "not_found"),
        E::EmailNotVerified => (S::FORBIDDEN, "email_not_verified"),
        E::InvalidLink => (S::BAD_REQUEST, "invalid_token"),
        E::EmailAlreadyVerified => (S::CONFLICT, "email_already_verified"),
        E::RateLimited { .. } => (S::TOO_MANY_REQUESTS, "rate_limited"),
        E::LastAdmin => (S::CONFLICT, "last_admin"),
        E::TooManyFactors => (S::CONFLICT, "too_many_factors"),
        E::InvalidCredential => (S::BAD_REQUEST, "invalid_credential"),
        E::Overloaded => (S::SERVICE_UNAVAILABLE, "overloaded"),
        E::Unavailable => (S::SERVICE_UNAVAILABLE, "service_unavailable"),
        E::Internal(_) => (S::INTERNAL_SERVER_ERROR, "internal_error"),
    }
}

/// The native status and code of a refusal.
fn refused(r: &Refusal) -> (StatusCode, &'static str) {
    use StatusCode as S;
    match r {
        Refusal::InvalidInput { .. } => (S::BAD_REQUEST, "invalid_input"),
        Refusal::PayloadTooLarge => (S::PAYLOAD_TOO_LARGE, "payload_too_large"),
        Refusal::RateLimited { .. } => (S::TOO_MANY_REQUESTS, "rate_limited"),
        Refusal::CrossSite => (S::FORBIDDEN, "cross_site_request"),
        Refusal::Timeout => (S::SERVICE_UNAVAILABLE, "timeout"),
        Refusal::NoRoute => (S::NOT_FOUND, "not_found"),
        Refusal::MethodNotAllowed => (S::METHOD_NOT_ALLOWED, "method_not_allowed"),
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
        let failure = self.0;
        failure.log_internal();
        let (status, code) = match &failure {
            Failure::SignIn(ServiceError::InvalidCode) => {
                (StatusCode::UNAUTHORIZED, "invalid_code")
            }
            Failure::Service(e) | Failure::SignIn(e) => native(e),
            Failure::Refused(r) => refused(r),
        };
        let details = failure.details();
        let methods = match &failure {
            Failure::Service(ServiceError::StepUpRequired { methods })
            | Failure::SignIn(ServiceError::StepUpRequired { methods }) => Some(methods.as_slice()),
            _ => None,
        };
        let body = ErrorBody {
            methods,
            error: code,
            message: failure.message(),
            status: status.as_u16(),
            details: (!details.is_empty()).then_some(details.as_slice()),
            retry_after: failure.retry_after(),
        };
        let response = (status, axum::Json(body)).into_response();
        failure.with_retry_after(response)
    }
}

/// Result alias for handlers and services.
pub type ApiResult<T> = Result<T, ApiError>;
