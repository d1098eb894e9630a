//! `kubedoctor watch` benchmark: 50,000 healthy pods (100 namespaces, Deployments of 500
//! pods) served by the replay API server; `watch -A -o json --settle 0`. Reports the time to
//! the first line (one LIST of 50k pods), then for 20 pods of different Deployments, one at a
//! time, the time from the change (the pod pushed to the open watch) to its `new` line (this
//! includes the pod's diagnosis: its lists, events and node) and to its `resolved` line, and
//! the peak resident memory of the watch process (`VmHWM`, Linux).
//!
//! Run: `cargo bench --bench watch` (`KUBEDOCTOR_BENCH_WATCH_PODS=5000` for a smaller one).

#[path = "../tests/support/replay.rs"]
mod replay;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

const STARTED: &str = "2026-12-01T09:00:00Z";

fn pod(ns: &str, deploy: &str, i: usize, broken: bool) -> Value {
    let name = format!("{deploy}-7d9c-{i:05}");
    let image = format!("registry.example.test/{deploy}:1.0");
    let (phase, container) = if broken {
        (
            "Pending",
            json!({"name": "app", "image": image, "ready": false, "restartCount": 0,
                   "state": {"waiting": {"reason": "ImagePullBackOff",
                   "message": format!("Back-off pulling image \"{image}\"")}}}),
        )
    } else {
        (
            "Running",
            json!({"name": "app", "image": image, "ready": true, "started": true,
                   "restartCount": 0, "state": {"running": {"startedAt": STARTED}}}),
        )
    };
    json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "uid": format!("uid-{ns}-{name}"),
            "creationTimestamp": STARTED, "labels": {"app": deploy, "pod-template-hash": "7d9c"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                "name": format!("{deploy}-7d9c"), "uid": format!("uid-rs-{ns}-{deploy}"),
                "controller": true}]},
        "spec": {"nodeName": format!("worker-{}", i % 50),
            "containers": [{"name": "app", "image": image}]},
        "status": {"phase": phase, "startTime": STARTED,
            "conditions": [{"type": "Ready", "status": if broken { "False" } else { "True" }}],
            "containerStatuses": [container]}})
}

fn next_line(lines: &Receiver<(Instant, String)>, want: impl Fn(&str) -> bool) -> Instant {
    loop {
        let (at, line) = lines
            .recv_timeout(Duration::from_secs(300))
            .expect("a line within 5 minutes");
        if std::env::var_os("KUBEDOCTOR_BENCH_VERBOSE").is_some() {
            eprintln!("{}", line.chars().take(200).collect::<String>());
        }
        if want(&line) {
            return at;
        }
    }
}

fn stats(name: &str, mut v: Vec<Duration>) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "  change to `{name}` line: median {:.1} ms, max {:.1} ms ({} changes)",
        ms(v[v.len() / 2]),
        ms(v[v.len() - 1]),
        v.len()
    );
}

fn main() {
    let pods: usize = std::env::var("KUBEDOCTOR_BENCH_WATCH_PODS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let deployments = pods.div_ceil(500);
    let items: Vec<Value> = (0..pods)
        .map(|i| {
            let d = i / 500;
            pod(
                &format!("ns-{:03}", d % 100),
                &format!("app-{d:03}"),
                i,
                false,
            )
        })
        .collect();
    let nodes: Vec<Value> = (0..50)
        .map(|n| {
            json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": format!("worker-{n}")},
            "status": {"conditions": [{"type": "Ready", "status": "True"}]}})
        })
        .collect();
    let list =
        |items: &[Value]| json!({"apiVersion": "v1", "kind": "List", "items": items}).to_string();
    std::fs::write(dir.path().join("pods.json"), list(&items)).unwrap();
    std::fs::write(dir.path().join("events.json"), list(&[])).unwrap();
    std::fs::write(dir.path().join("nodes.json"), list(&nodes)).unwrap();
    let server = replay::Replay::start(dir.path(), Duration::ZERO, vec![]);
    let kubeconfig = server.kubeconfig(dir.path(), "default");
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubedoctor"))
        .args([
            "watch",
            "-A",
            "-o",
            "json",
            "--settle",
            "0",
            "--no-node-journal",
        ])
        .arg("--kubeconfig")
        .arg(&kubeconfig)
        .env("XDG_CONFIG_HOME", "/nonexistent/kubedoctor-bench-config")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kubedoctor");
    let out = child.stdout.take().unwrap();
    let (tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for l in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send((Instant::now(), l));
        }
    });
    let first = next_line(&lines, |l| l.contains("\"change\":\"watching\""));
    let mut new = Vec::new();
    let mut resolved = Vec::new();
    for k in 0..20.min(deployments) {
        let i = k * 500 + 7;
        let (ns, deploy) = (format!("ns-{:03}", k % 100), format!("app-{k:03}"));
        let name = format!("{deploy}-7d9c-{i:05}");
        let t0 = Instant::now();
        server.set_pod(pod(&ns, &deploy, i, true));
        let at = next_line(&lines, |l| {
            l.contains("\"change\":\"new\"") && l.contains(&name)
        });
        new.push(at - t0);
        let t0 = Instant::now();
        server.set_pod(pod(&ns, &deploy, i, false));
        let at = next_line(&lines, |l| {
            l.contains("\"change\":\"resolved\"") && l.contains(&name)
        });
        resolved.push(at - t0);
    }
    // The peak resident memory so far (Linux: VmHWM), read before the signal.
    let peak_mb = std::fs::read_to_string(format!("/proc/{}/status", child.id()))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or("?".to_string(), |k| (k / 1024).to_string());
    let _ = Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status();
    let output = child.wait_with_output().expect("watch ends");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    println!("watch -A: {pods} pods in {deployments} Deployments, replay server without latency");
    println!(
        "  first line (one LIST of every pod, events and nodes): {:.2} s",
        (first - started).as_secs_f64()
    );
    stats("new", new);
    stats("resolved", resolved);
    println!("  peak resident memory of the watch: {peak_mb} MB");
}
