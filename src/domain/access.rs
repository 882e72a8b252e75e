//! Forward authentication's rules (PROXY.md): `[[access_rules]]` checked in order, first
//! match wins, and the normalization of what they match (host and path) so that no
//! spelling of a path gets past a rule written for another. Pure: no I/O.

use regex::Regex;

pub use super::normalize::{normalize_host, normalize_path};

/// What a rule asks of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    Bypass,
    OneFactor,
    TwoFactor,
    Deny,
}

impl Policy {
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "bypass" => Self::Bypass,
            "one_factor" => Self::OneFactor,
            "two_factor" => Self::TwoFactor,
            "deny" => Self::Deny,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bypass => "bypass",
            Self::OneFactor => "one_factor",
            Self::TwoFactor => "two_factor",
            Self::Deny => "deny",
        }
    }
}

/// A rule as written in the settings (`[[access_rules]]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSetting {
    pub domain: Vec<String>,
    pub resources: Vec<String>,
    pub methods: Vec<String>,
    pub subject: Vec<String>,
    pub policy: String,
}

/// Who a subject names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// `group:NAME`: a role.
    Group(String),
    /// `user:EMAIL` (or a user id).
    User(String),
}

/// A checked rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Exact hosts, or `*.suffix` (one leading wildcard: any subdomain of suffix).
    pub domains: Vec<String>,
    pub resources: Vec<Regex>,
    pub methods: Vec<String>,
    pub subjects: Vec<Subject>,
    pub policy: Policy,
}

/// The rules in force, and the policy when none matches.
#[derive(Debug, Clone)]
pub struct Rules {
    pub rules: Vec<Rule>,
    pub default: Policy,
}

/// The request a proxy asks about, normalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub path: String,
    pub method: String,
}

/// The person asking, as the rules see them.
#[derive(Debug, Clone)]
pub struct Who<'a> {
    pub user_id: &'a str,
    pub email: &'a str,
    pub groups: &'a [String],
}

/// The first rule matching `target` decides: its policy and whom it is for.
#[derive(Debug, Clone, Copy)]
pub struct Matched<'a> {
    pub policy: Policy,
    pub subjects: &'a [Subject],
}

impl Rules {
    /// Checks the settings: each rule's domains (inside `cookie_domain` when set), regular
    /// expressions, methods, subjects and policy; an error names the rule (1-based).
    pub fn parse(
        settings: &[RuleSetting],
        default_policy: &str,
        cookie_domain: Option<&str>,
    ) -> Result<Self, String> {
        let default = Policy::parse(default_policy).ok_or_else(|| {
            format!(
                "default_policy {default_policy:?} is not bypass, one_factor, two_factor or deny"
            )
        })?;
        let rules = settings
            .iter()
            .enumerate()
            .map(|(i, r)| {
                parse_rule(r, cookie_domain).map_err(|e| format!("access rule {}: {e}", i + 1))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { rules, default })
    }

    /// The decision for `target`: the first rule whose domain, path and method match.
    pub fn matching(&self, target: &Target) -> Matched<'_> {
        for rule in &self.rules {
            let domain = rule.domains.iter().any(|d| domain_matches(d, &target.host));
            let path = rule.resources.is_empty()
                || rule.resources.iter().any(|r| r.is_match(&target.path));
            let method =
                rule.methods.is_empty() || rule.methods.iter().any(|m| m == &target.method);
            if domain && path && method {
                return Matched {
                    policy: rule.policy,
                    subjects: &rule.subjects,
                };
            }
        }
        Matched {
            policy: self.default,
            subjects: &[],
        }
    }
}

impl Matched<'_> {
    /// Whether `who` is one of the rule's subjects (any of them; none listed: everyone).
    pub fn admits(&self, who: &Who<'_>) -> bool {
        self.subjects.is_empty()
            || self.subjects.iter().any(|s| match s {
                Subject::Group(g) => who.groups.iter().any(|x| x == g),
                Subject::User(u) => u.eq_ignore_ascii_case(who.email) || u == who.user_id,
            })
    }
}

fn parse_rule(r: &RuleSetting, cookie_domain: Option<&str>) -> Result<Rule, String> {
    if r.domain.is_empty() {
        return Err("domain is required".into());
    }
    let domains = r
        .domain
        .iter()
        .map(|d| {
            let d = d.trim().trim_end_matches('.').to_ascii_lowercase();
            let bare = d.strip_prefix("*.").unwrap_or(&d);
            if bare.is_empty() || bare.contains('*') || bare.contains('/') || bare.contains(':') {
                return Err(format!("domain {d:?} is not a host name or *.domain"));
            }
            if let Some(cookie) = cookie_domain {
                if !within(bare, cookie) {
                    return Err(format!("domain {d:?} is outside cookie_domain {cookie:?}"));
                }
            }
            Ok(d)
        })
        .collect::<Result<_, _>>()?;
    let resources = r
        .resources
        .iter()
        .map(|re| Regex::new(re).map_err(|e| format!("resources {re:?}: {e}")))
        .collect::<Result<_, _>>()?;
    let methods = r
        .methods
        .iter()
        .map(|m| {
            let m = m.to_ascii_uppercase();
            if m.is_empty() || !m.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(format!("method {m:?} is not an HTTP method"));
            }
            Ok(m)
        })
        .collect::<Result<_, _>>()?;
    let subjects = r
        .subject
        .iter()
        .map(|s| match s.split_once(':') {
            Some(("group", g)) if !g.is_empty() => Ok(Subject::Group(g.to_owned())),
            Some(("user", u)) if !u.is_empty() => Ok(Subject::User(u.to_owned())),
            _ => Err(format!("subject {s:?} is not group:NAME or user:EMAIL")),
        })
        .collect::<Result<_, _>>()?;
    let policy = Policy::parse(&r.policy).ok_or_else(|| {
        format!(
            "policy {:?} is not bypass, one_factor, two_factor or deny",
            r.policy
        )
    })?;
    Ok(Rule {
        domains,
        resources,
        methods,
        subjects,
        policy,
    })
}

