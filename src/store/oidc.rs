//! OpenID Provider storage: registered clients, authorization requests waiting for a
//! sign-in, single-use codes (spent, and the session they start made, in one transaction),
//! the sessions clients hold with their rotating refresh tokens, consent grants, and the
//! back-channel logout outbox that a trigger fills whenever such a session ends.

use super::audit::insert_audit;
use super::db::{fetch_record, fetch_records, Conn, FromRow, Row, StoreResult};
use super::outbox::Ending;
use super::sql::{INSERT_REFRESH, REVOKE_SESSION, TOUCH_SESSION, USE_REFRESH};
use super::{AuditEvent, MailAttempt, SessionRecord, Store};

/// A registered client.
#[derive(Debug, Clone)]
pub struct ClientRecord {
    pub id: String,
    pub name: String,
    /// Keyed hash of the secret; `None` for a public client.
    pub secret_hash: Option<Vec<u8>>,
    /// JSON arrays of URIs.
    pub redirect_uris: String,
    pub post_logout_redirect_uris: String,
    pub backchannel_logout_uri: Option<String>,
    pub first_party: bool,
    pub require_mfa: bool,
    /// Space-separated.
    pub scopes: String,
    pub id_token_alg: String,
    pub created_at: i64,
    pub secret_rotated_at: Option<i64>,
}

impl FromRow for ClientRecord {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            id: r.get("id")?,
            name: r.get("name")?,
            secret_hash: r.get("secret_hash")?,
            redirect_uris: r.get("redirect_uris")?,
            post_logout_redirect_uris: r.get("post_logout_redirect_uris")?,
            backchannel_logout_uri: r.get("backchannel_logout_uri")?,
            first_party: r.get::<i64>("first_party")? != 0,
            require_mfa: r.get::<i64>("require_mfa")? != 0,
            scopes: r.get("scopes")?,
            id_token_alg: r.get("id_token_alg")?,
            created_at: r.get("created_at")?,
            secret_rotated_at: r.get("secret_rotated_at")?,
        })
    }
}

/// An authorization request waiting for the person.
#[derive(Debug, Clone)]
pub struct RequestRecord {
    pub id: String,
    pub client_id: String,
    /// The validated request, as JSON.
    pub data: String,
    pub created_at: i64,
    pub expires_at: i64,
}

impl FromRow for RequestRecord {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            id: r.get("id")?,
            client_id: r.get("client_id")?,
            data: r.get("data")?,
            created_at: r.get("created_at")?,
            expires_at: r.get("expires_at")?,
        })
    }
}

/// A code as issued.
#[derive(Debug, Clone)]
pub struct CodeRecord {
    pub code_hash: Vec<u8>,
    pub client_id: String,
    pub user_id: String,
    /// What the code is bound to, as JSON.
    pub data: String,
    pub created_at: i64,
    pub expires_at: i64,
}

impl FromRow for CodeRecord {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            code_hash: r.get_or_default("code_hash")?,
            client_id: r.get("client_id")?,
            user_id: r.get("user_id")?,
            data: r.get("data")?,
            created_at: r.get("created_at")?,
            expires_at: r.get("expires_at")?,
        })
    }
}

/// The session an exchange starts, and its first refresh token (if any).
#[derive(Debug, Clone)]
pub struct ClientSession {
    pub session: SessionRecord,
    pub client_id: String,
    pub parent_id: String,
    pub scope: String,
    pub refresh: Option<super::NewRefreshToken>,
}

/// How spending a code ended.
#[derive(Debug)]
pub enum CodeSpend<R> {
    /// Spent now; the session it started (or why it was refused, the code spent anyway).
    Spent(Result<Box<ClientSession>, R>),
    /// Spent before: the session it started was ended.
    Reused,
    /// Unknown.
    Unknown,
}

/// A session a client holds, as its refresh token finds it.
#[derive(Debug, Clone)]
pub struct HeldSession {
    pub session: SessionRecord,
    pub client_id: Option<String>,
    pub scope: Option<String>,
    /// The user's address.
    pub email: Option<String>,
}

/// How rotating a client's refresh token ended.
#[derive(Debug)]
pub enum ClientRotate {
    Rotated(Box<HeldSession>),
    /// Presented a second time: the session was ended.
    Reused,
    /// Unknown, expired, ended, or another client's.
    Invalid,
}

