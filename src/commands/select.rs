//! Narrowing evidence to the pods a command asked for: namespace, selector and targets (pod
//! names, `deployment/web`, `node/worker-1`, ...), the same way for a bundle, pasted text and
//! a live cluster. A target that matches nothing is an error; an empty namespace or selector
//! is a note, so a typo is visible.

use crate::cli::SelectArgs;
use crate::error::RunError;
use crate::evidence::{Evidence, Pod, SourceKind};
use crate::selector::Selector;
use crate::sources::cluster::Target;

/// Keeps only the pods in scope.
pub fn apply(evidence: &mut Evidence, scope: &SelectArgs) -> Result<(), RunError> {
    let selector = scope
        .selector
        .as_deref()
        .map(Selector::parse)
        .transpose()
        .map_err(RunError::Usage)?;
    let ns = scope.namespace.as_deref().filter(|_| !scope.all_namespaces);
    let targets = scope
        .pods
        .iter()
        .map(|t| Target::parse(t).map_err(|e| RunError::Usage(e.to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    let in_namespace = |p: &Pod| ns.is_none_or(|n| p.namespace == n);
    // A live cluster already said whether a workload or node exists (its GET failed, or the
    // run stopped); one with no pods now is a note. In a bundle or a paste the evidence is
    // all there is.
    let verified =
        |t: &Target| evidence.source.kind == SourceKind::Cluster && !matches!(t, Target::Pod(_));
    for t in targets.iter().filter(|t| !verified(t)) {
        let found = evidence
            .pods
            .iter()
            .any(|p| in_namespace(p) && matches(t, p))
            || matches!(t, Target::Node(n) if evidence.nodes.iter().any(|node| node.name == *n));
        if !found {
            let where_ = ns.map_or_else(
                || "the evidence".to_string(),
                |n| format!("namespace `{n}`"),
            );
            return Err(RunError::Usage(format!(
                "{} not found in {where_}; list what is there with `kubedoctor diagnose --from DIR`",
                describe(t)
            )));
        }
    }
    let before = evidence.pods.len();
    evidence.pods.retain(|p| {
        in_namespace(p)
            && selector.as_ref().is_none_or(|s| s.matches(&p.labels))
            && (targets.is_empty() || targets.iter().any(|t| matches(t, p)))
    });
    if evidence.pods.is_empty() && before > 0 {
        evidence
            .notes
            .push(empty_note(ns, scope.selector.as_deref(), &targets));
    }
    Ok(())
}

/// Whether a pod is one of a target's pods: by name, by an owner anywhere up its chain
/// (`deployment/web` owns the pods of its ReplicaSets), or by the node it runs on.
fn matches(target: &Target, pod: &Pod) -> bool {
    match target {
        Target::Pod(name) => pod.name == *name || pod.key() == *name,
        Target::Node(name) => pod.node_name.as_deref() == Some(name.as_str()),
        Target::Workload(kind, name) => {
            let reference = format!("{kind}/{name}");
            pod.owner
                .as_ref()
                .is_some_and(|o| o.reference() == reference || o.chain.contains(&reference))
        }
    }
}

fn describe(target: &Target) -> String {
    match target {
        Target::Pod(name) => format!("pod `{name}`"),
        Target::Node(name) => format!("node `{name}`"),
        Target::Workload(kind, name) => format!("`{kind}/{name}`"),
    }
}

fn empty_note(ns: Option<&str>, selector: Option<&str>, targets: &[Target]) -> String {
    let mut what = Vec::new();
    if let Some(n) = ns {
        what.push(format!("in namespace `{n}`"));
    }
    if let Some(s) = selector {
        what.push(format!("matching `{s}`"));
    }
    if !targets.is_empty() {
        let names: Vec<String> = targets.iter().map(describe).collect();
        what.push(format!("of {}", names.join(", ")));
    }
    format!(
        "no pods {}: check the spelling (namespaces and labels are case-sensitive)",
        what.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Owner;

    fn pod(ns: &str, name: &str, chain: &[&str], node: &str) -> Pod {
        Pod {
            namespace: ns.into(),
            name: name.into(),
            node_name: Some(node.into()),
            owner: chain.last().map(|top| {
                let (kind, name) = top.split_once('/').unwrap();
                Owner {
                    kind: kind.into(),
                    name: name.into(),
                    chain: chain.iter().map(|s| s.to_string()).collect(),
                }
            }),
            ..Default::default()
        }
    }

    fn evidence() -> Evidence {
        Evidence {
            pods: vec![
                pod(
                    "shop",
                    "web-5d8f-a",
                    &["replicaset/web-5d8f", "deployment/web"],
                    "n1",
                ),
                pod("shop", "db-0", &["statefulset/db"], "n2"),
                pod(
                    "ops",
                    "web-77c4-b",
                    &["replicaset/web-77c4", "deployment/web"],
                    "n2",
                ),
                pod(
                    "batch",
                    "nightly-29000000-x",
                    &["job/nightly-29000000", "cronjob/nightly"],
                    "n1",
                ),
            ],
            ..Default::default()
        }
    }

    fn scope(targets: &[&str], ns: Option<&str>, selector: Option<&str>) -> SelectArgs {
        SelectArgs {
            pods: targets.iter().map(|s| s.to_string()).collect(),
            namespace: ns.map(str::to_string),
            all_namespaces: false,
            selector: selector.map(str::to_string),
        }
    }

    fn names(ev: &Evidence) -> Vec<&str> {
        ev.pods.iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn workload_targets_select_their_pods_and_honour_the_namespace() {
        let mut ev = evidence();
        apply(&mut ev, &scope(&["deploy/web"], Some("shop"), None)).unwrap();
        assert_eq!(names(&ev), ["web-5d8f-a"]);
        let mut ev = evidence();
        apply(&mut ev, &scope(&["deployment/web"], None, None)).unwrap();
        assert_eq!(names(&ev), ["web-5d8f-a", "web-77c4-b"]);
        let mut ev = evidence();
        apply(&mut ev, &scope(&["cronjob/nightly", "sts/db"], None, None)).unwrap();
        assert_eq!(names(&ev), ["db-0", "nightly-29000000-x"]);
        let mut ev = evidence();
        apply(&mut ev, &scope(&["rs/web-77c4"], None, None)).unwrap();
        assert_eq!(names(&ev), ["web-77c4-b"]);
    }

    #[test]
    fn node_targets_select_the_pods_on_the_node() {
        let mut ev = evidence();
        apply(&mut ev, &scope(&["node/n2"], None, None)).unwrap();
        assert_eq!(names(&ev), ["db-0", "web-77c4-b"]);
    }

    #[test]
    fn a_target_that_matches_nothing_is_a_usage_error() {
        for t in ["deployment/nope", "node/n9", "nope-pod", "service/web"] {
            let err = apply(&mut evidence(), &scope(&[t], None, None)).unwrap_err();
            assert!(matches!(err, RunError::Usage(_)), "{t}");
        }
        let err = apply(
            &mut evidence(),
            &scope(&["deploy/web"], Some("batch"), None),
        )
        .unwrap_err();
        assert!(err.to_string().contains("namespace `batch`"), "{err}");
    }

    #[test]
    fn an_empty_namespace_or_selector_is_a_note() {
        let mut ev = evidence();
        apply(&mut ev, &scope(&[], Some("shpo"), None)).unwrap();
        assert!(ev.pods.is_empty());
        assert!(
            ev.notes[0].starts_with("no pods in namespace `shpo`"),
            "{:?}",
            ev.notes
        );
        let mut ev = evidence();
        apply(&mut ev, &scope(&[], None, Some("app=nope"))).unwrap();
        assert!(
            ev.notes[0].contains("matching `app=nope`"),
            "{:?}",
            ev.notes
        );
    }
}
