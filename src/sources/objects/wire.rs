//! The Kubernetes objects as kubedoctor decodes them: only the fields a diagnosis reads, in
//! the API's JSON shape. Everything else an object carries (`managedFields`, a node's image
//! list, most of a pod's spec) is skipped by the decoder without being built, so a large
//! list costs little more than parsing it. Every field is optional: a pasted fragment or an
//! old API version decodes as far as it goes.

use jiff::Timestamp;
use serde::Deserialize;
use std::collections::BTreeMap;

mod event;
mod scalar;
pub mod service;
pub use event::{Event, EventMeta, EventSeries, EventSource, InvolvedObject};
pub use scalar::{IntOrString, Quantity};

/// `metadata` of any object.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Meta {
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub uid: Option<String>,
    pub creation_timestamp: Option<Timestamp>,
    pub deletion_timestamp: Option<Timestamp>,
    pub finalizers: Option<Vec<String>>,
    pub labels: Option<BTreeMap<String, String>>,
    pub annotations: Option<BTreeMap<String, String>>,
    pub owner_references: Option<Vec<OwnerRef>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OwnerRef {
    pub kind: String,
    pub name: String,
    pub controller: Option<bool>,
}

/// A Pod.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Pod {
    pub metadata: Meta,
    pub spec: Option<PodSpec>,
    pub status: Option<PodStatus>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodSpec {
    pub node_name: Option<String>,
    pub restart_policy: Option<String>,
    pub image_pull_secrets: Option<Vec<NameRef>>,
    pub node_selector: Option<std::collections::BTreeMap<String, String>>,
    pub scheduler_name: Option<String>,
    pub affinity: Option<Affinity>,
    pub volumes: Option<Vec<Volume>>,
    pub containers: Vec<Container>,
    pub init_containers: Option<Vec<Container>>,
}

/// `spec.affinity`: only whether a required node affinity is set.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Affinity {
    pub node_affinity: Option<NodeAffinity>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NodeAffinity {
    pub required_during_scheduling_ignored_during_execution: Option<serde::de::IgnoredAny>,
}

