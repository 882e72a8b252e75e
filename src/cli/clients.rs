//! `clients`: registering the apps that sign people in through twofold (OIDC.md), with
//! the same service functions as the admin API. A secret is printed once, by `add` and
//! `rotate-secret`, and never again.

use std::io::Write;

use clap::Subcommand;

use super::failure::explain;
use crate::domain::time::rfc3339;
use crate::service::admin::Actor;
use crate::service::oidc::clients::{self, Client, ClientSettings};
use crate::service::AppState;

/// The `clients` subcommands.
#[derive(Subcommand)]
pub(super) enum ClientsCommand {
    /// Register an app; prints its client_id and (confidential clients) client_secret.
    Add(#[command(flatten)] AddArgs),
    /// Every registered app.
    List {
        /// JSON lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// One app's settings.
    Show { id: String },
    /// A new client_secret (printed once); the old one stops working at once.
    RotateSecret { id: String },
    /// Remove an app: every grant, code and token it holds ends.
    Remove { id: String },
}

/// What `clients add` registers.
#[derive(clap::Args)]
pub(super) struct AddArgs {
    /// The app's name, shown on the consent page.
    #[arg(long)]
    name: String,
    /// Where the app receives the code (exact; repeat for several).
    #[arg(long = "redirect-uri", required = true)]
    redirect_uris: Vec<String>,
    /// Where the app may send the person after logout (exact; repeatable).
    #[arg(long = "post-logout-redirect-uri")]
    post_logout_redirect_uris: Vec<String>,
    /// OpenID Back-Channel Logout: where to POST the logout token.
    #[arg(long = "backchannel-logout-uri")]
    backchannel_logout_uri: Option<String>,
    /// A public client (a browser or native app): no secret, PKCE required.
    #[arg(long)]
    public: bool,
    /// The deployment's own app: never asks for consent.
    #[arg(long = "first-party")]
    first_party: bool,
    /// Every sign-in needs two factors (enrolling one if the person has none).
    #[arg(long = "require-mfa")]
    require_mfa: bool,
    /// The scopes it may ask for (default "openid email profile groups offline_access").
    #[arg(long)]
    scopes: Option<String>,
    /// How its ID tokens are signed: RS256 (default) or EdDSA.
    #[arg(long = "id-token-alg", value_parser = ["RS256", "EdDSA"])]
    id_token_alg: Option<String>,
}

impl From<AddArgs> for ClientSettings {
    fn from(a: AddArgs) -> Self {
        Self {
            name: a.name,
            redirect_uris: a.redirect_uris,
            post_logout_redirect_uris: a.post_logout_redirect_uris,
            backchannel_logout_uri: a.backchannel_logout_uri,
            public: a.public,
            first_party: a.first_party,
            require_mfa: a.require_mfa,
            scopes: a.scopes,
            id_token_alg: a.id_token_alg,
        }
    }
}

fn describe(client: &Client) -> serde_json::Value {
    serde_json::json!({
        "clientId": client.id,
        "name": client.name,
        "public": client.public,
        "redirectUris": client.redirect_uris,
        "postLogoutRedirectUris": client.post_logout_redirect_uris,
        "backchannelLogoutUri": client.backchannel_logout_uri,
        "firstParty": client.first_party,
        "requireMfa": client.require_mfa,
        "scopes": client.scopes.join(" "),
        "idTokenAlg": client.id_token_alg.as_str(),
        "createdAt": rfc3339(client.created_at),
    })
}

/// Runs a `clients` subcommand.
pub(super) async fn run(state: &AppState, command: ClientsCommand) -> anyhow::Result<()> {
    let cli = Actor::Cli;
    let mut out = std::io::stdout().lock();
    match command {
        ClientsCommand::Add(args) => {
            let settings = ClientSettings::from(args);
            let (client, secret) = clients::add(state, &cli, &settings)
                .await
                .map_err(explain)?;
            writeln!(out, "client_id: {}", client.id)?;
            if let Some(secret) = secret {
                writeln!(out, "client_secret: {secret}")?;
                writeln!(
                    out,
                    "# the secret is shown only now: store it in the app's settings"
                )?;
            }
        }
        ClientsCommand::List { json } => {
            let list = clients::list(state).await.map_err(explain)?;
            if !json {
                writeln!(out, "{:<34} {:<12} {:<6} NAME", "CLIENT_ID", "TYPE", "MFA")?;
            }
            for c in &list {
                if json {
                    writeln!(out, "{}", describe(c))?;
                } else {
                    let kind = if c.public { "public" } else { "confidential" };
                    let mfa = if c.require_mfa { "yes" } else { "no" };
                    writeln!(out, "{:<34} {:<12} {:<6} {}", c.id, kind, mfa, c.name)?;
                }
            }
        }
        ClientsCommand::Show { id } => {
            let client = clients::get(state, &id).await.map_err(explain)?;
            writeln!(out, "{}", serde_json::to_string_pretty(&describe(&client))?)?;
        }
        ClientsCommand::RotateSecret { id } => {
            let secret = clients::rotate_secret(state, &cli, &id)
                .await
                .map_err(explain)?;
            writeln!(out, "client_id: {id}")?;
            writeln!(out, "client_secret: {secret}")?;
        }
        ClientsCommand::Remove { id } => {
            clients::remove(state, &cli, &id).await.map_err(explain)?;
            writeln!(out, "removed {id}")?;
        }
    }
    Ok(())
}
