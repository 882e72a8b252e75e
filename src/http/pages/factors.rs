//! Sign-in methods (FACTORS.md) on the pages: the list on the account page, adding a
//! passkey or another authenticator app, renaming and removing (each after a step-up),
//! over `service::factors` and `service::passkeys` like the API. Passkeys need
//! JavaScript (WebAuthn is a browser API): their forms stay hidden until `pages.js`
//! shows them, and post the browser's answer as JSON in a hidden field.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::Value;

use super::activity;
use super::layout::{self, csrf, form_alert, Field, Problem};
use super::login::sentence;
use super::mfa::{account_page, codes_page, scan_step};
use super::navigation::see_other;
use super::{Browser, PageForm, SignedIn};
use crate::crypto::jwt::Claims;
use crate::domain::codes::TotpCode;
use crate::http::extract::Meta;
use crate::service::error::Error;
use crate::service::factors::{self, Factor, PendingTotp};
use crate::service::{passkeys, profile, AppState};

/// A form answered by a passkey: hidden until `pages.js` shows it (when the browser has
/// WebAuthn); it runs `navigator.credentials.create` (`mode` "create") or `.get` with
/// `options` (or those fetched from `options_url`) and posts the answer as `passkey`.
pub(super) struct PasskeyForm<'a> {
    pub action: &'a str,
    pub mode: &'static str,
    pub options: Option<&'a Value>,
    pub options_url: Option<&'a str>,
    pub label: &'a str,
    pub secondary: bool,
}

impl PasskeyForm<'_> {
    pub fn render(&self, browser: &Browser, extra: Markup) -> Markup {
        html! {
            form.passkey method="post" action=(self.action) data-passkey=(self.mode)
                data-options=[self.options.map(|o| o.to_string())]
                data-options-url=[self.options_url] hidden {
                (csrf(browser))
                input type="hidden" name="passkey" value="";
                (extra)
                button.block .primary[!self.secondary] .secondary[self.secondary] type="submit"
                    data-testid="passkey-button" { (self.label) }
                p.field-error.passkey-error role="alert" aria-live="polite" {}
            }
        }
    }
}

/// The answer of a passkey form, parsed; a problem when it is missing or not JSON.
pub(super) fn passkey_answer(raw: &str) -> Result<Value, Problem> {
    serde_json::from_str::<Value>(raw)
        .ok()
        .filter(Value::is_object)
        .ok_or_else(|| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "Your passkey was not used.",
                "Try again, or use another way to sign in.",
            )
        })
}

fn kind_label(f: &Factor) -> &'static str {
    if f.kind == "passkey" {
        "Passkey"
    } else {
        "Authenticator app"
    }
}

/// The "Sign-in methods" card of the account page.
pub(super) fn section(browser: &Browser, factors: &[Factor], mfa_on: bool) -> Markup {
    html! {
        section.card aria-labelledby="factors-heading" {
            h2 #factors-heading { "Sign-in methods" }
            @if factors.is_empty() {
                p.hint { "No authenticator app or passkey yet." }
            }
            ul.sessions data-testid="factors" {
                @for f in factors {
                    li data-testid="factor" data-factor-type=(f.kind) {
                        div.session-info {
                            strong data-testid="factor-name" { (f.name.as_deref().filter(|n| !n.is_empty()).unwrap_or(kind_label(f))) }
                            " " span.tag { (kind_label(f)) }
                            span.meta { "added " (activity::when(f.created_at))
                                " · " @match f.last_used_at { Some(at) => { "last used " (activity::when(at)) }, None => "never used" } }
                            form.inline method="post" action={ "/account/factors/" (f.id) "/rename" } {
                                (csrf(browser))
                                label.visually-hidden for={ "name-" (f.id) } { "New name" }
                                input id={ "name-" (f.id) } type="text" name="name" maxlength="64"
                                    value=[f.name.as_deref()] placeholder="Name";
                                button.secondary.small type="submit" { "Rename" }
                            }
                        }
                        form method="post" action={ "/account/factors/" (f.id) "/remove" } {
                            (csrf(browser))
                            button.danger-outline.small type="submit" data-testid="remove-factor"
                                aria-label={ "Remove " (f.name.as_deref().unwrap_or(kind_label(f))) } { "Remove" }
                        }
                    }
                }
            }
            div.actions {
                a.button.secondary href="/account/passkeys/add" data-testid="add-passkey" { "Add a passkey" }
                @if mfa_on {
                    (start_totp_form(browser, true))
                }
            }
        }
    }
}

