//! Accepted problems written on the workload: the `kubedoctor.io/ignore` annotation of a
//! pod silences as a configuration rule does (not counted, not failing), with a note naming
//! the workload; an expired entry is a warning, a malformed one a note. And `config path`:
//! where the configuration file is looked for.

mod support;

use predicates::prelude::*;
use serde_json::Value;
use support::kubedoctor;

/// A copy of the `config-secret-missing` sample whose `payments` pods carry the annotation.
fn annotated(value: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/config-secret-missing");
    for entry in std::fs::read_dir(&from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let pods = dir.path().join("pods.json");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&pods).unwrap()).unwrap();
    let mut annotated = 0;
    for pod in v["items"].as_array_mut().unwrap() {
        if pod["metadata"]["namespace"] == "payments" {
            pod["metadata"]["annotations"] = serde_json::json!({ "kubedoctor.io/ignore": value });
            annotated += 1;
        }
    }
    assert_eq!(annotated, 3, "the sample has three payments pods");
    std::fs::write(&pods, serde_json::to_string(&v).unwrap()).unwrap();
    dir
}

fn report(dir: &std::path::Path) -> assert_cmd::assert::Assert {
    kubedoctor()
        .args(["report", "-o", "json", "--fail-on", "critical", "--from"])
        .arg(dir)
        .assert()
}

fn notes(out: &[u8]) -> (Value, String) {
    let v: Value = serde_json::from_slice(out).unwrap();
    let notes = v["notes"].to_string();
    (v, notes)
}

#[test]
fn the_annotation_silences_its_pods_with_a_note_and_the_gate_passes() {
    let dir = annotated(
        "config.secret-* until=2999-12-31, image.rate-limit until=2020-01-01, bad entry!",
    );
    let out = report(dir.path())
        .success()
        .stderr(predicate::str::contains(
            "warning: annotation `kubedoctor.io/ignore` on deployment/payments-api in payments (cause image.rate-limit) expired on 2020-01-01",
        ))
        .get_output()
        .stdout
        .clone();
    let (v, notes) = notes(&out);
    assert!(
        v["groups"].as_array().unwrap().is_empty(),
        "{}",
        v["groups"]
    );
    assert_eq!(v["summary"]["pods_unhealthy"], 0);
    assert!(v["summary"]["pods_scanned"].as_u64().unwrap() >= 3);
    assert!(
        notes.contains(
            "3 pods silenced by annotation `kubedoctor.io/ignore` on deployment/payments-api in payments (cause config.secret-*)"
        ),
        "{notes}"
    );
    assert!(notes.contains("`bad entry!` is not a cause id"), "{notes}");
    // The sample without the annotation fails the gate.
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
fn an_expired_or_malformed_or_other_cause_entry_silences_nothing() {
    for value in [
        "config.secret-missing until=2020-01-01",
        "config.secret-missing until=tomorrow",
        "image.*",
    ] {
        let out = report(annotated(value).path())
            .code(1)
            .get_output()
            .stdout
            .clone();
        let (v, notes) = notes(&out);
        assert!(!v["groups"].as_array().unwrap().is_empty(), "{value}");
        assert!(!notes.contains("silenced"), "{value}: {notes}");
    }
}

#[test]
fn config_path_lists_the_places_and_the_one_used() {
    let home = tempfile::tempdir().unwrap();
    let xdg = home.path().join("xdg");
    // Neither exists: the XDG place is listed, nothing used.
    kubedoctor()
        .arg("config")
        .arg("path")
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", &xdg)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "{}\tdoes not exist",
            xdg.join("kubedoctor/config.yaml").display()
        )))
        .stdout(predicate::str::contains("no configuration file"));
    // Without XDG_CONFIG_HOME, ~/.config; the file there is used by `diagnose` too.
    let file = home.path().join(".config/kubedoctor/config.yaml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, "fail-on: critical\n").unwrap();
    kubedoctor()
        .args(["config", "path"])
        .env("HOME", home.path())
        .env_remove("XDG_CONFIG_HOME")
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "{}\texists, used",
            file.display()
        )));
    kubedoctor()
        .args(["report", "--from", "samples/config-secret-missing"])
        .env("HOME", home.path())
        .env_remove("XDG_CONFIG_HOME")
        .assert()
        .code(1);
    // KUBEDOCTOR_CONFIG comes first and alone.
    kubedoctor()
        .args(["config", "path"])
        .env("HOME", home.path())
        .env_remove("XDG_CONFIG_HOME")
        .env("KUBEDOCTOR_CONFIG", "/elsewhere/c.yaml")
        .assert()
        .success()
        .stdout("/elsewhere/c.yaml\tdoes not exist, used\t(--config or KUBEDOCTOR_CONFIG)\n");
}
