//! OAuth 2.0 and OpenID Connect rules that need no I/O: which redirect URIs a client may
//! register and how a requested one matches (exact, but RFC 8252's loopback port), scopes,
//! PKCE S256, `acr_values`, and the `at_hash` of an ID token.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The scopes twofold knows; a client is registered with a subset.
pub const SCOPES: [&str; 5] = ["openid", "email", "profile", "groups", "offline_access"];
/// The PAPE policy URI that asks for a multi-factor sign-in (`acr_values`).
pub const PAPE_MFA: &str = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";

/// A registered redirect (or post-logout redirect) URI, checked: absolute, no fragment,
/// `https`, or `http` on a loopback host, or (public clients) a private-use scheme
/// (`com.example.app:/cb`).
pub fn check_redirect_uri(uri: &str, public: bool) -> Result<(), String> {
    let url = url::Url::parse(uri).map_err(|_| format!("{uri:?} is not an absolute URI"))?;
    if url.fragment().is_some() || uri.contains('#') {
        return Err(format!("{uri:?} has a fragment"));
    }
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(&url) => Ok(()),
        "http" => Err(format!("{uri:?}: http is allowed only for loopback hosts")),
        scheme if public && scheme.contains('.') => Ok(()),
        _ => Err(format!(
            "{uri:?}: use https, http on a loopback host, or (public clients) a private-use scheme such as com.example.app:/callback"
        )),
    }
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Whether `requested` is one of `registered`: character for character, except that a
/// registered `http://127.0.0.1` or `http://[::1]` URI matches any port (RFC 8252 7.3).
pub fn redirect_uri_matches(registered: &[String], requested: &str) -> bool {
    registered.iter().any(|r| {
        r == requested || {
            let (Ok(r), Ok(q)) = (url::Url::parse(r), url::Url::parse(requested)) else {
                return false;
            };
            let ip_loopback = matches!(r.host(), Some(url::Host::Ipv4(ip)) if ip.is_loopback())
                || matches!(r.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback());
            ip_loopback
                && r.scheme() == "http"
                && q.scheme() == "http"
                && r.host() == q.host()
                && r.path() == q.path()
                && r.query() == q.query()
                && q.fragment().is_none()
                && q.username().is_empty()
        }
    })
}

/// The scopes of a space-separated list, each once, in their order.
pub fn parse_scopes(text: &str) -> Vec<String> {
    let mut scopes: Vec<String> = Vec::new();
    for s in text.split(' ').filter(|s| !s.is_empty()) {
        if !scopes.iter().any(|x| x == s) {
            scopes.push(s.to_owned());
        }
    }
    scopes
}

/// Checks a client's registered scopes: known ones, `openid` among them.
pub fn check_registered_scopes(scopes: &[String]) -> Result<(), String> {
    if let Some(unknown) = scopes.iter().find(|s| !SCOPES.contains(&s.as_str())) {
        return Err(format!(
            "unknown scope {unknown:?} (known: {})",
            SCOPES.join(" ")
        ));
    }
    if !scopes.iter().any(|s| s == "openid") {
        return Err("the scopes must include openid".into());
    }
    Ok(())
}

/// Whether the PKCE `verifier` answers the S256 `challenge` (RFC 7636 4.6). A verifier is
/// 43 to 128 unreserved characters.
pub fn pkce_matches(challenge: &str, verifier: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    well_formed && bool::from(computed.as_bytes().ct_eq(challenge.as_bytes()))
}

/// Whether a code challenge has the shape of an S256 one (43 base64url characters).
pub fn is_s256_challenge(challenge: &str) -> bool {
    challenge.len() == 43
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether `acr_values` asks for a sign-in with two factors.
pub fn acr_wants_mfa(acr_values: &str) -> bool {
    acr_values.split(' ').any(|v| v == "mfa" || v == PAPE_MFA)
}

/// The `at_hash` of an access token (OpenID Core 3.1.3.6): the left half of its hash with
/// the ID token's algorithm's hash, base64url. SHA-256 for RS256; SHA-512 for EdDSA with
/// Ed25519 (what openid-client and the other certified libraries compute).
pub fn at_hash(access_token: &str, ed25519: bool) -> String {
    if ed25519 {
        let digest = sha2::Sha512::digest(access_token.as_bytes());
        URL_SAFE_NO_PAD.encode(&digest[..32])
    } else {
        let digest = Sha256::digest(access_token.as_bytes());
        URL_SAFE_NO_PAD.encode(&digest[..16])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_redirect_uris() {
        assert!(check_redirect_uri("https://app.example/cb", false).is_ok());
        assert!(check_redirect_uri("http://127.0.0.1:8000/cb", false).is_ok());
        assert!(check_redirect_uri("http://localhost/cb", false).is_ok());
        assert!(check_redirect_uri("http://app.example/cb", false).is_err());
        assert!(check_redirect_uri("https://app.example/cb#x", false).is_err());
        assert!(check_redirect_uri("com.example.app:/cb", true).is_ok());
        assert!(check_redirect_uri("com.example.app:/cb", false).is_err());
        assert!(check_redirect_uri("/relative", false).is_err());
        assert!(check_redirect_uri("javascript:alert(1)", true).is_err());
    }

    #[test]
    fn redirect_uris_match_exactly_or_by_loopback_port() {
        let registered = vec![
            "https://app.example/cb".to_owned(),
            "http://127.0.0.1/native".to_owned(),
        ];
        assert!(redirect_uri_matches(&registered, "https://app.example/cb"));
        for other in [
            "https://app.example/cb/",
            "https://app.example/cb?x=1",
            "https://APP.example/cb",
            "https://app.example/c",
            "https://app.example.evil/cb",
            "http://app.example/cb",
            "http://127.0.0.1/other",
            "http://localhost:8000/native",
        ] {
            assert!(!redirect_uri_matches(&registered, other), "{other}");
        }
        assert!(redirect_uri_matches(
            &registered,
            "http://127.0.0.1:53124/native"
        ));
    }

    #[test]
    fn pkce_s256_of_rfc_7636_appendix_b() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(is_s256_challenge(challenge));
        assert!(pkce_matches(challenge, verifier));
        assert!(!pkce_matches(
            challenge,
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXK"
        ));
        assert!(!pkce_matches(challenge, "short"));
    }

    #[test]
    fn scopes_and_acr() {
        assert_eq!(
            parse_scopes("openid  email openid"),
            vec!["openid", "email"]
        );
        assert!(check_registered_scopes(&parse_scopes("openid email")).is_ok());
        assert!(check_registered_scopes(&parse_scopes("email")).is_err());
        assert!(check_registered_scopes(&parse_scopes("openid admin")).is_err());
        assert!(acr_wants_mfa("pwd mfa"));
        assert!(acr_wants_mfa(PAPE_MFA));
        assert!(!acr_wants_mfa("pwd"));
    }
}
