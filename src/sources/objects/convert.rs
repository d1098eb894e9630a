//! k8s-openapi objects to evidence: one function per kind, no joining, no I/O.

use crate::evidence::{
    Container, ContainerState, ContainerStatus, Event, Node, NodeCondition, Pod, PodCondition,
    Probe, Resources, Taint,
};
use jiff::Timestamp;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use std::collections::BTreeMap;

/// A pod, without events, owner or logs (see [`super::join`]).
pub fn pod(p: &core::Pod) -> Pod {
    let meta = &p.metadata;
    let spec = p.spec.clone().unwrap_or_default();
    let status = p.status.clone().unwrap_or_default();
    let init_statuses = status.init_container_statuses.unwrap_or_default();
    let statuses = status.container_statuses.unwrap_or_default();
    let find = |list: &[core::ContainerStatus], name: &str| {
        list.iter().find(|s| s.name == name).map(container_status)
    };
    let init_containers = spec
        .init_containers
        .unwrap_or_default()
        .iter()
        .map(|c| Container {
            init: true,
            sidecar: c.restart_policy.as_deref() == Some("Always"),
            status: find(&init_statuses, &c.name),
            ..container(c)
        })
        .collect();
    let containers = spec
        .containers
        .iter()
        .map(|c| Container {
            status: find(&statuses, &c.name),
            ..container(c)
        })
        .collect();
    Pod {
        // A manifest without status (what was applied, not what runs).
        partial: p.status.as_ref().is_none_or(|s| s.phase.is_none()),
        status_hint: None,
        restarts_hint: None,
        ready_hint: None,
        namespace: meta.namespace.clone().unwrap_or_else(|| "default".into()),
        name: meta.name.clone().unwrap_or_default(),
        uid: meta.uid.clone().unwrap_or_default(),
        node_name: spec.node_name.clone().filter(|n| !n.is_empty()),
        phase: status.phase.unwrap_or_default(),
        reason: status.reason.filter(|r| !r.is_empty()),
        message: status.message.filter(|m| !m.is_empty()),
        created_at: meta.creation_timestamp.as_ref().map(|t| t.0),
        deletion: meta
            .deletion_timestamp
            .as_ref()
            .map(|t| crate::evidence::Deletion::at(t.0)),
        finalizers: meta.finalizers.clone().unwrap_or_default(),
        finalizers_known: true,
        labels: meta.labels.clone().unwrap_or_default(),
        annotations: meta.annotations.clone().unwrap_or_default(),
        restart_policy: spec
            .restart_policy
            .clone()
            .unwrap_or_else(|| "Always".into()),
        image_pull_secrets: spec
            .image_pull_secrets
            .iter()
            .flatten()
            .map(|s| s.name.clone())
            .collect(),
        owner: None,
        conditions: status
            .conditions
            .unwrap_or_default()
            .into_iter()
            .map(|c| PodCondition {
                type_: c.type_,
                status: c.status,
                reason: c.reason,
                message: c.message,
            })
            .collect(),
        init_containers,
        containers,
        events: Vec::new(),
        claims: Vec::new(),
        rollout: None,
        volumes: spec
            .volumes
            .unwrap_or_default()
            .iter()
            .map(|v| (v.name.clone(), volume_ref(v)))
            .collect(),
    }
}

fn volume_ref(v: &core::Volume) -> String {
    if let Some(s) = &v.secret {
        return format!("secret/{}", s.secret_name.clone().unwrap_or_default());
    }
    if let Some(c) = &v.config_map {
        return format!("configMap/{}", c.name);
    }
    if let Some(c) = &v.persistent_volume_claim {
        return format!("pvc/{}", c.claim_name);
    }
    if v.empty_dir.is_some() {
        return "emptyDir".into();
    }
    if let Some(h) = &v.host_path {
        return format!("hostPath/{}", h.path);
    }
    if let Some(n) = &v.nfs {
        return format!("nfs/{}:{}", n.server, n.path);
    }
    if v.projected.is_some() {
        return "projected".into();
    }
    if let Some(c) = &v.csi {
        return format!("csi/{}", c.driver);
    }
    "other".into()
}

