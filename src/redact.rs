//! Redaction of secrets in text and JSON: bearer tokens, JWTs, passwords in URLs,
//! `password=`/`secret=`/`token=`/`api_key` pairs (also as JSON fields), AWS access keys,
//! private key blocks and basic-auth headers become `[REDACTED]`; kubedoctor's own
//! placeholders (`<password>`) are not secrets. The report applies it to findings
//! ([`crate::report::redact`]), a capture to the objects it writes
//! ([`crate::sources::raw::Gathered::redact`]). On by default; `--no-redact` turns it off.

use regex::{Regex, RegexSet};
use std::borrow::Cow;
use std::sync::LazyLock;

/// What replaces a secret.
pub const REDACTED: &str = "[REDACTED]";

static RULES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    let r = |p: &str| Regex::new(p).expect("valid redaction regex");
    vec![
        // Private key blocks (the rest of the text after a BEGIN line, when the END is not in it).
        (
            r(
                r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?s:.*?)(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\z)",
            ),
            "[REDACTED]",
        ),
        // JSON Web Tokens.
        (
            r(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}"),
            "[REDACTED]",
        ),
        // Authorization headers.
        (
            r(r"(?i)\b(bearer\s+)[A-Za-z0-9\-._~+/]{8,}=*"),
            "${1}[REDACTED]",
        ),
        (
            r(r"(?i)\b(basic\s+)[A-Za-z0-9+/]{8,}={0,2}"),
            "${1}[REDACTED]",
        ),
        // user:password@ in URLs.
        (
            r(r"([a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:)[^@\s/]+@"),
            "${1}[REDACTED]@",
        ),
        // AWS access key ids.
        (r(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), "[REDACTED]"),
        // "password": "x" in JSON.
        (
            r(
                r#"(?i)("[\w-]*(?:password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key)[\w-]*"\s*:\s*")[^"]*"#,
            ),
            "${1}[REDACTED]",
        ),
        // password=x, token: x, api_key=x.
        (
            r(
                r#"(?i)\b([\w-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key)[\w-]*\s*[=:]\s*"?)([^\s"',;&]{2,})"#,
            ),
            "${1}[REDACTED]",
        ),
    ]
});

/// A word every rule's match contains: a literal search (fast on any text) rules out nearly
/// every text before the rules run. Keep it in step with [`RULES`].
static ANY_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)-----BEGIN|eyJ|bearer|basic|://|AKIA|ASIA|password|passwd|pwd|secret|token|api|access")
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

/// Redacts one text.
pub fn text(s: &str) -> Cow<'_, str> {
    let mut out: Cow<str> = Cow::Borrowed(s);
    if !ANY_WORD.is_match(s) || !ANY_RULE.is_match(s) {
        return out;
    }
    for (re, rep) in RULES.iter() {
        if !re.is_match(&out) {
            continue;
        }
        let replaced = re.replace_all(&out, |c: &regex::Captures| {
            // The secret is what follows the kept prefix (group 1) in the match.
            let whole = &c[0];
            let kept = c.get(1).map_or(0, |m| m.len());
            if PLACEHOLDER.is_match(&whole[kept..]) {
                return whole.to_string();
            }
            let mut r = String::new();
            c.expand(rep, &mut r);
            r
        });
        out = Cow::Owned(replaced.into_owned());
    }
    out
}

/// Redacts in place.
pub fn in_place(s: &mut String) {
    if let Cow::Owned(o) = text(s) {
        *s = o;
    }
}

/// Redacts every string of a JSON value; true when something changed.
pub fn json_in_place(v: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match v {
        Value::String(s) => match text(s) {
            Cow::Owned(o) => {
                *s = o;
                true
            }
            Cow::Borrowed(_) => false,
        },
        Value::Array(items) => items.iter_mut().fold(false, |c, i| json_in_place(i) | c),
        Value::Object(map) => {
            let secret_pair = map
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| SECRET_NAME.is_match(n))
                && map.get("value").is_some_and(Value::is_string);
            let mut changed = false;
            if secret_pair && map.get("value").and_then(Value::as_str) != Some(REDACTED) {
                map.insert("value".into(), Value::String(REDACTED.into()));
                changed = true;
            }
            map.values_mut().fold(changed, |c, i| json_in_place(i) | c)
        }
        _ => false,
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
}
