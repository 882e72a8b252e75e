//! Signing in (password, then a code from the app or a recovery code), creating an
//! account, and signing out.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use maud::{html, Markup};
use serde::Deserialize;

use super::factors::{passkey_answer, PasskeyForm};
use super::layout::{self, csrf, document, form_alert, notice, Field, Problem};
use super::navigation::{carry, safe_return_to, see_other, HOME};
use super::{append_cookie, current_claims, read_form, session_cookies, Browser, SignedIn};
use crate::domain::codes::{MfaCode, RecoveryCode, TotpCode};
use crate::domain::email::Email;
use crate::domain::password::Password;
use crate::http::extract::{cookie, Meta, DEVICE_COOKIE};
use crate::http::set_cookie;
use crate::service::accounts::{self, LoginOutcome, LoginRequest};
use crate::service::error::Error;
use crate::service::sessions::AuthTokens;
use crate::service::{mfa, passkeys, sessions, AppState};

/// The MFA challenge of a login in progress.
const CHALLENGE_COOKIE: &str = "twofold_mfa";

/// The query of the sign-in pages.
#[derive(Deserialize, Default)]
pub(super) struct Params {
    return_to: Option<String>,
    done: Option<String>,
}

type QueryParams = Result<Query<Params>, axum::extract::rejection::QueryRejection>;

fn params(query: QueryParams) -> Params {
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
        }
        (PasskeyForm {
            action: "/login/passkey",
            mode: "get",
            options: None,
            options_url: Some("/api/v1/auth/passkey/options"),
            label: "Sign in with a passkey",
            secondary: true,
        }.render(browser, html! {
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
        _ => None,
    };
    let view = LoginView {
        email: "",
        return_to: return_to.as_deref(),
        notice,
    };
    login_page(&state, &browser, &view, None)
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    return_to: String,
}

pub(super) async fn login(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form: LoginForm = match read_form(&state, &body) {
        Ok(form) => form,
        Err(response) => return *response,
    };
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
        Err(e) => fail(Problem::from_service(e)),
    }
}

/// After a complete login: the session's cookies, and on to `return_to` or the account.
fn signed_in_to(state: &AppState, tokens: &AuthTokens, return_to: Option<&str>) -> Response {
    let mut response = see_other(return_to.unwrap_or(HOME));
    session_cookies(state, tokens, &mut response);
    append_cookie(
        &mut response,
        set_cookie(state, CHALLENGE_COOKIE, "", 0, "Lax"),
    );
    response
}

/// The login's challenge is gone (expired, used, or MFA turned off): start over.
fn challenge_expired(state: &AppState) -> Response {
    let mut response = see_other("/login?done=expired");
    append_cookie(
        &mut response,
        set_cookie(state, CHALLENGE_COOKIE, "", 0, "Lax"),
    );
    response
}

/// The two kinds of second step.
#[derive(Clone, Copy, PartialEq)]
enum Step {
    App,
    Recovery,
}

fn code_page(
    state: &AppState,
    browser: &Browser,
    step: Step,
    return_to: Option<&str>,
    passkey: Option<&serde_json::Value>,
    problem: Option<&Problem>,
) -> Response {
    let (title, action) = match step {
        Step::App => ("Enter your code", "/login/mfa"),
        Step::Recovery => ("Use a recovery code", "/login/recovery"),
    };
    let field = match step {
        Step::App => Field::code("6-digit code", true)
            .hint("Open your authenticator app and enter the code it shows for this account."),
        Step::Recovery => Field::code("Recovery code", false)
            .hint("One of the codes you saved when you turned on two-factor authentication. Each works once."),
    };
    let body = html! {
        h1 { (title) }
        p.lead { "Your password was right. One more step keeps your account safe." }
        @if let Some(options) = passkey {
            (PasskeyForm {
                action: &format!("/login/mfa/passkey{}", carry(return_to)),
                mode: "get",
                options: Some(options),
                options_url: None,
                label: "Use your passkey",
                secondary: false,
            }.render(browser, html! {}))
        }
        form method="post" action={ (action) (carry(return_to)) } novalidate {
            (csrf(browser))
            (form_alert(problem))
            (field.focus(true).error_from(problem).render())
            @if state.settings.remember_device_days > 0 {
                div.check {
                    input #remember_device type="checkbox" name="remember_device" value="on";
                    label for="remember_device" {
                        "Trust this browser for " (state.settings.remember_device_days) " days"
                        span.hint.block-hint { "Don't tick this on a shared or public computer." }
                    }
                }
            }
            button.primary type="submit" { "Continue" }
        }
        @match step {
            Step::App => p.switch { "Lost your phone? "
                a href={ "/login/recovery" (carry(return_to)) } { "Use a recovery code instead" } },
            Step::Recovery => p.switch {
                a href={ "/login/mfa" (carry(return_to)) } { "Use a code from your app instead" } },
        }
        p.switch { a href="/login" { "Start over" } }
    };
    layout::respond_problem(problem, document(state, title, None, false, body))
}

