//! A pod as the evidence model sees it: metadata, spec parts that matter, status, events.

use super::{Container, Event};
use jiff::Timestamp;
use std::collections::BTreeMap;

/// One pod, with its containers, conditions and the events about it.
#[derive(Debug, Clone, Default)]
pub struct Pod {
    pub namespace: String,
    pub name: String,
    pub uid: String,
    /// The source had no status for this pod (a manifest, or only events or logs were
    /// pasted): its status fields are unknown, not empty, and every playbook is tried.
    pub partial: bool,
    /// The STATUS column when the source showed only that (`kubectl get pods`).
    pub status_hint: Option<String>,
    /// The RESTARTS column when the source showed only that.
    pub restarts_hint: Option<i32>,
    /// How long before the output was printed the last restart happened, in seconds, when
    /// the RESTARTS column said (`5 (20s ago)`).
    pub last_restart_age: Option<i64>,
    /// The AGE column when the source showed only that: seconds between the pod's creation
    /// and the moment the output was printed.
    pub age_hint: Option<i64>,
    /// The READY column (`1/2`) when the source showed only that.
    pub ready_hint: Option<(usize, usize)>,
    pub node_name: Option<String>,
    pub phase: String,
    /// `status.reason` (Evicted, NodeLost, SysctlForbidden, OutOfcpu, ...).
    pub reason: Option<String>,
    pub message: Option<String>,
    pub created_at: Option<Timestamp>,
    /// The pod was deleted (deletionTimestamp set, or the text shows `Terminating`).
    pub deletion: Option<Deletion>,
    pub finalizers: Vec<String>,
    /// The source shows finalizers (an object does; `kubectl describe` does not).
    pub finalizers_known: bool,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub restart_policy: String,
    /// `spec.imagePullSecrets` names.
    pub image_pull_secrets: Vec<String>,
    /// How the pod asks to be scheduled (nodeSelector, node affinity, schedulerName), as far
    /// as the source shows it.
    pub scheduling: Scheduling,
    /// The source shows `spec.imagePullSecrets` (an object does; `kubectl describe pod` does
    /// not): when false, an empty list is unknown, not empty.
    pub image_pull_secrets_known: bool,
    pub owner: Option<Owner>,
    pub conditions: Vec<PodCondition>,
    pub init_containers: Vec<Container>,
    pub containers: Vec<Container>,
    /// Events whose involved object is this pod, newest first.
    pub events: Vec<Event>,
    /// Volumes by name with what they refer to (`secret/db-creds`, `configMap/app`, `pvc/data`).
    pub volumes: Vec<(String, String)>,
    /// The PersistentVolumeClaims the pod's volumes use, when the source listed them.
    pub claims: Vec<Claim>,
    /// For a pod of a Deployment's newest ReplicaSet: what changed since the previous revision.
    pub rollout: Option<Rollout>,
}

impl Pod {
    /// The objects whose events explain this pod too: its owners (`replicaset/web-7d9c`,
    /// `deployment/web`) and the PersistentVolumeClaims of its volumes
    /// (`persistentvolumeclaim/data`), as keys of [`crate::evidence::ObjectEvents`].
    pub fn related_objects(&self) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
        let owners = self.owner.iter().flat_map(|o| {
            o.chain
                .iter()
                .map(|c| std::borrow::Cow::Borrowed(c.as_str()))
        });
        let claims = self
            .volumes
            .iter()
            .filter_map(|(_, src)| src.strip_prefix("pvc/"))
            .map(|c| std::borrow::Cow::Owned(format!("persistentvolumeclaim/{c}")));
        owners.chain(claims)
    }

    /// Init containers, then app containers.
    pub fn all_containers(&self) -> impl Iterator<Item = &Container> {
        self.init_containers.iter().chain(self.containers.iter())
    }

    /// `namespace/name` (`name` when the namespace is unknown).
    pub fn key(&self) -> String {
        crate::words::qualified(&self.namespace, &self.name)
    }

    /// The status of a condition type (`True`, `False`, `Unknown`), when present.
    pub fn condition(&self, type_: &str) -> Option<&PodCondition> {
        self.conditions.iter().find(|c| c.type_ == type_)
    }
}

/// The controller that owns a pod, resolved to the top of the chain
/// (a ReplicaSet's pod is owned by its Deployment; a mirror pod by its Node).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// Kind as kubectl spells it in lower case: `deployment`, `statefulset`, `node`, ...
    pub kind: String,
    pub name: String,
    /// Every owner from the pod up, as `kind/name` (`replicaset/web-7d9c`, `deployment/web`).
    pub chain: Vec<String>,
}

