//! `GET /.well-known/jwks.json`: the public keys that verify access tokens and ID tokens.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;

use crate::service::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(jwks))
}

/// A JSON Web Key Set (documentation only: `KeyRing::jwks` writes it).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct Jwks {
    keys: Vec<Jwk>,
}

/// An Ed25519 public key (RFC 8037: `kty` `OKP`, `crv`, `x`) or an RSA one (RFC 7518:
/// `kty` `RSA`, `n`, `e`; OpenID Connect's RS256).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct Jwk {
    /// `OKP` or `RSA`.
    kty: String,
    /// `Ed25519` (OKP keys).
    crv: Option<String>,
    /// The Ed25519 public key, base64url.
    x: Option<String>,
    /// The RSA modulus, base64url.
    n: Option<String>,
    /// The RSA exponent, base64url.
    e: Option<String>,
    kid: String,
    /// `sig`.
    #[schema(rename = "use")]
    use_: String,
    /// `EdDSA` or `RS256`.
    alg: String,
}

/// The public keys that verify access tokens (Ed25519) and OpenID Connect tokens (RS256 or EdDSA).
#[utoipa::path(get, path = "/.well-known/jwks.json", tag = "health",
    responses((status = 200, description = "A JSON Web Key Set", body = Jwks)))]
async fn jwks(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "public, max-age=300")],
        Json(state.keys.ring.current().jwks()),
    )
}
