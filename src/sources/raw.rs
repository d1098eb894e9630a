//! What an object source gathered, converted object by object as it was read: pods (with
//! their direct owners), events (with the object each is about), nodes, PersistentVolume
//! Claims, ReplicaSets (kept typed for their pod templates), Jobs, Services with the endpoints
//! found for them, ServiceAccounts, the cluster DNS and kube-proxy pods, which namespaces
//! each list covers completely, log texts and journal texts. A
//! bundle directory is read into it and a live cluster is listed into it; one join
//! ([`Gathered::into_evidence`]) turns it into evidence, so a live run and a run on its
//! captured bundle agree. `capture` also keeps each object's JSON as the API returned it
//! ([`ApiObjects`]) to write it out unchanged.

use super::objects::convert::InvolvedObject;
use super::objects::services::{self, ServiceEndpoints};
use super::objects::{join, rollout};
use super::text::journal;
use crate::evidence::{
    Claim, Coverage, Event, Evidence, Job, Listed, LogExcerpt, Node, ObjectEvents, Pod, Service,
    ServiceAccount, SourceInfo,
};
use jiff::Timestamp;
use k8s_openapi::api::apps::v1::ReplicaSet;
use serde_json::value::RawValue;
use std::collections::HashMap;

/// One container log text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogText {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    pub previous: bool,
    pub text: String,
    /// Bytes before the kept tail that were not read.
    pub skipped_bytes: u64,
}

/// Objects as the API returned them (their JSON, untouched), for `capture` to write.
#[derive(Debug, Default)]
pub struct ApiObjects {
    pub pods: Vec<Box<RawValue>>,
    pub events: Option<Vec<Box<RawValue>>>,
    pub nodes: Option<Vec<Box<RawValue>>>,
    pub replicasets: Option<Vec<Box<RawValue>>>,
    /// The Jobs owning pods of the capture, and the other runs of their CronJobs.
    pub jobs: Option<Vec<Box<RawValue>>>,
    pub pvcs: Option<Vec<Box<RawValue>>>,
    pub services: Option<Vec<Box<RawValue>>>,
    /// EndpointSlices, or (on a cluster that serves none) core/v1 Endpoints: one of the two.
    pub endpointslices: Option<Vec<Box<RawValue>>>,
    pub endpoints: Option<Vec<Box<RawValue>>>,
    pub serviceaccounts: Option<Vec<Box<RawValue>>>,
    /// The cluster DNS and kube-proxy pods of `kube-system` (`system-pods.json`).
    pub system_pods: Option<Vec<Box<RawValue>>>,
}

/// Events as a source gathered them.
#[derive(Debug)]
pub enum GatheredEvents {
    /// A list, to be joined to the pods.
    Listed(Vec<(Event, InvolvedObject)>),
    /// Already routed to the pods and nodes as they were decoded (see
    /// [`join::EventJoin`]): the owner and claim events, and those that matched nothing.
    Joined {
        objects: ObjectEvents,
        unmatched: Vec<(Event, InvolvedObject)>,
    },
}

/// Everything an object source gathered. `None` lists were not available (a missing file,
/// a forbidden API call), which is not the same as empty.
#[derive(Debug, Default)]
pub struct Gathered {
    pub pods: Vec<Pod>,
    pub events: Option<GatheredEvents>,
    pub nodes: Option<Vec<Node>>,
    pub replicasets: Option<Vec<ReplicaSet>>,
    /// Jobs (their CronJob and how each run ended): the owners of pods and the other runs
    /// of their CronJobs.
    pub jobs: Option<Vec<Job>>,
    /// Claims as `(namespace, claim)`.
    pub pvcs: Option<Vec<(String, Claim)>>,
    /// Services, without endpoints (joined from `endpoints`).
    pub services: Vec<Service>,
    /// The namespaces whose Services were listed completely.
    pub services_listed: Listed,
    /// Endpoints per Service, from EndpointSlices or else Endpoints objects.
    pub endpoints: Vec<ServiceEndpoints>,
    /// The namespaces whose EndpointSlices (or Endpoints) were listed completely.
    pub endpoints_listed: Listed,
    pub service_accounts: Vec<ServiceAccount>,
    pub service_accounts_listed: Listed,
    /// The namespaces whose pods `pods` holds completely (no selector, no target).
    pub pods_listed: Listed,
    /// Cluster DNS and kube-proxy pods of `kube-system`, consulted, not diagnosed (those
    /// also in `pods` are dropped by the join).
    pub system_pods: Vec<Pod>,
    /// Services of other namespaces looked up by name, and those that do not exist.
    pub services_elsewhere: Vec<Service>,
    pub services_absent: Vec<(String, String)>,
    pub logs: Vec<LogText>,
    /// Logs were gathered at all.
    pub logs_gathered: bool,
    /// Kubelet journal texts by node (`journalctl` output).
    pub journals: Vec<(String, String)>,
    pub captured_at: Option<Timestamp>,
    pub notes: Vec<String>,
    /// The objects' JSON as returned, when the source was asked to keep it (`capture`).
    pub api_objects: Option<ApiObjects>,
}

