//! Splitting scheduler messages of every release's wording, matching each reason to its
//! cause, and ranking them with and without node facts.

use super::*;
use crate::engine::diagnose;
use crate::evidence::{Container, Event, Evidence, NodeCondition, Pod, PodCondition, Taint};

fn playbooks() -> Playbooks {
    Playbooks::embedded().unwrap()
}

fn pending_rules(p: &Playbooks) -> &NodeReasons {
    p.files
        .iter()
        .find_map(|f| f.node_reasons.as_ref())
        .expect("pending.yaml reads node counts")
}

fn split_texts(message: &str) -> (Option<u32>, Vec<(u32, String)>) {
    let p = playbooks();
    let (total, reasons) = split(pending_rules(&p), message).expect("a per-node message");
    (
        total,
        reasons.into_iter().map(|r| (r.count, r.text)).collect(),
    )
}

#[test]
fn splits_each_release_s_wording() {
    let (total, r) = split_texts(
        "0/6 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) were unschedulable, 3 Insufficient memory. preemption: 0/6 nodes are available: 3 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.",
    );
    assert_eq!(total, Some(6));
    assert_eq!(
        r,
        vec![
            (
                1,
                "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }".into()
            ),
            (2, "node(s) were unschedulable".into()),
            (3, "Insufficient memory".into()),
        ]
    );
    // 1.18-1.24: the taint's reason has a comma of its own.
    let (_, r) = split_texts(
        "0/5 nodes are available: 2 node(s) had taint {dedicated: gpu}, that the pod didn't tolerate, 3 node(s) didn't match node selector.",
    );
    assert_eq!(
        r,
        vec![
            (
                2,
                "node(s) had taint {dedicated: gpu}, that the pod didn't tolerate".into()
            ),
            (3, "node(s) didn't match node selector".into()),
        ]
    );
    // A PreFilter rejection: one reason, for every node.
    let (total, r) = split_texts(
        "0/6 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.",
    );
    assert_eq!(total, Some(6));
    assert_eq!(
        r,
        vec![(6, "pod has unbound immediate PersistentVolumeClaims".into())]
    );
    // Before preemption was reported, and with a trailing newline.
    let (_, r) = split_texts("0/2 nodes are available: 2 Insufficient cpu.\n");
    assert_eq!(r, vec![(2, "Insufficient cpu".into())]);
    let p = playbooks();
    assert!(
        split(
            pending_rules(&p),
            "Successfully assigned shop/web to worker-1"
        )
        .is_none()
    );
}

/// Every filter's reason, in each release's wording (kube-scheduler's plugins), goes to its
/// cause; a reason no cause knows is listed without one.
#[test]
fn each_reason_matches_its_cause() {
    let p = playbooks();
    let pending: Vec<&Cause> = p
        .causes()
        .filter(|(f, _)| f.node_reasons.is_some())
        .map(|(_, c)| c)
        .collect();
    let cases: &[(&str, Option<&str>)] = &[
        ("Insufficient cpu", Some("sched.insufficient-cpu")),
        ("Insufficient memory", Some("sched.insufficient-memory")),
        (
            "Insufficient nvidia.com/gpu",
            Some("sched.insufficient-extended"),
        ),
        (
            "Insufficient ephemeral-storage",
            Some("sched.insufficient-extended"),
        ),
        ("Too many pods", Some("sched.too-many-pods")),
        (
            "node(s) were unschedulable",
            Some("sched.unschedulable-node"),
        ),
        (
            "node(s) had unknown conditions",
            Some("sched.unschedulable-node"),
        ),
        (
            "node(s) had untolerated taint {dedicated: gpu}",
            Some("sched.taint"),
        ),
        ("node(s) had untolerated taint(s)", Some("sched.taint")),
        (
            "node(s) had taint {dedicated: gpu}, that the pod didn't tolerate",
            Some("sched.taint"),
        ),
        (
            "node(s) had taints that the pod didn't tolerate",
            Some("sched.taint"),
        ),
        (
            "node(s) didn't match Pod's node affinity/selector",
            Some("sched.node-selector-affinity"),
        ),
        (
            "node(s) didn't match node selector",
            Some("sched.node-selector-affinity"),
        ),
        (
            "node(s) didn't match scheduler-enforced node affinity",
            Some("sched.node-selector-affinity"),
        ),
        (
            "node(s) didn't match the requested node name",
            Some("sched.node-selector-affinity"),
        ),
        (
            "node(s) didn't have free ports for the requested pod ports",
            Some("sched.port-conflict"),
        ),
        (
            "node(s) had volume node affinity conflict",
            Some("sched.volume-node-affinity"),
        ),
        (
            "node(s) didn't match PersistentVolume's node affinity",
            Some("sched.volume-node-affinity"),
        ),
        (
            "node(s) had no available volume zone",
            Some("sched.volume-node-affinity"),
        ),
        (
            "node(s) had unbound immediate PersistentVolumeClaims",
            Some("sched.pvc-unbound"),
        ),
        (
            "pod has unbound immediate PersistentVolumeClaims",
            Some("sched.pvc-unbound"),
        ),
        (
            "node(s) didn't find available persistent volumes to bind",
            Some("sched.pvc-unbound"),
        ),
        (
            "node(s) didn't match pod affinity rules",
            Some("sched.pod-affinity"),
        ),
        (
            "node(s) didn't match pod anti-affinity rules",
            Some("sched.pod-affinity"),
        ),
        (
            "node(s) didn't satisfy existing pods anti-affinity rules",
            Some("sched.pod-affinity"),
        ),
        (
            "node(s) didn't match pod affinity/anti-affinity",
            Some("sched.pod-affinity"),
        ),
        (
            "node(s) didn't match pod topology spread constraints",
            Some("sched.topology-spread"),
        ),
        (
            "node(s) didn't match pod topology spread constraints (missing required label)",
            Some("sched.topology-spread"),
        ),
        ("node(s) exceed max volume count", None),
    ];
    for (text, want) in cases {
        let got: Vec<&str> = pending
            .iter()
            .filter(|c| c.message_regexes().iter().any(|re| re.is_match(text)))
            .map(|c| c.id.as_str())
            .collect();
        match want {
            Some(id) => assert!(got.contains(id), "`{text}`: {got:?}, not {id}"),
            None => assert!(got.is_empty(), "`{text}`: {got:?}"),
        }
    }
}

