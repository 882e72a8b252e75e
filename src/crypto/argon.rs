//! [`Argon`]: Argon2id hashing on a small pool of dedicated threads. Each worker owns one
//! Argon2 memory buffer and reuses it for every hash, so a burst of logins neither
//! exhausts memory (at most `concurrency` buffers of `m_cost` KiB ever exist, allocated on
//! first use) nor starves the async runtime, nor leaves the allocator holding freed
//! 19 MiB buffers. Passwords are hashed plainly; recovery codes also take a server secret
//! (Argon2's secret input, the pepper).

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};

use anyhow::Context;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version, ARGON2ID_IDENT};
use subtle::ConstantTimeEq;
use tokio::sync::{oneshot, OnceCell};
use zeroize::Zeroizing;

type Job = Box<dyn FnOnce(&mut Worker) + Send>;

/// Argon2id hashing with bounded concurrency, bounded memory and a bounded queue.
#[derive(Clone)]
pub struct Argon {
    jobs: mpsc::Sender<Job>,
    dummy: Arc<OnceCell<String>>,
    /// Jobs accepted but not yet started by a hashing thread.
    waiting: Arc<AtomicUsize>,
    /// Jobs a hashing thread is working on.
    running: Arc<AtomicUsize>,
    /// Argon2 computations run so far (each hash or verification counts one).
    hashes: Arc<AtomicU64>,
    queue_max: usize,
    params: Params,
}

/// The hashing queue is full: the caller should answer at once (503) rather than wait.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the hashing queue is full")]
pub struct Overloaded;

/// A place in the hashing queue, taken before any other work of a request (so that a
/// request refused for overload has changed nothing); given back when dropped unused.
pub struct Ticket {
    argon: Argon,
    armed: bool,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if self.armed {
            self.argon.waiting.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

impl Ticket {
    /// Whether `password` matches `stored` (see [`Argon::verify_password`]).
    pub async fn verify_password(
        self,
        password: &str,
        stored: Option<&str>,
    ) -> anyhow::Result<bool> {
        let known = stored.is_some();
        let stored = match stored {
            Some(s) => s.to_owned(),
            None => self.argon.dummy_hash().await?.clone(),
        };
        let password = Zeroizing::new(password.to_owned());
        let ok = self
            .run(move |w| w.verify(false, password.as_bytes(), &stored))
            .await?;
        Ok(known && ok)
    }

    /// The index of the first of `candidates` (see [`Argon::find_recovery_code`]).
    pub async fn find_recovery_code(
        self,
        code: &str,
        candidates: Vec<String>,
    ) -> anyhow::Result<Option<usize>> {
        let code = Zeroizing::new(code.to_owned());
        self.run(move |w| {
            candidates
                .iter()
                .position(|phc| w.verify(true, code.as_bytes(), phc))
        })
        .await
    }

    /// Runs `f` on a hashing thread and waits for its answer without blocking the runtime.
    async fn run<T: Send + 'static>(
        mut self,
        f: impl FnOnce(&mut Worker) -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let (reply, answer) = oneshot::channel();
        let (waiting, running) = (
            Arc::clone(&self.argon.waiting),
            Arc::clone(&self.argon.running),
        );
        self.armed = false;
        self.argon
            .jobs
            .send(Box::new(move |worker| {
                let left = waiting.fetch_sub(1, Ordering::SeqCst).saturating_sub(1);
                metrics::gauge!("twofold_argon2_queue_depth").set(left as f64);
                // The request gave up (timed out, client gone) while the job waited: its
                // answer would be thrown away, so the work is not started.
                if reply.is_closed() {
                    metrics::counter!("twofold_argon2_abandoned_total").increment(1);
                    return;
                }
                running.fetch_add(1, Ordering::SeqCst);
                let started = std::time::Instant::now();
                let answer = f(worker);
                metrics::histogram!("twofold_argon2_duration_seconds").record(started.elapsed());
                // Counted as done before the answer goes out: whoever reads the load after
                // receiving it sees this job finished.
                running.fetch_sub(1, Ordering::SeqCst);
                let _ = reply.send(answer);
            }))
            .map_err(|_| {
                self.argon.waiting.fetch_sub(1, Ordering::SeqCst);
                anyhow::anyhow!("the hashing threads are gone")
            })?;
        answer.await.context("hashing job dropped")
    }
}

/// One hashing thread's state.
struct Worker {
    params: Params,
    pepper: Arc<Zeroizing<[u8; 32]>>,
    blocks: Vec<Block>,
    hashes: Arc<AtomicU64>,
}

impl Argon {
    /// `memory_kib`, `iterations`, `lanes` are Argon2id's m, t, p; `concurrency` is the
    /// number of hashing threads; `pepper` is the secret input for recovery codes. At most
    /// 64 jobs per thread may wait (see [`Argon::with_queue_max`]).
    pub fn new(
        memory_kib: u32,
        iterations: u32,
        lanes: u32,
        concurrency: usize,
        pepper: Zeroizing<[u8; 32]>,
    ) -> anyhow::Result<Self> {
        let params = Params::new(memory_kib, iterations, lanes, None)
            .map_err(|e| anyhow::anyhow!("invalid Argon2 parameters: {e}"))?;
        let for_workers = params.clone();
        let concurrency = concurrency.max(1);
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let pepper = Arc::new(pepper);
        let hashes = Arc::new(AtomicU64::new(0));
        for i in 0..concurrency {
            let queue = Arc::clone(&queue);
            let mut worker = Worker {
                params: for_workers.clone(),
                pepper: Arc::clone(&pepper),
                blocks: Vec::new(),
                hashes: Arc::clone(&hashes),
            };
            std::thread::Builder::new()
                .name(format!("twofold-argon-{i}"))
                .spawn(move || loop {
                    // The lock is held only while waiting for the next job.
                    let job = match queue.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(&mut worker),
                        Err(_) => return, // every `Argon` handle is gone
                    }
                })
                .context("starting a hashing thread")?;
        }
        Ok(Self {
            jobs,
            dummy: Arc::new(OnceCell::new()),
            waiting: Arc::new(AtomicUsize::new(0)),
            running: Arc::new(AtomicUsize::new(0)),
            hashes,
            queue_max: 64 * concurrency,
            params,
        })
    }

