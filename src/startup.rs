//! [`Application`]: connects and migrates the database, loads the keys, binds the listener,
//! and serves until Ctrl-C / SIGTERM (or a test's shutdown signal), draining in-flight
//! requests before it returns.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::clock::{SharedClock, SystemClock};
use crate::config::{redact_url, Settings};
use crate::crypto::argon::Argon;
use crate::crypto::keys::MasterKey;
use crate::crypto::token::TokenHasher;
use crate::http::edge::Edge;
use crate::service::{keys, AppState, Keys};
use crate::store::{self, StoreOptions};

/// How often each instance reloads the signing keys (a rotation by the CLI or another
/// instance; tokens signed by a key it does not know yet make it reload at once).
const KEY_RELOAD_INTERVAL: Duration = Duration::from_secs(10);

/// A bound, ready-to-run instance.
pub struct Application {
    listener: TcpListener,
    /// The Prometheus listener, when `metrics_listen` is set.
    metrics: Option<TcpListener>,
    state: AppState,
    edge: Arc<Edge>,
}

impl Application {
    /// Builds the application on the system clock.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Arc::new(SystemClock)).await
    }

    /// Builds the application with the given clock (tests move it).
    pub async fn build_with_clock(
        mut settings: Settings,
        clock: SharedClock,
    ) -> anyhow::Result<Self> {
        // Settings that can be wrong are checked before anything is created.
        let edge = Edge::new(&settings, Arc::clone(&clock))?;
        check_settings(&settings)?;
        if !settings.secure_transport() && !settings.listens_on_loopback() {
            tracing::warn!(
                "public_url is http://: cookies go without Secure and no HSTS is sent; \
                 behind a TLS proxy, set TWOFOLD_PUBLIC_URL to the https:// origin browsers use"
            );
        }
        let listener = TcpListener::bind(&settings.listen)
            .await
            .with_context(|| format!("binding {}", settings.listen))?;
        // The default origin names the port actually bound (`listen` may say port 0).
        let port = listener.local_addr()?.port();
        settings.public_url = Some(settings.effective_public_url(Some(port)));
        let state = open_state(settings, clock, MasterKeySource::GenerateIfMissing).await?;
        let settings = &state.settings;
        let metrics = match &settings.metrics_listen {
            Some(address) => Some({
                crate::http::metrics::install()?;
                TcpListener::bind(address)
                    .await
                    .with_context(|| format!("binding the metrics listener {address}"))?
            }),
            None => None,
        };
        tracing::info!(
            listen = %listener.local_addr()?,
            metrics = ?metrics.as_ref().and_then(|m| m.local_addr().ok()),
            database = %redact_url(&settings.effective_database_url()),
            backend = state.store.backend(),
            "twofold ready"
        );
        Ok(Self {
            listener,
            metrics,
            state,
            edge,
        })
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The shared state (tests use it to inspect the store).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until Ctrl-C or SIGTERM.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `shutdown` completes, then drains in-flight requests.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let sweeper = tokio::spawn(crate::service::sweep::run(self.state.clone()));
        let key_reloader = tokio::spawn(keys::reload_periodically(
            self.state.clone(),
            KEY_RELOAD_INTERVAL,
        ));
        let edge = Arc::clone(&self.edge);
        let buckets = tokio::spawn(async move {
            let mut ticks = tokio::time::interval(Duration::from_secs(60));
            loop {
                ticks.tick().await;
                edge.forget_idle_buckets();
            }
        });
        let webhooks = tokio::spawn(crate::service::webhooks::run(self.state.clone()));
        let mail = tokio::spawn(crate::service::mail::run(self.state.clone()));
        let logouts = tokio::spawn(crate::service::oidc::logout::run(self.state.clone()));
        let metrics = self
            .metrics
            .map(|listener| tokio::spawn(crate::http::metrics::serve(listener)));
        let header_timeout =
            Duration::from_secs(self.state.settings.request_timeout_seconds.max(1));
        let app = crate::http::router(self.state, self.edge);
        crate::http::serve::serve(self.listener, app, header_timeout, shutdown).await;
        sweeper.abort();
        key_reloader.abort();
        webhooks.abort();
        mail.abort();
        logouts.abort();
        if let Some(metrics) = metrics {
            metrics.abort();
        }
        buckets.abort();
        tracing::info!("twofold stopped");
        Ok(())
    }
}

