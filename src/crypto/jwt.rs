//! Access tokens: JWTs signed with Ed25519 (`alg: EdDSA`), the `kid` in the header being
//! the key's RFC 7638 thumbprint. [`KeyRing`] signs with the newest key and verifies with
//! any key it holds; [`KeyRing::jwks`] is what `/.well-known/jwks.json` serves. The ring
//! also holds the RSA keys of OpenID Connect: [`KeyRing::sign_as`] signs an ID, access or
//! logout token with either algorithm and [`KeyRing::verify_as`] checks one.

use std::collections::HashMap;
use std::sync::Mutex;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::SigningKey;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::rsa_key::RsaKey;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// Issuer (setting `issuer`).
    pub iss: String,
    /// Audience (setting `audience`, default the issuer).
    pub aud: String,
    /// User id.
    pub sub: String,
    /// Session id.
    pub sid: String,
    /// Issued at, Unix seconds.
    pub iat: i64,
    /// Expiry, Unix seconds.
    pub exp: i64,
    /// Unique token id.
    pub jti: String,
    /// Authentication methods (RFC 8176, plus `rcv`).
    pub amr: Vec<String>,
    /// When the session last proved who the person is (login or step-up), Unix seconds
    /// (OpenID Connect `auth_time`); 0 in tokens issued before step-up existed.
    #[serde(default)]
    pub auth_time: i64,
    /// Roles granted by an operator (`admin`); absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// Whether the account's email address is proven (EMAIL.md; false in tokens issued
    /// before addresses were verified).
    #[serde(default)]
    pub email_verified: bool,
}

/// One Ed25519 key pair, ready to sign and verify.
struct Key {
    kid: String,
    x: String,
    /// The expanded private key: signing needs no parsing or point multiplication.
    signing: SigningKey,
    /// The encoded JOSE header `{"alg":"EdDSA","kid":...,"typ":"JWT"}`, made once.
    header_b64: String,
    decoding: DecodingKey,
}

/// The signing keys of this deployment, newest first.
pub struct KeyRing {
    keys: Vec<Key>,
    /// RSA keys (OpenID Connect's RS256), newest first.
    rsa: Vec<RsaKey>,
    issuer: String,
    audience: String,
    /// Tokens whose signature, algorithm and issuer were verified, by their exact text.
    /// A signature never stops being valid, so a hit skips the Ed25519 verification;
    /// expiry is still checked on every use (and revocation by the caller).
    verified: Mutex<HashMap<String, Claims>>,
}

/// Most verified tokens remembered; the cache is emptied when it is full.
const VERIFIED_CAPACITY: usize = 4096;

/// Why a token was refused. Deliberately coarse: the client only learns "401".
#[derive(Debug, thiserror::Error)]
#[error("invalid access token")]
pub struct InvalidToken;

/// A fresh Ed25519 private key seed from the OS random number generator.
pub fn generate_seed() -> Zeroizing<[u8; 32]> {
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    Zeroizing::new(key.to_bytes())
}

/// The RFC 7638 thumbprint of the public key of `seed`, used as its `kid`.
pub fn kid_of(seed: &[u8; 32]) -> String {
    thumbprint(&public_x(seed))
}

fn public_x(seed: &[u8; 32]) -> String {
    URL_SAFE_NO_PAD.encode(SigningKey::from_bytes(seed).verifying_key().as_bytes())
}

