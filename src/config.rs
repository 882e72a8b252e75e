//! [`Settings`]: every knob of the service, read from defaults < an optional TOML file
//! (`--config`) < `TWOFOLD_*` environment variables < command-line flags.

use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Toml};
use figment::Figment;
use secrecy::SecretString;
use serde::Deserialize;

/// The settings of one twofold instance. Field names are the TOML keys; the environment
/// variable of each is `TWOFOLD_` + the name in upper case.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Address to listen on.
    pub listen: String,
    /// `sqlite://...` or `postgres://...`; default: an SQLite file in `data_dir`.
    pub database_url: Option<String>,
    /// Folder for the default SQLite database and the generated master key.
    pub data_dir: PathBuf,
    /// 32 bytes, base64. When unset, one is generated into `data_dir/master.key`.
    pub master_key: Option<SecretString>,
    /// `iss` of access tokens and the issuer shown in authenticator apps.
    pub issuer: String,
    /// Lifetime of access tokens, seconds.
    pub access_token_ttl: i64,
    /// Lifetime of a refresh token (and so of an idle session), seconds.
    pub refresh_token_ttl: i64,
    /// Lifetime of an MFA challenge token, seconds.
    pub mfa_challenge_ttl: i64,
    /// Lifetime of a pending (unconfirmed) TOTP setup, seconds.
    pub mfa_setup_ttl: i64,
    /// Argon2id memory cost in KiB (passwords and recovery codes).
    pub argon2_memory_kib: u32,
    /// Argon2id iterations.
    pub argon2_iterations: u32,
    /// Argon2id lanes.
    pub argon2_parallelism: u32,
    /// How many Argon2 hashes may run at once; default: the number of cores.
    pub hash_concurrency: Option<usize>,
    /// Failed MFA codes before a purpose is locked.
    pub mfa_max_failures: u32,
    /// Failed passwords before an account's password login is locked.
    pub password_max_failures: u32,
    /// The first lock's duration, seconds; each further lock doubles it.
    pub lockout_base_seconds: i64,
    /// The longest lock, seconds.
    pub lockout_max_seconds: i64,
    /// Largest number of database connections in the pool.
    pub db_max_connections: u32,
    /// How long a request waits for a database connection before failing with 503, seconds.
    pub db_acquire_timeout_seconds: u64,
    /// SQLite: most writes committed (and flushed) together by group commit; 1 turns
    /// group commit off (one flush per write).
    pub write_batch_max: usize,
    /// Log filter (tracing `EnvFilter` syntax).
    pub log: String,
    /// `aud` of access tokens, checked on every token; default: the issuer.
    pub audience: Option<String>,
    /// Wrong passwords a device token may spend before it is revoked.
    pub device_max_failures: u32,
    /// Lifetime of a device token, seconds.
    pub device_token_ttl: i64,
    /// Requests a client IP may send in a burst to the endpoints that cost a hash; 0 = off.
    pub rate_limit_burst: u32,
    /// Requests a client IP regains per second.
    pub rate_limit_per_second: f64,
    /// Proxies whose `X-Forwarded-For` is believed (CIDRs or addresses, comma separated).
    pub trusted_proxies: StringList,
    /// Origins besides the request's own host that may send cookie requests.
    pub allowed_origins: StringList,
    /// Argon2 jobs that may wait for a hashing thread; default: 64 per hashing thread.
    pub hash_queue_max: Option<usize>,
    /// Longest a request may take (headers and body included) before 503 `timeout`, seconds.
    pub request_timeout_seconds: u64,
    /// Seconds between sweeps of expired state.
    pub sweep_interval_seconds: u64,
    /// Days audit events are kept.
    pub audit_retention_days: i64,
    /// `text` or `json` (one object per line).
    pub log_format: String,
    /// Compatibility surfaces to serve: `identsphere`, `slugbase`, `rivergen` (comma separated).
    pub compat: StringList,
    /// Address of the Prometheus `/metrics` listener; unset: no metrics listener.
    pub metrics_listen: Option<String>,
    /// Where security events are POSTed (Standard Webhooks); unset: no webhooks.
    pub webhook_url: Option<String>,
    /// The webhook signing secret: base64 of at least 24 bytes (a `whsec_` prefix is allowed).
    pub webhook_secret: Option<SecretString>,
    /// Seconds a session's last proof (login or step-up) counts as recent for the actions
    /// that change how a person proves who they are.
    pub step_up_seconds: i64,
    /// Days a browser that asked to be remembered at the MFA step skips it; 0: never.
    pub remember_device_days: i64,
    /// Accent color of the hosted pages, as `#rgb` or `#rrggbb`; unset: the default blue.
    pub brand_color: Option<String>,
    /// Logo shown on the hosted pages: an `https://` (or `http://`) URL or a path on this
    /// server; unset: the issuer's initial.
    pub logo_url: Option<String>,
    /// The origin browsers use (WebAuthn checks it); unset: `http://localhost:<port>`.
    pub public_url: Option<String>,
    /// The WebAuthn relying-party id; unset: the host of `public_url`.
    pub webauthn_rp_id: Option<String>,
    /// Most factors (TOTP authenticators and passkeys) a user may have.
    pub max_factors: i64,
    /// Where mail goes: `smtp://host:port` (STARTTLS; `?tls=off` only for loopback hosts)
    /// or `smtps://host:port` (implicit TLS), user and password in the URL; unset: each
    /// message is written as an `.eml` file under `data_dir/mail/`.
    pub smtp_url: Option<SecretString>,
    /// A file holding the SMTP password (instead of the one in `smtp_url`).
    pub smtp_password_file: Option<PathBuf>,
    /// A PEM file of certificate authorities the SMTP server's certificate may chain to,
    /// besides the public ones (a private CA, or a test's).
    pub smtp_ca_file: Option<PathBuf>,
    /// The `From` of every message, e.g. `"Acme ID <id@example.com>"`; unset: the issuer's
    /// name at `no-reply@` the host of `public_url`.
    pub mail_from: Option<String>,
    /// When true, a password or passkey sign-in of an unverified address is refused with
    /// 403 `email_not_verified` (after a correct password).
    pub require_verified_email: bool,
    /// Serve the OpenID Provider (OIDC.md); `false`: none of its endpoints (404).
    pub oidc: bool,
    /// Domain of the session cookies (PROXY.md), e.g. `example.com`: the sign-in is shared
    /// with every app under it. Unset: host-only cookies.
    pub cookie_domain: Option<String>,
    /// Forward authentication's rules (`[[access_rules]]`), checked in order.
    pub access_rules: Vec<AccessRuleSetting>,
    /// The policy when no rule matches: `deny` (default), `bypass`, `one_factor`,
    /// `two_factor`.
    pub default_policy: String,
}

