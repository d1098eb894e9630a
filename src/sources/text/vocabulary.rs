//! The API's vocabulary of reasons: which words are a container state's reason
//! (`containerStatuses[].state.waiting|terminated.reason`, set by the kubelet and the
//! runtime) and which are a pod's `status.reason` (set by the kubelet's admission, eviction
//! and shutdown managers). Text that shows a reason with its message (`CrashLoopBackOff
//! (back-off 5m0s ...)`) is read as the state or status it names; any other CamelCase word is
//! an event reason.

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
