//! How forward authentication reads what it is asked about (PROXY.md): the host and the
//! path normalized, so that no spelling of a path gets past a rule written for another.
//! Pure: no I/O.

/// A host as rules compare it: lowercase, no trailing dot, no port. `None` for something
/// that is not a host name or address.
pub fn normalize_host(host: &str) -> Option<String> {
    let host = host.trim();
    let without_port = if let Some(rest) = host.strip_prefix('[') {
        let end = rest.find(']')?;
        &host[..end + 2]
    } else {
        match host.rsplit_once(':') {
            Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
            Some(_) => return None,
            None => host,
        }
    };
    let h = without_port.trim_end_matches('.').to_ascii_lowercase();
    let ok = !h.is_empty()
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'[' | b']' | b':'));
    ok.then_some(h)
}

/// A path as rules see it: the query and fragment dropped, unreserved characters
/// percent-decoded, dot segments removed, repeated slashes merged. `None` (deny) for a
/// path that cannot be normalized: not starting with `/`, an encoded slash, backslash or
/// NUL, control characters, or invalid UTF-8 once decoded.
pub fn normalize_path(uri: &str) -> Option<String> {
    let path = uri.split(['?', '#']).next().unwrap_or_default();
    if !path.starts_with('/') {
        return None;
    }
    let bytes = path.as_bytes();
    let mut decoded_all = Vec::with_capacity(bytes.len());
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = path.get(i + 1..i + 3)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let v = u8::from_str_radix(hex, 16).ok()?;
            if matches!(v, b'/' | b'\\' | 0) {
                return None;
            }
            decoded_all.push(v);
            if v.is_ascii_alphanumeric() || matches!(v, b'-' | b'.' | b'_' | b'~') {
                out.push(v as char);
            } else {
                out.push('%');
                out.push_str(&hex.to_ascii_uppercase());
            }
            i += 3;
            continue;
        }
        if b.is_ascii_control() || b == b'\\' {
            return None;
        }
        decoded_all.push(b);
        out.push(b as char);
        i += 1;
    }
    // Non-ASCII arrives raw or encoded; either way it must be UTF-8.
    std::str::from_utf8(&decoded_all).ok()?;
    if !path.is_ascii() {
        out = normalize_non_ascii(path)?;
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in out.split('/') {
        // `..;x` is `..` to Tomcat and Spring: a dot segment with parameters is refused.
        if segment
            .split(';')
            .next()
            .is_some_and(|d| d == "." || d == "..")
            && segment.contains(';')
        {
            return None;
        }
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let trailing = out.ends_with('/') || out.ends_with("/.") || out.ends_with("/..");
    let mut normalized = format!("/{}", segments.join("/"));
    if trailing && normalized != "/" {
        normalized.push('/');
    }
    Some(normalized)
}

/// [`normalize_path`]'s decoding for a path with raw non-ASCII characters (kept as they
/// are; only `%XX` of unreserved characters is decoded).
fn normalize_non_ascii(path: &str) -> Option<String> {
    let mut out = String::with_capacity(path.len());
    let mut chars = path.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '%' {
            let hex = path.get(i + 1..i + 3)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let v = u8::from_str_radix(hex, 16).ok()?;
            if v.is_ascii_alphanumeric() || matches!(v, b'-' | b'.' | b'_' | b'~') {
                out.push(v as char);
            } else {
                out.push('%');
                out.push_str(&hex.to_ascii_uppercase());
            }
            chars.next();
            chars.next();
        } else {
            out.push(c);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalized_before_rules_see_them() {
        for (raw, want) in [
            ("/public/../admin", Some("/admin")),
            ("/public/%2e%2e/admin", Some("/admin")),
            ("/public/%2E%2E/admin", Some("/admin")),
            ("//admin", Some("/admin")),
            ("/a/./b//c/", Some("/a/b/c/")),
            ("/a?x=/../admin", Some("/a")),
            ("/%61dmin", Some("/admin")),
            ("/a%20b", Some("/a%20b")),
            ("/../../etc", Some("/etc")),
            ("/caf%C3%A9", Some("/caf%C3%A9")),
            ("/admin%2Fx", None),
            ("/admin%2fx", None),
            ("/a%00", None),
            ("/a%5Cb", None),
            ("/a%ff", None),
            ("/a%zz", None),
            ("http://evil/admin", None),
            ("admin", None),
            ("/a\\b", None),
            ("/public/..;/admin", None),
            ("/public/.;x/admin", None),
            ("/a%+e", None),
        ] {
            assert_eq!(normalize_path(raw).as_deref(), want, "{raw}");
        }
    }

    #[test]
    fn hosts_compare_lowercase_without_port_or_trailing_dot() {
        assert_eq!(
            normalize_host("App.Example.COM.:443").as_deref(),
            Some("app.example.com")
        );
        assert_eq!(
            normalize_host("app.example.com").as_deref(),
            Some("app.example.com")
        );
        assert_eq!(normalize_host("[::1]:8080").as_deref(), Some("[::1]"));
        assert_eq!(normalize_host("a b"), None);
        assert_eq!(normalize_host("host:port"), None);
    }
}
