//! What every passkey ceremony shares: the relying party, the ceremony's stored state
//! (single use, [`CEREMONY_TTL`] seconds), the user's stored credentials, and the JSON the
//! browser is handed. A leaf below registration ([`super::passkeys`]) and assertions
//! ([`super::passkey_assertions`]).

use serde_json::Value;
use webauthn_rs_core::proto::Credential;
use webauthn_rs_core::WebauthnCore;

use super::error::{Error, Result};
use super::purpose::Purpose;
use super::AppState;
use crate::config::Settings;
use crate::store::{CeremonyRecord, FactorRecord};

/// Seconds a ceremony (its challenge) lasts.
pub const CEREMONY_TTL: i64 = 300;
/// Label of ceremony-token hashes.
pub(super) const CEREMONY: &str = "webauthn";
/// Ceremony purposes.
pub(super) const REGISTER: &str = "register";
pub(super) const MFA: &str = "mfa";
pub(super) const STEP_UP: &str = "step_up";
pub(super) const PASSWORDLESS: &str = "passwordless";
/// The failure counter of passwordless logins (never locks: nothing there can be guessed).
pub(super) const PASSKEY: Purpose = Purpose::Passkey;

/// The relying party of `settings`: its id is the host of `public_url` (or
/// `webauthn_rp_id`, which must be that host or a parent domain of it), its name the issuer.
pub fn relying_party(settings: &Settings) -> anyhow::Result<WebauthnCore> {
    let public_url = settings.effective_public_url(None);
    let origin = url::Url::parse(&public_url)
        .map_err(|e| anyhow::anyhow!("public_url {public_url:?} is not a URL: {e}"))?;
    anyhow::ensure!(
        matches!(origin.scheme(), "https" | "http") && origin.path() == "/",
        "public_url must be an origin such as https://auth.example.com"
    );
    let host = origin
        .host_str()
        .ok_or_else(|| anyhow::anyhow!("public_url has no host"))?
        .to_owned();
    let rp_id = match settings.webauthn_rp_id.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() => {
            anyhow::ensure!(
                host == id || host.ends_with(&format!(".{id}")),
                "webauthn_rp_id {id:?} must be the host of public_url ({host}) or a parent domain of it"
            );
            id.to_owned()
        }
        _ => host,
    };
    Ok(WebauthnCore::new_unsafe_experts_only(
        &settings.issuer,
        &rp_id,
        vec![origin],
        std::time::Duration::from_secs(CEREMONY_TTL as u64),
        Some(false),
        Some(false),
    ))
}

/// Options for the browser (`publicKey`) and the token naming the ceremony.
pub struct Ceremony {
    pub token: String,
    pub public_key: Value,
}

/// The JSON form of options for browsers: without `null` members, which
/// `PublicKeyCredential.parse*OptionsFromJSON` refuses (absent is what they mean).
pub(super) fn options_json(options: &impl serde::Serialize) -> Result<Value> {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.retain(|_, v| !v.is_null());
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(options).map_err(internal)?;
    strip(&mut value);
    Ok(value)
}

pub(super) fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal(anyhow::anyhow!("webauthn: {e}"))
}

pub(super) fn ceremony_hash(state: &AppState, token: &str) -> Vec<u8> {
    state.keys.tokens.hash(CEREMONY, token)
}

pub(super) async fn store_ceremony(
    state: &AppState,
    hash: &[u8],
    user_id: Option<&str>,
    purpose: &str,
    name: Option<String>,
    ceremony_state: &impl serde::Serialize,
) -> Result<()> {
    let now = state.now();
    let record = CeremonyRecord {
        user_id: user_id.map(str::to_owned),
        purpose: purpose.to_owned(),
        name,
        state: serde_json::to_string(ceremony_state).map_err(internal)?,
        expires_at: now + CEREMONY_TTL,
    };
    Ok(state.store.put_ceremony(hash, &record, now).await?)
}

/// The live ceremony `hash` of `purpose` (and of `user_id`, when given).
pub(super) async fn live_ceremony(
    state: &AppState,
    hash: &[u8],
    purpose: &str,
    user_id: Option<&str>,
) -> Result<Option<CeremonyRecord>> {
    let now = state.now();
    Ok(state.store.ceremony(hash).await?.filter(|c| {
        c.purpose == purpose
            && c.expires_at > now
            && user_id.is_none_or(|u| c.user_id.as_deref() == Some(u))
    }))
}

pub(super) fn stored_credential(factor: &FactorRecord) -> Result<Credential> {
    let json = factor.credential.as_deref().ok_or(Error::NotFound)?;
    let mut credential: Credential = serde_json::from_str(json).map_err(internal)?;
    // The database's counter is the one that counts (another instance may have moved it).
    credential.counter = factor.sign_count.clamp(0, u32::MAX as i64) as u32;
    Ok(credential)
}

pub(super) async fn passkeys_of(state: &AppState, user_id: &str) -> Result<Vec<FactorRecord>> {
    Ok(state
        .store
        .factors(user_id)
        .await?
        .into_iter()
        .filter(|f| f.kind == "passkey")
        .collect())
}
