//! `--from` a `kubectl cluster-info dump`.
//!
//! - `kubectl_1_33_dump_gives_the_bundles_findings`: a real kubectl 1.33 dumps the replay API
//!   server serving a sample, to a directory (`--output-directory`) and to stdout; each gives
//!   every pod the same cause ids as `--from samples/NAME`, read from a file and piped in,
//!   with the notes on what a dump lacks. kubectl comes from `scripts/fetch-kubectl`; without
//!   it the test says so on stderr and checks nothing, or fails when `CI` or
//!   `KUBEDOCTOR_REQUIRE_KUBECTL` is set (`support::kubectl`).
//! - The others damage a dump written here in kubectl's layout from a sample (its Lists split
//!   by namespace): a cut-off stream, a missing or broken namespace file, thousands of
//!   namespaces, a dump without pods.

mod support;

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;
use support::replay::Replay;
use support::{kubedoctor, sample};

/// Each pod's finding ids, in order, and the report's notes.
fn findings(report: &[u8]) -> (BTreeMap<String, Vec<String>>, Vec<String>) {
    let v: Value = serde_json::from_slice(report).expect("a JSON report");
    let pods = v["pods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let ids = p["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["id"].as_str().unwrap().to_string())
                .collect();
            (
                format!(
                    "{}/{}",
                    p["namespace"].as_str().unwrap(),
                    p["name"].as_str().unwrap()
                ),
                ids,
            )
        })
        .collect();
    let notes = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect();
    (pods, notes)
}

fn diagnose(from: &Path) -> (BTreeMap<String, Vec<String>>, Vec<String>) {
    let out = kubedoctor()
        .args(["diagnose", "-o", "json", "--from"])
        .arg(from)
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}: {}",
        from.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    findings(&out.stdout)
}

/// The pods of a sample whose bundle holds a previous log: a dump has none, so their causes
/// may rest on evidence it lacks.
fn with_previous_logs(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(namespaces) = std::fs::read_dir(dir.join("logs")) else {
        return out;
    };
    for ns in namespaces.flatten() {
        for pod in std::fs::read_dir(ns.path()).unwrap().flatten() {
            let previous = std::fs::read_dir(pod.path())
                .unwrap()
                .flatten()
                .any(|f| f.file_name().to_string_lossy().ends_with(".previous.log"));
            if previous {
                out.push(format!(
                    "{}/{}",
                    ns.file_name().to_string_lossy(),
                    pod.file_name().to_string_lossy()
                ));
            }
        }
    }
    out
}

fn assert_dump_notes(notes: &[String]) {
    assert!(
        notes
            .iter()
            .any(|n| n.contains("is a `kubectl cluster-info dump`")
                && n.contains("no previous logs, kubelet journals, PersistentVolumeClaims, Jobs")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("the dump covers only the namespaces it was given: ")),
        "{notes:?}"
    );
}

#[test]
fn kubectl_1_33_dump_gives_the_bundles_findings() {
    let Some(kubectl) = support::kubectl() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let names = [
        "demo-cluster",
        "image-not-found",
        "job-backoff-limit",
        "probe-readiness",
        "sched-pvc-unbound",
    ];
    let compared: usize = support::parallel_map(&names, |name| {
        let bundle = sample(name);
        let replay = Replay::start(&bundle, Duration::ZERO, vec![]);
        let kubeconfig = replay.kubeconfig(tmp.path(), "default");
        let dir = tmp.path().join(format!("{name}-dir"));
        let kubectl_dump = |extra: &[&std::ffi::OsStr]| {
            let out = kubectl
                .command()
                .arg("--kubeconfig")
                .arg(&kubeconfig)
                .arg("--cache-dir")
                .arg(kubectl.cache_dir())
                .args(["cluster-info", "dump", "--all-namespaces"])
                .args(extra)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "kubectl cluster-info dump: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            out.stdout
        };
        // The two dumps at once: kubectl paces its own requests (5 a second after a burst of
        // 10), and the demo's logs are many.
        let stream = tmp.path().join(format!("{name}.dump"));
        std::thread::scope(|s| {
            s.spawn(|| kubectl_dump(&["--output-directory".as_ref(), dir.as_os_str()]));
            std::fs::write(&stream, kubectl_dump(&[])).unwrap();
        });

        let (mut expected, _) = diagnose(&bundle);
        for pod in with_previous_logs(&bundle) {
            expected.remove(&pod);
        }
        assert!(!expected.is_empty(), "{name}: pods to compare");
        let piped = kubedoctor()
            .args(["diagnose", "-o", "json", "-"])
            .pipe_stdin(&stream)
            .unwrap()
            .output()
            .unwrap();
        let mut compared = 0;
        for (form, (pods, notes)) in [
            ("directory", diagnose(&dir)),
            ("stream", diagnose(&stream)),
            ("stdin", findings(&piped.stdout)),
        ] {
            for (pod, ids) in &expected {
                assert_eq!(pods.get(pod), Some(ids), "{name} {form}: {pod}");
                compared += 1;
            }
            assert_dump_notes(&notes);
        }
        compared
    })
    .into_iter()
    .sum();
    assert!(compared > 30, "{compared} pods compared");
}

