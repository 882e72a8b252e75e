//! Persistence. [`Store`] is what the services use: ordinary methods, one file per
//! aggregate, each written once against [`db::Conn`] for both backends, and
//! [`Store::write`], the unit of work in which a service composes single statements (run
//! synchronously on SQLite's group-commit writer, or in a PostgreSQL transaction).
//! [`connect`] picks the backend from the URL scheme at run time (`sqlite:` or
//! `postgres:`/`postgresql:`). Anything single-use is decided by the database in one
//! conditional statement, and every change of more than one row is one transaction.

use std::sync::Arc;

pub mod admin;
pub mod audit;
/// Online SQLite backups.
pub mod backup;
pub mod ceremonies;
pub mod db;
pub mod devices;
pub mod factors;
pub mod guards;
pub mod keys;
pub mod mail;
pub mod oidc;
pub mod outbox;
#[cfg(feature = "postgres")]
pub mod postgres;
mod records;
pub use records::*;
pub mod sessions;
pub(crate) mod sql;
#[cfg(feature = "sqlite")]
pub mod sqlite;
#[cfg(feature = "sqlite")]
mod sqlite_writer;
pub mod sweep;
pub mod users;

pub use admin::*;
pub use db::{BoxFuture, Conn, StoreError, StoreResult, WriteResult};
pub use keys::*;
pub use mail::{EmailTokenRecord, MailAttempt, MailRecord, NewEmailToken, OutgoingMail};
pub use outbox::*;

/// The store: one database, SQLite or PostgreSQL.
pub struct Store {
    db: Db,
}

enum Db {
    #[cfg(feature = "sqlite")]
    Sqlite(sqlite::SqliteDb),
    #[cfg(feature = "postgres")]
    Postgres(postgres::PgDb),
}

impl Store {
    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match &self.db {
            #[cfg(feature = "sqlite")]
            Db::Sqlite(_) => "sqlite",
            #[cfg(feature = "postgres")]
            Db::Postgres(_) => "postgres",
        }
    }

    /// Runs the embedded migrations (safe to call from several instances at once; SQLite
    /// ran them when it was opened).
    pub async fn migrate(&self) -> StoreResult<()> {
        match &self.db {
            #[cfg(feature = "sqlite")]
            Db::Sqlite(_) => Ok(()),
            #[cfg(feature = "postgres")]
            Db::Postgres(db) => db.migrate().await,
        }
    }

    /// Checks that the database answers, and that a write can be committed.
    pub async fn ping(&self) -> StoreResult<()> {
        let mut c = self.reader().await?;
        c.execute("SELECT 1", &[]).await?;
        drop(c);
        match &self.db {
            #[cfg(feature = "sqlite")]
            Db::Sqlite(db) => db.writer.ready().await,
            #[cfg(feature = "postgres")]
            Db::Postgres(_) => Ok(()),
        }
    }

    /// A connection for reads: SQLite's on the caller's own thread (no hand-off).
    pub(crate) async fn reader(&self) -> StoreResult<Box<dyn Conn + '_>> {
        Ok(match &self.db {
            #[cfg(feature = "sqlite")]
            Db::Sqlite(db) => Box::new(db.reader()?),
            #[cfg(feature = "postgres")]
            Db::Postgres(db) => Box::new(db.reader().await?),
        })
    }

    /// Runs the unit of work `f` in one transaction, and `audit` with it when `f` keeps its
    /// changes (`f` answers whether it does, and its value). SQLite runs it on the writer's
    /// thread, in a savepoint of the batch's transaction, and answers once the batch is on
    /// disk; its statements must be all it waits on.
    pub async fn write<T, F>(&self, audit: Vec<AuditEvent>, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut dyn Conn) -> BoxFuture<'c, WriteResult<T>> + Send + 'static,
    {
        match &self.db {
            #[cfg(feature = "sqlite")]
            Db::Sqlite(db) => {
                let job: sqlite_writer::Job = Box::new(move |conn| {
                    Box::pin(async move {
                        let (keep, value) = f(conn).await?;
                        Ok((keep, Box::new(value) as Box<dyn std::any::Any + Send>))
                    })
                });
                let value = db.writer.write(audit, job).await?;
                Ok(*value
                    .downcast::<T>()
                    .expect("a unit of work answers with its own type"))
            }
            #[cfg(feature = "postgres")]
            Db::Postgres(db) => db.write(audit, f).await,
        }
    }

    /// Test hook: makes the write path fail as if its connection died (SQLite: the
    /// group-commit writer panics; with `keep_down` it cannot reopen its connection until
    /// [`Store::release_writer_for_tests`]). PostgreSQL ignores it.
    #[cfg(feature = "test-hooks")]
    pub async fn crash_writer_for_tests(&self, keep_down: bool) {
        #[cfg(feature = "sqlite")]
        if let Db::Sqlite(db) = &self.db {
            db.writer.crash(keep_down).await;
        }
        let _ = keep_down;
    }

    /// Test hook: lets a writer crashed with `keep_down` reopen its connection.
    #[cfg(feature = "test-hooks")]
    pub fn release_writer_for_tests(&self) {
        #[cfg(feature = "sqlite")]
        if let Db::Sqlite(db) = &self.db {
            db.writer.release();
        }
    }
}