/// One `[[access_rules]]` table (PROXY.md).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct AccessRuleSetting {
    /// Hosts, exact or `*.domain`.
    pub domain: StringList,
    /// Regular expressions on the normalized path (any of them).
    pub resources: Vec<String>,
    pub methods: StringList,
    /// `group:NAME` or `user:EMAIL` (any of them).
    pub subject: StringList,
    pub policy: String,
}

impl From<&AccessRuleSetting> for crate::domain::access::RuleSetting {
    fn from(r: &AccessRuleSetting) -> Self {
        Self {
            domain: r.domain.0.clone(),
            resources: r.resources.clone(),
            methods: r.methods.0.clone(),
            subject: r.subject.0.clone(),
            policy: r.policy.clone(),
        }
    }
}

/// A list setting: a comma-separated string (as environment variables give it) or an
/// array (in a TOML file).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StringList(pub Vec<String>);

impl<'de> Deserialize<'de> for StringList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            One(String),
            Many(Vec<String>),
        }
        let items = match Raw::deserialize(d)? {
            Raw::One(s) => s.split(',').map(str::to_owned).collect(),
            Raw::Many(v) => v,
        };
        Ok(Self(
            items
                .into_iter()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect(),
        ))
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            database_url: None,
            data_dir: PathBuf::from("./twofold-data"),
            master_key: None,
            issuer: "twofold".into(),
            access_token_ttl: 3600,
            refresh_token_ttl: 30 * 24 * 3600,
            mfa_challenge_ttl: 300,
            mfa_setup_ttl: 600,
            // OWASP Password Storage Cheat Sheet: m=19 MiB, t=2, p=1.
            argon2_memory_kib: 19 * 1024,
            argon2_iterations: 2,
            argon2_parallelism: 1,
            hash_concurrency: None,
            mfa_max_failures: 3,
            password_max_failures: 10,
            lockout_base_seconds: 60,
            lockout_max_seconds: 24 * 3600,
            db_max_connections: 16,
            db_acquire_timeout_seconds: 5,
            write_batch_max: 512,
            log: "info".into(),
            audience: None,
            device_max_failures: 5,
            device_token_ttl: 365 * 24 * 3600,
            rate_limit_burst: 20,
            rate_limit_per_second: 1.0,
            trusted_proxies: StringList::default(),
            allowed_origins: StringList::default(),
            hash_queue_max: None,
            request_timeout_seconds: 30,
            sweep_interval_seconds: 300,
            audit_retention_days: 400,
            compat: StringList::default(),
            log_format: "text".into(),
            metrics_listen: None,
            webhook_url: None,
            webhook_secret: None,
            step_up_seconds: 600,
            remember_device_days: 0,
            brand_color: None,
            logo_url: None,
            public_url: None,
            webauthn_rp_id: None,
            max_factors: 10,
            smtp_url: None,
            smtp_password_file: None,
            smtp_ca_file: None,
            mail_from: None,
            require_verified_email: false,
            oidc: true,
            cookie_domain: None,
            access_rules: Vec::new(),
            default_policy: "deny".into(),
        }
    }
}

