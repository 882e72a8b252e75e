//! The frame every page shares (head, brand, header, footer), form fields with their
//! errors, the problem pages (403, 429, 503...), and the embedded assets.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};

pub use super::problem::Problem;
use super::{Browser, CSRF_FIELD};
use crate::service::AppState;

const STYLESHEET: &str = include_str!("../../../assets/pages.css");
const SCRIPT: &str = include_str!("../../../assets/pages.js");

/// What a page shows of the signed-in person in its header.
pub struct Header<'a> {
    pub email: &'a str,
    pub csrf_token: &'a str,
}

/// A whole page: `title`, then `content` in a card (`wide` for the account overview).
pub fn document(
    state: &AppState,
    title: &str,
    signed_in: Option<Header<'_>>,
    wide: bool,
    content: Markup,
) -> Markup {
    let settings = &state.settings;
    let name = settings.issuer.as_str();
    let initial = name
        .chars()
        .next()
        .unwrap_or('t')
        .to_uppercase()
        .to_string();
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light dark";
                title { (title) " · " (name) }
                link rel="stylesheet" href="/assets/pages.css";
                @if settings.brand_color.is_some() {
                    link rel="stylesheet" href="/assets/brand.css";
                }
                script src="/assets/pages.js" defer {}
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.top .narrow[!wide] {
                    a.brand href="/account" {
                        @if let Some(logo) = &settings.logo_url {
                            img.logo src=(logo) alt="" width="32" height="32";
                        } @else {
                            span.monogram aria-hidden="true" { (initial) }
                        }
                        span.brand-name { (name) }
                    }
                    @if let Some(who) = signed_in {
                        div.who {
                            span.who-email { (who.email) }
                            form method="post" action="/logout" {
                                input type="hidden" name=(CSRF_FIELD) value=(who.csrf_token);
                                button.link type="submit" { "Sign out" }
                            }
                        }
                    }
                }
                main #main .shell .wide[wide] {
                    @if wide { (content) } @else { div.card { (content) } }
                }
                footer.foot { "Your account at " (name) " · secured with two-factor sign-in" }
            }
        }
    }
}

/// The hidden anti-CSRF field of a form.
pub fn csrf(browser: &Browser) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(browser.csrf_token); }
}

/// A form input with its label, an optional hint and its error (announced when present).
pub struct Field<'a> {
    label: &'a str,
    name: &'a str,
    kind: &'a str,
    autocomplete: &'a str,
    value: Option<&'a str>,
    inputmode: Option<&'a str>,
    hint: Option<&'a str>,
    error: Option<&'a str>,
    required: bool,
    autofocus: bool,
    spellcheck_off: bool,
}

impl<'a> Field<'a> {
    pub fn new(label: &'a str, name: &'a str, kind: &'a str, autocomplete: &'a str) -> Self {
        Self {
            label,
            name,
            kind,
            autocomplete,
            value: None,
            inputmode: None,
            hint: None,
            error: None,
            required: true,
            autofocus: false,
            spellcheck_off: false,
        }
    }

    /// A one-time code field (`inputmode="numeric"` for app codes).
    pub fn code(label: &'a str, numeric: bool) -> Self {
        let mut field = Self::new(label, "code", "text", "one-time-code");
        field.inputmode = numeric.then_some("numeric");
        field.spellcheck_off = true;
        field
    }

