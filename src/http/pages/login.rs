//! Signing in: the password step (then the second step in [`super::second_step`]), a
//! passwordless passkey, and signing out; what the sign-in pages share.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use maud::html;
use serde::Deserialize;

use super::factors::{passkey_answer, PasskeyForm};
use super::layout::{self, csrf, document, form_alert, notice, Field, Problem};
use super::navigation::{carry, safe_return_to, see_other, HOME};
use super::{append_cookie, current_claims, session_cookies, Browser, PageForm, SignedIn};
use crate::domain::email::Email;
use crate::domain::password::Password;
use crate::http::extract::{cookie, Meta, DEVICE_COOKIE};
use crate::http::set_cookie;
use crate::service::accounts::{self, LoginOutcome, LoginRequest};
use crate::service::error::Error;
use crate::service::sessions::AuthTokens;
use crate::service::{passkeys, sessions, AppState};

/// The MFA challenge of a login in progress.
pub(super) const CHALLENGE_COOKIE: &str = "twofold_mfa";

/// The query of the sign-in pages.
#[derive(Deserialize, Default)]
pub(super) struct Params {
    pub(super) return_to: Option<String>,
    pub(super) done: Option<String>,
    /// The address to prefill (an app's `login_hint`, OIDC.md).
    pub(super) login_hint: Option<String>,
}

pub(super) type QueryParams = Result<Query<Params>, axum::extract::rejection::QueryRejection>;

pub(super) fn params(query: QueryParams) -> Params {
    query.map(|Query(p)| p).unwrap_or_default()
}

/// `Subject predicate.` from a validation message such as "must not be empty".
pub(super) fn sentence(subject: &str, predicate: &str) -> String {
    format!("{subject} {predicate}.")
}

/// What the login form shows.
struct LoginView<'a> {
    email: &'a str,
    return_to: Option<&'a str>,
    notice: Option<&'static str>,
}

fn login_page(
    state: &AppState,
    browser: &Browser,
    view: &LoginView<'_>,
    problem: Option<&Problem>,
) -> Response {
    let focus_password = !view.email.is_empty();
    let body = html! {
        h1 { "Sign in" }
        p.lead { "to your " (state.settings.issuer) " account" }
        (notice(view.notice))
        form method="post" action="/login" novalidate {
            (csrf(browser))
            @if let Some(r) = view.return_to { input type="hidden" name="return_to" value=(r); }
            (form_alert(problem))
            (Field::new("Email", "email", "email", "username").value(view.email)
                .focus(!focus_password).error_from(problem).render())
            (Field::new("Password", "password", "password", "current-password")
                .focus(focus_password).error_from(problem).render())
            button.primary type="submit" { "Sign in" }
            p.forgot { a href="/password/forgot" { "Forgot your password?" } }
        }
        (PasskeyForm {
            action: "/login/passkey",
            mode: "get",
            options: None,
            options_url: Some("/api/v1/auth/passkey/options"),
            label: "Sign in with a passkey",
            secondary: true}.render(browser, html! {
            input type="hidden" name="passkey_challenge_token" value="";
            @if let Some(r) = view.return_to { input type="hidden" name="return_to" value=(r); }
        }))
        p.switch { "New here? " a href={ "/register" (carry(view.return_to)) } { "Create an account" } }
    };
    layout::respond_problem(problem, document(state, "Sign in", None, false, body))
}

pub(super) async fn login_form(
    State(state): State<AppState>,
    Extension(browser): Extension<Browser>,
    headers: HeaderMap,
    query: QueryParams,
) -> Response {
    let params = params(query);
    let return_to = safe_return_to(&state.settings, &headers, params.return_to.as_deref());
    if current_claims(&state, &headers).await.is_some() {
        return see_other(return_to.as_deref().unwrap_or(HOME));
    }
    let notice = match params.done.as_deref() {
        Some("signed_out") => Some("You are signed out."),
        Some("expired") => Some("That sign-in took too long, so it was stopped. Sign in again."),
        Some("password_reset") => Some(
            "Your password is set, and every session was signed out. Sign in with it: \
             your second factor is still asked for.",
        ),
        _ => None,
    };
    let hint = params.login_hint.as_deref().filter(|h| h.len() <= 320);
    let view = LoginView {
        email: hint.unwrap_or_default(),
        return_to: return_to.as_deref(),
        notice,
    };
    login_page(&state, &browser, &view, None)
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
    #[serde(default)]
    pub(super) email: String,
    #[serde(default)]
    pub(super) password: String,
    #[serde(default)]
    pub(super) return_to: String,
}