/// Whether `host` is `domain` or a subdomain of it (both normalized).
pub fn within(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|rest| rest.len() > 1 && rest.ends_with('.'))
}

/// Whether rule domain `pattern` (`host` or `*.suffix`) matches normalized `host`.
fn domain_matches(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix("*.") {
        Some(suffix) => host.len() > suffix.len() + 1 && host.ends_with(&format!(".{suffix}")),
        None => pattern == host,
    }
}

/// Whether a session's `amr` says it proved two factors itself. A trusted browser's
/// session (`trusted`) proved its second factor in an earlier session, not in this one.
pub fn two_factors(amr: &[String]) -> bool {
    amr.iter().any(|a| a == "mfa") && !amr.iter().any(|a| a == "trusted")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(
        domain: &[&str],
        resources: &[&str],
        methods: &[&str],
        subject: &[&str],
        policy: &str,
    ) -> RuleSetting {
        let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        RuleSetting {
            domain: list(domain),
            resources: resources.iter().map(|s| s.to_string()).collect(),
            methods: list(methods),
            subject: list(subject),
            policy: policy.into(),
        }
    }

    fn target(host: &str, path: &str, method: &str) -> Target {
        Target {
            host: host.into(),
            path: path.into(),
            method: method.into(),
        }
    }

    #[test]
    fn within_a_domain_means_it_or_a_subdomain() {
        assert!(within("example.com", "example.com"));
        assert!(within("a.b.example.com", "example.com"));
        assert!(!within("badexample.com", "example.com"));
        assert!(!within("example.com.evil", "example.com"));
    }

    #[test]
    fn first_match_wins_and_the_default_catches_the_rest() {
        let rules = Rules::parse(
            &[
                rule(
                    &["app.example.com"],
                    &["^/api/public/"],
                    &["GET", "HEAD"],
                    &[],
                    "bypass",
                ),
                rule(
                    &["app.example.com"],
                    &["^/admin"],
                    &[],
                    &["group:admin"],
                    "two_factor",
                ),
                rule(&["*.example.com"], &[], &[], &[], "one_factor"),
            ],
            "deny",
            Some("example.com"),
        )
        .unwrap();
        let m = |h: &str, p: &str, method: &str| rules.matching(&target(h, p, method)).policy;
        assert_eq!(m("app.example.com", "/api/public/x", "GET"), Policy::Bypass);
        assert_eq!(
            m("app.example.com", "/api/public/x", "POST"),
            Policy::OneFactor
        );
        assert_eq!(
            m("app.example.com", "/admin/users", "GET"),
            Policy::TwoFactor
        );
        assert_eq!(
            m("app.example.com", "/ADMIN", "GET"),
            Policy::OneFactor,
            "case-sensitive"
        );
        assert_eq!(m("other.example.com", "/", "GET"), Policy::OneFactor);
        assert_eq!(
            m("example.com", "/", "GET"),
            Policy::Deny,
            "*. needs a subdomain"
        );
        assert_eq!(m("evil.com", "/", "GET"), Policy::Deny);
        let admin = rules.matching(&target("app.example.com", "/admin", "GET"));
        let groups = vec!["admin".to_owned()];
        assert!(admin.admits(&Who {
            user_id: "u1",
            email: "a@x",
            groups: &groups
        }));
        assert!(!admin.admits(&Who {
            user_id: "u2",
            email: "b@x",
            groups: &[]
        }));
    }

    #[test]
    fn bad_rules_are_refused_with_their_number() {
        let err = |r: RuleSetting| {
            Rules::parse(
                &[rule(&["a.example.com"], &[], &[], &[], "bypass"), r],
                "deny",
                Some("example.com"),
            )
            .unwrap_err()
        };
        assert!(err(rule(&["b.example.com"], &["("], &[], &[], "bypass"))
            .starts_with("access rule 2: resources"));
        assert!(err(rule(&["b.example.com"], &[], &[], &[], "allow")).contains("policy"));
        assert!(err(rule(&["evil.com"], &[], &[], &[], "bypass")).contains("outside cookie_domain"));
        assert!(err(rule(&["b.example.com"], &[], &[], &["admins"], "bypass")).contains("subject"));
        assert!(err(rule(&[], &[], &[], &[], "bypass")).contains("domain is required"));
        assert!(Rules::parse(&[], "maybe", None).is_err());
    }
}
