//! The server's keys over time: which master key the database is sealed under (and the
//! keys carried across master-key rotations), the signing keys in the JWKS, and the two
//! rotations `twofold keys rotate-signing` and `twofold keys rotate-master` perform.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use zeroize::Zeroizing;

use super::error::Error;
use super::keyring::RELOAD_AT_MOST_EVERY;
pub use super::keyring::{Sealers, SigningKeys};
use super::AppState;
use crate::crypto::jwt::{self, KeyRing};
use crate::crypto::keys::MasterKey;
use crate::crypto::rsa_key::{self, RsaKey};
use crate::crypto::seal::{totp_aad, Sealer, FIRST_KEY_ID};
use crate::store::{
    CarriedKeyRecord, MasterKeyRecord, Reseal, SealedTable, SealedValue, SigningKeyRecord, Store,
};

/// The known text sealed under each master key (`master_keys.check_value`).
const CHECK_TEXT: &[u8] = b"twofold master key check";
const CHECK_AAD: &[u8] = b"master-key-check";
/// Purposes of the carried keys.
const TOKEN_HMAC: &str = "token_hmac";
const RECOVERY_PEPPER: &str = "recovery_pepper";

/// The keys an instance opens the database with.
pub struct Unsealed {
    /// Seals and opens secrets under the current master key.
    pub sealer: Sealer,
    /// HMAC key of refresh, device and challenge tokens (the first master key's).
    pub token_hmac: Zeroizing<[u8; 32]>,
    /// Argon2 secret of recovery codes (the first master key's).
    pub recovery_pepper: Zeroizing<[u8; 32]>,
}

/// Opens the database's keys with `master`: records it as the first master key of a new
/// (or pre-rotation) database, or checks that it is the current one.
pub async fn unseal(store: &Store, master: &MasterKey, now: i64) -> anyhow::Result<Unsealed> {
    let derived = master.derive();
    let mut keys = store.master_keys().await?;
    if keys.is_empty() {
        let sealer = Sealer::new(&derived.seal, FIRST_KEY_ID);
        store
            .insert_master_key_if_absent(&MasterKeyRecord {
                key_id: FIRST_KEY_ID,
                check_value: sealer.seal(CHECK_TEXT, CHECK_AAD),
                created_at: now,
            })
            .await?;
        keys = store.master_keys().await?;
    }
    let current = keys.first().context("no master key recorded")?;
    let sealer = Sealer::new(&derived.seal, current.key_id);
    sealer
        .open(current.key_id, &current.check_value, CHECK_AAD)
        .map_err(|_| {
            anyhow::anyhow!(
                "the configured master key is not this database's current master key (key id {}); \
                 after `twofold keys rotate-master` the service needs the new key",
                current.key_id
            )
        })?;
    let carried = store.carried_keys().await?;
    let carried_key = |purpose: &str, fallback: &Zeroizing<[u8; 32]>| -> anyhow::Result<_> {
        match carried.iter().find(|c| c.purpose == purpose) {
            None => Ok(fallback.clone()),
            Some(c) => {
                let bytes = sealer
                    .open(c.key_id, &c.sealed, carried_aad(purpose).as_bytes())
                    .map_err(|_| anyhow::anyhow!("cannot open the carried {purpose} key"))?;
                let key: [u8; 32] = bytes.as_slice().try_into().context("carried key length")?;
                Ok(Zeroizing::new(key))
            }
        }
    };
    Ok(Unsealed {
        token_hmac: carried_key(TOKEN_HMAC, &derived.token_hmac)?,
        recovery_pepper: carried_key(RECOVERY_PEPPER, &derived.recovery_pepper)?,
        sealer,
    })
}

fn carried_aad(purpose: &str) -> String {
    format!("carried-key:{purpose}")
}

fn signing_key_aad(kid: &str) -> String {
    format!("signing-key:{kid}")
}

fn aad_of(value: &SealedValue) -> String {
    match value.table {
        SealedTable::MfaFactors | SealedTable::TotpPending => totp_aad(&value.subject),
        SealedTable::SigningKeys => signing_key_aad(&value.subject),
    }
}

