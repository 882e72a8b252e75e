//! The browser side of the OpenID Provider (OIDC.md): `/oauth2/authorize` (GET or a form
//! POST from the app: outside the anti-CSRF layer, it only keeps the request and sends the
//! browser on), its resumption after the sign-in pages, the consent page, and
//! RP-initiated logout with its confirmation. The rules are `service::oidc`'s.

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Extension;
use maud::html;
use serde::Deserialize;

use super::account::email_of;
use super::layout::{self, csrf, document, Header, Problem};
use super::navigation::{encode, see_other};
use super::{Browser, PageForm, SignedIn};
use crate::crypto::jwt::Claims;
use crate::http::extract::Meta;
use crate::service::oidc::authorize::{self, Answer, Params, Step, Unredirectable};
use crate::service::oidc::grants::{self, Grant};
use crate::service::oidc::logout::{self, Refused};
use crate::service::oidc::Browser as Person;
use crate::service::sessions::AuthTokens;
use crate::service::AppState;

/// What each scope lets an app see, in words.
fn scope_words(scope: &str) -> Option<&'static str> {
    match scope {
        "email" => Some("Your email address"),
        "profile" => Some("Your name (your email address)"),
        "groups" => Some("Your roles (such as admin)"),
        "offline_access" => Some("Stay signed in while you are away"),
        _ => None,
    }
}

fn unredirectable(state: &AppState, e: Unredirectable) -> Response {
    layout::problem_page(
        state,
        &Problem::new(
            StatusCode::BAD_REQUEST,
            "This sign-in request can't be used.",
            e.0,
        ),
    )
}

/// `GET /oauth2/authorize`.
pub(super) async fn authorize_get(
    State(state): State<AppState>,
    Meta(meta): Meta,
    headers: HeaderMap,
    query: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(params)) = query else {
        return unredirectable(&state, Unredirectable("The request is malformed.".into()));
    };
    authorize(&state, &meta, &headers, &params).await
}

/// `POST /oauth2/authorize` (the same request as a form).
pub(super) async fn authorize_post(
    State(state): State<AppState>,
    Meta(meta): Meta,
    headers: HeaderMap,
    PageForm(params): PageForm<Params>,
) -> Response {
    authorize(&state, &meta, &headers, &params).await
}

async fn authorize(
    state: &AppState,
    meta: &crate::service::RequestMeta,
    headers: &HeaderMap,
    params: &Params,
) -> Response {
    let (claims, renewed) = match who(state, meta, headers).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let person = claims.map(|claims| Person { claims });
    let mut response = match authorize::start(state, meta, params, person.as_ref()).await {
        Ok(step) => respond(state, step),
        Err(e) => unredirectable(state, e),
    };
    if let Some(tokens) = renewed {
        super::session_cookies(state, &tokens, &mut response);
    }
    response
}

/// Who is signed in on this browser: the access cookie, or else the refresh cookie (the
/// renewed tokens to set on the answer), as the pages that need a session find out.
async fn who(
    state: &AppState,
    meta: &crate::service::RequestMeta,
    headers: &HeaderMap,
) -> Result<(Option<Claims>, Option<AuthTokens>), Response> {
    match super::signed_in(state, meta, headers).await {
        Ok(Some((claims, renewed))) => Ok((Some(claims), renewed)),
        Ok(None) => Ok((None, None)),
        Err(e) => Err(layout::problem_page(state, &Problem::from_service(e))),
    }
}

#[derive(Deserialize)]
pub(super) struct Resume {
    #[serde(default)]
    id: String,
}

/// `GET /oauth2/authorize/resume?id=`: after the sign-in pages.
pub(super) async fn resume(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(SignedIn(claims)): Extension<SignedIn>,
    query: Result<Query<Resume>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let id = query.map(|Query(r)| r.id).unwrap_or_default();
    let person = Person { claims };
    match authorize::resume(&state, &meta, &id, Some(&person)).await {
        Ok(step) => respond(&state, step),
        Err(e) => unredirectable(&state, e),
    }
}

/// Where a step sends the browser.
fn respond(state: &AppState, step: Step) -> Response {
    match step {
        Step::SignIn { resume, login_hint } => {
            let hint = login_hint
                .map(|h| format!("&login_hint={}", encode(&h)))
                .unwrap_or_default();
            see_other(&format!("/login?return_to={}{hint}", encode(&resume)))
        }
        Step::StepUp { resume } => {
            see_other(&format!("/account/step-up?return_to={}", encode(&resume)))
        }
        Step::Enroll { resume } => {
            see_other(&format!("/account/mfa/setup?return_to={}", encode(&resume)))
        }
        Step::Consent(view) => see_other(&format!("/oauth2/consent?id={}", view.request_id)),
        Step::Answer(answer) => to_client(state, &answer),
    }
}

