//! Joining converted objects: owners through ownerReferences, events to the pods, owners
//! and nodes they are about.
//!
//! Events join by `involvedObject.uid`, falling back to namespace/kind/name (pasted or
//! hand-made events often lack the uid). All joins go through hash maps, so the cost is
//! linear in pods plus events.

use super::convert::{Involved, InvolvedObject};
use crate::evidence::{Controller, Event, Job, Node, ObjectEvents, Pod, object_ref};
use k8s_openapi::api::apps::v1::ReplicaSet;
use std::collections::{HashMap, HashSet};

/// Resolves ReplicaSet owners up to their Deployment, from the ReplicaSet objects when the
/// source has them, else from the `pod-template-hash` label (`web-7d9c5b` minus `-7d9c5b`);
/// and a Job's CronJob, from the Job when the source has it, else from the Job's name
/// ([`cronjob_of_job`]). Resolving twice changes nothing.
pub fn resolve_owners(pods: &mut [Pod], replicasets: &[ReplicaSet], jobs: &[Job]) {
    let job_cronjob: HashMap<(&str, &str), Option<&str>> = jobs
        .iter()
        .map(|j| {
            (
                (j.namespace.as_str(), j.name.as_str()),
                j.cronjob.as_deref(),
            )
        })
        .collect();
    let mut rs_owner: HashMap<(&str, &str), (String, String)> = HashMap::new();
    for rs in replicasets {
        let (Some(ns), Some(name)) = (
            rs.metadata.namespace.as_deref(),
            rs.metadata.name.as_deref(),
        ) else {
            continue;
        };
        let refs = rs.metadata.owner_references.as_deref().unwrap_or_default();
        if let Some(r) = refs
            .iter()
            .find(|r| r.controller == Some(true))
            .or(refs.first())
        {
            rs_owner.insert((ns, name), (r.kind.to_lowercase(), r.name.clone()));
        }
    }
    for pod in pods.iter_mut() {
        let Some(owner) = pod.owner.as_mut() else {
            continue;
        };
        if owner.kind == "job" {
            // The Job stays the owner (its backoffLimit is what failed); its CronJob joins
            // the chain so `cronjob/NAME` selects it and its runs group as one workload.
            // The Job object decides; without it, the name the CronJob controller gives.
            let cronjob = match job_cronjob.get(&(pod.namespace.as_str(), owner.name.as_str())) {
                Some(known) => *known,
                None => cronjob_of_job(&owner.name),
            };
            if let Some(cronjob) = cronjob
                && owner.cronjob().is_none()
            {
                owner.chain.push(format!("cronjob/{cronjob}"));
            }
            continue;
        }
        if owner.kind != "replicaset" {
            continue;
        }
        let up = rs_owner
            .get(&(pod.namespace.as_str(), owner.name.as_str()))
            .cloned()
            .or_else(|| {
                // Not in the list (or no list): a Deployment's ReplicaSet is named
                // `<deployment>-<pod-template-hash>`.
                let hash = pod.labels.get("pod-template-hash")?;
                let deploy = owner.name.strip_suffix(&format!("-{hash}"))?;
                Some(("deployment".to_string(), deploy.to_string()))
            });
        if let Some((kind, name)) = up {
            owner.chain.push(format!("{kind}/{name}"));
            owner.kind = kind;
            owner.name = name;
        }
    }
}

/// The CronJob a Job was created by, from the Job's name: the CronJob controller names each
/// Job `<cronjob>-<scheduled time>`, in minutes since the epoch (8 digits today; Kubernetes
/// before 1.21 used seconds, 10 digits).
pub fn cronjob_of_job(job: &str) -> Option<&str> {
    let (cronjob, time) = job.rsplit_once('-')?;
    ((8..=10).contains(&time.len())
        && time.bytes().all(|b| b.is_ascii_digit())
        && !cronjob.is_empty())
    .then_some(cronjob)
}

/// Attaches the claims each pod's `pvc/NAME` volumes use.
pub fn attach_claims(pods: &mut [Pod], claims: Vec<(String, crate::evidence::Claim)>) {
    // By namespace, then name: looked up with the pod's strings, no key built per volume.
    let mut index: HashMap<String, HashMap<String, crate::evidence::Claim>> = HashMap::new();
    for (ns, c) in claims {
        index.entry(ns).or_default().insert(c.name.clone(), c);
    }
    for p in pods.iter_mut() {
        let in_namespace = index.get(&p.namespace);
        p.claims = p
            .volumes
            .iter()
            .filter_map(|(_, src)| src.strip_prefix("pvc/"))
            .filter_map(|name| in_namespace?.get(name).cloned())
            .collect();
    }
}

