//! `kubedoctor playbooks lint`: checks beyond what the loader rejects. Errors fail the lint;
//! warnings are shown.
//!
//! - a cause without its docs (`docs` link and `about` with meaning, why, confirm, fix);
//! - a cause no sample expects as top finding (when a samples directory is given);
//! - a cause that can never rank first: same `when` as an earlier cause of the file, with no
//!   higher confidence;
//! - a template variable that no regex of the cause can capture (only inside `not`), or that
//!   only a boost or one branch of an `any` captures (it may render as `<name>`).

use super::variables::BUILTIN_VARS;
use super::{Cause, Playbooks};
use std::collections::{BTreeSet, HashSet};

/// How serious a lint finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Warning,
    Error,
}

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub level: Level,
    pub file: String,
    pub cause: String,
    pub message: String,
}

/// Lints a set of playbooks; `sampled` is the set of cause ids some sample expects, when
/// samples were given.
pub fn lint(playbooks: &Playbooks, sampled: Option<&HashSet<String>>) -> Vec<Issue> {
    let mut issues = Vec::new();
    for file in &playbooks.files {
        for (i, cause) in file.causes.iter().enumerate() {
            let mut push = |level, message: String| {
                issues.push(Issue {
                    level,
                    file: file.file.clone(),
                    cause: cause.id.clone(),
                    message,
                })
            };
            for m in docs_missing(cause) {
                push(Level::Error, m);
            }
            // Loading checks a regex's syntax; compiling it (done on first use in a run)
            // can still hit the size limits: lint compiles every one.
            for m in cause.when.iter().chain(cause.boost.iter().map(|(m, _)| m)) {
                for re in m.regexes() {
                    if let Err(e) = regex::Regex::new(re.as_str()) {
                        push(
                            Level::Error,
                            format!("regex `{}` does not compile: {e}", re.as_str()),
                        );
                    }
                }
            }
            if let Some(sampled) = sampled
                && !sampled.contains(&cause.id)
            {
                push(
                    Level::Error,
                    "no sample expects this cause as a top finding".into(),
                );
            }
            if let Some(earlier) = file.causes[..i].iter().find(|e| {
                format!("{:?}", e.when) == format!("{:?}", cause.when)
                    && e.confidence >= cause.confidence
            }) {
                push(
                    Level::Error,
                    format!(
                        "unreachable: same `when` as `{}` with no higher confidence, so it never ranks first",
                        earlier.id
                    ),
                );
            }
            let (never, maybe) = uncaptured(cause);
            for v in never {
                push(
                    Level::Error,
                    format!("template variable `{{{v}}}` is never captured"),
                );
            }
            for v in maybe {
                push(
                    Level::Warning,
                    format!(
                        "template variable `{{{v}}}` is captured only sometimes (a boost or one `any` branch); it may render as `<{v}>`"
                    ),
                );
            }
        }
    }
    issues
}

fn docs_missing(c: &Cause) -> Vec<String> {
    let mut out = Vec::new();
    if c.docs.as_deref().is_none_or(str::is_empty) {
        out.push("docs link missing".to_string());
    }
    match &c.about {
        None => out.push("`about` missing (meaning, why, confirm, fix)".to_string()),
        Some(a) => {
            for (name, text) in [
                ("meaning", &a.meaning),
                ("why", &a.why),
                ("confirm", &a.confirm),
                ("fix", &a.fix),
            ] {
                if text.trim().is_empty() {
                    out.push(format!("`about.{name}` missing"));
                }
            }
        }
    }
    out
}

/// Variables used by templates that are never captured, and those only sometimes captured.
fn uncaptured(c: &Cause) -> (Vec<String>, Vec<String>) {
    let builtin: BTreeSet<&str> = BUILTIN_VARS.iter().map(|v| v.name).collect();
    let certain: BTreeSet<String> = c.when.iter().flat_map(|m| m.certain_captures()).collect();
    let possible: BTreeSet<String> = c
        .when
        .iter()
        .chain(c.boost.iter().map(|(m, _)| m))
        .flat_map(|m| m.possible_captures())
        .collect();
    let mut never = Vec::new();
    let mut maybe = Vec::new();
    for v in c.variables.iter().filter(|v| !builtin.contains(v.as_str())) {
        if !possible.contains(v) {
            never.push(v.clone());
        } else if !certain.contains(v) {
            maybe.push(v.clone());
        }
    }
    (never, maybe)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::Playbooks;

    fn lint_text(yaml: &str, sampled: &[&str]) -> Vec<Issue> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.yaml"), yaml).unwrap();
        let p = Playbooks::from_dir(dir.path()).unwrap();
        let sampled: HashSet<String> = sampled.iter().map(|s| s.to_string()).collect();
        lint(&p, Some(&sampled))
    }

    const BASE: &str = r#"
status: [X]
summary: s
causes:
  - id: a.one
    title: one
    severity: critical
    confidence: 0.9
    when:
      - any:
          - log: 'host (?P<host>\S+)'
          - log: 'refused'
      - not: {log: 'port (?P<port>\d+)'}
    boost:
      - log: 'user (?P<user>\w+)'
        weight: 0.1
    explain: "{host} {port} {user}"
    docs: https://example.com
    about: {meaning: m, why: w, confirm: c, fix: f}
  - id: a.two
    title: two
    severity: critical
    confidence: 0.8
    when:
      - any:
          - log: 'host (?P<host>\S+)'
          - log: 'refused'
      - not: {log: 'port (?P<port>\d+)'}
    explain: x
"#;

    #[test]
    fn finds_every_kind_of_issue() {
        let issues = lint_text(BASE, &["a.one"]);
        let msgs: Vec<String> = issues
            .iter()
            .map(|i| format!("{:?} {} {}", i.level, i.cause, i.message))
            .collect();
        let has = |s: &str| msgs.iter().any(|m| m.contains(s));
        assert!(
            has("Error a.one template variable `{port}` is never captured"),
            "{msgs:#?}"
        );
        assert!(has(
            "Warning a.one template variable `{host}` is captured only sometimes"
        ));
        assert!(has(
            "Warning a.one template variable `{user}` is captured only sometimes"
        ));
        assert!(has("Error a.two docs link missing"));
        assert!(has("Error a.two `about` missing"));
        assert!(has("Error a.two no sample expects this cause"));
        assert!(has("Error a.two unreachable: same `when` as `a.one`"));
        assert!(!has("a.one no sample"));
        assert!(!has("a.one docs"));
    }
}
