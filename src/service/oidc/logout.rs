//! Logout: RP-Initiated Logout 1.0 (the app sends the person to `/oauth2/logout`), and
//! Back-Channel Logout 1.0: whenever a session a client holds ends, whatever ended it, a
//! trigger queues a message in the transaction that ended it, and [`run`] POSTs the
//! signed `logout_token` with the webhooks' retries (5 s doubling to 10 minutes, given up
//! after 24 hours), one instance per message.

use std::time::Duration;

use serde_json::json;

use super::clients::{self, Client};
use super::issuer;
use super::tokens::id_token_hint;
use crate::crypto::jwt::Claims;
use crate::domain::audit::AuditKind;
use crate::domain::backoff::next_try;
use crate::domain::oauth::redirect_uri_matches;
use crate::service::webhooks::retry_delay;
use crate::service::{AppState, RequestMeta};
use crate::store::oidc::LogoutRecord;
use crate::store::MailAttempt;

/// The parameters of a logout request.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Params {
    pub id_token_hint: Option<String>,
    pub client_id: Option<String>,
    pub post_logout_redirect_uri: Option<String>,
    pub state: Option<String>,
}

/// What to do with a logout request.
#[derive(Debug, Clone)]
pub enum Step {
    /// Ask the person first (the hint is missing, or names someone else).
    Confirm { client_name: Option<String> },
    /// Done (or nothing to end): go to `redirect` (the app's page, with `state`), or show
    /// the signed-out page.
    Done { redirect: Option<String> },
}

/// A refused logout request: shown on a page, never redirected.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

/// Checks a logout request; ends the session at once when the hint names the person
/// signed in (or when nobody is), else asks (`confirmed` is the answer to that question).
pub async fn request(
    state: &AppState,
    meta: &RequestMeta,
    params: &Params,
    signed_in: Option<&Claims>,
    confirmed: bool,
) -> Result<Step, Refused> {
    let hint = match params.id_token_hint.as_deref().filter(|h| !h.is_empty()) {
        Some(token) => Some(id_token_hint(state, token).await.ok_or_else(|| {
            Refused("The app's id_token_hint is not an ID token of this service.".into())
        })?),
        None => None,
    };
    let client_id = params
        .client_id
        .clone()
        .filter(|c| !c.is_empty())
        .or(hint.as_ref().map(|h| h.aud.clone()));
    if let (Some(hint), Some(id)) = (&hint, &params.client_id) {
        if &hint.aud != id {
            return Err(Refused(
                "The id_token_hint was not issued to this client_id.".into(),
            ));
        }
    }
    let client: Option<Client> = match &client_id {
        Some(id) => Some(
            clients::find(state, id)
                .await
                .map_err(|_| Refused("The service is unavailable; try again.".into()))?
                .ok_or_else(|| {
                    Refused("This app is not registered with this sign-in service.".into())
                })?,
        ),
        None => None,
    };
    let redirect = match params
        .post_logout_redirect_uri
        .as_deref()
        .filter(|u| !u.is_empty())
    {
        None => None,
        Some(uri) => {
            let registered = client
                .as_ref()
                .is_some_and(|c| redirect_uri_matches(&c.post_logout_redirect_uris, uri));
            if !registered {
                return Err(Refused(
                    "The app asked to return to an address it did not register (post_logout_redirect_uri).".into(),
                ));
            }
            let mut url = url::Url::parse(uri)
                .map_err(|_| Refused("Bad post_logout_redirect_uri.".into()))?;
            if let Some(st) = &params.state {
                url.query_pairs_mut().append_pair("state", st);
            }
            Some(url.to_string())
        }
    };
    let now = state.now();
    let Some(claims) = signed_in else {
        // Nobody is signed in here: what remains is the app's own sign-in, which its ID
        // token names.
        if let Some(sid) = hint.as_ref().and_then(|h| h.sid.clone()) {
            let _ = state.store.end_session(&sid, now, Vec::new()).await;
        }
        return Ok(Step::Done { redirect });
    };
    let hint_matches = hint.as_ref().is_some_and(|h| h.sub == claims.sub);
    if !hint_matches && !confirmed {
        return Ok(Step::Confirm {
            client_name: client.map(|c| c.name),
        });
    }
    let audit = state.event(
        AuditKind::Logout,
        Some(&claims.sub),
        meta,
        json!({ "sessionId": claims.sid, "clientId": client_id, "by": "rp_initiated" }),
    );
    let ended = state.store.end_session(&claims.sid, now, vec![audit]).await;
    if let (Some(sid), true) = (hint.as_ref().and_then(|h| h.sid.clone()), hint_matches) {
        let _ = state.store.end_session(&sid, now, Vec::new()).await;
    }
    ended.map_err(|_| Refused("The service is unavailable; try again.".into()))?;
    Ok(Step::Done { redirect })
}

