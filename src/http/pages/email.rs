//! The email pages (EMAIL.md): "Forgot your password?", the pages an emailed link opens
//! (each with a button that POSTs, so a mail scanner that fetches the link spends
//! nothing), asking for a new verification link, and the account's address and notice
//! setting. They call `service::email`, like the API.

use axum::extract::{Query, State};
use axum::response::Response;
use axum::Extension;
use maud::{html, Markup};
use serde::Deserialize;

use super::layout::{self, csrf, document, form_alert, Field, Header, Problem};
use super::login::sentence;
use super::navigation::see_other;
use super::{Browser, PageForm, SignedIn};
use crate::domain::email::Email;
use crate::domain::password::Password;
use crate::http::extract::Meta;
use crate::service::error::Error;
use crate::service::{email, AppState};

#[derive(Deserialize, Default)]
pub(super) struct TokenQuery {
    token: Option<String>,
}

type TokenParams = Result<Query<TokenQuery>, axum::extract::rejection::QueryRejection>;

fn token_of(query: TokenParams) -> String {
    query.ok().and_then(|Query(q)| q.token).unwrap_or_default()
}

fn page(state: &AppState, title: &str, problem: Option<&Problem>, body: Markup) -> Response {
    layout::respond_problem(problem, document(state, title, None, false, body))
}

/// "Check your email", whatever happened (nothing tells whether the address has an account).
fn check_email(state: &AppState, what: &str) -> Response {
    page(
        state,
        "Check your email",
        None,
        html! {
            h1 { "Check your email" }
            p.lead { (what) }
            p { "The link works once. No message after a few minutes? Look in your spam folder, "
                "or ask again." }
            p.switch { a href="/login" { "Back to sign in" } }
        },
    )
}

fn forgot_page(
    state: &AppState,
    browser: &Browser,
    address: &str,
    problem: Option<&Problem>,
) -> Response {
    page(
        state,
        "Forgot your password?",
        problem,
        html! {
            h1 { "Forgot your password?" }
            p.lead { "Enter the address of your account. We'll send a link to choose a new password." }
            form method="post" action="/password/forgot" novalidate {
                (csrf(browser))
                (form_alert(problem))
                (Field::new("Email", "email", "email", "username").value(address)
                    .focus(true).error_from(problem).render())
                button.primary type="submit" { "Send the link" }
            }
            p.switch { a href="/login" { "Back to sign in" } }
        },
    )
}

pub(super) async fn forgot_form(
    State(state): State<AppState>,
    Extension(browser): Extension<Browser>,
) -> Response {
    forgot_page(&state, &browser, "", None)
}

#[derive(Deserialize)]
pub(super) struct EmailForm {
    #[serde(default)]
    email: String,
}

/// `email::forgot_password`: the same page for every address.
pub(super) async fn forgot(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    PageForm(form): PageForm<EmailForm>,
) -> Response {
    let address = match Email::parse(&form.email) {
        Ok(address) => address,
        Err(m) => {
            let problem = Problem::field("email", sentence("The email", m));
            return forgot_page(&state, &browser, form.email.trim(), Some(&problem));
        }
    };
    email::forgot_password(&state, &meta, address);
    check_email(
        &state,
        "If an account uses this address, a link to reset its password is on its way.",
    )
}

fn reset_page(
    state: &AppState,
    browser: &Browser,
    token: &str,
    problem: Option<&Problem>,
) -> Response {
    page(
        state,
        "Choose a new password",
        problem,
        html! {
            h1 { "Choose a new password" }
            p.lead { "Every browser and app signed in to your account will be signed out. "
                "Signing in will still ask for your second factor, if you have one." }
            form method="post" action="/password/reset" novalidate {
                (csrf(browser))
                input type="hidden" name="token" value=(token);
                (form_alert(problem))
                (Field::new("New password", "new_password", "password", "new-password")
                    .hint("At least 8 characters. A long phrase is easier to remember and harder to guess.")
                    .focus(true).error_from(problem).render())
                button.primary type="submit" { "Set the password" }
            }
            p.switch { "Lost your authenticator and your recovery codes too? A new password does "
                "not remove the second step: ask your administrator to reset it." }
        },
    )
}

/// The page a reset link opens (nothing is spent until its form is sent).
pub(super) async fn reset_form(
    State(state): State<AppState>,
    Extension(browser): Extension<Browser>,
    query: TokenParams,
) -> Response {
    reset_page(&state, &browser, &token_of(query), None)
}

