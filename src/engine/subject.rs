//! What one evaluation of a cause sees: the pod, its status, its node, and the subject
//! container (for causes that read containers).

use crate::evidence::{Container, Evidence, Node, Pod};
use crate::playbook::{EventMatcher, LogHits, LogPatterns};
use crate::status::PodStatus;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// The events of an object that one matcher matched (indices, newest first) and whether a
/// newer event of the same reason says otherwise.
pub type ObjectHits = Rc<(Vec<usize>, bool)>;

/// The values of a field for one pod (and container), with the evidence line of each, built
/// once however many causes read the field.
pub type FieldValues = Rc<Vec<(String, crate::engine::EvidenceLine)>>;

/// A per-pod cache of [`FieldValues`].
#[derive(Default)]
pub struct FieldCache {
    map: RefCell<HashMap<(crate::playbook::Field, usize), FieldValues>>,
}

impl FieldCache {
    /// The values of `field` about `container` (or the pod), computed on first use.
    pub fn values(
        &self,
        field: crate::playbook::Field,
        container: Option<&Container>,
        compute: impl FnOnce() -> Vec<(String, crate::engine::EvidenceLine)>,
    ) -> FieldValues {
        let key = (
            field,
            container.map_or(0, |c| std::ptr::from_ref(c) as usize),
        );
        if let Some(v) = self.map.borrow().get(&key) {
            return v.clone();
        }
        let v = Rc::new(compute());
        self.map.borrow_mut().insert(key, v.clone());
        v
    }
}

/// A memo of owner-scoped event matches for one run: a ReplicaSet's events are the same for
/// each of its pods, so every (matcher, object) pair is matched once, not once per pod.
/// It also remembers which nodes each node matcher holds on (`node_reasons`).
#[derive(Default)]
pub struct EventMemo {
    map: RefCell<HashMap<(usize, String, String), ObjectHits>>,
    pub nodes: crate::engine::node_reasons::NodeMemo,
    /// The evidence's Services by name, built when a pod's env first holds an address.
    pub services: std::cell::OnceCell<crate::engine::addresses::ServiceLookup>,
    /// The cluster DNS and kube-proxy pods, found when a cause first reads them.
    pub system: std::cell::OnceCell<crate::engine::system::SystemFacts>,
}

impl EventMemo {
    /// The hits of matcher `m` among the events of `object` in `namespace`.
    pub fn object_hits(
        &self,
        m: &EventMatcher,
        namespace: &str,
        object: &str,
        compute: impl FnOnce() -> (Vec<usize>, bool),
    ) -> ObjectHits {
        // The matcher lives as long as the playbooks: its address identifies it.
        let key = (
            std::ptr::from_ref(m) as usize,
            namespace.to_string(),
            object.to_string(),
        );
        if let Some(hits) = self.map.borrow().get(&key) {
            return hits.clone();
        }
        let hits = Rc::new(compute());
        self.map.borrow_mut().insert(key, hits.clone());
        hits
    }
}

/// The log scan of a pod: hits per (container, previous instance).
pub type LogCache = HashMap<(String, bool), LogHits>;

/// The evaluation context.
#[derive(Clone, Copy)]
pub struct Subject<'a> {
    pub evidence: &'a Evidence,
    pub pod: &'a Pod,
    pub node: Option<&'a Node>,
    pub status: &'a PodStatus,
    pub container: Option<&'a Container>,
    pub patterns: &'a LogPatterns,
    pub log_hits: &'a LogCache,
    pub memo: &'a EventMemo,
    pub fields: &'a FieldCache,
    /// The facts of a Service subject (its causes read `service.*` fields).
    pub service: Option<&'a crate::engine::services::ServiceFacts>,
}

/// What an evaluation reuses: the pod's log scan and field values, the run's event memo.
#[derive(Clone, Copy)]
pub struct Caches<'a> {
    pub log_hits: &'a LogCache,
    pub memo: &'a EventMemo,
    pub fields: &'a FieldCache,
}

impl<'a> Subject<'a> {
    pub fn new(
        evidence: &'a Evidence,
        pod: &'a Pod,
        node: Option<&'a Node>,
        status: &'a PodStatus,
        patterns: &'a LogPatterns,
        caches: Caches<'a>,
    ) -> Self {
        Subject {
            evidence,
            pod,
            node,
            status,
            container: None,
            patterns,
            log_hits: caches.log_hits,
            memo: caches.memo,
            fields: caches.fields,
            service: None,
        }
    }

    /// The same context about a Service.
    pub fn with_service(self, facts: &'a crate::engine::services::ServiceFacts) -> Self {
        Subject {
            service: Some(facts),
            ..self
        }
    }

    /// The cluster DNS and kube-proxy pods of the evidence (found once per run).
    pub fn system(&self) -> &'a crate::engine::system::SystemFacts {
        self.memo
            .system
            .get_or_init(|| crate::engine::system::SystemFacts::new(self.evidence))
    }

    /// Scans every log of a pod once for all playbook log patterns.
    pub fn scan_logs(pod: &Pod, patterns: &LogPatterns) -> LogCache {
        let mut cache = LogCache::new();
        for c in pod.all_containers() {
            for (previous, excerpt) in [(false, &c.logs), (true, &c.previous_logs)] {
                let Some(excerpt) = excerpt else {
                    continue;
                };
                cache.insert((c.name.clone(), previous), patterns.scan(excerpt.text()));
            }
        }
        cache
    }

    /// The same context about another container.
    pub fn with_container(&self, container: Option<&'a Container>) -> Self {
        Subject { container, ..*self }
    }

    /// The container that decides the pod's status: the first unfinished init container
    /// while initializing, else the first app container that is not healthy, else the first.
    pub fn primary_container(&self) -> Option<&'a Container> {
        if self.status.display.starts_with("Init:")
            && let Some(c) = self.pod.init_containers.iter().find(|c| !c.is_healthy())
        {
            return Some(c);
        }
        self.pod
            .containers
            .iter()
            .find(|c| !c.is_healthy())
            .or(self.pod.containers.first())
    }
}
