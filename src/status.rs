//! The STATUS column of `kubectl get pods`, computed from the evidence model.
//!
//! This follows `printPod` in kubernetes `pkg/printers/internalversion/printers.go`:
//! phase, overridden by `status.reason`, by `SchedulingGated`, by the first unfinished init
//! container (`Init:N/M`, `Init:<reason>`), by the lowest-index app container that is not
//! running (`CrashLoopBackOff`, `OOMKilled`, `ExitCode:N`), and finally by deletion
//! (`Terminating`, or `Unknown` for a pod whose node was lost).
//!
//! Besides the display string, [`PodStatus::keys`] lists every name a playbook may be
//! filed under for this pod: the STATUS itself, `status.reason` (an evicted pod shows
//! `Error` but is still `Evicted`), the reason inside `Init:<reason>`, and `NotReady` for a
//! running pod whose Ready condition is not true.

pub mod placeholder;
pub mod runs;
pub mod vocabulary;

use crate::evidence::{ContainerState, Pod};

/// The status of one pod as `kubectl get pods` prints it, plus the keys playbooks use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodStatus {
    /// The STATUS column.
    pub display: String,
    /// Ready containers (sidecars included).
    pub ready: usize,
    /// Containers counted in READY (app containers plus sidecars).
    pub total: usize,
    /// The RESTARTS column (without the age).
    pub restarts: i32,
    /// Every name a playbook can be filed under, the display string first.
    pub keys: Vec<String>,
    /// True when nothing is wrong: running and ready, or completed.
    pub healthy: bool,
    /// False when the source had no status at all (only events, logs or a manifest).
    pub known: bool,
    /// For a status inferred from the evidence: the line it was inferred from.
    pub inferred_from: Option<String>,
}

impl PodStatus {
    /// A status the evidence implies (the source showed none): keys as for a real one.
    pub fn inferred(pod: &Pod, display: &str, from: String) -> PodStatus {
        let mut keys = vec![display.to_string()];
        if let Some(inner) = display.strip_prefix("Init:") {
            keys.push(inner.to_string());
        }
        if let Some(r) = pod.reason.as_deref().filter(|r| *r != display) {
            keys.push(r.to_string());
        }
        PodStatus {
            display: display.to_string(),
            ready: 0,
            total: pod.containers.len(),
            restarts: total_restarts(pod),
            keys,
            healthy: false,
            known: true,
            inferred_from: Some(from),
        }
    }
}

/// The status key of a pod whose status the source did not have: every playbook serves it.
pub const ANY_STATUS: &str = "*";

/// How long after a container's last termination a running pod still counts as restarting:
/// a report that runs hourly sees each restart once.
pub const RECENT_RESTART_SECS: i64 = 3600;

/// Restarts from which a running pod's restarts count as a loop (critical, not a warning).
pub const RESTART_LOOP: i32 = 3;

/// The restarts of every container, added without overflow (counts come from pasted text).
fn total_restarts(pod: &Pod) -> i32 {
    pod.all_containers()
        .map(|c| c.restarts())
        .fold(0i32, i32::saturating_add)
}

/// Which logs of a container exist: the current instance's once it has started (a container
/// waiting for its first start has none; one waiting in CrashLoopBackOff has run), the
/// previous instance's after a restart.
pub fn logs_of(c: &crate::evidence::Container) -> (bool, bool) {
    let Some(st) = &c.status else {
        return (false, false);
    };
    let waiting_first_start = matches!(
        &st.state,
        ContainerState::Waiting { reason, .. } if reason.as_deref() != Some("CrashLoopBackOff")
    ) && st.restart_count == 0;
    (!waiting_first_start, st.restart_count > 0)
}

/// Works out the status of a pod, as of an unknown time (every restart counts as recent).
pub fn pod_status(pod: &Pod) -> PodStatus {
    pod_status_at(pod, None)
}

/// Works out the status of a pod as of `now` (the moment the evidence describes).
pub fn pod_status_at(pod: &Pod, now: Option<jiff::Timestamp>) -> PodStatus {
    let mut status = base_status(pod);
    if status.display == "Running" && status.known && status.inferred_from.is_none() {
        mark_restarts(pod, now, &mut status);
    }
    status
}

/// A running pod whose containers terminated recently (OOM, liveness kill, crash) is not
/// healthy: it gets the key `Restarting`, or `RestartLoop` from [`RESTART_LOOP`] restarts.
/// A termination without a time counts as recent; one older than [`RECENT_RESTART_SECS`]
/// before `now` does not.
fn mark_restarts(pod: &Pod, now: Option<jiff::Timestamp>, status: &mut PodStatus) {
    let recent = pod.all_containers().filter_map(|c| recent_restarts(c, now));
    // A `get pods` row: the restart count and how long ago the last one was.
    let row = pod
        .last_restart_age
        .filter(|age| *age <= RECENT_RESTART_SECS)
        .and(pod.restarts_hint)
        .filter(|r| *r > 0 && pod.all_containers().all(|c| c.status.is_none()));
    let Some(most) = recent.chain(row).max() else {
        return;
    };
    status.keys.push(
        if most >= RESTART_LOOP {
            "RestartLoop"
        } else {
            "Restarting"
        }
        .to_string(),
    );
    status.healthy = false;
}

