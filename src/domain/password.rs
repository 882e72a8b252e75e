//! [`Password`]: a candidate password within the contract's length rules, normalized to
//! Unicode NFKC before anything else (NIST SP 800-63B 5.1.1.2), so that the same password
//! typed on two keyboards (composed or decomposed accents, full-width forms) is one.

use secrecy::{ExposeSecret, SecretString};
use unicode_normalization::UnicodeNormalization;

/// Fewest characters a new password may have (NIST SP 800-63B 5.1.1.2).
pub const MIN_CHARS: usize = 8;
/// Most characters a password may have; bounds the hashing work per request.
pub const MAX_CHARS: usize = 128;

/// A password of 8 to 128 characters (Unicode scalar values). Its `Debug` is redacted.
#[derive(Debug)]
pub struct Password(SecretString);

impl Password {
    /// Checks the length rules of a new password. Passwords are not trimmed or
    /// otherwise altered: every character the user typed counts.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let raw: String = raw.nfkc().collect();
        let chars = raw.chars().count();
        if chars < MIN_CHARS {
            return Err("must be at least 8 characters");
        }
        if chars > MAX_CHARS {
            return Err("must be at most 128 characters");
        }
        Ok(Self(SecretString::from(raw)))
    }

    /// Wraps a password presented at login without the length rules, only bounded so that
    /// a huge body cannot make hashing expensive. (An over-long one can never match.)
    pub fn for_login(raw: &str) -> Result<Self, &'static str> {
        if raw.is_empty() {
            return Err("must not be empty");
        }
        if raw.chars().count() > MAX_CHARS {
            return Err("must be at most 128 characters");
        }
        Ok(Self(SecretString::from(raw.nfkc().collect::<String>())))
    }

    /// The password's bytes, for hashing.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_bounds_are_inclusive() {
        assert!(Password::parse(&"a".repeat(7)).is_err());
        assert!(Password::parse(&"a".repeat(8)).is_ok());
        assert!(Password::parse(&"a".repeat(128)).is_ok());
        assert!(Password::parse(&"a".repeat(129)).is_err());
    }

    #[test]
    fn counts_characters_not_bytes() {
        // 8 characters, 16 bytes.
        assert!(Password::parse("éééééééé").is_ok());
        // 128 characters but 256 bytes: still fine.
        assert!(Password::parse(&"é".repeat(128)).is_ok());
    }

    #[test]
    fn the_same_password_typed_two_ways_is_one() {
        let composed = Password::parse("caf\u{e9} au lait").unwrap();
        let decomposed = Password::parse("cafe\u{301} au lait").unwrap();
        assert_eq!(composed.expose(), decomposed.expose());
        let full_width = Password::for_login("\u{ff50}assword1").unwrap();
        assert_eq!(full_width.expose(), "password1");
    }

    #[test]
    fn debug_does_not_reveal_the_password() {
        let p = Password::parse("correct horse battery").unwrap();
        assert!(!format!("{p:?}").contains("horse"));
    }
}
