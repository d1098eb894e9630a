//! Placeholder pods: a pod controller (ReplicaSet, Job, StatefulSet, DaemonSet) that reports
//! Warning events while none of its pods exist cannot create them. The evidence has no pod to
//! diagnose, so the status layer names one after the controller, with the status
//! `PodsNotCreated`; the controller's events become its owner events. Which kinds count and
//! what the placeholder says live here; sources only group the events.

use crate::evidence::{Owner, Pod};

/// The status reason of a placeholder pod.
pub const PODS_NOT_CREATED: &str = "PodsNotCreated";

/// The controllers whose Warning events stand for pods they could not create.
const POD_CONTROLLERS: &[&str] = &["ReplicaSet", "Job", "StatefulSet", "DaemonSet"];

/// Whether an event about an object of `kind` with no pod in the evidence stands for pods the
/// controller could not create.
pub fn stands_for_missing_pods(event_type: &str, kind: &str) -> bool {
    event_type == "Warning" && POD_CONTROLLERS.contains(&kind)
}

/// The placeholder pod of a controller.
pub fn placeholder_pod(namespace: &str, kind: &str, name: &str) -> Pod {
    let reference = crate::evidence::object_ref(kind, name);
    Pod {
        namespace: namespace.to_string(),
        name: name.to_string(),
        phase: "Pending".into(),
        reason: Some(PODS_NOT_CREATED.into()),
        message: Some(format!("no pod of {reference} exists")),
        restart_policy: "Always".into(),
        owner: Some(Owner {
            kind: kind.to_lowercase(),
            name: name.to_string(),
            chain: vec![reference],
        }),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_warnings_of_pod_controllers_stand_for_missing_pods() {
        assert!(stands_for_missing_pods("Warning", "ReplicaSet"));
        assert!(stands_for_missing_pods("Warning", "Job"));
        assert!(!stands_for_missing_pods("Normal", "ReplicaSet"));
        assert!(!stands_for_missing_pods("Warning", "Deployment"));
    }

    #[test]
    fn a_placeholder_is_named_after_its_controller_and_owned_by_it() {
        let p = placeholder_pod("shop", "ReplicaSet", "web-7d9c5b");
        assert_eq!(p.reason.as_deref(), Some(PODS_NOT_CREATED));
        assert_eq!(
            p.owner.clone().unwrap().chain,
            vec!["replicaset/web-7d9c5b"]
        );
        assert_eq!(crate::status::pod_status(&p).display, PODS_NOT_CREATED);
    }
}
