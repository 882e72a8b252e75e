//! Turning two-factor authentication on (QR code, key, first code, recovery codes), making
//! new recovery codes, and turning it off: each over the same `service::mfa` functions as
//! the API.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use base64::Engine as _;
use maud::{html, Markup};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::account::email_of;
use super::layout::{self, csrf, document, form_alert, Field, Header, Problem};
use super::login::{params, sentence, QueryParams};
use super::navigation::{carry, safe_return_to, see_other};
use super::{Browser, PageForm, SignedIn};
use crate::crypto::jwt::Claims;
use crate::domain::codes::{MfaCode, TotpCode};
use crate::http::extract::Meta;
use crate::service::error::Error;
use crate::service::{mfa, AppState};

/// The file name of the downloaded recovery codes.
pub const CODES_FILE: &str = "twofold-recovery-codes.txt";

/// A base32 secret in groups of four, for typing by hand.
fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The "scan this QR code" step of an enrollment: the QR code, and the key to type.
pub(super) fn scan_step(setup: &mfa::Setup) -> Markup {
    html! {
        li {
            h2 { "Scan this QR code with the app" }
            figure.qr {
                img src=(setup.qr_code.as_str()) width="232" height="232"
                    alt="QR code to scan with your authenticator app";
            }
            p.hint #secret-hint { "Can't scan it? In the app, choose to enter a key and type:" }
            p.secret-box {
                code.secret data-testid="totp-secret" aria-describedby="secret-hint" { (grouped(&setup.secret)) }
            }
            p.hint { "Time-based, 6 digits, every 30 seconds." }
        }
    }
}

/// A page of the signed-in person.
pub(super) async fn account_page(
    state: &AppState,
    browser: &Browser,
    user_id: &str,
    title: &str,
    problem: Option<&Problem>,
    body: Markup,
) -> Response {
    let email = email_of(state, user_id).await;
    let header = Header {
        email: &email,
        csrf_token: &browser.csrf_token,
    };
    layout::respond_problem(problem, document(state, title, Some(header), false, body))
}

/// Where a page goes when MFA is not in the state it needs.
fn back_to_account(e: &Error) -> Option<Response> {
    matches!(e, Error::MfaAlreadyEnabled | Error::MfaNotEnabled).then(|| see_other("/account"))
}

async fn setup_page(
    state: &AppState,
    meta: &crate::service::RequestMeta,
    browser: &Browser,
    caller: &Claims,
    device_name: &str,
    return_to: Option<&str>,
    problem: Option<&Problem>,
) -> Response {
    let user_id = caller.sub.as_str();
    let here = format!("/account/mfa/setup{}", carry(return_to));
    let setup = match mfa::resume_or_setup(state, meta, caller).await {
        Ok(setup) => setup,
        Err(Error::StepUpRequired { .. }) => return super::stepup::required(&here),
        Err(e) => {
            return back_to_account(&e)
                .unwrap_or_else(|| layout::problem_page(state, &Problem::from_service(e)))
        }
    };
    let minutes = (setup.expires_in + 59) / 60;
    let body = html! {
        p.back { a href="/account" { "← Your account" } }
        h1 { "Turn on two-factor authentication" }
        p.lead { "You'll need an authenticator app, such as 1Password, Google Authenticator, Microsoft Authenticator or Aegis." }
        form method="post" action=(here) novalidate {
            (csrf(browser))
            (form_alert(problem))
            ol.steps {
                (scan_step(&setup))
                li {
                    h2 { "Name it (optional)" }
                    (Field::new("Device name", "device_name", "text", "off").value(device_name)
                        .hint("So you can tell your authenticators apart, e.g. “Work phone”.")
                        .optional().error_from(problem).render())
                }
                li {
                    h2 { "Enter the code the app shows" }
                    (Field::code("6-digit code", true).focus(problem.is_some()).error_from(problem).render())
                }
            }
            button.primary type="submit" { "Turn on" }
            p.hint.center { "This setup expires in " (minutes) " minutes; reloading the page keeps the same code." }
        }
    };
    account_page(
        state,
        browser,
        user_id,
        "Turn on two-factor authentication",
        problem,
        body,
    )
    .await
}

pub(super) async fn setup_form(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    Extension(SignedIn(claims)): Extension<SignedIn>,
    headers: HeaderMap,
    query: QueryParams,
) -> Response {
    let return_to = safe_return_to(
        &state.settings,
        &headers,
        params(query).return_to.as_deref(),
    );
    setup_page(
        &state,
        &meta,
        &browser,
        &claims,
        "",
        return_to.as_deref(),
        None,
    )
    .await
}

