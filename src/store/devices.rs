//! Device tokens: the browsers a user signed in from, and their trust for MFA (a
//! trusted browser skips the second step until its trust ends).

use super::db::{fetch_records, FromRow, Row, StoreResult};
use super::sql::{SELECT_DEVICE_TRUST, SELECT_TRUSTED_DEVICES, UNTRUST_DEVICE_ID};
use super::{AuditEvent, DeviceTrust, Store, TrustedDevice};

impl FromRow for TrustedDevice {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            id: r.get("id")?,
            created_at: r.get("created_at")?,
            trusted_until: r.get("trusted_until")?,
        })
    }
}

impl Store {
    /// Whether the user was ever given a device token (kept until it is swept).
    pub async fn had_device_tokens(&self, user_id: &str) -> StoreResult<bool> {
        let mut c = self.reader().await?;
        let sql = "SELECT COUNT(*) FROM (SELECT 1 FROM device_tokens WHERE user_id = $1 LIMIT 1) d";
        Ok(c.fetch_i64(sql, &[&user_id]).await? > 0)
    }

    /// The MFA trust of device token `token_hash` of `user_id` at `now`, if it is trusted.
    pub async fn device_trust(
        &self,
        token_hash: &[u8],
        user_id: &str,
        now: i64,
    ) -> StoreResult<Option<DeviceTrust>> {
        let mut c = self.reader().await?;
        let Some(mut row) = c
            .fetch_optional(SELECT_DEVICE_TRUST, &[&token_hash, &user_id, &now])
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(DeviceTrust {
            id: row.get("id")?,
            until: row.get("mfa_trusted_until")?,
            from: Some(token_hash.to_vec()),
        }))
    }

    /// The trusted browsers of `user_id` at `now`.
    pub async fn trusted_devices(
        &self,
        user_id: &str,
        now: i64,
    ) -> StoreResult<Vec<TrustedDevice>> {
        let mut c = self.reader().await?;
        fetch_records(&mut *c, SELECT_TRUSTED_DEVICES, &[&user_id, &now]).await
    }

    /// Ends the trust of the user's trusted browser `id` with `audit`; false if none.
    pub async fn end_device_trust(
        &self,
        user_id: &str,
        id: &str,
        audit: &[AuditEvent],
    ) -> StoreResult<bool> {
        let (user_id, id) = (user_id.to_owned(), id.to_owned());
        self.write(audit.to_vec(), move |conn| {
            Box::pin(async move {
                let ended = conn.execute(UNTRUST_DEVICE_ID, &[&user_id, &id]).await? > 0;
                Ok((ended, ended))
            })
        })
        .await
    }
}
