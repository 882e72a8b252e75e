//! Where an operator command's settings come from: the `--config`, `--database-url` and
//! `--data-dir` flags every command but `gen-key` takes, and the list of every setting that
//! `--help` prints. The list is text kept beside the flags (and checked against
//! `config::SETTINGS` by a test) so that a new setting cannot be left out of the help.

use std::path::PathBuf;

use clap::Args;

use crate::config::Settings;

/// Every setting, for `--help`.
pub const SETTINGS_HELP: &str = "\
SETTINGS (defaults < --config TOML file < TWOFOLD_* environment < flags):
  listen                      TWOFOLD_LISTEN                  address to listen on [127.0.0.1:8080]
  database_url                TWOFOLD_DATABASE_URL            sqlite://PATH or postgres://... [SQLite file in data_dir]
  data_dir                    TWOFOLD_DATA_DIR                data folder [./twofold-data]
  master_key                  TWOFOLD_MASTER_KEY              32 bytes, base64; unset: generated into data_dir/master.key
  issuer                      TWOFOLD_ISSUER                  token `iss` and authenticator issuer [twofold]
  access_token_ttl            TWOFOLD_ACCESS_TOKEN_TTL        access token lifetime, s [3600]
  refresh_token_ttl           TWOFOLD_REFRESH_TOKEN_TTL       session lifetime, s [2592000]
  mfa_challenge_ttl           TWOFOLD_MFA_CHALLENGE_TTL       MFA challenge lifetime, s [300]
  mfa_setup_ttl               TWOFOLD_MFA_SETUP_TTL           pending TOTP setup lifetime, s [600]
  argon2_memory_kib           TWOFOLD_ARGON2_MEMORY_KIB       Argon2id memory, KiB [19456]
  argon2_iterations           TWOFOLD_ARGON2_ITERATIONS       Argon2id iterations [2]
  argon2_parallelism          TWOFOLD_ARGON2_PARALLELISM      Argon2id lanes [1]
  hash_concurrency            TWOFOLD_HASH_CONCURRENCY        Argon2 hashes at once [number of cores]
  mfa_max_failures            TWOFOLD_MFA_MAX_FAILURES        wrong codes before a lock [3]
  password_max_failures       TWOFOLD_PASSWORD_MAX_FAILURES   wrong passwords before a lock [10]
  lockout_base_seconds        TWOFOLD_LOCKOUT_BASE_SECONDS    first lock, doubled by each further one [60]
  lockout_max_seconds         TWOFOLD_LOCKOUT_MAX_SECONDS     longest lock [86400]
  db_max_connections          TWOFOLD_DB_MAX_CONNECTIONS      database pool size [16]
  db_acquire_timeout_seconds  TWOFOLD_DB_ACQUIRE_TIMEOUT_SECONDS  wait for a connection before 503 [5]
  write_batch_max             TWOFOLD_WRITE_BATCH_MAX         SQLite group commit: writes per flush, 1 = off [512]
  log                         TWOFOLD_LOG                     log filter, RUST_LOG wins [info]
  audience                    TWOFOLD_AUDIENCE                token `aud`, checked on every token [the issuer]
  device_max_failures         TWOFOLD_DEVICE_MAX_FAILURES     wrong passwords a device token may spend [5]
  device_token_ttl            TWOFOLD_DEVICE_TOKEN_TTL        device token lifetime, s [31536000]
  rate_limit_burst            TWOFOLD_RATE_LIMIT_BURST        per-IP bucket of the hashing endpoints, 0 = off [20]
  rate_limit_per_second       TWOFOLD_RATE_LIMIT_PER_SECOND   per-IP refill, tokens/s [1]
  trusted_proxies             TWOFOLD_TRUSTED_PROXIES         CIDRs whose X-Forwarded-For is believed, comma separated [none]
  allowed_origins             TWOFOLD_ALLOWED_ORIGINS         other origins allowed to send cookie requests [none]
  hash_queue_max              TWOFOLD_HASH_QUEUE_MAX          Argon2 jobs that may wait, beyond: 503 [64 x hash_concurrency]
  request_timeout_seconds     TWOFOLD_REQUEST_TIMEOUT_SECONDS whole request and header read limit, s [30]
  sweep_interval_seconds      TWOFOLD_SWEEP_INTERVAL_SECONDS  sweep of expired state, 0 = off [300]
  audit_retention_days        TWOFOLD_AUDIT_RETENTION_DAYS    days audit events are kept [400]
  compat                      TWOFOLD_COMPAT                  surfaces: identsphere,slugbase,rivergen [none]
  log_format                  TWOFOLD_LOG_FORMAT              text or json (one object per line) [text]
  metrics_listen              TWOFOLD_METRICS_LISTEN          Prometheus /metrics listener, e.g. 127.0.0.1:9464 [off]
  webhook_url                 TWOFOLD_WEBHOOK_URL             where security events are POSTed [off]
  webhook_secret              TWOFOLD_WEBHOOK_SECRET          Standard Webhooks secret, base64 of >= 24 bytes [none]
  step_up_seconds             TWOFOLD_STEP_UP_SECONDS         how long a login or step-up counts as recent, s [600]
  remember_device_days        TWOFOLD_REMEMBER_DEVICE_DAYS    days a trusted browser skips the MFA step, 0 = off [0]
  public_url                  TWOFOLD_PUBLIC_URL              the origin browsers use (WebAuthn) [http://localhost:<port>]
  webauthn_rp_id              TWOFOLD_WEBAUTHN_RP_ID          WebAuthn relying-party id [the host of public_url]
  max_factors                 TWOFOLD_MAX_FACTORS             most factors (authenticators, passkeys) per user [10]
  brand_color                 TWOFOLD_BRAND_COLOR             accent color of the hosted pages, #rgb or #rrggbb [blue]
  logo_url                    TWOFOLD_LOGO_URL                logo of the hosted pages: https URL or /path [the issuer's initial]
  smtp_url                    TWOFOLD_SMTP_URL                smtp://host:port (STARTTLS) or smtps://host:port [off: .eml files in data_dir/mail]
  smtp_password_file          TWOFOLD_SMTP_PASSWORD_FILE      file holding the SMTP password [none]
  smtp_ca_file                TWOFOLD_SMTP_CA_FILE            PEM of extra CAs for the SMTP server's certificate [none]
  mail_from                   TWOFOLD_MAIL_FROM               From of every message [\"ISSUER\" <no-reply@host of public_url>]
  require_verified_email      TWOFOLD_REQUIRE_VERIFIED_EMAIL  refuse sign-in of unverified addresses (403) [false]
  oidc                        TWOFOLD_OIDC                    serve the OpenID Provider (OIDC.md); false: 404 [true]
  cookie_domain               TWOFOLD_COOKIE_DOMAIN           share the sign-in with apps under this domain (PROXY.md) [host-only]
  access_rules                TWOFOLD_ACCESS_RULES            forward-auth rules, [[access_rules]] in the TOML file [none]
  default_policy              TWOFOLD_DEFAULT_POLICY          forward-auth policy when no rule matches [deny]";

/// Where the settings come from; every command but `gen-key` takes these.
#[derive(Args, Clone)]
pub(super) struct SettingsArgs {
    /// TOML file of settings (keys as listed below).
    #[arg(long, env = "TWOFOLD_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Database URL (overrides TWOFOLD_DATABASE_URL).
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// Data folder (overrides TWOFOLD_DATA_DIR).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
}

impl SettingsArgs {
    /// The settings: defaults < file < environment < these flags.
    pub(super) fn load(&self) -> anyhow::Result<Settings> {
        let mut settings = Settings::load(self.config.as_deref())?;
        if let Some(url) = &self.database_url {
            settings.database_url = Some(url.clone());
        }
        if let Some(dir) = &self.data_dir {
            settings.data_dir = dir.clone();
        }
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn help_lists_every_setting() {
        for name in crate::config::SETTINGS {
            let variable = format!("TWOFOLD_{}", name.to_uppercase());
            assert!(
                super::SETTINGS_HELP.contains(&variable),
                "{variable} is missing from `serve --help`"
            );
        }
    }
}