#[derive(Deserialize)]
pub(super) struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    new_password: String,
}

/// `email::reset_password`; signs nobody in.
pub(super) async fn reset(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    PageForm(form): PageForm<ResetForm>,
) -> Response {
    let fail = |p: Problem| reset_page(&state, &browser, &form.token, Some(&p));
    let password = match Password::parse(&form.new_password) {
        Ok(p) => p,
        Err(m) => {
            return fail(Problem::field(
                "new_password",
                sentence("The new password", m),
            ))
        }
    };
    match email::reset_password(&state, &meta, &form.token, password).await {
        Ok(()) => see_other("/login?done=password_reset"),
        Err(Error::InvalidLink) => link_failed(&state),
        Err(e) => fail(Problem::from_service(e)),
    }
}

/// A link that is used, expired or mangled.
fn link_failed(state: &AppState) -> Response {
    let problem = Problem::from_service(Error::InvalidLink);
    page(
        state,
        "This link does not work",
        Some(&problem),
        html! {
            h1 { "This link does not work" }
            p.lead { (problem.message) }
            div.actions {
                a.button.primary href="/password/forgot" { "Reset the password again" }
                a.button.secondary href="/account" { "Your account" }
            }
        },
    )
}

/// The page a verification or address-change link opens: a button that POSTs.
pub(super) async fn verify_form(
    State(state): State<AppState>,
    Extension(browser): Extension<Browser>,
    query: TokenParams,
) -> Response {
    let token = token_of(query);
    page(
        &state,
        "Confirm your email address",
        None,
        html! {
            h1 { "Confirm your email address" }
            p.lead { "Press the button to confirm that this address is yours." }
            form method="post" action="/email/verify" {
                (csrf(&browser))
                input type="hidden" name="token" value=(token);
                button.primary type="submit" { "Confirm my address" }
            }
        },
    )
}

#[derive(Deserialize)]
pub(super) struct TokenForm {
    #[serde(default)]
    token: String,
}

/// `email::verify`.
pub(super) async fn verify(
    State(state): State<AppState>,
    Meta(meta): Meta,
    PageForm(form): PageForm<TokenForm>,
) -> Response {
    match email::verify(&state, &meta, &form.token).await {
        Ok(done) => page(
            &state,
            "Address confirmed",
            None,
            html! {
                h1 { "Address confirmed" }
                p.lead data-testid="email-verified" {
                    @if done.changed { "Your account now uses " strong { (done.email) } "." }
                    @else { strong { (done.email) } " is confirmed. Thank you." }
                }
                div.actions { a.button.primary href="/account" { "Go to your account" } }
            },
        ),
        Err(Error::InvalidLink) => link_failed(&state),
        Err(e) => layout::problem_page(&state, &Problem::from_service(e)),
    }
}

/// What the sign-in page shows when `require_verified_email` refuses an unproven address:
/// a way to get a new link (the same answer for any address).
pub(super) fn unverified(state: &AppState, browser: &Browser, address: &str) -> Response {
    let problem = Problem::from_service(Error::EmailNotVerified);
    page(
        state,
        "Confirm your email address",
        Some(&problem),
        html! {
            h1 { "Confirm your email address first" }
            p.lead { "Open the link we sent to your address, then sign in again." }
            form method="post" action="/email/resend" {
                (csrf(browser))
                input type="hidden" name="email" value=(address);
                button.primary type="submit" { "Send a new link" }
            }
            p.switch { a href="/login" { "Back to sign in" } }
        },
    )
}

/// A new verification link for an address, without signing in (the same page whatever
/// the address).
pub(super) async fn resend_to(
    State(state): State<AppState>,
    Meta(meta): Meta,
    PageForm(form): PageForm<EmailForm>,
) -> Response {
    if let Ok(address) = Email::parse(&form.email) {
        email::resend_verification_to(&state, &meta, address);
    }
    check_email(
        &state,
        "If this address has an account still to be confirmed, a new link is on its way.",
    )
}

