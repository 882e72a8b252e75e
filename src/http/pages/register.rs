//! Creating an account from the sign-up page.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use maud::{html, Markup};

use super::layout::{self, csrf, document, form_alert, Field, Problem};
use super::login::{params, sentence, LoginForm, QueryParams};
use super::navigation::{carry, safe_return_to, see_other};
use super::{session_cookies, Browser, PageForm};
use crate::domain::email::Email;
use crate::domain::password::Password;
use crate::http::extract::{cookie, Meta, DEVICE_COOKIE};
use crate::service::accounts::{self, LoginOutcome, LoginRequest};
use crate::service::error::Error;
use crate::service::AppState;

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
    PageForm(form): PageForm<LoginForm>,
) -> Response {
    let params = params(query);
    let return_to = safe_return_to(&state.settings, &headers, params.return_to.as_deref());
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
