//! Contract tests of the `Store` itself, on SQLite, or on PostgreSQL when the suite runs
//! with `TWOFOLD_TEST_BACKEND=postgres`: the same expectations for both backends.

use std::sync::Arc;

use twofold::domain::lockout::LockPolicy;
use twofold::service::error::Error;
use twofold::service::spend::{spend, Effect, MfaProof, Refused};
use twofold::store::*;

use crate::helpers::*;

async fn store() -> (Arc<Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = if backend_is_postgres() {
        fresh_postgres_database().await
    } else {
        format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("store.db").display()
        )
    };
    let options = StoreOptions {
        max_connections: 4,
        acquire_timeout_secs: 5,
        write_batch_max: 512,
    };
    let store = connect(&url, options).await.unwrap();
    store.migrate().await.unwrap();
    (store, dir)
}

fn audit(kind: &'static str, user: &str) -> AuditEvent {
    AuditEvent {
        user_id: Some(user.into()),
        kind: twofold::domain::audit::AuditKind::parse(kind).expect("a known kind"),
        at: 1,
        ip: None,
        user_agent: None,
        details: serde_json::json!({}),
        webhooks: Vec::new(),
        notice: None,
    }
}

fn others(user: &str) -> OtherSessions {
    OtherSessions {
        keep: String::new(),
        audit: audit("auth.session.revoked", user),
    }
}

fn used_at(at: i64) -> SessionUse {
    SessionUse {
        at,
        ..SessionUse::default()
    }
}

async fn user(store: &Store, id: &str) {
    let u = NewUser {
        id: id.into(),
        email: format!("{id}@example.com"),
        password_hash: "$argon2id$x".into(),
        created_at: 1,
    };
    store
        .create_user(&u, &audit("auth.register", id))
        .await
        .unwrap();
}

#[tokio::test]
async fn duplicate_email_is_a_unique_violation_and_writes_nothing() {
    let (store, _dir) = store().await;
    user(store.as_ref(), "u1").await;
    let dup = NewUser {
        id: "u2".into(),
        email: "u1@example.com".into(),
        password_hash: "h".into(),
        created_at: 1,
    };
    assert!(matches!(
        store.create_user(&dup, &audit("auth.register", "u2")).await,
        Err(StoreError::UniqueViolation)
    ));
    assert!(store.user_by_id("u2").await.unwrap().is_none());
    assert!(
        store.audit_events("u2", None, 10).await.unwrap().is_empty(),
        "the audit row rolled back too"
    );
}

/// Spends a proof through the service's unit of work; how it ended, by name.
async fn complete_mfa(
    store: &Store,
    user_id: &str,
    purpose: &'static str,
    now: i64,
    proof: MfaProof,
    effect: Effect,
    audit: &[AuditEvent],
) -> StoreResult<String> {
    let ended = spend(store, user_id, purpose, now, proof, effect, audit).await?;
    Ok(match ended {
        Ok(()) => "done".into(),
        Err(Refused::Locked(s)) => format!("locked {s}"),
        Err(Refused::Replayed) => "replayed".into(),
        Err(Refused::Because(Error::MfaNotEnabled)) => "not enabled".into(),
        Err(Refused::Because(Error::NoPendingSetup)) => "no pending setup".into(),
        Err(other) => format!("{other:?}"),
    })
}

/// A TOTP proof: a step of factor `factor`, or of the pending enrollment.
fn step(factor: Option<&str>, step: i64) -> MfaProof {
    MfaProof::TotpStep {
        factor: factor.map(str::to_owned),
        step,
    }
}

