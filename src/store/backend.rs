//! [`impl_store!`]: the one implementation of [`super::Store`], instantiated for each
//! backend's pool type, because sqlx's compile-time checked macros cannot serve two
//! databases (sqlx issue 1458). The statements themselves are in [`super::sql`].

/// Implements [`super::Store`] for `$store`, which provides `reader()` (a `sqlx::Pool<$db>`
/// for reads), `write(f)` (runs `f` on a connection inside a transaction, keeping its
/// changes only when `f` says so) and `run_migrations()`.
macro_rules! impl_store {
    ($store:ty, $db:ty, $backend:literal) => {
        use async_trait::async_trait;
        use sqlx::Row as _;

        use crate::domain::lockout::{seconds_left, AttemptState, LockPolicy};
        use crate::store::sql::*;
        use crate::store::*;

        async fn insert_audit(
            conn: &mut <$db as sqlx::Database>::Connection,
            e: &AuditEvent,
        ) -> Result<(), sqlx::Error> {
            insert_audits(conn, std::slice::from_ref(e)).await
        }

        /// All of `events` in one statement.
        async fn insert_audits(
            conn: &mut <$db as sqlx::Database>::Connection,
            events: &[AuditEvent],
        ) -> Result<(), sqlx::Error> {
            if events.is_empty() {
                return Ok(());
            }
            let sql = audit_insert_sql(events.len());
            bind_audits(sqlx::query(&sql), events).execute(&mut *conn).await?;
            // Their webhooks, in the same transaction (the outbox).
            for e in events {
                for kind in &e.webhooks {
                    sqlx::query(INSERT_OUTBOX)
                        .bind(format!("msg_{}", uuid::Uuid::new_v4().simple()))
                        .bind(&e.user_id)
                        .bind(*kind)
                        .bind(e.at)
                        .bind(e.details.to_string())
                        .execute(&mut *conn)
                        .await?;
                }
            }
            Ok(())
        }

        /// The audit event of a lock that starts, with how long it lasts.
        async fn insert_lock_audit(
            conn: &mut <$db as sqlx::Database>::Connection,
            mut event: AuditEvent,
            seconds: i64,
        ) -> Result<(), sqlx::Error> {
            if let Some(details) = event.details.as_object_mut() {
                details.insert("lockedForSeconds".into(), seconds.into());
            }
            insert_audit(conn, &event).await
        }

        /// Binds the six columns of each event, in the order of `audit_insert_sql`.
        fn bind_audits<'q>(
            mut query: sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments<'q>>,
            events: &'q [AuditEvent],
        ) -> sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments<'q>> {
            for e in events {
                query = query
                    .bind(&e.user_id)
                    .bind(e.kind.as_str())
                    .bind(e.at)
                    .bind(&e.ip)
                    .bind(&e.user_agent)
                    .bind(e.details.to_string());
            }
            query
        }

        async fn replace_codes(
            conn: &mut <$db as sqlx::Database>::Connection,
            user_id: &str,
            codes: &[RecoveryCodeRecord],
        ) -> Result<(), sqlx::Error> {
            sqlx::query(DELETE_CODES).bind(user_id).execute(&mut *conn).await?;
            for c in codes {
                sqlx::query(INSERT_CODE)
                    .bind(&c.id)
                    .bind(user_id)
                    .bind(&c.code_hash)
                    .bind(c.lookup)
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(())
        }

        /// The body of `complete_mfa`; the caller commits only on `Done`.
        async fn apply_mfa(
            conn: &mut <$db as sqlx::Database>::Connection,
            user_id: &str,
            purpose: &str,
            now: i64,
            proof: MfaProof,
            effect: MfaEffect,
        ) -> Result<MfaOutcome, sqlx::Error> {
            let effect = match effect {
                MfaEffect::Login { challenge_hash, session, refresh, device, reset_counter } => {
                    let login = LoginEffect { challenge_hash, session, refresh, device, reset_counter };
                    return apply_login(conn, user_id, purpose, now, proof, login).await;
                }
                other => other,
            };
            // The user's row is locked first, as a pending setup's write does (LOCK_USER):
            // a setup racing this unit waits for it instead of deadlocking with it.
            sqlx::query(LOCK_USER).bind(user_id).execute(&mut *conn).await?;
            // The counter row is created if missing and read under its lock: a read that
            // fails or finds nothing fails the whole unit (closed), never "unlocked".
            let row = sqlx::query(LOCK_COUNTER)
                .bind(user_id)
                .bind(purpose)
                .fetch_one(&mut *conn)
                .await?;
            let AttemptState { failures, lockouts, locked_until } = attempt_state(&row)?;
            if let Some(left) = seconds_left(locked_until, now) {
                return Ok(MfaOutcome::Locked(left));
            }
            // Preconditions of the effect, before the proof is spent.
            let factors: i64 = sqlx::query_scalar(COUNT_FACTORS).bind(user_id).fetch_one(&mut *conn).await?;
            match &effect {
                MfaEffect::Enable { credential, .. } | MfaEffect::AddTotp { credential, .. } => {
                    let taken = sqlx::query(TAKE_PENDING)
                        .bind(user_id)
                        .bind(now)
                        .bind(&credential.sealed_secret)
                        .execute(&mut *conn)
                        .await?
                        .rows_affected()
                        == 1;
                    if !taken {
                        return Ok(MfaOutcome::NoPendingSetup);
                    }
                    match &effect {
                        MfaEffect::Enable { .. } if factors > 0 => return Ok(MfaOutcome::AlreadyEnabled),
                        MfaEffect::AddTotp { .. } if factors == 0 => return Ok(MfaOutcome::NotEnabled),
                        MfaEffect::AddTotp { max, .. } if factors >= *max => {
                            return Ok(MfaOutcome::TooManyFactors)
                        }
                        _ => {}
                    }
                }
                MfaEffect::Regenerate { .. } | MfaEffect::Disable { .. } | MfaEffect::StepUp(_) => {
                    if factors == 0 {
                        return Ok(MfaOutcome::NotEnabled);
                    }
                }
                MfaEffect::Login { .. } => unreachable!("handled by apply_login"),
            }
            if let Some(refused) = spend_proof(conn, user_id, now, &proof).await? {
                return Ok(refused);
            }
            match effect {
                MfaEffect::Login { .. } => unreachable!("handled by apply_login"),
                MfaEffect::Enable { credential, recovery, others } => {
                    insert_totp_factor(conn, &credential, &proof).await?;
                    mfa_on(conn, user_id, &recovery, &others, now).await?;
                }
                MfaEffect::AddTotp { credential, .. } => {
                    insert_totp_factor(conn, &credential, &proof).await?;
                }
                MfaEffect::Regenerate { recovery, others } => {
                    replace_codes(conn, user_id, &recovery).await?;
                    revoke_others(conn, user_id, &others, now).await?;
                }
                MfaEffect::StepUp(step_up) => {
                    if !apply_step_up(conn, user_id, &step_up).await? {
                        return Ok(MfaOutcome::SessionGone);
                    }
                }
                MfaEffect::Disable { others } => {
                    mfa_off(conn, user_id, &others, now).await?;
                }
            }
            if failures != 0 || lockouts != 0 || locked_until != 0 {
                sqlx::query(RESET_COUNTER)
                    .bind(user_id)
                    .bind(purpose)
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(MfaOutcome::Done)
        }

        /// The success path of `verify-mfa` in two statements: spend the proof (the lock
        /// checked in the same statement), then consume the challenge and start the session
        /// (one insert through the `new_logins` view); a third resets the counter when the
        /// challenge's read said it needs it.
        async fn apply_login(
            conn: &mut <$db as sqlx::Database>::Connection,
            user_id: &str,
            purpose: &str,
            now: i64,
            proof: MfaProof,
            login: LoginEffect,
        ) -> Result<MfaOutcome, sqlx::Error> {
            let spent = match &proof {
                MfaProof::TotpStep { factor, step } => sqlx::query(ADVANCE_STEP_IF_OPEN)
                    .bind(factor.as_deref().unwrap_or_default())
                    .bind(*step)
                    .bind(purpose)
                    .bind(now)
                    .bind(user_id)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected()
                    == 1,
                MfaProof::RecoveryCode { id, .. } => sqlx::query(USE_RECOVERY_CODE_IF_OPEN)
                    .bind(id)
                    .bind(user_id)
                    .bind(now)
                    .bind(purpose)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected()
                    == 1,
                MfaProof::Passkey(_) => {
                    // The lock is read under the counter's row lock; then the assertion
                    // (ceremony and counter) is spent.
                    let row = sqlx::query(LOCK_COUNTER).bind(user_id).bind(purpose).fetch_one(&mut *conn).await?;
                    if let Some(left) = attempt_state(&row)?.retry_after(now) {
                        return Ok(MfaOutcome::Locked(left));
                    }
                    if let Some(refused) = spend_proof(conn, user_id, now, &proof).await? {
                        return Ok(refused);
                    }
                    true
                }
            };
            if !spent {
                // Refused: tell a lock from a spent proof by reading the counter under its
                // lock (which creates a missing row: the refusal stands either way).
                let row = sqlx::query(LOCK_COUNTER).bind(user_id).bind(purpose).fetch_one(&mut *conn).await?;
                if let Some(left) = attempt_state(&row)?.retry_after(now) {
                    return Ok(MfaOutcome::Locked(left));
                }
                return Ok(match proof {
                    MfaProof::RecoveryCode { .. } => MfaOutcome::CodeUsed,
                    _ => MfaOutcome::Replayed,
                });
            }
            match insert_new_login(conn, &login.session, &login.refresh, &login.device, login.challenge_hash.as_deref()).await {
                Ok(()) => {}
                Err(sqlx::Error::Database(e)) if e.message().contains(CHALLENGE_GONE) => {
                    return Ok(MfaOutcome::ChallengeGone);
                }
                Err(e) => return Err(e),
            }
            if login.reset_counter {
                sqlx::query(RESET_COUNTER).bind(user_id).bind(purpose).execute(&mut *conn).await?;
            }
            Ok(MfaOutcome::Done)
        }

        /// Spends a proof outside the login path (the lock already checked): `None` when
        /// spent, else the refusal.
        async fn spend_proof(
            conn: &mut <$db as sqlx::Database>::Connection,
            user_id: &str,
            now: i64,
            proof: &MfaProof,
        ) -> Result<Option<MfaOutcome>, sqlx::Error> {
            let refused = match proof {
                MfaProof::TotpStep { factor: Some(factor), step } => {
                    let n = sqlx::query(ADVANCE_STEP)
                        .bind(factor)
                        .bind(*step)
                        .bind(now)
                        .bind(user_id)
                        .execute(&mut *conn)
                        .await?
                        .rows_affected();
                    (n != 1).then_some(MfaOutcome::Replayed)
                }
                MfaProof::TotpStep { factor: None, step } => {
                    let above: i64 = sqlx::query_scalar(ABOVE_USER_FLOOR)
                        .bind(user_id)
                        .bind(*step)
                        .fetch_one(&mut *conn)
                        .await?;
                    (above != 1).then_some(MfaOutcome::Replayed)
                }
                MfaProof::RecoveryCode { id, .. } => {
                    let n = sqlx::query(USE_RECOVERY_CODE)
                        .bind(id)
                        .bind(user_id)
                        .bind(now)
                        .execute(&mut *conn)
                        .await?
                        .rows_affected();
                    (n != 1).then_some(MfaOutcome::CodeUsed)
                }
                MfaProof::Passkey(p) => {
                    let taken = sqlx::query(TAKE_CEREMONY)
                        .bind(&p.ceremony_hash)
                        .bind(p.purpose)
                        .bind(now)
                        .bind(user_id)
                        .execute(&mut *conn)
                        .await?
                        .rows_affected()
                        == 1;
                    if !taken {
                        Some(MfaOutcome::CeremonyGone)
                    } else {
                        let n = sqlx::query(ADVANCE_PASSKEY)
                            .bind(&p.factor_id)
                            .bind(user_id)
                            .bind(p.sign_count)
                            .bind(&p.credential)
                            .bind(now)
                            .execute(&mut *conn)
                            .await?
                            .rows_affected();
                        (n != 1).then_some(MfaOutcome::CounterRegressed)
                    }
                }
            };
            Ok(refused)
        }

        /// Inserts a confirmed TOTP factor; its replay guard starts at the step that
        /// confirmed it.
        async fn insert_totp_factor(
            conn: &mut <$db as sqlx::Database>::Connection,
            credential: &TotpRecord,
            proof: &MfaProof,
        ) -> Result<(), sqlx::Error> {
            let step = match proof {
                MfaProof::TotpStep { step, .. } => *step,
                _ => -1,
            };
            let id = if credential.factor_id.is_empty() {
                uuid::Uuid::new_v4().to_string()
            } else {
                credential.factor_id.clone()
            };
            sqlx::query(INSERT_TOTP_FACTOR)
                .bind(id)
                .bind(&credential.user_id)
                .bind(&credential.device_name)
                .bind(credential.created_at)
                .bind(credential.key_id)
                .bind(&credential.sealed_secret)
                .bind(step)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        /// MFA off: every factor (its replay floor kept), the codes, any pending setup,
        /// every open challenge and ceremony, every trusted browser.
        /// MFA turns off for `user_id` (MFA disabled, or its last factor deleted): every
        /// factor, code, setup, challenge, ceremony and trusted browser goes, and every
        /// other session ends. The one place every way MFA turns off goes through.
        async fn mfa_off(
            conn: &mut <$db as sqlx::Database>::Connection,
            user_id: &str,
            others: &OtherSessions,
            now: i64,
        ) -> Result<(), sqlx::Error> {
            sqlx::query(ABSORB_STEPS).bind(user_id).bind(None::<String>).execute(&mut *conn).await?;
            for sql in [DELETE_FACTORS, DELETE_PENDING, DELETE_CHALLENGES, DELETE_CEREMONIES, UNTRUST_USER_DEVICES] {
                sqlx::query(sql).bind(user_id).execute(&mut *conn).await?;
            }
            replace_codes(conn, user_id, &[]).await?;
            revoke_others(conn, user_id, others, now).await.map(|_| ())
        }

        /// MFA turns on for `user_id` (its first factor was just inserted, by `/mfa/setup`,
        /// a compatibility surface or a first passkey): its recovery codes, the login
        /// counter, no pending setup or trusted browser, and every other session ends. The
        /// one place every way MFA turns on goes through.
        async fn mfa_on(
            conn: &mut <$db as sqlx::Database>::Connection,
            user_id: &str,
            recovery: &[RecoveryCodeRecord],
            others: &OtherSessions,
            now: i64,
        ) -> Result<(), sqlx::Error> {
            for sql in [DELETE_PENDING, UNTRUST_USER_DEVICES] {
                sqlx::query(sql).bind(user_id).execute(&mut *conn).await?;
            }
            sqlx::query(ENSURE_COUNTER).bind(user_id).bind("login").execute(&mut *conn).await?;
            replace_codes(conn, user_id, recovery).await?;
            revoke_others(conn, user_id, others, now).await.map(|_| ())
        }

        /// A session, its first refresh token and a device token (and the consumption of an
        /// MFA challenge), in one statement.
        async fn insert_new_login(
            conn: &mut <$db as sqlx::Database>::Connection,
            s: &SessionRecord,
            refresh: &NewRefreshToken,
            device: &NewDeviceToken,
            challenge_hash: Option<&[u8]>,
        ) -> Result<(), sqlx::Error> {
            sqlx::query(INSERT_NEW_LOGIN)
                .bind(&s.id)
                .bind(&s.user_id)
                .bind(&s.amr)
                .bind(s.created_at)
                .bind(s.expires_at)
                .bind(&s.ip)
                .bind(&s.user_agent)
                .bind(&refresh.token_hash)
                .bind(&device.token_hash)
                .bind(device.expires_at)
                .bind(challenge_hash)
                .execute(&mut *conn)
                .await?;
            if let Some(trust) = &device.trust {
                sqlx::query(TRUST_DEVICE)
                    .bind(&device.token_hash)
                    .bind(&trust.id)
                    .bind(trust.until)
                    .execute(&mut *conn)
                    .await?;
                if let Some(from) = &trust.from {
                    sqlx::query(UNTRUST_DEVICE).bind(from).execute(&mut *conn).await?;
                }
            }
            Ok(())
        }

        async fn insert_session(
            conn: &mut <$db as sqlx::Database>::Connection,
            s: &SessionRecord,
            refresh: &NewRefreshToken,
        ) -> Result<(), sqlx::Error> {
            sqlx::query(INSERT_SESSION)
                .bind(&s.id)
                .bind(&s.user_id)
                .bind(&s.amr)
                .bind(s.created_at)
                .bind(s.expires_at)
                .bind(&s.ip)
                .bind(&s.user_agent)
                .execute(&mut *conn)
                .await?;
            sqlx::query(INSERT_REFRESH)
                .bind(&refresh.token_hash)
                .bind(&s.id)
                .bind(refresh.created_at)
                .bind(refresh.expires_at)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        /// Applies a step-up to its session; false when the session is not live.
        async fn apply_step_up(
            conn: &mut <$db as sqlx::Database>::Connection,
            user_id: &str,
            step_up: &StepUp,
        ) -> Result<bool, sqlx::Error> {
            let live = sqlx::query(STEP_UP_SESSION)
                .bind(&step_up.session_id)
                .bind(user_id)
                .bind(step_up.at)
                .bind(&step_up.amr)
                .execute(&mut *conn)
                .await?
                .rows_affected()
                == 1;
            if !live {
                return Ok(false);
            }
            sqlx::query(RETIRE_REFRESH)
                .bind(&step_up.session_id)
                .bind(step_up.at)
                .execute(&mut *conn)
                .await?;
            sqlx::query(INSERT_REFRESH)
                .bind(&step_up.refresh.token_hash)
                .bind(&step_up.session_id)
                .bind(step_up.refresh.created_at)
                .bind(step_up.refresh.expires_at)
                .execute(&mut *conn)
                .await?;
            Ok(true)
        }

        /// Gives a password attempt's budget back (one conditional statement).
        async fn apply_refund(
            conn: &mut <$db as sqlx::Database>::Connection,
            refund: &Refund,
        ) -> Result<(), sqlx::Error> {
            match refund {
                Refund::Account { key, now } => {
                    sqlx::query(RESET_GUARD).bind(key).bind(*now).execute(&mut *conn).await?
                }
                Refund::Device { token_hash } => {
                    sqlx::query(RESET_DEVICE).bind(token_hash).execute(&mut *conn).await?
                }
            };
            Ok(())
        }

        /// Revokes the user's live sessions but `others.keep`, auditing how many.
        async fn revoke_others(
            conn: &mut <$db as sqlx::Database>::Connection,
            user_id: &str,
            others: &OtherSessions,
            now: i64,
        ) -> Result<u64, sqlx::Error> {
            let revoked = sqlx::query(REVOKE_OTHER_SESSIONS)
                .bind(user_id)
                .bind(&others.keep)
                .bind(now)
                .execute(&mut *conn)
                .await?
                .rows_affected();
            if revoked > 0 {
                let mut audit = others.audit.clone();
                if let Some(details) = audit.details.as_object_mut() {
                    details.insert("revoked".into(), revoked.into());
                }
                insert_audit(conn, &audit).await?;
            }
            Ok(revoked)
        }

        /// Reads one counter-shaped row (failures, lockouts, locked_until).
        fn attempt_state(row: &<$db as sqlx::Database>::Row) -> Result<AttemptState, sqlx::Error> {
            Ok(AttemptState {
                failures: row.try_get(0)?,
                lockouts: row.try_get(1)?,
                locked_until: row.try_get(2)?,
            })
        }

        #[async_trait]
        impl Store for $store {
            fn backend(&self) -> &'static str {
                $backend
            }

            async fn migrate(&self) -> StoreResult<()> {
                self.run_migrations().await
            }

            async fn ping(&self) -> StoreResult<()> {
                sqlx::query("SELECT 1").execute(self.reader()).await?;
                self.writes_ready().await
            }

            async fn insert_signing_key_if_absent(&self, k: &SigningKeyRecord) -> StoreResult<()> {
                let k = k.clone();
                self.write(move |conn| {
                    Box::pin(async move {
                        sqlx::query(INSERT_SIGNING_KEY)
                            .bind(k.id)
                            .bind(&k.kid)
                            .bind(k.key_id)
                            .bind(&k.sealed_seed)
                            .bind(k.created_at)
                            .execute(&mut *conn)
                            .await?;
                        Ok((true, ()))
                    })
                })
                .await
            }

            async fn signing_keys(&self) -> StoreResult<Vec<SigningKeyRecord>> {
                Ok(sqlx::query_as(SELECT_SIGNING_KEYS).fetch_all(self.reader()).await?)
            }

            async fn create_user(&self, u: &NewUser, audit: &AuditEvent) -> StoreResult<()> {
                let u = u.clone();
                self.write_audited(vec![audit.clone()], move |conn| {
                    Box::pin(async move {
                        sqlx::query(INSERT_USER)
                            .bind(&u.id)
                            .bind(&u.email)
                            .bind(&u.password_hash)
                            .bind(u.created_at)
                            .execute(&mut *conn)
                            .await?;
                        Ok((true, ()))
                    })
                })
                .await
            }

            async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>> {
                let sql = format!("{USER_COLUMNS} WHERE u.email = $1");
                Ok(sqlx::query_as(&sql).bind(email).fetch_optional(self.reader()).await?)
            }

            async fn user_by_id(&self, id: &str) -> StoreResult<Option<UserRecord>> {
                let sql = format!("{USER_COLUMNS} WHERE u.id = $1");
                Ok(sqlx::query_as(&sql).bind(id).fetch_optional(self.reader()).await?)
            }

            async fn create_session(
                &self,
                s: &SessionRecord,
                refresh: &NewRefreshToken,
                device: Option<&NewDeviceToken>,
                refund: Option<&Refund>,
                audit: &[AuditEvent],
            ) -> StoreResult<SessionStart> {
                let (s, refresh, device, refund) = (s.clone(), refresh.clone(), device.cloned(), refund.cloned());
                self.write_audited(audit.to_vec(), move |conn| {
                    Box::pin(async move {
                        let active = sqlx::query(LOCK_ACTIVE_USER)
                            .bind(&s.user_id)
                            .execute(&mut *conn)
                            .await?
                            .rows_affected()
                            == 1;
                        if !active {
                            return Ok((false, SessionStart::Disabled));
                        }
                        let moving = device.as_ref().and_then(|d| d.trust.as_ref()).and_then(|t| t.from.as_ref());
                        if let Some(from) = moving {
                            let taken = sqlx::query(TAKE_TRUST)
                                .bind(from)
                                .bind(s.created_at)
                                .execute(&mut *conn)
                                .await?
                                .rows_affected()
                                == 1;
                            if !taken {
                                return Ok((false, SessionStart::TrustGone));
                            }
                        }
                        if let Some(refund) = &refund {
                            apply_refund(conn, refund).await?;
                        }
                        match &device {
                            Some(device) => insert_new_login(conn, &s, &refresh, device, None).await?,
                            None => insert_session(conn, &s, &refresh).await?,
                        }
                        Ok((true, SessionStart::Started))
                    })
                })
                .await
            }

            async fn session(&self, id: &str) -> StoreResult<Option<SessionRecord>> {
                Ok(sqlx::query_as(SELECT_SESSION).bind(id).fetch_optional(self.reader()).await?)
            }

            async fn rotate_refresh_token(
                &self,
                old_hash: &[u8],
                new: &NewRefreshToken,
                used: &SessionUse,
                mut reuse_audit: AuditEvent,
            ) -> StoreResult<RotateOutcome> {
                let (old_hash, new, session_use) = (old_hash.to_vec(), new.clone(), used.clone());
                let now = session_use.at;
                self.write(move |conn| {
                    Box::pin(async move {
                        let used = sqlx::query(USE_REFRESH)
                            .bind(&old_hash)
                            .bind(now)
                            .execute(&mut *conn)
                            .await?
                            .rows_affected();
                        if used == 1 {
                            let session: SessionRecord = sqlx::query_as(SESSION_OF_REFRESH)
                                .bind(&old_hash)
                                .fetch_one(&mut *conn)
                                .await?;
                            if session.revoked_at.is_some() || session.expires_at <= now {
                                return Ok((false, RotateOutcome::Invalid));
                            }
                            sqlx::query(INSERT_REFRESH)
                                .bind(&new.token_hash)
                                .bind(&session.id)
                                .bind(new.created_at)
                                .bind(new.expires_at)
                                .execute(&mut *conn)
                                .await?;
                            sqlx::query(TOUCH_SESSION)
                                .bind(&session.id)
                                .bind(session_use.at)
                                .bind(&session_use.ip)
                                .bind(&session_use.user_agent)
                                .execute(&mut *conn)
                                .await?;
                            return Ok((true, RotateOutcome::Rotated(session)));
                        }
                        let reused = sqlx::query(USED_REFRESH)
                            .bind(&old_hash)
                            .fetch_optional(&mut *conn)
                            .await?;
                        let Some(row) = reused else {
                            return Ok((false, RotateOutcome::Invalid));
                        };
                        let session_id: String = row.try_get(0)?;
                        let user_id: String = row.try_get(1)?;
                        sqlx::query(REVOKE_SESSION)
                            .bind(&session_id)
                            .bind(now)
                            .execute(&mut *conn)
                            .await?;
                        reuse_audit.user_id = Some(user_id.clone());
                        reuse_audit.details = serde_json::json!({ "sessionId": session_id });
                        insert_audit(conn, &reuse_audit).await?;
                        Ok((true, RotateOutcome::ReuseDetected { session_id, user_id }))
                    })
                })
                .await
            }

            async fn revoke_session(&self, id: &str, now: i64, audit: &AuditEvent) -> StoreResult<bool> {
                let (id, audit) = (id.to_owned(), audit.clone());
                self.write(move |conn| {
                    Box::pin(async move {
                        let revoked = sqlx::query(REVOKE_SESSION)
                            .bind(&id)
                            .bind(now)
                            .execute(&mut *conn)
                            .await?
                            .rows_affected()
                            == 1;
                        if revoked {
                            insert_audit(conn, &audit).await?;
                        }
                        Ok((true, revoked))
                    })
                })
                .await
            }

            async fn append_audit(&self, event: &AuditEvent) -> StoreResult<()> {
                let event = event.clone();
                self.write(move |conn| {
                    Box::pin(async move {
                        insert_audit(conn, &event).await?;
                        Ok((true, ()))
                    })
                })
                .await
            }

            async fn audit_events(
                &self,
                user_id: &str,
                before: Option<i64>,
                limit: i64,
            ) -> StoreResult<Vec<AuditRecord>> {
                Ok(sqlx::query_as(SELECT_AUDIT)
                    .bind(user_id)
                    .bind(before.unwrap_or(i64::MAX))
                    .bind(limit)
                    .fetch_all(self.reader())
                    .await?)
            }

            async fn lock_remaining(&self, user_id: &str, purpose: &str, now: i64) -> StoreResult<Option<u64>> {
                let locked_until: Option<i64> = sqlx::query_scalar(SELECT_LOCK)
                    .bind(user_id)
                    .bind(purpose)
                    .fetch_optional(self.reader())
                    .await?;
                Ok(locked_until.and_then(|until| seconds_left(until, now)))
            }

            async fn record_failure(
                &self,
                user_id: &str,
                purpose: &str,
                now: i64,
                policy: LockPolicy,
                audit: &[AuditEvent],
            ) -> StoreResult<(AttemptState, AttemptState)> {
                let (user_id, purpose) = (user_id.to_owned(), purpose.to_owned());
                self.write_audited(audit.to_vec(), move |conn| {
                    Box::pin(async move {
                        let row = sqlx::query(LOCK_COUNTER)
                            .bind(&user_id)
                            .bind(&purpose)
                            .fetch_one(&mut *conn)
                            .await?;
                        let before = AttemptState {
                            failures: row.try_get(0)?,
                            lockouts: row.try_get(1)?,
                            locked_until: row.try_get(2)?,
                        };
                        if before.retry_after(now).is_some() {
                            return Ok((true, (before, before)));
                        }
                        let after = policy.after_failure(before, now);
                        sqlx::query(UPDATE_COUNTER)
                            .bind(&user_id)
                            .bind(&purpose)
                            .bind(after.failures)
                            .bind(after.lockouts)
                            .bind(after.locked_until)
                            .execute(&mut *conn)
                            .await?;
                        Ok((true, (before, after)))
                    })
                })
                .await
            }

            async fn put_pending_totp(
                &self,
                p: &TotpRecord,
                enrollment: Enrollment,
                audit: &AuditEvent,
            ) -> StoreResult<bool> {
                let (p, audit) = (p.clone(), audit.clone());
                let (fewest, most) = enrollment.factor_bounds();
                self.write(move |conn| {
                    Box::pin(async move {
                        sqlx::query(LOCK_USER).bind(&p.user_id).execute(&mut *conn).await?;
                        let stored = sqlx::query(UPSERT_PENDING)
                            .bind(&p.user_id)
                            .bind(p.key_id)
                            .bind(&p.sealed_secret)
                            .bind(&p.device_name)
                            .bind(p.created_at)
                            .bind(p.expires_at)
                            .bind(&p.factor_id)
                            .bind(fewest)
                            .bind(most)
                            .execute(&mut *conn)
                            .await?
                            .rows_affected()
                            == 1;
                        if stored {
                            insert_audit(conn, &audit).await?;
                        }
                        Ok((stored, stored))
                    })
                })
                .await
            }

            async fn pending_totp(&self, user_id: &str) -> StoreResult<Option<TotpRecord>> {
                Ok(sqlx::query_as(SELECT_PENDING).bind(user_id).fetch_optional(self.reader()).await?)
            }

            async fn totp_factors(&self, user_id: &str) -> StoreResult<Vec<TotpRecord>> {
                Ok(sqlx::query_as(SELECT_TOTP_FACTORS).bind(user_id).fetch_all(self.reader()).await?)
            }

            async fn factors(&self, user_id: &str) -> StoreResult<Vec<FactorRecord>> {
                Ok(sqlx::query_as(SELECT_FACTORS).bind(user_id).fetch_all(self.reader()).await?)
            }

            async fn passkey_by_credential(&self, credential_id: &str) -> StoreResult<Option<FactorRecord>> {
                Ok(sqlx::query_as(SELECT_PASSKEY_BY_CREDENTIAL)
                    .bind(credential_id)
                    .fetch_optional(self.reader())
                    .await?)
            }

            async fn rename_factor(
                &self,
                user_id: &str,
                id: &str,
                name: Option<&str>,
                audit: &AuditEvent,
            ) -> StoreResult<Option<FactorRecord>> {
                let (user_id, id, name, audit) =
                    (user_id.to_owned(), id.to_owned(), name.map(str::to_owned), audit.clone());
                self.write(move |conn| {
                    Box::pin(async move {
                        let n = sqlx::query(RENAME_FACTOR)
                            .bind(&user_id)
                            .bind(&id)
                            .bind(&name)
                            .execute(&mut *conn)
                            .await?
                            .rows_affected();
                        if n != 1 {
                            return Ok((false, None));
                        }
                        let factor: FactorRecord =
                            sqlx::query_as(SELECT_FACTOR).bind(&user_id).bind(&id).fetch_one(&mut *conn).await?;
                        insert_audit(conn, &audit).await?;
                        Ok((true, Some(factor)))
                    })
                })
                .await
            }

            async fn delete_factor(
                &self,
                user_id: &str,
                id: &str,
                audit: &[AuditEvent],
                off_audit: &[AuditEvent],
                others: &OtherSessions,
                now: i64,
            ) -> StoreResult<FactorDeleted> {
                let (user_id, id, audit, off_audit, others) =
                    (user_id.to_owned(), id.to_owned(), audit.to_vec(), off_audit.to_vec(), others.clone());
                self.write(move |conn| {
                    Box::pin(async move {
                        sqlx::query(LOCK_USER).bind(&user_id).execute(&mut *conn).await?;
                        sqlx::query(ABSORB_STEPS).bind(&user_id).bind(&id).execute(&mut *conn).await?;
                        let n = sqlx::query(DELETE_FACTOR)
                            .bind(&user_id)
                            .bind(&id)
                            .execute(&mut *conn)
                            .await?
                            .rows_affected();
                        if n != 1 {
                            return Ok((false, FactorDeleted::NotFound));
                        }
                        sqlx::query(UNTRUST_USER_DEVICES).bind(&user_id).execute(&mut *conn).await?;
                        insert_audits(conn, &audit).await?;
                        let left: i64 = sqlx::query_scalar(COUNT_FACTORS).bind(&user_id).fetch_one(&mut *conn).await?;
                        if left == 0 {
                            mfa_off(conn, &user_id, &others, now).await?;
                            insert_audits(conn, &off_audit).await?;
                        }
                        Ok((true, FactorDeleted::Deleted { mfa_off: left == 0 }))
                    })
                })
                .await
            }

            async fn put_ceremony(&self, token_hash: &[u8], c: &CeremonyRecord, now: i64) -> StoreResult<()> {
                let (token_hash, c) = (token_hash.to_vec(), c.clone());
                self.write(move |conn| {
                    Box::pin(async move {
                        sqlx::query(INSERT_CEREMONY)
                            .bind(&token_hash)
                            .bind(&c.user_id)
                            .bind(&c.purpose)
                            .bind(&c.name)
                            .bind(&c.state)
                            .bind(now)
                            .bind(c.expires_at)
                            .execute(&mut *conn)
                            .await?;
                        Ok((true, ()))
                    })
                })
                .await
            }

            async fn ceremony(&self, token_hash: &[u8]) -> StoreResult<Option<CeremonyRecord>> {
                Ok(sqlx::query_as(SELECT_CEREMONY).bind(token_hash).fetch_optional(self.reader()).await?)
            }

            async fn claim_registration(&self, token_hash: &[u8], user_id: &str, now: i64) -> StoreResult<bool> {
                let (hash, user_id) = (token_hash.to_vec(), user_id.to_owned());
                self.write(move |conn| {
                    Box::pin(async move {
                        let claimed = sqlx::query(CLAIM_REGISTRATION)
                            .bind(&hash)
                            .bind(&user_id)
                            .bind(now)
                            .bind(CLAIMED_REGISTRATION)
                            .execute(&mut *conn)
                            .await?
                            .rows_affected()
                            == 1;
                        Ok((claimed, claimed))
                    })
                })
                .await
            }

            async fn add_passkey(
                &self,
                ceremony_hash: &[u8],
                passkey: &NewPasskey,
                max: i64,
                recovery: &[RecoveryCodeRecord],
                now: i64,
                audit: &[AuditEvent],
                first_audit: &[AuditEvent],
                others: &OtherSessions,
            ) -> StoreResult<PasskeyAdded> {
                let (hash, p, recovery, audit, first_audit, others) = (
                    ceremony_hash.to_vec(),
                    passkey.clone(),
                    recovery.to_vec(),
                    audit.to_vec(),
                    first_audit.to_vec(),
                    others.clone(),
                );
                self.write(move |conn| {
                    Box::pin(async move {
                        sqlx::query(LOCK_USER).bind(&p.user_id).execute(&mut *conn).await?;
                        let taken = sqlx::query(TAKE_CEREMONY)
                            .bind(&hash)
                            .bind(CLAIMED_REGISTRATION)
                            .bind(now)
                            .bind(&p.user_id)
                            .execute(&mut *conn)
                            .await?
                            .rows_affected()
                            == 1;
                        if !taken {
                            return Ok((false, PasskeyAdded::CeremonyGone));
                        }
                        let factors: i64 =
                            sqlx::query_scalar(COUNT_FACTORS).bind(&p.user_id).fetch_one(&mut *conn).await?;
                        if factors >= max {
                            return Ok((false, PasskeyAdded::TooManyFactors));
                        }
                        let inserted = sqlx::query(INSERT_PASSKEY_FACTOR)
                            .bind(&p.id)
                            .bind(&p.user_id)
                            .bind(&p.name)
                            .bind(p.created_at)
                            .bind(&p.credential_id)
                            .bind(&p.credential)
                            .bind(p.sign_count)
                            .execute(&mut *conn)
                            .await;
                        match inserted {
                            Ok(_) => {}
                            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                                return Ok((false, PasskeyAdded::Duplicate));
                            }
                            Err(e) => return Err(e),
                        }
                        let first = factors == 0;
                        if first {
                            mfa_on(conn, &p.user_id, &recovery, &others, now).await?;
                            insert_audits(conn, &first_audit).await?;
                        }
                        insert_audits(conn, &audit).await?;
                        Ok((true, PasskeyAdded::Added { first }))
                    })
                })
                .await
            }

            async fn mfa_status(&self, user_id: &str) -> StoreResult<MfaStatusRecord> {
                Ok(sqlx::query_as(SELECT_MFA_STATUS).bind(user_id).fetch_one(self.reader()).await?)
            }

            async fn unused_recovery_codes(
                &self,
                user_id: &str,
                lookup: i64,
            ) -> StoreResult<Vec<RecoveryCandidate>> {
                Ok(sqlx::query_as(SELECT_UNUSED_CODES)
                    .bind(user_id)
                    .bind(lookup)
                    .fetch_all(self.reader())
                    .await?)
            }

            async fn create_challenge(
                &self,
                token_hash: &[u8],
                user_id: &str,
                counter_purpose: &str,
                now: i64,
                expires_at: i64,
                refund: Option<&Refund>,
                audit: &AuditEvent,
            ) -> StoreResult<()> {
                let (token_hash, user_id, purpose, refund) =
                    (token_hash.to_vec(), user_id.to_owned(), counter_purpose.to_owned(), refund.cloned());
                self.write_audited(vec![audit.clone()], move |conn| {
                    Box::pin(async move {
                        if let Some(refund) = &refund {
                            apply_refund(conn, refund).await?;
                        }
                        sqlx::query(INSERT_CHALLENGE)
                            .bind(&token_hash)
                            .bind(&user_id)
                            .bind(now)
                            .bind(expires_at)
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query(ENSURE_COUNTER).bind(&user_id).bind(&purpose).execute(&mut *conn).await?;
                        Ok((true, ()))
                    })
                })
                .await
            }

            async fn challenge(&self, token_hash: &[u8]) -> StoreResult<Option<ChallengeRecord>> {
                let rows: Vec<ChallengeRecord> =
                    sqlx::query_as(SELECT_CHALLENGE).bind(token_hash).fetch_all(self.reader()).await?;
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

            async fn user_sessions(&self, user_id: &str, now: i64) -> StoreResult<Vec<SessionRecord>> {
                Ok(sqlx::query_as(SELECT_USER_SESSIONS)
                    .bind(user_id)
                    .bind(now)
                    .fetch_all(self.reader())
                    .await?)
            }

            async fn revoke_user_session(
                &self,
                user_id: &str,
                id: &str,
                now: i64,
                audit: &AuditEvent,
            ) -> StoreResult<bool> {
                let (user_id, id, audit) = (user_id.to_owned(), id.to_owned(), audit.clone());
                self.write(move |conn| {
                    Box::pin(async move {
                        let revoked = sqlx::query(REVOKE_USER_SESSION)
                            .bind(&id)
                            .bind(&user_id)
                            .bind(now)
                            .execute(&mut *conn)
                            .await?
                            .rows_affected()
                            == 1;
                        if revoked {
                            insert_audit(conn, &audit).await?;
                        }
                        Ok((revoked, revoked))
                    })
                })
                .await
            }

            async fn revoke_other_sessions(
                &self,
                user_id: &str,
                others: &OtherSessions,
                now: i64,
            ) -> StoreResult<u64> {
                let (user_id, others) = (user_id.to_owned(), others.clone());
                self.write(move |conn| {
                    Box::pin(async move {
                        let revoked = revoke_others(conn, &user_id, &others, now).await?;
                        Ok((true, revoked))
                    })
                })
                .await
            }

            async fn device_trust(
                &self,
                token_hash: &[u8],
                user_id: &str,
                now: i64,
            ) -> StoreResult<Option<DeviceTrust>> {
                let row = sqlx::query(SELECT_DEVICE_TRUST)
                    .bind(token_hash)
                    .bind(user_id)
                    .bind(now)
                    .fetch_optional(self.reader())
                    .await?;
                Ok(match row {
                    Some(row) => Some(DeviceTrust {
                        id: row.try_get("id")?,
                        until: row.try_get("mfa_trusted_until")?,
                        from: Some(token_hash.to_vec()),
                    }),
                    None => None,
                })
            }

            async fn trusted_devices(&self, user_id: &str, now: i64) -> StoreResult<Vec<TrustedDevice>> {
                Ok(sqlx::query_as(SELECT_TRUSTED_DEVICES)
                    .bind(user_id)
                    .bind(now)
                    .fetch_all(self.reader())
                    .await?)
            }

            async fn end_device_trust(
                &self,
                user_id: &str,
                id: &str,
                audit: &[AuditEvent],
            ) -> StoreResult<bool> {
                let (user_id, id) = (user_id.to_owned(), id.to_owned());
                self.write_audited(audit.to_vec(), move |conn| {
                    Box::pin(async move {
                        let ended = sqlx::query(UNTRUST_DEVICE_ID)
                            .bind(&user_id)
                            .bind(&id)
                            .execute(&mut *conn)
                            .await?
                            .rows_affected()
                            > 0;
                        Ok((ended, ended))
                    })
                })
                .await
            }

            async fn step_up_session(
                &self,
                user_id: &str,
                step_up: &StepUp,
                refund: Option<&Refund>,
                audit: &[AuditEvent],
            ) -> StoreResult<bool> {
                let (user_id, step_up, refund) = (user_id.to_owned(), step_up.clone(), refund.cloned());
                self.write_audited(audit.to_vec(), move |conn| {
                    Box::pin(async move {
                        if !apply_step_up(conn, &user_id, &step_up).await? {
                            return Ok((false, false));
                        }
                        if let Some(refund) = &refund {
                            apply_refund(conn, refund).await?;
                        }
                        Ok((true, true))
                    })
                })
                .await
            }

            async fn change_password(
                &self,
                user_id: &str,
                password_hash: &str,
                others: &OtherSessions,
                now: i64,
                audit: &[AuditEvent],
            ) -> StoreResult<u64> {
                let (user_id, hash, others) = (user_id.to_owned(), password_hash.to_owned(), others.clone());
                self.write_audited(audit.to_vec(), move |conn| {
                    Box::pin(async move {
                        sqlx::query(UPDATE_PASSWORD).bind(&user_id).bind(&hash).execute(&mut *conn).await?;
                        sqlx::query(UNTRUST_USER_DEVICES).bind(&user_id).execute(&mut *conn).await?;
                        let revoked = revoke_others(conn, &user_id, &others, now).await?;
                        Ok((true, revoked))
                    })
                })
                .await
            }

            async fn admit_account(&self, account_key: &[u8], now: i64, max: u32) -> StoreResult<bool> {
                let key = account_key.to_vec();
                let max = i64::from(max.max(1));
                self.write(move |conn| {
                    Box::pin(async move {
                        let admitted = sqlx::query(ADMIT_ACCOUNT)
                            .bind(&key)
                            .bind(now)
                            .bind(max)
                            .fetch_optional(&mut *conn)
                            .await?
                            .is_some();
                        Ok((admitted, admitted))
                    })
                })
                .await
            }

            async fn admit_code(&self, user_id: &str, purpose: &str, now: i64, max: u32) -> StoreResult<bool> {
                let (user_id, purpose) = (user_id.to_owned(), purpose.to_owned());
                let max = i64::from(max.max(1));
                self.write(move |conn| {
                    Box::pin(async move {
                        let admitted = sqlx::query(ADMIT_CODE)
                            .bind(&user_id)
                            .bind(&purpose)
                            .bind(now)
                            .bind(max)
                            .fetch_optional(&mut *conn)
                            .await?
                            .is_some();
                        Ok((admitted, admitted))
                    })
                })
                .await
            }

            async fn code_failed(
                &self,
                user_id: &str,
                purpose: &str,
                now: i64,
                policy: LockPolicy,
                audit: &[AuditEvent],
                lock_audit: AuditEvent,
            ) -> StoreResult<bool> {
                let (user_id, purpose) = (user_id.to_owned(), purpose.to_owned());
                self.write_audited(audit.to_vec(), move |conn| {
                    Box::pin(async move {
                        let row = sqlx::query(LOCK_COUNTER).bind(&user_id).bind(&purpose).fetch_one(&mut *conn).await?;
                        let Some(next) = policy.lock_if_spent(attempt_state(&row)?, now) else {
                            return Ok((true, false));
                        };
                        sqlx::query(UPDATE_COUNTER)
                            .bind(&user_id)
                            .bind(&purpose)
                            .bind(next.failures)
                            .bind(next.lockouts)
                            .bind(next.locked_until)
                            .execute(&mut *conn)
                            .await?;
                        insert_lock_audit(conn, lock_audit, next.locked_until - now).await?;
                        Ok((true, true))
                    })
                })
                .await
            }

            async fn login_guard(&self, account_key: &[u8]) -> StoreResult<Option<AttemptState>> {
                let row = sqlx::query(SELECT_GUARD)
                    .bind(account_key)
                    .fetch_optional(self.reader())
                    .await?;
                Ok(row.map(|r| attempt_state(&r)).transpose()?)
            }

            async fn account_failed(
                &self,
                account_key: &[u8],
                now: i64,
                policy: LockPolicy,
                audit: &[AuditEvent],
                lock_audit: AuditEvent,
            ) -> StoreResult<bool> {
                let key = account_key.to_vec();
                self.write_audited(audit.to_vec(), move |conn| {
                    Box::pin(async move {
                        let row = sqlx::query(LOCK_GUARD).bind(&key).bind(now).fetch_one(&mut *conn).await?;
                        let Some(next) = policy.lock_if_spent(attempt_state(&row)?, now) else {
                            return Ok((true, false));
                        };
                        sqlx::query(UPDATE_GUARD)
                            .bind(&key)
                            .bind(next.failures)
                            .bind(next.lockouts)
                            .bind(next.locked_until)
                            .execute(&mut *conn)
                            .await?;
                        insert_lock_audit(conn, lock_audit, next.locked_until - now).await?;
                        Ok((true, true))
                    })
                })
                .await
            }

            async fn refund(&self, refund: &Refund) -> StoreResult<()> {
                let refund = refund.clone();
                self.write(move |conn| {
                    Box::pin(async move {
                        apply_refund(conn, &refund).await?;
                        Ok((true, ()))
                    })
                })
                .await
            }

            async fn admit_device(
                &self,
                token_hash: &[u8],
                user_id: &str,
                now: i64,
                max: u32,
            ) -> StoreResult<bool> {
                let (hash, user_id) = (token_hash.to_vec(), user_id.to_owned());
                let max = i64::from(max.max(1));
                self.write(move |conn| {
                    Box::pin(async move {
                        let admitted = sqlx::query(ADMIT_DEVICE)
                            .bind(&hash)
                            .bind(&user_id)
                            .bind(now)
                            .bind(max)
                            .execute(&mut *conn)
                            .await?
                            .rows_affected()
                            == 1;
                        Ok((admitted, admitted))
                    })
                })
                .await
            }

            async fn device_failed(
                &self,
                token_hash: &[u8],
                now: i64,
                max: u32,
                audit: &[AuditEvent],
                revoke_audit: AuditEvent,
            ) -> StoreResult<bool> {
                let hash = token_hash.to_vec();
                let max = i64::from(max.max(1));
                self.write_audited(audit.to_vec(), move |conn| {
                    Box::pin(async move {
                        let revoked = sqlx::query(REVOKE_SPENT_DEVICE)
                            .bind(&hash)
                            .bind(now)
                            .bind(max)
                            .execute(&mut *conn)
                            .await?
                            .rows_affected()
                            == 1;
                        if revoked {
                            insert_audit(conn, &revoke_audit).await?;
                        }
                        Ok((true, revoked))
                    })
                })
                .await
            }

            async fn sweep(&self, now: i64, audit_before: i64, chunk: i64) -> StoreResult<u64> {
                let mut total = 0;
                let statements = SWEEP
                    .iter()
                    .map(|(_, sql)| (*sql, now))
                    .chain([(SWEEP_AUDIT, audit_before), (SWEEP_OUTBOX, audit_before)]);
                for (sql, cutoff) in statements {
                    // Small transactions, so that no request waits long behind the sweep.
                    loop {
                        let deleted = self
                            .write(move |conn| {
                                Box::pin(async move {
                                    let n = sqlx::query(sql)
                                        .bind(cutoff)
                                        .bind(chunk)
                                        .execute(&mut *conn)
                                        .await?
                                        .rows_affected();
                                    Ok((true, n))
                                })
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

            #[cfg(feature = "test-hooks")]
            async fn crash_writer_for_tests(&self, keep_down: bool) {
                self.crash_writer(keep_down).await
            }

            #[cfg(feature = "test-hooks")]
            fn release_writer_for_tests(&self) {
                self.release_writer()
            }

            async fn complete_mfa(
                &self,
                user_id: &str,
                purpose: &str,
                now: i64,
                proof: MfaProof,
                effect: MfaEffect,
                audit: &[AuditEvent],
            ) -> StoreResult<MfaOutcome> {
                let (user_id, purpose) = (user_id.to_owned(), purpose.to_owned());
                self.write_audited(audit.to_vec(), move |conn| {
                    Box::pin(async move {
                        let outcome = apply_mfa(conn, &user_id, &purpose, now, proof, effect).await?;
                        Ok((outcome == MfaOutcome::Done, outcome))
                    })
                })
                .await
            }
        }
    };
}

pub(super) use impl_store;
