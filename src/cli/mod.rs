//! The command line: `serve`, and the operator's commands of OPERATIONS.md, which work
//! directly on the configured database through the same service functions as the admin
//! API. Exit status: 0 on success, 1 on failure, 2 on misuse (clap's usage errors).
//!
//! This file holds the top of the command tree and the dispatch; each group of commands
//! is a file with its own subcommands, its calls into `service/` and what it prints, so
//! that one command is read in one place. The command line never reaches into `http/`
//! or the store.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::clock::SystemClock;
use crate::config::Settings;
use crate::service::AppState;
use crate::startup::{check_settings, open_state, MasterKeySource};

mod admin;
mod check_config;
mod clients;
mod data;
mod failure;
mod keys;
mod serve;
mod settings;
mod users;

use admin::AdminCommand;
use clients::ClientsCommand;
use data::ImportCommand;
use keys::KeysCommand;
use settings::SettingsArgs;
pub use settings::SETTINGS_HELP;

/// twofold: accounts, EdDSA access tokens and TOTP two-factor login in one binary.
#[derive(Parser)]
#[command(version, about, after_help = SETTINGS_HELP)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
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
    /// The apps that sign people in through twofold (OpenID Connect clients).
    Clients {
        #[command(flatten)]
        settings: SettingsArgs,
        #[command(subcommand)]
        command: ClientsCommand,
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
    /// Mail: `mail test ADDRESS` sends a test message and says what the server answered.
    Mail {
        #[command(flatten)]
        settings: SettingsArgs,
        #[command(subcommand)]
        command: MailCommand,
    },
    /// Import data from another system.
    Import {
        #[command(flatten)]
        settings: SettingsArgs,
        #[command(subcommand)]
        command: ImportCommand,
    },
}

/// The `mail` subcommands.
#[derive(Subcommand)]
enum MailCommand {
    /// Send a test message to ADDRESS now (SMTP, or a file without `smtp_url`).
    Test {
        /// Where the message goes.
        address: String,
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

/// Loads the settings of the command and hands it to its group's file.
async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::GenKey => keys::gen_key(),
        Command::Serve { settings, listen } => serve::run(settings.load()?, listen).await,
        Command::CheckConfig { settings } => check_config::run(settings.load()?).await,
        Command::Admin { settings, command } => {
            let state = open(settings.load()?).await?;
            admin::run(&state, command).await
        }
        Command::Clients { settings, command } => {
            let state = open(settings.load()?).await?;
            clients::run(&state, command).await
        }
        Command::Keys { settings, command } => keys::run(settings.load()?, command).await,
        Command::Backup { settings, file } => data::backup(settings.load()?, file).await,
        Command::RestoreCheck { settings, file } => {
            data::restore_check(settings.load()?, &file).await
        }
        Command::Import { settings, command } => data::import(settings.load()?, command).await,
        Command::Mail {
            settings,
            command: MailCommand::Test { address },
        } => {
            let settings = settings.load()?;
            crate::service::mail::check_settings(&settings)?;
            let answer = crate::service::mail::send_test(&settings, &address).await?;
            println!("sent to {address}: {answer}");
            Ok(())
        }
    }
}

/// Opens the database and keys for an operator command (the master key must exist).
async fn open(settings: Settings) -> anyhow::Result<AppState> {
    check_settings(&settings)?;
    open_state(settings, Arc::new(SystemClock), MasterKeySource::MustExist).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
