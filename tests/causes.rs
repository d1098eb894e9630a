//! The cause ids are a public contract: the full list is pinned by a snapshot, every id is
//! documented in `docs/CAUSES.md`, and every id has a playbook cause and a sample whose
//! expected top finding it is (and that passes), for a pod or, for a `subject: service`
//! cause, for a Service. The generated tables of `docs/PLAYBOOKS.md`
//! match the code.

mod support;

use kubedoctor::playbook::Playbooks;
use kubedoctor::samples::check_all;
use std::collections::BTreeSet;
use std::path::Path;

/// The contract: every cause id kubedoctor has ever published. Removing one fails this test.
const CONTRACT: &[&str] = &[
    "image.not-found",
    "image.auth",
    "image.registry-unreachable",
    "image.tls",
    "image.rate-limit",
    "image.never-pull-missing",
    "image.invalid-name",
    "image.platform",
    "crash.oom",
    "crash.app-error",
    "crash.dependency-unreachable",
    "crash.config-error",
    "crash.command-not-found",
    "crash.exec-format",
    "crash.permission-denied",
    "crash.exits-zero-restart-always",
    "crash.segfault",
    "crash.illegal-instruction",
    "crash.liveness-kill",
    "config.secret-missing",
    "config.configmap-missing",
    "config.key-missing",
    "config.run-as-non-root",
    "config.service-address",
    "sched.insufficient-cpu",
    "sched.insufficient-memory",
    "sched.insufficient-extended",
    "sched.taint",
    "sched.node-selector-affinity",
    "sched.pvc-unbound",
    "sched.volume-node-affinity",
    "sched.too-many-pods",
    "sched.port-conflict",
    "sched.unschedulable-node",
    "sched.no-nodes",
    "sched.no-scheduler",
    "sched.pod-affinity",
    "sched.topology-spread",
    "sched.quota",
    "create.service-account-missing",
    "create.webhook-denied",
    "create.webhook-unreachable",
    "create.pod-security",
    "mount.secret-missing",
    "mount.configmap-missing",
    "mount.attach-multi-attach",
    "mount.failed",
    "sandbox.cni",
    "sandbox.runtime",
    "probe.readiness",
    "probe.liveness",
    "probe.startup",
    "node.not-ready",
    "node.disk-pressure",
    "node.memory-pressure",
    "node.pid-pressure",
    "node.lost",
    "node.network-unavailable",
    "node.kubelet-error",
    "evicted.memory",
    "evicted.ephemeral-storage",
    "evicted.disk",
    "terminating.finalizer",
    "terminating.node-unreachable",
    "terminating.static-pod",
    "sysctl.forbidden",
    "admission.rejected",
    "job.backoff-limit",
    "job.deadline",
    "init.failing",
    "init.waiting",
    "hook.poststart",
    "hook.prestop",
    "healthy.completed",
    "unknown.unexplained",
    "service.no-pods",
    "service.port-mismatch",
    "service.protocol-mismatch",
    "service.no-ready-endpoints",
    "dns.unavailable",
    "network.kube-proxy-down",
];

#[test]
fn cause_ids_are_pinned() {
    let p = Playbooks::embedded().unwrap();
    let ids: Vec<String> = p
        .causes()
        .map(|(f, c)| format!("{} {}", c.id, f.file))
        .collect();
    insta::assert_snapshot!(ids.join("\n"));
}

#[test]
fn every_documented_cause_has_a_playbook_and_a_passing_sample() {
    let p = Playbooks::embedded().unwrap();
    let ours: BTreeSet<&str> = p.causes().map(|(_, c)| c.id.as_str()).collect();
    let documented: BTreeSet<&str> = CONTRACT.iter().copied().collect();
    let missing: Vec<_> = documented.difference(&ours).collect();
    assert!(missing.is_empty(), "no playbook cause for {missing:?}");
    let undocumented: Vec<_> = ours.difference(&documented).collect();
    assert!(
        undocumented.is_empty(),
        "not in docs/CAUSES.md: {undocumented:?}"
    );

    let checks = check_all(&Path::new(env!("CARGO_MANIFEST_DIR")).join("samples"), &p).unwrap();
    for id in CONTRACT {
        let passing = checks
            .iter()
            .any(|c| c.expected.as_deref() == Some(*id) && c.passed());
        assert!(
            passing,
            "no passing sample with `{id}` as expected top cause"
        );
    }
}

#[test]
fn every_cause_carries_its_docs() {
    let p = Playbooks::embedded().unwrap();
    for (_, c) in p.causes() {
        let about = c
            .about
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no about", c.id));
        assert!(
            !about.meaning.is_empty() && !about.why.is_empty(),
            "{}",
            c.id
        );
        assert!(
            !about.confirm.is_empty() && !about.fix.is_empty(),
            "{}",
            c.id
        );
        assert!(
            c.docs.as_deref().is_some_and(|d| d.starts_with("https://")),
            "{}",
            c.id
        );
    }
}

#[test]
fn docs_causes_md_lists_exactly_the_contract() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/CAUSES.md"))
        .unwrap();
    let documented: BTreeSet<&str> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .collect();
    let contract: BTreeSet<&str> = CONTRACT.iter().copied().collect();
    assert_eq!(documented, contract);
}

/// `docs/PLAYBOOKS.md` embeds the field and variable tables exactly as
/// `kubedoctor playbooks fields` prints them from the code.
#[test]
fn playbook_docs_tables_match_the_code() {
    use kubedoctor::playbook::reference::{BEGIN, END, markdown};
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/PLAYBOOKS.md"),
    )
    .unwrap();
    let start = doc.find(BEGIN).expect("the begin marker") + BEGIN.len() + 1;
    let end = doc.find(END).expect("the end marker");
    assert_eq!(
        &doc[start..end],
        markdown(),
        "docs/PLAYBOOKS.md is stale: replace the generated part with `kubedoctor playbooks fields`"
    );
    let printed = String::from_utf8(support::stdout_of(
        support::kubedoctor().args(["playbooks", "fields"]),
    ))
    .unwrap();
    assert_eq!(printed, markdown(), "the command prints the same tables");
}
