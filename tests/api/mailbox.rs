//! Reading what twofold sent: the `.eml` files of the embedded default, or what a real SMTP
//! server received ([`SmtpSink`], an in-process server speaking SMTP on loopback).

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message as received.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    /// The whole message, quoted-printable decoded.
    pub text: String,
}

impl Mail {
    /// Parses a message (RFC 5322 with quoted-printable parts, as lettre writes them).
    pub fn parse(raw: &str) -> Self {
        let header = |name: &str| {
            raw.lines()
                .take_while(|l| !l.is_empty())
                .find_map(|l| l.strip_prefix(name))
                .map(|v| v.trim().to_owned())
                .unwrap_or_default()
        };
        Self {
            to: header("To:"),
            subject: header("Subject:"),
            text: qp_decode(raw),
        }
    }

    /// The token of the first link to `path` (`/password/reset`, `/email/verify`).
    pub fn token(&self, path: &str) -> String {
        let start = self
            .text
            .find(&format!("{path}?token="))
            .unwrap_or_else(|| panic!("no {path} link in {}", self.text))
            + path.len()
            + 7;
        self.text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect()
    }
}

fn qp_decode(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The messages written under `data_dir/mail/`.
pub fn files(data_dir: &Path) -> Vec<Mail> {
    let Ok(entries) = std::fs::read_dir(data_dir.join("mail")) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .map(|raw| Mail::parse(&raw))
        .collect()
}

/// Waits (up to 10 s) for a message to `to` whose subject contains `subject`.
pub async fn wait_for(data_dir: &Path, to: &str, subject: &str) -> Mail {
    wait_until(|| {
        files(data_dir)
            .into_iter()
            .find(|m| m.to.contains(to) && m.subject.contains(subject))
    })
    .await
    .unwrap_or_else(|| {
        panic!(
            "no message to {to} about {subject:?}: {:?}",
            files(data_dir)
        )
    })
}

/// Polls `find` every 50 ms for up to 10 s.
pub async fn wait_until<T>(mut find: impl FnMut() -> Option<T>) -> Option<T> {
    for _ in 0..200 {
        if let Some(found) = find() {
            return Some(found);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

/// An SMTP server on loopback that accepts every message (plain SMTP: twofold reaches it
/// with `?tls=off`, which is allowed for loopback hosts only).
pub struct SmtpSink {
    pub port: u16,
    pub received: Arc<Mutex<Vec<Mail>>>,
    task: tokio::task::JoinHandle<()>,
}

impl SmtpSink {
    /// A sink on a free port.
    pub async fn start() -> Self {
        Self::start_on(0).await
    }

    /// A sink on `port`.
    pub async fn start_on(port: u16) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.expect("bind");
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = Arc::clone(&received);
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let store = Arc::clone(&store);
                tokio::spawn(async move {
                    let _ = session(socket, store).await;
                });
            }
        });
        Self {
            port,
            received,
            task,
        }
    }

    /// `smtp_url` for this sink.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=off", self.port)
    }

    pub fn messages(&self) -> Vec<Mail> {
        self.received.lock().unwrap().clone()
    }
}

impl Drop for SmtpSink {
    /// Stops accepting connections.
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A port nothing listens on (yet).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

async fn session(
    socket: tokio::net::TcpStream,
    store: Arc<Mutex<Vec<Mail>>>,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 sink ESMTP\r\n").await?;
    while let Some(line) = lines.next_line().await? {
        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => write.write_all(b"250-sink\r\n250 8BITMIME\r\n").await?,
            "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => write.write_all(b"250 OK\r\n").await?,
            "DATA" => {
                write.write_all(b"354 go on\r\n").await?;
                let mut data = String::new();
                while let Some(l) = lines.next_line().await? {
                    if l == "." {
                        break;
                    }
                    data.push_str(l.strip_prefix('.').unwrap_or(&l));
                    data.push_str("\r\n");
                }
                store.lock().unwrap().push(Mail::parse(&data));
                write.write_all(b"250 queued\r\n").await?;
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                break;
            }
            _ => write.write_all(b"502 not implemented\r\n").await?,
        }
    }
    Ok(())
}
