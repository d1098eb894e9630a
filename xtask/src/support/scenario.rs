//! Scenarios as data: a `scenarios/<sample>.yaml` file describes the broken pods of one sample
//! (and any node, ReplicaSet, claim, Service, event or journal line they need) next to the
//! cause each must get;
//! [`Scenario::apply`] expands it into the sample's objects on top of the healthy base
//! cluster. Every sample of `samples/` comes from one. The format is documented in
//! `scenarios/README.md`.

use super::builders::*;
use super::sample::{Ev, Sample};
use super::services::{Svc, SvcPort, manual_slice};
use super::shapes::{crash_events, pull_fail, unschedulable};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// One scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// One line: what is broken and how it shows.
    pub description: String,
    /// Mixed into `samples/demo-cluster` too: `true`, or a number to place it in the mix
    /// (numbered scenarios first, by number, then the others by file name).
    #[serde(default)]
    pub demo: Demo,
    #[serde(default)]
    pub pods: Vec<PodSpec>,
    /// Nodes that differ from a healthy one (replacing the base node of that name, or added).
    #[serde(default)]
    pub nodes: Vec<NodeSpec>,
    #[serde(default)]
    pub node_events: Vec<NodeEvent>,
    #[serde(default)]
    pub owner_events: Vec<OwnerEvent>,
    /// Kubelet journal text per node.
    #[serde(default)]
    pub journal: BTreeMap<String, String>,
    /// Services (their EndpointSlices are computed from the pods when the sample is written).
    #[serde(default)]
    pub services: Vec<ServiceSpec>,
    /// ReplicaSets of Deployments (their revisions and pod templates).
    #[serde(default)]
    pub replicasets: Vec<ReplicaSetSpec>,
    /// PersistentVolumeClaims, with their events.
    #[serde(default)]
    pub pvcs: Vec<PvcSpec>,
}

/// Whether (and where) a scenario is mixed into `samples/demo-cluster`.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Demo {
    /// `true`: mixed in, after the numbered ones, by file name; `false`: not mixed in.
    Flag(bool),
    /// Mixed in at this place (lower first).
    At(u32),
}

impl Default for Demo {
    fn default() -> Demo {
        Demo::Flag(false)
    }
}

impl Demo {
    /// The place in the mix, `None` when not mixed in: numbered ones first.
    pub fn place(self) -> Option<(u8, u32)> {
        match self {
            Demo::Flag(false) => None,
            Demo::At(n) => Some((0, n)),
            Demo::Flag(true) => Some((1, 0)),
        }
    }
}

/// A ReplicaSet of a Deployment: `namespace/DEPLOYMENT-HASH`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplicaSetSpec {
    /// `namespace/name`, the name being `<deployment>-<pod-template-hash>`.
    pub replicaset: String,
    pub deployment: String,
    /// `deployment.kubernetes.io/revision`.
    pub revision: u32,
    /// `spec.replicas` (and `status.replicas`).
    pub replicas: i32,
    /// `status.readyReplicas` and `availableReplicas`.
    pub ready: i32,
    /// The pod template's containers (name, image, spec; no state).
    pub containers: Vec<CtrSpec>,
    /// Fields of the status that replace the computed ones (`replicas`, `conditions`, ...).
    #[serde(default)]
    pub status: Map<String, Value>,
}

/// A PersistentVolumeClaim.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PvcSpec {
    /// `namespace/name`.
    pub pvc: String,
    /// Seconds after the base time the claim was created.
    #[serde(default)]
    pub created: i64,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// `spec.resources.requests.storage`.
    pub storage: String,
    /// Default `[ReadWriteOnce]`.
    #[serde(default = "rwo")]
    pub access_modes: Vec<String>,
    /// `status.phase`: `Pending` (default), `Bound`, `Lost`.
    #[serde(default = "pending")]
    pub phase: String,
    /// Events about the claim (reported by the persistentvolume-controller).
    #[serde(default)]
    pub events: Vec<EventSpec>,
}

fn rwo() -> Vec<String> {
    vec!["ReadWriteOnce".into()]
}

fn pending() -> String {
    "Pending".into()
}

