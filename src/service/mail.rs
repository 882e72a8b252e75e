//! Sending mail (EMAIL.md): the outbox's delivery, the messages' words, and the two ways
//! out: SMTP through lettre (STARTTLS or implicit TLS) when `smtp_url` is set, else an
//! `.eml` file per message under `{data_dir}/mail/` with its link logged. Messages are
//! queued in the transaction of the change that causes them (`service::email`, and the
//! security notices with their audit events); [`run`] sends each once, retrying with
//! backoff (1 minute doubling to 1 hour) and giving up after 24 hours. Several instances
//! share the outbox: a message is claimed for one attempt at a time.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use maud::html;
use secrecy::ExposeSecret;
use serde_json::Value;

use super::email::{link_token, LinkPurpose};
use super::AppState;
use crate::config::Settings;
use crate::domain::notice::NoticeKind;
use crate::store::{MailAttempt, MailRecord};

/// First retry after this long; each further one waits twice as long...
const FIRST_RETRY_SECONDS: i64 = 60;
/// ...up to this long between tries.
const MAX_RETRY_SECONDS: i64 = 3600;
/// A message not sent this long after it was queued is given up on.
const GIVE_UP_AFTER_SECONDS: i64 = 24 * 3600;
/// How long one instance holds a message for an attempt (longer than a whole attempt).
const LEASE_SECONDS: i64 = 120;
/// Timeout of each SMTP command...
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);
/// ...and of a whole attempt (well within the lease, so no other instance sends it too).
const SEND_TIMEOUT: Duration = Duration::from_secs(60);
/// How often the outbox is looked at.
const POLL: Duration = Duration::from_millis(500);

/// Seconds to wait before try `attempts + 1`, after `attempts` failed tries.
pub fn retry_delay(attempts: i64) -> i64 {
    crate::domain::backoff::doubling(FIRST_RETRY_SECONDS, MAX_RETRY_SECONDS, attempts)
}

