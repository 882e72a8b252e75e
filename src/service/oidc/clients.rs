//! Registered clients (OIDC.md "Clients"): added, changed, given a new secret and removed
//! by an operator, on the command line or the admin API, through these functions. A secret
//! is 256 random bits in URL-safe characters, shown once and kept only as a keyed hash.

use serde_json::json;
use subtle::ConstantTimeEq;

use super::super::admin::Actor;
use super::super::error::{Error, Result};
use super::super::AppState;
use crate::crypto::jwt::JwsAlg;
use crate::crypto::token::TokenHasher;
use crate::domain::audit::AuditKind;
use crate::domain::oauth::{check_redirect_uri, check_registered_scopes, parse_scopes};
use crate::store::oidc::ClientRecord;
use crate::store::AuditEvent;

/// Label of client-secret hashes.
const SECRET: &str = "client-secret";
/// Scopes a client gets when none are given.
pub const DEFAULT_SCOPES: &str = "openid email profile groups offline_access";

/// A registered client.
#[derive(Debug, Clone)]
pub struct Client {
    pub id: String,
    pub name: String,
    /// No secret: PKCE is required instead.
    pub public: bool,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub backchannel_logout_uri: Option<String>,
    pub first_party: bool,
    pub require_mfa: bool,
    pub scopes: Vec<String>,
    pub id_token_alg: JwsAlg,
    pub created_at: i64,
    secret_hash: Option<Vec<u8>>,
}

impl Client {
    fn from_record(r: ClientRecord) -> Self {
        let list = |text: &str| serde_json::from_str::<Vec<String>>(text).unwrap_or_default();
        Self {
            public: r.secret_hash.is_none(),
            redirect_uris: list(&r.redirect_uris),
            post_logout_redirect_uris: list(&r.post_logout_redirect_uris),
            scopes: parse_scopes(&r.scopes),
            id_token_alg: JwsAlg::parse(&r.id_token_alg).unwrap_or(JwsAlg::RS256),
            id: r.id,
            name: r.name,
            backchannel_logout_uri: r.backchannel_logout_uri,
            first_party: r.first_party,
            require_mfa: r.require_mfa,
            created_at: r.created_at,
            secret_hash: r.secret_hash,
        }
    }

    fn record(&self) -> ClientRecord {
        ClientRecord {
            id: self.id.clone(),
            name: self.name.clone(),
            secret_hash: self.secret_hash.clone(),
            redirect_uris: json!(self.redirect_uris).to_string(),
            post_logout_redirect_uris: json!(self.post_logout_redirect_uris).to_string(),
            backchannel_logout_uri: self.backchannel_logout_uri.clone(),
            first_party: self.first_party,
            require_mfa: self.require_mfa,
            scopes: self.scopes.join(" "),
            id_token_alg: self.id_token_alg.as_str().to_owned(),
            created_at: self.created_at,
            secret_rotated_at: None,
        }
    }

    /// Whether `secret` is this client's (constant time; a public client has none).
    pub fn secret_matches(&self, state: &AppState, secret: &str) -> bool {
        let Some(stored) = &self.secret_hash else {
            return false;
        };
        let given = state.keys.tokens.hash(SECRET, secret);
        bool::from(given.as_slice().ct_eq(stored.as_slice()))
    }
}

/// What an operator registers (or changes: every field is replaced).
#[derive(Debug, Clone, Default)]
pub struct ClientSettings {
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub backchannel_logout_uri: Option<String>,
    pub public: bool,
    pub first_party: bool,
    pub require_mfa: bool,
    /// Space-separated; `None`: [`DEFAULT_SCOPES`].
    pub scopes: Option<String>,
    /// `RS256` (default) or `EdDSA`.
    pub id_token_alg: Option<String>,
}

fn invalid(field: &'static str, message: impl Into<String>) -> Error {
    Error::InvalidInput {
        field,
        message: message.into(),
    }
}

/// Checks settings: a name, at least one redirect URI, each by the registration rules.
fn check(settings: &ClientSettings) -> Result<(Vec<String>, JwsAlg)> {
    let name = settings.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(invalid("name", "must be 1 to 100 characters"));
    }
    if settings.redirect_uris.is_empty() {
        return Err(invalid(
            "redirectUris",
            "at least one redirect URI is needed",
        ));
    }
    for uri in &settings.redirect_uris {
        check_redirect_uri(uri, settings.public).map_err(|m| invalid("redirectUris", m))?;
    }
    for uri in &settings.post_logout_redirect_uris {
        check_redirect_uri(uri, settings.public)
            .map_err(|m| invalid("postLogoutRedirectUris", m))?;
    }
    if let Some(uri) = &settings.backchannel_logout_uri {
        check_redirect_uri(uri, false).map_err(|m| invalid("backchannelLogoutUri", m))?;
    }
    let scopes = parse_scopes(settings.scopes.as_deref().unwrap_or(DEFAULT_SCOPES));
    check_registered_scopes(&scopes).map_err(|m| invalid("scopes", m))?;
    let alg = match settings.id_token_alg.as_deref() {
        None => JwsAlg::RS256,
        Some(a) => {
            JwsAlg::parse(a).ok_or_else(|| invalid("idTokenAlg", "must be RS256 or EdDSA"))?
        }
    };
    Ok((scopes, alg))
}

