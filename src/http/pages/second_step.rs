//! The second step of signing in: a code from the app, a recovery code, or a passkey,
//! answering the challenge the password step left in its cookie.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use maud::html;
use serde::Deserialize;

use super::factors::{passkey_answer, PasskeyForm};
use super::layout::{self, csrf, document, form_alert, Field, Problem};
use super::login::{params, sentence, signed_in_to, QueryParams, CHALLENGE_COOKIE};
use super::navigation::{carry, safe_return_to, see_other};
use super::{append_cookie, Browser, PageForm};
use crate::domain::codes::{MfaCode, RecoveryCode, TotpCode};
use crate::http::extract::{cookie, Meta};
use crate::http::set_cookie;
use crate::service::error::Error;
use crate::service::{mfa, passkeys, AppState};

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
            .hint("One of the codes you saved when you turned on two-factor authentication. Each works once.")};
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
                secondary: false}.render(browser, html! {}))
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
                a href={ "/login/mfa" (carry(return_to)) } { "Use a code from your app instead" } }}
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
    form: CodeForm,
    step: Step,
) -> Response {
    let params = params(query);
    let return_to = safe_return_to(&state.settings, &headers, params.return_to.as_deref());
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
    PageForm(form): PageForm<CodeForm>,
) -> Response {
    second_step(state, meta, browser, headers, query, form, Step::App).await
}

pub(super) async fn verify_recovery(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    headers: HeaderMap,
    query: QueryParams,
    PageForm(form): PageForm<CodeForm>,
) -> Response {
    second_step(state, meta, browser, headers, query, form, Step::Recovery).await
}

/// The second step answered by a passkey (`passkeys::verify_login`, as verify-mfa).
pub(super) async fn verify_passkey(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    headers: HeaderMap,
    query: QueryParams,
    PageForm(form): PageForm<PasskeyStepForm>,
) -> Response {
    let params = params(query);
    let return_to = safe_return_to(&state.settings, &headers, params.return_to.as_deref());
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

#[derive(Deserialize)]
pub(super) struct PasskeyStepForm {
    #[serde(default)]
    passkey: String,
}
