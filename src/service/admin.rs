//! What operators do, for the admin API and the CLI alike: list and show users, the
//! break-glass MFA reset, revoking sessions, disabling, unlocking, deleting, granting the
//! admin role, and reading the audit trail across users. Every action is audited on the
//! target's trail (with `actorId`) and on the acting admin's (`admin.action`).

use serde_json::{json, Value};

use super::error::{Error, Result};
use super::guard::account_key;
use super::mfa::{self, Status};
use super::{AppState, RequestMeta};
use crate::crypto::jwt::Claims;
use crate::domain::audit::AuditKind;
use crate::domain::otpauth;
use crate::store::{
    AdminUserRecord, AuditEvent, AuditRecord, ImportOutcome, TotpRecord, UserChange,
};

/// The role that makes a user an admin.
pub const ADMIN: &str = "admin";

/// Who performs an admin action.
#[derive(Debug, Clone)]
pub enum Actor {
    /// An admin through the API.
    Admin { user_id: String, meta: RequestMeta },
    /// An operator on the command line of the server.
    Cli,
}

impl Actor {
    /// The `actorId` of the audit trail: the admin's user id, or `cli`.
    pub fn id(&self) -> &str {
        match self {
            Self::Admin { user_id, .. } => user_id,
            Self::Cli => "cli",
        }
    }

    pub fn meta(&self) -> RequestMeta {
        match self {
            Self::Admin { meta, .. } => meta.clone(),
            Self::Cli => RequestMeta {
                ip: None,
                user_agent: Some("twofold-cli".into()),
            },
        }
    }
}

/// The caller as an admin: a token with the admin role and `mfa` in `amr`, of a user who
/// is still an admin and not disabled. Otherwise `AdminRequired`.
pub async fn authorize(state: &AppState, claims: &Claims, meta: &RequestMeta) -> Result<Actor> {
    // A trusted browser's session (amr `trusted`) has the role but no factor proven in
    // the session: it is sent to step up (below), like a stale one.
    let claimed = claims.roles.iter().any(|r| r == ADMIN) && claims.amr.iter().any(|a| a == "mfa");
    if !claimed {
        return Err(Error::AdminRequired);
    }
    // The grant may have been revoked since the token was issued.
    match state.store.admin_user(&claims.sub).await? {
        Some(u) if has_admin_role(&u.roles) && u.disabled_at.is_none() => {}
        _ => return Err(Error::AdminRequired),
    }
    super::recent::require_recent(state, claims).await?;
    Ok(Actor::Admin {
        user_id: claims.sub.clone(),
        meta: meta.clone(),
    })
}

fn has_admin_role(roles: &str) -> bool {
    roles.split_whitespace().any(|r| r == ADMIN)
}

/// A user as the admin API lists it.
#[derive(Debug, Clone)]
pub struct UserSummary {
    pub id: String,
    pub email: String,
    pub created_at: i64,
    pub disabled: bool,
    pub mfa_enabled: bool,
    pub roles: Vec<String>,
    pub last_login_at: Option<i64>,
}

impl From<AdminUserRecord> for UserSummary {
    fn from(u: AdminUserRecord) -> Self {
        Self {
            disabled: u.disabled_at.is_some(),
            mfa_enabled: u.mfa_enabled_at.is_some(),
            roles: u.roles.split_whitespace().map(str::to_owned).collect(),
            id: u.id,
            email: u.email,
            created_at: u.created_at,
            last_login_at: u.last_login_at,
        }
    }
}

/// One page of users and the cursor of the next one.
#[derive(Debug, Clone)]
pub struct UserPage {
    pub users: Vec<UserSummary>,
    pub next: Option<String>,
}

/// A user with its MFA status and live session count.
#[derive(Debug, Clone)]
pub struct UserDetail {
    pub user: UserSummary,
    pub mfa: Status,
    pub sessions: i64,
}

/// Users whose email starts with `email_prefix`, in email order, after the cursor.
pub async fn list_users(
    state: &AppState,
    email_prefix: Option<&str>,
    limit: i64,
    after: Option<&str>,
) -> Result<UserPage> {
    let prefix = email_prefix.unwrap_or("").trim().to_lowercase();
    let users = state.store.list_users(&prefix, after, limit).await?;
    let next = (users.len() as i64 == limit)
        .then(|| users.last().map(|u| u.email.clone()))
        .flatten();
    Ok(UserPage {
        users: users.into_iter().map(UserSummary::from).collect(),
        next,
    })
}

