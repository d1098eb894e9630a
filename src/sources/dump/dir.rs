//! The `--output-directory` form of `kubectl cluster-info dump`: `nodes.json`, and per
//! namespace a directory of Lists with a `POD/logs.txt` per pod. Each file is read with the
//! bundle reader's list reading ([`read_objects`]); a missing or broken file is a note for
//! its namespace, and the rest is used.

use super::split::{Piece, Splitter};
use super::{Dump, some_names};
use crate::sources::SourceError;
use crate::sources::bundle::{Absent, read_objects};
use crate::sources::objects::services;
use crate::sources::objects::{convert, json};
use crate::sources::read::DEFAULT_TAIL_BYTES;
use k8s_openapi::api::apps::v1::ReplicaSet;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The files of a namespace directory a diagnosis reads, and those it does not.
const READ: [&str; 4] = ["pods", "events", "replicasets", "services"];
const NOT_READ: [&str; 3] = ["deployments", "daemonsets", "replication-controllers"];

/// `NAME.json`, `.yaml` or `.yml` in `dir`.
fn has_file(dir: &Path, name: &str) -> bool {
    ["json", "yaml", "yml"]
        .iter()
        .any(|ext| dir.join(format!("{name}.{ext}")).is_file())
}

/// A namespace directory of a dump: it holds at least one of the Lists kubectl writes there.
fn is_namespace_dir(dir: &Path) -> bool {
    READ.iter().chain(NOT_READ.iter()).any(|n| has_file(dir, n))
}

/// The namespace directories of `dir`, sorted.
fn namespace_dirs(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir() && is_namespace_dir(p))
        .collect();
    out.sort();
    Ok(out)
}

/// A directory written by `kubectl cluster-info dump --output-directory`: no `pods.json` of
/// its own (that is a bundle) and a namespace directory of Lists.
pub fn is_dump_dir(dir: &Path) -> bool {
    dir.is_dir() && !has_file(dir, "pods") && namespace_dirs(dir).is_ok_and(|d| !d.is_empty())
}

/// Reads a dump directory into evidence.
pub fn read_dir(dir: &Path) -> Result<crate::evidence::Evidence, SourceError> {
    let io = |source| SourceError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let namespaces = namespace_dirs(dir).map_err(io)?;
    let mut dump = Dump::default();
    dump.nodes = read_objects(
        dir,
        "nodes",
        "Node",
        Absent::Fine,
        &mut dump.notes,
        json(convert::node),
    );
    if dump.nodes.is_none() && !has_file(dir, "nodes") {
        dump.notes.push(format!(
            "`{}` has no nodes.json: nodes were not used",
            dir.display()
        ));
    }
    // Namespaces missing a file, by file: one note each, however many namespaces.
    let mut missing: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for ns_dir in &namespaces {
        let ns = ns_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for name in READ {
            if !has_file(ns_dir, name) {
                missing.entry(name).or_default().push(ns.clone());
            }
        }
        read_namespace(&mut dump, ns_dir, &ns);
        dump.namespaces.insert(ns);
    }
    dump.namespace_count = namespaces.len();
    for (name, namespaces) in missing {
        dump.notes.push(format!(
            "`{}`: no {name}.json in {} ({}): their {name} are not in the evidence",
            dir.display(),
            crate::words::count(namespaces.len() as u64, "namespace", "namespaces"),
            some_names(namespaces.iter().map(String::as_str)),
        ));
    }
    dump.finish(dir)
}

/// One namespace directory: its Lists and its pods' logs.
fn read_namespace(dump: &mut Dump, ns_dir: &Path, ns: &str) {
    let before = dump.notes.len();
    let pods = read_objects(
        ns_dir,
        "pods",
        "Pod",
        Absent::Fine,
        &mut dump.notes,
        json(convert::pod),
    );
    if pods.is_some() && dump.notes.len() == before {
        dump.pods_listed.add(ns);
    }
    dump.pods.extend(pods.into_iter().flatten());
    if let Some(events) = read_objects(
        ns_dir,
        "events",
        "Event",
        Absent::Fine,
        &mut dump.notes,
        convert::decode_event,
    ) {
        dump.events.extend(events);
        dump.events_read = true;
    }
    let replicasets = read_objects(
        ns_dir,
        "replicasets",
        "ReplicaSet",
        Absent::Fine,
        &mut dump.notes,
        json(|rs: ReplicaSet| rs),
    );
    dump.replicasets.extend(replicasets.into_iter().flatten());
    let before = dump.notes.len();
    let svcs = read_objects(
        ns_dir,
        "services",
        "Service",
        Absent::Fine,
        &mut dump.notes,
        json(services::service),
    );
    if svcs.is_some() && dump.notes.len() == before {
        dump.services_listed.add(ns);
    }
    dump.services.extend(svcs.into_iter().flatten());
    read_pod_logs(dump, ns_dir);
}

/// `POD/logs.txt` of every pod directory.
fn read_pod_logs(dump: &mut Dump, ns_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(ns_dir) else {
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path().join("logs.txt"))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    for file in files {
        let location = file.display().to_string();
        let reader = match std::fs::File::open(&file) {
            Ok(f) => std::io::BufReader::new(f),
            Err(source) => {
                let e = SourceError::Io {
                    path: file.clone(),
                    source,
                };
                dump.notes.push(e.one_line());
                continue;
            }
        };
        for piece in Splitter::new(reader, DEFAULT_TAIL_BYTES) {
            match piece {
                Ok(Piece::Log(block)) => dump.add_log(&location, block),
                // Text outside the blocks is not a container's log.
                Ok(_) => {}
                Err(e) => {
                    dump.notes.push(format!(
                        "`{location}`: reading stopped: {e}; the logs before were read"
                    ));
                    break;
                }
            }
        }
    }
}
