//! The `kubedoctor.io/ignore` annotation: accepted problems written on the workload, in its
//! pod template, so every pod carries them. Its value is a comma-separated list of cause ids
//! (`*` globs allowed), each with an optional `until=YYYY-MM-DD`:
//! `config.secret-missing until=2027-03-31, image.rate-limit`. Each entry becomes a
//! [`Rule`] about that one pod; an entry that is not of that form is left out with a note.

use super::{Origin, Rule};
use crate::evidence::Pod;

/// The prefix of kubedoctor's annotations, written once (a macro, so `concat!` can build the
/// annotations' names from it): renaming it renames them all.
macro_rules! prefix {
    () => {
        "kubedoctor.io"
    };
}

/// The annotation that silences causes on a pod.
pub const ANNOTATION: &str = concat!(prefix!(), "/ignore");

/// One entry of the annotation's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// A cause id or a glob of them.
    pub cause: String,
    pub until: Option<jiff::civil::Date>,
}

/// Parses the annotation's value: the entries that are well formed, and the text of each
/// that is not. Empty entries (a trailing comma) are nothing.
pub fn parse(value: &str) -> (Vec<Entry>, Vec<String>) {
    let mut entries = Vec::new();
    let mut malformed = Vec::new();
    for raw in value.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        match entry(raw) {
            Some(e) => entries.push(e),
            None => malformed.push(raw.to_string()),
        }
    }
    (entries, malformed)
}

/// `cause` or `cause until=YYYY-MM-DD`.
fn entry(raw: &str) -> Option<Entry> {
    let mut words = raw.split_whitespace();
    let cause = words.next()?;
    let is_id = cause
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '*'));
    if !is_id {
        return None;
    }
    let until = match words.next() {
        None => None,
        Some(w) => Some(
            w.strip_prefix("until=")?
                .parse::<jiff::civil::Date>()
                .ok()?,
        ),
    };
    if words.next().is_some() {
        return None;
    }
    Some(Entry {
        cause: cause.to_string(),
        until,
    })
}

/// The rules the pods' annotations make (each about its own pod only), and a note for each
/// malformed entry (once per workload).
pub fn rules(pods: &[Pod]) -> (Vec<Rule>, Vec<String>) {
    let mut rules = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for pod in pods {
        let Some(value) = pod.annotations.get(ANNOTATION) else {
            continue;
        };
        let on = match &pod.owner {
            Some(o) if pod.namespace.is_empty() => o.workload(),
            Some(o) => format!("{} in {}", o.workload(), pod.namespace),
            None => format!("pod {}", crate::words::qualified(&pod.namespace, &pod.name)),
        };
        let (entries, malformed) = parse(value);
        for bad in malformed {
            let note = format!(
                "annotation `{ANNOTATION}` on {on}: `{}` is not a cause id with an optional `until=YYYY-MM-DD`; left out",
                crate::words::excerpt(&bad, 80)
            );
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
        rules.extend(entries.into_iter().map(|e| Rule {
            cause: e.cause,
            namespace: Some(pod.namespace.clone()),
            pod: Some(pod.name.clone()),
            owner: None,
            service: None,
            until: e.until,
            reason: None,
            origin: Origin::Annotation(on.clone()),
        }));
    }
    (rules, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_with_and_without_a_date_and_malformed_ones() {
        let (entries, malformed) = parse(
            "config.secret-missing until=2027-03-31, image.*,, bad id, x until=soon, y until=2027-01-01 z,",
        );
        assert_eq!(
            entries,
            [
                Entry {
                    cause: "config.secret-missing".into(),
                    until: Some(jiff::civil::date(2027, 3, 31)),
                },
                Entry {
                    cause: "image.*".into(),
                    until: None,
                },
            ]
        );
        assert_eq!(
            malformed,
            ["bad id", "x until=soon", "y until=2027-01-01 z"]
        );
        assert_eq!(parse("  "), (Vec::new(), Vec::new()));
        assert_eq!(parse("a/b").1, ["a/b"]);
        assert_eq!(parse("a until=2027-02-30").1, ["a until=2027-02-30"]);
    }

    #[test]
    fn a_rule_is_about_its_own_pod_and_names_the_workload() {
        let mut pod = Pod {
            namespace: "shop".into(),
            name: "web-1".into(),
            owner: Some(crate::evidence::Owner {
                kind: "deployment".into(),
                name: "web".into(),
                chain: vec!["replicaset/web-7d".into(), "deployment/web".into()],
            }),
            ..Default::default()
        };
        pod.annotations
            .insert(ANNOTATION.into(), "image.*, nope!".into());
        let (rules, notes) = rules(&[pod]);
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].pod.as_deref(), Some("web-1"));
        assert_eq!(rules[0].namespace.as_deref(), Some("shop"));
        assert_eq!(
            rules[0].label(),
            "annotation `kubedoctor.io/ignore` on deployment/web in shop (cause image.*)"
        );
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("`nope!`"), "{}", notes[0]);
    }
}