fn thumbprint(x: &str) -> String {
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

impl KeyRing {
    /// A key ring from private key seeds, newest first (the first one signs).
    pub fn new(seeds: &[Zeroizing<[u8; 32]>], issuer: &str) -> anyhow::Result<Self> {
        anyhow::ensure!(!seeds.is_empty(), "no signing key");
        let keys = seeds
            .iter()
            .map(|seed| {
                let x = public_x(seed);
                let kid = thumbprint(&x);
                let header = serde_json::json!({ "alg": "EdDSA", "kid": kid, "typ": "JWT" });
                Ok(Key {
                    header_b64: URL_SAFE_NO_PAD.encode(header.to_string()),
                    signing: SigningKey::from_bytes(seed),
                    decoding: DecodingKey::from_ed_components(&x)?,
                    kid,
                    x,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Self {
            keys,
            rsa: Vec::new(),
            issuer: issuer.to_owned(),
            audience: issuer.to_owned(),
            verified: Mutex::new(HashMap::new()),
        })
    }

    /// Adds the RSA keys (newest first; the first signs RS256 tokens).
    pub fn with_rsa(mut self, rsa: Vec<RsaKey>) -> Self {
        self.rsa = rsa;
        self
    }

    /// Signs `claims` as a JWT of type `typ` (`JWT`, `at+jwt`, `logout+jwt`) with the
    /// current key of `alg`.
    pub fn sign_as(
        &self,
        alg: JwsAlg,
        typ: &str,
        claims: &impl Serialize,
    ) -> anyhow::Result<String> {
        match alg {
            JwsAlg::EdDSA => {
                let key = &self.keys[0];
                let header = serde_json::json!({ "alg": "EdDSA", "kid": key.kid, "typ": typ });
                let header_b64 = URL_SAFE_NO_PAD.encode(header.to_string());
                eddsa_jws(key, header_b64, claims)
            }
            JwsAlg::RS256 => {
                let key = self
                    .rsa
                    .first()
                    .ok_or_else(|| anyhow::anyhow!("no RSA signing key"))?;
                let mut header = jsonwebtoken::Header::new(Algorithm::RS256);
                header.kid = Some(key.kid.clone());
                header.typ = Some(typ.to_owned());
                Ok(jsonwebtoken::encode(&header, claims, &key.encoding)?)
            }
        }
    }

    /// Checks the signature (EdDSA or RS256, by a key of this ring), the issuer `iss` and,
    /// when given, the header's `typ` of a token this ring signed with [`Self::sign_as`];
    /// the caller checks expiry and audience against its own rules.
    pub fn verify_as<T: DeserializeOwned>(
        &self,
        token: &str,
        typ: Option<&str>,
        iss: &str,
    ) -> Result<T, InvalidToken> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| InvalidToken)?;
        if typ.is_some_and(|typ| header.typ.as_deref() != Some(typ)) {
            return Err(InvalidToken);
        }
        let kid = header.kid.ok_or(InvalidToken)?;
        let decoding = match header.alg {
            Algorithm::EdDSA => self.keys.iter().find(|k| k.kid == kid).map(|k| &k.decoding),
            Algorithm::RS256 => self.rsa.iter().find(|k| k.kid == kid).map(|k| &k.decoding),
            _ => None,
        }
        .ok_or(InvalidToken)?;
        let mut validation = Validation::new(header.alg);
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        validation.set_issuer(&[iss]);
        jsonwebtoken::decode::<T>(token, decoding, &validation)
            .map(|data| data.claims)
            .map_err(|_| InvalidToken)
    }

    /// Requires and issues `audience` as `aud` instead of the issuer.
    pub fn with_audience(mut self, audience: &str) -> Self {
        self.audience = audience.to_owned();
        self
    }

    /// The audience put in and required of every token.
    pub fn audience(&self) -> &str {
        &self.audience
    }

    /// The issuer put in and required of every token.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Signs `claims` with the current key.
    /// (JWS compact serialization, RFC 7515: the Ed25519 signature of
    /// `header.payload`; verification, which must be strict, stays with jsonwebtoken.)
    pub fn sign(&self, claims: &Claims) -> anyhow::Result<String> {
        let key = &self.keys[0];
        eddsa_jws(key, key.header_b64.clone(), claims)
    }

    /// Checks signature, algorithm, issuer (once per token text) and expiry (against
    /// `now`, our clock, every time).
    pub fn verify(&self, token: &str, now: i64) -> Result<Claims, InvalidToken> {
        let cached = self
            .verified
            .lock()
            .ok()
            .and_then(|cache| cache.get(token).cloned());
        let claims = match cached {
            Some(claims) => claims,
            None => {
                let claims = self.verify_signature(token)?;
                if let Ok(mut cache) = self.verified.lock() {
                    if cache.len() >= VERIFIED_CAPACITY {
                        cache.clear();
                    }
                    cache.insert(token.to_owned(), claims.clone());
                }
                claims
            }
        };
        if claims.exp <= now {
            return Err(InvalidToken);
        }
        Ok(claims)
    }

    fn verify_signature(&self, token: &str) -> Result<Claims, InvalidToken> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| InvalidToken)?;
        if header.alg != Algorithm::EdDSA {
            return Err(InvalidToken);
        }
        let kid = header.kid.ok_or(InvalidToken)?;
        let key = self
            .keys
            .iter()
            .find(|k| k.kid == kid)
            .ok_or(InvalidToken)?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        // Expiry is checked below against the application clock, not the OS clock.
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        jsonwebtoken::decode::<Claims>(token, &key.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|_| InvalidToken)
    }

    /// Whether the `kid` in the header of `token` is one of this ring's keys (a token
    /// whose header does not parse counts as known: reloading would not help it).
    pub fn knows_kid_of(&self, token: &str) -> bool {
        match jsonwebtoken::decode_header(token) {
            Ok(header) => header.kid.is_none_or(|kid| {
                self.keys.iter().any(|k| k.kid == kid) || self.rsa.iter().any(|k| k.kid == kid)
            }),
            Err(_) => true,
        }
    }

    /// The `kid` of the signing key.
    pub fn current_kid(&self) -> &str {
        &self.keys[0].kid
    }

    /// The public keys as a JSON Web Key Set.
    pub fn jwks(&self) -> serde_json::Value {
        let ed = self.keys.iter().map(|k| {
            serde_json::json!({
                "kty": "OKP", "crv": "Ed25519", "x": k.x, "kid": k.kid,
                "use": "sig", "alg": "EdDSA",
            })
        });
        let rsa = self.rsa.iter().map(|k| {
            serde_json::json!({
                "kty": "RSA", "n": k.n, "e": k.e, "kid": k.kid, "use": "sig", "alg": "RS256",
            })
        });
        let keys: Vec<_> = ed.chain(rsa).collect();
        serde_json::json!({ "keys": keys })
    }
}

