//! `twofold-load`: a load generator for a running twofold server.
//!
//! It creates its own users through the public API (with MFA enrolled), then drives one
//! scenario for a fixed time at a fixed concurrency and prints requests per second,
//! p50/p95/p99 latency, errors by status and the server's peak RSS (with `--server-pid`),
//! as a table and as one JSON line.
//!
//! ```sh
//! cargo run --release --example twofold-load -- --url http://127.0.0.1:8080 \
//!     --scenario verify-mfa --users 6000 --concurrency 64 --duration 10 --server-pid $PID
//! ```
//!
//! Scenarios: `mfa-login` (login then verify-mfa with a fresh code), `verify-mfa` (on
//! challenges prepared before the clock starts), `status` (`GET /mfa/status` with a
//! token), `forward-auth` (`/authz/forward-auth` as a proxy asks, the session cookie
//! forwarded; the server needs `trusted_proxies` and a rule for `app.localhost`),
//! `password-login` (users without MFA). Every TOTP code is for a step above the
//! user's last accepted one, so the server's replay guard is respected.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clap::Parser;
use serde_json::{json, Value};
use tokio::sync::Mutex;
use twofold::domain::codes::secret_from_base32;
use twofold::domain::totp::{code_at_step, TotpParams};

#[derive(Parser, Clone)]
struct Args {
    /// Base URL of the server.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// mfa-login | verify-mfa | status | forward-auth | password-login
    #[arg(long, default_value = "verify-mfa")]
    scenario: String,
    /// Users to create.
    #[arg(long, default_value_t = 1000)]
    users: usize,
    /// Concurrent clients.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Seconds of measurement.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// PID of the server, to report its peak RSS (VmHWM).
    #[arg(long)]
    server_pid: Option<u32>,
}

const PASSWORD: &str = "load test password";

struct User {
    email: String,
    token: String,
    /// The device token of the first login, presented at later ones, as a browser does
    /// with its cookie (so later sign-ins are from a browser the account knows).
    device: String,
    secret: Vec<u8>,
    last_step: u64,
    challenges: Vec<String>,
}

fn now_step() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 30
}

/// The next step this user may use now, if any (above the last, within the ±1 window).
fn next_step(user: &User) -> Option<u64> {
    let step = (user.last_step + 1).max(now_step().saturating_sub(1));
    (step <= now_step() + 1).then_some(step)
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    statuses: BTreeMap<u16, u64>,
}

async fn post(
    client: &reqwest::Client,
    url: &str,
    body: Value,
    token: Option<&str>,
) -> (u16, Value) {
    let mut req = client.post(url).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    match req.send().await {
        Ok(resp) => {
            let status = resp.status().as_u16();
            (status, resp.json().await.unwrap_or(Value::Null))
        }
        Err(_) => (0, Value::Null),
    }
}

/// Runs `f` over `items` with `concurrency` tasks.
async fn for_each<T: Send + 'static, F, Fut>(items: Vec<T>, concurrency: usize, f: F) -> Vec<T>
where
    F: Fn(T) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = T> + Send,
{
    let queue = Arc::new(Mutex::new(items.into_iter().collect::<VecDeque<_>>()));
    let done = Arc::new(Mutex::new(Vec::new()));
    let f = Arc::new(f);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (queue, done, f) = (queue.clone(), done.clone(), f.clone());
        tasks.spawn(async move {
            loop {
                let Some(item) = queue.lock().await.pop_front() else {
                    break;
                };
                let out = f(item).await;
                done.lock().await.push(out);
            }
        });
    }
    tasks.join_all().await;
    Arc::try_unwrap(done).ok().unwrap().into_inner()
}

