//! SQLite, the embedded default, on rusqlite with no thread hand-off on the read path.
//! WAL journal, `synchronous=FULL` (an acknowledged write survives a power cut), foreign
//! keys on. Reads run on the request's own thread, on a read-only connection taken from a
//! small pool, each keeping its prepared statements. Writes use group commit on the
//! writer's own thread ([`super::sqlite_writer`]). The database file is created 0600 in a
//! folder created 0700; migrations are sqlx's, as before, so existing files upgrade as
//! they always did.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::ConnectOptions;

use super::db::{Arg, Conn, Param, Row, StoreError, StoreResult, Value};
use super::sqlite_writer::Writer;
use super::StoreOptions;

/// Prepared statements kept per connection (the store has about a hundred).
const STATEMENT_CACHE: usize = 256;
/// How long a statement waits for SQLite's lock before it gives up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The SQLite database: a pool of readers and the group-commit writer.
pub struct SqliteDb {
    path: PathBuf,
    readers: Mutex<Vec<Connection>>,
    idle_readers: usize,
    pub(super) writer: Writer,
}

impl SqliteDb {
    /// Opens (creating if needed) the database file of `url`, migrates it, and starts the
    /// writer.
    pub async fn connect(url: &str, store: StoreOptions) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .context("parsing the SQLite URL")?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let path = options.get_filename().to_path_buf();
        create_private_file(&path)?;
        let mut conn = options
            .connect()
            .await
            .context("opening the SQLite database")?;
        sqlx::migrate!("migrations/sqlite")
            .run(&mut conn)
            .await
            .context("running database migrations")?;
        sqlx::Connection::close(conn)
            .await
            .context("closing the migration connection")?;
        let first = open_writer(&path).context("opening the SQLite database for writing")?;
        let writer = Writer::start(
            first,
            path.clone(),
            store
                .write_batch_max
                .clamp(1, super::sqlite_writer::MAX_BATCH),
        );
        let db = Self {
            path,
            readers: Mutex::new(Vec::new()),
            idle_readers: store.max_connections.max(1) as usize,
            writer,
        };
        // One reader now, so that a database that cannot be read fails at start.
        let reader = db.reader()?;
        drop(reader);
        Ok(db)
    }

    /// A read-only connection for the caller's thread, returned to the pool when dropped.
    pub(super) fn reader(&self) -> StoreResult<Reader<'_>> {
        let pooled = self.readers.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => open_reader(&self.path).map_err(unavailable)?,
        };
        Ok(Reader {
            conn: Some(conn),
            db: self,
        })
    }
}

/// A pooled read-only connection.
pub struct Reader<'a> {
    conn: Option<Connection>,
    db: &'a SqliteDb,
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            let mut idle = self.db.readers.lock().unwrap_or_else(|e| e.into_inner());
            if idle.len() < self.db.idle_readers {
                idle.push(conn);
            }
        }
    }
}

#[async_trait]
impl Conn for Reader<'_> {
    async fn execute(&mut self, sql: &str, args: &[&dyn Param]) -> StoreResult<u64> {
        execute(self.conn.as_mut().expect("held until dropped"), sql, args)
    }
    async fn fetch_all(&mut self, sql: &str, args: &[&dyn Param]) -> StoreResult<Vec<Row>> {
        fetch_all(self.conn.as_mut().expect("held until dropped"), sql, args)
    }
}

/// The writer's connection inside a unit of work.
pub(super) struct Lite<'c>(pub &'c mut Connection);

#[async_trait]
impl Conn for Lite<'_> {
    async fn execute(&mut self, sql: &str, args: &[&dyn Param]) -> StoreResult<u64> {
        execute(self.0, sql, args)
    }
    async fn fetch_all(&mut self, sql: &str, args: &[&dyn Param]) -> StoreResult<Vec<Row>> {
        fetch_all(self.0, sql, args)
    }
}

/// Opens the write connection: WAL, `synchronous=FULL`, foreign keys.
pub(super) fn open_writer(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
    )?;
    Ok(conn)
}

