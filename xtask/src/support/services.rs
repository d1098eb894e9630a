//! Services and their EndpointSlices, shaped like `kubectl get services,endpointslices -o
//! json` prints them.
//!
//! The slices of a Service with a selector are computed the way the cluster's EndpointSlice
//! controller computes them (kubernetes/kubernetes `pkg/controller/endpointslice`, whose
//! reconciler and helpers live in `staging/src/k8s.io/endpointslice`: `reconciler.go`,
//! `utils.go`, `util/controller_utils.go`), from the sample's pods and nodes as written:
//!
//! - no slices at all for an `ExternalName` Service or one without a selector (its endpoints
//!   are managed by hand: [`manual_slice`]);
//! - the pods of the Service's namespace whose labels hold every term of the selector, minus
//!   those in phase `Succeeded` or `Failed`, those without a `podIP` and those whose node is
//!   not in the node list (`ShouldPodBeInEndpoints`; the reconciler skips a pod on a missing
//!   node); terminating pods stay in;
//! - one endpoint per pod: `ready` is the pod's `Ready` condition and not terminating,
//!   `serving` the `Ready` condition, `terminating` a set `deletionTimestamp`; `nodeName`,
//!   `zone` from the node's `topology.kubernetes.io/zone`, and a `targetRef` to the pod
//!   (`podToEndpoint`);
//! - the ports of an endpoint: each Service port whose target resolves on the pod (`FindPort`):
//!   a numeric `targetPort` always, whatever the containers declare; a named one to the
//!   `containerPort` of the first container port (of an app container, then of a sidecar: an
//!   init container with `restartPolicy: Always`) with that name *and* the Service port's
//!   protocol. A port that resolves on no container is left out, so a named `targetPort` no
//!   container declares gives a slice with endpoints and no ports (`ports: null`, which
//!   `kubectl get endpointslices` shows as `<unset>`);
//! - pods with the same resolved ports share a slice (`NewPortMapKey`), at most 100 endpoints
//!   each; a Service with no endpoint at all gets one placeholder slice (`endpoints: null`,
//!   `ports: null`);
//! - a slice carries the Service's labels plus `kubernetes.io/service-name`,
//!   `endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io` and, for a
//!   headless Service, `service.kubernetes.io/headless` (`setEndpointSliceLabels`), is owned
//!   by the Service and named `SERVICE-` plus five generated characters.
//!
//! Only IPv4 single-stack Services are generated (one `addressType: IPv4`); hostnames of pods
//! with `spec.subdomain`, topology hints and `publishNotReadyAddresses` are not modelled.

use super::builders::{at, uid};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The controller's name on the slices it manages.
pub const MANAGED_BY: &str = "endpointslice-controller.k8s.io";

/// At most this many endpoints per slice (`--max-endpoints-per-slice`, default 100).
const MAX_ENDPOINTS: usize = 100;

/// One port of a Service.
#[derive(Debug, Clone)]
pub struct SvcPort {
    pub name: Option<String>,
    pub port: i32,
    /// A number or a container port's name; `None`: the API's default, the port itself.
    pub target: Option<Value>,
    /// `TCP` when `None` (the API's default).
    pub protocol: Option<String>,
}

impl SvcPort {
    pub fn new(name: Option<&str>, port: i32, target: Value, protocol: &str) -> SvcPort {
        SvcPort {
            name: name.map(str::to_string),
            port,
            target: Some(target),
            protocol: Some(protocol.to_string()),
        }
    }
}

/// A Service under construction.
#[derive(Debug, Clone)]
pub struct Svc {
    pub ns: String,
    pub name: String,
    /// `ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName`.
    pub type_: String,
    /// Empty: no selector (the API leaves an empty one out).
    pub selector: BTreeMap<String, String>,
    pub ports: Vec<SvcPort>,
    /// `clusterIP: None`.
    pub headless: bool,
    pub external_name: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    /// A fixed cluster IP (kube-dns has its well-known one); otherwise one drawn from the name.
    pub cluster_ip: Option<String>,
}

