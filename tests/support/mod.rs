//! Helpers shared by the integration tests.

#![allow(dead_code)]

pub mod describe;
pub mod replay;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The kubedoctor binary, run from the crate root with color off.
pub fn kubedoctor() -> Command {
    let mut cmd = Command::cargo_bin("kubedoctor").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.env_remove("NO_COLOR");
    // A developer's own configuration and webhook never reach a test.
    cmd.env("XDG_CONFIG_HOME", "/nonexistent/kubedoctor-test-config");
    cmd.env_remove("KUBEDOCTOR_CONFIG");
    cmd.env_remove("KUBEDOCTOR_WEBHOOK");
    // Nor a proxy of theirs: webhooks in tests go to 127.0.0.1 directly.
    for v in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "NO_PROXY",
        "ALL_PROXY",
        "REQUEST_METHOD",
    ] {
        cmd.env_remove(v).env_remove(v.to_lowercase());
    }
    cmd
}

/// The real kubectl 1.33 binary (`scripts/fetch-kubectl`, or `KUBEDOCTOR_KUBECTL`); `None`
/// skips a test, unless `KUBEDOCTOR_REQUIRE_KUBECTL` is set (CI), which makes it fail.
pub fn kubectl() -> Option<PathBuf> {
    let path = std::env::var_os("KUBEDOCTOR_KUBECTL")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/kubectl/kubectl"));
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var_os("KUBEDOCTOR_REQUIRE_KUBECTL").is_none(),
        "kubectl not found at {}: run scripts/fetch-kubectl",
        path.display()
    );
    eprintln!(
        "skipped: no kubectl at {} (run scripts/fetch-kubectl)",
        path.display()
    );
    None
}

/// `kubectl describe pod` of a pod without a controller, OOM-killed in a crash loop.
pub const BARE_POD_OOM_DESCRIBE: &str = "Name:         mem-hog
Namespace:    lab
Node:         w-2/10.0.0.5
Status:       Running
Containers:
  hog:
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       OOMKilled
      Exit Code:    137
    Ready:          False
    Restart Count:  4
    Limits:
      memory:  100Mi
Events:  <none>
";

pub fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

/// Copies a sample bundle into a temporary directory so a test can damage it.
pub fn copy_sample(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&sample(name), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        let p = e.path();
        let target = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            std::fs::copy(&p, &target).expect("copy");
        }
    }
}

/// Runs a command that must succeed and returns its stdout.
pub fn stdout_of(cmd: &mut Command) -> Vec<u8> {
    cmd.assert().success().get_output().stdout.clone()
}

/// Replaces the report's timestamp so snapshots are stable.
pub fn stable_json(stdout: &[u8]) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_slice(stdout).expect("stdout is JSON");
    v["generated_at"] = serde_json::json!("[generated_at]");
    v
}

/// Writes the JSON report of the demo cluster to `path` (a baseline for the next run).
#[allow(dead_code)]
pub fn write_demo_report(path: &std::path::Path) {
    kubedoctor()
        .args([
            "report",
            "--from",
            "samples/demo-cluster",
            "-o",
            "json",
            "--output-file",
        ])
        .arg(path)
        .assert()
        .success();
}
