//! What operators do to users beside the user API: the admin views and actions, and the
//! import of TOTP credentials.

use super::db::{fetch_record, fetch_records, Conn, FromRow, Row, StoreResult};
use super::factors::{clear_factors, count_factors, insert_totp_factor};
use super::guards::ensure_counter;
use super::sql::*;
use super::users::lock_user;
use super::{AuditEvent, Store, TotpRecord};

/// A user as the admin API lists it.
#[derive(Debug, Clone)]
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

impl FromRow for AdminUserRecord {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            id: r.get("id")?,
            email: r.get("email")?,
            created_at: r.get("created_at")?,
            disabled_at: r.get("disabled_at")?,
            roles: r.get("roles")?,
            mfa_enabled_at: r.get("mfa_enabled_at")?,
            last_login_at: r.get("last_login_at")?,
        })
    }
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

/// How an import of one TOTP credential ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    Imported,
    NoSuchUser,
    AlreadyEnabled,
}

const ADMIN_USER_COLUMNS: &str = "SELECT u.id, u.email, u.created_at, u.disabled_at, u.roles, \
     (SELECT MIN(f.created_at) FROM mfa_factors f WHERE f.user_id = u.id) AS mfa_enabled_at, \
     (SELECT MAX(s.created_at) FROM sessions s WHERE s.user_id = u.id) AS last_login_at \
     FROM users u";
const USER_EXISTS: &str = "SELECT COUNT(*) FROM users WHERE id = $1";
/// Takes the row lock of every enabled user whose roles include `$1` (a LIKE pattern of
/// ` role `), returning their ids.
const LOCK_ROLE_HOLDERS: &str = "UPDATE users SET disabled_at = disabled_at \
     WHERE disabled_at IS NULL AND (' ' || roles || ' ') LIKE $1 ESCAPE '\\' RETURNING id";
const LIVE_SESSIONS: &str =
    "SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2";

/// Whether `user_id` is the only enabled holder of `role`, read under the row locks of
/// every holder.
async fn last_holder(conn: &mut dyn Conn, user_id: &str, role: &str) -> StoreResult<bool> {
    let pattern = format!("% {} %", like_escape(role));
    let mut holders = conn.fetch_all(LOCK_ROLE_HOLDERS, &[&pattern]).await?;
    Ok(holders.len() == 1 && holders[0].at::<String>(0)? == user_id)
}

async fn user_exists(conn: &mut dyn Conn, user_id: &str) -> StoreResult<bool> {
    Ok(conn.fetch_i64(USER_EXISTS, &[&user_id]).await? > 0)
}

