//! `kubedoctor watch` against the replay API server playing a timeline: pods break and
//! recover, replicas fail together, a pod flaps, watches end, expire (410) and the server
//! goes away; SIGINT during a capture; bad input. Every wait is for a line or a request
//! (bounded only so a broken build fails instead of hanging); nothing is timed.

mod support;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};
use support::kubedoctor;
use support::replay::{Fault, Replay};

/// How long a test waits for a line before it fails (not a timing assertion: a bound).
const PATIENCE: Duration = Duration::from_secs(60);

const STARTED: &str = "2026-12-01T09:00:00Z";

/// A pod of Deployment `deploy` (ReplicaSet `deploy-7d9c`) in `ns`, in state `state`:
/// `ok` (running, ready), `pull` (ImagePullBackOff), `crash` (CrashLoopBackOff after exit 1).
fn pod(ns: &str, name: &str, deploy: &str, state: &str) -> Value {
    let rs = format!("{deploy}-7d9c");
    let image = format!("registry.example.test/{deploy}:1.{}", name.len());
    let (phase, ready, container) = match state {
        "ok" => (
            "Running",
            true,
            json!({"name": "app", "image": image, "ready": true, "started": true,
                   "restartCount": 0, "state": {"running": {"startedAt": STARTED}}}),
        ),
        "pull" => (
            "Pending",
            false,
            json!({"name": "app", "image": image, "ready": false, "started": false,
                   "restartCount": 0, "state": {"waiting": {"reason": "ImagePullBackOff",
                   "message": format!("Back-off pulling image \"{image}\"")}}}),
        ),
        _ => (
            "Running",
            false,
            json!({"name": "app", "image": image, "ready": false, "started": false,
                   "restartCount": 4, "state": {"waiting": {"reason": "CrashLoopBackOff",
                   "message": "back-off 1m20s restarting failed container"}},
                   "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                   "startedAt": STARTED, "finishedAt": STARTED}}}),
        ),
    };
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "uid": format!("uid-{ns}-{name}"),
            "creationTimestamp": STARTED,
            "labels": {"app": deploy, "pod-template-hash": "7d9c"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": rs,
                "uid": format!("uid-rs-{rs}"), "controller": true}]},
        "spec": {"nodeName": "worker-1", "containers": [{"name": "app", "image": image}]},
        "status": {"phase": phase, "startTime": STARTED,
            "conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}],
            "containerStatuses": [container]}
    })
}

/// The kubelet's event for an image that does not exist, about `name`.
fn pull_failed(ns: &str, name: &str, deploy: &str) -> Value {
    let image = format!("registry.example.test/{deploy}:1.{}", name.len());
    json!({"apiVersion": "v1", "kind": "Event", "type": "Warning", "reason": "Failed",
        "metadata": {"name": format!("{name}.pull"), "namespace": ns},
        "involvedObject": {"apiVersion": "v1", "kind": "Pod", "name": name, "namespace": ns,
            "uid": format!("uid-{ns}-{name}"), "fieldPath": "spec.containers{app}"},
        "message": format!("Failed to pull image \"{image}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": failed to resolve reference \"{image}\": {image}: not found"),
        "count": 3, "firstTimestamp": STARTED, "lastTimestamp": STARTED,
        "source": {"component": "kubelet", "host": "worker-1"}})
}

/// Breaks a pod: its image does not exist (the event first, then the pod).
fn break_pod(replay: &Replay, name: &str, deploy: &str) {
    replay.push_event(pull_failed("shop", name, deploy));
    replay.set_pod(pod("shop", name, deploy, "pull"));
}

/// A bundle of healthy pods in `shop` (and one node), for the replay server.
fn cluster(pods: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let items: Vec<Value> = pods.iter().map(|(n, d)| pod("shop", n, d, "ok")).collect();
    let list = |items: Vec<Value>| json!({"apiVersion": "v1", "kind": "List", "items": items});
    std::fs::write(dir.path().join("pods.json"), list(items).to_string()).unwrap();
    std::fs::write(dir.path().join("events.json"), list(vec![]).to_string()).unwrap();
    let node = json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "worker-1"},
        "status": {"conditions": [{"type": "Ready", "status": "True"}]}});
    std::fs::write(dir.path().join("nodes.json"), list(vec![node]).to_string()).unwrap();
    // The crashing container's logs, for the pods that crash.
    for (n, _) in pods {
        let logs = dir.path().join("logs/shop").join(n);
        std::fs::create_dir_all(&logs).unwrap();
        std::fs::write(
            logs.join("app.previous.log"),
            format!("starting {n}\nerror: cannot open /etc/{n}/settings.toml: no such file or directory\n"),
        )
        .unwrap();
        std::fs::write(logs.join("app.log"), "starting\n").unwrap();
    }
    dir
}

