//! Pod controllers (ReplicaSets, StatefulSets, DaemonSets, Jobs, Deployments) as far as a
//! diagnosis needs them: how many pods they want and have. Their state decides whether
//! their Warning events stand for pods that could not be created.

/// One controller's replica counts; a count the source did not show is `None` (unknown).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Controller {
    pub namespace: String,
    /// The API kind (`ReplicaSet`).
    pub kind: String,
    pub name: String,
    /// Pods it wants (`spec.replicas`, DESIRED, the right side of READY `1/3`).
    pub desired: Option<i64>,
    /// Pods it has (`status.replicas`, CURRENT).
    pub current: Option<i64>,
    /// Pods ready (`status.readyReplicas`, READY).
    pub ready: Option<i64>,
    /// Its `ReplicaFailure` condition is True (pods could not be created).
    pub replica_failure: Option<bool>,
}
