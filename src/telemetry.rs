//! Logging: `tracing` to stderr, filtered by `RUST_LOG` or the `log` setting, as text or
//! as JSON lines (`log_format`). Each request's lines carry its request id (the span of
//! the HTTP layer). No secret, code or token is ever passed to a log macro, and no
//! library may write what a client sent into the log (see [`QUIET_TARGETS`]).

use tracing_subscriber::EnvFilter;

/// Libraries whose events are off unless the filter names them: they log what a client
/// sent. webauthn-rs-core writes a malformed attestation or authenticator data whole, at
/// ERROR (its parser's error holds the input), so one 64 KiB request made several times
/// its size in log lines; the services log the refusal themselves, in one short line.
pub const QUIET_TARGETS: &[&str] = &["webauthn_rs_core"];

/// The filter of the subscriber: `RUST_LOG` when it is set and valid, else
/// `default_filter`; each of [`QUIET_TARGETS`] is off unless the directives name it.
pub fn filter(default_filter: &str) -> EnvFilter {
    let directives = std::env::var(EnvFilter::DEFAULT_ENV)
        .ok()
        .filter(|d| EnvFilter::try_new(d).is_ok())
        .unwrap_or_else(|| default_filter.to_owned());
    QUIET_TARGETS
        .iter()
        .filter(|target| !directives.contains(**target))
        .filter_map(|target| format!("{target}=off").parse().ok())
        .fold(EnvFilter::new(&directives), EnvFilter::add_directive)
}

/// Installs the global text subscriber (once; later calls are ignored).
pub fn init(default_filter: &str) {
    let _ = init_format(default_filter, "text");
}

/// Installs the global subscriber in `format` (`text` or `json`); an unknown format is
/// an error.
pub fn init_format(default_filter: &str, format: &str) -> anyhow::Result<()> {
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter(default_filter))
        .with_writer(std::io::stderr);
    let _ = match format {
        "text" => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .try_init(),
        "json" => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
        other => anyhow::bail!("log_format must be text or json, not {other:?}"),
    };
    Ok(())
}
