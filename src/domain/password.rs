//! [`Password`]: a candidate password within the contract's length rules.

use secrecy::{ExposeSecret, SecretString};

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
        Ok(Self(SecretString::from(raw)))
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
    fn debug_does_not_reveal_the_password() {
        let p = Password::parse("correct horse battery").unwrap();
        assert!(!format!("{p:?}").contains("horse"));
    }
}
