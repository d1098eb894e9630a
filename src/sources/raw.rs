//! The raw evidence every object source fills: Kubernetes objects as the API returns them,
//! log texts and journal texts. A bundle directory is read into it, a live cluster is
//! listed into it, `capture` writes it out; one conversion ([`RawBundle::into_evidence`])
//! turns it into evidence, so a live run and a run on its captured bundle agree.

use super::objects::{convert, join, rollout};
use super::text::journal;
use crate::evidence::{Coverage, Evidence, LogExcerpt, LogLine, SourceInfo};
use jiff::Timestamp;
use k8s_openapi::api::apps::v1::ReplicaSet;
use k8s_openapi::api::core::v1 as core;
use std::collections::HashMap;

/// One container log text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogText {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    pub previous: bool,
    pub text: String,
    /// Bytes before the kept tail that were not read.
    pub skipped_bytes: u64,
}

/// Everything an object source gathered. `None` lists were not available (a missing file,
/// a forbidden API call), which is not the same as empty.
#[derive(Debug, Clone, Default)]
pub struct RawBundle {
    pub pods: Vec<core::Pod>,
    pub events: Option<Vec<core::Event>>,
    pub nodes: Option<Vec<core::Node>>,
    pub replicasets: Option<Vec<ReplicaSet>>,
    pub pvcs: Option<Vec<core::PersistentVolumeClaim>>,
    pub logs: Vec<LogText>,
    /// Logs were gathered at all.
    pub logs_gathered: bool,
    /// Kubelet journal texts by node (`journalctl` output).
    pub journals: Vec<(String, String)>,
    pub captured_at: Option<Timestamp>,
    pub notes: Vec<String>,
}

impl RawBundle {
    /// Converts and joins everything into evidence.
    pub fn into_evidence(self, source: SourceInfo) -> Evidence {
        let mut notes = self.notes;
        let replicasets = self.replicasets.unwrap_or_default();
        let mut pods: Vec<_> = self
            .pods
            .into_iter()
            .map(|p| crate::evidence::Pod {
                owner: join::direct_owner(&p),
                ..convert::pod(&p)
            })
            .collect();
        join::resolve_owners(&mut pods, &replicasets);
        join::attach_claims(
            &mut pods,
            self.pvcs.iter().flatten().map(convert::claim).collect(),
        );
        rollout::attach(&mut pods, &replicasets);
        let have_events = self.events.is_some();
        let have_nodes = self.nodes.is_some();
        let mut nodes: Vec<_> = self.nodes.iter().flatten().map(convert::node).collect();
        // Each event is freed as soon as it is converted: no second copy of a large list.
        let events: Vec<_> = self
            .events
            .into_iter()
            .flatten()
            .map(|e| convert::event(&e))
            .collect();
        let (mut object_events, unmatched) = join::attach_events(&mut pods, &mut nodes, events);
        let (mut placeholders, unmatched) = join::placeholder_pods(unmatched, &mut object_events);
        join::resolve_owners(&mut placeholders, &replicasets);
        pods.extend(placeholders);
        if !unmatched.is_empty() {
            notes.push(format!(
                "{} not in the evidence and were not used",
                crate::words::count(
                    unmatched.len() as u64,
                    "event is about an object",
                    "events are about objects"
                )
            ));
        }
        attach_logs(&mut pods, self.logs, &mut notes);
        let have_journal = !self.journals.is_empty();
        for (node, text) in self.journals {
            let entries = journal::parse(&text);
            match nodes.iter_mut().find(|n| n.name == node) {
                Some(n) => n.journal.extend(entries),
                None => nodes.push(crate::evidence::Node {
                    name: node,
                    journal: entries,
                    ..Default::default()
                }),
            }
        }
        let observed_at = self
            .captured_at
            .or_else(|| newest_time(&pods, &nodes, &object_events));
        Evidence {
            coverage: Coverage {
                events: have_events,
                nodes: have_nodes,
                logs: self.logs_gathered,
                journal: have_journal,
            },
            pods,
            nodes,
            object_events,
            source,
            observed_at,
            notes,
            mostly_prose: false,
        }
    }
}

fn attach_logs(pods: &mut [crate::evidence::Pod], logs: Vec<LogText>, notes: &mut Vec<String>) {
    let index: HashMap<(String, String), usize> = pods
        .iter()
        .enumerate()
        .map(|(i, p)| ((p.namespace.clone(), p.name.clone()), i))
        .collect();
    for log in logs {
        let Some(&i) = index.get(&(log.namespace.clone(), log.pod.clone())) else {
            notes.push(format!(
                "logs of `{}/{}` found but the pod is not in the evidence",
                log.namespace, log.pod
            ));
            continue;
        };
        let p = &mut pods[i];
        let Some(c) = p
            .init_containers
            .iter_mut()
            .chain(p.containers.iter_mut())
            .find(|c| c.name == log.container)
        else {
            notes.push(format!(
                "a log names container `{}`, which `{}/{}` does not have",
                log.container, log.namespace, log.pod
            ));
            continue;
        };
        let excerpt = LogExcerpt {
            lines: log
                .text
                .lines()
                .map(|l| LogLine {
                    text: l.trim_end_matches('\r').to_string(),
                })
                .collect(),
            skipped_lines: log.skipped_bytes,
        };
        if log.previous {
            c.previous_logs = Some(excerpt);
        } else {
            c.logs = Some(excerpt);
        }
    }
}

fn newest_time(
    pods: &[crate::evidence::Pod],
    nodes: &[crate::evidence::Node],
    objects: &crate::evidence::ObjectEvents,
) -> Option<Timestamp> {
    let events = pods
        .iter()
        .flat_map(|p| p.events.iter())
        .chain(objects.all())
        .chain(nodes.iter().flat_map(|n| n.events.iter()))
        .filter_map(|e| e.last_seen);
    let created = pods.iter().filter_map(|p| p.created_at);
    events.chain(created).max()
}
