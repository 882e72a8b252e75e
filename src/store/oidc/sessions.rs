//! The sessions clients hold: a code spent and its session started in one transaction,
//! refresh tokens rotated with reuse detection, and reading and ending such sessions.

use super::super::audit::insert_audit;
use super::super::db::{fetch_record, Conn, FromRow, Row, StoreResult};
use super::super::sql::{INSERT_REFRESH, REVOKE_SESSION, TOUCH_SESSION, USE_REFRESH};
use super::super::{AuditEvent, SessionRecord, Store};
use super::{ClientRotate, ClientSession, CodeRecord, CodeSpend, HeldSession};

const SPEND_CODE: &str = "UPDATE oauth_codes SET spent_at = $2 \
     WHERE code_hash = $1 AND spent_at IS NULL \
     RETURNING client_id, user_id, data, created_at, expires_at";
const SPENT_CODE_SESSION: &str =
    "SELECT session_id FROM oauth_codes WHERE code_hash = $1 AND spent_at IS NOT NULL";
const INSERT_CLIENT_SESSION: &str = "INSERT INTO sessions (id, user_id, amr, created_at, \
     expires_at, last_used_at, ip, user_agent, auth_time, client_id, parent_id, scope) \
     VALUES ($1, $2, $3, $4, $5, $4, $6, $7, $8, $9, $10, $11)";
const HELD_SESSION: &str = "SELECT s.id, s.user_id, s.amr, s.created_at, s.expires_at, \
     s.revoked_at, s.last_used_at, s.ip, s.user_agent, COALESCE(s.auth_time, s.created_at) AS auth_time, \
     s.client_id, s.scope, u.roles, u.email_verified_at, u.email \
     FROM sessions s JOIN users u ON u.id = s.user_id";

impl FromRow for HeldSession {
    fn from_row(r: Row) -> StoreResult<Self> {
        let mut r = r;
        let client_id = r.get("client_id")?;
        let scope = r.get("scope")?;
        let email = r.get("email")?;
        Ok(Self {
            client_id,
            scope,
            email,
            session: SessionRecord::from_row(r)?,
        })
    }
}

impl Store {
    /// Spends code `hash` at `now` in one statement and, in the same transaction, starts
    /// the session `start` makes of it (`start` decides: a refusal keeps the code spent).
    /// A code spent before ends the session it started and writes `reuse_audit`.
    pub async fn spend_code<R, F>(
        &self,
        hash: &[u8],
        now: i64,
        mut reuse_audit: AuditEvent,
        audit: Vec<AuditEvent>,
        start: F,
    ) -> StoreResult<CodeSpend<R>>
    where
        R: Send + 'static,
        F: FnOnce(&CodeRecord) -> Result<ClientSession, R> + Send + 'static,
    {
        let hash = hash.to_vec();
        self.write(Vec::new(), move |conn| {
            Box::pin(async move {
                if let Some(row) = conn.fetch_optional(SPEND_CODE, &[&hash, &now]).await? {
                    let code = CodeRecord::from_row(row)?;
                    let started = start(&code);
                    if let Ok(s) = &started {
                        // Takes the parent's row lock (PostgreSQL): a sign-out racing this
                        // exchange ends the parent before (the child is refused) or after
                        // (its trigger sees the child and ends it too).
                        let parent_live = conn
                            .execute(
                                "UPDATE sessions SET revoked_at = revoked_at \
                                 WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2",
                                &[&s.parent_id, &now],
                            )
                            .await?
                            == 1;
                        if !parent_live {
                            return Ok((true, CodeSpend::Unknown));
                        }
                        start_client_session(conn, s).await?;
                        conn.execute(
                            "UPDATE oauth_codes SET session_id = $2 WHERE code_hash = $1",
                            &[&hash, &s.session.id],
                        )
                        .await?;
                        for event in &audit {
                            insert_audit(conn, event).await?;
                        }
                    }
                    return Ok((true, CodeSpend::Spent(started.map(Box::new))));
                }
                let Some(mut row) = conn.fetch_optional(SPENT_CODE_SESSION, &[&hash]).await? else {
                    return Ok((false, CodeSpend::Unknown));
                };
                if let Some(session_id) = row.at::<Option<String>>(0)? {
                    conn.execute(REVOKE_SESSION, &[&session_id, &now]).await?;
                    let user: Option<String> = conn
                        .fetch_optional(
                            "SELECT user_id FROM sessions WHERE id = $1",
                            &[&session_id],
                        )
                        .await?
                        .map(|mut r| r.at(0))
                        .transpose()?;
                    reuse_audit.user_id = user;
                    reuse_audit.details["sessionId"] = session_id.into();
                    insert_audit(conn, &reuse_audit).await?;
                }
                Ok((true, CodeSpend::Reused))
            })
        })
        .await
    }