fn container(c: &core::Container) -> Container {
    let mut env_refs = Vec::new();
    for e in c.env.iter().flatten() {
        let Some(from) = &e.value_from else {
            continue;
        };
        if let Some(s) = &from.secret_key_ref {
            env_refs.push(format!("secret/{}", s.name));
        }
        if let Some(m) = &from.config_map_key_ref {
            env_refs.push(format!("configMap/{}", m.name));
        }
    }
    for e in c.env_from.iter().flatten() {
        if let Some(s) = &e.secret_ref {
            env_refs.push(format!("secret/{}", s.name));
        }
        if let Some(m) = &e.config_map_ref {
            env_refs.push(format!("configMap/{}", m.name));
        }
    }
    env_refs.dedup();
    let resources = c.resources.clone().unwrap_or_default();
    Container {
        name: c.name.clone(),
        image: c.image.clone().unwrap_or_default(),
        image_pull_policy: c.image_pull_policy.clone().unwrap_or_else(|| {
            // The API server defaults it the same way.
            let image = c.image.as_deref().unwrap_or_default();
            if image.ends_with(":latest") || !image.rsplit('/').next().unwrap_or("").contains(':') {
                "Always".into()
            } else {
                "IfNotPresent".into()
            }
        }),
        init: false,
        sidecar: false,
        command: c
            .command
            .iter()
            .flatten()
            .chain(c.args.iter().flatten())
            .cloned()
            .collect(),
        resources: Resources {
            requests: quantities(resources.requests),
            limits: quantities(resources.limits),
        },
        liveness: c.liveness_probe.as_ref().map(probe),
        readiness: c.readiness_probe.as_ref().map(probe),
        startup: c.startup_probe.as_ref().map(probe),
        env_refs,
        host_ports: c
            .ports
            .iter()
            .flatten()
            .filter_map(|p| p.host_port)
            .collect(),
        status: None,
        logs: None,
        previous_logs: None,
    }
}

fn quantities(q: Option<BTreeMap<String, Quantity>>) -> BTreeMap<String, String> {
    q.unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, v.0))
        .collect()
}

fn probe(p: &core::Probe) -> Probe {
    let action = if let Some(h) = &p.http_get {
        let port = match &h.port {
            k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(i) => i.to_string(),
            k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(s) => s.clone(),
        };
        format!(
            "http-get {}://{}:{}{}",
            h.scheme.as_deref().unwrap_or("HTTP").to_lowercase(),
            h.host.as_deref().unwrap_or(""),
            port,
            h.path.as_deref().unwrap_or("/")
        )
    } else if let Some(t) = &p.tcp_socket {
        let port = match &t.port {
            k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(i) => i.to_string(),
            k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(s) => s.clone(),
        };
        format!("tcp-socket :{port}")
    } else if let Some(e) = &p.exec {
        format!("exec [{}]", e.command.clone().unwrap_or_default().join(" "))
    } else if let Some(g) = &p.grpc {
        format!("grpc <pod>:{}", g.port)
    } else {
        "unknown".into()
    };
    Probe {
        action,
        initial_delay_seconds: p.initial_delay_seconds.unwrap_or(0),
        timeout_seconds: p.timeout_seconds.unwrap_or(1),
        period_seconds: p.period_seconds.unwrap_or(10),
        failure_threshold: p.failure_threshold.unwrap_or(3),
    }
}

fn container_status(s: &core::ContainerStatus) -> ContainerStatus {
    ContainerStatus {
        ready: s.ready,
        started: s.started,
        restart_count: s.restart_count,
        state: state(s.state.as_ref()),
        last_state: state(s.last_state.as_ref()),
    }
}

fn state(s: Option<&core::ContainerState>) -> ContainerState {
    let Some(s) = s else {
        return ContainerState::None;
    };
    if let Some(t) = &s.terminated {
        return ContainerState::Terminated {
            reason: t.reason.clone().filter(|r| !r.is_empty()),
            message: t.message.clone().filter(|m| !m.is_empty()),
            exit_code: t.exit_code,
            signal: t.signal,
            started_at: t.started_at.as_ref().map(|t| t.0),
            finished_at: t.finished_at.as_ref().map(|t| t.0),
        };
    }
    if let Some(w) = &s.waiting {
        return ContainerState::Waiting {
            reason: w.reason.clone().filter(|r| !r.is_empty()),
            message: w.message.clone().filter(|m| !m.is_empty()),
        };
    }
    if let Some(r) = &s.running {
        return ContainerState::Running {
            started_at: r.started_at.as_ref().map(|t| t.0),
        };
    }
    ContainerState::None
}

