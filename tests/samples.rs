//! Runs every playbook over every sample bundle: each pod listed in a sample's
//! `expected.yaml` must get that cause as its top finding, and every other pod must get
//! nothing above info.

use kubedoctor::playbook::Playbooks;
use kubedoctor::samples::{check_all, check_sample, sample_dirs};
use std::path::Path;

fn samples_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/samples"))
}

#[test]
fn every_sample_gets_its_expected_top_cause() {
    let playbooks = Playbooks::embedded().expect("shipped playbooks load");
    assert!(sample_dirs(samples_root()).unwrap().len() > 60);
    let checks = check_all(samples_root(), &playbooks).unwrap();
    let failures: Vec<_> = checks.iter().filter(|c| !c.passed()).collect();
    assert!(
        failures.is_empty(),
        "{} failures:\n{failures:#?}",
        failures.len()
    );
    // Every expectation was checked, not skipped.
    assert!(checks.iter().filter(|c| c.expected.is_some()).count() >= 64);
}

#[test]
fn a_wrong_expectation_and_a_noisy_healthy_pod_are_caught() {
    let dir = tempfile::tempdir().unwrap();
    let src = samples_root().join("crash-oom");
    for f in ["pods.json", "events.json", "nodes.json", "bundle.json"] {
        std::fs::copy(src.join(f), dir.path().join(f)).unwrap();
    }
    std::fs::write(
        dir.path().join("expected.yaml"),
        "shop/report-api-79f5c6d8b4-wq9zt: crash.app-error\n",
    )
    .unwrap();
    let playbooks = Playbooks::embedded().unwrap();
    let checks = check_sample(dir.path(), &playbooks).unwrap();
    assert_eq!(checks.len(), 1);
    assert!(!checks[0].passed());
    assert_eq!(checks[0].got.as_ref().unwrap().0, "crash.oom");

    // Not listed at all: the OOM pod is now a "healthy" pod with a critical finding.
    std::fs::write(dir.path().join("expected.yaml"), "# nothing\n").unwrap();
    let checks = check_sample(dir.path(), &playbooks).unwrap();
    assert_eq!(checks.len(), 1);
    assert_eq!(checks[0].expected, None);
    assert!(!checks[0].passed());
}
