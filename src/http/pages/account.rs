//! The account overview (MFA state, sessions, recent activity), ending a session, and
//! changing the password.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use maud::html;
use serde::Deserialize;

use super::activity;
use super::layout::{self, csrf, document, form_alert, notice, Field, Header, Problem};
use super::login::sentence;
use super::navigation::{see_other, to_login};
use super::{Browser, PageForm, SignedIn};
use crate::domain::password::Password;
use crate::http::extract::{cookie, Meta, DEVICE_COOKIE};
use crate::service::accounts::{self, PasswordChange};
use crate::service::error::Error;
use crate::service::profile::{self, Overview};
use crate::service::{sessions, AppState};

/// How many events the overview shows.
const RECENT_EVENTS: i64 = 12;

#[derive(Deserialize, Default)]
pub(super) struct Done {
    done: Option<String>,
}

/// The message of a `?done=` value (a fixed list: nothing is reflected).
fn done_message(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "welcome" => "Your account is ready. Turn on two-factor authentication to protect it.",
        "mfa_off" => {
            "Two-factor authentication is off. Your account is protected by your password only."
        }
        "mfa_on" => "Two-factor authentication is on.",
        "password" => "Your password was changed. Other sessions were signed out.",
        "session_revoked" => "That session was signed out.",
        "untrusted" => "That browser will be asked for a code at its next sign-in.",
        "factor_added" => "Your new sign-in method is ready.",
        "factor_renamed" => "Renamed.",
        "email_sent" => "A new confirmation link is on its way to your address.",
        "email_change" => {
            "A link is on its way to the new address. Your address changes when you open it."
        }
        "notices" => "Your email settings are saved.",
        "app_removed" => "That app no longer has access. It is signed out.",
        "factor_removed" => {
            "That sign-in method was removed. Trusted browsers will be asked for a code again."
        }
        _ => return None,
    })
}

