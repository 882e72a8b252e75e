//! Sending mail (EMAIL.md): the outbox's delivery, the messages' words, and the two ways
//! out: SMTP through lettre (STARTTLS or implicit TLS) when `smtp_url` is set, else an
//! `.eml` file per message under `{data_dir}/mail/` with its link logged. Messages are
//! queued in the transaction of the change that causes them (`service::email`, and the
//! security notices with their audit events); [`run`] sends each once, retrying with
//! backoff (1 minute doubling to 1 hour) and giving up after 24 hours. Several instances
//! share the outbox: a message is claimed for one attempt at a time.

mod message;
mod transport;

use std::time::Duration;

use serde_json::Value;

pub use message::{compose, from_mailbox};
pub use transport::Transport;

use super::email::{link_token, LinkPurpose};
use super::AppState;
use crate::config::Settings;
use crate::domain::backoff::next_try;
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

/// Checks the mail settings: the SMTP URL, CA and password files, and `mail_from`.
pub fn check_settings(settings: &Settings) -> anyhow::Result<()> {
    Transport::from_settings(settings)?;
    from_mailbox(settings)?;
    Ok(())
}

/// Sends a test message to `to` at once (`twofold mail test`): what the server answered.
pub async fn send_test(settings: &Settings, to: &str) -> anyhow::Result<String> {
    let transport = Transport::from_settings(settings)?;
    let message = message::test_message(settings, to)?;
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
                let delay = retry_delay(attempts);
                match next_try(now, mail.created_at, GIVE_UP_AFTER_SECONDS, delay) {
                    None => {
                        tracing::error!(id = %mail.id, %error, "mail given up on");
                        metrics::counter!("twofold_mail_total", "outcome" => "failed").increment(1);
                        MailAttempt::Failed { at: now, error }
                    }
                    Some(next_at) => {
                        tracing::warn!(id = %mail.id, %error, attempts, next_at, "mail not sent; will retry");
                        metrics::counter!("twofold_mail_total", "outcome" => "retry").increment(1);
                        MailAttempt::Retry { next_at, error }
                    }
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
    fn retries_back_off_to_an_hour() {
        assert_eq!(retry_delay(1), 60);
        assert_eq!(retry_delay(2), 120);
        assert_eq!(retry_delay(7), 3600);
        assert_eq!(retry_delay(40), 3600);
    }
}
