//! `admin`: the admin role, locks, the break-glass MFA reset, the audit trail and the
//! webhook events given up on (`admin user` is in `users.rs`). The commands call the same
//! service functions as the admin API, with [`Actor::Cli`] in the audit trail, and find
//! users by the email the operator types; what is printed (lines, tables, JSON lines) is
//! decided here.

use super::failure::explain;
use std::io::Write;

use clap::Subcommand;

use super::users::{self, user_id, UserCommand};
use crate::domain::time::rfc3339;
use crate::service::admin::{self, Actor};
use crate::service::operate;
use crate::service::AppState;

/// The `admin` subcommands.
#[derive(Subcommand)]
pub(super) enum AdminCommand {
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

/// The `admin mfa` subcommands.
#[derive(Subcommand)]
pub(super) enum MfaCommand {
    /// Remove the user's authenticator, recovery codes and pending setup and revoke every
    /// session: the user logs in with the password alone and enrolls again.
    Reset {
        email: String,
        /// Why (kept in the audit trail).
        #[arg(long, required = true)]
        reason: String,
    },
}

/// The `admin webhooks` subcommands.
#[derive(Subcommand)]
pub(super) enum WebhooksCommand {
    /// Events given up on after 24 hours of failed tries.
    Failed {
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(i64).range(1..=1000))]
        limit: i64,
    },
}

/// Runs an `admin` subcommand on the opened database.
pub(super) async fn run(state: &AppState, command: AdminCommand) -> anyhow::Result<()> {
    let cli = Actor::Cli;
    match command {
        AdminCommand::User { command } => users::run(state, command).await,
        AdminCommand::Grant { email } | AdminCommand::Revoke { email }
            if email.trim().is_empty() =>
        {
            anyhow::bail!("an email is required")
        }
        AdminCommand::Grant { email } => {
            let id = user_id(state, &email).await?;
            admin::set_admin(state, &cli, &id, true)
                .await
                .map_err(explain)?;
            println!("{email}: is an admin (from its next login)");
            Ok(())
        }
        AdminCommand::Revoke { email } => {
            let id = user_id(state, &email).await?;
            admin::set_admin(state, &cli, &id, false)
                .await
                .map_err(explain)?;
            println!("{email}: is no longer an admin");
            Ok(())
        }
        AdminCommand::Unlock { email } => {
            let id = user_id(state, &email).await?;
            admin::unlock(state, &cli, &id).await.map_err(explain)?;
            println!("{email}: every lock and failure counter cleared");
            Ok(())
        }
        AdminCommand::Mfa {
            command: MfaCommand::Reset { email, reason },
        } => {
            anyhow::ensure!(!reason.trim().is_empty(), "--reason must not be empty");
            let id = user_id(state, &email).await?;
            admin::reset_mfa(state, &cli, &id, Some(&reason))
                .await
                .map_err(explain)?;
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
            audit(state, user.as_deref(), kind.as_deref(), limit, json).await
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

/// Prints audit events, a table or JSON lines.
async fn audit(
    state: &AppState,
    user: Option<&str>,
    kind: Option<&str>,
    limit: i64,
    json: bool,
) -> anyhow::Result<()> {
    let events = admin::audit(state, user, kind, None, limit)
        .await
        .map_err(explain)?;
    let mut out = std::io::stdout().lock();
    if !json {
        writeln!(
            out,
            "{:<8}  {:<20}  {:<32}  {:<36}  DETAILS",
            "ID", "AT", "TYPE", "USER"
        )?;
    }
    for e in events {
        let details: serde_json::Value = serde_json::from_str(&e.details).unwrap_or_default();
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