    /// At most `max` jobs may wait for a hashing thread; beyond, [`Overloaded`].
    pub fn with_queue_max(mut self, max: usize) -> Self {
        self.queue_max = max;
        self
    }

    /// Jobs waiting for a hashing thread, and jobs being worked on.
    pub fn load(&self) -> (usize, usize) {
        (
            self.waiting.load(Ordering::SeqCst),
            self.running.load(Ordering::SeqCst),
        )
    }

    /// Argon2 computations run by the pool so far (hashes and verifications, one each).
    pub fn hashes_run(&self) -> u64 {
        self.hashes.load(Ordering::SeqCst)
    }

    /// Takes a place in the queue, or fails at once with [`Overloaded`].
    pub fn reserve(&self) -> Result<Ticket, Overloaded> {
        let before = self.waiting.fetch_add(1, Ordering::SeqCst);
        let ticket = Ticket {
            argon: self.clone(),
            armed: true,
        };
        if before >= self.queue_max {
            return Err(Overloaded); // dropping the ticket gives the place back
        }
        Ok(ticket)
    }

    /// Runs `f` on a hashing thread, taking a place in the queue first.
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Worker) -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        self.reserve()?.run(f).await
    }

    /// Computes the dummy hash now, so that the first login for an unknown email takes
    /// no longer than any other (no first-request timing tell).
    pub async fn prepare(&self) -> anyhow::Result<()> {
        self.dummy_hash().await.map(|_| ())
    }

    /// A PHC string (`$argon2id$...`) of `password` under a fresh salt.
    pub async fn hash_password(&self, password: &str) -> anyhow::Result<String> {
        let password = Zeroizing::new(password.to_owned());
        self.run(move |w| w.hash(false, password.as_bytes()))
            .await?
    }

    /// Whether `password` matches `stored`. With no stored hash (unknown user) it checks
    /// against a dummy hash of the same cost and returns false, so the time is similar.
    pub async fn verify_password(
        &self,
        password: &str,
        stored: Option<&str>,
    ) -> anyhow::Result<bool> {
        self.reserve()?.verify_password(password, stored).await
    }

    async fn dummy_hash(&self) -> anyhow::Result<&String> {
        self.dummy
            .get_or_try_init(|| async {
                // Made once, by a worker of its own whose memory is freed afterwards (the
                // pool's threads allocate theirs on first use, so an idle server stays small).
                let mut worker = Worker {
                    params: self.params.clone(),
                    pepper: Arc::new(Zeroizing::new([0; 32])),
                    blocks: Vec::new(),
                    hashes: Arc::new(AtomicU64::new(0)),
                };
                let password = "twofold dummy password for unknown users";
                tokio::task::spawn_blocking(move || worker.hash(false, password.as_bytes()))
                    .await
                    .context("computing the dummy hash")?
            })
            .await
    }

    /// Peppered PHC strings for each of `codes`, all in one job.
    pub async fn hash_recovery_codes(
        &self,
        codes: Vec<Zeroizing<String>>,
    ) -> anyhow::Result<Vec<String>> {
        self.run(move |w| {
            codes
                .iter()
                .map(|code| w.hash(true, code.as_bytes()))
                .collect()
        })
        .await?
    }

    /// The index of the first of `candidates` (peppered PHC strings) that `code` matches.
    pub async fn find_recovery_code(
        &self,
        code: &str,
        candidates: Vec<String>,
    ) -> anyhow::Result<Option<usize>> {
        self.reserve()?.find_recovery_code(code, candidates).await
    }
}

