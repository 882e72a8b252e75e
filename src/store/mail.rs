//! Mail: the single-use link tokens (verification, password reset, address change) and
//! the mail outbox, written in the transaction of the change that causes a message and
//! sent by one instance at a time.

use super::db::{fetch_record, fetch_records, Conn, FromRow, Row, StoreResult};
use super::outbox::Ending;
use super::Store;

/// A link token still open: whose it is and the address it was sent to.
#[derive(Debug, Clone)]
pub struct EmailTokenRecord {
    pub user_id: String,
    pub purpose: String,
    pub email: String,
}

impl FromRow for EmailTokenRecord {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            user_id: r.get("user_id")?,
            purpose: r.get("purpose")?,
            email: r.get("email")?,
        })
    }
}

/// A new link token, with the limits on how many of its purpose the user may have.
#[derive(Debug, Clone)]
pub struct NewEmailToken {
    pub token_hash: Vec<u8>,
    pub user_id: String,
    pub purpose: &'static str,
    /// The address the link goes to.
    pub email: String,
    pub created_at: i64,
    pub expires_at: i64,
    /// At most `max` tokens of this purpose made after `window_start`...
    pub window_start: i64,
    pub max: i64,
    /// ...and none made after `gap_start` (a minimum gap between two; `created_at` for none).
    pub gap_start: i64,
    /// Whether this token counts toward the limits of later ones.
    pub counted: bool,
}

/// A message to queue.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    pub id: String,
    pub user_id: Option<String>,
    pub to: String,
    pub kind: String,
    /// What the message says, as JSON (never a token).
    pub data: String,
    pub created_at: i64,
}

/// A message in the outbox.
#[derive(Debug, Clone)]
pub struct MailRecord {
    pub seq: i64,
    pub id: String,
    pub user_id: Option<String>,
    pub to: String,
    pub kind: String,
    pub data: String,
    pub created_at: i64,
    pub attempts: i64,
    pub next_attempt_at: i64,
}

impl FromRow for MailRecord {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            seq: r.get("seq")?,
            id: r.get("id")?,
            user_id: r.get("user_id")?,
            to: r.get("to_address")?,
            kind: r.get("kind")?,
            data: r.get("data")?,
            created_at: r.get("created_at")?,
            attempts: r.get("attempts")?,
            next_attempt_at: r.get("next_attempt_at")?,
        })
    }
}

/// How one attempt to send a message ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailAttempt {
    Sent { at: i64 },
    Retry { next_at: i64, error: String },
    Failed { at: i64, error: String },
}

/// Makes a token only within its purpose's limits (one statement: the limit cannot be
/// raced on SQLite's single writer, and the caller holds the user's row lock on
/// PostgreSQL).
const INSERT_TOKEN: &str = "INSERT INTO email_tokens \
     (token_hash, user_id, purpose, email, created_at, expires_at, counted) \
     SELECT $1, $2, $3, $4, $5, $6, $10 \
     WHERE (SELECT COUNT(*) FROM email_tokens WHERE user_id = $2 AND purpose = $3 \
            AND counted = 1 AND created_at > $7) < $8 \
     AND NOT EXISTS (SELECT 1 FROM email_tokens WHERE user_id = $2 AND purpose = $3 \
            AND counted = 1 AND created_at > $9)";
const OPEN_TOKEN: &str = "SELECT user_id, purpose, email FROM email_tokens \
     WHERE token_hash = $1 AND spent_at IS NULL AND expires_at > $2";
/// Spends a token: once, unexpired, of this purpose and user.
const SPEND_TOKEN: &str = "UPDATE email_tokens SET spent_at = $4 \
     WHERE token_hash = $1 AND purpose = $2 AND user_id = $3 AND spent_at IS NULL \
     AND expires_at > $4 RETURNING email";
const SPEND_USER_TOKENS: &str = "UPDATE email_tokens SET spent_at = $3 \
     WHERE user_id = $1 AND purpose = $2 AND spent_at IS NULL";
const TOKEN_TIMES: &str = "SELECT created_at FROM email_tokens \
     WHERE user_id = $1 AND purpose = $2 AND counted = 1 AND created_at > $3 ORDER BY created_at";
const INSERT_MAIL: &str = "INSERT INTO mail_outbox \
     (id, user_id, to_address, kind, data, created_at, next_attempt_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $6)";
const MAIL_COLUMNS: &str = "SELECT seq, id, user_id, to_address, kind, data, created_at, \
     attempts, next_attempt_at FROM mail_outbox";
const CLAIM_MAIL: &str = "UPDATE mail_outbox SET next_attempt_at = $3, attempts = attempts + 1 \
     WHERE seq = $1 AND next_attempt_at = $2 AND sent_at IS NULL AND failed_at IS NULL";