/// After `keys rotate-master` by the CLI: when the master key comes from the data folder's
/// `master.key` (which the CLI rewrote) and the database names a newer key than this
/// instance's, opens the database with the file's key and makes it current, then reloads
/// the signing keys (re-sealed too). At most once a second. True when it caught up.
pub async fn catch_up_master(state: &AppState) -> bool {
    catch_up(state, true).await
}

/// [`catch_up_master`], at most once a second when `rate_limited` (sealing a new value
/// asks at once: it must not seal under a key the database has left).
async fn catch_up(state: &AppState, rate_limited: bool) -> bool {
    if state.settings.master_key.is_some() {
        return false; // a configured key changes only with a restart
    }
    if rate_limited {
        let mut last = state
            .keys
            .sealer
            .last_catch_up
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if last.elapsed() < RELOAD_AT_MOST_EVERY {
            return false;
        }
        *last = Instant::now();
    }
    let ours = state.keys.sealer.current().key_id();
    let newest = match state.store.master_keys().await {
        Ok(keys) => keys.first().map_or(ours, |k| k.key_id),
        Err(_) => return false,
    };
    if newest <= ours {
        return false;
    }
    let caught_up = async {
        for master in MasterKey::load_data_dir_candidates(&state.settings.data_dir) {
            if let Ok(unsealed) = unseal(state.store.as_ref(), &master, state.now()).await {
                if unsealed.sealer.key_id() == newest {
                    state.keys.sealer.push(unsealed.sealer);
                    return reload(state).await;
                }
            }
        }
        anyhow::bail!("no master key file in the data folder opens the database")
    }
    .await;
    match caught_up {
        Ok(()) => {
            tracing::info!(key_id = newest, "caught up with a rotated master key");
            true
        }
        Err(error) => {
            tracing::error!(%error, key_id = newest, "the master key was rotated: restart with the new key");
            false
        }
    }
}

/// The sealer new values are sealed with: this instance's current one, unless the
/// database names a newer master key (a rotation ran while this instance was up). Then
/// the instance catches up if the key file was rotated too, and otherwise refuses to seal
/// (503): a value sealed under the older key would be stranded after a restart.
pub async fn sealer_for_new_values(state: &AppState) -> Result<Arc<Sealer>, Error> {
    let ours = state.keys.sealer.current();
    let latest = state
        .store
        .master_keys()
        .await?
        .first()
        .map_or(ours.key_id(), |k| k.key_id);
    if latest <= ours.key_id() {
        return Ok(ours);
    }
    catch_up(state, false).await;
    let ours = state.keys.sealer.current();
    if ours.key_id() >= latest {
        return Ok(ours);
    }
    tracing::error!(
        our_key_id = ours.key_id(),
        key_id = latest,
        "the master key was rotated: refusing to seal under the old one; restart with the new key"
    );
    Err(Error::Unavailable)
}

