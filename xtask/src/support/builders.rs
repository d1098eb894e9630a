//! Builders for Kubernetes objects shaped like a real cluster's `kubectl get -o json` output,
//! used by the sample and cluster generators.

#![allow(dead_code)]

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;

/// A deterministic UID from a name.
pub fn uid(seed: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let h2 = h.rotate_left(17) ^ 0x9e37_79b9_7f4a_7c15;
    format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        h >> 32,
        (h >> 16) & 0xffff,
        h & 0xfff,
        (h2 >> 52) & 0xfff,
        h2 & 0xffff_ffff_ffff
    )
}

/// `2026-11-20T10:MM:SSZ` shifted by `secs` from the base time.
pub fn at(secs: i64) -> String {
    let base = jiff::Timestamp::from_second(1_795_168_800).expect("valid"); // 2026-11-20T10:00:00Z
    base.checked_add(jiff::SignedDuration::from_secs(secs))
        .expect("in range")
        .to_string()
}

/// The moment samples are captured: one hour after the base time.
pub const CAPTURE: i64 = 3600;

/// A container's state.
#[derive(Clone)]
pub enum State {
    Running(i64),
    Waiting(&'static str, String),
    Terminated(&'static str, i32, i64, i64, String),
}

impl State {
    fn json(&self) -> Value {
        match self {
            State::Running(t) => json!({"running": {"startedAt": at(*t)}}),
            State::Waiting(reason, msg) => {
                let mut w = json!({"reason": reason});
                if !msg.is_empty() {
                    w["message"] = json!(msg);
                }
                json!({ "waiting": w })
            }
            State::Terminated(reason, code, start, end, msg) => {
                let mut t = json!({
                    "reason": reason, "exitCode": code,
                    "startedAt": at(*start), "finishedAt": at(*end),
                    "containerID": format!("containerd://{}", uid(&format!("{reason}{start}")).replace('-', ""))
                });
                if !msg.is_empty() {
                    t["message"] = json!(msg);
                }
                json!({ "terminated": t })
            }
        }
    }
}

/// A container with its spec and status.
#[derive(Clone)]
pub struct Ctr {
    pub name: String,
    pub image: String,
    pub spec: Value,
    pub state: Option<State>,
    pub last: Option<State>,
    pub ready: bool,
    pub restarts: i32,
    pub init: bool,
}

impl Ctr {
    pub fn new(name: &str, image: &str) -> Ctr {
        Ctr {
            name: name.into(),
            image: image.into(),
            spec: json!({
                "name": name, "image": image,
                "imagePullPolicy": if image.ends_with(":latest") { "Always" } else { "IfNotPresent" },
                "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File"
            }),
            state: Some(State::Running(60)),
            last: None,
            ready: true,
            restarts: 0,
            init: false,
        }
    }
    pub fn set(mut self, key: &str, v: Value) -> Ctr {
        self.spec[key] = v;
        self
    }
    pub fn resources(self, requests: Value, limits: Value) -> Ctr {
        self.set("resources", json!({"requests": requests, "limits": limits}))
    }
    pub fn state(mut self, s: State, ready: bool) -> Ctr {
        self.state = Some(s);
        self.ready = ready;
        self
    }
    pub fn no_status(mut self) -> Ctr {
        self.state = None;
        self.ready = false;
        self
    }
    pub fn last(mut self, s: State, restarts: i32) -> Ctr {
        self.last = Some(s);
        self.restarts = restarts;
        self
    }
    pub fn crashloop(self, name_pod: &str, last: State, restarts: i32) -> Ctr {
        let msg = format!(
            "back-off 5m0s restarting failed container={} pod={name_pod}",
            self.name
        );
        self.state(State::Waiting("CrashLoopBackOff", msg), false)
            .last(last, restarts)
    }
    pub fn init(mut self) -> Ctr {
        self.init = true;
        self
    }
    fn status(&self) -> Option<Value> {
        let state = self.state.as_ref()?;
        let mut s = json!({
            "name": self.name, "image": self.image,
            "imageID": if matches!(state, State::Waiting(r, _) if r.contains("Image")) { String::new() } else {
                format!("{}@sha256:{}", self.image.split(':').next().unwrap_or(""), uid(&self.image).replace('-', "")) },
            "ready": self.ready, "restartCount": self.restarts,
            "started": matches!(state, State::Running(_)),
            "state": state.json(),
            "lastState": self.last.as_ref().map_or(json!({}), State::json),
        });
        if !matches!(state, State::Waiting(..)) {
            s["containerID"] = json!(format!(
                "containerd://{}",
                uid(&format!("{}{}", self.name, self.restarts)).replace('-', "")
            ));
        }
        Some(s)
    }
}

/// A pod under construction.
pub struct PodB {
    pub ns: String,
    pub name: String,
    pub node: Option<String>,
    pub phase: String,
    pub reason: Option<String>,
    pub message: Option<String>,
    pub owner: Option<(String, String)>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub init: Vec<Ctr>,
    pub ctrs: Vec<Ctr>,
    pub extra_spec: Vec<(String, Value)>,
    pub conditions: Option<Vec<Value>>,
    pub deletion: Option<i64>,
    pub finalizers: Vec<String>,
    pub created: i64,
    pub restart_policy: String,
    pub scheduled: bool,
}

impl PodB {
    pub fn new(ns: &str, name: &str) -> PodB {
        PodB {
            ns: ns.into(),
            name: name.into(),
            node: Some("worker-1".into()),
            phase: "Running".into(),
            reason: None,
            message: None,
            owner: None,
            labels: BTreeMap::new(),
            annotations: BTreeMap::new(),
            init: vec![],
            ctrs: vec![],
            extra_spec: vec![],
            conditions: None,
            deletion: None,
            finalizers: vec![],
            created: 0,
            restart_policy: "Always".into(),
            scheduled: true,
        }
    }
    pub fn node(mut self, n: Option<&str>) -> PodB {
        self.node = n.map(str::to_string);
        self.scheduled = n.is_some();
        self
    }
    pub fn phase(mut self, p: &str) -> PodB {
        self.phase = p.into();
        self
    }
    pub fn reason(mut self, r: &str, m: &str) -> PodB {
        self.reason = Some(r.into());
        self.message = Some(m.into());
        self
    }
    /// Owned by a ReplicaSet `<deploy>-<hash>` with the pod-template-hash label.
    pub fn deployment(mut self, deploy: &str, hash: &str) -> PodB {
        self.labels
            .insert("app.kubernetes.io/name".into(), deploy.into());
        self.labels.insert("pod-template-hash".into(), hash.into());
        self.owner = Some(("ReplicaSet".into(), format!("{deploy}-{hash}")));
        self
    }
    pub fn owned(mut self, kind: &str, name: &str) -> PodB {
        self.labels
            .insert("app.kubernetes.io/name".into(), name.into());
        if kind == "Job" {
            // The Job controller labels its pods with the Job's name, old and new spelling.
            self.labels.insert("job-name".into(), name.into());
            self.labels
                .insert("batch.kubernetes.io/job-name".into(), name.into());
        }
        self.owner = Some((kind.into(), name.into()));
        self
    }
    pub fn label(mut self, k: &str, v: &str) -> PodB {
        self.labels.insert(k.into(), v.into());
        self
    }
    pub fn annotate(mut self, k: &str, v: &str) -> PodB {
        self.annotations.insert(k.into(), v.into());
        self
    }
    pub fn ctr(mut self, c: Ctr) -> PodB {
        self.ctrs.push(c);
        self
    }
    pub fn init_ctr(mut self, c: Ctr) -> PodB {
        self.init.push(c.init());
        self
    }
    pub fn spec(mut self, k: &str, v: Value) -> PodB {
        self.extra_spec.push((k.into(), v));
        self
    }
    pub fn conditions(mut self, c: Vec<Value>) -> PodB {
        self.conditions = Some(c);
        self
    }
    pub fn deleting(mut self, at_secs: i64, finalizers: &[&str]) -> PodB {
        self.deletion = Some(at_secs);
        self.finalizers = finalizers.iter().map(|s| s.to_string()).collect();
        self
    }
    pub fn restart_policy(mut self, p: &str) -> PodB {
        self.restart_policy = p.into();
        self
    }
    pub fn uid(&self) -> String {
        uid(&format!("pod/{}/{}", self.ns, self.name))
    }
    /// The pod's address: in its node's pod range (`10.244.N.0/24`), the host part drawn from
    /// its uid, so that the replicas behind a Service have distinct endpoint addresses.
    pub fn ip(&self) -> String {
        let h = self
            .uid()
            .bytes()
            .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
        let node = self.node.as_deref().unwrap_or("worker-1");
        format!("10.244.{}.{}", node_octet(node), 2 + h % 250)
    }
    /// `name_namespace(uid)` as the kubelet prints a pod.
    pub fn full(&self) -> String {
        format!("{}_{}({})", self.name, self.ns, self.uid())
    }

    fn default_conditions(&self) -> Vec<Value> {
        let all_ready = self.ctrs.iter().all(|c| c.ready);
        let init_done = self
            .init
            .iter()
            .all(|c| matches!(c.state, Some(State::Terminated(_, 0, ..))));
        let b = |v: bool| if v { "True" } else { "False" };
        if !self.scheduled {
            return vec![
                json!({"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                "message": "", "lastProbeTime": null, "lastTransitionTime": at(self.created + 1)}),
            ];
        }
        let mut v = vec![
            json!({"type": "PodReadyToStartContainers", "status": "True", "lastProbeTime": null, "lastTransitionTime": at(self.created + 3)}),
            json!({"type": "Initialized", "status": b(init_done), "lastProbeTime": null, "lastTransitionTime": at(self.created + 2)}),
        ];
        let not_ready: Vec<_> = self
            .ctrs
            .iter()
            .filter(|c| !c.ready)
            .map(|c| c.name.clone())
            .collect();
        for t in ["Ready", "ContainersReady"] {
            let mut c = json!({"type": t, "status": b(all_ready && init_done), "lastProbeTime": null, "lastTransitionTime": at(self.created + 20)});
            if !all_ready {
                c["reason"] = json!("ContainersNotReady");
                c["message"] = json!(format!(
                    "containers with unready status: [{}]",
                    not_ready.join(" ")
                ));
            }
            if self.phase == "Succeeded" {
                c["status"] = json!("False");
                c["reason"] = json!("PodCompleted");
            }
            v.push(c);
        }
        v.push(json!({"type": "PodScheduled", "status": "True", "lastProbeTime": null, "lastTransitionTime": at(self.created + 1)}));
        v
    }

    pub fn json(&self) -> Value {
        let mut meta = json!({
            "name": self.name, "namespace": self.ns, "uid": self.uid(),
            "resourceVersion": format!("{}", 10000 + self.name.len() * 37),
            "creationTimestamp": at(self.created),
            "labels": self.labels,
        });
        if !self.annotations.is_empty() {
            meta["annotations"] = json!(self.annotations);
        }
        if let Some((kind, name)) = &self.owner {
            let api = match kind.as_str() {
                "Job" => "batch/v1",
                "Node" => "v1",
                _ => "apps/v1",
            };
            meta["ownerReferences"] = json!([{ "apiVersion": api, "kind": kind, "name": name,
                "uid": uid(&format!("{kind}/{name}")), "controller": true, "blockOwnerDeletion": true }]);
            if kind == "ReplicaSet" || kind == "StatefulSet" || kind == "DaemonSet" || kind == "Job"
            {
                meta["generateName"] = json!(format!("{name}-"));
            }
        }
        if let Some(d) = self.deletion {
            meta["deletionTimestamp"] = json!(at(d));
            meta["deletionGracePeriodSeconds"] = json!(30);
        }
        if !self.finalizers.is_empty() {
            meta["finalizers"] = json!(self.finalizers);
        }
        let mut spec = json!({
            "containers": self.ctrs.iter().map(|c| c.spec.clone()).collect::<Vec<_>>(),
            "restartPolicy": self.restart_policy,
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst",
            "serviceAccountName": "default",
            "schedulerName": "default-scheduler",
            "enableServiceLinks": true,
            "preemptionPolicy": "PreemptLowerPriority",
            "priority": 0,
            "tolerations": [
                {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
            ],
        });
        if !self.init.is_empty() {
            spec["initContainers"] =
                json!(self.init.iter().map(|c| c.spec.clone()).collect::<Vec<_>>());
        }
        if let Some(n) = &self.node {
            spec["nodeName"] = json!(n);
        }
        for (k, v) in &self.extra_spec {
            spec[k.as_str()] = v.clone();
        }
        let mut status = json!({
            "phase": self.phase,
            "conditions": self.conditions.clone().unwrap_or_else(|| self.default_conditions()),
            "qosClass": "Burstable",
        });
        if self.scheduled {
            status["hostIP"] = json!("10.0.1.11");
            status["podIP"] = json!(self.ip());
            status["startTime"] = json!(at(self.created + 1));
            let cs: Vec<_> = self.ctrs.iter().filter_map(Ctr::status).collect();
            if !cs.is_empty() {
                status["containerStatuses"] = json!(cs);
            }
            let ics: Vec<_> = self.init.iter().filter_map(Ctr::status).collect();
            if !ics.is_empty() {
                status["initContainerStatuses"] = json!(ics);
            }
        }
        if let Some(r) = &self.reason {
            status["reason"] = json!(r);
        }
        if let Some(m) = &self.message {
            status["message"] = json!(m);
        }
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status})
    }
}

/// A node; `ready` is the Ready condition's status, reason and message.
pub fn node(
    name: &str,
    ready: (&str, &str, &str),
    pressure: &[&str],
    taints: Value,
    unschedulable: bool,
) -> Value {
    let cond = |t: &str, s: &str, r: &str, m: &str| {
        json!({"type": t, "status": s, "reason": r, "message": m,
               "lastHeartbeatTime": at(CAPTURE - 20), "lastTransitionTime": at(-86400)})
    };
    let p = |t: &str, ok_r: &str, ok_m: &str, bad_r: &str, bad_m: &str| {
        if pressure.contains(&t) {
            cond(t, "True", bad_r, bad_m)
        } else {
            cond(t, "False", ok_r, ok_m)
        }
    };
    let mut conditions = vec![
        p(
            "MemoryPressure",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
            "KubeletHasInsufficientMemory",
            "kubelet has insufficient memory available",
        ),
        p(
            "DiskPressure",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
            "KubeletHasDiskPressure",
            "kubelet has disk pressure",
        ),
        p(
            "PIDPressure",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
            "KubeletHasInsufficientPID",
            "kubelet has insufficient PID available",
        ),
        cond("Ready", ready.0, ready.1, ready.2),
    ];
    if ready.0 == "Unknown" {
        for c in conditions.iter_mut() {
            c["status"] = json!("Unknown");
            c["reason"] = json!("NodeStatusUnknown");
            c["message"] = json!("Kubelet stopped posting node status.");
        }
    }
    let mut spec = json!({"podCIDR": format!("10.244.{}.0/24", node_octet(name)),
        "providerID": format!("kind://docker/kind/{name}")});
    if taints.as_array().is_some_and(|t| !t.is_empty()) {
        spec["taints"] = taints;
    }
    if unschedulable {
        spec["unschedulable"] = json!(true);
    }
    json!({
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name, "uid": uid(&format!("node/{name}")), "creationTimestamp": at(-864000),
            "labels": {"kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux", "kubernetes.io/hostname": name,
                       "node.kubernetes.io/instance-type": "m5.xlarge", "topology.kubernetes.io/zone": "eu-west-1a"}},
        "spec": spec,
        "status": {
            "capacity": {"cpu": "4", "memory": "16094624Ki", "pods": "110", "ephemeral-storage": "101430960Ki"},
            "allocatable": {"cpu": "3920m", "memory": "15173024Ki", "pods": "110", "ephemeral-storage": "93478772582"},
            "conditions": conditions,
            "addresses": [{"type": "InternalIP", "address": "10.0.1.11"}, {"type": "Hostname", "address": name}],
            "nodeInfo": {"architecture": "amd64", "operatingSystem": "linux", "kubeletVersion": "v1.33.4",
                "containerRuntimeVersion": "containerd://1.7.27", "kernelVersion": "6.1.0-27-cloud-amd64",
                "osImage": "Debian GNU/Linux 12 (bookworm)", "kubeProxyVersion": "v1.33.4",
                "machineID": uid(name).replace('-', ""), "systemUUID": uid(name), "bootID": uid(&format!("boot{name}"))}
        }
    })
}

/// The third octet of a node's pod range: `control-plane` 0, `worker-N` N, any other name a
/// number drawn from it (above the workers').
pub fn node_octet(node: &str) -> u32 {
    if node == "control-plane" {
        return 0;
    }
    if let Some(n) = node
        .strip_prefix("worker-")
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|n| (1..=20).contains(n))
    {
        return n;
    }
    21 + node
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
        % 230
}

/// A healthy node.
pub fn ready_node(name: &str) -> Value {
    node(
        name,
        ("True", "KubeletReady", "kubelet is posting ready status"),
        &[],
        json!([]),
        false,
    )
}

/// An event (core/v1), as `kubectl get events -o json` lists it.
#[allow(clippy::too_many_arguments)]
pub fn event(
    ns: &str,
    kind: &str,
    name: &str,
    obj_uid: &str,
    field_path: Option<&str>,
    type_: &str,
    reason: &str,
    message: &str,
    count: i32,
    first: i64,
    last: i64,
    component: &str,
) -> Value {
    let hash = uid(&format!("{name}{reason}{message}")).replace('-', "")[..16].to_string();
    let mut involved = json!({"kind": kind, "name": name, "uid": obj_uid,
        "apiVersion": if kind == "ReplicaSet" || kind == "Deployment" { "apps/v1" } else if kind == "Job" { "batch/v1" } else { "v1" },
        "resourceVersion": "4242"});
    if kind != "Node" {
        involved["namespace"] = json!(ns);
    }
    if let Some(fp) = field_path {
        involved["fieldPath"] = json!(fp);
    }
    let mut source = json!({"component": component});
    if component == "kubelet" {
        source["host"] = json!("worker-1");
    }
    json!({
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"name": format!("{name}.{hash}"), "namespace": if kind == "Node" { "default" } else { ns },
                     "uid": uid(&format!("ev{name}{reason}{message}")), "creationTimestamp": at(first)},
        "involvedObject": involved,
        "type": type_, "reason": reason, "message": message,
        "count": count, "firstTimestamp": at(first), "lastTimestamp": at(last),
        "source": source, "reportingComponent": component, "reportingInstance": "",
    })
}

