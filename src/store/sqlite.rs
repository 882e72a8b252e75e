//! SQLite, the embedded default, on rusqlite with no thread hand-off on the read path.
//! WAL journal, `synchronous=FULL` (an acknowledged write survives a power cut), foreign
//! keys on. Reads run on the request's own thread, on a read-only connection taken from a
//! small pool, each keeping its prepared statements. Writes use group commit on the
//! writer's own thread ([`super::sqlite_writer`]). The database file is created 0600 in a
//! folder created 0700; migrations are sqlx's, as before, so existing files upgrade as
//! they always did.

use std::collections::HashMap;
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
    readers: Mutex<Vec<LiteConn>>,
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
    conn: Option<LiteConn>,
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

/// A rusqlite connection, and the store's statements rewritten for it once each.
pub(super) struct LiteConn {
    pub(super) conn: Connection,
    /// By the store's SQL text: what SQLite runs, and the names of its columns.
    statements: HashMap<Box<str>, Statement>,
}

/// A statement of the store as this connection runs it.
struct Statement {
    /// The store's SQL numbers its placeholders `$N` (PostgreSQL's and SQLite's); SQLite
    /// numbers `$N` in order of appearance (so `$2` may be its first), `?N` as written.
    text: Box<str>,
    /// Its columns, read once (every row of every run shares them).
    columns: Option<Arc<[String]>>,
}

impl LiteConn {
    fn new(conn: Connection) -> Self {
        Self {
            conn,
            statements: HashMap::new(),
        }
    }

    /// Prepares (or takes from the cache) `sql`, binds `args` to its `?N` placeholders,
    /// and runs `f` on it with its column names.
    fn run<T>(
        &mut self,
        sql: &str,
        args: &[&dyn Param],
        f: impl FnOnce(&mut rusqlite::CachedStatement<'_>, &Arc<[String]>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        let Self { conn, statements } = self;
        if !statements.contains_key(sql) {
            let text = numbered(sql).into();
            statements.insert(
                sql.into(),
                Statement {
                    text,
                    columns: None,
                },
            );
        }
        let entry = statements.get_mut(sql).expect("inserted above");
        let mut stmt = conn.prepare_cached(&entry.text)?;
        let count = stmt.parameter_count();
        if count > args.len() {
            return Err(rusqlite::Error::InvalidParameterCount(count, args.len()));
        }
        for (i, arg) in args.iter().enumerate().take(count) {
            stmt.raw_bind_parameter(i + 1, arg.arg())?;
        }
        let columns = entry
            .columns
            .get_or_insert_with(|| stmt.column_names().into_iter().map(String::from).collect());
        f(&mut stmt, columns)
    }
}

/// `sql` with each `$N` placeholder written `?N`.
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

/// The writer's connection inside a unit of work.
pub(super) struct Lite<'c>(pub &'c mut LiteConn);

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
pub(super) fn open_writer(path: &Path) -> rusqlite::Result<LiteConn> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
         PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16384; \
         PRAGMA wal_autocheckpoint = 10000;",
    )?;
    Ok(LiteConn::new(conn))
}

fn open_reader(path: &Path) -> rusqlite::Result<LiteConn> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.execute_batch("PRAGMA foreign_keys = ON;")?;
    Ok(LiteConn::new(conn))
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

fn execute(conn: &mut LiteConn, sql: &str, args: &[&dyn Param]) -> StoreResult<u64> {
    conn.run(sql, args, |stmt, _| {
        let mut rows = stmt.raw_query();
        while rows.next()?.is_some() {}
        Ok(())
    })
    .map_err(map_error)?;
    Ok(conn.conn.changes())
}

fn fetch_all(conn: &mut LiteConn, sql: &str, args: &[&dyn Param]) -> StoreResult<Vec<Row>> {
    conn.run(sql, args, |stmt, columns| {
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
            out.push(Row::new(Arc::clone(columns), values));
        }
        Ok(out)
    })
    .map_err(map_error)
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
