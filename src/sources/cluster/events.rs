//! The event lists of a targeted run: only what the targets' diagnosis reads, never the
//! cluster's every event. A diagnosis reads the events of a pod, of its owners (up the chain:
//! ReplicaSet, Deployment, Job, CronJob, ...), of its claims and of its node.
//!
//! - Pod targets: one field-selected LIST per object (`involvedObject.kind=K,
//!   involvedObject.name=N` in the pod's namespace) while that is at most
//!   [`MAX_OBJECT_LISTS`] lists; with more objects, one LIST per namespace of the pods (a
//!   namespace's list is one request per 500 events, and per-object lists would grow with
//!   the pods, which a run never does).
//! - Workload and node targets: one LIST per namespace of their pods (and of the workloads
//!   found, whose events make a placeholder when they have no pods).
//! - The nodes of pod and node targets: one LIST each across namespaces, field-selected
//!   (`involvedObject.kind=Node,involvedObject.name=N`); Node events in a namespace's list
//!   are dropped, so none comes twice.
//!
//! An untargeted run lists the events of its scope once (`gather`).

use super::call::CallError;
use super::connect::Connection;
use super::list::{Listed, list_all, path};
use super::targets::Target;
use crate::evidence::{Event, Pod};
use crate::sources::objects::convert::{self, InvolvedObject};
use crate::sources::objects::join::resolve_owners;
use futures::StreamExt;
use std::collections::BTreeSet;

/// Field-selected lists a pod target's events may take before one list per namespace
/// replaces them.
pub const MAX_OBJECT_LISTS: usize = 8;

/// One LIST of events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventQuery {
    /// The namespace listed (`None`: across namespaces, only with a field selector).
    pub namespace: Option<String>,
    pub field: Option<String>,
}

/// The event lists the targets' diagnosis needs, given the pods listed and the namespaces
/// of the workloads found.
pub fn queries<'a>(
    targets: &[Target],
    pods: &[Pod],
    workload_namespaces: impl IntoIterator<Item = &'a str>,
) -> Vec<EventQuery> {
    // The owner chain as the evidence will hold it (a ReplicaSet's Deployment by the
    // `pod-template-hash` rule, a Job's CronJob by its name).
    let mut resolved = pods.to_vec();
    resolve_owners(&mut resolved, &[], &[]);
    let mut objects: BTreeSet<(String, String, String)> = BTreeSet::new();
    for p in &resolved {
        objects.insert((p.namespace.clone(), "Pod".into(), p.name.clone()));
        for o in p.related_objects() {
            if let Some((kind, name)) = o.split_once('/')
                && kind != "node"
            {
                objects.insert((p.namespace.clone(), api_kind(kind).into(), name.into()));
            }
        }
    }
    let only_pods = targets.iter().all(|t| matches!(t, Target::Pod { .. }));
    let mut out: Vec<EventQuery> = if only_pods && objects.len() <= MAX_OBJECT_LISTS {
        objects
            .into_iter()
            .map(|(ns, kind, name)| EventQuery {
                namespace: Some(ns),
                field: Some(if kind.is_empty() {
                    format!("involvedObject.name={name}")
                } else {
                    format!("involvedObject.kind={kind},involvedObject.name={name}")
                }),
            })
            .collect()
    } else {
        let namespaces: BTreeSet<String> = pods
            .iter()
            .map(|p| p.namespace.clone())
            .chain(workload_namespaces.into_iter().map(str::to_string))
            .collect();
        namespaces
            .into_iter()
            .map(|ns| EventQuery {
                namespace: Some(ns),
                field: None,
            })
            .collect()
    };
    let nodes: BTreeSet<&str> = targets
        .iter()
        .filter_map(|t| match t {
            Target::Node(n) => Some(n.as_str()),
            _ => None,
        })
        .chain(
            targets
                .iter()
                .any(|t| matches!(t, Target::Pod { .. }))
                .then(|| pods.iter().filter_map(|p| p.node_name.as_deref()))
                .into_iter()
                .flatten(),
        )
        .collect();
    out.extend(nodes.into_iter().map(|n| EventQuery {
        namespace: None,
        field: Some(format!("involvedObject.kind=Node,involvedObject.name={n}")),
    }));
    out
}

/// The API's kind of a lower-case `kind/name` reference; empty for one it does not know
/// (its events are then selected by name alone).
fn api_kind(kind: &str) -> &'static str {
    crate::evidence::api_kind(kind).unwrap_or("")
}