/// A running `kubedoctor watch`: its stdout lines as they come, stderr at the end.
struct Watch {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Watch {
    fn start(replay: &Replay, tmp: &Path, args: &[&str]) -> Watch {
        let kubeconfig = replay.kubeconfig(tmp, "shop");
        let bin = assert_cmd::cargo::cargo_bin("kubedoctor");
        // The same environment as every other test's run (no user configuration).
        let template = kubedoctor();
        let mut cmd = Command::new(bin);
        for (k, v) in template.get_envs() {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        let mut child = cmd
            .arg("watch")
            .args(args)
            .arg("--kubeconfig")
            .arg(kubeconfig)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kubedoctor runs");
        let out = child.stdout.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        Watch {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// The next line that satisfies `want` (earlier ones are kept in `seen`).
    fn wait_for(&mut self, what: &str, want: impl Fn(&str) -> bool) -> String {
        let until = Instant::now() + PATIENCE;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if want(&line) {
                        return line;
                    }
                }
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {
                    let _ = self.child.kill();
                    let mut err = String::new();
                    if let Some(mut e) = self.child.stderr.take() {
                        let _ = e.read_to_string(&mut err);
                    }
                    panic!(
                        "no {what} line; stdout so far:\n{}\nstderr:\n{err}",
                        self.seen.join("\n")
                    );
                }
            }
        }
    }

    /// The next JSON line whose `change` is `change`.
    fn wait_change(&mut self, change: &str) -> Value {
        let line = self.wait_for(change, |l| {
            serde_json::from_str::<Value>(l).is_ok_and(|v| v["change"] == change)
        });
        serde_json::from_str(&line).unwrap()
    }

    /// Sends `signal` and returns (exit code, every stdout line, stderr).
    fn stop(mut self, signal: &str) -> (Option<i32>, Vec<String>, String) {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(status.success());
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        let code = self.child.wait().unwrap().code();
        self.seen.extend(self.lines.iter());
        (code, self.seen, err)
    }
}

fn changes(lines: &[String], change: &str) -> Vec<Value> {
    lines
        .iter()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["change"] == change)
        .collect()
}

fn start(pods: &[(&str, &str)], faults: Vec<Fault>) -> (tempfile::TempDir, Replay) {
    let dir = cluster(pods);
    let replay = Replay::start(dir.path(), Duration::ZERO, faults);
    (dir, replay)
}

