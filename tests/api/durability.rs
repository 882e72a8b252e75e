//! Durability that the SIGKILL test cannot tell apart from luck: the real binary runs
//! under `strace`, and every acknowledged write's answer must leave the process only after
//! the database (its WAL) was flushed to disk since the previous answer. With
//! `synchronous=OFF` or `NORMAL` SQLite would not flush on commit, and this test fails.

use std::process::Command;

use serde_json::json;

use crate::helpers::{sqlite_only, start_binary};

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
async fn sqlite_only_every_acknowledged_write_is_flushed_before_its_answer() {
    // PostgreSQL's flush is the server's (synchronous_commit).
    sqlite_only();
    if Command::new("strace").arg("-V").output().is_err() {
        panic!("strace is needed for this test (apt-get install strace)");
    }
    let dir = tempfile::tempdir().unwrap();
    let trace_path = dir.path().join("trace.txt");
    let wrapper: Vec<&std::ffi::OsStr> = ["strace", "-f", "-qq", "-y", "-s", "32", "-o"]
        .iter()
        .map(std::ffi::OsStr::new)
        .chain([trace_path.as_os_str()])
        .chain(
            ["-e", "trace=fsync,fdatasync,write,writev,sendto,sendmsg"].map(std::ffi::OsStr::new),
        )
        .collect();
    let (mut child, api) = start_binary(
        dir.path(),
        &wrapper,
        &[("TWOFOLD_SWEEP_INTERVAL_SECONDS", "0")],
    );
    let client = reqwest::Client::new();
    let writes = 20;
    for i in 0..writes {
        let resp = client
            .post(format!("{api}/auth/register"))
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