/// The algorithms an OpenID Connect token may be signed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwsAlg {
    RS256,
    EdDSA,
}

impl JwsAlg {
    /// `RS256` or `EdDSA`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "RS256" => Some(Self::RS256),
            "EdDSA" => Some(Self::EdDSA),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::RS256 => "RS256",
            Self::EdDSA => "EdDSA",
        }
    }
}

/// JWS compact serialization (RFC 7515) of `claims` under the encoded `header_b64`: the
/// Ed25519 signature of `header.payload` (verification, which must be strict, stays with
/// jsonwebtoken).
fn eddsa_jws(key: &Key, header_b64: String, claims: &impl Serialize) -> anyhow::Result<String> {
    use ed25519_dalek::Signer;
    let mut token = header_b64;
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(serde_json::to_vec(claims)?, &mut token);
    let signature = key.signing.sign(token.as_bytes());
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(signature.to_bytes(), &mut token);
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{EncodingKey, Header};

    fn claims(exp: i64) -> Claims {
        Claims {
            iss: "twofold".into(),
            aud: "twofold".into(),
            sub: "u1".into(),
            sid: "s1".into(),
            iat: 100,
            exp,
            jti: "j1".into(),
            auth_time: 0,
            amr: vec!["pwd".into()],
            roles: Vec::new(),
            email_verified: false,
        }
    }

    #[test]
    fn sign_then_verify() {
        let ring = KeyRing::new(&[generate_seed()], "twofold").unwrap();
        let token = ring.sign(&claims(1000)).unwrap();
        assert_eq!(ring.verify(&token, 999).unwrap(), claims(1000));
        assert!(
            ring.verify(&token, 1000).is_err(),
            "expired, even when cached"
        );
        assert_eq!(
            ring.verify(&token, 999).unwrap(),
            claims(1000),
            "cached and still valid"
        );
        let header = jsonwebtoken::decode_header(&token).unwrap();
        assert_eq!(header.alg, Algorithm::EdDSA);
        assert_eq!(header.kid.as_deref(), Some(ring.keys[0].kid.as_str()));
    }

    #[test]
    fn refuses_other_keys_issuers_and_tampering() {
        let ring = KeyRing::new(&[generate_seed()], "twofold").unwrap();
        let other = KeyRing::new(&[generate_seed()], "twofold").unwrap();
        let token = other.sign(&claims(1000)).unwrap();
        assert!(ring.verify(&token, 0).is_err());
        let seed = generate_seed();
        let ring2 = KeyRing::new(std::slice::from_ref(&seed), "twofold").unwrap();
        let evil = Claims {
            iss: "evil".into(),
            ..claims(1000)
        };
        assert!(
            ring2.verify(&ring2.sign(&evil).unwrap(), 0).is_err(),
            "issuer checked"
        );
        let good = ring2.sign(&claims(1000)).unwrap();
        let mut parts: Vec<&str> = good.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(br#"{"iss":"twofold","sub":"admin","sid":"s1","iat":1,"exp":1000,"jti":"j","amr":["pwd"]}"#);
        parts[1] = &forged;
        assert!(ring2.verify(&parts.join("."), 0).is_err());
        assert!(ring2.verify("garbage", 0).is_err());
    }

    #[test]
    fn audience_is_required() {
        let seed = generate_seed();
        let ring = KeyRing::new(std::slice::from_ref(&seed), "twofold")
            .unwrap()
            .with_audience("app");
        let ours = Claims {
            aud: "app".into(),
            ..claims(1000)
        };
        assert!(ring.verify(&ring.sign(&ours).unwrap(), 0).is_ok());
        let theirs = Claims {
            aud: "other-app".into(),
            ..claims(1000)
        };
        assert!(ring.verify(&ring.sign(&theirs).unwrap(), 0).is_err());
    }

    #[test]
    fn refuses_alg_none_and_hs256() {
        let seed = generate_seed();
        let ring = KeyRing::new(std::slice::from_ref(&seed), "twofold").unwrap();
        let kid = kid_of(&seed);
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(kid);
        let x = ring.keys[0].x.clone();
        let hs = jsonwebtoken::encode(
            &header,
            &claims(1000),
            &EncodingKey::from_secret(x.as_bytes()),
        )
        .unwrap();
        assert!(ring.verify(&hs, 0).is_err());
    }

    #[test]
    fn jwks_lists_the_public_key() {
        let seed = generate_seed();
        let ring = KeyRing::new(std::slice::from_ref(&seed), "twofold").unwrap();
        let jwks = ring.jwks();
        assert_eq!(jwks["keys"][0]["kid"], kid_of(&seed));
        assert_eq!(jwks["keys"][0]["crv"], "Ed25519");
        assert!(jwks["keys"][0].get("d").is_none());
    }
}
