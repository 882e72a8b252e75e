//! Timestamps as people and clients read them. Everything stored is Unix seconds; every
//! surface (the JSON API, the admin API, the command line) shows them in one format, so
//! the conversion lives here, below all of them, rather than in one surface that the
//! others would have to import.

/// Unix seconds as RFC 3339 UTC (`2026-11-22T10:00:00Z`); empty when out of range.
pub fn rfc3339(unix: i64) -> String {
    ::time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&::time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    #[test]
    fn unix_seconds_read_as_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_795_341_600), "2026-11-22T10:00:00Z");
    }

    #[test]
    fn out_of_range_is_empty() {
        assert_eq!(rfc3339(i64::MAX), "");
    }
}
