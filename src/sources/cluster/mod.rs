//! A live cluster through the Kubernetes API (kube), read-only: one paginated LIST each for
//! pods, events, nodes, Services, EndpointSlices (core/v1 Endpoints when the cluster answers
//! 404 for slices) and ServiceAccounts in the scope, one of the cluster DNS and kube-proxy
//! pods in `kube-system` unless the pod list holds them (ReplicaSets, Jobs and
//! PersistentVolumeClaims only when an unhealthy pod uses them), then the logs of unhealthy
//! containers that need them (current,
//! and previous when restarted; bounded by tail lines and bytes, `--concurrency` at a time),
//! and a second round for the current logs of healthy pods the lists show to be clients of a
//! broken Service ([`fetch_current_logs`], decided by the command layer),
//! then the kubelet journal of the nodes hosting unhealthy pods through the node log query
//! API. Never one call per pod for events (a targeted run lists only the events its
//! targets' diagnosis reads: [`events`]); only GET requests. Everything lands in a
//! [`Gathered`], the same as a bundle directory gives.
//!
//! A failed call becomes a note (a 403 names the missing permission); 429 and 5xx are
//! retried with bounded backoff; every call has a timeout. Only an unreachable cluster,
//! rejected credentials or a pod list that cannot be read stop the run ([`ClusterError`]).

mod call;
mod config_error;
mod connect;
mod events;
mod fetch;
mod gather;
mod jobs;
mod list;
mod lookup;
mod more_logs;
mod namespaces;
mod overrides;
mod plan;
mod queries;
mod targets;

pub use connect::{ConnectOptions, Connection, connect};
pub use gather::{gather, server_version, sort_logs};
pub use lookup::{LookedUp, look_up_services};
pub use more_logs::{CurrentLog, fetch_current_logs};
pub use namespaces::namespaces;
pub use overrides::Overrides;
pub use plan::{GatherSpec, Plan, Progress};
pub use targets::Target;

/// Why the cluster could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("cannot load the cluster configuration ({tried}): {detail}\n  check: {hint}")]
    Config {
        tried: String,
        detail: String,
        hint: &'static str,
    },
    #[error(
        "cannot reach the cluster at {server} (context `{context}`): {detail}\n  check: {hint}"
    )]
    Unreachable {
        server: String,
        context: String,
        detail: String,
        hint: &'static str,
    },
    #[error(
        "the cluster at {server} (context `{context}`) refused the request to {what}: {detail}\n  check: {hint}"
    )]
    Refused {
        server: String,
        context: String,
        what: String,
        detail: String,
        hint: String,
    },
    #[error("{0}")]
    Target(String),
}
