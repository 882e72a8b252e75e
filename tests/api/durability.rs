//! Durability that the SIGKILL test cannot tell apart from luck: the real binary runs
//! under `strace`, and every acknowledged write's answer must leave the process only after
//! the database (its WAL) was flushed to disk since the previous answer. With
//! `synchronous=OFF` or `NORMAL` SQLite would not flush on commit, and this test fails.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::json;

use crate::helpers::backend_is_postgres;

/// The answers and flushes of a trace, in order: `true` for a flush of the database.
fn events(trace: &str) -> Vec<(bool, String)> {
    let mut pending_flush = std::collections::HashMap::new();
    let mut out = Vec::new();
    for line in trace.lines() {
        let pid = line.split_whitespace().next().unwrap_or("").to_owned();
        let is_flush_call = line.contains("fdatasync(") || line.contains("fsync(");
        let of_database = line.contains("twofold.db-wal>") || line.contains("twofold.db>");
        if is_flush_call && of_database {
            if line.contains("<unfinished") {
                pending_flush.insert(pid, ());
            } else if line.ends_with("= 0") {
                out.push((true, line.to_owned()));
            }
        } else if line.contains("resumed>") && pending_flush.remove(&pid).is_some() {
            if line.ends_with("= 0") {
                out.push((true, line.to_owned()));
            }
        } else if (line.contains("socket:") || line.contains("TCP:"))
            && line.contains("HTTP/1.1 201")
        {
            out.push((false, line.to_owned()));
        }
    }
    out
}

#[tokio::test]
async fn every_acknowledged_write_is_flushed_before_its_answer() {
    if backend_is_postgres() {
        return; // PostgreSQL's flush is the server's (synchronous_commit)
    }
    if Command::new("strace").arg("-V").output().is_err() {
        panic!("strace is needed for this test (apt-get install strace)");
    }
    let dir = tempfile::tempdir().unwrap();
    let trace_path = dir.path().join("trace.txt");
    let mut child = Command::new("strace")
        .args(["-f", "-qq", "-y", "-s", "32", "-o"])
        .arg(&trace_path)
        .args(["-e", "trace=fsync,fdatasync,write,writev,sendto,sendmsg"])
        .arg(env!("CARGO_BIN_EXE_twofold"))
        .arg("serve")
        .env("TWOFOLD_LISTEN", "127.0.0.1:0")
        .env("TWOFOLD_DATA_DIR", dir.path())
        .env("TWOFOLD_ARGON2_MEMORY_KIB", "1024")
        .env("TWOFOLD_ARGON2_ITERATIONS", "1")
        .env("TWOFOLD_RATE_LIMIT_BURST", "0")
        .env("TWOFOLD_SWEEP_INTERVAL_SECONDS", "0")
        .env("TWOFOLD_LOG", "info")
        .env_remove("RUST_LOG")
        .env_remove("TWOFOLD_DATABASE_URL")
        .env_remove("TWOFOLD_MASTER_KEY")
        .stderr(Stdio::piped())
        .spawn()
        .expect("strace starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let address = loop {
        let line = lines.next().expect("server log").expect("readable log");
        if let Some(rest) = line.split("listen=").nth(1) {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let client = reqwest::Client::new();
    let writes = 20;
    for i in 0..writes {
        let resp = client
            .post(format!("http://{address}/api/v1/auth/register"))
            .json(&json!({ "email": format!("d{i}@example.com"), "password": "long enough password" }))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201);
    }
    // strace detaches its tracee when killed: kill the server itself first.
    let _ = Command::new("pkill")
        .args(["-KILL", "-P", &child.id().to_string()])
        .status();
    let _ = child.kill();
    let _ = child.wait();
    let trace = std::fs::read_to_string(&trace_path).unwrap();
    let events = events(&trace);
    let answers = events.iter().filter(|(flush, _)| !flush).count();
    assert_eq!(answers, writes, "every answer was traced");
    let mut flushed = false;
    for (is_flush, line) in events {
        if is_flush {
            flushed = true;
        } else {
            assert!(flushed, "answered before the database was flushed: {line}");
            flushed = false; // the next answer needs a flush of its own
        }
    }
}