/// A Service of the scenario.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    /// `namespace/name`.
    pub service: String,
    /// `ClusterIP` (default), `NodePort`, `LoadBalancer`, `ExternalName`.
    #[serde(rename = "type", default)]
    pub type_: Option<String>,
    /// Absent (or empty): no selector; the Service's endpoints are then managed by hand.
    #[serde(default)]
    pub selector: BTreeMap<String, String>,
    #[serde(default)]
    pub ports: Vec<PortSpec>,
    /// `clusterIP: None`.
    #[serde(default)]
    pub headless: bool,
    /// `spec.externalName` of an `ExternalName` Service.
    #[serde(default)]
    pub external_name: Option<String>,
    /// Addresses of an EndpointSlice written by hand (a Service without a selector).
    #[serde(default)]
    pub endpoints: Vec<String>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// The cause id that must rank first for this Service; absent: nothing above info.
    #[serde(default)]
    pub expect: Option<String>,
}

/// A port of a Service.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortSpec {
    #[serde(default)]
    pub name: Option<String>,
    pub port: i32,
    /// A number or a container port's name; default: `port`.
    #[serde(rename = "targetPort", default)]
    pub target_port: Option<Value>,
    /// Default `TCP`.
    #[serde(default)]
    pub protocol: Option<String>,
}

/// A pod of the scenario.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodSpec {
    /// `namespace/name`.
    pub pod: String,
    /// The cause id that must rank first for this pod; absent: a healthy pod (nothing above
    /// info).
    #[serde(default)]
    pub expect: Option<String>,
    /// Owned by Deployment `deployment` through ReplicaSet `<deployment>-<hash>`, the hash
    /// read from the pod name (`web-7d9c5b-x2k4p`).
    #[serde(default)]
    pub deployment: Option<String>,
    /// Any other owner: `StatefulSet/postgres`, `Job/nightly`.
    #[serde(default)]
    pub owner: Option<String>,
    /// The node; `~` for a pod not scheduled. Default `worker-1`.
    #[serde(default = "default_node")]
    pub node: Option<String>,
    #[serde(default)]
    pub phase: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    /// Seconds after the base time the pod was created (the capture is at 3600).
    #[serde(default)]
    pub created: Option<i64>,
    /// Extra fields of the pod spec (`nodeSelector`, `volumes`, `imagePullSecrets`, ...).
    #[serde(default)]
    pub spec: Map<String, Value>,
    /// The pod's conditions as the API shows them, instead of those its state implies
    /// (`[]`: none at all, as before any scheduler saw the pod).
    #[serde(default)]
    pub conditions: Option<Vec<Value>>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    /// `spec.restartPolicy` (default `Always`).
    #[serde(default)]
    pub restart_policy: Option<String>,
    /// Being deleted: `deletionTimestamp` at `at` seconds, with these finalizers.
    #[serde(default)]
    pub deleting: Option<Deleting>,
    /// A common history, expanded into states and events (see [`Shape`]).
    #[serde(default)]
    pub shape: Option<Shape>,
    #[serde(default)]
    pub init_containers: Vec<CtrSpec>,
    pub containers: Vec<CtrSpec>,
    /// Events about the pod, besides those of its shape.
    #[serde(default)]
    pub events: Vec<EventSpec>,
}

/// A deletion in progress.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deleting {
    pub at: i64,
    #[serde(default)]
    pub finalizers: Vec<String>,
}

fn default_node() -> Option<String> {
    Some("worker-1".into())
}

/// A history many scenarios share.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub enum Shape {
    /// The first container cannot pull its image: `ImagePullBackOff` and the kubelet's
    /// Pulling / Failed / BackOff events with `error` (the runtime's message).
    PullFailure { error: String },
    /// The first container is in CrashLoopBackOff after `restarts` restarts that ended as
    /// its `last` state says; started normally, then BackOff events. A `state` the
    /// container gives is kept (the waiting message as the kubelet wrote it).
    CrashLoop,
    /// The same for the first init container; the pod is `Pending` and its app containers
    /// wait in `PodInitializing` (unless the scenario says otherwise).
    InitCrashLoop,
    /// The scheduler cannot place the pod: `message` is its FailedScheduling message.
    Unschedulable { message: String },
    /// Scheduled, pulled, created and started normally (the first container).
    Started,
}

