//! Email use cases (EMAIL.md): proving an address, the forgotten password, changing the
//! address, and the notice setting. Every link carries a single-use token: its keyed hash
//! is stored, bound to one user, one purpose and the address it went to, and it is spent
//! by one conditional statement in the transaction of what it does. The message that
//! carries a link is queued in the same transaction; the outbox stores the link's id, never
//! the token, which [`link_token`] rebuilds under a server key when the message is sent.

mod links;

use std::future::Future;

use serde_json::json;

pub(super) use links::verification_link;
use links::{issue, open_link, retry_after};
pub use links::{link_token, Link, LinkPurpose};

use super::error::{Error, Result};
use super::guard::account_key;
use super::{AppState, RequestMeta};
use crate::crypto::jwt::Claims;
use crate::domain::audit::AuditKind;
use crate::domain::email::Email;
use crate::domain::password::Password;
use crate::store::ceremonies::end_challenges;
use crate::store::guards::clear_account_guard;
use crate::store::mail::{spend_email_token, spend_user_tokens};
use crate::store::sessions::revoke_all_sessions;
use crate::store::users::{change_email, mark_email_verified, set_password, untrust_devices};
use crate::store::StoreError;

/// Sends a new verification link to the caller's address (older links stop working).
#[tracing::instrument(skip_all)]
pub async fn resend_verification(
    state: &AppState,
    meta: &RequestMeta,
    claims: &Claims,
) -> Result<i64> {
    let user = state.caller(&claims.sub).await?;
    if user.email_verified_at.is_some() {
        return Err(Error::EmailAlreadyVerified);
    }
    let purpose = LinkPurpose::Verify;
    let link = Link::new(state, meta, &user.id, &user.email, purpose);
    let audit = vec![sent_event(state, meta, &user.id)];
    if !issue(state, link, true, audit).await? {
        let retry_after = retry_after(state, &user.id, purpose).await?;
        return Err(Error::RateLimited { retry_after });
    }
    Ok(purpose.ttl())
}

/// `auth.email.verification_sent`.
pub(super) fn sent_event(
    state: &AppState,
    meta: &RequestMeta,
    user_id: &str,
) -> crate::store::AuditEvent {
    state.event(
        AuditKind::EmailVerificationSent,
        Some(user_id),
        meta,
        json!({}),
    )
}

/// What following a verification or address-change link did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub user_id: String,
    /// The account's (proven) address now.
    pub email: String,
    /// Whether the address changed.
    pub changed: bool,
}

