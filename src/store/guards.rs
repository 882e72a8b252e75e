//! What bounds guessing: the per-account password guards, the device tokens' budgets, and
//! each user's failure counters per purpose. Every admission is one statement; every lock
//! starts under the row lock of its counter.

use crate::domain::lockout::{seconds_left, AttemptState, LockPolicy};

use super::audit::insert_lock_audit;
use super::db::{Conn, Row, StoreResult};
use super::sql::*;
use super::{AuditEvent, Refund, Store};

/// Reads one counter-shaped row (failures, lockouts, locked_until).
fn attempt_state(mut row: Row) -> StoreResult<AttemptState> {
    Ok(AttemptState {
        failures: row.at(0)?,
        lockouts: row.at(1)?,
        locked_until: row.at(2)?,
    })
}

/// Gives a password attempt's budget back (one conditional statement).
pub async fn apply_refund(conn: &mut dyn Conn, refund: &Refund) -> StoreResult<()> {
    match refund {
        Refund::Account { key, now } => conn.execute(RESET_GUARD, &[key, now]).await?,
        Refund::Device { token_hash } => conn.execute(RESET_DEVICE, &[token_hash]).await?,
    };
    Ok(())
}

/// The user's counter of `purpose`, created if missing and read under its lock: a read
/// that fails or finds nothing fails the whole unit (closed), never "unlocked".
pub async fn lock_counter(
    conn: &mut dyn Conn,
    user_id: &str,
    purpose: &str,
) -> StoreResult<AttemptState> {
    attempt_state(conn.fetch_one(LOCK_COUNTER, &[&user_id, &purpose]).await?)
}

/// Sets the user's counter of `purpose`.
pub async fn set_counter(
    conn: &mut dyn Conn,
    user_id: &str,
    purpose: &str,
    state: AttemptState,
) -> StoreResult<()> {
    let AttemptState {
        failures,
        lockouts,
        locked_until,
    } = state;
    conn.execute(
        UPDATE_COUNTER,
        &[&user_id, &purpose, &failures, &lockouts, &locked_until],
    )
    .await?;
    Ok(())
}

/// Clears the user's counter of `purpose` after a success (no write when it is clear).
pub async fn reset_counter(conn: &mut dyn Conn, user_id: &str, purpose: &str) -> StoreResult<()> {
    conn.execute(RESET_COUNTER, &[&user_id, &purpose]).await?;
    Ok(())
}

/// Makes sure the user's counter of `purpose` exists.
pub async fn ensure_counter(conn: &mut dyn Conn, user_id: &str, purpose: &str) -> StoreResult<()> {
    conn.execute(ENSURE_COUNTER, &[&user_id, &purpose]).await?;
    Ok(())
}

/// Forgets the untrusted-login counters (and any lock) of an account key.
pub async fn clear_account_guard(conn: &mut dyn Conn, account_key: &[u8]) -> StoreResult<u64> {
    conn.execute(
        "DELETE FROM login_guards WHERE account_key = $1",
        &[&account_key],
    )
    .await
}

impl Store {
    /// Admits (counts) one untrusted password attempt for `account_key`, in one
    /// statement, before any hashing. False when the key is locked or `max` attempts are
    /// already counted.
    pub async fn admit_account(&self, account_key: &[u8], now: i64, max: u32) -> StoreResult<bool> {
        let (key, max) = (account_key.to_vec(), i64::from(max.max(1)));
        self.write(Vec::new(), move |conn| {
            Box::pin(async move {
                let admitted = conn
                    .fetch_optional(ADMIT_ACCOUNT, &[&key, &now, &max])
                    .await?
                    .is_some();
                Ok((admitted, admitted))
            })
        })
        .await
    }

    /// The guard state of `account_key`, if it has one.
    pub async fn login_guard(&self, account_key: &[u8]) -> StoreResult<Option<AttemptState>> {
        let mut c = self.reader().await?;
        c.fetch_optional(SELECT_GUARD, &[&account_key])
            .await?
            .map(attempt_state)
            .transpose()
    }

    /// After a wrong password counted against `account_key`: writes `audit`, and when the
    /// budget is spent and no lock runs, starts one under `policy` and writes `lock_audit`.
    /// True when this call started a lock.
    pub async fn account_failed(
        &self,
        account_key: &[u8],
        now: i64,
        policy: LockPolicy,
        audit: &[AuditEvent],
        lock_audit: AuditEvent,
    ) -> StoreResult<bool> {
        let key = account_key.to_vec();
        self.write(audit.to_vec(), move |conn| {
            Box::pin(async move {
                let state = attempt_state(conn.fetch_one(LOCK_GUARD, &[&key, &now]).await?)?;
                let Some(next) = policy.lock_if_spent(state, now) else {
                    return Ok((true, false));
                };
                conn.execute(
                    UPDATE_GUARD,
                    &[&key, &next.failures, &next.lockouts, &next.locked_until],
                )
                .await?;
                insert_lock_audit(conn, lock_audit, next.locked_until - now).await?;
                Ok((true, true))
            })
        })
        .await
    }

