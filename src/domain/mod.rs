//! Pure domain logic: no I/O, no async, no database or HTTP types.

/// The kinds of audit event, as one enum.
pub mod access;
pub mod audit;
pub mod backoff;
/// Codes users type (TOTP, recovery), their normalization, and secret generation.
pub mod codes;
/// Validated, normalized email addresses.
pub mod email;
/// The attempt / lock / doubling policy.
pub mod lockout;
pub mod normalize;
pub mod notice;
/// OAuth 2.0 and OpenID Connect rules: redirect URIs, scopes, PKCE.
pub mod oauth;
/// The Key Uri Format and its QR code.
pub mod otpauth;
/// Validated passwords.
pub mod password;
/// Invisible, bidi-control, private-use and tag characters.
pub mod text;
/// Unix seconds as RFC 3339, the one timestamp format of every surface.
pub mod time;
/// RFC 6238 TOTP.
pub mod totp;
