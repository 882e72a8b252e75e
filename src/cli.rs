//! The command line: `serve`, and the operator's commands of OPERATIONS.md, which work
//! directly on the configured database through the same service functions as the admin
//! API. Exit status: 0 on success, 1 on failure, 2 on misuse (clap's usage errors).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::clock::SystemClock;
use crate::config::{redact_url, Settings};
use crate::crypto::keys::MasterKey;
use crate::service::admin::{self, Actor};
use crate::service::error::Error as ServiceError;
use crate::service::operate::{self, ImportOutcome};
use crate::service::AppState;
use crate::startup::{check_settings, open_state, Application, MasterKeySource};

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
  logo_url                    TWOFOLD_LOGO_URL                logo of the hosted pages: https URL or /path [the issuer's initial]";

/// twofold: accounts, EdDSA access tokens and TOTP two-factor login in one binary.
#[derive(Parser)]
#[command(version, about, after_help = SETTINGS_HELP)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the settings come from; every command but `gen-key` takes these.
#[derive(Args, Clone)]
struct SettingsArgs {
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
    fn load(&self) -> anyhow::Result<Settings> {
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

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP service.
    #[command(after_help = SETTINGS_HELP)]
    Serve {
        #[command(flatten)]
        settings: SettingsArgs,
        /// Address to listen on (overrides TWOFOLD_LISTEN).
        #[arg(long)]
        listen: Option<String>,
    },
    /// Print a fresh random master key (base64) for TWOFOLD_MASTER_KEY.
    GenKey,
    /// Load and check the settings, reach the database and open the keys; print what
    /// would be used. Exits 1 on any problem.
    #[command(after_help = SETTINGS_HELP)]
    CheckConfig {
        #[command(flatten)]
        settings: SettingsArgs,
    },
    /// Users, admins, locks, the break-glass MFA reset and the audit trail.
    Admin {
        #[command(flatten)]
        settings: SettingsArgs,
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Rotate the signing key or the master key.
    Keys {
        #[command(flatten)]
        settings: SettingsArgs,
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Copy the SQLite database, online and consistent, into FILE (a new file).
    Backup {
        #[command(flatten)]
        settings: SettingsArgs,
        /// The new backup file.
        file: PathBuf,
    },
    /// Open a backup and check it with the configured master key.
    RestoreCheck {
        #[command(flatten)]
        settings: SettingsArgs,
        /// The backup file.
        file: PathBuf,
    },
    /// Import data from another system.
    Import {
        #[command(flatten)]
        settings: SettingsArgs,
        #[command(subcommand)]
        command: ImportCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// List, show, disable, enable or delete users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Make a user an admin (its next login's token carries `roles: ["admin"]`).
    Grant { email: String },
    /// Take the admin role back.
    Revoke { email: String },
    /// Clear every lock and failure counter of a user.
    Unlock { email: String },
    /// The break-glass path for a user who lost the authenticator and the codes.
    Mfa {
        #[command(subcommand)]
        command: MfaCommand,
    },
    /// Audit events across users, newest first.
    Audit {
        /// Only this user's events.
        #[arg(long)]
        email: Option<String>,
        /// Only events of this type (e.g. admin.mfa.reset).
        #[arg(long = "type")]
        kind: Option<String>,
        /// At most this many events.
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(i64).range(1..=1000))]
        limit: i64,
        /// JSON lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Webhook events.
    Webhooks {
        #[command(subcommand)]
        command: WebhooksCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Users, in email order.
    List {
        /// Only emails starting with this.
        #[arg(long)]
        email: Option<String>,
        /// At most this many users.
        #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(i64).range(1..=10000))]
        limit: i64,
        /// JSON lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// One user, with its MFA status and sessions.
    Show { email: String },
    /// Disable the account (no login; every session revoked; never the last admin).
    Disable {
        email: String,
        /// Why (kept in the audit trail).
        #[arg(long, required = true)]
        reason: String,
    },
    /// Enable the account again.
    Enable {
        email: String,
        /// Why (kept in the audit trail).
        #[arg(long, required = true)]
        reason: String,
    },
    /// Delete the user and everything of it but the audit trail (never the last admin).
    Delete { email: String },
}

#[derive(Subcommand)]
enum MfaCommand {
    /// Remove the user's authenticator, recovery codes and pending setup and revoke every
    /// session: the user logs in with the password alone and enrolls again.
    Reset {
        email: String,
        /// Why (kept in the audit trail).
        #[arg(long, required = true)]
        reason: String,
    },
}

#[derive(Subcommand)]
enum WebhooksCommand {
    /// Events given up on after 24 hours of failed tries.
    Failed {
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(i64).range(1..=1000))]
        limit: i64,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// A new Ed25519 signing key becomes current; the previous public key stays in the
    /// JWKS until every token it signed has expired.
    RotateSigning,
    /// Re-seal every sealed value under the master key in FILE (base64 of 32 bytes), in
    /// one transaction. Afterwards the service needs the new key.
    RotateMaster {
        /// File holding the new master key (`twofold gen-key > FILE`).
        #[arg(long)]
        new_key_file: PathBuf,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Lines of `EMAIL otpauth://totp/...` enroll existing authenticators.
    Totp {
        /// The file ('-' for standard input).
        file: PathBuf,
    },
}

/// Parses the command line and runs it.
pub async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("twofold: {error:#}");
            ExitCode::from(1)
        }
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::GenKey => {
            println!("{}", MasterKey::generate_base64());
            Ok(())
        }
        Command::Serve { settings, listen } => {
            let mut settings = settings.load()?;
            if let Some(listen) = listen {
                settings.listen = listen;
            }
            crate::telemetry::init_format(&settings.log, &settings.log_format)?;
            Application::build(settings)
                .await?
                .run_until_stopped()
                .await
        }
        Command::CheckConfig { settings } => check_config(settings.load()?).await,
        Command::Admin { settings, command } => {
            let state = open(settings.load()?).await?;
            admin_command(&state, command).await
        }
        Command::Keys { settings, command } => {
            let settings = settings.load()?;
            match command {
                KeysCommand::RotateSigning => {
                    let state = open(settings).await?;
                    let rotation = operate::rotate_signing(&state).await?;
                    println!(
                        "new signing key {} is current; the previous one stays in the JWKS for {} s; {} expired key(s) dropped",
                        rotation.new_kid, state.settings.access_token_ttl, rotation.dropped
                    );
                    Ok(())
                }
                KeysCommand::RotateMaster { new_key_file } => {
                    let new = MasterKey::from_file(&new_key_file)?;
                    let current =
                        MasterKey::load_existing(settings.master_key.as_ref(), &settings.data_dir)?;
                    // With the data folder's key file, running instances catch up by
                    // themselves: the new key is written beside it first, and becomes
                    // `master.key` once the transaction is committed.
                    let key_file = settings.master_key.is_none();
                    let data_dir = settings.data_dir.clone();
                    let state = open(settings).await?;
                    if key_file {
                        new.write_next(&data_dir)?;
                    }
                    let rotation = operate::rotate_master(&state, &current, &new).await;
                    let rotation = match rotation {
                        Ok(rotation) => rotation,
                        Err(e) => {
                            if key_file {
                                MasterKey::discard_next(&data_dir);
                            }
                            return Err(e);
                        }
                    };
                    if key_file {
                        MasterKey::promote_next(&data_dir)?;
                        println!(
                            "re-sealed {} value(s) under master key id {}; {} now holds the new key and running instances switch to it by themselves",
                            rotation.resealed,
                            rotation.new_key_id,
                            data_dir.join(crate::crypto::keys::MASTER_KEY_FILE).display()
                        );
                    } else {
                        println!(
                            "re-sealed {} value(s) under master key id {}; set TWOFOLD_MASTER_KEY to the new key and restart each instance",
                            rotation.resealed, rotation.new_key_id
                        );
                    }
                    Ok(())
                }
            }
        }
        Command::Backup { settings, file } => {
            let settings = settings.load()?;
            let url = settings.effective_database_url();
            let file = operate::backup(&url, file).await?;
            println!("backup written to {}", file.display());
            Ok(())
        }
        Command::RestoreCheck { settings, file } => restore_check(settings.load()?, &file).await,
        Command::Import { settings, command } => match command {
            ImportCommand::Totp { file } => {
                let state = open(settings.load()?).await?;
                import_totp(&state, &file).await
            }
        },
    }
}

/// Opens the database and keys for an operator command (the master key must exist).
async fn open(settings: Settings) -> anyhow::Result<AppState> {
    check_settings(&settings)?;
    open_state(settings, Arc::new(SystemClock), MasterKeySource::MustExist).await
}

async fn check_config(settings: Settings) -> anyhow::Result<()> {
    crate::http::edge::Edge::new(&settings, Arc::new(SystemClock))?;
    check_settings(&settings)?;
    if let Some(address) = &settings.metrics_listen {
        address
            .parse::<std::net::SocketAddr>()
            .with_context(|| format!("metrics_listen {address:?} is not an address"))?;
    }
    let url = settings.effective_database_url();
    let state = open(settings).await?;
    let backend = operate::database(&state).await?;
    let s = &state.settings;
    println!("settings are valid");
    println!("  listen          {}", s.listen);
    println!("  database        {} ({backend})", redact_url(&url));
    println!("  issuer          {}", s.issuer);
    println!("  audience        {}", s.effective_audience());
    println!(
        "  master key      id {} (opens the database)",
        state.keys.sealer.current().key_id()
    );
    println!(
        "  signing key     {}",
        state.keys.ring.current().current_kid()
    );
    println!(
        "  compat          {}",
        if s.compat.0.is_empty() {
            "none".into()
        } else {
            s.compat.0.join(", ")
        }
    );
    println!(
        "  metrics         {}",
        s.metrics_listen.as_deref().unwrap_or("off")
    );
    println!(
        "  webhooks        {}",
        if s.webhook_url.is_some() { "on" } else { "off" }
    );
    Ok(())
}

/// Copies the backup aside (the backup itself is not touched), opens it like the service
/// would, and opens every sealed value with the configured master key.
async fn restore_check(settings: Settings, file: &Path) -> anyhow::Result<()> {
    anyhow::ensure!(file.is_file(), "{} is not a file", file.display());
    let dir = tempdir()?;
    let copy = dir.join("restore-check.db");
    std::fs::copy(file, &copy).with_context(|| format!("reading {}", file.display()))?;
    let mut settings = settings;
    settings.database_url = Some(format!("sqlite://{}", copy.display()));
    let result = async {
        let state = open(settings).await?;
        let check = operate::restore_check(&state).await?;
        println!(
            "{}: opens with the configured master key (id {}); {} user(s), {} sealed value(s), signing key {}",
            file.display(),
            check.master_key_id,
            check.users,
            check.sealed_values,
            check.signing_kid
        );
        Ok(())
    }
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// A private temporary folder.
fn tempdir() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("twofold-{}", uuid::Uuid::new_v4().simple()));
    crate::crypto::keys::create_private_dir(&dir)?;
    Ok(dir)
}

async fn import_totp(state: &AppState, file: &Path) -> anyhow::Result<()> {
    let text = if file == Path::new("-") {
        std::io::read_to_string(std::io::stdin())?
    } else {
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?
    };
    let mut failed = 0;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let email = line.split_whitespace().next().unwrap_or("");
        let outcome = match admin::import_totp(state, &Actor::Cli, line).await {
            Ok(ImportOutcome::Imported) => "imported".to_owned(),
            Ok(ImportOutcome::AlreadyEnabled) => {
                failed += 1;
                "skipped: MFA is already enabled".to_owned()
            }
            Ok(ImportOutcome::NoSuchUser) | Err(ServiceError::NotFound) => {
                failed += 1;
                "skipped: no such user".to_owned()
            }
            Err(e) => {
                failed += 1;
                format!("skipped: {e}")
            }
        };
        println!("line {}: {email}: {outcome}", n + 1);
    }
    anyhow::ensure!(failed == 0, "{failed} line(s) not imported");
    Ok(())
}

fn not_found(email: &str) -> impl FnOnce(ServiceError) -> anyhow::Error + '_ {
    move |e| match e {
        ServiceError::NotFound => anyhow::anyhow!("no user with email {email}"),
        other => anyhow::Error::new(other),
    }
}

