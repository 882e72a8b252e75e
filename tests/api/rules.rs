//! Rules tested where they live (issue 19): the service's use cases called directly,
//! with the injected clock, on the backend of the run. The HTTP tests check each
//! surface's translation of the same rules.

use twofold::crypto::jwt::Claims;
use twofold::domain::codes::{MfaCode, TotpCode};
use twofold::domain::email::Email;
use twofold::domain::password::Password;
use twofold::domain::totp::{code_at_step, TotpParams};
use twofold::service::accounts::{self, LoginOutcome, LoginRequest};
use twofold::service::error::Error;
use twofold::service::{factors, mfa, recent, sessions, RequestMeta};

use crate::helpers::*;

fn request(email: &str, password: &str) -> LoginRequest {
    LoginRequest {
        email: Email::parse(email).unwrap(),
        password: Password::parse(password).unwrap(),
        device_token: None,
    }
}

/// A signed-in user's access-token claims, through the service.
async fn signed_in(app: &TestApp) -> (TestUser, twofold::crypto::jwt::Claims) {
    let user = app.user().await;
    let claims = sessions::authenticate(&app.state, &user.access_token)
        .await
        .unwrap();
    (user, claims)
}

#[tokio::test]
async fn each_lock_of_an_address_lasts_twice_as_long_as_the_one_before() {
    let app = TestApp::spawn().await;
    let (user, _) = signed_in(&app).await;
    let (state, meta) = (&app.state, RequestMeta::default());
    let max = state.settings.password_max_failures;
    let base = state.settings.lockout_base_seconds as u64;
    for round in 0..3u32 {
        for _ in 0..max {
            let wrong = accounts::login(state, &meta, request(&user.email, "wrong password")).await;
            assert!(
                matches!(wrong, Err(Error::InvalidCredentials)),
                "{:?}",
                wrong.err()
            );
        }
        let locked = accounts::login(state, &meta, request(&user.email, &user.password)).await;
        let expected = base << round;
        match locked.err() {
            Some(Error::Locked { retry_after }) => {
                assert_eq!(retry_after, expected, "round {round}")
            }
            other => panic!("round {round}: {other:?}"),
        }
        app.clock.advance(expected as i64);
    }
    // After the last lock, the right password signs in (and gives the budget back).
    let open = accounts::login(state, &meta, request(&user.email, &user.password)).await;
    assert!(
        matches!(open, Ok(LoginOutcome::Session(_))),
        "{:?}",
        open.err()
    );
}

#[tokio::test]
async fn a_sign_in_counts_as_recent_for_step_up_seconds_and_no_longer() {
    let app = TestApp::spawn().await;
    let (_, claims) = signed_in(&app).await;
    let window = app.state.settings.step_up_seconds;
    assert!(recent::require_recent(&app.state, &claims).await.is_ok());
    app.clock.advance(window);
    assert!(
        recent::require_recent(&app.state, &claims).await.is_ok(),
        "the last second counts"
    );
    app.clock.advance(1);
    match recent::require_recent(&app.state, &claims).await {
        Err(Error::StepUpRequired { methods }) => assert_eq!(methods, ["password"]),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_trusted_browsers_session_is_never_recent() {
    let app = TestApp::spawn().await;
    let (_, mut claims) = signed_in(&app).await;
    claims.amr = vec!["pwd".into(), "mfa".into(), recent::TRUSTED.into()];
    assert!(!recent::proven_in_session(&claims));
    assert!(matches!(
        recent::require_recent(&app.state, &claims).await,
        Err(Error::StepUpRequired { .. })
    ));
}

/// A TOTP code of the base32 `secret` at the app clock's current step.
fn code_now(app: &TestApp, secret: &str) -> TotpCode {
    let bytes = twofold::domain::codes::secret_from_base32(secret).unwrap();
    let step = (now(app) / 30) as u64;
    TotpCode::parse(&code_at_step(&bytes, step, TotpParams::DEFAULT)).unwrap()
}

/// A user whose first authenticator app is enrolled through the service: its claims and
/// the app's base32 secret.
async fn enrolled(app: &TestApp) -> (TestUser, Claims, String) {
    let (user, claims) = signed_in(app).await;
    let meta = RequestMeta::default();
    let setup = mfa::setup(&app.state, &meta, &claims, None).await.unwrap();
    let secret = setup.secret.to_string();
    mfa::confirm(
        &app.state,
        &meta,
        &claims,
        Some(code_now(app, &secret)),
        None,
        None,
    )
    .await
    .unwrap();
    (user, claims, secret)
}

/// The challenge of a password login of an MFA user.
async fn challenge(app: &TestApp, user: &TestUser) -> String {
    let meta = RequestMeta::default();
    let login = accounts::login(&app.state, &meta, request(&user.email, &user.password));
    match login.await {
        Ok(LoginOutcome::MfaRequired {
            challenge_token, ..
        }) => challenge_token,
        other => panic!("{:?}", other.err()),
    }
}

#[tokio::test]
async fn a_code_is_spent_once_per_factor_and_each_factor_keeps_its_own_guard() {
    let app = TestApp::spawn().await;
    let (user, claims, first) = enrolled(&app).await;
    let meta = RequestMeta::default();
    // A second authenticator app.
    app.next_step();
    let pending = factors::add_totp(&app.state, &meta, &claims, Some("second".into()))
        .await
        .unwrap();
    let second = pending.setup.secret.to_string();
    factors::confirm_totp(
        &app.state,
        &meta,
        &claims,
        &pending.factor_id,
        code_now(&app, &second),
    )
    .await
    .unwrap();
    app.next_step();
    let verify = |code: TotpCode| {
        let (app, user) = (&app, &user);
        async move {
            let token = challenge(app, user).await;
            let meta = RequestMeta::default();
            mfa::verify_login(&app.state, &meta, &token, MfaCode::Totp(code), false).await
        }
    };
    // Each factor's code of this step works once; spent, it is refused.
    assert!(verify(code_now(&app, &first)).await.is_ok());
    assert!(matches!(
        verify(code_now(&app, &first)).await,
        Err(Error::InvalidCode)
    ));
    assert!(
        verify(code_now(&app, &second)).await.is_ok(),
        "the other factor's guard is its own"
    );
    assert!(matches!(
        verify(code_now(&app, &second)).await,
        Err(Error::InvalidCode)
    ));
    // The next step opens both again.
    app.next_step();
    assert!(verify(code_now(&app, &first)).await.is_ok());
}

#[tokio::test]
async fn no_more_factors_than_max_factors() {
    let app = TestApp::spawn_with(|s| s.max_factors = 2).await;
    let (_, claims, _) = enrolled(&app).await;
    let meta = RequestMeta::default();
    let pending = factors::add_totp(&app.state, &meta, &claims, None)
        .await
        .unwrap();
    let secret = pending.setup.secret.to_string();
    app.next_step();
    factors::confirm_totp(
        &app.state,
        &meta,
        &claims,
        &pending.factor_id,
        code_now(&app, &secret),
    )
    .await
    .unwrap();
    assert_eq!(
        factors::list(&app.state, &claims.sub).await.unwrap().len(),
        2
    );
    let third = factors::add_totp(&app.state, &meta, &claims, None).await;
    assert!(
        matches!(third, Err(Error::TooManyFactors)),
        "{:?}",
        third.err()
    );
}
