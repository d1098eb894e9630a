//! Live clusters, tested against a replay API server on 127.0.0.1 that serves sample
//! bundles over the real Kubernetes REST paths.

mod support;

use kubedoctor::samples::sample_dirs;
use kubedoctor::sources::bundle;
use kubedoctor::status::pod_status;
use predicates::prelude::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;
use support::kubedoctor;
use support::replay::{Fault, Replay};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// A report without what differs between runs: time, source and notes; and the deletion
/// age, which a live run measures from now.
fn normalized(out: &[u8]) -> Value {
    let mut v: Value = serde_json::from_slice(out).expect("JSON report");
    for k in ["generated_at", "source", "notes"] {
        v.as_object_mut().unwrap().remove(k);
    }
    for pod in v["pods"].as_array_mut().unwrap() {
        for f in pod["findings"].as_array_mut().unwrap() {
            f["evidence"].as_array_mut().unwrap().retain(|e| {
                !e["text"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("deletion requested")
            });
        }
    }
    v
}

fn live(replay: &Replay, tmp: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    let kubeconfig = replay.kubeconfig(tmp, "default");
    kubedoctor()
        .arg("diagnose")
        .args(args)
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .assert()
}

/// A live run's JSON report (the run must succeed).
fn live_json(replay: &Replay, tmp: &Path, args: &[&str]) -> Value {
    let out = live(replay, tmp, args)
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("JSON report")
}

#[test]
fn live_reports_equal_bundle_reports_for_every_sample() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = sample_dirs(&samples()).unwrap();
    let differ: Vec<String> = support::parallel_map(&dirs, |dir| {
        let from_bundle = kubedoctor()
            .args(["diagnose", "-A", "-o", "json", "--from"])
            .arg(dir)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let replay = Replay::start(dir, Duration::ZERO, vec![]);
        let from_live = live(&replay, tmp.path(), &["-A", "-o", "json"])
            .success()
            .get_output()
            .stdout
            .clone();
        (normalized(&from_bundle) != normalized(&from_live))
            .then(|| dir.file_name().unwrap().to_string_lossy().into_owned())
    })
    .into_iter()
    .flatten()
    .collect();
    assert!(dirs.len() > 60);
    assert!(
        differ.is_empty(),
        "live and bundle reports differ for {differ:?}"
    );
}

#[test]
fn few_requests_and_only_get() {
    let dir = samples().join("demo-cluster");
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(&dir, Duration::ZERO, vec![]);
    live(&replay, tmp.path(), &["-A", "-o", "json"]).success();
    let requests = replay.requests();
    assert!(requests.iter().all(|(m, _)| m == "GET"), "{requests:?}");

    let evidence = bundle::read(&dir).unwrap();
    let unhealthy: Vec<_> = evidence
        .pods
        .iter()
        .filter(|p| !pod_status(p).healthy)
        .collect();
    let containers: usize = unhealthy
        .iter()
        .map(|p| p.all_containers().filter(|c| !c.is_healthy()).count())
        .sum();
    let nodes: BTreeSet<_> = unhealthy
        .iter()
        .filter_map(|p| p.node_name.clone())
        .collect();
    let lists = requests
        .iter()
        .filter(|(_, u)| !u.contains("/log") && !u.contains("/version"))
        .count();
    let logs = requests.iter().filter(|(_, u)| u.contains("/log?")).count();
    let journals = requests
        .iter()
        .filter(|(_, u)| u.contains("/proxy/logs"))
        .count();
    // Services, EndpointSlices and ServiceAccounts once each for the scope (Endpoints only
    // after a 404 on EndpointSlices, when the bundle has none); no kube-system pod list
    // with -A.
    assert!(
        lists <= 9,
        "pods, events, nodes, services, endpointslices (endpoints after a 404), serviceaccounts, and replicasets/pvcs only when needed: {lists}"
    );
    for resource in [
        "/services",
        "/endpointslices",
        "/endpoints",
        "/serviceaccounts",
    ] {
        let calls: Vec<_> = requests
            .iter()
            .filter(|(_, u)| u.split('?').next().unwrap_or("").ends_with(resource))
            .collect();
        assert!(calls.len() <= 1, "{resource} at most once: {calls:?}");
        assert!(
            calls.iter().all(|(_, u)| !u.contains("/namespaces/")),
            "{calls:?}"
        );
    }
    for resource in ["/services", "/endpointslices", "/serviceaccounts"] {
        assert!(
            requests
                .iter()
                .any(|(_, u)| u.starts_with("/api") && u.contains(&format!("{resource}?"))),
            "{resource} listed"
        );
    }
    assert!(
        !requests
            .iter()
            .any(|(_, u)| u.contains("/namespaces/kube-system/pods")),
        "the pod list of -A holds the system pods"
    );
    assert!(
        logs <= 2 * containers,
        "{logs} log requests for {containers} unhealthy containers"
    );
    assert!(journals <= nodes.len());
    let bound = 7 + 2 * containers + nodes.len();
    assert!(
        requests.len() <= bound,
        "{} requests, bound {bound}: {requests:#?}",
        requests.len()
    );
    // Events are listed once, never per pod.
    assert_eq!(
        requests
            .iter()
            .filter(|(_, u)| u.contains("/events"))
            .count(),
        1
    );
    // A Pending or ImagePullBackOff pod needs no logs.
    assert!(
        !requests
            .iter()
            .any(|(_, u)| u.contains("spark-driver") || u.contains("checkout-7c9d8f6b5-k8s2n/log"))
    );
}

#[test]
fn forbidden_logs_in_one_namespace_become_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(
        &samples().join("demo-cluster"),
        Duration::ZERO,
        vec![Fault {
            contains: "/namespaces/shop/pods/".into(),
            status: Some(403),
            delay: None,
            times: 100,
        }],
    );
    let v = live_json(&replay, tmp.path(), &["-A", "-o", "json"]);
    let notes = v["notes"].to_string();
    assert!(
        notes.contains("403 forbidden (needs get on pods/log in namespace `shop`)"),
        "{notes}"
    );
    assert!(
        v["pods"].as_array().unwrap().len() > 5,
        "the report is still produced"
    );
}

#[test]
fn rate_limits_are_retried_and_server_errors_become_notes() {
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(
        &samples().join("crash-oom"),
        Duration::ZERO,
        vec![
            Fault {
                contains: "/api/v1/pods".into(),
                status: Some(429),
                delay: None,
                times: 2,
            },
            Fault {
                contains: "/api/v1/events".into(),
                status: Some(500),
                delay: None,
                times: 100,
            },
        ],
    );
    let v = live_json(&replay, tmp.path(), &["-A", "-o", "json"]);
    assert_eq!(v["pods"][0]["findings"][0]["id"], "crash.oom");
    assert!(
        v["notes"]
            .to_string()
            .contains("cannot read events in all namespaces: 500"),
        "{}",
        v["notes"]
    );
    let pod_lists = replay
        .requests()
        .iter()
        .filter(|(_, u)| u.starts_with("/api/v1/pods"))
        .count();
    assert_eq!(pod_lists, 3, "two 429s, then success");
    let event_lists = replay
        .requests()
        .iter()
        .filter(|(_, u)| u.starts_with("/api/v1/events"))
        .count();
    assert_eq!(
        event_lists, 4,
        "a 500 is retried three times, then given up"
    );
}

