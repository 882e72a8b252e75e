//! Where messages go: an SMTP server through lettre (STARTTLS or implicit TLS, the public
//! roots, the host's store and `smtp_ca_file`), or an `.eml` file per message in the data
//! folder when no `smtp_url` is set.

use std::path::{Path, PathBuf};

use anyhow::Context;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use super::SMTP_TIMEOUT;
use crate::config::Settings;

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
}