#[test]
fn a_pod_that_breaks_and_recovers_is_one_new_line_then_one_resolved_line() {
    let (_dir, replay) = start(&[("web-1", "web"), ("api-1", "api")], vec![]);
    let tmp = tempfile::tempdir().unwrap();
    let mut w = Watch::start(
        &replay,
        tmp.path(),
        &["-n", "shop", "-o", "json", "--settle", "0.2"],
    );
    let first = w.wait_change("watching");
    assert_eq!(first["pods"], 2, "{first}");
    assert_eq!(
        first["problems"],
        json!([]),
        "nothing broken at start: {first}"
    );
    assert!(
        first["watching"]
            .as_str()
            .unwrap()
            .contains("namespace shop")
    );

    break_pod(&replay, "web-1", "web");
    let new = w.wait_change("new");
    assert_eq!(new["pod"], "shop/web-1");
    assert_eq!(new["problem"]["pods"], json!(["shop/web-1"]));
    assert_eq!(new["finding"]["status"], "ImagePullBackOff", "{new}");
    let cause = new["problem"]["id"].as_str().unwrap().to_string();
    assert!(cause.starts_with("image."), "an image cause: {cause}");
    assert!(new["finding"]["findings"][0]["title"].is_string());

    replay.set_pod(pod("shop", "web-1", "web", "ok"));
    let resolved = w.wait_change("resolved");
    assert_eq!(resolved["problem"]["id"], cause.as_str());
    assert_eq!(resolved["problem"]["pods"], json!([]));

    let (code, lines, err) = w.stop("INT");
    assert_eq!(code, Some(0), "SIGINT ends it with 0; stderr: {err}");
    assert_eq!(changes(&lines, "new").len(), 1);
    assert_eq!(changes(&lines, "resolved").len(), 1);
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn text_output_says_what_is_watched_and_prints_the_finding_of_a_new_problem() {
    let (_dir, replay) = start(&[("web-1", "web")], vec![]);
    let tmp = tempfile::tempdir().unwrap();
    let mut w = Watch::start(
        &replay,
        tmp.path(),
        &["--settle", "0.2", "--color", "never"],
    );
    let first = w.wait_for("first", |l| l.starts_with("watching"));
    assert!(first.contains("pods in namespace shop"), "{first}");
    assert!(first.contains("1 pod, 0 problems already"), "{first}");
    break_pod(&replay, "web-1", "web");
    let new = w.wait_for("new", |l| l.contains(" new "));
    assert!(new.contains("image."), "{new}");
    // The finding follows, as diagnose prints the pod.
    let body = w.wait_for("finding", |l| {
        l.contains("shop/web-1") && l.contains("ImagePullBackOff")
    });
    assert!(body.starts_with("    "), "indented under its line: {body}");
    let (code, _, err) = w.stop("TERM");
    assert_eq!(code, Some(0), "SIGTERM ends it with 0: {err}");
}

#[test]
fn three_replicas_failing_together_are_one_problem() {
    let pods = [
        ("web-1", "web"),
        ("web-2", "web"),
        ("web-3", "web"),
        ("api-1", "api"),
    ];
    let (_dir, replay) = start(&pods, vec![]);
    let tmp = tempfile::tempdir().unwrap();
    // One diagnosis at a time, in the order asked: when api-1's line comes, every web
    // replica was diagnosed.
    let mut w = Watch::start(
        &replay,
        tmp.path(),
        &[
            "-n",
            "shop",
            "-o",
            "json",
            "--settle",
            "0.2",
            "--concurrency",
            "1",
        ],
    );
    w.wait_change("watching");
    for n in ["web-1", "web-2", "web-3"] {
        break_pod(&replay, n, "web");
    }
    let web = w.wait_change("new");
    let key = web["problem"]["key"].clone();
    break_pod(&replay, "api-1", "api");
    let api = w.wait_for("api", |l| {
        l.contains("\"change\":\"new\"") && l.contains("shop/api-1")
    });
    let api: Value = serde_json::from_str(&api).unwrap();
    assert_ne!(
        api["problem"]["key"], key,
        "another workload, another problem"
    );
    // The web problem ends with its last replica.
    replay.set_pod(pod("shop", "web-1", "web", "ok"));
    replay.delete_pod("shop", "web-2");
    replay.set_pod(pod("shop", "web-3", "web", "ok"));
    let resolved = w.wait_change("resolved");
    assert_eq!(resolved["problem"]["key"], key);
    assert_eq!(
        resolved["pod"], "shop/web-3",
        "resolved when the last pod recovered"
    );
    let (code, lines, _) = w.stop("INT");
    assert_eq!(code, Some(0));
    let news = changes(&lines, "new");
    assert_eq!(news.len(), 2, "one line for web, one for api: {lines:#?}");
    assert_eq!(changes(&lines, "resolved").len(), 1, "{lines:#?}");
}

#[test]
fn a_flapping_pod_is_reported_once_as_flapping_and_never_as_new() {
    let (_dir, replay) = start(&[("web-1", "web")], vec![]);
    let tmp = tempfile::tempdir().unwrap();
    let mut w = Watch::start(&replay, tmp.path(), &["-o", "json", "--settle", "30"]);
    w.wait_change("watching");
    for _ in 0..5 {
        replay.set_pod(pod("shop", "web-1", "web", "crash"));
        replay.set_pod(pod("shop", "web-1", "web", "ok"));
    }
    let flap = w.wait_change("flapping");
    assert_eq!(flap["pod"], "shop/web-1");
    assert!(flap["onsets"].as_u64().unwrap() >= 3, "{flap}");
    let (code, lines, _) = w.stop("INT");
    assert_eq!(code, Some(0));
    assert_eq!(changes(&lines, "flapping").len(), 1, "{lines:#?}");
    assert!(changes(&lines, "new").is_empty(), "{lines:#?}");
}

/// Pod lists made by the watch (not a diagnosis's, which select the pod by field).
fn pod_lists(replay: &Replay) -> usize {
    replay
        .list_requests("pods")
        .iter()
        .filter(|u| u.contains("/namespaces/shop/pods?") && !u.contains("Selector"))
        .count()
}

#[test]
fn a_watch_that_ends_is_resumed_without_listing_again() {
    let (_dir, replay) = start(&[("web-1", "web")], vec![]);
    let tmp = tempfile::tempdir().unwrap();
    let mut w = Watch::start(&replay, tmp.path(), &["-o", "json", "--settle", "0.2"]);
    w.wait_change("watching");
    // Streams opened before `end_watches` are ended by it (the count and a stream's start
    // share the replay's lock), so the pod's change needs a stream opened after.
    let until = Instant::now() + PATIENCE;
    while replay.watches_opened("pods") == 0 {
        assert!(Instant::now() < until, "the pods were never watched");
        std::thread::sleep(Duration::from_millis(20));
    }
    let watches = replay.watches_opened("pods");
    replay.end_watches();
    break_pod(&replay, "web-1", "web");
    let new = w.wait_change("new");
    assert_eq!(new["pod"], "shop/web-1");
    // The change may reach the watch by its Warning event first: wait for the resumed stream.
    let until = Instant::now() + PATIENCE;
    while replay.watches_opened("pods") <= watches {
        assert!(Instant::now() < until, "the pod watch was not resumed");
        std::thread::sleep(Duration::from_millis(20));
    }
    let (code, _, _) = w.stop("INT");
    assert_eq!(code, Some(0));
    let resumed: Vec<String> = replay
        .watch_requests()
        .into_iter()
        .filter(|u| u.contains("/pods?"))
        .collect();
    assert!(resumed.len() > 1, "watched again: {resumed:?}");
    // From the last resourceVersion it had (the bundle's, or a change's), never `0`.
    assert!(
        resumed
            .iter()
            .all(|u| u.contains("resourceVersion=42") && !u.contains("resourceVersion=0")),
        "from the last resourceVersion: {resumed:?}"
    );
    assert_eq!(
        pod_lists(&replay),
        1,
        "one list, at start: {:?}",
        replay.list_requests("pods")
    );
}

#[test]
fn an_expired_resource_version_lists_again_and_nothing_is_lost() {
    let (_dir, replay) = start(&[("web-1", "web"), ("web-2", "web")], vec![]);
    let tmp = tempfile::tempdir().unwrap();
    let mut w = Watch::start(&replay, tmp.path(), &["-o", "json", "--settle", "0.2"]);
    w.wait_change("watching");
    break_pod(&replay, "web-1", "web");
    w.wait_change("new");
    replay.expire();
    // Deleted while the watch was expired: the list after the 410 shows it gone.
    replay.delete_pod("shop", "web-1");
    let resolved = w.wait_change("resolved");
    assert_eq!(resolved["pod"], "shop/web-1");
    let (code, _, err) = w.stop("INT");
    assert_eq!(code, Some(0));
    assert!(pod_lists(&replay) >= 2, "listed again after the 410");
    assert!(err.contains("410"), "said on stderr: {err}");
}

#[test]
fn an_api_server_that_goes_away_is_said_once_and_again_when_it_is_back() {
    let (_dir, replay) = start(&[("web-1", "web")], vec![]);
    let tmp = tempfile::tempdir().unwrap();
    let mut w = Watch::start(&replay, tmp.path(), &["-o", "json", "--settle", "0.2"]);
    w.wait_change("watching");
    replay.stop();
    std::thread::sleep(Duration::from_secs(2));
    replay.restart();
    break_pod(&replay, "web-1", "web");
    let new = w.wait_change("new");
    assert_eq!(new["pod"], "shop/web-1");
    let (code, _, err) = w.stop("INT");
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        err.matches("lost the API server").count(),
        1,
        "said once: {err}"
    );
    assert!(err.contains("answers again"), "{err}");
}

