//! The evidence bundle directory (see DESIGN.md): `pods.json`, `events.json`, `nodes.json`,
//! `replicasets.json`, `logs/NS/POD/CONTAINER[.previous].log`, `journal/NODE.log|json`,
//! `bundle.json`. Every file is optional except that some pods must be readable; what is
//! missing or unreadable becomes a note in the evidence, never a silent gap.

mod files;
mod tail;

pub use tail::{DEFAULT_TAIL_BYTES, read_tail};

use super::SourceError;
use super::objects::{convert, join, parse_items, parse_list_document, rollout};
use super::text::journal;
use crate::evidence::{Coverage, Evidence, LogExcerpt, LogLine, SourceInfo, SourceKind};
use files::{find_object_file, read_text};
use jiff::Timestamp;
use k8s_openapi::api::apps::v1::ReplicaSet;
use k8s_openapi::api::core::v1 as core;
use std::collections::HashMap;
use std::path::Path;

/// Reads a bundle directory into evidence.
pub fn read(dir: &Path) -> Result<Evidence, SourceError> {
    if !dir.is_dir() {
        return Err(SourceError::NotABundle {
            path: dir.to_path_buf(),
        });
    }
    let mut notes = Vec::new();
    let mut coverage = Coverage::default();

    let raw_pods: Vec<core::Pod> = read_objects(dir, "pods", "Pod", &mut notes).unwrap_or_default();
    let raw_nodes: Option<Vec<core::Node>> = read_objects(dir, "nodes", "Node", &mut notes);
    let raw_events: Option<Vec<core::Event>> = read_objects(dir, "events", "Event", &mut notes);
    // Optional files: their absence is not worth a note.
    let replicasets: Vec<ReplicaSet> =
        read_objects(dir, "replicasets", "ReplicaSet", &mut Vec::new()).unwrap_or_default();
    let claims: Vec<core::PersistentVolumeClaim> =
        read_objects(dir, "pvcs", "PersistentVolumeClaim", &mut Vec::new()).unwrap_or_default();
    coverage.nodes = raw_nodes.is_some();
    coverage.events = raw_events.is_some();

    if raw_pods.is_empty() {
        return Err(SourceError::Empty {
            path: dir.to_path_buf(),
            detail: if notes.is_empty() {
                "pods.json has no pods".to_string()
            } else {
                notes.join("; ")
            },
        });
    }

    let mut pods: Vec<_> = raw_pods
        .iter()
        .map(|p| crate::evidence::Pod {
            owner: join::direct_owner(p),
            ..convert::pod(p)
        })
        .collect();
    join::resolve_owners(&mut pods, &replicasets);
    join::attach_claims(&mut pods, claims.iter().map(convert::claim).collect());
    rollout::attach(&mut pods, &replicasets);
    let mut nodes: Vec<_> = raw_nodes.iter().flatten().map(convert::node).collect();
    let events: Vec<_> = raw_events.iter().flatten().map(convert::event).collect();
    let unmatched = join::attach_events(&mut pods, &mut nodes, events);
    let (mut placeholders, unmatched) = join::placeholder_pods(unmatched);
    join::resolve_owners(&mut placeholders, &replicasets);
    pods.extend(placeholders);
    if !unmatched.is_empty() {
        notes.push(format!(
            "{} events are about objects not in the bundle and were not used",
            unmatched.len()
        ));
    }

    coverage.logs = attach_logs(dir, &mut pods, &mut notes);
    coverage.journal = attach_journals(dir, &mut nodes, &mut notes);

    let meta = read_bundle_meta(dir, &mut notes);
    let observed_at = meta.captured_at.or_else(|| newest_time(&pods, &nodes));
    notes.extend(meta.notes);

    Ok(Evidence {
        pods,
        nodes,
        source: SourceInfo {
            kind: SourceKind::Bundle,
            location: dir.display().to_string(),
        },
        coverage,
        observed_at,
        notes,
    })
}

/// Reads `NAME.json|yaml|yml` as a list of `kind` objects. `None` when the file is absent
/// or unreadable (with a note); bad items become notes too.
fn read_objects<T: serde::de::DeserializeOwned>(
    dir: &Path,
    name: &str,
    kind: &str,
    notes: &mut Vec<String>,
) -> Option<Vec<T>> {
    let Some(path) = find_object_file(dir, name) else {
        notes.push(format!(
            "no {name}.json in the bundle: {name} were not used"
        ));
        return None;
    };
    let text = match read_text(&path) {
        Ok(t) => t,
        Err(e) => {
            notes.push(e.to_string());
            return None;
        }
    };
    let items = match parse_list_document(&text) {
        Ok(items) => items,
        Err(e) => {
            notes.push(format!("`{}` skipped: {e}", path.display()));
            return None;
        }
    };
    let api_version = if kind == "ReplicaSet" {
        "apps/v1"
    } else {
        "v1"
    };
    let (objects, bad) = parse_items(items, api_version, kind);
    for b in bad {
        notes.push(format!("`{}`: {kind} {b}; skipped", path.display()));
    }
    Some(objects)
}

