//! The authorization request (OIDC.md "The authorization request"): checked, kept while
//! the person signs in on the hosted pages (a reference to it rides along in `return_to`;
//! the request itself never comes back from the browser), then resumed: a fresh sign-in
//! for `prompt=login` and `max_age`, a second factor for `acr_values` or `--require-mfa`
//! (a step-up, or enrolling a first factor), consent for third-party clients, and finally
//! a single-use code sent back to the client.

use serde_json::json;

use super::clients::{self, Client};
use super::steps::{error_answer, Pending};
pub use super::steps::{resume_path, Answer, ConsentView, Params, Step, Unredirectable};
use super::{acr_of, issuer, two_factors, Bound, Browser, CODE, CODE_TTL, REQUEST_TTL};
use crate::crypto::token::TokenHasher;
use crate::domain::audit::AuditKind;
use crate::domain::oauth::{acr_wants_mfa, is_s256_challenge, parse_scopes, redirect_uri_matches};
use crate::service::error::{Error, Result};
use crate::service::{AppState, RequestMeta};
use crate::store::oidc::{CodeRecord, RequestRecord};

/// Starts an authorization request: checks it, keeps it, and takes its first step.
pub async fn start(
    state: &AppState,
    meta: &RequestMeta,
    params: &Params,
    browser: Option<&Browser>,
) -> std::result::Result<Step, Unredirectable> {
    let unredirectable = |m: &str| Unredirectable(m.to_owned());
    let client_id = params.client_id.as_deref().unwrap_or_default();
    let client = clients::find(state, client_id)
        .await
        .map_err(|_| unredirectable("The service is unavailable; try again."))?
        .ok_or_else(|| {
            unredirectable(
                "This app is not registered with this sign-in service (unknown client_id).",
            )
        })?;
    let redirect_uri = match params.redirect_uri.as_deref() {
        Some(uri) if redirect_uri_matches(&client.redirect_uris, uri) => uri.to_owned(),
        Some(_) => {
            return Err(unredirectable(
                "The app asked to return to an address it did not register (redirect_uri).",
            ))?
        }
        // OpenID Connect Core 3.1.2.1: required (and then required at the token endpoint).
        None => {
            return Err(unredirectable(
                "The app did not say where to return (redirect_uri).",
            ))?
        }
    };
    let iss = issuer(state);
    let form_post = params.response_mode.as_deref() == Some("form_post");
    let st = params.state.as_deref();
    let refuse = |error: &str, description: &str| {
        Ok(error_answer(
            &redirect_uri,
            form_post,
            st,
            &iss,
            error,
            description,
        ))
    };
    match params.response_mode.as_deref() {
        None | Some("query") | Some("form_post") => {}
        Some(_) => {
            return refuse(
                "invalid_request",
                "response_mode must be query or form_post",
            )
        }
    }
    match params.response_type.as_deref() {
        Some("code") => {}
        None => return refuse("invalid_request", "response_type is required"),
        Some(_) => {
            return refuse(
                "unsupported_response_type",
                "only the authorization code flow (response_type=code) is supported",
            )
        }
    }
    if params.request.is_some() {
        return refuse("request_not_supported", "request objects are not supported");
    }
    if params.request_uri.is_some() {
        return refuse("request_uri_not_supported", "request_uri is not supported");
    }
    let scopes = parse_scopes(params.scope.as_deref().unwrap_or_default());
    if !scopes.iter().any(|s| s == "openid") {
        return refuse("invalid_scope", "the scope must include openid");
    }
    if let Some(s) = scopes.iter().find(|s| !client.scopes.contains(s)) {
        return refuse(
            "invalid_scope",
            &format!("this app may not ask for the scope {s}"),
        );
    }
    let code_challenge = match (
        params.code_challenge.as_deref(),
        params.code_challenge_method.as_deref(),
    ) {
        (None, None) if client.public => {
            return refuse(
                "invalid_request",
                "PKCE (code_challenge with S256) is required for this client",
            )
        }
        (None, None) => None,
        (None, Some(_)) => return refuse("invalid_request", "code_challenge is missing"),
        (Some(_), Some("plain")) | (Some(_), None) => {
            return refuse(
                "invalid_request",
                "only the S256 code_challenge_method is supported",
            )
        }
        (Some(c), Some("S256")) if is_s256_challenge(c) => Some(c.to_owned()),
        (Some(_), Some("S256")) => {
            return refuse("invalid_request", "the code_challenge is malformed")
        }
        (Some(_), Some(_)) => {
            return refuse(
                "invalid_request",
                "only the S256 code_challenge_method is supported",
            )
        }
    };
    let prompt: Vec<String> = parse_scopes(params.prompt.as_deref().unwrap_or_default());
    if prompt
        .iter()
        .any(|p| !["none", "login", "consent", "select_account"].contains(&p.as_str()))
    {
        return refuse("invalid_request", "unknown prompt value");
    }
    if prompt.iter().any(|p| p == "none") && prompt.len() > 1 {
        return refuse(
            "invalid_request",
            "prompt=none cannot be combined with other values",
        );
    }
    let max_age = match params.max_age.as_deref() {
        None | Some("") => None,
        Some(m) => match m.parse::<i64>() {
            Ok(m) if m >= 0 => Some(m),
            _ => return refuse("invalid_request", "max_age must be a number of seconds"),
        },
    };
    let hint_sub = match params.id_token_hint.as_deref() {
        None | Some("") => None,
        Some(hint) => match super::tokens::id_token_subject(state, hint, &client.id).await {
            Some(sub) => Some(sub),
            None => {
                return refuse(
                    "invalid_request",
                    "the id_token_hint is not an ID token of this issuer for this app",
                )
            }
        },
    };
    if params.nonce.as_deref().is_some_and(|n| n.len() > 512) || st.is_some_and(|s| s.len() > 2048)
    {
        return refuse("invalid_request", "state or nonce is too long");
    }
    let pending = Pending {
        redirect_uri: redirect_uri.clone(),
        scopes,
        state: params.state.clone(),
        nonce: params.nonce.clone().filter(|n| !n.is_empty()),
        code_challenge,
        form_post,
        prompt,
        max_age,
        login_hint: params
            .login_hint
            .clone()
            .filter(|h| !h.is_empty() && h.len() <= 320),
        want_mfa: client.require_mfa || params.acr_values.as_deref().is_some_and(acr_wants_mfa),
        hint_sub,
    };
    let now = state.now();
    let record = RequestRecord {
        id: TokenHasher::generate(),
        client_id: client.id.clone(),
        data: json!(pending).to_string(),
        created_at: now,
        expires_at: now + REQUEST_TTL,
    };
    if state
        .store
        .insert_authorization_request(&record)
        .await
        .is_err()
    {
        return refuse("server_error", "the request could not be kept; try again");
    }
    next(state, meta, &client, &record, pending, browser, false)
        .await
        .or_else(|_| {
            refuse(
                "server_error",
                "the sign-in could not be completed; try again",
            )
        })
}

