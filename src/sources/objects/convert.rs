//! Decoded objects ([`super::wire`]) to evidence: one function per kind, taking the object
//! by value so its strings move into the model instead of being copied; no joining, no I/O.

use super::wire;
use crate::evidence::{
    Container, ContainerPort, ContainerState, ContainerStatus, Deletion, Node, NodeCondition,
    Owner, Pod, PodCondition, Probe, Quantities, Resources, Taint,
};
use std::collections::BTreeMap;

mod event;
pub use event::{Involved, InvolvedObject, container_of_field_path, decode_event, event, event_of};

/// A pod with its direct owner, without events or logs (see [`super::join`]).
pub fn pod(p: wire::Pod) -> Pod {
    let wire::Pod {
        metadata: meta,
        spec,
        status,
    } = p;
    let partial = status.as_ref().is_none_or(|s| s.phase.is_none());
    let mut spec = spec.unwrap_or_default();
    let status = status.unwrap_or_default();
    let scheduling = scheduling(&mut spec);
    let owner = direct_owner(&meta, spec.node_name.as_deref());
    let mut init_statuses = status.init_container_statuses.unwrap_or_default();
    let mut statuses = status.container_statuses.unwrap_or_default();
    let take = |list: &mut Vec<wire::ContainerStatus>, name: &str| {
        let i = list.iter().position(|s| s.name == name)?;
        Some(container_status(list.swap_remove(i)))
    };
    let init_containers = exact(
        spec.init_containers
            .unwrap_or_default()
            .into_iter()
            .map(|c| {
                let sidecar = c.restart_policy.as_deref() == Some("Always");
                let status = take(&mut init_statuses, &c.name);
                Container {
                    init: true,
                    sidecar,
                    status,
                    ..container(c)
                }
            }),
    );
    let containers = exact(spec.containers.into_iter().map(|c| {
        let status = take(&mut statuses, &c.name);
        Container {
            status,
            ..container(c)
        }
    }));
    Pod {
        // A manifest without status (what was applied, not what runs).
        partial,
        status_hint: None,
        restarts_hint: None,
        last_restart_age: None,
        age_hint: None,
        ready_hint: None,
        namespace: meta.namespace.unwrap_or_else(|| "default".into()),
        name: meta.name.unwrap_or_default(),
        uid: meta.uid.unwrap_or_default(),
        node_name: spec.node_name.filter(|n| !n.is_empty()),
        phase: status.phase.unwrap_or_default(),
        reason: status.reason.filter(|r| !r.is_empty()),
        message: status.message.filter(|m| !m.is_empty()),
        created_at: meta.creation_timestamp,
        deletion: meta.deletion_timestamp.map(Deletion::at),
        finalizers: meta.finalizers.unwrap_or_default(),
        finalizers_known: true,
        labels: meta.labels.unwrap_or_default(),
        annotations: meta.annotations.unwrap_or_default(),
        scheduling,
        image_pull_secrets_known: spec.image_pull_secrets.is_some()
            || spec.restart_policy.is_some(),
        restart_policy: spec.restart_policy.unwrap_or_else(|| "Always".into()),
        image_pull_secrets: spec
            .image_pull_secrets
            .into_iter()
            .flatten()
            .map(|s| s.name)
            .collect(),
        owner,
        conditions: exact(status.conditions.unwrap_or_default().into_iter().map(|c| {
            PodCondition {
                type_: c.type_,
                status: c.status,
                reason: c.reason,
                message: c.message,
            }
        })),
        init_containers,
        containers,
        events: Vec::new(),
        claims: Vec::new(),
        rollout: None,
        volumes: exact(spec.volumes.unwrap_or_default().into_iter().map(|v| {
            let r = volume_ref(&v);
            (v.name, r)
        })),
    }
}

/// What the spec says about scheduling, when the spec is shown (the API server defaults
/// `restartPolicy`, so an object from it always has one; a manifest may not): the scheduler
/// the pod waits for (`default-scheduler` unless set), its node selector (empty: none), and
/// whether it requires a node affinity.
fn scheduling(spec: &mut wire::PodSpec) -> crate::evidence::Scheduling {
    let shown = spec.restart_policy.is_some();
    let required = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .is_some_and(|n| {
            n.required_during_scheduling_ignored_during_execution
                .is_some()
        });
    crate::evidence::Scheduling {
        scheduler_name: spec
            .scheduler_name
            .take()
            .or_else(|| shown.then(|| "default-scheduler".to_string())),
        selector: spec
            .node_selector
            .take()
            .or_else(|| shown.then(Default::default)),
        required_affinity: (shown || required).then_some(required),
    }
}
/// Collects into a vector of exactly its length. `into_iter().map().collect()` on a vector
/// reuses its allocation, which here is the decoded wire vector's: sized for the larger wire
/// type and with serde's growth slack, kept for the life of the evidence (a third of a pod's
/// memory in a large cluster).
fn exact<T>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut v: Vec<T> = items.collect();
    v.shrink_to_fit();
    v
}

