//! What operators run and read outside the admin API: readiness (`/readyz` and
//! `check-config`), key rotation, backups and their check, and the webhook events given up
//! on. The command line and the health endpoint call these, so neither reads the store
//! itself.

use std::path::PathBuf;

use super::error::{Error, Result};
use super::keys::{self, MasterRotation, SigningRotation};
use super::{webhooks, AppState};
use crate::config::redact_url;
use crate::crypto::keys::MasterKey;
use crate::store::backup;

/// How `twofold import totp` handled one line (see [`super::admin::import_totp`]).
pub use crate::store::ImportOutcome;

/// The database answers (a real write is probed on SQLite); returns the name of its
/// backend (`sqlite` or `postgres`). Its failure keeps the store's own message, for the
/// operator who runs `check-config`.
pub async fn database(state: &AppState) -> anyhow::Result<&'static str> {
    state.store.ping().await?;
    Ok(state.store.backend())
}

/// Readiness (`/readyz`): the backend's name, or [`Error::Unavailable`] when the database
/// does not answer (logged with its cause as a warning: a probe, not an incident).
pub async fn readiness(state: &AppState) -> Result<&'static str> {
    database(state).await.map_err(|e| {
        tracing::warn!(error = %e, "readiness check failed");
        Error::Unavailable
    })
}

/// `twofold keys rotate-signing`, with the instance's current sealer and token lifetime.
pub async fn rotate_signing(state: &AppState) -> anyhow::Result<SigningRotation> {
    keys::rotate_signing(
        state.store.as_ref(),
        &state.keys.sealer.current(),
        state.settings.access_token_ttl,
        state.now(),
    )
    .await
}

/// `twofold keys rotate-master`: every sealed value re-sealed from `current` to `new`.
pub async fn rotate_master(
    state: &AppState,
    current: &MasterKey,
    new: &MasterKey,
) -> anyhow::Result<MasterRotation> {
    keys::rotate_master(state.store.as_ref(), current, new, state.now()).await
}

/// `twofold backup`: copies the SQLite database of `database_url` into the new `file`,
/// online and consistent, and returns the file. PostgreSQL is refused with the advice to
/// use `pg_dump`.
pub async fn backup(database_url: &str, file: PathBuf) -> anyhow::Result<PathBuf> {
    let Some(source) = backup::sqlite_file(database_url)? else {
        anyhow::bail!(
            "the database is PostgreSQL: back it up with pg_dump (e.g. `pg_dump --format=custom {}`)",
            redact_url(database_url)
        );
    };
    tokio::task::spawn_blocking(move || backup::backup(&source, &file).map(|()| file)).await?
}

/// What `twofold restore-check` found in a backup it opened.
#[derive(Debug, Clone)]
pub struct RestoreCheck {
    /// The id of the configured master key, which opens every sealed value.
    pub master_key_id: i64,
    /// How many users the backup holds.
    pub users: usize,
    /// How many sealed values it holds.
    pub sealed_values: usize,
    /// The current signing key's `kid`.
    pub signing_kid: String,
}

/// Checks a database opened with the configured master key (as `restore-check` does with
/// a copy of a backup): every sealed value must be under that key.
pub async fn restore_check(state: &AppState) -> anyhow::Result<RestoreCheck> {
    let values = state.store.sealed_values().await?;
    let sealer = state.keys.sealer.current();
    for value in &values {
        anyhow::ensure!(
            value.key_id == sealer.key_id(),
            "a sealed value is under master key id {}, not {}",
            value.key_id,
            sealer.key_id()
        );
    }
    let users = state.store.list_users("", None, i64::MAX).await?;
    Ok(RestoreCheck {
        master_key_id: sealer.key_id(),
        users: users.len(),
        sealed_values: values.len(),
        signing_kid: state.keys.ring.current().current_kid().to_owned(),
    })
}

/// A webhook event given up on after 24 hours of failed tries.
#[derive(Debug, Clone)]
pub struct FailedWebhook {
    /// The event id (`webhook-id`).
    pub id: String,
    /// Its type (`auth.mfa.disabled`, ...).
    pub kind: String,
    /// The user it is about.
    pub user_id: Option<String>,
    /// When it was queued (Unix seconds).
    pub created_at: i64,
    /// How many deliveries were tried.
    pub attempts: i64,
    /// Why the last one failed.
    pub last_error: Option<String>,
    /// The JSON body every try sent.
    pub body: String,
}

/// `twofold admin webhooks failed`: at most `limit` events given up on, newest first. A
/// database failure keeps the store's own message, for the operator.
pub async fn failed_webhooks(state: &AppState, limit: i64) -> anyhow::Result<Vec<FailedWebhook>> {
    let events = state.store.failed_webhooks(limit).await?;
    Ok(events
        .into_iter()
        .map(|e| FailedWebhook {
            body: webhooks::body(&e),
            id: e.id,
            kind: e.kind,
            user_id: e.user_id,
            created_at: e.created_at,
            attempts: e.attempts,
            last_error: e.last_error,
        })
        .collect())
}
