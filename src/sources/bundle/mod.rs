//! The evidence bundle directory (docs/ARCHITECTURE.md, "Bundle format"): `pods.json`, `events.json`, `nodes.json`,
//! `replicasets.json`, `jobs.json`, `pvcs.json`, `services.json`, `endpointslices.json` (or
//! `endpoints.json`), `serviceaccounts.json`, `system-pods.json`,
//! `logs/NS/POD/CONTAINER[.previous].log`, `journal/NODE.log|json`, `bundle.json` (whose
//! `scope` says which namespaces the lists cover). [`load`] reads it into a [`Gathered`];
//! [`write`](write::write) writes one (for `capture`). Every file is optional except that
//! some pods must be readable; what is missing or unreadable becomes a note, never a gap.

mod files;
mod scope;
pub mod write;

use super::read::{DEFAULT_TAIL_BYTES, read_tail};

use super::SourceError;
use super::objects::join;
use super::objects::services::{self, ServiceEndpoints};
use super::objects::{convert, decode_items, jobs, json, parse_list_with, stream};
use super::raw::{Gathered, GatheredEvents, LogText};
use crate::evidence::{Evidence, Listed, Service, ServiceAccount, SourceInfo, SourceKind};
use files::{find_object_file, read_text};
use jiff::Timestamp;
use k8s_openapi::api::apps::v1::ReplicaSet;
use std::path::Path;

/// Reads a bundle directory into evidence.
pub fn read(dir: &Path) -> Result<Evidence, SourceError> {
    let raw = load(dir)?;
    Ok(raw.into_evidence(SourceInfo {
        kind: SourceKind::Bundle,
        location: dir.display().to_string(),
    }))
}

/// Reads a bundle directory's files.
pub fn load(dir: &Path) -> Result<Gathered, SourceError> {
    if !dir.is_dir() {
        return Err(SourceError::NotABundle {
            path: dir.to_path_buf(),
        });
    }
    // Logs and journals (many small files) are read on a thread of their own meanwhile.
    std::thread::scope(|s| {
        let side = s.spawn(|| {
            let mut notes = Vec::new();
            let logs = read_logs(dir, &mut notes);
            let journals = read_journals(dir, &mut notes);
            (logs, journals, notes)
        });
        let objects = read_object_files(dir);
        let ((logs, logs_gathered), journals, side_notes) =
            side.join().expect("the log-reading thread panicked");
        let ObjectFiles {
            pods,
            pods_whole,
            events,
            nodes,
            replicasets,
            jobs,
            pvcs,
            services: service_files,
            mut notes,
        } = objects?;
        notes.extend(side_notes);
        let meta = read_bundle_meta(dir, &mut notes);
        notes.extend(meta.notes);
        let scope = meta
            .scope
            .as_deref()
            .map(|s| scope::parse(s, &pods))
            .unwrap_or_default();
        let covered = |whole: bool| {
            if whole {
                scope.namespaces.clone()
            } else {
                Listed::default()
            }
        };
        Ok(Gathered {
            pods_listed: covered(pods_whole && scope.pods_complete),
            services_listed: covered(service_files.services_whole),
            services: service_files.services.unwrap_or_default(),
            endpoints_listed: covered(service_files.endpoints_whole),
            endpoints: service_files.endpoints.unwrap_or_default(),
            service_accounts_listed: covered(service_files.service_accounts_whole),
            service_accounts: service_files.service_accounts.unwrap_or_default(),
            system_pods: service_files.system_pods.unwrap_or_default(),
            // A live run's lookups of other namespaces' Services are not kept in a bundle.
            services_elsewhere: Vec::new(),
            services_absent: Vec::new(),
            pods,
            events,
            nodes,
            replicasets,
            jobs,
            pvcs,
            logs,
            logs_gathered,
            journals,
            captured_at: meta.captured_at,
            notes,
            api_objects: None,
        })
    })
}

/// What the object files hold (`None`: the file was absent or unreadable), and notes on
/// what was skipped.
struct ObjectFiles {
    pods: Vec<crate::evidence::Pod>,
    /// Every item of `pods.json` was read.
    pods_whole: bool,
    events: Option<GatheredEvents>,
    nodes: Option<Vec<crate::evidence::Node>>,
    replicasets: Option<Vec<ReplicaSet>>,
    jobs: Option<Vec<crate::evidence::Job>>,
    pvcs: Option<Vec<(String, crate::evidence::Claim)>>,
    services: ServiceFiles,
    notes: Vec<String>,
}

