//! The database and files: `backup` (SQLite's online copy), `restore-check` (does a backup
//! open with the configured master key?) and `import totp` (authenticators enrolled
//! elsewhere). Each reads or writes a file the operator names, which no other command
//! does, so the handling of those files (a private copy, standard input) lives here.

use super::failure::explain;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Subcommand;

use super::open;
use crate::config::Settings;
use crate::service::admin::{self, Actor};
use crate::service::error::Error as ServiceError;
use crate::service::operate::{self, ImportOutcome};
use crate::service::AppState;

/// The `import` subcommands.
#[derive(Subcommand)]
pub(super) enum ImportCommand {
    /// Lines of `EMAIL otpauth://totp/...` enroll existing authenticators.
    Totp {
        /// The file ('-' for standard input).
        file: PathBuf,
    },
}

/// `backup`: copies the configured SQLite database into `file` (a new file).
pub(super) async fn backup(settings: Settings, file: PathBuf) -> anyhow::Result<()> {
    let url = settings.effective_database_url();
    let file = operate::backup(&url, file).await?;
    println!("backup written to {}", file.display());
    Ok(())
}

/// `restore-check`: copies the backup aside (the backup itself is not touched), opens it
/// like the service would, and opens every sealed value with the configured master key.
pub(super) async fn restore_check(settings: Settings, file: &Path) -> anyhow::Result<()> {
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

/// Runs an `import` subcommand on the configured database.
pub(super) async fn import(settings: Settings, command: ImportCommand) -> anyhow::Result<()> {
    match command {
        ImportCommand::Totp { file } => {
            let state = open(settings).await?;
            import_totp(&state, &file).await
        }
    }
}

/// Enrolls one authenticator per line; a line that fails is reported and skipped, and
/// the command fails at the end if any did.
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
                format!("skipped: {:#}", explain(e))
            }
        };
        println!("line {}: {email}: {outcome}", n + 1);
    }
    anyhow::ensure!(failed == 0, "{failed} line(s) not imported");
    Ok(())
}
