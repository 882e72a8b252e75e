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
use crate::crypto::jwt::{self, KeyRing};
use crate::crypto::keys::MasterKey;
use crate::crypto::seal::{Sealer, CURRENT_KEY_ID};
use crate::crypto::token::TokenHasher;
use crate::http::edge::Edge;
use crate::service::{AppState, Keys};
use crate::store::{self, SigningKeyRecord, Store, StoreOptions};

/// A bound, ready-to-run instance.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    edge: Arc<Edge>,
}

impl Application {
    /// Builds the application on the system clock.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Arc::new(SystemClock)).await
    }

    /// Builds the application with the given clock (tests move it).
    pub async fn build_with_clock(settings: Settings, clock: SharedClock) -> anyhow::Result<Self> {
        // Settings that can be wrong are checked before anything is created.
        let edge = Edge::new(&settings, Arc::clone(&clock))?;
        for name in &settings.compat.0 {
            let known = crate::http::compat::SURFACES;
            anyhow::ensure!(
                known.iter().any(|k| k.eq_ignore_ascii_case(name)),
                "compat: unknown surface {name:?} (known: {})",
                known.join(", ")
            );
        }
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
        let master = MasterKey::load_or_generate(settings.master_key.as_ref(), &settings.data_dir)?;
        let derived = master.derive();
        let sealer = Sealer::new(&derived.seal);
        let ring = load_signing_keys(store.as_ref(), &sealer, &settings.issuer, clock.now())
            .await?
            .with_audience(settings.effective_audience());
        let concurrency = settings
            .hash_concurrency
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
        let argon = Argon::new(
            settings.argon2_memory_kib,
            settings.argon2_iterations,
            settings.argon2_parallelism,
            concurrency,
            derived.recovery_pepper.clone(),
        )?
        .with_queue_max(settings.hash_queue_max.unwrap_or(64 * concurrency));
        argon.prepare().await?;
        let listener = TcpListener::bind(&settings.listen)
            .await
            .with_context(|| format!("binding {}", settings.listen))?;
        tracing::info!(
            listen = %listener.local_addr()?,
            database = %redact_url(&url),
            backend = store.backend(),
            "twofold ready"
        );
        let state = AppState {
            store,
            keys: Arc::new(Keys {
                ring,
                sealer,
                tokens: TokenHasher::new(&derived.token_hmac),
            }),
            settings: Arc::new(settings),
            clock,
            argon,
        };
        Ok(Self {
            listener,
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
        let edge = Arc::clone(&self.edge);
        let buckets = tokio::spawn(async move {
            let mut ticks = tokio::time::interval(Duration::from_secs(60));
            loop {
                ticks.tick().await;
                edge.forget_idle_buckets();
            }
        });
        let header_timeout =
            Duration::from_secs(self.state.settings.request_timeout_seconds.max(1));
        let app = crate::http::router(self.state, self.edge);
        crate::http::serve::serve(self.listener, app, header_timeout, shutdown).await;
        sweeper.abort();
        buckets.abort();
        tracing::info!("twofold stopped");
        Ok(())
    }
}

/// Loads the signing keys, creating the first one if the database has none. Several
/// instances starting at once race on a fixed id, so exactly one key is created.
async fn load_signing_keys(
    store: &dyn Store,
    sealer: &Sealer,
    issuer: &str,
    now: i64,
) -> anyhow::Result<KeyRing> {
    let mut records = store.signing_keys().await?;
    if records.is_empty() {
        let seed = jwt::generate_seed();
        let kid = jwt::kid_of(&seed);
        let record = SigningKeyRecord {
            id: 1,
            sealed_seed: sealer.seal(seed.as_ref(), signing_key_aad(&kid).as_bytes()),
            kid,
            key_id: CURRENT_KEY_ID,
            created_at: now,
        };
        store.insert_signing_key_if_absent(&record).await?;
        records = store.signing_keys().await?;
    }
    let seeds = records
        .iter()
        .map(|r| {
            let seed = sealer
                .open(r.key_id, &r.sealed_seed, signing_key_aad(&r.kid).as_bytes())
                .context("cannot open the signing key: is TWOFOLD_MASTER_KEY the one it was sealed with?")?;
            let seed: [u8; 32] = seed.as_slice().try_into().context("signing key has the wrong length")?;
            Ok(zeroize::Zeroizing::new(seed))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    KeyRing::new(&seeds, issuer)
}

fn signing_key_aad(kid: &str) -> String {
    format!("signing-key:{kid}")
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