pub(super) async fn overview(
    State(state): State<AppState>,
    Extension(browser): Extension<Browser>,
    Extension(SignedIn(claims)): Extension<SignedIn>,
    query: Result<Query<Done>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let done = query.map(|Query(d)| d).unwrap_or_default();
    let Overview {
        account,
        mfa: status,
        sessions,
        trusted,
        events,
        factors,
    } = match profile::overview(&state, &claims, RECENT_EVENTS).await {
        Ok(Some(overview)) => overview,
        Ok(None) => return to_login(None),
        Err(e) => return layout::problem_page(&state, &Problem::from_service(e)),
    };
    let on = status.enabled;
    let apps = if state.settings.oidc {
        Some(
            crate::service::oidc::grants::list(&state, &claims)
                .await
                .unwrap_or_default(),
        )
    } else {
        None
    };
    let body = html! {
        section.card.intro {
            h1 { "Your account" }
            p.lead { (account.email) }
            (notice(done_message(done.done.as_deref())))
        }
        section.card aria-labelledby="mfa-heading" {
            div.row {
                h2 #mfa-heading { "Two-factor authentication" }
                span.badge .on[on] .off[!on] { span.visually-hidden { "Status: " }
                    span data-testid="mfa-status" { (if on { "on" } else { "off" }) } }
            }
            @if on {
                p {
                    @if status.passkey_factors > 0 && status.totp_factors > 0 {
                        "Signing in needs your password and a passkey or a code from your app, or a passkey alone"
                    } @else if status.passkey_factors > 0 {
                        "Signing in needs your password and your passkey, or your passkey alone"
                    } @else {
                        "Signing in needs your password and a code from "
                        strong { (status.device_name.as_deref().filter(|d| !d.is_empty()).unwrap_or("your authenticator app")) }
                    }
                    @if let Some(at) = status.enabled_at { ", since " (activity::when(at)) }
                    "."
                }
                p .warn[status.recovery_codes_remaining <= 3] {
                    (status.recovery_codes_remaining) " of 10 recovery codes left."
                    @if status.recovery_codes_remaining <= 3 { " Make new ones soon." }
                }
                div.actions {
                    a.button.secondary href="/account/mfa/recovery-codes" { "Make new recovery codes" }
                    a.button.danger-outline href="/account/mfa/disable" { "Turn off" }
                }
            } @else {
                p { "Add a second step to signing in: a code from an authenticator app on your phone. "
                    "Even someone who learns your password cannot get in without it." }
                div.actions { a.button.primary href="/account/mfa/setup" { "Turn on two-factor authentication" } }
            }
        }
        (super::factors::section(&browser, &factors, on))
        (super::email::section(&browser, &account.email, account.email_verified, account.notify_new_browser))
        @if let Some(apps) = &apps { (super::oidc::apps_section(&browser, apps)) }
        section.card aria-labelledby="password-heading" {
            div.row {
                h2 #password-heading { "Password" }
                a.button.secondary href="/account/password" { "Change password" }
            }
        }
        section.card aria-labelledby="sessions-heading" {
            h2 #sessions-heading { "Where you're signed in" }
            ul.sessions {
                @for s in &sessions {
                    li {
                        div.session-info {
                            strong { (activity::device(s.user_agent.as_deref())) }
                            @if s.current { " " span.tag { "This browser" } }
                            span.meta {
                                (s.ip.as_deref().unwrap_or("unknown address"))
                                " · signed in " (activity::when(s.created_at))
                                " · last active " (activity::when(s.last_used_at))
                            }
                        }
                        @if s.current {
                            form method="post" action="/logout" {
                                (csrf(&browser))
                                button.secondary.small type="submit" { "Sign out" }
                            }
                        } @else {
                            form method="post" action={ "/account/sessions/" (s.id) "/revoke" } {
                                (csrf(&browser))
                                button.danger-outline.small type="submit"
                                    data-testid="revoke-session"
                                    aria-label={ "Sign out " (activity::device(s.user_agent.as_deref())) " at " (s.ip.as_deref().unwrap_or("unknown address")) } { "Sign out" }
                            }
                        }
                    }
                }
            }
        }
        @if !trusted.is_empty() {
            section.card aria-labelledby="trusted-heading" {
                h2 #trusted-heading { "Trusted browsers" }
                p.hint { "These browsers skip the code from your app when you sign in with your password." }
                ul.sessions {
                    @for d in &trusted {
                        li {
                            div.session-info {
                                strong { "Trusted since " (activity::when(d.created_at)) }
                                span.meta { "until " (activity::when(d.trusted_until)) }
                            }
                            form method="post" action={ "/account/devices/" (d.id) "/untrust" } {
                                (csrf(&browser))
                                button.danger-outline.small type="submit" data-testid="untrust-device" { "Stop trusting" }
                            }
                        }
                    }
                }
            }
        }
        section.card aria-labelledby="activity-heading" {
            h2 #activity-heading { "Recent security activity" }
            ol.activity {
                @for e in &events {
                    @if let Some(text) = activity::sentence(e) {
                        li {
                            span.what { (text) }
                            span.meta { (activity::when(e.at))
                                @if let Some(ip) = &e.ip { " · " (ip) } }
                        }
                    }
                }
            }
        }
    };
    let header = Header {
        email: &account.email,
        csrf_token: &browser.csrf_token,
    };
    layout::respond(
        axum::http::StatusCode::OK,
        None,
        document(&state, "Your account", Some(header), true, body),
    )
}

/// Stops trusting one of the person's browsers (`sessions::end_device_trust`; after a
/// step-up when the session is not recent).
pub(super) async fn untrust_device(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(SignedIn(claims)): Extension<SignedIn>,
    Path(id): Path<String>,
) -> Response {
    match sessions::end_device_trust(&state, &meta, &claims, &id).await {
        Ok(()) | Err(Error::NotFound) => see_other("/account?done=untrusted"),
        Err(Error::StepUpRequired { .. }) => super::stepup::required("/account"),
        Err(e) => layout::problem_page(&state, &Problem::from_service(e)),
    }
}

