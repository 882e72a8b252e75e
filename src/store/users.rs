//! Users: their accounts and passwords, and the user's row lock that orders the units of
//! work of one user on PostgreSQL.

use std::sync::LazyLock;

use super::db::{fetch_record, Conn, FromRow, Row, StoreResult};
use super::sessions::revoke_others;
use super::sql::{
    INSERT_USER, LOCK_ACTIVE_USER, LOCK_USER, UNTRUST_USER_DEVICES, UPDATE_PASSWORD, USER_COLUMNS,
};
use super::{AuditEvent, NewUser, OtherSessions, Store, UserRecord};

static USER_BY_EMAIL: LazyLock<String> =
    LazyLock::new(|| format!("{USER_COLUMNS} WHERE u.email = $1"));
static USER_BY_ID: LazyLock<String> = LazyLock::new(|| format!("{USER_COLUMNS} WHERE u.id = $1"));

impl FromRow for UserRecord {
    fn from_row(mut r: Row) -> StoreResult<Self> {
        Ok(Self {
            id: r.get("id")?,
            email: r.get("email")?,
            password_hash: r.get("password_hash")?,
            created_at: r.get("created_at")?,
            disabled_at: r.get("disabled_at")?,
            roles: r.get("roles")?,
            mfa_enabled_at: r.get("mfa_enabled_at")?,
            passkeys: r.get("passkeys")?,
            email_verified_at: r.get("email_verified_at")?,
            notify_new_browser: r.get::<i64>("notify_new_browser")? != 0,
        })
    }
}

/// Takes the user's row lock (PostgreSQL; SQLite's writer is alone anyway). False when
/// there is no such user.
pub async fn lock_user(conn: &mut dyn Conn, user_id: &str) -> StoreResult<bool> {
    Ok(conn.execute(LOCK_USER, &[&user_id]).await? == 1)
}

/// Takes the user's row lock while the user is not disabled; false when disabled (or
/// gone). A disable's `UPDATE users` and this one run one after the other.
pub async fn lock_active_user(conn: &mut dyn Conn, user_id: &str) -> StoreResult<bool> {
    Ok(conn.execute(LOCK_ACTIVE_USER, &[&user_id]).await? == 1)
}

/// Inserts a user (a unique violation when the email is taken).
pub async fn insert_user(conn: &mut dyn Conn, u: &NewUser) -> StoreResult<()> {
    let args: [&dyn super::db::Param; 4] = [&u.id, &u.email, &u.password_hash, &u.created_at];
    conn.execute(INSERT_USER, &args).await?;
    Ok(())
}

/// Marks the user's address proven, if it is still `email`; false when it is not.
pub async fn mark_email_verified(
    conn: &mut dyn Conn,
    user_id: &str,
    email: &str,
    now: i64,
) -> StoreResult<bool> {
    let sql = "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $3) \
               WHERE id = $1 AND email = $2";
    Ok(conn.execute(sql, &[&user_id, &email, &now]).await? == 1)
}

/// Moves the user to the proven address `email` (a unique violation when it is taken).
pub async fn change_email(
    conn: &mut dyn Conn,
    user_id: &str,
    email: &str,
    now: i64,
) -> StoreResult<bool> {
    let sql = "UPDATE users SET email = $2, email_verified_at = $3 WHERE id = $1";
    Ok(conn.execute(sql, &[&user_id, &email, &now]).await? == 1)
}

/// Sets the password hash.
pub async fn set_password(conn: &mut dyn Conn, user_id: &str, hash: &str) -> StoreResult<bool> {
    Ok(conn.execute(UPDATE_PASSWORD, &[&user_id, &hash]).await? == 1)
}

/// Ends the MFA trust of every browser of the user.
pub async fn untrust_devices(conn: &mut dyn Conn, user_id: &str) -> StoreResult<u64> {
    conn.execute(UNTRUST_USER_DEVICES, &[&user_id]).await
}

impl Store {
    /// Switches the notice of sign-ins from new browsers on or off, writing `audit`.
    pub async fn set_notify_new_browser(
        &self,
        user_id: &str,
        on: bool,
        audit: &[AuditEvent],
    ) -> StoreResult<()> {
        let (user_id, on) = (user_id.to_owned(), i64::from(on));
        self.write(audit.to_vec(), move |conn| {
            Box::pin(async move {
                let sql = "UPDATE users SET notify_new_browser = $2 WHERE id = $1";
                let changed = conn.execute(sql, &[&user_id, &on]).await? == 1;
                Ok((changed, ()))
            })
        })
        .await
    }

    /// Creates a user and writes `audit`, in one transaction.
    pub async fn create_user(&self, user: &NewUser, audit: &AuditEvent) -> StoreResult<()> {
        let u = user.clone();
        self.write(vec![audit.clone()], move |conn| {
            Box::pin(async move {
                insert_user(conn, &u).await?;
                Ok((true, ()))
            })
        })
        .await
    }

    /// The user with this (normalized) email.
    pub async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>> {
        let mut c = self.reader().await?;
        fetch_record(&mut *c, &USER_BY_EMAIL, &[&email]).await
    }

    /// The user with this id.
    pub async fn user_by_id(&self, id: &str) -> StoreResult<Option<UserRecord>> {
        let mut c = self.reader().await?;
        fetch_record(&mut *c, &USER_BY_ID, &[&id]).await
    }

    /// In one transaction: sets the password hash, ends every trusted browser, spends the
    /// open reset links, revokes the other sessions, writes `audit`. How many sessions were revoked.
    pub async fn change_password(
        &self,
        user_id: &str,
        password_hash: &str,
        others: &OtherSessions,
        now: i64,
        audit: &[AuditEvent],
    ) -> StoreResult<u64> {
        let (user_id, hash, others) =
            (user_id.to_owned(), password_hash.to_owned(), others.clone());
        self.write(audit.to_vec(), move |conn| {
            Box::pin(async move {
                conn.execute(UPDATE_PASSWORD, &[&user_id, &hash]).await?;
                conn.execute(UNTRUST_USER_DEVICES, &[&user_id]).await?;
                // A reset link asked for before must not undo this change.
                super::mail::spend_user_tokens(conn, &user_id, "reset", now).await?;
                let revoked = revoke_others(conn, &user_id, &others, now).await?;
                Ok((true, revoked))
            })
        })
        .await
    }
}
