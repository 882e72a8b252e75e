//! The keys a running instance holds in memory: its sealers (the current master key's,
//! and the ones it caught up from) and its signing key ring. Plain holders, a leaf: the
//! use cases that load, rotate and catch up with them are in [`super::keys`].

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::crypto::jwt::KeyRing;
use crate::crypto::seal::Sealer;

/// The signing keys in use: the current one signs; keys retired less than an access
/// token's lifetime ago still verify (and are in the JWKS). Several instances share them
/// through the database and reload them, so a rotation reaches all without a restart.
pub struct SigningKeys {
    ring: RwLock<Arc<KeyRing>>,
    last_reload: Mutex<Instant>,
}

/// Least time between two reloads asked for by a token signed with an unknown key.
pub(super) const RELOAD_AT_MOST_EVERY: Duration = Duration::from_secs(1);

impl SigningKeys {
    pub fn new(ring: KeyRing) -> Self {
        Self {
            ring: RwLock::new(Arc::new(ring)),
            // The first unknown key may be looked up at once.
            last_reload: Mutex::new(
                Instant::now()
                    .checked_sub(RELOAD_AT_MOST_EVERY)
                    .unwrap_or_else(Instant::now),
            ),
        }
    }

    /// The key ring in effect.
    pub fn current(&self) -> Arc<KeyRing> {
        Arc::clone(&self.ring.read().unwrap_or_else(|p| p.into_inner()))
    }

    pub(super) fn replace(&self, ring: KeyRing) {
        *self.ring.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(ring);
    }

    /// Whether a reload may run now (at most one a second on demand).
    pub(super) fn may_reload(&self) -> bool {
        let mut last = self.last_reload.lock().unwrap_or_else(|p| p.into_inner());
        if last.elapsed() < RELOAD_AT_MOST_EVERY {
            return false;
        }
        *last = Instant::now();
        true
    }
}

/// The sealers of this instance: the current master key's, and the ones it replaced while
/// running (rows a not-yet-caught-up instance sealed stay readable). When the master key
/// is the data folder's `master.key` file, a rotation by the CLI rewrites that file and
/// running instances catch up without a restart ([`catch_up_master`]).
pub struct Sealers {
    sealers: RwLock<Vec<Arc<Sealer>>>,
    pub(super) last_catch_up: Mutex<Instant>,
}

impl Sealers {
    pub fn new(current: Sealer) -> Self {
        Self {
            sealers: RwLock::new(vec![Arc::new(current)]),
            last_catch_up: Mutex::new(
                Instant::now()
                    .checked_sub(RELOAD_AT_MOST_EVERY)
                    .unwrap_or_else(Instant::now),
            ),
        }
    }

    /// The sealer new values are sealed with.
    pub fn current(&self) -> Arc<Sealer> {
        let sealers = self.sealers.read().unwrap_or_else(|p| p.into_inner());
        Arc::clone(&sealers[0])
    }

    /// The sealer of `key_id`, if this instance has it.
    pub fn for_key(&self, key_id: i64) -> Option<Arc<Sealer>> {
        let sealers = self.sealers.read().unwrap_or_else(|p| p.into_inner());
        sealers.iter().find(|s| s.key_id() == key_id).cloned()
    }

    pub(super) fn push(&self, sealer: Sealer) {
        let mut sealers = self.sealers.write().unwrap_or_else(|p| p.into_inner());
        if sealer.key_id() > sealers[0].key_id() {
            sealers.insert(0, Arc::new(sealer));
        }
    }
}
