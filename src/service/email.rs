//! Email use cases (EMAIL.md): proving an address, the forgotten password, changing the
//! address, and the notice setting. Every link carries a single-use token: its keyed hash
//! is stored, bound to one user, one purpose and the address it went to, and it is spent
//! by one conditional statement in the transaction of what it does. The message that
//! carries a link is queued in the same transaction; the outbox stores the link's id, never
//! the token, which [`link_token`] rebuilds under a server key when the message is sent.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::json;

use super::error::{Error, Result};
use super::guard::account_key;
use super::{AppState, RequestMeta};
use crate::crypto::jwt::Claims;
use crate::crypto::token::TokenHasher;
use crate::domain::audit::AuditKind;
use crate::domain::email::Email;
use crate::domain::password::Password;
use crate::store::ceremonies::end_challenges;
use crate::store::db::Conn;
use crate::store::guards::clear_account_guard;
use crate::store::mail::{insert_email_token, queue_mail, spend_email_token, spend_user_tokens};
use crate::store::sessions::revoke_all_sessions;
use crate::store::users::{
    change_email, lock_user, mark_email_verified, set_password, untrust_devices,
};
use crate::store::{NewEmailToken, OutgoingMail, StoreError, StoreResult};

/// What a link is for (the `purpose` of its token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Proves the account's address (24 h).
    Verify,
    /// Sets a new password (30 min).
    Reset,
    /// Proves a new address and moves the account to it (24 h).
    Change,
}

impl LinkPurpose {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Verify => "verify",
            Self::Reset => "reset",
            Self::Change => "change",
        }
    }

    /// The outbox `kind` of the message carrying such a link.
    pub const fn mail_kind(self) -> &'static str {
        match self {
            Self::Verify => "link.verify",
            Self::Reset => "link.reset",
            Self::Change => "link.change",
        }
    }

    /// The purpose a message kind's link has.
    pub fn of_mail_kind(kind: &str) -> Option<Self> {
        [Self::Verify, Self::Reset, Self::Change]
            .into_iter()
            .find(|p| p.mail_kind() == kind)
    }

    /// How long the link lives, seconds.
    pub const fn ttl(self) -> i64 {
        match self {
            Self::Reset => 30 * 60,
            Self::Verify | Self::Change => 24 * 3600,
        }
    }

    /// The page the link opens.
    pub const fn page(self) -> &'static str {
        match self {
            Self::Reset => "/password/reset",
            Self::Verify | Self::Change => "/email/verify",
        }
    }

    /// At most this many links of the purpose per window...
    const fn limit(self) -> (i64, i64) {
        match self {
            // EMAIL.md: 5 per day (verification); the same for address changes.
            Self::Verify | Self::Change => (5, 24 * 3600),
            // EMAIL.md: 3 per hour per address.
            Self::Reset => (3, 3600),
        }
    }

    /// ...and this long at least between two (EMAIL.md: 1 per minute for resends).
    const fn gap(self) -> i64 {
        match self {
            Self::Verify | Self::Change => 60,
            Self::Reset => 0,
        }
    }
}

/// Label of the keyed hash of link tokens.
const LINK: &str = "email-link";
/// Label under which a link's token is derived from its id.
const LINK_SEED: &str = "email-link-seed";

/// The token of the link `link_id`: 32 bytes of HMAC-SHA256 under the server's token key,
/// base64url (the id is a random UUIDv4: 122 random bits). Without that key it cannot be
/// told from random, and nothing in the database
/// leads to it (the outbox keeps the id; `email_tokens` the token's own keyed hash).
pub fn link_token(state: &AppState, link_id: &str) -> String {
    URL_SAFE_NO_PAD.encode(state.keys.tokens.hash(LINK_SEED, link_id))
}

fn token_hash(state: &AppState, token: &str) -> Vec<u8> {
    state.keys.tokens.hash(LINK, token)
}

/// A link ready to be stored: its token's row and the message that carries it.
pub struct Link {
    token: NewEmailToken,
    mail: OutgoingMail,
}

impl Link {
    /// A link of `purpose` for `user_id`, sent to `to`, asked for by `meta`.
    pub fn new(
        state: &AppState,
        meta: &RequestMeta,
        user_id: &str,
        to: &str,
        purpose: LinkPurpose,
    ) -> Self {
        let now = state.now();
        let link_id = uuid::Uuid::new_v4().simple().to_string();
        let token = link_token(state, &link_id);
        let (max, window) = purpose.limit();
        let expires_at = now + purpose.ttl();
        Self {
            token: NewEmailToken {
                token_hash: token_hash(state, &token),
                user_id: user_id.to_owned(),
                purpose: purpose.as_str(),
                email: to.to_owned(),
                created_at: now,
                expires_at,
                window_start: now - window,
                max,
                gap_start: now - purpose.gap(),
                counted: true,
            },
            mail: OutgoingMail {
                id: format!("mail_{link_id}"),
                user_id: Some(user_id.to_owned()),
                to: to.to_owned(),
                kind: purpose.mail_kind().to_owned(),
                data: json!({
                    "linkId": link_id,
                    "expiresAt": expires_at,
                    "at": now,
                    "ip": meta.ip,
                    "userAgent": meta.user_agent,
                })
                .to_string(),
                created_at: now,
            },
        }
    }