/// The settings read from `TWOFOLD_*` variables. Other variables of that prefix (such as
/// `TWOFOLD_CONFIG`, read by the command line, or the test suite's) are not settings and
/// are ignored; unknown keys in a TOML file are errors (they are typos).
pub const SETTINGS: &[&str] = &[
    "smtp_url",
    "smtp_password_file",
    "smtp_ca_file",
    "mail_from",
    "require_verified_email",
    "oidc",
    "cookie_domain",
    "access_rules",
    "default_policy",
    "public_url",
    "webauthn_rp_id",
    "max_factors",
    "step_up_seconds",
    "remember_device_days",
    "brand_color",
    "logo_url",
    "metrics_listen",
    "webhook_url",
    "webhook_secret",
    "listen",
    "database_url",
    "data_dir",
    "master_key",
    "issuer",
    "access_token_ttl",
    "refresh_token_ttl",
    "mfa_challenge_ttl",
    "mfa_setup_ttl",
    "argon2_memory_kib",
    "argon2_iterations",
    "argon2_parallelism",
    "hash_concurrency",
    "mfa_max_failures",
    "password_max_failures",
    "lockout_base_seconds",
    "lockout_max_seconds",
    "db_max_connections",
    "db_acquire_timeout_seconds",
    "write_batch_max",
    "log",
    "audience",
    "device_max_failures",
    "device_token_ttl",
    "rate_limit_burst",
    "rate_limit_per_second",
    "trusted_proxies",
    "allowed_origins",
    "hash_queue_max",
    "request_timeout_seconds",
    "sweep_interval_seconds",
    "audit_retention_days",
    "compat",
    "log_format",
];

impl Settings {
    /// Reads defaults, then `config_file` if given, then the `TWOFOLD_*` environment.
    pub fn load(config_file: Option<&Path>) -> Result<Self, Box<figment::Error>> {
        let mut figment = Figment::new();
        if let Some(path) = config_file {
            figment = figment.merge(Toml::file_exact(path));
        }
        figment
            .merge(Env::prefixed("TWOFOLD_").only(SETTINGS))
            .extract()
            .map_err(Box::new)
    }