impl Worker {
    fn context(&self, peppered: bool, params: Params) -> argon2::Result<Argon2<'_>> {
        if peppered {
            Argon2::new_with_secret(
                self.pepper.as_ref().as_ref(),
                Algorithm::Argon2id,
                Version::V0x13,
                params,
            )
        } else {
            Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
        }
    }

    /// This worker's buffer, grown to `blocks` if needed (a stored hash may be stronger).
    fn memory(blocks: &mut Vec<Block>, count: usize) -> &mut [Block] {
        if blocks.len() < count {
            blocks.resize(count, Block::default());
        }
        &mut blocks[..count]
    }

    fn hash(&mut self, peppered: bool, secret: &[u8]) -> anyhow::Result<String> {
        self.hashes.fetch_add(1, Ordering::SeqCst);
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        let mut salt_buf = [0u8; 64];
        let salt_raw = salt
            .as_salt()
            .decode_b64(&mut salt_buf)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut out = [0u8; 32];
        let params = self.params.clone();
        let mut blocks = std::mem::take(&mut self.blocks);
        let result = self.context(peppered, params.clone()).and_then(|argon| {
            argon.hash_password_into_with_memory(
                secret,
                salt_raw,
                &mut out,
                Self::memory(&mut blocks, params.block_count()),
            )
        });
        self.blocks = blocks;
        result.map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))?;
        let phc = PasswordHash {
            algorithm: ARGON2ID_IDENT,
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&params).map_err(|e| anyhow::anyhow!("{e}"))?,
            salt: Some(salt.as_salt()),
            hash: Some(Output::new(&out).map_err(|e| anyhow::anyhow!("{e}"))?),
        };
        Ok(phc.to_string())
    }

    fn verify(&mut self, peppered: bool, secret: &[u8], phc: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(phc) else {
            return false;
        };
        if parsed.algorithm != ARGON2ID_IDENT {
            return false;
        }
        let (Ok(params), Some(salt), Some(expected)) =
            (Params::try_from(&parsed), parsed.salt, parsed.hash)
        else {
            return false;
        };
        let mut salt_buf = [0u8; 64];
        let Ok(salt_raw) = salt.decode_b64(&mut salt_buf) else {
            return false;
        };
        let mut out = vec![0u8; expected.len()];
        self.hashes.fetch_add(1, Ordering::SeqCst);
        let mut blocks = std::mem::take(&mut self.blocks);
        let ok = self
            .context(peppered, params.clone())
            .and_then(|argon| {
                argon.hash_password_into_with_memory(
                    secret,
                    salt_raw,
                    &mut out,
                    Self::memory(&mut blocks, params.block_count()),
                )
            })
            .is_ok();
        self.blocks = blocks;
        ok && bool::from(expected.as_bytes().ct_eq(&out))
    }
}

#[cfg(test)]
#[path = "argon_tests.rs"]
mod tests;