/// Where the master key comes from when none is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MasterKeySource {
    /// `serve`: generate `data_dir/master.key` on first start.
    GenerateIfMissing,
    /// The other commands: the key must exist.
    MustExist,
}

/// Checks every setting `serve` checks before it creates anything: the edge's (trusted
/// proxies, rate limit), then [`check_settings`]. `check-config` runs this, so that it
/// refuses what `serve` would refuse without the command line reaching into the HTTP layer.
pub fn check_serve_settings(settings: &Settings) -> anyhow::Result<()> {
    Edge::new(settings, Arc::new(SystemClock))?;
    check_settings(settings)
}

/// Checks the settings that are not checked where they are used.
pub fn check_settings(settings: &Settings) -> anyhow::Result<()> {
    for name in &settings.compat.0 {
        let known = crate::http::compat::SURFACES;
        anyhow::ensure!(
            known.iter().any(|k| k.eq_ignore_ascii_case(name)),
            "compat: unknown surface {name:?} (known: {})",
            known.join(", ")
        );
    }
    crate::service::webhooks::check_settings(settings)?;
    crate::service::mail::check_settings(settings)?;
    crate::http::pages::check_settings(settings)?;
    crate::service::passkeys::relying_party(settings)?;
    anyhow::ensure!(
        (1..=100).contains(&settings.max_factors),
        "max_factors must be between 1 and 100"
    );
    anyhow::ensure!(
        ["text", "json"].contains(&settings.log_format.as_str()),
        "log_format must be text or json"
    );
    check_cookie_domain(settings)?;
    settings.access_rules().map_err(|e| anyhow::anyhow!(e))?;
    Ok(())
}

/// `cookie_domain` must be `public_url`'s host or a parent of it (PROXY.md).
fn check_cookie_domain(settings: &Settings) -> anyhow::Result<()> {
    if settings.cookie_domain.is_none() {
        return Ok(());
    }
    let domain = settings.cookie_domain().unwrap_or_default();
    let public = settings.effective_public_url(None);
    let host = url::Url::parse(&public)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default();
    anyhow::ensure!(
        !domain.is_empty() && crate::domain::access::within(&host, &domain),
        "cookie_domain {domain:?} must be public_url's host ({host}) or a parent of it"
    );
    Ok(())
}

/// Opens (and migrates) the database and the keys: the state of the service, which the
/// command line's operations use too.
pub async fn open_state(
    settings: Settings,
    clock: SharedClock,
    master_source: MasterKeySource,
) -> anyhow::Result<AppState> {
    let url = settings.effective_database_url();
    let options = StoreOptions {
        max_connections: settings.db_max_connections,
        acquire_timeout_secs: settings.db_acquire_timeout_seconds,
        write_batch_max: settings.write_batch_max,
    };
    let store = store::connect(&url, options)
        .await
        .with_context(|| format!("opening database {}", redact_url(&url)))?;
    store
        .migrate()
        .await
        .context("running database migrations")?;
    let master = match master_source {
        MasterKeySource::GenerateIfMissing => {
            MasterKey::load_or_generate(settings.master_key.as_ref(), &settings.data_dir)?
        }
        MasterKeySource::MustExist => {
            MasterKey::load_existing(settings.master_key.as_ref(), &settings.data_dir)?
        }
    };
    let unsealed = keys::unseal(store.as_ref(), &master, clock.now()).await?;
    let ring = keys::load_ring(
        store.as_ref(),
        &unsealed.sealer,
        &settings.issuer,
        settings.effective_audience(),
        settings.access_token_ttl,
        clock.now(),
    )
    .await?;
    let concurrency = settings
        .hash_concurrency
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let argon = Argon::new(
        settings.argon2_memory_kib,
        settings.argon2_iterations,
        settings.argon2_parallelism,
        concurrency,
        unsealed.recovery_pepper.clone(),
    )?
    .with_queue_max(settings.hash_queue_max.unwrap_or(64 * concurrency));
    argon.prepare().await?;
    Ok(AppState {
        store,
        keys: Arc::new(Keys {
            ring: keys::SigningKeys::new(ring),
            tokens: TokenHasher::new(&unsealed.token_hmac),
            sealer: keys::Sealers::new(unsealed.sealer),
        }),
        webauthn: Arc::new(crate::service::passkeys::relying_party(&settings)?),
        access: Arc::new(settings.access_rules().map_err(|e| anyhow::anyhow!(e))?),
        live_sessions: Arc::default(),
        settings: Arc::new(settings),
        clock,
        argon,
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested: draining in-flight requests");
}