/// One user, with its MFA status and live session count.
pub async fn user(state: &AppState, user_id: &str) -> Result<UserDetail> {
    let record = state
        .store
        .admin_user(user_id)
        .await?
        .ok_or(Error::NotFound)?;
    let mfa = mfa::status(state, user_id).await?;
    let sessions = state.store.live_session_count(user_id, state.now()).await?;
    Ok(UserDetail {
        user: record.into(),
        mfa,
        sessions,
    })
}

/// The id of the user with this email (the CLI names users by email).
pub async fn user_id_by_email(state: &AppState, email: &str) -> Result<String> {
    let email = crate::domain::email::Email::parse(email)
        .map_err(|e| Error::InvalidInput {
            field: "email",
            message: e.to_string(),
        })?
        .as_str()
        .to_owned();
    state
        .store
        .user_by_email(&email)
        .await?
        .map(|u| u.id)
        .ok_or(Error::NotFound)
}

/// The audit events of an admin action: `kind` on the target's trail, `admin.action` on
/// the acting admin's.
fn action_events(
    state: &AppState,
    actor: &Actor,
    kind: AuditKind,
    target: &str,
    details: Value,
) -> Vec<AuditEvent> {
    let meta = actor.meta();
    let mut on_target = details.clone();
    on_target["actorId"] = json!(actor.id());
    let mut events = vec![state.event(kind, Some(target), &meta, on_target)];
    if let Actor::Admin { user_id, .. } = actor {
        let mut on_admin = details;
        on_admin["action"] = json!(kind);
        on_admin["actorId"] = json!(user_id);
        on_admin["targetUserId"] = json!(target);
        events.push(state.event(AuditKind::AdminAction, Some(user_id), &meta, on_admin));
    }
    events
}

/// The `reason` of an action that OPERATIONS.md documents with one (MFA reset, disable,
/// enable): required, at most 500 characters, kept in the audit trail.
fn reason(reason: Option<&str>) -> Result<Value> {
    let invalid = |message: &str| Error::InvalidInput {
        field: "reason",
        message: message.into(),
    };
    match reason.map(str::trim) {
        Some(r) if r.chars().count() > 500 => Err(invalid("must be at most 500 characters")),
        Some(r) if !r.is_empty() => Ok(json!({ "reason": r })),
        _ => Err(invalid(
            "is required: say why (it is kept in the audit trail)",
        )),
    }
}

/// The outcome of disabling or deleting a user, which the store refuses for the only admin
/// not disabled (`LastAdmin`): that would leave nobody to use the admin API (through the
/// API, only the admin itself can be that user). Decided in the change's transaction,
/// under the row locks of every admin, so two admins disabling each other at once cannot
/// both succeed. The same for the API and the CLI; `twofold admin grant` adds another.
fn changed(change: UserChange) -> Result<()> {
    match change {
        UserChange::Done => Ok(()),
        UserChange::NotFound => Err(Error::NotFound),
        UserChange::LastWithRole => Err(Error::LastAdmin),
    }
}