/// The restarts of a container whose last termination was a failure and recent as of
/// `now` (any time counts as recent without `now` or a finish time); `None` otherwise.
fn recent_restarts(c: &crate::evidence::Container, now: Option<jiff::Timestamp>) -> Option<i32> {
    let st = c.status.as_ref()?;
    let ContainerState::Terminated { finished_at, .. } = &st.last_state else {
        return None;
    };
    if st.restart_count == 0 {
        return None;
    }
    // One restart that ended with exit 0 (a process that finished and was started
    // again) is not a failure.
    if st.restart_count == 1
        && matches!(&st.last_state, ContainerState::Terminated { exit_code: 0, reason, .. }
            if reason.as_deref().is_none_or(|r| r == "Completed"))
    {
        return None;
    }
    let fresh = match (finished_at, now) {
        (Some(t), Some(now)) => {
            now.as_second().saturating_sub(t.as_second()) <= RECENT_RESTART_SECS
        }
        _ => true,
    };
    fresh.then_some(st.restart_count)
}

/// Whether a container's last termination was a failure within the last hour before `now`:
/// its previous log is worth reading even when it runs and is ready again.
pub fn restarted_recently(c: &crate::evidence::Container, now: Option<jiff::Timestamp>) -> bool {
    recent_restarts(c, now).is_some()
}

