//! The command line: flags, output formats, exit codes and bad input, through the binary.

mod support;

use predicates::prelude::*;
use support::{copy_sample, kubedoctor, stable_json, stdout_of};

#[test]
fn version_and_help() {
    kubedoctor()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
    kubedoctor()
        .args(["diagnose", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--namespace"))
        .stdout(predicate::str::contains("--fail-on"));
}

#[test]
fn text_report_names_the_top_cause_on_the_first_line_of_each_pod() {
    let out = stdout_of(kubedoctor().args([
        "diagnose",
        "--from",
        "samples/crash-oom",
        "--color",
        "never",
    ]));
    let text = String::from_utf8(out).unwrap();
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("shop/report-api-79f5c6d8b4-wq9zt  CrashLoopBackOff"),
        "{first}"
    );
    assert!(
        first.contains("Killed for exceeding its memory limit [crash.oom"),
        "{first}"
    );
    assert!(text.contains("$ kubectl set resources deployment/report-api -n shop -c api"));
    let summary = text.lines().find(|l| l.contains("pods scanned")).unwrap();
    // The Services of the sample, when it has any, are summed up after the pods.
    let (pods, services) = summary.split_once("; ").unwrap_or((summary, ""));
    assert_eq!(
        pods, "5 pods scanned: 1 unhealthy (1 critical, 0 warning, 0 info)",
        "{summary}"
    );
    assert!(
        services.is_empty() || services.contains(" scanned: "),
        "{summary}"
    );
}

#[test]
fn json_follows_the_contract() {
    let out =
        stdout_of(kubedoctor().args(["diagnose", "--from", "samples/demo-cluster", "-o", "json"]));
    let v = stable_json(&out);
    assert_eq!(v["schema"], "kubedoctor.report/v1");
    assert_eq!(v["source"]["kind"], "bundle");
    let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "generated_at",
            "grouping_revision",
            "groups",
            "kubedoctor_version",
            "notes",
            "pods",
            "schema",
            "services",
            "source",
            "summary"
        ]
    );
    // Added to v1: which kubedoctor wrote it and how it grouped (read by a later baseline).
    assert!(v["grouping_revision"].is_u64());
    // Services were added to v1: a list beside the pods, and their counts in the summary.
    assert!(v["services"].is_array());
    for k in ["services_scanned", "services_unhealthy"] {
        assert!(v["summary"][k].is_u64(), "summary lacks {k}");
    }
    let pod = &v["pods"][0];
    let pod_keys: Vec<_> = pod.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        pod_keys,
        ["findings", "name", "namespace", "node", "owner", "status"]
    );
    let finding = &pod["findings"][0];
    for k in [
        "id", "title", "severity", "score", "explain", "evidence", "fixes",
    ] {
        assert!(finding.get(k).is_some(), "finding lacks {k}");
    }
    // The three payments pods share one secret: one group.
    let group = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "config.secret-missing")
        .expect("secret group");
    assert_eq!(group["pods"].as_array().unwrap().len(), 3);
    assert_eq!(group["key"], "payments/db-credentials");
    assert_eq!(v["groups"][0]["id"], "node.lost", "node problems first");
    assert_eq!(
        v["groups"][1]["id"], "config.secret-missing",
        "then the largest critical group"
    );
}