/// The sample's objects in `kubectl cluster-info dump`'s layout: the nodes, then per
/// namespace its Lists in kubectl's order, each pod's container logs after the pods.
struct Written {
    /// (file name, List text) in order: `nodes` first, then `NS/events`, ...
    lists: Vec<(String, String)>,
    /// How many namespaces.
    namespaces: usize,
    /// (`NS/POD`, logs.txt text) after each namespace's pods.
    logs: Vec<(String, String)>,
}

fn items(dir: &Path, name: &str) -> Vec<Value> {
    std::fs::read_to_string(dir.join(format!("{name}.json")))
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .and_then(|v| v["items"].as_array().cloned())
        .unwrap_or_default()
}

/// A List as kubectl prints a typed one: `kind` and `apiVersion` first, four spaces a level.
fn list(kind: &str, api_version: &str, items: Vec<Value>) -> String {
    use serde::Serialize;
    let mut body = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(
        &mut body,
        serde_json::ser::PrettyFormatter::with_indent(b"    "),
    );
    json!({"metadata": {"resourceVersion": "1"}, "items": items})
        .serialize(&mut ser)
        .unwrap();
    let body = String::from_utf8(body).unwrap();
    format!(
        "{{\n    \"kind\": \"{kind}\",\n    \"apiVersion\": \"{api_version}\",{}",
        &body[1..]
    )
}

fn write_layout(bundle: &Path, extra_namespaces: usize) -> Written {
    let in_ns = |all: &[Value], ns: &str| -> Vec<Value> {
        all.iter()
            .filter(|o| o["metadata"]["namespace"] == ns)
            .cloned()
            .collect()
    };
    let (pods, events, rs, svcs) = (
        items(bundle, "pods"),
        items(bundle, "events"),
        items(bundle, "replicasets"),
        items(bundle, "services"),
    );
    let mut namespaces: Vec<String> = pods
        .iter()
        .chain(&events)
        .filter_map(|o| o["metadata"]["namespace"].as_str().map(str::to_string))
        .collect();
    namespaces.extend((0..extra_namespaces).map(|i| format!("team-{i:04}")));
    namespaces.sort();
    namespaces.dedup();
    let mut lists = vec![(
        "nodes".to_string(),
        list("NodeList", "v1", items(bundle, "nodes")),
    )];
    let mut logs = Vec::new();
    for ns in &namespaces {
        let mut add = |file: &str, kind: &str, api: &str, items: Vec<Value>| {
            lists.push((format!("{ns}/{file}"), list(kind, api, items)));
        };
        add("events", "EventList", "v1", in_ns(&events, ns));
        add(
            "replication-controllers",
            "ReplicationControllerList",
            "v1",
            vec![],
        );
        add("services", "ServiceList", "v1", in_ns(&svcs, ns));
        add("daemonsets", "DaemonSetList", "apps/v1", vec![]);
        add("deployments", "DeploymentList", "apps/v1", vec![]);
        add("replicasets", "ReplicaSetList", "apps/v1", in_ns(&rs, ns));
        let ns_pods = in_ns(&pods, ns);
        for p in &ns_pods {
            let name = p["metadata"]["name"].as_str().unwrap();
            let mut text = String::new();
            for c in p["spec"]["initContainers"]
                .as_array()
                .into_iter()
                .chain(p["spec"]["containers"].as_array())
                .flatten()
            {
                let c = c["name"].as_str().unwrap();
                let log = bundle.join(format!("logs/{ns}/{name}/{c}.log"));
                let body = std::fs::read_to_string(log).unwrap_or_else(|_| {
                    format!(
                        "Request log error: container {c:?} in pod {name:?} is waiting to start\n"
                    )
                });
                text.push_str(&format!(
                    "==== START logs for container {c} of pod {ns}/{name} ====\n{body}==== END logs for container {c} of pod {ns}/{name} ====\n"
                ));
            }
            logs.push((format!("{ns}/{name}"), text));
        }
        lists.push((format!("{ns}/pods"), list("PodList", "v1", ns_pods)));
    }
    Written {
        lists,
        logs,
        namespaces: namespaces.len(),
    }
}