/// A container.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CtrSpec {
    pub name: String,
    pub image: String,
    /// Extra fields of the container spec (`readinessProbe`, `command`, `resources`, ...).
    #[serde(default)]
    pub spec: Map<String, Value>,
    /// Default: running since 60 s after the base time, ready.
    #[serde(default)]
    pub state: Option<StateSpec>,
    #[serde(default)]
    pub ready: Option<bool>,
    #[serde(default)]
    pub last: Option<StateSpec>,
    #[serde(default)]
    pub restarts: i32,
    /// The current instance's log.
    #[serde(default)]
    pub log: Option<String>,
    /// The previous instance's log.
    #[serde(default)]
    pub previous_log: Option<String>,
}

/// A container state, as in the pod's status.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "lowercase")]
pub enum StateSpec {
    Running {
        started: i64,
    },
    Waiting {
        reason: String,
        #[serde(default)]
        message: String,
    },
    Terminated {
        reason: String,
        exit: i32,
        started: i64,
        finished: i64,
        #[serde(default)]
        message: String,
    },
    /// No status at all (not created yet).
    None,
}

/// An event; times are seconds after the base time.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    #[serde(rename = "type")]
    pub type_: String,
    pub reason: String,
    pub message: String,
    #[serde(default = "one")]
    pub count: i32,
    pub first: i64,
    pub last: i64,
    /// The container the event is about (`spec.containers{name}`).
    #[serde(default)]
    pub container: Option<String>,
}

fn one() -> i32 {
    1
}

/// A node that is not simply healthy.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeSpec {
    pub name: String,
    /// The Ready condition: status, reason, message. Default: ready.
    #[serde(default)]
    pub ready: Option<[String; 3]>,
    /// Conditions that are True: `MemoryPressure`, `DiskPressure`, `PIDPressure`.
    #[serde(default)]
    pub pressure: Vec<String>,
    #[serde(default)]
    pub taints: Vec<Value>,
    #[serde(default)]
    pub unschedulable: bool,
    /// Labels added to (or replacing) the usual ones (`kubernetes.io/arch`, zone, ...).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Fields of `status.nodeInfo` that replace the usual ones (`architecture`,
    /// `containerRuntimeVersion`, ...).
    #[serde(default)]
    pub node_info: Map<String, Value>,
    /// Conditions listed before the usual four (`NetworkUnavailable`), as the API shows them.
    #[serde(default)]
    pub conditions: Vec<Value>,
    /// Events about the node, listed after the pods' events (`node_events`: before them).
    #[serde(default)]
    pub events: Vec<EventSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeEvent {
    pub node: String,
    #[serde(flatten)]
    pub event: EventSpec,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnerEvent {
    pub namespace: String,
    pub kind: String,
    pub name: String,
    #[serde(rename = "type")]
    pub type_: String,
    pub reason: String,
    pub message: String,
    #[serde(default = "one")]
    pub count: i32,
    /// The cause id that must rank first for the controller's placeholder pod
    /// (`PodsNotCreated`: the controller has no pod, so the placeholder is named after it).
    #[serde(default)]
    pub expect: Option<String>,
}

/// Reads every `*.yaml` of a directory, by file name (the sample's name).
pub fn load_dir(dir: &Path) -> Result<Vec<(String, Scenario)>, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
            let scenario: Scenario =
                serde_saphyr::from_str(&text).map_err(|e| format!("`{}`: {e}", path.display()))?;
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            scenario
                .check()
                .map_err(|e| format!("`{}`: {e}", path.display()))?;
            Ok((name, scenario))
        })
        .collect()
}

/// Builder states take `&'static str` reasons; the generator runs once, so leaking the few
/// strings of a scenario file is harmless.
fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

impl StateSpec {
    fn state(&self) -> Option<State> {
        Some(match self {
            StateSpec::Running { started } => State::Running(*started),
            StateSpec::Waiting { reason, message } => State::Waiting(leak(reason), message.clone()),
            StateSpec::Terminated {
                reason,
                exit,
                started,
                finished,
                message,
            } => State::Terminated(leak(reason), *exit, *started, *finished, message.clone()),
            StateSpec::None => return None,
        })
    }
}

