//! Consent grants, and the back-channel logout outbox (filled by a trigger whenever a
//! session a client holds ends; sent by one instance at a time).

use super::super::db::{fetch_records, StoreResult};
use super::super::outbox::Ending;
use super::super::{AuditEvent, MailAttempt, Store};
use super::{GrantRecord, LogoutRecord};

impl Store {
    /// The grant of `user_id` to `client_id`: its scopes.
    pub async fn grant(&self, user_id: &str, client_id: &str) -> StoreResult<Option<String>> {
        let mut c = self.reader().await?;
        let row = c
            .fetch_optional(
                "SELECT scopes FROM oauth_grants WHERE user_id = $1 AND client_id = $2",
                &[&user_id, &client_id],
            )
            .await?;
        row.map(|mut r| r.at(0)).transpose()
    }

    /// The user's grants, newest first.
    pub async fn grants(&self, user_id: &str) -> StoreResult<Vec<GrantRecord>> {
        let mut c = self.reader().await?;
        fetch_records(
            &mut *c,
            "SELECT g.client_id, c.name, g.scopes, g.created_at, g.updated_at \
             FROM oauth_grants g JOIN oauth_clients c ON c.id = g.client_id \
             WHERE g.user_id = $1 ORDER BY g.updated_at DESC, g.client_id",
            &[&user_id],
        )
        .await
    }

    /// Revokes the grant of `user_id` to `client_id` and ends every session that client
    /// holds for the user, with `audit`; false when there was no grant.
    pub async fn revoke_grant(
        &self,
        user_id: &str,
        client_id: &str,
        now: i64,
        audit: Vec<AuditEvent>,
    ) -> StoreResult<bool> {
        let (user_id, client_id) = (user_id.to_owned(), client_id.to_owned());
        self.write(audit, move |conn| {
            Box::pin(async move {
                let n = conn
                    .execute(
                        "DELETE FROM oauth_grants WHERE user_id = $1 AND client_id = $2",
                        &[&user_id, &client_id],
                    )
                    .await?;
                conn.execute(
                    "UPDATE sessions SET revoked_at = $3 \
                     WHERE user_id = $1 AND client_id = $2 AND revoked_at IS NULL",
                    &[&user_id, &client_id, &now],
                )
                .await?;
                Ok((n == 1, n == 1))
            })
        })
        .await
    }

    /// Back-channel logouts due at `now`, oldest first.
    pub async fn due_logouts(&self, now: i64, limit: i64) -> StoreResult<Vec<LogoutRecord>> {
        let mut c = self.reader().await?;
        fetch_records(
            &mut *c,
            "SELECT seq, client_id, user_id, session_id, created_at, attempts, next_attempt_at \
             FROM logout_outbox WHERE sent_at IS NULL AND failed_at IS NULL \
             AND next_attempt_at <= $1 ORDER BY seq LIMIT $2",
            &[&now, &limit],
        )
        .await
    }

    /// Claims logout `seq` for one attempt (of instances racing, one gets it).
    pub async fn claim_logout(
        &self,
        seq: i64,
        seen_next: i64,
        lease_until: i64,
    ) -> StoreResult<bool> {
        self.claim_row(
            "UPDATE logout_outbox SET next_attempt_at = $3, attempts = attempts + 1 \
             WHERE seq = $1 AND next_attempt_at = $2 AND sent_at IS NULL AND failed_at IS NULL",
            seq,
            seen_next,
            lease_until,
        )
        .await
    }

    /// Records how a logout delivery ended.
    pub async fn settle_logout(&self, seq: i64, attempt: &MailAttempt) -> StoreResult<()> {
        let ending = match attempt.clone() {
            MailAttempt::Sent { at } => Ending::Done { at },
            MailAttempt::Retry { next_at, error } => Ending::Retry { next_at, error },
            MailAttempt::Failed { at, error } => Ending::Failed { at, error },
        };
        self.settle_row(
            "UPDATE logout_outbox SET sent_at = $2, failed_at = $3, \
             next_attempt_at = COALESCE($4, next_attempt_at), last_error = $5 WHERE seq = $1",
            seq,
            ending,
        )
        .await
    }
}