/// What the Service files hold (`None`: absent or unreadable), and whether each was read
/// whole (present, readable, no item skipped): only then does it list its scope completely.
#[derive(Debug, Default)]
struct ServiceFiles {
    services: Option<Vec<Service>>,
    services_whole: bool,
    /// From `endpointslices.json`, or from `endpoints.json` when there are no slices.
    endpoints: Option<Vec<ServiceEndpoints>>,
    endpoints_whole: bool,
    service_accounts: Option<Vec<ServiceAccount>>,
    service_accounts_whole: bool,
    system_pods: Option<Vec<crate::evidence::Pod>>,
}

/// Reads the optional Service files: `services.json`, `endpointslices.json` (or, when it
/// is absent, unreadable or empty, `endpoints.json`), `serviceaccounts.json` and
/// `system-pods.json`.
fn read_service_files(dir: &Path, notes: &mut Vec<String>) -> ServiceFiles {
    let (services, services_whole) =
        read_whole(dir, "services", "Service", notes, json(services::service));
    let (slices, slices_whole) = read_whole(
        dir,
        "endpointslices",
        "EndpointSlice",
        notes,
        json(services::endpoint_slice),
    );
    let (endpoints, endpoints_whole) = match slices {
        Some(slices) if !slices.is_empty() => (Some(slices), slices_whole),
        slices => {
            // Endpoints objects stand in for slices only where there are none at all.
            match read_whole(
                dir,
                "endpoints",
                "Endpoints",
                notes,
                json(services::endpoints),
            ) {
                (Some(endpoints), whole) => (Some(endpoints), whole),
                // A broken Endpoints file beside an empty slice list: unknown.
                (None, _) if find_object_file(dir, "endpoints").is_some() => (None, false),
                (None, _) => (slices, slices_whole),
            }
        }
    };
    let (service_accounts, service_accounts_whole) = read_whole(
        dir,
        "serviceaccounts",
        "ServiceAccount",
        notes,
        json(services::service_account),
    );
    let system_pods = read_objects(
        dir,
        "system-pods",
        "Pod",
        Absent::Fine,
        notes,
        json(convert::pod),
    );
    ServiceFiles {
        services,
        services_whole,
        endpoints: endpoints.map(|e| e.into_iter().flatten().collect()),
        endpoints_whole,
        service_accounts,
        service_accounts_whole,
        system_pods,
    }
}

/// An optional object file, and whether it was read whole (no item skipped).
fn read_whole<U: Send>(
    dir: &Path,
    name: &str,
    kind: &str,
    notes: &mut Vec<String>,
    decode: impl Fn(&str) -> serde_json::Result<U> + Sync,
) -> (Option<Vec<U>>, bool) {
    let before = notes.len();
    let objects = read_objects(dir, name, kind, Absent::Fine, notes, decode);
    let whole = objects.is_some() && notes.len() == before;
    (objects, whole)
}

/// Reads the object files. An error when no pod can be read.
fn read_object_files(dir: &Path) -> Result<ObjectFiles, SourceError> {
    // One file at a time, each split over the cores as it is decoded (see
    // `parse_list_with`): the largest file's text is the only one held at once.
    let mut notes = Vec::new();
    let mut pods = read_objects(
        dir,
        "pods",
        "Pod",
        Absent::Note,
        &mut notes,
        json(convert::pod),
    )
    .unwrap_or_default();
    let pods_whole = notes.is_empty();
    let mut nodes = read_objects(
        dir,
        "nodes",
        "Node",
        Absent::Note,
        &mut notes,
        json(convert::node),
    );
    // Optional files: their absence is not worth a note, a broken one is.
    let replicasets = read_objects(
        dir,
        "replicasets",
        "ReplicaSet",
        Absent::Fine,
        &mut notes,
        json(|rs: ReplicaSet| rs),
    );
    // A bundle captured before Jobs were written has none: their runs are unknown.
    let jobs = read_objects(
        dir,
        "jobs",
        "Job",
        Absent::Fine,
        &mut notes,
        json(jobs::job),
    );
    let pvcs = read_objects(
        dir,
        "pvcs",
        "PersistentVolumeClaim",
        Absent::Fine,
        &mut notes,
        json(convert::claim),
    );
    let services = read_service_files(dir, &mut notes);
    // Events, the largest list, are joined to the pods as they are decoded: owners first
    // (a Deployment's events concern its pods), then each batch routed and dropped.
    join::resolve_owners(
        &mut pods,
        replicasets.as_deref().unwrap_or_default(),
        jobs.as_deref().unwrap_or_default(),
    );
    let mut no_nodes = Vec::new();
    let node_list = nodes.as_mut().unwrap_or(&mut no_nodes);
    // The decoding threads find where each event goes while it still borrows the list's
    // text; this thread only places them.
    let index = join::EventIndex::new(&pods, node_list);
    let mut join = join::EventJoin::default();
    let have_events = read_objects_each(
        dir,
        "events",
        "Event",
        Absent::Note,
        &mut notes,
        |text| {
            serde_json::from_str(text).map(|e| {
                let (event, involved) = convert::event_of(e);
                (event, index.target(involved))
            })
        },
        |batch| {
            for (event, to) in batch {
                join.place(&mut pods, node_list, event, to);
            }
        },
    );
    let (objects, unmatched) = join.finish(&mut pods, node_list);
    let events = have_events.then_some(GatheredEvents::Joined { objects, unmatched });
    if pods.is_empty() {
        return Err(SourceError::Empty {
            path: dir.to_path_buf(),
            detail: if notes.is_empty() {
                "pods.json has no pods".to_string()
            } else {
                notes.join("; ")
            },
        });
    }
    Ok(ObjectFiles {
        pods,
        pods_whole,
        events,
        nodes,
        replicasets,
        jobs,
        pvcs,
        services,
        notes,
    })
}

