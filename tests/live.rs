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
    let mut differ = Vec::new();
    let dirs = sample_dirs(&samples()).unwrap();
    for dir in &dirs {
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
        if normalized(&from_bundle) != normalized(&from_live) {
            differ.push(dir.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
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
    assert!(
        lists <= 5,
        "pods, events, nodes, and replicasets/pvcs only when needed: {lists}"
    );
    assert!(
        logs <= 2 * containers,
        "{logs} log requests for {containers} unhealthy containers"
    );
    assert!(journals <= nodes.len());
    let bound = 3 + 2 * containers + nodes.len();
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

#[test]
fn a_slow_call_times_out_without_stalling_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(
        &samples().join("crash-oom"),
        Duration::ZERO,
        vec![Fault {
            contains: "/api/v1/events".into(),
            status: None,
            delay: Some(Duration::from_secs(20)),
            times: 100,
        }],
    );
    let started = std::time::Instant::now();
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
    // Not a timing assertion on performance: only that the 20 s answer was not awaited.
    assert!(started.elapsed() < Duration::from_secs(15));
}

/// An 11 s answer with `--request-timeout TIMEOUT` is waited for, not a timeout.
fn slow_answer_is_awaited(timeout: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(
        &samples().join("crash-oom"),
        Duration::ZERO,
        vec![Fault {
            contains: "/api/v1/events".into(),
            status: None,
            delay: Some(Duration::from_secs(11)),
            times: 1,
        }],
    );
    let v = live_json(
        &replay,
        tmp.path(),
        &["-A", "-o", "json", "--request-timeout", timeout],
    );
    assert!(
        !v["notes"].to_string().contains("timed out"),
        "--request-timeout {timeout}: {}",
        v["notes"]
    );
}

#[test]
fn a_request_timeout_above_ten_seconds_is_honoured() {
    slow_answer_is_awaited("20s");
}

#[test]
fn a_zero_request_timeout_is_no_limit() {
    slow_answer_is_awaited("0");
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
    assert!(
        replay
            .requests()
            .iter()
            .any(|(_, u)| u.starts_with("/api/v1/nodes/worker-5/proxy/logs/?query=kubelet"))
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
