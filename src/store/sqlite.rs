//! [`SqliteStore`]: the embedded default. WAL journal, `synchronous=FULL` (an acknowledged
//! write survives a power cut), foreign keys on. Reads use a pool of read-only
//! connections. Writes use group commit: one writer task owns the only write connection,
//! gathers the units of work that concurrent requests queued, runs each in a savepoint of
//! one transaction, commits them with a single flush, and only then answers each request.
//! A unit that fails or declines rolls back to its savepoint without touching the others.
//! The writer is supervised: if it dies, the requests of its batch fail (nothing of the
//! batch was committed), `/readyz` answers 503, and a new writer is started on a fresh
//! connection. The database file is created 0600 in a folder created 0700.

use std::any::Any;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use sqlx::ConnectOptions;
use tokio::sync::{mpsc, oneshot, Mutex};

use super::{BoxFuture, StoreError, StoreOptions, StoreResult, WriteResult};

/// Most units of work committed together.
const MAX_BATCH: usize = 512;
/// Units of work that may wait for the writer.
const QUEUE: usize = 4096;
/// Audit rows per multi-row insert (6 parameters each, well under SQLite's limit).
const AUDIT_ROWS_PER_INSERT: usize = 500;

type Value = Box<dyn Any + Send>;
type Job =
    Box<dyn for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, WriteResult<Value>> + Send>;

struct WriteRequest {
    job: Job,
    reply: oneshot::Sender<StoreResult<Value>>,
    /// Audit events written with the unit when it keeps its changes.
    audit: Vec<super::AuditEvent>,
}

/// The SQLite store.
pub struct SqliteStore {
    reader: SqlitePool,
    writer: mpsc::Sender<WriteRequest>,
    health: Arc<WriterHealth>,
}

/// What the supervisor and `/readyz` share about the writer.
#[derive(Default)]
struct WriterHealth {
    /// A writer task is running.
    up: AtomicBool,
    /// Test hook: the writer may not be restarted while set.
    held_down: AtomicBool,
    /// When the last write probe went through and how it ended: `/readyz` (anyone may call
    /// it) pushes at most one probe a second through the writer; the lock makes callers
    /// that arrive during a probe wait for its answer instead of sending their own.
    probed: Mutex<Option<(std::time::Instant, bool)>>,
}

/// How long the answer of a write probe stands.
const PROBE_EVERY: Duration = Duration::from_secs(1);

