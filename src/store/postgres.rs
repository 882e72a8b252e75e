//! PostgreSQL, for several instances behind a load balancer. Every piece of state that
//! correctness depends on lives in the database, so instances are stateless. Each unit of
//! write work is its own transaction; PostgreSQL coalesces the flushes of concurrent
//! commits itself. Statements are prepared once per connection (sqlx's statement cache).

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgArguments, PgConnection, PgPool, PgPoolOptions, PgRow};
use sqlx::query::Query;
use sqlx::{Column as _, Postgres, Row as _, TypeInfo as _, ValueRef as _};

use super::db::{Arg, BoxFuture, Conn, Param, Row, StoreError, StoreResult, Value, WriteResult};
use super::{AuditEvent, StoreOptions};

/// The PostgreSQL database.
pub struct PgDb {
    pool: PgPool,
}

impl PgDb {
    /// Connects a pool of at most `max_connections` to `url`.
    pub async fn connect(url: &str, options: StoreOptions) -> anyhow::Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(Duration::from_secs(options.acquire_timeout_secs))
            // A ping before each use: after a failover or a restart, the next request gets
            // a live connection, not a dead one (a round trip each; issue 20 measured
            // turning it off and kept it, see BENCHMARKS.md).
            .test_before_acquire(true)
            .connect(url)
            .await
            .context("connecting to PostgreSQL")?;
        Ok(Self { pool })
    }

    /// A pooled connection for reads.
    pub(super) async fn reader(&self) -> StoreResult<PgReader> {
        Ok(PgReader(self.pool.acquire().await.map_err(map_error)?))
    }

    /// Runs `f` in a transaction of its own, committed (with `audit`) only when `f` keeps
    /// its changes.
    pub(super) async fn write<T, F>(&self, audit: Vec<AuditEvent>, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut dyn Conn) -> BoxFuture<'c, WriteResult<T>> + Send + 'static,
    {
        let mut tx = self.pool.begin().await.map_err(map_error)?;
        let mut conn = Pg(&mut tx);
        let (keep, value) = f(&mut conn).await?;
        if keep {
            super::audit::insert_audits(&mut conn, &audit).await?;
            let started = std::time::Instant::now();
            tx.commit().await.map_err(map_error)?;
            metrics::histogram!("twofold_db_commit_duration_seconds").record(started.elapsed());
        } else {
            tx.rollback().await.map_err(map_error)?;
        }
        Ok(value)
    }

    /// Applies the embedded migrations (sqlx serializes concurrent migrators with an
    /// advisory lock, so instances starting together are safe).
    pub(super) async fn migrate(&self) -> StoreResult<()> {
        sqlx::migrate!("migrations/postgres")
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Other(e.to_string()))
    }
}

/// A pooled connection, for reads.
pub struct PgReader(PoolConnection<Postgres>);

#[async_trait]
impl Conn for PgReader {
    async fn execute(&mut self, sql: &str, args: &[&dyn Param]) -> StoreResult<u64> {
        Pg(&mut self.0).execute(sql, args).await
    }
    async fn fetch_all(&mut self, sql: &str, args: &[&dyn Param]) -> StoreResult<Vec<Row>> {
        Pg(&mut self.0).fetch_all(sql, args).await
    }
}

/// A connection inside a transaction.
struct Pg<'c>(&'c mut PgConnection);

#[async_trait]
impl Conn for Pg<'_> {
    async fn execute(&mut self, sql: &str, args: &[&dyn Param]) -> StoreResult<u64> {
        let done = bind(sqlx::query(sql), args)
            .execute(&mut *self.0)
            .await
            .map_err(map_error)?;
        Ok(done.rows_affected())
    }

    async fn fetch_all(&mut self, sql: &str, args: &[&dyn Param]) -> StoreResult<Vec<Row>> {
        let rows = bind(sqlx::query(sql), args)
            .fetch_all(&mut *self.0)
            .await
            .map_err(map_error)?;
        let Some(first) = rows.first() else {
            return Ok(Vec::new());
        };
        let columns: Arc<[String]> = first
            .columns()
            .iter()
            .map(|c| c.name().to_owned())
            .collect();
        rows.iter()
            .map(|row| Ok(Row::new(Arc::clone(&columns), values(row)?)))
            .collect()
    }
}

fn bind<'q>(
    mut query: Query<'q, Postgres, PgArguments>,
    args: &'q [&dyn Param],
) -> Query<'q, Postgres, PgArguments> {
    for arg in args {
        query = match arg.arg() {
            Arg::Int(i) => query.bind(i),
            Arg::Text(s) => query.bind(s),
            Arg::Blob(b) => query.bind(b),
            Arg::NullInt => query.bind(None::<i64>),
            Arg::NullText => query.bind(None::<String>),
            Arg::NullBlob => query.bind(None::<Vec<u8>>),
        };
    }
    query
}

/// A row's values, decoded by their PostgreSQL types.
fn values(row: &PgRow) -> StoreResult<Vec<Value>> {
    let decode = |e: sqlx::Error| StoreError::Other(e.to_string());
    (0..row.len())
        .map(|i| {
            let raw = row.try_get_raw(i).map_err(decode)?;
            if raw.is_null() {
                return Ok(Value::Null);
            }
            let kind = raw.type_info();
            Ok(match kind.name() {
                "INT8" => Value::Int(row.try_get::<i64, _>(i).map_err(decode)?),
                "INT4" => Value::Int(row.try_get::<i32, _>(i).map_err(decode)?.into()),
                "INT2" => Value::Int(row.try_get::<i16, _>(i).map_err(decode)?.into()),
                "BOOL" => Value::Int(row.try_get::<bool, _>(i).map_err(decode)?.into()),
                "BYTEA" => Value::Blob(row.try_get::<Vec<u8>, _>(i).map_err(decode)?),
                _ => Value::Text(row.try_get::<String, _>(i).map_err(decode)?),
            })
        })
        .collect()
}

/// sqlx's errors in the store's words.
pub(super) fn map_error(err: sqlx::Error) -> StoreError {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::UniqueViolation,
        sqlx::Error::Database(db) if db.code().as_deref() == Some("P0001") => {
            StoreError::Raised(db.message().to_owned())
        }
        sqlx::Error::Database(db) if db.code().is_some_and(|c| is_unavailable_code(&c)) => {
            StoreError::Unavailable(err.to_string())
        }
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => StoreError::Unavailable(err.to_string()),
        _ => StoreError::Other(err.to_string()),
    }
}

/// PostgreSQL SQLSTATEs that mean "the database is not there right now" rather than a
/// bug: connection exceptions (08), insufficient resources (53, e.g. too many
/// connections), operator intervention (57, e.g. admin shutdown), a database that does not
/// exist (3D000) or does not accept connections (55000).
fn is_unavailable_code(code: &str) -> bool {
    ["08", "53", "57"]
        .iter()
        .any(|class| code.starts_with(class))
        || code == "3D000"
        || code == "55000"
}