async fn create_users(args: &Args, client: &reqwest::Client, mfa: bool) -> Vec<User> {
    let run = uuid::Uuid::new_v4().simple().to_string();
    let api = format!("{}/api/v1", args.url);
    let seeds: Vec<usize> = (0..args.users).collect();
    let (client, api2) = (client.clone(), api.clone());
    let users = for_each(
        seeds.into_iter().map(|i| (i, None::<User>)).collect(),
        args.concurrency,
        move |(i, _)| {
            let (client, api) = (client.clone(), api2.clone());
            let run = run.clone();
            async move {
                let email = format!("load-{run}-{i}@example.com");
                let creds = json!({ "email": email, "password": PASSWORD });
                let (s, _) = post(
                    &client,
                    &format!("{api}/auth/register"),
                    creds.clone(),
                    None,
                )
                .await;
                assert_eq!(s, 201, "register");
                let (s, body) = post(&client, &format!("{api}/auth/login"), creds, None).await;
                assert_eq!(s, 200, "login");
                let token = body["accessToken"].as_str().unwrap().to_owned();
                let device = body["deviceToken"].as_str().unwrap_or_default().to_owned();
                let mut user = User {
                    email,
                    token,
                    device,
                    secret: Vec::new(),
                    last_step: 0,
                    challenges: Vec::new(),
                };
                if mfa {
                    let (s, setup) = post(
                        &client,
                        &format!("{api}/mfa/setup"),
                        json!({}),
                        Some(&user.token),
                    )
                    .await;
                    assert_eq!(s, 200, "setup");
                    user.secret = secret_from_base32(setup["secret"].as_str().unwrap())
                        .unwrap()
                        .to_vec();
                    // Enroll with the previous step, leaving the current and next ones free
                    // (or, if a step boundary passed meanwhile, with the current one).
                    let mut step = now_step() - 1;
                    loop {
                        let code = code_at_step(&user.secret, step, TotpParams::DEFAULT);
                        let (s, _) = post(
                            &client,
                            &format!("{api}/mfa/setup/confirm"),
                            json!({ "code": code }),
                            Some(&user.token),
                        )
                        .await;
                        if s == 200 {
                            break;
                        }
                        assert!(step < now_step(), "confirm failed with {s}");
                        step = now_step();
                    }
                    user.last_step = step;
                }
                (i, Some(user))
            }
        },
    )
    .await;
    users.into_iter().filter_map(|(_, u)| u).collect()
}