/// A PersistentVolumeClaim as `(namespace, claim)`.
pub fn claim(c: &core::PersistentVolumeClaim) -> (String, crate::evidence::Claim) {
    let spec = c.spec.clone().unwrap_or_default();
    (
        c.metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into()),
        crate::evidence::Claim {
            name: c.metadata.name.clone().unwrap_or_default(),
            phase: c
                .status
                .as_ref()
                .and_then(|s| s.phase.clone())
                .unwrap_or_else(|| "Pending".into()),
            storage_class: spec.storage_class_name,
            volume: spec.volume_name.filter(|v| !v.is_empty()),
        },
    )
}

/// A node, without events or journal.
pub fn node(n: &core::Node) -> Node {
    let spec = n.spec.clone().unwrap_or_default();
    let status = n.status.clone().unwrap_or_default();
    Node {
        name: n.metadata.name.clone().unwrap_or_default(),
        unschedulable: spec.unschedulable.unwrap_or(false),
        conditions: status
            .conditions
            .unwrap_or_default()
            .into_iter()
            .map(|c| NodeCondition {
                type_: c.type_,
                status: c.status,
                reason: c.reason,
                message: c.message,
                last_transition: c.last_transition_time.map(|t| t.0),
            })
            .collect(),
        taints: spec
            .taints
            .unwrap_or_default()
            .into_iter()
            .map(|t| Taint {
                key: t.key,
                value: t.value,
                effect: t.effect,
            })
            .collect(),
        labels: n.metadata.labels.clone().unwrap_or_default(),
        capacity: quantities(status.capacity),
        allocatable: quantities(status.allocatable),
        events: Vec::new(),
        journal: Vec::new(),
    }
}

/// Who an event is about, for joining.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvolvedObject {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub uid: Option<String>,
}

/// An event and the object it is about.
pub fn event(e: &core::Event) -> (Event, InvolvedObject) {
    let io = &e.involved_object;
    let involved = InvolvedObject {
        kind: io.kind.clone().unwrap_or_default(),
        namespace: io
            .namespace
            .clone()
            .or_else(|| e.metadata.namespace.clone())
            .unwrap_or_default(),
        name: io.name.clone().unwrap_or_default(),
        uid: io.uid.clone().filter(|u| !u.is_empty()),
    };
    let container = io.field_path.as_deref().and_then(container_of_field_path);
    let event_time = e.event_time.as_ref().map(|t| t.0);
    let last_seen: Option<Timestamp> = e
        .series
        .as_ref()
        .and_then(|s| s.last_observed_time.as_ref().map(|t| t.0))
        .or(e.last_timestamp.as_ref().map(|t| t.0))
        .or(event_time);
    let count = e
        .series
        .as_ref()
        .and_then(|s| s.count)
        .or(e.count)
        .unwrap_or(1);
    let source = e
        .source
        .as_ref()
        .and_then(|s| s.component.clone())
        .or_else(|| e.reporting_component.clone())
        .unwrap_or_default();
    (
        Event {
            type_: e.type_.clone().unwrap_or_else(|| "Normal".into()),
            reason: e.reason.clone().unwrap_or_default(),
            message: e.message.clone().unwrap_or_default(),
            count,
            first_seen: e.first_timestamp.as_ref().map(|t| t.0).or(event_time),
            last_seen,
            container,
            object: format!("{}/{}", involved.kind.to_lowercase(), involved.name),
            source,
            source_host: None,
            age: None,
        },
        involved,
    )
}

/// `spec.containers{app}` or `spec.initContainers{init}` -> `app`.
pub fn container_of_field_path(path: &str) -> Option<String> {
    let start = path.find('{')?;
    let end = path[start..].find('}')? + start;
    Some(path[start + 1..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_path_names_the_container() {
        assert_eq!(
            container_of_field_path("spec.containers{app}").as_deref(),
            Some("app")
        );
        assert_eq!(
            container_of_field_path("spec.initContainers{wait-db}").as_deref(),
            Some("wait-db")
        );
        assert_eq!(container_of_field_path("spec"), None);
    }
}