/// Follows a verification link (the address is proven) or an address-change link (the
/// account moves to the new, proven address if it is still free; the old one hears).
#[tracing::instrument(skip_all)]
pub async fn verify(state: &AppState, meta: &RequestMeta, token: &str) -> Result<Verified> {
    let (hash, record) = open_link(state, token).await?;
    let now = state.now();
    let user = state
        .store
        .user_by_id(&record.user_id)
        .await?
        .ok_or(Error::InvalidLink)?;
    match record.purpose {
        LinkPurpose::Verify => {
            let audit =
                vec![state.event(AuditKind::EmailVerified, Some(&user.id), meta, json!({}))];
            let (user_id, email) = (user.id.clone(), user.email.clone());
            let done = state
                .store
                .write(audit, move |conn| {
                    Box::pin(async move {
                        let spent = spend_email_token(conn, &hash, "verify", &user_id, now).await?;
                        // A link for an address the account no longer has proves nothing.
                        let ok = spent.as_deref() == Some(email.as_str())
                            && mark_email_verified(conn, &user_id, &email, now).await?;
                        Ok((ok, ok))
                    })
                })
                .await?;
            if !done {
                return Err(Error::InvalidLink);
            }
            Ok(Verified {
                user_id: user.id,
                email: user.email,
                changed: false,
            })
        }
        LinkPurpose::Change => {
            let mut changed = state.event(
                AuditKind::EmailChanged,
                Some(&user.id),
                meta,
                json!({ "newEmail": record.email }),
            );
            // The notice goes to the address the account had.
            if let Some(notice) = &mut changed.notice {
                notice.to = Some(user.email.clone());
            }
            let (user_id, new_email) = (user.id.clone(), record.email.clone());
            let result = state
                .store
                .write(vec![changed], move |conn| {
                    Box::pin(async move {
                        let spent = spend_email_token(conn, &hash, "change", &user_id, now).await?;
                        if spent.as_deref() != Some(new_email.as_str()) {
                            return Ok((false, Err(Error::InvalidLink)));
                        }
                        match change_email(conn, &user_id, &new_email, now).await {
                            Ok(true) => {}
                            Ok(false) => return Ok((false, Err(Error::InvalidLink))),
                            Err(StoreError::UniqueViolation) => {
                                return Ok((false, Err(Error::EmailTaken)))
                            }
                            Err(e) => return Err(e),
                        }
                        // Every open link went to an address the account no longer has, or
                        // to one it now has proven: none of them may act any more.
                        for purpose in ["change", "verify", "reset"] {
                            spend_user_tokens(conn, &user_id, purpose, now).await?;
                        }
                        Ok((true, Ok(())))
                    })
                })
                .await;
            match result {
                Ok(inner) => inner?,
                Err(StoreError::UniqueViolation) => return Err(Error::EmailTaken),
                Err(e) => return Err(e.into()),
            }
            tracing::info!(user_id = %user.id, "email address changed");
            Ok(Verified {
                user_id: user.id,
                email: record.email,
                changed: true,
            })
        }
        LinkPurpose::Reset => Err(Error::InvalidLink),
    }
}

/// Asks for a password reset link: the same answer whatever the address, and the work
/// (looking the address up, the limit, the message) done after the answer, so that the
/// answer's time says nothing either. Only an existing, enabled account gets a message.
pub fn forgot_password(state: &AppState, meta: &RequestMeta, email: Email) {
    let (state, meta) = (state.clone(), meta.clone());
    after_answer("password reset", async move {
        send_reset_link(&state, &meta, &email).await
    });
}

/// Runs `work` (for an address given by a stranger) after the answer is sent, so that
/// the answer and its time are the same whether or not the address has an account.
fn after_answer(link: &'static str, work: impl Future<Output = Result<()>> + Send + 'static) {
    tokio::spawn(async move {
        if let Err(error) = work.await {
            tracing::warn!(%error, link, "a link could not be queued");
        }
    });
}

async fn send_reset_link(state: &AppState, meta: &RequestMeta, email: &Email) -> Result<()> {
    let Some(user) = state.store.user_by_email(email.as_str()).await? else {
        return Ok(());
    };
    if user.disabled_at.is_some() {
        return Ok(());
    }
    let link = Link::new(state, meta, &user.id, &user.email, LinkPurpose::Reset);
    let audit = vec![state.event(
        AuditKind::PasswordResetRequested,
        Some(&user.id),
        meta,
        json!({}),
    )];
    // Earlier reset links stay valid until one is used (each lives 30 minutes).
    if !issue(state, link, false, audit).await? {
        tracing::info!(user_id = %user.id, "password reset link not sent: limit reached");
    }
    Ok(())
}

