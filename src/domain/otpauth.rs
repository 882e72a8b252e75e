//! The Key Uri Format (`otpauth://totp/...`) that authenticator apps read, and its QR code.

use zeroize::Zeroizing;

/// `otpauth://totp/ISSUER:EMAIL?secret=...&issuer=ISSUER&algorithm=SHA1&digits=6&period=30`
/// (Key Uri Format), label and issuer percent-encoded.
pub fn otpauth_uri(issuer: &str, email: &str, secret_b32: &str) -> Zeroizing<String> {
    let issuer = percent_encode(issuer);
    Zeroizing::new(format!(
        "otpauth://totp/{issuer}:{}?secret={secret_b32}&issuer={issuer}&algorithm=SHA1&digits=6&period=30",
        percent_encode(email)
    ))
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An authenticator's secret read from an `otpauth://totp/...` URI, for importing it.
pub struct ImportedTotp {
    pub secret: Zeroizing<Vec<u8>>,
    /// The account name of the label (after any `issuer:`), if there is one.
    pub account: Option<String>,
}

impl std::fmt::Debug for ImportedTotp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportedTotp")
            .field("account", &self.account)
            .finish_non_exhaustive()
    }
}

/// Parses an `otpauth://totp/` URI. Only what twofold verifies is accepted: SHA1, 6
/// digits, a 30 s period (the defaults when absent), and a secret of at least 80 bits.
pub fn parse_totp_uri(uri: &str) -> Result<ImportedTotp, &'static str> {
    let url = url::Url::parse(uri.trim()).map_err(|_| "not a URI")?;
    if url.scheme() != "otpauth"
        || url.host_str().map(str::to_ascii_lowercase).as_deref() != Some("totp")
    {
        return Err("not an otpauth://totp/ URI");
    }
    let mut secret = None;
    for (key, value) in url.query_pairs() {
        match key.to_ascii_lowercase().as_str() {
            "secret" => secret = Some(value.into_owned()),
            "algorithm" if !value.eq_ignore_ascii_case("SHA1") => {
                return Err("only algorithm=SHA1 is supported")
            }
            "digits" if value != "6" => return Err("only digits=6 is supported"),
            "period" if value != "30" => return Err("only period=30 is supported"),
            _ => {}
        }
    }
    let secret = Zeroizing::new(secret.ok_or("the URI has no secret")?);
    let normalized = Zeroizing::new(
        secret
            .trim_end_matches('=')
            .replace([' ', '-'], "")
            .to_ascii_uppercase(),
    );
    let bytes = Zeroizing::new(
        data_encoding::BASE32_NOPAD
            .decode(normalized.as_bytes())
            .map_err(|_| "the secret is not base32")?,
    );
    if bytes.len() < 10 {
        return Err("the secret is shorter than 80 bits");
    }
    let label = url.path().trim_start_matches('/');
    let label = percent_decode(label);
    let account = label
        .rsplit_once(':')
        .map_or(label.as_str(), |(_, account)| account)
        .trim();
    Ok(ImportedTotp {
        secret: bytes,
        account: (!account.is_empty()).then(|| account.to_owned()),
    })
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// A `data:image/svg+xml;base64,...` URI of a QR code encoding exactly `text`.
pub fn qr_svg_data_uri(text: &str) -> Result<String, qrcode::types::QrError> {
    use base64::Engine;
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build();
    Ok(format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn otpauth_uri_follows_the_key_uri_format() {
        let uri = otpauth_uri("twofold", "a+b@example.com", "JBSWY3DPEHPK3PXP");
        assert_eq!(
            uri.as_str(),
            "otpauth://totp/twofold:a%2Bb@example.com?secret=JBSWY3DPEHPK3PXP&issuer=twofold&algorithm=SHA1&digits=6&period=30"
        );
        let spaced = otpauth_uri("My Corp", "x@y.io", "AB");
        assert!(spaced.starts_with("otpauth://totp/My%20Corp:x@y.io?"));
    }

    #[test]
    fn imports_default_totp_uris_only() {
        let uri = "otpauth://totp/Acme:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Acme";
        let imported = parse_totp_uri(uri).unwrap();
        assert_eq!(imported.account.as_deref(), Some("alice@example.com"));
        assert_eq!(&*imported.secret, b"Hello!\xde\xad\xbe\xef");
        assert!(parse_totp_uri("otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP").is_err());
        assert!(parse_totp_uri("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=8").is_err());
        assert!(
            parse_totp_uri("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=SHA256").is_err()
        );
        assert!(parse_totp_uri("otpauth://totp/x?secret=JBSW").is_err());
        assert!(parse_totp_uri("otpauth://totp/x").is_err());
        assert!(format!("{imported:?}").find("JBSW").is_none());
    }
}
