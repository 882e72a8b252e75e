//! `TestApp`: the real application on port 0 with a fresh database, driven over HTTP.

use std::sync::Arc;

use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use twofold::clock::OffsetClock;
use twofold::config::Settings;
use twofold::crypto::keys::MasterKey;
use twofold::startup::Application;

/// A running instance plus what is needed to restart it on the same database.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub clock: OffsetClock,
    pub settings: Settings,
    pub data_dir: Arc<tempfile::TempDir>,
    /// The running instance's state (its store, settings and clock).
    pub state: twofold::service::AppState,
    stop: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<anyhow::Result<()>>>,
}

/// The PostgreSQL server of the test run (`TWOFOLD_TEST_POSTGRES_URL`).
pub fn postgres_url() -> Option<String> {
    std::env::var("TWOFOLD_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// Whether this run of the suite targets PostgreSQL (`TWOFOLD_TEST_BACKEND=postgres`).
pub fn backend_is_postgres() -> bool {
    std::env::var("TWOFOLD_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

/// For a test that exists for SQLite only (its name starts with `sqlite_only_`, which
/// `scripts/test` filters out of the PostgreSQL run, where nextest reports it skipped):
/// run on PostgreSQL anyway, it fails instead of passing without testing anything.
pub fn sqlite_only() {
    assert!(
        !backend_is_postgres(),
        "a SQLite-only test ran on PostgreSQL: scripts/test filters `sqlite_only_` tests out"
    );
}

/// Creates an empty database `twofold_test_*` and returns its URL.
pub async fn fresh_postgres_database() -> String {
    let admin = postgres_url()
        .expect("TWOFOLD_TEST_POSTGRES_URL must point at a PostgreSQL server for this test");
    let name = format!("twofold_test_{}", uuid::Uuid::new_v4().simple());
    let pool = sqlx::PgPool::connect(&admin)
        .await
        .expect("PostgreSQL reachable");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&pool)
        .await
        .expect("create database");
    pool.close().await;
    let (base, query) = admin
        .split_once('?')
        .map_or((admin.as_str(), None), |(b, q)| (b, Some(q)));
    let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
    match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    }
}

/// Settings for tests: a fresh SQLite file, a random master key, cheap Argon2.
pub fn test_settings(dir: &tempfile::TempDir) -> Settings {
    Settings {
        listen: "127.0.0.1:0".into(),
        data_dir: dir.path().to_path_buf(),
        master_key: Some(MasterKey::generate_base64().into()),
        argon2_memory_kib: 1024,
        argon2_iterations: 1,
        // The suite logs in many times from one address; the limit has its own tests.
        rate_limit_burst: 0,
        ..Settings::default()
    }
}

impl TestApp {
    /// A new app with a fresh database.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// A new app with a fresh database and adjusted settings.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> Self {
        let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
        let mut settings = test_settings(&dir);
        if backend_is_postgres() {
            settings.database_url = Some(fresh_postgres_database().await);
        }
        adjust(&mut settings);
        Self::start(settings, dir, OffsetClock::default()).await
    }

    /// Starts an instance with exactly these settings (several may share them).
    pub async fn start(
        settings: Settings,
        data_dir: Arc<tempfile::TempDir>,
        clock: OffsetClock,
    ) -> Self {
        if let Ok(filter) = std::env::var("TEST_LOG") {
            twofold::telemetry::init(&filter);
        }
        let app = Application::build_with_clock(settings.clone(), Arc::new(clock.clone()))
            .await
            .expect("application builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let handle = tokio::spawn(app.run_until(async {
            let _ = stopped.await;
        }));
        Self {
            address,
            client: reqwest::Client::new(),
            clock,
            settings,
            data_dir,
            state,
            stop: Some(stop),
            handle: Some(handle),
        }
    }

    /// Stops this instance gracefully and starts a new one on the same database and keys.
    pub async fn restart(mut self) -> Self {
        self.stop.take().map(|s| s.send(()));
        if let Some(h) = self.handle.take() {
            h.await
                .expect("server task")
                .expect("server stopped cleanly");
        }
        Self::start(
            self.settings.clone(),
            Arc::clone(&self.data_dir),
            self.clock.clone(),
        )
        .await
    }

    /// Every byte the database holds: the SQLite files, or each PostgreSQL row as JSON.
    pub async fn db_dump(&self) -> Vec<u8> {
        match self.settings.database_url.as_deref() {
            Some(url) if url.starts_with("postgres") => {
                let pool = sqlx::PgPool::connect(url).await.expect("connect for dump");
                let mut out = Vec::new();
                let tables: Vec<String> = sqlx::query_scalar(
                    "SELECT table_name::text FROM information_schema.tables \
                     WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
                )
                .fetch_all(&pool)
                .await
                .expect("list tables");
                for table in tables {
                    let sql = format!("SELECT coalesce(string_agg(row_to_json(t)::text, E'\\n'), '') FROM {table} t");
                    let text: String = sqlx::query_scalar(&sql)
                        .fetch_one(&pool)
                        .await
                        .expect("dump table");
                    out.extend_from_slice(text.as_bytes());
                }
                out
            }
            _ => {
                let path = self.data_dir.path().join("twofold.db");
                let mut bytes = std::fs::read(&path).expect("database file");
                bytes.extend(std::fs::read(path.with_extension("db-wal")).unwrap_or_default());
                bytes
            }
        }
    }

    pub fn url(&self, path: &str) -> String {
        if path.starts_with('/') && !path.starts_with("/api/") && !path.starts_with("/.well-known")
        {
            format!("{}/api/v1{path}", self.address)
        } else {
            format!("{}{path}", self.address)
        }
    }

    /// Sends `body` as JSON with an optional bearer token.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
    ) -> Response {
        let mut req = self.client.request(method, self.url(path));
        if let Some(body) = body {
            req = req.json(&body);
        }
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send().await.expect("request sent")
    }

    pub async fn post(&self, path: &str, body: Value, token: Option<&str>) -> Response {
        self.request(Method::POST, path, Some(body), token).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::GET, path, None, token).await
    }

    pub async fn register(&self, email: &str, password: &str) -> Response {
        self.post(
            "/auth/register",
            json!({ "email": email, "password": password }),
            None,
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post(
            "/auth/login",
            json!({ "email": email, "password": password }),
            None,
        )
        .await
    }

    /// Logs in presenting a device token in the body.
    pub async fn login_with_device(&self, email: &str, password: &str, device: &str) -> Response {
        self.post(
            "/auth/login",
            json!({ "email": email, "password": password, "deviceToken": device }),
            None,
        )
        .await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Response {
        self.post(
            "/auth/refresh",
            json!({ "refreshToken": refresh_token }),
            None,
        )
        .await
    }

    pub async fn logout(&self, token: &str) -> Response {
        self.post("/auth/logout", json!({}), Some(token)).await
    }

    pub async fn me(&self, token: &str) -> Response {
        self.get("/me", Some(token)).await
    }

    /// Registers a fresh user and logs in (password only).
    pub async fn user(&self) -> TestUser {
        let email = format!("user-{}@example.com", uuid::Uuid::new_v4().simple());
        let password = "correct horse battery staple".to_owned();
        assert_status(self.register(&email, &password).await, StatusCode::CREATED).await;
        let body =
            json_of(assert_status(self.login(&email, &password).await, StatusCode::OK).await).await;
        TestUser {
            email,
            password,
            access_token: body["accessToken"].as_str().unwrap().to_owned(),
            refresh_token: body["refreshToken"].as_str().unwrap().to_owned(),
            device_token: body["deviceToken"].as_str().unwrap().to_owned(),
        }
    }
}

/// A registered, logged-in user.
pub struct TestUser {
    pub email: String,
    pub password: String,
    pub access_token: String,
    pub refresh_token: String,
    /// The device token of that login.
    pub device_token: String,
}

/// Asserts the status, printing the body when it differs.
pub async fn assert_status(resp: Response, expected: StatusCode) -> Response {
    if resp.status() != expected {
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        panic!("expected {expected}, got {status}: {text}");
    }
    resp
}

pub async fn json_of(resp: Response) -> Value {
    resp.json().await.expect("JSON body")
}

/// Asserts a contract error: status, `error` code, and the body's `status` field.
pub async fn assert_error(resp: Response, status: StatusCode, code: &str) -> Value {
    let resp = assert_status(resp, status).await;
    let ct = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(ct.starts_with("application/json"), "content type {ct}");
    let body = json_of(resp).await;
    assert_eq!(body["error"], code, "{body}");
    assert_eq!(body["status"], status.as_u16(), "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    body
}

/// The app clock's current Unix time.
pub fn now(app: &TestApp) -> i64 {
    use twofold::clock::Clock;
    app.clock.now()
}

/// A TOTP code for `secret` at Unix time `t`, from the independent `oathtool`.
pub fn oathtool(secret: &str, t: i64) -> String {
    let out = std::process::Command::new("oathtool")
        .args(["--totp", "-b", secret, "--now", &format!("@{t}")])
        .output()
        .expect("oathtool runs (apt-get install oathtool)");
    assert!(
        out.status.success(),
        "oathtool failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// An enrolled user: its TOTP secret and recovery codes.
pub struct Enrolled {
    pub user: TestUser,
    pub secret: String,
    pub recovery_codes: Vec<String>,
}

impl TestApp {
    /// Moves the clock to the start of the next TOTP step, so a fresh code is accepted.
    pub fn next_step(&self) {
        let t = now(self);
        self.clock.advance(30 - t.rem_euclid(30));
    }

    pub async fn setup(&self, token: &str) -> Value {
        json_of(
            assert_status(
                self.post("/mfa/setup", json!({}), Some(token)).await,
                StatusCode::OK,
            )
            .await,
        )
        .await
    }

    /// `POST /auth/step-up` with `body`: the new access token.
    pub async fn step_up(&self, token: &str, body: Value) -> String {
        let resp = assert_status(
            self.post("/auth/step-up", body, Some(token)).await,
            StatusCode::OK,
        )
        .await;
        json_of(resp).await["accessToken"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn confirm(&self, token: &str, code: &str) -> Response {
        self.post("/mfa/setup/confirm", json!({ "code": code }), Some(token))
            .await
    }

    /// A new user with MFA enabled (enrollment code generated by oathtool).
    pub async fn enrolled_user(&self) -> Enrolled {
        let user = self.user().await;
        let setup = self.setup(&user.access_token).await;
        let secret = setup["secret"].as_str().unwrap().to_owned();
        let code = oathtool(&secret, now(self));
        let body = json_of(
            assert_status(
                self.confirm(&user.access_token, &code).await,
                StatusCode::OK,
            )
            .await,
        )
        .await;
        let recovery_codes = body["recoveryCodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect();
        Enrolled {
            user,
            secret,
            recovery_codes,
        }
    }

    /// Logs in with the password and returns the MFA challenge token.
    pub async fn challenge(&self, user: &TestUser) -> String {
        let body = json_of(
            assert_status(
                self.login(&user.email, &user.password).await,
                StatusCode::OK,
            )
            .await,
        )
        .await;
        assert_eq!(body["mfaRequired"], true, "{body}");
        body["mfaChallengeToken"].as_str().unwrap().to_owned()
    }

    /// A login of `e` with a fresh code that asks (or not) to trust this browser: its answer.
    pub async fn remembered_login(&self, e: &Enrolled, remember: bool) -> Value {
        self.next_step();
        let challenge = self.challenge(&e.user).await;
        let code = oathtool(&e.secret, now(self));
        let body =
            json!({ "mfaChallengeToken": challenge, "code": code, "rememberDevice": remember });
        json_of(
            assert_status(
                self.post("/auth/verify-mfa", body, None).await,
                StatusCode::OK,
            )
            .await,
        )
        .await
    }

    pub async fn verify_mfa(&self, challenge: &str, code: &str) -> Response {
        self.post(
            "/auth/verify-mfa",
            json!({ "mfaChallengeToken": challenge, "code": code }),
            None,
        )
        .await
    }

    /// The caller's audit event types, newest first.
    pub async fn audit_types(&self, token: &str) -> Vec<String> {
        let body = json_of(
            assert_status(
                self.get("/audit?limit=200", Some(token)).await,
                StatusCode::OK,
            )
            .await,
        )
        .await;
        body["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["type"].as_str().unwrap().to_owned())
            .collect()
    }
}

/// Opens one challenge per app in `apps` (password step), then sends `verify-mfa` with
/// `code` on all of them at the same instant; returns the statuses.
pub async fn race_verify(apps: &[&TestApp], user: &TestUser, code: &str) -> Vec<StatusCode> {
    let barrier = Arc::new(tokio::sync::Barrier::new(apps.len()));
    let mut tasks = tokio::task::JoinSet::new();
    for app in apps {
        let challenge = app.challenge(user).await;
        let (client, url, barrier) = (
            app.client.clone(),
            app.url("/auth/verify-mfa"),
            barrier.clone(),
        );
        let body = json!({ "mfaChallengeToken": challenge, "code": code });
        tasks.spawn(async move {
            barrier.wait().await;
            client
                .post(url)
                .json(&body)
                .send()
                .await
                .expect("request sent")
                .status()
        });
    }
    tasks.join_all().await
}

/// Asserts that exactly one of `statuses` is 200 and the others are refusals.
pub fn assert_exactly_one_success(statuses: &[StatusCode]) {
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    let refusals = [
        StatusCode::OK,
        StatusCode::UNAUTHORIZED,
        StatusCode::TOO_MANY_REQUESTS,
    ];
    assert!(
        statuses.iter().all(|s| refusals.contains(s)),
        "{statuses:?}"
    );
}

/// Sends every request of `requests` at the same instant; returns (status, body text) each.
pub async fn at_once(requests: Vec<reqwest::RequestBuilder>) -> Vec<(StatusCode, String)> {
    let barrier = Arc::new(tokio::sync::Barrier::new(requests.len()));
    let mut tasks = tokio::task::JoinSet::new();
    for request in requests {
        let barrier = barrier.clone();
        tasks.spawn(async move {
            barrier.wait().await;
            let resp = request.send().await.expect("request sent");
            (resp.status(), resp.text().await.unwrap_or_default())
        });
    }
    tasks.join_all().await
}

/// How many of `results` have `status`.
pub fn count(results: &[(StatusCode, String)], status: StatusCode) -> usize {
    results.iter().filter(|(s, _)| *s == status).count()
}

/// Starts the real `twofold serve` (run through `wrapper`, e.g. `strace ...`, when given)
/// on a free port with a fresh data folder, cheap Argon2 and no per-IP limit; returns the
/// process and the API's base URL. The log is drained so the server never blocks on it.
pub fn start_binary(
    data_dir: &std::path::Path,
    wrapper: &[&std::ffi::OsStr],
    extra_env: &[(&str, &str)],
) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    let binary = std::ffi::OsStr::new(env!("CARGO_BIN_EXE_twofold"));
    let (program, args) = match wrapper.split_first() {
        Some((program, rest)) => (*program, [rest, &[binary]].concat()),
        None => (binary, Vec::new()),
    };
    let mut command = std::process::Command::new(program);
    command
        .args(args)
        .arg("serve")
        .env("TWOFOLD_LISTEN", "127.0.0.1:0")
        .env("TWOFOLD_DATA_DIR", data_dir)
        .env("TWOFOLD_ARGON2_MEMORY_KIB", "1024")
        .env("TWOFOLD_ARGON2_ITERATIONS", "1")
        .env("TWOFOLD_RATE_LIMIT_BURST", "0")
        .env("TWOFOLD_LOG", "info")
        .env_remove("RUST_LOG")
        .env_remove("TWOFOLD_DATABASE_URL")
        .env_remove("TWOFOLD_MASTER_KEY")
        .envs(extra_env.iter().copied())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().expect("the twofold binary starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let address = loop {
        let line = lines.next().expect("server log").expect("readable log");
        if let Some(rest) = line.split("listen=").nth(1) {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, format!("http://{address}/api/v1"))
}

/// A client that shows redirects instead of following them.
pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}