/// Shows the code form while a challenge is in progress; otherwise back to the login.
async fn second_step_form(
    state: AppState,
    browser: Browser,
    headers: HeaderMap,
    query: QueryParams,
    step: Step,
) -> Response {
    let params = params(query);
    let return_to = safe_return_to(&state.settings, &headers, params.return_to.as_deref());
    let Some(challenge) = cookie(&headers, CHALLENGE_COOKIE) else {
        return see_other(&format!("/login{}", carry(return_to.as_deref())));
    };
    // A user with a passkey can answer with it (its options are made for this challenge).
    let passkey = match step {
        Step::App => passkeys::mfa_options(&state, challenge).await.ok(),
        Step::Recovery => None,
    };
    code_page(
        &state,
        &browser,
        step,
        return_to.as_deref(),
        passkey.as_ref(),
        None,
    )
}

pub(super) async fn code_form(
    State(state): State<AppState>,
    Extension(browser): Extension<Browser>,
    headers: HeaderMap,
    query: QueryParams,
) -> Response {
    second_step_form(state, browser, headers, query, Step::App).await
}

pub(super) async fn recovery_form(
    State(state): State<AppState>,
    Extension(browser): Extension<Browser>,
    headers: HeaderMap,
    query: QueryParams,
) -> Response {
    second_step_form(state, browser, headers, query, Step::Recovery).await
}

#[derive(Deserialize)]
pub(super) struct CodeForm {
    #[serde(default)]
    code: String,
    /// The "trust this browser" box (present when ticked).
    remember_device: Option<String>,
}

/// Answers the challenge of this browser with a code: the same `verify_login` as the API.
async fn second_step(
    state: AppState,
    meta: crate::service::RequestMeta,
    browser: Browser,
    headers: HeaderMap,
    query: QueryParams,
    body: Bytes,
    step: Step,
) -> Response {
    let params = params(query);
    let return_to = safe_return_to(&state.settings, &headers, params.return_to.as_deref());
    let form: CodeForm = match read_form(&state, &body) {
        Ok(form) => form,
        Err(response) => return *response,
    };
    let fail = |problem: Problem| {
        code_page(
            &state,
            &browser,
            step,
            return_to.as_deref(),
            None,
            Some(&problem),
        )
    };
    let code = match step {
        Step::App => TotpCode::parse(&form.code).map(MfaCode::Totp),
        Step::Recovery => RecoveryCode::parse(&form.code).map(MfaCode::Recovery),
    };
    let code = match code {
        Ok(code) => code,
        Err(m) => return fail(Problem::field("code", sentence("The code", m))),
    };
    let Some(challenge) = cookie(&headers, CHALLENGE_COOKIE) else {
        return see_other("/login?done=expired");
    };
    match mfa::verify_login(
        &state,
        &meta,
        challenge,
        code,
        form.remember_device.is_some(),
    )
    .await
    {
        Ok(tokens) => signed_in_to(&state, &tokens, return_to.as_deref()),
        Err(Error::InvalidChallenge | Error::Unauthorized) => challenge_expired(&state),
        Err(Error::InvalidCode) => fail(Problem::from_service(Error::InvalidCode).at("code")),
        Err(e) => fail(Problem::from_service(e)),
    }
}

pub(super) async fn verify_code(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    headers: HeaderMap,
    query: QueryParams,
    body: Bytes,
) -> Response {
    second_step(state, meta, browser, headers, query, body, Step::App).await
}

pub(super) async fn verify_recovery(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    headers: HeaderMap,
    query: QueryParams,
    body: Bytes,
) -> Response {
    second_step(state, meta, browser, headers, query, body, Step::Recovery).await
}

fn register_page(
    state: &AppState,
    browser: &Browser,
    email: &str,
    return_to: Option<&str>,
    problem: Option<&Problem>,
) -> Response {
    let body: Markup = html! {
        h1 { "Create your account" }
        p.lead { "at " (state.settings.issuer) }
        form method="post" action={ "/register" (carry(return_to)) } novalidate {
            (csrf(browser))
            (form_alert(problem))
            (Field::new("Email", "email", "email", "username").value(email)
                .focus(email.is_empty()).error_from(problem).render())
            (Field::new("Password", "password", "password", "new-password")
                .hint("At least 8 characters. A long phrase is easier to remember and harder to guess.")
                .focus(!email.is_empty()).error_from(problem).render())
            button.primary type="submit" { "Create account" }
        }
        p.switch { "Already have an account? " a href={ "/login" (carry(return_to)) } { "Sign in" } }
    };
    layout::respond_problem(
        problem,
        document(state, "Create your account", None, false, body),
    )
}

