//! The seam between the store's statements and the two databases: a [`Conn`] runs one
//! statement of [`super::sql`] with its arguments and hands back plain [`Row`]s. Every
//! statement function of the store is written once against it; SQLite implements it on a
//! rusqlite connection (synchronously: its futures are ready at their first poll), and
//! PostgreSQL on a sqlx connection.

use std::sync::Arc;

use async_trait::async_trait;

/// Errors of the storage layer, independent of the backend.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint was violated (e.g. the email is taken).
    #[error("unique constraint violated")]
    UniqueViolation,
    /// A statement refused on purpose (a trigger's `RAISE`), with its message.
    #[error("refused by the database: {0}")]
    Raised(String),
    /// The database cannot be reached (connection refused, pool timed out, writer down...).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Anything else.
    #[error("database error: {0}")]
    Other(String),
}

/// Result alias of the storage layer.
pub type StoreResult<T> = Result<T, StoreError>;

/// A boxed, sendable future (the shape of a unit of write work).
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// What a unit of write work returns: whether to keep its changes, and its value.
pub type WriteResult<T> = StoreResult<(bool, T)>;

/// One argument of a statement, borrowed from the caller. A NULL carries its type, which
/// PostgreSQL needs to plan the statement.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    Int(i64),
    Text(&'a str),
    Blob(&'a [u8]),
    NullInt,
    NullText,
    NullBlob,
}

/// A value that can be bound to a `$N` placeholder.
pub trait Param: Sync {
    fn arg(&self) -> Arg<'_>;
}

impl Param for i64 {
    fn arg(&self) -> Arg<'_> {
        Arg::Int(*self)
    }
}
impl Param for str {
    fn arg(&self) -> Arg<'_> {
        Arg::Text(self)
    }
}
impl Param for String {
    fn arg(&self) -> Arg<'_> {
        Arg::Text(self)
    }
}
impl Param for [u8] {
    fn arg(&self) -> Arg<'_> {
        Arg::Blob(self)
    }
}
impl Param for Vec<u8> {
    fn arg(&self) -> Arg<'_> {
        Arg::Blob(self)
    }
}
impl<T: Param + ?Sized> Param for &T {
    fn arg(&self) -> Arg<'_> {
        (**self).arg()
    }
}
impl Param for Option<i64> {
    fn arg(&self) -> Arg<'_> {
        self.map_or(Arg::NullInt, Arg::Int)
    }
}
impl Param for Option<String> {
    fn arg(&self) -> Arg<'_> {
        self.as_deref().map_or(Arg::NullText, Arg::Text)
    }
}
impl Param for Option<&str> {
    fn arg(&self) -> Arg<'_> {
        self.map_or(Arg::NullText, Arg::Text)
    }
}
impl Param for Option<Vec<u8>> {
    fn arg(&self) -> Arg<'_> {
        self.as_deref().map_or(Arg::NullBlob, Arg::Blob)
    }
}
impl Param for Option<&[u8]> {
    fn arg(&self) -> Arg<'_> {
        self.map_or(Arg::NullBlob, Arg::Blob)
    }
}

/// One value read from a row.
#[derive(Debug, Clone, Default)]
pub enum Value {
    #[default]
    Null,
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
}

/// A row read by a statement: its values, by position or by column name.
#[derive(Debug)]
pub struct Row {
    columns: Arc<[String]>,
    values: Vec<Value>,
}

impl Row {
    pub(super) fn new(columns: Arc<[String]>, values: Vec<Value>) -> Self {
        Self { columns, values }
    }

    /// Takes the value of column `name` out of the row (a second take reads NULL).
    pub fn get<T: FromValue>(&mut self, name: &str) -> StoreResult<T> {
        let i = self
            .columns
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| StoreError::Other(format!("no column {name}")))?;
        self.at(i)
    }

    /// Takes the value of column `name`, or the default when the statement has no such
    /// column (a record read by several statements, not all with every column).
    pub fn get_or_default<T: FromValue + Default>(&mut self, name: &str) -> StoreResult<T> {
        match self.columns.iter().position(|c| c == name) {
            Some(i) => self.at(i),
            None => Ok(T::default()),
        }
    }

    /// Takes the value at position `i` out of the row.
    pub fn at<T: FromValue>(&mut self, i: usize) -> StoreResult<T> {
        let value = self
            .values
            .get_mut(i)
            .map(std::mem::take)
            .ok_or_else(|| StoreError::Other(format!("no column {i}")))?;
        T::from_value(value).map_err(|e| StoreError::Other(format!("column {i}: {e}")))
    }
}

