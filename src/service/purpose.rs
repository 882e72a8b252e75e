//! The purposes a failure counter (and its lock) is kept for, per user: a leaf that
//! every module spending a code names, so none of them has to import another for it.

/// Failure counter of `verify-mfa` (the second step of login).
pub const LOGIN: &str = "login";
/// Failure counter of `setup/confirm` (proving a new authenticator).
pub const SETUP: &str = "setup";
/// Failure counter of the code-protected actions: regenerate, disable, step-up.
pub const MANAGE: &str = "manage";