fn open_reader(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.execute_batch("PRAGMA foreign_keys = ON;")?;
    Ok(conn)
}

impl rusqlite::ToSql for Arg<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match *self {
            Arg::Int(i) => ValueRef::Integer(i),
            Arg::Text(s) => ValueRef::Text(s.as_bytes()),
            Arg::Blob(b) => ValueRef::Blob(b),
            Arg::NullInt | Arg::NullText | Arg::NullBlob => ValueRef::Null,
        }))
    }
}

/// Prepares (or takes from the cache) `sql` and binds `args` by the number of each `$N`
/// placeholder: SQLite numbers named parameters in order of appearance, so `$2` may well
/// be its first one.
fn prepare<'c>(
    conn: &'c Connection,
    sql: &str,
    args: &[&dyn Param],
) -> rusqlite::Result<rusqlite::CachedStatement<'c>> {
    let mut stmt = conn.prepare_cached(sql)?;
    for i in 1..=stmt.parameter_count() {
        let n = stmt
            .parameter_name(i)
            .and_then(|name| name.strip_prefix('$'))
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or(rusqlite::Error::InvalidParameterName(format!("#{i}")))?;
        let arg = args
            .get(n - 1)
            .ok_or(rusqlite::Error::InvalidParameterCount(n, args.len()))?;
        stmt.raw_bind_parameter(i, arg.arg())?;
    }
    Ok(stmt)
}

fn execute(conn: &mut Connection, sql: &str, args: &[&dyn Param]) -> StoreResult<u64> {
    let run = || -> rusqlite::Result<u64> {
        let mut stmt = prepare(conn, sql, args)?;
        let mut rows = stmt.raw_query();
        while rows.next()?.is_some() {}
        drop(rows);
        drop(stmt);
        Ok(conn.changes())
    };
    run().map_err(map_error)
}

fn fetch_all(conn: &mut Connection, sql: &str, args: &[&dyn Param]) -> StoreResult<Vec<Row>> {
    let run = || -> rusqlite::Result<Vec<Row>> {
        let mut stmt = prepare(conn, sql, args)?;
        let columns: Arc<[String]> = stmt.column_names().into_iter().map(String::from).collect();
        let width = columns.len();
        let mut rows = stmt.raw_query();
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(match row.get_ref(i)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(v) => Value::Int(v),
                    ValueRef::Real(v) => Value::Int(v as i64),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => Value::Blob(b.to_vec()),
                });
            }
            out.push(Row::new(Arc::clone(&columns), values));
        }
        Ok(out)
    };
    run().map_err(map_error)
}

/// rusqlite's errors in the store's words.
pub(super) fn map_error(err: rusqlite::Error) -> StoreError {
    use rusqlite::ffi;
    match &err {
        rusqlite::Error::SqliteFailure(e, message) => match e.extended_code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                StoreError::UniqueViolation
            }
            ffi::SQLITE_CONSTRAINT_TRIGGER => {
                StoreError::Raised(message.clone().unwrap_or_default())
            }
            _ if matches!(
                e.code,
                ffi::ErrorCode::CannotOpen
                    | ffi::ErrorCode::DatabaseBusy
                    | ffi::ErrorCode::DatabaseLocked
                    | ffi::ErrorCode::SystemIoFailure
                    | ffi::ErrorCode::DiskFull
                    | ffi::ErrorCode::ReadOnly
            ) =>
            {
                StoreError::Unavailable(err.to_string())
            }
            _ => StoreError::Other(err.to_string()),
        },
        _ => StoreError::Other(err.to_string()),
    }
}

fn unavailable(err: rusqlite::Error) -> StoreError {
    StoreError::Unavailable(err.to_string())
}

/// Creates the database file (0600) and its folder (0700) when they do not exist yet, so
/// that SQLite's journal files, which take the database file's mode, are private too.
fn create_private_file(path: &std::path::Path) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::crypto::keys::create_private_dir(dir)?;
    }
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    open.open(path)
        .with_context(|| format!("creating the database file {}", path.display()))?;
    Ok(())
}
