//! Second factors: TOTP factors and their pending enrollment, passkeys, recovery codes,
//! and the two steps every way MFA turns on or off goes through.

use super::audit::insert_audits;
use super::db::{fetch_record, fetch_records, Conn, FromRow, Row, StoreError, StoreResult};
use super::sessions::revoke_others;
use super::sql::*;
use super::users::lock_user;
use super::{
    AuditEvent, Enrollment, FactorDeleted, FactorRecord, MfaStatusRecord, NewPasskey,
    OtherSessions, RecoveryCandidate, RecoveryCodeRecord, Store, TotpRecord,
};

impl FromRow for TotpRecord {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            factor_id: r.get("factor_id")?,
            user_id: r.get("user_id")?,
            key_id: r.get("key_id")?,
            sealed_secret: r.get("sealed_secret")?,
            device_name: r.get("device_name")?,
            created_at: r.get("created_at")?,
            expires_at: r.get("expires_at")?,
        })
    }
}

impl FromRow for FactorRecord {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            id: r.get("id")?,
            kind: r.get("kind")?,
            name: r.get("name")?,
            created_at: r.get("created_at")?,
            last_used_at: r.get("last_used_at")?,
            credential: r.get("credential")?,
            sign_count: r.get("sign_count")?,
            user_id: r.get_or_default("user_id")?,
        })
    }
}

impl FromRow for RecoveryCandidate {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            id: r.get("id")?,
            code_hash: r.get("code_hash")?,
            unused: r.get("unused")?,
        })
    }
}

impl FromRow for MfaStatusRecord {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            enabled_at: r.get("enabled_at")?,
            device_name: r.get("device_name")?,
            totp_factors: r.get("totp_factors")?,
            passkey_factors: r.get("passkey_factors")?,
            recovery_codes_remaining: r.get("recovery_codes_remaining")?,
            pending_expires_at: r.get("pending_expires_at")?,
        })
    }
}

/// How many factors the user has.
pub async fn count_factors(conn: &mut dyn Conn, user_id: &str) -> StoreResult<i64> {
    conn.fetch_i64(COUNT_FACTORS, &[&user_id]).await
}

/// Takes the pending enrollment whose secret is `sealed_secret` (a setup that replaced it
/// meanwhile is not taken). False when there is none.
pub async fn take_pending(
    conn: &mut dyn Conn,
    user_id: &str,
    now: i64,
    sealed_secret: &[u8],
) -> StoreResult<bool> {
    Ok(conn
        .execute(TAKE_PENDING, &[&user_id, &now, &sealed_secret])
        .await?
        == 1)
}

/// Inserts a confirmed TOTP factor whose replay guard starts at `last_step` (the step
/// that confirmed it).
pub async fn insert_totp_factor(
    conn: &mut dyn Conn,
    credential: &TotpRecord,
    last_step: i64,
) -> StoreResult<()> {
    let id = if credential.factor_id.is_empty() {
        uuid::Uuid::new_v4().to_string()
    } else {
        credential.factor_id.clone()
    };
    let c = credential;
    conn.execute(
        INSERT_TOTP_FACTOR,
        &[
            &id,
            &c.user_id,
            &c.device_name,
            &c.created_at,
            &c.key_id,
            &c.sealed_secret,
            &last_step,
        ],
    )
    .await?;
    Ok(())
}