/// A ReplicaSet of a Deployment, with its pod template (the containers' specs).
pub fn replicaset(
    ns: &str,
    deploy: &str,
    hash: &str,
    revision: u32,
    replicas: i32,
    ready: i32,
    containers: Vec<Value>,
) -> Value {
    let name = format!("{deploy}-{hash}");
    json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": name, "namespace": ns, "uid": uid(&format!("ReplicaSet/{name}")),
            "creationTimestamp": at(-86400 + i64::from(revision) * 3600),
            "labels": {"app.kubernetes.io/name": deploy, "pod-template-hash": hash},
            "annotations": {"deployment.kubernetes.io/revision": revision.to_string(),
                            "deployment.kubernetes.io/desired-replicas": "3", "deployment.kubernetes.io/max-replicas": "4"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": deploy,
                "uid": uid(&format!("Deployment/{deploy}")), "controller": true, "blockOwnerDeletion": true}]},
        "spec": {"replicas": replicas,
            "selector": {"matchLabels": {"app.kubernetes.io/name": deploy, "pod-template-hash": hash}},
            "template": {"metadata": {"labels": {"app.kubernetes.io/name": deploy, "pod-template-hash": hash}},
                "spec": {"containers": containers, "restartPolicy": "Always", "terminationGracePeriodSeconds": 30,
                         "dnsPolicy": "ClusterFirst", "schedulerName": "default-scheduler"}}},
        "status": {"replicas": replicas, "readyReplicas": ready, "availableReplicas": ready, "fullyLabeledReplicas": replicas,
                   "observedGeneration": 1}
    })
}

/// Writes a list file.
pub fn write_list(path: &Path, items: &[Value]) {
    let v = json!({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items});
    std::fs::write(path, serde_json::to_string_pretty(&v).expect("json") + "\n")
        .expect("write list");
}
