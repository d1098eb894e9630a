//! The evidence model: everything kubedoctor knows about a set of pods, in one shape.
//!
//! Every source (a bundle directory, a live cluster, pasted text) produces an [`Evidence`];
//! the status computation and the engine read only this. Nothing here does I/O, and nothing
//! here knows where a value came from, so a playbook never depends on its source.

mod container;
mod controller;
mod event;
mod job;
mod kind;
mod log;
mod node;
mod pod;
mod service;

pub use container::{Container, ContainerState, ContainerStatus, Probe, Quantities, Resources};
pub use controller::Controller;
pub use event::{Event, parse_age};
pub use job::{Job, JobOutcome};
pub use kind::api_kind;
pub use log::{JournalEntry, LogExcerpt};
pub use node::{Node, NodeCondition, Taint};
pub use pod::{Claim, Deletion, Owner, Pod, PodCondition, Rollout, Scheduling};
pub use service::{
    ContainerPort, Endpoint, EndpointPort, Endpoints, Listed, Service, ServiceAccount, ServicePort,
    TargetPort,
};

use jiff::Timestamp;
use serde::Serialize;
use std::collections::HashMap;

/// How the evidence names an object: `kind/name` with the kind in lower case
/// (`replicaset/web-7d9c5b`), as events name what they are about and [`Owner::chain`] names
/// owners; built in one allocation.
pub fn object_ref(kind: &str, name: &str) -> String {
    let mut object = String::with_capacity(kind.len() + 1 + name.len());
    object.extend(kind.chars().flat_map(char::to_lowercase));
    object.push('/');
    object.push_str(name);
    object
}

/// Events of the objects that own or serve pods (ReplicaSets, Deployments, Jobs,
/// PersistentVolumeClaims), stored once per object however many pods refer to it, newest
/// first. Keyed by namespace and `kind/name` (lower-case kind, as [`Owner::chain`] spells it).
#[derive(Debug, Clone, Default)]
pub struct ObjectEvents(HashMap<(String, String), Vec<Event>>);

impl ObjectEvents {
    /// The events of one object (none when the evidence has none).
    pub fn of(&self, namespace: &str, object: &str) -> &[Event] {
        // One lookup without building a key per call would need a borrowed pair key; the
        // maps are small (one entry per owner), so the allocation is cheap.
        self.0
            .get(&(namespace.to_string(), object.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// Adds an event of `object` in `namespace`.
    pub fn push(&mut self, namespace: String, object: String, event: Event) {
        self.0.entry((namespace, object)).or_default().push(event);
    }

    /// Whether an object has events here.
    pub fn contains(&self, namespace: &str, object: &str) -> bool {
        self.0
            .contains_key(&(namespace.to_string(), object.to_string()))
    }

    /// Sorts every object's events newest first.
    pub fn sort_newest_first(&mut self) {
        for events in self.0.values_mut() {
            events.sort_by_key(|e| std::cmp::Reverse(e.last_seen));
        }
    }

    /// Every event, of every object.
    pub fn all(&self) -> impl Iterator<Item = &Event> {
        self.0.values().flatten()
    }

    /// Moves the events of `other` in.
    pub fn extend(&mut self, other: ObjectEvents) {
        for (k, v) in other.0 {
            self.0.entry(k).or_default().extend(v);
        }
    }
}

/// All evidence gathered in one run.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// Pods, in the order the source listed them.
    pub pods: Vec<Pod>,
    /// Nodes, looked up by name from pods.
    pub nodes: Vec<Node>,
    /// Events of pods' owners and claims, once per object (a pod reads them through its
    /// owner chain and claims).
    pub object_events: ObjectEvents,
    /// Services, with the endpoints the cluster computed for them when the source had them.
    pub services: Vec<Service>,
    pub service_accounts: Vec<ServiceAccount>,
    /// Jobs that own pods of the evidence, and the other runs of their CronJobs, when the
    /// source had them (none: unknown, and no run is told apart from another).
    pub jobs: Vec<Job>,
    /// Namespaces whose pods the source listed completely (a selector that matches none of
    /// them matches no pod).
    pub pods_listed: Listed,
    /// Namespaces whose Services the source listed completely (an address naming a Service
    /// missing from them names one that does not exist).
    pub services_listed: Listed,
    /// Namespaces whose ServiceAccounts the source listed completely.
    pub service_accounts_listed: Listed,
    /// kube-system pods of cluster DNS (`k8s-app=kube-dns`) and kube-proxy
    /// (`k8s-app=kube-proxy`) when the diagnosed scope does not include them: consulted to
    /// explain failing clients, never diagnosed themselves.
    pub system_pods: Vec<Pod>,
    /// Services of namespaces out of scope that a pod's address names, looked up by name
    /// (a live run's GET): consulted to check the address, never diagnosed themselves.
    pub services_elsewhere: Vec<Service>,
    /// `(namespace, name)` of Services looked up by name that do not exist (404).
    pub services_absent: Vec<(String, String)>,
    /// Where this evidence came from.
    pub source: SourceInfo,
    /// Which kinds of evidence the source had at all (a missing file is not "no events").
    pub coverage: Coverage,
    /// The moment the evidence describes: capture time, or the newest timestamp seen.
    pub observed_at: Option<Timestamp>,
    /// Things the reader skipped or could not read, to be shown in the report.
    pub notes: Vec<String>,
    /// Pasted text that is mostly not command output (prose, code, configuration): what it
    /// matched is shown, but at info.
    pub mostly_prose: bool,
}

/// Which evidence files or API calls a source had.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    pub events: bool,
    /// The whole node list (a node missing from it is missing from the cluster).
    pub nodes: bool,
    pub logs: bool,
    pub journal: bool,
}

/// What kind of source produced the evidence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Cluster,
    #[default]
    Bundle,
    Text,
}

/// A description of the source, for the report header.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SourceInfo {
    pub kind: SourceKind,
    /// A bundle directory, a file name, or a cluster URL.
    pub location: String,
}

#[cfg(test)]
mod tests {
    #[test]
    fn objects_are_named_by_lower_case_kind_and_name() {
        assert_eq!(
            super::object_ref("ReplicaSet", "web-7d9c5b"),
            "replicaset/web-7d9c5b"
        );
        assert_eq!(super::object_ref("", "x"), "/x");
    }
}