#[tokio::test]
async fn a_totp_step_is_spent_once_and_never_an_earlier_one() {
    let (store, _dir) = store().await;
    user(store.as_ref(), "u1").await;
    let pending = TotpRecord {
        factor_id: "f1".into(),
        user_id: "u1".into(),
        key_id: 1,
        sealed_secret: vec![1, 2, 3],
        device_name: None,
        created_at: 1,
        expires_at: 1000,
    };
    store
        .put_pending_totp(
            &pending,
            Enrollment::First,
            &audit("auth.mfa.setup.started", "u1"),
        )
        .await
        .unwrap();
    let enable = Effect::Enable {
        credential: pending.clone(),
        recovery: vec![],
        others: others("u1"),
    };
    let done = complete_mfa(
        &store,
        "u1",
        "setup",
        10,
        step(None, 50),
        enable.clone(),
        &[],
    )
    .await
    .unwrap();
    assert_eq!(done, "done");
    let regen = Effect::Regenerate {
        recovery: vec![RecoveryCodeRecord {
            id: "c1".into(),
            code_hash: "h".into(),
            lookup: Some(7),
        }],
        others: others("u1"),
    };
    for n in [50, 49] {
        let again = complete_mfa(
            &store,
            "u1",
            "manage",
            10,
            step(Some("f1"), n),
            regen.clone(),
            &[],
        )
        .await
        .unwrap();
        assert_eq!(again, "replayed");
    }
    assert!(
        store
            .unused_recovery_codes("u1", 7)
            .await
            .unwrap()
            .is_empty(),
        "a refused proof changes nothing"
    );
    let ok = complete_mfa(
        &store,
        "u1",
        "manage",
        10,
        step(Some("f1"), 51),
        regen.clone(),
        &[],
    )
    .await
    .unwrap();
    assert_eq!(ok, "done");
    let used = complete_mfa(
        &store,
        "u1",
        "manage",
        10,
        MfaProof::RecoveryCode {
            id: "c1".into(),
            remaining: 0,
        },
        Effect::Disable {
            others: others("u1"),
        },
        &[],
    )
    .await
    .unwrap();
    assert_eq!(used, "done");
    let twice = complete_mfa(
        &store,
        "u1",
        "manage",
        10,
        step(Some("f1"), 52),
        Effect::Disable {
            others: others("u1"),
        },
        &[],
    )
    .await
    .unwrap();
    assert_eq!(twice, "not enabled");
    let no_pending = complete_mfa(&store, "u1", "setup", 10, step(None, 53), enable, &[])
        .await
        .unwrap();
    assert_eq!(no_pending, "no pending setup");
}

#[tokio::test]
async fn failures_lock_and_double_and_a_lock_refuses_success() {
    let (store, _dir) = store().await;
    user(store.as_ref(), "u1").await;
    let policy = LockPolicy {
        max_failures: 3,
        base_seconds: 60,
        max_seconds: 86_400,
    };
    for _ in 0..2 {
        store
            .record_failure("u1", "login", 100, policy, &[])
            .await
            .unwrap();
    }
    let (before, after) = store
        .record_failure("u1", "login", 100, policy, &[])
        .await
        .unwrap();
    assert_eq!(before.locked_until, 0);
    assert_eq!(after.locked_until, 160);
    assert_eq!(
        store.lock_remaining("u1", "login", 100).await.unwrap(),
        Some(60)
    );
    assert_eq!(
        store.lock_remaining("u1", "manage", 100).await.unwrap(),
        None
    );
    let (during, _) = store
        .record_failure("u1", "login", 120, policy, &[])
        .await
        .unwrap();
    assert_eq!(
        during.retry_after(120),
        Some(40),
        "a failure while locked is not counted"
    );
    let outcome = complete_mfa(
        &store,
        "u1",
        "login",
        150,
        step(Some("f1"), 5),
        Effect::Disable {
            others: others("u1"),
        },
        &[],
    )
    .await
    .unwrap();
    assert_eq!(outcome, "locked 10");
    for _ in 0..3 {
        store
            .record_failure("u1", "login", 200, policy, &[])
            .await
            .unwrap();
    }
    assert_eq!(
        store.lock_remaining("u1", "login", 200).await.unwrap(),
        Some(120)
    );
}

#[tokio::test]
async fn no_session_starts_for_a_user_disabled_meanwhile() {
    // The password was checked before the disable; the session is decided afterwards.
    let (store, _dir) = store().await;
    user(store.as_ref(), "u1").await;
    assert_eq!(
        store.set_disabled("u1", true, 5, &[], None).await.unwrap(),
        UserChange::Done
    );
    let session = SessionRecord {
        id: "s1".into(),
        user_id: "u1".into(),
        amr: "pwd".into(),
        created_at: 10,
        expires_at: 1000,
        revoked_at: None,
        last_used_at: None,
        ip: None,
        user_agent: None,
        roles: String::new(),
        email_verified: false,
        auth_time: 10,
    };
    let refresh = NewRefreshToken {
        token_hash: vec![1; 32],
        created_at: 10,
        expires_at: 1000,
    };
    assert_eq!(
        store
            .create_session(&session, &refresh, None, None, &[])
            .await
            .unwrap(),
        SessionStart::Disabled
    );
    assert!(
        store.session("s1").await.unwrap().is_none(),
        "nothing written"
    );
    assert_eq!(
        store
            .set_disabled("u1", false, 20, &[], None)
            .await
            .unwrap(),
        UserChange::Done
    );
    assert_eq!(
        store
            .create_session(&session, &refresh, None, None, &[])
            .await
            .unwrap(),
        SessionStart::Started
    );
}