    /// Rotates a client's refresh token `old_hash` for `new` when it belongs to a live
    /// session of `client_id`; a token presented a second time ends its session and
    /// writes `reuse_audit`.
    pub async fn rotate_client_refresh(
        &self,
        client_id: &str,
        old_hash: &[u8],
        new: &super::super::NewRefreshToken,
        used: &super::super::SessionUse,
        mut reuse_audit: AuditEvent,
    ) -> StoreResult<ClientRotate> {
        let (client_id, old_hash, new, used) = (
            client_id.to_owned(),
            old_hash.to_vec(),
            new.clone(),
            used.clone(),
        );
        let now = used.at;
        self.write(Vec::new(), move |conn| {
            Box::pin(async move {
                let held: Option<HeldSession> = fetch_record(
                    conn,
                    &format!(
                        "{HELD_SESSION} JOIN refresh_tokens r ON r.session_id = s.id WHERE r.token_hash = $1"
                    ),
                    &[&old_hash],
                )
                .await?;
                let Some(held) = held.filter(|h| h.client_id.as_deref() == Some(client_id.as_str()))
                else {
                    return Ok((false, ClientRotate::Invalid));
                };
                if conn.execute(USE_REFRESH, &[&old_hash, &now]).await? != 1 {
                    let used_before = conn
                        .fetch_optional(
                            "SELECT 1 FROM refresh_tokens WHERE token_hash = $1 AND used_at IS NOT NULL",
                            &[&old_hash],
                        )
                        .await?
                        .is_some();
                    if !used_before || held.session.revoked_at.is_some() {
                        return Ok((false, ClientRotate::Invalid));
                    }
                    conn.execute(REVOKE_SESSION, &[&held.session.id, &now]).await?;
                    reuse_audit.user_id = Some(held.session.user_id.clone());
                    reuse_audit.details["sessionId"] = held.session.id.clone().into();
                    insert_audit(conn, &reuse_audit).await?;
                    return Ok((true, ClientRotate::Reused));
                }
                if held.session.revoked_at.is_some() || held.session.expires_at <= now {
                    return Ok((false, ClientRotate::Invalid));
                }
                conn.execute(
                    INSERT_REFRESH,
                    &[&new.token_hash, &held.session.id, &new.created_at, &new.expires_at],
                )
                .await?;
                conn.execute(
                    TOUCH_SESSION,
                    &[&held.session.id, &used.at, &used.ip, &used.user_agent],
                )
                .await?;
                Ok((true, ClientRotate::Rotated(Box::new(held))))
            })
        })
        .await
    }

    /// The session `id` with what a client's tokens need of it.
    pub async fn held_session(&self, id: &str) -> StoreResult<Option<HeldSession>> {
        let mut c = self.reader().await?;
        fetch_record(&mut *c, &format!("{HELD_SESSION} WHERE s.id = $1"), &[&id]).await
    }

    /// The session of refresh token `hash`, if the token is unused and unexpired at `now`.
    pub async fn session_of_live_refresh(
        &self,
        hash: &[u8],
        now: i64,
    ) -> StoreResult<Option<HeldSession>> {
        let mut c = self.reader().await?;
        fetch_record(
            &mut *c,
            &format!(
                "{HELD_SESSION} JOIN refresh_tokens r ON r.session_id = s.id \
                 WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2"
            ),
            &[&hash, &now],
        )
        .await
    }

    /// Ends session `id` (and the sessions started from it) with `audit`; false when it
    /// was not live.
    pub async fn end_session(
        &self,
        id: &str,
        now: i64,
        audit: Vec<AuditEvent>,
    ) -> StoreResult<bool> {
        let id = id.to_owned();
        self.write(audit, move |conn| {
            Box::pin(async move {
                let ended = conn.execute(REVOKE_SESSION, &[&id, &now]).await? == 1;
                Ok((ended, ended))
            })
        })
        .await
    }
}

async fn start_client_session(conn: &mut dyn Conn, s: &ClientSession) -> StoreResult<()> {
    let r = &s.session;
    conn.execute(
        INSERT_CLIENT_SESSION,
        &[
            &r.id,
            &r.user_id,
            &r.amr,
            &r.created_at,
            &r.expires_at,
            &r.ip,
            &r.user_agent,
            &r.auth_time,
            &s.client_id,
            &s.parent_id,
            &s.scope,
        ],
    )
    .await?;
    if let Some(t) = &s.refresh {
        conn.execute(
            INSERT_REFRESH,
            &[&t.token_hash, &r.id, &t.created_at, &t.expires_at],
        )
        .await?;
    }
    Ok(())
}