fn base_status(pod: &Pod) -> PodStatus {
    if pod.partial {
        if let Some(status) = hinted(pod) {
            return status;
        }
        // A state decides the status unless it is a waiting state without a reason.
        let has_state = pod.all_containers().any(|c| {
            c.status.as_ref().is_some_and(|s| match &s.state {
                ContainerState::None => false,
                ContainerState::Waiting { reason, .. } => reason.is_some(),
                _ => true,
            })
        });
        if !has_state {
            return unknown(pod);
        }
        // A fragment with container states: they decide, as in a full pod.
    }
    let mut reason = pod.phase.clone();
    if let Some(r) = pod.reason.as_deref().filter(|r| !r.is_empty()) {
        reason = r.to_string();
    }
    if pod
        .conditions
        .iter()
        .any(|c| c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated"))
    {
        reason = "SchedulingGated".to_string();
    }

    let mut total = pod.containers.len();
    let mut ready = 0;
    let mut restarts: i32 = 0;
    let mut sidecar_restarts: i32 = 0;
    let mut initializing = false;
    let init_total = pod.init_containers.len();

    for c in pod.init_containers.iter().filter(|c| c.sidecar) {
        total += 1;
        if let Some(st) = &c.status {
            sidecar_restarts = sidecar_restarts.saturating_add(st.restart_count);
            if st.started == Some(true) && st.ready {
                ready += 1;
            }
        }
    }

    for (i, c) in pod.init_containers.iter().enumerate() {
        let Some(st) = &c.status else {
            continue;
        };
        restarts = restarts.saturating_add(st.restart_count);
        match &st.state {
            ContainerState::Terminated { exit_code: 0, .. } => continue,
            _ if c.sidecar && st.started == Some(true) => continue,
            ContainerState::Terminated {
                reason: r,
                exit_code,
                signal,
                ..
            } => {
                reason = match r.as_deref().filter(|r| !r.is_empty()) {
                    Some(r) => format!("Init:{r}"),
                    None => match signal.filter(|s| *s != 0) {
                        Some(s) => format!("Init:Signal:{s}"),
                        None => format!("Init:ExitCode:{exit_code}"),
                    },
                };
            }
            ContainerState::Waiting {
                reason: Some(r), ..
            } if !r.is_empty() && r != "PodInitializing" => {
                reason = format!("Init:{r}");
            }
            _ => reason = format!("Init:{i}/{init_total}"),
        }
        initializing = true;
        break;
    }

    let initialized = pod
        .condition("Initialized")
        .is_some_and(|c| c.status == "True");
    if !initializing || initialized {
        restarts = sidecar_restarts;
        let mut has_running = false;
        // printPod walks `status.containerStatuses` from the last to the first, so the first
        // one's reason shows; the kubelet sorts them by name, and sources give containers in
        // spec order (describe) or matched to the spec (objects): sort by name.
        let mut by_name: Vec<&crate::evidence::Container> = pod.containers.iter().collect();
        by_name.sort_by(|a, b| a.name.cmp(&b.name));
        for c in by_name.into_iter().rev() {
            let Some(st) = &c.status else {
                continue;
            };
            restarts = restarts.saturating_add(st.restart_count);
            match &st.state {
                ContainerState::Waiting {
                    reason: Some(r), ..
                } if !r.is_empty() => {
                    reason = r.clone();
                }
                ContainerState::Terminated {
                    reason: Some(r), ..
                } if !r.is_empty() => {
                    reason = r.clone();
                }
                ContainerState::Terminated {
                    exit_code, signal, ..
                } => {
                    reason = match signal.filter(|s| *s != 0) {
                        Some(s) => format!("Signal:{s}"),
                        None => format!("ExitCode:{exit_code}"),
                    };
                }
                ContainerState::Running { .. } if st.ready => {
                    has_running = true;
                    ready += 1;
                }
                _ => {}
            }
        }
        if reason == "Completed" && has_running {
            let pod_ready = pod.condition("Ready").is_some_and(|c| c.status == "True");
            reason = if pod_ready { "Running" } else { "NotReady" }.to_string();
        }
    }

    if reason.is_empty() {
        // A describe fragment without `Status:` whose containers all run.
        reason = "Running".to_string();
    }
    let terminal = pod.phase == "Succeeded" || pod.phase == "Failed";
    if pod.deletion.is_some() && pod.reason.as_deref() == Some("NodeLost") {
        reason = "Unknown".to_string();
    } else if pod.deletion.is_some() && !terminal {
        reason = "Terminating".to_string();
    }

    let mut keys = status_keys(pod, &reason);
    // kubectl keeps `Completed`/`Error` for a finished pod being deleted; deletion of a
    // finished pod waits only on its finalizers, so one that has them is stuck deleting.
    let stuck_deleting = terminal && pod.deletion.is_some() && !pod.finalizers.is_empty();
    if stuck_deleting {
        keys.push("Terminating".to_string());
    }
    let healthy = !stuck_deleting
        && match reason.as_str() {
            "Running" => !keys.iter().any(|k| k == "NotReady") && ready == total,
            // A finished container under restartPolicy Always is restarted: not done.
            "Completed" => pod.phase == "Succeeded" || pod.restart_policy != "Always",
            "Succeeded" => true,
            _ => false,
        };
    PodStatus {
        display: reason,
        ready,
        total,
        restarts,
        keys,
        healthy,
        known: true,
        inferred_from: None,
    }
}

/// A pod whose STATUS column the source showed (`kubectl get pods`): READY and RESTARTS
/// come from their columns too.
fn hinted(pod: &Pod) -> Option<PodStatus> {
    let display = pod.status_hint.clone()?;
    let (ready, total) = pod.ready_hint.unwrap_or((0, pod.containers.len()));
    let mut keys = vec![display.clone()];
    // READY counts ready containers; the pod's Ready condition, when the source knows it (a
    // row's pod on a node that is not Ready), can say otherwise.
    let not_ready = pod.ready_hint.is_some_and(|(r, t)| r < t)
        || pod.condition("Ready").is_some_and(|c| c.status != "True");
    if display == "Running" && not_ready {
        keys.push("NotReady".into());
    }
    if let Some(r) = pod.reason.as_deref().filter(|r| *r != display) {
        keys.push(r.to_string());
    }
    if let Some(inner) = display.strip_prefix("Init:") {
        keys.push(inner.to_string());
    }
    let healthy = match display.as_str() {
        "Running" => !not_ready,
        "Completed" | "Succeeded" => true,
        _ => false,
    };
    Some(PodStatus {
        display,
        ready,
        total,
        restarts: pod.restarts_hint.unwrap_or_else(|| total_restarts(pod)),
        keys,
        healthy,
        known: true,
        inferred_from: None,
    })
}

/// A pod whose status the source did not have: every playbook may serve it, unless the
/// engine can infer one from the evidence.
fn unknown(pod: &Pod) -> PodStatus {
    PodStatus {
        display: "?".into(),
        ready: 0,
        total: pod.containers.len(),
        restarts: total_restarts(pod),
        keys: vec![ANY_STATUS.to_string()],
        healthy: false,
        known: false,
        inferred_from: None,
    }
}

/// The names a playbook may be filed under, the display status first, no duplicates.
fn status_keys(pod: &Pod, display: &str) -> Vec<String> {
    let mut keys = vec![display.to_string()];
    let mut push = |k: &str| {
        if !k.is_empty() && !keys.iter().any(|x| x == k) {
            keys.push(k.to_string());
        }
    };
    if let Some(r) = &pod.reason {
        push(r);
    }
    if let Some(inner) = display.strip_prefix("Init:") {
        push(inner);
    }
    // Without a Ready condition (a fragment), a running container that is not ready says it.
    let not_ready = match pod.condition("Ready") {
        Some(c) => c.status != "True",
        None => pod.containers.iter().any(|c| {
            c.status
                .as_ref()
                .is_some_and(|s| !s.ready && matches!(s.state, ContainerState::Running { .. }))
        }),
    };
    // A pod being deleted whose containers have stopped is not "not ready": it is going.
    let running = pod.containers.iter().any(|c| {
        c.status
            .as_ref()
            .is_some_and(|s| matches!(s.state, ContainerState::Running { .. }))
    });
    if (display == "Running" || (display == "Terminating" && running)) && not_ready {
        push("NotReady");
    }
    push(&pod.phase);
    keys
}

#[cfg(test)]
mod tests;
