//! Operating the real binary: backups under write load and a restore, Prometheus metrics
//! after a known sequence of requests, and webhooks that survive a receiver that is down
//! and a SIGKILL of the server, verified by the `standardwebhooks` PyPI package.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

const PASSWORD: &str = "correct horse battery staple";

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `twofold args` on the SQLite database of `dir` with `key`.
fn run(dir: &Path, key: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_twofold"))
        .args(args)
        .env("TWOFOLD_DATA_DIR", dir)
        .env("TWOFOLD_MASTER_KEY", key)
        .env("TWOFOLD_LOG", "warn")
        .env_remove("TWOFOLD_DATABASE_URL")
        .output()
        .expect("the twofold binary runs")
}

fn status_of(output: &std::process::Output) -> Option<i32> {
    output.status.code()
}

async fn post(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    body: Value,
    token: Option<&str>,
) -> reqwest::Response {
    let mut request = client.post(format!("{base}{path}")).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("request sent")
}

/// Registers and enrolls a user on the binary at `base`; returns (email, secret, codes).
async fn enrolled(client: &reqwest::Client, base: &str) -> (String, String, Vec<String>) {
    let email = format!("user-{}@example.com", uuid::Uuid::new_v4().simple());
    let body = json!({ "email": email, "password": PASSWORD });
    assert_status(
        post(client, base, "/auth/register", body.clone(), None).await,
        StatusCode::CREATED,
    )
    .await;
    let login = json_of(
        assert_status(
            post(client, base, "/auth/login", body, None).await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    let token = login["accessToken"].as_str().unwrap().to_owned();
    let setup = json_of(post(client, base, "/mfa/setup", json!({}), Some(&token)).await).await;
    let secret = setup["secret"].as_str().unwrap().to_owned();
    let code = oathtool(&secret, unix_now());
    let confirmed = json_of(
        assert_status(
            post(
                client,
                base,
                "/mfa/setup/confirm",
                json!({ "code": code }),
                Some(&token),
            )
            .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    let codes = confirmed["recoveryCodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    (email, secret, codes)
}

async fn challenge(client: &reqwest::Client, base: &str, email: &str) -> String {
    let body = json_of(
        assert_status(
            post(
                client,
                base,
                "/auth/login",
                json!({ "email": email, "password": PASSWORD }),
                None,
            )
            .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    body["mfaChallengeToken"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn backup_under_write_load_restores_and_logs_in() {
    let dir = tempfile::tempdir().unwrap();
    let key = twofold::crypto::keys::MasterKey::generate_base64();
    let (mut server, base) = start_binary(dir.path(), &[], &[("TWOFOLD_MASTER_KEY", &key)]);
    let client = reqwest::Client::new();
    let (email, secret, _) = enrolled(&client, &base).await;

    // Writers keep registering while the backup is taken.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|_| {
            let (client, base, stop) = (client.clone(), base.clone(), Arc::clone(&stop));
            tokio::spawn(async move {
                let mut ok = 0;
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    let email = format!("load-{}@example.com", uuid::Uuid::new_v4().simple());
                    let body = json!({ "email": email, "password": PASSWORD });
                    if post(&client, &base, "/auth/register", body, None)
                        .await
                        .status()
                        == StatusCode::CREATED
                    {
                        ok += 1;
                    }
                }
                ok
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let backup = dir.path().join("backup.db");
    let (d, k, b) = (dir.path().to_owned(), key.clone(), backup.clone());
    let output = tokio::task::spawn_blocking(move || run(&d, &k, &["backup", b.to_str().unwrap()]))
        .await
        .unwrap();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut registered = 0;
    for w in writers {
        registered += w.await.unwrap();
    }
    assert_eq!(
        status_of(&output),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(registered > 0, "the backup ran under write load");
    let _ = server.kill();
    let _ = server.wait();

    // A backup file is never overwritten.
    assert_eq!(
        status_of(&run(
            dir.path(),
            &key,
            &["backup", backup.to_str().unwrap()]
        )),
        Some(1)
    );
    // restore-check opens it with the configured key, and refuses another key.
    let checked = run(
        dir.path(),
        &key,
        &["restore-check", backup.to_str().unwrap()],
    );
    assert_eq!(
        status_of(&checked),
        Some(0),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    assert!(
        String::from_utf8_lossy(&checked.stdout).contains("opens with the configured master key")
    );
    let other = twofold::crypto::keys::MasterKey::generate_base64();
    assert_eq!(
        status_of(&run(
            dir.path(),
            &other,
            &["restore-check", backup.to_str().unwrap()]
        )),
        Some(1)
    );

    // Restore: the backup becomes the database of a new data folder.
    let restored = tempfile::tempdir().unwrap();
    std::fs::copy(&backup, restored.path().join("twofold.db")).unwrap();
    let (mut server, base) = start_binary(restored.path(), &[], &[("TWOFOLD_MASTER_KEY", &key)]);
    let token = challenge(&client, &base, &email).await;
    // The enrollment spent the current step; the next one is inside the window.
    let code = oathtool(&secret, unix_now() + 30);
    let verified = post(
        &client,
        &base,
        "/auth/verify-mfa",
        json!({ "mfaChallengeToken": token, "code": code }),
        None,
    )
    .await;
    assert_status(verified, StatusCode::OK).await;
    let _ = server.kill();
    let _ = server.wait();
}

/// The value of the sample `name{labels}` in a Prometheus text exposition.
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with(&format!("{name}{{")) || l.starts_with(&format!("{name} ")))
        .filter(|l| {
            labels
                .iter()
                .all(|(k, v)| l.contains(&format!("{k}=\"{v}\"")))
        })
        .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
        .sum()
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_count_a_known_sequence_of_requests() {
    let dir = tempfile::tempdir().unwrap();
    let key = twofold::crypto::keys::MasterKey::generate_base64();
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let (mut server, base) = start_binary(
        dir.path(),
        &[],
        &[
            ("TWOFOLD_MASTER_KEY", &key),
            ("TWOFOLD_METRICS_LISTEN", &listen),
        ],
    );
    let client = reqwest::Client::new();
    // Not on the API's listener.
    let on_api = client
        .get(base.replace("/api/v1", "/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(on_api.status(), StatusCode::NOT_FOUND);

    let (email, secret, _) = enrolled(&client, &base).await;
    let wrong = json!({ "email": email, "password": "wrong password here" });
    for _ in 0..2 {
        assert_status(
            post(&client, &base, "/auth/login", wrong.clone(), None).await,
            StatusCode::UNAUTHORIZED,
        )
        .await;
    }
    let token = challenge(&client, &base, &email).await;
    let bad = post(
        &client,
        &base,
        "/auth/verify-mfa",
        json!({ "mfaChallengeToken": token, "code": "000000" }),
        None,
    )
    .await;
    assert_status(bad, StatusCode::UNAUTHORIZED).await;
    let code = oathtool(&secret, unix_now() + 30);
    let good = post(
        &client,
        &base,
        "/auth/verify-mfa",
        json!({ "mfaChallengeToken": token, "code": code }),
        None,
    )
    .await;
    assert_status(good, StatusCode::OK).await;

    let response = client
        .get(format!("http://{listen}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let _ = server.kill();
    let _ = server.wait();

    // Enrollment login (ok), two wrong passwords, one MFA login.
    assert_eq!(
        sample(&text, "twofold_logins_total", &[("outcome", "ok")]),
        1.0,
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            "twofold_logins_total",
            &[("outcome", "invalid_credentials")]
        ),
        2.0
    );
    assert_eq!(
        sample(
            &text,
            "twofold_logins_total",
            &[("outcome", "mfa_required")]
        ),
        1.0
    );
    let login_401 = [
        ("route", "/api/v1/auth/login"),
        ("method", "POST"),
        ("status", "401"),
    ];
    assert_eq!(
        sample(&text, "twofold_http_requests_total", &login_401),
        2.0
    );
    let register = [("route", "/api/v1/auth/register"), ("status", "201")];
    assert_eq!(sample(&text, "twofold_http_requests_total", &register), 1.0);
    let verify = [("purpose", "login"), ("method", "totp")];
    assert_eq!(
        sample(
            &text,
            "twofold_mfa_verifications_total",
            &[verify[0], verify[1], ("outcome", "ok")]
        ),
        1.0
    );
    assert_eq!(
        sample(
            &text,
            "twofold_mfa_verifications_total",
            &[verify[0], verify[1], ("outcome", "invalid")]
        ),
        1.0
    );
    assert_eq!(
        sample(
            &text,
            "twofold_mfa_verifications_total",
            &[("purpose", "setup"), ("outcome", "ok")]
        ),
        1.0
    );
    assert!(
        text.contains("twofold_http_request_duration_seconds_bucket{"),
        "a histogram: {text}"
    );
    assert!(sample(&text, "twofold_argon2_duration_seconds_count", &[]) >= 4.0);
    assert!(sample(&text, "twofold_db_write_batch_size_count", &[]) >= 1.0);
    assert!(text.contains("twofold_db_commit_duration_seconds_bucket"));
    assert!(
        !text.contains(&email) && !text.contains("@example.com"),
        "no email in a label"
    );
}

/// What the test receiver got: (webhook-id, webhook-timestamp, webhook-signature, body).
type Received = Arc<Mutex<Vec<(String, String, String, String)>>>;

/// A receiver that answers 503 (and records nothing) while `down` is set.
async fn receiver(
    listener: tokio::net::TcpListener,
    received: Received,
    down: Arc<std::sync::atomic::AtomicBool>,
    refused: Arc<std::sync::atomic::AtomicUsize>,
) {
    use axum::http::HeaderMap;
    use std::sync::atomic::Ordering;
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let (received, down, refused) = (
                Arc::clone(&received),
                Arc::clone(&down),
                Arc::clone(&refused),
            );
            async move {
                if down.load(Ordering::SeqCst) {
                    refused.fetch_add(1, Ordering::SeqCst);
                    return StatusCode::SERVICE_UNAVAILABLE;
                }
                let h = |n: &str| {
                    headers
                        .get(n)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_owned()
                };
                received.lock().unwrap().push((
                    h("webhook-id"),
                    h("webhook-timestamp"),
                    h("webhook-signature"),
                    body,
                ));
                StatusCode::NO_CONTENT
            }
        }),
    );
    axum::serve(listener, app).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn webhooks_survive_a_down_receiver_and_a_sigkill() {
    use base64::Engine;
    let dir = tempfile::tempdir().unwrap();
    let key = twofold::crypto::keys::MasterKey::generate_base64();
    let secret = format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode([7u8; 32])
    );
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/hook");
    let env = [
        ("TWOFOLD_MASTER_KEY", key.as_str()),
        ("TWOFOLD_WEBHOOK_URL", url.as_str()),
        ("TWOFOLD_WEBHOOK_SECRET", secret.as_str()),
    ];
    let (mut server, base) = start_binary(dir.path(), &[], &env);
    let client = reqwest::Client::new();
    let received: Received = Arc::default();
    let down = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let refused = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    tokio::spawn(receiver(
        listener,
        Arc::clone(&received),
        Arc::clone(&down),
        Arc::clone(&refused),
    ));

    // The receiver is down (503) while these happen.
    let (email, totp, codes) = enrolled(&client, &base).await; // mfa.enabled
    let mut expected = vec!["mfa.enabled", "mfa.factor.added"];
    for code in &codes[..8] {
        let token = challenge(&client, &base, &email).await;
        let used = post(
            &client,
            &base,
            "/auth/verify-mfa",
            json!({ "mfaChallengeToken": token, "code": code }),
            None,
        )
        .await;
        assert_status(used, StatusCode::OK).await;
        expected.push("mfa.recovery_code.used");
    }
    expected.push("mfa.recovery_codes.low"); // with the eighth: 2 left
                                             // A TOTP login, then its code again: a replay.
    let step = oathtool(&totp, unix_now() + 30);
    let token = challenge(&client, &base, &email).await;
    let first = post(
        &client,
        &base,
        "/auth/verify-mfa",
        json!({ "mfaChallengeToken": token, "code": step }),
        None,
    )
    .await;
    assert_status(first, StatusCode::OK).await;
    let token = challenge(&client, &base, &email).await;
    let replayed = post(
        &client,
        &base,
        "/auth/verify-mfa",
        json!({ "mfaChallengeToken": token, "code": step }),
        None,
    )
    .await;
    assert_eq!(
        replayed.status(),
        StatusCode::UNAUTHORIZED,
        "the same step again is a replay"
    );
    expected.push("mfa.replay_rejected");

    // Once a delivery has been refused, SIGKILL the server before anything got through;
    // the outbox survives it, and the receiver comes back.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while refused.load(std::sync::atomic::Ordering::SeqCst) == 0
        && std::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        refused.load(std::sync::atomic::Ordering::SeqCst) > 0,
        "a delivery was tried"
    );
    server.kill().unwrap();
    server.wait().unwrap();
    let (mut server, _) = start_binary(dir.path(), &[], &env);
    down.store(false, std::sync::atomic::Ordering::SeqCst);

    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let ids: std::collections::HashSet<String> = received
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.0.clone())
            .collect();
        if ids.len() >= expected.len() || std::time::Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let _ = server.kill();
    let _ = server.wait();
    let got = received.lock().unwrap().clone();

    // Every event, once per id, in the order of the changes.
    let mut seen = std::collections::HashSet::new();
    let types: Vec<String> = got
        .iter()
        .filter(|r| seen.insert(r.0.clone()))
        .map(|r| {
            serde_json::from_str::<Value>(&r.3).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let mut sorted_expected = expected.clone();
    sorted_expected.sort();
    let mut sorted_types = types.clone();
    sorted_types.sort();
    assert_eq!(sorted_types, sorted_expected, "received {types:?}");
    assert_eq!(types[0], "mfa.enabled");
    assert_eq!(
        types.last().map(String::as_str),
        Some("mfa.replay_rejected")
    );
    for r in &got {
        let body: Value = serde_json::from_str(&r.3).unwrap();
        assert_eq!(body["data"]["email"], email.as_str());
        assert!(body["data"]["userId"].is_string() && body["timestamp"].is_string());
        for code in &codes {
            assert!(!r.3.contains(code.as_str()), "no recovery code in a body");
        }
    }
    let remaining: Vec<i64> = got
        .iter()
        .map(|r| serde_json::from_str::<Value>(&r.3).unwrap())
        .filter(|b| b["type"] == "mfa.recovery_code.used")
        .map(|b| b["data"]["remaining"].as_i64().unwrap())
        .collect();
    assert!(remaining.contains(&2), "{remaining:?}");

    // Every signature verifies with the independent Standard Webhooks library.
    let messages: Vec<Value> = got
        .iter()
        .map(|(id, ts, sig, body)| json!({ "id": id, "timestamp": ts, "signature": sig, "body": body }))
        .collect();
    let script = r#"
import json, sys
from standardwebhooks.webhooks import Webhook
secret, messages = sys.argv[1], json.load(sys.stdin)
hook = Webhook(secret)
for m in messages:
    hook.verify(m["body"], {"webhook-id": m["id"], "webhook-timestamp": m["timestamp"], "webhook-signature": m["signature"]})
    try:
        hook.verify(m["body"] + " ", {"webhook-id": m["id"], "webhook-timestamp": m["timestamp"], "webhook-signature": m["signature"]})
        sys.exit("a changed body verified")
    except Exception:
        pass
print(len(messages))
"#;
    let mut python = std::process::Command::new("python3")
        .args(["-c", script, &secret])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs (pip install standardwebhooks)");
    {
        use std::io::Write;
        python
            .stdin
            .take()
            .unwrap()
            .write_all(serde_json::to_string(&messages).unwrap().as_bytes())
            .unwrap();
    }
    let out = python.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "standardwebhooks refused a signature: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        got.len().to_string()
    );
}
