//! What a message says and looks like: the words of each link and notice, multipart text
//! and HTML in the pages' colors, `Auto-Submitted: auto-generated`.

use anyhow::Context;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::Message;
use maud::html;
use serde_json::Value;

use super::super::email::{link_token, LinkPurpose};
use super::super::AppState;
use crate::config::Settings;
use crate::domain::notice::NoticeKind;
use crate::store::MailRecord;

/// `Auto-Submitted: auto-generated` (RFC 3834): no vacation replies to these.
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// The `From` of every message.
pub fn from_mailbox(settings: &Settings) -> anyhow::Result<Mailbox> {
    match &settings.mail_from {
        Some(from) if !from.trim().is_empty() => from
            .trim()
            .parse()
            .context("mail_from is not a valid address"),
        _ => {
            let public = settings.effective_public_url(None);
            let host = url::Url::parse(&public)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
                .unwrap_or_else(|| "localhost".into());
            let host = if host.contains('.') {
                host
            } else {
                format!("{host}.localdomain")
            };
            format!(
                "{} <no-reply@{host}>",
                settings.issuer.replace(['<', '>', '"', ','], "")
            )
            .parse()
            .context("the default From address")
        }
    }
}

/// What a message says: its subject, its paragraphs, and its one button (a link).
struct Words {
    subject: String,
    lines: Vec<String>,
    action: Option<(String, String)>,
    footer: String,
}

/// The words of an outbox message (a link's message rebuilds its link here).
fn words(state: &AppState, mail: &MailRecord) -> anyhow::Result<Words> {
    let data: Value = serde_json::from_str(&mail.data).unwrap_or(Value::Null);
    let public = state.settings.effective_public_url(None);
    let issuer = &state.settings.issuer;
    let account = format!("{public}/account");
    let when = data["at"]
        .as_i64()
        .map(crate::domain::time::rfc3339)
        .unwrap_or_default();
    let from = format!(
        "When: {when}. From: IP {}, {}.",
        data["ip"].as_str().unwrap_or("unknown"),
        data["userAgent"].as_str().unwrap_or("unknown browser")
    );
    if let Some(purpose) = LinkPurpose::of_mail_kind(&mail.kind) {
        let link_id = data["linkId"]
            .as_str()
            .context("a link message without its link")?;
        let url = format!(
            "{public}{}?token={}",
            purpose.page(),
            link_token(state, link_id)
        );
        let (subject, lead, button, ttl) = match purpose {
            LinkPurpose::Verify => (
                format!("Confirm your email address for {issuer}"),
                "Confirm that this address is yours by opening the link below.",
                "Confirm my address",
                "24 hours",
            ),
            LinkPurpose::Reset => (
                format!("Reset your {issuer} password"),
                "Someone, hopefully you, asked to reset the password of the account with this \
                 address. Open the link below to choose a new one. Signing in will still ask \
                 for your second factor.",
                "Choose a new password",
                "30 minutes",
            ),
            LinkPurpose::Change => (
                format!("Confirm your new email address for {issuer}"),
                "Someone, hopefully you, asked to use this address for their account. Open \
                 the link below to confirm it; until then nothing changes.",
                "Confirm the new address",
                "24 hours",
            ),
        };
        return Ok(Words {
            subject,
            lines: vec![
                lead.to_owned(),
                format!("The link works once and for {ttl}."),
                from,
            ],
            action: Some((button.to_owned(), url)),
            footer: "If you did not ask for this, ignore this message: nothing happens.".to_owned(),
        });
    }
    let notice = NoticeKind::parse(&mail.kind).context("an unknown kind of message")?;
    let mut footer = format!(
        "If this was not you, sign in and secure your account at {account} (change your \
         password and review your sign-in methods), or ask your administrator for help."
    );
    if notice.optional() {
        footer.push_str(" You can turn off messages about new browsers on that page.");
    }
    Ok(Words {
        subject: format!("{}: {}", issuer, notice.subject()),
        lines: vec![notice.sentence(&data["details"]), from],
        action: Some(("Review my account".into(), account)),
        footer,
    })
}

/// The whole message of an outbox row: multipart text and HTML, branded.
pub fn compose(state: &AppState, mail: &MailRecord) -> anyhow::Result<Message> {
    let words = words(state, mail)?;
    build(&state.settings, &mail.to, &words)
}

fn build(settings: &Settings, to: &str, words: &Words) -> anyhow::Result<Message> {
    let mut text = String::new();
    for line in &words.lines {
        text.push_str(line);
        text.push_str("\n\n");
    }
    if let Some((label, url)) = &words.action {
        text.push_str(&format!("{label}: {url}\n\n"));
    }
    text.push_str(&words.footer);
    text.push('\n');
    let html = html_body(settings, words);
    Message::builder()
        .from(from_mailbox(settings)?)
        .to(to.parse().context("the recipient is not a valid address")?)
        .subject(words.subject.clone())
        .header(AutoSubmitted)
        .message_id(None)
        .multipart(MultiPart::alternative_plain_html(text, html))
        .context("the message could not be built")
}

fn html_body(settings: &Settings, words: &Words) -> String {
    let color = settings
        .brand_color
        .as_deref()
        .filter(|c| c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or("#2563eb");
    let logo = settings
        .logo_url
        .as_deref()
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    let issuer = &settings.issuer;
    html! {
        (maud::DOCTYPE)
        html {
            head { meta charset="utf-8"; title { (words.subject) } }
            body style="margin:0;padding:24px;background:#f4f5f7;font-family:system-ui,sans-serif;color:#1f2328" {
                div style={"max-width:520px;margin:0 auto;background:#fff;border-radius:8px;padding:24px;border-top:4px solid " (color)} {
                    p style="font-weight:600;font-size:18px;margin:0 0 16px" {
                        @if let Some(logo) = logo {
                            img src=(logo) alt="" height="28" style="vertical-align:middle;margin-right:8px";
                        }
                        (issuer)
                    }
                    @for line in &words.lines { p style="line-height:1.5" { (line) } }
                    @if let Some((label, url)) = &words.action {
                        p style="margin:24px 0" {
                            a href=(url) style={"display:inline-block;padding:10px 18px;border-radius:6px;color:#fff;text-decoration:none;background:" (color)} { (label) }
                        }
                        p style="font-size:13px;color:#59636e;word-break:break-all" { "Or open: " (url) }
                    }
                    p style="font-size:13px;color:#59636e;line-height:1.5" { (words.footer) }
                }
            }
        }
    }
    .into_string()
}

/// The message of `twofold mail test`.
pub(super) fn test_message(settings: &Settings, to: &str) -> anyhow::Result<Message> {
    let words = Words {
        subject: format!("{}: a test message", settings.issuer),
        lines: vec!["This is a test message from twofold: mail works.".to_owned()],
        action: None,
        footer: "Sent by an operator with `twofold mail test`.".to_owned(),
    };
    build(settings, to, &words)
}