    /// After a correct password that starts nothing else: gives the budget back.
    pub async fn refund(&self, refund: &Refund) -> StoreResult<()> {
        let refund = refund.clone();
        self.write(Vec::new(), move |conn| {
            Box::pin(async move {
                apply_refund(conn, &refund).await?;
                Ok((true, ()))
            })
        })
        .await
    }

    /// Admits (counts) one password attempt under a live device token of `user_id`
    /// whose budget of `max` is not spent.
    pub async fn admit_device(
        &self,
        token_hash: &[u8],
        user_id: &str,
        now: i64,
        max: u32,
    ) -> StoreResult<bool> {
        let (hash, user_id) = (token_hash.to_vec(), user_id.to_owned());
        let max = i64::from(max.max(1));
        self.write(Vec::new(), move |conn| {
            Box::pin(async move {
                let admitted = conn
                    .execute(ADMIT_DEVICE, &[&hash, &user_id, &now, &max])
                    .await?
                    == 1;
                Ok((admitted, admitted))
            })
        })
        .await
    }

    /// After a wrong password under a device token: writes `audit`; revokes the token when
    /// its budget of `max` is spent, writing `revoke_audit`. True when it was revoked.
    pub async fn device_failed(
        &self,
        token_hash: &[u8],
        now: i64,
        max: u32,
        audit: &[AuditEvent],
        revoke_audit: AuditEvent,
    ) -> StoreResult<bool> {
        let hash = token_hash.to_vec();
        let max = i64::from(max.max(1));
        self.write(audit.to_vec(), move |conn| {
            Box::pin(async move {
                let revoked = conn
                    .execute(REVOKE_SPENT_DEVICE, &[&hash, &now, &max])
                    .await?
                    == 1;
                if revoked {
                    super::audit::insert_audit(conn, &revoke_audit).await?;
                }
                Ok((true, revoked))
            })
        })
        .await
    }

    /// Seconds left on the user's lock of `purpose` at `now`, if it is locked.
    pub async fn lock_remaining(
        &self,
        user_id: &str,
        purpose: &str,
        now: i64,
    ) -> StoreResult<Option<u64>> {
        let mut c = self.reader().await?;
        let until: Option<i64> = match c.fetch_optional(SELECT_LOCK, &[&user_id, &purpose]).await? {
            Some(mut row) => row.at(0)?,
            None => None,
        };
        Ok(until.and_then(|until| seconds_left(until, now)))
    }

    /// Admits (counts) one code attempt of `purpose` for `user_id` in one statement, before
    /// any hashing: false when the purpose is locked at `now` or `max` failures (counted
    /// or in flight) are already there.
    pub async fn admit_code(
        &self,
        user_id: &str,
        purpose: &str,
        now: i64,
        max: u32,
    ) -> StoreResult<bool> {
        let (user_id, purpose) = (user_id.to_owned(), purpose.to_owned());
        let max = i64::from(max.max(1));
        self.write(Vec::new(), move |conn| {
            Box::pin(async move {
                let admitted = conn
                    .fetch_optional(ADMIT_CODE, &[&user_id, &purpose, &now, &max])
                    .await?
                    .is_some();
                Ok((admitted, admitted))
            })
        })
        .await
    }

    /// After a wrong code admitted by [`Store::admit_code`]: writes `audit`, and when the
    /// budget is spent and no lock runs, starts one under `policy` and writes `lock_audit`
    /// (with `lockedForSeconds`). True when this call started a lock.
    pub async fn code_failed(
        &self,
        user_id: &str,
        purpose: &str,
        now: i64,
        policy: LockPolicy,
        audit: &[AuditEvent],
        lock_audit: AuditEvent,
    ) -> StoreResult<bool> {
        let (user_id, purpose) = (user_id.to_owned(), purpose.to_owned());
        self.write(audit.to_vec(), move |conn| {
            Box::pin(async move {
                let state = lock_counter(conn, &user_id, &purpose).await?;
                let Some(next) = policy.lock_if_spent(state, now) else {
                    return Ok((true, false));
                };
                set_counter(conn, &user_id, &purpose, next).await?;
                insert_lock_audit(conn, lock_audit, next.locked_until - now).await?;
                Ok((true, true))
            })
        })
        .await
    }

    /// Counts one failure under `policy` and writes `audit`, in one transaction. Returns
    /// the state before the failure (a failure that arrives while locked is not counted;
    /// the caller answers 429) and after it.
    pub async fn record_failure(
        &self,
        user_id: &str,
        purpose: &str,
        now: i64,
        policy: LockPolicy,
        audit: &[AuditEvent],
    ) -> StoreResult<(AttemptState, AttemptState)> {
        let (user_id, purpose) = (user_id.to_owned(), purpose.to_owned());
        self.write(audit.to_vec(), move |conn| {
            Box::pin(async move {
                let before = lock_counter(conn, &user_id, &purpose).await?;
                if before.retry_after(now).is_some() {
                    return Ok((true, (before, before)));
                }
                let after = policy.after_failure(before, now);
                set_counter(conn, &user_id, &purpose, after).await?;
                Ok((true, (before, after)))
            })
        })
        .await
    }
}