/// Sets a new password with a reset link. In one transaction: the token is spent (and
/// every other reset token of the user), the password replaced, every session revoked,
/// every trusted browser ended and the account's password guard cleared. Nobody is
/// signed in: the next sign-in asks for the password and, with MFA on, the second factor.
#[tracing::instrument(skip_all)]
pub async fn reset_password(
    state: &AppState,
    meta: &RequestMeta,
    token: &str,
    password: Password,
) -> Result<()> {
    let (hash, record) = open_link(state, token).await?;
    if record.purpose != LinkPurpose::Reset {
        return Err(Error::InvalidLink);
    }
    let user = state
        .store
        .user_by_id(&record.user_id)
        .await?
        .ok_or(Error::InvalidLink)?;
    let password_hash = state.argon.hash_password(password.expose()).await?;
    let key = account_key(state, &user.email);
    let now = state.now();
    let audit = vec![state.event(AuditKind::PasswordReset, Some(&user.id), meta, json!({}))];
    let (user_id, email) = (user.id.clone(), user.email.clone());
    let done = state
        .store
        .write(audit, move |conn| {
            Box::pin(async move {
                // Spent once, and only while it went to the account's current address.
                let spent = spend_email_token(conn, &hash, "reset", &user_id, now).await?;
                if spent.as_deref() != Some(email.as_str()) {
                    return Ok((false, false));
                }
                set_password(conn, &user_id, &password_hash).await?;
                spend_user_tokens(conn, &user_id, "reset", now).await?;
                revoke_all_sessions(conn, &user_id, now).await?;
                // A sign-in half done with the old password does not finish.
                end_challenges(conn, &user_id).await?;
                untrust_devices(conn, &user_id).await?;
                clear_account_guard(conn, &key).await?;
                Ok((true, true))
            })
        })
        .await?;
    if !done {
        return Err(Error::InvalidLink);
    }
    tracing::info!(user_id = %user.id, "password reset with an emailed link");
    Ok(())
}

/// Asks to move the caller's account to `new_email` (after a recent proof): a link goes to
/// the new address; nothing changes until it is followed.
#[tracing::instrument(skip_all)]
pub async fn request_change(
    state: &AppState,
    meta: &RequestMeta,
    claims: &Claims,
    new_email: Email,
) -> Result<i64> {
    super::recent::require_recent(state, claims).await?;
    let user = state.caller(&claims.sub).await?;
    if user.email == new_email.as_str() {
        return Err(Error::InvalidInput {
            field: "newEmail",
            message: "this is already the account's address".into(),
        });
    }
    if state
        .store
        .user_by_email(new_email.as_str())
        .await?
        .is_some()
    {
        return Err(Error::EmailTaken);
    }
    let purpose = LinkPurpose::Change;
    let link = Link::new(state, meta, &user.id, new_email.as_str(), purpose);
    let audit = vec![state.event(
        AuditKind::EmailChangeRequested,
        Some(&user.id),
        meta,
        json!({ "newEmail": new_email.as_str() }),
    )];
    if !issue(state, link, true, audit).await? {
        let retry_after = retry_after(state, &user.id, purpose).await?;
        return Err(Error::RateLimited { retry_after });
    }
    Ok(purpose.ttl())
}

/// Switches the notice of sign-ins from new browsers (the one notice a person may turn
/// off) on or off.
pub async fn set_new_browser_notice(
    state: &AppState,
    meta: &RequestMeta,
    claims: &Claims,
    on: bool,
) -> Result<()> {
    let audit = [state.event(
        AuditKind::NoticesChanged,
        Some(&claims.sub),
        meta,
        json!({ "newBrowser": on }),
    )];
    state
        .store
        .set_notify_new_browser(&claims.sub, on, &audit)
        .await?;
    Ok(())
}

/// Sends a new verification link to `address` if it belongs to an account still to be
/// proven, without signing in (the sign-in page's offer when `require_verified_email`
/// refuses): like [`forgot_password`], the work is done after the answer, which is the same
/// for every address.
pub fn resend_verification_to(state: &AppState, meta: &RequestMeta, address: Email) {
    let (state, meta) = (state.clone(), meta.clone());
    after_answer("verification", async move {
        let Some(user) = state.store.user_by_email(address.as_str()).await? else {
            return Ok(());
        };
        if user.email_verified_at.is_some() || user.disabled_at.is_some() {
            return Ok(());
        }
        let link = Link::new(&state, &meta, &user.id, &user.email, LinkPurpose::Verify);
        let audit = vec![sent_event(&state, &meta, &user.id)];
        issue(&state, link, true, audit).await?;
        Ok(())
    });
}