/// Where an event goes: found by an [`EventIndex`], placed by an [`EventJoin`].
#[derive(Debug)]
pub enum Target {
    Pod(usize),
    Node(usize),
    /// An object related to pods (an owner or a claim): namespace and `kind/name`.
    Object(String, String),
    /// Nothing in the evidence.
    Unmatched(InvolvedObject),
}

/// The annotation of a mirror pod that holds its static pod's uid.
const MIRROR: &str = "kubernetes.io/config.mirror";

/// The pods (by uid and by name, and the objects related to them) and nodes events are
/// about, indexed once. It only reads, so the threads that decode events can each ask it
/// where an event goes while the event still borrows the decoded text.
pub struct EventIndex {
    by_uid: HashMap<String, usize>,
    /// Pods by namespace and name, and whether the pod has a uid.
    by_name: HashMap<(String, String), (usize, bool)>,
    related: HashSet<(String, String)>,
    node_index: HashMap<String, usize>,
}

impl EventIndex {
    pub fn new(pods: &[Pod], nodes: &[Node]) -> EventIndex {
        let mut by_uid = HashMap::new();
        let mut by_name = HashMap::new();
        let mut related = HashSet::new();
        for (i, p) in pods.iter().enumerate() {
            if !p.uid.is_empty() {
                by_uid.insert(p.uid.clone(), i);
            }
            // A mirror pod's events name the static pod's uid (the config hash the kubelet
            // puts in this annotation), as `kubectl describe` finds them.
            if let Some(mirror) = p.annotations.get(MIRROR).filter(|m| !m.is_empty()) {
                by_uid.insert(mirror.clone(), i);
            }
            by_name.insert(
                (p.namespace.clone(), p.name.clone()),
                (i, !p.uid.is_empty()),
            );
            related.extend(
                p.related_objects()
                    .map(|o| (p.namespace.clone(), o.into_owned())),
            );
        }
        EventIndex {
            by_uid,
            by_name,
            related,
            node_index: nodes
                .iter()
                .enumerate()
                .map(|(i, n)| (n.name.clone(), i))
                .collect(),
        }
    }

    /// Where the event about `io` goes.
    pub fn target(&self, io: Involved<'_>) -> Target {
        let found = match io.kind.as_ref() {
            "Pod" | "" => {
                let uid = io.uid.as_deref().filter(|u| !u.is_empty());
                match uid.and_then(|u| self.by_uid.get(u)) {
                    Some(&i) => Some(Target::Pod(i)),
                    // By name, unless both have a uid and they differ: an event of an
                    // earlier pod of the same name (a StatefulSet's `db-0`) is not this one's.
                    None => self
                        .by_name
                        .get(&(io.namespace.to_string(), io.name.to_string()))
                        .filter(|(_, has_uid)| uid.is_none() || !has_uid)
                        .map(|&(i, _)| Target::Pod(i)),
                }
            }
            "Node" => self
                .node_index
                .get(io.name.as_ref())
                .map(|&i| Target::Node(i)),
            kind => {
                let key = (io.namespace.to_string(), object_ref(kind, &io.name));
                self.related
                    .contains(&key)
                    .then_some(Target::Object(key.0, key.1))
            }
        };
        found.unwrap_or_else(|| Target::Unmatched(io.into_owned()))
    }
}

/// Places events, one at a time, with the pod or node each is about, keeping the events of
/// pods' owners and claims once per object in an [`ObjectEvents`] index (a ReplicaSet's
/// events are not copied into each of its pods). A source can place events as it decodes
/// them, so no list of all events is ever held.
#[derive(Default)]
pub struct EventJoin {
    objects: ObjectEvents,
    unmatched: Vec<(Event, InvolvedObject)>,
}

impl EventJoin {
    /// Places one event where its [`Target`] says.
    pub fn place(&mut self, pods: &mut [Pod], nodes: &mut [Node], event: Event, to: Target) {
        match to {
            Target::Pod(i) => pods[i].events.push(event),
            Target::Node(i) => nodes[i].events.push(event),
            Target::Object(namespace, object) => self.objects.push(namespace, object, event),
            Target::Unmatched(io) => self.unmatched.push((event, io)),
        }
    }

