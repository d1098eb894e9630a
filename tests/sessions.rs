//! Incident sessions (`tests/sessions/NAME/session.txt`: 20 to 80 kubectl commands with their
//! output, as attached to a ticket) read as one pasted text and diagnosed. For each session,
//! against its `expect.yaml` (written by `cargo xtask make-sessions`, see
//! `tests/sessions/README.md`):
//!
//! - every broken pod the session describes gets its expected top cause, with its `detail`
//!   and words of its explanation where `expect.yaml` names them;
//! - no other pod gets a finding above info: not one healthy now, not one only named by old
//!   events, not a row of another kind's table (`also_broken` pods, broken but only a row
//!   of a `get pods` table, may get any finding);
//! - the number of pods diagnosed is the number of pods the session shows (`pods_scanned`).
//!
//! Every session is checked and the failures are listed together. A session with
//! `known_failing: "reason"` is skipped with a note while it fails, and fails the test once it
//! passes, so the mark is removed.

use kubedoctor::engine::diagnose;
use kubedoctor::playbook::{Playbooks, Severity};
use kubedoctor::sources::text::{self, Input, Role};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[allow(dead_code)]
    description: String,
    #[serde(default)]
    healthy_only: bool,
    #[serde(default)]
    pods: BTreeMap<String, PodExpect>,
    #[serde(default)]
    also_broken: Vec<String>,
    pods_scanned: usize,
    #[serde(default)]
    inventory: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    composed: Vec<Composed>,
    #[serde(default)]
    known_failing: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PodExpect {
    cause: String,
    /// The top finding's `detail` (docs/CAUSES.md, Details).
    #[serde(default)]
    detail: Option<String>,
    /// Text the top finding's explanation contains.
    #[serde(default)]
    explains: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Composed {
    step: usize,
    command: String,
}

fn session_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sessions");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("session.txt").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn load(dir: &Path) -> (Expect, String) {
    let exp: Expect =
        serde_saphyr::from_str(&std::fs::read_to_string(dir.join("expect.yaml")).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    (
        exp,
        std::fs::read_to_string(dir.join("session.txt")).unwrap(),
    )
}

/// What is wrong with the diagnosis of one session (empty: it passes).
fn check(exp: &Expect, text: &str, playbooks: &Playbooks) -> Vec<String> {
    let input = Input {
        name: "session.txt".into(),
        text: text.to_string(),
        role: Role::Auto,
    };
    let evidence = match text::read(&[input]) {
        Ok(e) => e,
        Err(e) => return vec![format!("not read: {e}")],
    };
    let diagnoses = diagnose(&evidence, playbooks);
    let mut problems = Vec::new();
    for (pod, want) in &exp.pods {
        let Some(d) = diagnoses.iter().find(|d| d.key() == *pod) else {
            problems.push(format!("{pod}: not reported (expected {})", want.cause));
            continue;
        };
        let got: Vec<String> = d
            .findings
            .iter()
            .map(|f| format!("{} {:.2}", f.id, f.score))
            .collect();
        match d.top() {
            Some(top) if top.id == want.cause => {
                if let Some(text) = &want.explains
                    && !top.explain.contains(text.as_str())
                {
                    problems.push(format!(
                        "{pod}: {} without {text:?} in {:?}",
                        top.id, top.explain
                    ));
                }
                if want.detail.is_some() && top.detail != want.detail {
                    problems.push(format!(
                        "{pod}: {} detail {:?}, expected {:?}",
                        top.id, top.detail, want.detail
                    ));
                }
            }
            _ => problems.push(format!("{pod}: expected {}, got {got:?}", want.cause)),
        }
    }
    let also: BTreeSet<&str> = exp.also_broken.iter().map(String::as_str).collect();
    for d in &diagnoses {
        let key = d.key();
        if exp.pods.contains_key(&key) || also.contains(key.as_str()) {
            continue;
        }
        let above: Vec<String> = d
            .findings
            .iter()
            .filter(|f| f.severity > Severity::Info)
            .map(|f| format!("{} ({:?})", f.id, f.severity))
            .collect();
        if !above.is_empty() {
            problems.push(format!(
                "{key} ({}): should get nothing above info, got {above:?}",
                d.status.display
            ));
        }
    }
    if diagnoses.len() != exp.pods_scanned {
        let seen: BTreeSet<String> = diagnoses.iter().map(|d| d.key()).collect();
        let shown: BTreeSet<String> = exp.inventory.iter().cloned().collect();
        problems.push(format!(
            "{} pods diagnosed, the session shows {}; extra {:?}, missing {:?}",
            diagnoses.len(),
            exp.pods_scanned,
            seen.difference(&shown).collect::<Vec<_>>(),
            shown.difference(&seen).collect::<Vec<_>>()
        ));
    }
    problems
}

#[test]
fn every_session_is_diagnosed_as_expected() {
    let playbooks = Playbooks::embedded().unwrap();
    let dirs = session_dirs();
    assert!(dirs.len() >= 25, "only {} sessions", dirs.len());
    let mut failures = Vec::new();
    let mut healthy = 0;
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let (exp, text) = load(dir);
        healthy += usize::from(exp.healthy_only);
        assert_eq!(
            exp.healthy_only,
            exp.pods.is_empty() && exp.also_broken.is_empty(),
            "{name}: healthy_only must say whether a pod is broken"
        );
        let problems = check(&exp, &text, &playbooks);
        match (&exp.known_failing, problems.is_empty()) {
            (Some(reason), false) => eprintln!(
                "note: session {name} skipped, known failing ({reason}):\n    {}",
                problems.join("\n    ")
            ),
            (Some(_), true) => failures.push(format!(
                "{name}: passes now: remove `known_failing` from tests/sessions/defs/{name}.yaml \
                 and regenerate"
            )),
            (None, true) => {}
            (None, false) => failures.push(format!("{name}:\n    {}", problems.join("\n    "))),
        }
    }
    assert!(healthy >= 3, "only {healthy} healthy sessions");
    assert!(
        failures.is_empty(),
        "{} of {} sessions fail:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n")
    );
}

/// Every definition has its generated session, and every session its definition.
#[test]
fn sessions_match_their_definitions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sessions");
    let defs: BTreeSet<String> = std::fs::read_dir(root.join("defs"))
        .unwrap()
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_string_lossy()
                .strip_suffix(".yaml")
                .map(str::to_string)
        })
        .collect();
    let sessions: BTreeSet<String> = session_dirs()
        .iter()
        .map(|d| d.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        defs, sessions,
        "run `cargo xtask make-sessions` after changing tests/sessions/defs/"
    );
}
