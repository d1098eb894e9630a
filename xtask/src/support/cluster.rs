//! A generated cluster of any size, written as an evidence bundle: N pods across namespaces
//! and nodes, a share of them broken in realistic ways (crash loops with logs, image pulls,
//! scheduling, missing secrets and configmaps, probes, evictions, init containers),
//! Normal events for every pod, long-lived repeated events, and logs of a given length.
//!
//! The fleet profile ([`Spec::fleet`]) is shaped like a large production cluster: big
//! Deployments whose ReplicaSets carry a `SuccessfulCreate` event per pod, a share of pods
//! with PersistentVolumeClaims and their events, noisy node events, node image lists and
//! `managedFields` on every object, as the API server returns them.

#![allow(dead_code)]

use super::builders::*;
use serde_json::{Value, json};
use std::path::Path;

/// The size of the cluster.
#[derive(Debug, Clone)]
pub struct Spec {
    pub pods: usize,
    pub unhealthy: usize,
    pub namespaces: usize,
    pub nodes: usize,
    /// Events per pod (Normal lifecycle events first, then repeats).
    pub events_per_pod: usize,
    /// Lines of each unhealthy container's log.
    pub log_lines: usize,
    /// Pods per Deployment.
    pub deployment_size: usize,
    /// The fleet profile: ReplicaSets with a `SuccessfulCreate` event per pod, PVCs and
    /// their events, node events and images, managedFields.
    pub fleet: bool,
    /// Services (each with one EndpointSlice) in front of the Deployments, spread over the
    /// namespaces; 0 for none.
    pub services: usize,
}

impl Spec {
    /// A production-shaped cluster of `pods` pods, `unhealthy_percent` of them broken.
    pub fn fleet(pods: usize, unhealthy_percent: usize) -> Spec {
        Spec {
            pods,
            unhealthy: pods * unhealthy_percent / 100,
            namespaces: 50,
            nodes: (pods / 60).max(10),
            events_per_pod: 10,
            log_lines: 200,
            deployment_size: 500,
            fleet: true,
            services: 0,
        }
    }
}

impl Default for Spec {
    fn default() -> Spec {
        Spec {
            pods: 1000,
            unhealthy: 100,
            namespaces: 20,
            nodes: 50,
            events_per_pod: 10,
            log_lines: 200,
            deployment_size: 3,
            fleet: false,
            services: 0,
        }
    }
}

/// What was written.
pub struct Written {
    pub pods: usize,
    pub events: usize,
    pub log_files: usize,
    pub bytes: u64,
}

const KINDS: &[&str] = &[
    "oom",
    "dependency",
    "image",
    "cpu",
    "secret",
    "readiness",
    "evicted",
    "configmap-mount",
    "app-error",
    "init",
];

