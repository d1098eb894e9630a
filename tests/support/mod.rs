//! Helpers shared by the integration tests.

#![allow(dead_code)]

pub mod describe;
pub mod replay;

use assert_cmd::Command;
use std::io::Write as _;
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
    // Retries of a webhook wait milliseconds, not seconds (the waits have unit tests).
    cmd.env("KUBEDOCTOR_TEST_MAX_RETRY_WAIT_MS", "10");
    cmd
}

/// The real kubectl 1.33 (`scripts/fetch-kubectl`, or `KUBEDOCTOR_KUBECTL`), run with a
/// `HOME` and a discovery cache of the test's own: every invocation through one `Kubectl`
/// shares that cache (API discovery runs once per replay server, not once per command), and
/// nothing reaches the user's `~/.kube`.
pub struct Kubectl {
    path: PathBuf,
    home: tempfile::TempDir,
}

impl Kubectl {
    /// The binary's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The discovery cache every command uses (`--cache-dir`, `KUBECACHEDIR`).
    pub fn cache_dir(&self) -> PathBuf {
        self.home.path().join(".kube/cache")
    }

    /// A kubectl command with the test's `HOME` and cache; no kubeconfig of the user's. Go's
    /// garbage collector is off (`GOGC=off`): a test's kubectl lives a fraction of a second
    /// (about 60 MB at most, uncollected), and collecting was a quarter of its CPU time,
    /// which the equivalence test's 800 runs add up.
    pub fn command(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(&self.path);
        cmd.env("HOME", self.home.path())
            .env("KUBECACHEDIR", self.cache_dir())
            .env("GOGC", "off")
            .env_remove("KUBECONFIG");
        cmd
    }

    /// [`Kubectl::command`] for assert_cmd's assertions.
    pub fn assert_cmd(&self) -> Command {
        Command::from_std(self.command())
    }
}

/// Whether a missing kubectl fails the test rather than skipping it: in CI (`CI` set and not
/// empty) or with `KUBEDOCTOR_REQUIRE_KUBECTL=1`.
pub fn kubectl_required() -> bool {
    let set = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty() && s != "0");
    set("CI") || set("KUBEDOCTOR_REQUIRE_KUBECTL")
}

/// The real kubectl for a test that needs it. Without one, says so on stderr and returns
/// `None` (the test returns having checked nothing), or fails when [`kubectl_required`].
pub fn kubectl() -> Option<Kubectl> {
    let path = std::env::var_os("KUBEDOCTOR_KUBECTL")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/kubectl/kubectl"));
    if path.is_file() {
        let home = tempfile::tempdir().expect("tempdir");
        return Some(Kubectl { path, home });
    }
    // Straight to the process's stderr: the test harness hides `eprintln!` of a passing test.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: this test needs kubectl 1.33 and found none at {} (run scripts/fetch-kubectl, \
         or set KUBEDOCTOR_KUBECTL); it checked nothing",
        path.display()
    );
    assert!(
        !kubectl_required(),
        "kubectl not found at {} and CI or KUBEDOCTOR_REQUIRE_KUBECTL is set: run \
         scripts/fetch-kubectl",
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

/// `f` over `items` on a few threads (twice the machine's cores: the work is mostly waiting
/// on child processes), the results in the items' order.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(2, usize::from)
        .saturating_mul(2)
        .clamp(1, items.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else {
                            return out;
                        };
                        out.push((i, f(item)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}
