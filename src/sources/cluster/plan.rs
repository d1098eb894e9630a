//! What to gather from a cluster: the request ([`GatherSpec`]), what the command layer
//! decides from the playbooks and the status rules ([`Plan`]: which pods are unhealthy, whose
//! logs a cause reads, which logs a container has), progress reporting, and the resulting
//! list of log and journal fetches.

use super::fetch::{Fetch, JournalFetch, LogFetch};
use super::targets::Target;
use crate::evidence::{Container, Pod};
use std::collections::BTreeSet;

/// What the command layer decides from the playbooks and the status rules, so that a source
/// needs to know neither.
pub trait Plan: Sync {
    /// True when a pod is not healthy (its containers' logs and node journal may matter).
    fn unhealthy(&self, pod: &Pod) -> bool;
    /// True when a cause that could explain the pod reads logs (a Pending pod needs none).
    fn wants_logs(&self, pod: &Pod) -> bool;
    /// Which logs of a container exist: (current, previous).
    fn logs_of(&self, container: &Container) -> (bool, bool);
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

/// The logs and journals to fetch for the unhealthy pods (indices into `pods`).
pub fn fetches(
    pods: &[Pod],
    unhealthy: &[usize],
    plan: &dyn Plan,
    spec: &GatherSpec,
) -> Vec<Fetch> {
    let mut out = Vec::new();
    for &i in unhealthy {
        let p = &pods[i];
        if !(spec.all_logs || plan.wants_logs(p)) {
            continue;
        }
        for c in p.all_containers().filter(|c| !c.is_healthy()) {
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
            let pods_on = unhealthy
                .iter()
                .map(|&i| &pods[i])
                .filter(|p| p.node_name.as_deref() == Some(node))
                .map(|p| p.name.clone())
                .collect();
            out.push(Fetch::Journal(JournalFetch {
                node: node.to_string(),
                pods: pods_on,
            }));
        }
    }
    out
}