#[derive(Deserialize)]
pub(super) struct SetupForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    device_name: String,
}

/// `mfa::confirm`, then the recovery codes (shown only now).
pub(super) async fn confirm(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    Extension(SignedIn(claims)): Extension<SignedIn>,
    headers: HeaderMap,
    query: QueryParams,
    PageForm(form): PageForm<SetupForm>,
) -> Response {
    let return_to = safe_return_to(
        &state.settings,
        &headers,
        params(query).return_to.as_deref(),
    );
    let return_to = return_to.as_deref();
    let device_name = form.device_name.trim();
    let name = match Problem::name("device_name", "The device name", device_name) {
        Ok(name) => name,
        Err(p) => {
            return setup_page(
                &state,
                &meta,
                &browser,
                &claims,
                device_name,
                return_to,
                Some(&p),
            )
            .await
        }
    };
    let code = match TotpCode::parse(&form.code) {
        Ok(code) => code,
        Err(m) => {
            let p = Problem::field("code", sentence("The code", m));
            return setup_page(
                &state,
                &meta,
                &browser,
                &claims,
                device_name,
                return_to,
                Some(&p),
            )
            .await;
        }
    };
    match mfa::confirm(&state, &meta, &claims, Some(code), None, name).await {
        Ok(codes) => {
            codes_page(
                &state,
                &browser,
                &claims.sub,
                "Save your recovery codes",
                &codes,
                return_to,
            )
            .await
        }
        Err(e) => {
            if let Some(response) = back_to_account(&e) {
                return response;
            }
            let p = match e {
                Error::InvalidCode => Problem::from_service(e)
                    .with_message("That code is not right. Check the app shows this account and enter its newest code.")
                    .at("code"),
                Error::NoPendingSetup => Problem::new(
                    StatusCode::BAD_REQUEST,
                    "The setup expired.",
                    "Scan the new QR code below and enter the code again.",
                ),
                e => Problem::from_service(e),
            };
            setup_page(
                &state,
                &meta,
                &browser,
                &claims,
                device_name,
                return_to,
                Some(&p),
            )
            .await
        }
    }
}

