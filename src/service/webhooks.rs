//! Security notifications by the Standard Webhooks scheme. [`types_for`] says which audit
//! events become which webhook events; they are queued in the outbox in the transaction of
//! the change (`store::insert_audits`). [`run`] delivers them: in order per user, at least
//! once, retrying with backoff (5 s, doubling to 10 minutes) and giving up after 24 hours.
//! Several instances share the outbox: an event is claimed for one attempt at a time.

use std::time::Duration;

use anyhow::Context;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Map, Value};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::AppState;
use crate::store::{OutboxRecord, WebhookAttempt};

pub use super::webhook_types::types_for;

/// First retry after this long; each further one waits twice as long...
const FIRST_RETRY_SECONDS: i64 = 5;
/// ...up to this long between tries.
const MAX_RETRY_SECONDS: i64 = 600;
/// Events older than this are given up on after a failed try.
const GIVE_UP_AFTER_SECONDS: i64 = 24 * 3600;
/// How long one instance holds an event for an attempt (longer than the request timeout).
const LEASE_SECONDS: i64 = 30;
/// Timeout of one delivery request.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the outbox is looked at when it had nothing due.
const POLL: Duration = Duration::from_millis(500);

/// Seconds to wait before try `attempts + 1`, after `attempts` failed tries.
pub fn retry_delay(attempts: i64) -> i64 {
    crate::domain::backoff::doubling(FIRST_RETRY_SECONDS, MAX_RETRY_SECONDS, attempts)
}

/// The signing secret: base64 (standard), optionally prefixed with `whsec_`.
pub fn parse_secret(secret: &SecretString) -> anyhow::Result<Zeroizing<Vec<u8>>> {
    let text = secret.expose_secret().trim();
    let text = text.strip_prefix("whsec_").unwrap_or(text);
    let bytes = Zeroizing::new(
        STANDARD
            .decode(text)
            .context("webhook_secret is not valid base64")?,
    );
    anyhow::ensure!(
        bytes.len() >= 24,
        "webhook_secret must be at least 24 bytes (base64), got {}",
        bytes.len()
    );
    Ok(bytes)
}

/// Checks the webhook settings: both or neither, a valid URL and secret.
pub fn check_settings(settings: &crate::config::Settings) -> anyhow::Result<()> {
    match (&settings.webhook_url, &settings.webhook_secret) {
        (None, None) => Ok(()),
        (Some(url), Some(secret)) => {
            anyhow::ensure!(
                url.starts_with("http://") || url.starts_with("https://"),
                "webhook_url must be an http:// or https:// URL"
            );
            reqwest::Url::parse(url).context("webhook_url is not a valid URL")?;
            parse_secret(secret).map(|_| ())
        }
        (Some(_), None) => anyhow::bail!("webhook_url is set but webhook_secret is not"),
        (None, Some(_)) => anyhow::bail!("webhook_secret is set but webhook_url is not"),
    }
}

/// The `webhook-signature` value of a message: `v1,` + base64 HMAC-SHA256 of
/// `id.timestamp.body` under `secret`.
pub fn sign(secret: &[u8], id: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body.as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// The JSON body of an event: `{type, timestamp, data: {userId, email, ...}}`. The same
/// bytes on every try.
pub fn body(event: &OutboxRecord) -> String {
    let mut data = Map::new();
    data.insert("userId".into(), json!(event.user_id));
    data.insert("email".into(), json!(event.email));
    if let Ok(Value::Object(details)) = serde_json::from_str::<Value>(&event.data) {
        for (k, v) in details {
            data.entry(k).or_insert(v);
        }
    }
    let timestamp = time::OffsetDateTime::from_unix_timestamp(event.created_at)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default();
    json!({ "type": event.kind, "timestamp": timestamp, "data": data }).to_string()
}

/// Delivers the outbox until the task is aborted.
pub async fn run(state: AppState) {
    let (Some(url), Some(secret)) = (&state.settings.webhook_url, &state.settings.webhook_secret)
    else {
        return;
    };
    let secret = match parse_secret(secret) {
        Ok(secret) => secret,
        Err(error) => {
            tracing::error!(%error, "webhooks are off");
            return;
        }
    };
    let client = match reqwest::Client::builder()
        .timeout(SEND_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("twofold/", env!("CARGO_PKG_VERSION")))
        .build()
    {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "webhooks are off: no HTTP client");
            return;
        }
    };
    loop {
        let sent = match deliver_due(&state, &client, url, &secret).await {
            Ok(sent) => sent,
            Err(error) => {
                tracing::warn!(%error, "webhook outbox unavailable");
                0
            }
        };
        if let Ok(backlog) = state.store.webhook_backlog().await {
            metrics::gauge!("twofold_webhook_backlog").set(backlog as f64);
        }
        if sent == 0 {
            tokio::time::sleep(POLL).await;
        }
    }
}