async fn user_id(state: &AppState, email: &str) -> anyhow::Result<String> {
    admin::user_id_by_email(state, email)
        .await
        .map_err(not_found(email))
}

async fn admin_command(state: &AppState, command: AdminCommand) -> anyhow::Result<()> {
    let cli = Actor::Cli;
    match command {
        AdminCommand::User { command } => match command {
            UserCommand::List { email, limit, json } => {
                let page = admin::list_users(state, email.as_deref(), limit, None).await?;
                let mut out = std::io::stdout().lock();
                if !json {
                    writeln!(
                        out,
                        "{:<36}  {:<32}  {:<5}  {:<8}  {:<6}  CREATED",
                        "ID", "EMAIL", "MFA", "DISABLED", "ROLES"
                    )?;
                }
                for u in page.users {
                    if json {
                        writeln!(
                            out,
                            "{}",
                            serde_json::json!({
                                "id": u.id, "email": u.email, "createdAt": rfc3339(u.created_at),
                                "disabled": u.disabled, "mfaEnabled": u.mfa_enabled, "roles": u.roles,
                                "lastLoginAt": u.last_login_at.map(rfc3339),
                            })
                        )?;
                    } else {
                        writeln!(
                            out,
                            "{:<36}  {:<32}  {:<5}  {:<8}  {:<6}  {}",
                            u.id,
                            u.email,
                            if u.mfa_enabled { "on" } else { "off" },
                            if u.disabled { "yes" } else { "no" },
                            u.roles.join(","),
                            rfc3339(u.created_at)
                        )?;
                    }
                }
                Ok(())
            }
            UserCommand::Show { email } => {
                let id = user_id(state, &email).await?;
                let d = admin::user(state, &id).await?;
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "id": d.user.id, "email": d.user.email, "createdAt": rfc3339(d.user.created_at),
                        "disabled": d.user.disabled, "mfaEnabled": d.user.mfa_enabled,
                        "roles": d.user.roles, "lastLoginAt": d.user.last_login_at.map(rfc3339),
                        "mfa": {
                            "enabled": d.mfa.enabled, "deviceName": d.mfa.device_name,
                            "enabledAt": d.mfa.enabled_at.map(rfc3339),
                            "recoveryCodesRemaining": d.mfa.recovery_codes_remaining,
                            "pendingSetup": d.mfa.pending_setup,
                        },
                        "sessions": d.sessions,
                    }))?
                );
                Ok(())
            }
            UserCommand::Disable { email, reason } => {
                let id = user_id(state, &email).await?;
                admin::set_disabled(state, &cli, &id, true, Some(&reason)).await?;
                println!("{email}: disabled; every session revoked");
                Ok(())
            }
            UserCommand::Enable { email, reason } => {
                let id = user_id(state, &email).await?;
                admin::set_disabled(state, &cli, &id, false, Some(&reason)).await?;
                println!("{email}: enabled");
                Ok(())
            }
            UserCommand::Delete { email } => {
                let id = user_id(state, &email).await?;
                admin::delete(state, &cli, &id).await?;
                println!("{email}: deleted (its audit trail is kept)");
                Ok(())
            }
        },
        AdminCommand::Grant { email } | AdminCommand::Revoke { email }
            if email.trim().is_empty() =>
        {
            anyhow::bail!("an email is required")
        }
        AdminCommand::Grant { email } => {
            let id = user_id(state, &email).await?;
            admin::set_admin(state, &cli, &id, true).await?;
            println!("{email}: is an admin (from its next login)");
            Ok(())
        }
        AdminCommand::Revoke { email } => {
            let id = user_id(state, &email).await?;
            admin::set_admin(state, &cli, &id, false).await?;
            println!("{email}: is no longer an admin");
            Ok(())
        }
        AdminCommand::Unlock { email } => {
            let id = user_id(state, &email).await?;
            admin::unlock(state, &cli, &id).await?;
            println!("{email}: every lock and failure counter cleared");
            Ok(())
        }
        AdminCommand::Mfa {
            command: MfaCommand::Reset { email, reason },
        } => {
            anyhow::ensure!(!reason.trim().is_empty(), "--reason must not be empty");
            let id = user_id(state, &email).await?;
            admin::reset_mfa(state, &cli, &id, Some(&reason)).await?;
            println!(
                "{email}: MFA reset (authenticator, recovery codes and pending setup removed; every session revoked); the user logs in with the password and enrolls again"
            );
            Ok(())
        }
        AdminCommand::Audit {
            email,
            kind,
            limit,
            json,
        } => {
            let user = match &email {
                Some(email) => Some(user_id(state, email).await?),
                None => None,
            };
            let events = admin::audit(state, user.as_deref(), kind.as_deref(), None, limit).await?;
            let mut out = std::io::stdout().lock();
            if !json {
                writeln!(
                    out,
                    "{:<8}  {:<20}  {:<32}  {:<36}  DETAILS",
                    "ID", "AT", "TYPE", "USER"
                )?;
            }
            for e in events {
                let details: serde_json::Value =
                    serde_json::from_str(&e.details).unwrap_or_default();
                if json {
                    writeln!(
                        out,
                        "{}",
                        serde_json::json!({
                            "id": e.id.to_string(), "userId": e.user_id, "type": e.kind,
                            "at": rfc3339(e.at), "ip": e.ip, "userAgent": e.user_agent, "details": details,
                        })
                    )?;
                } else {
                    writeln!(
                        out,
                        "{:<8}  {:<20}  {:<32}  {:<36}  {}",
                        e.id,
                        rfc3339(e.at),
                        e.kind,
                        e.user_id.as_deref().unwrap_or("-"),
                        details
                    )?;
                }
            }
            Ok(())
        }
        AdminCommand::Webhooks {
            command: WebhooksCommand::Failed { limit },
        } => {
            for e in operate::failed_webhooks(state, limit).await? {
                println!(
                    "{}",
                    serde_json::json!({
                        "id": e.id, "type": e.kind, "userId": e.user_id,
                        "createdAt": rfc3339(e.created_at), "attempts": e.attempts,
                        "lastError": e.last_error, "body": serde_json::from_str::<serde_json::Value>(&e.body).unwrap_or_default(),
                    })
                );
            }
            Ok(())
        }
    }
}

fn rfc3339(t: i64) -> String {
    crate::http::me::rfc3339(t)
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

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