pub(super) async fn login(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    headers: HeaderMap,
    PageForm(form): PageForm<LoginForm>,
) -> Response {
    let return_to = safe_return_to(&state.settings, &headers, Some(&form.return_to));
    let view = LoginView {
        email: form.email.trim(),
        return_to: return_to.as_deref(),
        notice: None,
    };
    let fail = |problem: Problem| login_page(&state, &browser, &view, Some(&problem));
    let email = match Email::parse(&form.email) {
        Ok(email) => email,
        Err(m) => return fail(Problem::field("email", sentence("The email", m))),
    };
    let password = match Password::for_login(&form.password) {
        Ok(password) => password,
        Err(m) => return fail(Problem::field("password", sentence("The password", m))),
    };
    let request = LoginRequest {
        email,
        password,
        device_token: cookie(&headers, DEVICE_COOKIE).map(str::to_owned),
    };
    match accounts::login(&state, &meta, request).await {
        Ok(LoginOutcome::Session(tokens)) => signed_in_to(&state, &tokens, return_to.as_deref()),
        Ok(LoginOutcome::MfaRequired {
            challenge_token,
            expires_in,
            ..
        }) => {
            let mut response = see_other(&format!("/login/mfa{}", carry(return_to.as_deref())));
            let value = set_cookie(
                &state,
                CHALLENGE_COOKIE,
                &challenge_token,
                expires_in,
                "Lax",
            );
            append_cookie(&mut response, value);
            response
        }
        Err(Error::EmailNotVerified) => {
            super::email::unverified(&state, &browser, form.email.trim())
        }
        Err(e) => fail(Problem::from_service(e)),
    }
}

/// After a complete login: the session's cookies, and on to `return_to` or the account.
pub(super) fn signed_in_to(
    state: &AppState,
    tokens: &AuthTokens,
    return_to: Option<&str>,
) -> Response {
    let mut response = see_other(return_to.unwrap_or(HOME));
    session_cookies(state, tokens, &mut response);
    append_cookie(
        &mut response,
        set_cookie(state, CHALLENGE_COOKIE, "", 0, "Lax"),
    );
    response
}

/// Ends the session (`sessions::logout`) and clears its cookies.
pub(super) async fn logout(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(SignedIn(claims)): Extension<SignedIn>,
) -> Response {
    if let Err(e) = sessions::logout(&state, &meta, &claims).await {
        return layout::problem_page(&state, &Problem::from_service(e));
    }
    let mut response = see_other("/login?done=signed_out");
    super::clear_session_cookies(&state, &mut response);
    response
}

#[derive(Deserialize)]
pub(super) struct PasskeyLoginForm {
    #[serde(default)]
    passkey: String,
    #[serde(default)]
    passkey_challenge_token: String,
    #[serde(default)]
    return_to: String,
}

/// Passwordless: the passkey alone (`passkeys::login`, as `POST /auth/passkey/login`).
pub(super) async fn passkey_login(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    headers: HeaderMap,
    PageForm(form): PageForm<PasskeyLoginForm>,
) -> Response {
    let return_to = safe_return_to(
        &state.settings,
        &headers,
        Some(form.return_to.as_str()).filter(|r| !r.is_empty()),
    );
    let view = LoginView {
        email: "",
        return_to: return_to.as_deref(),
        notice: None,
    };
    let problem = match passkey_answer(&form.passkey) {
        Err(p) => p,
        Ok(answer) => {
            match passkeys::login(&state, &meta, form.passkey_challenge_token.trim(), &answer).await
            {
                Ok(tokens) => return signed_in_to(&state, &tokens, return_to.as_deref()),
                Err(Error::InvalidCredentials | Error::InvalidInput { .. }) => Problem::new(
                    axum::http::StatusCode::UNAUTHORIZED,
                    "That passkey did not sign you in.",
                    "Try again, or sign in with your email and password.",
                ),
                Err(e) => Problem::from_service(e),
            }
        }
    };
    login_page(&state, &browser, &view, Some(&problem))
}
