//! Sessions forward authentication found live a moment ago (PROXY.md allows a short
//! cache if a revocation still takes effect within one second). A leaf: the state holds
//! it, [`super::authz`] fills and reads it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::store::oidc::HeldSession;

/// How long a live session read from the database answers from memory: PROXY.md allows
/// a short cache if a revocation still takes effect within one second on every instance.
pub const LIVE_FOR: Duration = Duration::from_millis(500);
/// Most sessions remembered; the memory is emptied when it is full.
const LIVE_CAPACITY: usize = 16_384;

/// Sessions found live in the last [`LIVE_FOR`], by id: a busy app's requests cost one
/// database read per session every half second instead of one each.
#[derive(Default)]
pub struct LiveSessions {
    map: Mutex<HashMap<String, (Instant, HeldSession)>>,
}

impl LiveSessions {
    pub(super) fn get(&self, sid: &str) -> Option<HeldSession> {
        let map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        map.get(sid)
            .filter(|(at, _)| at.elapsed() < LIVE_FOR)
            .map(|(_, held)| held.clone())
    }

    pub(super) fn put(&self, sid: &str, held: &HeldSession) {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= LIVE_CAPACITY {
            map.clear();
        }
        map.insert(sid.to_owned(), (Instant::now(), held.clone()));
    }
}
