//! Redaction of secrets in text and JSON: JWTs, AWS access keys, private key blocks,
//! passwords in URLs and `Authorization` values wherever they appear; the values of known
//! credential fields (`password=`, `"token": "…"`, `client-key-data:` at a line's start);
//! and, in prose, what follows a credential word when it is shaped like a secret
//! ([`shape`]), so `anonymous token: unexpected status` keeps its words. JSON and YAML inside
//! strings (annotations) are redacted as structure ([`json`]); errors about files that hold
//! secrets say where, not what ([`errors`]). kubedoctor's own placeholders (`<password>`) are
//! not secrets. The report applies it to findings ([`crate::report::redact`]), a capture to
//! the objects it writes ([`crate::sources::raw::Gathered::redact`]). On by default;
//! `--no-redact` turns it off.

mod errors;
mod json;
mod shape;

pub use errors::{key_at, quote_line, yaml_error};
pub use json::json_in_place;

use regex::{Captures, Regex, RegexSet};
use std::borrow::Cow;
use std::sync::LazyLock;

/// What replaces a secret.
pub const REDACTED: &str = "[REDACTED]";

/// The words that make a field name a credential's (see [`shape`] for which endings count).
const CRED: &str = r"password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|key[_-]?data|credential";

/// How a rule decides on one match: the replacement, or `None` to keep the text.
type Decide = fn(&Captures) -> Option<String>;

/// The match is a secret whole.
fn whole(_: &Captures) -> Option<String> {
    Some(REDACTED.to_string())
}

/// Group 1 is kept, group 2 is the secret.
fn after(c: &Captures) -> Option<String> {
    Some(format!("{}{REDACTED}", &c[1]))
}

/// Group 1 is kept, group 2 is the secret when it looks like one (`bearer authentication
/// required` is prose).
fn after_if_shaped(c: &Captures) -> Option<String> {
    shape::looks_secret(&c[2]).then(|| format!("{}{REDACTED}", &c[1]))
}

/// `"key": "value"` in JSON text: a credential field's value (not `secretName`'s).
fn json_field(c: &Captures) -> Option<String> {
    (!c[3].is_empty() && shape::credential_field(&c[2])).then(|| format!("{}{REDACTED}", &c[1]))
}

/// `key=value`: a credential field's value, or a secret-shaped value after a credential word.
fn assignment(c: &Captures) -> Option<String> {
    (shape::credential_field(&c[1]) || shape::looks_secret(&c[3]))
        .then(|| format!("{}{}{REDACTED}", &c[1], &c[2]))
}

/// `key: value`: at the start of a line (YAML, env files) a credential field's value; in prose
/// a password's, or a secret-shaped value (`anonymous token: unexpected status` is prose).
fn colon(c: &Captures) -> Option<String> {
    let key = &c[2];
    let line_start = c.get(1).is_some();
    let secret = (line_start && shape::credential_field(key))
        || shape::password_field(key)
        || shape::looks_secret(&c[4]);
    secret.then(|| {
        format!(
            "{}{key}{}{REDACTED}",
            c.get(1).map_or("", |m| m.as_str()),
            &c[3]
        )
    })
}

static RULES: LazyLock<Vec<(Regex, Decide)>> = LazyLock::new(|| {
    let r = |p: &str| Regex::new(&p.replace("CRED", CRED)).expect("valid redaction regex");
    vec![
        // Private key blocks (the rest of the text after a BEGIN line, when the END is not in it).
        (
            r(
                r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?s:.*?)(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\z)",
            ),
            whole,
        ),
        // JSON Web Tokens.
        (
            r(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}"),
            whole,
        ),
        // Authorization headers, whatever the scheme.
        (
            r(
                r#"(?i)\b(authorization\s*[:=]\s*"?(?:bearer\s+|basic\s+|token\s+)?)([A-Za-z0-9\-._~+/]{6,}=*)"#,
            ),
            after,
        ),
        (
            r(r"(?i)\b(bearer\s+)([A-Za-z0-9\-._~+/]{8,}=*)"),
            after_if_shaped,
        ),
        (
            r(r"(?i)\b(basic\s+)([A-Za-z0-9+/]{8,}={0,2})"),
            after_if_shaped,
        ),
        // user:password@ in URLs.
        (
            r(r"([a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:)([^@\s/]+)@"),
            |c| Some(format!("{}{REDACTED}@", &c[1])),
        ),
        // AWS access key ids.
        (r(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), whole),
        // "password": "x" in JSON.
        (
            r(r#"(?i)("([\w.-]*(?:CRED)[\w.-]*)"\s*:\s*")([^"]*)"#),
            json_field,
        ),
        // password=x, api_key=x, --docker-password=x, ?token=x.
        (
            r(r#"(?i)\b([\w.-]*(?:CRED)[\w.-]*)(\s*=\s*"?)([^\s"',;&]{2,})"#),
            assignment,
        ),
        // token: x, DB_PASSWORD: x.
        (
            r(
                r#"(?im)(^[ \t]*(?:-[ \t]+)?)?\b([\w.-]*(?:CRED)[\w.-]*)(\s*:[ \t]*"?)([^\s"',;&]{2,})"#,
            ),
            colon,
        ),
    ]
});

/// A word every rule's match contains: a literal search (fast on any text) rules out nearly
/// every text before the rules run. Keep it in step with [`RULES`].
static ANY_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)-----BEGIN|eyJ|bearer|basic|://|AKIA|ASIA|password|passwd|pwd|secret|token|api|access|private|key.?data|credential|authorization",
    )
    .expect("valid")
});