/// Makes the lists, `concurrency` at a time, as one: the first that fails fails them all
/// (events partly read would read as events absent).
pub async fn list(
    conn: &Connection,
    queries: Vec<EventQuery>,
    keep_raw: bool,
    concurrency: usize,
) -> Result<Listed<(Event, InvolvedObject)>, CallError> {
    let answers: Vec<_> = futures::stream::iter(queries.into_iter().map(|q| async move {
        let listed = list_all(
            conn,
            &path("v1", "events", q.namespace.as_deref()),
            None,
            q.field.as_deref(),
            keep_raw,
            convert::decode_event,
        )
        .await;
        (q, listed)
    }))
    .buffered(concurrency.max(1))
    .collect()
    .await;
    let mut all = Listed::default();
    for (q, listed) in answers {
        let listed = listed?;
        // A namespace's Node events come from the nodes' own lists.
        let whole_namespace = q.field.is_none();
        let mut raw = listed.raw.into_iter();
        for item in listed.items {
            let r = raw.next();
            if whole_namespace && item.1.kind == "Node" {
                continue;
            }
            all.items.push(item);
            all.raw.extend(r);
        }
        all.bad.extend(listed.bad);
        all.raw_bad.extend(listed.raw_bad);
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Owner;

    fn pod(ns: &str, name: &str, rs: &str, hash: &str, node: &str) -> Pod {
        Pod {
            namespace: ns.into(),
            name: name.into(),
            node_name: Some(node.into()),
            labels: [("pod-template-hash".to_string(), hash.to_string())].into(),
            owner: Some(Owner {
                kind: "replicaset".into(),
                name: rs.into(),
                chain: vec![format!("replicaset/{rs}")],
            }),
            volumes: vec![("data".into(), "pvc/web-data".into())],
            ..Pod::default()
        }
    }

    fn fields(q: &[EventQuery]) -> Vec<String> {
        q.iter()
            .map(|q| {
                format!(
                    "{} {}",
                    q.namespace.as_deref().unwrap_or("*"),
                    q.field.as_deref().unwrap_or("-")
                )
            })
            .collect()
    }

    #[test]
    fn a_pod_target_reads_its_pod_owners_claims_and_node() {
        let target = Target::Pod {
            namespace: Some("shop".into()),
            name: "web-7d-a".into(),
        };
        let pods = [pod("shop", "web-7d-a", "web-7d", "7d", "n1")];
        let q = queries(&[target], &pods, []);
        assert_eq!(
            fields(&q),
            [
                "shop involvedObject.kind=Deployment,involvedObject.name=web",
                "shop involvedObject.kind=PersistentVolumeClaim,involvedObject.name=web-data",
                "shop involvedObject.kind=Pod,involvedObject.name=web-7d-a",
                "shop involvedObject.kind=ReplicaSet,involvedObject.name=web-7d",
                "* involvedObject.kind=Node,involvedObject.name=n1",
            ]
        );
    }

    #[test]
    fn many_objects_or_a_node_target_read_their_namespaces() {
        let targets: Vec<Target> = (0..3)
            .map(|i| Target::Pod {
                namespace: None,
                name: format!("web-{i}"),
            })
            .collect();
        let pods: Vec<Pod> = (0..3)
            .map(|i| {
                pod(
                    ["shop", "ops", "shop"][i],
                    &format!("web-{i}"),
                    &format!("rs{i}"),
                    "h",
                    "n1",
                )
            })
            .collect();
        // 3 pods, 3 ReplicaSets, 2 claims: 8 objects, still one list each.
        assert_eq!(queries(&targets, &pods, []).len(), 9);
        let pods: Vec<Pod> = (0..3)
            .map(|i| {
                pod(
                    ["shop", "ops", "shop"][i],
                    &format!("web-{i}"),
                    &format!("rs{i}"),
                    "h",
                    &format!("n{i}"),
                )
            })
            .map(|mut p| {
                p.volumes
                    .push(("more".into(), format!("pvc/more-{}", p.name)));
                p
            })
            .collect();
        assert_eq!(
            fields(&queries(&targets, &pods, [])),
            [
                "ops -",
                "shop -",
                "* involvedObject.kind=Node,involvedObject.name=n0",
                "* involvedObject.kind=Node,involvedObject.name=n1",
                "* involvedObject.kind=Node,involvedObject.name=n2",
            ]
        );
        let node = Target::Node("n1".into());
        assert_eq!(
            fields(&queries(&[node], &pods[1..2], [])),
            ["ops -", "* involvedObject.kind=Node,involvedObject.name=n1"]
        );
        // A workload found in a namespace where it has no pods: that namespace too; its
        // pods' nodes are not asked.
        let deploy = Target::Workload {
            kind: "deployment".into(),
            namespace: None,
            name: "web".into(),
        };
        assert_eq!(
            fields(&queries(&[deploy], &pods[1..2], ["batch"])),
            ["batch -", "ops -"]
        );
    }
}
