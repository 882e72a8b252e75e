//! API 1.1 at the edge: the cross-site rule for cookie requests, the per-IP token bucket
//! and trusted proxies, the bounded hashing queue, timeouts, and the response headers.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::*;

#[tokio::test]
async fn cross_site_cookie_requests_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let cookie = format!("twofold_at={}", user.access_token);
    // A cross-site form post of JSON as text/plain, the login CSRF of issue 8.
    let forged = app
        .client
        .post(app.url("/auth/login"))
        .header("sec-fetch-site", "cross-site")
        .header("content-type", "text/plain")
        .body(json!({ "email": user.email, "password": user.password }).to_string())
        .send()
        .await
        .unwrap();
    assert!(forged.headers().get("set-cookie").is_none());
    assert_error(forged, StatusCode::FORBIDDEN, "cross_site_request").await;
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
        ("origin", "https://evil.example"),
    ] {
        let resp = app
            .client
            .post(app.url("/auth/logout"))
            .header("cookie", &cookie)
            .header(name, value)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_error(resp, StatusCode::FORBIDDEN, "cross_site_request").await;
    }
    // Nothing changed: the session is live.
    assert_status(app.me(&user.access_token).await, StatusCode::OK).await;
    // Same origin passes; so do a Bearer header and a request with neither header (curl).
    let host = app.address.trim_start_matches("http://").to_owned();
    let same_origin = app
        .client
        .post(app.url("/mfa/setup"))
        .header("cookie", &cookie)
        .header("origin", format!("http://{host}"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_status(same_origin, StatusCode::OK).await;
    let bearer = app
        .client
        .post(app.url("/mfa/setup"))
        .bearer_auth(&user.access_token)
        .header("sec-fetch-site", "cross-site")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_status(bearer, StatusCode::OK).await;
    let plain = app
        .client
        .post(app.url("/auth/logout"))
        .header("cookie", &cookie)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_status(plain, StatusCode::NO_CONTENT).await;
}

#[tokio::test]
async fn allowed_origins_may_send_cookie_requests() {
    let app = TestApp::spawn_with(|s| {
        s.allowed_origins = twofold::config::StringList(vec!["https://app.example".into()]);
    })
    .await;
    let user = app.user().await;
    let resp = app
        .client
        .post(app.url("/mfa/setup"))
        .header("cookie", format!("twofold_at={}", user.access_token))
        .header("origin", "https://app.example")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_status(resp, StatusCode::OK).await;
}

#[tokio::test]
async fn the_per_ip_bucket_empties_and_refills() {
    let app = TestApp::spawn_with(|s| {
        s.rate_limit_burst = 3;
        s.rate_limit_per_second = 1.0;
    })
    .await;
    for _ in 0..3 {
        assert_error(
            app.login("a@example.com", "wrong password!").await,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        )
        .await;
    }
    let resp = app.register("b@example.com", "long enough password").await;
    assert_eq!(resp.headers()["retry-after"], "1");
    let body = assert_error(resp, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert_eq!(body["retryAfter"], 1);
    // Other endpoints are not limited.
    assert_status(app.get("/healthz", None).await, StatusCode::OK).await;
    app.clock.advance(1);
    assert_status(
        app.register("b@example.com", "long enough password").await,
        StatusCode::CREATED,
    )
    .await;
    assert_error(
        app.login("b@example.com", "long enough password").await,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    )
    .await;
}

async fn login_from(app: &TestApp, forwarded_for: &str) -> reqwest::Response {
    app.client
        .post(app.url("/auth/login"))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({ "email": "a@example.com", "password": "wrong password!" }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn forwarded_for_is_ignored_from_an_untrusted_peer() {
    let app = TestApp::spawn_with(|s| s.rate_limit_burst = 2).await;
    assert_status(
        login_from(&app, "203.0.113.1").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_status(
        login_from(&app, "203.0.113.2").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_error(
        login_from(&app, "203.0.113.3").await,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    )
    .await;
}

#[tokio::test]
async fn forwarded_for_is_used_from_a_trusted_proxy() {
    let app = TestApp::spawn_with(|s| {
        s.rate_limit_burst = 2;
        s.trusted_proxies = twofold::config::StringList(vec!["127.0.0.1/32".into()]);
    })
    .await;
    for ip in ["203.0.113.1", "203.0.113.2", "203.0.113.3"] {
        for _ in 0..2 {
            assert_status(
                login_from(&app, &format!("198.51.100.9, {ip}")).await,
                StatusCode::UNAUTHORIZED,
            )
            .await;
        }
        assert_error(
            login_from(&app, ip).await,
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
        )
        .await;
    }
    // The same address is what the audit trail and the session list show.
    let resp = app
        .client
        .post(app.url("/auth/register"))
        .header("x-forwarded-for", "192.0.2.44")
        .json(&json!({ "email": "ip@example.com", "password": "long enough password" }))
        .send()
        .await
        .unwrap();
    assert_status(resp, StatusCode::CREATED).await;
    let resp = app
        .client
        .post(app.url("/auth/login"))
        .header("x-forwarded-for", "192.0.2.44")
        .json(&json!({ "email": "ip@example.com", "password": "long enough password" }))
        .send()
        .await
        .unwrap();
    let token = json_of(assert_status(resp, StatusCode::OK).await).await["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let audit = json_of(app.get("/audit", Some(&token)).await).await;
    assert_eq!(audit["events"][0]["ip"], "192.0.2.44", "{audit}");
    let sessions = json_of(app.get("/sessions", Some(&token)).await).await;
    assert_eq!(sessions["sessions"][0]["ip"], "192.0.2.44", "{sessions}");
}

/// Polls (without a fixed sleep) until the hashing pool's `(waiting, running)` is `load`.
async fn until_load(app: &TestApp, load: (usize, usize)) {
    for _ in 0..15_000 {
        if app.state.argon.load() == load {
            return;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    panic!(
        "hashing load never reached {load:?}: {:?}",
        app.state.argon.load()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_full_hashing_queue_answers_503_at_once() {
    // One hashing thread, one waiting place, and deliberately slow hashes.
    let app = TestApp::spawn_with(|s| {
        s.hash_concurrency = Some(1);
        s.hash_queue_max = Some(1);
        s.argon2_memory_kib = 128 * 1024;
        s.argon2_iterations = 16;
    })
    .await;
    // Occupy the thread, then the waiting place, with slow hashes of the server's own pool.
    let mut slow = Vec::new();
    for load in [(0, 1), (1, 1)] {
        let argon = app.state.argon.clone();
        slow.push(tokio::spawn(async move {
            argon.hash_password("a slow hash").await.is_ok()
        }));
        until_load(&app, load).await;
    }
    let refused = app.register("s9@example.com", "long enough password").await;
    assert!(
        slow.iter().any(|h| !h.is_finished()),
        "the 503 came while the queue was still full"
    );
    assert!(refused.headers().contains_key("retry-after"));
    assert_error(refused, StatusCode::SERVICE_UNAVAILABLE, "overloaded").await;
    for h in slow {
        assert!(h.await.unwrap());
    }
    // Nothing was written for the refused request.
    assert_status(
        app.register("s9@example.com", "long enough password").await,
        StatusCode::CREATED,
    )
    .await;
}

#[tokio::test]
async fn slow_headers_are_cut_off_and_slow_bodies_time_out() {
    let app = TestApp::spawn_with(|s| s.request_timeout_seconds = 1).await;
    let addr = app.address.trim_start_matches("http://").to_owned();
    // Slow-loris: the headers never end; the server closes the connection.
    let mut conn = tokio::net::TcpStream::connect(&addr).await.unwrap();
    conn.write_all(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nX-Slow: 1")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), conn.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the connection was still open after 10 s");
    // A body that never arrives: 503 timeout in the contract's shape.
    let mut conn = tokio::net::TcpStream::connect(&addr).await.unwrap();
    conn.write_all(
        b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"email\":",
    )
    .await
    .unwrap();
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), conn.read_to_end(&mut buf)).await;
    let text = String::from_utf8_lossy(&buf);
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    assert!(text.contains("\"error\":\"timeout\""), "{text}");
}

#[tokio::test]
async fn responses_carry_the_security_headers() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let login = app.login(&user.email, &user.password).await;
    for (name, value) in [
        ("cache-control", "no-store"),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
    ] {
        assert_eq!(login.headers()[name], value, "{name}");
    }
    assert!(
        login.headers().get("strict-transport-security").is_none(),
        "no HSTS when public_url is http://"
    );
    for path in ["/mfa/status", "/me", "/sessions"] {
        let resp = app.get(path, Some(&user.access_token)).await;
        assert_eq!(resp.headers()["cache-control"], "no-store", "{path}");
    }
    let setup = app
        .post("/mfa/setup", json!({}), Some(&user.access_token))
        .await;
    assert_eq!(setup.headers()["cache-control"], "no-store");
    let error = app.get("/nowhere", None).await;
    assert_eq!(error.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn hsts_when_public_url_is_https() {
    let app =
        TestApp::spawn_with(|s| s.public_url = Some("https://auth.example.test".into())).await;
    let resp = app.get("/healthz", None).await;
    assert_eq!(
        resp.headers()["strict-transport-security"],
        "max-age=31536000"
    );
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let untrusted = TestApp::spawn().await;
    let id_of =
        |resp: &reqwest::Response| resp.headers()["x-request-id"].to_str().unwrap().to_owned();
    let a = untrusted.get("/healthz", None).await;
    let b = untrusted.get("/nowhere", None).await;
    assert_eq!(id_of(&a).len(), 32);
    assert_ne!(id_of(&a), id_of(&b));
    // A client's own id is not believed; a trusted proxy's well-formed one is.
    let sent = untrusted
        .client
        .get(untrusted.url("/healthz"))
        .header("x-request-id", "from-the-client")
        .send()
        .await
        .unwrap();
    assert_ne!(id_of(&sent), "from-the-client");
    let behind = TestApp::spawn_with(|s| {
        s.trusted_proxies = twofold::config::StringList(vec!["127.0.0.1/32".into()]);
    })
    .await;
    for (given, kept) in [("lb-7f3a.42_x", true), ("bad id with spaces", false)] {
        let resp = behind
            .client
            .get(behind.url("/healthz"))
            .header("x-request-id", given)
            .send()
            .await
            .unwrap();
        assert_eq!(id_of(&resp) == given, kept, "{given}");
    }
}
