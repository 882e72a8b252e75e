//! Cryptography: the master key and what is derived from it, sealing secrets at rest,
//! keyed hashes of tokens, Argon2id hashing, and EdDSA access tokens.

/// Argon2id hashing of passwords (and, peppered, of recovery codes) off the async runtime.
pub mod argon;
/// EdDSA-signed JWT access tokens and the JWKS.
pub mod jwt;
/// The master key and the keys derived from it.
pub mod keys;
/// The RSA key of OpenID Connect ID tokens (RS256).
pub mod rsa_key;
/// Authenticated encryption of secrets at rest.
pub mod seal;
/// Random opaque tokens and their keyed (HMAC-SHA256) hashes.
pub mod token;
