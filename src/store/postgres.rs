//! [`PgStore`]: PostgreSQL, for several instances behind a load balancer. Every piece of
//! state that correctness depends on lives in the database, so instances are stateless.

use std::time::Duration;

use anyhow::Context;
use sqlx::postgres::{PgPool, PgPoolOptions};

/// The PostgreSQL store.
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects a pool of at most `max_connections` to `url`.
    pub async fn connect(
        url: &str,
        max_connections: u32,
        acquire_timeout_secs: u64,
    ) -> anyhow::Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(acquire_timeout_secs))
            .test_before_acquire(true)
            .connect(url)
            .await
            .context("connecting to PostgreSQL")?;
        Ok(Self { pool })
    }

    fn reader(&self) -> &PgPool {
        &self.pool
    }

    fn writer(&self) -> &PgPool {
        &self.pool
    }
}

super::backend::impl_store!(
    PgStore,
    sqlx::Postgres,
    "postgres",
    sqlx::migrate!("migrations/postgres")
);