/// Writes the layout as an `--output-directory` tree.
fn write_dir(w: &Written, dir: &Path) {
    for (file, value) in &w.lists {
        let path = dir.join(format!("{file}.json"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, format!("{value}\n")).unwrap();
    }
    for (pod, text) in &w.logs {
        let path = dir.join(pod).join("logs.txt");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// The layout as kubectl prints it to stdout.
fn stream_text(w: &Written) -> String {
    let mut out = String::new();
    for (file, value) in &w.lists {
        out.push_str(value);
        out.push('\n');
        if let Some(ns) = file.strip_suffix("/pods") {
            for (pod, text) in &w.logs {
                if pod.split_once('/').is_some_and(|(n, _)| n == ns) {
                    out.push_str(text);
                }
            }
        }
    }
    out
}

#[test]
fn a_dump_written_in_kubectls_layout_reads_like_its_bundle() {
    // The same check as with kubectl, on the layout written here: it runs without kubectl.
    let bundle = sample("image-not-found");
    let w = write_layout(&bundle, 0);
    let tmp = tempfile::tempdir().unwrap();
    write_dir(&w, tmp.path());
    let stream = tmp.path().join("dump.txt");
    std::fs::write(&stream, stream_text(&w)).unwrap();
    let (expected, _) = diagnose(&bundle);
    for from in [tmp.path().to_path_buf(), stream] {
        let (pods, notes) = diagnose(&from);
        assert_eq!(pods, expected, "{}", from.display());
        assert_dump_notes(&notes);
    }
}

#[test]
fn a_cut_off_stream_gives_a_partial_report_with_a_note() {
    let w = write_layout(&sample("demo-cluster"), 0);
    let text = stream_text(&w);
    // Cut inside the pods of `shop`, in the pod `orders` (its name's last mention: events
    // come before the pods, logs after them name it otherwise).
    let pods_at = text.rfind("\"name\": \"orders-5f7b9d8c6-j2k8m\"").unwrap();
    let cut = &text[..pods_at];
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("cut.dump");
    std::fs::write(&file, cut).unwrap();
    let (pods, notes) = diagnose(&file);
    let (all, _) = diagnose(&sample("demo-cluster"));
    assert!(
        notes
            .iter()
            .any(|n| n.contains("PodList: the input ends inside this list (cut off?)")),
        "{notes:?}"
    );
    // Every pod before the cut is there, the cut one and those after are not.
    assert!(pods.len() < all.len() && !pods.is_empty(), "{pods:?}");
    assert!(!pods.contains_key("shop/orders-5f7b9d8c6-j2k8m"));
    for (pod, ids) in &pods {
        if !with_previous_logs(&sample("demo-cluster")).contains(pod) {
            assert_eq!(all.get(pod), Some(ids), "{pod}");
        }
    }
}

#[test]
fn a_missing_or_broken_namespace_file_is_a_note() {
    let w = write_layout(&sample("demo-cluster"), 0);
    let tmp = tempfile::tempdir().unwrap();
    write_dir(&w, tmp.path());
    std::fs::remove_file(tmp.path().join("docs/events.json")).unwrap();
    let pods = tmp.path().join("media/pods.json");
    let text = std::fs::read_to_string(&pods).unwrap();
    std::fs::write(&pods, &text[..text.len() / 2]).unwrap();
    let (found, notes) = diagnose(tmp.path());
    assert!(
        notes
            .iter()
            .any(|n| n.contains("no events.json in 1 namespace (docs)")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("media/pods.json` skipped: not valid JSON")),
        "{notes:?}"
    );
    assert!(!found.keys().any(|p| p.starts_with("media/")));
    assert!(found.keys().any(|p| p.starts_with("shop/")));
}

#[test]
fn thousands_of_namespaces_are_counted_not_listed() {
    let w = write_layout(&sample("image-not-found"), 2000);
    let tmp = tempfile::tempdir().unwrap();
    write_dir(&w, tmp.path());
    let stream = tmp.path().join("dump.txt");
    std::fs::write(&stream, stream_text(&w)).unwrap();
    let (dir_pods, notes) = diagnose(tmp.path());
    let (n, more) = (w.namespaces, w.namespaces - 5);
    assert!(n > 2000);
    assert!(
        notes
            .iter()
            .any(|x| x.contains(&format!("{n} namespaces ("))
                && x.contains(&format!(" and {more} more)"))),
        "{notes:?}"
    );
    assert!(notes.iter().all(|n| n.len() < 400), "{notes:?}");
    let (stream_pods, notes) = diagnose(&stream);
    assert_eq!(dir_pods, stream_pods);
    assert!(
        notes.iter().any(|x| x.contains(&format!("{n} namespaces"))),
        "{notes:?}"
    );
}

#[test]
fn a_dump_without_pods_is_an_error_that_says_so() {
    let w = write_layout(&sample("image-not-found"), 0);
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("nodes-only.dump");
    std::fs::write(&file, format!("{}\n", w.lists[0].1)).unwrap();
    let out = kubedoctor()
        .args(["diagnose", "--from"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no pods could be read") && err.contains("0 namespaces"),
        "{err}"
    );
}
