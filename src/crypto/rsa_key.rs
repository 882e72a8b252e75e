//! The RSA signing key of OpenID Connect (OIDC.md): ID tokens are signed with RS256 by
//! default, the one algorithm every relying party accepts. The `rsa` crate makes and
//! encodes the key; jsonwebtoken signs and verifies with it. Stored as PKCS#1 DER, sealed.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{DecodingKey, EncodingKey};
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// Size of a new key: what OIDC.md asks for and every relying party accepts (NIST SP
/// 800-57 holds it good through 2030; keys rotate long before).
pub const BITS: usize = 2048;

/// One RSA key pair, ready to sign and verify.
pub struct RsaKey {
    pub kid: String,
    /// Modulus and exponent, base64url (the JWK's `n` and `e`).
    pub n: String,
    pub e: String,
    pub encoding: EncodingKey,
    pub decoding: DecodingKey,
}

/// A fresh key as PKCS#1 DER.
pub fn generate_der() -> anyhow::Result<Zeroizing<Vec<u8>>> {
    let key = RsaPrivateKey::new(&mut rand::rngs::OsRng, BITS)?;
    Ok(Zeroizing::new(key.to_pkcs1_der()?.as_bytes().to_vec()))
}

impl RsaKey {
    /// The key of PKCS#1 DER `der`.
    pub fn from_der(der: &[u8]) -> anyhow::Result<Self> {
        let key = RsaPrivateKey::from_pkcs1_der(der)?;
        anyhow::ensure!(
            key.size() * 8 >= 2048,
            "an RSA signing key needs 2048 bits or more"
        );
        let n = URL_SAFE_NO_PAD.encode(key.n().to_bytes_be());
        let e = URL_SAFE_NO_PAD.encode(key.e().to_bytes_be());
        Ok(Self {
            kid: thumbprint(&n, &e),
            encoding: EncodingKey::from_rsa_der(der),
            decoding: DecodingKey::from_rsa_components(&n, &e)?,
            n,
            e,
        })
    }
}

/// The `kid` of PKCS#1 DER `der`.
pub fn kid_of(der: &[u8]) -> anyhow::Result<String> {
    Ok(RsaKey::from_der(der)?.kid)
}

/// RFC 7638 thumbprint of an RSA public key.
fn thumbprint(n: &str, e: &str) -> String {
    let canonical = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_round_trips_and_has_a_stable_thumbprint() {
        let der = generate_der().unwrap();
        let a = RsaKey::from_der(&der).unwrap();
        let b = RsaKey::from_der(&der).unwrap();
        assert_eq!(a.kid, b.kid);
        assert_eq!(a.e, "AQAB");
        assert_eq!(URL_SAFE_NO_PAD.decode(&a.n).unwrap().len() * 8, BITS);
    }
}