/// An answer that does not come within the test's time (an hour): the run gives up on it at
/// `--request-timeout` with a note, and reports the rest. Were it awaited, the test would
/// hang rather than pass.
#[test]
fn a_slow_call_times_out_without_stalling_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(
        &samples().join("crash-oom"),
        Duration::ZERO,
        vec![Fault {
            contains: "/api/v1/events".into(),
            status: None,
            delay: Some(Duration::from_secs(3600)),
            times: 100,
        }],
    );
    let v = live_json(
        &replay,
        tmp.path(),
        &["-A", "-o", "json", "--request-timeout", "1s"],
    );
    assert!(
        v["notes"]
            .to_string()
            .contains("events in all namespaces timed out"),
        "{}",
        v["notes"]
    );
    assert_eq!(v["pods"][0]["findings"][0]["id"], "crash.oom");
}

/// `--request-timeout 0` is no limit, not an instant one (every answer takes a moment). That
/// no layer cuts a slow answer below the timeout, or at all for 0, is checked without waiting
/// by the unit tests of `sources::cluster::connect` (kube's timeouts) and `call` (the
/// per-call timeout).
#[test]
fn a_zero_request_timeout_is_no_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(&samples().join("crash-oom"), Duration::ZERO, vec![]);
    let v = live_json(
        &replay,
        tmp.path(),
        &["-A", "-o", "json", "--request-timeout", "0"],
    );
    assert!(
        !v["notes"].to_string().contains("timed out"),
        "--request-timeout 0: {}",
        v["notes"]
    );
    assert_eq!(v["pods"][0]["findings"][0]["id"], "crash.oom");
}

#[test]
fn unreachable_cluster_and_rejected_credentials_are_exit_3() {
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(&samples().join("crash-oom"), Duration::ZERO, vec![]);
    let kubeconfig = replay.kubeconfig(tmp.path(), "default");
    let port = replay.port;
    drop(replay);
    kubedoctor()
        .args(["diagnose", "-A", "--request-timeout", "2s", "--kubeconfig"])
        .arg(&kubeconfig)
        .assert()
        .code(3)
        .stderr(predicate::str::contains(format!("http://127.0.0.1:{port}")))
        .stderr(predicate::str::contains("context `replay`"))
        .stderr(predicate::str::contains("check:"));

    let replay = Replay::start(
        &samples().join("crash-oom"),
        Duration::ZERO,
        vec![Fault {
            contains: "/pods".into(),
            status: Some(401),
            delay: None,
            times: 100,
        }],
    );
    live(&replay, tmp.path(), &["-A"])
        .code(3)
        .stderr(predicate::str::contains("401 unauthorized"))
        .stderr(predicate::str::contains("credentials"));
}

#[test]
fn capture_of_the_replay_cluster_diagnoses_like_the_original() {
    let tmp = tempfile::tempdir().unwrap();
    let original = samples().join("demo-cluster");
    let replay = Replay::start(&original, Duration::ZERO, vec![]);
    let captured = tmp.path().join("captured");
    kubedoctor()
        .args(["capture", "-A", "--dir"])
        .arg(&captured)
        .arg("--kubeconfig")
        .arg(replay.kubeconfig(tmp.path(), "default"))
        .assert()
        .success();
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(captured.join("bundle.json")).unwrap())
            .unwrap();
    assert_eq!(meta["server_version"], "v1.33.4-replay");
    assert_eq!(meta["scope"], "all namespaces");
    assert!(
        captured
            .join("logs/shop/orders-5f7b9d8c6-j2k8m/orders.previous.log")
            .is_file()
    );
    let a = kubedoctor()
        .args(["diagnose", "-A", "-o", "json", "--from"])
        .arg(&original)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let b = kubedoctor()
        .args(["diagnose", "-A", "-o", "json", "--from"])
        .arg(&captured)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(normalized(&a), normalized(&b));
}

#[test]
fn a_target_narrows_what_is_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(&samples().join("demo-cluster"), Duration::ZERO, vec![]);
    let v = live_json(
        &replay,
        tmp.path(),
        &["deployment/orders", "-n", "shop", "-o", "json"],
    );
    assert_eq!(v["summary"]["pods_scanned"], 1);
    assert_eq!(
        v["pods"][0]["findings"][0]["id"],
        "crash.dependency-unreachable"
    );
    let requests = replay.requests();
    assert!(
        requests
            .iter()
            .any(|(_, u)| u.starts_with("/api/v1/namespaces/shop/pods?")
                && u.contains("labelSelector=app.kubernetes.io%2Fname%3Dorders")),
        "{requests:#?}"
    );

    let v = live_json(
        &replay,
        tmp.path(),
        &["orders-5f7b9d8c6-j2k8m", "-n", "shop", "-o", "json"],
    );
    assert_eq!(v["summary"]["pods_scanned"], 1);
    assert!(
        replay
            .requests()
            .iter()
            .any(|(_, u)| u.contains("fieldSelector=metadata.name%3Dorders-5f7b9d8c6-j2k8m"))
    );
}

