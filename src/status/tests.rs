//! Table-driven tests: one row per branch of `printPod`.

use super::*;
use crate::evidence::{Container, ContainerStatus, PodCondition};
use jiff::Timestamp;

fn waiting(reason: &str) -> ContainerState {
    ContainerState::Waiting {
        reason: Some(reason.to_string()),
        message: None,
    }
}

fn terminated(reason: Option<&str>, exit_code: i32, signal: Option<i32>) -> ContainerState {
    ContainerState::Terminated {
        reason: reason.map(str::to_string),
        message: None,
        exit_code,
        signal,
        started_at: None,
        finished_at: None,
    }
}

fn running() -> ContainerState {
    ContainerState::Running { started_at: None }
}

fn container(state: ContainerState, ready: bool) -> Container {
    Container {
        name: "c".into(),
        status: Some(ContainerStatus {
            ready,
            started: Some(matches!(state, ContainerState::Running { .. })),
            restart_count: 0,
            state,
            last_state: ContainerState::None,
        }),
        ..Default::default()
    }
}

fn init(state: ContainerState) -> Container {
    Container {
        init: true,
        ..container(state, false)
    }
}

fn cond(type_: &str, status: &str, reason: Option<&str>) -> PodCondition {
    PodCondition {
        type_: type_.into(),
        status: status.into(),
        reason: reason.map(str::to_string),
        message: None,
    }
}

fn pod(phase: &str) -> Pod {
    Pod {
        phase: phase.into(),
        ..Default::default()
    }
}

#[test]
fn status_follows_print_pod() {
    let deleted = Some(crate::evidence::Deletion::at(Timestamp::UNIX_EPOCH));
    let cases: Vec<(&str, Pod, &str)> = vec![
        ("pending, no containers", pod("Pending"), "Pending"),
        (
            "pod reason overrides phase",
            Pod {
                reason: Some("Evicted".into()),
                ..pod("Failed")
            },
            "Evicted",
        ),
        (
            "scheduling gated",
            Pod {
                conditions: vec![cond("PodScheduled", "False", Some("SchedulingGated"))],
                ..pod("Pending")
            },
            "SchedulingGated",
        ),
        (
            "waiting reason",
            Pod {
                containers: vec![container(waiting("CrashLoopBackOff"), false)],
                ..pod("Running")
            },
            "CrashLoopBackOff",
        ),
        (
            "terminated reason",
            Pod {
                containers: vec![container(terminated(Some("OOMKilled"), 137, None), false)],
                ..pod("Running")
            },
            "OOMKilled",
        ),
        (
            "terminated without reason, signal",
            Pod {
                containers: vec![container(terminated(None, 137, Some(9)), false)],
                ..pod("Failed")
            },
            "Signal:9",
        ),
        (
            "terminated without reason, exit code",
            Pod {
                containers: vec![container(terminated(None, 3, None), false)],
                ..pod("Failed")
            },
            "ExitCode:3",
        ),
        (
            "lowest index non-running container wins",
            Pod {
                containers: vec![
                    container(waiting("ImagePullBackOff"), false),
                    container(waiting("CrashLoopBackOff"), false),
                ],
                ..pod("Pending")
            },
            "ImagePullBackOff",
        ),
        (
            "running and ready",
            Pod {
                containers: vec![container(running(), true)],
                conditions: vec![cond("Ready", "True", None)],
                ..pod("Running")
            },
            "Running",
        ),
        (
            "completed but one still running and pod ready",
            Pod {
                containers: vec![
                    container(terminated(Some("Completed"), 0, None), false),
                    container(running(), true),
                ],
                conditions: vec![cond("Ready", "True", None)],
                ..pod("Running")
            },
            "Running",
        ),
        (
            "completed but one still running and pod not ready",
            Pod {
                containers: vec![
                    container(terminated(Some("Completed"), 0, None), false),
                    container(running(), true),
                ],
                conditions: vec![cond("Ready", "False", None)],
                ..pod("Running")
            },
            "NotReady",
        ),
        (
            "succeeded",
            Pod {
                containers: vec![container(terminated(Some("Completed"), 0, None), false)],
                ..pod("Succeeded")
            },
            "Completed",
        ),
        (
            "init in progress",
            Pod {
                init_containers: vec![
                    init(terminated(Some("Completed"), 0, None)),
                    init(running()),
                ],
                containers: vec![container(waiting("PodInitializing"), false)],
                ..pod("Pending")
            },
            "Init:1/2",
        ),
        (
            "init waiting reason",
            Pod {
                init_containers: vec![init(waiting("CrashLoopBackOff"))],
                containers: vec![container(waiting("PodInitializing"), false)],
                ..pod("Pending")
            },
            "Init:CrashLoopBackOff",
        ),
        (
            "init PodInitializing counts as in progress",
            Pod {
                init_containers: vec![init(waiting("PodInitializing"))],
                ..pod("Pending")
            },
            "Init:0/1",
        ),
        (
            "init terminated reason",
            Pod {
                init_containers: vec![init(terminated(Some("Error"), 1, None))],
                ..pod("Pending")
            },
            "Init:Error",
        ),
        (
            "init terminated signal",
            Pod {
                init_containers: vec![init(terminated(None, 137, Some(9)))],
                ..pod("Pending")
            },
            "Init:Signal:9",
        ),
        (
            "init terminated exit code",
            Pod {
                init_containers: vec![init(terminated(None, 2, None))],
                ..pod("Pending")
            },
            "Init:ExitCode:2",
        ),
        (
            "started sidecar does not block",
            Pod {
                init_containers: vec![Container {
                    sidecar: true,
                    ..init(running())
                }],
                containers: vec![container(waiting("CrashLoopBackOff"), false)],
                ..pod("Running")
            },
            "CrashLoopBackOff",
        ),
        (
            "terminating",
            Pod {
                deletion: deleted,
                containers: vec![container(running(), true)],
                ..pod("Running")
            },
            "Terminating",
        ),
        (
            "deleted terminal pod keeps its status",
            Pod {
                deletion: deleted,
                containers: vec![container(terminated(Some("Completed"), 0, None), false)],
                ..pod("Succeeded")
            },
            "Completed",
        ),
        (
            "node lost",
            Pod {
                deletion: deleted,
                reason: Some("NodeLost".into()),
                ..pod("Running")
            },
            "Unknown",
        ),
        (
            "sysctl forbidden",
            Pod {
                reason: Some("SysctlForbidden".into()),
                ..pod("Failed")
            },
            "SysctlForbidden",
        ),
        ("phase unknown", pod("Unknown"), "Unknown"),
    ];
    for (name, pod, want) in cases {
        assert_eq!(pod_status(&pod).display, want, "case: {name}");
    }
}