/// The account's email card: the address, whether it is proven, and the notice setting.
pub(super) fn section(
    browser: &Browser,
    address: &str,
    verified: bool,
    notify_new_browser: bool,
) -> Markup {
    html! {
        section.card aria-labelledby="email-heading" {
            div.row {
                h2 #email-heading { "Email" }
                span.badge .on[verified] .off[!verified] { span.visually-hidden { "Status: " }
                    span data-testid="email-status" { (if verified { "confirmed" } else { "not confirmed" }) } }
            }
            p.email-address { (address) }
            div.actions {
                @if !verified {
                    form method="post" action="/account/email/resend" {
                        (csrf(browser))
                        button.secondary type="submit" { "Send a new confirmation link" }
                    }
                }
                a.button.secondary href="/account/email" { "Change email address" }
            }
            form.notices method="post" action="/account/notices" {
                (csrf(browser))
                div.check {
                    input #notify_new_browser type="checkbox" name="new_browser" value="on" checked[notify_new_browser];
                    label for="notify_new_browser" {
                        "Email me when my account is signed in to from a new browser"
                        span.hint.block-hint { "Messages about password, address and sign-in method changes always go." }
                    }
                }
                button.secondary type="submit" { "Save" }
            }
        }
    }
}

/// `email::resend_verification` for the person signed in.
pub(super) async fn resend(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(SignedIn(claims)): Extension<SignedIn>,
) -> Response {
    match email::resend_verification(&state, &meta, &claims).await {
        Ok(_) | Err(Error::EmailAlreadyVerified) => see_other("/account?done=email_sent"),
        Err(e) => layout::problem_page(&state, &Problem::from_service(e)),
    }
}

#[derive(Deserialize)]
pub(super) struct NoticesForm {
    new_browser: Option<String>,
}

/// `email::set_new_browser_notice`.
pub(super) async fn notices(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(SignedIn(claims)): Extension<SignedIn>,
    PageForm(form): PageForm<NoticesForm>,
) -> Response {
    let on = form.new_browser.as_deref() == Some("on");
    match email::set_new_browser_notice(&state, &meta, &claims, on).await {
        Ok(()) => see_other("/account?done=notices"),
        Err(e) => layout::problem_page(&state, &Problem::from_service(e)),
    }
}

fn change_page(
    state: &AppState,
    browser: &Browser,
    current: &str,
    new: &str,
    problem: Option<&Problem>,
) -> Response {
    let body = html! {
        p.back { a href="/account" { "← Your account" } }
        h1 { "Change email address" }
        p.lead { "We'll send a link to the new address. Until you open it, your account keeps "
            (current) ", which will be told of the change." }
        form method="post" action="/account/email" novalidate {
            (csrf(browser))
            (form_alert(problem))
            (Field::new("New email address", "new_email", "email", "email").value(new)
                .focus(true).error_from(problem).render())
            button.primary type="submit" { "Send the link" }
        }
    };
    let header = Header {
        email: current,
        csrf_token: &browser.csrf_token,
    };
    layout::respond_problem(
        problem,
        document(state, "Change email address", Some(header), false, body),
    )
}

/// The address change form (after a recent proof).
pub(super) async fn change_form(
    State(state): State<AppState>,
    Extension(browser): Extension<Browser>,
    Extension(SignedIn(claims)): Extension<SignedIn>,
) -> Response {
    if let Some(refused) = super::stepup::gate(&state, &claims, "/account/email").await {
        return refused;
    }
    let current = super::account::email_of(&state, &claims.sub).await;
    change_page(&state, &browser, &current, "", None)
}

#[derive(Deserialize)]
pub(super) struct ChangeForm {
    #[serde(default)]
    new_email: String,
}

/// `email::request_change`.
pub(super) async fn change(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    Extension(SignedIn(claims)): Extension<SignedIn>,
    PageForm(form): PageForm<ChangeForm>,
) -> Response {
    let current = super::account::email_of(&state, &claims.sub).await;
    let fail =
        |p: Problem| change_page(&state, &browser, &current, form.new_email.trim(), Some(&p));
    let address = match Email::parse(&form.new_email) {
        Ok(address) => address,
        Err(m) => return fail(Problem::field("new_email", sentence("The email", m))),
    };
    match email::request_change(&state, &meta, &claims, address).await {
        Ok(_) => see_other("/account?done=email_change"),
        Err(Error::StepUpRequired { .. }) => super::stepup::required("/account/email"),
        Err(e @ (Error::EmailTaken | Error::InvalidInput { .. })) => {
            fail(Problem::from_service(e).at("new_email"))
        }
        Err(e) => fail(Problem::from_service(e)),
    }
}
