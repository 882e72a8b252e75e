//! OpenID Provider storage: registered clients, authorization requests waiting for a
//! sign-in, single-use codes (spent, and the session they start made, in one transaction),
//! the sessions clients hold with their rotating refresh tokens, consent grants, and the
//! back-channel logout outbox that a trigger fills whenever such a session ends. This file
//! holds the records, the clients and the requests; `sessions.rs` the codes and the
//! sessions clients hold; `grants.rs` consent and the logout outbox.

mod grants;
mod sessions;

use super::db::{fetch_record, fetch_records, Conn, FromRow, Row, StoreResult};
use super::{AuditEvent, SessionRecord, Store};

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