/// Names and workloads together, a CronJob, and a workload that does not exist.
#[test]
fn mixed_targets_cronjobs_and_unknown_workloads() {
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(&samples().join("demo-cluster"), Duration::ZERO, vec![]);
    let names = |v: &Value| -> Vec<String> {
        v["pods"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect()
    };
    let v = live_json(
        &replay,
        tmp.path(),
        &[
            "deployment/orders",
            "inventory-5c9d7b8f6-g7h8j",
            "accounts-7d8f9c6b5-d4f5g",
            "-n",
            "shop",
            "-o",
            "json",
        ],
    );
    assert_eq!(v["summary"]["pods_scanned"], 3, "{:?}", names(&v));
    let v = live_json(
        &replay,
        tmp.path(),
        &["cronjob/daily-report", "-n", "batch", "-o", "json"],
    );
    assert_eq!(v["summary"]["pods_scanned"], 1);
    assert_eq!(v["summary"]["pods_unhealthy"], 0, "a finished Job");
    live(&replay, tmp.path(), &["deployment/nope", "-n", "shop"])
        .code(2)
        .stderr(predicate::str::contains("deployment/nope"));
}

#[test]
fn the_kubelet_journal_comes_through_the_node_log_query() {
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(
        &samples().join("node-kubelet-error"),
        Duration::ZERO,
        vec![],
    );
    let v = live_json(&replay, tmp.path(), &["-A", "-o", "json"]);
    let pod = v["pods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["node"] == "worker-5")
        .unwrap();
    assert_eq!(pod["findings"][0]["id"], "node.kubelet-error");
    assert!(
        pod["findings"][0]["evidence"]
            .to_string()
            .contains("PLEG is not healthy")
    );
    let requests = replay.requests();
    let journal = requests
        .iter()
        .find(|(_, u)| u.starts_with("/api/v1/nodes/worker-5/proxy/logs/?query=kubelet"))
        .map(|(_, u)| u.clone())
        .expect("the journal is asked for");
    // The window ends at the API server's time (the replay server's `Date`: the bundle's
    // capture, 2026-11-20T11:00:00Z), not this machine's.
    assert!(
        journal.contains("sinceTime=2026-11-20T09%3A00%3A00Z"),
        "{journal}"
    );
}

/// A node that is gone (or stopped reporting) is not asked for its journal (the proxy would
/// fail or wait for the timeout); a note says why.
#[test]
fn an_unreachable_node_is_not_asked_for_its_journal() {
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(
        &samples().join("terminating-node-unreachable"),
        Duration::ZERO,
        vec![],
    );
    let v = live_json(&replay, tmp.path(), &["-A", "-o", "json"]);
    assert!(
        !replay
            .requests()
            .iter()
            .any(|(_, u)| u.starts_with("/api/v1/nodes/worker-9/proxy/logs")),
        "{:?}",
        replay.requests()
    );
    assert!(
        v["notes"].to_string().contains(
            "the kubelet journal of node `worker-9` was not asked for: it is not in the cluster's node list"
        ),
        "{}",
        v["notes"]
    );
}

#[test]
fn a_local_journal_replaces_the_node_log_query() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = samples().join("node-kubelet-error");
    // Without its host prefix, the journal belongs to the node of the unhealthy pod.
    let journal = tmp.path().join("kubelet.txt");
    let text = std::fs::read_to_string(dir.join("journal/worker-5.log")).unwrap();
    let klog: String = text
        .lines()
        .map(|l| format!("{}\n", l.split_once("]: ").map_or(l, |(_, m)| m)))
        .collect();
    std::fs::write(&journal, klog).unwrap();
    let replay = Replay::start(&dir, Duration::ZERO, vec![]);
    let v = live_json(
        &replay,
        tmp.path(),
        &["-A", "-o", "json", "--journal", journal.to_str().unwrap()],
    );
    let pod = v["pods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["node"] == "worker-5")
        .unwrap();
    assert_eq!(pod["findings"][0]["id"], "node.kubelet-error");
    assert!(
        !replay
            .requests()
            .iter()
            .any(|(_, u)| u.contains("/proxy/logs")),
        "no node log query"
    );
}

#[test]
fn a_user_playbook_for_every_status_that_reads_logs_gets_logs() {
    let tmp = tempfile::tempdir().unwrap();
    let pb = tmp.path().join("playbooks");
    std::fs::create_dir_all(&pb).unwrap();
    std::fs::write(
        pb.join("team.yaml"),
        "status: [\"*\"]\nsummary: ours\ncauses:\n  - id: team.cache-warmup\n    title: Cache still warming up\n    severity: warning\n    confidence: 0.99\n    when:\n      - log: 'cache warmup (?P<pct>\\d+)%'\n    explain: \"warmup at {pct}%\"\n",
    )
    .unwrap();
    let replay = Replay::start(&samples().join("probe-readiness"), Duration::ZERO, vec![]);
    let v = live_json(
        &replay,
        tmp.path(),
        &["-A", "-o", "json", "--playbooks", pb.to_str().unwrap()],
    );
    assert_eq!(v["pods"][0]["findings"][0]["id"], "team.cache-warmup");
    assert!(
        replay
            .requests()
            .iter()
            .any(|(_, u)| u.contains("accounts-7d8f9c6b5-d4f5g/log"))
    );
}

/// A small cluster in `shop` with Services, written for these tests: `web` (two pods, one
/// ready, dual-stack slices), `api` (selects no pod: no endpoints), `db` (headless), and
/// the cluster DNS and kube-proxy pods in `kube-system`.
fn service_bundle(dir: &Path, endpoints: Endpoints) {
    let pod = |ns: &str, name: &str, labels: Value, ready: bool| {
        serde_json::json!({
            "metadata": {"name": name, "namespace": ns, "uid": format!("uid-{name}"),
                         "creationTimestamp": "2026-11-20T09:00:00Z", "labels": labels},
            "spec": {"nodeName": "worker-1", "restartPolicy": "Always",
                     "containers": [{"name": "app", "image": "registry.example/shop/app:1.4.2",
                                     "ports": [{"name": "http", "containerPort": 8080}]}]},
            "status": {"phase": "Running",
                       "conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}],
                       "containerStatuses": [{"name": "app", "ready": ready, "restartCount": 0,
                                              "started": true,
                                              "state": {"running": {"startedAt": "2026-11-20T09:01:00Z"}}}]}
        })
    };
    let list = |items: Vec<Value>| {
        serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items}).to_string()
    };
    let write = |name: &str, text: String| std::fs::write(dir.join(name), text).unwrap();
    write(
        "pods.json",
        list(vec![
            pod("shop", "web-1", serde_json::json!({"app": "web"}), true),
            pod("shop", "web-2", serde_json::json!({"app": "web"}), false),
        ]),
    );
    write(
        "system-pods.json",
        list(vec![
            pod(
                "kube-system",
                "coredns-1",
                serde_json::json!({"k8s-app": "kube-dns"}),
                true,
            ),
            pod(
                "kube-system",
                "kube-proxy-1",
                serde_json::json!({"k8s-app": "kube-proxy"}),
                true,
            ),
        ]),
    );
    write("events.json", list(vec![]));
    write(
        "nodes.json",
        list(vec![serde_json::json!({"metadata": {"name": "worker-1"},
            "status": {"conditions": [{"type": "Ready", "status": "True"}]}})]),
    );
    write(
        "bundle.json",
        r#"{"captured_at": "2026-11-20T10:00:00Z", "scope": "namespace shop", "notes": []}"#
            .to_string(),
    );
    // An annotation carries a password, for capture to redact.
    let applied = r#"{"metadata":{"annotations":{"db":"postgres://app:s3cr3tP4ss@db/orders"}}}"#;
    let service = |name: &str, spec: Value| {
        serde_json::json!({"metadata": {"name": name, "namespace": "shop",
            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": applied}},
            "spec": spec})
    };
    write(
        "services.json",
        list(vec![
            service(
                "web",
                serde_json::json!({"type": "ClusterIP", "clusterIP": "10.96.0.10",
                "selector": {"app": "web"},
                "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}]}),
            ),
            service(
                "api",
                serde_json::json!({"type": "ClusterIP", "clusterIP": "10.96.0.11",
                "selector": {"app": "api"},
                "ports": [{"port": 80, "targetPort": 9090, "protocol": "TCP"}]}),
            ),
            service(
                "db",
                serde_json::json!({"type": "ClusterIP", "clusterIP": "None",
                "selector": {"app": "db"}, "ports": [{"port": 5432, "targetPort": 5432}]}),
            ),
        ]),
    );
    write(
        "serviceaccounts.json",
        list(vec![
            serde_json::json!({"metadata": {"name": "default", "namespace": "shop"},
            "secrets": [{"name": "default-token-x"}]}),
        ]),
    );
    let port = serde_json::json!([{"name": "http", "port": 8080, "protocol": "TCP"}]);
    let target = |pod: &str| serde_json::json!({"kind": "Pod", "name": pod, "namespace": "shop"});
    match endpoints {
        Endpoints::Slices => write(
            "endpointslices.json",
            list(vec![
                serde_json::json!({"metadata": {"name": "web-v4", "namespace": "shop",
                    "labels": {"kubernetes.io/service-name": "web"}},
                    "addressType": "IPv4", "ports": port,
                    "endpoints": [
                        {"addresses": ["10.244.1.5"], "conditions": {"ready": true},
                         "targetRef": target("web-1"), "nodeName": "worker-1"},
                        {"addresses": ["10.244.1.6"], "conditions": {"ready": false},
                         "targetRef": target("web-2"), "nodeName": "worker-1"}]}),
                serde_json::json!({"metadata": {"name": "web-v6", "namespace": "shop",
                    "labels": {"kubernetes.io/service-name": "web"}},
                    "addressType": "IPv6", "ports": port,
                    "endpoints": [{"addresses": ["fd00:10:244::5"], "conditions": {"ready": true},
                                   "targetRef": target("web-1")}]}),
            ]),
        ),
        Endpoints::Objects => write(
            "endpoints.json",
            list(vec![
                serde_json::json!({"metadata": {"name": "web", "namespace": "shop"},
                "subsets": [{"addresses": [{"ip": "10.244.1.5", "targetRef": target("web-1")}],
                             "notReadyAddresses": [{"ip": "10.244.1.6", "targetRef": target("web-2")}],
                             "ports": port}]}),
            ]),
        ),
    }
}

/// How a [`service_bundle`] holds its endpoints.
#[derive(Clone, Copy)]
enum Endpoints {
    Slices,
    /// core/v1 Endpoints only: a cluster that answers 404 for EndpointSlices.
    Objects,
}

/// Captures `-n shop` from a replay of `bundle`, returning the captured directory.
fn capture_shop(replay: &Replay, tmp: &Path) -> PathBuf {
    let captured = tmp.join("captured");
    kubedoctor()
        .args(["capture", "-n", "shop", "--no-node-journal", "--dir"])
        .arg(&captured)
        .arg("--kubeconfig")
        .arg(replay.kubeconfig(tmp, "default"))
        .assert()
        .success();
    captured
}

#[test]
fn a_live_run_gathers_services_endpoints_and_service_accounts() {
    let tmp = tempfile::tempdir().unwrap();
    let original = tmp.path().join("original");
    std::fs::create_dir_all(&original).unwrap();
    service_bundle(&original, Endpoints::Slices);
    let replay = Replay::start(&original, Duration::ZERO, vec![]);
    let captured = capture_shop(&replay, tmp.path());
    for f in [
        "services.json",
        "endpointslices.json",
        "serviceaccounts.json",
        "system-pods.json",
    ] {
        assert!(captured.join(f).is_file(), "{f} written");
    }
    assert!(!captured.join("endpoints.json").exists());
    let services = std::fs::read_to_string(captured.join("services.json")).unwrap();
    assert!(
        !services.contains("s3cr3tP4ss") && services.contains("[REDACTED]"),
        "capture redacts Services"
    );
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(captured.join("bundle.json")).unwrap())
            .unwrap();
    assert_eq!(meta["scope"], "namespace shop");
    let requests = replay.requests();
    for path in [
        "/api/v1/namespaces/shop/services?",
        "/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices?",
        "/api/v1/namespaces/shop/serviceaccounts?",
        "/api/v1/namespaces/kube-system/pods?",
    ] {
        assert_eq!(
            requests.iter().filter(|(_, u)| u.starts_with(path)).count(),
            1,
            "{path}: {requests:#?}"
        );
    }
    assert!(
        requests
            .iter()
            .any(|(_, u)| u.contains("labelSelector=k8s-app") && u.contains("kube-dns")),
        "{requests:#?}"
    );
    assert!(
        !requests
            .iter()
            .any(|(_, u)| u.contains("/api/v1/namespaces/shop/endpoints?"))
    );
    // The captured bundle reads back into the same evidence as the original.
    let evidence = bundle::read(&captured).unwrap();
    let names = |e: &kubedoctor::evidence::Evidence| -> Vec<String> {
        e.services.iter().map(|s| s.name.clone()).collect()
    };
    assert_eq!(names(&evidence), ["web", "api", "db"]);
    let web = evidence.services[0].endpoints.as_ref().unwrap();
    assert_eq!(
        (web.ready.len(), web.not_ready.len()),
        (2, 1),
        "both slices"
    );
    assert_eq!(web.not_ready[0].pod.as_deref(), Some("web-2"));
    assert_eq!(web.ports[0].port, 8080);
    assert_eq!(
        evidence.services[1]
            .endpoints
            .as_ref()
            .map(|e| e.ready.len()),
        Some(0),
        "api: listed, no endpoints"
    );
    assert!(evidence.services[2].headless);
    assert!(evidence.services_listed.covers("shop") && !evidence.services_listed.covers("ops"));
    assert!(evidence.pods_listed.covers("shop"));
    assert!(evidence.service_accounts_listed.covers("shop"));
    assert_eq!(evidence.service_accounts[0].name, "default");
    let system: Vec<&str> = evidence
        .system_pods
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(system, ["coredns-1", "kube-proxy-1"]);
    assert_eq!(evidence.pods.len(), 2, "system pods are not diagnosed");
    let original = bundle::read(&original).unwrap();
    assert_eq!(original.services, evidence.services);
    assert_eq!(original.system_pods.len(), 2);
}

#[test]
fn a_cluster_without_endpointslices_gives_its_endpoints() {
    let tmp = tempfile::tempdir().unwrap();
    let original = tmp.path().join("original");
    std::fs::create_dir_all(&original).unwrap();
    service_bundle(&original, Endpoints::Objects);
    let replay = Replay::start(&original, Duration::ZERO, vec![]);
    let captured = capture_shop(&replay, tmp.path());
    assert!(captured.join("endpoints.json").is_file());
    assert!(!captured.join("endpointslices.json").exists());
    let requests = replay.requests();
    assert!(
        requests
            .iter()
            .any(|(_, u)| u.starts_with("/api/v1/namespaces/shop/endpoints?")),
        "{requests:#?}"
    );
    let evidence = bundle::read(&captured).unwrap();
    let web = evidence.services[0].endpoints.as_ref().unwrap();
    assert_eq!((web.ready.len(), web.not_ready.len()), (1, 1));
    assert_eq!(
        evidence.services[1]
            .endpoints
            .as_ref()
            .map(|e| e.ready.len()),
        Some(0)
    );
    let notes = evidence.notes.join("\n");
    assert!(
        !notes.contains("endpointslices"),
        "a 404 is no note: {notes}"
    );
}

#[test]
fn forbidden_services_leave_them_unknown_with_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let original = tmp.path().join("original");
    std::fs::create_dir_all(&original).unwrap();
    service_bundle(&original, Endpoints::Slices);
    let forbid = |contains: &str| Fault {
        contains: contains.into(),
        status: Some(403),
        delay: None,
        times: 100,
    };
    let replay = Replay::start(
        &original,
        Duration::ZERO,
        vec![
            forbid("/namespaces/shop/services"),
            forbid("/namespaces/shop/serviceaccounts"),
            forbid("/namespaces/kube-system/"),
        ],
    );
    let v = live_json(&replay, tmp.path(), &["-n", "shop", "-o", "json"]);
    let notes = v["notes"].to_string();
    for needs in [
        "403 forbidden (needs list on services in namespace `shop`)",
        "403 forbidden (needs list on serviceaccounts in namespace `shop`)",
        "403 forbidden (needs list on pods in namespace `kube-system`)",
    ] {
        assert!(notes.contains(needs), "{needs}: {notes}");
    }
    assert_eq!(
        v["summary"]["pods_scanned"], 2,
        "the report is still produced"
    );
    let captured = capture_shop(&replay, tmp.path());
    assert!(!captured.join("services.json").exists());
    assert!(!captured.join("serviceaccounts.json").exists());
    let evidence = bundle::read(&captured).unwrap();
    assert!(evidence.services.is_empty() && evidence.services_listed.is_empty());
    assert!(evidence.service_accounts_listed.is_empty());
    assert!(evidence.system_pods.is_empty());
    assert!(evidence.pods_listed.covers("shop"), "the pods were listed");
}

/// `(API group, resource[/subresource], namespace, verb)` of a request path (`None` for
/// paths that are no resource, like `/version`).
fn access(url: &str) -> Option<(String, String, Option<String>, &'static str)> {
    let path = url.split('?').next().unwrap_or_default();
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (group, rest) = match segs.as_slice() {
        ["api", "v1", rest @ ..] => (String::new(), rest),
        ["apis", group, _version, rest @ ..] => (group.to_string(), rest),
        _ => return None,
    };
    let (ns, rest) = match rest {
        ["namespaces", ns, rest @ ..] if !rest.is_empty() => (Some(ns.to_string()), rest),
        rest => (None, rest),
    };
    let (resource, verb) = match rest {
        [resource] => (resource.to_string(), "list"),
        [resource, _name] => (resource.to_string(), "get"),
        [resource, _name, sub, ..] => (format!("{resource}/{sub}"), "get"),
        _ => return None,
    };
    Some((group, resource, ns, verb))
}

/// The rules of the `kind` object in a deploy manifest.
fn rules(file: &str, kind: &str) -> Vec<k8s_openapi::api::rbac::v1::PolicyRule> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("deploy")
        .join(file);
    let docs: Vec<Value> =
        serde_saphyr::from_multiple(&std::fs::read_to_string(path).unwrap()).unwrap();
    let doc = docs.into_iter().find(|d| d["kind"] == kind).unwrap();
    let rules = doc["rules"].clone();
    serde_json::from_value(rules).unwrap()
}

