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
}
