//! The codes a user types: normalization, [`TotpCode`], [`RecoveryCode`], and [`MfaCode`]
//! (either of them), plus generation of recovery codes and TOTP secrets.

use rand::Rng;
use zeroize::Zeroizing;

/// Characters of a recovery code.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
/// Length of a recovery code.
pub const RECOVERY_LEN: usize = 8;
/// Recovery codes in a batch.
pub const RECOVERY_BATCH: usize = 10;
/// Bytes of a TOTP secret (160 bits, RFC 4226's recommendation).
pub const SECRET_BYTES: usize = 20;

/// Removes surrounding and inner whitespace and hyphens ("123 456", "abcd-efgh").
pub fn normalize(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

/// A 6-digit TOTP code.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpCode(String);

impl TotpCode {
    /// Normalizes and checks that exactly 6 ASCII digits remain.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let code = normalize(raw);
        if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(code))
        } else {
            Err("must be a 6-digit code")
        }
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for TotpCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpCode(***)")
    }
}

/// A recovery code as typed: lower-cased, 6 to 12 characters of `[a-z0-9]`.
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryCode(Zeroizing<String>);

impl RecoveryCode {
    /// Normalizes (and lower-cases) `raw`, then checks length and alphabet.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let code = normalize(raw).to_lowercase();
        if !(6..=12).contains(&code.len()) {
            return Err("must be 6 to 12 characters");
        }
        if !code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            return Err("must contain only letters and digits");
        }
        Ok(Self(Zeroizing::new(code)))
    }

    /// The normalized code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCode(***)")
    }
}

/// What `verify-mfa` and `disable` accept: 6 digits are a TOTP code, anything else of the
/// recovery shape is a recovery code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MfaCode {
    Totp(TotpCode),
    Recovery(RecoveryCode),
}

impl MfaCode {
    /// `totp` or `recovery` (the metrics' `method` label).
    pub fn method(&self) -> &'static str {
        match self {
            Self::Totp(_) => "totp",
            Self::Recovery(_) => "recovery",
        }
    }

    /// Parses either kind (length rules apply to the normalized code: 6 to 12).
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        match TotpCode::parse(raw) {
            Ok(totp) => Ok(Self::Totp(totp)),
            Err(_) => RecoveryCode::parse(raw).map(Self::Recovery).map_err(|_| {
                "must be a 6-digit code or a recovery code (6 to 12 letters and digits)"
            }),
        }
    }
}

/// A fresh batch of recovery codes, uniformly drawn from the OS random number generator
/// (8 characters of 36: about 41 bits each).
pub fn generate_recovery_codes() -> Vec<Zeroizing<String>> {
    let mut rng = rand::rngs::OsRng;
    (0..RECOVERY_BATCH)
        .map(|_| {
            Zeroizing::new(
                (0..RECOVERY_LEN)
                    .map(|_| RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())] as char)
                    .collect(),
            )
        })
        .collect()
}

/// A fresh 160-bit TOTP secret.
pub fn generate_secret() -> Zeroizing<Vec<u8>> {
    let mut secret = Zeroizing::new(vec![0u8; SECRET_BYTES]);
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, secret.as_mut_slice());
    secret
}

/// Base32 without padding, as authenticator apps expect.
pub fn secret_to_base32(secret: &[u8]) -> Zeroizing<String> {
    Zeroizing::new(data_encoding::BASE32_NOPAD.encode(secret))
}

/// Parses a Base32 secret as a user might paste it (any case, spaces, padding).
pub fn secret_from_base32(text: &str) -> Option<Zeroizing<Vec<u8>>> {
    let cleaned: String = normalize(text).trim_end_matches('=').to_uppercase();
    data_encoding::BASE32_NOPAD
        .decode(cleaned.as_bytes())
        .ok()
        .map(Zeroizing::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totp_code_normalization() {
        assert_eq!(TotpCode::parse(" 123 456 ").unwrap().as_str(), "123456");
        assert_eq!(TotpCode::parse("123-456").unwrap().as_str(), "123456");
        for bad in ["12345", "1234567", "12a456", "", "１２３４５６"] {
            assert!(TotpCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn recovery_code_normalization() {
        assert_eq!(
            RecoveryCode::parse(" ABCD-efgh ").unwrap().as_str(),
            "abcdefgh"
        );
        assert!(RecoveryCode::parse("abc12").is_err());
        assert!(RecoveryCode::parse("abcdefghijklm").is_err());
        assert!(RecoveryCode::parse("abcd_efg").is_err());
    }

    #[test]
    fn mfa_code_picks_the_kind() {
        assert!(matches!(MfaCode::parse("123456"), Ok(MfaCode::Totp(_))));
        assert!(matches!(
            MfaCode::parse("abcd1234"),
            Ok(MfaCode::Recovery(_))
        ));
        assert!(matches!(
            MfaCode::parse("1234567"),
            Ok(MfaCode::Recovery(_))
        ));
        assert!(MfaCode::parse("12345").is_err());
        assert!(MfaCode::parse("!!!!!!!!").is_err());
    }

    #[test]
    fn recovery_batch_shape() {
        let codes = generate_recovery_codes();
        assert_eq!(codes.len(), 10);
        for c in &codes {
            assert_eq!(c.len(), 8);
            assert!(c.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)));
        }
        let unique: std::collections::HashSet<_> =
            codes.iter().map(|c| c.as_str().to_owned()).collect();
        assert_eq!(unique.len(), 10);
    }

    #[test]
    fn secrets_round_trip_through_base32() {
        let secret = generate_secret();
        assert_eq!(secret.len(), 20);
        let b32 = secret_to_base32(&secret);
        assert_eq!(b32.len(), 32);
        assert!(!b32.contains('='));
        assert_eq!(*secret_from_base32(&b32.to_lowercase()).unwrap(), *secret);
        assert!(secret_from_base32("not base32!").is_none());
    }

    #[test]
    fn debug_redacts_codes() {
        assert!(!format!("{:?}", MfaCode::parse("abcd1234").unwrap()).contains("abcd"));
        assert!(!format!("{:?}", TotpCode::parse("123456").unwrap()).contains("123"));
    }
}
