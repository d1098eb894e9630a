//! The cluster's own plumbing, as the evidence shows it: the cluster DNS pods (kube-system,
//! `k8s-app=kube-dns`) and the kube-proxy pods (`k8s-app=kube-proxy`) by node, each with
//! whether it is ready. Worked out once per run from the diagnosed pods and
//! `Evidence::system_pods` (which are consulted, never diagnosed).
//!
//! What `cluster.dns_pods`, `cluster.dns_ready`, `cluster.dns_not_ready` and
//! `pod.kube_proxy_ready` read. Absence decides nothing: a cluster whose DNS or kube-proxy
//! pods the evidence lacks (kube-system not listed, or an eBPF replacement of kube-proxy)
//! leaves those fields unknown.

use crate::evidence::{Evidence, Pod};
use crate::status::pod_status_at;
use std::collections::HashMap;

/// The namespace of the cluster's DNS and kube-proxy pods.
const SYSTEM_NAMESPACE: &str = "kube-system";
/// The `k8s-app` label of the cluster DNS pods (CoreDNS keeps kube-dns's label).
const DNS_APP: &str = "kube-dns";
/// The `k8s-app` label of the kube-proxy pods.
const PROXY_APP: &str = "kube-proxy";

/// One system pod and how it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemPod {
    /// `kube-system/coredns-5d78c9869d-x2x4p`.
    pub key: String,
    /// `coredns-5d78c9869d-x2x4p`.
    pub name: String,
    /// `deployment/coredns`, when the evidence shows the owner.
    pub owner: Option<String>,
    pub node: Option<String>,
    /// Every container ready, and not being deleted.
    pub ready: bool,
    /// `0/1 CrashLoopBackOff`.
    pub standing: String,
}

impl SystemPod {
    fn new(pod: &Pod, evidence: &Evidence) -> SystemPod {
        let status = pod_status_at(pod, evidence.observed_at);
        let ready = status.known
            && status.total > 0
            && status.ready == status.total
            && pod.deletion.is_none()
            && status.display != "Terminating";
        SystemPod {
            key: crate::words::qualified(&pod.namespace, &pod.name),
            name: pod.name.clone(),
            owner: pod.owner.as_ref().map(|o| o.reference()),
            node: pod.node_name.clone(),
            ready,
            standing: format!("{}/{} {}", status.ready, status.total, status.display),
        }
    }

    /// The evidence line that quotes it.
    pub fn describe(&self) -> String {
        let on = self
            .node
            .as_deref()
            .map(|n| format!(" on node `{n}`"))
            .unwrap_or_default();
        let ready = if self.ready { "ready" } else { "not ready" };
        format!("`{}`{on}: {}, {ready}", self.key, self.standing)
    }
}

/// The cluster DNS pods and the kube-proxy pods of the evidence.
#[derive(Debug, Default)]
pub struct SystemFacts {
    pub dns: Vec<SystemPod>,
    /// kube-proxy pods by node name.
    pub proxies: HashMap<String, SystemPod>,
}

impl SystemFacts {
    pub fn new(evidence: &Evidence) -> SystemFacts {
        let mut facts = SystemFacts::default();
        for pod in evidence.pods.iter().chain(&evidence.system_pods) {
            if pod.namespace != SYSTEM_NAMESPACE {
                continue;
            }
            match pod.labels.get("k8s-app").map(String::as_str) {
                Some(DNS_APP) => facts.dns.push(SystemPod::new(pod, evidence)),
                Some(PROXY_APP) => {
                    let Some(node) = pod.node_name.clone() else {
                        continue;
                    };
                    let p = SystemPod::new(pod, evidence);
                    // Two pods on one node (a rollout): the node has a working one if any is.
                    let keep = facts.proxies.get(&node).is_none_or(|old| !old.ready);
                    if keep {
                        facts.proxies.insert(node, p);
                    }
                }
                _ => {}
            }
        }
        facts
    }

    /// Ready DNS pods.
    pub fn dns_ready(&self) -> usize {
        self.dns.iter().filter(|p| p.ready).count()
    }

    /// The DNS pods' owner (`deployment/coredns`), else the kube-dns Service's name: what the
    /// clients of a DNS outage are grouped by.
    pub fn dns_owner(&self) -> String {
        self.dns
            .iter()
            .find_map(|p| p.owner.clone())
            .unwrap_or_else(|| format!("{SYSTEM_NAMESPACE}/{DNS_APP}"))
    }

    /// The kube-proxy pod of a node.
    pub fn proxy_on(&self, node: Option<&str>) -> Option<&SystemPod> {
        self.proxies.get(node?)
    }
}

#[cfg(test)]
mod cases;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::{Container, ContainerState, ContainerStatus};

    fn pod(name: &str, app: &str, node: &str, ready: bool) -> Pod {
        Pod {
            namespace: SYSTEM_NAMESPACE.into(),
            name: name.into(),
            phase: "Running".into(),
            node_name: Some(node.into()),
            labels: [("k8s-app".to_string(), app.to_string())].into(),
            containers: vec![Container {
                name: "c".into(),
                status: Some(ContainerStatus {
                    ready,
                    state: ContainerState::Running { started_at: None },
                    ..Default::default()
                }),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn dns_and_proxy_pods_are_found_with_their_readiness() {
        let mut e = Evidence::default();
        e.pods.push(pod("coredns-1", DNS_APP, "w1", false));
        e.system_pods.push(pod("coredns-2", DNS_APP, "w2", true));
        e.system_pods
            .push(pod("kube-proxy-a", PROXY_APP, "w1", false));
        e.system_pods
            .push(pod("kube-proxy-b", PROXY_APP, "w2", true));
        // Another namespace's pod with the label is not the cluster's DNS.
        let mut other = pod("fake-dns", DNS_APP, "w1", false);
        other.namespace = "shop".into();
        e.pods.push(other);
        let f = SystemFacts::new(&e);
        assert_eq!(f.dns.len(), 2);
        assert_eq!(f.dns_ready(), 1);
        assert!(!f.proxy_on(Some("w1")).unwrap().ready);
        assert!(f.proxy_on(Some("w2")).unwrap().ready);
        assert!(f.proxy_on(Some("w3")).is_none() && f.proxy_on(None).is_none());
        assert!(
            f.dns[0]
                .describe()
                .starts_with("`kube-system/coredns-1` on node `w1`: 0/1"),
            "{}",
            f.dns[0].describe()
        );
        assert_eq!(f.dns_owner(), "kube-system/kube-dns");
    }

    #[test]
    fn nothing_is_known_without_system_pods() {
        let f = SystemFacts::new(&Evidence::default());
        assert!(f.dns.is_empty() && f.proxies.is_empty());
    }
}