#[test]
fn sigint_during_a_capture_ends_with_0_and_a_whole_bundle_that_diagnoses_the_same() {
    // Log requests (made only by a diagnosis) answer slowly: the signal comes mid-capture.
    let slow_logs = Fault {
        contains: "/log?".into(),
        status: None,
        delay: Some(Duration::from_millis(300)),
        times: 10,
    };
    let (_dir, replay) = start(&[("web-1", "web")], vec![slow_logs]);
    let tmp = tempfile::tempdir().unwrap();
    let captures = tmp.path().join("captures");
    let mut w = Watch::start(
        &replay,
        tmp.path(),
        &[
            "-o",
            "json",
            "--settle",
            "0.2",
            "--capture-dir",
            captures.to_str().unwrap(),
        ],
    );
    w.wait_change("watching");
    replay.set_pod(pod("shop", "web-1", "web", "crash"));
    let until = Instant::now() + PATIENCE;
    while !replay.requests().iter().any(|(_, u)| u.contains("/log?")) {
        assert!(Instant::now() < until, "no log request");
        std::thread::sleep(Duration::from_millis(20));
    }
    let (code, lines, err) = w.stop("INT");
    assert_eq!(code, Some(0), "{err}");
    let new = changes(&lines, "new");
    assert_eq!(
        new.len(),
        1,
        "the diagnosis in flight finished: {lines:#?}\n{err}"
    );
    let bundle = PathBuf::from(new[0]["capture"].as_str().expect("a capture"));
    let name = bundle.file_name().unwrap().to_string_lossy().to_string();
    assert!(name.ends_with("-shop-web-1"), "{name}");
    // Whole: diagnose reads it to the same top finding.
    let out = kubedoctor()
        .args(["diagnose", "-o", "json", "--from"])
        .arg(&bundle)
        .assert()
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    let top = report["pods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "web-1")
        .expect("the pod is in the bundle");
    assert_eq!(
        top["findings"][0]["id"],
        new[0]["finding"]["findings"][0]["id"]
    );
    assert!(bundle.join("logs/shop/web-1/app.previous.log").is_file());
    // Nothing pending left behind.
    let left: Vec<_> = std::fs::read_dir(&captures)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(left, vec![name], "only the bundle: {left:?}");
}

#[test]
fn captures_beyond_capture_max_remove_the_oldest_with_a_note() {
    let pods = [("web-1", "web"), ("api-1", "api")];
    let (_dir, replay) = start(&pods, vec![]);
    let tmp = tempfile::tempdir().unwrap();
    let captures = tmp.path().join("captures");
    let mut w = Watch::start(
        &replay,
        tmp.path(),
        &[
            "-o",
            "json",
            "--settle",
            "0.2",
            "--capture-max",
            "1",
            "--capture-dir",
            captures.to_str().unwrap(),
        ],
    );
    w.wait_change("watching");
    break_pod(&replay, "web-1", "web");
    let first = w.wait_change("new");
    break_pod(&replay, "api-1", "api");
    let second = w.wait_change("new");
    let (code, _, err) = w.stop("INT");
    assert_eq!(code, Some(0));
    assert!(!Path::new(first["capture"].as_str().unwrap()).exists());
    assert!(Path::new(second["capture"].as_str().unwrap()).is_dir());
    assert!(err.contains("removed the oldest capture"), "{err}");
}

#[test]
fn a_pod_that_does_not_decode_is_a_note_and_the_watch_goes_on() {
    let (_dir, replay) = start(&[("web-1", "web"), ("api-1", "api")], vec![]);
    let tmp = tempfile::tempdir().unwrap();
    let mut w = Watch::start(&replay, tmp.path(), &["-o", "json", "--settle", "0.2"]);
    w.wait_change("watching");
    let mut bad = pod("shop", "api-1", "api", "pull");
    bad["status"]["containerStatuses"] = json!("not a list");
    replay.set_pod(bad);
    break_pod(&replay, "web-1", "web");
    let new = w.wait_change("new");
    assert_eq!(new["pod"], "shop/web-1");
    let (code, _, err) = w.stop("INT");
    assert_eq!(code, Some(0));
    assert!(err.contains("shop/api-1 could not be read"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn forbidden_nodes_degrade_with_a_note_and_forbidden_pods_stop_with_exit_3() {
    let no_nodes = Fault {
        contains: "/api/v1/nodes?".into(),
        status: Some(403),
        delay: None,
        times: 100,
    };
    let (_dir, replay) = start(&[("web-1", "web")], vec![no_nodes]);
    let tmp = tempfile::tempdir().unwrap();
    let mut w = Watch::start(&replay, tmp.path(), &["-o", "json", "--settle", "0.2"]);
    w.wait_change("watching");
    break_pod(&replay, "web-1", "web");
    w.wait_change("new");
    let (code, _, err) = w.stop("INT");
    assert_eq!(code, Some(0));
    assert!(err.contains("cannot watch nodes"), "{err}");

    let no_pods = Fault {
        contains: "/pods?".into(),
        status: Some(403),
        delay: None,
        times: 100,
    };
    let (_dir2, replay) = start(&[("web-1", "web")], vec![no_pods]);
    kubedoctor()
        .arg("watch")
        .arg("--kubeconfig")
        .arg(replay.kubeconfig(tmp.path(), "shop"))
        .assert()
        .code(3)
        .stderr(predicates::str::contains("watch pods"));
}

#[test]
fn bad_flags_are_exit_2_with_a_clear_message() {
    for (args, says) in [
        (vec!["--settle", "soon"], "not a duration"),
        (
            vec!["--capture-max", "0", "--capture-dir", "x"],
            "--capture-max",
        ),
        (vec!["svc/web"], "not Services"),
        (vec!["--webhook", "not a url"], "webhook 1 of 1"),
    ] {
        kubedoctor()
            .arg("watch")
            .args(&args)
            .args(["--server", "http://127.0.0.1:9"])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(says));
    }
}

/// A webhook receiver on 127.0.0.1 keeping every body it is sent.
fn receiver() -> (
    std::sync::Arc<std::sync::Mutex<Vec<Value>>>,
    tokio::runtime::Runtime,
    u16,
) {
    use axum::Router;
    use axum::extract::State;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    async fn receive(
        State(seen): State<std::sync::Arc<std::sync::Mutex<Vec<Value>>>>,
        body: String,
    ) -> &'static str {
        seen.lock()
            .unwrap()
            .push(serde_json::from_str(&body).unwrap_or(Value::Null));
        "ok"
    }
    let app = Router::new()
        .fallback(axum::routing::post(receive))
        .with_state(seen.clone());
    let (runtime, port) = support::replay::serve_loopback(app, 1);
    (seen, runtime, port)
}

#[test]
fn a_webhook_gets_one_message_when_a_problem_appears_and_one_when_it_resolves() {
    let pods = [("web-1", "web"), ("web-2", "web")];
    let (_dir, replay) = start(&pods, vec![]);
    let (seen, _rt, port) = receiver();
    let url = format!("http://127.0.0.1:{port}/hooks/T0");
    let tmp = tempfile::tempdir().unwrap();
    let mut w = Watch::start(
        &replay,
        tmp.path(),
        &[
            "-o",
            "json",
            "--settle",
            "0.2",
            "--concurrency",
            "1",
            "--webhook",
            &url,
        ],
    );
    w.wait_change("watching");
    break_pod(&replay, "web-1", "web");
    break_pod(&replay, "web-2", "web");
    w.wait_change("new");
    // Every pod change (two replicas breaking, then recovering) is not a message.
    replay.set_pod(pod("shop", "web-1", "web", "ok"));
    replay.set_pod(pod("shop", "web-2", "web", "ok"));
    w.wait_change("resolved");
    let (code, _, err) = w.stop("INT");
    assert_eq!(code, Some(0), "{err}");
    let bodies = seen.lock().unwrap().clone();
    let kinds: Vec<&str> = bodies.iter().filter_map(|b| b["change"].as_str()).collect();
    assert_eq!(kinds, vec!["new", "resolved"], "{bodies:#?}");
    assert!(bodies[0]["text"].as_str().unwrap().contains("new problem"));
}

#[test]
fn a_pod_whose_annotation_ignores_its_cause_brings_no_line() {
    let (_dir, replay) = start(&[("web-1", "web"), ("api-1", "api")], vec![]);
    let tmp = tempfile::tempdir().unwrap();
    let mut w = Watch::start(
        &replay,
        tmp.path(),
        &["-o", "json", "--settle", "0.2", "--concurrency", "1"],
    );
    w.wait_change("watching");
    let mut ignored = pod("shop", "api-1", "api", "pull");
    ignored["metadata"]["annotations"] = json!({"kubedoctor.io/ignore": "image.*"});
    replay.push_event(pull_failed("shop", "api-1", "api"));
    replay.set_pod(ignored);
    // Diagnosed after api-1 (one at a time, in order): when its line comes, api-1's
    // diagnosis is done.
    break_pod(&replay, "web-1", "web");
    let new = w.wait_change("new");
    assert_eq!(new["pod"], "shop/web-1", "api-1 is silenced");
    let (code, lines, _) = w.stop("INT");
    assert_eq!(code, Some(0));
    assert_eq!(changes(&lines, "new").len(), 1, "{lines:#?}");
}
