//! Access tokens against the JWKS, refresh rotation and reuse detection, logout, cookies.

use std::process::Command;

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

async fn jwks(app: &TestApp) -> Value {
    let resp = assert_status(
        app.get("/.well-known/jwks.json", None).await,
        StatusCode::OK,
    )
    .await;
    json_of(resp).await
}

#[tokio::test]
async fn access_token_verifies_against_the_jwks_with_the_contract_claims() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let jwks = jwks(&app).await;
    let header = jsonwebtoken::decode_header(&user.access_token).unwrap();
    assert_eq!(header.alg, Algorithm::EdDSA);
    let kid = header.kid.expect("kid in header");
    let jwk = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid.as_str())
        .expect("kid served");
    assert_eq!(jwk["kty"], "OKP");
    assert_eq!(jwk["crv"], "Ed25519");
    let key = DecodingKey::from_ed_components(jwk["x"].as_str().unwrap()).unwrap();
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.set_issuer(&["twofold"]);
    validation.set_audience(&["twofold"]);
    let claims = jsonwebtoken::decode::<Value>(&user.access_token, &key, &validation)
        .unwrap()
        .claims;
    assert_eq!(claims["aud"], "twofold", "audience defaults to the issuer");
    let me = json_of(app.me(&user.access_token).await).await;
    assert_eq!(claims["sub"], me["id"]);
    assert_eq!(claims["amr"], json!(["pwd"]));
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        3600
    );
    assert!(claims["sid"].is_string() && claims["jti"].is_string());
}

#[tokio::test]
async fn pyjwt_verifies_the_token_from_the_jwks() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let jwks = jwks(&app).await;
    let script = r#"
import json, sys, jwt
token, jwks = sys.argv[1], json.loads(sys.argv[2])
kid = jwt.get_unverified_header(token)["kid"]
jwk = next(k for k in jwks["keys"] if k["kid"] == kid)
key = jwt.PyJWK(jwk).key
claims = jwt.decode(token, key, algorithms=["EdDSA"], issuer="twofold", audience="twofold")
print(json.dumps(claims))
"#;
    let out = Command::new("python3")
        .args(["-c", script, &user.access_token, &jwks.to_string()])
        .output()
        .expect("python3 runs (install PyJWT: pip install pyjwt cryptography)");
    assert!(
        out.status.success(),
        "PyJWT refused the token: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let claims: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(claims["amr"], json!(["pwd"]));
    assert_eq!(claims["iss"], "twofold");
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_session() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let first =
        json_of(assert_status(app.refresh(&user.refresh_token).await, StatusCode::OK).await).await;
    let second_refresh = first["refreshToken"].as_str().unwrap();
    assert_ne!(second_refresh, user.refresh_token);
    let new_access = first["accessToken"].as_str().unwrap();
    assert_status(app.me(new_access).await, StatusCode::OK).await;
    // The rotated token comes back: the whole session is revoked.
    assert_error(
        app.refresh(&user.refresh_token).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    assert_error(
        app.refresh(second_refresh).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    assert_error(
        app.me(new_access).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_error(
        app.me(&user.access_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    // A new login still works, and the event is in the audit trail.
    let again =
        json_of(assert_status(app.login(&user.email, &user.password).await, StatusCode::OK).await)
            .await;
    let audit = json_of(app.get("/audit", again["accessToken"].as_str()).await).await;
    let types: Vec<&str> = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert!(types.contains(&"auth.refresh.reuse_detected"), "{types:?}");
}

#[tokio::test]
async fn refresh_rejects_garbage_and_missing_tokens() {
    let app = TestApp::spawn().await;
    assert_error(
        app.refresh("garbage").await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    assert_error(
        app.refresh(&"A".repeat(43)).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    assert_error(
        app.post("/auth/refresh", json!({}), None).await,
        StatusCode::BAD_REQUEST,
        "invalid_input",
    )
    .await;
}

#[tokio::test]
async fn logout_revokes_access_and_refresh_tokens() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let other = json_of(app.login(&user.email, &user.password).await).await;
    let resp = assert_status(app.logout(&user.access_token).await, StatusCode::NO_CONTENT).await;
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.starts_with("twofold_at=;") && cookie.contains("Max-Age=0"),
        "{cookie}"
    );
    assert_error(
        app.me(&user.access_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_error(
        app.refresh(&user.refresh_token).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    assert_error(
        app.logout(&user.access_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    // Another session of the same user is untouched.
    assert_status(
        app.me(other["accessToken"].as_str().unwrap()).await,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn cookie_authenticates_and_is_set_httponly_lax() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let resp = assert_status(app.login(&user.email, &user.password).await, StatusCode::OK).await;
    let set_cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set_cookie.starts_with("twofold_at="), "{set_cookie}");
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    assert!(
        !set_cookie.contains("Secure"),
        "public_url http://: no Secure flag: {set_cookie}"
    );
    let token = set_cookie
        .trim_start_matches("twofold_at=")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let resp = app
        .client
        .get(app.url("/me"))
        .header("cookie", format!("twofold_at={token}"))
        .send()
        .await
        .unwrap();
    let me = json_of(assert_status(resp, StatusCode::OK).await).await;
    assert_eq!(me["email"], user.email);
    let resp = app
        .client
        .post(app.url("/auth/logout"))
        .header("cookie", format!("twofold_at={token}"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_status(resp, StatusCode::NO_CONTENT).await;
    let resp = app
        .client
        .get(app.url("/me"))
        .header("cookie", format!("twofold_at={token}"))
        .send()
        .await
        .unwrap();
    assert_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn expired_access_token_is_refused() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    app.clock.advance(3601);
    assert_error(
        app.me(&user.access_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    // The refresh token still works and yields a fresh access token.
    let body =
        json_of(assert_status(app.refresh(&user.refresh_token).await, StatusCode::OK).await).await;
    assert_status(
        app.me(body["accessToken"].as_str().unwrap()).await,
        StatusCode::OK,
    )
    .await;
}
