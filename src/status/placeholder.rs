//! Placeholder pods: a pod controller (ReplicaSet, Job, StatefulSet, DaemonSet) that reports
//! Warning events while none of its pods exist cannot create them. The evidence has no pod to
//! diagnose, so the status layer names one after the controller, with the status
//! `PodsNotCreated`; the controller's events become its owner events. Which kinds count and
//! what the placeholder says live here; sources only group the events.

use crate::evidence::{Controller, Event, Owner, Pod};

/// The status reason of a placeholder pod.
pub const PODS_NOT_CREATED: &str = "PodsNotCreated";

/// The controllers whose Warning events stand for pods they could not create.
const POD_CONTROLLERS: &[&str] = &["ReplicaSet", "Job", "StatefulSet", "DaemonSet"];

/// Whether pods of an object of this kind are made by a controller that can fail to create
/// them.
pub fn is_pod_controller(kind: &str) -> bool {
    POD_CONTROLLERS.contains(&kind)
}

/// Whether an event about an object of `kind` with no pod in the evidence stands for pods the
/// controller could not create.
pub fn stands_for_missing_pods(event_type: &str, kind: &str) -> bool {
    event_type == "Warning" && POD_CONTROLLERS.contains(&kind)
}

/// Whether a controller's pods are missing, by its state or, without one, its events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// Its state says so (fewer pods than desired, or `ReplicaFailure`).
    Yes,
    /// Its events say so and the evidence shows no state to confirm it.
    ByEventsOnly,
    /// It has its pods, wants none, or its last create succeeded.
    No,
}

/// Decides for a controller with Warning events and no pod in the evidence. Its state, when
/// present, decides: `ReplicaFailure` or fewer pods than desired is missing pods; scaled to
/// 0 (an old ReplicaSet of its Deployment) or all its pods is not. Without state, the
/// newest `FailedCreate` must be newer than the newest `SuccessfulCreate`.
pub fn pods_missing(events: &[&Event], state: Option<&Controller>) -> Missing {
    if let Some(s) = state {
        if s.replica_failure == Some(true) {
            return Missing::Yes;
        }
        match (s.desired, s.current.or(s.ready)) {
            (Some(0), _) => return Missing::No,
            (Some(d), Some(c)) if c >= d => return Missing::No,
            (Some(_), Some(_)) => return Missing::Yes,
            _ => {}
        }
    }
    // Age in seconds of the newest event with this reason (`None`: no such event; an event
    // without a time is taken as the oldest).
    let newest = |reason: &str| {
        events
            .iter()
            .filter(|e| e.reason == reason)
            .map(|e| e.seconds_ago(None).unwrap_or(i64::MAX))
            .min()
    };
    match (newest(FAILED_CREATE), newest(SUCCESSFUL_CREATE)) {
        (Some(failed), Some(created)) if created <= failed && created != i64::MAX => Missing::No,
        _ => Missing::ByEventsOnly,
    }
}

/// The controller's event for a pod it could not create, and for one it created.
const FAILED_CREATE: &str = "FailedCreate";
const SUCCESSFUL_CREATE: &str = "SuccessfulCreate";

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

    fn event(reason: &str, age: &str) -> Event {
        Event {
            type_: if reason == FAILED_CREATE {
                "Warning"
            } else {
                "Normal"
            }
            .into(),
            reason: reason.into(),
            age: Some(age.into()),
            ..Default::default()
        }
    }

    fn state(desired: i64, current: i64) -> Controller {
        Controller {
            desired: Some(desired),
            current: Some(current),
            ..Default::default()
        }
    }

    #[test]
    fn a_controllers_state_decides_whether_its_pods_are_missing() {
        let failed = event(FAILED_CREATE, "2m");
        let events = [&failed];
        assert_eq!(pods_missing(&events, Some(&state(2, 2))), Missing::No);
        assert_eq!(pods_missing(&events, Some(&state(0, 0))), Missing::No);
        assert_eq!(pods_missing(&events, Some(&state(3, 1))), Missing::Yes);
        let failing = Controller {
            replica_failure: Some(true),
            ..state(1, 1)
        };
        assert_eq!(pods_missing(&events, Some(&failing)), Missing::Yes);
    }

    #[test]
    fn without_state_the_newest_create_event_decides() {
        let failed = event(FAILED_CREATE, "10m");
        let created = event(SUCCESSFUL_CREATE, "2m");
        assert_eq!(pods_missing(&[&failed, &created], None), Missing::No);
        let failed_again = event(FAILED_CREATE, "30s");
        assert_eq!(
            pods_missing(&[&failed, &created, &failed_again], None),
            Missing::ByEventsOnly
        );
        assert_eq!(pods_missing(&[&failed], None), Missing::ByEventsOnly);
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
