//! Upgrades keep data: a database written by the release before API 1.1 (committed
//! under `tests/fixtures/v0/`, made by `make.sh` there) is migrated on start, and every
//! user, credential, recovery code and session in it keeps working.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/v0");

/// An app started on a copy of the v0 database of this run's backend, and its users.
async fn upgraded() -> (TestApp, Value) {
    let fixture: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{FIXTURES}/fixture.json")).unwrap())
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut settings = test_settings(&dir);
    settings.master_key = Some(fixture["masterKey"].as_str().unwrap().to_owned().into());
    let backend = if backend_is_postgres() {
        let url = fresh_postgres_database().await;
        let dump = std::fs::read_to_string(format!("{FIXTURES}/postgres.sql")).unwrap();
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        sqlx::raw_sql(&dump)
            .execute(&pool)
            .await
            .expect("the v0 dump loads");
        pool.close().await;
        settings.database_url = Some(url);
        "postgres"
    } else {
        let db = dir.path().join("twofold.db");
        std::fs::copy(format!("{FIXTURES}/twofold.db"), &db).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        "sqlite"
    };
    let app = TestApp::start(settings, Arc::new(dir), Default::default()).await;
    (app, fixture[backend]["users"].clone())
}

fn user<'a>(users: &'a Value, email: &str) -> &'a Value {
    users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == email)
        .unwrap()
}

#[tokio::test]
async fn a_v0_database_is_migrated_and_keeps_every_account_working() {
    let (app, users) = upgraded().await;
    let enrolled = user(&users, "enrolled@example.com");
    let plain = user(&users, "plain@example.com");
    let (email, password) = (
        enrolled["email"].as_str().unwrap(),
        enrolled["password"].as_str().unwrap(),
    );
    // Sessions of v0 refresh, and show up in the session list.
    let session = json_of(
        assert_status(
            app.refresh(enrolled["refreshToken"].as_str().unwrap())
                .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    let token = session["accessToken"].as_str().unwrap();
    let status = json_of(app.get("/mfa/status", Some(token)).await).await;
    assert_eq!(status["enabled"], true, "{status}");
    assert_eq!(status["recoveryCodesRemaining"], 10, "{status}");
    let sessions = json_of(app.get("/sessions", Some(token)).await).await;
    assert_eq!(
        sessions["sessions"].as_array().unwrap().len(),
        2,
        "{sessions}"
    );
    // The enrolled user logs in with the TOTP secret of v0...
    let body = json_of(assert_status(app.login(email, password).await, StatusCode::OK).await).await;
    let challenge = body["mfaChallengeToken"].as_str().unwrap();
    let secret = enrolled["totpSecret"].as_str().unwrap();
    assert_status(
        app.verify_mfa(challenge, &oathtool(secret, now(&app)))
            .await,
        StatusCode::OK,
    )
    .await;
    // ...and with a recovery code of v0, once.
    let code = enrolled["recoveryCodes"][0].as_str().unwrap();
    for expected in [StatusCode::OK, StatusCode::UNAUTHORIZED] {
        let body =
            json_of(assert_status(app.login(email, password).await, StatusCode::OK).await).await;
        let challenge = body["mfaChallengeToken"].as_str().unwrap();
        assert_status(app.verify_mfa(challenge, code).await, expected).await;
    }
    // The user without MFA: password and refresh token.
    assert_status(
        app.refresh(plain["refreshToken"].as_str().unwrap()).await,
        StatusCode::OK,
    )
    .await;
    let body = json_of(
        assert_status(
            app.login(
                plain["email"].as_str().unwrap(),
                plain["password"].as_str().unwrap(),
            )
            .await,
            StatusCode::OK,
        )
        .await,
    )
    .await;
    assert!(body["deviceToken"].is_string(), "{body}");
}