/// Where messages go.
#[derive(Clone)]
pub enum Transport {
    /// An `.eml` file per message in this folder.
    Files(PathBuf),
    /// An SMTP server.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// What an SMTP URL says.
#[derive(Debug, PartialEq, Eq)]
struct SmtpUrl {
    host: String,
    port: u16,
    /// `None`: plain SMTP (`?tls=off`, loopback only); `Some(false)`: STARTTLS required;
    /// `Some(true)`: implicit TLS.
    tls: Option<bool>,
    user: Option<String>,
    password: Option<String>,
}

fn parse_smtp_url(raw: &str) -> anyhow::Result<SmtpUrl> {
    let url = url::Url::parse(raw.trim()).context("smtp_url is not a valid URL")?;
    let implicit = match url.scheme() {
        "smtp" => false,
        "smtps" => true,
        other => anyhow::bail!("smtp_url: unsupported scheme {other:?} (use smtp:// or smtps://)"),
    };
    let host = url
        .host_str()
        .context("smtp_url has no host")?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let mut tls = Some(implicit);
    for (key, value) in url.query_pairs() {
        match (key.as_ref(), value.as_ref()) {
            ("tls", "off") if !implicit => tls = None,
            ("tls", "off") => anyhow::bail!("smtp_url: smtps:// cannot have tls=off"),
            (key, _) => anyhow::bail!("smtp_url: unknown parameter {key:?}"),
        }
    }
    if tls.is_none() && !is_loopback(&host) {
        anyhow::bail!("smtp_url: tls=off is allowed only for a loopback host, not {host:?}");
    }
    let decode = |s: &str| {
        percent_decode(s).with_context(|| "smtp_url: the user or password is not valid UTF-8")
    };
    let user = (!url.username().is_empty())
        .then(|| decode(url.username()))
        .transpose()?;
    let password = url.password().map(decode).transpose()?;
    Ok(SmtpUrl {
        port: url.port().unwrap_or(if implicit { 465 } else { 587 }),
        host,
        tls,
        user,
        password,
    })
}

fn percent_decode(s: &str) -> anyhow::Result<String> {
    Ok(percent_encoding::percent_decode_str(s)
        .decode_utf8()?
        .into_owned())
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl Transport {
    /// The transport the settings name (checked at start: a bad URL stops the server).
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let Some(raw) = &settings.smtp_url else {
            return Ok(Self::Files(settings.data_dir.join("mail")));
        };
        let url = parse_smtp_url(raw.expose_secret())?;
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(url.host.clone())
            .port(url.port)
            .timeout(Some(SMTP_TIMEOUT));
        if let Some(implicit) = url.tls {
            // The public roots (webpki-roots), the system's own store (`/etc/ssl/certs`, or
            // `SSL_CERT_FILE`/`SSL_CERT_DIR`), and `smtp_ca_file`.
            let mut params = TlsParameters::builder(url.host.clone());
            for der in rustls_native_certs::load_native_certs().certs {
                if let Ok(cert) = Certificate::from_der(der.to_vec()) {
                    params = params.add_root_certificate(cert);
                }
            }
            if let Some(path) = &settings.smtp_ca_file {
                let pem = std::fs::read(path)
                    .with_context(|| format!("smtp_ca_file: cannot read {}", path.display()))?;
                params = params.add_root_certificate(
                    Certificate::from_pem(&pem).context("smtp_ca_file is not a PEM certificate")?,
                );
            }
            let params = params.build_rustls().context("smtp TLS settings")?;
            builder = builder.tls(if implicit {
                Tls::Wrapper(params)
            } else {
                Tls::Required(params)
            });
        } else {
            builder = builder.tls(Tls::None);
        }
        let password = match &settings.smtp_password_file {
            Some(path) => Some(
                std::fs::read_to_string(path)
                    .with_context(|| format!("smtp_password_file: cannot read {}", path.display()))?
                    .trim_end_matches(['\r', '\n'])
                    .to_owned(),
            ),
            None => url.password.clone(),
        };
        if let Some(user) = url.user {
            builder = builder.credentials(Credentials::new(user, password.unwrap_or_default()));
        }
        Ok(Self::Smtp(builder.build()))
    }

    /// Sends `message`; what the server answered (or where the file went).
    pub async fn send(&self, id: &str, message: &Message) -> anyhow::Result<String> {
        match self {
            Self::Files(dir) => {
                let path = write_eml(dir, id, &message.formatted())?;
                Ok(format!("written to {}", path.display()))
            }
            Self::Smtp(smtp) => {
                let response = smtp.send(message.clone()).await?;
                let text: Vec<&str> = response.message().collect();
                Ok(format!("{} {}", response.code(), text.join(" ")))
            }
        }
    }
}

/// Writes one message as `{dir}/{id}.eml`, readable by the owner only.
fn write_eml(dir: &Path, id: &str, bytes: &[u8]) -> anyhow::Result<PathBuf> {
    use std::io::Write;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
    let path = dir.join(format!("{id}.eml"));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(bytes)?;
    Ok(path)
}

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

/// Checks the mail settings: the SMTP URL, CA and password files, and `mail_from`.
pub fn check_settings(settings: &Settings) -> anyhow::Result<()> {
    Transport::from_settings(settings)?;
    from_mailbox(settings)?;
    Ok(())
}

/// Sends a test message to `to` at once (`twofold mail test`): what the server answered.
pub async fn send_test(settings: &Settings, to: &str) -> anyhow::Result<String> {
    let transport = Transport::from_settings(settings)?;
    let words = Words {
        subject: format!("{}: a test message", settings.issuer),
        lines: vec!["This is a test message from twofold: mail works.".to_owned()],
        action: None,
        footer: "Sent by an operator with `twofold mail test`.".to_owned(),
    };
    let message = build(settings, to, &words)?;
    let id = format!("test_{}", uuid::Uuid::new_v4().simple());
    transport.send(&id, &message).await
}

/// Sends the outbox until the task is aborted.
pub async fn run(state: AppState) {
    let transport = match Transport::from_settings(&state.settings) {
        Ok(transport) => transport,
        Err(error) => {
            tracing::error!(error = %format!("{error:#}"), "mail is off");
            return;
        }
    };
    loop {
        match send_due(&state, &transport).await {
            Ok(0) | Err(_) => tokio::time::sleep(POLL).await,
            Ok(_) => {}
        }
    }
}

/// Sends the messages due now; how many were tried.
pub async fn send_due(state: &AppState, transport: &Transport) -> anyhow::Result<usize> {
    let due = match state.store.due_mail(state.now(), 32).await {
        Ok(due) => due,
        Err(error) => {
            tracing::warn!(%error, "the mail outbox could not be read");
            return Err(error.into());
        }
    };
    let mut tried = 0;
    for mail in due {
        // The lease starts now, at the claim, not when the batch was read.
        let lease_until = state.now() + LEASE_SECONDS;
        if !state
            .store
            .claim_mail(mail.seq, mail.next_attempt_at, lease_until)
            .await?
        {
            continue; // another instance has it
        }
        tried += 1;
        let attempts = mail.attempts + 1;
        let result = match compose(state, &mail) {
            Ok(message) => {
                match tokio::time::timeout(SEND_TIMEOUT, transport.send(&mail.id, &message)).await {
                    Ok(sent) => sent,
                    Err(_) => Err(anyhow::anyhow!("no answer from the SMTP server in time")),
                }
            }
            Err(error) => Err(error),
        };
        let now = state.now();
        let attempt = match result {
            Ok(answer) => {
                if let Transport::Files(_) = transport {
                    log_link(state, &mail);
                }
                tracing::info!(id = %mail.id, kind = %mail.kind, %answer, "mail sent");
                metrics::counter!("twofold_mail_total", "outcome" => "sent").increment(1);
                MailAttempt::Sent { at: now }
            }
            Err(error) => {
                let error = format!("{error:#}");
                if now - mail.created_at >= GIVE_UP_AFTER_SECONDS {
                    tracing::error!(id = %mail.id, %error, "mail given up on");
                    metrics::counter!("twofold_mail_total", "outcome" => "failed").increment(1);
                    MailAttempt::Failed { at: now, error }
                } else {
                    // Never a try after the last moment: then it is given up on.
                    let next_at =
                        (now + retry_delay(attempts)).min(mail.created_at + GIVE_UP_AFTER_SECONDS);
                    tracing::warn!(id = %mail.id, %error, attempts, next_at, "mail not sent; will retry");
                    metrics::counter!("twofold_mail_total", "outcome" => "retry").increment(1);
                    MailAttempt::Retry { next_at, error }
                }
            }
        };
        state.store.settle_mail(mail.seq, &attempt).await?;
    }
    if tried > 0 {
        if let Ok(backlog) = state.store.mail_backlog().await {
            metrics::gauge!("twofold_mail_backlog").set(backlog as f64);
        }
    }
    Ok(tried)
}

/// Without SMTP, the link of a link message is logged, so a developer can click it.
fn log_link(state: &AppState, mail: &MailRecord) {
    let Some(purpose) = LinkPurpose::of_mail_kind(&mail.kind) else {
        return;
    };
    let data: Value = serde_json::from_str(&mail.data).unwrap_or(Value::Null);
    if let Some(link_id) = data["linkId"].as_str() {
        let public = state.settings.effective_public_url(None);
        let url = format!(
            "{public}{}?token={}",
            purpose.page(),
            link_token(state, link_id)
        );
        tracing::info!(to = %mail.to, link = %url, "mail written to the data folder (no smtp_url)");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls() {
        let u = parse_smtp_url("smtp://me%40x.org:p%2Fw@mail.example.com:2525").unwrap();
        assert_eq!(u.host, "mail.example.com");
        assert_eq!(u.port, 2525);
        assert_eq!(u.tls, Some(false));
        assert_eq!(u.user.as_deref(), Some("me@x.org"));
        assert_eq!(u.password.as_deref(), Some("p/w"));
        let u = parse_smtp_url("smtps://mail.example.com").unwrap();
        assert_eq!((u.port, u.tls), (465, Some(true)));
        assert_eq!(parse_smtp_url("smtp://h").unwrap().port, 587);
        let u = parse_smtp_url("smtp://127.0.0.1:25?tls=off").unwrap();
        assert_eq!(u.tls, None);
        assert!(parse_smtp_url("smtp://mail.example.com?tls=off").is_err());
        assert!(parse_smtp_url("smtps://localhost?tls=off").is_err());
        assert!(parse_smtp_url("http://mail.example.com").is_err());
        assert!(parse_smtp_url("smtp://h?verify=no").is_err());
    }

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(retry_delay(1), 60);
        assert_eq!(retry_delay(2), 120);
        assert_eq!(retry_delay(7), 3600);
        assert_eq!(retry_delay(40), 3600);
    }
}