fn pending_pod(message: &str) -> Pod {
    Pod {
        namespace: "shop".into(),
        name: "web-1".into(),
        phase: "Pending".into(),
        restart_policy: "Always".into(),
        conditions: vec![PodCondition {
            type_: "PodScheduled".into(),
            status: "False".into(),
            reason: Some("Unschedulable".into()),
            message: Some(message.into()),
        }],
        containers: vec![Container {
            name: "web".into(),
            image: "web:1".into(),
            ..Default::default()
        }],
        events: vec![Event {
            type_: "Warning".into(),
            reason: "FailedScheduling".into(),
            message: message.into(),
            count: 3,
            object: "pod/web-1".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn node(name: &str) -> Node {
    Node {
        name: name.into(),
        conditions: vec![NodeCondition {
            type_: "Ready".into(),
            status: "True".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn control_plane() -> Node {
    let mut n = node("cp-1");
    n.taints.push(Taint {
        key: "node-role.kubernetes.io/control-plane".into(),
        value: None,
        effect: "NoSchedule".into(),
    });
    n
}

fn cordoned(name: &str) -> Node {
    let mut n = node(name);
    n.unschedulable = true;
    n.taints.push(Taint {
        key: "node.kubernetes.io/unschedulable".into(),
        value: None,
        effect: "NoSchedule".into(),
    });
    n
}

/// The findings of the one pod, best first: (id, standing).
fn ranked(message: &str, nodes: Option<Vec<Node>>) -> Vec<Finding> {
    let mut evidence = Evidence {
        pods: vec![pending_pod(message)],
        ..Default::default()
    };
    evidence.coverage.events = true;
    if let Some(nodes) = nodes {
        evidence.coverage.nodes = true;
        evidence.nodes = nodes;
    }
    let d = diagnose(&evidence, &playbooks());
    d.into_iter().next().unwrap().findings
}

fn standing_of(findings: &[Finding], id: &str) -> Standing {
    findings
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("no {id}"))
        .standing
}

const MIXED: &str = "0/6 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) were unschedulable, 3 Insufficient memory. preemption: 0/6 nodes are available: 2 Preemption is not helpful for scheduling, 4 No preemption victims found for incoming pod.";

/// With node facts: the control plane and the cordoned node are background, memory (the
/// most of the nodes that pass every other constraint) decides, though CPU scores higher.
#[test]
fn with_node_facts_the_decisive_reason_ranks_first() {
    let nodes = vec![
        control_plane(),
        node("w-1"),
        node("w-2"),
        node("w-3"),
        node("w-4"),
        cordoned("w-5"),
    ];
    let f = ranked(MIXED, Some(nodes));
    assert_eq!(f[0].id, "sched.insufficient-memory", "{f:#?}");
    assert_eq!(f[0].standing, Standing::Decisive);
    assert_eq!(standing_of(&f, "sched.insufficient-cpu"), Standing::Neutral);
    assert_eq!(standing_of(&f, "sched.taint"), Standing::Background);
    assert_eq!(
        standing_of(&f, "sched.unschedulable-node"),
        Standing::Background
    );
    let lines: Vec<&str> = f[0].evidence.iter().map(|e| e.text.as_str()).collect();
    for want in [
        "3 of 6 nodes: Insufficient memory (decisive",
        "1 of 6 nodes: Insufficient cpu (also rejects nodes)",
        "1 of 6 nodes: node(s) were unschedulable (background: set apart anyway (w-5))",
        "(background: set apart anyway (cp-1))",
    ] {
        assert!(lines.iter().any(|l| l.contains(want)), "{want}: {lines:#?}");
    }
    assert!(
        f[0].explanation().contains("This one decides"),
        "{}",
        f[0].explanation()
    );
    // Background reasons keep their place at the end with a lower score.
    let taint = f.iter().find(|x| x.id == "sched.taint").unwrap();
    assert!(taint.score < 0.7, "{}", taint.score);
    assert_eq!(f.last().map(|x| x.standing), Some(Standing::Background));
}

/// Without node facts: the control-plane taint is background, the reason covering the most
/// other nodes decides.
#[test]
fn without_node_facts_the_most_nodes_off_the_control_plane_decide() {
    let f = ranked(
        "0/6 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) were unschedulable, 3 Insufficient memory. preemption: 0/6 nodes are available: 3 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.",
        None,
    );
    assert_eq!(f[0].id, "sched.insufficient-memory");
    assert_eq!(standing_of(&f, "sched.taint"), Standing::Background);
    assert_eq!(
        standing_of(&f, "sched.unschedulable-node"),
        Standing::Neutral
    );
    let f = ranked(
        "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) were unschedulable.",
        None,
    );
    assert_eq!(f[0].id, "sched.unschedulable-node");
    assert_eq!(f[0].standing, Standing::Decisive);
}

/// Every worker cordoned: all reasons cover nodes set apart, and the cordon decides.
#[test]
fn when_every_reason_is_background_the_largest_off_the_control_plane_decides() {
    let nodes = vec![control_plane(), cordoned("w-1"), cordoned("w-2")];
    let f = ranked(
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) were unschedulable.",
        Some(nodes),
    );
    assert_eq!(f[0].id, "sched.unschedulable-node", "{f:#?}");
    assert_eq!(f[0].standing, Standing::Decisive);
    assert!(
        f[0].evidence.iter().any(|e| e
            .text
            .contains("every other reason covers nodes set apart too")),
        "{:#?}",
        f[0].evidence
    );
}

/// A dedicated pool's taint is not set apart: it decides over the control plane's.
#[test]
fn a_dedicated_taint_is_not_background() {
    let mut gpu = node("gpu-1");
    gpu.taints.push(Taint {
        key: "dedicated".into(),
        value: Some("gpu".into()),
        effect: "NoSchedule".into(),
    });
    let f = ranked(
        "0/2 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.",
        Some(vec![control_plane(), gpu]),
    );
    assert_eq!(f[0].id, "sched.taint");
    assert_eq!(f[0].standing, Standing::Decisive);
}

/// One reason: nothing to rank, nothing added.
#[test]
fn a_single_reason_is_left_alone() {
    let f = ranked("0/3 nodes are available: 3 Insufficient cpu.", None);
    assert_eq!(f[0].id, "sched.insufficient-cpu");
    assert_eq!(f[0].standing, Standing::Neutral);
    assert!(f[0].said.is_empty());
}

/// Counts that do not fit, a list of separators only, an empty list: no panic, no claim.
#[test]
fn odd_messages_do_not_panic() {
    let p = playbooks();
    let nr = pending_rules(&p);
    for m in [
        "0/99999999999 nodes are available: 4294967295 Insufficient cpu, 4294967295 Insufficient memory.",
        "0/3 nodes are available: , , .",
        "0/3 nodes are available: .",
        "0/3 nodes are available: 99999999999999999999 Insufficient cpu, 1 Too many pods.",
    ] {
        let _ = split(nr, m);
        let _ = ranked(m, None);
        let _ = ranked(m, Some(vec![control_plane(), cordoned("w-1")]));
    }
}
