//! What to gather from a cluster: the request ([`GatherSpec`]), what the command layer
//! decides from the playbooks and the status rules ([`Plan`]: which pods are unhealthy, whose
//! logs a cause reads, which logs a container has), progress reporting, and the resulting
//! list of log and journal fetches.

use super::fetch::{Fetch, JournalFetch, LogFetch, NOT_ASKED, journal_notes};
use super::targets::Target;
use crate::evidence::{Container, Node, Pod};
use std::collections::BTreeSet;

/// What the command layer decides from the playbooks and the status rules, so that a source
/// needs to know neither.
pub trait Plan: Sync {
    /// True when a pod is not healthy as of `now`, the API server's time (its containers'
    /// logs and node journal may matter).
    fn unhealthy(&self, pod: &Pod, now: Option<jiff::Timestamp>) -> bool;
    /// True when a cause that could explain the pod reads logs (a Pending pod needs none).
    fn wants_logs(&self, pod: &Pod, now: Option<jiff::Timestamp>) -> bool;
    /// Which logs of a container exist: (current, previous).
    fn logs_of(&self, container: &Container) -> (bool, bool);
    /// True when the container's last termination was a recent failure: its logs matter
    /// even when it runs and is ready again.
    fn restarted_recently(&self, container: &Container, now: Option<jiff::Timestamp>) -> bool;
}

/// Progress reports (a progress bar on a terminal; nothing otherwise).
pub trait Progress: Sync {
    fn stage(&self, _message: &str) {}
    fn start(&self, _message: &str, _total: u64) {}
    fn step(&self) {}
    fn finish(&self) {}
}

/// What to gather.
#[derive(Debug, Clone)]
pub struct GatherSpec {
    /// `None`: all namespaces.
    pub namespace: Option<String>,
    pub selector: Option<String>,
    pub targets: Vec<Target>,
    pub concurrency: usize,
    /// Ask nodes for their kubelet journal (node log query API).
    pub journal: bool,
    /// Gather logs of every unhealthy container regardless of the plan (capture).
    pub all_logs: bool,
    /// Keep every object's JSON as the API returned it (capture writes it).
    pub keep_api_objects: bool,
}

/// The cluster as the fetches need it: the API server's clock and the nodes listed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cluster<'a> {
    /// The API server's time (`None`: unknown; this machine's clock stands in).
    pub now: Option<jiff::Timestamp>,
    /// The nodes, when listed.
    pub nodes: Option<&'a [Node]>,
}

impl Cluster<'_> {
    /// Why a node cannot answer a journal query: it is not in the node list (deleted), its
    /// kubelet stopped reporting (Ready is `Unknown`) or the node controller marked it
    /// unreachable. A query through the API server's proxy to it would only fail or wait for
    /// the timeout.
    fn unreachable(&self, node: &str) -> Option<&'static str> {
        let Some(n) = self.nodes?.iter().find(|n| n.name == node) else {
            return Some("it is not in the cluster's node list");
        };
        if n.condition("Ready").is_some_and(|c| c.status == "Unknown") {
            return Some("its kubelet stopped reporting (Ready is Unknown)");
        }
        n.taints
            .iter()
            .any(|t| t.key == "node.kubernetes.io/unreachable")
            .then_some("it carries the node.kubernetes.io/unreachable taint")
    }
}

/// The logs and journals to fetch for the unhealthy pods (indices into `pods`), and a note
/// for each node whose journal is not asked for.
pub fn fetches(
    pods: &[Pod],
    unhealthy: &[usize],
    plan: &dyn Plan,
    spec: &GatherSpec,
    cluster: Cluster,
) -> (Vec<Fetch>, Vec<String>) {
    let mut skipped = Vec::new();
    let mut out = Vec::new();
    for &i in unhealthy {
        let p = &pods[i];
        if !(spec.all_logs || plan.wants_logs(p, cluster.now)) {
            continue;
        }
        // A container that runs and is ready again after a recent crash (an OOM kill
        // minutes ago) still has the previous instance's log to read.
        let failing = |c: &&Container| !c.is_healthy() || plan.restarted_recently(c, cluster.now);
        for c in p.all_containers().filter(failing) {
            let (current, previous) = plan.logs_of(c);
            for (wanted, previous) in [(current, false), (previous, true)] {
                if wanted {
                    out.push(Fetch::Log(LogFetch {
                        namespace: p.namespace.clone(),
                        pod: p.name.clone(),
                        container: c.name.clone(),
                        previous,
                    }));
                }
            }
        }
    }
    if spec.journal {
        let nodes: BTreeSet<&str> = unhealthy
            .iter()
            .filter_map(|&i| pods[i].node_name.as_deref())
            .collect();
        for node in nodes {
            if let Some(why) = cluster.unreachable(node) {
                skipped.push((node.to_string(), why.to_string()));
                continue;
            }
            let pods_on = unhealthy
                .iter()
                .map(|&i| &pods[i])
                .filter(|p| p.node_name.as_deref() == Some(node))
                .map(|p| p.name.clone())
                .collect();
            out.push(Fetch::Journal(JournalFetch {
                node: node.to_string(),
                pods: pods_on,
                now: cluster.now,
            }));
        }
    }
    (out, journal_notes(skipped, NOT_ASKED))
}

