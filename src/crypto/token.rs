//! Opaque tokens (refresh, MFA challenge): 256 random bits, URL-safe base64 without
//! padding (43 characters). Only their HMAC-SHA256 under a server key is stored.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

/// Length of an encoded token.
pub const TOKEN_LEN: usize = 43;

/// Makes tokens and computes their keyed hashes.
#[derive(Clone)]
pub struct TokenHasher {
    mac: Hmac<Sha256>,
}

impl TokenHasher {
    /// A hasher under `key`.
    pub fn new(key: &[u8; 32]) -> Self {
        Self {
            mac: Hmac::new_from_slice(key).expect("HMAC accepts any key length"),
        }
    }

    /// A fresh token from the OS random number generator.
    pub fn generate() -> String {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// Whether `token` has the shape of one of ours (a cheap check before any lookup).
    pub fn is_well_formed(token: &str) -> bool {
        token.len() == TOKEN_LEN
            && token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }

    /// HMAC-SHA256 of `token`, with a domain label so that a hash of one kind of token
    /// can never be mistaken for another kind.
    pub fn hash(&self, kind: &str, token: &str) -> Vec<u8> {
        let mut mac = self.mac.clone();
        mac.update(kind.as_bytes());
        mac.update(&[0]);
        mac.update(token.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_well_formed_and_unique() {
        let a = TokenHasher::generate();
        let b = TokenHasher::generate();
        assert_ne!(a, b);
        assert!(TokenHasher::is_well_formed(&a));
        assert!(!TokenHasher::is_well_formed("short"));
        assert!(!TokenHasher::is_well_formed(&"!".repeat(43)));
    }

    #[test]
    fn hash_is_keyed_and_labelled() {
        let t = TokenHasher::generate();
        let h1 = TokenHasher::new(&[1; 32]);
        let h2 = TokenHasher::new(&[2; 32]);
        assert_eq!(h1.hash("refresh", &t), h1.hash("refresh", &t));
        assert_ne!(h1.hash("refresh", &t), h2.hash("refresh", &t));
        assert_ne!(h1.hash("refresh", &t), h1.hash("challenge", &t));
    }
}
