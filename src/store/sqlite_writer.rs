//! SQLite's group-commit writer: one thread owns the only write connection, gathers the
//! units of work that concurrent requests queued, runs each synchronously in a savepoint of
//! one `BEGIN IMMEDIATE` transaction, commits them with a single flush, and only then
//! answers each request. A unit that fails or declines rolls back to its savepoint without
//! touching the others. The writer is supervised: if it panics, the requests of its batch
//! fail (nothing of the batch was committed), `/readyz` answers 503, and the writer goes on
//! with a fresh connection.

use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};

use super::db::{run_now, BoxFuture, Conn, StoreError, StoreResult, WriteResult};
use super::sqlite::{map_error, open_writer, Lite, LiteConn};
use super::AuditEvent;

/// Most units of work committed together.
pub(super) const MAX_BATCH: usize = 512;
/// Units of work that may wait for the writer.
const QUEUE: usize = 4096;
/// Audit rows per multi-row insert (6 parameters each, well under SQLite's limit).
const AUDIT_ROWS_PER_INSERT: usize = 500;
/// How long the answer of a write probe stands.
const PROBE_EVERY: Duration = Duration::from_secs(1);

type Value = Box<dyn Any + Send>;
/// A unit of work, erased.
pub(super) type Job =
    Box<dyn for<'c> FnOnce(&'c mut dyn Conn) -> BoxFuture<'c, WriteResult<Value>> + Send>;

struct WriteRequest {
    job: Job,
    reply: oneshot::Sender<StoreResult<Value>>,
    /// Audit events written with the unit when it keeps its changes.
    audit: Vec<AuditEvent>,
}

/// The requests' side of the writer.
pub(super) struct Writer {
    queue: mpsc::Sender<WriteRequest>,
    health: Arc<Health>,
}

/// What the writer thread and `/readyz` share.
#[derive(Default)]
struct Health {
    /// The writer holds a working connection.
    up: AtomicBool,
    /// Test hook: the writer may not reopen its connection while set.
    held_down: AtomicBool,
    /// When the last write probe went through and how it ended: `/readyz` (anyone may call
    /// it) pushes at most one probe a second through the writer; the lock makes callers
    /// that arrive during a probe wait for its answer instead of sending their own.
    probed: tokio::sync::Mutex<Option<(Instant, bool)>>,
}

impl Writer {
    /// Starts the writer thread on `first`.
    pub(super) fn start(first: LiteConn, path: PathBuf, batch_max: usize) -> Self {
        let (queue, requests) = mpsc::channel(QUEUE);
        let health = Arc::new(Health::default());
        health.up.store(true, Ordering::SeqCst);
        let shared = Arc::clone(&health);
        let watched = Arc::downgrade(&health);
        let checkpointed = path.clone();
        std::thread::Builder::new()
            .name("twofold-sqlite-writer".into())
            .spawn(move || supervise(first, path, requests, batch_max, shared))
            .expect("starting the SQLite writer thread");
        std::thread::Builder::new()
            .name("twofold-sqlite-checkpoint".into())
            .spawn(move || checkpoint(checkpointed, watched))
            .expect("starting the SQLite checkpoint thread");
        Self { queue, health }
    }

    /// Queues `job` and waits until the batch holding it is on disk.
    pub(super) async fn write(&self, audit: Vec<AuditEvent>, job: Job) -> StoreResult<Value> {
        if !self.health.up.load(Ordering::SeqCst) {
            // The writer is reopening its connection: fail at once rather than queue (503).
            return Err(StoreError::Unavailable("the writer is restarting".into()));
        }
        let gone = || StoreError::Unavailable("the writer dropped the request".into());
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(WriteRequest { job, reply, audit })
            .await
            .map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?
    }

    /// Whether a write can be committed now: the writer is up (checked on every call), and
    /// an empty unit of work went through it within a few seconds, at most a second ago.
    pub(super) async fn ready(&self) -> StoreResult<()> {
        let unavailable = || StoreError::Unavailable("the writer is down".into());
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
        let probe = self.write(
            Vec::new(),
            Box::new(|_| Box::pin(async { Ok((true, Box::new(()) as Value)) })),
        );
        let result = tokio::time::timeout(Duration::from_secs(3), probe)
            .await
            .map_err(|_| unavailable())
            .and_then(|r| r.map(|_| ()));
        *probed = Some((Instant::now(), result.is_ok()));
        result
    }

