//! What a Kubernetes user reaches for around the tool: `kubectl doctor` as a kubectl plugin
//! (run through a real kubectl), the krew manifest, shell completion and manual pages.

mod support;

use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;
use support::kubedoctor;

#[test]
fn kubectl_runs_it_as_the_doctor_plugin() {
    let Some(kubectl) = support::kubectl() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let plugin = dir.path().join("kubectl-doctor");
    std::fs::copy(assert_cmd::cargo::cargo_bin("kubedoctor"), &plugin).unwrap();
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |args: &[&str]| {
        assert_cmd::Command::new(&kubectl)
            .args(args)
            .env("PATH", &path)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .assert()
    };
    run(&["plugin", "list"])
        .success()
        .stdout(predicate::str::contains("kubectl-doctor"));
    run(&["doctor", "diagnose", "--help"])
        .success()
        .stdout(predicate::str::contains("Usage: kubectl doctor diagnose"));
    run(&[
        "doctor",
        "diagnose",
        "--from",
        "samples/crash-oom",
        "--color",
        "never",
    ])
    .success()
    .stdout(predicate::str::contains("crash.oom"));
    run(&["doctor", "nonsense"])
        .code(2)
        .stderr(predicate::str::contains("Usage: kubectl doctor"));
}

#[test]
fn the_krew_manifest_names_every_platform() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/krew/doctor.yaml"),
    )
    .unwrap();
    let m: Value = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(
        m["apiVersion"],
        "krew.googlecontainertools.github.com/v1alpha2"
    );
    assert_eq!(m["kind"], "Plugin");
    assert_eq!(m["metadata"]["name"], "doctor");
    assert!(m["spec"]["version"].as_str().unwrap().starts_with('v'));
    assert!(!m["spec"]["shortDescription"].as_str().unwrap().is_empty());
    let mut seen = Vec::new();
    for p in m["spec"]["platforms"].as_array().unwrap() {
        let labels = &p["selector"]["matchLabels"];
        let (os, arch) = (
            labels["os"].as_str().unwrap(),
            labels["arch"].as_str().unwrap(),
        );
        seen.push(format!("{os}/{arch}"));
        let bin = p["bin"].as_str().unwrap();
        assert_eq!(
            bin,
            if os == "windows" {
                "kubectl-doctor.exe"
            } else {
                "kubectl-doctor"
            }
        );
        assert!(p["uri"].as_str().unwrap().starts_with("https://"));
        let sha = p["sha256"].as_str().unwrap();
        assert!(
            sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit()),
            "{sha}"
        );
        assert!(
            p["files"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["from"] == bin),
            "the binary is among the files"
        );
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            "darwin/amd64",
            "darwin/arm64",
            "linux/amd64",
            "linux/arm64",
            "windows/amd64",
            "windows/arm64"
        ]
    );
}

#[test]
fn the_krew_manifest_script_fills_in_version_and_checksums() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path()
            .join("kubedoctor-x86_64-unknown-linux-musl.tar.gz"),
        b"archive",
    )
    .unwrap();
    let out = assert_cmd::Command::new(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/krew-manifest"),
    )
    .arg("v9.9.9")
    .arg(dir.path())
    .assert()
    .success()
    .get_output()
    .stdout
    .clone();
    let m: Value = serde_saphyr::from_str(&String::from_utf8(out).unwrap()).unwrap();
    assert_eq!(m["spec"]["version"], "v9.9.9");
    let linux = m["spec"]["platforms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            p["uri"]
                .as_str()
                .unwrap()
                .contains("x86_64-unknown-linux-musl")
        })
        .unwrap();
    // sha256 of b"archive".
    assert_eq!(
        linux["sha256"],
        "0eb3e36bfb24dcd9bb1d1bece1531216b59539a8fde17ee80224af0653c92aa3"
    );
    assert!(linux["uri"].as_str().unwrap().contains("/v9.9.9/"));
}

#[test]
fn bash_loads_the_completion_script_which_knows_commands_flags_and_causes() {
    let out = kubedoctor()
        .args(["completion", "bash"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let script = String::from_utf8(out).unwrap();
    for word in [
        "diagnose",
        "--namespace",
        "markdown",
        "crash.oom",
        "image.not-found",
    ] {
        assert!(script.contains(word), "completion lacks {word}");
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kubedoctor.bash");
    std::fs::write(&file, &script).unwrap();
    assert_cmd::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {} && complete -p kubedoctor",
            file.display()
        ))
        .assert()
        .success()
        .stdout(predicate::str::contains("-F _kubedoctor kubedoctor"));
    for shell in ["zsh", "fish", "powershell"] {
        kubedoctor()
            .args(["completion", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("kubedoctor"));
    }
}

#[test]
fn man_prints_the_page_and_writes_one_per_command() {
    kubedoctor()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH kubedoctor 1"))
        .stdout(predicate::str::contains("diagnose"));
    let dir = tempfile::tempdir().unwrap();
    kubedoctor()
        .args(["man", "--dir"])
        .arg(dir.path())
        .assert()
        .success();
    for page in [
        "kubedoctor.1",
        "kubedoctor-diagnose.1",
        "kubedoctor-report.1",
        "kubedoctor-capture.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join(page)).unwrap();
        assert!(text.starts_with(".ie"), "{page} is a roff page");
        assert!(text.contains(".SH \"EXIT STATUS\""), "{page}");
        assert!(text.contains("KUBEDOCTOR_WEBHOOK"), "{page}: ENVIRONMENT");
    }
    let top = std::fs::read_to_string(dir.path().join("kubedoctor.1")).unwrap();
    assert!(top.contains(".SH EXAMPLES"));
    // Every page a page names is one that was written.
    let written: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for e in std::fs::read_dir(dir.path()).unwrap().flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap();
        for named in text.split(|c: char| c.is_whitespace()) {
            if let Some(stem) = named.strip_suffix("(1)") {
                let file = format!("{}.1", stem.replace("\\-", "-"));
                assert!(
                    written.contains(&file),
                    "{named} in {:?} has no page",
                    e.file_name()
                );
            }
        }
    }
}

/// `cargo package` ships what the crate needs to build and what a user reads, nothing else.
#[test]
fn the_package_holds_the_playbooks_docs_and_license_but_not_the_samples() {
    let out = assert_cmd::Command::new(env!("CARGO"))
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let files = String::from_utf8(out).unwrap();
    for needed in [
        "build.rs",
        "playbooks/crash-loop.yaml",
        "src/main.rs",
        "LICENSE",
        "README.md",
        "docs/CAUSES.md",
        "deploy/krew/doctor.yaml",
    ] {
        assert!(files.lines().any(|l| l == needed), "{needed} missing");
    }
    for left_out in ["samples/", "tests/", "benches/", "catalogue/", "target/"] {
        assert!(
            !files.lines().any(|l| l.starts_with(left_out)),
            "{left_out} shipped"
        );
    }
}
