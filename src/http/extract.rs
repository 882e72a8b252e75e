//! Extractors that turn axum's plain-text rejections into the contract's JSON errors:
//! [`ApiJson`] for bodies, [`Meta`] for audit context, [`Auth`] for the access token.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

pub use super::edge::bearer_token;
use super::edge::ClientIp;
use super::error::ApiError;
use super::failure::Refusal;
use crate::crypto::jwt::Claims;
use crate::service::error::{Error as ServiceError, Result as ServiceResult};
use crate::service::{sessions, AppState, RequestMeta};

/// Name of the access-token cookie.
pub const ACCESS_COOKIE: &str = "twofold_at";
/// The pages' refresh-token cookie (rotated by the pages, only read by forward auth).
pub const REFRESH_COOKIE: &str = "twofold_rt";
/// Name of the device-token cookie.
pub const DEVICE_COOKIE: &str = "twofold_device";

/// A JSON object body (an empty body counts as `{}`). Any content type is read as JSON:
/// cross-site form posts are refused before they get here (`edge::cross_site`); a body
/// that is not a JSON object is 400.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        read_json(Bytes::from_request(req, state).await)
            .map(ApiJson)
            .map_err(ApiError::from)
    }
}

/// A request body as a JSON object of `T`, or the refusal that each surface renders in
/// its own shape.
pub fn read_json<T: DeserializeOwned>(
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<T, Refusal> {
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Refusal::PayloadTooLarge
        } else {
            Refusal::invalid_body("the request body could not be read")
        }
    })?;
    // An empty body reads as `{}`: endpoints whose fields are all optional accept it,
    // the others answer with the missing field.
    let bytes = if bytes.trim_ascii().is_empty() {
        Bytes::from_static(b"{}")
    } else {
        bytes
    };
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|_| Refusal::invalid_body("the request body is not valid JSON"))?;
    if !value.is_object() {
        return Err(Refusal::invalid_body(
            "the request body must be a JSON object",
        ));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let message = e.inner().to_string();
        let field = match message.strip_prefix("missing field `") {
            Some(rest) => rest.trim_end_matches('`').to_owned(),
            None => e.path().to_string(),
        };
        Refusal::invalid_field(&field, first_clause(&message))
    })
}

fn first_clause(message: &str) -> String {
    message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_owned()
}

/// The caller's IP address and user agent.
pub struct Meta(pub RequestMeta);

impl<S: Send + Sync> FromRequestParts<S> for Meta {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = match parts.extensions.get::<ClientIp>() {
            Some(ClientIp(ip)) => Some(ip.to_canonical().to_string()),
            None => parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip().to_string()),
        };
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(256).collect());
        Ok(Meta(RequestMeta { ip, user_agent }))
    }
}

/// The caller of a request whose access token comes as a Bearer header or in the cookie
/// `cookie_name` (each surface has its own), once its session is checked.
pub async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    cookie_name: &str,
) -> ServiceResult<Claims> {
    let token = bearer_token(headers)
        .or_else(|| cookie(headers, cookie_name))
        .ok_or(ServiceError::Unauthorized)?;
    sessions::authenticate(state, token).await
}

/// An authenticated caller: a valid access token (Bearer header first, else the cookie)
/// whose session is live.
pub struct Auth(pub Claims);

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer_token(&parts.headers)
            .or_else(|| cookie(&parts.headers, ACCESS_COOKIE))
            .ok_or(ServiceError::Unauthorized)?;
        sessions::authenticate(state, token)
            .await
            .map(Auth)
            .map_err(ApiError::from)
    }
}

/// The value of cookie `name`, if the request carries it.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn reads_bearer_and_cookie() {
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer abc.def"),
        );
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("x=1; twofold_at=tok; y=2"),
        );
        assert_eq!(bearer_token(&h), Some("abc.def"));
        assert_eq!(cookie(&h, ACCESS_COOKIE), Some("tok"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer_token(&h), None);
    }
}