/// A consent grant with its client's name.
#[derive(Debug, Clone)]
pub struct GrantRecord {
    pub client_id: String,
    pub client_name: String,
    pub scopes: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl FromRow for GrantRecord {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            client_id: r.get("client_id")?,
            client_name: r.get("name")?,
            scopes: r.get("scopes")?,
            created_at: r.get("created_at")?,
            updated_at: r.get("updated_at")?,
        })
    }
}

/// A back-channel logout to deliver.
#[derive(Debug, Clone)]
pub struct LogoutRecord {
    pub seq: i64,
    pub client_id: String,
    pub user_id: String,
    pub session_id: String,
    pub created_at: i64,
    pub attempts: i64,
    pub next_attempt_at: i64,
}

impl FromRow for LogoutRecord {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            seq: r.get("seq")?,
            client_id: r.get("client_id")?,
            user_id: r.get("user_id")?,
            session_id: r.get("session_id")?,
            created_at: r.get("created_at")?,
            attempts: r.get("attempts")?,
            next_attempt_at: r.get("next_attempt_at")?,
        })
    }
}

const CLIENT_COLUMNS: &str =
    "SELECT id, name, secret_hash, redirect_uris, post_logout_redirect_uris, \
     backchannel_logout_uri, first_party, require_mfa, scopes, id_token_alg, created_at, \
     secret_rotated_at FROM oauth_clients";
const INSERT_CLIENT: &str = "INSERT INTO oauth_clients (id, name, secret_hash, redirect_uris, \
     post_logout_redirect_uris, backchannel_logout_uri, first_party, require_mfa, scopes, \
     id_token_alg, created_at, secret_rotated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
const UPDATE_CLIENT: &str = "UPDATE oauth_clients SET name = $2, redirect_uris = $3, \
     post_logout_redirect_uris = $4, backchannel_logout_uri = $5, first_party = $6, \
     require_mfa = $7, scopes = $8, id_token_alg = $9 WHERE id = $1";
