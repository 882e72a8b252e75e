//! [`Email`]: a trimmed, Unicode-normalized (NFC), lower-cased, syntactically plausible
//! address whose domain is in its one ASCII form (IDNA UTS #46: `exämple.com` and
//! `xn--exmple-cua.com` are one domain). Invisible and bidi-control characters and
//! compatibility forms (full-width letters, ligatures) are refused, so that two accounts
//! can never have addresses that look the same.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

use super::text::is_hidden;

/// The longest address accepted (RFC 5321's path limit).
const MAX_LEN: usize = 254;

/// A normalized email address: compared case-insensitively by storing it lower-cased.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Trims and lower-cases `raw`, then checks its shape: one `@`, a non-empty local
    /// part of at most 64 characters, a domain with a dot and no empty labels, no spaces
    /// or control characters.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let raw = raw.trim();
        if raw.chars().any(is_hidden) {
            return Err("must not contain invisible or text-direction characters");
        }
        let email: String = raw.nfc().collect::<String>().to_lowercase().nfc().collect();
        if email.is_empty() {
            return Err("must not be empty");
        }
        if email.chars().count() > MAX_LEN {
            return Err("must be at most 254 characters");
        }
        if email.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"' | '\\')
        }) {
            return Err("must not contain spaces or special characters");
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err("must contain @");
        };
        if local.is_empty() || local.len() > 64 || domain.contains('@') {
            return Err("is not a valid email address");
        }
        if local.nfkc().ne(local.chars()) {
            return Err("must not contain full-width or other compatibility characters");
        }
        let domain = idna::domain_to_ascii(domain).map_err(|_| "has an invalid domain")?;
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2
            || labels
                .iter()
                .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
        {
            return Err("is not a valid email address");
        }
        let email = format!("{local}@{domain}");
        if email.len() > MAX_LEN {
            return Err("must be at most 254 characters");
        }
        Ok(Self(email))
    }

    /// The normalized address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({})", self.0)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_case_and_whitespace() {
        let e = Email::parse("  Alice.Smith@Example.COM ").unwrap();
        assert_eq!(e.as_str(), "alice.smith@example.com");
    }

    #[test]
    fn accepts_plus_and_subdomains() {
        assert!(Email::parse("a+tag@mail.example.co.uk").is_ok());
    }

    #[test]
    fn rejects_malformed_addresses() {
        for bad in [
            "",
            "   ",
            "plainaddress",
            "@example.com",
            "a@",
            "a@b",
            "a@@b.com",
            "a@b..com",
            "a b@c.com",
            "a@-b.com",
            "<a@b.com>",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn one_address_has_one_form() {
        let precomposed = Email::parse("us\u{e9}r@example.com").unwrap();
        let decomposed = Email::parse("use\u{301}r@example.com").unwrap();
        assert_eq!(precomposed, decomposed);
        let unicode = Email::parse("a@ex\u{e4}mple.com").unwrap();
        let punycode = Email::parse("a@xn--exmple-cua.com").unwrap();
        assert_eq!(unicode, punycode);
        assert_eq!(unicode.as_str(), "a@xn--exmple-cua.com");
        // Full-width letters in the domain map to their ASCII form.
        assert_eq!(
            Email::parse("a@\u{ff45}xample.com").unwrap().as_str(),
            "a@example.com"
        );
    }

    #[test]
    fn refuses_hidden_and_compatibility_characters() {
        for bad in [
            "a\u{200b}b@example.com",
            "\u{feff}ab@example.com",
            "ab\u{202e}@example.com",
            "a\u{e000}@example.com",
            "a\u{e0061}@example.com",
            "\u{ff41}b@example.com",
            "a@exa\u{200d}mple.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn rejects_overlong_addresses() {
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(Email::parse(&long).is_err());
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert!(Email::parse(&long_local).is_err());
    }
}
