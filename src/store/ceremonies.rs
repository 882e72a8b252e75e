//! Short-lived proofs in progress: MFA challenges (between the password and the code) and
//! WebAuthn ceremonies (between a passkey's options and its answer).

use super::db::{fetch_record, fetch_records, Conn, FromRow, Row, StoreResult};
use super::guards::{apply_refund, ensure_counter};
use super::sql::*;
use super::{AuditEvent, CeremonyRecord, ChallengeRecord, Refund, Store, TotpRecord};

impl FromRow for CeremonyRecord {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            user_id: r.get("user_id")?,
            purpose: r.get("purpose")?,
            name: r.get("name")?,
            state: r.get("state")?,
            expires_at: r.get("expires_at")?,
        })
    }
}

impl FromRow for ChallengeRecord {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            user_id: r.get("user_id")?,
            expires_at: r.get("expires_at")?,
            consumed_at: r.get("consumed_at")?,
            locked_until: r.get("locked_until")?,
            counter_dirty: r.get("counter_dirty")?,
            factor_count: r.get("factor_count")?,
            factor_id: r.get("factor_id")?,
            key_id: r.get("key_id")?,
            sealed_secret: r.get("sealed_secret")?,
            roles: r.get("roles")?,
            email_verified_at: r.get("email_verified_at")?,
            new_browser: r.get::<i64>("new_browser")? != 0,
            totp: Vec::new(),
        })
    }
}

/// Spends the WebAuthn ceremony `token_hash` of `purpose` (single use, unexpired, and of
/// user `user_id` unless it was bound to no one). False when it is gone.
pub async fn take_ceremony(
    conn: &mut dyn Conn,
    token_hash: &[u8],
    purpose: &str,
    now: i64,
    user_id: &str,
) -> StoreResult<bool> {
    Ok(conn
        .execute(TAKE_CEREMONY, &[&token_hash, &purpose, &now, &user_id])
        .await?
        == 1)
}

/// Spends the registration ceremony `token_hash` that `user_id`'s request claimed (see
/// [`Store::claim_registration`]). False when it is gone.
pub async fn take_claimed_registration(
    conn: &mut dyn Conn,
    token_hash: &[u8],
    now: i64,
    user_id: &str,
) -> StoreResult<bool> {
    take_ceremony(conn, token_hash, CLAIMED_REGISTRATION, now, user_id).await
}

/// Ends every MFA challenge of the user (a sign-in half done cannot finish).
pub async fn end_challenges(conn: &mut dyn Conn, user_id: &str) -> StoreResult<u64> {
    conn.execute(DELETE_CHALLENGES, &[&user_id]).await
}

impl Store {
    /// Stores a WebAuthn ceremony's state under the hash of its token.
    pub async fn put_ceremony(
        &self,
        token_hash: &[u8],
        c: &CeremonyRecord,
        now: i64,
    ) -> StoreResult<()> {
        let (hash, c) = (token_hash.to_vec(), c.clone());
        self.write(Vec::new(), move |conn| {
            Box::pin(async move {
                conn.execute(
                    INSERT_CEREMONY,
                    &[
                        &hash,
                        &c.user_id,
                        &c.purpose,
                        &c.name,
                        &c.state,
                        &now,
                        &c.expires_at,
                    ],
                )
                .await?;
                Ok((true, ()))
            })
        })
        .await
    }

    /// The ceremony with this hash, expired or not.
    pub async fn ceremony(&self, token_hash: &[u8]) -> StoreResult<Option<CeremonyRecord>> {
        let mut c = self.reader().await?;
        fetch_record(&mut *c, SELECT_CEREMONY, &[&token_hash]).await
    }

    /// Claims the live registration ceremony `token_hash` of `user_id` in one statement
    /// (it becomes `register-claimed`, which only the passkey's addition takes): of
    /// requests finishing one ceremony at once, one goes on to the costly work.
    pub async fn claim_registration(
        &self,
        token_hash: &[u8],
        user_id: &str,
        now: i64,
    ) -> StoreResult<bool> {
        let (hash, user_id) = (token_hash.to_vec(), user_id.to_owned());
        self.write(Vec::new(), move |conn| {
            Box::pin(async move {
                let claimed = conn
                    .execute(
                        CLAIM_REGISTRATION,
                        &[&hash, &user_id, &now, &CLAIMED_REGISTRATION],
                    )
                    .await?
                    == 1;
                Ok((claimed, claimed))
            })
        })
        .await
    }

    /// Stores a new MFA challenge (its keyed hash), applies `refund` and writes `audit`;
    /// makes sure the user's failure counter of `counter_purpose` exists.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_challenge(
        &self,
        token_hash: &[u8],
        user_id: &str,
        counter_purpose: &str,
        now: i64,
        expires_at: i64,
        refund: Option<&Refund>,
        new_browser: bool,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        let new_browser = i64::from(new_browser);
        let (hash, user_id, purpose, refund) = (
            token_hash.to_vec(),
            user_id.to_owned(),
            counter_purpose.to_owned(),
            refund.cloned(),
        );
        self.write(vec![audit.clone()], move |conn| {
            Box::pin(async move {
                if let Some(refund) = &refund {
                    apply_refund(conn, refund).await?;
                }
                conn.execute(
                    INSERT_CHALLENGE,
                    &[&hash, &user_id, &now, &expires_at, &new_browser],
                )
                .await?;
                ensure_counter(conn, &user_id, &purpose).await?;
                Ok((true, ()))
            })
        })
        .await
    }

    /// The challenge with this hash, with the user's login lock and TOTP factors.
    pub async fn challenge(&self, token_hash: &[u8]) -> StoreResult<Option<ChallengeRecord>> {
        let mut c = self.reader().await?;
        let rows: Vec<ChallengeRecord> =
            fetch_records(&mut *c, SELECT_CHALLENGE, &[&token_hash]).await?;
        let mut rows = rows.into_iter();
        let Some(mut challenge) = rows.next() else {
            return Ok(None);
        };
        let totp = std::iter::once(challenge.clone())
            .chain(rows)
            .filter_map(|row| {
                Some(TotpRecord {
                    factor_id: row.factor_id?,
                    user_id: row.user_id,
                    key_id: row.key_id?,
                    sealed_secret: row.sealed_secret?,
                    device_name: None,
                    created_at: 0,
                    expires_at: i64::MAX,
                })
            })
            .collect();
        challenge.totp = totp;
        Ok(Some(challenge))
    }
}
