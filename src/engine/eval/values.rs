//! The values of a matcher field for a subject, each with the evidence line that quotes it:
//! what `pod.condition`, `container.reason` or `node.taint` reads.

use crate::engine::finding::{EvidenceKind, EvidenceLine};
use crate::engine::subject::Subject;
use crate::evidence::{Container, ContainerState};
use crate::playbook::Field;

pub(super) fn pod_line(text: String) -> EvidenceLine {
    EvidenceLine {
        source: EvidenceKind::Pod,
        text,
        at: None,
    }
}

pub(super) fn container_line(c: &Container) -> EvidenceLine {
    // The source label already says `container`.
    let mut text = format!("`{}`{}", c.name, if c.init { " (init)" } else { "" });
    if let Some(st) = &c.status {
        text.push_str(&format!(": {}", st.state.describe()));
        if st.last_state != ContainerState::None {
            text.push_str(&format!("; last state {}", st.last_state.describe()));
        }
        text.push_str(&format!(
            "; ready {}, restarts {}",
            st.ready, st.restart_count
        ));
    } else {
        text.push_str(": no status reported");
    }
    EvidenceLine {
        source: EvidenceKind::Container,
        text,
        at: None,
    }
}

pub(super) fn node_line(ctx: &Subject, what: String) -> EvidenceLine {
    let name = ctx
        .node
        .map(|n| n.name.as_str())
        .or(ctx.pod.node_name.as_deref())
        .unwrap_or("?");
    EvidenceLine {
        source: EvidenceKind::Node,
        text: format!("`{name}`: {what}"),
        at: None,
    }
}