impl Owner {
    /// `deployment/web`: what `kubectl` accepts as a resource reference.
    pub fn reference(&self) -> String {
        format!("{}/{}", self.kind, self.name)
    }

    /// The CronJob whose run this pod's Job is (`cronjob/NAME` in the chain), by name.
    pub fn cronjob(&self) -> Option<&str> {
        self.chain.iter().find_map(|c| c.strip_prefix("cronjob/"))
    }

    /// The workload the pod belongs to across its controller's runs: `cronjob/NAME` for a
    /// pod of a CronJob's Job (each run is a new Job), else [`Owner::reference`].
    pub fn workload(&self) -> String {
        match self.cronjob() {
            Some(name) => format!("cronjob/{name}"),
            None => self.reference(),
        }
    }
}

/// A requested deletion, with what the source says about its time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Deletion {
    /// `metadata.deletionTimestamp` (or the time `Terminating (expires ...)` implies).
    pub at: Option<Timestamp>,
    /// How long the pod had been deleting when the source was taken, when the source says
    /// so without a time (`Terminating (lasts 2d)`).
    pub age_seconds: Option<i64>,
}

impl Deletion {
    /// A deletion at a known time.
    pub fn at(t: Timestamp) -> Deletion {
        Deletion {
            at: Some(t),
            age_seconds: None,
        }
    }

    /// Seconds between the deletion and `now` (the moment the evidence describes), when
    /// either is known.
    pub fn seconds_before(&self, now: Option<Timestamp>) -> Option<i64> {
        match (self.at, now) {
            (Some(at), Some(now)) => Some(now.as_second().saturating_sub(at.as_second())),
            _ => self.age_seconds,
        }
    }
}

/// What a Deployment's newest revision changed in the pod template.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rollout {
    /// `deployment/web`.
    pub owner: String,
    pub from_revision: u32,
    pub to_revision: u32,
    /// Ready pods the previous revision still has.
    pub from_ready: i32,
    /// The unified diff of the pod templates (YAML), hunk headers included.
    pub diff: Vec<String>,
}

impl Rollout {
    /// The changed lines only (`+`/`-`), trimmed: `- image: shop/web:1.8`.
    pub fn changes(&self) -> impl Iterator<Item = String> + '_ {
        self.diff
            .iter()
            .filter(|l| {
                (l.starts_with('+') || l.starts_with('-'))
                    && !l.starts_with("+++")
                    && !l.starts_with("---")
            })
            // Drop the YAML list marker: `-   - image: x` reads `- image: x`.
            .map(|l| format!("{} {}", &l[..1], l[1..].trim().trim_start_matches("- ")))
    }

    /// One line for a report: `deployment/web revision 7 -> 8 changed: - image: a; + image: b`.
    pub fn describe(&self) -> String {
        let changes: Vec<String> = self.changes().take(8).collect();
        format!(
            "{} revision {} -> {} changed the pod template ({} ready pods on revision {}): {}",
            self.owner,
            self.from_revision,
            self.to_revision,
            self.from_ready,
            self.from_revision,
            changes.join("; ")
        )
    }
}

/// How a pod asks to be scheduled; each part `None` when the source does not show it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scheduling {
    /// `spec.schedulerName` (the API server defaults it to `default-scheduler`).
    pub scheduler_name: Option<String>,
    /// `spec.nodeSelector` (empty: none).
    pub selector: Option<BTreeMap<String, String>>,
    /// `spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution` is set.
    pub required_affinity: Option<bool>,
}

/// A PersistentVolumeClaim a pod uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Claim {
    pub name: String,
    /// `Pending`, `Bound`, `Lost`.
    pub phase: String,
    pub storage_class: Option<String>,
    pub volume: Option<String>,
}

impl Claim {
    /// `data-0 Pending (storageClassName: <none>)`.
    pub fn describe(&self) -> String {
        let class = self.storage_class.as_deref().unwrap_or("<none>");
        match &self.volume {
            Some(v) => format!(
                "{} {} to volume {v} (storageClassName: {class})",
                self.name, self.phase
            ),
            None => format!("{} {} (storageClassName: {class})", self.name, self.phase),
        }
    }
}

/// A pod condition (PodScheduled, Initialized, ContainersReady, Ready, ...).
#[derive(Debug, Clone, Default)]
pub struct PodCondition {
    pub type_: String,
    pub status: String,
    pub reason: Option<String>,
    pub message: Option<String>,
}