impl Svc {
    pub fn new(ns: &str, name: &str) -> Svc {
        Svc {
            ns: ns.into(),
            name: name.into(),
            type_: "ClusterIP".into(),
            selector: BTreeMap::new(),
            ports: Vec::new(),
            headless: false,
            external_name: None,
            labels: BTreeMap::new(),
            annotations: BTreeMap::new(),
            cluster_ip: None,
        }
    }
    pub fn select(mut self, k: &str, v: &str) -> Svc {
        self.selector.insert(k.into(), v.into());
        self
    }
    pub fn label(mut self, k: &str, v: &str) -> Svc {
        self.labels.insert(k.into(), v.into());
        self
    }
    pub fn port(mut self, p: SvcPort) -> Svc {
        self.ports.push(p);
        self
    }
    pub fn uid(&self) -> String {
        uid(&format!("service/{}/{}", self.ns, self.name))
    }

    /// The Service as the API server returns it, defaults filled in.
    pub fn json(&self) -> Value {
        let h = hash(&self.uid());
        let mut meta = json!({
            "name": self.name, "namespace": self.ns, "uid": self.uid(),
            "resourceVersion": format!("{}", 2000 + h % 7000),
            "creationTimestamp": at(-86400 + i64::from(h % 3600)),
        });
        if !self.labels.is_empty() {
            meta["labels"] = json!(self.labels);
        }
        if !self.annotations.is_empty() {
            meta["annotations"] = json!(self.annotations);
        }
        let mut spec = json!({"type": self.type_, "sessionAffinity": "None"});
        if self.type_ == "ExternalName" {
            spec["externalName"] = json!(self.external_name.clone().unwrap_or_default());
        } else {
            let ip = if self.headless {
                "None".to_string()
            } else {
                self.cluster_ip
                    .clone()
                    .unwrap_or_else(|| format!("10.96.{}.{}", (h >> 8) % 250, 2 + h % 250))
            };
            spec["clusterIP"] = json!(ip);
            spec["clusterIPs"] = json!([ip]);
            spec["ipFamilies"] = json!(["IPv4"]);
            spec["ipFamilyPolicy"] = json!("SingleStack");
            spec["internalTrafficPolicy"] = json!("Cluster");
            if self.type_ == "NodePort" || self.type_ == "LoadBalancer" {
                spec["externalTrafficPolicy"] = json!("Cluster");
            }
        }
        if !self.selector.is_empty() {
            spec["selector"] = json!(self.selector);
        }
        if !self.ports.is_empty() {
            let ports: Vec<Value> = self
                .ports
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let mut v = json!({
                        "port": p.port,
                        "protocol": p.protocol.clone().unwrap_or_else(|| "TCP".into()),
                        "targetPort": p.target.clone().unwrap_or(json!(p.port)),
                    });
                    if let Some(n) = &p.name {
                        v["name"] = json!(n);
                    }
                    if self.type_ == "NodePort" || self.type_ == "LoadBalancer" {
                        v["nodePort"] = json!(30000 + (h as usize + i * 7) % 2768);
                    }
                    v
                })
                .collect();
            spec["ports"] = json!(ports);
        }
        let status = if self.type_ == "LoadBalancer" {
            json!({"loadBalancer": {"ingress": [{"ip": format!("203.0.113.{}", 2 + h % 250), "ipMode": "VIP"}]}})
        } else {
            json!({"loadBalancer": {}})
        };
        json!({"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec, "status": status})
    }
}