/// Resumes kept request `id` after the pages: its next step.
pub async fn resume(
    state: &AppState,
    meta: &RequestMeta,
    id: &str,
    browser: Option<&Browser>,
) -> std::result::Result<Step, Unredirectable> {
    let (client, record, pending) = load(state, id).await?;
    let iss = issuer(state);
    match next(
        state,
        meta,
        &client,
        &record,
        pending.clone(),
        browser,
        false,
    )
    .await
    {
        Ok(step) => Ok(step),
        Err(_) => Ok(pending.refusal(
            &iss,
            "server_error",
            "the sign-in could not be completed; try again",
        )),
    }
}

async fn load(
    state: &AppState,
    id: &str,
) -> std::result::Result<(Client, RequestRecord, Pending), Unredirectable> {
    let gone = || {
        Unredirectable("This sign-in request has expired or was already answered: go back to the app and start again.".into())
    };
    if !TokenHasher::is_well_formed(id) {
        return Err(gone());
    }
    let record = state
        .store
        .authorization_request(id, state.now())
        .await
        .map_err(|_| gone())?
        .ok_or_else(gone)?;
    let pending: Pending = serde_json::from_str(&record.data).map_err(|_| gone())?;
    let client = clients::find(state, &record.client_id)
        .await
        .ok()
        .flatten()
        .ok_or_else(gone)?;
    Ok((client, record, pending))
}

/// Decides the next step of a kept request for the person signed in (if anyone).
async fn next(
    state: &AppState,
    meta: &RequestMeta,
    client: &Client,
    record: &RequestRecord,
    pending: Pending,
    browser: Option<&Browser>,
    allowed: bool,
) -> Result<Step> {
    let iss = issuer(state);
    let resume = resume_path(&record.id);
    let none = pending.prompt.iter().any(|p| p == "none");
    let refuse = |error: &str, description: &str| pending.refusal(&iss, error, description);
    let Some(browser) = browser else {
        if none {
            return answer_error(
                state,
                record,
                refuse("login_required", "nobody is signed in"),
            )
            .await;
        }
        return Ok(Step::SignIn {
            resume,
            login_hint: pending.login_hint.clone(),
        });
    };
    let claims = &browser.claims;
    let now = state.now();
    if pending
        .hint_sub
        .as_deref()
        .is_some_and(|sub| sub != claims.sub)
        && none
    {
        return answer_error(
            state,
            record,
            refuse("login_required", "another person is signed in"),
        )
        .await;
    }
    let fresh_login =
        pending.prompt.iter().any(|p| p == "login") && claims.auth_time < record.created_at;
    let too_old = pending.max_age.is_some_and(|m| claims.auth_time < now - m)
        && !(pending.max_age == Some(0) && claims.auth_time >= record.created_at);
    if fresh_login || too_old {
        if none {
            return answer_error(
                state,
                record,
                refuse("login_required", "a new sign-in is needed"),
            )
            .await;
        }
        return Ok(Step::StepUp { resume });
    }
    if pending.want_mfa && !two_factors(&claims.amr) {
        if none {
            return answer_error(
                state,
                record,
                refuse("interaction_required", "a second factor is needed"),
            )
            .await;
        }
        let methods = crate::service::stepup::methods(state, &claims.sub).await?;
        return Ok(if methods.contains(&"password") {
            Step::Enroll { resume }
        } else {
            Step::StepUp { resume }
        });
    }
    let granted = match state.store.grant(&claims.sub, &client.id).await? {
        Some(scopes) => {
            let scopes = parse_scopes(&scopes);
            pending.scopes.iter().all(|s| scopes.contains(s))
        }
        None => false,
    };
    let ask = !client.first_party && (!granted || pending.prompt.iter().any(|p| p == "consent"));
    if ask && allowed {
        // The person just answered the consent page: every check above held again.
        return issue_code(state, meta, client, record, &pending, claims, true).await;
    }
    if ask {
        if none {
            return answer_error(
                state,
                record,
                refuse(
                    "consent_required",
                    "the person has not allowed this app yet",
                ),
            )
            .await;
        }
        return Ok(Step::Consent(ConsentView {
            request_id: record.id.clone(),
            client_name: client.name.clone(),
            scopes: pending.scopes.clone(),
        }));
    }
    issue_code(state, meta, client, record, &pending, claims, false).await
}

