//! The `twofold` binary: parse the command line, load settings, init logging, run.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use twofold::config::Settings;
use twofold::crypto::keys::MasterKey;
use twofold::startup::Application;

const SETTINGS_HELP: &str = "\
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
  log_format                  TWOFOLD_LOG_FORMAT              text or json (one object per line) [text]";

/// twofold: accounts, EdDSA access tokens and TOTP two-factor login in one binary.
#[derive(Parser)]
#[command(version, about, after_help = SETTINGS_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP service.
    #[command(after_help = SETTINGS_HELP)]
    Serve {
        /// TOML file of settings (keys as listed below).
        #[arg(long, env = "TWOFOLD_CONFIG")]
        config: Option<PathBuf>,
        /// Address to listen on (overrides TWOFOLD_LISTEN).
        #[arg(long)]
        listen: Option<String>,
        /// Database URL (overrides TWOFOLD_DATABASE_URL).
        #[arg(long)]
        database_url: Option<String>,
        /// Data folder (overrides TWOFOLD_DATA_DIR).
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Print a fresh random master key (base64) for TWOFOLD_MASTER_KEY.
    GenKey,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::GenKey => {
            println!("{}", MasterKey::generate_base64());
            Ok(())
        }
        Command::Serve {
            config,
            listen,
            database_url,
            data_dir,
        } => {
            let mut settings = Settings::load(config.as_deref())?;
            if let Some(listen) = listen {
                settings.listen = listen;
            }
            if let Some(url) = database_url {
                settings.database_url = Some(url);
            }
            if let Some(dir) = data_dir {
                settings.data_dir = dir;
            }
            twofold::telemetry::init_format(&settings.log, &settings.log_format)?;
            Application::build(settings)
                .await?
                .run_until_stopped()
                .await
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn help_lists_every_setting() {
        for name in twofold::config::SETTINGS {
            let variable = format!("TWOFOLD_{}", name.to_uppercase());
            assert!(
                super::SETTINGS_HELP.contains(&variable),
                "{variable} is missing from `serve --help`"
            );
        }
    }
}