/// The direct controller of a pod (or a Node for a static pod's mirror).
fn direct_owner(meta: &wire::Meta, node_name: Option<&str>) -> Option<Owner> {
    let refs = meta.owner_references.as_deref().unwrap_or_default();
    let r = refs
        .iter()
        .find(|r| r.controller == Some(true))
        .or(refs.first());
    let (kind, name) = match r {
        Some(r) => (r.kind.to_lowercase(), r.name.clone()),
        None => {
            let mirror = meta
                .annotations
                .as_ref()
                .is_some_and(|a| a.contains_key("kubernetes.io/config.mirror"));
            if !mirror {
                return None;
            }
            ("node".to_string(), node_name?.to_string())
        }
    };
    Some(Owner {
        chain: vec![format!("{kind}/{name}")],
        kind,
        name,
    })
}

fn volume_ref(v: &wire::Volume) -> String {
    if let Some(s) = &v.secret {
        return format!("secret/{}", s.secret_name.as_deref().unwrap_or_default());
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

fn container(c: wire::Container) -> Container {
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
    let env = c
        .env
        .iter()
        .flatten()
        .filter_map(|e| Some((e.name.clone(), e.value.clone()?)))
        .collect();
    let ports: Vec<_> = c.ports.into_iter().flatten().collect();
    let resources = c.resources.unwrap_or_default();
    let image = c.image.unwrap_or_default();
    let image_pull_policy = c.image_pull_policy.unwrap_or_else(|| {
        // The API server defaults it the same way.
        if image.ends_with(":latest") || !image.rsplit('/').next().unwrap_or("").contains(':') {
            "Always".into()
        } else {
            "IfNotPresent".into()
        }
    });
    Container {
        name: c.name,
        image,
        image_pull_policy,
        init: false,
        sidecar: false,
        command: c
            .command
            .into_iter()
            .flatten()
            .chain(c.args.into_iter().flatten())
            .collect(),
        resources: Resources {
            requests: quantities(resources.requests),
            limits: quantities(resources.limits),
        },
        liveness: c.liveness_probe.map(|p| Box::new(probe(p))),
        readiness: c.readiness_probe.map(|p| Box::new(probe(p))),
        startup: c.startup_probe.map(|p| Box::new(probe(p))),
        env_refs,
        host_ports: ports.iter().filter_map(|p| p.host_port).collect(),
        ports: ports
            .into_iter()
            .map(|p| ContainerPort {
                name: p.name,
                port: p.container_port,
                protocol: p.protocol.unwrap_or_else(|| "TCP".into()),
            })
            .collect(),
        env,
        status: None,
        logs: None,
        previous_logs: None,
    }
}

fn quantities(q: Option<BTreeMap<String, wire::Quantity>>) -> Quantities {
    q.unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, v.into_string()))
        .collect()
}

fn port(p: Option<wire::IntOrString>) -> String {
    p.map(|p| p.to_string()).unwrap_or_default()
}

fn probe(p: wire::Probe) -> Probe {
    let action = if let Some(h) = p.http_get {
        format!(
            "http-get {}://{}:{}{}",
            h.scheme.as_deref().unwrap_or("HTTP").to_lowercase(),
            h.host.as_deref().unwrap_or(""),
            port(h.port),
            h.path.as_deref().unwrap_or("/")
        )
    } else if let Some(t) = p.tcp_socket {
        format!("tcp-socket :{}", port(t.port))
    } else if let Some(e) = p.exec {
        format!("exec [{}]", e.command.unwrap_or_default().join(" "))
    } else if let Some(g) = p.grpc {
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

fn container_status(s: wire::ContainerStatus) -> ContainerStatus {
    ContainerStatus {
        ready: s.ready,
        started: s.started,
        restart_count: s.restart_count,
        state: state(s.state),
        last_state: state(s.last_state),
    }
}

fn state(s: Option<wire::ContainerState>) -> ContainerState {
    let Some(s) = s else {
        return ContainerState::None;
    };
    if let Some(t) = s.terminated {
        return ContainerState::Terminated {
            reason: t.reason.filter(|r| !r.is_empty()),
            message: t.message.filter(|m| !m.is_empty()),
            exit_code: t.exit_code,
            signal: t.signal,
            started_at: t.started_at,
            finished_at: t.finished_at,
        };
    }
    if let Some(w) = s.waiting {
        return ContainerState::Waiting {
            reason: w.reason.filter(|r| !r.is_empty()),
            message: w.message.filter(|m| !m.is_empty()),
        };
    }
    if let Some(r) = s.running {
        return ContainerState::Running {
            started_at: r.started_at,
        };
    }
    ContainerState::None
}

/// A PersistentVolumeClaim as `(namespace, claim)`.
pub fn claim(c: wire::Claim) -> (String, crate::evidence::Claim) {
    let spec = c.spec.unwrap_or_default();
    (
        c.metadata.namespace.unwrap_or_else(|| "default".into()),
        crate::evidence::Claim {
            name: c.metadata.name.unwrap_or_default(),
            phase: c
                .status
                .and_then(|s| s.phase)
                .unwrap_or_else(|| "Pending".into()),
            storage_class: spec.storage_class_name,
            volume: spec.volume_name.filter(|v| !v.is_empty()),
        },
    )
}

/// A node, without events or journal.
pub fn node(n: wire::Node) -> Node {
    let spec = n.spec.unwrap_or_default();
    let status = n.status.unwrap_or_default();
    Node {
        name: n.metadata.name.unwrap_or_default(),
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
                last_transition: c.last_transition_time,
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
        labels: n.metadata.labels.unwrap_or_default(),
        capacity: quantities(status.capacity),
        allocatable: quantities(status.allocatable),
        events: Vec::new(),
        journal: Vec::new(),
    }
}
