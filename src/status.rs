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
}

/// The status key of a pod whose status the source did not have: every playbook serves it.
pub const ANY_STATUS: &str = "*";

/// Works out the status of a pod.
pub fn pod_status(pod: &Pod) -> PodStatus {
    if pod.partial {
        // The status is unknown (or known only as text): every playbook is tried.
        let mut keys = vec![ANY_STATUS.to_string()];
        keys.extend(pod.status_hint.clone());
        return PodStatus {
            display: pod.status_hint.clone().unwrap_or_else(|| "?".into()),
            ready: 0,
            total: pod.containers.len(),
            restarts: pod
                .restarts_hint
                .unwrap_or_else(|| pod.all_containers().map(|c| c.restarts()).sum()),
            keys,
            healthy: matches!(pod.status_hint.as_deref(), Some("Running" | "Completed")),
        };
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
    let mut restarts = 0;
    let mut sidecar_restarts = 0;
    let mut initializing = false;
    let init_total = pod.init_containers.len();

    for c in pod.init_containers.iter().filter(|c| c.sidecar) {
        total += 1;
        if let Some(st) = &c.status {
            sidecar_restarts += st.restart_count;
            if st.started == Some(true) && st.ready {
                ready += 1;
            }
        }
    }

    for (i, c) in pod.init_containers.iter().enumerate() {
        let Some(st) = &c.status else {
            continue;
        };
        restarts += st.restart_count;
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
        for c in pod.containers.iter().rev() {
            let Some(st) = &c.status else {
                continue;
            };
            restarts += st.restart_count;
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

    let terminal = pod.phase == "Succeeded" || pod.phase == "Failed";
    if pod.deletion_timestamp.is_some() && pod.reason.as_deref() == Some("NodeLost") {
        reason = "Unknown".to_string();
    } else if pod.deletion_timestamp.is_some() && !terminal {
        reason = "Terminating".to_string();
    }

    let keys = status_keys(pod, &reason);
    let healthy = match reason.as_str() {
        "Running" => pod.condition("Ready").is_none_or(|c| c.status == "True") && ready == total,
        "Completed" | "Succeeded" => true,
        _ => false,
    };
    PodStatus {
        display: reason,
        ready,
        total,
        restarts,
        keys,
        healthy,
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
    let not_ready = pod.condition("Ready").is_some_and(|c| c.status != "True");
    if (display == "Running" || display == "Terminating") && not_ready {
        push("NotReady");
    }
    push(&pod.phase);
    keys
}

#[cfg(test)]
mod tests;
