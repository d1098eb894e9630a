//! Writes `tests/sessions/`: incident sessions, the terminal text a person attaches to a
//! ticket (20 to 80 kubectl commands with their output), each built from a definition in
//! `tests/sessions/defs/NAME.yaml` (see `tests/sessions/README.md`).
//!
//! Run: `cargo xtask make-sessions` (rewrites `tests/sessions/*/`; the output is committed),
//! or `cargo xtask make-sessions DIR` to write into DIR (CI compares it with
//! `tests/sessions/`).
//!
//! The cluster of a session is served by the replay API server on 127.0.0.1 and the real
//! kubectl 1.33 (`scripts/fetch-kubectl`, or `KUBEDOCTOR_KUBECTL`) prints what it can print
//! from it: `describe pod`, `describe node`, `get pod -o yaml|json`, `kubectl events`,
//! `logs`, `get nodes`. The `get` tables kubectl asks the API server to render (pods,
//! events, workloads, services, ...) are composed here following kubectl's printers
//! (`pkg/printers/internalversion/printers.go`) and its tab writer, and listed as composed
//! in the session's `expect.yaml`.
//!
//! kubectl computes ages from its own clock: the replay server shifts every timestamp so the
//! capture time is the second kubectl runs in, a command that crosses a second boundary is run
//! again, and the absolute times kubectl prints are shifted back. The output is therefore the
//! same on every run.

#![allow(clippy::too_many_arguments, dead_code)]

use crate::replay;
use crate::support::builders::{self, CAPTURE};
use crate::support::sample::Sample;
use crate::support::scenario;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds since the epoch of the base time (`builders::at(0)`).
const BASE_EPOCH: i64 = 1_795_168_800;

// ---------------------------------------------------------------------------------------
// Definitions

/// `tests/sessions/defs/NAME.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Def {
    /// One line: what the session shows.
    description: String,
    /// The prompt before each command (`$ `, `# `, `PS C:\> `, `dev@box:~$ `, or empty).
    #[serde(default = "dollar")]
    prompt: String,
    /// Sample bundles (`samples/NAME/`) merged into the session's cluster.
    #[serde(default)]
    samples: Vec<String>,
    /// A scenario of its own (the `scenarios/*.yaml` format), on the healthy base cluster.
    #[serde(default)]
    scenario: Option<scenario::Scenario>,
    /// Pods deleted before the session (replaced): their events stay.
    #[serde(default)]
    gone: Vec<String>,
    /// Events of earlier pods that no longer exist (a pod replaced by one of the same name
    /// has another uid): `namespace/name` and its events.
    #[serde(default)]
    earlier: Vec<Earlier>,
    /// Objects of other kinds for the composed `get` tables, or overrides of the ones derived
    /// from the pods' owners.
    #[serde(default)]
    objects: Vec<Obj>,
    /// `namespace/pod: text` the top finding's explanation must contain.
    #[serde(default)]
    explains: BTreeMap<String, String>,
    /// `namespace/pod: value` the top finding's `detail` must be (docs/CAUSES.md, Details).
    #[serde(default)]
    details: BTreeMap<String, String>,
    /// Copied into expect.yaml: the test skips the session with this note (and fails once
    /// it passes).
    #[serde(default)]
    known_failing: Option<String>,
    commands: Vec<Step>,
}