/// Writes the cluster to `dir`.
pub fn generate(spec: &Spec, dir: &Path) -> Written {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("create bundle dir");
    let mut pods = Vec::with_capacity(spec.pods);
    let mut events = Vec::with_capacity(spec.pods * spec.events_per_pod);
    let mut log_files = 0;
    let mut nodes: Vec<Value> = (0..spec.nodes)
        .map(|n| ready_node(&format!("node-{n:04}")))
        .collect();
    let mut replicasets: Vec<Value> = Vec::new();
    let mut pvcs: Vec<Value> = Vec::new();
    if spec.fleet {
        for (n, node) in nodes.iter_mut().enumerate() {
            node["status"]["images"] = node_images(n);
            node["metadata"]["managedFields"] = managed_fields("kubelet");
            let name = format!("node-{n:04}");
            for (reason, msg, count) in [
                ("NodeHasSufficientMemory", format!("Node {name} status is now: NodeHasSufficientMemory"), 3),
                ("NodeHasNoDiskPressure", format!("Node {name} status is now: NodeHasNoDiskPressure"), 3),
                ("ImageGCFailed", "failed to garbage collect required amount of images. Attempted to free 2147483648 bytes, but only found 0 bytes eligible to free.".to_string(), 40),
                ("RegisteredNode", format!("Node {name} event: Registered Node {name} in Controller"), 1),
            ] {
                events.push(event("", "Node", &name, &uid(&format!("node/{name}")), None, if reason == "ImageGCFailed" { "Warning" } else { "Normal" }, reason, &msg, count, 10, 3000, "kubelet"));
            }
        }
    }
    let every = (spec.pods / spec.unhealthy.max(1)).max(1);
    let mut broken = 0;
    for i in 0..spec.pods {
        let ns = format!("team-{:03}", i % spec.namespaces.max(1));
        let size = spec.deployment_size.max(1);
        let deploy = format!("svc-{:04}", (i / size) % 2000);
        let hash = format!("{:x}", 0x5f7b9d8c6u64 + (i / size) as u64);
        let name = format!("{deploy}-{hash}-{i:06}");
        let node = format!("node-{:04}", i % spec.nodes.max(1));
        let kind = if i % every == 0 && broken < spec.unhealthy {
            broken += 1;
            Some(KINDS[(broken - 1) % KINDS.len()])
        } else {
            None
        };
        // Every pod of a Deployment lives in one namespace (the first pod's).
        let ns = if spec.fleet {
            format!("team-{:03}", (i / size) % spec.namespaces.max(1))
        } else {
            ns
        };
        let image = format!("registry.example.com/{ns}/{deploy}:1.{}", i % 7);
        let mut p = PodB::new(&ns, &name)
            .deployment(&deploy, &hash)
            .node(Some(&node));
        if spec.fleet {
            let rs = format!("{deploy}-{hash}");
            if i % size == 0 {
                let mut r = replicaset(
                    &ns,
                    &deploy,
                    &hash,
                    1,
                    size as i32,
                    size as i32,
                    vec![json!({"name": "app", "image": image})],
                );
                r["metadata"]["managedFields"] = managed_fields("kube-controller-manager");
                replicasets.push(r);
            }
            // The ReplicaSet controller's record of creating this pod.
            events.push(event(
                &ns,
                "ReplicaSet",
                &rs,
                &uid(&format!("ReplicaSet/{rs}")),
                None,
                "Normal",
                "SuccessfulCreate",
                &format!("Created pod: {name}"),
                1,
                90,
                90,
                "replicaset-controller",
            ));
            if i % 20 == 0 {
                let claim = format!("data-{name}");
                p = p.spec(
                    "volumes",
                    json!([{"name": "data", "persistentVolumeClaim": {"claimName": claim}}]),
                );
                pvcs.push(json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                    "metadata": {"name": claim, "namespace": ns, "uid": uid(&format!("pvc/{ns}/{claim}")), "managedFields": managed_fields("kube-controller-manager")},
                    "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "gp3", "volumeName": format!("pvc-{}", uid(&claim)), "resources": {"requests": {"storage": "10Gi"}}},
                    "status": {"phase": "Bound", "capacity": {"storage": "10Gi"}, "accessModes": ["ReadWriteOnce"]}}));
                for (reason, msg) in [
                    (
                        "Provisioning",
                        format!(
                            "External provisioner is provisioning volume for claim \"{ns}/{claim}\""
                        ),
                    ),
                    (
                        "ProvisioningSucceeded",
                        format!(
                            "Successfully provisioned volume pvc-{} using ebs.csi.aws.com",
                            uid(&claim)
                        ),
                    ),
                ] {
                    events.push(event(
                        &ns,
                        "PersistentVolumeClaim",
                        &claim,
                        &uid(&format!("pvc/{ns}/{claim}")),
                        None,
                        "Normal",
                        reason,
                        &msg,
                        1,
                        80,
                        85,
                        "ebs.csi.aws.com",
                    ));
                }
            }
        }
        p.created = 100;
        let mut warn: Vec<(String, String, i32)> = Vec::new();
        let mut log: Option<(String, String)> = None;
        let ctr = Ctr::new("app", &image);
        p = match kind {
            None => p.ctr(ctr),
            Some("oom") => {
                warn.push(("BackOff".into(), format!("Back-off restarting failed container app in pod {}", p.full()), 40));
                log = Some(("app.previous.log".into(), "java.lang.OutOfMemoryError: Java heap space".into()));
                p.ctr(ctr.crashloop(&name, State::Terminated("OOMKilled", 137, 3000, 3100, String::new()), 7))
            }
            Some("dependency") | Some("app-error") => {
                warn.push(("BackOff".into(), format!("Back-off restarting failed container app in pod {}", p.full()), 40));
                let last = if kind == Some("dependency") {
                    "{\"level\":\"fatal\",\"msg\":\"cannot open database\",\"error\":\"dial tcp 10.96.47.12:5432: connect: connection refused\"}"
                } else {
                    "Traceback (most recent call last):\nValueError: invalid literal for int() with base 10: 'abc'"
                };
                log = Some(("app.previous.log".into(), last.into()));
                p.ctr(ctr.crashloop(&name, State::Terminated("Error", 1, 3000, 3100, String::new()), 9))
            }
            Some("image") => {
                let err = format!("failed to pull and unpack image \"{image}\": failed to resolve reference \"{image}\": {image}: not found");
                warn.push(("Failed".into(), format!("Failed to pull image \"{image}\": {err}"), 12));
                p.ctr(ctr.state(State::Waiting("ImagePullBackOff", format!("Back-off pulling image \"{image}\"")), false))
            }
            Some("cpu") => {
                warn.push(("FailedScheduling".into(), "0/50 nodes are available: 50 Insufficient cpu. preemption: 0/50 nodes are available: 50 No preemption victims found for incoming pod.".into(), 30));
                p.node(None).phase("Pending").ctr(ctr.no_status())
            }
            Some("secret") => {
                warn.push(("Failed".into(), "Error: secret \"db-credentials\" not found".into(), 30));
                p.phase("Pending").ctr(ctr.state(State::Waiting("CreateContainerConfigError", "secret \"db-credentials\" not found".into()), false))
            }
            Some("readiness") => {
                warn.push(("Unhealthy".into(), "Readiness probe failed: HTTP probe failed with statuscode: 503".into(), 300));
                log = Some(("app.log".into(), "WARN ready check failing: upstream unavailable".into()));
                p.ctr(ctr.state(State::Running(200), false))
            }
            Some("evicted") => p
                .phase("Failed")
                .reason("Evicted", "The node was low on resource: memory. Threshold quantity: 100Mi, available: 91080Ki. Container app was using 3452136Ki, request is 128Mi, has larger consumption of memory. ")
                .ctr(ctr.state(State::Terminated("ContainerStatusUnknown", 137, 100, 2900, String::new()), false)),
            Some("configmap-mount") => {
                warn.push(("FailedMount".into(), "MountVolume.SetUp failed for volume \"cfg\" : configmap \"app-config\" not found".into(), 25));
                p.phase("Pending")
                    .spec("volumes", json!([{"name": "cfg", "configMap": {"name": "app-config"}}]))
                    .ctr(ctr.state(State::Waiting("ContainerCreating", String::new()), false))
            }
            _ => {
                warn.push(("BackOff".into(), format!("Back-off restarting failed container migrate in pod {}", p.full()), 40));
                log = Some(("migrate.previous.log".into(), "psycopg2.OperationalError: could not connect to server: Connection refused".into()));
                p.phase("Pending")
                    .init_ctr(Ctr::new("migrate", &image).crashloop(&name, State::Terminated("Error", 1, 3000, 3100, String::new()), 9))
                    .ctr(ctr.state(State::Waiting("PodInitializing", String::new()), false))
            }
        };
        let uid = p.uid();
        // Lifecycle events, then long-lived repeats to fill the per-pod budget.
        let lifecycle = [
            (
                "Normal",
                "Scheduled",
                format!("Successfully assigned {ns}/{name} to {node}"),
            ),
            ("Normal", "Pulling", format!("Pulling image \"{image}\"")),
            (
                "Normal",
                "Pulled",
                format!(
                    "Successfully pulled image \"{image}\" in 1.2s (1.2s including waiting). Image size: 52428800 bytes."
                ),
            ),
            ("Normal", "Created", "Created container: app".to_string()),
            ("Normal", "Started", "Started container app".to_string()),
        ];
        let mut n = 0;
        for (type_, reason, msg) in &lifecycle {
            if n >= spec.events_per_pod.saturating_sub(warn.len()) {
                break;
            }
            events.push(event(
                &ns,
                "Pod",
                &name,
                &uid,
                Some("spec.containers{app}"),
                type_,
                reason,
                msg,
                1,
                101 + n as i64,
                101 + n as i64,
                "kubelet",
            ));
            n += 1;
        }
        for (reason, msg, count) in &warn {
            events.push(event(
                &ns, "Pod", &name, &uid, None, "Warning", reason, msg, *count, 200, 3500, "kubelet",
            ));
        }
        while n + warn.len() < spec.events_per_pod {
            events.push(event(
                &ns,
                "Pod",
                &name,
                &uid,
                Some("spec.containers{app}"),
                "Normal",
                "Pulled",
                &format!("Container image \"{image}\" already present on machine (repeat {n})"),
                300,
                200,
                3500,
                "kubelet",
            ));
            n += 1;
        }
        if let Some((file, last)) = log {
            let d = dir.join("logs").join(&ns).join(&name);
            std::fs::create_dir_all(&d).expect("logs dir");
            let mut text = String::with_capacity(spec.log_lines * 100);
            for l in 0..spec.log_lines.saturating_sub(1) {
                text.push_str(&format!("2026-11-20T10:{:02}:{:02}Z INFO request handled path=/api/v1/items/{l} status=200 duration_ms={}\n", (l / 60) % 60, l % 60, l % 97));
            }
            text.push_str(&last);
            text.push('\n');
            std::fs::write(d.join(file), text).expect("write log");
            log_files += 1;
        }
        let mut pod = p.json();
        if spec.fleet {
            pod["metadata"]["managedFields"] = managed_fields("kubelet");
        }
        pods.push(pod);
    }
    if spec.services > 0 {
        let (services, slices) = services(spec.services, &pods);
        write_list(&dir.join("services.json"), &services);
        write_list(&dir.join("endpointslices.json"), &slices);
    }
    write_list(&dir.join("pods.json"), &pods);
    write_list(&dir.join("events.json"), &events);
    write_list(&dir.join("nodes.json"), &nodes);
    if spec.fleet {
        write_list(&dir.join("replicasets.json"), &replicasets);
        write_list(&dir.join("pvcs.json"), &pvcs);
    }
    std::fs::write(
        dir.join("bundle.json"),
        json!({"captured_at": at(CAPTURE), "scope": "generated"}).to_string(),
    )
    .expect("bundle.json");
    let bytes = dir_size(dir);
    Written {
        pods: pods.len(),
        events: events.len(),
        log_files,
        bytes,
    }
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                dir_size(&p)
            } else {
                e.metadata().map(|m| m.len()).unwrap_or(0)
            }
        })
        .sum()
}