/// Whether a missing object file is worth a note.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Absent {
    Note,
    Fine,
}

/// Reads `NAME.json|yaml|yml` as a list of `kind` objects. `None` when the file is absent
/// (with a note unless it is optional) or unreadable (always with a note); bad items become
/// notes too. (The dump reader reads each namespace's files with it.)
pub(crate) fn read_objects<U: Send>(
    dir: &Path,
    name: &str,
    kind: &str,
    absent: Absent,
    notes: &mut Vec<String>,
    decode: impl Fn(&str) -> serde_json::Result<U> + Sync,
) -> Option<Vec<U>> {
    let mut all = Vec::new();
    read_objects_each(dir, name, kind, absent, notes, decode, |batch| {
        all.extend(batch)
    })
    .then_some(all)
}

/// Reads `NAME.json|yaml|yml` like [`read_objects`], handing the converted objects to
/// `each` a batch at a time (a large file streams: no list of all its objects is built).
/// False when the file is absent or unreadable.
fn read_objects_each<U: Send>(
    dir: &Path,
    name: &str,
    kind: &str,
    absent: Absent,
    notes: &mut Vec<String>,
    decode: impl Fn(&str) -> serde_json::Result<U> + Sync,
    mut each: impl FnMut(Vec<U>),
) -> bool {
    let Some(path) = find_object_file(dir, name) else {
        if absent == Absent::Note {
            notes.push(format!(
                "no {name}.json in the bundle: {name} were not used"
            ));
        }
        return false;
    };
    let note_bad = |notes: &mut Vec<String>, bad: Vec<String>| {
        for b in bad {
            notes.push(format!("`{}`: {kind} {b}; skipped", path.display()));
        }
    };
    if let Some(bad) = stream_list(&path, STREAM_FROM_BYTES, &decode, &mut each) {
        note_bad(notes, bad);
        return true;
    }
    let text = match read_text(&path) {
        Ok(t) => t,
        Err(e) => {
            notes.push(e.one_line());
            return false;
        }
    };
    let api_version = match kind {
        "ReplicaSet" => "apps/v1",
        "EndpointSlice" => "discovery.k8s.io/v1",
        _ => "v1",
    };
    match parse_list_with(&text, api_version, kind, decode) {
        Ok((objects, bad)) => {
            each(objects);
            note_bad(notes, bad);
            true
        }
        Err(e) => {
            notes.push(format!("`{}` skipped: {e}", path.display()));
            false
        }
    }
}

/// Files from this size on are read as a stream of items, not as one text.
const STREAM_FROM_BYTES: u64 = 32 * 1024 * 1024;