    /// Stores the token and queues its message (within the purpose's limits); false when
    /// a limit refused it. Earlier open links of the purpose are spent first when
    /// `replace` (a resend): only the newest works.
    pub async fn store(&self, conn: &mut dyn Conn, replace: bool) -> StoreResult<bool> {
        let t = &self.token;
        if replace {
            spend_user_tokens(conn, &t.user_id, t.purpose, t.created_at).await?;
        }
        if !insert_email_token(conn, t).await? {
            return Ok(false);
        }
        queue_mail(conn, &self.mail).await?;
        Ok(true)
    }
}

/// Stores `link` for its user in a unit of its own, holding the user's row lock so that
/// its limits cannot be raced (and spending the open links of its purpose first when
/// `replace`); `Ok(false)` when a limit refused it (nothing changed).
async fn issue(
    state: &AppState,
    link: Link,
    replace: bool,
    audit: Vec<crate::store::AuditEvent>,
) -> Result<bool> {
    let issued = state
        .store
        .write(audit, move |conn| {
            Box::pin(async move {
                if !lock_user(conn, &link.token.user_id).await? {
                    return Ok((false, false));
                }
                let issued = link.store(conn, replace).await?;
                Ok((issued, issued))
            })
        })
        .await?;
    Ok(issued)
}

/// How long until the user may have another link of `purpose`.
async fn retry_after(state: &AppState, user_id: &str, purpose: LinkPurpose) -> Result<u64> {
    let (max, window) = purpose.limit();
    let now = state.now();
    let times = state
        .store
        .email_token_times(user_id, purpose.as_str(), now - window)
        .await?;
    let gap_left = times.last().map_or(0, |t| t + purpose.gap() - now);
    let window_left = if times.len() as i64 >= max {
        times[times.len() - max as usize] + window - now
    } else {
        0
    };
    Ok(gap_left.max(window_left).max(1) as u64)
}

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

/// An open link token as found: its purpose, user and address.
struct OpenLink {
    purpose: LinkPurpose,
    user_id: String,
    email: String,
}

/// The hash and record of an open (unspent, unexpired) link token.
async fn open_link(state: &AppState, token: &str) -> Result<(Vec<u8>, OpenLink)> {
    let token = token.trim();
    if !TokenHasher::is_well_formed(token) {
        return Err(Error::InvalidLink);
    }
    let hash = token_hash(state, token);
    let record = state
        .store
        .email_token(&hash, state.now())
        .await?
        .ok_or(Error::InvalidLink)?;
    let purpose = [LinkPurpose::Verify, LinkPurpose::Reset, LinkPurpose::Change]
        .into_iter()
        .find(|p| p.as_str() == record.purpose)
        .ok_or(Error::InvalidLink)?;
    Ok((
        hash,
        OpenLink {
            purpose,
            user_id: record.user_id,
            email: record.email,
        },
    ))
}

/// Asks for a password reset link: the same answer whatever the address, and the work
/// (looking the address up, the limit, the message) done after the answer, so that the
/// answer's time says nothing either. Only an existing, enabled account gets a message.
pub fn forgot_password(state: &AppState, meta: &RequestMeta, email: Email) {
    let (state, meta) = (state.clone(), meta.clone());
    tokio::spawn(async move {
        if let Err(error) = send_reset_link(&state, &meta, &email).await {
            tracing::warn!(%error, "a password reset link could not be queued");
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
    tokio::spawn(async move {
        let result: Result<()> = async {
            let Some(user) = state.store.user_by_email(address.as_str()).await? else {
                return Ok(());
            };
            if user.email_verified_at.is_some() || user.disabled_at.is_some() {
                return Ok(());
            }
            let link = Link::new(&state, &meta, &user.id, &user.email, LinkPurpose::Verify);
            issue(
                &state,
                link,
                true,
                vec![sent_event(&state, &meta, &user.id)],
            )
            .await?;
            Ok(())
        }
        .await;
        if let Err(error) = result {
            tracing::warn!(%error, "a verification link could not be queued");
        }
    });
}

/// The verification link queued with a new account (in its transaction). It does not count
/// toward the resend limits, so a resend right after signing up works.
pub(super) fn verification_link(
    state: &AppState,
    meta: &RequestMeta,
    user_id: &str,
    email: &str,
) -> Link {
    let mut link = Link::new(state, meta, user_id, email, LinkPurpose::Verify);
    link.token.counted = false;
    link
}
