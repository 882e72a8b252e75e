//! What an HTTP request can fail with, before any surface renders it: a use case's
//! [`service::Error`](ServiceError), or a [`Refusal`] of the HTTP layer itself (the edge,
//! the router, the body and field parsing), which no use case ever sees. Each surface
//! (the native `ApiError`, each compat surface, the pages) maps these in one function.

use axum::http::{header, HeaderValue};
use axum::response::Response;
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

/// What the HTTP layer refuses before any use case runs.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// A body, query or field that does not parse (with the fields, when known).
    #[error("{message}")]
    InvalidInput {
        message: String,
        details: Vec<FieldError>,
    },
    /// A body over the limit of the body layer.
    #[error("the request body is larger than 64 KiB")]
    PayloadTooLarge,
    /// The client address's token bucket is empty.
    #[error("too many requests from this address; try again later")]
    RateLimited { retry_after: u64 },
    /// A cookie request from another site.
    #[error("cross-site request refused")]
    CrossSite,
    /// The request outlived the edge's timeout.
    #[error("the request took too long")]
    Timeout,
    /// No route has this path.
    #[error("not found")]
    NoRoute,
    /// The path has no route for this method.
    #[error("method not allowed")]
    MethodNotAllowed,
}

impl Refusal {
    /// An `InvalidInput` with one field detail.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::InvalidInput {
            message: format!("{field}: {message}"),
            details: vec![FieldError::new(field, message)],
        }
    }

    /// An `InvalidInput` without field details (e.g. a body that is not JSON).
    pub fn invalid_body(message: impl Into<String>) -> Self {
        Self::InvalidInput {
            message: message.into(),
            details: Vec::new(),
        }
    }
}

/// A handler's failure, as every surface receives it.
#[derive(Debug)]
pub enum Failure {
    /// A use case's failure.
    Service(ServiceError),
    /// A use case's failure at a sign-in step (the login's second step, a step-up), where
    /// a code that does not verify fails the authentication rather than the input.
    SignIn(ServiceError),
    /// Refused before any use case ran.
    Refused(Refusal),
}

impl From<ServiceError> for Failure {
    fn from(err: ServiceError) -> Self {
        Self::Service(err)
    }
}

impl From<Refusal> for Failure {
    fn from(refusal: Refusal) -> Self {
        Self::Refused(refusal)
    }
}

impl Failure {
    /// The words shown to API clients: the error's own, except that a step-up names the
    /// native endpoint that does it.
    pub fn message(&self) -> String {
        match self {
            Self::Service(ServiceError::StepUpRequired { .. })
            | Self::SignIn(ServiceError::StepUpRequired { .. }) => {
                "this action needs a recent sign-in: step up at POST /auth/step-up".to_owned()
            }
            Self::Service(e) | Self::SignIn(e) => e.to_string(),
            Self::Refused(r) => r.to_string(),
        }
    }

    /// The field problems of an invalid input (none for any other failure).
    pub fn details(&self) -> Vec<FieldError> {
        match self {
            Self::Service(ServiceError::InvalidInput { field, message })
            | Self::SignIn(ServiceError::InvalidInput { field, message }) => {
                vec![FieldError::new(field, message.as_str())]
            }
            Self::Refused(Refusal::InvalidInput { details, .. }) => details.clone(),
            _ => Vec::new(),
        }
    }

    /// The seconds a client should wait before trying again, for the failures that say so.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::Service(e) | Self::SignIn(e) => match e {
                ServiceError::Locked { retry_after }
                | ServiceError::RateLimited { retry_after } => Some((*retry_after).max(1)),
                ServiceError::Overloaded => Some(1),
                _ => None,
            },
            Self::Refused(Refusal::RateLimited { retry_after }) => Some((*retry_after).max(1)),
            Self::Refused(Refusal::Timeout) => Some(1),
            Self::Refused(_) => None,
        }
    }

    /// Adds the `Retry-After` header this failure calls for to `response`.
    pub fn with_retry_after(&self, mut response: Response) -> Response {
        if let Some(secs) = self.retry_after() {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }

    /// Logs the cause of an internal error: clients are only told `internal error`.
    pub fn log_internal(&self) {
        if let Self::Service(ServiceError::Internal(cause))
        | Self::SignIn(ServiceError::Internal(cause)) = self
        {
            tracing::error!(error = ?cause, "internal error");
        }
    }
}
