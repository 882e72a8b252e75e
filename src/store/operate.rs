//! [`OperatorStore`]: what operators need beside the user API: the admin views and actions,
//! key rotation and re-sealing, TOTP import, the webhook outbox and backups. Implemented
//! for both backends by [`impl_operator_store!`], on the same `write` and audit path as
//! [`super::Store`].

use async_trait::async_trait;

use super::{AuditEvent, AuditRecord, SigningKeyRecord, StoreResult, TotpRecord};

/// A user as the admin API lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AdminUserRecord {
    pub id: String,
    pub email: String,
    pub created_at: i64,
    pub disabled_at: Option<i64>,
    pub roles: String,
    pub mfa_enabled_at: Option<i64>,
    /// The newest session's start, among the sessions still kept.
    pub last_login_at: Option<i64>,
}

/// A master key this database was sealed under: its id and a known text sealed under it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MasterKeyRecord {
    pub key_id: i64,
    pub check_value: Vec<u8>,
    pub created_at: i64,
}

/// What a change of a user by an operator did; nothing was written unless `Done`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserChange {
    Done,
    NotFound,
    /// The user is the last enabled holder of the role to keep.
    LastWithRole,
}

impl UserChange {
    pub(crate) fn found(found: bool) -> Self {
        if found {
            Self::Done
        } else {
            Self::NotFound
        }
    }
}

/// A key kept across master-key rotations (token HMAC key, recovery pepper), sealed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CarriedKeyRecord {
    pub purpose: String,
    pub key_id: i64,
    pub sealed: Vec<u8>,
}

/// Where a sealed value lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealedTable {
    MfaFactors,
    TotpPending,
    SigningKeys,
}

/// One sealed value of the database, for re-sealing.
#[derive(Debug, Clone)]
pub struct SealedValue {
    pub table: SealedTable,
    /// The row: the factor id, the user id (pending TOTP) or the key's `kid`.
    pub owner: String,
    /// What the value is sealed for (its associated data): the user id (TOTP secrets) or
    /// the key's `kid`.
    pub subject: String,
    pub key_id: i64,
    pub sealed: Vec<u8>,
}

/// Everything `keys rotate-master` writes, applied in one transaction.
#[derive(Debug, Clone)]
pub struct Reseal {
    /// The key id every value is sealed under now; rows under another id abort the change.
    pub from_key_id: i64,
    /// Every sealed value, re-sealed (`key_id` = the new key's).
    pub values: Vec<SealedValue>,
    pub master: MasterKeyRecord,
    pub carried: Vec<CarriedKeyRecord>,
}

/// How an import of one TOTP credential ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    Imported,
    NoSuchUser,
    AlreadyEnabled,
}

/// A webhook event in the outbox.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRecord {
    pub seq: i64,
    pub id: String,
    pub user_id: Option<String>,
    pub email: Option<String>,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub created_at: i64,
    pub data: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
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