impl SqliteStore {
    /// Opens (creating if needed) the database file of `url`, migrates it, and starts the
    /// writer task.
    pub async fn connect(url: &str, store: StoreOptions) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .context("parsing the SQLite URL")?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        create_private_file(options.get_filename())?;
        let mut conn = options
            .connect()
            .await
            .context("opening the SQLite database")?;
        sqlx::migrate!("migrations/sqlite")
            .run(&mut conn)
            .await
            .context("running database migrations")?;
        // A local file needs no liveness ping before each use (a round trip to the
        // connection's worker thread saved on every read).
        let reader = SqlitePoolOptions::new()
            .test_before_acquire(false)
            .max_connections(store.max_connections.max(1))
            .acquire_timeout(Duration::from_secs(store.acquire_timeout_secs))
            .connect_with(options.clone().read_only(true))
            .await
            .context("opening the SQLite database for reading")?;
        let (writer, queue) = mpsc::channel(QUEUE);
        let health = Arc::new(WriterHealth::default());
        health.up.store(true, Ordering::SeqCst);
        tokio::spawn(supervise(
            conn,
            options,
            Arc::new(Mutex::new(queue)),
            store.write_batch_max.clamp(1, MAX_BATCH),
            Arc::clone(&health),
        ));
        Ok(Self {
            reader,
            writer,
            health,
        })
    }

    /// Whether a write can be committed now: a writer runs (checked on every call), and
    /// an empty unit of work went through it within a few seconds, at most a second ago.
    async fn writes_ready(&self) -> StoreResult<()> {
        let unavailable = || StoreError::Unavailable(sqlx::Error::PoolClosed);
        if !self.health.up.load(Ordering::SeqCst) {
            return Err(unavailable());
        }
        let mut probed = self.health.probed.lock().await;
        if let Some((at, ok)) = *probed {
            if at.elapsed() < PROBE_EVERY {
                return if ok { Ok(()) } else { Err(unavailable()) };
            }
        }
        // An empty unit of work goes through a whole batch, commit included.
        let probe = self.write(|_| Box::pin(async { Ok((true, ())) }));
        let result = tokio::time::timeout(Duration::from_secs(3), probe)
            .await
            .map_err(|_| unavailable())
            .and_then(|r| r);
        *probed = Some((std::time::Instant::now(), result.is_ok()));
        result
    }

    /// Makes the running writer panic mid-batch; with `keep_down` it is not restarted
    /// until [`Self::release_writer`]. A test hook.
    #[cfg(feature = "test-hooks")]
    async fn crash_writer(&self, keep_down: bool) {
        self.health.held_down.store(keep_down, Ordering::SeqCst);
        let crash =
            self.write::<(), _>(|_| Box::pin(async { panic!("writer crashed by a test hook") }));
        let _ = crash.await;
        // The supervisor notices the death a moment after the batch was dropped.
        while self.health.up.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    #[cfg(feature = "test-hooks")]
    fn release_writer(&self) {
        self.health.held_down.store(false, Ordering::SeqCst);
    }

    fn reader(&self) -> &SqlitePool {
        &self.reader
    }

    /// Queues `f` for the writer and waits until the batch holding it is on disk.
    async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, WriteResult<T>>
            + Send
            + 'static,
    {
        self.write_audited(Vec::new(), f).await
    }

    /// Like [`Self::write`], and `audit` is written in the same transaction when `f` keeps
    /// its changes: the audit rows of a whole batch go in one statement before its commit.
    async fn write_audited<T, F>(&self, audit: Vec<super::AuditEvent>, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, WriteResult<T>>
            + Send
            + 'static,
    {
        let job: Job = Box::new(move |conn| {
            Box::pin(async move {
                f(conn)
                    .await
                    .map(|(keep, value)| (keep, Box::new(value) as Value))
            })
        });
        if !self.health.up.load(Ordering::SeqCst) {
            // The writer is being restarted: fail at once rather than queue (503).
            return Err(StoreError::Unavailable(sqlx::Error::WorkerCrashed));
        }
        let (reply, answer) = oneshot::channel();
        self.writer
            .send(WriteRequest { job, reply, audit })
            .await
            .map_err(|_| StoreError::Unavailable(sqlx::Error::PoolClosed))?;
        let value = answer
            .await
            .map_err(|_| StoreError::Unavailable(sqlx::Error::PoolClosed))??;
        Ok(*value
            .downcast::<T>()
            .expect("a write job answers with its own type"))
    }

    /// Migrations ran when the store was opened.
    async fn run_migrations(&self) -> StoreResult<()> {
        Ok(())
    }
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

/// Runs the writer, and starts a new one on a fresh connection whenever it dies.
async fn supervise(
    first: SqliteConnection,
    options: SqliteConnectOptions,
    queue: Arc<Mutex<mpsc::Receiver<WriteRequest>>>,
    batch_max: usize,
    health: Arc<WriterHealth>,
) {
    let mut conn = Some(first);
    let mut backoff = Duration::from_millis(50);
    loop {
        let current = match conn.take() {
            Some(c) => c,
            None if health.held_down.load(Ordering::SeqCst) => {
                tokio::time::sleep(backoff).await;
                continue;
            }
            None => match options.connect().await {
                Ok(c) => c,
                Err(e) => {
                    tracing::error!(error = %e, "cannot reopen the database for writing; retrying");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                    continue;
                }
            },
        };
        health.up.store(true, Ordering::SeqCst);
        backoff = Duration::from_millis(50);
        let writer = tokio::spawn(group_commit(
            current,
            Arc::clone(&queue),
            batch_max,
            Arc::clone(&health),
        ));
        match writer.await {
            Ok(()) => return, // the store is gone
            Err(e) => {
                health.up.store(false, Ordering::SeqCst);
                tracing::error!(error = %e, "the database writer died; starting a new one");
            }
        }
    }
}

/// The writer task: one transaction and one flush per batch of queued units of work.
async fn group_commit(
    mut conn: SqliteConnection,
    queue: Arc<Mutex<mpsc::Receiver<WriteRequest>>>,
    batch_max: usize,
    _health: Arc<WriterHealth>,
) {
    let mut queue = queue.lock().await;
    let mut batch = Vec::with_capacity(batch_max);
    while queue.recv_many(&mut batch, batch_max).await > 0 {
        match run_batch(&mut conn, &mut batch).await {
            Ok(answers) => {
                for (reply, result) in answers {
                    let _ = reply.send(result);
                }
            }
            Err(e) => {
                // Every request of the batch is dropped unanswered: its caller sees the
                // store as unavailable (503) and nothing of the batch was kept.
                tracing::error!(error = %e, "group commit failed; the batch was rolled back");
                let _ = sqlx::query("ROLLBACK").execute(&mut conn).await;
            }
        }
        batch.clear();
    }
}

type Answers = Vec<(oneshot::Sender<StoreResult<Value>>, StoreResult<Value>)>;

/// Runs a fixed script of statements in one round trip to the connection's worker.
fn script<'c>(
    conn: &'c mut SqliteConnection,
    sql: &'static str,
) -> BoxFuture<'c, Result<(), sqlx::Error>> {
    Box::pin(async move { sqlx::Executor::execute(conn, sql).await.map(|_| ()) })
}

/// Runs every request of `batch` in its own savepoint of one transaction, then commits.
/// Savepoint boundaries share one round trip to the connection: `RELEASE; SAVEPOINT`.
async fn run_batch(
    conn: &mut SqliteConnection,
    batch: &mut Vec<WriteRequest>,
) -> Result<Answers, sqlx::Error> {
    script(conn, "BEGIN IMMEDIATE; SAVEPOINT unit").await?;
    let mut answers: Answers = Vec::with_capacity(batch.len());
    let mut audit = Vec::new();
    for request in batch.drain(..) {
        let result = (request.job)(&mut *conn).await;
        let kept = matches!(result, Ok((true, _)));
        let boundary = if kept {
            audit.extend(request.audit);
            "RELEASE unit; SAVEPOINT unit"
        } else {
            "ROLLBACK TO unit; RELEASE unit; SAVEPOINT unit"
        };
        script(conn, boundary).await?;
        answers.push((
            request.reply,
            result.map(|(_, value)| value).map_err(StoreError::from),
        ));
    }
    // The kept units' audit rows, in their order, a few hundred per statement.
    for rows in audit.chunks(AUDIT_ROWS_PER_INSERT) {
        insert_audits(conn, rows).await?;
    }
    let started = std::time::Instant::now();
    script(conn, "RELEASE unit; COMMIT").await?;
    metrics::histogram!("twofold_db_commit_duration_seconds").record(started.elapsed());
    metrics::histogram!("twofold_db_write_batch_size").record(answers.len() as f64);
    Ok(answers)
}

super::operate::impl_operator_store!(SqliteStore, sqlx::Sqlite);
super::backend::impl_store!(SqliteStore, sqlx::Sqlite, "sqlite");