fn allows(
    rules: &[k8s_openapi::api::rbac::v1::PolicyRule],
    group: &str,
    resource: &str,
    verb: &str,
) -> bool {
    rules.iter().any(|r| {
        r.api_groups.iter().flatten().any(|g| g == group)
            && r.resources.iter().flatten().any(|x| x == resource)
            && r.verbs.iter().any(|v| v == verb)
    })
}

/// Every request of a live run is one the deploy manifests grant: the ClusterRole all of
/// them; the namespaced Role those of its namespace, and not the node list or the
/// kube-system pods its header says it cannot see.
#[test]
fn the_deploy_roles_grant_what_a_live_run_asks() {
    let tmp = tempfile::tempdir().unwrap();
    let original = tmp.path().join("original");
    std::fs::create_dir_all(&original).unwrap();
    service_bundle(&original, Endpoints::Slices);
    let replay = Replay::start(&original, Duration::ZERO, vec![]);
    live_json(
        &replay,
        tmp.path(),
        &["-A", "--no-node-journal", "-o", "json"],
    );
    let cluster = rules("rbac.yaml", "ClusterRole");
    let asked: Vec<_> = replay
        .requests()
        .iter()
        .filter_map(|(_, u)| access(u))
        .collect();
    assert!(
        asked
            .iter()
            .any(|(g, r, _, _)| g == "discovery.k8s.io" && r == "endpointslices")
    );
    for (group, resource, _, verb) in &asked {
        assert!(
            allows(&cluster, group, resource, verb),
            "ClusterRole: {verb} {group}/{resource}"
        );
    }

    let replay = Replay::start(&original, Duration::ZERO, vec![]);
    live_json(
        &replay,
        tmp.path(),
        &["-n", "shop", "--no-node-journal", "-o", "json"],
    );
    let role = rules("namespaced/rbac.yaml", "Role");
    let mut refused: Vec<String> = replay
        .requests()
        .iter()
        .filter_map(|(_, u)| access(u))
        .filter(|(group, resource, ns, verb)| {
            ns.as_deref() != Some("shop") || !allows(&role, group, resource, verb)
        })
        .map(|(_, resource, ns, verb)| format!("{verb} {resource} in {ns:?}"))
        .collect();
    refused.sort();
    assert_eq!(
        refused,
        ["list nodes in None", "list pods in Some(\"kube-system\")"],
        "what the Role's header says it cannot see"
    );
}

