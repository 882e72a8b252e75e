//! Pure domain logic: no I/O, no async, no database or HTTP types.

/// Validated, normalized email addresses.
pub mod email;
/// The attempt / lock / doubling policy.
pub mod lockout;
/// Validated passwords.
pub mod password;