    /// Sorts every event list newest first; returns the object index and the events that
    /// matched nothing: the caller turns Warning events of pod controllers into placeholder
    /// pods ([`placeholder_pods`]) and counts the rest.
    pub fn finish(
        mut self,
        pods: &mut [Pod],
        nodes: &mut [Node],
    ) -> (ObjectEvents, Vec<(Event, InvolvedObject)>) {
        for p in pods.iter_mut() {
            sort_newest_first(&mut p.events);
        }
        for n in nodes.iter_mut() {
            sort_newest_first(&mut n.events);
        }
        self.objects.sort_newest_first();
        (self.objects, self.unmatched)
    }
}

/// Attaches a list of events (see [`EventIndex`] and [`EventJoin`]).
pub fn attach_events(
    pods: &mut [Pod],
    nodes: &mut [Node],
    events: Vec<(Event, InvolvedObject)>,
) -> (ObjectEvents, Vec<(Event, InvolvedObject)>) {
    let index = EventIndex::new(pods, nodes);
    let mut join = EventJoin::default();
    for (event, io) in events {
        let to = index.target(io.borrowed());
        join.place(pods, nodes, event, to);
    }
    join.finish(pods, nodes)
}

/// Turns the events of pod controllers that have no pod in the evidence into one
/// placeholder pod per controller whose pods are missing (which events count, what the
/// controller's state says and what a placeholder says are the status layer's rule,
/// [`crate::status::placeholder`]); the events go to `objects` under the controller, whose
/// placeholder reads them as owner events. Placeholders are keyed by kind and name. Returns
/// the placeholders, the events left, and a note for each placeholder decided by events
/// alone.
pub fn placeholder_pods(
    unmatched: Vec<(Event, InvolvedObject)>,
    objects: &mut ObjectEvents,
    controllers: &[Controller],
) -> (Vec<Pod>, Vec<(Event, InvolvedObject)>, Vec<String>) {
    use crate::status::placeholder::{self, Missing};
    type Key = (String, String, String);
    let mut groups: Vec<(Key, Vec<Event>)> = Vec::new();
    let mut index: HashMap<Key, usize> = HashMap::new();
    let mut rest = Vec::new();
    for (event, io) in unmatched {
        if !placeholder::is_pod_controller(&io.kind) {
            rest.push((event, io));
            continue;
        }
        let key = (io.namespace.clone(), io.kind.clone(), io.name.clone());
        let i = *index.entry(key.clone()).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[i].1.push(event);
    }
    let mut pods: Vec<Pod> = Vec::new();
    let mut notes = Vec::new();
    let mut placed = ObjectEvents::default();
    for ((namespace, kind, name), events) in groups {
        let warned = events
            .iter()
            .any(|e| placeholder::stands_for_missing_pods(&e.type_, &kind));
        let state = controllers.iter().find(|c| {
            c.kind.eq_ignore_ascii_case(&kind)
                && c.name == name
                && (c.namespace == namespace || c.namespace.is_empty() || namespace.is_empty())
        });
        let refs: Vec<&Event> = events.iter().collect();
        let missing = if warned {
            placeholder::pods_missing(&refs, state)
        } else {
            Missing::No
        };
        let reference = object_ref(&kind, &name);
        if missing == Missing::No && state.is_none() && !warned {
            // Only Normal events of a controller the evidence does not show: unused.
            rest.extend(events.into_iter().map(|e| {
                let io = InvolvedObject {
                    kind: kind.clone(),
                    namespace: namespace.clone(),
                    name: name.clone(),
                    uid: None,
                };
                (e, io)
            }));
            continue;
        }
        if missing != Missing::No {
            if missing == Missing::ByEventsOnly {
                notes.push(format!(
                    "the evidence shows no replica counts for {reference}: its pods are taken \
                     as not created from its events alone"
                ));
            }
            pods.push(placeholder::placeholder_pod(&namespace, &kind, &name));
        }
        for e in events {
            placed.push(namespace.clone(), reference.clone(), e);
        }
    }
    placed.sort_newest_first();
    objects.extend(placed);
    (pods, rest, notes)
}

fn sort_newest_first(events: &mut [Event]) {
    events.sort_by_key(|e| std::cmp::Reverse(e.last_seen));
}