/// The names of a JSON report's pods or Services, `namespace/name`.
fn keys(v: &Value, what: &str) -> Vec<String> {
    v[what]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}/{}",
                p["namespace"].as_str().unwrap(),
                p["name"].as_str().unwrap()
            )
        })
        .collect()
}

/// `svc/NAME` in a live run: the namespace is listed whole (any pod may be a client), once,
/// without a label selector; the report holds the Service and the pods it selects, with the
/// same verdicts a bundle of the namespace gives for the same target.
#[test]
fn a_live_service_target_reports_the_service_and_its_pods() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = samples().join("service-no-ready-endpoints");
    let replay = Replay::start(&sample, Duration::ZERO, vec![]);
    for target in ["svc/api", "service/api", "services/shop/api"] {
        let before = replay.requests().len();
        let v = live_json(&replay, tmp.path(), &[target, "-n", "shop", "-o", "json"]);
        assert_eq!(keys(&v, "services"), ["shop/api"], "{target}");
        assert_eq!(
            v["services"][0]["findings"][0]["id"], "service.no-ready-endpoints",
            "{target}"
        );
        assert_eq!(
            keys(&v, "pods"),
            ["shop/api-6c8f9b7d54-k3p8w", "shop/api-6c8f9b7d54-v9d2t"],
            "the pods it selects: {target}"
        );
        for p in v["pods"].as_array().unwrap() {
            assert_eq!(p["findings"][0]["id"], "crash.oom", "{target}");
        }
        let requests: Vec<String> = replay.requests()[before..]
            .iter()
            .map(|(_, u)| u.clone())
            .collect();
        let lists = |prefix: &str| requests.iter().filter(|u| u.starts_with(prefix)).count();
        assert_eq!(lists("/api/v1/namespaces/shop/pods?"), 1, "{requests:#?}");
        assert!(
            !requests
                .iter()
                .any(|u| u.starts_with("/api/v1/namespaces/shop/pods?") && u.contains("Selector")),
            "the namespace's pods, unnarrowed: {requests:#?}"
        );
        assert_eq!(
            lists("/api/v1/namespaces/shop/services?"),
            1,
            "{requests:#?}"
        );
        assert_eq!(
            lists("/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices?"),
            1
        );
        assert_eq!(lists("/api/v1/namespaces/shop/serviceaccounts?"), 1);
        assert!(
            !requests.iter().any(|u| u.contains("/services/")),
            "no GET of the Service: the list holds it: {requests:#?}"
        );
        assert!(requests.iter().all(|u| !u.contains("/namespaces/ops/")));
        // The same target on the bundle: the same report.
        let from_bundle = kubedoctor()
            .args(["diagnose", target, "-n", "shop", "-o", "json", "--from"])
            .arg(&sample)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let mut live = v.clone();
        for k in ["generated_at", "source", "notes", "duration_seconds"] {
            live.as_object_mut().unwrap().remove(k);
        }
        let mut bundle: Value = serde_json::from_slice(&from_bundle).unwrap();
        for k in ["generated_at", "source", "notes", "duration_seconds"] {
            bundle.as_object_mut().unwrap().remove(k);
        }
        assert_eq!(live, bundle, "{target}");
    }
    // `report` (problems grouped) takes the same target: the Service's problem folds into
    // its pods' `crash.oom`.
    let out = kubedoctor()
        .args([
            "report",
            "svc/api",
            "-n",
            "shop",
            "--color",
            "never",
            "--kubeconfig",
        ])
        .arg(replay.kubeconfig(tmp.path(), "default"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("crash.oom") && text.contains("shop/api") && !text.contains("frontend"),
        "{text}"
    );
}

/// `svc/NS/NAME` names its namespace: without `-n` the run lists that namespace, not the
/// context's.
#[test]
fn a_service_target_with_a_namespace_lists_that_namespace() {
    let tmp = tempfile::tempdir().unwrap();
    let original = tmp.path().join("original");
    std::fs::create_dir_all(&original).unwrap();
    service_bundle(&original, Endpoints::Slices);
    let replay = Replay::start(&original, Duration::ZERO, vec![]);
    let v = live_json(&replay, tmp.path(), &["svc/shop/web", "-o", "json"]);
    // `web` has a ready endpoint: no finding, so the report names it in a note.
    assert_eq!(v["summary"]["services_scanned"], 1);
    assert_eq!(v["summary"]["pods_scanned"], 2, "web-1 and web-2");
    let notes = v["notes"].to_string();
    assert!(
        notes.contains("Service `shop/web` (ClusterIP): no finding; it selects 2 pods"),
        "{notes}"
    );
    let requests = replay.requests();
    assert!(
        requests
            .iter()
            .any(|(_, u)| u.starts_with("/api/v1/namespaces/shop/pods?")),
        "{requests:#?}"
    );
    assert!(
        !requests
            .iter()
            .any(|(_, u)| u.contains("/namespaces/default/")),
        "not the context's namespace: {requests:#?}"
    );
}

