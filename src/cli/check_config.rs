//! `check-config`: the checks `serve` makes before it starts (the settings, the database,
//! the keys) without binding a port, and a summary of what would be used, so that an
//! operator learns of a mistake before a deploy rather than from a crash loop.

use anyhow::Context;

use super::open;
use crate::config::{redact_url, Settings};
use crate::service::operate;
use crate::startup::check_serve_settings;

/// Checks `settings`, opens the database and the keys, and prints the summary.
pub(super) async fn run(settings: Settings) -> anyhow::Result<()> {
    check_serve_settings(&settings)?;
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
    println!(
        "  mail            {}",
        match &s.smtp_url {
            Some(url) => crate::config::redact_url(secrecy::ExposeSecret::expose_secret(url)),
            None => format!("files in {}", s.data_dir.join("mail").display()),
        }
    );
    println!(
        "  cookie domain   {}",
        s.cookie_domain
            .as_deref()
            .unwrap_or("none (host-only cookies)")
    );
    // The forward-auth rules as understood (PROXY.md): normalized domains, methods,
    // subjects, in the order they are checked.
    let rules = &state.access;
    println!(
        "  access rules    {} (default policy {})",
        rules.rules.len(),
        rules.default.as_str()
    );
    for (i, rule) in rules.rules.iter().enumerate() {
        let or_any = |v: Vec<String>| {
            if v.is_empty() {
                "any".to_owned()
            } else {
                v.join(" ")
            }
        };
        println!(
            "    {}. {} domain {} path {} methods {} subject {}",
            i + 1,
            rule.policy.as_str(),
            rule.domains.join(" "),
            or_any(
                rule.resources
                    .iter()
                    .map(|r| r.as_str().to_owned())
                    .collect()
            ),
            or_any(rule.methods.clone()),
            or_any(
                rule.subjects
                    .iter()
                    .map(|s| match s {
                        crate::domain::access::Subject::Group(g) => format!("group:{g}"),
                        crate::domain::access::Subject::User(u) => format!("user:{u}"),
                    })
                    .collect()
            ),
        );
    }
    Ok(())
}