const SETTLE_MAIL: &str = "UPDATE mail_outbox SET sent_at = $2, failed_at = $3, \
     next_attempt_at = COALESCE($4, next_attempt_at), last_error = $5 WHERE seq = $1";

/// Makes a link token within its limits; false when a limit refused it.
pub async fn insert_email_token(conn: &mut dyn Conn, t: &NewEmailToken) -> StoreResult<bool> {
    let counted = i64::from(t.counted);
    let args: [&dyn super::db::Param; 10] = [
        &t.token_hash,
        &t.user_id,
        &t.purpose,
        &t.email,
        &t.created_at,
        &t.expires_at,
        &t.window_start,
        &t.max,
        &t.gap_start,
        &counted,
    ];
    Ok(conn.execute(INSERT_TOKEN, &args).await? == 1)
}

/// Spends the token `hash` of `purpose` and `user_id`: the address it was sent to, or
/// `None` when it is unknown, spent, expired or someone else's.
pub async fn spend_email_token(
    conn: &mut dyn Conn,
    hash: &[u8],
    purpose: &str,
    user_id: &str,
    now: i64,
) -> StoreResult<Option<String>> {
    let row = conn
        .fetch_optional(SPEND_TOKEN, &[&hash, &purpose, &user_id, &now])
        .await?;
    row.map(|mut r| r.at(0)).transpose()
}

/// Spends every open token of `purpose` of the user.
pub async fn spend_user_tokens(
    conn: &mut dyn Conn,
    user_id: &str,
    purpose: &str,
    now: i64,
) -> StoreResult<u64> {
    conn.execute(SPEND_USER_TOKENS, &[&user_id, &purpose, &now])
        .await
}

/// Queues a message.
pub async fn queue_mail(conn: &mut dyn Conn, m: &OutgoingMail) -> StoreResult<()> {
    conn.execute(
        INSERT_MAIL,
        &[&m.id, &m.user_id, &m.to, &m.kind, &m.data, &m.created_at],
    )
    .await?;
    Ok(())
}

impl Store {
    /// The open token `hash` (not spent, not expired at `now`).
    pub async fn email_token(
        &self,
        hash: &[u8],
        now: i64,
    ) -> StoreResult<Option<EmailTokenRecord>> {
        let mut c = self.reader().await?;
        fetch_record(&mut *c, OPEN_TOKEN, &[&hash, &now]).await
    }

    /// When the user's tokens of `purpose` made after `since` were made, oldest first.
    pub async fn email_token_times(
        &self,
        user_id: &str,
        purpose: &str,
        since: i64,
    ) -> StoreResult<Vec<i64>> {
        let mut c = self.reader().await?;
        let rows = c
            .fetch_all(TOKEN_TIMES, &[&user_id, &purpose, &since])
            .await?;
        rows.into_iter().map(|mut r| r.at(0)).collect()
    }

    /// Messages due at `now`, oldest first, at most `limit`.
    pub async fn due_mail(&self, now: i64, limit: i64) -> StoreResult<Vec<MailRecord>> {
        let sql = format!(
            "{MAIL_COLUMNS} WHERE sent_at IS NULL AND failed_at IS NULL \
             AND next_attempt_at <= $1 ORDER BY seq LIMIT $2"
        );
        let mut c = self.reader().await?;
        fetch_records(&mut *c, &sql, &[&now, &limit]).await
    }

    /// Claims message `seq` (still due at `seen_next`) until `lease_until`, counting the
    /// attempt: of instances racing for it, one gets it.
    pub async fn claim_mail(
        &self,
        seq: i64,
        seen_next: i64,
        lease_until: i64,
    ) -> StoreResult<bool> {
        self.claim_row(CLAIM_MAIL, seq, seen_next, lease_until)
            .await
    }

    /// Records how an attempt ended.
    pub async fn settle_mail(&self, seq: i64, attempt: &MailAttempt) -> StoreResult<()> {
        let ending = match attempt.clone() {
            MailAttempt::Sent { at } => Ending::Done { at },
            MailAttempt::Retry { next_at, error } => Ending::Retry { next_at, error },
            MailAttempt::Failed { at, error } => Ending::Failed { at, error },
        };
        self.settle_row(SETTLE_MAIL, seq, ending).await
    }

    /// How many messages wait to be sent.
    pub async fn mail_backlog(&self) -> StoreResult<i64> {
        let mut c = self.reader().await?;
        let sql = "SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL";
        c.fetch_i64(sql, &[]).await
    }

    /// Every message of the outbox to `to`, oldest first (operators and tests).
    pub async fn mail_to(&self, to: &str) -> StoreResult<Vec<MailRecord>> {
        let sql = format!("{MAIL_COLUMNS} WHERE to_address = $1 ORDER BY seq");
        let mut c = self.reader().await?;
        fetch_records(&mut *c, &sql, &[&to]).await
    }
}
