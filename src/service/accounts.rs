//! Registration, password login and password change. Sessions and tokens are in
//! [`super::sessions`]; the guessing guard in [`super::guard`].

use serde_json::json;

use super::error::{Error, Result};
use super::guard::{self, Attempt};
use super::sessions::{self, AuthTokens, NewLogin};
use super::{AppState, RequestMeta};
use crate::crypto::jwt::Claims;
use crate::domain::audit::AuditKind;
use crate::domain::email::Email;
use crate::domain::password::Password;
use crate::store::users::insert_user;
use crate::store::{NewUser, Refund, StoreError, UserRecord};

/// What a correct password leads to.
pub enum LoginOutcome {
    /// No MFA: a session.
    Session(AuthTokens),
    /// MFA enabled: a challenge to answer at `verify-mfa`.
    MfaRequired {
        challenge_token: String,
        expires_in: i64,
        /// How the user can answer, when they have a passkey (`totp`, `passkey`,
        /// `recovery`); empty otherwise (the seeds' answer is unchanged).
        methods: Vec<&'static str>,
    },
}

/// Creates an account.
#[tracing::instrument(skip_all)]
pub async fn register(
    state: &AppState,
    meta: &RequestMeta,
    email: Email,
    password: Password,
) -> Result<UserRecord> {
    let password_hash = state.argon.hash_password(password.expose()).await?;
    let user = NewUser {
        id: uuid::Uuid::new_v4().to_string(),
        email: email.as_str().to_owned(),
        password_hash,
        created_at: state.now(),
    };
    let audit = vec![
        state.event(AuditKind::Register, Some(&user.id), meta, json!({})),
        super::email::sent_event(state, meta, &user.id),
    ];
    // The account and the message proving its address, in one transaction.
    let link = super::email::verification_link(state, meta, &user.id, &user.email);
    let new_user = user.clone();
    let created = state
        .store
        .write(audit, move |conn| {
            Box::pin(async move {
                insert_user(conn, &new_user).await?;
                link.store(conn, false).await?;
                Ok((true, ()))
            })
        })
        .await;
    match created {
        Ok(()) => {}
        Err(StoreError::UniqueViolation) => return Err(Error::EmailTaken),
        Err(e) => return Err(e.into()),
    }
    tracing::info!(user_id = %user.id, "account registered");
    Ok(UserRecord {
        roles: String::new(),
        id: user.id,
        email: user.email,
        password_hash: user.password_hash,
        created_at: user.created_at,
        disabled_at: None,
        mfa_enabled_at: None,
        passkeys: 0,
        email_verified_at: None,
        notify_new_browser: true,
    })
}

/// What a password login presents.
pub struct LoginRequest {
    pub email: Email,
    pub password: Password,
    /// A device token from an earlier login (body field or cookie).
    pub device_token: Option<String>,
}

/// Checks a password under the guard of [`super::guard`]: unknown email and wrong password
/// give the same error after the same work. A correct password either starts a session
/// (with a new device token) or, when MFA is on, an MFA challenge.
#[tracing::instrument(skip_all)]
pub async fn login(
    state: &AppState,
    meta: &RequestMeta,
    request: LoginRequest,
) -> Result<LoginOutcome> {
    let result = password_login(state, meta, request).await;
    let outcome = match &result {
        Ok(LoginOutcome::Session(_)) => Some("ok"),
        Ok(LoginOutcome::MfaRequired { .. }) => Some("mfa_required"),
        Err(Error::InvalidCredentials) => Some("invalid_credentials"),
        Err(Error::Locked { .. }) => Some("locked"),
        Err(Error::AccountDisabled) => Some("disabled"),
        Err(_) => None,
    };
    if let Some(outcome) = outcome {
        metrics::counter!("twofold_logins_total", "outcome" => outcome).increment(1);
    }
    result
}