/// Signs out one of the person's sessions (`sessions::revoke`; another one than this needs
/// a step-up when the session is not recent).
pub(super) async fn revoke_session(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(SignedIn(claims)): Extension<SignedIn>,
    Path(id): Path<String>,
) -> Response {
    match sessions::revoke(&state, &meta, &claims, &id).await {
        Ok(()) if id == claims.sid => {
            let mut response = see_other("/login?done=signed_out");
            super::clear_session_cookies(&state, &mut response);
            response
        }
        // Already gone: the list the person saw was out of date; show the fresh one.
        Ok(()) | Err(Error::NotFound) => see_other("/account?done=session_revoked"),
        Err(Error::StepUpRequired { .. }) => super::stepup::required("/account"),
        Err(e) => layout::problem_page(&state, &Problem::from_service(e)),
    }
}

fn password_page(
    state: &AppState,
    browser: &Browser,
    email: &str,
    problem: Option<&Problem>,
) -> Response {
    let body = html! {
        p.back { a href="/account" { "← Your account" } }
        h1 { "Change password" }
        p.lead { "Other browsers and apps signed in to your account will be signed out." }
        form method="post" action="/account/password" novalidate {
            (csrf(browser))
            input type="hidden" name="email" value=(email) autocomplete="username";
            (form_alert(problem))
            (Field::new("Current password", "current_password", "password", "current-password")
                .focus(problem.is_none()).error_from(problem).render())
            (Field::new("New password", "new_password", "password", "new-password")
                .hint("At least 8 characters.").error_from(problem).render())
            button.primary type="submit" { "Change password" }
        }
    };
    let header = Header {
        email,
        csrf_token: &browser.csrf_token,
    };
    layout::respond_problem(
        problem,
        document(state, "Change password", Some(header), false, body),
    )
}

pub(super) async fn password_form(
    State(state): State<AppState>,
    Extension(browser): Extension<Browser>,
    Extension(SignedIn(claims)): Extension<SignedIn>,
) -> Response {
    if let Some(refused) = super::stepup::gate(&state, &claims, "/account/password").await {
        return refused;
    }
    let email = email_of(&state, &claims.sub).await;
    password_page(&state, &browser, &email, None)
}

/// The signed-in person's email, for headers (empty if it cannot be read now).
pub(super) async fn email_of(state: &AppState, user_id: &str) -> String {
    match profile::account(state, user_id).await {
        Ok(account) => account.email,
        Err(_) => String::new(),
    }
}

#[derive(Deserialize)]
pub(super) struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

/// `accounts::change_password`, with the browser's device token like the API.
pub(super) async fn change_password(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    Extension(SignedIn(claims)): Extension<SignedIn>,
    headers: HeaderMap,
    PageForm(form): PageForm<PasswordForm>,
) -> Response {
    let email = email_of(&state, &claims.sub).await;
    let fail = |p: Problem| password_page(&state, &browser, &email, Some(&p));
    let current = match Password::for_login(&form.current_password) {
        Ok(p) => p,
        Err(m) => {
            return fail(Problem::field(
                "current_password",
                sentence("The current password", m),
            ))
        }
    };
    let new = match Password::parse(&form.new_password) {
        Ok(p) => p,
        Err(m) => {
            return fail(Problem::field(
                "new_password",
                sentence("The new password", m),
            ))
        }
    };
    let change = PasswordChange {
        current,
        new,
        device_token: cookie(&headers, DEVICE_COOKIE).map(str::to_owned),
    };
    match accounts::change_password(&state, &meta, &claims, change).await {
        Ok(()) => see_other("/account?done=password"),
        Err(Error::StepUpRequired { .. }) => super::stepup::required("/account/password"),
        Err(Error::InvalidCredentials) => fail(
            Problem::from_service(Error::InvalidCredentials)
                .with_message("The current password is not right.")
                .at("current_password"),
        ),
        Err(e) => fail(Problem::from_service(e)),
    }
}
