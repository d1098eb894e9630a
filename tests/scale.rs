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
    // Each pod alone, split over the machine's cores (the comparison is what is slow).
    let alone_one = |pod: &kubedoctor::evidence::Pod| {
        let node = evidence
            .nodes
            .iter()
            .find(|n| Some(&n.name) == pod.node_name.as_ref());
        engine::diagnose_pod(&evidence, &playbooks, pod, node)
    };
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let alone: Vec<engine::PodDiagnosis> = std::thread::scope(|s| {
        let parts: Vec<_> = evidence
            .pods
            .chunks(evidence.pods.len().div_ceil(cores))
            .map(|part| s.spawn(|| part.iter().map(alone_one).collect::<Vec<_>>()))
            .collect();
        parts
            .into_iter()
            .flat_map(|p| p.join().expect("a thread diagnosed"))
            .collect()
    });
    let mut with_findings = 0;
    for ((pod, got), alone) in evidence.pods.iter().zip(&all).zip(&alone) {
        assert_eq!((&got.namespace, &got.name), (&pod.namespace, &pod.name));
        let ids = |d: &engine::PodDiagnosis| {
            d.findings
                .iter()
                .map(|f| (f.id.clone(), f.severity, f.evidence.len()))
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(got), ids(alone), "{}", pod.name);
        with_findings += usize::from(!got.findings.is_empty());
    }
    assert!(
        with_findings > 1_000,
        "the copies include broken pods: {with_findings}"
    );
}
