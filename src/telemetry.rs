//! Logging: `tracing` to stderr, filtered by `RUST_LOG` or the `log` setting, as text or
//! as JSON lines (`log_format`). Each request's lines carry its request id (the span of
//! the HTTP layer). No secret, code or token is ever passed to a log macro.

use tracing_subscriber::EnvFilter;

/// Installs the global text subscriber (once; later calls are ignored).
pub fn init(default_filter: &str) {
    let _ = init_format(default_filter, "text");
}

/// Installs the global subscriber in `format` (`text` or `json`); an unknown format is
/// an error.
pub fn init_format(default_filter: &str, format: &str) -> anyhow::Result<()> {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
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