fn audit(state: &AppState, actor: &Actor, action: &str, client_id: &str) -> Vec<AuditEvent> {
    let user = match actor {
        Actor::Admin { user_id, .. } => Some(user_id.as_str()),
        Actor::Cli => None,
    };
    vec![state.event(
        AuditKind::AdminAction,
        user,
        &actor.meta(),
        json!({ "action": action, "actorId": actor.id(), "clientId": client_id }),
    )]
}

/// Registers a client: the client and, for a confidential one, its secret (shown once).
pub async fn add(
    state: &AppState,
    actor: &Actor,
    settings: &ClientSettings,
) -> Result<(Client, Option<String>)> {
    let (scopes, alg) = check(settings)?;
    let secret = (!settings.public).then(TokenHasher::generate);
    let client = Client {
        id: uuid::Uuid::new_v4().simple().to_string(),
        name: settings.name.trim().to_owned(),
        public: settings.public,
        redirect_uris: settings.redirect_uris.clone(),
        post_logout_redirect_uris: settings.post_logout_redirect_uris.clone(),
        backchannel_logout_uri: settings.backchannel_logout_uri.clone(),
        first_party: settings.first_party,
        require_mfa: settings.require_mfa,
        scopes,
        id_token_alg: alg,
        created_at: state.now(),
        secret_hash: secret.as_ref().map(|s| state.keys.tokens.hash(SECRET, s)),
    };
    let events = audit(state, actor, "client.added", &client.id);
    state.store.insert_client(&client.record(), events).await?;
    tracing::info!(client_id = %client.id, "client registered");
    Ok((client, secret))
}

/// Every client, oldest first.
pub async fn list(state: &AppState) -> Result<Vec<Client>> {
    let records = state.store.clients().await?;
    Ok(records.into_iter().map(Client::from_record).collect())
}

/// Client `id`; `NotFound` when there is none.
pub async fn get(state: &AppState, id: &str) -> Result<Client> {
    find(state, id).await?.ok_or(Error::NotFound)
}

/// Client `id`, if registered.
pub async fn find(state: &AppState, id: &str) -> Result<Option<Client>> {
    if id.is_empty() || id.len() > 100 {
        return Ok(None);
    }
    Ok(state.store.client(id).await?.map(Client::from_record))
}

/// Replaces the settings of client `id` (whether it is public stays as registered).
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: &str,
    settings: &ClientSettings,
) -> Result<Client> {
    let old = get(state, id).await?;
    let settings = ClientSettings {
        public: old.public,
        ..settings.clone()
    };
    let (scopes, alg) = check(&settings)?;
    let client = Client {
        name: settings.name.trim().to_owned(),
        redirect_uris: settings.redirect_uris,
        post_logout_redirect_uris: settings.post_logout_redirect_uris,
        backchannel_logout_uri: settings.backchannel_logout_uri,
        first_party: settings.first_party,
        require_mfa: settings.require_mfa,
        scopes,
        id_token_alg: alg,
        ..old
    };
    let events = audit(state, actor, "client.changed", id);
    if !state.store.update_client(&client.record(), events).await? {
        return Err(Error::NotFound);
    }
    Ok(client)
}

/// A new secret for confidential client `id` (shown once); the old one stops at once.
pub async fn rotate_secret(state: &AppState, actor: &Actor, id: &str) -> Result<String> {
    let client = get(state, id).await?;
    if client.public {
        return Err(invalid("clientId", "a public client has no secret"));
    }
    let secret = TokenHasher::generate();
    let hash = state.keys.tokens.hash(SECRET, &secret);
    let events = audit(state, actor, "client.secret_rotated", id);
    if !state
        .store
        .set_client_secret(id, &hash, state.now(), events)
        .await?
    {
        return Err(Error::NotFound);
    }
    Ok(secret)
}

/// Removes client `id`: every grant, code and token it holds ends with it.
pub async fn remove(state: &AppState, actor: &Actor, id: &str) -> Result<()> {
    let events = audit(state, actor, "client.removed", id);
    if !state.store.remove_client(id, state.now(), events).await? {
        return Err(Error::NotFound);
    }
    tracing::info!(client_id = %id, "client removed");
    Ok(())
}