impl Store {
    /// Users whose email starts with `email_prefix`, after `after`, by email.
    pub async fn list_users(
        &self,
        email_prefix: &str,
        after: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<AdminUserRecord>> {
        let pattern = format!("{}%", like_escape(email_prefix));
        let sql = format!(
            "{ADMIN_USER_COLUMNS} WHERE u.email LIKE $1 ESCAPE '\\' AND u.email > $2 ORDER BY u.email LIMIT $3"
        );
        let after = after.unwrap_or("");
        let mut c = self.reader().await?;
        fetch_records(&mut *c, &sql, &[&pattern, &after, &limit]).await
    }

    /// One user as the admin API shows it.
    pub async fn admin_user(&self, id: &str) -> StoreResult<Option<AdminUserRecord>> {
        let sql = format!("{ADMIN_USER_COLUMNS} WHERE u.id = $1");
        let mut c = self.reader().await?;
        fetch_record(&mut *c, &sql, &[&id]).await
    }

    /// How many live sessions the user has at `now`.
    pub async fn live_session_count(&self, user_id: &str, now: i64) -> StoreResult<i64> {
        let mut c = self.reader().await?;
        c.fetch_i64(LIVE_SESSIONS, &[&user_id, &now]).await
    }

    /// Turns MFA off for the user (every factor, code, setup, challenge, ceremony and
    /// trusted browser) and revokes every session; false when there is no such user.
    pub async fn reset_mfa(
        &self,
        user_id: &str,
        now: i64,
        audit: &[AuditEvent],
    ) -> StoreResult<bool> {
        let user_id = user_id.to_owned();
        self.write(audit.to_vec(), move |conn| {
            Box::pin(async move {
                if !lock_user(conn, &user_id).await? {
                    return Ok((false, false));
                }
                clear_factors(conn, &user_id).await?;
                conn.execute(REVOKE_ALL, &[&user_id, &now]).await?;
                Ok((true, true))
            })
        })
        .await
    }

    /// Revokes every live session of the user, writing `audit` with how many; `None` when
    /// there is no such user.
    pub async fn revoke_all_sessions(
        &self,
        user_id: &str,
        now: i64,
        audit: &[AuditEvent],
    ) -> StoreResult<Option<u64>> {
        let user_id = user_id.to_owned();
        let mut audit = audit.to_vec();
        self.write(Vec::new(), move |conn| {
            Box::pin(async move {
                if !user_exists(conn, &user_id).await? {
                    return Ok((false, None));
                }
                let revoked = conn.execute(REVOKE_ALL, &[&user_id, &now]).await?;
                for event in &mut audit {
                    if let Some(details) = event.details.as_object_mut() {
                        details.insert("revoked".into(), revoked.into());
                    }
                }
                super::audit::insert_audits(conn, &audit).await?;
                Ok((true, Some(revoked)))
            })
        })
        .await
    }

    /// Disables (revoking every session and challenge) or enables the user; refuses to
    /// disable the last enabled holder of `keep_one`.
    pub async fn set_disabled(
        &self,
        user_id: &str,
        disabled: bool,
        now: i64,
        audit: &[AuditEvent],
        keep_one: Option<&str>,
    ) -> StoreResult<UserChange> {
        let (user_id, keep_one) = (user_id.to_owned(), keep_one.map(str::to_owned));
        self.write(audit.to_vec(), move |conn| {
            Box::pin(async move {
                if let Some(role) = keep_one.as_deref() {
                    if last_holder(conn, &user_id, role).await? {
                        return Ok((false, UserChange::LastWithRole));
                    }
                }
                let at = disabled.then_some(now);
                let found = conn
                    .execute(
                        "UPDATE users SET disabled_at = $2 WHERE id = $1",
                        &[&user_id, &at],
                    )
                    .await?
                    == 1;
                if found && disabled {
                    conn.execute(REVOKE_ALL, &[&user_id, &now]).await?;
                    conn.execute(DELETE_CHALLENGES, &[&user_id]).await?;
                }
                Ok((found, UserChange::found(found)))
            })
        })
        .await
    }

    /// Clears every lock and failure count of the user (and of its account key).
    pub async fn unlock_user(
        &self,
        user_id: &str,
        account_key: &[u8],
        audit: &[AuditEvent],
    ) -> StoreResult<bool> {
        let (user_id, account_key) = (user_id.to_owned(), account_key.to_vec());
        self.write(audit.to_vec(), move |conn| {
            Box::pin(async move {
                if !user_exists(conn, &user_id).await? {
                    return Ok((false, false));
                }
                conn.execute(
                    "UPDATE attempt_counters SET failures = 0, lockouts = 0, locked_until = 0 WHERE user_id = $1",
                    &[&user_id],
                )
                .await?;
                conn.execute("DELETE FROM login_guards WHERE account_key = $1", &[&account_key])
                    .await?;
                conn.execute(
                    "UPDATE device_tokens SET failures = 0 WHERE user_id = $1 AND failures <> 0",
                    &[&user_id],
                )
                .await?;
                Ok((true, true))
            })
        })
        .await
    }

    /// Deletes the user and everything of theirs but the audit trail; refuses to delete
    /// the last enabled holder of `keep_one`.
    pub async fn delete_user(
        &self,
        user_id: &str,
        account_key: &[u8],
        audit: &[AuditEvent],
        keep_one: Option<&str>,
    ) -> StoreResult<UserChange> {
        let (user_id, account_key) = (user_id.to_owned(), account_key.to_vec());
        let keep_one = keep_one.map(str::to_owned);
        self.write(audit.to_vec(), move |conn| {
            Box::pin(async move {
                if let Some(role) = keep_one.as_deref() {
                    if last_holder(conn, &user_id, role).await? {
                        return Ok((false, UserChange::LastWithRole));
                    }
                }
                // Everything of the user goes with it (ON DELETE CASCADE); the audit trail
                // has no foreign key and is kept.
                let found = conn
                    .execute("DELETE FROM users WHERE id = $1", &[&user_id])
                    .await?
                    == 1;
                conn.execute(
                    "DELETE FROM login_guards WHERE account_key = $1",
                    &[&account_key],
                )
                .await?;
                Ok((found, UserChange::found(found)))
            })
        })
        .await
    }

    /// Sets the user's roles (space separated); false when there is no such user.
    pub async fn set_roles(
        &self,
        user_id: &str,
        roles: &str,
        audit: &[AuditEvent],
    ) -> StoreResult<bool> {
        let (user_id, roles) = (user_id.to_owned(), roles.to_owned());
        self.write(audit.to_vec(), move |conn| {
            Box::pin(async move {
                let found = conn
                    .execute(
                        "UPDATE users SET roles = $2 WHERE id = $1",
                        &[&user_id, &roles],
                    )
                    .await?
                    == 1;
                Ok((found, found))
            })
        })
        .await
    }

    /// Imports a TOTP credential as the user's first factor (its replay guard at the
    /// user's floor), with `audit`.
    pub async fn import_totp(
        &self,
        user_id: &str,
        credential: &TotpRecord,
        audit: &AuditEvent,
    ) -> StoreResult<ImportOutcome> {
        let (user_id, credential) = (user_id.to_owned(), credential.clone());
        self.write(vec![audit.clone()], move |conn| {
            Box::pin(async move {
                if !lock_user(conn, &user_id).await? {
                    return Ok((false, ImportOutcome::NoSuchUser));
                }
                if count_factors(conn, &user_id).await? > 0 {
                    return Ok((false, ImportOutcome::AlreadyEnabled));
                }
                // The imported secret was in use elsewhere: its guard starts at the user's
                // floor, like any new factor's.
                let floor = conn
                    .fetch_i64(
                        "SELECT totp_last_step FROM users WHERE id = $1",
                        &[&user_id],
                    )
                    .await?;
                let credential = TotpRecord {
                    factor_id: String::new(),
                    user_id: user_id.clone(),
                    ..credential
                };
                insert_totp_factor(conn, &credential, floor).await?;
                conn.execute(DELETE_PENDING, &[&user_id]).await?;
                ensure_counter(conn, &user_id, "login").await?;
                Ok((true, ImportOutcome::Imported))
            })
        })
        .await
    }
}

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
