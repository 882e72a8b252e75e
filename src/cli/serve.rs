//! `serve`: the HTTP service in the foreground until a signal stops it. The command line
//! only applies `--listen` and starts the logging; building and running the service is
//! `startup`'s, which the tests use too.

use crate::config::Settings;
use crate::startup::Application;

/// Runs the service with `settings`, listening on `listen` when given.
pub(super) async fn run(mut settings: Settings, listen: Option<String>) -> anyhow::Result<()> {
    if let Some(listen) = listen {
        settings.listen = listen;
    }
    crate::telemetry::init_format(&settings.log, &settings.log_format)?;
    Application::build(settings)
        .await?
        .run_until_stopped()
        .await
}