#[cfg(test)]
mod tests {
    use super::{Cluster, GatherSpec, Plan, fetches};
    use crate::evidence::{
        Container, ContainerState, ContainerStatus, Node, NodeCondition, Pod, Taint,
    };
    use crate::sources::cluster::fetch::{Fetch, LogFetch};

    /// The status rules, as the command layer's plan applies them.
    struct Rules;

    impl Plan for Rules {
        fn unhealthy(&self, pod: &Pod, now: Option<jiff::Timestamp>) -> bool {
            !crate::status::pod_status_at(pod, now).healthy
        }
        fn wants_logs(&self, _: &Pod, _: Option<jiff::Timestamp>) -> bool {
            true
        }
        fn logs_of(&self, c: &Container) -> (bool, bool) {
            crate::status::logs_of(c)
        }
        fn restarted_recently(&self, c: &Container, now: Option<jiff::Timestamp>) -> bool {
            crate::status::restarted_recently(c, now)
        }
    }

    /// A Running, ready pod whose container was OOM-killed `ago` before the server's time.
    fn restarted(ago: i64) -> (Pod, jiff::Timestamp) {
        let now: jiff::Timestamp = "2026-11-20T11:00:00Z".parse().unwrap();
        let finished = now - jiff::SignedDuration::from_secs(ago);
        let pod = Pod {
            namespace: "shop".into(),
            name: "api-1".into(),
            phase: "Running".into(),
            restart_policy: "Always".into(),
            containers: vec![Container {
                name: "api".into(),
                status: Some(ContainerStatus {
                    ready: true,
                    started: Some(true),
                    restart_count: 1,
                    state: ContainerState::Running {
                        started_at: Some(finished),
                    },
                    last_state: ContainerState::Terminated {
                        reason: Some("OOMKilled".into()),
                        message: None,
                        exit_code: 137,
                        signal: None,
                        started_at: None,
                        finished_at: Some(finished),
                    },
                }),
                ..Container::default()
            }],
            ..Pod::default()
        };
        (pod, now)
    }

    fn logs_fetched(ago: i64) -> Vec<bool> {
        let (pod, now) = restarted(ago);
        let pods = [pod];
        let unhealthy: Vec<usize> = (0..1)
            .filter(|&i| Rules.unhealthy(&pods[i], Some(now)))
            .collect();
        let spec = GatherSpec {
            namespace: None,
            selector: None,
            targets: Vec::new(),
            concurrency: 1,
            journal: false,
            all_logs: false,
            keep_api_objects: false,
        };
        let cluster = Cluster {
            now: Some(now),
            nodes: None,
        };
        fetches(&pods, &unhealthy, &Rules, &spec, cluster)
            .0
            .into_iter()
            .filter_map(|f| match f {
                Fetch::Log(LogFetch { previous, .. }) => Some(previous),
                Fetch::Journal(_) => None,
            })
            .collect()
    }

    #[test]
    fn a_ready_container_killed_minutes_ago_has_its_previous_log_read() {
        assert_eq!(logs_fetched(300), [false, true], "current and previous");
        // Two hours before the server's time: history, nothing fetched.
        assert!(logs_fetched(7200).is_empty());
    }

    #[test]
    fn nodes_that_cannot_answer_are_not_asked_for_a_journal() {
        let node = |name: &str, ready: &str, taint: Option<&str>| Node {
            name: name.into(),
            conditions: vec![NodeCondition {
                type_: "Ready".into(),
                status: ready.into(),
                reason: None,
                message: None,
                last_transition: None,
            }],
            taints: taint
                .map(|k| Taint {
                    key: k.into(),
                    value: None,
                    effect: "NoExecute".into(),
                })
                .into_iter()
                .collect(),
            ..Node::default()
        };
        let nodes = [
            node("up", "True", None),
            node("down", "False", None),
            node("silent", "Unknown", None),
            node("cut", "False", Some("node.kubernetes.io/unreachable")),
        ];
        let cluster = Cluster {
            now: None,
            nodes: Some(&nodes),
        };
        // A NotReady node whose kubelet reports is asked: its journal says why.
        assert_eq!(cluster.unreachable("up"), None);
        assert_eq!(cluster.unreachable("down"), None);
        assert!(cluster.unreachable("silent").unwrap().contains("Unknown"));
        assert!(cluster.unreachable("cut").unwrap().contains("unreachable"));
        assert!(cluster.unreachable("gone").unwrap().contains("node list"));
        // Nodes not listed (forbidden): every node is asked.
        assert_eq!(Cluster::default().unreachable("gone"), None);
    }
}