/// How long one instance holds a message for an attempt.
const LEASE_SECONDS: i64 = 30;
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
const GIVE_UP_AFTER_SECONDS: i64 = 24 * 3600;
const POLL: Duration = Duration::from_millis(500);

/// Delivers back-channel logouts until the process ends.
pub async fn run(state: AppState) {
    let client = match reqwest::Client::builder().timeout(SEND_TIMEOUT).build() {
        Ok(c) => c,
        Err(error) => {
            tracing::error!(%error, "no HTTP client: back-channel logout is off");
            return;
        }
    };
    loop {
        match send_due(&state, &client).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "back-channel logout outbox"),
        }
        tokio::time::sleep(POLL).await;
    }
}

/// One pass over the due messages; how many were tried.
pub async fn send_due(state: &AppState, http: &reqwest::Client) -> anyhow::Result<usize> {
    let due = state.store.due_logouts(state.now(), 50).await?;
    let mut tried = 0;
    for message in due {
        let lease_until = state.now() + LEASE_SECONDS;
        if !state
            .store
            .claim_logout(message.seq, message.next_attempt_at, lease_until)
            .await?
        {
            continue;
        }
        tried += 1;
        let now = state.now();
        let attempt = match deliver(state, http, &message).await {
            Ok(()) => {
                metrics::counter!("twofold_oidc_backchannel_logout_total", "outcome" => "sent")
                    .increment(1);
                MailAttempt::Sent { at: now }
            }
            Err(error) => {
                let error = format!("{error:#}");
                let delay = retry_delay(message.attempts + 1);
                match next_try(now, message.created_at, GIVE_UP_AFTER_SECONDS, delay) {
                    None => {
                        tracing::error!(seq = message.seq, %error, "back-channel logout given up on");
                        metrics::counter!("twofold_oidc_backchannel_logout_total", "outcome" => "failed").increment(1);
                        MailAttempt::Failed { at: now, error }
                    }
                    Some(next_at) => {
                        tracing::warn!(seq = message.seq, %error, next_at, "back-channel logout not delivered; will retry");
                        metrics::counter!("twofold_oidc_backchannel_logout_total", "outcome" => "retry").increment(1);
                        MailAttempt::Retry { next_at, error }
                    }
                }
            }
        };
        state.store.settle_logout(message.seq, &attempt).await?;
    }
    Ok(tried)
}

/// POSTs one `logout_token` (a removed client, or one without the URI now, is done).
async fn deliver(
    state: &AppState,
    http: &reqwest::Client,
    message: &LogoutRecord,
) -> anyhow::Result<()> {
    let Some(client) = clients::find(state, &message.client_id).await? else {
        return Ok(());
    };
    let Some(uri) = &client.backchannel_logout_uri else {
        return Ok(());
    };
    let now = state.now();
    let claims = json!({
        "iss": issuer(state), "aud": client.id, "iat": now, "exp": now + 120,
        "jti": uuid::Uuid::new_v4().to_string(), "sub": message.user_id, "sid": message.session_id,
        "events": { "http://schemas.openid.net/event/backchannel-logout": {} },
    });
    let token = state
        .keys
        .ring
        .current()
        .sign_as(client.id_token_alg, "logout+jwt", &claims)?;
    let response = http
        .post(uri)
        .header("cache-control", "no-store")
        .form(&[("logout_token", token)])
        .send()
        .await?;
    anyhow::ensure!(
        response.status().is_success(),
        "the client answered {}",
        response.status()
    );
    Ok(())
}
