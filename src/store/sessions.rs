//! Sessions and their refresh tokens, and the login that starts one (with the device
//! token that remembers the browser).

use super::audit::insert_audit;
use super::db::{fetch_record, fetch_records, Conn, FromRow, Row, StoreError, StoreResult};
use super::guards::apply_refund;
use super::sql::*;
use super::users::lock_active_user;
use super::{
    AuditEvent, NewDeviceToken, NewRefreshToken, OtherSessions, Refund, RotateOutcome,
    SessionRecord, SessionStart, SessionUse, StepUp, Store,
};

impl FromRow for SessionRecord {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            id: r.get("id")?,
            user_id: r.get("user_id")?,
            amr: r.get("amr")?,
            created_at: r.get("created_at")?,
            expires_at: r.get("expires_at")?,
            revoked_at: r.get("revoked_at")?,
            last_used_at: r.get("last_used_at")?,
            ip: r.get("ip")?,
            user_agent: r.get("user_agent")?,
            roles: r
                .get_or_default::<Option<String>>("roles")?
                .unwrap_or_default(),
            auth_time: r.get("auth_time")?,
            email_verified: r
                .get_or_default::<Option<i64>>("email_verified_at")?
                .is_some(),
        })
    }
}

/// A session and its first refresh token.
pub async fn insert_session(
    conn: &mut dyn Conn,
    s: &SessionRecord,
    refresh: &NewRefreshToken,
) -> StoreResult<()> {
    conn.execute(
        INSERT_SESSION,
        &[
            &s.id,
            &s.user_id,
            &s.amr,
            &s.created_at,
            &s.expires_at,
            &s.ip,
            &s.user_agent,
        ],
    )
    .await?;
    conn.execute(
        INSERT_REFRESH,
        &[
            &refresh.token_hash,
            &s.id,
            &refresh.created_at,
            &refresh.expires_at,
        ],
    )
    .await?;
    Ok(())
}

/// A session, its first refresh token and a device token, consuming the MFA challenge
/// `challenge_hash` when given, in one statement (and the device's trust, when it has
/// one). False, nothing written, when the challenge is consumed, expired or another
/// user's.
pub async fn insert_new_login(
    conn: &mut dyn Conn,
    s: &SessionRecord,
    refresh: &NewRefreshToken,
    device: &NewDeviceToken,
    challenge_hash: Option<&[u8]>,
) -> StoreResult<bool> {
    let inserted = conn
        .execute(
            INSERT_NEW_LOGIN,
            &[
                &s.id,
                &s.user_id,
                &s.amr,
                &s.created_at,
                &s.expires_at,
                &s.ip,
                &s.user_agent,
                &refresh.token_hash,
                &device.token_hash,
                &device.expires_at,
                &challenge_hash,
            ],
        )
        .await;
    match inserted {
        Ok(_) => {}
        Err(StoreError::Raised(message)) if message.contains(CHALLENGE_GONE) => return Ok(false),
        Err(e) => return Err(e),
    }
    if let Some(trust) = &device.trust {
        conn.execute(TRUST_DEVICE, &[&device.token_hash, &trust.id, &trust.until])
            .await?;
        if let Some(from) = &trust.from {
            conn.execute(UNTRUST_DEVICE, &[from]).await?;
        }
    }
    Ok(true)
}

/// Revokes every live session of the user (their refresh tokens die with them).
pub async fn revoke_all_sessions(conn: &mut dyn Conn, user_id: &str, now: i64) -> StoreResult<u64> {
    conn.execute(REVOKE_ALL, &[&user_id, &now]).await
}

