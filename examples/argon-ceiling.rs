//! `argon-ceiling`: how many password hashes per second this machine can do with all its
//! hashing threads busy at once (production Argon2id, m=19 MiB, t=2, p=1), through the
//! same worker pool the server uses. The ceiling a password-login benchmark is read
//! against: it includes the memory-bandwidth contention of parallel hashes, which a
//! single-threaded micro-benchmark does not.
//!
//! ```sh
//! cargo run --release --example argon-ceiling -- 10     # seconds of measurement
//! ```

use std::time::{Duration, Instant};

use twofold::config::Settings;
use twofold::crypto::argon::Argon;
use zeroize::Zeroizing;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let seconds: u64 = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(10);
    let d = Settings::default();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let argon = Argon::new(
        d.argon2_memory_kib,
        d.argon2_iterations,
        d.argon2_parallelism,
        threads,
        Zeroizing::new([7; 32]),
    )?;
    let stored = argon.hash_password("ceiling").await?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    // Twice as many clients as threads keep every hashing thread busy all the time.
    for _ in 0..threads * 2 {
        let (argon, stored) = (argon.clone(), stored.clone());
        tasks.spawn(async move {
            let mut done = 0u64;
            while Instant::now() < deadline {
                argon
                    .verify_password("ceiling", Some(&stored))
                    .await
                    .unwrap();
                done += 1;
            }
            done
        });
    }
    let total: u64 = tasks.join_all().await.into_iter().sum();
    let rate = total as f64 / start.elapsed().as_secs_f64();
    println!("Argon2id ceiling: {rate:.1} hashes/s with {threads} hashing threads");
    Ok(())
}
