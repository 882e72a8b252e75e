//! Two instances on one PostgreSQL database, as behind a load balancer, and database
//! faults. These tests need `TWOFOLD_TEST_POSTGRES_URL`; `scripts/test` runs them whenever
//! a server answers and says so when none does.

use std::sync::Arc;

use reqwest::StatusCode;
use twofold::clock::OffsetClock;

use crate::helpers::*;

/// Two instances started at the same moment on a new, empty database.
async fn pair() -> (TestApp, TestApp) {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let mut settings = test_settings(&dir);
    settings.database_url = Some(fresh_postgres_database().await);
    let clock = OffsetClock::default();
    tokio::join!(
        TestApp::start(settings.clone(), Arc::clone(&dir), clock.clone()),
        TestApp::start(settings, dir, clock)
    )
}

#[tokio::test]
async fn simultaneous_start_creates_one_schema_and_one_signing_key() {
    let (a, b) = pair().await;
    let jwks_a = json_of(a.get("/.well-known/jwks.json", None).await).await;
    let jwks_b = json_of(b.get("/.well-known/jwks.json", None).await).await;
    assert_eq!(jwks_a, jwks_b);
    // One key of each algorithm: Ed25519 (access tokens) and RSA (ID tokens, RS256).
    let algs: Vec<&str> = jwks_a["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["alg"].as_str().unwrap())
        .collect();
    assert_eq!(algs, ["EdDSA", "RS256"], "{jwks_a}");
    let user = a.user().await;
    assert_status(b.me(&user.access_token).await, StatusCode::OK).await;
    let on_b =
        json_of(assert_status(b.login(&user.email, &user.password).await, StatusCode::OK).await)
            .await;
    assert_status(
        a.me(on_b["accessToken"].as_str().unwrap()).await,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn session_logged_out_on_a_is_refused_on_b() {
    let (a, b) = pair().await;
    let user = a.user().await;
    assert_status(b.me(&user.access_token).await, StatusCode::OK).await;
    assert_status(a.logout(&user.access_token).await, StatusCode::NO_CONTENT).await;
    assert_error(
        b.me(&user.access_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_error(
        b.refresh(&user.refresh_token).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn failures_on_a_and_b_add_up_to_one_lockout() {
    let (a, b) = pair().await;
    let e = a.enrolled_user().await;
    let challenge = a.challenge(&e.user).await;
    a.next_step();
    let good = oathtool(&e.secret, now(&a));
    let bad = if good == "000000" { "111111" } else { "000000" };
    for app in [&a, &b, &a] {
        assert_error(
            app.verify_mfa(&challenge, bad).await,
            StatusCode::UNAUTHORIZED,
            "invalid_code",
        )
        .await;
    }
    assert_error(
        b.verify_mfa(&challenge, &good).await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
    assert_error(
        a.verify_mfa(&challenge, &good).await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
}

#[tokio::test]
async fn one_recovery_code_raced_on_a_and_b_succeeds_once() {
    let (a, b) = pair().await;
    let e = a.enrolled_user().await;
    let apps: Vec<&TestApp> = (0..10).map(|i| if i % 2 == 0 { &a } else { &b }).collect();
    let statuses = race_verify(&apps, &e.user, &e.recovery_codes[0]).await;
    assert_exactly_one_success(&statuses);
}

#[tokio::test]
async fn totp_step_accepted_on_a_is_refused_on_b() {
    let (a, b) = pair().await;
    let e = a.enrolled_user().await;
    a.next_step();
    let code = oathtool(&e.secret, now(&a));
    let ca = a.challenge(&e.user).await;
    let cb = b.challenge(&e.user).await;
    assert_status(a.verify_mfa(&ca, &code).await, StatusCode::OK).await;
    assert_error(
        b.verify_mfa(&cb, &code).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
}

/// Runs `sql` on the admin connection.
async fn admin(sql: &str) {
    let pool = sqlx::PgPool::connect(&postgres_url().unwrap())
        .await
        .unwrap();
    sqlx::query(sql).execute(&pool).await.unwrap();
    pool.close().await;
}

fn database_name(app: &TestApp) -> String {
    let url = app.settings.database_url.clone().unwrap();
    let path = url.split('?').next().unwrap();
    path.rsplit('/').next().unwrap().to_owned()
}

#[tokio::test]
async fn unreachable_database_gives_503_then_service_resumes() {
    let url = fresh_postgres_database().await;
    let app = TestApp::spawn_with(|s| {
        s.database_url = Some(url);
        s.db_acquire_timeout_seconds = 1;
    })
    .await;
    let user = app.user().await;
    let db = database_name(&app);
    // Connections dropped under the pool (a failover, a restart): the next request works.
    admin(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}'"
    ))
    .await;
    assert_status(app.me(&user.access_token).await, StatusCode::OK).await;
    // The database refuses connections: 503 in the contract's shape, not a hang.
    admin(&format!("ALTER DATABASE {db} ALLOW_CONNECTIONS false")).await;
    admin(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}'"
    ))
    .await;
    let started = std::time::Instant::now();
    assert_error(
        app.get("/readyz", None).await,
        StatusCode::SERVICE_UNAVAILABLE,
        "service_unavailable",
    )
    .await;
    assert_error(
        app.me(&user.access_token).await,
        StatusCode::SERVICE_UNAVAILABLE,
        "service_unavailable",
    )
    .await;
    assert_error(
        app.login(&user.email, &user.password).await,
        StatusCode::SERVICE_UNAVAILABLE,
        "service_unavailable",
    )
    .await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "no hang"
    );
    // It comes back: service resumes without a restart.
    admin(&format!("ALTER DATABASE {db} ALLOW_CONNECTIONS true")).await;
    assert_status(app.get("/readyz", None).await, StatusCode::OK).await;
    assert_status(app.me(&user.access_token).await, StatusCode::OK).await;
}

#[tokio::test]
async fn forty_wrong_passwords_spread_over_a_and_b_evaluate_at_most_the_budget() {
    let (a, b) = pair().await;
    let user = a.user().await;
    let body = serde_json::json!({ "email": user.email, "password": "wrong password!" });
    let requests = (0..40)
        .map(|i| {
            let app = if i % 2 == 0 { &a } else { &b };
            app.client.post(app.url("/auth/login")).json(&body)
        })
        .collect();
    let results = at_once(requests).await;
    let evaluated = count(&results, StatusCode::UNAUTHORIZED);
    assert!(evaluated <= 10, "{results:?}");
    assert_eq!(
        evaluated + count(&results, StatusCode::TOO_MANY_REQUESTS),
        40
    );
    // Untrusted logins are locked on both; the device token issued by A works on B.
    for app in [&a, &b] {
        assert_error(
            app.login(&user.email, &user.password).await,
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
        )
        .await;
    }
    assert_status(
        b.login_with_device(&user.email, &user.password, &user.device_token)
            .await,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn a_device_tokens_budget_spans_instances() {
    let (a, b) = pair().await;
    let user = a.user().await;
    for app in [&a, &b, &a, &b, &a] {
        assert_error(
            app.login_with_device(&user.email, "wrong password!", &user.device_token)
                .await,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        )
        .await;
    }
    // Revoked after five: it counts as no token now, on either instance.
    for _ in 0..10 {
        b.login(&user.email, "wrong password!").await;
    }
    assert_error(
        a.login_with_device(&user.email, &user.password, &user.device_token)
            .await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
}

#[tokio::test]
async fn sessions_revoked_by_enabling_mfa_on_a_are_refused_on_b() {
    let (a, b) = pair().await;
    let user = a.user().await;
    let other =
        json_of(assert_status(b.login(&user.email, &user.password).await, StatusCode::OK).await)
            .await;
    let setup = a.setup(&user.access_token).await;
    let secret = setup["secret"].as_str().unwrap().to_owned();
    assert_status(
        a.confirm(&user.access_token, &oathtool(&secret, now(&a)))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_error(
        b.me(other["accessToken"].as_str().unwrap()).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_status(b.me(&user.access_token).await, StatusCode::OK).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_signing_key_rotated_by_the_cli_reaches_both_instances_without_a_restart() {
    use crate::operate::{cli, exits, kid_of};
    let (a, b) = pair().await;
    let user = a.user().await;
    let old_kid = kid_of(&user.access_token);
    exits(&cli(&a, &["keys", "rotate-signing"]), 0);
    // A picks the key up by its periodic reload (run now rather than in 10 s)...
    twofold::service::keys::reload(&a.state).await.unwrap();
    let fresh =
        json_of(assert_status(a.login(&user.email, &user.password).await, StatusCode::OK).await)
            .await;
    let fresh = fresh["accessToken"].as_str().unwrap().to_owned();
    assert_ne!(kid_of(&fresh), old_kid);
    // ...B, which has not reloaded, learns it from the first token signed with it.
    assert_status(b.me(&fresh).await, StatusCode::OK).await;
    let jwks = json_of(b.get("/.well-known/jwks.json", None).await).await;
    assert_eq!(
        jwks["keys"].as_array().unwrap().len(),
        4,
        "two of each algorithm: {jwks}"
    );
    // Tokens of the old key keep working on both until they expire.
    assert_status(a.me(&user.access_token).await, StatusCode::OK).await;
    assert_status(b.me(&user.access_token).await, StatusCode::OK).await;
}

/// A passkey ceremony started on A is finished on B; the same assertion raced on A and
/// B is accepted once (the ceremony is spent in the transaction that accepts it).
#[tokio::test]
async fn a_passkey_ceremony_spans_instances_and_is_spent_once() {
    use serde_json::json;
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let mut settings = test_settings(&dir);
    settings.database_url = Some(fresh_postgres_database().await);
    // Behind one load balancer, both instances name the same origin.
    settings.public_url = Some("https://auth.example.test".into());
    let clock = OffsetClock::default();
    let (a, b) = tokio::join!(
        TestApp::start(settings.clone(), Arc::clone(&dir), clock.clone()),
        TestApp::start(settings, dir, clock)
    );
    let user = a.user().await;
    let mut key = crate::authenticator::Authenticator::new("https://auth.example.test");
    let start = json_of(
        a.post(
            "/mfa/factors/passkey/register/start",
            json!({}),
            Some(&user.access_token),
        )
        .await,
    )
    .await;
    let credential = key.register(&start["publicKey"]);
    assert_status(
        b.post(
            "/mfa/factors/passkey/register/finish",
            json!({ "registrationId": start["registrationId"], "credential": credential }),
            Some(&user.access_token),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let options = json_of(a.post("/auth/passkey/options", json!({}), None).await).await;
    let body = json!({
        "passkeyChallengeToken": options["passkeyChallengeToken"],
        "passkey": key.assert(&options["publicKey"]),
    });
    let results = at_once(vec![
        a.client.post(a.url("/auth/passkey/login")).json(&body),
        b.client.post(b.url("/auth/passkey/login")).json(&body),
    ])
    .await;
    assert_eq!(count(&results, StatusCode::OK), 1, "{results:?}");
    assert_eq!(count(&results, StatusCode::UNAUTHORIZED), 1, "{results:?}");
}

/// The last-admin rule decided under the row locks of every admin: while another
/// transaction (another instance, the CLI) is disabling admin `a`, disabling admin `b`
/// waits for it and then refuses, instead of both leaving no admin.
#[tokio::test(flavor = "multi_thread")]
async fn the_last_admin_rule_waits_for_a_concurrent_disable() {
    use twofold::store::{connect, NewUser, StoreOptions, UserChange};
    let url = fresh_postgres_database().await;
    let options = StoreOptions {
        max_connections: 4,
        acquire_timeout_secs: 5,
        write_batch_max: 512,
    };
    let store = connect(&url, options).await.unwrap();
    store.migrate().await.unwrap();
    for id in ["a", "b"] {
        let user = NewUser {
            id: id.into(),
            email: format!("{id}@example.com"),
            password_hash: "$argon2id$x".into(),
            created_at: 1,
        };
        let audit = twofold::store::AuditEvent {
            user_id: Some(id.into()),
            kind: twofold::domain::audit::AuditKind::Register,
            at: 1,
            ip: None,
            user_agent: None,
            details: serde_json::json!({}),
            webhooks: Vec::new(),
            notice: None,
        };
        store.create_user(&user, &audit).await.unwrap();
        assert!(store.set_roles(id, "admin", &[]).await.unwrap());
    }
    let other = sqlx::PgPool::connect(&url).await.unwrap();
    let mut tx = other.begin().await.unwrap();
    sqlx::query("UPDATE users SET disabled_at = 2 WHERE id = 'a'")
        .execute(&mut *tx)
        .await
        .unwrap();
    let disable_b = tokio::spawn({
        let store = Arc::clone(&store);
        async move { store.set_disabled("b", true, 3, &[], Some("admin")).await }
    });
    // Until `b`'s transaction waits on a row lock (or finishes, which it must not).
    loop {
        assert!(
            !disable_b.is_finished(),
            "decided without waiting for a's disable"
        );
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() \
             AND wait_event_type = 'Lock'",
        )
        .fetch_one(&other)
        .await
        .unwrap();
        if waiting > 0 {
            break;
        }
        tokio::task::yield_now().await;
    }
    tx.commit().await.unwrap();
    assert_eq!(disable_b.await.unwrap().unwrap(), UserChange::LastWithRole);
}

#[tokio::test]
async fn two_postgresql_instances_send_each_message_once() {
    use std::sync::Arc;
    let sink = crate::mailbox::SmtpSink::start().await;
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let mut settings = test_settings(&dir);
    settings.database_url = Some(fresh_postgres_database().await);
    settings.smtp_url = Some(sink.url().into());
    let clock = twofold::clock::OffsetClock::default();
    let (a, b) = tokio::join!(
        TestApp::start(settings.clone(), Arc::clone(&dir), clock.clone()),
        TestApp::start(settings, dir, clock)
    );
    let mut emails = Vec::new();
    for i in 0..20 {
        let email = format!("mail-{}@example.com", uuid::Uuid::new_v4().simple());
        let app = if i % 2 == 0 { &a } else { &b };
        assert_status(
            app.register(&email, "correct horse battery staple").await,
            StatusCode::CREATED,
        )
        .await;
        emails.push(email);
    }
    let all = crate::mailbox::wait_until(|| {
        let got = sink.messages();
        (got.len() >= emails.len()).then_some(got)
    })
    .await
    .expect("every message sent");
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    let got = sink.messages();
    assert_eq!(got.len(), emails.len(), "no message sent twice: {all:?}");
    for email in &emails {
        assert_eq!(
            got.iter().filter(|m| m.to.contains(email.as_str())).count(),
            1
        );
    }
}

/// OIDC.md: a code issued on A is spent once across A and B raced; a refresh token
/// rotated on A and presented again on B ends the sign-in on both.
#[tokio::test(flavor = "multi_thread")]
async fn an_oidc_code_is_spent_once_and_a_refresh_reuse_is_seen_across_instances() {
    use crate::oidc::{code, exchange, register, token, userinfo};
    let (a, b) = pair().await;
    let rp = register(&a, |_| {}).await;
    let user = a.user().await;
    let c = code(&a, &rp, &user.access_token).await;
    let (on_a, on_b) = tokio::join!(exchange(&a, &rp, &c), exchange(&b, &rp, &c));
    let mut statuses = [on_a.status(), on_b.status()];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::BAD_REQUEST],
        "exactly one exchange"
    );
    // A code that is spent on A refuses on B, and its tokens are revoked everywhere.
    let c = code(&a, &rp, &user.access_token).await;
    let tokens = json_of(assert_status(exchange(&a, &rp, &c).await, StatusCode::OK).await).await;
    assert_eq!(
        exchange(&b, &rp, &c).await.status(),
        StatusCode::BAD_REQUEST
    );
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(
        userinfo(&a, access).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // Refresh rotated on A, the old one reused on B: the sign-in ends.
    let c = code(&a, &rp, &user.access_token).await;
    let tokens = json_of(exchange(&a, &rp, &c).await).await;
    let r1 = tokens["refresh_token"].as_str().unwrap();
    let rotated = json_of(
        assert_status(
            token(
                &a,
                &rp,
                &[("grant_type", "refresh_token"), ("refresh_token", r1)],
            )
            .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    let reused = token(
        &b,
        &rp,
        &[("grant_type", "refresh_token"), ("refresh_token", r1)],
    )
    .await;
    assert_eq!(reused.status(), StatusCode::BAD_REQUEST);
    let r2 = rotated["refresh_token"].as_str().unwrap();
    let after = token(
        &a,
        &rp,
        &[("grant_type", "refresh_token"), ("refresh_token", r2)],
    )
    .await;
    assert_eq!(after.status(), StatusCode::BAD_REQUEST, "the grant ended");
    let access = rotated["access_token"].as_str().unwrap();
    assert_eq!(
        userinfo(&b, access).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

/// PROXY.md: a sign-out on A stops forward authentication on B at once.
#[tokio::test(flavor = "multi_thread")]
async fn a_sign_out_on_one_instance_stops_forward_auth_on_the_other() {
    use twofold::config::{AccessRuleSetting, StringList};
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let mut settings = test_settings(&dir);
    settings.database_url = Some(fresh_postgres_database().await);
    settings.trusted_proxies = StringList(vec!["127.0.0.1/32".into()]);
    settings.cookie_domain = Some("localhost".into());
    settings.access_rules = vec![AccessRuleSetting {
        domain: StringList(vec!["app.localhost".into()]),
        policy: "one_factor".into(),
        ..AccessRuleSetting::default()
    }];
    let clock = OffsetClock::default();
    let (a, b) = tokio::join!(
        TestApp::start(settings.clone(), Arc::clone(&dir), clock.clone()),
        TestApp::start(settings, dir, clock)
    );
    let user = a.user().await;
    let ask = |app: &TestApp| {
        app.client
            .get(format!("{}/api/v1/authz/auth-request", app.address))
            .header("x-original-url", "http://app.localhost/")
            .header("x-original-method", "GET")
            .header("cookie", format!("twofold_at={}", user.access_token))
            .send()
    };
    assert_eq!(ask(&b).await.unwrap().status(), StatusCode::OK);
    a.logout(&user.access_token).await;
    crate::authz::within_a_second(
        || async { ask(&b).await.unwrap() },
        StatusCode::UNAUTHORIZED,
    )
    .await;
}