/// The self-submitting script of a `form_post` answer (allowed by its hash alone).
const SUBMIT: &str = "document.getElementById('answer').submit()";

/// The answer to the app: a 303 to its redirect URI, or (`form_post`) a page that posts
/// the answer there by itself (one inline script allowed by its hash; without scripts, a
/// button).
fn to_client(state: &AppState, answer: &Answer) -> Response {
    if !answer.form_post {
        let mut response = see_other(&answer.location());
        no_store(&mut response);
        return response;
    }
    let body = html! {
        h1 { "Returning to the app" }
        form method="post" action=(answer.redirect_uri) #answer {
            @for (name, value) in &answer.params {
                input type="hidden" name=(name) value=(value);
            }
            button.primary type="submit" { "Continue" }
        }
        script { (maud::PreEscaped(SUBMIT)) }
    };
    let mut response = layout::respond(
        StatusCode::OK,
        None,
        document(state, "Returning to the app", None, false, body),
    );
    no_store(&mut response);
    // The form goes to the app's own origin, and only this one script runs.
    let hash = {
        use base64::Engine as _;
        use sha2::Digest as _;
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(SUBMIT.as_bytes()))
    };
    let target = url::Url::parse(&answer.redirect_uri)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    let csp = format!(
        "default-src 'none'; script-src 'sha256-{hash}'; style-src 'self'; img-src 'self' data:; \
         form-action {target}; frame-ancestors 'none'; base-uri 'none'"
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, v);
    }
    response
}

