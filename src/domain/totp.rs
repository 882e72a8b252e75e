//! RFC 6238 TOTP over RFC 4226 HOTP: HMAC-SHA1/SHA256/SHA512, 6 or 8 digits, any period,
//! and verification over a window of steps with constant-time comparison.

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use subtle::ConstantTimeEq;

/// The HMAC hash function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Sha1,
    Sha256,
    Sha512,
}

/// The parameters of a TOTP credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TotpParams {
    pub algorithm: Algorithm,
    /// 6 or 8.
    pub digits: u32,
    /// Seconds per step.
    pub period: u64,
}

impl TotpParams {
    /// What twofold uses and authenticator apps expect: SHA1, 6 digits, 30 s.
    pub const DEFAULT: Self = Self {
        algorithm: Algorithm::Sha1,
        digits: 6,
        period: 30,
    };

    /// The time step containing Unix time `t`.
    pub fn step_at(&self, t: i64) -> u64 {
        (t.max(0) as u64) / self.period
    }
}

/// RFC 4226 dynamic truncation of an HMAC digest, then modulo 10^digits.
fn truncate(digest: &[u8], digits: u32) -> u32 {
    let offset = (digest[digest.len() - 1] & 0x0f) as usize;
    let binary = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    binary % 10u32.pow(digits)
}

/// HOTP values of consecutive counters, keying the HMAC once.
fn hotp_range<M: Mac + KeyInit + Clone>(
    secret: &[u8],
    counters: std::ops::RangeInclusive<u64>,
    digits: u32,
    mut each: impl FnMut(u64, u32),
) {
    let keyed = <M as KeyInit>::new_from_slice(secret).expect("HMAC accepts any key length");
    for counter in counters {
        let mut mac = keyed.clone();
        mac.update(&counter.to_be_bytes());
        each(counter, truncate(&mac.finalize().into_bytes(), digits));
    }
}

fn with_algorithm(
    algorithm: Algorithm,
    secret: &[u8],
    counters: std::ops::RangeInclusive<u64>,
    digits: u32,
    each: impl FnMut(u64, u32),
) {
    match algorithm {
        Algorithm::Sha1 => hotp_range::<Hmac<sha1::Sha1>>(secret, counters, digits, each),
        Algorithm::Sha256 => hotp_range::<Hmac<sha2::Sha256>>(secret, counters, digits, each),
        Algorithm::Sha512 => hotp_range::<Hmac<sha2::Sha512>>(secret, counters, digits, each),
    }
}

/// RFC 4226 HOTP value of `counter`.
pub fn hotp(secret: &[u8], counter: u64, algorithm: Algorithm, digits: u32) -> u32 {
    let mut value = 0;
    with_algorithm(algorithm, secret, counter..=counter, digits, |_, v| {
        value = v
    });
    value
}

/// The code of time step `step`, zero-padded to `digits`.
pub fn code_at_step(secret: &[u8], step: u64, params: TotpParams) -> String {
    format!(
        "{:0width$}",
        hotp(secret, step, params.algorithm, params.digits),
        width = params.digits as usize
    )
}

/// The code for Unix time `t`.
pub fn generate(secret: &[u8], t: i64, params: TotpParams) -> String {
    code_at_step(secret, params.step_at(t), params)
}

/// The highest step within `window` steps of `now` whose code equals `code`. Every step
/// of the window is computed and compared in constant time, so the time taken does not
/// reveal which step (if any) matched.
pub fn matching_step(
    secret: &[u8],
    code: &str,
    now: i64,
    params: TotpParams,
    window: u64,
) -> Option<u64> {
    if code.len() != params.digits as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let wanted: u32 = code.parse().ok()?;
    let current = params.step_at(now);
    let mut found = None;
    with_algorithm(
        params.algorithm,
        secret,
        current.saturating_sub(window)..=current + window,
        params.digits,
        |step, value| {
            if bool::from(value.ct_eq(&wanted)) {
                found = Some(step);
            }
        },
    );
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SEED20: &[u8] = b"12345678901234567890";
    const SEED32: &[u8] = b"12345678901234567890123456789012";
    const SEED64: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

    #[test]
    fn rfc4226_appendix_d() {
        let expected = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (counter, want) in expected.iter().enumerate() {
            assert_eq!(
                hotp(SEED20, counter as u64, Algorithm::Sha1, 6),
                *want,
                "counter {counter}"
            );
        }
    }

    #[test]
    fn rfc6238_appendix_b() {
        let vectors: [(i64, &str, &str, &str); 6] = [
            (59, "94287082", "46119246", "90693936"),
            (1111111109, "07081804", "68084774", "25091201"),
            (1111111111, "14050471", "67062674", "99943326"),
            (1234567890, "89005924", "91819424", "93441116"),
            (2000000000, "69279037", "90698825", "38618901"),
            (20000000000, "65353130", "77737706", "47863826"),
        ];
        for (t, sha1, sha256, sha512) in vectors {
            let p = |algorithm| TotpParams {
                algorithm,
                digits: 8,
                period: 30,
            };
            assert_eq!(generate(SEED20, t, p(Algorithm::Sha1)), sha1, "SHA1 at {t}");
            assert_eq!(
                generate(SEED32, t, p(Algorithm::Sha256)),
                sha256,
                "SHA256 at {t}"
            );
            assert_eq!(
                generate(SEED64, t, p(Algorithm::Sha512)),
                sha512,
                "SHA512 at {t}"
            );
        }
    }

    #[test]
    fn six_digit_codes_are_zero_padded() {
        // 1111111109 with SHA1 gives 07081804; its last six digits are 081804.
        assert_eq!(generate(SEED20, 1111111109, TotpParams::DEFAULT), "081804");
    }

    #[test]
    fn window_accepts_adjacent_steps_only() {
        let p = TotpParams::DEFAULT;
        let now = 1_700_000_000;
        let step = p.step_at(now);
        for delta in [-1i64, 0, 1] {
            let code = code_at_step(SEED20, (step as i64 + delta) as u64, p);
            assert_eq!(
                matching_step(SEED20, &code, now, p, 1),
                Some((step as i64 + delta) as u64)
            );
        }
        for delta in [-2i64, 2] {
            let code = code_at_step(SEED20, (step as i64 + delta) as u64, p);
            let m = matching_step(SEED20, &code, now, p, 1);
            // A different step in the window could collide by chance; it must not be this one.
            assert_ne!(m, Some((step as i64 + delta) as u64));
        }
    }

    #[test]
    fn wrong_length_never_matches() {
        let code = generate(SEED20, 1000, TotpParams::DEFAULT);
        assert_eq!(
            matching_step(SEED20, &code[..5], 1000, TotpParams::DEFAULT, 1),
            None
        );
        assert_eq!(
            matching_step(SEED20, &format!("{code}0"), 1000, TotpParams::DEFAULT, 1),
            None
        );
    }

    proptest! {
        #[test]
        fn generate_and_verify_agree(secret in proptest::collection::vec(any::<u8>(), 10..64), t in 30i64..4_000_000_000) {
            let p = TotpParams::DEFAULT;
            let code = generate(&secret, t, p);
            prop_assert_eq!(code.len(), 6);
            let step = p.step_at(t);
            let m = matching_step(&secret, &code, t, p, 1);
            // The highest matching step wins; only a chance collision with step + 1 beats `step`.
            prop_assert!(m == Some(step) || (m == Some(step + 1) && code_at_step(&secret, step + 1, p) == code));
            prop_assert!(matching_step(&secret, &code, t + 30, p, 1).is_some());
            prop_assert!(matching_step(&secret, &code, t - 30, p, 1).is_some());
        }
    }
}