/// Revokes the user's live sessions but `others.keep`, auditing how many.
pub async fn revoke_others(
    conn: &mut dyn Conn,
    user_id: &str,
    others: &OtherSessions,
    now: i64,
) -> StoreResult<u64> {
    let revoked = conn
        .execute(REVOKE_OTHER_SESSIONS, &[&user_id, &others.keep, &now])
        .await?;
    if revoked > 0 {
        let mut audit = others.audit.clone();
        if let Some(details) = audit.details.as_object_mut() {
            details.insert("revoked".into(), revoked.into());
        }
        insert_audit(conn, &audit).await?;
    }
    Ok(revoked)
}

/// Applies a step-up to its session (a new refresh token replaces the unused ones); false
/// when the session is not live.
pub async fn apply_step_up(conn: &mut dyn Conn, user_id: &str, step: &StepUp) -> StoreResult<bool> {
    let live = conn
        .execute(
            STEP_UP_SESSION,
            &[&step.session_id, &user_id, &step.at, &step.amr],
        )
        .await?
        == 1;
    if !live {
        return Ok(false);
    }
    conn.execute(RETIRE_REFRESH, &[&step.session_id, &step.at])
        .await?;
    let r = &step.refresh;
    conn.execute(
        INSERT_REFRESH,
        &[
            &r.token_hash,
            &step.session_id,
            &r.created_at,
            &r.expires_at,
        ],
    )
    .await?;
    Ok(true)
}

impl Store {
    /// Creates a session with its first refresh token (and a device token, when given),
    /// applies `refund` and writes `audit`, in one transaction; only while the user is not
    /// disabled (checked under the user's row lock, so a disable in flight either waits
    /// and then revokes it, or is seen), and, when the device token's trust moves from an
    /// older token, only if that trust is still there to take (one login gets it).
    pub async fn create_session(
        &self,
        session: &SessionRecord,
        refresh: &NewRefreshToken,
        device: Option<&NewDeviceToken>,
        refund: Option<&Refund>,
        audit: &[AuditEvent],
    ) -> StoreResult<SessionStart> {
        let (s, refresh, device, refund) = (
            session.clone(),
            refresh.clone(),
            device.cloned(),
            refund.cloned(),
        );
        self.write(audit.to_vec(), move |conn| {
            Box::pin(async move {
                if !lock_active_user(conn, &s.user_id).await? {
                    return Ok((false, SessionStart::Disabled));
                }
                let moving = device
                    .as_ref()
                    .and_then(|d| d.trust.as_ref())
                    .and_then(|t| t.from.as_ref());
                if let Some(from) = moving {
                    if conn.execute(TAKE_TRUST, &[from, &s.created_at]).await? != 1 {
                        return Ok((false, SessionStart::TrustGone));
                    }
                }
                if let Some(refund) = &refund {
                    apply_refund(conn, refund).await?;
                }
                match &device {
                    Some(device) => {
                        insert_new_login(conn, &s, &refresh, device, None).await?;
                    }
                    None => insert_session(conn, &s, &refresh).await?,
                }
                Ok((true, SessionStart::Started))
            })
        })
        .await
    }

    /// The session with this id.
    pub async fn session(&self, id: &str) -> StoreResult<Option<SessionRecord>> {
        let mut c = self.reader().await?;
        fetch_record(&mut *c, SELECT_SESSION, &[&id]).await
    }

