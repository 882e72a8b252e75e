//! Retry backoff of the outboxes (webhooks, mail): the first retry after `first` seconds,
//! each further one twice as long, at most `max`.

/// Seconds to wait before try `attempts + 1`, after `attempts` failed tries.
pub fn doubling(first: i64, max: i64, attempts: i64) -> i64 {
    let doublings = (attempts - 1).clamp(0, 20) as u32;
    (first << doublings).min(max)
}

/// After a failed try of a message made at `created_at`: when to try again (never after
/// `created_at + give_up_after`), or `None` when it is given up on.
pub fn next_try(now: i64, created_at: i64, give_up_after: i64, delay: i64) -> Option<i64> {
    (now - created_at < give_up_after).then(|| (now + delay).min(created_at + give_up_after))
}

#[cfg(test)]
mod tests {
    #[test]
    fn gives_up_at_the_end_and_never_tries_after_it() {
        assert_eq!(super::next_try(100, 0, 1000, 60), Some(160));
        assert_eq!(super::next_try(990, 0, 1000, 60), Some(1000));
        assert_eq!(super::next_try(1000, 0, 1000, 60), None);
    }

    #[test]
    fn doubles_up_to_the_most() {
        assert_eq!(super::doubling(5, 600, 1), 5);
        assert_eq!(super::doubling(5, 600, 2), 10);
        assert_eq!(super::doubling(5, 600, 8), 600);
        assert_eq!(super::doubling(5, 600, 1000), 600);
    }
}