impl CtrSpec {
    fn build(&self) -> Ctr {
        let mut c = Ctr::new(&self.name, &self.image);
        for (k, v) in &self.spec {
            let mut v = v.clone();
            if k == "ports" {
                // The API defaults a container port's protocol to TCP.
                for p in v.as_array_mut().into_iter().flatten() {
                    if p.get("protocol").is_none() {
                        p["protocol"] = Value::from("TCP");
                    }
                }
            }
            c = c.set(k, v);
        }
        match self.state.as_ref().map(StateSpec::state) {
            None => {}
            Some(None) => c = c.no_status(),
            Some(Some(st)) => {
                let ready = self.ready.unwrap_or(matches!(st, State::Running(_)));
                c = c.state(st, ready);
            }
        }
        if let Some(ready) = self.ready {
            c.ready = ready;
        }
        if let Some(last) = self.last.as_ref().and_then(StateSpec::state) {
            c = c.last(last, self.restarts);
        }
        c.restarts = self.restarts;
        c
    }
}

impl Scenario {
    /// Mistakes the types cannot catch.
    fn check(&self) -> Result<(), String> {
        for p in &self.pods {
            if p.pod.split_once('/').is_none() {
                return Err(format!("pod `{}` must be `namespace/name`", p.pod));
            }
            if p.containers.is_empty() {
                return Err(format!("pod `{}` has no container", p.pod));
            }
            if p.deployment.is_some() && p.owner.is_some() {
                return Err(format!(
                    "pod `{}`: give `deployment` or `owner`, not both",
                    p.pod
                ));
            }
            if matches!(p.shape, Some(Shape::CrashLoop)) && p.containers[0].last.is_none() {
                return Err(format!(
                    "pod `{}`: a crash loop needs the container's `last` state",
                    p.pod
                ));
            }
            if matches!(p.shape, Some(Shape::InitCrashLoop))
                && p.init_containers.first().is_none_or(|c| c.last.is_none())
            {
                return Err(format!(
                    "pod `{}`: an init crash loop needs an init container with a `last` state",
                    p.pod
                ));
            }
        }
        for rs in &self.replicasets {
            let name = rs.replicaset.split_once('/').map(|(_, n)| n);
            if name
                .and_then(|n| n.strip_prefix(rs.deployment.as_str()))
                .and_then(|rest| rest.strip_prefix('-'))
                .is_none_or(str::is_empty)
            {
                return Err(format!(
                    "replicaset `{}` must be `namespace/{}-HASH`",
                    rs.replicaset, rs.deployment
                ));
            }
        }
        for pvc in &self.pvcs {
            if pvc.pvc.split_once('/').is_none() {
                return Err(format!("pvc `{}` must be `namespace/name`", pvc.pvc));
            }
        }
        for svc in &self.services {
            if svc.service.split_once('/').is_none() {
                return Err(format!(
                    "service `{}` must be `namespace/name`",
                    svc.service
                ));
            }
            let external = svc.type_.as_deref() == Some("ExternalName");
            if external != svc.external_name.is_some() {
                return Err(format!(
                    "service `{}`: `external_name` goes with `type: ExternalName`",
                    svc.service
                ));
            }
            if !svc.endpoints.is_empty() && !svc.selector.is_empty() {
                return Err(format!(
                    "service `{}`: hand-made `endpoints` are for a Service without a selector \
                     (the controller computes the others)",
                    svc.service
                ));
            }
            if svc.ports.len() > 1 && svc.ports.iter().any(|p| p.name.is_none()) {
                return Err(format!(
                    "service `{}`: every port of a multi-port Service needs a name",
                    svc.service
                ));
            }
        }
        Ok(())
    }

