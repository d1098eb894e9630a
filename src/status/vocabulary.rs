//! The API's vocabulary of reasons: which words are a container state's reason
//! (`containerStatuses[].state.waiting|terminated.reason`, set by the kubelet and the
//! runtime) and which are a pod's `status.reason` (set by the kubelet's admission, eviction
//! and shutdown managers), and the statuses kubedoctor prints. The text reader reads a
//! reason shown with its message (`CrashLoopBackOff (back-off 5m0s ...)`) as the state or
//! status it names; any other CamelCase word is an event reason.

/// Where a reason belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonLevel {
    /// A container's waiting or terminated reason.
    Container,
    /// A pod's `status.reason`.
    Pod,
    /// Anything else: an event's reason.
    Event,
}

/// Waiting reasons (`pkg/kubelet/images/types.go`, `pkg/kubelet/container/sync_result.go`,
/// `kuberuntime_container.go`) and terminated reasons (containerd, CRI-O, Docker, kubelet).
const CONTAINER: &[&str] = &[
    "ContainerCreating",
    "PodInitializing",
    "CrashLoopBackOff",
    "ErrImagePull",
    "ImagePullBackOff",
    "ErrImageNeverPull",
    "InvalidImageName",
    "ImageInspectError",
    "RegistryUnavailable",
    "SignatureValidationFailed",
    "ErrImageNotEnsured",
    "CreateContainerConfigError",
    "CreateContainerError",
    "PreCreateHookError",
    "PreStartHookError",
    "PostStartHookError",
    "RunContainerError",
    "OOMKilled",
    "Error",
    "Completed",
    "StartError",
    "ContainerCannotRun",
    "ContainerStatusUnknown",
];

/// Pod `status.reason` values (`pkg/kubelet/lifecycle/predicate.go`, eviction, node
/// shutdown, active deadline, node lifecycle).
const POD: &[&str] = &[
    "Evicted",
    "NodeLost",
    "NodeAffinity",
    "NodePorts",
    "TaintToleration",
    "NodeName",
    "UnexpectedAdmissionError",
    "SysctlForbidden",
    "Terminated",
    "Shutdown",
    "NodeShutdown",
    "DeadlineExceeded",
    "PodOSSelectorNodeLabelDoesNotMatch",
    "PodOSNotSupported",
    "InvalidNodeInfo",
    "UnexpectedPredicateFailureType",
    "InitContainerRestartPolicyForbidden",
];

/// Where a reason belongs (`OutOf<resource>` is a pod reason for any resource).
pub fn level(reason: &str) -> ReasonLevel {
    if CONTAINER.contains(&reason) {
        ReasonLevel::Container
    } else if POD.contains(&reason) || reason.starts_with("OutOf") {
        ReasonLevel::Pod
    } else {
        ReasonLevel::Event
    }
}

/// True for a terminated reason (the others of [`CONTAINER`] are waiting reasons).
pub fn is_terminated(reason: &str) -> bool {
    matches!(
        reason,
        "OOMKilled"
            | "Error"
            | "Completed"
            | "StartError"
            | "ContainerCannotRun"
            | "ContainerStatusUnknown"
    )
}

/// Statuses kubedoctor shows besides the reasons above: phases, kubectl's own words, and the
/// keys it adds (`NotReady`, `Restarting`, `RestartLoop`, `PodsNotCreated`).
const OTHER_STATUSES: &[&str] = &[
    "Pending",
    "Running",
    "Succeeded",
    "Failed",
    "Unknown",
    "Terminating",
    "NotReady",
    "SchedulingGated",
    "Restarting",
    "RestartLoop",
    "PodsNotCreated",
];

/// Every fixed status word kubedoctor may print or key on (patterns such as `Init:N/M`,
/// `ExitCode:N` and `OutOf<resource>` aside).
pub fn statuses() -> impl Iterator<Item = &'static str> {
    CONTAINER
        .iter()
        .chain(POD.iter())
        .chain(OTHER_STATUSES.iter())
        .copied()
}

/// The canonical spelling of a status typed in any case (`crashloopbackoff`,
/// `init:crashloopbackoff`, `exitcode:137`), when kubedoctor could print it.
pub fn canonical(status: &str) -> Option<String> {
    let lower = status.to_ascii_lowercase();
    if let Some(inner) = lower.strip_prefix("init:") {
        if inner
            .split_once('/')
            .is_some_and(|(a, b)| a.parse::<u32>().is_ok() && b.parse::<u32>().is_ok())
        {
            return Some(format!("Init:{inner}"));
        }
        return canonical(&status[5..]).map(|s| format!("Init:{s}"));
    }
    for (prefix, canonical_prefix) in [("exitcode:", "ExitCode:"), ("signal:", "Signal:")] {
        if let Some(n) = lower.strip_prefix(prefix) {
            return n
                .parse::<i64>()
                .ok()
                .map(|n| format!("{canonical_prefix}{n}"));
        }
    }
    if let Some(resource) = lower.strip_prefix("outof").filter(|r| !r.is_empty()) {
        return Some(format!("OutOf{resource}"));
    }
    statuses()
        .find(|s| s.eq_ignore_ascii_case(status))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_recognised_in_any_case() {
        assert_eq!(
            canonical("crashloopbackoff").as_deref(),
            Some("CrashLoopBackOff")
        );
        assert_eq!(canonical("EVICTED").as_deref(), Some("Evicted"));
        assert_eq!(
            canonical("init:crashloopbackoff").as_deref(),
            Some("Init:CrashLoopBackOff")
        );
        assert_eq!(canonical("Init:0/2").as_deref(), Some("Init:0/2"));
        assert_eq!(canonical("exitcode:137").as_deref(), Some("ExitCode:137"));
        assert_eq!(
            canonical("ContainerStatusUnknown").as_deref(),
            Some("ContainerStatusUnknown")
        );
        assert_eq!(canonical("NoSuchThing"), None);
    }
}
