//! The background sweep: deletes expired challenges, pending setups, sessions, refresh and
//! device tokens, idle login guards, audit and webhook events past their retention, and
//! the sent webhook events of deleted users, in small transactions so that requests never
//! wait long behind it.

use std::time::Duration;

use super::AppState;
use crate::store::StoreResult;

/// Rows deleted per transaction.
const CHUNK: i64 = 500;

/// One sweep at the application clock's `now`; returns the rows deleted.
pub async fn sweep_once(state: &AppState) -> StoreResult<u64> {
    let now = state.now();
    let audit_before = now - state.settings.audit_retention_days.max(1) * 24 * 3600;
    state.store.sweep(now, audit_before, CHUNK).await
}

/// Sweeps every `sweep_interval_seconds` until the process ends (0 turns it off).
pub async fn run(state: AppState) {
    let every = state.settings.sweep_interval_seconds;
    if every == 0 {
        return;
    }
    let mut ticks = tokio::time::interval(Duration::from_secs(every));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match sweep_once(&state).await {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, "swept expired state"),
            Err(e) => tracing::warn!(error = %e, "sweep failed; will retry"),
        }
    }
}