/// The recovery codes, once: one per line, with copy and download.
pub(super) async fn codes_page(
    state: &AppState,
    browser: &Browser,
    user_id: &str,
    title: &str,
    codes: &[Zeroizing<String>],
    return_to: Option<&str>,
) -> Response {
    let text = Zeroizing::new(
        codes
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let file = Zeroizing::new(format!("{}\n", text.as_str()));
    let href = format!(
        "data:text/plain;charset=utf-8;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(file.as_bytes())
    );
    let body = html! {
        h1 { (title) }
        p.lead { "Two-factor authentication is on. If you lose your phone, each of these codes lets you sign in once." }
        div.callout role="note" {
            strong { "These codes are shown only now." }
            " Save them somewhere safe, such as a password manager, before you leave this page."
        }
        pre.codes #recovery-codes data-testid="recovery-codes" tabindex="0" aria-label="Recovery codes" { (text.as_str()) }
        div.actions {
            button.secondary type="button" data-copy="recovery-codes" data-label="Copy codes" hidden { "Copy codes" }
            a.button.secondary href=(href) download=(CODES_FILE) data-testid="download-codes" { "Download (.txt)" }
        }
        a.button.primary.block href=(return_to.unwrap_or("/account?done=mfa_on")) { "I saved my codes" }
    };
    let mut response = account_page(state, browser, user_id, title, None, body).await;
    // The codes must not stay in any cache (the edge sends no-store too).
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}

/// A page that changes MFA and asks for a current code: making new recovery codes, or
/// turning MFA off.
struct Manage {
    action: &'static str,
    title: &'static str,
    lead: &'static str,
    /// App codes only (`inputmode="numeric"`), or recovery codes too.
    numeric: bool,
    button: &'static str,
    danger: bool,
}

const REGENERATE: Manage = Manage {
    action: "/account/mfa/recovery-codes",
    title: "Make new recovery codes",
    lead: "Your current recovery codes will stop working, and other sessions will be signed out.",
    numeric: true,
    button: "Make new codes",
    danger: false,
};

const DISABLE: Manage = Manage {
    action: "/account/mfa/disable",
    title: "Turn off two-factor authentication",
    lead: "Your account will be protected by your password only. Your authenticator and \
           recovery codes will stop working, and other sessions will be signed out.",
    numeric: false,
    button: "Turn off two-factor authentication",
    danger: true,
};

async fn manage_page(
    state: &AppState,
    browser: &Browser,
    user_id: &str,
    page: &Manage,
    problem: Option<&Problem>,
) -> Response {
    let field = if page.numeric {
        Field::code("6-digit code from your app", true)
    } else {
        Field::code("Code from your app, or a recovery code", false)
    };
    let body = html! {
        p.back { a href="/account" { "← Your account" } }
        h1 { (page.title) }
        p.lead { (page.lead) }
        form method="post" action=(page.action) novalidate {
            (csrf(browser))
            (form_alert(problem))
            (field.focus(true).error_from(problem).render())
            button.primary[!page.danger].danger[page.danger] type="submit" { (page.button) }
        }
    };
    account_page(state, browser, user_id, page.title, problem, body).await
}

/// The form of `page` while MFA is on; otherwise back to the account.
async fn manage_form(
    state: &AppState,
    browser: &Browser,
    claims: &Claims,
    page: &Manage,
) -> Response {
    match mfa::status(state, &claims.sub).await {
        Ok(s) if !s.enabled => see_other("/account"),
        Ok(_) => manage_page(state, browser, &claims.sub, page, None).await,
        Err(e) => layout::problem_page(state, &Problem::from_service(e)),
    }
}

pub(super) async fn regenerate_form(
    State(state): State<AppState>,
    Extension(browser): Extension<Browser>,
    Extension(SignedIn(claims)): Extension<SignedIn>,
) -> Response {
    manage_form(&state, &browser, &claims, &REGENERATE).await
}

#[derive(Deserialize)]
pub(super) struct CodeForm {
    #[serde(default)]
    code: String,
}

/// `mfa::regenerate`, then the new codes.
pub(super) async fn regenerate(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    Extension(SignedIn(claims)): Extension<SignedIn>,
    PageForm(form): PageForm<CodeForm>,
) -> Response {
    let code = match TotpCode::parse(&form.code) {
        Ok(code) => code,
        Err(m) => {
            let p = Problem::field("code", sentence("The code", m));
            return manage_page(&state, &browser, &claims.sub, &REGENERATE, Some(&p)).await;
        }
    };
    match mfa::regenerate(&state, &meta, &claims, code).await {
        Ok(codes) => {
            codes_page(
                &state,
                &browser,
                &claims.sub,
                "Your new recovery codes",
                &codes,
                None,
            )
            .await
        }
        Err(e) => match back_to_account(&e) {
            Some(response) => response,
            None => {
                let p = code_problem(e);
                manage_page(&state, &browser, &claims.sub, &REGENERATE, Some(&p)).await
            }
        },
    }
}

/// A wrong code beside the field; anything else for the whole form.
fn code_problem(e: Error) -> Problem {
    match e {
        Error::InvalidCode => Problem::from_service(e).at("code"),
        e => Problem::from_service(e),
    }
}

pub(super) async fn disable_form(
    State(state): State<AppState>,
    Extension(browser): Extension<Browser>,
    Extension(SignedIn(claims)): Extension<SignedIn>,
) -> Response {
    manage_form(&state, &browser, &claims, &DISABLE).await
}

/// `mfa::disable` with an app code or a recovery code.
pub(super) async fn disable(
    State(state): State<AppState>,
    Meta(meta): Meta,
    Extension(browser): Extension<Browser>,
    Extension(SignedIn(claims)): Extension<SignedIn>,
    PageForm(form): PageForm<CodeForm>,
) -> Response {
    let code = match MfaCode::parse(&form.code) {
        Ok(code) => code,
        Err(m) => {
            let p = Problem::field("code", sentence("The code", m));
            return manage_page(&state, &browser, &claims.sub, &DISABLE, Some(&p)).await;
        }
    };
    match mfa::disable(&state, &meta, &claims, code).await {
        Ok(()) => see_other("/account?done=mfa_off"),
        Err(e) => match back_to_account(&e) {
            Some(response) => response,
            None => {
                let p = code_problem(e);
                manage_page(&state, &browser, &claims.sub, &DISABLE, Some(&p)).await
            }
        },
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn secrets_are_grouped_by_four() {
        assert_eq!(
            super::grouped("JBSWY3DPEHPK3PXPAB"),
            "JBSW Y3DP EHPK 3PXP AB"
        );
    }
}