/// What the API server returns in `metadata.managedFields` for an object written by a
/// controller and the kubelet (shortened, same shape).
fn managed_fields(manager: &str) -> Value {
    json!([
        {"apiVersion": "v1", "fieldsType": "FieldsV1", "manager": manager, "operation": "Update", "time": at(0),
         "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:app.kubernetes.io/name": {}, "f:pod-template-hash": {}},
                      "f:ownerReferences": {".": {}, "k:{\"uid\":\"x\"}": {}}},
                      "f:spec": {"f:containers": {"k:{\"name\":\"app\"}": {".": {}, "f:image": {}, "f:imagePullPolicy": {}, "f:name": {}, "f:resources": {}}}}}},
        {"apiVersion": "v1", "fieldsType": "FieldsV1", "manager": "kubelet", "operation": "Update", "subresource": "status", "time": at(100),
         "fieldsV1": {"f:status": {"f:conditions": {"k:{\"type\":\"Ready\"}": {".": {}, "f:lastProbeTime": {}, "f:lastTransitionTime": {}, "f:status": {}, "f:type": {}}},
                      "f:containerStatuses": {}, "f:hostIP": {}, "f:phase": {}, "f:podIP": {}, "f:startTime": {}}}}
    ])
}

/// The image list a node reports: dozens of images with their digests and sizes.
fn node_images(n: usize) -> Value {
    Value::Array(
        (0..60)
            .map(|i| {
                json!({"names": [format!("registry.example.com/team-{:03}/svc-{i:04}@sha256:{:064x}", n % 50, i * 7919 + n),
                                 format!("registry.example.com/team-{:03}/svc-{i:04}:1.{}", n % 50, i % 7)],
                       "sizeBytes": 50_000_000 + i * 1_234_567})
            })
            .collect(),
    )
}

