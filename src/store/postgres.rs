//! [`PgStore`]: PostgreSQL, for several instances behind a load balancer. Every piece of
//! state that correctness depends on lives in the database, so instances are stateless.
//! Each unit of write work is its own transaction; PostgreSQL coalesces the flushes of
//! concurrent commits itself.

use std::time::Duration;

use anyhow::Context;
use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions};

use super::{BoxFuture, StoreError, StoreOptions, StoreResult, WriteResult};

/// The PostgreSQL store.
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects a pool of at most `max_connections` to `url`.
    pub async fn connect(url: &str, options: StoreOptions) -> anyhow::Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(Duration::from_secs(options.acquire_timeout_secs))
            .test_before_acquire(true)
            .connect(url)
            .await
            .context("connecting to PostgreSQL")?;
        Ok(Self { pool })
    }

    fn reader(&self) -> &PgPool {
        &self.pool
    }

    /// Runs `f` in a transaction of its own, committed only when `f` keeps its changes.
    async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut PgConnection) -> BoxFuture<'c, WriteResult<T>> + Send + 'static,
    {
        let mut tx = self.pool.begin().await?;
        let (keep, value) = f(&mut tx).await?;
        if keep {
            let started = std::time::Instant::now();
            tx.commit().await?;
            metrics::histogram!("twofold_db_commit_duration_seconds").record(started.elapsed());
        } else {
            tx.rollback().await?;
        }
        Ok(value)
    }

    /// Like [`Self::write`], and `audit` is written in the same transaction when `f` keeps
    /// its changes.
    async fn write_audited<T, F>(&self, audit: Vec<super::AuditEvent>, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut PgConnection) -> BoxFuture<'c, WriteResult<T>> + Send + 'static,
    {
        self.write(move |conn| {
            Box::pin(async move {
                let (keep, value) = f(&mut *conn).await?;
                if keep {
                    insert_audits(conn, &audit).await?;
                }
                Ok((keep, value))
            })
        })
        .await
    }

    /// Every write opens its own transaction: nothing more to check than the ping.
    async fn writes_ready(&self) -> StoreResult<()> {
        Ok(())
    }

    /// PostgreSQL has no writer task to crash.
    #[cfg(feature = "test-hooks")]
    async fn crash_writer(&self, _keep_down: bool) {}

    #[cfg(feature = "test-hooks")]
    fn release_writer(&self) {}

    /// Applies the embedded migrations (sqlx serializes concurrent migrators with an
    /// advisory lock, so instances starting together are safe).
    async fn run_migrations(&self) -> StoreResult<()> {
        sqlx::migrate!("migrations/postgres")
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Other(e.into()))
    }
}

super::operate::impl_operator_store!(PgStore, sqlx::Postgres);
super::backend::impl_store!(PgStore, sqlx::Postgres, "postgres");