#[test]
fn namespace_selector_and_names_narrow_the_scope() {
    let json = |args: &[&str]| {
        let mut all = vec!["diagnose", "--from", "samples/demo-cluster", "-o", "json"];
        all.extend_from_slice(args);
        let out = stdout_of(kubedoctor().args(&all));
        stable_json(&out)
    };
    let v = json(&["-n", "payments"]);
    assert_eq!(v["summary"]["pods_scanned"], 3);
    let v = json(&["-l", "app.kubernetes.io/name=orders"]);
    assert_eq!(v["summary"]["pods_scanned"], 1);
    assert_eq!(
        v["pods"][0]["findings"][0]["id"],
        "crash.dependency-unreachable"
    );
    let v = json(&["-n", "shop", "orders-5f7b9d8c6-j2k8m"]);
    assert_eq!(v["pods"][0]["name"], "orders-5f7b9d8c6-j2k8m");
    kubedoctor()
        .args([
            "diagnose",
            "--from",
            "samples/demo-cluster",
            "-n",
            "shop",
            "nope-123",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "pod `nope-123` not found in namespace `shop`",
        ));
    kubedoctor()
        .args(["diagnose", "--from", "samples/demo-cluster", "-l", "a in b"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid label selector"));
}

#[test]
fn fail_on_sets_the_exit_code() {
    let run = |args: &[&str]| {
        let mut all = vec!["diagnose", "--from"];
        all.extend_from_slice(args);
        kubedoctor().args(&all).assert()
    };
    run(&["samples/crash-oom", "--fail-on", "critical"]).code(1);
    run(&["samples/crash-oom"]).code(0);
    run(&["samples/probe-readiness", "--fail-on", "critical"]).code(0);
    run(&["samples/probe-readiness", "--fail-on", "warning"]).code(1);
    run(&["samples/healthy-completed", "--fail-on", "warning"]).code(0);
    // A finished Job is healthy: its info finding is not a problem, even at `--fail-on info`.
    run(&["samples/healthy-completed", "--fail-on", "info"]).code(0);
    // An unexplained broken pod counts: stuck creating, its finding is a warning.
    run(&["samples/unknown-unexplained", "--fail-on", "warning"]).code(1);
}

#[test]
fn color_follows_the_flag_and_no_color() {
    let ansi = |cmd: &mut assert_cmd::Command| {
        let out = cmd.assert().success().get_output().stdout.clone();
        String::from_utf8(out).unwrap().contains("\u{1b}[")
    };
    assert!(ansi(kubedoctor().args([
        "diagnose",
        "--from",
        "samples/crash-oom",
        "--color",
        "always"
    ])));
    assert!(!ansi(kubedoctor().args([
        "diagnose",
        "--from",
        "samples/crash-oom",
        "--color",
        "never"
    ])));
    // Not a terminal: auto means no color.
    assert!(!ansi(kubedoctor().args([
        "diagnose",
        "--from",
        "samples/crash-oom"
    ])));
    assert!(!ansi(kubedoctor().env("NO_COLOR", "1").args([
        "diagnose",
        "--from",
        "samples/crash-oom"
    ])));
}

/// A report written to a file is plain text unless `--color always` asks for color; the
/// choice for the file does not leak into what goes to stdout.
#[test]
fn an_output_file_is_plain_unless_color_is_always() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.txt");
    let write = |extra: &[&str]| {
        kubedoctor()
            .args(["diagnose", "--from", "samples/crash-oom", "--output-file"])
            .arg(&file)
            .args(extra)
            .assert()
            .success();
        std::fs::read_to_string(&file).unwrap()
    };
    let plain = write(&[]);
    assert!(plain.contains("crash.oom") && !plain.contains('\u{1b}'));
    assert!(write(&["--color", "always"]).contains("\u{1b}["));
}

#[test]
fn missing_bundle_is_exit_2_naming_the_path() {
    kubedoctor()
        .args(["diagnose", "--from", "no/such/dir"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/dir"));
}

#[test]
fn no_cluster_configuration_is_exit_2_saying_what_was_tried() {
    let home = tempfile::tempdir().unwrap();
    kubedoctor()
        .env("HOME", home.path())
        .env("KUBECONFIG", home.path().join("missing-config"))
        .env_remove("KUBERNETES_SERVICE_HOST")
        .args(["diagnose", "web-1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot load the cluster configuration",
        ))
        .stderr(predicate::str::contains("KUBECONFIG"))
        .stderr(predicate::str::contains("--from samples/demo-cluster"));
}

#[test]
fn malformed_pods_file_is_exit_2_naming_the_file() {
    let dir = copy_sample("crash-oom");
    std::fs::write(dir.path().join("pods.json"), "{\"items\": [").unwrap();
    kubedoctor()
        .args(["diagnose", "--from"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("pods.json"))
        .stderr(predicate::str::contains("not valid JSON"));
}

#[test]
fn bad_items_and_files_become_notes_and_the_rest_is_reported() {
    let dir = copy_sample("crash-oom");
    let path = dir.path().join("pods.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    v["items"].as_array_mut().unwrap().push(
        serde_json::json!({"metadata": {"name": "broken"}, "spec": {"containers": "not a list"}}),
    );
    std::fs::write(&path, v.to_string()).unwrap();
    std::fs::write(dir.path().join("events.json"), "this is not json").unwrap();
    std::fs::remove_file(dir.path().join("nodes.json")).unwrap();
    // A log that is not UTF-8 is read lossily, not rejected.
    let log = dir
        .path()
        .join("logs/shop/report-api-79f5c6d8b4-wq9zt/api.previous.log");
    std::fs::write(
        &log,
        b"bad \xff\xfe bytes\njava.lang.OutOfMemoryError: Java heap space\n",
    )
    .unwrap();
    let out = stdout_of(
        kubedoctor()
            .args(["diagnose", "-o", "json", "--from"])
            .arg(dir.path()),
    );
    let v = stable_json(&out);
    let notes: Vec<String> = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("`broken`") && n.contains("skipped")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("events.json") && n.contains("skipped")),
        "{notes:?}"
    );
    assert!(
        notes.iter().any(|n| n.contains("no nodes.json")),
        "{notes:?}"
    );
    assert_eq!(v["pods"][0]["findings"][0]["id"], "crash.oom");
    let evidence = v["pods"][0]["findings"][0]["evidence"].to_string();
    assert!(
        evidence.contains("OutOfMemoryError"),
        "the log boost quotes the line: {evidence}"
    );
}

#[test]
fn broken_playbook_is_exit_2_with_file_cause_and_field() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mine.yaml"),
        "status: [CrashLoopBackOff]\nsummary: x\ncauses:\n  - id: custom.thing\n    title: t\n    severity: critical\n    confidence: 0.5\n    when:\n      - log: '(unclosed'\n    explain: x\n",
    )
    .unwrap();
    kubedoctor()
        .args(["diagnose", "--from", "samples/crash-oom", "--playbooks"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "playbook `mine.yaml`, cause `custom.thing`, field `when[0]`",
        ))
        .stderr(predicate::str::contains("bad regex"));
}

