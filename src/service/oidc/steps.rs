//! What an authorization request is and where it goes next: the parameters as sent, the
//! checked request kept while the person signs in, and the steps and answers of
//! [`super::authorize`].

use serde::{Deserialize, Serialize};

/// The parameters of an authorization request, as sent.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Params {
    pub response_type: Option<String>,
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub response_mode: Option<String>,
    pub prompt: Option<String>,
    pub max_age: Option<String>,
    pub login_hint: Option<String>,
    pub acr_values: Option<String>,
    pub id_token_hint: Option<String>,
    pub request: Option<String>,
    pub request_uri: Option<String>,
}

/// A checked request, kept while the person signs in.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Pending {
    pub(super) redirect_uri: String,
    pub(super) scopes: Vec<String>,
    pub(super) state: Option<String>,
    pub(super) nonce: Option<String>,
    pub(super) code_challenge: Option<String>,
    pub(super) form_post: bool,
    pub(super) prompt: Vec<String>,
    pub(super) max_age: Option<i64>,
    pub(super) login_hint: Option<String>,
    pub(super) want_mfa: bool,
    /// `sub` of a valid `id_token_hint`.
    pub(super) hint_sub: Option<String>,
}

impl Pending {
    /// The error answer (RFC 6749 4.1.2.1) to this request.
    pub(super) fn refusal(&self, iss: &str, error: &str, description: &str) -> Step {
        error_answer(
            &self.redirect_uri,
            self.form_post,
            self.state.as_deref(),
            iss,
            error,
            description,
        )
    }
}

/// An answer to the client: to its redirect URI (a query, or a self-posting form).
#[derive(Debug, Clone)]
pub struct Answer {
    pub redirect_uri: String,
    pub params: Vec<(String, String)>,
    pub form_post: bool,
}

impl Answer {
    /// The redirect URI with the parameters in its query.
    pub fn location(&self) -> String {
        let mut url = match url::Url::parse(&self.redirect_uri) {
            Ok(url) => url,
            Err(_) => return self.redirect_uri.clone(),
        };
        url.query_pairs_mut().extend_pairs(&self.params);
        url.to_string()
    }
}

/// What a consent page shows.
#[derive(Debug, Clone)]
pub struct ConsentView {
    pub request_id: String,
    pub client_name: String,
    pub scopes: Vec<String>,
}

/// The next step of an authorization request.
#[derive(Debug, Clone)]
pub enum Step {
    /// Sign in on the pages (the email prefilled), then open `resume`.
    SignIn {
        resume: String,
        login_hint: Option<String>,
    },
    /// Prove it's you again on the pages (a fresh proof, or a second factor), then `resume`.
    StepUp { resume: String },
    /// Add a first factor on the pages, then `resume`.
    Enroll { resume: String },
    /// Ask the person.
    Consent(ConsentView),
    /// Back to the client.
    Answer(Answer),
}

/// A request that cannot go back to the client (unknown client, unregistered redirect
/// URI): shown to the person on an error page, never redirected.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct Unredirectable(pub String);

/// Where a kept request resumes.
pub fn resume_path(request_id: &str) -> String {
    format!("/oauth2/authorize/resume?id={request_id}")
}

pub(super) fn error_answer(
    pending_uri: &str,
    form_post: bool,
    state: Option<&str>,
    iss: &str,
    error: &str,
    description: &str,
) -> Step {
    let mut params = vec![
        ("error".to_owned(), error.to_owned()),
        ("error_description".to_owned(), description.to_owned()),
    ];
    if let Some(state) = state {
        params.push(("state".to_owned(), state.to_owned()));
    }
    params.push(("iss".to_owned(), iss.to_owned()));
    Step::Answer(Answer {
        redirect_uri: pending_uri.to_owned(),
        params,
        form_post,
    })
}