    /// `cookie_domain` as compared and sent: trimmed, without a leading dot, lowercase;
    /// `None` when unset or empty.
    pub fn cookie_domain(&self) -> Option<String> {
        self.cookie_domain
            .as_deref()
            .map(|d| d.trim().trim_start_matches('.').to_ascii_lowercase())
            .filter(|d| !d.is_empty())
    }

    /// The forward-authentication rules, checked (PROXY.md): an error names the rule.
    pub fn access_rules(&self) -> Result<crate::domain::access::Rules, String> {
        let specs: Vec<_> = self.access_rules.iter().map(Into::into).collect();
        let cookie = self.cookie_domain();
        crate::domain::access::Rules::parse(&specs, &self.default_policy, cookie.as_deref())
    }

    /// The database URL in effect: the setting, or an SQLite file in the data folder.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.clone(),
            _ => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("twofold.db").display()
            ),
        }
    }

    /// Whether the compatibility surface `name` is switched on.
    pub fn compat_on(&self, name: &str) -> bool {
        self.compat.0.iter().any(|c| c.eq_ignore_ascii_case(name))
    }

    /// The `aud` of access tokens.
    pub fn effective_audience(&self) -> &str {
        self.audience
            .as_deref()
            .filter(|a| !a.trim().is_empty())
            .unwrap_or(&self.issuer)
    }

    /// The trusted proxies as networks; an entry that is not an address or CIDR is an error.
    pub fn trusted_networks(&self) -> anyhow::Result<Vec<ipnet::IpNet>> {
        self.trusted_proxies
            .0
            .iter()
            .map(|p| {
                p.parse::<ipnet::IpNet>()
                    .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| {
                        anyhow::anyhow!("trusted_proxies: {p:?} is not an IP address or CIDR")
                    })
            })
            .collect()
    }

    /// The origin browsers use: `public_url`, else `http://localhost:<port>` (the port of
    /// `listen`, or `bound_port` when given: the port actually bound).
    pub fn effective_public_url(&self, bound_port: Option<u16>) -> String {
        match self.public_url.as_deref().map(str::trim) {
            Some(url) if !url.is_empty() => url.trim_end_matches('/').to_owned(),
            _ => {
                let port = bound_port.map(|p| p.to_string()).unwrap_or_else(|| {
                    self.listen
                        .rsplit_once(':')
                        .map_or("8080", |(_, p)| p)
                        .to_owned()
                });
                format!("http://localhost:{port}")
            }
        }
    }

    /// Whether browsers reach the service over HTTPS (`public_url`'s scheme, whatever
    /// the listen address: behind a TLS proxy the listener is plain HTTP on loopback).
    /// Decides cookies' `Secure`, the `__Host-` prefix of the anti-CSRF cookie, HSTS, and
    /// the scheme an absolute `return_to` on this service must have.
    pub fn public_url_is_https(&self) -> bool {
        self.effective_public_url(None)
            .get(..8)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
    }

    /// Whether cookies are `Secure` (the anti-CSRF one `__Host-` prefixed) and HSTS is
    /// sent: when `public_url` is `https://`; with no `public_url` set, unless listening on
    /// loopback (API.md's rule). An explicit `http://` `public_url` says browsers come
    /// over plain HTTP: no `Secure` then, whatever the listen address.
    pub fn secure_transport(&self) -> bool {
        let unset = self
            .public_url
            .as_deref()
            .is_none_or(|u| u.trim().is_empty());
        self.public_url_is_https() || (unset && !self.listens_on_loopback())
    }

    /// Whether the listen address is a loopback address (only said in a warning at start:
    /// plain `http://` origins are for local use).
    pub fn listens_on_loopback(&self) -> bool {
        let host = self
            .listen
            .rsplit_once(':')
            .map_or(self.listen.as_str(), |(h, _)| h);
        let host = host.trim_start_matches('[').trim_end_matches(']');
        host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }
}

/// Hides the password of a database URL, for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment::Jail's closures return figment::Error
#[path = "config_tests.rs"]
mod tests;