#[test]
fn user_playbooks_add_and_override_causes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("team.yaml"),
        r#"status: [CrashLoopBackOff]
summary: our own knowledge
causes:
  - id: crash.oom
    title: Our OOM wording
    severity: warning
    confidence: 0.99
    when:
      - container.last_state.reason: OOMKilled
    explain: "{container} hit {memory_limit}"
  - id: team.index-too-big
    title: The customer index outgrew the pod
    severity: critical
    confidence: 0.6
    when:
      - log: 'index size (?P<size>\d+MB)'
    explain: "index is {size}"
"#,
    )
    .unwrap();
    let out = stdout_of(
        kubedoctor()
            .args([
                "diagnose",
                "--from",
                "samples/crash-oom",
                "-o",
                "json",
                "--playbooks",
            ])
            .arg(dir.path()),
    );
    let v = stable_json(&out);
    let findings = &v["pods"][0]["findings"];
    assert_eq!(findings[0]["title"], "Our OOM wording");
    assert_eq!(findings[0]["explain"], "api hit 256Mi");
    assert_eq!(findings[1]["id"], "team.index-too-big");
    assert_eq!(findings[1]["explain"], "index is 211MB");
}

#[test]
fn closed_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    // A report far larger than a pipe buffer (64 KiB), so the writer really meets EPIPE.
    let dir = copy_sample("config-secret-missing");
    let path = dir.path().join("pods.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let broken = v["items"][5].clone();
    for i in 0..400 {
        let mut p = broken.clone();
        p["metadata"]["name"] = serde_json::json!(format!("payments-api-6d9f7c8b5-copy{i}"));
        p["metadata"]["uid"] = serde_json::json!(format!("uid-{i}"));
        v["items"].as_array_mut().unwrap().push(p);
    }
    std::fs::write(&path, v.to_string()).unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("kubedoctor"))
        .args(["diagnose", "-o", "json", "--from"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "exit {:?}", out.status);
    assert_eq!(first[0], b'{');
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn empty_bundle_is_exit_2_saying_what_was_missing() {
    let dir = tempfile::tempdir().unwrap();
    kubedoctor()
        .args(["diagnose", "--from"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no pods could be read"))
        .stderr(predicate::str::contains("no pods.json"));
}

#[test]
fn targets_and_scope_select_pods_of_a_bundle() {
    let json = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["diagnose", "--from", "samples/demo-cluster", "-o", "json"];
        all.extend_from_slice(args);
        serde_json::from_slice(
            &kubedoctor()
                .args(&all)
                .assert()
                .success()
                .get_output()
                .stdout,
        )
        .unwrap()
    };
    let v = json(&["deployment/payments-api", "-n", "payments"]);
    assert_eq!(v["summary"]["pods_scanned"], 3);
    let v = json(&["-n", "shop"]);
    assert!(
        v["pods"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["namespace"] == "shop")
    );
    let v = json(&["node/worker-4"]);
    assert!(
        v["pods"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["node"] == "worker-4")
    );
    let v = json(&["-n", "shpo"]);
    assert_eq!(v["summary"]["pods_scanned"], 0);
    assert!(
        v["notes"]
            .to_string()
            .contains("no pods in namespace `shpo`")
    );
    for target in ["deployment/nope", "statefulset/payments-api", "svc/web"] {
        kubedoctor()
            .args(["diagnose", "--from", "samples/demo-cluster", target])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(target));
    }
    // A Service target the evidence lacks says so and what to do, for both commands.
    for cmd in ["diagnose", "report"] {
        kubedoctor()
            .args([
                cmd,
                "--from",
                "samples/demo-cluster",
                "service/no-such-service",
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("`service/no-such-service`: "))
            .stderr(predicate::str::contains("kubectl get svc"));
    }
}

/// Running and ready again after an OOM kill ten minutes before the capture: a warning,
/// not healthy and not critical; the same kill a day old is healthy.
#[test]
fn a_recent_restart_is_a_warning_and_an_old_one_is_healthy() {
    let run = |fail_on: &str| {
        kubedoctor()
            .args([
                "diagnose",
                "--from",
                "samples/crash-oom-restarting",
                "--fail-on",
                fail_on,
            ])
            .assert()
    };
    run("critical").code(0);
    run("warning").code(1);
    let out = kubedoctor()
        .args([
            "diagnose",
            "--from",
            "samples/crash-oom-restarting",
            "-o",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        v["summary"]["pods_unhealthy"], 1,
        "the day-old kill is healthy"
    );
    assert_eq!(v["pods"][0]["findings"][0]["severity"], "warning");
}

/// Broken optional files of a bundle and a log path that is a folder are notes, not silence;
/// UTF-16 text (Windows PowerShell) is read.
#[test]
fn strict_inputs_become_notes_or_are_decoded() {
    let dir = support::copy_sample("demo-cluster");
    std::fs::write(dir.path().join("replicasets.json"), "{ not json").unwrap();
    std::fs::write(dir.path().join("pvcs.json"), "[1, 2").unwrap();
    std::fs::write(
        dir.path().join("bundle.json"),
        r#"{"captured_at": "yesterday"}"#,
    )
    .unwrap();
    let folder = dir
        .path()
        .join("logs/shop/orders-5f7b9d8c6-j2k8m/extra.log");
    std::fs::create_dir_all(&folder).unwrap();
    let out = kubedoctor()
        .args(["diagnose", "-o", "json", "--from"])
        .arg(dir.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let notes = serde_json::from_slice::<serde_json::Value>(&out).unwrap()["notes"].to_string();
    for needle in [
        "replicasets.json",
        "pvcs.json",
        "captured_at",
        "extra.log` is not a file",
    ] {
        assert!(notes.contains(needle), "no note about {needle}: {notes}");
    }

    let describe = support::BARE_POD_OOM_DESCRIBE;
    let mut utf16 = vec![0xFF, 0xFE];
    for u in describe.replace('\n', "\r\n").encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    let file = dir.path().join("describe-utf16.txt");
    std::fs::write(&file, utf16).unwrap();
    kubedoctor()
        .args(["diagnose", "--color", "never", "--from"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::starts_with("lab/mem-hog  CrashLoopBackOff"))
        .stdout(predicate::str::contains("crash.oom"));
}

/// A binary file given as text (an image, an archive) is refused at once, exit 2, saying
/// why, on a file and on stdin; it is not parsed into findings.
#[test]
fn a_binary_file_is_refused_as_text() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("screenshot.png");
    let bytes: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 256) as u8).collect();
    std::fs::write(&path, &bytes).unwrap();
    kubedoctor()
        .args(["diagnose", "--from"])
        .arg(&path)
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("screenshot.png` is not text"));
    kubedoctor()
        .args(["diagnose", "-"])
        .write_stdin(bytes)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not text"));
}

/// `NS/NAME` and `KIND/NS/NAME` select in that namespace, from a bundle as from pasted
/// text; a `-n` naming another namespace is exit 2.
#[test]
fn namespace_slash_name_targets_work_offline() {
    let json = |from: &std::path::Path, args: &[&str]| -> serde_json::Value {
        let out = kubedoctor()
            .args(["diagnose", "-o", "json", "--from"])
            .arg(from)
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).unwrap()
    };
    let demo = std::path::Path::new("samples/demo-cluster");
    for target in ["shop/orders-5f7b9d8c6-j2k8m", "deploy/shop/orders"] {
        let v = json(demo, &[target]);
        assert_eq!(v["summary"]["pods_scanned"], 1, "{target}");
        assert_eq!(v["pods"][0]["name"], "orders-5f7b9d8c6-j2k8m", "{target}");
    }
    kubedoctor()
        .args([
            "diagnose",
            "--from",
            "samples/demo-cluster",
            "-n",
            "payments",
        ])
        .arg("shop/orders-5f7b9d8c6-j2k8m")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "names namespace `shop` but -n says `payments`",
        ));
    let tmp = tempfile::tempdir().unwrap();
    let paste = tmp.path().join("pods.txt");
    let rows = [
        ("NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"),
        ("shop", "web-1", "0/1", "CrashLoopBackOff", "5", "10m"),
        ("ops", "web-1", "1/1", "Running", "0", "10m"),
    ];
    let mut text = String::from("$ kubectl get pods -A\n");
    for (a, b, c, d, e, f) in rows {
        text.push_str(&format!("{a:<11} {b:<7} {c:<7} {d:<18} {e:<10} {f}\n"));
    }
    std::fs::write(&paste, text).unwrap();
    let v = json(&paste, &["shop/web-1"]);
    assert_eq!(v["summary"]["pods_scanned"], 1);
    assert_eq!(v["pods"][0]["namespace"], "shop");
    let v = json(&paste, &["ops/web-1"]);
    assert_eq!(v["summary"]["pods_scanned"], 1);
    assert_eq!(v["summary"]["pods_unhealthy"], 0);
}