/// A slice written by hand for a Service without a selector: one endpoint per address (no
/// conditions: ready), the Service's ports with their numeric targets, as the Kubernetes
/// documentation's example of custom EndpointSlices writes them.
pub fn manual_slice(svc: &Value, addresses: &[String]) -> Value {
    let ns = svc["metadata"]["namespace"].as_str().unwrap_or_default();
    let name = svc["metadata"]["name"].as_str().unwrap_or_default();
    let slice = format!("{name}-1");
    let ports: Vec<Value> = svc["spec"]["ports"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let port = p["targetPort"].as_i64().or(p["port"].as_i64());
            json!({"name": p["name"].as_str().unwrap_or(""), "port": port, "protocol": p["protocol"]})
        })
        .collect();
    json!({
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {"name": slice, "namespace": ns, "uid": uid(&format!("endpointslice/{ns}/{slice}")),
            "resourceVersion": "3141", "generation": 1, "creationTimestamp": at(-86000),
            "labels": {"kubernetes.io/service-name": name,
                       "endpointslice.kubernetes.io/managed-by": "staff"}},
        "addressType": "IPv4",
        "endpoints": addresses.iter().map(|a| json!({"addresses": [a]})).collect::<Vec<_>>(),
        "ports": ports,
    })
}

/// The slices the EndpointSlice controller keeps for every Service of `services`, from the
/// pods and nodes as written (see the module's documentation).
pub fn controller_slices(services: &[Value], pods: &[Value], nodes: &[Value]) -> Vec<Value> {
    let zones: BTreeMap<&str, Option<&str>> = nodes
        .iter()
        .filter_map(|n| {
            let name = n["metadata"]["name"].as_str()?;
            let zone = n["metadata"]["labels"]["topology.kubernetes.io/zone"].as_str();
            Some((name, zone))
        })
        .collect();
    let mut out = Vec::new();
    for svc in services {
        let spec = &svc["spec"];
        if spec["type"] == "ExternalName" {
            continue;
        }
        let Some(selector) = spec["selector"].as_object().filter(|s| !s.is_empty()) else {
            continue;
        };
        let ns = svc["metadata"]["namespace"].as_str().unwrap_or_default();
        // Groups of (ports, endpoints), in the order their first pod is listed.
        let mut groups: Vec<(Vec<Value>, Vec<Value>)> = Vec::new();
        for pod in pods {
            if pod["metadata"]["namespace"] != ns || !selects(selector, pod) {
                continue;
            }
            let Some(endpoint) = endpoint(pod, &zones) else {
                continue;
            };
            let ports = endpoint_ports(svc, pod);
            match groups.iter_mut().find(|(p, _)| *p == ports) {
                Some((_, eps)) => eps.push(endpoint),
                None => groups.push((ports, vec![endpoint])),
            }
        }
        if groups.is_empty() {
            out.push(slice(svc, 0, Value::Null, Value::Null));
            continue;
        }
        let mut n = 0;
        for (ports, endpoints) in groups {
            let ports = if ports.is_empty() {
                Value::Null
            } else {
                Value::Array(ports)
            };
            for chunk in endpoints.chunks(MAX_ENDPOINTS) {
                out.push(slice(svc, n, Value::Array(chunk.to_vec()), ports.clone()));
                n += 1;
            }
        }
    }
    out
}

/// Whether the pod's labels hold every term of the selector.
fn selects(selector: &serde_json::Map<String, Value>, pod: &Value) -> bool {
    let labels = &pod["metadata"]["labels"];
    selector.iter().all(|(k, v)| labels[k.as_str()] == *v)
}

