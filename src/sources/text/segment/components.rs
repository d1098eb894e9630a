//! Pods and nodes named by Kubernetes components' own log lines (kubelet, scheduler), so a
//! paste of those lines is about the right objects.

use super::Collected;
use crate::evidence::{Container, ContainerState, ContainerStatus, Event, Pod};
use crate::sources::objects::convert::InvolvedObject;
use crate::sources::text::loose;
use crate::sources::text::loose::Loose;
use crate::sources::text::names::Named;

/// Component log lines (klog) in a log or journal that name a pod also tell about that pod.
pub(super) fn harvest_components(lines: &[String], out: &mut Collected) {
    for l in lines {
        if let Some(Loose::Component { about, states, .. }) = loose::read(l) {
            component(out, about, states);
        }
    }
}

/// What a component's log line says about a pod: its message as an event, and the
/// container states of the sync failures it spells out.
pub(super) fn component(
    out: &mut Collected,
    about: Option<(Option<Named>, Event)>,
    states: Vec<loose::SyncFailure>,
) {
    let Some((named, event)) = about else {
        return;
    };
    for f in states.into_iter().filter(|f| f.action == "StartContainer") {
        let mut pod = Pod {
            partial: true,
            containers: vec![Container {
                name: f.target,
                status: Some(ContainerStatus {
                    state: ContainerState::Waiting {
                        reason: Some(f.reason),
                        message: (!f.message.is_empty()).then_some(f.message),
                    },
                    ..Default::default()
                }),
                ..Default::default()
            }],
            ..Default::default()
        };
        if let Some(n) = &named {
            pod.name = n.name.clone();
            pod.namespace = n.namespace.clone().unwrap_or_default();
        }
        out.pods.push(pod);
    }
    out.events.push((event, named.as_ref().map(pod_object)));
    out.had_events = true;
}

pub(super) fn pod_object(n: &Named) -> InvolvedObject {
    InvolvedObject {
        kind: "Pod".into(),
        namespace: n.namespace.clone().unwrap_or_default(),
        name: n.name.clone(),
        uid: None,
    }
}