async fn password_login(
    state: &AppState,
    meta: &RequestMeta,
    request: LoginRequest,
) -> Result<LoginOutcome> {
    let user = state.store.user_by_email(request.email.as_str()).await?;
    let refund = guard::check(
        state,
        meta,
        Attempt {
            email: request.email.as_str(),
            user: user.as_ref(),
            password: &request.password,
            device_token: request.device_token.as_deref(),
            failure_event: AuditKind::LoginFailed,
        },
    )
    .await?;
    let user = user.ok_or(Error::InvalidCredentials)?;
    if user.disabled_at.is_some() {
        state.store.refund(&refund).await?;
        return Err(Error::AccountDisabled);
    }
    let verified = user.email_verified_at.is_some();
    if state.settings.require_verified_email && !verified {
        // Said only after a correct password: nothing is revealed before.
        state.store.refund(&refund).await?;
        return Err(Error::EmailNotVerified);
    }
    // No live device token of this user came with the password: a browser the account
    // never had (the first sign-in of an account is no news to its owner).
    let new_browser =
        matches!(refund, Refund::Account { .. }) && state.store.had_device_tokens(&user.id).await?;
    if user.mfa_enabled_at.is_some() {
        let trust =
            sessions::browser_trust(state, &user.id, request.device_token.as_deref()).await?;
        if let Some(trust) = trust {
            // A trusted browser (FACTORS.md): the MFA step is skipped; the trust moves to
            // the device token this login issues. `trusted` marks that no factor was
            // proven in this session: it is no proof for step-up or the admin API.
            let amr = ["pwd", "mfa", super::recent::TRUSTED];
            let mut login = NewLogin::new(state, meta, &user.id, &user.roles, &amr);
            login.session.email_verified = verified;
            login.device.trust = Some(trust);
            let audit = state.event(
                AuditKind::LoginSucceeded,
                Some(&user.id),
                meta,
                json!({ "amr": amr, "sessionId": login.session.id, "trustedDevice": true }),
            );
            if let Some(tokens) =
                sessions::try_start(state, login, Some(refund.clone()), &[audit]).await?
            {
                return Ok(LoginOutcome::Session(tokens));
            }
            // A concurrent login presenting the same token took its trust: ask for a code.
        }
        let (challenge_token, expires_in) =
            super::mfa::start_challenge(state, meta, &user.id, refund, new_browser).await?;
        let methods = if user.passkeys > 0 {
            super::recent::methods(state, &user.id).await?
        } else {
            Vec::new()
        };
        return Ok(LoginOutcome::MfaRequired {
            challenge_token,
            expires_in,
            methods,
        });
    }
    let mut login = NewLogin::new(state, meta, &user.id, &user.roles, &["pwd"]);
    login.session.email_verified = verified;
    let audit = state.event(
        AuditKind::LoginSucceeded,
        Some(&user.id),
        meta,
        json!({ "amr": ["pwd"], "sessionId": login.session.id, "newBrowser": new_browser }),
    );
    let tokens = sessions::start(state, login, Some(refund), &[audit]).await?;
    Ok(LoginOutcome::Session(tokens))
}

/// What `POST /auth/password` presents.
pub struct PasswordChange {
    pub current: Password,
    pub new: Password,
    pub device_token: Option<String>,
}

/// Changes the caller's password: the current one is checked exactly like a login
/// attempt; every other session of the user is revoked in the same transaction.
#[tracing::instrument(skip_all)]
pub async fn change_password(
    state: &AppState,
    meta: &RequestMeta,
    claims: &Claims,
    change: PasswordChange,
) -> Result<()> {
    super::recent::require_recent(state, claims).await?;
    let user = state.caller(&claims.sub).await?;
    let refund = guard::check(
        state,
        meta,
        Attempt {
            email: &user.email,
            user: Some(&user),
            password: &change.current,
            device_token: change.device_token.as_deref(),
            failure_event: AuditKind::PasswordChangeFailed,
        },
    )
    .await?;
    state.store.refund(&refund).await?;
    let hash = state.argon.hash_password(change.new.expose()).await?;
    let others = sessions::others(state, meta, &user.id, &claims.sid, "password_changed");
    let audit = [state.event(AuditKind::PasswordChanged, Some(&user.id), meta, json!({}))];
    let revoked = state
        .store
        .change_password(&user.id, &hash, &others, state.now(), &audit)
        .await?;
    tracing::info!(user_id = %user.id, revoked, "password changed");
    Ok(())
}
