//! The sweep: what ended is deleted, in small transactions.

use super::sql::{MAIL_KEPT_SECONDS, SWEEP, SWEEP_AUDIT, SWEEP_MAIL, SWEEP_OUTBOX};
use super::{Store, StoreResult};

impl Store {
    /// Deletes state that ended before `now` (challenges, pending setups, sessions,
    /// refresh, device and link tokens, idle login guards), messages older than a week,
    /// audit and webhook events older than
    /// `audit_before`, and the sent webhook events of deleted users, in small transactions
    /// of at most `chunk` rows. Returns rows deleted.
    pub async fn sweep(&self, now: i64, audit_before: i64, chunk: i64) -> StoreResult<u64> {
        let mut total = 0;
        let statements = SWEEP.iter().map(|(_, sql)| (*sql, now)).chain([
            (SWEEP_AUDIT, audit_before),
            (SWEEP_OUTBOX, audit_before),
            (SWEEP_MAIL, now - MAIL_KEPT_SECONDS),
        ]);
        for (sql, cutoff) in statements {
            // Small transactions, so that no request waits long behind the sweep.
            loop {
                let deleted = self
                    .write(Vec::new(), move |conn| {
                        Box::pin(
                            async move { Ok((true, conn.execute(sql, &[&cutoff, &chunk]).await?)) },
                        )
                    })
                    .await?;
                total += deleted;
                if deleted < chunk.max(1) as u64 {
                    break;
                }
            }
        }
        Ok(total)
    }
}
