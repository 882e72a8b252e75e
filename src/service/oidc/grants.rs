//! Consent a person gave to apps ("Apps with access"): listed and revoked by the person,
//! on the account page and through the API. Revoking ends every sign-in the app holds for
//! them (their refresh tokens with it).

use serde_json::json;

use crate::crypto::jwt::Claims;
use crate::domain::audit::AuditKind;
use crate::domain::oauth::parse_scopes;
use crate::service::error::{Error, Result};
use crate::service::{AppState, RequestMeta};

/// An app the person allowed.
#[derive(Debug, Clone)]
pub struct Grant {
    pub client_id: String,
    pub client_name: String,
    pub scopes: Vec<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The caller's grants, most recently given first.
pub async fn list(state: &AppState, claims: &Claims) -> Result<Vec<Grant>> {
    let records = state.store.grants(&claims.sub).await?;
    Ok(records
        .into_iter()
        .map(|g| Grant {
            scopes: parse_scopes(&g.scopes),
            client_id: g.client_id,
            client_name: g.client_name,
            created_at: g.created_at,
            updated_at: g.updated_at,
        })
        .collect())
}

/// Revokes the caller's grant to `client_id`; `NotFound` when there is none.
pub async fn revoke(
    state: &AppState,
    meta: &RequestMeta,
    claims: &Claims,
    client_id: &str,
) -> Result<()> {
    if client_id.is_empty() || client_id.len() > 100 {
        return Err(Error::NotFound);
    }
    let audit = state.event(
        AuditKind::OidcConsentRevoked,
        Some(&claims.sub),
        meta,
        json!({ "clientId": client_id }),
    );
    if !state
        .store
        .revoke_grant(&claims.sub, client_id, state.now(), vec![audit])
        .await?
    {
        return Err(Error::NotFound);
    }
    Ok(())
}
