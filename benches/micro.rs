//! Micro-benchmarks (criterion): TOTP verification against its floor (three raw
//! HMAC-SHA1 computations) and a peer (totp-rs), recovery-code checking, JWT signing and
//! verification, sealing and opening a secret. `cargo bench --bench micro`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use hmac::{Hmac, Mac};
use sha1::Sha1;
use twofold::crypto::argon::Argon;
use twofold::crypto::jwt::{generate_seed, Claims, KeyRing};
use twofold::crypto::seal::{Sealer, FIRST_KEY_ID};
use twofold::domain::totp::{self, TotpParams};
use zeroize::Zeroizing;

const SECRET: &[u8; 20] = b"12345678901234567890";
const NOW: i64 = 1_700_000_000;

fn totp_benches(c: &mut Criterion) {
    let p = TotpParams::DEFAULT;
    // A code of the step after the current one: the verifier computes all three steps.
    let code = totp::code_at_step(SECRET, p.step_at(NOW) + 1, p);
    let mut group = c.benchmark_group("totp");
    group.bench_function("floor: 3 x HMAC-SHA1", |b| {
        b.iter(|| {
            let mut acc = 0u8;
            for step in 0u64..3 {
                let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(black_box(SECRET)).unwrap();
                mac.update(&(black_box(56_666_666u64) + step).to_be_bytes());
                acc ^= mac.finalize().into_bytes()[19];
            }
            acc
        })
    });
    group.bench_function("twofold verify (window +-1)", |b| {
        b.iter(|| totp::matching_step(black_box(SECRET), black_box(&code), black_box(NOW), p, 1))
    });
    let peer = totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, SECRET.to_vec());
    group.bench_function("totp-rs check (skew 1)", |b| {
        b.iter(|| peer.check(black_box(&code), black_box(NOW as u64)))
    });
    group.finish();
}

fn recovery_benches(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let d = twofold::config::Settings::default();
    let argon = Argon::new(
        d.argon2_memory_kib,
        d.argon2_iterations,
        d.argon2_parallelism,
        2,
        Zeroizing::new([7; 32]),
    )
    .unwrap();
    let codes: Vec<_> = (0..10)
        .map(|i| Zeroizing::new(format!("code{i:04}")))
        .collect();
    let hashes = rt.block_on(argon.hash_recovery_codes(codes)).unwrap();
    let mut group = c.benchmark_group("recovery");
    group.sample_size(10);
    group.bench_function(
        "check one code against the first hash (production Argon2id)",
        |b| {
            b.iter(|| {
                rt.block_on(argon.find_recovery_code("code0000", hashes[..1].to_vec()))
                    .unwrap()
            })
        },
    );
    group.bench_function("password hash (production Argon2id)", |b| {
        b.iter(|| {
            rt.block_on(argon.hash_password("correct horse battery"))
                .unwrap()
        })
    });
    group.finish();
}

fn jwt_benches(c: &mut Criterion) {
    let ring = KeyRing::new(&[generate_seed()], "twofold").unwrap();
    let claims = Claims {
        iss: "twofold".into(),
        aud: "twofold".into(),
        sub: "6c4f4a2e-1d1b-4c1e-9a57-0f5c8c7e1b2a".into(),
        sid: "0b3f6f3e-7a7d-4b0e-8a3c-3c0f2e6a9d11".into(),
        iat: NOW,
        exp: NOW + 3600,
        jti: "2d0c1f5e-6c43-4a9b-9d3e-5f1b7e2a8c40".into(),
        auth_time: 0,
        amr: vec!["pwd".into(), "otp".into(), "mfa".into()],
        roles: Vec::new(),
        email_verified: false,
    };
    let token = ring.sign(&claims).unwrap();
    let mut group = c.benchmark_group("jwt");
    group.bench_function("sign (EdDSA)", |b| {
        b.iter(|| ring.sign(black_box(&claims)).unwrap())
    });
    group.bench_function("verify (EdDSA), token seen before", |b| {
        b.iter(|| ring.verify(black_box(&token), NOW).unwrap())
    });
    // More distinct tokens than the verified-token cache holds, used round robin: every
    // verification checks the signature.
    let tokens: Vec<String> = (0..10_000)
        .map(|i| {
            let mut c = claims.clone();
            c.jti = format!("jti-{i}");
            ring.sign(&c).unwrap()
        })
        .collect();
    let mut next = 0;
    group.bench_function("verify (EdDSA), signature checked", |b| {
        b.iter(|| {
            next = (next + 1) % tokens.len();
            ring.verify(black_box(&tokens[next]), NOW).unwrap()
        })
    });
    group.finish();
}

fn seal_benches(c: &mut Criterion) {
    let sealer = Sealer::new(&[3; 32], FIRST_KEY_ID);
    let sealed = sealer.seal(SECRET, b"totp:user");
    let mut group = c.benchmark_group("seal");
    group.bench_function("seal 20-byte secret (AES-256-GCM)", |b| {
        b.iter(|| sealer.seal(black_box(SECRET), b"totp:user"))
    });
    group.bench_function("open 20-byte secret", |b| {
        b.iter(|| {
            sealer
                .open(FIRST_KEY_ID, black_box(&sealed), b"totp:user")
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    totp_benches,
    recovery_benches,
    jwt_benches,
    seal_benches
);
criterion_main!(benches);
