//! Durability under SIGKILL: the real binary is killed while concurrent clients enroll
//! and log in with TOTP and recovery codes; every request that had been answered 200 is
//! then found in the database. (SQLite with group commit: an answer is sent only after
//! the batch holding its write is committed with `synchronous=FULL`.)

use std::process::Child;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use serde_json::{json, Value};
use sqlx::Row;
use twofold::domain::codes::secret_from_base32;
use twofold::domain::totp::{code_at_step, TotpParams};

/// Starts `twofold serve` on a free port and returns it with its base URL.
fn start_server(data_dir: &std::path::Path) -> (Child, String) {
    crate::helpers::start_binary(data_dir, &[], &[])
}

fn now_step() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 30
}

async fn post(
    client: &reqwest::Client,
    url: String,
    body: Value,
    token: Option<&str>,
) -> Option<(u16, Value)> {
    let mut req = client.post(url).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.ok()?;
    let status = resp.status().as_u16();
    Some((status, resp.json().await.unwrap_or(Value::Null)))
}

fn sid_of(access_token: &str) -> String {
    let payload = access_token.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    claims["sid"].as_str().unwrap().to_owned()
}

/// What the server acknowledged with a 200.
#[derive(Default)]
struct Acknowledged {
    enrolled: Vec<String>,
    steps: Vec<(String, u64)>,
    recovery_uses: Vec<String>,
    sessions: Vec<String>,
}

struct Enrolled {
    id: String,
    email: String,
    secret: Vec<u8>,
    codes: Vec<String>,
}

/// Registers and enrolls one user; `None` once the server is gone.
async fn enroll(
    client: &reqwest::Client,
    api: &str,
    i: usize,
    acked: &Mutex<Acknowledged>,
) -> Option<Enrolled> {
    let email = format!("crash-{i}-{}@example.com", uuid::Uuid::new_v4().simple());
    let creds = json!({ "email": email, "password": "crash test password" });
    let (s, user) = post(client, format!("{api}/auth/register"), creds.clone(), None).await?;
    (s == 201).then_some(())?;
    let (_, login) = post(client, format!("{api}/auth/login"), creds, None).await?;
    let token = login["accessToken"].as_str()?.to_owned();
    let (_, setup) = post(client, format!("{api}/mfa/setup"), json!({}), Some(&token)).await?;
    let secret = secret_from_base32(setup["secret"].as_str()?)?.to_vec();
    let code = code_at_step(&secret, now_step() - 1, TotpParams::DEFAULT);
    let (s, body) = post(
        client,
        format!("{api}/mfa/setup/confirm"),
        json!({ "code": code }),
        Some(&token),
    )
    .await?;
    (s == 200).then_some(())?;
    let id = user["id"].as_str()?.to_owned();
    acked.lock().unwrap().enrolled.push(id.clone());
    let codes = body["recoveryCodes"]
        .as_array()?
        .iter()
        .filter_map(|c| c.as_str().map(str::to_owned))
        .collect();
    Some(Enrolled {
        id,
        email,
        secret,
        codes,
    })
}

/// Logs in with MFA again and again (TOTP steps, then recovery codes) until the server dies.
async fn drive(
    client: reqwest::Client,
    api: String,
    mut user: Enrolled,
    acked: Arc<Mutex<Acknowledged>>,
    ok: Arc<AtomicUsize>,
) {
    let mut step = now_step();
    loop {
        let creds = json!({ "email": user.email, "password": "crash test password" });
        let Some((200, login)) = post(&client, format!("{api}/auth/login"), creds, None).await
        else {
            return;
        };
        let challenge = login["mfaChallengeToken"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let totp = step <= now_step() + 1;
        let code = if totp {
            code_at_step(&user.secret, step, TotpParams::DEFAULT)
        } else {
            match user.codes.pop() {
                Some(c) => c,
                None => return,
            }
        };
        let body = json!({ "mfaChallengeToken": challenge, "code": code });
        let Some((status, tokens)) =
            post(&client, format!("{api}/auth/verify-mfa"), body, None).await
        else {
            return;
        };
        if status == 200 {
            let mut a = acked.lock().unwrap();
            if totp {
                a.steps.push((user.id.clone(), step));
            } else {
                a.recovery_uses.push(user.id.clone());
            }
            a.sessions
                .push(sid_of(tokens["accessToken"].as_str().unwrap()));
            ok.fetch_add(1, Ordering::SeqCst);
        }
        if totp {
            step += 1;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_acknowledged_write_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, api) = start_server(dir.path());
    let client = reqwest::Client::new();
    let acked = Arc::new(Mutex::new(Acknowledged::default()));
    let ok = Arc::new(AtomicUsize::new(0));
    let mut users = Vec::new();
    for i in 0..24 {
        users.push(
            enroll(&client, &api, i, &acked)
                .await
                .expect("enrollment before the crash"),
        );
    }
    let mut tasks = tokio::task::JoinSet::new();
    for user in users {
        tasks.spawn(drive(
            client.clone(),
            api.clone(),
            user,
            acked.clone(),
            ok.clone(),
        ));
    }
    // More enrollments race with the logins.
    for i in 100..124 {
        let (client, api, acked) = (client.clone(), api.clone(), acked.clone());
        tasks.spawn(async move {
            let _ = enroll(&client, &api, i, &acked).await;
        });
    }
    // Kill the server in the middle of the load, once it has acknowledged enough.
    let enough = async {
        while ok.load(Ordering::SeqCst) < 120 {
            tokio::task::yield_now().await;
            assert!(child.try_wait().unwrap().is_none(), "server died by itself");
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(120), enough)
        .await
        .expect("the server acknowledged 120 logins");
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    tasks.join_all().await;

    let acked = Arc::try_unwrap(acked).ok().unwrap().into_inner().unwrap();
    assert!(acked.steps.len() + acked.recovery_uses.len() >= 120);
    let url = format!("sqlite://{}", dir.path().join("twofold.db").display());
    let db = sqlx::SqlitePool::connect(&url).await.unwrap();
    for id in &acked.enrolled {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM mfa_factors WHERE user_id = $1")
            .bind(id)
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(n, 1, "an acknowledged enrollment was lost");
    }
    for (id, step) in &acked.steps {
        let last: i64 =
            sqlx::query_scalar("SELECT MAX(last_step) FROM mfa_factors WHERE user_id = $1")
                .bind(id)
                .fetch_one(&db)
                .await
                .unwrap();
        assert!(
            last >= *step as i64,
            "an accepted TOTP step was lost: {last} < {step}"
        );
    }
    let mut uses = std::collections::HashMap::<&str, i64>::new();
    for id in &acked.recovery_uses {
        *uses.entry(id.as_str()).or_default() += 1;
    }
    for (id, n) in uses {
        let row = sqlx::query(
            "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NOT NULL",
        )
        .bind(id)
        .fetch_one(&db)
        .await
        .unwrap();
        let used: i64 = row.get(0);
        assert!(
            used >= n,
            "a consumed recovery code came back: {used} < {n}"
        );
    }
    for sid in &acked.sessions {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE id = $1")
            .bind(sid)
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(n, 1, "an acknowledged session was lost");
    }
    db.close().await;

    // The server starts again on the recovered database and serves.
    let (mut child, api) = start_server(dir.path());
    let ready = client
        .get(api.replace("/api/v1", "/readyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    child.kill().unwrap();
    child.wait().unwrap();
}
