//! [`Sealer`]: AES-256-GCM encryption of secrets at rest. A sealed value is
//! `nonce (12 bytes) || ciphertext+tag`; the caller binds it to its owner with associated
//! data (for example the user id), so a sealed value copied to another row does not open.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use rand::RngCore;
use zeroize::Zeroizing;

const NONCE_LEN: usize = 12;

/// The key id of a database's first master key (every value sealed before key rotation
/// existed carries it).
pub const FIRST_KEY_ID: i64 = 1;

/// Seals and opens secrets with the key derived from one master key; the key's id is
/// stored beside every sealed value, so that `keys rotate-master` can re-seal each row.
#[derive(Clone)]
pub struct Sealer {
    cipher: Aes256Gcm,
    key_id: i64,
}

/// Opening failed: wrong key, wrong associated data, or tampered bytes.
#[derive(Debug, thiserror::Error)]
#[error("a sealed secret could not be opened")]
pub struct OpenError;

/// The associated data a user's TOTP secret is sealed with: a sealed secret moved to
/// another user's row does not open.
pub fn totp_aad(user_id: &str) -> String {
    format!("totp:{user_id}")
}

impl Sealer {
    /// A sealer under `key`, whose id is `key_id`.
    pub fn new(key: &[u8; 32], key_id: i64) -> Self {
        Self {
            cipher: Aes256Gcm::new(key.into()),
            key_id,
        }
    }

    /// The id of this sealer's key, to store beside what it seals.
    pub fn key_id(&self) -> i64 {
        self.key_id
    }

    /// Encrypts `plaintext` bound to `aad`, under a fresh random nonce.
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let ciphertext = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .expect("AES-GCM encryption of a small buffer cannot fail");
        let mut out = Vec::with_capacity(NONCE_LEN + ciphertext.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ciphertext);
        out
    }

    /// Decrypts a value made by [`Sealer::seal`] with the same `aad`.
    pub fn open(
        &self,
        key_id: i64,
        sealed: &[u8],
        aad: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, OpenError> {
        if key_id != self.key_id || sealed.len() < NONCE_LEN {
            return Err(OpenError);
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        self.cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad,
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| OpenError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_binding() {
        let sealer = Sealer::new(&[7u8; 32], FIRST_KEY_ID);
        let sealed = sealer.seal(b"top secret", b"user-1");
        assert!(!sealed.windows(10).any(|w| w == b"top secret"));
        assert_eq!(
            &**sealer.open(FIRST_KEY_ID, &sealed, b"user-1").unwrap(),
            b"top secret"
        );
        assert!(sealer.open(FIRST_KEY_ID, &sealed, b"user-2").is_err());
        assert!(sealer.open(2, &sealed, b"user-1").is_err());
        assert!(Sealer::new(&[8u8; 32], FIRST_KEY_ID)
            .open(FIRST_KEY_ID, &sealed, b"user-1")
            .is_err());
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(sealer.open(FIRST_KEY_ID, &tampered, b"user-1").is_err());
    }

    #[test]
    fn nonces_differ() {
        let sealer = Sealer::new(&[7u8; 32], FIRST_KEY_ID);
        assert_ne!(sealer.seal(b"x", b""), sealer.seal(b"x", b""));
    }
}