/// One pass over the events due now; returns how many were tried.
async fn deliver_due(
    state: &AppState,
    client: &reqwest::Client,
    url: &str,
    secret: &[u8],
) -> anyhow::Result<usize> {
    let now = state.now();
    let due = state.store.due_webhooks(now, 64).await?;
    let mut tried = 0;
    for event in due {
        if !state
            .store
            .claim_webhook(event.seq, event.next_attempt_at, now + LEASE_SECONDS)
            .await?
        {
            continue; // another instance took it
        }
        tried += 1;
        let attempts = event.attempts + 1;
        let outcome = send(client, url, secret, &event, state.now()).await;
        let now = state.now();
        match outcome {
            Ok(()) => {
                state
                    .store
                    .settle_webhook(event.seq, &WebhookAttempt::Delivered { at: now })
                    .await?;
                metrics::counter!("twofold_webhook_deliveries_total", "outcome" => "ok")
                    .increment(1);
            }
            Err(error) if now - event.created_at >= GIVE_UP_AFTER_SECONDS => {
                tracing::error!(id = %event.id, kind = %event.kind, %error, attempts, "webhook given up");
                state
                    .store
                    .settle_webhook(event.seq, &WebhookAttempt::Failed { at: now, error })
                    .await?;
                metrics::counter!("twofold_webhook_deliveries_total", "outcome" => "failed")
                    .increment(1);
            }
            Err(error) => {
                let next = now + retry_delay(attempts);
                tracing::warn!(id = %event.id, kind = %event.kind, %error, attempts, "webhook delivery failed; will retry");
                state
                    .store
                    .settle_webhook(
                        event.seq,
                        &WebhookAttempt::Retry {
                            next_at: next,
                            error,
                        },
                    )
                    .await?;
                metrics::counter!("twofold_webhook_deliveries_total", "outcome" => "retry")
                    .increment(1);
            }
        }
    }
    Ok(tried)
}

/// One try: a 2xx answer is a delivery.
async fn send(
    client: &reqwest::Client,
    url: &str,
    secret: &[u8],
    event: &OutboxRecord,
    now: i64,
) -> Result<(), String> {
    let body = body(event);
    let signature = sign(secret, &event.id, now, &body);
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &event.id)
        .header("webhook-timestamp", now.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await
        .map_err(|e| format!("request failed: {}", without_url(&e)))?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(format!("answered {}", response.status().as_u16()))
    }
}

/// The error without the URL (which may carry a token in its query).
fn without_url(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "connection refused or unreachable"
    } else {
        "error"
    };
    kind.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::audit::AuditKind;

    #[test]
    fn backoff_starts_at_5_s_and_doubles_to_10_minutes() {
        let delays: Vec<i64> = (1..=10).map(retry_delay).collect();
        assert_eq!(delays, [5, 10, 20, 40, 80, 160, 320, 600, 600, 600]);
    }

    #[test]
    fn signature_matches_the_standard_webhooks_example() {
        // The example of the Standard Webhooks specification (spec/standard-webhooks.md).
        let secret = STANDARD.decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            sign(&secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn recovery_codes_low_comes_with_the_use_of_the_third_last() {
        assert_eq!(
            types_for(AuditKind::MfaRecoveryCodeUsed, &json!({"remaining": 2})),
            ["mfa.recovery_code.used", "mfa.recovery_codes.low"]
        );
        assert_eq!(
            types_for(AuditKind::MfaRecoveryCodeUsed, &json!({"remaining": 3})),
            ["mfa.recovery_code.used"]
        );
        assert!(types_for(AuditKind::LoginSucceeded, &json!({})).is_empty());
        for (audit, webhook) in [
            ("auth.mfa.factor.added", "mfa.factor.added"),
            ("auth.mfa.factor.renamed", "mfa.factor.renamed"),
            ("auth.mfa.factor.removed", "mfa.factor.removed"),
            (
                "auth.mfa.passkey.cloned_suspected",
                "mfa.passkey.cloned_suspected",
            ),
            ("auth.password.reset_requested", "password.reset_requested"),
            ("auth.password.reset", "password.reset"),
            ("auth.email.changed", "email.changed"),
            ("auth.email.verified", "email.verified"),
        ] {
            assert_eq!(
                types_for(AuditKind::parse(audit).unwrap(), &json!({})),
                [webhook]
            );
        }
    }

    #[test]
    fn secrets_must_be_long_enough() {
        let short = SecretString::from(STANDARD.encode([1u8; 16]));
        assert!(parse_secret(&short).is_err());
        let long = SecretString::from(format!("whsec_{}", STANDARD.encode([1u8; 24])));
        assert_eq!(parse_secret(&long).unwrap().len(), 24);
    }
}