fn peak_rss_kib(pid: Option<u32>) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", pid?)).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()
        .unwrap();
    let api = format!("{}/api/v1", args.url);
    let mfa = args.scenario != "password-login";
    let setup_started = Instant::now();
    let mut users = create_users(&args, &client, mfa).await;
    if args.scenario == "verify-mfa" {
        // Two challenges per user: the current and the next step are still free.
        let api2 = api.clone();
        let c2 = client.clone();
        users = for_each(users, args.concurrency, move |mut u: User| {
            let (client, api) = (c2.clone(), api2.clone());
            async move {
                for _ in 0..2 {
                    let (s, body) = post(
                        &client,
                        &format!("{api}/auth/login"),
                        json!({ "email": u.email, "password": PASSWORD, "deviceToken": u.device }),
                        None,
                    )
                    .await;
                    assert_eq!(s, 200, "login for a challenge");
                    u.challenges
                        .push(body["mfaChallengeToken"].as_str().unwrap().to_owned());
                }
                u
            }
        })
        .await;
    }
    eprintln!(
        "setup: {} users in {:.1} s",
        users.len(),
        setup_started.elapsed().as_secs_f64()
    );

    let pool = Arc::new(Mutex::new(users.into_iter().collect::<VecDeque<_>>()));
    let deadline = Instant::now() + Duration::from_secs(args.duration);
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..args.concurrency {
        let (pool, client, api, scenario) = (
            pool.clone(),
            client.clone(),
            api.clone(),
            args.scenario.clone(),
        );
        tasks.spawn(async move {
            let mut tally = Tally::default();
            while Instant::now() < deadline {
                let Some(mut user) = pool.lock().await.pop_front() else {
                    break;
                };
                let t0 = Instant::now();
                let status = match scenario.as_str() {
                    "status" => match client
                        .get(format!("{api}/mfa/status"))
                        .bearer_auth(&user.token)
                        .send()
                        .await
                    {
                        Ok(r) => r.status().as_u16(),
                        Err(_) => 0,
                    },
                    // PROXY.md: a reverse proxy asking about a request of a protected
                    // app, the browser's session cookie forwarded.
                    "forward-auth" => match client
                        .get(format!("{api}/authz/forward-auth"))
                        .header("x-forwarded-method", "GET")
                        .header("x-forwarded-proto", "http")
                        .header("x-forwarded-host", "app.localhost")
                        .header("x-forwarded-uri", "/dashboard?tab=1")
                        .header("cookie", format!("twofold_at={}", user.token))
                        .send()
                        .await
                    {
                        Ok(r) => r.status().as_u16(),
                        Err(_) => 0,
                    },
                    "password-login" => {
                        post(
                            &client,
                            &format!("{api}/auth/login"),
                            json!({ "email": user.email, "password": PASSWORD }),
                            None,
                        )
                        .await
                        .0
                    }
                    "verify-mfa" | "mfa-login" => {
                        let Some(step) = next_step(&user) else {
                            // This user has no free step until the clock moves on.
                            if scenario == "verify-mfa" {
                                continue;
                            }
                            pool.lock().await.push_back(user);
                            tokio::task::yield_now().await;
                            continue;
                        };
                        let challenge = if scenario == "verify-mfa" {
                            match user.challenges.pop() {
                                Some(c) => c,
                                None => continue,
                            }
                        } else {
                            let (s, body) = post(
                                &client,
                                &format!("{api}/auth/login"),
                                json!({ "email": user.email, "password": PASSWORD, "deviceToken": user.device }),
                                None,
                            )
                            .await;
                            if s != 200 {
                                *tally.statuses.entry(s).or_default() += 1;
                                pool.lock().await.push_back(user);
                                continue;
                            }
                            body["mfaChallengeToken"]
                                .as_str()
                                .unwrap_or_default()
                                .to_owned()
                        };
                        let code = code_at_step(&user.secret, step, TotpParams::DEFAULT);
                        let (s, _) = post(
                            &client,
                            &format!("{api}/auth/verify-mfa"),
                            json!({ "mfaChallengeToken": challenge, "code": code }),
                            None,
                        )
                        .await;
                        if s == 200 {
                            user.last_step = step;
                        }
                        s
                    }
                    other => panic!("unknown scenario {other}"),
                };
                tally.latencies_us.push(t0.elapsed().as_micros() as u64);
                *tally.statuses.entry(status).or_default() += 1;
                pool.lock().await.push_back(user);
            }
            tally
        });
    }
    let tallies = tasks.join_all().await;
    let elapsed = started
        .elapsed()
        .as_secs_f64()
        .min(args.duration as f64 + 5.0);
    let mut latencies: Vec<u64> = tallies
        .iter()
        .flat_map(|t| t.latencies_us.iter().copied())
        .collect();
    latencies.sort_unstable();
    let mut statuses: BTreeMap<u16, u64> = BTreeMap::new();
    for t in &tallies {
        for (s, n) in &t.statuses {
            *statuses.entry(*s).or_default() += n;
        }
    }
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |us| *us as f64 / 1000.0)
    };
    let ok = statuses.get(&200).copied().unwrap_or(0);
    let errors: u64 = statuses
        .iter()
        .filter(|(s, _)| **s != 200)
        .map(|(_, n)| n)
        .sum();
    let report = json!({
        "scenario": args.scenario,
        "concurrency": args.concurrency,
        "seconds": elapsed,
        "requests": latencies.len(),
        "ok": ok,
        "errors": errors,
        "statuses": statuses,
        "rps": ok as f64 / elapsed,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "server_peak_rss_kib": peak_rss_kib(args.server_pid),
    });
    println!("| scenario | conc | ok/s | p50 ms | p95 ms | p99 ms | errors | peak RSS MiB |");
    println!("|---|---|---|---|---|---|---|---|");
    println!(
        "| {} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {} | {} |",
        args.scenario,
        args.concurrency,
        ok as f64 / elapsed,
        pct(0.50),
        pct(0.95),
        pct(0.99),
        errors,
        peak_rss_kib(args.server_pid).map_or("-".into(), |k| format!("{:.1}", k as f64 / 1024.0))
    );
    println!("{report}");
}