/// `{name: x}` references (imagePullSecrets, configMapRef, ...).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NameRef {
    pub name: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Volume {
    pub name: String,
    pub secret: Option<SecretVolume>,
    pub config_map: Option<NameRef>,
    pub persistent_volume_claim: Option<ClaimVolume>,
    pub empty_dir: Option<serde::de::IgnoredAny>,
    pub host_path: Option<PathVolume>,
    pub nfs: Option<NfsVolume>,
    pub projected: Option<serde::de::IgnoredAny>,
    pub csi: Option<CsiVolume>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SecretVolume {
    pub secret_name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ClaimVolume {
    pub claim_name: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PathVolume {
    pub path: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NfsVolume {
    pub server: String,
    pub path: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CsiVolume {
    pub driver: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Container {
    pub name: String,
    pub image: Option<String>,
    pub image_pull_policy: Option<String>,
    pub command: Option<Vec<String>>,
    pub args: Option<Vec<String>>,
    pub env: Option<Vec<EnvVar>>,
    pub env_from: Option<Vec<EnvFrom>>,
    pub resources: Option<ResourceRequirements>,
    pub liveness_probe: Option<Probe>,
    pub readiness_probe: Option<Probe>,
    pub startup_probe: Option<Probe>,
    pub ports: Option<Vec<ContainerPort>>,
    /// `Always` on an init container: a sidecar.
    pub restart_policy: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EnvVar {
    pub name: String,
    /// A literal value (kept: an in-cluster address in it names a Service).
    pub value: Option<String>,
    pub value_from: Option<EnvVarSource>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EnvVarSource {
    pub secret_key_ref: Option<NameRef>,
    pub config_map_key_ref: Option<NameRef>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EnvFrom {
    pub secret_ref: Option<NameRef>,
    pub config_map_ref: Option<NameRef>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResourceRequirements {
    pub requests: Option<BTreeMap<String, Quantity>>,
    pub limits: Option<BTreeMap<String, Quantity>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Probe {
    pub http_get: Option<HttpGet>,
    pub tcp_socket: Option<TcpSocket>,
    pub exec: Option<ExecAction>,
    pub grpc: Option<GrpcAction>,
    pub initial_delay_seconds: Option<i32>,
    pub timeout_seconds: Option<i32>,
    pub period_seconds: Option<i32>,
    pub failure_threshold: Option<i32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HttpGet {
    pub scheme: Option<String>,
    pub host: Option<String>,
    pub port: Option<IntOrString>,
    pub path: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TcpSocket {
    pub port: Option<IntOrString>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExecAction {
    pub command: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct GrpcAction {
    pub port: i32,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ContainerPort {
    pub name: Option<String>,
    pub container_port: i32,
    pub protocol: Option<String>,
    pub host_port: Option<i32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodStatus {
    pub phase: Option<String>,
    pub reason: Option<String>,
    pub message: Option<String>,
    pub conditions: Option<Vec<Condition>>,
    pub container_statuses: Option<Vec<ContainerStatus>>,
    pub init_container_statuses: Option<Vec<ContainerStatus>>,
}

/// A pod or node condition.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Condition {
    #[serde(rename = "type")]
    pub type_: String,
    pub status: String,
    pub reason: Option<String>,
    pub message: Option<String>,
    pub last_transition_time: Option<Timestamp>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ContainerStatus {
    pub name: String,
    pub ready: bool,
    pub started: Option<bool>,
    pub restart_count: i32,
    pub state: Option<ContainerState>,
    pub last_state: Option<ContainerState>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ContainerState {
    pub waiting: Option<Waiting>,
    pub running: Option<Running>,
    pub terminated: Option<Terminated>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Waiting {
    pub reason: Option<String>,
    pub message: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Running {
    pub started_at: Option<Timestamp>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Terminated {
    pub reason: Option<String>,
    pub message: Option<String>,
    pub exit_code: i32,
    pub signal: Option<i32>,
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
}

/// A Node.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Node {
    pub metadata: Meta,
    pub spec: Option<NodeSpec>,
    pub status: Option<NodeStatus>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NodeSpec {
    pub unschedulable: Option<bool>,
    pub taints: Option<Vec<Taint>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Taint {
    pub key: String,
    pub value: Option<String>,
    pub effect: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NodeStatus {
    pub conditions: Option<Vec<Condition>>,
    pub capacity: Option<BTreeMap<String, Quantity>>,
    pub allocatable: Option<BTreeMap<String, Quantity>>,
}

/// A PersistentVolumeClaim.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Claim {
    pub metadata: Meta,
    pub spec: Option<ClaimSpec>,
    pub status: Option<ClaimStatus>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ClaimSpec {
    pub storage_class_name: Option<String>,
    pub volume_name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ClaimStatus {
    pub phase: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_what_it_reads_and_skips_the_rest() {
        let pod: Pod = serde_json::from_str(
            r#"{"metadata": {"name": "web-1", "managedFields": [{"manager": "kubelet"}]},
                "spec": {"containers": [{"name": "app", "resources": {"limits": {"cpu": 2, "memory": "1Gi"}},
                         "livenessProbe": {"httpGet": {"port": "http", "path": "/healthz"}}}]},
                "status": {"phase": "Running", "containerStatuses": [{"name": "app", "restartCount": 3,
                           "state": {"running": {"startedAt": "2026-11-20T10:00:00Z"}}}]}}"#,
        )
        .unwrap();
        assert_eq!(pod.metadata.name.as_deref(), Some("web-1"));
        let spec = pod.spec.unwrap();
        let limits = spec.containers[0]
            .resources
            .as_ref()
            .unwrap()
            .limits
            .as_ref()
            .unwrap();
        assert!(matches!(limits.get("cpu"), Some(Quantity::Number(_))));
        let probe = spec.containers[0].liveness_probe.as_ref().unwrap();
        assert_eq!(
            probe
                .http_get
                .as_ref()
                .unwrap()
                .port
                .as_ref()
                .unwrap()
                .to_string(),
            "http"
        );
        assert_eq!(
            pod.status.unwrap().container_statuses.unwrap()[0].restart_count,
            3
        );
        // Ports and quantities as numbers or text; anything else is an error.
        let port = |v: &str| serde_json::from_str::<IntOrString>(v).map(|p| p.to_string());
        assert_eq!(port("8080").unwrap(), "8080");
        assert_eq!(port(r#""metrics""#).unwrap(), "metrics");
        assert!(port("1.5").is_err() && port("true").is_err());
        let quantity = |v: &str| serde_json::from_str::<Quantity>(v).map(Quantity::into_string);
        assert_eq!(quantity("0.5").unwrap(), "0.5");
        assert_eq!(quantity(r#""500m""#).unwrap(), "500m");
        assert!(quantity("[1]").is_err());
        // A wrong shape is still an error (the item is reported, not silently empty).
        assert!(serde_json::from_str::<Pod>(r#"{"spec": {"containers": "nope"}}"#).is_err());
    }
}