impl Gathered {
    /// Redacts what a captured bundle would carry: logs, journals, notes, and every string of
    /// the objects as the API returned them (messages, annotations such as the last applied
    /// configuration), with the value of any `{name, value}` pair named like a secret (an env
    /// var `DB_PASSWORD`) replaced whatever it looks like.
    pub fn redact(&mut self) {
        for l in &mut self.logs {
            crate::redact::in_place(&mut l.text);
        }
        for (_, j) in &mut self.journals {
            crate::redact::in_place(j);
        }
        for n in &mut self.notes {
            crate::redact::in_place(n);
        }
        let Some(objects) = self.api_objects.as_mut() else {
            return;
        };
        let lists = std::iter::once(&mut objects.pods).chain(
            [
                &mut objects.events,
                &mut objects.nodes,
                &mut objects.replicasets,
                &mut objects.jobs,
                &mut objects.pvcs,
                &mut objects.services,
                &mut objects.endpointslices,
                &mut objects.endpoints,
                &mut objects.serviceaccounts,
                &mut objects.system_pods,
            ]
            .into_iter()
            .flatten(),
        );
        for list in lists {
            for item in list.iter_mut() {
                let Ok(mut value) = serde_json::from_str::<serde_json::Value>(item.get()) else {
                    continue;
                };
                if crate::redact::json_in_place(&mut value)
                    && let Ok(text) = serde_json::to_string(&value)
                    && let Ok(r) = serde_json::value::RawValue::from_string(text)
                {
                    *item = r;
                }
            }
        }
    }

    /// Joins everything into evidence: objects move in, nothing is copied per pod.
    pub fn into_evidence(self, source: SourceInfo) -> Evidence {
        let mut notes = self.notes;
        let replicasets = self.replicasets.unwrap_or_default();
        let jobs = self.jobs.unwrap_or_default();
        let mut pods = self.pods;
        join::resolve_owners(&mut pods, &replicasets, &jobs);
        join::attach_claims(&mut pods, self.pvcs.unwrap_or_default());
        rollout::attach(&mut pods, &replicasets);
        let have_events = self.events.is_some();
        let have_nodes = self.nodes.is_some();
        let mut nodes = self.nodes.unwrap_or_default();
        let (mut object_events, unmatched) = match self.events {
            None => Default::default(),
            Some(GatheredEvents::Listed(events)) => {
                join::attach_events(&mut pods, &mut nodes, events)
            }
            Some(GatheredEvents::Joined { objects, unmatched }) => (objects, unmatched),
        };
        let states = join::replicaset_states(&replicasets);
        let (mut placeholders, unmatched, placeholder_notes) =
            join::placeholder_pods(unmatched, &mut object_events, &states);
        notes.extend(placeholder_notes);
        join::resolve_owners(&mut placeholders, &replicasets, &jobs);
        pods.extend(placeholders);
        if !unmatched.is_empty() {
            notes.push(format!(
                "{} not in the evidence and were not used",
                crate::words::count(
                    unmatched.len() as u64,
                    "event is about an object",
                    "events are about objects"
                )
            ));
        }
        attach_logs(&mut pods, self.logs, &mut notes);
        let have_journal = !self.journals.is_empty();
        let mut node_index: HashMap<String, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.name.clone(), i))
            .collect();
        for (node, text) in self.journals {
            let entries = journal::parse(&text);
            match node_index.get(&node) {
                Some(&i) => nodes[i].journal.extend(entries),
                None => {
                    node_index.insert(node.clone(), nodes.len());
                    nodes.push(Node {
                        name: node,
                        journal: entries,
                        ..Default::default()
                    });
                }
            }
        }
        let observed_at = self
            .captured_at
            .or_else(|| newest_time(&pods, &nodes, &object_events));
        let mut services = self.services;
        services::attach_endpoints(&mut services, self.endpoints, &self.endpoints_listed);
        let system_pods = services::system_pods(&pods, self.system_pods);
        Evidence {
            coverage: Coverage {
                events: have_events,
                nodes: have_nodes,
                logs: self.logs_gathered,
                journal: have_journal,
            },
            pods,
            nodes,
            object_events,
            services,
            service_accounts: self.service_accounts,
            jobs,
            pods_listed: self.pods_listed,
            services_listed: self.services_listed,
            service_accounts_listed: self.service_accounts_listed,
            system_pods,
            services_elsewhere: self.services_elsewhere,
            services_absent: self.services_absent,
            source,
            observed_at,
            notes,
            mostly_prose: false,
        }
    }
}

fn attach_logs(pods: &mut [Pod], logs: Vec<LogText>, notes: &mut Vec<String>) {
    let index: HashMap<(String, String), usize> = pods
        .iter()
        .enumerate()
        .map(|(i, p)| ((p.namespace.clone(), p.name.clone()), i))
        .collect();
    for log in logs {
        let Some(&i) = index.get(&(log.namespace.clone(), log.pod.clone())) else {
            notes.push(format!(
                "logs of `{}/{}` found but the pod is not in the evidence",
                log.namespace, log.pod
            ));
            continue;
        };
        let p = &mut pods[i];
        let Some(c) = p
            .init_containers
            .iter_mut()
            .chain(p.containers.iter_mut())
            .find(|c| c.name == log.container)
        else {
            notes.push(format!(
                "a log names container `{}`, which `{}/{}` does not have",
                log.container, log.namespace, log.pod
            ));
            continue;
        };
        let excerpt = LogExcerpt::from_string(log.text, log.skipped_bytes);
        if log.previous {
            c.previous_logs = Some(Box::new(excerpt));
        } else {
            c.logs = Some(Box::new(excerpt));
        }
    }
}

fn newest_time(
    pods: &[Pod],
    nodes: &[Node],
    objects: &crate::evidence::ObjectEvents,
) -> Option<Timestamp> {
    let events = pods
        .iter()
        .flat_map(|p| p.events.iter())
        .chain(objects.all())
        .chain(nodes.iter().flat_map(|n| n.events.iter()))
        .filter_map(|e| e.last_seen);
    let created = pods.iter().filter_map(|p| p.created_at);
    events.chain(created).max()
}