/// A JSON List of at least `min_bytes` read in blocks (see
/// [`stream`](crate::sources::objects::stream)), each block's items decoded and converted as
/// they come. `None` when the file is smaller, not a plain UTF-8 JSON List (in UTF-16 no
/// `items` key is found), or malformed: the caller reads it whole and says what is wrong.
fn stream_list<U: Send>(
    path: &Path,
    min_bytes: u64,
    decode: &(impl Fn(&str) -> serde_json::Result<U> + Sync),
    each: &mut impl FnMut(Vec<U>),
) -> Option<Vec<String>> {
    use std::io::Read as _;
    let mut file = std::fs::File::open(path).ok()?;
    if file.metadata().ok()?.len() < min_bytes {
        return None;
    }
    let mut head = [0u8; 64];
    let n = file.read(&mut head).ok()?;
    if head[..n].iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return None;
    }
    let reader = std::io::Read::chain(&head[..n], file);
    let mut bad = Vec::new();
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let ended = stream::for_each_batch(
        reader,
        stream::BLOCK,
        workers,
        |items, first| decode_items(items, first, decode),
        |(ok, b)| {
            bad.extend(b);
            each(ok);
        },
    );
    match ended {
        Ok(stream::Ended::NotAList) => None,
        Ok(stream::Ended::Complete) => Some(bad),
        Ok(stream::Ended::Truncated) => {
            bad.push("the file ends inside its list (cut off?): its last item was lost".into());
            Some(bad)
        }
        Err(e) => {
            bad.push(format!("reading stopped: {e}"));
            Some(bad)
        }
    }
}

/// `logs/NS/POD/CONTAINER[.previous].log`, each read as a bounded tail.
fn read_logs(dir: &Path, notes: &mut Vec<String>) -> (Vec<LogText>, bool) {
    let logs_dir = dir.join("logs");
    if !logs_dir.is_dir() {
        return (Vec::new(), false);
    }
    let mut out = Vec::new();
    for (namespace, pod, file) in files::log_files(&logs_dir, notes) {
        let fname = file
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default();
        let (container, previous) = match fname.strip_suffix(".previous.log") {
            Some(c) => (c.to_string(), true),
            None => (fname.trim_end_matches(".log").to_string(), false),
        };
        match read_tail(&file, DEFAULT_TAIL_BYTES) {
            Ok((text, skipped_bytes)) => {
                if skipped_bytes > 0 {
                    notes.push(format!(
                        "log `{}` is large: read its last {} KiB only",
                        file.display(),
                        DEFAULT_TAIL_BYTES / 1024
                    ));
                }
                out.push(LogText {
                    namespace,
                    pod,
                    container,
                    previous,
                    text,
                    skipped_bytes,
                });
            }
            Err(e) => notes.push(e.one_line()),
        }
    }
    (out, true)
}

/// `journal/NODE.log` (text) or `journal/NODE.json` (`journalctl -o json`).
fn read_journals(dir: &Path, notes: &mut Vec<String>) -> Vec<(String, String)> {
    let jdir = dir.join("journal");
    if !jdir.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for file in files::files_in(&jdir, notes) {
        let Some(stem) = file.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        match read_tail(&file, DEFAULT_TAIL_BYTES) {
            Ok((text, skipped)) => {
                if skipped > 0 {
                    notes.push(format!(
                        "journal `{}` is large: read its last {} KiB only ({} MB skipped)",
                        file.display(),
                        DEFAULT_TAIL_BYTES / 1024,
                        skipped / 1_000_000
                    ));
                }
                out.push((stem.to_string(), text))
            }
            Err(e) => notes.push(e.one_line()),
        }
    }
    out
}

#[derive(Default)]
struct BundleMeta {
    captured_at: Option<Timestamp>,
    /// What was captured: `all namespaces`, `namespace shop`, with `, selector ...` or
    /// `, targets ...` when the pods were narrowed (see [`scope::parse`]).
    scope: Option<String>,
    notes: Vec<String>,
}

/// `bundle.json`: `captured_at`, `scope` and `notes` (all optional).
fn read_bundle_meta(dir: &Path, notes: &mut Vec<String>) -> BundleMeta {
    let path = dir.join("bundle.json");
    if !path.exists() {
        return BundleMeta::default();
    }
    let text = match read_text(&path) {
        Ok(t) => t,
        Err(e) => {
            notes.push(e.one_line());
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
    if !v.is_object() {
        notes.push(format!(
            "`{}` skipped: expected a JSON object with `captured_at` and `notes`",
            path.display()
        ));
        return BundleMeta::default();
    }
    let captured_at = match v.get("captured_at") {
        None | Some(serde_json::Value::Null) => None,
        Some(t) => {
            let parsed = t.as_str().and_then(|t| t.parse::<Timestamp>().ok());
            if parsed.is_none() {
                notes.push(format!(
                    "`{}`: captured_at {t} is not an RFC 3339 time; ages are measured from the newest time in the evidence",
                    path.display()
                ));
            }
            parsed
        }
    };
    BundleMeta {
        captured_at,
        scope: v.get("scope").and_then(|s| s.as_str()).map(str::to_string),
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

#[cfg(test)]
mod tests;
