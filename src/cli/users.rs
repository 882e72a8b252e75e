//! `admin user`: listing, showing, disabling, enabling and deleting users, and finding a
//! user by the email an operator types. The other `admin` commands name users by email
//! too, so the lookup and its "no user with email" message live here, once.

use super::failure::explain;
use std::io::Write;

use clap::Subcommand;

use crate::domain::time::rfc3339;
use crate::service::admin::{self, Actor};
use crate::service::error::Error as ServiceError;
use crate::service::AppState;

/// The `admin user` subcommands.
#[derive(Subcommand)]
pub(super) enum UserCommand {
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

/// Runs an `admin user` subcommand.
pub(super) async fn run(state: &AppState, command: UserCommand) -> anyhow::Result<()> {
    let cli = Actor::Cli;
    match command {
        UserCommand::List { email, limit, json } => {
            let page = admin::list_users(state, email.as_deref(), limit, None)
                .await
                .map_err(explain)?;
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
            let d = admin::user(state, &id).await.map_err(explain)?;
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
            admin::set_disabled(state, &cli, &id, true, Some(&reason))
                .await
                .map_err(explain)?;
            println!("{email}: disabled; every session revoked");
            Ok(())
        }
        UserCommand::Enable { email, reason } => {
            let id = user_id(state, &email).await?;
            admin::set_disabled(state, &cli, &id, false, Some(&reason))
                .await
                .map_err(explain)?;
            println!("{email}: enabled");
            Ok(())
        }
        UserCommand::Delete { email } => {
            let id = user_id(state, &email).await?;
            admin::delete(state, &cli, &id).await.map_err(explain)?;
            println!("{email}: deleted (its audit trail is kept)");
            Ok(())
        }
    }
}

/// The id of the user with `email`.
pub(super) async fn user_id(state: &AppState, email: &str) -> anyhow::Result<String> {
    admin::user_id_by_email(state, email)
        .await
        .map_err(|e| match e {
            ServiceError::NotFound => anyhow::anyhow!("no user with email {email}"),
            other => explain(other),
        })
}
