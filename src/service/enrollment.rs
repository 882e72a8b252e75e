//! The pending enrollment of an authenticator app and its sealed secret: sealing a new
//! secret under the newest master key, opening a stored one, what an enrollment shows
//! (base32, Key Uri, QR code), and the audit event of a factor added. A leaf shared by
//! the first enrollment (mfa), further factors (factors, passkeys) and the proof of a
//! code (proof), so none of them imports another for it.

use serde_json::json;
use zeroize::Zeroizing;

use super::error::{Error, Result};
use super::{AppState, RequestMeta};
use crate::crypto::seal::totp_aad;
use crate::domain::audit::AuditKind;
use crate::domain::codes;
use crate::domain::otpauth;
use crate::store::{AuditEvent, Enrollment, TotpRecord};

/// What `setup` returns.
pub struct Setup {
    pub secret: Zeroizing<String>,
    pub otpauth_uri: Zeroizing<String>,
    pub qr_code: String,
    pub expires_in: i64,
}

/// Opens a stored TOTP secret (catching up with a rotated master key when its row names
/// a newer one).
pub(super) async fn open_secret(
    state: &AppState,
    record: &TotpRecord,
) -> Result<Zeroizing<Vec<u8>>> {
    let sealers = &state.keys.sealer;
    if record.key_id > sealers.current().key_id() {
        // `keys rotate-master` ran: catch up when the key file was rotated too.
        super::keys::catch_up_master(state).await;
    }
    let Some(sealer) = sealers.for_key(record.key_id) else {
        tracing::error!(
            row_key_id = record.key_id,
            our_key_id = sealers.current().key_id(),
            "a secret is sealed under another master key: restart with the new master key"
        );
        return Err(Error::Unavailable);
    };
    sealer
        .open(
            record.key_id,
            &record.sealed_secret,
            totp_aad(&record.user_id).as_bytes(),
        )
        .map_err(|e| Error::Internal(e.into()))
}

/// A new pending TOTP enrollment of `secret` (sealed under the newest master key, else
/// 503), with the id its factor will have.
pub(super) async fn pending_record(
    state: &AppState,
    user_id: &str,
    secret: &[u8],
    device_name: Option<String>,
) -> Result<TotpRecord> {
    let now = state.now();
    let sealer = super::keys::sealer_for_new_values(state).await?;
    Ok(TotpRecord {
        factor_id: uuid::Uuid::new_v4().to_string(),
        user_id: user_id.to_owned(),
        key_id: sealer.key_id(),
        sealed_secret: sealer.seal(secret, totp_aad(user_id).as_bytes()),
        device_name,
        created_at: now,
        expires_at: now + state.settings.mfa_setup_ttl,
    })
}

/// Stores `pending` (the sealed `secret`) as the user's pending enrollment of kind
/// `enrollment`, with `audit`. When the store refuses it because a master-key rotation
/// committed since it was sealed, it is sealed again once under the newest key (503 when
/// this instance cannot). `false`: refused for the user's factors (the caller says why).
pub(super) async fn store_pending(
    state: &AppState,
    mut pending: TotpRecord,
    secret: &[u8],
    enrollment: Enrollment,
    audit: &AuditEvent,
) -> Result<bool> {
    if state
        .store
        .put_pending_totp(&pending, enrollment, audit)
        .await?
    {
        return Ok(true);
    }
    let newest = super::keys::sealer_for_new_values(state).await?;
    if newest.key_id() == pending.key_id {
        return Ok(false);
    }
    pending.key_id = newest.key_id();
    pending.sealed_secret = newest.seal(secret, totp_aad(&pending.user_id).as_bytes());
    Ok(state
        .store
        .put_pending_totp(&pending, enrollment, audit)
        .await?)
}

/// What an enrollment shows of `secret`: base32, the Key Uri and its QR code.
pub(super) fn present(
    state: &AppState,
    email: &str,
    secret: &[u8],
    expires_in: i64,
) -> Result<Setup> {
    let secret_b32 = codes::secret_to_base32(secret);
    let otpauth_uri = otpauth::otpauth_uri(&state.settings.issuer, email, &secret_b32);
    let qr_code = otpauth::qr_svg_data_uri(&otpauth_uri)
        .map_err(|e| Error::Internal(anyhow::anyhow!("QR encoding failed: {e}")))?;
    Ok(Setup {
        secret: secret_b32,
        otpauth_uri,
        qr_code,
        expires_in,
    })
}

/// `auth.mfa.factor.added` (and its webhook).
pub(super) fn added_event(
    state: &AppState,
    meta: &RequestMeta,
    user_id: &str,
    factor_id: &str,
    kind: &str,
) -> AuditEvent {
    state.event(
        AuditKind::MfaFactorAdded,
        Some(user_id),
        meta,
        json!({ "factorId": factor_id, "type": kind }),
    )
}