/// (value, evidence line) pairs of a field with few values.
pub(super) fn field_values(field: Field, ctx: &Subject) -> Vec<(String, EvidenceLine)> {
    let pod = ctx.pod;
    let c = ctx.container;
    match field {
        Field::PodStatus => ctx
            .status
            .keys
            .iter()
            .map(|k| {
                let st = ctx.status;
                let line = pod_line(format!(
                    "status `{}` (ready {}/{}, restarts {})",
                    st.display, st.ready, st.total, st.restarts
                ));
                (k.clone(), line)
            })
            .collect(),
        Field::PodPhase => vec![(
            pod.phase.clone(),
            pod_line(format!("phase `{}`", pod.phase)),
        )],
        Field::PodReason | Field::PodMessage => {
            let value = if field == Field::PodReason {
                pod.reason.clone()
            } else {
                pod.message.clone()
            };
            let line = pod_line(match (&pod.reason, &pod.message) {
                (Some(r), Some(m)) => format!("status.reason `{r}`: {}", m.trim()),
                (Some(r), None) => format!("status.reason `{r}`"),
                (None, Some(m)) => format!("status.message: {}", m.trim()),
                (None, None) => String::new(),
            });
            value.into_iter().map(|v| (v, line.clone())).collect()
        }
        Field::PodCondition | Field::PodConditionMessage => pod
            .conditions
            .iter()
            .map(|cd| {
                let value = if field == Field::PodCondition {
                    format!("{}={}", cd.type_, cd.status)
                } else {
                    cd.message.clone().unwrap_or_default()
                };
                let mut t = format!("condition {}={}", cd.type_, cd.status);
                if let Some(r) = &cd.reason {
                    t.push_str(&format!(" ({r})"));
                }
                if let Some(m) = cd.message.as_deref().filter(|m| !m.is_empty()) {
                    t.push_str(&format!(": {m}"));
                }
                (value, pod_line(t))
            })
            .collect(),
        Field::PodFinalizer => pod
            .finalizers
            .iter()
            .map(|f| (f.clone(), pod_line(format!("finalizer `{f}`"))))
            .collect(),
        Field::PodAnnotation => pod
            .annotations
            .keys()
            .map(|k| (k.clone(), pod_line(format!("annotation `{k}`"))))
            .collect(),
        Field::PodOwnerKind => pod
            .owner
            .iter()
            .map(|o| {
                (
                    o.kind.clone(),
                    pod_line(format!("controlled by `{}`", o.reference())),
                )
            })
            .collect(),
        Field::PodRestartPolicy => vec![(
            pod.restart_policy.clone(),
            pod_line(format!("restartPolicy `{}`", pod.restart_policy)),
        )],
        Field::PodImagePullSecret => pod
            .image_pull_secrets
            .iter()
            .map(|s| (s.clone(), pod_line(format!("imagePullSecrets `{s}`"))))
            .collect(),
        Field::PodNodeSelector => pod
            .scheduling
            .selector
            .iter()
            .flatten()
            .map(|(k, v)| {
                let entry = format!("{k}={v}");
                let line = pod_line(format!("nodeSelector `{entry}`"));
                (entry, line)
            })
            .collect(),
        Field::PodSchedulerName => pod
            .scheduling
            .scheduler_name
            .iter()
            .map(|n| (n.clone(), pod_line(format!("schedulerName `{n}`"))))
            .collect(),
        Field::PodNode => {
            let node = pod.node_name.clone().unwrap_or_default();
            let line = if node.is_empty() {
                pod_line("not bound to a node (spec.nodeName is empty)".into())
            } else {
                pod_line(format!("bound to node `{node}`"))
            };
            vec![(node, line)]
        }
        Field::PodClaim => pod
            .claims
            .iter()
            .map(|c| {
                let value = format!("{}={}", c.name, c.phase);
                (
                    value,
                    pod_line(format!("PersistentVolumeClaim {}", c.describe())),
                )
            })
            .collect(),
        Field::PodRolloutChange => pod
            .rollout
            .iter()
            .flat_map(|r| r.changes().map(move |c| (c, pod_line(r.describe()))))
            .collect(),
        Field::PodVolume => pod
            .volumes
            .iter()
            .map(|(name, src)| (src.clone(), pod_line(format!("volume `{name}`: {src}"))))
            .collect(),
        Field::PodAddressUnknownService | Field::PodAddressUnexposedPort => {
            address_values(field, ctx)
        }
        Field::ClusterDnsNotReady => ctx
            .system()
            .dns
            .iter()
            .filter(|p| !p.ready)
            .map(|p| {
                (
                    p.key.clone(),
                    pod_line(format!("cluster DNS: {}", p.describe())),
                )
            })
            .collect(),
        Field::ContainerName
        | Field::ContainerState
        | Field::ContainerReason
        | Field::ContainerMessage
        | Field::ContainerExitCode
        | Field::ContainerLastReason
        | Field::ContainerLastMessage
        | Field::ContainerLastExitCode
        | Field::ContainerImage
        | Field::ContainerPullPolicy
        | Field::ContainerProbe
        | Field::ContainerProbeAction => {
            let Some(c) = c else {
                return Vec::new();
            };
            container_values(field, c)
                .into_iter()
                .map(|v| (v, container_line(c)))
                .collect()
        }
        Field::NodeCondition | Field::NodeConditionMessage => ctx
            .node
            .iter()
            .flat_map(|n| n.conditions.iter())
            .map(|cd| {
                let value = if field == Field::NodeCondition {
                    format!("{}={}", cd.type_, cd.status)
                } else {
                    cd.message.clone().unwrap_or_default()
                };
                (
                    value,
                    node_line(ctx, format!("condition {}", cd.describe())),
                )
            })
            .collect(),
        Field::NodeTaint => ctx
            .node
            .iter()
            .flat_map(|n| n.taints.iter())
            .map(|t| {
                (
                    t.describe(),
                    node_line(ctx, format!("taint `{}`", t.describe())),
                )
            })
            .collect(),
        Field::NodeLabel => ctx
            .node
            .iter()
            .flat_map(|n| n.labels.iter())
            .map(|(k, v)| {
                let label = format!("{k}={v}");
                let line = node_line(ctx, format!("label `{label}`"));
                (label, line)
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The addresses of the pod's env that name a missing Service (or a port it does not
/// expose): the Services are indexed once per run, on the first pod with an address.
fn address_values(field: Field, ctx: &Subject) -> Vec<(String, EvidenceLine)> {
    use crate::engine::addresses::{Problem, ServiceLookup, candidates, check};
    let any = ctx
        .pod
        .all_containers()
        .flat_map(|c| c.env.iter())
        .any(|(_, v)| !candidates(v).is_empty());
    if !any {
        return Vec::new();
    }
    let lookup = ctx
        .memo
        .services
        .get_or_init(|| ServiceLookup::new(ctx.evidence));
    check(ctx.pod, ctx.evidence, lookup)
        .into_iter()
        .filter(|f| {
            (field == Field::PodAddressUnknownService) == (f.problem == Problem::UnknownService)
        })
        .map(|f| (f.address.quoted.clone(), pod_line(f.describe())))
        .collect()
}

/// Fields that say what kind of pod or container this is (its owner's kind, restart
/// policy, name, pull policy, probes), not what went wrong: they narrow a cause but are
/// never quoted as its evidence, so a cause whose real evidence the source lacks is not
/// reported on them alone.
pub(super) fn is_context(field: Field) -> bool {
    matches!(
        field,
        Field::PodOwnerKind
            | Field::PodRestartPolicy
            | Field::ContainerName
            | Field::ContainerPullPolicy
            | Field::ContainerProbe
            | Field::ContainerProbeAction
    )
}

pub(super) fn container_values(field: Field, c: &Container) -> Vec<String> {
    let st = c.status.as_ref();
    let state = st.map(|s| &s.state);
    let last = st.map(|s| &s.last_state);
    let opt = |v: Option<String>| v.into_iter().collect::<Vec<_>>();
    match field {
        Field::ContainerName => vec![c.name.clone()],
        Field::ContainerState => opt(state.map(|s| s.name().to_string())),
        Field::ContainerReason => opt(state.and_then(|s| s.reason()).map(str::to_string)),
        Field::ContainerMessage => opt(state.and_then(|s| s.message()).map(str::to_string)),
        Field::ContainerExitCode => opt(state.and_then(|s| s.exit_code()).map(|c| c.to_string())),
        Field::ContainerLastReason => opt(last.and_then(|s| s.reason()).map(str::to_string)),
        Field::ContainerLastMessage => opt(last.and_then(|s| s.message()).map(str::to_string)),
        Field::ContainerLastExitCode => {
            opt(last.and_then(|s| s.exit_code()).map(|c| c.to_string()))
        }
        Field::ContainerImage => vec![c.image.clone()],
        Field::ContainerPullPolicy => vec![c.image_pull_policy.clone()],
        Field::ContainerProbe => [
            ("liveness", c.liveness.is_some()),
            ("readiness", c.readiness.is_some()),
            ("startup", c.startup.is_some()),
        ]
        .iter()
        .filter(|(_, has)| *has)
        .map(|(n, _)| n.to_string())
        .collect(),
        Field::ContainerProbeAction => [
            ("liveness", &c.liveness),
            ("readiness", &c.readiness),
            ("startup", &c.startup),
        ]
        .iter()
        .filter_map(|(kind, p)| p.as_ref().map(|p| format!("{kind} {}", p.action)))
        .collect(),
        _ => Vec::new(),
    }
}
