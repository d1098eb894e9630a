//! `kubectl cluster-info dump`, read as evidence. Either form kubectl writes:
//!
//! - `--output-directory DIR` ([`read_dir`]): `nodes.json` at the top, and per namespace a
//!   directory with `events.json`, `pods.json`, `replicasets.json`, `services.json`,
//!   `deployments.json`, `daemonsets.json`, `replication-controllers.json` (`.yaml` with
//!   `-o yaml`) and `POD/logs.txt`: the current log of each of the pod's containers, init
//!   containers first, each between `==== START logs for container C of pod NS/P ====` and
//!   `==== END logs for container C of pod NS/P ====` lines;
//! - what it prints to stdout ([`read_stream`]): the same Lists as JSON documents one after
//!   another (the nodes, then per namespace events, replication controllers, services,
//!   daemon sets, deployments, replica sets, pods), each namespace's pods followed by their
//!   log blocks. It is recognised by its shape ([`looks_like_stream`]: a first document that
//!   is a `NodeList`), and read a document at a time ([`split`]), never cut to a tail.
//!
//! Nodes, events, pods, ReplicaSets, Services and logs are decoded and joined exactly as a
//! bundle's ([`Gathered::into_evidence`]); Deployments, DaemonSets and ReplicationControllers
//! are not read (a diagnosis reads pods' owners through ReplicaSets). What a dump never holds
//! is a note: previous logs, kubelet journals, PersistentVolumeClaims, Jobs, EndpointSlices,
//! ServiceAccounts, and any namespace it was not given.

mod dir;
mod split;
mod stream;

pub use dir::{is_dump_dir, read_dir};
pub use split::{LogBlock, Piece, Splitter};
pub use stream::{Sniffed, looks_like_stream, read_stream, sniff};

use super::SourceError;
use super::objects::convert::InvolvedObject;
use super::raw::{Gathered, GatheredEvents, LogText};
use super::read::DEFAULT_TAIL_BYTES;
use crate::evidence::{Event, Evidence, Listed, Node, Pod, Service, SourceInfo, SourceKind};
use k8s_openapi::api::apps::v1::ReplicaSet;
use std::collections::BTreeSet;

/// What a dump holds, gathered piece by piece by either reader.
#[derive(Default)]
struct Dump {
    pods: Vec<Pod>,
    events: Vec<(Event, InvolvedObject)>,
    events_read: bool,
    nodes: Option<Vec<Node>>,
    replicasets: Vec<ReplicaSet>,
    services: Vec<Service>,
    /// The namespaces the dump covers (by name where it shows them).
    namespaces: BTreeSet<String>,
    /// How many namespaces it covers (the stream form shows no name for an empty one).
    namespace_count: usize,
    pods_listed: Listed,
    services_listed: Listed,
    logs: Vec<LogText>,
    /// Containers whose log kubectl could not fetch (`Request log error: ...`).
    logs_failed: usize,
    notes: Vec<String>,
}

/// The first line of a log block that holds only kubectl's own failure to fetch the log.
const LOG_ERRORS: [&str; 2] = ["Request log error: ", "Create log request error: "];

/// Names listed in a note at most (a dump may cover thousands of namespaces).
const NAMES_IN_A_NOTE: usize = 5;

/// `a, b, c and 7 more`.
fn some_names<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    let shown = names[..names.len().min(NAMES_IN_A_NOTE)].join(", ");
    match names.len().saturating_sub(NAMES_IN_A_NOTE) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

impl Dump {
    /// One container's log block: kept as its current log unless it is kubectl's message
    /// that the log could not be fetched.
    fn add_log(&mut self, location: &str, block: LogBlock) {
        let only_line = block.text.trim_end_matches(['\n', '\r']);
        if !only_line.contains('\n') && LOG_ERRORS.iter().any(|e| only_line.starts_with(e)) {
            self.logs_failed += 1;
            return;
        }
        if !block.ended {
            self.notes.push(format!(
                "`{location}`: the log of container `{}` of `{}/{}` has no END line (cut off?): what is there was read",
                block.container, block.namespace, block.pod
            ));
        }
        if block.skipped_bytes > 0 {
            self.notes.push(format!(
                "`{location}`: the log of container `{}` of `{}/{}` is large: read its last {} KiB only",
                block.container,
                block.namespace,
                block.pod,
                DEFAULT_TAIL_BYTES / 1024
            ));
        }
        self.logs.push(LogText {
            namespace: block.namespace,
            pod: block.pod,
            container: block.container,
            previous: false,
            text: block.text,
            skipped_bytes: block.skipped_bytes,
        });
    }

    /// Joins what was read into evidence, with notes on what a dump lacks.
    fn finish(mut self, path: &std::path::Path) -> Result<Evidence, SourceError> {
        let location = path.display().to_string();
        if self.pods.is_empty() {
            let detail = if self.notes.is_empty() {
                format!(
                    "the dump covers {} and holds no pods",
                    crate::words::count(self.namespace_count as u64, "namespace", "namespaces")
                )
            } else {
                self.notes.join("; ")
            };
            return Err(SourceError::Empty {
                path: path.to_path_buf(),
                detail,
            });
        }
        let mut notes = vec![format!(
            "`{location}` is a `kubectl cluster-info dump`: it holds no previous logs, kubelet journals, \
             PersistentVolumeClaims, Jobs, EndpointSlices or ServiceAccounts, so what needs them is unknown"
        )];
        let named = some_names(self.namespaces.iter().map(String::as_str));
        let count = self.namespace_count.max(self.namespaces.len());
        notes.push(format!(
            "the dump covers only the namespaces it was given: {}{}",
            crate::words::count(count as u64, "namespace", "namespaces"),
            if named.is_empty() {
                String::new()
            } else {
                format!(" ({named})")
            }
        ));
        if self.logs_failed > 0 {
            notes.push(format!(
                "kubectl could not fetch the logs of {} when it dumped (its message is in the dump): they have none here",
                crate::words::count(self.logs_failed as u64, "container", "containers")
            ));
        }
        notes.append(&mut self.notes);
        let gathered = Gathered {
            pods: self.pods,
            events: self
                .events_read
                .then_some(GatheredEvents::Listed(self.events)),
            nodes: self.nodes,
            replicasets: Some(self.replicasets),
            pvcs: None,
            services: self.services,
            services_listed: self.services_listed,
            pods_listed: self.pods_listed,
            logs: self.logs,
            logs_gathered: true,
            notes,
            ..Gathered::default()
        };
        Ok(gathered.into_evidence(SourceInfo {
            kind: SourceKind::Bundle,
            location,
        }))
    }
}