/// Attaches `logs/NS/POD/CONTAINER[.previous].log` to containers. Returns whether a logs
/// directory existed.
fn attach_logs(dir: &Path, pods: &mut [crate::evidence::Pod], notes: &mut Vec<String>) -> bool {
    let logs_dir = dir.join("logs");
    if !logs_dir.is_dir() {
        return false;
    }
    let index: HashMap<(String, String), usize> = pods
        .iter()
        .enumerate()
        .map(|(i, p)| ((p.namespace.clone(), p.name.clone()), i))
        .collect();
    for (ns, pod, file) in files::log_files(&logs_dir, notes) {
        let Some(&i) = index.get(&(ns.clone(), pod.clone())) else {
            notes.push(format!(
                "logs of `{ns}/{pod}` found but the pod is not in pods.json"
            ));
            continue;
        };
        let fname = file
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default();
        let (container, previous) = match fname.strip_suffix(".previous.log") {
            Some(c) => (c.to_string(), true),
            None => (fname.trim_end_matches(".log").to_string(), false),
        };
        let p = &mut pods[i];
        let Some(c) = p
            .init_containers
            .iter_mut()
            .chain(p.containers.iter_mut())
            .find(|c| c.name == container)
        else {
            notes.push(format!(
                "log `{}` names container `{container}`, which `{ns}/{pod}` does not have",
                file.display()
            ));
            continue;
        };
        match read_tail(&file, DEFAULT_TAIL_BYTES) {
            Ok((text, skipped)) => {
                let excerpt = LogExcerpt {
                    lines: text
                        .lines()
                        .map(|l| LogLine {
                            text: l.trim_end_matches('\r').to_string(),
                        })
                        .collect(),
                    skipped_lines: skipped,
                };
                if skipped > 0 {
                    notes.push(format!(
                        "log `{}` is large: read its last {} KiB only",
                        file.display(),
                        DEFAULT_TAIL_BYTES / 1024
                    ));
                }
                if previous {
                    c.previous_logs = Some(excerpt);
                } else {
                    c.logs = Some(excerpt);
                }
            }
            Err(e) => notes.push(e.to_string()),
        }
    }
    true
}

/// Attaches `journal/NODE.log` (text) or `journal/NODE.json` (`journalctl -o json`).
fn attach_journals(
    dir: &Path,
    nodes: &mut Vec<crate::evidence::Node>,
    notes: &mut Vec<String>,
) -> bool {
    let jdir = dir.join("journal");
    if !jdir.is_dir() {
        return false;
    }
    for file in files::files_in(&jdir, notes) {
        let Some(stem) = file.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let (text, _) = match read_tail(&file, DEFAULT_TAIL_BYTES) {
            Ok(t) => t,
            Err(e) => {
                notes.push(e.to_string());
                continue;
            }
        };
        let entries = journal::parse(&text);
        match nodes.iter_mut().find(|n| n.name == stem) {
            Some(n) => n.journal.extend(entries),
            None => nodes.push(crate::evidence::Node {
                name: stem.to_string(),
                journal: entries,
                ..Default::default()
            }),
        }
    }
    true
}

#[derive(Default)]
struct BundleMeta {
    captured_at: Option<Timestamp>,
    notes: Vec<String>,
}

/// `bundle.json`: `captured_at` and `notes` (both optional).
fn read_bundle_meta(dir: &Path, notes: &mut Vec<String>) -> BundleMeta {
    let path = dir.join("bundle.json");
    if !path.exists() {
        return BundleMeta::default();
    }
    let text = match read_text(&path) {
        Ok(t) => t,
        Err(e) => {
            notes.push(e.to_string());
            return BundleMeta::default();
        }
    };
    let v: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            notes.push(format!("`{}` skipped: {e}", path.display()));
            return BundleMeta::default();
        }
    };
    BundleMeta {
        captured_at: v
            .get("captured_at")
            .and_then(|t| t.as_str())
            .and_then(|t| t.parse().ok()),
        notes: v
            .get("notes")
            .and_then(|n| n.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|n| n.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn newest_time(
    pods: &[crate::evidence::Pod],
    nodes: &[crate::evidence::Node],
) -> Option<Timestamp> {
    let events = pods
        .iter()
        .flat_map(|p| p.events.iter().chain(p.owner_events.iter()))
        .chain(nodes.iter().flat_map(|n| n.events.iter()))
        .filter_map(|e| e.last_seen);
    let created = pods.iter().filter_map(|p| p.created_at);
    events.chain(created).max()
}