    /// Adds the scenario's objects to a sample.
    pub fn apply(&self, s: &mut Sample) {
        for n in &self.nodes {
            let ready = n.ready.clone().unwrap_or_else(|| {
                ["True", "KubeletReady", "kubelet is posting ready status"].map(String::from)
            });
            let pressure: Vec<&str> = n.pressure.iter().map(String::as_str).collect();
            let mut json = node(
                &n.name,
                (&ready[0], &ready[1], &ready[2]),
                &pressure,
                Value::Array(n.taints.clone()),
                n.unschedulable,
            );
            for (k, v) in &n.labels {
                json["metadata"]["labels"][k.as_str()] = Value::from(v.as_str());
            }
            for (k, v) in &n.node_info {
                json["status"]["nodeInfo"][k.as_str()] = v.clone();
            }
            if let Some(conditions) = json["status"]["conditions"].as_array_mut() {
                conditions.splice(0..0, n.conditions.iter().cloned());
            }
            s.set_node(&n.name, json);
        }
        for e in &self.node_events {
            let ev = &e.event;
            s.node_event(
                &e.node,
                &ev.type_,
                &ev.reason,
                &ev.message,
                ev.count,
                ev.first,
                ev.last,
            );
        }
        for rs in &self.replicasets {
            s.replicasets.push(replicaset_json(rs));
        }
        for p in &self.pods {
            apply_pod(s, p);
        }
        for n in &self.nodes {
            for ev in &n.events {
                s.node_event(
                    &n.name,
                    &ev.type_,
                    &ev.reason,
                    &ev.message,
                    ev.count,
                    ev.first,
                    ev.last,
                );
            }
        }
        for pvc in &self.pvcs {
            apply_pvc(s, pvc);
        }
        for e in &self.owner_events {
            s.owner_event(
                &e.namespace,
                &e.kind,
                &e.name,
                &e.type_,
                &e.reason,
                &e.message,
                e.count,
            );
            if let Some(cause) = &e.expect {
                let key = (format!("{}/{}", e.namespace, e.name), cause.clone());
                if !s.expect.contains(&key) {
                    s.expect.push(key);
                }
            }
        }
        for (node, text) in &self.journal {
            s.journal.push((node.clone(), text.clone()));
        }
        for svc in &self.services {
            apply_service(s, svc);
        }
    }
}

fn replicaset_json(spec: &ReplicaSetSpec) -> Value {
    let (ns, name) = spec.replicaset.split_once('/').unwrap_or(("default", ""));
    let hash = name
        .strip_prefix(spec.deployment.as_str())
        .map_or("", |rest| rest.trim_start_matches('-'));
    let containers = spec.containers.iter().map(|c| c.build().spec).collect();
    let mut rs = replicaset(
        ns,
        &spec.deployment,
        hash,
        spec.revision,
        spec.replicas,
        spec.ready,
        containers,
    );
    for (k, v) in &spec.status {
        rs["status"][k.as_str()] = v.clone();
    }
    rs
}

fn apply_pvc(s: &mut Sample, spec: &PvcSpec) {
    let (ns, name) = spec.pvc.split_once('/').unwrap_or(("default", &spec.pvc));
    let pvc_uid = uid(&format!("pvc/{name}"));
    let mut meta = serde_json::json!({"name": name, "namespace": ns, "uid": pvc_uid,
        "creationTimestamp": at(spec.created)});
    if !spec.labels.is_empty() {
        meta["labels"] = serde_json::json!(spec.labels);
    }
    s.pvcs.push(serde_json::json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": meta,
        "spec": {"accessModes": spec.access_modes, "resources": {"requests": {"storage": spec.storage}},
                 "volumeMode": "Filesystem"},
        "status": {"phase": spec.phase}}));
    for ev in &spec.events {
        s.events.push(event(
            ns,
            "PersistentVolumeClaim",
            name,
            &pvc_uid,
            None,
            &ev.type_,
            &ev.reason,
            &ev.message,
            ev.count,
            ev.first,
            ev.last,
            "persistentvolume-controller",
        ));
    }
}

fn apply_service(s: &mut Sample, spec: &ServiceSpec) {
    let (ns, name) = spec
        .service
        .split_once('/')
        .unwrap_or(("default", &spec.service));
    let mut svc = Svc::new(ns, name);
    if let Some(t) = &spec.type_ {
        svc.type_ = t.clone();
    }
    svc.selector = spec.selector.clone();
    svc.labels = spec.labels.clone();
    svc.headless = spec.headless;
    svc.external_name = spec.external_name.clone();
    svc.ports = spec
        .ports
        .iter()
        .map(|p| SvcPort {
            name: p.name.clone(),
            port: p.port,
            target: p.target_port.clone(),
            protocol: p.protocol.clone(),
        })
        .collect();
    let json = svc.json();
    if !spec.endpoints.is_empty() {
        s.endpoint_slices.push(manual_slice(&json, &spec.endpoints));
    }
    s.service(json, spec.expect.as_deref());
}