/// The person's answer on the consent page of request `id`.
pub async fn consent(
    state: &AppState,
    meta: &RequestMeta,
    id: &str,
    browser: &Browser,
    allow: bool,
) -> std::result::Result<Step, Unredirectable> {
    let (client, record, pending) = load(state, id).await?;
    let iss = issuer(state);
    let failed = |error: &str, description: &str| pending.refusal(&iss, error, description);
    // Allowing goes through every check of the request again (a second factor, a fresh
    // sign-in): the consent page is not a way around them.
    let step = if allow {
        next(
            state,
            meta,
            &client,
            &record,
            pending.clone(),
            Some(browser),
            true,
        )
        .await
    } else {
        answer_error(
            state,
            &record,
            failed("access_denied", "the person did not allow this app"),
        )
        .await
    };
    Ok(step.unwrap_or_else(|_| {
        failed(
            "server_error",
            "the sign-in could not be completed; try again",
        )
    }))
}

/// Answers a kept request with an error (the request is used up).
async fn answer_error(state: &AppState, record: &RequestRecord, step: Step) -> Result<Step> {
    state
        .store
        .answer_request(&record.id, None, None, Vec::new())
        .await?;
    Ok(step)
}

/// Issues the code that answers a kept request (recording consent when `consented`).
async fn issue_code(
    state: &AppState,
    meta: &RequestMeta,
    client: &Client,
    record: &RequestRecord,
    pending: &Pending,
    claims: &crate::crypto::jwt::Claims,
    consented: bool,
) -> Result<Step> {
    let now = state.now();
    let code = TokenHasher::generate();
    let bound = Bound {
        redirect_uri: pending.redirect_uri.clone(),
        code_challenge: pending.code_challenge.clone(),
        nonce: pending.nonce.clone(),
        scopes: pending.scopes.clone(),
        sid: claims.sid.clone(),
        auth_time: claims.auth_time,
        amr: claims.amr.clone(),
        ip: meta.ip.clone(),
        user_agent: meta.user_agent.clone(),
    };
    let record_code = CodeRecord {
        code_hash: state.keys.tokens.hash(CODE, &code),
        client_id: client.id.clone(),
        user_id: claims.sub.clone(),
        data: json!(bound).to_string(),
        created_at: now,
        expires_at: now + CODE_TTL,
    };
    let details = json!({
        "clientId": client.id, "clientName": client.name, "scope": pending.scopes.join(" "),
        "acr": acr_of(&claims.amr), "sessionId": claims.sid,
    });
    let mut audit = vec![state.event(AuditKind::OidcAuthorized, Some(&claims.sub), meta, details)];
    let grant = consented.then(|| (claims.sub.clone(), pending.scopes.join(" ")));
    if consented {
        audit.insert(
            0,
            state.event(
                AuditKind::OidcConsentGranted,
                Some(&claims.sub),
                meta,
                json!({ "clientId": client.id, "clientName": client.name, "scope": pending.scopes.join(" ") }),
            ),
        );
    }
    if !state
        .store
        .answer_request(&record.id, Some(record_code), grant, audit)
        .await?
    {
        return Err(Error::NotFound);
    }
    metrics::counter!("twofold_oidc_authorizations_total").increment(1);
    let mut params = vec![("code".to_owned(), code)];
    if let Some(st) = &pending.state {
        params.push(("state".to_owned(), st.clone()));
    }
    params.push(("iss".to_owned(), issuer(state)));
    Ok(Step::Answer(Answer {
        redirect_uri: pending.redirect_uri.clone(),
        params,
        form_post: pending.form_post,
    }))
}
