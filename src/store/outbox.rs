//! The webhook outbox: events queued in the transaction of their audit row, delivered in
//! order per user, claimed by one instance at a time.

use super::db::{fetch_records, FromRow, Row, StoreResult};
use super::Store;

/// A webhook event in the outbox.
#[derive(Debug, Clone)]
pub struct OutboxRecord {
    pub seq: i64,
    pub id: String,
    pub user_id: Option<String>,
    pub email: Option<String>,
    pub kind: String,
    pub created_at: i64,
    pub data: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
}

impl FromRow for OutboxRecord {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            seq: r.get("seq")?,
            id: r.get("id")?,
            user_id: r.get("user_id")?,
            email: r.get("email")?,
            kind: r.get("type")?,
            created_at: r.get("created_at")?,
            data: r.get("data")?,
            attempts: r.get("attempts")?,
            next_attempt_at: r.get("next_attempt_at")?,
            last_error: r.get("last_error")?,
        })
    }
}

/// How one delivery attempt of a webhook event ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookAttempt {
    /// Delivered at this time.
    Delivered { at: i64 },
    /// Failed; try again at `next_at`.
    Retry { next_at: i64, error: String },
    /// Failed for the last time, at this time.
    Failed { at: i64, error: String },
}

/// How an attempt at an outbox row ended, as both outboxes store it.
pub(super) enum Ending {
    Done { at: i64 },
    Retry { next_at: i64, error: String },
    Failed { at: i64, error: String },
}

const OUTBOX_COLUMNS: &str = "SELECT seq, id, user_id, email, type, created_at, data, \
     attempts, next_attempt_at, last_error FROM webhook_outbox";
/// Due events whose user has no older event still pending (delivery in order per user).
const DUE: &str = " o WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 \
     AND NOT EXISTS (SELECT 1 FROM webhook_outbox p WHERE p.delivered_at IS NULL \
       AND p.failed_at IS NULL AND p.seq < o.seq \
       AND (p.user_id = o.user_id OR (p.user_id IS NULL AND o.user_id IS NULL))) \
     ORDER BY seq LIMIT $2";
const CLAIM: &str = "UPDATE webhook_outbox SET next_attempt_at = $3, attempts = attempts + 1 \
     WHERE seq = $1 AND next_attempt_at = $2 AND delivered_at IS NULL AND failed_at IS NULL";
const SETTLE: &str = "UPDATE webhook_outbox SET delivered_at = $2, failed_at = $3, \
     next_attempt_at = COALESCE($4, next_attempt_at), last_error = $5 WHERE seq = $1";

impl Store {
    /// Events due at `now`, oldest first, at most `limit`.
    pub async fn due_webhooks(&self, now: i64, limit: i64) -> StoreResult<Vec<OutboxRecord>> {
        let sql = format!("{OUTBOX_COLUMNS}{DUE}");
        let mut c = self.reader().await?;
        fetch_records(&mut *c, &sql, &[&now, &limit]).await
    }

    /// Claims event `seq` (still due at `seen_next`) until `lease_until`, counting the
    /// attempt: of instances racing for it, one gets it.
    pub async fn claim_webhook(
        &self,
        seq: i64,
        seen_next: i64,
        lease_until: i64,
    ) -> StoreResult<bool> {
        self.claim_row(CLAIM, seq, seen_next, lease_until).await
    }

    /// Records how an attempt ended (one statement for the three endings).
    pub async fn settle_webhook(&self, seq: i64, attempt: &WebhookAttempt) -> StoreResult<()> {
        let ending = match attempt.clone() {
            WebhookAttempt::Delivered { at } => Ending::Done { at },
            WebhookAttempt::Retry { next_at, error } => Ending::Retry { next_at, error },
            WebhookAttempt::Failed { at, error } => Ending::Failed { at, error },
        };
        self.settle_row(SETTLE, seq, ending).await
    }

    /// Claims row `seq` of an outbox with `claim` (`$1` seq, `$2` the `next_attempt_at`
    /// seen, `$3` the lease's end): of instances racing for it, one gets it.
    pub(super) async fn claim_row(
        &self,
        claim: &'static str,
        seq: i64,
        seen_next: i64,
        lease_until: i64,
    ) -> StoreResult<bool> {
        self.write(Vec::new(), move |conn| {
            Box::pin(async move {
                let claimed = conn
                    .execute(claim, &[&seq, &seen_next, &lease_until])
                    .await?
                    == 1;
                Ok((claimed, claimed))
            })
        })
        .await
    }

    /// Records how an attempt at row `seq` ended with `settle` (`$1` seq, `$2` done at,
    /// `$3` failed at, `$4` the next try, `$5` the error).
    pub(super) async fn settle_row(
        &self,
        settle: &'static str,
        seq: i64,
        ending: Ending,
    ) -> StoreResult<()> {
        let (done, failed, next, error) = match ending {
            Ending::Done { at } => (Some(at), None, None, None),
            Ending::Retry { next_at, error } => (None, None, Some(next_at), Some(error)),
            Ending::Failed { at, error } => (None, Some(at), None, Some(error)),
        };
        self.write(Vec::new(), move |conn| {
            Box::pin(async move {
                conn.execute(settle, &[&seq, &done, &failed, &next, &error])
                    .await?;
                Ok((true, ()))
            })
        })
        .await
    }

    /// How many events wait for delivery.
    pub async fn webhook_backlog(&self) -> StoreResult<i64> {
        let mut c = self.reader().await?;
        let sql =
            "SELECT COUNT(*) FROM webhook_outbox WHERE delivered_at IS NULL AND failed_at IS NULL";
        c.fetch_i64(sql, &[]).await
    }

    /// The newest events given up on, at most `limit`.
    pub async fn failed_webhooks(&self, limit: i64) -> StoreResult<Vec<OutboxRecord>> {
        let sql =
            format!("{OUTBOX_COLUMNS} WHERE failed_at IS NOT NULL ORDER BY seq DESC LIMIT $1");
        let mut c = self.reader().await?;
        fetch_records(&mut *c, &sql, &[&limit]).await
    }
}