pub(super) async fn register_form(
    State(state): State<AppState>,
    Extension(browser): Extension<Browser>,
    headers: HeaderMap,
    query: QueryParams,
) -> Response {
    let params = params(query);
    let return_to = safe_return_to(&state.settings, &headers, params.return_to.as_deref());
    register_page(&state, &browser, "", return_to.as_deref(), None)
}

/// Creates the account with `accounts::register`, then signs in with `accounts::login`.
pub(super) async fn register(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    headers: HeaderMap,
    query: QueryParams,
    body: Bytes,
) -> Response {
    let params = params(query);
    let return_to = safe_return_to(&state.settings, &headers, params.return_to.as_deref());
    let form: LoginForm = match read_form(&state, &body) {
        Ok(form) => form,
        Err(response) => return *response,
    };
    let fail = |problem: Problem| {
        register_page(
            &state,
            &browser,
            form.email.trim(),
            return_to.as_deref(),
            Some(&problem),
        )
    };
    let email =
        Email::parse(&form.email).map_err(|m| Problem::field("email", sentence("The email", m)));
    let password = Password::parse(&form.password)
        .map_err(|m| Problem::field("password", sentence("The password", m)));
    let (email, password) = match (email, password) {
        (Ok(e), Ok(p)) => (e, p),
        (Err(e), Err(p)) => return fail(e.and(p)),
        (Err(p), _) | (_, Err(p)) => return fail(p),
    };
    let Ok(login_password) = Password::for_login(password.expose()) else {
        return fail(Problem::field("password", "The password cannot be used."));
    };
    let login = LoginRequest {
        email: email.clone(),
        password: login_password,
        device_token: cookie(&headers, DEVICE_COOKIE).map(str::to_owned),
    };
    if let Err(e) = accounts::register(&state, &meta, email, password).await {
        let problem = match e {
            Error::EmailTaken => Problem::from_service(e).at("email"),
            e => Problem::from_service(e),
        };
        return fail(problem);
    }
    match accounts::login(&state, &meta, login).await {
        Ok(LoginOutcome::Session(tokens)) => {
            let mut response = see_other(return_to.as_deref().unwrap_or("/account?done=welcome"));
            session_cookies(&state, &tokens, &mut response);
            response
        }
        _ => see_other("/login"),
    }
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
    body: Bytes,
) -> Response {
    let form: PasskeyLoginForm = match read_form(&state, &body) {
        Ok(form) => form,
        Err(response) => return *response,
    };
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

#[derive(Deserialize)]
pub(super) struct PasskeyStepForm {
    #[serde(default)]
    passkey: String,
}

/// The second step answered by a passkey (`passkeys::verify_login`, as verify-mfa).
pub(super) async fn verify_passkey(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    headers: HeaderMap,
    query: QueryParams,
    body: Bytes,
) -> Response {
    let params = params(query);
    let return_to = safe_return_to(&state.settings, &headers, params.return_to.as_deref());
    let form: PasskeyStepForm = match read_form(&state, &body) {
        Ok(form) => form,
        Err(response) => return *response,
    };
    let Some(challenge) = cookie(&headers, CHALLENGE_COOKIE) else {
        return see_other("/login?done=expired");
    };
    let problem = match passkey_answer(&form.passkey) {
        Err(p) => p,
        Ok(answer) => {
            match passkeys::verify_login(&state, &meta, challenge, &answer, false).await {
                Ok(tokens) => return signed_in_to(&state, &tokens, return_to.as_deref()),
                Err(Error::InvalidChallenge | Error::Unauthorized) => {
                    return challenge_expired(&state)
                }
                Err(Error::InvalidCode) => Problem::new(
                    axum::http::StatusCode::UNAUTHORIZED,
                    "That passkey was not accepted.",
                    "Try again, or enter a code from your app.",
                ),
                Err(e) => Problem::from_service(e),
            }
        }
    };
    let passkey = passkeys::mfa_options(&state, challenge).await.ok();
    code_page(
        &state,
        &browser,
        Step::App,
        return_to.as_deref(),
        passkey.as_ref(),
        Some(&problem),
    )
}