/// The operator's side of the store.
#[async_trait]
pub trait OperatorStore: Send + Sync {
    /// Users whose email starts with `email_prefix`, in email order, after `after`.
    async fn list_users(
        &self,
        email_prefix: &str,
        after: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<AdminUserRecord>>;
    /// One user as the admin API shows it.
    async fn admin_user(&self, id: &str) -> StoreResult<Option<AdminUserRecord>>;
    /// How many live sessions the user has at `now`.
    async fn live_session_count(&self, user_id: &str, now: i64) -> StoreResult<i64>;
    /// Break-glass: removes the user's TOTP credential, recovery codes, pending setup and
    /// open challenges, revokes every session, writes `audit`. False when no such user.
    async fn reset_mfa(&self, user_id: &str, now: i64, audit: &[AuditEvent]) -> StoreResult<bool>;
    /// Revokes every live session of the user; `None` when no such user.
    async fn revoke_all_sessions(
        &self,
        user_id: &str,
        now: i64,
        audit: &[AuditEvent],
    ) -> StoreResult<Option<u64>>;
    /// Disables (revoking every session) or enables the user. With `keep_one`, refuses to
    /// disable the last enabled holder of that role, decided under the row locks of every
    /// holder (two holders disabling each other at once cannot both succeed).
    async fn set_disabled(
        &self,
        user_id: &str,
        disabled: bool,
        now: i64,
        audit: &[AuditEvent],
        keep_one: Option<&str>,
    ) -> StoreResult<UserChange>;
    /// Clears every lock and failure counter of the user, its account key's guard and its
    /// device tokens' budgets. False when no such user.
    async fn unlock_user(
        &self,
        user_id: &str,
        account_key: &[u8],
        audit: &[AuditEvent],
    ) -> StoreResult<bool>;
    /// Deletes the user and all of its state but the audit trail; `keep_one` as for
    /// [`OperatorStore::set_disabled`].
    async fn delete_user(
        &self,
        user_id: &str,
        account_key: &[u8],
        audit: &[AuditEvent],
        keep_one: Option<&str>,
    ) -> StoreResult<UserChange>;
    /// Sets the user's roles. False when no such user.
    async fn set_roles(
        &self,
        user_id: &str,
        roles: &str,
        audit: &[AuditEvent],
    ) -> StoreResult<bool>;
    /// Audit events across users, newest first, filtered by user and type.
    async fn search_audit(
        &self,
        user_id: Option<&str>,
        kind: Option<&str>,
        before: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<AuditRecord>>;

    /// Makes `key` the current signing key: the current one is retired at `now`.
    async fn add_signing_key(&self, key: &SigningKeyRecord, now: i64) -> StoreResult<()>;
    /// Deletes signing keys retired before `before`; returns how many.
    async fn drop_signing_keys_retired_before(&self, before: i64) -> StoreResult<u64>;
    /// The master keys this database was sealed under, newest first.
    async fn master_keys(&self) -> StoreResult<Vec<MasterKeyRecord>>;
    /// Records the first master key unless one is recorded (several instances may race).
    async fn insert_master_key_if_absent(&self, key: &MasterKeyRecord) -> StoreResult<()>;
    /// The keys carried across master-key rotations.
    async fn carried_keys(&self) -> StoreResult<Vec<CarriedKeyRecord>>;
    /// Every sealed value of the database.
    async fn sealed_values(&self) -> StoreResult<Vec<SealedValue>>;
    /// Applies a re-sealing in one transaction. False (nothing changed) when a sealed value
    /// changed, appeared or was under another key meanwhile.
    async fn reseal(&self, reseal: &Reseal) -> StoreResult<bool>;

    /// Enrolls an existing authenticator for the user (MFA must be off); no recovery codes.
    async fn import_totp(
        &self,
        user_id: &str,
        credential: &TotpRecord,
        audit: &AuditEvent,
    ) -> StoreResult<ImportOutcome>;

    /// Events due at `now` that are the oldest undelivered event of their user.
    async fn due_webhooks(&self, now: i64, limit: i64) -> StoreResult<Vec<OutboxRecord>>;
    /// Takes the event for one attempt until `lease_until`, if no one else took it since it
    /// was read as due at `seen_next`. Counts the attempt.
    async fn claim_webhook(&self, seq: i64, seen_next: i64, lease_until: i64) -> StoreResult<bool>;
    /// Records how an attempt ended.
    async fn settle_webhook(&self, seq: i64, attempt: &WebhookAttempt) -> StoreResult<()>;
    /// Events not delivered yet (and not given up).
    async fn webhook_backlog(&self) -> StoreResult<i64>;
    /// Events given up on, newest first.
    async fn failed_webhooks(&self, limit: i64) -> StoreResult<Vec<OutboxRecord>>;
}

/// Implements [`OperatorStore`] for `$store` (see [`super::backend::impl_store`]).
macro_rules! impl_operator_store {
    ($store:ty, $db:ty) => {
        /// Whether `user_id` is the only enabled holder of `role`, read under the row locks
        /// of every holder.
        async fn last_holder(
            conn: &mut <$db as sqlx::Database>::Connection,
            user_id: &str,
            role: &str,
        ) -> Result<bool, sqlx::Error> {
            let holders: Vec<String> = sqlx::query_scalar(operator_sql::LOCK_ROLE_HOLDERS)
                .bind(format!("% {} %", like_escape(role)))
                .fetch_all(&mut *conn)
                .await?;
            Ok(holders.len() == 1 && holders[0] == user_id)
        }

        mod operator_sql {
            pub const ADMIN_USER_COLUMNS: &str = "SELECT u.id, u.email, u.created_at, u.disabled_at, \
                 u.roles, (SELECT MIN(f.created_at) FROM mfa_factors f WHERE f.user_id = u.id) AS mfa_enabled_at, \
                 (SELECT MAX(s.created_at) FROM sessions s WHERE s.user_id = u.id) AS last_login_at \
                 FROM users u";
            pub const USER_EXISTS: &str = "SELECT COUNT(*) FROM users WHERE id = $1";
            /// Takes the row lock of every enabled user whose roles include `$1` (a LIKE
            /// pattern of ` role `), returning their ids.
            pub const LOCK_ROLE_HOLDERS: &str = "UPDATE users SET disabled_at = disabled_at \
                 WHERE disabled_at IS NULL AND (' ' || roles || ' ') LIKE $1 ESCAPE '\\' RETURNING id";
            pub const REVOKE_ALL: &str = "UPDATE sessions SET revoked_at = $2 \
                 WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2";
            pub const SEALED: &str = "SELECT 'mfa_factors', id, key_id, sealed_secret, user_id FROM mfa_factors \
                 WHERE type = 'totp' \
                 UNION ALL SELECT 'totp_pending', user_id, key_id, sealed_secret, user_id FROM totp_pending \
                 UNION ALL SELECT 'signing_keys', kid, key_id, sealed_seed, kid FROM signing_keys";
            pub const OUTBOX_COLUMNS: &str = "SELECT seq, id, user_id, email, type, created_at, data, \
                 attempts, next_attempt_at, last_error FROM webhook_outbox";
        }

        #[async_trait]
        impl OperatorStore for $store {
            async fn list_users(
                &self,
                email_prefix: &str,
                after: Option<&str>,
                limit: i64,
            ) -> StoreResult<Vec<AdminUserRecord>> {
                let pattern = format!("{}%", like_escape(email_prefix));
                let sql = format!(
                    "{} WHERE u.email LIKE $1 ESCAPE '\\' AND u.email > $2 ORDER BY u.email LIMIT $3",
                    operator_sql::ADMIN_USER_COLUMNS
                );
                Ok(sqlx::query_as(&sql)
                    .bind(pattern)
                    .bind(after.unwrap_or(""))
                    .bind(limit)
                    .fetch_all(self.reader())
                    .await?)
            }

            async fn admin_user(&self, id: &str) -> StoreResult<Option<AdminUserRecord>> {
                let sql = format!("{} WHERE u.id = $1", operator_sql::ADMIN_USER_COLUMNS);
                Ok(sqlx::query_as(&sql).bind(id).fetch_optional(self.reader()).await?)
            }

            async fn live_session_count(&self, user_id: &str, now: i64) -> StoreResult<i64> {
                Ok(sqlx::query_scalar(
                    "SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2",
                )
                .bind(user_id)
                .bind(now)
                .fetch_one(self.reader())
                .await?)
            }

            async fn reset_mfa(&self, user_id: &str, now: i64, audit: &[AuditEvent]) -> StoreResult<bool> {
                let user_id = user_id.to_owned();
                self.write_audited(audit.to_vec(), move |conn| {
                    Box::pin(async move {
                        if sqlx::query(LOCK_USER).bind(&user_id).execute(&mut *conn).await?.rows_affected() == 0 {
                            return Ok((false, false));
                        }
                        sqlx::query(ABSORB_STEPS).bind(&user_id).bind(None::<String>).execute(&mut *conn).await?;
                        for sql in [
                            DELETE_FACTORS,
                            DELETE_PENDING,
                            DELETE_CHALLENGES,
                            DELETE_CEREMONIES,
                            DELETE_CODES,
                            UNTRUST_USER_DEVICES,
                        ] {
                            sqlx::query(sql).bind(&user_id).execute(&mut *conn).await?;
                        }
                        sqlx::query(operator_sql::REVOKE_ALL).bind(&user_id).bind(now).execute(&mut *conn).await?;
                        Ok((true, true))
                    })
                })
                .await
            }

            async fn revoke_all_sessions(
                &self,
                user_id: &str,
                now: i64,
                audit: &[AuditEvent],
            ) -> StoreResult<Option<u64>> {
                let user_id = user_id.to_owned();
                let mut audit = audit.to_vec();
                self.write(move |conn| {
                    Box::pin(async move {
                        let exists: i64 = sqlx::query_scalar(operator_sql::USER_EXISTS)
                            .bind(&user_id)
                            .fetch_one(&mut *conn)
                            .await?;
                        if exists == 0 {
                            return Ok((false, None));
                        }
                        let revoked = sqlx::query(operator_sql::REVOKE_ALL)
                            .bind(&user_id)
                            .bind(now)
                            .execute(&mut *conn)
                            .await?
                            .rows_affected();
                        for event in &mut audit {
                            if let Some(details) = event.details.as_object_mut() {
                                details.insert("revoked".into(), revoked.into());
                            }
                        }
                        insert_audits(conn, &audit).await?;
                        Ok((true, Some(revoked)))
                    })
                })
                .await
            }

            async fn set_disabled(
                &self,
                user_id: &str,
                disabled: bool,
                now: i64,
                audit: &[AuditEvent],
                keep_one: Option<&str>,
            ) -> StoreResult<UserChange> {
                let (user_id, keep_one) = (user_id.to_owned(), keep_one.map(str::to_owned));
                self.write_audited(audit.to_vec(), move |conn| {
                    Box::pin(async move {
                        if let Some(role) = keep_one.as_deref() {
                            if last_holder(conn, &user_id, role).await? {
                                return Ok((false, UserChange::LastWithRole));
                            }
                        }
                        let at = disabled.then_some(now);
                        let found = sqlx::query("UPDATE users SET disabled_at = $2 WHERE id = $1")
                            .bind(&user_id)
                            .bind(at)
                            .execute(&mut *conn)
                            .await?
                            .rows_affected()
                            == 1;
                        if found && disabled {
                            sqlx::query(operator_sql::REVOKE_ALL).bind(&user_id).bind(now).execute(&mut *conn).await?;
                            sqlx::query(DELETE_CHALLENGES).bind(&user_id).execute(&mut *conn).await?;
                        }
                        Ok((found, UserChange::found(found)))
                    })
                })
                .await
            }

            async fn unlock_user(
                &self,
                user_id: &str,
                account_key: &[u8],
                audit: &[AuditEvent],
            ) -> StoreResult<bool> {
                let (user_id, account_key) = (user_id.to_owned(), account_key.to_vec());
                self.write_audited(audit.to_vec(), move |conn| {
                    Box::pin(async move {
                        let exists: i64 = sqlx::query_scalar(operator_sql::USER_EXISTS)
                            .bind(&user_id)
                            .fetch_one(&mut *conn)
                            .await?;
                        if exists == 0 {
                            return Ok((false, false));
                        }
                        sqlx::query("UPDATE attempt_counters SET failures = 0, lockouts = 0, locked_until = 0 WHERE user_id = $1")
                            .bind(&user_id)
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("DELETE FROM login_guards WHERE account_key = $1")
                            .bind(&account_key)
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("UPDATE device_tokens SET failures = 0 WHERE user_id = $1 AND failures <> 0")
                            .bind(&user_id)
                            .execute(&mut *conn)
                            .await?;
                        Ok((true, true))
                    })
                })
                .await
            }

            async fn delete_user(
                &self,
                user_id: &str,
                account_key: &[u8],
                audit: &[AuditEvent],
                keep_one: Option<&str>,
            ) -> StoreResult<UserChange> {
                let (user_id, account_key) = (user_id.to_owned(), account_key.to_vec());
                let keep_one = keep_one.map(str::to_owned);
                self.write_audited(audit.to_vec(), move |conn| {
                    Box::pin(async move {
                        if let Some(role) = keep_one.as_deref() {
                            if last_holder(conn, &user_id, role).await? {
                                return Ok((false, UserChange::LastWithRole));
                            }
                        }
                        // Everything of the user goes with it (ON DELETE CASCADE); the
                        // audit trail has no foreign key and is kept.
                        let found = sqlx::query("DELETE FROM users WHERE id = $1")
                            .bind(&user_id)
                            .execute(&mut *conn)
                            .await?
                            .rows_affected()
                            == 1;
                        sqlx::query("DELETE FROM login_guards WHERE account_key = $1")
                            .bind(&account_key)
                            .execute(&mut *conn)
                            .await?;
                        Ok((found, UserChange::found(found)))
                    })
                })
                .await
            }

            async fn set_roles(&self, user_id: &str, roles: &str, audit: &[AuditEvent]) -> StoreResult<bool> {
                let (user_id, roles) = (user_id.to_owned(), roles.to_owned());
                self.write_audited(audit.to_vec(), move |conn| {
                    Box::pin(async move {
                        let found = sqlx::query("UPDATE users SET roles = $2 WHERE id = $1")
                            .bind(&user_id)
                            .bind(&roles)
                            .execute(&mut *conn)
                            .await?
                            .rows_affected()
                            == 1;
                        Ok((found, found))
                    })
                })
                .await
            }

            async fn search_audit(
                &self,
                user_id: Option<&str>,
                kind: Option<&str>,
                before: Option<i64>,
                limit: i64,
            ) -> StoreResult<Vec<AuditRecord>> {
                Ok(sqlx::query_as(
                    "SELECT id, user_id, type, at, ip, user_agent, details FROM audit_events \
                     WHERE (CAST($1 AS TEXT) IS NULL OR user_id = $1) AND (CAST($2 AS TEXT) IS NULL OR type = $2) AND id < $3 \
                     ORDER BY id DESC LIMIT $4",
                )
                .bind(user_id)
                .bind(kind)
                .bind(before.unwrap_or(i64::MAX))
                .bind(limit)
                .fetch_all(self.reader())
                .await?)
            }

            async fn add_signing_key(&self, key: &SigningKeyRecord, now: i64) -> StoreResult<()> {
                let key = key.clone();
                self.write(move |conn| {
                    Box::pin(async move {
                        sqlx::query("UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL")
                            .bind(now)
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query(
                            "INSERT INTO signing_keys (id, kid, key_id, sealed_seed, created_at) \
                             SELECT COALESCE(MAX(id), 0) + 1, $1, $2, $3, $4 FROM signing_keys",
                        )
                        .bind(&key.kid)
                        .bind(key.key_id)
                        .bind(&key.sealed_seed)
                        .bind(key.created_at)
                        .execute(&mut *conn)
                        .await?;
                        Ok((true, ()))
                    })
                })
                .await
            }

            async fn drop_signing_keys_retired_before(&self, before: i64) -> StoreResult<u64> {
                self.write(move |conn| {
                    Box::pin(async move {
                        let n = sqlx::query("DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at < $1")
                            .bind(before)
                            .execute(&mut *conn)
                            .await?
                            .rows_affected();
                        Ok((true, n))
                    })
                })
                .await
            }

            async fn master_keys(&self) -> StoreResult<Vec<MasterKeyRecord>> {
                Ok(sqlx::query_as("SELECT key_id, check_value, created_at FROM master_keys ORDER BY key_id DESC")
                    .fetch_all(self.reader())
                    .await?)
            }

            async fn insert_master_key_if_absent(&self, key: &MasterKeyRecord) -> StoreResult<()> {
                let key = key.clone();
                self.write(move |conn| {
                    Box::pin(async move {
                        sqlx::query(
                            "INSERT INTO master_keys (key_id, check_value, created_at) \
                             SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM master_keys) \
                             ON CONFLICT (key_id) DO NOTHING",
                        )
                        .bind(key.key_id)
                        .bind(&key.check_value)
                        .bind(key.created_at)
                        .execute(&mut *conn)
                        .await?;
                        Ok((true, ()))
                    })
                })
                .await
            }

            async fn carried_keys(&self) -> StoreResult<Vec<CarriedKeyRecord>> {
                Ok(sqlx::query_as("SELECT purpose, key_id, sealed FROM carried_keys ORDER BY purpose")
                    .fetch_all(self.reader())
                    .await?)
            }

            async fn sealed_values(&self) -> StoreResult<Vec<SealedValue>> {
                let rows = sqlx::query(operator_sql::SEALED).fetch_all(self.reader()).await?;
                rows.iter().map(sealed_value).collect::<Result<_, sqlx::Error>>().map_err(Into::into)
            }

            async fn reseal(&self, reseal: &Reseal) -> StoreResult<bool> {
                let reseal = reseal.clone();
                self.write(move |conn| {
                    Box::pin(async move {
                        let current: Vec<SealedValue> = sqlx::query(operator_sql::SEALED)
                            .fetch_all(&mut *conn)
                            .await?
                            .iter()
                            .map(sealed_value)
                            .collect::<Result<_, _>>()?;
                        // Every value must be the one that was re-sealed, under the old key.
                        let unchanged = current.len() == reseal.values.len()
                            && current.iter().all(|c| {
                                c.key_id == reseal.from_key_id
                                    && reseal.values.iter().any(|v| v.table == c.table && v.owner == c.owner)
                            });
                        if !unchanged {
                            return Ok((false, false));
                        }
                        for v in &reseal.values {
                            let sql = match v.table {
                                SealedTable::MfaFactors => "UPDATE mfa_factors SET key_id = $1, sealed_secret = $2 WHERE id = $3 AND key_id = $4",
                                SealedTable::TotpPending => "UPDATE totp_pending SET key_id = $1, sealed_secret = $2 WHERE user_id = $3 AND key_id = $4",
                                SealedTable::SigningKeys => "UPDATE signing_keys SET key_id = $1, sealed_seed = $2 WHERE kid = $3 AND key_id = $4",
                            };
                            let n = sqlx::query(sql)
                                .bind(v.key_id)
                                .bind(&v.sealed)
                                .bind(&v.owner)
                                .bind(reseal.from_key_id)
                                .execute(&mut *conn)
                                .await?
                                .rows_affected();
                            if n != 1 {
                                return Ok((false, false));
                            }
                        }
                        sqlx::query("INSERT INTO master_keys (key_id, check_value, created_at) VALUES ($1, $2, $3)")
                            .bind(reseal.master.key_id)
                            .bind(&reseal.master.check_value)
                            .bind(reseal.master.created_at)
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("DELETE FROM carried_keys").execute(&mut *conn).await?;
                        for c in &reseal.carried {
                            sqlx::query("INSERT INTO carried_keys (purpose, key_id, sealed) VALUES ($1, $2, $3)")
                                .bind(&c.purpose)
                                .bind(c.key_id)
                                .bind(&c.sealed)
                                .execute(&mut *conn)
                                .await?;
                        }
                        Ok((true, true))
                    })
                })
                .await
            }

            async fn import_totp(
                &self,
                user_id: &str,
                credential: &TotpRecord,
                audit: &AuditEvent,
            ) -> StoreResult<ImportOutcome> {
                let (user_id, credential, audit) = (user_id.to_owned(), credential.clone(), audit.clone());
                self.write(move |conn| {
                    Box::pin(async move {
                        if sqlx::query(LOCK_USER).bind(&user_id).execute(&mut *conn).await?.rows_affected() == 0 {
                            return Ok((false, ImportOutcome::NoSuchUser));
                        }
                        let factors: i64 = sqlx::query_scalar(COUNT_FACTORS).bind(&user_id).fetch_one(&mut *conn).await?;
                        if factors > 0 {
                            return Ok((false, ImportOutcome::AlreadyEnabled));
                        }
                        // The imported secret was in use elsewhere: its guard starts at the
                        // user's floor, like any new factor's.
                        let floor: i64 = sqlx::query_scalar("SELECT totp_last_step FROM users WHERE id = $1")
                            .bind(&user_id)
                            .fetch_one(&mut *conn)
                            .await?;
                        sqlx::query(INSERT_TOTP_FACTOR)
                            .bind(uuid::Uuid::new_v4().to_string())
                            .bind(&user_id)
                            .bind(&credential.device_name)
                            .bind(credential.created_at)
                            .bind(credential.key_id)
                            .bind(&credential.sealed_secret)
                            .bind(floor)
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query(DELETE_PENDING).bind(&user_id).execute(&mut *conn).await?;
                        sqlx::query(ENSURE_COUNTER).bind(&user_id).bind("login").execute(&mut *conn).await?;
                        insert_audit(conn, &audit).await?;
                        Ok((true, ImportOutcome::Imported))
                    })
                })
                .await
            }

            async fn due_webhooks(&self, now: i64, limit: i64) -> StoreResult<Vec<OutboxRecord>> {
                let sql = format!(
                    "{} o WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 \
                     AND NOT EXISTS (SELECT 1 FROM webhook_outbox p WHERE p.delivered_at IS NULL \
                       AND p.failed_at IS NULL AND p.seq < o.seq \
                       AND (p.user_id = o.user_id OR (p.user_id IS NULL AND o.user_id IS NULL))) \
                     ORDER BY seq LIMIT $2",
                    operator_sql::OUTBOX_COLUMNS
                );
                Ok(sqlx::query_as(&sql).bind(now).bind(limit).fetch_all(self.reader()).await?)
            }

            async fn claim_webhook(&self, seq: i64, seen_next: i64, lease_until: i64) -> StoreResult<bool> {
                self.write(move |conn| {
                    Box::pin(async move {
                        let n = sqlx::query(
                            "UPDATE webhook_outbox SET next_attempt_at = $3, attempts = attempts + 1 \
                             WHERE seq = $1 AND next_attempt_at = $2 AND delivered_at IS NULL AND failed_at IS NULL",
                        )
                        .bind(seq)
                        .bind(seen_next)
                        .bind(lease_until)
                        .execute(&mut *conn)
                        .await?
                        .rows_affected();
                        Ok((n == 1, n == 1))
                    })
                })
                .await
            }

            async fn settle_webhook(&self, seq: i64, attempt: &WebhookAttempt) -> StoreResult<()> {
                // One statement for the three endings: delivered_at, failed_at, the next try.
                let (delivered, failed, next, error) = match attempt.clone() {
                    WebhookAttempt::Delivered { at } => (Some(at), None, None, None),
                    WebhookAttempt::Retry { next_at, error } => (None, None, Some(next_at), Some(error)),
                    WebhookAttempt::Failed { at, error } => (None, Some(at), None, Some(error)),
                };
                self.write(move |conn| {
                    Box::pin(async move {
                        sqlx::query(
                            "UPDATE webhook_outbox SET delivered_at = $2, failed_at = $3, \
                             next_attempt_at = COALESCE($4, next_attempt_at), last_error = $5 WHERE seq = $1",
                        )
                        .bind(seq)
                        .bind(delivered)
                        .bind(failed)
                        .bind(next)
                        .bind(error)
                        .execute(&mut *conn)
                        .await?;
                        Ok((true, ()))
                    })
                })
                .await
            }

            async fn webhook_backlog(&self) -> StoreResult<i64> {
                Ok(sqlx::query_scalar(
                    "SELECT COUNT(*) FROM webhook_outbox WHERE delivered_at IS NULL AND failed_at IS NULL",
                )
                .fetch_one(self.reader())
                .await?)
            }

            async fn failed_webhooks(&self, limit: i64) -> StoreResult<Vec<OutboxRecord>> {
                let sql = format!(
                    "{} WHERE failed_at IS NOT NULL ORDER BY seq DESC LIMIT $1",
                    operator_sql::OUTBOX_COLUMNS
                );
                Ok(sqlx::query_as(&sql).bind(limit).fetch_all(self.reader()).await?)
            }
        }

        fn sealed_value(row: &<$db as sqlx::Database>::Row) -> Result<SealedValue, sqlx::Error> {
            let table: String = row.try_get(0)?;
            Ok(SealedValue {
                table: match table.as_str() {
                    "mfa_factors" => SealedTable::MfaFactors,
                    "totp_pending" => SealedTable::TotpPending,
                    _ => SealedTable::SigningKeys,
                },
                owner: row.try_get(1)?,
                key_id: row.try_get(2)?,
                sealed: row.try_get(3)?,
                subject: row.try_get(4)?,
            })
        }
    };
}

pub(super) use impl_operator_store;

/// Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
pub(super) fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(super::like_escape(r"a_b%c\d"), r"a\_b\%c\\d");
    }
}