/// Loads the signing keys (creating the first of each algorithm if the database has none;
/// several instances starting at once race on a fixed id, so exactly one is created: id 1
/// for the first Ed25519 key, id 0 for the first RSA key, which databases made before
/// OpenID Connect get on their first start).
pub async fn load_ring(
    store: &Store,
    sealer: &Sealer,
    issuer: &str,
    audience: &str,
    access_token_ttl: i64,
    now: i64,
) -> anyhow::Result<KeyRing> {
    let mut records = store.signing_keys().await?;
    if records.is_empty() {
        let record = new_signing_key(sealer, now);
        store
            .insert_signing_key_if_absent(&SigningKeyRecord { id: 1, ..record })
            .await?;
        records = store.signing_keys().await?;
    }
    if !records.iter().any(|r| r.alg == RS256) {
        let record = new_rsa_key(sealer, now, first_rsa_der()?)?;
        store
            .insert_signing_key_if_absent(&SigningKeyRecord { id: 0, ..record })
            .await?;
        records = store.signing_keys().await?;
    }
    let live = |r: &&SigningKeyRecord| r.retired_at.is_none_or(|at| at + access_token_ttl > now);
    let open = |r: &SigningKeyRecord| {
        sealer
            .open(r.key_id, &r.sealed_seed, signing_key_aad(&r.kid).as_bytes())
            .context("cannot open the signing key: is the master key the one it was sealed with?")
    };
    let seeds = records
        .iter()
        .filter(live)
        .filter(|r| r.alg != RS256)
        .map(|r| {
            let seed: [u8; 32] = open(r)?
                .as_slice()
                .try_into()
                .context("signing key has the wrong length")?;
            Ok(Zeroizing::new(seed))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let rsa = records
        .iter()
        .filter(live)
        .filter(|r| r.alg == RS256)
        .map(|r| RsaKey::from_der(&Zeroizing::new(open(r)?)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(KeyRing::new(&seeds, issuer)?
        .with_audience(audience)
        .with_rsa(rsa))
}

/// `alg` of the RSA keys.
const RS256: &str = "RS256";

fn new_signing_key(sealer: &Sealer, now: i64) -> SigningKeyRecord {
    let seed = jwt::generate_seed();
    let kid = jwt::kid_of(&seed);
    SigningKeyRecord {
        id: 0,
        sealed_seed: sealer.seal(seed.as_ref(), signing_key_aad(&kid).as_bytes()),
        kid,
        key_id: sealer.key_id(),
        created_at: now,
        alg: "EdDSA".to_owned(),
        retired_at: None,
    }
}

fn new_rsa_key(
    sealer: &Sealer,
    now: i64,
    der: Zeroizing<Vec<u8>>,
) -> anyhow::Result<SigningKeyRecord> {
    let kid = rsa_key::kid_of(&der)?;
    Ok(SigningKeyRecord {
        id: 0,
        sealed_seed: sealer.seal(&der, signing_key_aad(&kid).as_bytes()),
        kid,
        key_id: sealer.key_id(),
        created_at: now,
        alg: RS256.to_owned(),
        retired_at: None,
    })
}

/// The first RSA key of a database. Making one takes a noticeable fraction of a second;
/// the test build makes one per process and gives it to every database it creates (each
/// seals it under its own master key), so hundreds of test servers start quickly.
fn first_rsa_der() -> anyhow::Result<Zeroizing<Vec<u8>>> {
    #[cfg(feature = "test-hooks")]
    {
        static KEY: std::sync::OnceLock<Zeroizing<Vec<u8>>> = std::sync::OnceLock::new();
        if let Some(der) = KEY.get() {
            return Ok(der.clone());
        }
        let der = rsa_key::generate_der()?;
        return Ok(KEY.get_or_init(|| der).clone());
    }
    #[allow(unreachable_code)]
    rsa_key::generate_der()
}

/// Reloads the signing keys from the database.
pub async fn reload(state: &AppState) -> anyhow::Result<()> {
    let settings = &state.settings;
    let ring = load_ring(
        state.store.as_ref(),
        &state.keys.sealer.current(),
        &settings.issuer,
        settings.effective_audience(),
        settings.access_token_ttl,
        state.now(),
    )
    .await?;
    state.keys.ring.replace(ring);
    Ok(())
}

/// Reloads the signing keys when `token` names a key this instance does not know (it was
/// signed by another instance after a rotation), at most once a second. True if reloaded.
pub async fn reload_for_unknown_kid(state: &AppState, token: &str) -> bool {
    if state.keys.ring.current().knows_kid_of(token) || !state.keys.ring.may_reload() {
        return false;
    }
    match reload(state).await {
        Ok(()) => true,
        Err(error) => {
            tracing::warn!(%error, "reloading the signing keys failed");
            false
        }
    }
}

/// Reloads the signing keys every `every`, so that a rotation done elsewhere (the CLI,
/// another instance) is picked up, and retired keys leave the JWKS when their tokens expire;
/// catches up with a rotated master key first.
pub async fn reload_periodically(state: AppState, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.tick().await;
    loop {
        ticks.tick().await;
        catch_up_master(&state).await;
        if let Err(error) = reload(&state).await {
            tracing::warn!(%error, "reloading the signing keys failed");
        }
    }
}

/// What a rotation did, for the CLI to print.
#[derive(Debug, Clone)]
pub struct SigningRotation {
    pub new_kid: String,
    /// Old keys deleted because every token they signed has expired.
    pub dropped: u64,
}

/// `twofold keys rotate-signing`: a new key of each algorithm (Ed25519 and RSA) becomes
/// current; the previous ones are retired (kept for verification and in the JWKS for one
/// access-token lifetime, which is also the lifetime of every ID token).
pub async fn rotate_signing(
    store: &Store,
    sealer: &Sealer,
    access_token_ttl: i64,
    now: i64,
) -> anyhow::Result<SigningRotation> {
    let record = new_signing_key(sealer, now);
    let rsa = new_rsa_key(sealer, now, rsa_key::generate_der()?)?;
    store.add_signing_keys(&[record.clone(), rsa], now).await?;
    let dropped = store
        .drop_signing_keys_retired_before(now - access_token_ttl)
        .await?;
    Ok(SigningRotation {
        new_kid: record.kid,
        dropped,
    })
}

/// What a master-key rotation re-sealed.
#[derive(Debug, Clone)]
pub struct MasterRotation {
    pub new_key_id: i64,
    pub resealed: usize,
}

/// `twofold keys rotate-master`: every sealed value is opened with the current master key
/// (using each row's key id) and sealed under the new one, the carried keys too, and the
/// new key recorded, in one transaction. If anything cannot be opened, or the new key is
/// the current one, nothing changes.
pub async fn rotate_master(
    store: &Store,
    current: &MasterKey,
    new: &MasterKey,
    now: i64,
) -> anyhow::Result<MasterRotation> {
    let unsealed = unseal(store, current, now).await?;
    let old = &unsealed.sealer;
    let new_key_id = old.key_id() + 1;
    let new_sealer = Sealer::new(&new.derive().seal, new_key_id);
    anyhow::ensure!(
        new_sealer
            .open(new_key_id, &old.seal(b"probe", b"probe"), b"probe")
            .is_err(),
        "the new master key is the current one"
    );
    for attempt in 1..=3 {
        let values = store.sealed_values().await?;
        let mut resealed = Vec::with_capacity(values.len());
        for value in &values {
            let aad = aad_of(value);
            let plain = old.open(value.key_id, &value.sealed, aad.as_bytes()).map_err(|_| {
                anyhow::anyhow!(
                    "a sealed value ({:?} of {}) does not open with the current master key: nothing changed",
                    value.table,
                    value.owner
                )
            })?;
            resealed.push(SealedValue {
                key_id: new_key_id,
                sealed: new_sealer.seal(&plain, aad.as_bytes()),
                ..value.clone()
            });
        }
        let carried = [
            (TOKEN_HMAC, &unsealed.token_hmac),
            (RECOVERY_PEPPER, &unsealed.recovery_pepper),
        ]
        .into_iter()
        .map(|(purpose, key)| CarriedKeyRecord {
            purpose: purpose.to_owned(),
            key_id: new_key_id,
            sealed: new_sealer.seal(key.as_ref(), carried_aad(purpose).as_bytes()),
        })
        .collect();
        let reseal = Reseal {
            from_key_id: old.key_id(),
            values: resealed,
            master: MasterKeyRecord {
                key_id: new_key_id,
                check_value: new_sealer.seal(CHECK_TEXT, CHECK_AAD),
                created_at: now,
            },
            carried,
        };
        if store.reseal(&reseal).await? {
            return Ok(MasterRotation {
                new_key_id,
                resealed: reseal.values.len(),
            });
        }
        tracing::info!(
            attempt,
            "sealed values changed during the rotation; trying again"
        );
    }
    anyhow::bail!("sealed values kept changing during the rotation: nothing changed; try again")
}
