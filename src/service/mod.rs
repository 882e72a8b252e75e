//! The use cases of twofold, on top of the [`Store`](crate::store::Store): accounts and sessions, MFA, audit.
//! Handlers in `http/` parse input and call these; nothing here knows about HTTP: a use
//! case fails with an [`error::Error`], which each surface renders its own way.

pub use state::{AppState, Keys, RequestMeta};

/// Accounts: registration, password login, password change.
pub mod accounts;
/// What operators do: the admin API's and the CLI's use cases.
pub mod admin;
mod attempts;
/// Forward authentication: a reverse proxy asks whether a request may pass.
pub mod authz;
mod ceremonies;
/// Email: proving addresses, the forgotten password, changing the address.
pub mod email;
mod enrollment;
/// How a use case fails, independent of any surface.
pub mod error;
/// TOTP enrollment, MFA login, recovery codes, disabling, lockout of codes.
pub mod factors;
mod guard;
/// The keys an instance holds in memory (sealers, signing key ring).
pub mod keyring;
/// Key rotation, backups and imports (the CLI's use cases that touch keys).
pub mod keys;
mod live;
/// Sending mail: the outbox's delivery, the messages, SMTP or files.
pub mod mail;
pub mod mfa;
/// twofold as an OpenID Provider: clients, authorization, tokens, logout.
pub mod oidc;
/// What operators run and read: readiness, key rotation, backups, failed webhooks.
pub mod operate;
mod passkey_assertions;
pub mod passkeys;
/// What signed-in people read of their own account: `/me`, the audit trail, the account page.
pub mod profile;
mod proof;
/// The purposes failure counters are kept for.
pub mod purpose;
/// The step-up recency rule: a recent proof for sensitive actions.
pub mod recent;
/// Sessions and tokens: issuing, refresh, logout, authentication, listing, revoking.
pub mod sessions;
/// The background sweep of expired state.
/// Spending a second-factor proof: the one unit of work of every MFA effect.
pub mod spend;
/// What every use case is handed: the store, keys, settings, clock, hashing pool.
mod state;
/// Step-up: recent proof for sensitive actions, and proving it again.
pub mod stepup;
pub mod sweep;
/// Which audit events become which webhook events.
pub mod webhook_types;
/// Security notifications: the outbox's delivery.
pub mod webhooks;
