//! Rules tested where they live (issue 19): the service's use cases called directly,
//! with the injected clock, on the backend of the run. The HTTP tests check each
//! surface's translation of the same rules.

use twofold::domain::email::Email;
use twofold::domain::password::Password;
use twofold::service::accounts::{self, LoginOutcome, LoginRequest};
use twofold::service::error::Error;
use twofold::service::{recent, sessions, RequestMeta};

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