#[tokio::test]
async fn refresh_tokens_rotate_once_and_reuse_revokes() {
    let (store, _dir) = store().await;
    user(store.as_ref(), "u1").await;
    let session = SessionRecord {
        id: "s1".into(),
        user_id: "u1".into(),
        amr: "pwd".into(),
        created_at: 1,
        expires_at: 1000,
        revoked_at: None,
        last_used_at: None,
        ip: None,
        user_agent: None,
        roles: String::new(),
        email_verified: false,
        auth_time: 1,
    };
    let token = |h: u8| NewRefreshToken {
        token_hash: vec![h; 32],
        created_at: 1,
        expires_at: 1000,
    };
    store
        .create_session(&session, &token(1), None, None, &[])
        .await
        .unwrap();
    let reuse = || audit("auth.refresh.reuse_detected", "u1");
    assert!(matches!(
        store
            .rotate_refresh_token(&[1; 32], &token(2), &used_at(10), reuse())
            .await
            .unwrap(),
        RotateOutcome::Rotated(_)
    ));
    assert!(matches!(
        store
            .rotate_refresh_token(&[9; 32], &token(3), &used_at(10), reuse())
            .await
            .unwrap(),
        RotateOutcome::Invalid
    ));
    assert!(matches!(
        store
            .rotate_refresh_token(&[1; 32], &token(4), &used_at(10), reuse())
            .await
            .unwrap(),
        RotateOutcome::ReuseDetected { .. }
    ));
    assert!(store
        .session("s1")
        .await
        .unwrap()
        .unwrap()
        .revoked_at
        .is_some());
    assert!(matches!(
        store
            .rotate_refresh_token(&[2; 32], &token(5), &used_at(10), reuse())
            .await
            .unwrap(),
        RotateOutcome::Invalid
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writes_are_isolated_from_a_failing_neighbour() {
    let (store, _dir) = store().await;
    user(store.as_ref(), "dup").await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..64 {
        let store = Arc::clone(&store);
        tasks.spawn(async move {
            // Every eighth one collides with the existing email and must fail alone.
            let email = if i % 8 == 0 {
                "dup@example.com".to_owned()
            } else {
                format!("c{i}@example.com")
            };
            let u = NewUser {
                id: format!("c{i}"),
                email,
                password_hash: "h".into(),
                created_at: 1,
            };
            (
                i,
                store.create_user(&u, &audit("auth.register", &u.id)).await,
            )
        });
    }
    for (i, result) in tasks.join_all().await {
        match (i % 8 == 0, result) {
            (true, Err(StoreError::UniqueViolation)) => {
                assert!(store.user_by_id(&format!("c{i}")).await.unwrap().is_none())
            }
            (false, Ok(())) => assert!(store.user_by_id(&format!("c{i}")).await.unwrap().is_some()),
            (_, other) => panic!("unit {i}: unexpected {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_factor_that_replaces_a_deleted_one_starts_above_its_last_step() {
    let (store, _dir) = store().await;
    user(store.as_ref(), "u1").await;
    let pending = |id: &str| TotpRecord {
        factor_id: id.into(),
        user_id: "u1".into(),
        key_id: 1,
        sealed_secret: id.as_bytes().to_vec(),
        device_name: None,
        created_at: 1,
        expires_at: 1000,
    };
    let enroll = |id: &str, at: i64| {
        let store = store.clone();
        let record = pending(id);
        async move {
            assert!(store
                .put_pending_totp(
                    &record,
                    Enrollment::First,
                    &audit("auth.mfa.setup.started", "u1")
                )
                .await
                .unwrap());
            let enable = Effect::Enable {
                credential: record,
                recovery: vec![],
                others: others("u1"),
            };
            complete_mfa(&store, "u1", "setup", 10, step(None, at), enable, &[])
                .await
                .unwrap()
        }
    };
    assert_eq!(enroll("f1", 50).await, "done");
    // The factor accepts step 60 at login, then is deleted (MFA goes off).
    let regen = Effect::Regenerate {
        recovery: vec![],
        others: others("u1"),
    };
    let used = complete_mfa(&store, "u1", "manage", 10, step(Some("f1"), 60), regen, &[])
        .await
        .unwrap();
    assert_eq!(used, "done");
    assert_eq!(
        store
            .delete_factor("u1", "f1", &[], &[], &others("u1"), 61)
            .await
            .unwrap(),
        FactorDeleted::Deleted { mfa_off: true }
    );
    // An enrollment whose code is at or below step 60 is a code that may have been seen.
    assert_eq!(enroll("f2", 60).await, "replayed");
    assert_eq!(enroll("f2", 61).await, "done");
}