#[test]
fn keys_include_reason_init_inner_and_not_ready() {
    let evicted = Pod {
        reason: Some("Evicted".into()),
        containers: vec![container(terminated(Some("Error"), 137, None), false)],
        ..pod("Failed")
    };
    assert_eq!(
        pod_status(&evicted).keys,
        vec!["Error", "Evicted", "Failed"]
    );

    let init_crash = Pod {
        init_containers: vec![init(waiting("CrashLoopBackOff"))],
        ..pod("Pending")
    };
    assert_eq!(
        pod_status(&init_crash).keys,
        vec!["Init:CrashLoopBackOff", "CrashLoopBackOff", "Pending"]
    );

    let not_ready = Pod {
        containers: vec![container(running(), false)],
        conditions: vec![cond("Ready", "False", Some("ContainersNotReady"))],
        ..pod("Running")
    };
    let st = pod_status(&not_ready);
    assert_eq!(st.keys, vec!["Running", "NotReady"]);
    assert!(!st.healthy);
    assert_eq!((st.ready, st.total), (0, 1));
}

#[test]
fn ready_and_restarts_count_sidecars() {
    let mut sidecar = Container {
        sidecar: true,
        ..init(running())
    };
    if let Some(st) = sidecar.status.as_mut() {
        st.ready = true;
        st.restart_count = 2;
    }
    let mut app = container(running(), true);
    if let Some(st) = app.status.as_mut() {
        st.restart_count = 3;
    }
    let p = Pod {
        init_containers: vec![sidecar],
        containers: vec![app],
        conditions: vec![cond("Ready", "True", None)],
        ..pod("Running")
    };
    let st = pod_status(&p);
    assert_eq!((st.ready, st.total, st.restarts), (2, 2, 5));
    assert!(st.healthy);
}

#[test]
fn restart_counts_at_the_limit_add_up_without_overflow() {
    let mut c = container(running(), true);
    if let Some(st) = c.status.as_mut() {
        st.restart_count = i32::MAX;
    }
    let p = Pod {
        containers: vec![c.clone(), c],
        ..pod("Running")
    };
    assert_eq!(pod_status(&p).restarts, i32::MAX);
    let hinted = Pod {
        partial: true,
        status_hint: None,
        ..p
    };
    assert_eq!(pod_status(&hinted).restarts, i32::MAX);
}

#[test]
fn the_first_container_by_name_gives_the_status_as_the_kubelet_sorts_them() {
    // Spec order (as describe prints it): `web` before `app`; the kubelet's statuses are
    // sorted by name, and printPod shows the first one's reason.
    let mut p = pod("Pending");
    p.containers = vec![
        Container {
            name: "web".into(),
            ..container(waiting("CrashLoopBackOff"), false)
        },
        Container {
            name: "app".into(),
            ..container(waiting("ImagePullBackOff"), false)
        },
    ];
    assert_eq!(pod_status(&p).display, "ImagePullBackOff");
}

#[test]
fn a_row_with_a_recent_restart_is_restarting_and_an_old_one_is_healthy() {
    let mut p = pod("Running");
    p.partial = true;
    p.status_hint = Some("Running".into());
    p.ready_hint = Some((1, 1));
    p.restarts_hint = Some(7);
    p.last_restart_age = Some(40);
    let s = pod_status(&p);
    assert!(!s.healthy);
    assert!(s.keys.iter().any(|k| k == "RestartLoop"));
    p.last_restart_age = Some(2 * 86_400);
    assert!(pod_status(&p).healthy);
}

#[test]
fn one_restart_that_ended_with_exit_0_is_not_a_failure() {
    let mut p = pod("Running");
    let mut c = container(running(), true);
    if let Some(st) = c.status.as_mut() {
        st.restart_count = 1;
        st.last_state = terminated(Some("Completed"), 0, None);
    }
    p.containers = vec![c];
    p.conditions = vec![cond("Ready", "True", None)];
    assert!(pod_status(&p).healthy);
}
