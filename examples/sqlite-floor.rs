//! The floor of this machine for what twofold does on SQLite, to measure twofold against
//! (BENCHMARKS.md, issue 20): a plain axum + rusqlite program with nothing else in it.
//!
//! - `GET /read`: two indexed reads (a user by id, the user's factors), on a read-only
//!   connection of the request's own thread with cached statements: the shape of
//!   `GET /mfa/status` without its token check.
//! - `POST /write`: a durable unit the size of a verify-mfa success (a replay guard, a
//!   challenge consumed, a session, a refresh token, an audit row), through one
//!   group-commit writer thread: one `BEGIN IMMEDIATE` ... `COMMIT` (`synchronous=FULL`)
//!   per batch, each request answered once its batch is on disk.
//!
//! ```text
//! cargo run --release --example sqlite-floor -- 127.0.0.1:18097 /tmp/floor.db
//! wrk -t2 -c64 -d5s http://127.0.0.1:18097/read
//! ```

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use rusqlite::{params, Connection, OpenFlags};
use tokio::sync::{mpsc, oneshot};

const USERS: i64 = 1000;

struct Floor {
    path: PathBuf,
    writes: mpsc::Sender<oneshot::Sender<()>>,
    next: AtomicI64,
}

thread_local! {
    static READER: RefCell<Option<Connection>> = const { RefCell::new(None) };
}

fn open(path: &PathBuf, flags: OpenFlags) -> Connection {
    let conn = Connection::open_with_flags(path, flags).expect("open");
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")
        .expect("pragmas");
    conn.set_prepared_statement_cache_capacity(64);
    conn
}

async fn read(State(floor): State<Arc<Floor>>) -> String {
    let id = floor.next.fetch_add(1, Ordering::Relaxed) % USERS;
    READER.with(|cell| {
        let mut cell = cell.borrow_mut();
        let conn = cell.get_or_insert_with(|| {
            open(
                &floor.path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
        });
        let email: String = conn
            .prepare_cached("SELECT email FROM users WHERE id = ?1")
            .and_then(|mut s| s.query_row(params![id], |r| r.get(0)))
            .expect("user");
        let factors: i64 = conn
            .prepare_cached("SELECT COUNT(*) FROM factors WHERE user_id = ?1")
            .and_then(|mut s| s.query_row(params![id], |r| r.get(0)))
            .expect("factors");
        format!("{{\"email\":\"{email}\",\"factors\":{factors}}}")
    })
}

async fn write(State(floor): State<Arc<Floor>>) -> &'static str {
    let (done, answer) = oneshot::channel();
    floor.writes.send(done).await.expect("writer");
    answer.await.expect("committed");
    "{}"
}

/// The writer thread: one transaction and one flush per batch of queued units.
fn writer(path: PathBuf, mut queue: mpsc::Receiver<oneshot::Sender<()>>) {
    let conn = open(
        &path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    );
    let mut n: i64 = 0;
    let mut batch = Vec::new();
    while let Some(first) = queue.blocking_recv() {
        batch.push(first);
        while let Ok(more) = queue.try_recv() {
            batch.push(more);
        }
        conn.execute_batch("BEGIN IMMEDIATE").expect("begin");
        for _ in &batch {
            n += 1;
            let user = n % USERS;
            let run = |sql: &str, p: &[&dyn rusqlite::ToSql]| {
                conn.prepare_cached(sql)
                    .and_then(|mut s| s.execute(p))
                    .expect("statement")
            };
            run(
                "UPDATE factors SET last_step = ?2 WHERE user_id = ?1 AND last_step < ?2",
                &[&user, &n],
            );
            run(
                "INSERT INTO challenges (id, user_id, consumed) VALUES (?1, ?2, 1)",
                &[&n, &user],
            );
            run(
                "INSERT INTO sessions (id, user_id, created_at) VALUES (?1, ?2, ?1)",
                &[&n, &user],
            );
            run(
                "INSERT INTO refresh (hash, session_id) VALUES (randomblob(32), ?1)",
                &[&n],
            );
            run("INSERT INTO audit (user_id, kind, details) VALUES (?1, 'auth.login.succeeded', '{}')", &[&user]);
        }
        conn.execute_batch("COMMIT").expect("commit");
        for done in batch.drain(..) {
            let _ = done.send(());
        }
    }
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let listen = args.next().unwrap_or_else(|| "127.0.0.1:18097".into());
    let path = PathBuf::from(args.next().unwrap_or_else(|| "floor.db".into()));
    let _ = std::fs::remove_file(&path);
    let setup = open(
        &path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
    );
    setup
        .execute_batch(
            "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
             CREATE TABLE factors (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, last_step INTEGER NOT NULL);
             CREATE INDEX factors_user ON factors (user_id);
             CREATE TABLE challenges (id INTEGER PRIMARY KEY, user_id INTEGER, consumed INTEGER);
             CREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER, created_at INTEGER);
             CREATE TABLE refresh (hash BLOB PRIMARY KEY, session_id INTEGER);
             CREATE TABLE audit (id INTEGER PRIMARY KEY, user_id INTEGER, kind TEXT, details TEXT);",
        )
        .expect("schema");
    for id in 0..USERS {
        setup
            .execute(
                "INSERT INTO users VALUES (?1, ?2)",
                params![id, format!("u{id}@example.com")],
            )
            .expect("user");
        setup
            .execute(
                "INSERT INTO factors (user_id, last_step) VALUES (?1, 0)",
                params![id],
            )
            .expect("factor");
    }
    drop(setup);
    let (writes, queue) = mpsc::channel(4096);
    let writer_path = path.clone();
    std::thread::spawn(move || writer(writer_path, queue));
    let floor = Arc::new(Floor {
        path,
        writes,
        next: AtomicI64::new(0),
    });
    let app = Router::new()
        .route("/read", get(read))
        .route("/write", post(write))
        .with_state(floor);
    let listener = tokio::net::TcpListener::bind(&listen).await.expect("bind");
    axum::serve(listener, app).await.expect("serve");
}
