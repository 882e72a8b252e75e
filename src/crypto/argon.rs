//! [`Argon`]: Argon2id hashing on tokio's blocking pool behind a semaphore, so a burst of
//! logins can neither exhaust memory (each hash holds `m_cost` KiB) nor starve the async
//! runtime. Passwords are hashed plainly; recovery codes also take a server secret (pepper).

use std::sync::Arc;

use anyhow::Context;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::{OnceCell, Semaphore};
use zeroize::Zeroizing;

/// Argon2id hashing with bounded concurrency.
#[derive(Clone)]
pub struct Argon {
    inner: Arc<Inner>,
}

struct Inner {
    params: Params,
    pepper: Zeroizing<[u8; 32]>,
    permits: Semaphore,
    dummy: OnceCell<String>,
}

impl Argon {
    /// `memory_kib`, `iterations`, `lanes` are Argon2id's m, t, p; `concurrency` bounds
    /// the hashes running at once; `pepper` is the secret input for recovery codes.
    pub fn new(
        memory_kib: u32,
        iterations: u32,
        lanes: u32,
        concurrency: usize,
        pepper: Zeroizing<[u8; 32]>,
    ) -> anyhow::Result<Self> {
        let params = Params::new(memory_kib, iterations, lanes, None)
            .map_err(|e| anyhow::anyhow!("invalid Argon2 parameters: {e}"))?;
        Ok(Self {
            inner: Arc::new(Inner {
                params,
                pepper,
                permits: Semaphore::new(concurrency.max(1)),
                dummy: OnceCell::new(),
            }),
        })
    }

    /// How many hashes may run at once.
    pub fn concurrency(&self) -> usize {
        self.inner.permits.available_permits()
    }

    /// Runs `f` with an Argon2 context on the blocking pool once a permit is free.
    async fn run<T: Send + 'static>(
        &self,
        peppered: bool,
        f: impl FnOnce(&Argon2<'_>) -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let _permit = self
            .inner
            .permits
            .acquire()
            .await
            .context("hasher closed")?;
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let argon = if peppered {
                Argon2::new_with_secret(
                    inner.pepper.as_ref(),
                    Algorithm::Argon2id,
                    Version::V0x13,
                    inner.params.clone(),
                )
                .expect("a 32-byte secret is within Argon2's limits")
            } else {
                Argon2::new(Algorithm::Argon2id, Version::V0x13, inner.params.clone())
            };
            f(&argon)
        })
        .await
        .context("hashing task failed")
    }

    /// A PHC string (`$argon2id$...`) of `password` under a fresh salt.
    pub async fn hash_password(&self, password: &str) -> anyhow::Result<String> {
        let password = Zeroizing::new(password.to_owned());
        self.run(false, move |argon| hash_with(argon, password.as_bytes()))
            .await?
    }

    /// Whether `password` matches `stored`. With no stored hash (unknown user) it checks
    /// against a dummy hash of the same cost and returns false, so the time is similar.
    pub async fn verify_password(
        &self,
        password: &str,
        stored: Option<&str>,
    ) -> anyhow::Result<bool> {
        let known = stored.is_some();
        let stored = match stored {
            Some(s) => s.to_owned(),
            None => self.dummy_hash().await?.clone(),
        };
        let password = Zeroizing::new(password.to_owned());
        let ok = self
            .run(false, move |argon| {
                verify_with(argon, password.as_bytes(), &stored)
            })
            .await?;
        Ok(known && ok)
    }

    async fn dummy_hash(&self) -> anyhow::Result<&String> {
        self.inner
            .dummy
            .get_or_try_init(|| self.hash_password("twofold dummy password for unknown users"))
            .await
    }

    /// Peppered PHC strings for each of `codes`, all in one blocking task.
    pub async fn hash_recovery_codes(
        &self,
        codes: Vec<Zeroizing<String>>,
    ) -> anyhow::Result<Vec<String>> {
        self.run(true, move |argon| {
            codes
                .iter()
                .map(|code| hash_with(argon, code.as_bytes()))
                .collect::<anyhow::Result<Vec<_>>>()
        })
        .await?
    }

    /// The index of the first of `candidates` (peppered PHC strings) that `code` matches.
    pub async fn find_recovery_code(
        &self,
        code: &str,
        candidates: Vec<String>,
    ) -> anyhow::Result<Option<usize>> {
        let code = Zeroizing::new(code.to_owned());
        self.run(true, move |argon| {
            candidates
                .iter()
                .position(|phc| verify_with(argon, code.as_bytes(), phc))
        })
        .await
    }
}

fn hash_with(argon: &Argon2<'_>, secret: &[u8]) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon
        .hash_password(secret, &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))
}

fn verify_with(argon: &Argon2<'_>, secret: &[u8], phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| argon.verify_password(secret, &parsed).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> Argon {
        Argon::new(256, 1, 1, 2, Zeroizing::new([9; 32])).unwrap()
    }

    #[tokio::test]
    async fn password_round_trip() {
        let a = cheap();
        let h = a.hash_password("correct horse").await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=256,t=1,p=1$"));
        assert!(a.verify_password("correct horse", Some(&h)).await.unwrap());
        assert!(!a.verify_password("wrong horse", Some(&h)).await.unwrap());
        assert!(!a.verify_password("correct horse", None).await.unwrap());
        assert!(!a
            .verify_password("x", Some("not a phc string"))
            .await
            .unwrap());
    }

    #[tokio::test]
    async fn recovery_codes_need_the_pepper() {
        let a = cheap();
        let codes = vec![
            Zeroizing::new("abcd1234".to_owned()),
            Zeroizing::new("zzzz9999".to_owned()),
        ];
        let hashes = a.hash_recovery_codes(codes).await.unwrap();
        assert_eq!(
            a.find_recovery_code("zzzz9999", hashes.clone())
                .await
                .unwrap(),
            Some(1)
        );
        assert_eq!(
            a.find_recovery_code("nope0000", hashes.clone())
                .await
                .unwrap(),
            None
        );
        let other = Argon::new(256, 1, 1, 2, Zeroizing::new([1; 32])).unwrap();
        assert_eq!(
            other
                .find_recovery_code("zzzz9999", hashes.clone())
                .await
                .unwrap(),
            None
        );
        // Without the pepper a plain verifier does not accept it either.
        assert!(!a
            .verify_password("zzzz9999", Some(&hashes[1]))
            .await
            .unwrap());
    }

    #[tokio::test]
    async fn production_defaults_are_owasp_strength() {
        let d = crate::config::Settings::default();
        let a = Argon::new(
            d.argon2_memory_kib,
            d.argon2_iterations,
            d.argon2_parallelism,
            1,
            Zeroizing::new([0; 32]),
        )
        .unwrap();
        let h = a.hash_password("correct horse").await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(a.verify_password("correct horse", Some(&h)).await.unwrap());
    }
}