/// A Service the cluster does not have is a usage error (exit 2) naming the namespace and
/// the nearest Service there, for `diagnose` and `capture`; nothing is written.
#[test]
fn a_missing_service_target_is_exit_2_with_the_nearest_name() {
    let tmp = tempfile::tempdir().unwrap();
    let original = tmp.path().join("original");
    std::fs::create_dir_all(&original).unwrap();
    service_bundle(&original, Endpoints::Slices);
    let replay = Replay::start(&original, Duration::ZERO, vec![]);
    live(&replay, tmp.path(), &["svc/wbe", "-n", "shop"])
        .code(2)
        .stderr(
            predicate::str::contains("Service `wbe` not found in namespace `shop`")
                .and(predicate::str::contains("did you mean `web`?")),
        );
    live(&replay, tmp.path(), &["svc/zzzz", "-n", "shop"])
        .code(2)
        .stderr(predicate::str::contains("did you mean").not());
    let captured = tmp.path().join("captured");
    kubedoctor()
        .args([
            "capture",
            "svc/wbe",
            "-n",
            "shop",
            "--no-node-journal",
            "--dir",
        ])
        .arg(&captured)
        .arg("--kubeconfig")
        .arg(replay.kubeconfig(tmp.path(), "default"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `web`?"));
    assert!(
        !captured.exists(),
        "no bundle for a Service that is not there"
    );
}

/// `capture svc/NAME` writes the namespace (the Service's clients may be any pod of it) and
/// says so; `diagnose --from` with the same target reads it to the live run's verdict.
#[test]
fn capture_of_a_service_target_diagnoses_like_the_live_run() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = samples().join("service-no-ready-endpoints");
    let replay = Replay::start(&sample, Duration::ZERO, vec![]);
    let captured = tmp.path().join("captured");
    kubedoctor()
        .args([
            "capture",
            "svc/api",
            "-n",
            "shop",
            "--no-node-journal",
            "--dir",
        ])
        .arg(&captured)
        .arg("--kubeconfig")
        .arg(replay.kubeconfig(tmp.path(), "default"))
        .assert()
        .success()
        .stderr(predicate::str::contains("svc/api"));
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(captured.join("bundle.json")).unwrap())
            .unwrap();
    assert_eq!(
        meta["scope"], "namespace shop",
        "the pod list is the namespace's, complete"
    );
    for f in ["services.json", "endpointslices.json", "pods.json"] {
        assert!(captured.join(f).is_file(), "{f}");
    }
    let live = live_json(
        &replay,
        tmp.path(),
        &["svc/api", "-n", "shop", "--no-node-journal", "-o", "json"],
    );
    let from_capture = kubedoctor()
        .args(["diagnose", "svc/api", "-n", "shop", "-o", "json", "--from"])
        .arg(&captured)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let from_capture: Value = serde_json::from_slice(&from_capture).unwrap();
    assert_eq!(keys(&from_capture, "services"), ["shop/api"]);
    assert_eq!(
        from_capture["services"][0]["findings"][0]["id"],
        "service.no-ready-endpoints"
    );
    assert_eq!(from_capture["summary"], live["summary"]);
    assert_eq!(from_capture["services"], live["services"]);
    assert_eq!(keys(&from_capture, "pods"), keys(&live, "pods"));
}

/// A healthy client of a broken Service: its current log comes in a second round (its
/// status alone does not ask for it), and only its log: the healthy pods that name no
/// broken Service are not read.
#[test]
fn the_healthy_client_of_a_broken_service_has_its_log_read() {
    let dir = samples().join("service-client-chain");
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(&dir, Duration::ZERO, vec![]);
    let report = live_json(&replay, tmp.path(), &["-n", "shop", "-o", "json"]);
    let logs: Vec<String> = replay
        .requests()
        .into_iter()
        .filter(|(_, u)| u.contains("/log?"))
        .map(|(_, u)| u)
        .collect();
    assert_eq!(logs.len(), 1, "{logs:?}");
    assert!(
        logs[0].contains("/pods/storefront-6c8b9d7f5-z5r2m/log?")
            && logs[0].contains("container=storefront"),
        "{logs:?}"
    );
    assert!(!logs[0].contains("previous=true"), "{logs:?}");
    let client = report["pods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "storefront-6c8b9d7f5-z5r2m")
        .expect("the client is reported");
    assert_eq!(client["findings"][0]["id"], "service.no-pods", "{client}");
}

/// A pod whose address names a Service of a namespace out of scope: that Service is looked
/// up with one GET (never a list of the other namespace), and a 404 proves it missing.
#[test]
fn a_service_in_another_namespace_is_looked_up_by_name() {
    let copy = support::copy_sample("config-service-address");
    let dir = copy.path();
    // The two clients move to namespace `web`; the Services they name stay in `shop`.
    let clients = ["checkout-5f9c8d7b6-h3k8p", "invoicer-84c6b9d7f5-m2x9t"];
    let mut pods: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("pods.json")).unwrap()).unwrap();
    for p in pods["items"].as_array_mut().unwrap() {
        if clients.contains(&p["metadata"]["name"].as_str().unwrap()) {
            p["metadata"]["namespace"] = serde_json::json!("web");
        }
    }
    std::fs::write(dir.join("pods.json"), pods.to_string()).unwrap();
    std::fs::rename(dir.join("logs/shop"), dir.join("logs/web")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(dir, Duration::ZERO, vec![]);
    let report = live_json(&replay, tmp.path(), &["-n", "web", "-o", "json"]);
    let requests: Vec<String> = replay.requests().into_iter().map(|(_, u)| u).collect();
    let mut gets: Vec<&String> = requests
        .iter()
        .filter(|u| u.starts_with("/api/v1/namespaces/shop/"))
        .collect();
    gets.sort();
    assert_eq!(
        gets,
        [
            "/api/v1/namespaces/shop/services/orders",
            "/api/v1/namespaces/shop/services/payments"
        ]
        .iter()
        .collect::<Vec<_>>(),
        "one GET per Service named, nothing listed in `shop`: {requests:?}"
    );
    let top = |name: &str| {
        let pod = report["pods"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{name} reported: {report}"));
        (
            pod["findings"][0]["id"].as_str().unwrap_or("").to_string(),
            pod["findings"][0]["evidence"].to_string(),
        )
    };
    let (id, evidence) = top(clients[0]);
    assert_eq!(id, "config.service-address", "{evidence}");
    assert!(
        evidence.contains("port 8080 of Service `shop/orders`"),
        "{evidence}"
    );
    let (id, evidence) = top(clients[1]);
    assert_eq!(id, "config.service-address", "{evidence}");
    assert!(
        evidence.contains("looked up by name: not found"),
        "{evidence}"
    );
}

/// A `KUBECONFIG` list naming a file that does not exist: kubectl skips it, so does a run;
/// a list of which no file exists is exit 2 naming the list (no cluster is configured).
#[test]
fn a_kubeconfig_list_skips_missing_files() {
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(&samples().join("crash-oom"), Duration::ZERO, vec![]);
    let kubeconfig = replay.kubeconfig(tmp.path(), "default");
    let missing = tmp.path().join("gone.yaml");
    let list = std::env::join_paths([&missing, &kubeconfig]).unwrap();
    kubedoctor()
        .args(["diagnose", "-A", "-o", "json"])
        .env("KUBECONFIG", &list)
        .assert()
        .success()
        .stdout(predicate::str::contains("crash.oom"));
    kubedoctor()
        .args(["diagnose", "-A"])
        .env("KUBECONFIG", std::env::join_paths([&missing]).unwrap())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("none of its files exists"));
}

