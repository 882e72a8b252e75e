//! The links of the email use cases: what each is for, how long it lives and its limits,
//! its token (derived from a random link id under the server's token key, stored only as
//! its keyed hash), storing it with its message, and finding an open one.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::json;

use super::super::error::{Error, Result};
use super::super::{AppState, RequestMeta};
use crate::crypto::token::TokenHasher;
use crate::store::db::Conn;
use crate::store::mail::{insert_email_token, queue_mail, spend_user_tokens};
use crate::store::users::lock_user;
use crate::store::{NewEmailToken, OutgoingMail, StoreResult};

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
pub(super) async fn issue(
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
pub(super) async fn retry_after(
    state: &AppState,
    user_id: &str,
    purpose: LinkPurpose,
) -> Result<u64> {
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

/// An open link token as found: its purpose, user and address.
pub(super) struct OpenLink {
    pub(super) purpose: LinkPurpose,
    pub(super) user_id: String,
    pub(super) email: String,
}

/// The hash and record of an open (unspent, unexpired) link token.
pub(super) async fn open_link(state: &AppState, token: &str) -> Result<(Vec<u8>, OpenLink)> {
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

/// The verification link queued with a new account (in its transaction). It does not count
/// toward the resend limits, so a resend right after signing up works.
pub(in crate::service) fn verification_link(
    state: &AppState,
    meta: &RequestMeta,
    user_id: &str,
    email: &str,
) -> Link {
    let mut link = Link::new(state, meta, user_id, email, LinkPurpose::Verify);
    link.token.counted = false;
    link
}
