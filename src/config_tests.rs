//! Tests of the settings: layering, validation, the derived values (public URL, secure
//! transport, loopback).

use super::*;

#[test]
fn environment_overrides_file_and_other_prefixed_variables_are_ignored() {
    figment::Jail::expect_with(|jail| {
        jail.create_file(
            "twofold.toml",
            "listen = \"0.0.0.0:9000\"\nissuer = \"from-file\"",
        )?;
        jail.set_env("TWOFOLD_ISSUER", "from-env");
        jail.set_env("TWOFOLD_CONFIG", "twofold.toml");
        jail.set_env("TWOFOLD_REQUIRE_POSTGRES", "1");
        jail.set_env("TWOFOLD_WRITE_BATCH_MAX", "7");
        let s = Settings::load(Some(Path::new("twofold.toml"))).map_err(|e| e.to_string())?;
        assert_eq!(s.listen, "0.0.0.0:9000");
        assert_eq!(s.issuer, "from-env");
        assert_eq!(s.write_batch_max, 7);
        Ok(())
    });
}

#[test]
fn lists_come_from_commas_or_arrays() {
    figment::Jail::expect_with(|jail| {
        jail.create_file("twofold.toml", "allowed_origins = [\"https://a.example\"]")?;
        jail.set_env("TWOFOLD_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7");
        let s = Settings::load(Some(Path::new("twofold.toml"))).map_err(|e| e.to_string())?;
        assert_eq!(s.allowed_origins.0, vec!["https://a.example"]);
        assert_eq!(s.trusted_networks().unwrap().len(), 2);
        Ok(())
    });
    let bad = Settings {
        trusted_proxies: StringList(vec!["nonsense".into()]),
        ..Settings::default()
    };
    assert!(bad.trusted_networks().is_err());
}

#[test]
fn a_typo_in_the_file_is_an_error() {
    figment::Jail::expect_with(|jail| {
        jail.create_file("twofold.toml", "lisen = \"0.0.0.0:9000\"")?;
        assert!(Settings::load(Some(Path::new("twofold.toml"))).is_err());
        Ok(())
    });
}

#[test]
fn every_setting_is_read_from_the_environment() {
    // A field missing from SETTINGS could only be set in a file: count the fields.
    let source = include_str!("config.rs");
    let start = source.find("pub struct Settings {").unwrap();
    let end = start + source[start..].find("\n}").unwrap();
    let fields = source[start..end].matches("\n    pub ").count();
    assert_eq!(fields, SETTINGS.len());
}

#[test]
fn https_comes_from_public_url_not_the_listen_address() {
    let mut s = Settings::default();
    for (listen, public_url, expected) in [
        ("127.0.0.1:8080", None, false),
        ("0.0.0.0:8080", None, false),
        ("127.0.0.1:8080", Some("https://auth.example.com"), true),
        ("127.0.0.1:8080", Some("HTTPS://auth.example.com/"), true),
        ("0.0.0.0:8080", Some("http://10.0.0.5:8080"), false),
        ("127.0.0.1:8080", Some("  "), false),
    ] {
        s.listen = listen.into();
        s.public_url = public_url.map(str::to_owned);
        assert_eq!(s.public_url_is_https(), expected, "{listen} {public_url:?}");
    }
}

#[test]
fn secure_transport_from_public_url_else_the_listen_address() {
    let mut s = Settings::default();
    for (listen, public_url, expected) in [
        ("127.0.0.1:8080", None, false),
        ("0.0.0.0:8080", None, true),
        ("[::]:8080", Some(" "), true),
        ("127.0.0.1:8080", Some("https://auth.example.com"), true),
        ("0.0.0.0:8080", Some("http://10.0.0.5:8080"), false),
    ] {
        s.listen = listen.into();
        s.public_url = public_url.map(str::to_owned);
        assert_eq!(s.secure_transport(), expected, "{listen} {public_url:?}");
    }
}

#[test]
fn loopback_detection() {
    let mut s = Settings::default();
    for (listen, expected) in [
        ("127.0.0.1:8080", true),
        ("[::1]:80", true),
        ("localhost:1", true),
        ("0.0.0.0:8080", false),
        ("10.1.2.3:443", false),
    ] {
        s.listen = listen.into();
        assert_eq!(s.listens_on_loopback(), expected, "{listen}");
    }
}

#[test]
fn database_url_password_is_redacted() {
    assert_eq!(
        redact_url("postgres://app:hunter2@db:5432/x"),
        "postgres://app:***@db:5432/x"
    );
    assert_eq!(redact_url("sqlite://a.db"), "sqlite://a.db");
}

#[test]
fn default_database_is_sqlite_in_data_dir() {
    let s = Settings::default();
    assert!(s.effective_database_url().starts_with("sqlite://"));
    assert!(s.effective_database_url().contains("twofold-data"));
}