/// A Rust value a column converts into.
pub trait FromValue: Sized {
    fn from_value(value: Value) -> Result<Self, &'static str>;
}

impl FromValue for i64 {
    fn from_value(value: Value) -> Result<Self, &'static str> {
        match value {
            Value::Int(i) => Ok(i),
            Value::Null => Err("NULL where an integer was expected"),
            _ => Err("not an integer"),
        }
    }
}
impl FromValue for String {
    fn from_value(value: Value) -> Result<Self, &'static str> {
        match value {
            Value::Text(s) => Ok(s),
            Value::Blob(b) => String::from_utf8(b).map_err(|_| "not UTF-8 text"),
            Value::Null => Err("NULL where text was expected"),
            Value::Int(_) => Err("not text"),
        }
    }
}
impl FromValue for Vec<u8> {
    fn from_value(value: Value) -> Result<Self, &'static str> {
        match value {
            Value::Blob(b) => Ok(b),
            Value::Text(s) => Ok(s.into_bytes()),
            Value::Null => Err("NULL where bytes were expected"),
            Value::Int(_) => Err("not bytes"),
        }
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: Value) -> Result<Self, &'static str> {
        match value {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// A record read from one row.
pub trait FromRow: Sized {
    fn from_row(row: Row) -> StoreResult<Self>;
}

/// A connection (inside a unit of work, or a reader) that runs one statement at a time.
#[async_trait]
pub trait Conn: Send {
    /// Runs a statement; the number of rows it changed.
    async fn execute(&mut self, sql: &str, args: &[&dyn Param]) -> StoreResult<u64>;
    /// Runs a statement; every row it returns.
    async fn fetch_all(&mut self, sql: &str, args: &[&dyn Param]) -> StoreResult<Vec<Row>>;

    /// The first row a statement returns, if any (the statement runs to its end).
    async fn fetch_optional(&mut self, sql: &str, args: &[&dyn Param]) -> StoreResult<Option<Row>> {
        Ok(self.fetch_all(sql, args).await?.into_iter().next())
    }

    /// The first row a statement returns; an error when there is none.
    async fn fetch_one(&mut self, sql: &str, args: &[&dyn Param]) -> StoreResult<Row> {
        self.fetch_optional(sql, args)
            .await?
            .ok_or_else(|| StoreError::Other("the statement returned no row".into()))
    }

    /// The integer in the first column of the first row.
    async fn fetch_i64(&mut self, sql: &str, args: &[&dyn Param]) -> StoreResult<i64> {
        self.fetch_one(sql, args).await?.at(0)
    }
}

/// Every row of a statement as records.
pub async fn fetch_records<T: FromRow>(
    conn: &mut dyn Conn,
    sql: &str,
    args: &[&dyn Param],
) -> StoreResult<Vec<T>> {
    conn.fetch_all(sql, args)
        .await?
        .into_iter()
        .map(T::from_row)
        .collect()
}

/// The first row of a statement as a record, if any.
pub async fn fetch_record<T: FromRow>(
    conn: &mut dyn Conn,
    sql: &str,
    args: &[&dyn Param],
) -> StoreResult<Option<T>> {
    conn.fetch_optional(sql, args)
        .await?
        .map(T::from_row)
        .transpose()
}

/// Runs a future that never waits (a SQLite unit of work, whose statements complete
/// synchronously) to its end, in one poll. A unit that waits on anything else is a bug:
/// it would hold the writer; it fails instead.
pub(super) fn run_now<T>(
    future: impl std::future::Future<Output = StoreResult<T>>,
) -> StoreResult<T> {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(result) => result,
        std::task::Poll::Pending => Err(StoreError::Other(
            "a unit of work waited on something outside the database".into(),
        )),
    }
}