/// The pod's endpoint, or `None` for a pod the controller leaves out.
fn endpoint(pod: &Value, zones: &BTreeMap<&str, Option<&str>>) -> Option<Value> {
    let status = &pod["status"];
    if status["phase"] == "Succeeded" || status["phase"] == "Failed" {
        return None;
    }
    let ip = status["podIP"].as_str().filter(|ip| !ip.is_empty())?;
    let node = pod["spec"]["nodeName"].as_str().unwrap_or_default();
    let zone = zones.get(node)?;
    let serving = status["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|c| c["type"] == "Ready" && c["status"] == "True");
    let terminating = !pod["metadata"]["deletionTimestamp"].is_null();
    let meta = &pod["metadata"];
    let mut e = json!({
        "addresses": [ip],
        "conditions": {"ready": serving && !terminating, "serving": serving, "terminating": terminating},
        "nodeName": node,
        "targetRef": {"kind": "Pod", "namespace": meta["namespace"], "name": meta["name"], "uid": meta["uid"]},
    });
    if let Some(z) = zone {
        e["zone"] = json!(z);
    }
    Some(e)
}

/// The Service's ports as they resolve on one pod (`getEndpointPorts`, `FindPort`).
fn endpoint_ports(svc: &Value, pod: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for p in svc["spec"]["ports"].as_array().into_iter().flatten() {
        let protocol = p["protocol"].as_str().unwrap_or("TCP");
        let port = match &p["targetPort"] {
            Value::Number(n) => n.as_i64(),
            Value::String(name) => find_named(pod, name, protocol),
            _ => p["port"].as_i64(),
        };
        let Some(port) = port else {
            continue;
        };
        out.push(
            json!({"name": p["name"].as_str().unwrap_or(""), "port": port, "protocol": protocol}),
        );
    }
    out
}

/// The container port of that name and protocol: app containers first, then sidecars.
fn find_named(pod: &Value, name: &str, protocol: &str) -> Option<i64> {
    let spec = &pod["spec"];
    let sidecars = spec["initContainers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["restartPolicy"] == "Always");
    spec["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(sidecars)
        .flat_map(|c| c["ports"].as_array().into_iter().flatten())
        .find(|p| p["name"] == name && p["protocol"].as_str().unwrap_or("TCP") == protocol)
        .and_then(|p| p["containerPort"].as_i64())
}

/// One slice of a Service: the `n`th, with its endpoints and ports (`null` when none).
fn slice(svc: &Value, n: usize, endpoints: Value, ports: Value) -> Value {
    let meta = &svc["metadata"];
    let ns = meta["namespace"].as_str().unwrap_or_default();
    let name = meta["name"].as_str().unwrap_or_default();
    let svc_uid = meta["uid"].as_str().unwrap_or_default();
    let slice_name = format!("{name}-{}", suffix(&format!("{svc_uid}/{n}")));
    let mut labels = meta["labels"].as_object().cloned().unwrap_or_default();
    labels.insert("kubernetes.io/service-name".into(), json!(name));
    labels.insert(
        "endpointslice.kubernetes.io/managed-by".into(),
        json!(MANAGED_BY),
    );
    if svc["spec"]["clusterIP"] == "None" {
        labels.insert("service.kubernetes.io/headless".into(), json!(""));
    }
    let h = hash(&slice_name);
    json!({
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {
            "name": slice_name, "generateName": format!("{name}-"), "namespace": ns,
            "uid": uid(&format!("endpointslice/{ns}/{slice_name}")),
            "resourceVersion": format!("{}", 10000 + h % 9000), "generation": 1 + h % 4,
            "creationTimestamp": meta["creationTimestamp"],
            "labels": labels,
            "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": at(3000 + i64::from(h % 500))},
            "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": name, "uid": svc_uid,
                                 "controller": true, "blockOwnerDeletion": true}],
        },
        "addressType": "IPv4",
        "endpoints": endpoints,
        "ports": ports,
    })
}

/// Five characters as `generateName` draws them (apimachinery's `rand.String` alphabet).
fn suffix(seed: &str) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut h = u64::from(hash(seed)) | 1 << 40;
    (0..5)
        .map(|_| {
            let c = ALPHABET[(h % ALPHABET.len() as u64) as usize] as char;
            h = h / ALPHABET.len() as u64 + u64::from(hash(&c.to_string()));
            c
        })
        .collect()
}

fn hash(s: &str) -> u32 {
    s.bytes().fold(2166136261u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16777619)
    })
}