async fn add_passkey_page(
    state: &AppState,
    browser: &Browser,
    caller: &Claims,
    problem: Option<&Problem>,
) -> Response {
    let ceremony = match passkeys::register_start(state, caller, None).await {
        Ok(c) => c,
        Err(Error::StepUpRequired { .. }) => {
            return super::stepup::required("/account/passkeys/add")
        }
        Err(e) => return layout::problem_page(state, &Problem::from_service(e)),
    };
    let form = PasskeyForm {
        action: "/account/passkeys/add",
        mode: "create",
        options: Some(&ceremony.public_key),
        options_url: None,
        label: "Create a passkey",
        secondary: false,
    };
    let body = html! {
        p.back { a href="/account" { "← Your account" } }
        h1 { "Add a passkey" }
        p.lead { "A passkey signs you in with your fingerprint, face or screen lock, or a security key. Nothing to type, and it cannot be phished." }
        (form_alert(problem))
        noscript { p.callout { "Passkeys need JavaScript: turn it on for this page, or add an authenticator app instead." } }
        (form.render(browser, html! {
            input type="hidden" name="registration_id" value=(ceremony.token);
            (Field::new("Name (optional)", "name", "text", "off")
                .hint("So you can tell your passkeys apart, e.g. “MacBook Touch ID”.")
                .optional().error_from(problem).render())
        }))
    };
    account_page(state, browser, &caller.sub, "Add a passkey", problem, body).await
}

pub(super) async fn add_passkey_form(
    State(state): State<AppState>,
    Extension(browser): Extension<Browser>,
    Extension(SignedIn(claims)): Extension<SignedIn>,
) -> Response {
    add_passkey_page(&state, &browser, &claims, None).await
}

#[derive(Deserialize)]
pub(super) struct AddPasskeyForm {
    #[serde(default)]
    registration_id: String,
    #[serde(default)]
    passkey: String,
    #[serde(default)]
    name: String,
}

pub(super) async fn add_passkey(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    Extension(SignedIn(claims)): Extension<SignedIn>,
    PageForm(form): PageForm<AddPasskeyForm>,
) -> Response {
    let name = match Problem::name("name", "The name", &form.name) {
        Ok(name) => name,
        Err(p) => return add_passkey_page(&state, &browser, &claims, Some(&p)).await,
    };
    let credential = match passkey_answer(&form.passkey) {
        Ok(c) => c,
        Err(p) => return add_passkey_page(&state, &browser, &claims, Some(&p)).await,
    };
    match passkeys::register_finish(
        &state,
        &meta,
        &claims,
        form.registration_id.trim(),
        &credential,
        name,
    )
    .await
    {
        Ok(registered) => match registered.recovery_codes {
            Some(codes) => {
                codes_page(
                    &state,
                    &browser,
                    &claims.sub,
                    "Save your recovery codes",
                    &codes,
                    None,
                )
                .await
            }
            None => see_other("/account?done=factor_added"),
        },
        Err(Error::InvalidCredential) => {
            let p = Problem::new(
                StatusCode::BAD_REQUEST,
                "That passkey could not be added.",
                "Try again; if it keeps failing, use another authenticator.",
            );
            add_passkey_page(&state, &browser, &claims, Some(&p)).await
        }
        Err(e) => layout::problem_page(&state, &Problem::from_service(e)),
    }
}

/// The form that starts adding an authenticator app: a post, so that a link from another
/// site cannot replace the enrollment being scanned.
fn start_totp_form(browser: &Browser, secondary: bool) -> Markup {
    html! {
        form method="post" action="/account/factors/totp/start" {
            (csrf(browser))
            button .secondary[secondary] .primary[!secondary] type="submit"
                data-testid="add-authenticator" { "Add an authenticator app" }
        }
    }
}

/// The page of an authenticator app being added: its QR code and the code field.
async fn add_totp_page(
    state: &AppState,
    browser: &Browser,
    caller: &Claims,
    pending: Result<PendingTotp, Error>,
    problem: Option<&Problem>,
) -> Response {
    let pending = match pending {
        Ok(p) => p,
        Err(Error::StepUpRequired { .. }) => {
            return super::stepup::required("/account/factors/totp")
        }
        Err(Error::MfaNotEnabled) => return see_other("/account/mfa/setup"),
        Err(e) => return layout::problem_page(state, &Problem::from_service(e)),
    };
    let setup = &pending.setup;
    let body = html! {
        p.back { a href="/account" { "← Your account" } }
        h1 { "Add an authenticator app" }
        p.lead { "A second app (on another phone, say) lets you sign in if you lose the first." }
        form method="post" action="/account/factors/totp" novalidate {
            (csrf(browser))
            input type="hidden" name="factor_id" value=(pending.factor_id);
            (form_alert(problem))
            ol.steps {
                (scan_step(setup))
                li {
                    h2 { "Name it (optional)" }
                    (Field::new("Name", "name", "text", "off").optional().error_from(problem).render())
                }
                li {
                    h2 { "Enter the code the app shows" }
                    (Field::code("6-digit code", true).focus(problem.is_some()).error_from(problem).render())
                }
            }
            button.primary type="submit" { "Add" }
        }
    };
    account_page(
        state,
        browser,
        &caller.sub,
        "Add an authenticator app",
        problem,
        body,
    )
    .await
}