/// `node/NAME` of a node the cluster does not have is exit 2, live as in a bundle, with the
/// nearest node's name.
#[test]
fn an_unknown_node_target_is_exit_2_live() {
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(&samples().join("crash-oom"), Duration::ZERO, vec![]);
    live(&replay, tmp.path(), &["node/worker-l"])
        .code(2)
        .stderr(predicate::str::contains("node `worker-l` not found"))
        .stderr(predicate::str::contains("did you mean `worker-1`?"));
    live(&replay, tmp.path(), &["node/worker-1", "-o", "json"]).success();
}

/// A list whose continue token expired (410 Gone on a later page) starts again from its
/// first page and yields every item once.
#[test]
fn an_expired_continue_token_relists() {
    let copy = support::copy_sample("crash-oom");
    let dir = copy.path();
    let path = dir.join("pods.json");
    let mut pods: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let items = pods["items"].as_array_mut().unwrap();
    let model = items[0].clone();
    for i in 0..600 {
        let mut p = model.clone();
        p["metadata"]["name"] = serde_json::json!(format!("filler-{i:03}"));
        p["metadata"]["uid"] = serde_json::json!(format!("uid-filler-{i:03}"));
        items.push(p);
    }
    let total = items.len();
    std::fs::write(&path, pods.to_string()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let fault = Fault {
        contains: "continue=".into(),
        status: Some(410),
        delay: None,
        times: 1,
    };
    let replay = Replay::start(dir, Duration::ZERO, vec![fault]);
    let v = live_json(&replay, tmp.path(), &["-A", "-o", "json"]);
    assert_eq!(v["summary"]["pods_scanned"], total, "{}", v["summary"]);
    let first_pages = replay
        .requests()
        .iter()
        .filter(|(_, u)| u.starts_with("/api/v1/pods?") && !u.contains("continue="))
        .count();
    assert_eq!(first_pages, 2, "the pod list started again once");
}

/// The paths and queries of a run's events lists.
fn events_requests(replay: &Replay) -> Vec<String> {
    replay
        .requests()
        .into_iter()
        .map(|(_, u)| u)
        .filter(|u| u.split('?').next().unwrap_or("").ends_with("/events"))
        .collect()
}

/// A bundle's report for the same targets, to compare with a live run's.
fn bundle_json(dir: &Path, args: &[&str]) -> Value {
    let out = kubedoctor()
        .args(["diagnose", "-o", "json", "--from"])
        .arg(dir)
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    normalized(&out)
}

/// `NS/NAME` (and `KIND/NS/NAME`) lists that namespace, without `-n`; its events are those
/// of the pod, its owners and its node, each by a field selector: nothing listed whole. The
/// report is the bundle's.
#[test]
fn a_namespace_slash_name_target_lists_its_namespace_and_its_own_events() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = samples().join("demo-cluster");
    let replay = Replay::start(&dir, Duration::ZERO, vec![]);
    let pod = "shop/search-indexer-5c7d9b8f6-v5b6n";
    let v = live_json(&replay, tmp.path(), &[pod, "-o", "json"]);
    assert_eq!(v["summary"]["pods_scanned"], 1, "{}", v["summary"]);
    let mut report = v.clone();
    for k in ["generated_at", "source", "notes"] {
        report.as_object_mut().unwrap().remove(k);
    }
    assert_eq!(
        report,
        bundle_json(&dir, &[pod]),
        "the node's NotReady event is read"
    );
    let requests = replay.requests();
    assert!(
        requests
            .iter()
            .any(|(_, u)| u.starts_with("/api/v1/namespaces/shop/pods?")
                && u.contains("fieldSelector=metadata.name%3Dsearch-indexer-5c7d9b8f6-v5b6n")),
        "{requests:#?}"
    );
    let events = events_requests(&replay);
    assert!(
        events.iter().all(|u| u.contains("fieldSelector=")),
        "no events list whole: {events:#?}"
    );
    let shop = "/api/v1/namespaces/shop/events?";
    for (path, object) in [
        (
            shop,
            "Pod%2CinvolvedObject.name%3Dsearch-indexer-5c7d9b8f6-v5b6n",
        ),
        (
            shop,
            "ReplicaSet%2CinvolvedObject.name%3Dsearch-indexer-5c7d9b8f6",
        ),
        (shop, "Deployment%2CinvolvedObject.name%3Dsearch-indexer"),
        ("/api/v1/events?", "Node%2CinvolvedObject.name%3Dworker-4"),
    ] {
        let field = format!("fieldSelector=involvedObject.kind%3D{object}&");
        assert!(
            events
                .iter()
                .any(|u| u.starts_with(path) && u.contains(&field)),
            "{object}: {events:#?}"
        );
    }

    let replay = Replay::start(&dir, Duration::ZERO, vec![]);
    let v = live_json(
        &replay,
        tmp.path(),
        &[
            "deploy/shop/orders",
            "pod/shop/accounts-7d8f9c6b5-d4f5g",
            "-o",
            "json",
        ],
    );
    assert_eq!(v["summary"]["pods_scanned"], 2, "{}", v["summary"]);
    // A workload's events: its namespace's list (it may have no pods, whose placeholder
    // reads them), never the cluster's.
    let events = events_requests(&replay);
    assert!(
        events.iter().all(
            |u| u.starts_with("/api/v1/namespaces/shop/events") || u.contains("fieldSelector=")
        ),
        "{events:#?}"
    );

    // `-n` naming another namespace: exit 2 before the cluster is asked anything.
    let replay = Replay::start(&dir, Duration::ZERO, vec![]);
    live(&replay, tmp.path(), &[pod, "-n", "payments"])
        .code(2)
        .stderr(predicate::str::contains(
            "names namespace `shop` but -n says `payments`",
        ));
    assert!(replay.requests().is_empty());
}

/// A node target reads the events of its pods' namespaces and the node's own, never every
/// namespace's; the report is the bundle's.
#[test]
fn a_node_target_reads_its_pods_namespaces_and_its_own_events() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = samples().join("demo-cluster");
    let replay = Replay::start(&dir, Duration::ZERO, vec![]);
    let v = live_json(&replay, tmp.path(), &["node/worker-4", "-o", "json"]);
    assert_eq!(v["summary"]["pods_scanned"], 1, "{}", v["summary"]);
    let mut report = v.clone();
    for k in ["generated_at", "source", "notes"] {
        report.as_object_mut().unwrap().remove(k);
    }
    assert_eq!(report, bundle_json(&dir, &["node/worker-4"]));
    let mut events = events_requests(&replay);
    events.sort();
    assert!(
        events.len() == 2
            && events[0].starts_with("/api/v1/events?")
            && events[0].contains(
                "fieldSelector=involvedObject.kind%3DNode%2CinvolvedObject.name%3Dworker-4"
            )
            && events[1].starts_with("/api/v1/namespaces/shop/events?")
            && !events[1].contains("fieldSelector"),
        "{events:#?}"
    );
}

/// A copy of the demo cluster where `orders` runs in `ops` too.
fn orders_twice() -> tempfile::TempDir {
    let copy = support::copy_sample("demo-cluster");
    let path = copy.path().join("pods.json");
    let mut pods: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let items = pods["items"].as_array_mut().unwrap();
    let mut twin = items
        .iter()
        .find(|p| p["metadata"]["name"] == "orders-5f7b9d8c6-j2k8m")
        .unwrap()
        .clone();
    twin["metadata"]["namespace"] = serde_json::json!("ops");
    twin["metadata"]["uid"] = serde_json::json!("uid-orders-in-ops");
    items.push(twin);
    std::fs::write(&path, pods.to_string()).unwrap();
    copy
}

