//! "Confirm it's you": the step-up page in front of the sensitive pages (MFA setup,
//! password change) once the session's last proof is older than `step_up_seconds`. Over
//! `service::stepup`, like `POST /auth/step-up`.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use maud::html;
use serde::Deserialize;

use super::account::email_of;
use super::factors::{passkey_answer, PasskeyForm};
use super::layout::{self, csrf, document, form_alert, Field, Header, Problem};
use super::login::sentence;
use super::navigation::{carry, encode, safe_return_to, see_other, HOME};
use super::{session_cookies, Browser, PageForm, SignedIn};
use crate::crypto::jwt::Claims;
use crate::domain::codes::MfaCode;
use crate::domain::password::Password;
use crate::http::extract::Meta;
use crate::service::error::Error;
use crate::service::stepup::{self, Proof};
use crate::service::{passkeys, AppState};

/// To the step-up page, then back to `back`.
pub(super) fn required(back: &str) -> Response {
    see_other(&format!("/account/step-up?return_to={}", encode(back)))
}

/// Before showing a form whose action needs a recent proof: `None` when the session's
/// proof is recent, else the answer (to the step-up page and back to `back`, or the error).
pub(super) async fn gate(state: &AppState, claims: &Claims, back: &str) -> Option<Response> {
    match stepup::require_recent(state, claims).await {
        Ok(()) => None,
        Err(Error::StepUpRequired { .. }) => Some(required(back)),
        Err(e) => Some(layout::problem_page(state, &Problem::from_service(e))),
    }
}

#[derive(Deserialize, Default)]
pub(super) struct Params {
    return_to: Option<String>,
}

async fn page(
    state: &AppState,
    browser: &Browser,
    claims: &Claims,
    mfa_on: bool,
    return_to: Option<&str>,
    problem: Option<&Problem>,
) -> Response {
    let user_id = claims.sub.as_str();
    // A person with a passkey can step up with it (options bound to this session).
    let passkey = if mfa_on {
        passkeys::step_up_options(state, claims).await.ok()
    } else {
        None
    };
    let field = if mfa_on {
        Field::code("Code from your app, or a recovery code", false)
    } else {
        Field::new("Password", "password", "password", "current-password")
    };
    let body = html! {
        p.back { a href="/account" { "← Your account" } }
        h1 { "Confirm it's you" }
        p.lead { "This change needs a recent sign-in. "
            (if mfa_on { "Enter a code from your authenticator app." } else { "Enter your password." }) }
        @if let Some(options) = &passkey {
            (PasskeyForm {
                action: &format!("/account/step-up{}", carry(return_to)),
                mode: "get",
                options: Some(options),
                options_url: None,
                label: "Use your passkey",
                secondary: false,
            }.render(browser, html! {}))
        }
        form method="post" action={ "/account/step-up" (carry(return_to)) } novalidate {
            (csrf(browser))
            (form_alert(problem))
            (field.focus(true).error_from(problem).render())
            button.primary type="submit" { "Continue" }
        }
    };
    let email = email_of(state, user_id).await;
    let header = Header {
        email: &email,
        csrf_token: &browser.csrf_token,
    };
    layout::respond_problem(
        problem,
        document(state, "Confirm it's you", Some(header), false, body),
    )
}

pub(super) async fn form(
    State(state): State<AppState>,
    Extension(browser): Extension<Browser>,
    Extension(SignedIn(claims)): Extension<SignedIn>,
    headers: HeaderMap,
    query: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let params = query.map(|Query(p)| p).unwrap_or_default();
    let return_to = safe_return_to(&state.settings, &headers, params.return_to.as_deref());
    match stepup::methods(&state, &claims.sub).await {
        Ok(methods) => {
            let mfa_on = !methods.contains(&"password");
            page(
                &state,
                &browser,
                &claims,
                mfa_on,
                return_to.as_deref(),
                None,
            )
            .await
        }
        Err(e) => layout::problem_page(&state, &Problem::from_service(e)),
    }
}

#[derive(Deserialize)]
pub(super) struct StepUpForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
    /// The answer of the passkey form.
    #[serde(default)]
    passkey: String,
}

pub(super) async fn submit(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    Extension(SignedIn(claims)): Extension<SignedIn>,
    headers: HeaderMap,
    query: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
    PageForm(form): PageForm<StepUpForm>,
) -> Response {
    let params = query.map(|Query(p)| p).unwrap_or_default();
    let return_to = safe_return_to(&state.settings, &headers, params.return_to.as_deref());
    let mfa_on = match stepup::methods(&state, &claims.sub).await {
        Ok(methods) => !methods.contains(&"password"),
        Err(e) => return layout::problem_page(&state, &Problem::from_service(e)),
    };
    let (field, proof) = if mfa_on && !form.passkey.is_empty() {
        match passkey_answer(&form.passkey) {
            Ok(answer) => ("code", Ok(Proof::Passkey(answer))),
            Err(problem) => {
                return page(
                    &state,
                    &browser,
                    &claims,
                    mfa_on,
                    return_to.as_deref(),
                    Some(&problem),
                )
                .await
            }
        }
    } else if mfa_on {
        ("code", MfaCode::parse(&form.code).map(Proof::Code))
    } else {
        (
            "password",
            Password::for_login(&form.password).map(Proof::Password),
        )
    };
    let problem = match proof {
        Err(m) => {
            let subject = if mfa_on { "The code" } else { "The password" };
            Problem::field(field, sentence(subject, m))
        }
        Ok(proof) => match stepup::step_up(&state, &meta, &claims, proof).await {
            Ok(tokens) => {
                let mut response = see_other(return_to.as_deref().unwrap_or(HOME));
                session_cookies(&state, &tokens, &mut response);
                return response;
            }
            Err(e @ (Error::InvalidCode | Error::InvalidCredentials)) => {
                Problem::from_service(e).at(field)
            }
            Err(e) => Problem::from_service(e),
        },
    };
    page(
        &state,
        &browser,
        &claims,
        mfa_on,
        return_to.as_deref(),
        Some(&problem),
    )
    .await
}