/// `GET /account/factors/totp` changes nothing: it shows the enrollment in progress, or
/// the button that starts one.
pub(super) async fn add_totp_form(
    State(state): State<AppState>,
    Extension(browser): Extension<Browser>,
    Extension(SignedIn(claims)): Extension<SignedIn>,
) -> Response {
    match profile::pending_totp(&state, &claims).await {
        Ok(Some(pending)) => add_totp_page(&state, &browser, &claims, Ok(pending), None).await,
        Ok(None) => {
            let body = html! {
                p.back { a href="/account" { "← Your account" } }
                h1 { "Add an authenticator app" }
                p.lead { "A second app (on another phone, say) lets you sign in if you lose the first." }
                (start_totp_form(&browser, false))
            };
            account_page(
                &state,
                &browser,
                &claims.sub,
                "Add an authenticator app",
                None,
                body,
            )
            .await
        }
        Err(e) => layout::problem_page(&state, &Problem::from_service(e)),
    }
}

/// `POST /account/factors/totp/start`: a new enrollment (replacing a pending one), then
/// its page.
pub(super) async fn start_totp(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    Extension(SignedIn(claims)): Extension<SignedIn>,
) -> Response {
    match factors::add_totp(&state, &meta, &claims, None).await {
        Ok(_) => see_other("/account/factors/totp"),
        Err(e) => add_totp_page(&state, &browser, &claims, Err(e), None).await,
    }
}

#[derive(Deserialize)]
pub(super) struct AddTotpForm {
    #[serde(default)]
    factor_id: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
}

pub(super) async fn add_totp(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    Extension(SignedIn(claims)): Extension<SignedIn>,
    PageForm(form): PageForm<AddTotpForm>,
) -> Response {
    let id = form.factor_id.trim();
    // The same enrollment again, or (this is a post of this browser) a new one when it
    // has expired.
    let again = |p: Problem| {
        let (state, meta, browser, claims) = (&state, &meta, &browser, &claims);
        async move {
            let pending = match factors::resume_totp(state, claims, id).await {
                Err(Error::NoPendingSetup) => factors::add_totp(state, meta, claims, None).await,
                other => other,
            };
            add_totp_page(state, browser, claims, pending, Some(&p)).await
        }
    };
    let name = match Problem::name("name", "The name", &form.name) {
        Ok(name) => name,
        Err(p) => return again(p).await,
    };
    let code = match TotpCode::parse(&form.code) {
        Ok(code) => code,
        Err(m) => return again(Problem::field("code", sentence("The code", m))).await,
    };
    match factors::confirm_totp(&state, &meta, &claims, id, code).await {
        Ok(factor) => {
            if name.is_some() {
                // Named in the same visit: the step-up that opened this page is recent.
                let _ = factors::rename(&state, &meta, &claims, &factor.id, name).await;
            }
            see_other("/account?done=factor_added")
        }
        Err(Error::InvalidCode) => {
            again(
                Problem::from_service(Error::InvalidCode)
                    .with_message("That code is not right. Check the app shows this account and enter its newest code.")
                    .at("code"),
            )
            .await
        }
        Err(Error::NoPendingSetup) => {
            again(Problem::new(
                StatusCode::BAD_REQUEST,
                "The setup expired.",
                "Scan the new QR code below and enter the code again.",
            ))
            .await
        }
        Err(e) => layout::problem_page(&state, &Problem::from_service(e)),
    }
}

#[derive(Deserialize)]
pub(super) struct RenameForm {
    #[serde(default)]
    name: String,
}

/// Renames a factor (after a step-up when the session is not recent).
pub(super) async fn rename(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(SignedIn(claims)): Extension<SignedIn>,
    Path(id): Path<String>,
    PageForm(form): PageForm<RenameForm>,
) -> Response {
    let name = match Problem::name("name", "The name", &form.name) {
        Ok(name) => name,
        Err(p) => return layout::problem_page(&state, &p),
    };
    match factors::rename(&state, &meta, &claims, &id, name).await {
        Ok(_) | Err(Error::NotFound) => see_other("/account?done=factor_renamed"),
        Err(Error::StepUpRequired { .. }) => super::stepup::required("/account"),
        Err(e) => layout::problem_page(&state, &Problem::from_service(e)),
    }
}

/// Removes a factor (after a step-up when the session is not recent).
pub(super) async fn remove(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(SignedIn(claims)): Extension<SignedIn>,
    Path(id): Path<String>,
) -> Response {
    match factors::delete(&state, &meta, &claims, &id).await {
        Ok(true) => see_other("/account?done=mfa_off"),
        Ok(false) | Err(Error::NotFound) => see_other("/account?done=factor_removed"),
        Err(Error::StepUpRequired { .. }) => super::stepup::required("/account"),
        Err(e) => layout::problem_page(&state, &Problem::from_service(e)),
    }
}