fn dollar() -> String {
    "$ ".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Earlier {
    pod: String,
    events: Vec<scenario::EventSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Step {
    Plain(String),
    Full {
        run: String,
        #[serde(default)]
        prompt: Option<String>,
    },
}

/// A row of a composed table that no pod implies (or overrides a derived one).
#[derive(Debug, Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
struct Obj {
    /// Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, Service, ConfigMap,
    /// PersistentVolumeClaim.
    kind: String,
    /// `namespace/name`.
    name: String,
    /// Created at (seconds after the base time; the capture is at 3600).
    #[serde(default)]
    created: Option<i64>,
    #[serde(default)]
    desired: Option<i64>,
    #[serde(default)]
    current: Option<i64>,
    #[serde(default)]
    ready: Option<i64>,
    #[serde(default)]
    updated: Option<i64>,
    #[serde(default)]
    available: Option<i64>,
    /// Job or PVC status.
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    completions: Option<String>,
    #[serde(default)]
    duration: Option<String>,
    #[serde(default, rename = "type")]
    type_: Option<String>,
    #[serde(default)]
    cluster_ip: Option<String>,
    #[serde(default)]
    external_ip: Option<String>,
    #[serde(default)]
    ports: Option<String>,
    #[serde(default)]
    selector: Option<String>,
    #[serde(default)]
    data: Option<i64>,
    #[serde(default)]
    volume: Option<String>,
    #[serde(default)]
    capacity: Option<String>,
    #[serde(default)]
    access_modes: Option<String>,
    #[serde(default)]
    storage_class: Option<String>,
    #[serde(default)]
    containers: Option<String>,
    #[serde(default)]
    images: Option<String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

impl Obj {
    fn ns(&self) -> &str {
        self.name.split_once('/').map_or("default", |(n, _)| n)
    }
    fn short(&self) -> &str {
        self.name.split_once('/').map_or(&self.name, |(_, n)| n)
    }
}

// ---------------------------------------------------------------------------------------
// The cluster of a session

struct Cluster {
    pods: Vec<Value>,
    events: Vec<Value>,
    nodes: Vec<Value>,
    replicasets: Vec<Value>,
    pvcs: Vec<Value>,
    objects: Vec<Obj>,
    /// `namespace/pod` -> expected top cause.
    expect: BTreeMap<String, String>,
}

fn list(dir: &Path, file: &str) -> Vec<Value> {
    std::fs::read_to_string(dir.join(file))
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .and_then(|v| v["items"].as_array().cloned())
        .unwrap_or_default()
}

fn key(v: &Value) -> String {
    format!(
        "{}/{}",
        v["metadata"]["namespace"].as_str().unwrap_or(""),
        v["metadata"]["name"].as_str().unwrap_or("")
    )
}

fn push_unique(into: &mut Vec<Value>, items: Vec<Value>, id: fn(&Value) -> String) {
    let seen: BTreeSet<String> = into.iter().map(id).collect();
    for i in items {
        if !seen.contains(&id(&i)) {
            into.push(i);
        }
    }
}

fn event_id(v: &Value) -> String {
    format!("{}/{}", key(v), v["message"].as_str().unwrap_or(""))
}

/// Builds the session's bundle in `dir` (the replay server's input) and returns its objects.
fn build(name: &str, def: &Def, root: &Path, dir: &Path) -> Result<Cluster, String> {
    let mut s = Sample::base(name, &def.description);
    if let Some(sc) = &def.scenario {
        sc.apply(&mut s);
    }
    let mut pods = Vec::new();
    let mut events = Vec::new();
    let mut nodes: Vec<Value> = Vec::new();
    let mut replicasets = Vec::new();
    let mut pvcs = Vec::new();
    let mut expect = BTreeMap::new();
    let mut logs: Vec<(String, String, String, bool, String)> = Vec::new();
    let mut journal: Vec<(String, String)> = Vec::new();
    // Nodes the scenario defines win over the samples' and the base's.
    let scenario_nodes: BTreeSet<String> = def
        .scenario
        .iter()
        .flat_map(|sc| sc.nodes.iter().map(|n| n.name.clone()))
        .collect();
    for n in &s.nodes {
        if scenario_nodes.contains(n["metadata"]["name"].as_str().unwrap_or("")) {
            nodes.push(n.clone());
        }
    }
    for sample in &def.samples {
        let sd = root.join("samples").join(sample);
        if !sd.join("pods.json").is_file() {
            return Err(format!("no sample `{sample}` in samples/"));
        }
        push_unique(&mut pods, list(&sd, "pods.json"), key);
        push_unique(&mut events, list(&sd, "events.json"), event_id);
        push_unique(&mut nodes, list(&sd, "nodes.json"), key);
        push_unique(&mut replicasets, list(&sd, "replicasets.json"), key);
        push_unique(&mut pvcs, list(&sd, "pvcs.json"), key);
        let exp = std::fs::read_to_string(sd.join("expected.yaml")).unwrap_or_default();
        for line in exp.lines().filter(|l| !l.starts_with('#')) {
            if let Some((pod, cause)) = line.split_once(": ") {
                expect.insert(pod.trim().to_string(), cause.trim().to_string());
            }
        }
        for f in walk(&sd.join("logs")) {
            let rel = f.strip_prefix(sd.join("logs")).unwrap();
            let parts: Vec<String> = rel
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            if let [ns, pod, file] = parts.as_slice() {
                let (ctr, prev) = match file.strip_suffix(".previous.log") {
                    Some(c) => (c.to_string(), true),
                    None => (file.trim_end_matches(".log").to_string(), false),
                };
                let text = std::fs::read_to_string(&f).unwrap_or_default();
                logs.push((ns.clone(), pod.clone(), ctr, prev, text));
            }
        }
        for f in walk(&sd.join("journal")) {
            let node = f.file_stem().unwrap().to_string_lossy().into_owned();
            journal.push((node, std::fs::read_to_string(&f).unwrap_or_default()));
        }
    }
    push_unique(&mut pods, s.pods.clone(), key);
    push_unique(&mut events, s.events.clone(), event_id);
    push_unique(&mut nodes, s.nodes.clone(), key);
    push_unique(&mut replicasets, s.replicasets.clone(), key);
    push_unique(&mut pvcs, s.pvcs.clone(), key);
    for (pod, cause) in &s.expect {
        expect.insert(pod.clone(), cause.clone());
    }
    logs.extend(s.logs.iter().cloned());
    journal.extend(s.journal.iter().cloned());
    for e in &def.earlier {
        let (ns, pod) = e.pod.split_once('/').ok_or("earlier: `namespace/name`")?;
        let uid = builders::uid(&format!("pod/{ns}/{pod}/earlier"));
        for ev in &e.events {
            let fp = ev
                .container
                .as_ref()
                .map(|c| format!("spec.containers{{{c}}}"));
            let component = match ev.reason.as_str() {
                "FailedScheduling" | "Scheduled" => "default-scheduler",
                _ => "kubelet",
            };
            let mut v = builders::event(
                ns,
                "Pod",
                pod,
                &uid,
                fp.as_deref(),
                &ev.type_,
                &ev.reason,
                &ev.message,
                ev.count,
                ev.first,
                ev.last,
                component,
            );
            // Not the name of the current pod's event with the same reason and message.
            let id = builders::uid(&format!("{uid}{}{}", ev.reason, ev.message));
            v["metadata"]["name"] = json!(format!("{pod}.{}", &id.replace('-', "")[..16]));
            events.push(v);
        }
    }
    for g in &def.gone {
        if !pods.iter().any(|p| key(p) == *g) {
            return Err(format!("gone pod `{g}` is not in the cluster"));
        }
        pods.retain(|p| key(p) != *g);
        expect.remove(g);
        logs.retain(|(ns, pod, ..)| format!("{ns}/{pod}") != *g);
    }
    let merged = Sample {
        name: "bundle".into(),
        pods: pods.clone(),
        events: events.clone(),
        nodes: nodes.clone(),
        replicasets: replicasets.clone(),
        pvcs: pvcs.clone(),
        // Sessions serve no Services (yet): the replay server's bundle has none.
        services: vec![],
        endpoint_slices: vec![],
        logs,
        journal,
        expect: vec![],
        description: def.description.clone(),
    };
    merged.write(dir);
    Ok(Cluster {
        objects: objects(def, &pods, &replicasets, &pvcs),
        pods,
        events,
        nodes,
        replicasets,
        pvcs,
        expect,
    })
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn secs_of(ts: &Value) -> Option<i64> {
    let t: jiff::Timestamp = ts.as_str()?.parse().ok()?;
    Some(t.as_second() - BASE_EPOCH)
}

fn pod_ready(p: &Value) -> bool {
    p["status"]["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|c| c["type"] == "Ready" && c["status"] == "True")
}

fn containers_of(p: &Value) -> (String, String) {
    let cs = p["spec"]["containers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let names: Vec<&str> = cs.iter().filter_map(|c| c["name"].as_str()).collect();
    let images: Vec<&str> = cs.iter().filter_map(|c| c["image"].as_str()).collect();
    (names.join(","), images.join(","))
}

/// The workloads the pods' owners imply, the bundle's ReplicaSets and claims, then the
/// definition's objects (which replace a derived one of the same kind and name).
fn objects(def: &Def, pods: &[Value], replicasets: &[Value], pvcs: &[Value]) -> Vec<Obj> {
    let mut out: BTreeMap<(String, String), Obj> = BTreeMap::new();
    for p in pods {
        let ns = p["metadata"]["namespace"].as_str().unwrap_or("");
        let Some(owner) = p["metadata"]["ownerReferences"].get(0) else {
            continue;
        };
        let kind = owner["kind"].as_str().unwrap_or("");
        let oname = owner["name"].as_str().unwrap_or("");
        let created = secs_of(&p["metadata"]["creationTimestamp"]).unwrap_or(0);
        let ready = i64::from(pod_ready(p));
        let (cn, im) = containers_of(p);
        let labels = replay::labels_of(p);
        let mut add = |kind: &str, name: String, sel: String| {
            let o = out
                .entry((kind.to_string(), format!("{ns}/{name}")))
                .or_insert_with(|| Obj {
                    kind: kind.into(),
                    name: format!("{ns}/{name}"),
                    created: Some(created - 30),
                    desired: Some(0),
                    current: Some(0),
                    ready: Some(0),
                    updated: Some(0),
                    available: Some(0),
                    containers: Some(cn.clone()),
                    images: Some(im.clone()),
                    selector: Some(sel),
                    ..Obj::default()
                });
            o.created = Some(o.created.unwrap_or(0).min(created - 30));
            for f in [&mut o.desired, &mut o.current, &mut o.updated] {
                *f = Some(f.unwrap_or(0) + 1);
            }
            for f in [&mut o.ready, &mut o.available] {
                *f = Some(f.unwrap_or(0) + ready);
            }
        };
        let app = labels
            .get("app.kubernetes.io/name")
            .cloned()
            .unwrap_or_default();
        match kind {
            "ReplicaSet" => {
                let hash = labels.get("pod-template-hash").cloned().unwrap_or_default();
                add(
                    "ReplicaSet",
                    oname.to_string(),
                    format!("app.kubernetes.io/name={app},pod-template-hash={hash}"),
                );
                if let Some(d) = oname.strip_suffix(&format!("-{hash}")) {
                    add(
                        "Deployment",
                        d.to_string(),
                        format!("app.kubernetes.io/name={app}"),
                    );
                }
            }
            "StatefulSet" | "DaemonSet" => add(
                kind,
                oname.to_string(),
                format!("app.kubernetes.io/name={app}"),
            ),
            "Job" => add(
                "Job",
                oname.to_string(),
                format!(
                    "batch.kubernetes.io/controller-uid={}",
                    builders::uid(oname)
                ),
            ),
            _ => {}
        }
    }
    for rs in replicasets {
        let k = ("ReplicaSet".to_string(), key(rs));
        if out.contains_key(&k) {
            continue;
        }
        let cs = rs["spec"]["template"]["spec"]["containers"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        out.insert(
            k,
            Obj {
                kind: "ReplicaSet".into(),
                name: key(rs),
                created: secs_of(&rs["metadata"]["creationTimestamp"]),
                desired: rs["spec"]["replicas"].as_i64(),
                current: Some(0),
                ready: Some(0),
                containers: Some(
                    cs.iter()
                        .filter_map(|c| c["name"].as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                ),
                images: Some(
                    cs.iter()
                        .filter_map(|c| c["image"].as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                ),
                ..Obj::default()
            },
        );
    }
    for c in pvcs {
        out.insert(
            ("PersistentVolumeClaim".into(), key(c)),
            Obj {
                kind: "PersistentVolumeClaim".into(),
                name: key(c),
                created: secs_of(&c["metadata"]["creationTimestamp"]),
                status: c["status"]["phase"].as_str().map(str::to_string),
                volume: c["spec"]["volumeName"].as_str().map(str::to_string),
                storage_class: c["spec"]["storageClassName"].as_str().map(str::to_string),
                ..Obj::default()
            },
        );
    }
    for o in &def.objects {
        let k = (o.kind.clone(), o.name.clone());
        match out.get_mut(&k) {
            Some(d) => {
                // Fields the definition gives replace the derived ones.
                let mut merged = o.clone();
                macro_rules! keep {
                    ($($f:ident),*) => { $( if merged.$f.is_none() { merged.$f = d.$f.clone(); } )* };
                }
                keep!(
                    created,
                    desired,
                    current,
                    ready,
                    updated,
                    available,
                    status,
                    volume,
                    storage_class,
                    containers,
                    images,
                    selector
                );
                *d = merged;
            }
            None => {
                out.insert(k, o.clone());
            }
        }
    }
    // An old ReplicaSet of a Deployment: the selector and containers of its siblings.
    let all: Vec<Obj> = out.values().cloned().collect();
    for o in out.values_mut().filter(|o| o.kind == "ReplicaSet") {
        let Some((deploy, hash)) = o
            .short()
            .rsplit_once('-')
            .map(|(d, h)| (d.to_string(), h.to_string()))
        else {
            continue;
        };
        if o.selector.is_none() {
            o.selector = Some(format!(
                "app.kubernetes.io/name={deploy},pod-template-hash={hash}"
            ));
        }
        if o.containers.is_none()
            && let Some(sib) = all.iter().find(|s| {
                s.kind == "ReplicaSet"
                    && s.name != o.name
                    && s.ns() == o.ns()
                    && s.short().rsplit_once('-').map(|(d, _)| d) == Some(deploy.as_str())
                    && s.containers.is_some()
            })
        {
            o.containers = sib.containers.clone();
        }
    }
    out.into_values().collect()
}

// ---------------------------------------------------------------------------------------
// kubectl's printers

/// `duration.HumanDuration` of apimachinery.
fn human(secs: i64) -> String {
    if secs < -1 {
        return "<invalid>".into();
    }
    if secs < 0 {
        return "0s".into();
    }
    if secs < 120 {
        return format!("{secs}s");
    }
    let minutes = secs / 60;
    if minutes < 10 {
        let s = secs % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = secs / 3600;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{h}h", hours / 24)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{dy}d", hours / 24 / 365)
        };
    }
    format!("{}y", hours / 24 / 365)
}

fn age(created: Option<i64>) -> String {
    match created {
        Some(c) => human(CAPTURE - c),
        None => "<unknown>".into(),
    }
}

fn age_of(ts: &Value) -> String {
    age(secs_of(ts))
}

/// kubectl's tab writer (min width 6, padding 3): every column but the last is padded.
fn tabulate(rows: &[Vec<String>]) -> Vec<String> {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; cols];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if i + 1 < r.len() {
                widths[i] = widths[i].max((c.chars().count() + 3).max(6));
            }
        }
    }
    rows.iter()
        .map(|r| {
            let mut line = String::new();
            for (i, c) in r.iter().enumerate() {
                if i + 1 < r.len() {
                    line.push_str(&format!("{c:<w$}", w = widths[i]));
                } else {
                    line.push_str(c);
                }
            }
            line
        })
        .collect()
}

fn format_labels(v: &Value) -> String {
    let mut pairs: Vec<String> = v
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
        .collect();
    pairs.sort();
    if pairs.is_empty() {
        "<none>".into()
    } else {
        pairs.join(",")
    }
}

/// `printPod`: READY, STATUS, RESTARTS as kubectl 1.33 prints them.
fn pod_cells(p: &Value) -> (String, String, String) {
    let st = &p["status"];
    let spec = &p["spec"];
    let mut restarts = 0i64;
    let mut total = spec["containers"].as_array().map_or(0, Vec::len);
    let mut ready = 0;
    let mut last_restart: Option<i64> = None;
    let phase = st["phase"].as_str().unwrap_or("");
    let mut reason = st["reason"].as_str().unwrap_or(phase).to_string();
    if st["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|c| c["type"] == "PodScheduled" && c["reason"] == "SchedulingGated")
    {
        reason = "SchedulingGated".into();
    }
    let init_specs = spec["initContainers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let restartable = |name: &str| {
        init_specs
            .iter()
            .any(|c| c["name"] == name && c["restartPolicy"] == "Always")
    };
    total += init_specs
        .iter()
        .filter(|c| c["restartPolicy"] == "Always")
        .count();
    let finished = |c: &Value| secs_of(&c["lastState"]["terminated"]["finishedAt"]);
    let mut initializing = false;
    let ics = st["initContainerStatuses"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut ri_restarts = 0;
    let mut ri_last: Option<i64> = None;
    for (i, c) in ics.iter().enumerate() {
        let name = c["name"].as_str().unwrap_or("");
        restarts += c["restartCount"].as_i64().unwrap_or(0);
        if let Some(f) = finished(c) {
            last_restart = Some(last_restart.map_or(f, |l| l.max(f)));
        }
        if restartable(name) {
            ri_restarts += c["restartCount"].as_i64().unwrap_or(0);
            if let Some(f) = finished(c) {
                ri_last = Some(ri_last.map_or(f, |l| l.max(f)));
            }
        }
        let term = &c["state"]["terminated"];
        let wait = &c["state"]["waiting"];
        if term.is_object() && term["exitCode"].as_i64() == Some(0) {
            continue;
        }
        if restartable(name) && c["started"].as_bool() == Some(true) {
            if c["ready"].as_bool() == Some(true) {
                ready += 1;
            }
            continue;
        }
        if term.is_object() {
            reason = match term["reason"].as_str() {
                Some(r) if !r.is_empty() => format!("Init:{r}"),
                _ => format!("Init:ExitCode:{}", term["exitCode"].as_i64().unwrap_or(0)),
            };
        } else if wait["reason"]
            .as_str()
            .is_some_and(|r| !r.is_empty() && r != "PodInitializing")
        {
            reason = format!("Init:{}", wait["reason"].as_str().unwrap_or(""));
        } else {
            reason = format!("Init:{i}/{}", init_specs.len());
        }
        initializing = true;
        break;
    }
    let initialized = st["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|c| c["type"] == "Initialized" && c["status"] == "True");
    if !initializing || initialized {
        restarts = ri_restarts;
        last_restart = ri_last;
        let mut has_running = false;
        let cs = st["containerStatuses"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for c in cs.iter().rev() {
            restarts += c["restartCount"].as_i64().unwrap_or(0);
            if let Some(f) = finished(c) {
                last_restart = Some(last_restart.map_or(f, |l| l.max(f)));
            }
            let term = &c["state"]["terminated"];
            let wait_reason = c["state"]["waiting"]["reason"].as_str().unwrap_or("");
            if !wait_reason.is_empty() {
                reason = wait_reason.to_string();
            } else if term.is_object() {
                reason = match term["reason"].as_str() {
                    Some(r) if !r.is_empty() => r.to_string(),
                    _ => format!("ExitCode:{}", term["exitCode"].as_i64().unwrap_or(0)),
                };
            } else if c["ready"].as_bool() == Some(true) && c["state"]["running"].is_object() {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = if pod_ready(p) { "Running" } else { "NotReady" }.into();
        }
    }
    let deleting = p["metadata"]["deletionTimestamp"].is_string();
    if deleting && st["reason"] == "NodeLost" {
        reason = "Unknown".into();
    } else if deleting && phase != "Succeeded" && phase != "Failed" {
        reason = "Terminating".into();
    }
    let restarts_s = match last_restart {
        Some(l) if restarts != 0 => format!("{restarts} ({} ago)", human(CAPTURE - l)),
        _ => restarts.to_string(),
    };
    (format!("{ready}/{total}"), reason, restarts_s)
}

/// Output lines, each with the pod it shows (a row of a pod table).
type Lines = Vec<(String, Option<String>)>;

struct Get {
    resource: String,
    names: Vec<String>,
    namespace: String,
    all: bool,
    wide: bool,
    labels: bool,
    selector: Option<String>,
    field: Option<String>,
    sort_by: Option<String>,
    no_headers: bool,
}

fn canonical(resource: &str) -> Option<&'static str> {
    Some(match resource {
        "po" | "pod" | "pods" => "pods",
        "ev" | "event" | "events" => "events",
        "no" | "node" | "nodes" => "nodes",
        "deploy" | "deployment" | "deployments" | "deployments.apps" => "Deployment",
        "rs" | "replicaset" | "replicasets" => "ReplicaSet",
        "sts" | "statefulset" | "statefulsets" => "StatefulSet",
        "ds" | "daemonset" | "daemonsets" => "DaemonSet",
        "job" | "jobs" => "Job",
        "svc" | "service" | "services" => "Service",
        "cm" | "configmap" | "configmaps" => "ConfigMap",
        "pvc" | "persistentvolumeclaim" | "persistentvolumeclaims" => "PersistentVolumeClaim",
        _ => return None,
    })
}

fn labels_match(labels: &Value, selector: &str) -> bool {
    selector.split(',').all(|req| match req.split_once('=') {
        Some((k, v)) => labels[k.trim_end_matches('!')].as_str() == Some(v.trim_start_matches('=')),
        None => labels.get(req).is_some(),
    })
}

/// A composed `get` table: its lines (each with the pod it shows, for pods) and what kubectl
/// writes to stderr.
fn compose(c: &Cluster, g: &Get) -> Result<(Lines, String), String> {
    let kind = canonical(&g.resource).ok_or_else(|| format!("cannot compose `{}`", g.resource))?;
    let in_scope = |ns: &str| g.all || ns == g.namespace;
    let named = |n: &str| g.names.is_empty() || g.names.iter().any(|x| x == n);
    let mut header: Vec<&str>;
    let mut rows: Vec<(Vec<String>, Option<String>)> = Vec::new();
    match kind {
        "pods" => {
            header = vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE"];
            if g.wide {
                header.extend(["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]);
            }
            let mut pods: Vec<&Value> = c
                .pods
                .iter()
                .filter(|p| in_scope(p["metadata"]["namespace"].as_str().unwrap_or("")))
                .filter(|p| named(p["metadata"]["name"].as_str().unwrap_or("")))
                .filter(|p| {
                    g.selector
                        .as_deref()
                        .is_none_or(|s| labels_match(&p["metadata"]["labels"], s))
                })
                .collect();
            pods.sort_by_key(|p| key(p));
            for p in pods {
                let (ready, status, restarts) = pod_cells(p);
                let mut r = vec![
                    p["metadata"]["name"].as_str().unwrap_or("").to_string(),
                    ready,
                    status,
                    restarts,
                    age_of(&p["metadata"]["creationTimestamp"]),
                ];
                if g.wide {
                    let s = |v: &Value| {
                        v.as_str()
                            .filter(|x| !x.is_empty())
                            .unwrap_or("<none>")
                            .to_string()
                    };
                    r.push(s(&p["status"]["podIP"]));
                    r.push(s(&p["spec"]["nodeName"]));
                    r.push(s(&p["status"]["nominatedNodeName"]));
                    r.push("<none>".into());
                }
                if g.labels {
                    r.push(format_labels(&p["metadata"]["labels"]));
                }
                if g.all {
                    r.insert(0, p["metadata"]["namespace"].as_str().unwrap_or("").into());
                }
                rows.push((r, Some(key(p))));
            }
        }
        "events" => {
            header = vec!["LAST SEEN", "TYPE", "REASON", "OBJECT"];
            if g.wide {
                header.extend(["SUBOBJECT", "SOURCE"]);
            }
            header.push("MESSAGE");
            if g.wide {
                header.extend(["FIRST SEEN", "COUNT", "NAME"]);
            }
            let mut evs: Vec<&Value> = c
                .events
                .iter()
                .filter(|e| in_scope(e["metadata"]["namespace"].as_str().unwrap_or("")))
                .filter(|e| {
                    g.field.as_deref().is_none_or(|f| {
                        f.split(',').all(|req| match req.split_once('=') {
                            Some(("involvedObject.name", v)) => e["involvedObject"]["name"] == v,
                            Some(("involvedObject.kind", v)) => e["involvedObject"]["kind"] == v,
                            Some(("type", v)) => e["type"] == v,
                            Some(("reason", v)) => e["reason"] == v,
                            _ => true,
                        })
                    })
                })
                .collect();
            evs.sort_by_key(|e| {
                (
                    key(e),
                    e["metadata"]["uid"].as_str().unwrap_or("").to_string(),
                )
            });
            match g.sort_by.as_deref() {
                Some(".lastTimestamp") | Some(".metadata.creationTimestamp") => {
                    let field = if g.sort_by.as_deref() == Some(".lastTimestamp") {
                        "lastTimestamp"
                    } else {
                        "firstTimestamp"
                    };
                    evs.sort_by_key(|e| secs_of(&e[field]).unwrap_or(0));
                }
                Some(other) => return Err(format!("cannot sort events by {other}")),
                None => {}
            }
            for e in evs {
                let io = &e["involvedObject"];
                let target = format!(
                    "{}/{}",
                    io["kind"].as_str().unwrap_or("").to_lowercase(),
                    io["name"].as_str().unwrap_or("")
                );
                let mut r = vec![
                    age_of(&e["lastTimestamp"]),
                    e["type"].as_str().unwrap_or("").into(),
                    e["reason"].as_str().unwrap_or("").into(),
                    target,
                ];
                if g.wide {
                    r.push(io["fieldPath"].as_str().unwrap_or("").into());
                    let src = &e["source"];
                    let comp = src["component"].as_str().unwrap_or("");
                    r.push(match src["host"].as_str() {
                        Some(h) if !h.is_empty() => format!("{comp}, {h}"),
                        _ => comp.to_string(),
                    });
                }
                r.push(e["message"].as_str().unwrap_or("").trim().to_string());
                if g.wide {
                    r.push(age_of(&e["firstTimestamp"]));
                    r.push(e["count"].as_i64().unwrap_or(1).to_string());
                    r.push(e["metadata"]["name"].as_str().unwrap_or("").into());
                }
                if g.all {
                    r.insert(0, e["metadata"]["namespace"].as_str().unwrap_or("").into());
                }
                rows.push((r, None));
            }
        }
        "nodes" => {
            header = vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"];
            if g.wide {
                header.extend([
                    "INTERNAL-IP",
                    "EXTERNAL-IP",
                    "OS-IMAGE",
                    "KERNEL-VERSION",
                    "CONTAINER-RUNTIME",
                ]);
            }
            // In the order the replay server lists them.
            let nodes: Vec<&Value> = c
                .nodes
                .iter()
                .filter(|n| named(n["metadata"]["name"].as_str().unwrap_or("")))
                .collect();
            for n in nodes {
                let ready = n["status"]["conditions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|c| c["type"] == "Ready");
                let mut status = match ready {
                    Some(r) if r["status"] == "True" => "Ready".to_string(),
                    Some(_) => "NotReady".to_string(),
                    None => "Unknown".to_string(),
                };
                if n["spec"]["unschedulable"].as_bool() == Some(true) {
                    status.push_str(",SchedulingDisabled");
                }
                let mut roles: Vec<String> = n["metadata"]["labels"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter_map(|(k, v)| {
                        k.strip_prefix("node-role.kubernetes.io/")
                            .filter(|r| !r.is_empty())
                            .map(str::to_string)
                            .or_else(|| {
                                (k == "kubernetes.io/role")
                                    .then(|| v.as_str().unwrap_or("").to_string())
                                    .filter(|r| !r.is_empty())
                            })
                    })
                    .collect();
                roles.sort();
                let info = &n["status"]["nodeInfo"];
                let mut r = vec![
                    n["metadata"]["name"].as_str().unwrap_or("").to_string(),
                    status,
                    if roles.is_empty() {
                        "<none>".into()
                    } else {
                        roles.join(",")
                    },
                    age_of(&n["metadata"]["creationTimestamp"]),
                    info["kubeletVersion"].as_str().unwrap_or("").into(),
                ];
                if g.wide {
                    let addr = |t: &str| {
                        n["status"]["addresses"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .find(|a| a["type"] == t)
                            .and_then(|a| a["address"].as_str())
                            .unwrap_or("<none>")
                            .to_string()
                    };
                    r.push(addr("InternalIP"));
                    r.push(addr("ExternalIP"));
                    for f in ["osImage", "kernelVersion", "containerRuntimeVersion"] {
                        r.push(info[f].as_str().unwrap_or("<unknown>").into());
                    }
                }
                if g.labels {
                    r.push(format_labels(&n["metadata"]["labels"]));
                }
                rows.push((r, None));
            }
        }
        kind => {
            let objs: Vec<&Obj> = c
                .objects
                .iter()
                .filter(|o| o.kind == kind && in_scope(o.ns()) && named(o.short()))
                .collect();
            let n = |v: Option<i64>| v.unwrap_or(0).to_string();
            let s = |v: &Option<String>, d: &str| v.clone().unwrap_or_else(|| d.to_string());
            header = match kind {
                "Deployment" => vec!["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
                "ReplicaSet" => vec!["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
                "StatefulSet" => vec!["NAME", "READY", "AGE"],
                "DaemonSet" => vec![
                    "NAME",
                    "DESIRED",
                    "CURRENT",
                    "READY",
                    "UP-TO-DATE",
                    "AVAILABLE",
                    "NODE SELECTOR",
                    "AGE",
                ],
                "Job" => vec!["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"],
                "Service" => vec![
                    "NAME",
                    "TYPE",
                    "CLUSTER-IP",
                    "EXTERNAL-IP",
                    "PORT(S)",
                    "AGE",
                ],
                "ConfigMap" => vec!["NAME", "DATA", "AGE"],
                _ => vec![
                    "NAME",
                    "STATUS",
                    "VOLUME",
                    "CAPACITY",
                    "ACCESS MODES",
                    "STORAGECLASS",
                    "VOLUMEATTRIBUTESCLASS",
                    "AGE",
                ],
            };
            if g.wide {
                match kind {
                    "Deployment" | "ReplicaSet" | "DaemonSet" | "Job" => {
                        header.extend(["CONTAINERS", "IMAGES", "SELECTOR"])
                    }
                    "StatefulSet" => header.extend(["CONTAINERS", "IMAGES"]),
                    "Service" => header.push("SELECTOR"),
                    "PersistentVolumeClaim" => header.push("VOLUMEMODE"),
                    _ => {}
                }
            }
            for o in objs {
                let a = age(o.created);
                let mut r: Vec<String> = match kind {
                    "Deployment" => vec![
                        o.short().into(),
                        format!("{}/{}", n(o.ready), n(o.desired)),
                        n(o.updated),
                        n(o.available),
                        a,
                    ],
                    "ReplicaSet" => {
                        vec![o.short().into(), n(o.desired), n(o.current), n(o.ready), a]
                    }
                    "StatefulSet" => vec![
                        o.short().into(),
                        format!("{}/{}", n(o.ready), n(o.desired)),
                        a,
                    ],
                    "DaemonSet" => vec![
                        o.short().into(),
                        n(o.desired),
                        n(o.current),
                        n(o.ready),
                        n(o.updated),
                        n(o.available),
                        s(&o.selector, "<none>"),
                        a,
                    ],
                    "Job" => vec![
                        o.short().into(),
                        s(&o.status, "Running"),
                        s(&o.completions, &format!("{}/1", 0)),
                        s(&o.duration, ""),
                        a,
                    ],
                    "Service" => vec![
                        o.short().into(),
                        s(&o.type_, "ClusterIP"),
                        s(&o.cluster_ip, "<none>"),
                        s(&o.external_ip, "<none>"),
                        s(&o.ports, "<none>"),
                        a,
                    ],
                    "ConfigMap" => vec![o.short().into(), n(o.data), a],
                    _ => {
                        let bound = o.volume.as_deref().is_some_and(|v| !v.is_empty());
                        vec![
                            o.short().into(),
                            s(&o.status, "Pending"),
                            s(&o.volume, ""),
                            if bound {
                                s(&o.capacity, "")
                            } else {
                                String::new()
                            },
                            if bound {
                                s(&o.access_modes, "RWO")
                            } else {
                                String::new()
                            },
                            s(&o.storage_class, "<unset>"),
                            "<unset>".into(),
                            a,
                        ]
                    }
                };
                if g.wide {
                    match kind {
                        "Deployment" | "ReplicaSet" | "DaemonSet" | "Job" => {
                            r.push(s(&o.containers, ""));
                            r.push(s(&o.images, ""));
                            r.push(s(&o.selector, "<none>"));
                        }
                        "StatefulSet" => {
                            r.push(s(&o.containers, ""));
                            r.push(s(&o.images, ""));
                        }
                        "Service" => r.push(s(&o.selector, "<none>")),
                        "PersistentVolumeClaim" => r.push("Filesystem".into()),
                        _ => {}
                    }
                }
                if g.labels {
                    r.push(format_labels(&json!(o.labels)));
                }
                if g.all {
                    r.insert(0, o.ns().to_string());
                }
                rows.push((r, None));
            }
        }
    }
    if rows.is_empty() {
        let err = if !g.names.is_empty() {
            let what = match kind {
                "pods" | "events" | "nodes" => kind.to_string(),
                "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" => {
                    format!("{}.apps", kind.to_lowercase() + "s")
                }
                "Job" => "jobs.batch".into(),
                "PersistentVolumeClaim" => "persistentvolumeclaims".into(),
                k => format!("{}s", k.to_lowercase()),
            };
            format!(
                "Error from server (NotFound): {what} \"{}\" not found\n",
                g.names[0]
            )
        } else if g.all || kind == "nodes" {
            "No resources found\n".to_string()
        } else {
            format!("No resources found in {} namespace.\n", g.namespace)
        };
        return Ok((vec![], err));
    }
    let mut header: Vec<String> = header.into_iter().map(str::to_string).collect();
    if g.labels {
        header.push("LABELS".into());
    }
    if g.all && kind != "nodes" {
        header.insert(0, "NAMESPACE".into());
    }
    let mut table = Vec::new();
    if !g.no_headers {
        table.push(header);
    }
    let keys: Vec<Option<String>> = rows.iter().map(|(_, k)| k.clone()).collect();
    table.extend(rows.into_iter().map(|(r, _)| r));
    let lines = tabulate(&table);
    let skip = usize::from(!g.no_headers);
    let out = lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            (
                l,
                if i < skip {
                    None
                } else {
                    keys[i - skip].clone()
                },
            )
        })
        .collect();
    Ok((out, String::new()))
}

/// `kubectl get all`: a table per kind that has objects (pods, services, daemonsets,
/// deployments, replicasets, statefulsets, jobs), names prefixed with the kind, a blank line
/// between tables.
fn get_all(c: &Cluster, ns: &str, all: bool, labels: bool) -> Result<(Lines, String), String> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    for (resource, prefix) in [
        ("pods", "pod/"),
        ("svc", "service/"),
        ("ds", "daemonset.apps/"),
        ("deploy", "deployment.apps/"),
        ("rs", "replicaset.apps/"),
        ("sts", "statefulset.apps/"),
        ("jobs", "job.batch/"),
    ] {
        let g = Get {
            resource: resource.into(),
            names: vec![],
            namespace: ns.into(),
            all,
            wide: false,
            labels,
            selector: None,
            field: None,
            sort_by: None,
            no_headers: false,
        };
        let mut c2_objects = Vec::new();
        // Names carry the kind: compose with prefixed names.
        let prefixed = Cluster {
            pods: c
                .pods
                .iter()
                .map(|p| {
                    let mut p = p.clone();
                    p["metadata"]["name"] = json!(format!(
                        "{prefix}{}",
                        p["metadata"]["name"].as_str().unwrap_or("")
                    ));
                    p
                })
                .collect(),
            events: vec![],
            nodes: vec![],
            replicasets: vec![],
            pvcs: vec![],
            objects: {
                for o in &c.objects {
                    let mut o = o.clone();
                    o.name = format!("{}/{prefix}{}", o.ns(), o.short());
                    c2_objects.push(o);
                }
                c2_objects
            },
            expect: BTreeMap::new(),
        };
        let (lines, _) = compose(&prefixed, &g)?;
        if lines.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push((String::new(), None));
        }
        // Keys of pod rows name the pod, not the prefixed row.
        out.extend(
            lines
                .into_iter()
                .map(|(l, k)| (l, k.map(|k| k.replacen(prefix, "", 1)))),
        );
    }
    if out.is_empty() {
        let err = if all {
            "No resources found\n".to_string()
        } else {
            format!("No resources found in {ns} namespace.\n")
        };
        return Ok((out, err));
    }
    Ok((out, String::new()))
}

// ---------------------------------------------------------------------------------------
// Commands

/// Splits a command line as a shell would (quotes, no expansion).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for ch in line.chars() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(ch);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if !cur.is_empty() || any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if !cur.is_empty() || any {
        out.push(cur);
    }
    out
}

/// The command line split at pipes that are not quoted.
fn pipeline(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for ch in line.chars() {
        match (quote, ch) {
            (Some(q), c) if c == q => {
                quote = None;
                cur.push(c);
            }
            (None, '\'' | '"') => {
                quote = Some(ch);
                cur.push(ch);
            }
            (None, '|') => out.push(std::mem::take(&mut cur)),
            _ => cur.push(ch),
        }
    }
    out.push(cur);
    out.into_iter().map(|s| s.trim().to_string()).collect()
}

/// A filter after a pipe.
fn filter(
    stage: &str,
    lines: Vec<(String, Option<String>)>,
) -> Result<Vec<(String, Option<String>)>, String> {
    let w = words(stage);
    let (cmd, args) = w.split_first().ok_or("empty pipe stage")?;
    let count = |args: &[String]| -> Result<usize, String> {
        match args {
            [] => Ok(10),
            [n] if n.starts_with('-') => n[1..]
                .parse()
                .map_err(|_| format!("bad count in `{stage}`")),
            [f, n] if f == "-n" => n.parse().map_err(|_| format!("bad count in `{stage}`")),
            _ => Err(format!("cannot run `{stage}`")),
        }
    };
    match cmd.as_str() {
        "grep" => {
            let mut invert = false;
            let mut icase = false;
            let mut ext = false;
            let (mut after, mut before) = (0usize, 0usize);
            let mut pat = None;
            let mut it = args.iter();
            while let Some(a) = it.next() {
                match a.as_str() {
                    "-A" | "-B" | "-C" => {
                        let n: usize = it
                            .next()
                            .and_then(|n| n.parse().ok())
                            .ok_or(format!("bad context in `{stage}`"))?;
                        if a != "-B" {
                            after = n;
                        }
                        if a != "-A" {
                            before = n;
                        }
                    }
                    f if f.starts_with('-') && pat.is_none() && f.len() > 1 => {
                        for ch in f[1..].chars() {
                            match ch {
                                'v' => invert = true,
                                'i' => icase = true,
                                'E' => ext = true,
                                _ => return Err(format!("cannot run `{stage}`")),
                            }
                        }
                    }
                    p => pat = Some(p.to_string()),
                }
            }
            let pat = pat.ok_or("grep without a pattern")?;
            let pat = if ext { pat } else { regex::escape(&pat) };
            let re = regex::RegexBuilder::new(&pat)
                .case_insensitive(icase)
                .build()
                .map_err(|e| e.to_string())?;
            let hits: Vec<bool> = lines
                .iter()
                .map(|(l, _)| re.is_match(l) != invert)
                .collect();
            let mut keep = vec![false; lines.len()];
            for (i, _) in hits.iter().enumerate().filter(|(_, h)| **h) {
                let from = i.saturating_sub(before);
                let to = (i + after).min(lines.len().saturating_sub(1));
                keep[from..=to].iter_mut().for_each(|k| *k = true);
            }
            // GNU grep separates groups of context lines with `--`.
            let context = after > 0 || before > 0;
            let mut out = Vec::new();
            let mut last: Option<usize> = None;
            for (i, l) in lines.into_iter().enumerate() {
                if !keep[i] {
                    continue;
                }
                if context && last.is_some_and(|p| p + 1 != i) {
                    out.push(("--".to_string(), None));
                }
                out.push(l);
                last = Some(i);
            }
            Ok(out)
        }
        "tail" => {
            let n = count(args)?;
            let skip = lines.len().saturating_sub(n);
            Ok(lines.into_iter().skip(skip).collect())
        }
        "head" => {
            let n = count(args)?;
            Ok(lines.into_iter().take(n).collect())
        }
        _ => Err(format!("cannot run `{stage}`")),
    }
}

/// What a step showed, for expect.yaml.
#[derive(Default)]
struct Shown {
    /// Pods whose describe or YAML is in the session.
    described: BTreeSet<String>,
    /// Pods shown at all (rows of pod tables, describes, YAML).
    inventory: BTreeSet<String>,
    /// Steps (1-based) whose output was composed here.
    composed: Vec<(usize, String)>,
}

struct Runner<'a> {
    kubectl: &'a Path,
    kubeconfig: PathBuf,
    home: PathBuf,
    replay: replay::Replay,
    cluster: Cluster,
    /// The namespace of the kubeconfig's context (`kubectl config set-context --current
    /// --namespace=NS` changes it).
    default_ns: std::cell::RefCell<String>,
}

impl Runner<'_> {
    /// Runs kubectl with the replay server's clock at the capture time; returns stdout,
    /// stderr and success.
    fn kubectl(&self, args: &[String]) -> Result<(String, String, bool), String> {
        for _ in 0..20 {
            // Start early in a second, so kubectl prints within it.
            let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
            let frac = now.subsec_millis();
            if frac > 300 {
                std::thread::sleep(Duration::from_millis(u64::from(1000 - frac) + 5));
                continue;
            }
            let start = now.as_secs() as i64;
            let shift = start - (BASE_EPOCH + CAPTURE);
            self.replay.set_time_shift(shift);
            let out = Command::new(self.kubectl)
                .args(args)
                .arg("--kubeconfig")
                .arg(&self.kubeconfig)
                .arg("--cache-dir")
                .arg(self.home.join("cache"))
                .env_clear()
                .env("HOME", &self.home)
                .env("TZ", "UTC")
                .env("PATH", "/usr/bin:/bin")
                .output()
                .map_err(|e| format!("kubectl: {e}"))?;
            let end = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_secs() as i64;
            if end != start {
                continue;
            }
            let fix = |b: &[u8]| unshift(&String::from_utf8_lossy(b), shift);
            if String::from_utf8_lossy(&out.stderr).contains("replay server")
                || String::from_utf8_lossy(&out.stdout).contains("replay server")
            {
                return Err(format!(
                    "the replay server cannot answer this as a cluster would: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
            return Ok((fix(&out.stdout), fix(&out.stderr), out.status.success()));
        }
        Err(format!("kubectl {args:?} never finished within a second"))
    }

    /// Runs one command line; returns the text it printed.
    fn step(&self, n: usize, line: &str, shown: &mut Shown) -> Result<String, String> {
        let stages = pipeline(line);
        let w = words(&stages[0]);
        if w.first().map(String::as_str) != Some("kubectl") {
            return Err(format!("not a kubectl command: `{line}`"));
        }
        let args = &w[1..];
        if args.first().map(String::as_str) == Some("config") {
            // Only the namespace of the current context: the one thing sessions change.
            let ns = args.iter().find_map(|a| a.strip_prefix("--namespace="));
            return match (args.get(1).map(String::as_str), ns) {
                (Some("set-context"), Some(ns)) if args.iter().any(|a| a == "--current") => {
                    *self.default_ns.borrow_mut() = ns.to_string();
                    // The kubeconfig file kubectl reads says it too.
                    self.replay
                        .kubeconfig(self.kubeconfig.parent().unwrap_or(Path::new(".")), ns);
                    Ok("Context \"replay\" modified.\n".into())
                }
                _ => Err(format!("cannot run `{line}`")),
            };
        }
        let mut ns = self.default_ns.borrow().clone();
        let mut all = false;
        let mut output = None;
        let mut positional = Vec::new();
        let mut wide_labels = (false, false);
        let mut selector = None;
        let mut field = None;
        let mut sort_by = None;
        let mut no_headers = false;
        let mut i = 0;
        while i < args.len() {
            let a = args[i].as_str();
            let value = |i: &mut usize| -> Result<String, String> {
                *i += 1;
                args.get(*i).cloned().ok_or(format!("`{a}` needs a value"))
            };
            match a {
                "-n" | "--namespace" => ns = value(&mut i)?,
                "-A" | "--all-namespaces" => all = true,
                "-o" | "--output" => output = Some(value(&mut i)?),
                "-l" | "--selector" => selector = Some(value(&mut i)?),
                "--field-selector" => field = Some(value(&mut i)?),
                "--show-labels" => wide_labels.1 = true,
                "--no-headers" => no_headers = true,
                _ if a.starts_with("--namespace=") => ns = a[12..].to_string(),
                _ if a.starts_with("-o=") || a.starts_with("--output=") => {
                    output = a.split_once('=').map(|(_, v)| v.to_string())
                }
                _ if a.starts_with("-o") && a.len() > 2 => output = Some(a[2..].to_string()),
                _ if a.starts_with("--sort-by=") => sort_by = Some(a[10..].to_string()),
                _ if a.starts_with("--field-selector=") => field = Some(a[17..].to_string()),
                _ if a.starts_with("-l=") || a.starts_with("--selector=") => {
                    selector = a.split_once('=').map(|(_, v)| v.to_string())
                }
                _ if a.starts_with('-') => {}
                _ => positional.push(a.to_string()),
            }
            i += 1;
        }
        wide_labels.0 = output.as_deref() == Some("wide");
        let verb = positional.first().cloned().unwrap_or_default();
        let resource = positional.get(1).cloned().unwrap_or_default();
        let (resource, mut names) = match resource.split_once('/') {
            Some((r, n)) => (r.to_string(), vec![n.to_string()]),
            None => (resource, positional.iter().skip(2).cloned().collect()),
        };
        if verb == "get" && names.is_empty() {
            names = positional.iter().skip(2).cloned().collect();
        }
        if verb == "get" && resource == "all" && output.is_none() {
            shown.composed.push((n, line.to_string()));
            let (lines, err) = get_all(&self.cluster, &ns, all, wide_labels.1)?;
            let mut lines = lines;
            for stage in &stages[1..] {
                lines = filter(stage, lines)?;
            }
            for k in lines.iter().filter_map(|(_, k)| k.as_ref()) {
                shown.inventory.insert(k.clone());
            }
            let mut text: String = lines.iter().map(|(l, _)| format!("{l}\n")).collect();
            text.push_str(&err);
            return Ok(text);
        }
        let kind = canonical(&resource);
        let structured = matches!(output.as_deref(), Some("yaml" | "json"));
        let real = match verb.as_str() {
            "describe" => matches!(kind, Some("pods" | "nodes")),
            "logs" | "events" => true,
            "get" => {
                (kind == Some("pods") && structured)
                    || (kind == Some("nodes")
                        && output.is_none()
                        && !wide_labels.1
                        && names.is_empty())
            }
            _ => false,
        };
        let (lines, stderr) = if real {
            let (out, err, ok) = self.kubectl(args)?;
            if ok {
                let pod_ns = if all { None } else { Some(ns.as_str()) };
                match (verb.as_str(), kind) {
                    ("describe", Some("pods")) | ("get", Some("pods")) => {
                        for p in &self.cluster.pods {
                            let (pns, pname) = (
                                p["metadata"]["namespace"].as_str().unwrap_or(""),
                                p["metadata"]["name"].as_str().unwrap_or(""),
                            );
                            let hit = pod_ns.is_none_or(|n| n == pns)
                                && (names.iter().any(|x| x == pname)
                                    || (names.is_empty()
                                        && (verb == "get"
                                            || out.lines().any(|l| {
                                                l.strip_prefix("Name:")
                                                    .is_some_and(|r| r.trim() == pname)
                                            }))));
                            if hit {
                                shown.described.insert(key(p));
                                shown.inventory.insert(key(p));
                            }
                        }
                    }
                    _ => {}
                }
            }
            (
                out.lines()
                    .map(|l| (l.to_string(), None))
                    .collect::<Vec<_>>(),
                err,
            )
        } else {
            if verb != "get" {
                return Err(format!("cannot run `{line}`"));
            }
            if structured {
                return Err(format!("cannot compose `{line}`"));
            }
            shown.composed.push((n, line.to_string()));
            compose(
                &self.cluster,
                &Get {
                    resource,
                    names,
                    namespace: ns,
                    all,
                    wide: wide_labels.0,
                    labels: wide_labels.1,
                    selector,
                    field,
                    sort_by,
                    no_headers,
                },
            )?
        };
        let mut lines = lines;
        for stage in &stages[1..] {
            lines = filter(stage, lines)?;
        }
        for (_, k) in &lines {
            if let Some(k) = k {
                shown.inventory.insert(k.clone());
            }
        }
        let mut text = String::new();
        for (l, _) in &lines {
            text.push_str(l);
            text.push('\n');
        }
        text.push_str(&stderr);
        Ok(text)
    }
}

/// Moves the absolute times kubectl printed (RFC 1123 with +0000, RFC 3339) back by `shift`
/// seconds: only times at or after the shifted base time minus 15 days, which messages and
/// logs (dated around the base time) never are once the shift exceeds 16 days.
fn unshift(text: &str, shift: i64) -> String {
    let rfc1123 = regex::Regex::new(
        r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) \+0000",
    )
    .unwrap();
    let rfc3339 = regex::Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z").unwrap();
    let threshold = BASE_EPOCH + shift - 15 * 86400;
    let back = |t: jiff::Timestamp| -> Option<jiff::Timestamp> {
        (t.as_second() >= threshold)
            .then(|| t.checked_sub(jiff::SignedDuration::from_secs(shift)).ok())?
    };
    let text = rfc1123.replace_all(text, |c: &regex::Captures| {
        let parsed = jiff::fmt::strtime::parse("%a, %d %b %Y %H:%M:%S %z", &c[0])
            .ok()
            .and_then(|p| p.to_timestamp().ok());
        match parsed.and_then(back) {
            Some(t) => jiff::fmt::strtime::format(
                "%a, %d %b %Y %H:%M:%S +0000",
                &t.to_zoned(jiff::tz::TimeZone::UTC),
            )
            .unwrap_or_else(|_| c[0].to_string()),
            None => c[0].to_string(),
        }
    });
    rfc3339
        .replace_all(&text, |c: &regex::Captures| {
            match c[0].parse::<jiff::Timestamp>().ok().and_then(back) {
                Some(t) => t.to_string(),
                None => c[0].to_string(),
            }
        })
        .into_owned()
}

// ---------------------------------------------------------------------------------------
// Sessions

fn prompt_of(def: &Def, step: &Step) -> (String, String) {
    match step {
        Step::Plain(s) => (def.prompt.clone(), s.clone()),
        Step::Full { run, prompt } => (
            prompt.clone().unwrap_or_else(|| def.prompt.clone()),
            run.clone(),
        ),
    }
}

fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// Generates one session into `out/NAME/`.
fn session(name: &str, def: &Def, root: &Path, kubectl: &Path, out: &Path) -> Result<(), String> {
    if def.commands.len() < 20 || def.commands.len() > 80 {
        return Err(format!(
            "{} commands: a session has 20 to 80",
            def.commands.len()
        ));
    }
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let cluster = build(name, def, root, tmp.path())?;
    let bundle = tmp.path().join("bundle");
    let replay = replay::Replay::start(&bundle, Duration::ZERO, vec![]);
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).map_err(|e| e.to_string())?;
    let kubeconfig = replay.kubeconfig(tmp.path(), "default");
    let runner = Runner {
        kubectl,
        kubeconfig,
        home,
        replay,
        cluster,
        default_ns: std::cell::RefCell::new("default".into()),
    };
    let mut shown = Shown::default();
    let mut text = String::new();
    for (i, step) in def.commands.iter().enumerate() {
        let (prompt, line) = prompt_of(def, step);
        text.push_str(&prompt);
        text.push_str(&line);
        text.push('\n');
        let output = runner
            .step(i + 1, &line, &mut shown)
            .map_err(|e| format!("step {} `{line}`: {e}", i + 1))?;
        text.push_str(&output);
    }
    // A controller that cannot create pods is diagnosed as a placeholder pod named after it,
    // when its events are in the session.
    for pod in runner.cluster.expect.keys() {
        if runner.cluster.pods.iter().any(|p| key(p) == *pod) {
            continue;
        }
        let name = pod.split_once('/').map_or(pod.as_str(), |(_, n)| n);
        if text.to_lowercase().contains(&format!("replicaset/{name} ")) {
            shown.described.insert(pod.clone());
            shown.inventory.insert(pod.clone());
        }
    }
    // Expectations: the broken pods the session describes, by their bundle's expectation;
    // broken pods only seen in a table row may get any finding.
    let mut pods = String::new();
    let mut also = Vec::new();
    // `healthy.*` causes (a Completed pod) are not broken: nothing above info.
    for (pod, cause) in runner
        .cluster
        .expect
        .iter()
        .filter(|(_, c)| !c.starts_with("healthy."))
    {
        if shown.described.contains(pod) {
            pods.push_str(&format!("  {pod}:\n    cause: {cause}\n"));
            if let Some(d) = def.details.get(pod) {
                pods.push_str(&format!("    detail: {}\n", yaml_str(d)));
            }
            if let Some(e) = def.explains.get(pod) {
                pods.push_str(&format!("    explains: {}\n", yaml_str(e)));
            }
        } else if shown.inventory.contains(pod) {
            also.push(pod.clone());
        }
    }
    for pod in def.details.keys().chain(def.explains.keys()) {
        if !shown.described.contains(pod) || !runner.cluster.expect.contains_key(pod) {
            return Err(format!(
                "detail for `{pod}`, which the session does not describe as broken"
            ));
        }
    }
    let healthy = pods.is_empty() && also.is_empty();
    let mut exp = format!(
        "# Generated by `cargo xtask make-sessions` from tests/sessions/defs/{name}.yaml.\n\
         description: {}\n",
        yaml_str(&def.description)
    );
    if healthy {
        exp.push_str("healthy_only: true\n");
    } else if pods.is_empty() {
        exp.push_str("pods: {}\n");
    } else {
        exp.push_str("pods:\n");
        exp.push_str(&pods);
    }
    if !also.is_empty() {
        exp.push_str("# Broken, but only a row of a table: any finding.\nalso_broken:\n");
        for p in &also {
            exp.push_str(&format!("  - {p}\n"));
        }
    }
    exp.push_str(&format!(
        "# Pods shown by a `get pods` row, a describe or a pod's YAML.\npods_scanned: {}\n",
        shown.inventory.len()
    ));
    exp.push_str("inventory:\n");
    for p in &shown.inventory {
        exp.push_str(&format!("  - {p}\n"));
    }
    if shown.composed.is_empty() {
        exp.push_str("composed: []\n");
    } else {
        exp.push_str("# Outputs composed by the generator (kubectl's printers), not printed by kubectl.\ncomposed:\n");
        for (n, l) in &shown.composed {
            exp.push_str(&format!("  - {{step: {n}, command: {}}}\n", yaml_str(l)));
        }
    }
    if let Some(k) = &def.known_failing {
        exp.push_str(&format!("known_failing: {}\n", yaml_str(k)));
    }
    let dir = out.join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("session.txt"), text).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("expect.yaml"), exp).map_err(|e| e.to_string())?;
    Ok(())
}

/// `make-sessions [DIR]`: CI writes into a temporary directory and compares.
pub fn run(args: &[String]) {
    let root = crate::repo_root();
    let out = crate::dir_arg(args, "tests/sessions");
    let kubectl = std::env::var_os("KUBEDOCTOR_KUBECTL")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/kubectl/kubectl"));
    if !kubectl.is_file() {
        eprintln!(
            "make-sessions: no kubectl at {} (run scripts/fetch-kubectl)",
            kubectl.display()
        );
        std::process::exit(2);
    }
    let defs_dir = root.join("tests/sessions/defs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&defs_dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", defs_dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let defs: Vec<(String, Def)> = files
        .iter()
        .map(|f| {
            let name = f.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(f).unwrap();
            let def: Def =
                serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            (name, def)
        })
        .collect();
    // Sessions that are no longer defined are removed.
    if let Ok(rd) = std::fs::read_dir(&out) {
        for e in rd.flatten() {
            let p = e.path();
            let n = e.file_name().to_string_lossy().into_owned();
            if p.join("session.txt").is_file() && !defs.iter().any(|(d, _)| *d == n) {
                let _ = std::fs::remove_dir_all(&p);
            }
        }
    }
    let started = std::time::Instant::now();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let errors = std::sync::Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism()
        .map_or(4, |n| n.get())
        .clamp(2, 8);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some((name, def)) = defs.get(i) else {
                        break;
                    };
                    if let Err(e) = session(name, def, root, &kubectl, &out) {
                        errors.lock().unwrap().push(format!("{name}: {e}"));
                    }
                }
            });
        }
    });
    let errors = errors.into_inner().unwrap();
    if !errors.is_empty() {
        for e in &errors {
            eprintln!("make-sessions: {e}");
        }
        std::process::exit(1);
    }
    eprintln!(
        "make-sessions: {} sessions in {} ({:.1}s)",
        defs.len(),
        out.display(),
        started.elapsed().as_secs_f64()
    );
}
