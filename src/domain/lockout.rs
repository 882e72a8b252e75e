//! The lockout policy as a pure function of the stored state and the current time:
//! after `max_failures` consecutive failures a purpose is locked for `base` seconds, and
//! every further lock without a success in between doubles, up to `max`.

/// The policy's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockPolicy {
    /// Failures that trigger a lock (the last of them still gets the normal error).
    pub max_failures: u32,
    /// Duration of the first lock, seconds.
    pub base_seconds: i64,
    /// Longest lock, seconds.
    pub max_seconds: i64,
}

/// What is stored per user and purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AttemptState {
    /// Failures since the last success or the last lock.
    pub failures: i64,
    /// Locks since the last success.
    pub lockouts: i64,
    /// Unix time until which the purpose is locked (0 when never locked).
    pub locked_until: i64,
}

/// Seconds left on a lock that lasts until `locked_until`, or `None` when it is over.
pub fn seconds_left(locked_until: i64, now: i64) -> Option<u64> {
    (locked_until > now).then(|| (locked_until - now) as u64)
}

impl AttemptState {
    /// Seconds left on the lock, or `None` when not locked at `now`.
    pub fn retry_after(&self, now: i64) -> Option<u64> {
        seconds_left(self.locked_until, now)
    }
}

impl LockPolicy {
    /// Duration of the lock that follows `previous_lockouts` earlier locks.
    pub fn lock_seconds(&self, previous_lockouts: i64) -> i64 {
        let doublings = previous_lockouts.clamp(0, 32) as u32;
        self.base_seconds
            .saturating_mul(1i64 << doublings)
            .min(self.max_seconds)
    }

    /// After a failure that was admitted (counted) before it was checked: the state that
    /// starts a lock when the budget is spent and no lock runs, else `None` (nothing to
    /// change: the failure is already counted).
    pub fn lock_if_spent(&self, state: AttemptState, now: i64) -> Option<AttemptState> {
        let spent = state.failures >= i64::from(self.max_failures.max(1));
        (spent && state.retry_after(now).is_none()).then(|| AttemptState {
            failures: 0,
            lockouts: state.lockouts + 1,
            locked_until: now + self.lock_seconds(state.lockouts),
        })
    }

    /// The state after one more failure at `now`. The caller records it and reports the
    /// normal error; a lock that starts here is refused only from the next attempt on.
    pub fn after_failure(&self, state: AttemptState, now: i64) -> AttemptState {
        let failures = state.failures + 1;
        if failures >= i64::from(self.max_failures.max(1)) {
            AttemptState {
                failures: 0,
                lockouts: state.lockouts + 1,
                locked_until: now + self.lock_seconds(state.lockouts),
            }
        } else {
            AttemptState { failures, ..state }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: LockPolicy = LockPolicy {
        max_failures: 3,
        base_seconds: 60,
        max_seconds: 86_400,
    };

    #[test]
    fn an_admitted_failure_locks_only_a_spent_unlocked_budget() {
        let state = |failures, locked_until| AttemptState {
            failures,
            lockouts: 1,
            locked_until,
        };
        assert_eq!(POLICY.lock_if_spent(state(2, 0), 1000), None);
        assert_eq!(
            POLICY.lock_if_spent(state(3, 0), 1000),
            Some(AttemptState {
                failures: 0,
                lockouts: 2,
                locked_until: 1120
            })
        );
        assert_eq!(POLICY.lock_if_spent(state(3, 1010), 1000), None, "locked");
    }

    #[test]
    fn third_failure_locks_for_sixty_seconds() {
        let mut s = AttemptState::default();
        s = POLICY.after_failure(s, 1000);
        s = POLICY.after_failure(s, 1000);
        assert_eq!(s.retry_after(1000), None);
        s = POLICY.after_failure(s, 1000);
        assert_eq!(s.retry_after(1000), Some(60));
        assert_eq!(s.retry_after(1059), Some(1));
        assert_eq!(s.retry_after(1060), None);
    }

    #[test]
    fn each_further_lock_doubles_up_to_the_cap() {
        let mut s = AttemptState::default();
        let mut now = 0;
        let mut seen = Vec::new();
        for _ in 0..15 {
            for _ in 0..3 {
                s = POLICY.after_failure(s, now);
            }
            seen.push(s.locked_until - now);
            now = s.locked_until;
        }
        assert_eq!(&seen[..5], &[60, 120, 240, 480, 960]);
        assert_eq!(*seen.last().unwrap(), 86_400);
    }

    #[test]
    fn huge_lock_counts_do_not_overflow() {
        assert_eq!(POLICY.lock_seconds(i64::MAX), 86_400);
        assert_eq!(POLICY.lock_seconds(-5), 60);
    }
}
