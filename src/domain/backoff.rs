//! Retry backoff of the outboxes (webhooks, mail): the first retry after `first` seconds,
//! each further one twice as long, at most `max`.

/// Seconds to wait before try `attempts + 1`, after `attempts` failed tries.
pub fn doubling(first: i64, max: i64, attempts: i64) -> i64 {
    let doublings = (attempts - 1).clamp(0, 20) as u32;
    (first << doublings).min(max)
}

#[cfg(test)]
mod tests {
    #[test]
    fn doubles_up_to_the_most() {
        assert_eq!(super::doubling(5, 600, 1), 5);
        assert_eq!(super::doubling(5, 600, 2), 10);
        assert_eq!(super::doubling(5, 600, 8), 600);
        assert_eq!(super::doubling(5, 600, 1000), 600);
    }
}
