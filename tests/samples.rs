//! Runs every playbook over every sample bundle: each pod listed in a sample's
//! `expected.yaml` must get that cause as its top finding, and every other pod must get
//! nothing above info.

use kubedoctor::engine::diagnose;
use kubedoctor::playbook::{Playbooks, Severity};
use kubedoctor::sources::bundle;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn sample_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("samples/ exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("expected.yaml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn expectations(dir: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(dir.join("expected.yaml")).expect("read expected.yaml");
    serde_saphyr::from_str(&text).unwrap_or_default()
}

#[test]
fn every_sample_gets_its_expected_top_cause() {
    let playbooks = Playbooks::embedded().expect("shipped playbooks load");
    let dirs = sample_dirs();
    assert!(
        dirs.len() > 30,
        "expected the shipped samples, found {}",
        dirs.len()
    );
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let evidence = bundle::read(dir).unwrap_or_else(|e| panic!("{name}: {e}"));
        let expected = expectations(dir);
        assert!(!expected.is_empty(), "{name}: expected.yaml lists no pod");
        let diagnoses = diagnose(&evidence, &playbooks);
        for d in &diagnoses {
            let key = d.key();
            let top = d.top().map(|f| (f.id.as_str(), f.severity, f.score));
            match (expected.get(&key), top) {
                (Some(want), Some((got, _, _))) if got == want => {}
                (Some(want), got) => failures.push(format!(
                    "{name}: {key}: expected `{want}`, got {got:?}; all: {:?}",
                    d.findings
                        .iter()
                        .map(|f| (&f.id, f.score))
                        .collect::<Vec<_>>()
                )),
                (None, Some((got, sev, _))) if sev > Severity::Info => failures.push(format!(
                    "{name}: {key} ({}) should be healthy but got `{got}` ({sev:?})",
                    d.status.display
                )),
                (None, _) => {}
            }
        }
        for key in expected.keys() {
            if !diagnoses.iter().any(|d| &d.key() == key) {
                failures.push(format!("{name}: expected pod {key} is not in the bundle"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