/// `count` Services, one per Deployment in turn (so several Services select the same pods,
/// as a fleet's internal, metrics and headless Services do), each with one EndpointSlice of
/// at most 100 of its pods' addresses, as the EndpointSlice controller writes them.
fn services(count: usize, pods: &[Value]) -> (Vec<Value>, Vec<Value>) {
    // The pods of each Deployment, by (namespace, app label), in the order they come.
    let mut deployments: Vec<((String, String), Vec<usize>)> = Vec::new();
    let mut at: std::collections::HashMap<(String, String), usize> = Default::default();
    for (i, p) in pods.iter().enumerate() {
        let ns = p["metadata"]["namespace"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let app = p["metadata"]["labels"]["app.kubernetes.io/name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let key = (ns, app);
        let slot = *at.entry(key.clone()).or_insert_with(|| {
            deployments.push((key, Vec::new()));
            deployments.len() - 1
        });
        deployments[slot].1.push(i);
    }
    let mut services = Vec::with_capacity(count);
    let mut slices = Vec::with_capacity(count);
    for n in 0..count {
        let Some(((ns, app), members)) = deployments.get(n % deployments.len().max(1)) else {
            break;
        };
        let name = format!("{app}-{n:05}");
        services.push(json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": ns, "uid": uid(&format!("svc/{ns}/{name}"))},
            "spec": {"type": "ClusterIP", "clusterIP": format!("10.96.{}.{}", n / 250, n % 250 + 1),
                "selector": {"app.kubernetes.io/name": app},
                "ports": [{"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"}]}}));
        let endpoints: Vec<Value> = members
            .iter()
            .take(100)
            .map(|&i| {
                let pod = &pods[i];
                json!({"addresses": [format!("10.244.{}.{}", (i / 250) % 250, i % 250 + 1)],
                    "conditions": {"ready": true, "serving": true, "terminating": false},
                    "nodeName": pod["spec"]["nodeName"],
                    "targetRef": {"kind": "Pod", "namespace": ns, "name": pod["metadata"]["name"]}})
            })
            .collect();
        slices.push(
            json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": format!("{name}-x7k2q"), "namespace": ns,
                "labels": {"kubernetes.io/service-name": name}},
            "addressType": "IPv4", "endpoints": endpoints,
            "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}),
        );
    }
    (services, slices)
}