fn apply_pod(s: &mut Sample, spec: &PodSpec) {
    let (ns, name) = spec.pod.split_once('/').unwrap_or(("default", &spec.pod));
    let mut p = PodB::new(ns, name);
    if let Some(d) = &spec.deployment {
        let hash = name
            .strip_prefix(d.as_str())
            .and_then(|rest| rest.trim_start_matches('-').split('-').next())
            .unwrap_or("");
        p = p.deployment(d, hash);
    }
    if let Some((kind, owner)) = spec.owner.as_deref().and_then(|o| o.split_once('/')) {
        p = p.owned(kind, owner);
    }
    p = p.node(spec.node.as_deref());
    for (k, v) in &spec.labels {
        p = p.label(k, v);
    }
    for (k, v) in &spec.annotations {
        p = p.annotate(k, v);
    }
    if let Some(policy) = &spec.restart_policy {
        p = p.restart_policy(policy);
    }
    if let Some(d) = &spec.deleting {
        let finalizers: Vec<&str> = d.finalizers.iter().map(String::as_str).collect();
        p = p.deleting(d.at, &finalizers);
    }
    for (k, v) in &spec.spec {
        p = p.spec(k, v.clone());
    }
    for c in &spec.init_containers {
        p = p.init_ctr(c.build());
    }
    for c in &spec.containers {
        p = p.ctr(c.build());
    }
    if let Some(phase) = &spec.phase {
        p = p.phase(phase);
    }
    if let (Some(r), m) = (&spec.reason, &spec.message) {
        p = p.reason(r, m.as_deref().unwrap_or(""));
    }
    let first = &spec.containers[0];
    match &spec.shape {
        Some(Shape::PullFailure { error }) => {
            p.created = 600;
            p.ctrs[0] = p.ctrs[0].clone().state(
                State::Waiting(
                    "ImagePullBackOff",
                    format!(
                        "Back-off pulling image \"{}\": ErrImagePull: {error}",
                        first.image
                    ),
                ),
                false,
            );
            pull_fail(s, &p, &first.name, &first.image, error);
        }
        Some(Shape::CrashLoop) => {
            p.created = 300;
            let pod_name = p.name.clone();
            let c = p.ctrs[0].clone();
            let (last, restarts) = (c.last.clone(), c.restarts);
            if let (Some(last), None) = (last, &first.state) {
                p.ctrs[0] = c.crashloop(&pod_name, last, restarts);
            }
            crash_events(s, &p, &first.name, &first.image, restarts);
        }
        Some(Shape::InitCrashLoop) => {
            p.created = 300;
            let pod_name = p.name.clone();
            let init = &spec.init_containers[0];
            let c = p.init[0].clone();
            let (last, restarts) = (c.last.clone(), c.restarts);
            if let (Some(last), None) = (last, &init.state) {
                p.init[0] = c.crashloop(&pod_name, last, restarts);
            }
            for (c, cs) in p.ctrs.iter_mut().zip(&spec.containers) {
                if cs.state.is_none() {
                    *c = c
                        .clone()
                        .state(State::Waiting("PodInitializing", String::new()), false);
                }
            }
            if spec.phase.is_none() {
                p = p.phase("Pending");
            }
            crash_events(s, &p, &init.name, &init.image, restarts);
        }
        Some(Shape::Unschedulable { message }) => {
            p.created = 900;
            p = unschedulable(s, p, message);
        }
        Some(Shape::Started) => {
            p.created = 300;
            s.normal_start(&p, &first.name, &first.image);
        }
        None => {}
    }
    if let Some(c) = spec.created {
        p.created = c;
    }
    if let Some(c) = &spec.conditions {
        p = p.conditions(c.clone());
    }
    // `{pod_uid}` in a message is the pod's uid, which the author cannot know.
    let messages: Vec<String> = spec
        .events
        .iter()
        .map(|e| e.message.replace("{pod_uid}", &p.uid()))
        .collect();
    let rows: Vec<Ev> = spec
        .events
        .iter()
        .zip(&messages)
        .map(|(e, message)| {
            (
                e.type_.as_str(),
                e.reason.as_str(),
                message.as_str(),
                e.count,
                e.first,
                e.last,
                e.container.as_deref(),
            )
        })
        .collect();
    s.pod_events(&p, &rows);
    for c in spec.containers.iter().chain(&spec.init_containers) {
        if let Some(text) = &c.log {
            s.log(&p, &c.name, false, text);
        }
        if let Some(text) = &c.previous_log {
            s.log(&p, &c.name, true, text);
        }
    }
    match &spec.expect {
        Some(cause) => s.broken(&p, cause),
        None => s.healthy(p),
    }
}
