//! The evidence model: everything kubedoctor knows about a set of pods, in one shape.
//!
//! Every source (a bundle directory, a live cluster, pasted text) produces an [`Evidence`];
//! the status computation and the engine read only this. Nothing here does I/O, and nothing
//! here knows where a value came from, so a playbook never depends on its source.

mod container;
mod event;
mod log;
mod node;
mod pod;

pub use container::{Container, ContainerState, ContainerStatus, Probe, Resources};
pub use event::{Event, parse_age};
pub use log::{JournalEntry, LogExcerpt, LogLine};
pub use node::{Node, NodeCondition, Taint};
pub use pod::{Claim, Deletion, Owner, Pod, PodCondition, Rollout};

use jiff::Timestamp;
use serde::Serialize;

/// All evidence gathered in one run.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// Pods, in the order the source listed them.
    pub pods: Vec<Pod>,
    /// Nodes, looked up by name from pods.
    pub nodes: Vec<Node>,
    /// Where this evidence came from.
    pub source: SourceInfo,
    /// Which kinds of evidence the source had at all (a missing file is not "no events").
    pub coverage: Coverage,
    /// The moment the evidence describes: capture time, or the newest timestamp seen.
    pub observed_at: Option<Timestamp>,
    /// Things the reader skipped or could not read, to be shown in the report.
    pub notes: Vec<String>,
    /// Pasted text that is mostly not command output (prose, code, configuration): what it
    /// matched is shown, but at info.
    pub mostly_prose: bool,
}

/// Which evidence files or API calls a source had.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    pub events: bool,
    /// The whole node list (a node missing from it is missing from the cluster).
    pub nodes: bool,
    pub logs: bool,
    pub journal: bool,
}

/// What kind of source produced the evidence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Cluster,
    #[default]
    Bundle,
    Text,
}

/// A description of the source, for the report header.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SourceInfo {
    pub kind: SourceKind,
    /// A bundle directory, a file name, or a cluster URL.
    pub location: String,
}