/// All the rules as one set: most texts hold no secret, and one pass over them says so.
static ANY_RULE: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new(RULES.iter().map(|(re, _)| re.as_str())).expect("valid redaction regexes")
});

/// A name that says its value is a secret (an env var `DB_PASSWORD`).
pub static SECRET_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)password|passwd|secret|token|api[_-]?key|credential").expect("valid")
});

/// A placeholder the reader fills in (`<password>`, `<value>`), as kubedoctor's own fix
/// templates write them: never a secret.
static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^"?<[^<>\s]*>"?$"#).expect("valid"));

/// A value kubedoctor wrote for the reader to fill in, or one already redacted.
pub fn placeholder(value: &str) -> bool {
    PLACEHOLDER.is_match(value) || value == REDACTED
}

/// Redacts one text.
pub fn text(s: &str) -> Cow<'_, str> {
    let mut out: Cow<str> = Cow::Borrowed(s);
    if !ANY_WORD.is_match(s) || !ANY_RULE.is_match(s) {
        return out;
    }
    for (re, decide) in RULES.iter() {
        if !re.is_match(&out) {
            continue;
        }
        let mut changed = false;
        let replaced = re.replace_all(&out, |c: &Captures| {
            // The secret is the last group (or the whole match when there is none).
            let whole = &c[0];
            let secret = c
                .iter()
                .skip(1)
                .flatten()
                .last()
                .map_or(whole, |m| m.as_str());
            if placeholder(secret) {
                return whole.to_string();
            }
            match decide(c) {
                Some(r) => {
                    changed = true;
                    r
                }
                None => whole.to_string(),
            }
        });
        if changed {
            out = Cow::Owned(replaced.into_owned());
        }
    }
    out
}

/// Redacts in place.
pub fn in_place(s: &mut String) {
    if let Cow::Owned(o) = text(s) {
        *s = o;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_of_fix_templates_are_not_secrets() {
        for t in [
            "kubectl create secret docker-registry regcred --docker-password=<password> --docker-server=<registry>",
            "kubectl create secret generic db -n x --from-literal=password=<value>",
            "token: <token>",
        ] {
            assert_eq!(text(t), t);
        }
        assert_eq!(
            text("--docker-password=hunter22"),
            "--docker-password=[REDACTED]"
        );
    }

    #[test]
    fn each_kind_of_secret_is_redacted() {
        let cases = [
            (
                "Authorization: Bearer abcdefghijklmnop.qrs",
                "abcdefghijklmnop",
            ),
            (
                "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX2hlcmU",
                "eyJhbGciOi",
            ),
            (
                "connecting to postgres://app:s3cr3tP4ss@db:5432/app",
                "s3cr3tP4ss",
            ),
            ("password=hunter2 user=bob", "hunter2"),
            ("DB_PASSWORD: supersecret", "supersecret"),
            ("api_key=0123456789abcdef", "0123456789abcdef"),
            ("{\"token\":\"tok-123456\"}", "tok-123456"),
            ("aws key AKIAIOSFODNN7EXAMPLE used", "AKIAIOSFODNN7EXAMPLE"),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
                "MIIEowIBAAKCAQEA",
            ),
            (
                "Authorization: Basic dXNlcjpwYXNzd29yZA==",
                "dXNlcjpwYXNzd29yZA",
            ),
        ];
        for (input, secret) in cases {
            let out = text(input);
            assert!(!out.contains(secret), "{input} -> {out}");
            assert!(out.contains(REDACTED), "{input} -> {out}");
        }
        assert_eq!(
            text("secret \"db-credentials\" not found"),
            "secret \"db-credentials\" not found"
        );
        assert_eq!(
            text("Back-off restarting failed container"),
            "Back-off restarting failed container"
        );
    }

    #[test]
    fn ordinary_words_after_a_credential_word_survive() {
        for t in [
            "failed to pull and unpack image \"docker.io/library/app:1\": failed to resolve reference: failed to fetch anonymous token: unexpected status from GET request: 401 Unauthorized",
            "bearer authentication required",
            "secretName=db-creds",
            "mounting secret: not found",
        ] {
            assert_eq!(text(t), t);
        }
        for (t, secret) in [
            (
                "refresh token: 9f8e7d6c5b4a39281706",
                "9f8e7d6c5b4a39281706",
            ),
            ("password: hunter2", "hunter2"),
            ("  token: sometoken\n", "sometoken"),
            (
                "client-key-data: LS0tLS1CRUdJTiBSU0E=",
                "LS0tLS1CRUdJTiBSU0E=",
            ),
            ("GET /hook?token=abc&x=1", "abc"),
        ] {
            let out = text(t);
            assert!(!out.contains(secret), "{t} -> {out}");
        }
    }
}