fn found(found: bool) -> Result<()> {
    if found {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

/// Break-glass: removes the user's TOTP credential, recovery codes and pending setup and
/// revokes every session; the user logs in with the password alone and enrolls again.
/// `why` is required.
#[tracing::instrument(skip_all, fields(%user_id))]
pub async fn reset_mfa(
    state: &AppState,
    actor: &Actor,
    user_id: &str,
    why: Option<&str>,
) -> Result<()> {
    let audit = action_events(
        state,
        actor,
        AuditKind::AdminMfaReset,
        user_id,
        reason(why)?,
    );
    found(state.store.reset_mfa(user_id, state.now(), &audit).await?)
}

/// Revokes every live session of the user; returns how many.
#[tracing::instrument(skip_all, fields(%user_id))]
pub async fn revoke_sessions(state: &AppState, actor: &Actor, user_id: &str) -> Result<u64> {
    let audit = action_events(
        state,
        actor,
        AuditKind::AdminSessionsRevoked,
        user_id,
        json!({}),
    );
    state
        .store
        .revoke_all_sessions(user_id, state.now(), &audit)
        .await?
        .ok_or(Error::NotFound)
}

/// Disables (revoking every session; never the last admin) or enables the user; `why` is
/// required.
#[tracing::instrument(skip_all, fields(%user_id, disabled))]
pub async fn set_disabled(
    state: &AppState,
    actor: &Actor,
    user_id: &str,
    disabled: bool,
    why: Option<&str>,
) -> Result<()> {
    let kind = if disabled {
        AuditKind::AdminUserDisabled
    } else {
        AuditKind::AdminUserEnabled
    };
    let audit = action_events(state, actor, kind, user_id, reason(why)?);
    let keep = disabled.then_some(ADMIN);
    changed(
        state
            .store
            .set_disabled(user_id, disabled, state.now(), &audit, keep)
            .await?,
    )
}

/// Clears every lock and failure counter of the user.
#[tracing::instrument(skip_all, fields(%user_id))]
pub async fn unlock(state: &AppState, actor: &Actor, user_id: &str) -> Result<()> {
    let user = state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or(Error::NotFound)?;
    let audit = action_events(
        state,
        actor,
        AuditKind::AdminUserUnlocked,
        user_id,
        json!({}),
    );
    let key = account_key(state, &user.email);
    found(state.store.unlock_user(user_id, &key, &audit).await?)
}

/// Deletes the user and everything of it but the audit trail (not the last admin).
#[tracing::instrument(skip_all, fields(%user_id))]
pub async fn delete(state: &AppState, actor: &Actor, user_id: &str) -> Result<()> {
    let user = state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or(Error::NotFound)?;
    let audit = action_events(
        state,
        actor,
        AuditKind::AdminUserDeleted,
        user_id,
        json!({ "email": user.email }),
    );
    let key = account_key(state, &user.email);
    changed(
        state
            .store
            .delete_user(user_id, &key, &audit, Some(ADMIN))
            .await?,
    )
}

/// Grants or revokes the admin role.
#[tracing::instrument(skip_all, fields(%user_id, grant))]
pub async fn set_admin(state: &AppState, actor: &Actor, user_id: &str, grant: bool) -> Result<()> {
    let user = state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or(Error::NotFound)?;
    let mut roles: Vec<&str> = user
        .roles
        .split_whitespace()
        .filter(|r| *r != ADMIN)
        .collect();
    if grant {
        roles.push(ADMIN);
    }
    let kind = if grant {
        AuditKind::AdminRoleGranted
    } else {
        AuditKind::AdminRoleRevoked
    };
    let audit = action_events(state, actor, kind, user_id, json!({ "role": ADMIN }));
    found(
        state
            .store
            .set_roles(user_id, &roles.join(" "), &audit)
            .await?,
    )
}

/// Audit events across users, newest first.
pub async fn audit(
    state: &AppState,
    user_id: Option<&str>,
    kind: Option<&str>,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditRecord>> {
    Ok(state
        .store
        .search_audit(user_id, kind, before, limit)
        .await?)
}

/// `twofold import totp`: one line `EMAIL otpauth://totp/...` enrolls the authenticator of
/// a user moving from another system (MFA must be off; no recovery codes until the user
/// regenerates them). One transaction per line.
#[tracing::instrument(skip_all)]
pub async fn import_totp(state: &AppState, actor: &Actor, line: &str) -> Result<ImportOutcome> {
    let invalid = |field, message: &str| Error::InvalidInput {
        field,
        message: message.to_owned(),
    };
    let (email, uri) = line
        .trim()
        .split_once(char::is_whitespace)
        .ok_or_else(|| invalid("line", "expected `EMAIL otpauth://totp/...`"))?;
    let user_id = user_id_by_email(state, email).await?;
    let imported = otpauth::parse_totp_uri(uri).map_err(|e| invalid("uri", e))?;
    let now = state.now();
    let sealer = super::keys::sealer_for_new_values(state).await?;
    let credential = TotpRecord {
        factor_id: String::new(),
        user_id: user_id.clone(),
        key_id: sealer.key_id(),
        sealed_secret: sealer.seal(
            &imported.secret,
            crate::crypto::seal::totp_aad(&user_id).as_bytes(),
        ),
        device_name: Some("imported".into()),
        created_at: now,
        expires_at: i64::MAX,
    };
    let audit = state.event(
        AuditKind::MfaEnabled,
        Some(&user_id),
        &actor.meta(),
        json!({ "source": "import", "actorId": actor.id() }),
    );
    Ok(state
        .store
        .import_totp(&user_id, &credential, &audit)
        .await?)
}