fn no_store(response: &mut Response) {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// `GET /oauth2/consent?id=`: what the app asks to see.
pub(super) async fn consent_form(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    Extension(SignedIn(claims)): Extension<SignedIn>,
    query: Result<Query<Resume>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let id = query.map(|Query(r)| r.id).unwrap_or_default();
    let person = Person {
        claims: claims.clone(),
    };
    let view = match authorize::resume(&state, &meta, &id, Some(&person)).await {
        Ok(Step::Consent(view)) => view,
        Ok(step) => return respond(&state, step),
        Err(e) => return unredirectable(&state, e),
    };
    let body = html! {
        div data-testid="consent" {
            h1 { "Allow " (view.client_name) "?" }
            p.lead { (view.client_name) " wants to sign you in with your " (state.settings.issuer) " account." }
            p { "It will see:" }
            ul {
                li { "Who you are (an identifier that never changes)" }
                @for scope in &view.scopes {
                    @if let Some(words) = scope_words(scope) { li { (words) } }
                }
            }
            form method="post" action={ "/oauth2/consent?id=" (view.request_id) } {
                (csrf(&browser))
                div.actions {
                    button.primary type="submit" name="decision" value="allow" { "Allow" }
                    button.secondary type="submit" name="decision" value="deny" { "Deny" }
                }
            }
            p.hint { "You can remove its access at any time on your account page." }
        }
    };
    let email = email_of(&state, &claims.sub).await;
    let header = Header {
        email: &email,
        csrf_token: &browser.csrf_token,
    };
    layout::respond(
        StatusCode::OK,
        None,
        document(&state, "Allow access", Some(header), false, body),
    )
}

#[derive(Deserialize)]
pub(super) struct Decision {
    #[serde(default)]
    decision: String,
}

/// `POST /oauth2/consent?id=`: Allow or Deny.
pub(super) async fn consent(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(SignedIn(claims)): Extension<SignedIn>,
    query: Result<Query<Resume>, axum::extract::rejection::QueryRejection>,
    PageForm(form): PageForm<Decision>,
) -> Response {
    let id = query.map(|Query(r)| r.id).unwrap_or_default();
    let person = Person { claims };
    let allow = form.decision == "allow";
    match authorize::consent(&state, &meta, &id, &person, allow).await {
        Ok(step) => respond(&state, step),
        Err(e) => unredirectable(&state, e),
    }
}

/// `GET|POST /oauth2/logout` from the app (outside the anti-CSRF layer: it ends a session
/// only when the app's ID token names the person; otherwise it asks).
pub(super) async fn logout_get(
    State(state): State<AppState>,
    Meta(meta): Meta,
    headers: HeaderMap,
    query: Result<Query<logout::Params>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let params = query.map(|Query(p)| p).unwrap_or_default();
    logout_request(&state, &meta, &headers, &params).await
}

pub(super) async fn logout_post(
    State(state): State<AppState>,
    Meta(meta): Meta,
    headers: HeaderMap,
    PageForm(params): PageForm<logout::Params>,
) -> Response {
    logout_request(&state, &meta, &headers, &params).await
}

async fn logout_request(
    state: &AppState,
    meta: &crate::service::RequestMeta,
    headers: &HeaderMap,
    params: &logout::Params,
) -> Response {
    let (claims, _) = match who(state, meta, headers).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match logout::request(state, meta, params, claims.as_ref(), false).await {
        Ok(logout::Step::Confirm { .. }) => {
            let query = serde_urlencoded::to_string(
                [
                    ("client_id", params.client_id.as_deref()),
                    (
                        "post_logout_redirect_uri",
                        params.post_logout_redirect_uri.as_deref(),
                    ),
                    ("state", params.state.as_deref()),
                    ("id_token_hint", params.id_token_hint.as_deref()),
                ]
                .into_iter()
                .filter_map(|(k, v)| v.map(|v| (k, v)))
                .collect::<Vec<_>>(),
            )
            .unwrap_or_default();
            see_other(&format!("/oauth2/logout/confirm?{query}"))
        }
        Ok(logout::Step::Done { redirect }) => signed_out(state, redirect),
        Err(e) => refused(state, e),
    }
}

fn refused(state: &AppState, e: Refused) -> Response {
    layout::problem_page(
        state,
        &Problem::new(
            StatusCode::BAD_REQUEST,
            "This sign-out request can't be used.",
            e.0,
        ),
    )
}

fn signed_out(state: &AppState, redirect: Option<String>) -> Response {
    let mut response = see_other(redirect.as_deref().unwrap_or("/login?done=signed_out"));
    super::clear_session_cookies(state, &mut response);
    response
}

/// `GET /oauth2/logout/confirm`: "Sign out of twofold?"
pub(super) async fn confirm_form(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    headers: HeaderMap,
    query: Result<Query<logout::Params>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let params = query.map(|Query(p)| p).unwrap_or_default();
    let (claims, _) = match who(&state, &meta, &headers).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let client_name = match logout::request(&state, &meta, &params, claims.as_ref(), false).await {
        Ok(logout::Step::Confirm { client_name }) => client_name,
        Ok(logout::Step::Done { redirect }) => return signed_out(&state, redirect),
        Err(e) => return refused(&state, e),
    };
    let hidden = [
        ("client_id", params.client_id.as_deref()),
        (
            "post_logout_redirect_uri",
            params.post_logout_redirect_uri.as_deref(),
        ),
        ("state", params.state.as_deref()),
        ("id_token_hint", params.id_token_hint.as_deref()),
    ];
    let body = html! {
        h1 { "Sign out?" }
        p.lead {
            @if let Some(name) = &client_name { (name) " asks to sign you out of " } @else { "Sign out of " }
            "your " (state.settings.issuer) " account in this browser."
        }
        form method="post" action="/oauth2/logout/confirm" {
            (csrf(&browser))
            @for (name, value) in hidden {
                @if let Some(value) = value { input type="hidden" name=(name) value=(value); }
            }
            button.primary type="submit" { "Sign out" }
        }
        p { a href="/account" { "Stay signed in" } }
    };
    layout::respond(
        StatusCode::OK,
        None,
        document(&state, "Sign out", None, false, body),
    )
}

/// `POST /oauth2/logout/confirm`: the person said yes.
pub(super) async fn confirm(
    State(state): State<AppState>,
    Meta(meta): Meta,
    headers: HeaderMap,
    PageForm(params): PageForm<logout::Params>,
) -> Response {
    let (claims, _) = match who(&state, &meta, &headers).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match logout::request(&state, &meta, &params, claims.as_ref(), true).await {
        Ok(logout::Step::Done { redirect }) => signed_out(&state, redirect),
        Ok(logout::Step::Confirm { .. }) => signed_out(&state, None),
        Err(e) => refused(&state, e),
    }
}

/// "Apps with access" on the account page: each app the person allowed, and a button that
/// takes the access back.
pub(super) fn apps_section(browser: &Browser, apps: &[Grant]) -> maud::Markup {
    html! {
        section.card aria-labelledby="apps-heading" data-testid="apps" {
            h2 #apps-heading { "Apps with access" }
            @if apps.is_empty() {
                p.meta { "No app can see your account." }
            } @else {
                ul.sessions {
                    @for app in apps {
                        li {
                            div.session-info {
                                strong { (app.client_name) }
                                span.meta {
                                    (app.scopes.iter().filter_map(|s| scope_words(s)).collect::<Vec<_>>().join(" · "))
                                }
                            }
                            form method="post" action={ "/account/apps/" (app.client_id) "/revoke" } {
                                (csrf(browser))
                                button.secondary.small type="submit" { "Remove access" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `POST /account/apps/{id}/revoke`.
pub(super) async fn revoke_app(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(SignedIn(claims)): Extension<SignedIn>,
    axum::extract::Path(client_id): axum::extract::Path<String>,
) -> Response {
    match grants::revoke(&state, &meta, &claims, &client_id).await {
        Ok(()) | Err(crate::service::error::Error::NotFound) => {
            see_other("/account?done=app_removed")
        }
        Err(e) => layout::problem_page(&state, &Problem::from_service(e)),
    }
}
