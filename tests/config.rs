//! The configuration file: accepted problems leave the report, the exit code and the
//! webhook, with a note per rule and a warning for an expired rule; default flags; `config
//! check` names line and field.

mod support;

use predicates::prelude::*;
use serde_json::Value;
use support::kubedoctor;

fn write(dir: &std::path::Path, text: &str) -> std::path::PathBuf {
    let p = dir.join("config.yaml");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn an_accepted_problem_leaves_report_exit_code_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "ignore:\n  - cause: config.secret-missing\n    namespace: pay*\n    reason: vault migration\n  - cause: image.*\n    until: 2020-01-01\n",
    );
    let out = kubedoctor()
        .args([
            "report",
            "--from",
            "samples/config-secret-missing",
            "-o",
            "json",
            "--fail-on",
            "critical",
            "--config",
        ])
        .arg(&config)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: ignore rule 2 (cause image.*) expired on 2020-01-01",
        ))
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert!(
        v["groups"].as_array().unwrap().is_empty(),
        "{}",
        v["groups"]
    );
    assert_eq!(v["summary"]["pods_unhealthy"], 0);
    assert!(
        v["summary"]["pods_scanned"].as_u64().unwrap() >= 3,
        "silenced pods were scanned"
    );
    let notes = v["notes"].to_string();
    assert!(
        notes.contains("3 pods silenced by ignore rule 1"),
        "{notes}"
    );
    assert!(notes.contains("vault migration"));
    // The same run without the configuration fails the gate.
    kubedoctor()
        .args([
            "report",
            "--from",
            "samples/config-secret-missing",
            "--fail-on",
            "critical",
        ])
        .assert()
        .code(1);
}

#[test]
fn default_flags_come_from_the_file_unless_given() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "output: json\nfail-on: critical\nexclude-namespaces: [payments]\n",
    );
    let out = kubedoctor()
        .args(["diagnose", "--from", "samples/demo-cluster"])
        .env("KUBEDOCTOR_CONFIG", &config)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("json from the configuration");
    assert!(
        v["pods"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["namespace"] != "payments"),
        "an excluded namespace"
    );
    kubedoctor()
        .args([
            "diagnose",
            "--from",
            "samples/demo-cluster",
            "-o",
            "text",
            "--fail-on",
            "none",
            "-n",
            "payments",
        ])
        .env("KUBEDOCTOR_CONFIG", &config)
        .assert()
        .success()
        .stdout(predicate::str::contains("payments/payments-api"));
}

#[test]
fn config_check_names_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "fail-on: critical\nignore:\n  - cause: x\n    nmespace: y\n",
    );
    kubedoctor()
        .args(["config", "check"])
        .arg(&config)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "line 4 column 5: unknown field `nmespace`",
        ));
    let config = write(
        dir.path(),
        "ignore:\n  - cause: image.rate-limit\n    until: 2099-12-31\n",
    );
    kubedoctor()
        .args(["config", "check"])
        .arg(&config)
        .assert()
        .success()
        .stdout(predicate::str::contains("valid; 1 ignore rule (0 expired)"));
    // A rule may name a Service (a glob on its name) instead of pods.
    let config = write(
        dir.path(),
        "ignore:\n  - cause: service.*\n    namespace: shop\n    service: legacy-*\n",
    );
    kubedoctor()
        .args(["config", "check"])
        .arg(&config)
        .assert()
        .success()
        .stdout(predicate::str::contains("valid; 1 ignore rule (0 expired)"));
    kubedoctor()
        .args(["report", "--from", "samples/crash-oom", "--config"])
        .arg(dir.path().join("missing.yaml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.yaml"));
}

/// `config check` checks what the file names: a playbook directory that does not exist and
/// a cause id no playbook has are errors (with the nearest id), listed together.
#[test]
fn config_check_finds_missing_directories_and_misspelt_causes() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "playbooks: [/nonexistent/playbooks]\nignore:\n  - cause: image.rate-limt\n  - cause: sched.*\n",
    );
    kubedoctor()
        .args(["config", "check"])
        .arg(&config)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "playbook directory `/nonexistent/playbooks` does not exist",
        ))
        .stderr(predicate::str::contains(
            "ignore rule 1: cause `image.rate-limt` is no cause id of the playbooks; did you mean `image.rate-limit`?",
        ))
        .stderr(predicate::str::contains("ignore rule 2").not());
}

/// The configuration's playbook directories apply to every command: `explain` and
/// `playbooks list|show` know a cause only a configured directory adds.
#[test]
fn configured_playbook_directories_apply_to_explain_and_playbooks() {
    let dir = tempfile::tempdir().unwrap();
    let playbooks = dir.path().join("playbooks");
    std::fs::create_dir(&playbooks).unwrap();
    std::fs::write(
        playbooks.join("team.yaml"),
        "status: [CrashLoopBackOff]\nsummary: our own knowledge\ncauses:\n  - id: team.index-too-big\n    title: The customer index outgrew the pod\n    severity: critical\n    confidence: 0.6\n    when:\n      - log: 'index size (?P<size>\\d+MB)'\n    explain: \"index is {size}\"\n",
    )
    .unwrap();
    let config = write(
        dir.path(),
        &format!("playbooks: [{}]\n", playbooks.display()),
    );
    for args in [
        &["explain", "team.index-too-big"][..],
        &["playbooks", "show", "team.index-too-big"],
        &["playbooks", "list"],
    ] {
        kubedoctor()
            .args(args)
            .env("KUBEDOCTOR_CONFIG", &config)
            .assert()
            .success()
            .stdout(predicate::str::contains("team.index-too-big"));
    }
    kubedoctor()
        .args(["explain", "team.index-too-big"])
        .env_remove("KUBEDOCTOR_CONFIG")
        .env("XDG_CONFIG_HOME", dir.path().join("none"))
        .assert()
        .failure();
}
