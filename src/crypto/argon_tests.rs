//! Tests of the Argon2id pool: hashes that interoperate, the pepper, a bounded queue,
//! abandoned jobs, and the production parameters.

use super::*;

fn cheap() -> Argon {
    Argon::new(256, 1, 1, 2, Zeroizing::new([9; 32])).unwrap()
}

#[tokio::test]
async fn password_round_trip() {
    let a = cheap();
    let h = a.hash_password("correct horse").await.unwrap();
    assert!(h.starts_with("$argon2id$v=19$m=256,t=1,p=1$"));
    assert!(a.verify_password("correct horse", Some(&h)).await.unwrap());
    assert!(!a.verify_password("wrong horse", Some(&h)).await.unwrap());
    assert!(!a.verify_password("correct horse", None).await.unwrap());
    assert!(!a
        .verify_password("x", Some("not a phc string"))
        .await
        .unwrap());
}

#[tokio::test]
async fn hashes_interoperate_with_the_reference_verifier() {
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};
    let a = cheap();
    let ours = a.hash_password("correct horse").await.unwrap();
    let parsed = PasswordHash::new(&ours).unwrap();
    assert!(Argon2::default()
        .verify_password(b"correct horse", &parsed)
        .is_ok());
    assert!(Argon2::default()
        .verify_password(b"wrong horse", &parsed)
        .is_err());
    // And ours verifies a hash made by the reference hasher, with other parameters.
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    let params = Params::new(512, 2, 1, None).unwrap();
    let theirs = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(b"battery staple", &salt)
        .unwrap()
        .to_string();
    assert!(a
        .verify_password("battery staple", Some(&theirs))
        .await
        .unwrap());
    assert!(!a.verify_password("battery", Some(&theirs)).await.unwrap());
}

#[tokio::test]
async fn recovery_codes_need_the_pepper() {
    let a = cheap();
    let codes = vec![
        Zeroizing::new("abcd1234".to_owned()),
        Zeroizing::new("zzzz9999".to_owned()),
    ];
    let hashes = a.hash_recovery_codes(codes).await.unwrap();
    assert_eq!(
        a.find_recovery_code("zzzz9999", hashes.clone())
            .await
            .unwrap(),
        Some(1)
    );
    assert_eq!(
        a.find_recovery_code("nope0000", hashes.clone())
            .await
            .unwrap(),
        None
    );
    let other = Argon::new(256, 1, 1, 2, Zeroizing::new([1; 32])).unwrap();
    assert_eq!(
        other
            .find_recovery_code("zzzz9999", hashes.clone())
            .await
            .unwrap(),
        None
    );
    // Without the pepper a plain verifier does not accept it either.
    assert!(!a
        .verify_password("zzzz9999", Some(&hashes[1]))
        .await
        .unwrap());
}

#[tokio::test]
async fn a_full_queue_refuses_at_once_and_gives_places_back() {
    let a = Argon::new(256, 1, 1, 1, Zeroizing::new([9; 32]))
        .unwrap()
        .with_queue_max(2);
    let first = a.reserve().unwrap();
    let second = a.reserve().unwrap();
    assert!(a.reserve().is_err(), "third place refused");
    drop(second);
    let third = a.reserve().expect("a dropped ticket gives its place back");
    assert!(first.verify_password("x", None).await.is_ok());
    assert!(third.verify_password("x", None).await.is_ok());
    assert_eq!(a.waiting.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_job_whose_request_gave_up_is_not_started() {
    let a = Argon::new(256, 1, 1, 1, Zeroizing::new([9; 32])).unwrap();
    // Keep the only hashing thread busy until told to go on.
    let (go, wait) = std::sync::mpsc::channel::<()>();
    let busy = tokio::spawn({
        let a = a.clone();
        async move { a.run(move |_| wait.recv().is_ok()).await }
    });
    while a.load().1 == 0 {
        tokio::task::yield_now().await;
    }
    // A request that times out while its hash waits in the queue.
    let given_up =
        tokio::time::timeout(std::time::Duration::ZERO, a.hash_password("abandoned")).await;
    assert!(given_up.is_err(), "timed out before the thread was free");
    go.send(()).unwrap();
    assert!(busy.await.unwrap().unwrap());
    a.hash_password("kept").await.unwrap();
    assert_eq!(
        a.hashes_run(),
        1,
        "only the request still waiting was hashed"
    );
    assert_eq!(a.load(), (0, 0));
}

#[tokio::test]
async fn production_defaults_are_owasp_strength() {
    let d = crate::config::Settings::default();
    let a = Argon::new(
        d.argon2_memory_kib,
        d.argon2_iterations,
        d.argon2_parallelism,
        1,
        Zeroizing::new([0; 32]),
    )
    .unwrap();
    let h = a.hash_password("correct horse").await.unwrap();
    assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
    assert!(a.verify_password("correct horse", Some(&h)).await.unwrap());
}