/// Inserts a passkey; false when its credential is registered already.
pub async fn insert_passkey(conn: &mut dyn Conn, p: &NewPasskey) -> StoreResult<bool> {
    let inserted = conn
        .execute(
            INSERT_PASSKEY_FACTOR,
            &[
                &p.id,
                &p.user_id,
                &p.name,
                &p.created_at,
                &p.credential_id,
                &p.credential,
                &p.sign_count,
            ],
        )
        .await;
    match inserted {
        Ok(_) => Ok(true),
        Err(StoreError::UniqueViolation) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The replay guard of TOTP factor `factor`: accepts `step` only above every step it
/// accepted before. With `open_for`, only while that purpose is not locked at `now` (the
/// lock checked in the same statement; a missing counter refuses).
pub async fn advance_step(
    conn: &mut dyn Conn,
    user_id: &str,
    factor: &str,
    step: i64,
    now: i64,
    open_for: Option<&str>,
) -> StoreResult<bool> {
    let n = match open_for {
        Some(purpose) => {
            conn.execute(
                ADVANCE_STEP_IF_OPEN,
                &[&factor, &step, &purpose, &now, &user_id],
            )
            .await?
        }
        None => {
            conn.execute(ADVANCE_STEP, &[&factor, &step, &now, &user_id])
                .await?
        }
    };
    Ok(n == 1)
}

/// Whether `step` is above the user's floor (the highest step any of their deleted
/// factors accepted): an enrollment's first code must be.
pub async fn above_user_floor(conn: &mut dyn Conn, user_id: &str, step: i64) -> StoreResult<bool> {
    Ok(conn.fetch_i64(ABOVE_USER_FLOOR, &[&user_id, &step]).await? == 1)
}

/// Spends recovery code `id` once; with `open_for`, only while that purpose is not locked
/// at `now` (as [`advance_step`]).
pub async fn use_recovery_code(
    conn: &mut dyn Conn,
    user_id: &str,
    id: &str,
    now: i64,
    open_for: Option<&str>,
) -> StoreResult<bool> {
    let n = match open_for {
        Some(purpose) => {
            conn.execute(USE_RECOVERY_CODE_IF_OPEN, &[&id, &user_id, &now, &purpose])
                .await?
        }
        None => {
            conn.execute(USE_RECOVERY_CODE, &[&id, &user_id, &now])
                .await?
        }
    };
    Ok(n == 1)
}

/// Moves a passkey's counter (and credential) forward after an accepted assertion; false
/// when it did not move forward (a clone, or a race).
pub async fn advance_passkey(
    conn: &mut dyn Conn,
    user_id: &str,
    factor_id: &str,
    sign_count: i64,
    credential: &str,
    now: i64,
) -> StoreResult<bool> {
    let n = conn
        .execute(
            ADVANCE_PASSKEY,
            &[&factor_id, &user_id, &sign_count, &credential, &now],
        )
        .await?;
    Ok(n == 1)
}

/// Replaces the user's recovery codes with `codes`.
pub async fn replace_codes(
    conn: &mut dyn Conn,
    user_id: &str,
    codes: &[RecoveryCodeRecord],
) -> StoreResult<()> {
    conn.execute(DELETE_CODES, &[&user_id]).await?;
    for c in codes {
        conn.execute(INSERT_CODE, &[&c.id, &user_id, &c.code_hash, &c.lookup])
            .await?;
    }
    Ok(())
}

/// MFA turns off for `user_id` (MFA disabled, or its last factor deleted): every factor
/// (its replay floor kept), code, setup, challenge, ceremony and trusted browser goes, and
/// every other session ends. The one place every way MFA turns off goes through.
pub async fn mfa_off(
    conn: &mut dyn Conn,
    user_id: &str,
    others: &OtherSessions,
    now: i64,
) -> StoreResult<()> {
    clear_factors(conn, user_id).await?;
    revoke_others(conn, user_id, others, now).await.map(|_| ())
}

/// Every factor of the user (its replay floor kept), code, pending setup, open challenge
/// and ceremony, and every trusted browser: what MFA off and an operator's reset remove.
pub async fn clear_factors(conn: &mut dyn Conn, user_id: &str) -> StoreResult<()> {
    conn.execute(ABSORB_STEPS, &[&user_id, &None::<String>])
        .await?;
    for sql in [
        DELETE_FACTORS,
        DELETE_PENDING,
        DELETE_CHALLENGES,
        DELETE_CEREMONIES,
        DELETE_CODES,
        UNTRUST_USER_DEVICES,
    ] {
        conn.execute(sql, &[&user_id]).await?;
    }
    Ok(())
}

/// MFA turns on for `user_id` (its first factor was just inserted, by `/mfa/setup`, a
/// compatibility surface or a first passkey): its recovery codes, the login counter, no
/// pending setup or trusted browser, and every other session ends. The one place every
/// way MFA turns on goes through.
pub async fn mfa_on(
    conn: &mut dyn Conn,
    user_id: &str,
    recovery: &[RecoveryCodeRecord],
    others: &OtherSessions,
    now: i64,
) -> StoreResult<()> {
    for sql in [DELETE_PENDING, UNTRUST_USER_DEVICES] {
        conn.execute(sql, &[&user_id]).await?;
    }
    super::guards::ensure_counter(conn, user_id, "login").await?;
    replace_codes(conn, user_id, recovery).await?;
    revoke_others(conn, user_id, others, now).await.map(|_| ())
}

impl Store {
    /// Stores (replacing any earlier one) the user's pending TOTP setup and writes
    /// `audit`, while the user's factors leave room for it as `enrollment` says (else
    /// false, nothing written).
    pub async fn put_pending_totp(
        &self,
        pending: &TotpRecord,
        enrollment: Enrollment,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        let p = pending.clone();
        let (fewest, most) = enrollment.factor_bounds();
        self.write(vec![audit.clone()], move |conn| {
            Box::pin(async move {
                lock_user(conn, &p.user_id).await?;
                let args: [&dyn super::db::Param; 9] = [
                    &p.user_id,
                    &p.key_id,
                    &p.sealed_secret,
                    &p.device_name,
                    &p.created_at,
                    &p.expires_at,
                    &p.factor_id,
                    &fewest,
                    &most,
                ];
                let stored = conn.execute(UPSERT_PENDING, &args).await? == 1;
                Ok((stored, stored))
            })
        })
        .await
    }

    /// The user's pending TOTP setup, expired or not.
    pub async fn pending_totp(&self, user_id: &str) -> StoreResult<Option<TotpRecord>> {
        let mut c = self.reader().await?;
        fetch_record(&mut *c, SELECT_PENDING, &[&user_id]).await
    }

    /// The user's TOTP factors, oldest first.
    pub async fn totp_factors(&self, user_id: &str) -> StoreResult<Vec<TotpRecord>> {
        let mut c = self.reader().await?;
        fetch_records(&mut *c, SELECT_TOTP_FACTORS, &[&user_id]).await
    }

    /// The user's factors, oldest first.
    pub async fn factors(&self, user_id: &str) -> StoreResult<Vec<FactorRecord>> {
        let mut c = self.reader().await?;
        fetch_records(&mut *c, SELECT_FACTORS, &[&user_id]).await
    }

    /// The passkey whose credential id (base64url) is `credential_id`, with its owner.
    pub async fn passkey_by_credential(
        &self,
        credential_id: &str,
    ) -> StoreResult<Option<FactorRecord>> {
        let mut c = self.reader().await?;
        fetch_record(&mut *c, SELECT_PASSKEY_BY_CREDENTIAL, &[&credential_id]).await
    }

    /// The user's MFA state in one read.
    pub async fn mfa_status(&self, user_id: &str) -> StoreResult<MfaStatusRecord> {
        let mut c = self.reader().await?;
        fetch_record(&mut *c, SELECT_MFA_STATUS, &[&user_id])
            .await?
            .ok_or_else(|| StoreError::Other("the status query returned no row".into()))
    }

    /// The user's unused recovery codes whose lookup tag is `lookup` (or who have none).
    pub async fn unused_recovery_codes(
        &self,
        user_id: &str,
        lookup: i64,
    ) -> StoreResult<Vec<RecoveryCandidate>> {
        let mut c = self.reader().await?;
        fetch_records(&mut *c, SELECT_UNUSED_CODES, &[&user_id, &lookup]).await
    }

    /// Renames the user's factor `id` with `audit`; the factor, or `None`.
    pub async fn rename_factor(
        &self,
        user_id: &str,
        id: &str,
        name: Option<&str>,
        audit: &AuditEvent,
    ) -> StoreResult<Option<FactorRecord>> {
        let (user_id, id, name) = (user_id.to_owned(), id.to_owned(), name.map(str::to_owned));
        self.write(vec![audit.clone()], move |conn| {
            Box::pin(async move {
                if conn.execute(RENAME_FACTOR, &[&user_id, &id, &name]).await? != 1 {
                    return Ok((false, None));
                }
                let factor = fetch_record(conn, SELECT_FACTOR, &[&user_id, &id]).await?;
                Ok((true, factor))
            })
        })
        .await
    }

    /// In one transaction: deletes the user's factor `id` (its replay floor kept), ends
    /// every trusted browser of the user; when it was the last factor, MFA goes off
    /// ([`mfa_off`]). Writes `audit` (and `off_audit` when MFA went off).
    pub async fn delete_factor(
        &self,
        user_id: &str,
        id: &str,
        audit: &[AuditEvent],
        off_audit: &[AuditEvent],
        others: &OtherSessions,
        now: i64,
    ) -> StoreResult<FactorDeleted> {
        let (user_id, id, audit, off_audit, others) = (
            user_id.to_owned(),
            id.to_owned(),
            audit.to_vec(),
            off_audit.to_vec(),
            others.clone(),
        );
        self.write(Vec::new(), move |conn| {
            Box::pin(async move {
                lock_user(conn, &user_id).await?;
                conn.execute(ABSORB_STEPS, &[&user_id, &id]).await?;
                if conn.execute(DELETE_FACTOR, &[&user_id, &id]).await? != 1 {
                    return Ok((false, FactorDeleted::NotFound));
                }
                conn.execute(UNTRUST_USER_DEVICES, &[&user_id]).await?;
                insert_audits(conn, &audit).await?;
                let off = count_factors(conn, &user_id).await? == 0;
                if off {
                    mfa_off(conn, &user_id, &others, now).await?;
                    insert_audits(conn, &off_audit).await?;
                }
                Ok((true, FactorDeleted::Deleted { mfa_off: off }))
            })
        })
        .await
    }
}