/// `-A` with a workload target finds it in every namespace (one LIST by name), diagnoses
/// each one's pods and lists the events of those namespaces only.
#[test]
fn a_workload_target_with_all_namespaces_looks_in_every_namespace() {
    let tmp = tempfile::tempdir().unwrap();
    let copy = orders_twice();
    let replay = Replay::start(copy.path(), Duration::ZERO, vec![]);
    let v = live_json(&replay, tmp.path(), &["deploy/orders", "-A", "-o", "json"]);
    let mut pods = keys(&v, "pods");
    pods.sort();
    assert_eq!(
        pods,
        ["ops/orders-5f7b9d8c6-j2k8m", "shop/orders-5f7b9d8c6-j2k8m"]
    );
    let requests = replay.requests();
    assert!(
        requests
            .iter()
            .any(|(_, u)| u.starts_with("/apis/apps/v1/deployments?")
                && u.contains("fieldSelector=metadata.name%3Dorders")),
        "{requests:#?}"
    );
    let mut events = events_requests(&replay);
    events.sort();
    assert!(
        events.len() == 2
            && events[0].starts_with("/api/v1/namespaces/ops/events?")
            && events[1].starts_with("/api/v1/namespaces/shop/events?"),
        "{events:#?}"
    );
    live(&replay, tmp.path(), &["deploy/nope", "-A"])
        .code(2)
        .stderr(predicate::str::contains(
            "deployment/nope not found in any namespace",
        ));
    // `--all-namespaces` with a CronJob.
    let v = live_json(
        &replay,
        tmp.path(),
        &["cronjob/daily-report", "--all-namespaces", "-o", "json"],
    );
    assert_eq!(keys(&v, "pods"), ["batch/daily-report-29101380-h7j8k"]);
}

/// Live as offline, a namespace without pods is a note naming the nearest namespace; a
/// selector matching nothing is the same note; a refused namespace list leaves the note
/// without the suggestion.
#[test]
fn a_mistyped_namespace_live_names_the_nearest() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = samples().join("demo-cluster");
    let replay = Replay::start(&dir, Duration::ZERO, vec![]);
    let notes = |v: &Value| -> Vec<String> {
        v["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_string())
            .collect()
    };
    let v = live_json(&replay, tmp.path(), &["-n", "shpo", "-o", "json"]);
    assert!(
        notes(&v).iter().any(
            |n| n.starts_with("no pods in namespace `shpo`: check the spelling")
                && n.ends_with("did you mean namespace `shop`?")
        ),
        "{:?}",
        notes(&v)
    );
    let offline = kubedoctor()
        .args(["diagnose", "-n", "shpo", "-o", "json", "--from"])
        .arg(&dir)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let offline: Value = serde_json::from_slice(&offline).unwrap();
    let same = |n: &String| notes(&offline).contains(n);
    assert!(
        notes(&v).iter().any(same),
        "the same note: {:?}",
        notes(&offline)
    );

    let v = live_json(
        &replay,
        tmp.path(),
        &["-n", "shop", "-l", "app=nope", "-o", "json"],
    );
    assert!(
        notes(&v).iter().any(|n| n
            .starts_with("no pods in namespace `shop` matching `app=nope`: check the spelling")),
        "{:?}",
        notes(&v)
    );

    let refused = Fault {
        contains: "/api/v1/namespaces?".into(),
        status: Some(403),
        delay: None,
        times: 1,
    };
    let replay = Replay::start(&dir, Duration::ZERO, vec![refused]);
    let v = live_json(&replay, tmp.path(), &["-n", "shpo", "-o", "json"]);
    assert!(
        notes(&v).iter().any(
            |n| n.starts_with("no pods in namespace `shpo`: check the spelling")
                && !n.contains("did you mean")
        ),
        "{:?}",
        notes(&v)
    );
}

/// The ClusterRole covers every request the code can make: every kind of run (the whole
/// cluster, a namespace, a mistyped namespace, a pod, a workload across namespaces, a
/// CronJob, a node, a Service, a capture) is played against a cluster that has a failed
/// CronJob run, and each request is checked against the role. The one request it does not
/// grant, on purpose (its header says why), is the kubelet journal through `nodes/proxy`.
#[test]
fn the_cluster_role_covers_every_kind_of_run() {
    let tmp = tempfile::tempdir().unwrap();
    // A failed Job's pod makes a run list the Jobs.
    let jobs = Replay::start(&samples().join("job-backoff-limit"), Duration::ZERO, vec![]);
    live(&jobs, tmp.path(), &["-A", "--no-node-journal"]);
    let replay = Replay::start(&samples().join("demo-cluster"), Duration::ZERO, vec![]);
    let kubeconfig = replay.kubeconfig(tmp.path(), "default");
    let runs: [&[&str]; 9] = [
        &["diagnose", "-A", "-o", "json"],
        &["diagnose", "-n", "shop", "--no-node-journal"],
        &["diagnose", "-n", "shpo", "--no-node-journal"],
        &[
            "diagnose",
            "shop/frontend-6b8f7c9d4-h2x9z",
            "--no-node-journal",
        ],
        &["diagnose", "deployment/orders", "-A", "--no-node-journal"],
        &[
            "diagnose",
            "cronjob/daily-report",
            "-A",
            "--no-node-journal",
        ],
        &["diagnose", "node/worker-1", "--no-node-journal"],
        &[
            "diagnose",
            "svc/frontend",
            "-n",
            "shop",
            "--no-node-journal",
        ],
        &["capture", "-A", "--no-node-journal", "--dir"],
    ];
    // The runs at once: only what they ask, together, counts.
    support::parallel_map(&runs, |args| {
        let mut cmd = kubedoctor();
        cmd.args(*args);
        if args[0] == "capture" {
            cmd.arg(tmp.path().join("capture"));
        }
        let out = cmd.arg("--kubeconfig").arg(&kubeconfig).output().unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    });
    let cluster = rules("rbac.yaml", "ClusterRole");
    let asked: Vec<_> = replay
        .requests()
        .iter()
        .chain(jobs.requests().iter())
        .filter_map(|(_, u)| access(u))
        .collect();
    let mut refused: Vec<String> = asked
        .iter()
        .filter(|(group, resource, _, verb)| !allows(&cluster, group, resource, verb))
        .map(|(group, resource, _, verb)| format!("{verb} {group}/{resource}"))
        .collect();
    refused.sort();
    refused.dedup();
    assert_eq!(
        refused,
        ["get /nodes/proxy"],
        "requests the ClusterRole does not grant"
    );
    // The runs reached every kind of request the code makes.
    let mut reached: Vec<String> = asked
        .iter()
        .map(|(group, resource, _, verb)| format!("{verb} {group}/{resource}"))
        .collect();
    reached.sort();
    reached.dedup();
    for kind in [
        "list /pods",
        "get /pods/log",
        "list /events",
        "list /nodes",
        "get /nodes/proxy",
        "list /services",
        "list /namespaces",
        "list apps/replicasets",
        "list apps/deployments",
        "list batch/jobs",
        "list batch/cronjobs",
        "list discovery.k8s.io/endpointslices",
        "list /serviceaccounts",
    ] {
        assert!(
            reached.iter().any(|r| r == kind),
            "no run made `{kind}`: {reached:?}"
        );
    }
}
