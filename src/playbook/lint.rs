//! `kubedoctor playbooks lint`: checks beyond what the loader rejects. Errors fail the lint;
//! warnings are shown.
//!
//! - a cause without its docs (`docs` link and `about` with meaning, why, confirm, fix);
//! - a cause no sample expects as top finding (when a samples directory is given);
//! - a cause that can never rank first: same `when` as an earlier cause of the file, with no
//!   higher confidence;
//! - a template variable that no regex of the cause can capture (only inside `not`), or that
//!   only a boost or one branch of an `any` captures (it may render as `<name>`);
//! - a `detail` value that no alternative gives (besides `unknown`), or a `{variable}` value
//!   that its alternative's matchers never capture;
//! - with the documented lists ([`documented_details`] of `docs/CAUSES.md`): a cause whose
//!   `detail` values differ from its documented list, or a documented cause without `detail`.

use super::variables::BUILTIN_VARS;
use super::{Cause, Playbooks, UNKNOWN};
use std::collections::{BTreeMap, BTreeSet, HashSet};

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
            for m in detail_issues(cause) {
                push(Level::Error, m);
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

/// The `detail` checks that need no documentation: every documented value is given by some
/// alternative, and a `{variable}` value is captured by its alternative.
fn detail_issues(c: &Cause) -> Vec<String> {
    let Some(d) = &c.detail else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (v, _) in &d.values {
        if v != UNKNOWN && !d.from.iter().any(|r| &r.value == v) {
            out.push(format!(
                "detail value `{v}` is documented but no alternative gives it"
            ));
        }
    }
    for (i, r) in d.from.iter().enumerate() {
        let Some(t) = &r.template else {
            continue;
        };
        let captured: BTreeSet<String> = r.when.iter().flat_map(|m| m.certain_captures()).collect();
        let builtin: BTreeSet<&str> = BUILTIN_VARS.iter().map(|v| v.name).collect();
        for v in t.variables() {
            if !captured.contains(v) && !builtin.contains(v) && !c.variables.contains(v) {
                out.push(format!(
                    "detail.from[{i}] gives `{{{v}}}`, which its matchers do not always capture"
                ));
            }
        }
    }
    out
}

/// The `detail` values each cause documents in `docs/CAUSES.md`: the rows of its "Details"
/// table, `| `cause.id` | `value`, `value`, ... | meaning |`.
pub fn documented_details(markdown: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let Some(start) = markdown.find(DETAILS_HEADING) else {
        return out;
    };
    for line in markdown[start..].lines().skip(1) {
        if line.starts_with("## ") {
            break;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (Some(id), Some(values)) = (cells.get(1), cells.get(2)) else {
            continue;
        };
        let Some(id) = id.strip_prefix('`').and_then(|i| i.strip_suffix('`')) else {
            continue;
        };
        let values = values
            .split(", ")
            .filter_map(|v| v.trim().strip_prefix('`').and_then(|v| v.strip_suffix('`')))
            .map(str::to_string)
            .collect();
        out.insert(id.to_string(), values);
    }
    out
}

/// The heading of the table [`documented_details`] reads.
pub const DETAILS_HEADING: &str = "## Details";

/// Checks each cause's `detail` values against the documented lists: a detail's values are
/// exactly those documented for its cause, and a documented cause has a `detail`.
pub fn lint_details(
    playbooks: &Playbooks,
    documented: &BTreeMap<String, Vec<String>>,
) -> Vec<Issue> {
    let mut issues = Vec::new();
    for (file, cause) in playbooks.causes() {
        let mut push = |message: String| {
            issues.push(Issue {
                level: Level::Error,
                file: file.file.clone(),
                cause: cause.id.clone(),
                message,
            })
        };
        let doc = documented.get(&cause.id);
        match (&cause.detail, doc) {
            (None, None) => {}
            (None, Some(_)) => push("documented with detail values, but has no `detail`".into()),
            (Some(_), None) => push("has a `detail` whose values are not documented".into()),
            (Some(d), Some(doc)) => {
                let ours: BTreeSet<&str> = d.values.iter().map(|(v, _)| v.as_str()).collect();
                let theirs: BTreeSet<&str> = doc.iter().map(String::as_str).collect();
                for v in ours.difference(&theirs) {
                    push(format!("detail value `{v}` is not in the documented list"));
                }
                for v in theirs.difference(&ours) {
                    push(format!(
                        "documented detail value `{v}` is not among the cause's values"
                    ));
                }
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

    #[test]
    fn detail_values_are_checked() {
        let yaml = BASE.replace(
            "    explain: \"{host} {port} {user}\"\n",
            "    explain: \"{host} {port} {user}\"\n    detail:\n      values: {refused: r, timeout: t, '{code}': c, unknown: u}\n      from:\n        - {value: refused, when: [{log: 'refused'}]}\n        - {value: '{code}', when: [{any: [{log: 'code (?P<code>\\d+)'}, {log: 'x'}]}]}\n",
        );
        let issues = lint_text(&yaml, &["a.one", "a.two"]);
        let msgs: Vec<&str> = issues.iter().map(|i| i.message.as_str()).collect();
        assert!(
            msgs.contains(&"detail value `timeout` is documented but no alternative gives it"),
            "{msgs:#?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains(
                "detail.from[1] gives `{code}`, which its matchers do not always capture"
            )),
            "{msgs:#?}"
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.yaml"), &yaml).unwrap();
        let p = Playbooks::from_dir(dir.path()).unwrap();
        let doc = "# x\n\n## Details\n\n| cause | values | meaning |\n|---|---|---|\n| `a.one` | `refused`, `unknown`, `{code}`, `gone` | m |\n| `a.two` | `unknown` | m |\n\n## Next\n| `a.three` | `x` | m |\n";
        let documented = documented_details(doc);
        assert_eq!(documented.len(), 2, "{documented:?}");
        let msgs: Vec<String> = lint_details(&p, &documented)
            .into_iter()
            .map(|i| format!("{} {}", i.cause, i.message))
            .collect();
        assert!(
            msgs.contains(
                &"a.one detail value `timeout` is not in the documented list".to_string()
            ),
            "{msgs:#?}"
        );
        assert!(
            msgs.contains(
                &"a.one documented detail value `gone` is not among the cause's values".to_string()
            ),
            "{msgs:#?}"
        );
        assert!(
            msgs.contains(&"a.two documented with detail values, but has no `detail`".to_string()),
            "{msgs:#?}"
        );
    }
}
