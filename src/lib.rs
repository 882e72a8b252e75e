//! twofold: a small self-hosted authentication service with TOTP two-factor login.
#![forbid(unsafe_code)]

/// The command line: `serve` and the operator's commands.
pub mod cli;
/// Wall-clock time behind a trait so that tests can move it.
pub mod clock;
/// Settings: defaults < TOML file < `TWOFOLD_*` environment < command-line flags.
pub mod config;
/// Sealing secrets, keyed hashes, password hashing and signed access tokens.
pub mod crypto;
/// Pure domain logic: validated newtypes, TOTP, recovery codes, lockout policy.
pub mod domain;
/// The HTTP layer: axum routers, extractors and DTOs.
pub mod http;
/// The use cases (register, login, refresh, MFA...) on top of the store.
pub mod service;
/// Building and running the application.
pub mod startup;
/// Persistence: the `Store` trait and its SQLite and PostgreSQL implementations.
pub mod store;
/// Logging setup.
pub mod telemetry;
