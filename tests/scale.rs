//! The engine shares many pods out over threads: what it finds must be what it finds for
//! each pod alone, in the evidence's order.

use kubedoctor::engine;
use kubedoctor::playbook::Playbooks;
use kubedoctor::sources::bundle;
use std::path::Path;

#[test]
fn many_pods_over_threads_diagnose_as_each_pod_alone_in_order() {
    let mut evidence =
        bundle::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/demo-cluster"))
            .expect("the demo bundle reads");
    let playbooks = Playbooks::embedded().expect("playbooks load");
    // Enough copies of the demo's pods (healthy and broken in several ways) for the engine
    // to use threads, renamed so that every pod is distinct.
    let originals = evidence.pods.clone();
    let mut copy = 0;
    while evidence.pods.len() < 5_000 {
        for p in &originals {
            let mut p = p.clone();
            p.name = format!("{}-copy{copy}", p.name);
            evidence.pods.push(p);
        }
        copy += 1;
    }
    let all = engine::diagnose(&evidence, &playbooks);
    assert_eq!(all.len(), evidence.pods.len());
    let mut with_findings = 0;
    for (pod, got) in evidence.pods.iter().zip(&all) {
        let node = evidence
            .nodes
            .iter()
            .find(|n| Some(&n.name) == pod.node_name.as_ref());
        let alone = engine::diagnose_pod(&evidence, &playbooks, pod, node);
        assert_eq!((&got.namespace, &got.name), (&pod.namespace, &pod.name));
        let ids = |d: &engine::PodDiagnosis| {
            d.findings
                .iter()
                .map(|f| (f.id.clone(), f.severity, f.evidence.len()))
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(got), ids(&alone), "{}", pod.name);
        with_findings += usize::from(!got.findings.is_empty());
    }
    assert!(
        with_findings > 1_000,
        "the copies include broken pods: {with_findings}"
    );
}