/// Ends every live session client `$1` holds.
const END_CLIENT_SESSIONS: &str = "UPDATE sessions SET revoked_at = $2 \
     WHERE client_id = $1 AND revoked_at IS NULL";
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
    /// Registers a client.
    pub async fn insert_client(&self, c: &ClientRecord, audit: Vec<AuditEvent>) -> StoreResult<()> {
        let c = c.clone();
        self.write(audit, move |conn| {
            Box::pin(async move {
                let (first, mfa) = (i64::from(c.first_party), i64::from(c.require_mfa));
                conn.execute(
                    INSERT_CLIENT,
                    &[
                        &c.id,
                        &c.name,
                        &c.secret_hash,
                        &c.redirect_uris,
                        &c.post_logout_redirect_uris,
                        &c.backchannel_logout_uri,
                        &first,
                        &mfa,
                        &c.scopes,
                        &c.id_token_alg,
                        &c.created_at,
                        &c.secret_rotated_at,
                    ],
                )
                .await?;
                Ok((true, ()))
            })
        })
        .await
    }

    /// Changes a client's settings (not its secret); false when there is no such client.
    pub async fn update_client(
        &self,
        c: &ClientRecord,
        audit: Vec<AuditEvent>,
    ) -> StoreResult<bool> {
        let c = c.clone();
        self.write(audit, move |conn| {
            Box::pin(async move {
                let (first, mfa) = (i64::from(c.first_party), i64::from(c.require_mfa));
                let n = conn
                    .execute(
                        UPDATE_CLIENT,
                        &[
                            &c.id,
                            &c.name,
                            &c.redirect_uris,
                            &c.post_logout_redirect_uris,
                            &c.backchannel_logout_uri,
                            &first,
                            &mfa,
                            &c.scopes,
                            &c.id_token_alg,
                        ],
                    )
                    .await?;
                Ok((true, n == 1))
            })
        })
        .await
    }

    /// Replaces a client's secret hash; false when there is no such confidential client.
    pub async fn set_client_secret(
        &self,
        id: &str,
        hash: &[u8],
        now: i64,
        audit: Vec<AuditEvent>,
    ) -> StoreResult<bool> {
        let (id, hash) = (id.to_owned(), hash.to_vec());
        self.write(audit, move |conn| {
            Box::pin(async move {
                let n = conn
                    .execute(
                        "UPDATE oauth_clients SET secret_hash = $2, secret_rotated_at = $3 \
                         WHERE id = $1 AND secret_hash IS NOT NULL",
                        &[&id, &hash, &now],
                    )
                    .await?;
                Ok((true, n == 1))
            })
        })
        .await
    }

    /// Removes a client: every session it holds ends (their back-channel logouts are not
    /// sent: the client is gone), then its requests, codes and grants go with it.
    pub async fn remove_client(
        &self,
        id: &str,
        now: i64,
        audit: Vec<AuditEvent>,
    ) -> StoreResult<bool> {
        let id = id.to_owned();
        self.write(audit, move |conn| {
            Box::pin(async move {
                conn.execute(END_CLIENT_SESSIONS, &[&id, &now]).await?;
                conn.execute("DELETE FROM logout_outbox WHERE client_id = $1", &[&id])
                    .await?;
                let n = conn
                    .execute("DELETE FROM oauth_clients WHERE id = $1", &[&id])
                    .await?;
                Ok((true, n == 1))
            })
        })
        .await
    }

    pub async fn client(&self, id: &str) -> StoreResult<Option<ClientRecord>> {
        let mut c = self.reader().await?;
        fetch_record(&mut *c, &format!("{CLIENT_COLUMNS} WHERE id = $1"), &[&id]).await
    }

    pub async fn clients(&self) -> StoreResult<Vec<ClientRecord>> {
        let mut c = self.reader().await?;
        fetch_records(
            &mut *c,
            &format!("{CLIENT_COLUMNS} ORDER BY created_at, id"),
            &[],
        )
        .await
    }

    /// Keeps an authorization request while the person signs in.
    pub async fn insert_authorization_request(&self, r: &RequestRecord) -> StoreResult<()> {
        let r = r.clone();
        self.write(Vec::new(), move |conn| {
            Box::pin(async move {
                conn.execute(
                    "INSERT INTO oauth_requests (id, client_id, data, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                    &[&r.id, &r.client_id, &r.data, &r.created_at, &r.expires_at],
                )
                .await?;
                Ok((true, ()))
            })
        })
        .await
    }

    /// The request `id`, unless it expired at `now`.
    pub async fn authorization_request(
        &self,
        id: &str,
        now: i64,
    ) -> StoreResult<Option<RequestRecord>> {
        let mut c = self.reader().await?;
        fetch_record(
            &mut *c,
            "SELECT id, client_id, data, created_at, expires_at FROM oauth_requests \
             WHERE id = $1 AND expires_at > $2",
            &[&id, &now],
        )
        .await
    }

    /// Answers request `request_id` with `code` (or with an error: no code): the request is
    /// taken (one answer per request) with `audit`, in one transaction. False when the
    /// request was already answered.
    pub async fn answer_request(
        &self,
        request_id: &str,
        code: Option<CodeRecord>,
        grant: Option<(String, String)>,
        audit: Vec<AuditEvent>,
    ) -> StoreResult<bool> {
        let request_id = request_id.to_owned();
        self.write(audit, move |conn| {
            Box::pin(async move {
                let taken = conn
                    .execute("DELETE FROM oauth_requests WHERE id = $1", &[&request_id])
                    .await?
                    == 1;
                if !taken {
                    return Ok((false, false));
                }
                if let Some(c) = &code {
                    if let Some((user_id, scopes)) = &grant {
                        upsert_grant(conn, user_id, &c.client_id, scopes, c.created_at).await?;
                    }
                    conn.execute(
                        "INSERT INTO oauth_codes (code_hash, client_id, user_id, data, created_at, expires_at) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                        &[&c.code_hash, &c.client_id, &c.user_id, &c.data, &c.created_at, &c.expires_at],
                    )
                    .await?;
                }
                Ok((true, true))
            })
        })
        .await
    }

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
        new: &super::NewRefreshToken,
        used: &super::SessionUse,
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

async fn upsert_grant(
    conn: &mut dyn Conn,
    user_id: &str,
    client_id: &str,
    scopes: &str,
    now: i64,
) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO oauth_grants (user_id, client_id, scopes, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4) ON CONFLICT (user_id, client_id) \
         DO UPDATE SET scopes = $3, updated_at = $4",
        &[&user_id, &client_id, &scopes, &now],
    )
    .await?;
    Ok(())
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