    pub fn value(mut self, value: &'a str) -> Self {
        self.value = Some(value).filter(|v| !v.is_empty());
        self
    }

    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }

    pub fn optional(mut self) -> Self {
        self.required = false;
        self
    }

    pub fn focus(mut self, focus: bool) -> Self {
        self.autofocus = focus;
        self
    }

    /// The problem's message when it is about this field.
    pub fn error_from(mut self, problem: Option<&'a Problem>) -> Self {
        if let Some(p) = problem {
            if p.field == Some(self.name) {
                self.error = Some(&p.message);
                self.autofocus = true;
            } else if let Some((_, message)) = p.also.iter().find(|(f, _)| *f == self.name) {
                self.error = Some(message);
            }
        }
        self
    }

    pub fn render(&self) -> Markup {
        let error_id = format!("{}-error", self.name);
        let hint_id = format!("{}-hint", self.name);
        let described = match (self.hint.is_some(), self.error.is_some()) {
            (true, true) => format!("{hint_id} {error_id}"),
            (true, false) => hint_id.clone(),
            _ => error_id.clone(),
        };
        html! {
            div.field .invalid[self.error.is_some()] {
                label for=(self.name) { (self.label) }
                @if let Some(hint) = self.hint { p.hint id=(hint_id) { (hint) } }
                input id=(self.name) name=(self.name) type=(self.kind)
                    autocomplete=(self.autocomplete) value=[self.value]
                    inputmode=[self.inputmode] required[self.required]
                    autofocus[self.autofocus]
                    spellcheck=[self.spellcheck_off.then_some("false")]
                    autocapitalize=[self.spellcheck_off.then_some("off")]
                    aria-invalid=[self.error.map(|_| "true")]
                    aria-describedby=(described);
                p.error id=(error_id) aria-live="assertive" role=[self.error.map(|_| "alert")] {
                    @if let Some(error) = self.error { (error) }
                }
            }
        }
    }
}

/// A message for the whole form (not about one field), announced.
pub fn form_alert(problem: Option<&Problem>) -> Markup {
    html! {
        @match problem.filter(|p| p.field.is_none()) {
            Some(p) => div.alert role="alert" aria-live="assertive" {
                strong { (p.title) } " " (p.message)
            },
            None => div.alert-slot aria-live="assertive" {},
        }
    }
}

/// A message after a redirect (`?done=`), from a fixed list (nothing reflected).
pub fn notice(text: Option<&str>) -> Markup {
    html! {
        @if let Some(text) = text { div.notice role="status" { (text) } }
    }
}

/// `markup` as an HTML answer with `status` (and `Retry-After` for a wait).
pub fn respond(status: StatusCode, retry_after: Option<u64>, markup: Markup) -> Response {
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        markup.into_string(),
    )
        .into_response();
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
    }
    response
}

/// A page with a form that failed: `markup` with the problem's status.
pub fn respond_problem(problem: Option<&Problem>, markup: Markup) -> Response {
    match problem {
        Some(p) => respond(p.status, p.retry_after, markup),
        None => respond(StatusCode::OK, None, markup),
    }
}

/// A page that only explains a problem.
pub fn problem_page(state: &AppState, problem: &Problem) -> Response {
    let markup = document(
        state,
        problem.title,
        None,
        false,
        html! {
            h1 { (problem.title) }
            p.lead role="alert" { (problem.message) }
            p { a.button.secondary href="/account" { "Back to your account" } }
        },
    );
    respond(problem.status, problem.retry_after, markup)
}

/// The answer to a post without this browser's anti-CSRF token, or from another site.
pub fn refused(state: &AppState) -> Response {
    problem_page(
        state,
        &Problem::new(
            StatusCode::FORBIDDEN,
            "This form was refused.",
            "It came from another site, or the page was open too long. Nothing was changed. \
             Go back, reload the page and try again.",
        ),
    )
}

/// Whether `color` is `#rgb` or `#rrggbb`.
pub fn is_hex_color(color: &str) -> bool {
    color
        .strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub async fn stylesheet() -> Response {
    asset("text/css; charset=utf-8", STYLESHEET.to_owned())
}

pub async fn script() -> Response {
    asset("text/javascript; charset=utf-8", SCRIPT.to_owned())
}

/// The accent color of the `brand_color` setting (checked at start).
pub async fn brand_stylesheet(State(state): State<AppState>) -> Response {
    let css = match state
        .settings
        .brand_color
        .as_deref()
        .filter(|c| is_hex_color(c))
    {
        Some(color) => format!(":root {{ --brand: {color}; }}\n"),
        None => String::new(),
    };
    asset("text/css; charset=utf-8", css)
}

fn asset(content_type: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brand_colors() {
        assert!(is_hex_color("#0a7"));
        assert!(is_hex_color("#00aa77"));
        assert!(!is_hex_color("red"));
        assert!(!is_hex_color("#00aa77; } body { display:none"));
    }
}