    /// Uses the refresh token whose hash is `old_hash` and stores `new` in its place,
    /// recording `used` on the session; a reused token revokes its session and writes
    /// `reuse_audit` (`auth.refresh.reuse_detected`).
    pub async fn rotate_refresh_token(
        &self,
        old_hash: &[u8],
        new: &NewRefreshToken,
        used: &SessionUse,
        mut reuse_audit: AuditEvent,
    ) -> StoreResult<RotateOutcome> {
        let (old_hash, new, used) = (old_hash.to_vec(), new.clone(), used.clone());
        let now = used.at;
        self.write(Vec::new(), move |conn| {
            Box::pin(async move {
                if conn.execute(USE_REFRESH, &[&old_hash, &now]).await? == 1 {
                    let session: SessionRecord =
                        fetch_record(conn, SESSION_OF_REFRESH, &[&old_hash])
                            .await?
                            .ok_or_else(|| {
                                StoreError::Other("a refresh token without session".into())
                            })?;
                    if session.revoked_at.is_some() || session.expires_at <= now {
                        return Ok((false, RotateOutcome::Invalid));
                    }
                    conn.execute(
                        INSERT_REFRESH,
                        &[
                            &new.token_hash,
                            &session.id,
                            &new.created_at,
                            &new.expires_at,
                        ],
                    )
                    .await?;
                    conn.execute(
                        TOUCH_SESSION,
                        &[&session.id, &used.at, &used.ip, &used.user_agent],
                    )
                    .await?;
                    return Ok((true, RotateOutcome::Rotated(session)));
                }
                let Some(mut row) = conn.fetch_optional(USED_REFRESH, &[&old_hash]).await? else {
                    return Ok((false, RotateOutcome::Invalid));
                };
                let session_id: String = row.at(0)?;
                let user_id: String = row.at(1)?;
                conn.execute(REVOKE_SESSION, &[&session_id, &now]).await?;
                reuse_audit.user_id = Some(user_id.clone());
                reuse_audit.details = serde_json::json!({ "sessionId": session_id });
                insert_audit(conn, &reuse_audit).await?;
                Ok((
                    true,
                    RotateOutcome::ReuseDetected {
                        session_id,
                        user_id,
                    },
                ))
            })
        })
        .await
    }

    /// Revokes a session (and so its refresh tokens); writes `audit` if it was live.
    pub async fn revoke_session(
        &self,
        id: &str,
        now: i64,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        let (id, audit) = (id.to_owned(), audit.clone());
        self.write(Vec::new(), move |conn| {
            Box::pin(async move {
                let revoked = conn.execute(REVOKE_SESSION, &[&id, &now]).await? == 1;
                if revoked {
                    insert_audit(conn, &audit).await?;
                }
                Ok((true, revoked))
            })
        })
        .await
    }

    /// The user's live sessions at `now`, newest first.
    pub async fn user_sessions(&self, user_id: &str, now: i64) -> StoreResult<Vec<SessionRecord>> {
        let mut c = self.reader().await?;
        fetch_records(&mut *c, SELECT_USER_SESSIONS, &[&user_id, &now]).await
    }

    /// Revokes the user's live session `id`; writes `audit` if it did. False when the
    /// session is unknown, another user's, or not live.
    pub async fn revoke_user_session(
        &self,
        user_id: &str,
        id: &str,
        now: i64,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        let (user_id, id) = (user_id.to_owned(), id.to_owned());
        self.write(vec![audit.clone()], move |conn| {
            Box::pin(async move {
                let revoked = conn
                    .execute(REVOKE_USER_SESSION, &[&id, &user_id, &now])
                    .await?
                    == 1;
                Ok((revoked, revoked))
            })
        })
        .await
    }

    /// Revokes every live session of the user but `others.keep`; returns how many.
    pub async fn revoke_other_sessions(
        &self,
        user_id: &str,
        others: &OtherSessions,
        now: i64,
    ) -> StoreResult<u64> {
        let (user_id, others) = (user_id.to_owned(), others.clone());
        self.write(Vec::new(), move |conn| {
            Box::pin(async move { Ok((true, revoke_others(conn, &user_id, &others, now).await?)) })
        })
        .await
    }

    /// In one transaction: a step-up proved by a password (whose budget `refund` gives
    /// back) and `audit`. False (nothing written) when the session is no longer live.
    pub async fn step_up_session(
        &self,
        user_id: &str,
        step_up: &StepUp,
        refund: Option<&Refund>,
        audit: &[AuditEvent],
    ) -> StoreResult<bool> {
        let (user_id, step_up, refund) = (user_id.to_owned(), step_up.clone(), refund.cloned());
        self.write(audit.to_vec(), move |conn| {
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
}