    /// Makes the writer panic mid-batch; with `keep_down` it does not reopen its
    /// connection until [`Self::release`]. A test hook.
    #[cfg(feature = "test-hooks")]
    pub(super) async fn crash(&self, keep_down: bool) {
        self.health.held_down.store(keep_down, Ordering::SeqCst);
        let _ = self
            .write(
                Vec::new(),
                Box::new(|_| Box::pin(async { panic!("writer crashed by a test hook") })),
            )
            .await;
        // The request is dropped while the writer unwinds; it marks itself down just after.
        while self.health.up.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    #[cfg(feature = "test-hooks")]
    pub(super) fn release(&self) {
        self.health.held_down.store(false, Ordering::SeqCst);
    }
}

/// The writer thread: runs batches until the store is dropped; after a panic, reopens
/// its connection (with backoff) and goes on.
fn supervise(
    first: LiteConn,
    path: PathBuf,
    mut requests: mpsc::Receiver<WriteRequest>,
    batch_max: usize,
    health: Arc<Health>,
) {
    let mut conn = Some(first);
    let mut backoff = Duration::from_millis(50);
    let mut batch = Vec::with_capacity(batch_max);
    loop {
        let mut current = match conn.take() {
            Some(c) => c,
            None if health.held_down.load(Ordering::SeqCst) => {
                std::thread::sleep(backoff);
                continue;
            }
            None => match open_writer(&path) {
                Ok(c) => c,
                Err(e) => {
                    tracing::error!(error = %e, "cannot reopen the database for writing; retrying");
                    std::thread::sleep(backoff);
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                    continue;
                }
            },
        };
        health.up.store(true, Ordering::SeqCst);
        backoff = Duration::from_millis(50);
        // Wait for one request, then take whatever else is queued.
        let Some(first) = requests.blocking_recv() else {
            return; // the store is gone
        };
        batch.push(first);
        while batch.len() < batch_max {
            match requests.try_recv() {
                Ok(request) => batch.push(request),
                Err(_) => break,
            }
        }
        let ran =
            std::panic::catch_unwind(AssertUnwindSafe(|| run_batch(&mut current, &mut batch)));
        match ran {
            Ok(Ok(answers)) => {
                for (reply, result) in answers {
                    let _ = reply.send(result);
                }
                conn = Some(current);
            }
            Ok(Err(e)) => {
                // Every request of the batch is dropped unanswered: its caller sees the
                // store as unavailable (503) and nothing of the batch was kept.
                tracing::error!(error = %e, "group commit failed; the batch was rolled back");
                let _ = current.conn.execute_batch("ROLLBACK");
                conn = Some(current);
            }
            Err(_) => {
                health.up.store(false, Ordering::SeqCst);
                tracing::error!("the database writer panicked; reopening its connection");
                drop(current); // closing it rolls back the open transaction
            }
        }
        batch.clear();
    }
}

/// How often the checkpoint thread copies the WAL into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// The checkpoint thread: copies committed WAL frames into the database file on a
/// connection of its own (`PRAGMA wal_checkpoint(PASSIVE)`: it never blocks the writer),
/// so that the writer does not stop its batches to do it (its own automatic checkpoint is
/// only a backstop, at 10,000 pages). Ends when the store is dropped.
fn checkpoint(path: PathBuf, store: std::sync::Weak<Health>) {
    let mut conn = None;
    while store.upgrade().is_some() {
        std::thread::sleep(CHECKPOINT_EVERY);
        if conn.is_none() {
            conn = open_writer(&path).ok();
        }
        if let Some(c) = &conn {
            if let Err(e) = c
                .conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
            {
                tracing::warn!(error = %e, "WAL checkpoint failed; retrying");
                conn = None;
            }
        }
    }
}

type Answers = Vec<(oneshot::Sender<StoreResult<Value>>, StoreResult<Value>)>;

fn script(conn: &LiteConn, sql: &str) -> StoreResult<()> {
    conn.conn
        .prepare_cached(sql)
        .and_then(|mut stmt| stmt.raw_execute())
        .map(|_| ())
        .map_err(map_error)
}

/// Runs every request of `batch` in its own savepoint of one transaction, then commits.
fn run_batch(conn: &mut LiteConn, batch: &mut Vec<WriteRequest>) -> StoreResult<Answers> {
    script(conn, "BEGIN IMMEDIATE")?;
    // A unit alone in its batch rolls back with the transaction; others need a savepoint
    // each (whose journal of the pages it changes is the cost of that).
    let alone = batch.len() == 1;
    let mut answers: Answers = Vec::with_capacity(batch.len());
    let mut audit = Vec::new();
    for request in batch.drain(..) {
        if !alone {
            script(conn, "SAVEPOINT unit")?;
        }
        let result = {
            let mut lite = Lite(conn);
            run_now((request.job)(&mut lite))
        };
        let kept = matches!(result, Ok((true, _)));
        if kept {
            audit.extend(request.audit);
        } else {
            script(
                conn,
                if alone {
                    "ROLLBACK"
                } else {
                    "ROLLBACK TO unit"
                },
            )?;
        }
        if !alone {
            script(conn, "RELEASE unit")?;
        }
        answers.push((request.reply, result.map(|(_, value)| value)));
        if alone && !kept {
            return Ok(answers); // nothing left to commit
        }
    }
    // The kept units' audit rows, in their order, a few hundred per statement.
    for rows in audit.chunks(AUDIT_ROWS_PER_INSERT) {
        let mut lite = Lite(conn);
        run_now(super::audit::insert_audits(&mut lite, rows))?;
    }
    let started = Instant::now();
    script(conn, "COMMIT")?;
    metrics::histogram!("twofold_db_commit_duration_seconds").record(started.elapsed());
    metrics::histogram!("twofold_db_write_batch_size").record(answers.len() as f64);
    Ok(answers)
}