/// How to open the database.
#[derive(Debug, Clone, Copy)]
pub struct StoreOptions {
    /// Largest number of pooled connections (SQLite: readers).
    pub max_connections: u32,
    /// How long a request waits for a connection, seconds.
    pub acquire_timeout_secs: u64,
    /// SQLite: most units of write work committed together (1 = one flush per write).
    pub write_batch_max: usize,
}

/// Opens the database at `url`, choosing the backend from its scheme.
/// `postgres://` and `postgresql://` select PostgreSQL; `sqlite:` URLs and bare file paths
/// (`/var/lib/twofold/twofold.db`) select SQLite.
pub async fn connect(url: &str, options: StoreOptions) -> anyhow::Result<Arc<Store>> {
    let db = match Backend::of(url)? {
        #[cfg(feature = "sqlite")]
        Backend::Sqlite(url) => Db::Sqlite(sqlite::SqliteDb::connect(&url, options).await?),
        #[cfg(feature = "postgres")]
        Backend::Postgres => Db::Postgres(postgres::PgDb::connect(url, options).await?),
    };
    Ok(Arc::new(Store { db }))
}

/// The backend a database URL names.
#[derive(Debug, PartialEq, Eq)]
enum Backend {
    /// With the URL to open (a bare path becomes `sqlite://PATH`).
    Sqlite(String),
    Postgres,
}

impl Backend {
    fn of(url: &str) -> anyhow::Result<Self> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres);
        }
        if url.contains(":memory:") || url.contains("mode=memory") {
            anyhow::bail!("in-memory SQLite databases are not supported: name a file");
        }
        if url.starts_with("sqlite:") {
            return Ok(Self::Sqlite(url.to_owned()));
        }
        match url.split_once("://") {
            Some((scheme, _)) => anyhow::bail!(
                "unsupported database URL scheme {scheme:?} (use sqlite: or postgres:)"
            ),
            None => Ok(Self::Sqlite(format!("sqlite://{url}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_is_chosen_from_the_url() {
        assert_eq!(Backend::of("postgres://u@h/db").unwrap(), Backend::Postgres);
        assert_eq!(
            Backend::of("postgresql://u@h/db").unwrap(),
            Backend::Postgres
        );
        assert_eq!(
            Backend::of("sqlite://a.db?mode=rwc").unwrap(),
            Backend::Sqlite("sqlite://a.db?mode=rwc".into())
        );
        assert_eq!(
            Backend::of("/var/lib/t.db").unwrap(),
            Backend::Sqlite("sqlite:///var/lib/t.db".into())
        );
        assert_eq!(
            Backend::of("t.db").unwrap(),
            Backend::Sqlite("sqlite://t.db".into())
        );
        assert!(Backend::of("mysql://x").is_err());
        assert!(Backend::of("sqlite::memory:").is_err());
    }
}