/// The replica counts of ReplicaSet objects.
pub fn replicaset_states(replicasets: &[ReplicaSet]) -> Vec<Controller> {
    replicasets
        .iter()
        .map(|rs| {
            let status = rs.status.as_ref();
            Controller {
                namespace: rs.metadata.namespace.clone().unwrap_or_default(),
                kind: "ReplicaSet".into(),
                name: rs.metadata.name.clone().unwrap_or_default(),
                desired: rs.spec.as_ref().and_then(|s| s.replicas).map(i64::from),
                current: status.map(|s| i64::from(s.replicas)),
                ready: status.and_then(|s| s.ready_replicas).map(i64::from),
                replica_failure: status.and_then(|s| s.conditions.as_ref()).map(|cs| {
                    cs.iter()
                        .any(|c| c.type_ == "ReplicaFailure" && c.status == "True")
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str, uid: &str) -> Pod {
        Pod {
            namespace: "shop".into(),
            name: name.into(),
            uid: uid.into(),
            ..Default::default()
        }
    }

    fn about(name: &str, uid: Option<&str>) -> InvolvedObject {
        InvolvedObject {
            kind: "Pod".into(),
            namespace: "shop".into(),
            name: name.into(),
            uid: uid.map(str::to_string),
        }
    }

    #[test]
    fn events_join_pods_by_uid_and_an_earlier_pods_events_stay_apart() {
        let mut mirror = pod("etcd-cp-1", "9f0c");
        mirror.annotations.insert(MIRROR.into(), "3b7e91c2".into());
        let pods = [pod("db-0", "uid-now"), mirror, pod("web-1", "")];
        let index = EventIndex::new(&pods, &[]);
        let target = |io: InvolvedObject| index.target(io.borrowed());
        assert!(matches!(
            target(about("db-0", Some("uid-now"))),
            Target::Pod(0)
        ));
        // The same name, another uid: an earlier db-0.
        assert!(matches!(
            target(about("db-0", Some("uid-before"))),
            Target::Unmatched(_)
        ));
        // A mirror pod's events carry its static pod's uid.
        assert!(matches!(
            target(about("etcd-cp-1", Some("3b7e91c2"))),
            Target::Pod(1)
        ));
        // Without uids on one side, by name.
        assert!(matches!(target(about("db-0", None)), Target::Pod(0)));
        assert!(matches!(
            target(about("web-1", Some("any"))),
            Target::Pod(2)
        ));
    }

    #[test]
    fn a_cronjobs_jobs_are_named_after_it_and_the_schedule() {
        assert_eq!(
            cronjob_of_job("daily-report-29101380"),
            Some("daily-report")
        );
        assert_eq!(cronjob_of_job("old-style-1577836800"), Some("old-style"));
        assert_eq!(cronjob_of_job("migrate-2"), None);
        assert_eq!(cronjob_of_job("db-backup-manual"), None);
    }

    fn job_pod(job: &str, created: &str) -> Pod {
        Pod {
            namespace: "batch".into(),
            name: format!("{job}-x7k2p"),
            created_at: Some(created.parse().unwrap()),
            owner: Some(crate::evidence::Owner {
                kind: "job".into(),
                name: job.into(),
                chain: vec![format!("job/{job}")],
            }),
            ..Default::default()
        }
    }

    #[test]
    fn a_jobs_cronjob_comes_from_the_job_else_from_its_name() {
        let mut pods = [
            job_pod("nightly-29101440", "2025-05-01T00:00:05Z"),
            job_pod("backup-2024", "2025-05-01T00:00:05Z"),
            job_pod("export-29101440", "2025-05-01T00:00:05Z"),
            job_pod("renamed-29101440", "2025-05-01T00:00:05Z"),
        ];
        let jobs = [
            Job {
                namespace: "batch".into(),
                name: "export-29101440".into(),
                cronjob: None,
                ..Default::default()
            },
            Job {
                namespace: "batch".into(),
                name: "renamed-29101440".into(),
                cronjob: Some("reports".into()),
                ..Default::default()
            },
        ];
        resolve_owners(&mut pods, &[], &jobs);
        // Twice: nothing is added again.
        resolve_owners(&mut pods, &[], &jobs);
        let chains: Vec<Vec<String>> = pods
            .iter()
            .map(|p| p.owner.clone().unwrap().chain)
            .collect();
        assert_eq!(chains[0], ["job/nightly-29101440", "cronjob/nightly"]);
        assert_eq!(chains[1], ["job/backup-2024"]);
        // The Job object says it has no CronJob, or names another one.
        assert_eq!(chains[2], ["job/export-29101440"]);
        assert_eq!(chains[3], ["job/renamed-29101440", "cronjob/reports"]);
    }
}
