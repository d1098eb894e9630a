//! `kubedoctor explain` and `kubedoctor playbooks list|show|lint|test`.

mod support;

use predicates::prelude::*;
use support::{kubedoctor, stdout_of};

#[test]
fn explain_a_cause_prints_its_docs() {
    kubedoctor()
        .args(["explain", "crash.oom"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "crash.oom: Killed for exceeding its memory limit",
        ))
        .stdout(predicate::str::contains("What it means"))
        .stdout(predicate::str::contains("How to confirm it"))
        .stdout(predicate::str::contains("https://kubernetes.io/"));
}

#[test]
fn explain_a_status_lists_causes_in_order() {
    let out = stdout_of(kubedoctor().args(["explain", "ImagePullBackOff"]));
    let text = String::from_utf8(out).unwrap();
    let pos = |id: &str| {
        text.find(id)
            .unwrap_or_else(|| panic!("{id} missing:\n{text}"))
    };
    assert!(pos("image.never-pull-missing") < pos("image.rate-limit"));
    assert!(pos("image.auth") < pos("image.not-found"));
    assert!(!text.contains("crash.oom"));
    kubedoctor()
        .args(["explain", "NoSuchThing"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("neither a cause id nor a status"));
}

#[test]
fn explain_takes_any_status_shown_in_any_case_and_suggests_on_a_typo() {
    for (status, first_playbook) in [
        ("containerstatusunknown", "failed.yaml"),
        ("Evicted", "failed.yaml"),
        ("init:crashloopbackoff", "init.yaml"),
        ("EXITCODE:137", "crash-loop.yaml"),
        // The scheduler's causes before the volumes': `Pending` is first in its list.
        ("Pending", "pending.yaml"),
    ] {
        let out = stdout_of(kubedoctor().args(["explain", status]));
        let text = String::from_utf8(out).unwrap();
        let first = text.lines().nth(2).unwrap_or_default();
        assert!(first.starts_with(first_playbook), "{status}: {text}");
        assert!(
            text.trim_end()
                .ends_with("Not healthy, and no known cause matches the evidence at hand"),
            "the cause of last resort comes last: {text}"
        );
    }
    kubedoctor()
        .args(["explain", "ImagePulBackOff"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `ImagePullBackOff`?"));
    kubedoctor()
        .args(["explain", "image.not-fund"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `image.not-found`?"));
}

#[test]
fn list_in_text_and_json() {
    let out = stdout_of(kubedoctor().args(["playbooks", "list", "-o", "json"]));
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 81);
    let oom = rows.iter().find(|r| r["id"] == "crash.oom").unwrap();
    assert_eq!(oom["severity"], "critical");
    assert!(
        oom["status"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "CrashLoopBackOff")
    );
    kubedoctor()
        .args(["playbooks", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("sched.quota"));
}

#[test]
fn show_prints_the_yaml_of_one_cause() {
    kubedoctor()
        .args(["playbooks", "show", "crash.oom"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "# crash-loop.yaml\n  - id: crash.oom\n",
        ))
        .stdout(predicate::str::contains(
            "container.last_state.reason: OOMKilled",
        ))
        .stdout(predicate::str::contains("crash.exec-format").not());
    kubedoctor()
        .args(["playbooks", "show", "nope.nope"])
        .assert()
        .code(2);
    kubedoctor()
        .args(["playbooks", "show", "crash.om"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `crash.oom`?"));
}

#[test]
fn shipped_playbooks_lint_and_test_clean() {
    kubedoctor()
        .args(["playbooks", "lint", "--color", "never"])
        .assert()
        .success()
        .stdout(predicate::str::contains("81 causes: 0 errors"));
    kubedoctor()
        .args(["playbooks", "test", "--color", "never"])
        .assert()
        .success()
        .stdout(predicate::str::contains("81 passed, 0 failed, 0 untested"));
}

const USER_PLAYBOOK: &str = r#"status: [CrashLoopBackOff]
summary: team knowledge
causes:
  - id: team.index-too-big
    title: The customer index outgrew the pod
    severity: critical
    confidence: 0.99
    when:
      - log: 'index size (?P<size>\d+MB)'
    explain: "index is {size}"
"#;

#[test]
fn a_user_directory_is_linted_and_tested_the_same_way() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("team.yaml"), USER_PLAYBOOK).unwrap();
    let samples = dir.path().join("samples");
    let sample = samples.join("big-index");
    std::fs::create_dir_all(&sample).unwrap();
    let src = support::sample("crash-oom");
    for f in ["pods.json", "events.json", "nodes.json", "bundle.json"] {
        std::fs::copy(src.join(f), sample.join(f)).unwrap();
    }
    std::fs::create_dir_all(sample.join("logs/shop/report-api-79f5c6d8b4-wq9zt")).unwrap();
    std::fs::copy(
        src.join("logs/shop/report-api-79f5c6d8b4-wq9zt/api.previous.log"),
        sample.join("logs/shop/report-api-79f5c6d8b4-wq9zt/api.previous.log"),
    )
    .unwrap();
    std::fs::write(
        sample.join("expected.yaml"),
        "shop/report-api-79f5c6d8b4-wq9zt: team.index-too-big\n",
    )
    .unwrap();

    // Lint: the user cause has no docs.
    kubedoctor()
        .args(["playbooks", "lint", "--color", "never"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "error: team.index-too-big (team.yaml): docs link missing",
        ));
    // Test: passes (0.99 beats the shipped crash.oom).
    kubedoctor()
        .args(["playbooks", "test", "--color", "never"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("pass team.index-too-big (1 pod)"));
    // Lower its confidence: crash.oom wins, the test fails with exit 1.
    std::fs::write(
        dir.path().join("team.yaml"),
        USER_PLAYBOOK.replace("0.99", "0.5"),
    )
    .unwrap();
    kubedoctor()
        .args(["playbooks", "test", "--color", "never"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL team.index-too-big"))
        .stdout(predicate::str::contains("got `crash.oom` (critical)"));
}

#[test]
fn the_same_id_in_two_user_files_stops_diagnose_as_it_stops_lint() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), USER_PLAYBOOK).unwrap();
    std::fs::write(dir.path().join("b.yaml"), USER_PLAYBOOK).unwrap();
    for args in [
        vec!["diagnose", "--from", "samples/crash-oom", "--playbooks"],
        vec!["playbooks", "lint"],
    ] {
        kubedoctor()
            .args(&args)
            .arg(dir.path())
            .assert()
            .code(2)
            .stderr(predicate::str::contains("team.index-too-big"))
            .stderr(predicate::str::contains(
                "duplicate id: already defined in `a.yaml`",
            ));
    }
}
