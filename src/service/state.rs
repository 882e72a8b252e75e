//! [`AppState`]: what every use case is handed (the store, the keys, the settings, the
//! clock, the hashing pool), and [`RequestMeta`], who is asking. A leaf below every use
//! case, so that none of them imports the module root for it.

use std::sync::Arc;

use super::keyring::{Sealers, SigningKeys};
use super::webhook_types::types_for;
use crate::clock::SharedClock;
use crate::config::Settings;
use crate::crypto::argon::Argon;
use crate::crypto::token::TokenHasher;
use crate::domain::audit::AuditKind;
use crate::domain::lockout::LockPolicy;
use crate::domain::notice::notice_for;
use crate::store::{AuditEvent, QueuedNotice, Store, UserRecord};

/// The keys of a running instance.
pub struct Keys {
    /// Signs and verifies access tokens (reloaded when rotated).
    pub ring: SigningKeys,
    /// Seals secrets at rest (the current master key's sealer, and earlier ones).
    pub sealer: Sealers,
    /// Hashes refresh and challenge tokens.
    pub tokens: TokenHasher,
}

/// Everything a request needs, cloned cheaply into every handler.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Arc<Store>,
    /// Server keys.
    pub keys: Arc<Keys>,
    /// Settings in effect.
    pub settings: Arc<Settings>,
    /// The time source.
    pub clock: SharedClock,
    /// Argon2id hashing with bounded concurrency.
    pub argon: Argon,
    /// The WebAuthn relying party (passkeys).
    pub webauthn: Arc<webauthn_rs_core::WebauthnCore>,
    /// Forward authentication's rules, checked at start (PROXY.md).
    pub access: Arc<crate::domain::access::Rules>,
    /// Sessions forward authentication found live less than half a second ago.
    pub live_sessions: Arc<super::live::LiveSessions>,
}

/// Who is making a request, for the audit trail.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    /// The client's IP address (the TCP peer, or from `X-Forwarded-For` behind a
    /// trusted proxy).
    pub ip: Option<String>,
    /// The `User-Agent` header.
    pub user_agent: Option<String>,
}

impl AppState {
    /// Current Unix time from the application clock.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// An audit event of `kind` for `user_id`, stamped now, with its webhooks and its
    /// security notice (EMAIL.md). An event without a user (a lock of an email nobody
    /// registered) notifies nobody: it queues no webhook and no mail, so strangers'
    /// emails cannot fill the outboxes.
    pub fn event(
        &self,
        kind: AuditKind,
        user_id: Option<&str>,
        meta: &RequestMeta,
        details: serde_json::Value,
    ) -> AuditEvent {
        let webhooks = if self.settings.webhook_url.is_some() && user_id.is_some() {
            types_for(kind, &details)
        } else {
            Vec::new()
        };
        let notice = notice_for(kind, &details).map(|notice| QueuedNotice {
            kind: notice.as_str(),
            optional: notice.optional(),
            to: None,
        });
        AuditEvent {
            notice,
            user_id: user_id.map(str::to_owned),
            kind,
            at: self.now(),
            ip: meta.ip.clone(),
            user_agent: meta.user_agent.clone(),
            details,
            webhooks,
        }
    }

    /// The account of a signed-in caller; one that no longer exists is `Unauthorized` (the
    /// token that names it speaks for nobody).
    pub async fn caller(&self, user_id: &str) -> super::error::Result<UserRecord> {
        self.store
            .user_by_id(user_id)
            .await?
            .ok_or(super::error::Error::Unauthorized)
    }

    /// The lock policy for MFA codes.
    pub fn mfa_policy(&self) -> LockPolicy {
        LockPolicy {
            max_failures: self.settings.mfa_max_failures,
            base_seconds: self.settings.lockout_base_seconds,
            max_seconds: self.settings.lockout_max_seconds,
        }
    }

    /// The lock policy for passwords.
    pub fn password_policy(&self) -> LockPolicy {
        LockPolicy {
            max_failures: self.settings.password_max_failures,
            ..self.mfa_policy()
        }
    }
}
