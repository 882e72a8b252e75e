//! The server's log output, captured at TRACE level, holds no secret, code or token.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture() -> Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED
        .get_or_init(|| {
            let captured = Captured::default();
            let writer = captured.clone();
            tracing_subscriber::fmt()
                .with_env_filter("trace")
                .with_ansi(false)
                .without_time()
                .with_writer(move || writer.clone())
                .init();
            captured
        })
        .clone()
}

#[tokio::test]
async fn logs_hold_no_secret_code_or_token() {
    let logs = capture();
    let app = TestApp::spawn().await;
    let e = app.enrolled_user().await;
    let challenge = app.challenge(&e.user).await;
    app.next_step();
    let code = oathtool(&e.secret, now(&app));
    let tokens =
        json_of(assert_status(app.verify_mfa(&challenge, &code).await, StatusCode::OK).await).await;
    let challenge2 = app.challenge(&e.user).await;
    assert_error(
        app.verify_mfa(&challenge2, &e.recovery_codes[0][..6]).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    assert_status(
        app.verify_mfa(&challenge2, &e.recovery_codes[1]).await,
        StatusCode::OK,
    )
    .await;
    let refresh = tokens["refreshToken"].as_str().unwrap();
    assert_status(app.refresh(refresh).await, StatusCode::OK).await;
    let _ = app
        .post(
            "/auth/register",
            json!({ "email": "x@example.com", "password": "hunter2hunter2" }),
            None,
        )
        .await;
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("MFA enabled"),
        "the capture works: {}",
        &text[..text.len().min(2000)]
    );
    let mut secrets: Vec<String> = vec![
        e.secret.clone(),
        e.user.password.clone(),
        "hunter2hunter2".into(),
        code,
        challenge,
        challenge2,
        refresh.to_owned(),
        e.user.refresh_token.clone(),
        tokens["accessToken"].as_str().unwrap().to_owned(),
        e.user.access_token.clone(),
    ];
    secrets.extend(e.recovery_codes.iter().cloned());
    for s in &secrets {
        assert!(!text.contains(s.as_str()), "a secret appears in the logs");
    }
}

#[test]
fn json_logs_are_one_object_per_line() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_twofold"))
        .arg("serve")
        .env("TWOFOLD_LISTEN", "127.0.0.1:0")
        .env("TWOFOLD_DATA_DIR", dir.path())
        .env("TWOFOLD_LOG_FORMAT", "json")
        .env("TWOFOLD_LOG", "info")
        .env_remove("RUST_LOG")
        .env_remove("TWOFOLD_MASTER_KEY")
        .env_remove("TWOFOLD_DATABASE_URL")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let ready = loop {
        let line = lines.next().expect("a log line").unwrap();
        let v: serde_json::Value = serde_json::from_str(&line).expect("each line is JSON");
        assert!(
            v["timestamp"].is_string() && v["level"].is_string() && v["target"].is_string(),
            "{v}"
        );
        if v["fields"]["message"] == "twofold ready" {
            break v;
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        ready["fields"]["listen"]
            .as_str()
            .unwrap()
            .starts_with("127.0.0.1:"),
        "{ready}"
    );
    // An unknown format is refused at start.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_twofold"))
        .arg("serve")
        .env("TWOFOLD_DATA_DIR", dir.path())
        .env("TWOFOLD_LOG_FORMAT", "yaml")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("log_format"));
}
