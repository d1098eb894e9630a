//! Runs every playbook over every sample bundle: each pod listed in a sample's
//! `expected.yaml` must get that cause as its top finding, and every other pod must get
//! nothing above info; Services alike (`service/namespace/name` in `expected.yaml`).

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

#[test]
fn services_are_checked_like_pods() {
    let dir = tempfile::tempdir().unwrap();
    let src = samples_root().join("service-port-mismatch");
    for f in [
        "pods.json",
        "events.json",
        "nodes.json",
        "bundle.json",
        "services.json",
        "endpointslices.json",
    ] {
        std::fs::copy(src.join(f), dir.path().join(f)).unwrap();
    }
    let playbooks = Playbooks::embedded().unwrap();
    let check = |expected: &str| {
        std::fs::write(dir.path().join("expected.yaml"), expected).unwrap();
        check_sample(dir.path(), &playbooks).unwrap()
    };

    // The sample's own expectations pass, and name the Services by their prefixed key.
    let own = std::fs::read_to_string(src.join("expected.yaml")).unwrap();
    let checks = check(&own);
    assert!(checks.iter().all(|c| c.passed()), "{checks:#?}");
    assert!(
        checks
            .iter()
            .any(|c| c.is_service() && c.pod == "service/shop/checkout")
    );

    // A wrong cause for a Service fails.
    let checks = check(
        "service/shop/checkout: service.no-pods\nservice/shop/ledger: service.port-mismatch\n",
    );
    let checkout = checks
        .iter()
        .find(|c| c.pod == "service/shop/checkout")
        .unwrap();
    assert!(!checkout.passed());
    assert_eq!(checkout.got.as_ref().unwrap().0, "service.port-mismatch");

    // Not listed: a Service with a critical finding is a noisy "healthy" Service.
    let checks = check("# nothing\n");
    assert_eq!(checks.iter().filter(|c| c.is_service()).count(), 2);
    assert!(checks.iter().all(|c| c.expected.is_none() && !c.passed()));

    // A Service the sample does not have fails, as does one named without its prefix.
    let checks = check(
        "service/shop/checkout: service.port-mismatch\nservice/shop/ledger: service.port-mismatch\n\
         service/shop/nothing: service.no-pods\nshop/checkout: service.port-mismatch\n",
    );
    let failed: Vec<&str> = checks
        .iter()
        .filter(|c| !c.passed())
        .map(|c| c.pod.as_str())
        .collect();
    assert_eq!(failed, ["service/shop/nothing", "shop/checkout"]);
}
