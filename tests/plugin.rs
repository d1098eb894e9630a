//! What a Kubernetes user reaches for around the tool: `kubectl rootcause` as a kubectl
//! plugin (run through a real kubectl, completion included), the krew manifest and the script
//! that renders it, shell completion and manual pages.

mod support;

use kubedoctor::invocation::PLUGIN;
use predicates::prelude::*;
use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;
use support::kubedoctor;
use support::replay::Replay;

/// A directory for `PATH` holding `kubectl-rootcause` (a symlink to the binary) and the
/// `kubectl_complete-rootcause` helper the binary prints; and that `PATH`.
fn plugin_path() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("kubedoctor");
    std::os::unix::fs::symlink(&bin, dir.path().join(format!("kubectl-{PLUGIN}"))).unwrap();
    let helper = kubedoctor()
        .args(["completion", "kubectl-plugin"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let file = dir.path().join(format!("kubectl_complete-{PLUGIN}"));
    std::fs::write(&file, helper).unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    (dir, path)
}

#[test]
fn kubectl_runs_it_as_the_rootcause_plugin() {
    let Some(kubectl) = support::kubectl() else {
        return;
    };
    let (_dir, path) = plugin_path();
    let run = |args: &[&str]| {
        kubectl
            .assert_cmd()
            .args(args)
            .env("PATH", &path)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .assert()
    };
    run(&["plugin", "list"])
        .success()
        .stdout(predicate::str::contains(format!("kubectl-{PLUGIN}")));
    run(&[PLUGIN, "diagnose", "--help"])
        .success()
        .stdout(predicate::str::contains(format!(
            "Usage: kubectl {PLUGIN} diagnose"
        )))
        .stdout(predicate::str::contains(format!(
            "kubectl {PLUGIN} diagnose --from samples/demo-cluster"
        )));
    run(&[
        PLUGIN,
        "diagnose",
        "--from",
        "samples/crash-oom",
        "--color",
        "never",
    ])
    .success()
    .stdout(predicate::str::contains("crash.oom"));
    run(&[PLUGIN, "nonsense"])
        .code(2)
        .stderr(predicate::str::contains(format!("Usage: kubectl {PLUGIN}")));
    // A hint names the command as the user typed it.
    run(&[PLUGIN, "explain", "no-such-thing"])
        .code(2)
        .stderr(predicate::str::contains(format!(
            "`kubectl {PLUGIN} playbooks list`"
        )))
        .stderr(predicate::str::contains("`kubedoctor ").not());
}

#[test]
fn kubectl_completes_the_plugin_through_its_helper() {
    let Some(kubectl) = support::kubectl() else {
        return;
    };
    let (dir, path) = plugin_path();
    let complete = |args: &[&str]| -> Vec<String> {
        let out = kubectl
            .assert_cmd()
            .arg("__complete")
            .arg(PLUGIN)
            .args(args)
            .env("PATH", &path)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| l.split('\t').next().unwrap().to_string())
            .collect()
    };
    let subcommands = complete(&["di"]);
    assert!(
        subcommands.contains(&"diagnose".to_string()),
        "{subcommands:?}"
    );
    assert!(
        !subcommands.contains(&"report".to_string()),
        "{subcommands:?}"
    );
    // The directive: no file names after a subcommand prefix.
    assert_eq!(subcommands.last().unwrap(), ":4");
    let flags = complete(&["diagnose", "--names"]);
    assert!(flags.contains(&"--namespace".to_string()), "{flags:?}");
    let causes = complete(&["explain", "crash.o"]);
    assert!(causes.contains(&"crash.oom".to_string()), "{causes:?}");
    let formats = complete(&["report", "-o", "mark"]);
    assert!(formats.contains(&"markdown".to_string()), "{formats:?}");
    // The namespaces of `-n` come from the cluster the words name.
    let replay = Replay::start(&support::sample("demo-cluster"), Duration::ZERO, vec![]);
    let kubeconfig = replay.kubeconfig(dir.path(), "default");
    let namespaces = complete(&[
        "diagnose",
        "--kubeconfig",
        kubeconfig.to_str().unwrap(),
        "-n",
        "",
    ]);
    assert!(namespaces.contains(&"shop".to_string()), "{namespaces:?}");
    assert!(
        replay
            .requests()
            .iter()
            .any(|(_, p)| p.starts_with("/api/v1/namespaces")),
        "{:?}",
        replay.requests()
    );
}

#[test]
fn an_older_kubectl_doctor_symlink_still_names_itself() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("kubectl-doctor");
    std::os::unix::fs::symlink(assert_cmd::cargo::cargo_bin("kubedoctor"), &link).unwrap();
    assert_cmd::Command::new(&link)
        .args(["playbooks", "show", "no.such.cause"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`kubectl doctor playbooks list`"));
    assert_cmd::Command::new(&link)
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Usage: kubectl doctor"));
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap()
}

/// The platforms of a krew manifest, each with its bin, uri and sha256.
fn platforms(m: &Value) -> Vec<(String, &Value)> {
    m["spec"]["platforms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let labels = &p["selector"]["matchLabels"];
            (
                format!(
                    "{}/{}",
                    labels["os"].as_str().unwrap(),
                    labels["arch"].as_str().unwrap()
                ),
                p,
            )
        })
        .collect()
}

const TARGETS: [&str; 6] = [
    "kubedoctor-x86_64-unknown-linux-musl.tar.gz",
    "kubedoctor-aarch64-unknown-linux-musl.tar.gz",
    "kubedoctor-x86_64-apple-darwin.tar.gz",
    "kubedoctor-aarch64-apple-darwin.tar.gz",
    "kubedoctor-x86_64-pc-windows-msvc.zip",
    "kubedoctor-aarch64-pc-windows-msvc.zip",
];

#[test]
fn the_krew_manifest_template_names_every_platform_and_no_host() {
    let text = read(&format!("deploy/krew/{PLUGIN}.yaml"));
    let m: Value = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(
        m["apiVersion"],
        "krew.googlecontainertools.github.com/v1alpha2"
    );
    assert_eq!(m["kind"], "Plugin");
    assert_eq!(m["metadata"]["name"], PLUGIN);
    assert!(!m["spec"]["shortDescription"].as_str().unwrap().is_empty());
    // The caveats give the one manual step: the completion helper.
    assert!(
        m["spec"]["caveats"]
            .as_str()
            .unwrap()
            .contains(&format!("kubectl_complete-{PLUGIN}"))
    );
    // A template: where it is hosted and the checksums are the script's to fill in.
    assert_eq!(m["spec"]["version"], "@VERSION@");
    assert_eq!(m["spec"]["homepage"], "@REPOSITORY@");
    assert!(!text.contains("https://") && !text.contains("0000000000"));
    let mut seen = Vec::new();
    for (platform, p) in platforms(&m) {
        let bin = p["bin"].as_str().unwrap();
        let want = if platform.starts_with("windows/") {
            format!("kubectl-{PLUGIN}.exe")
        } else {
            format!("kubectl-{PLUGIN}")
        };
        assert_eq!(bin, want);
        assert!(
            p["uri"]
                .as_str()
                .unwrap()
                .starts_with("@REPOSITORY@/releases/download/@VERSION@/kubedoctor-")
        );
        assert_eq!(p["sha256"], "@SHA256@");
        assert!(
            p["files"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["from"] == bin),
            "the binary is among the files"
        );
        seen.push(platform);
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

/// No committed file points at a hosting organisation: that is release.env's alone.
#[test]
fn where_it_is_published_is_one_release_setting() {
    let cargo = read("Cargo.toml");
    for key in ["repository =", "homepage =", "documentation ="] {
        assert!(!cargo.contains(key), "Cargo.toml has {key}");
    }
    let cronjob = read("deploy/cronjob.yaml");
    let image = cronjob
        .lines()
        .find_map(|l| l.trim().strip_prefix("image: "))
        .unwrap();
    assert!(image.starts_with("kubedoctor:"), "{image}: a local build");
    for file in ["README.md", "Dockerfile", "deploy/cronjob.yaml"] {
        let text = read(file);
        for org in ["github.com/kubedoctor", "ghcr.io/kubedoctor"] {
            assert!(!text.contains(org), "{file} names {org}");
        }
    }
    let env = read("release.env");
    for key in ["REPOSITORY=", "IMAGE="] {
        assert!(
            env.lines().any(|l| l.starts_with(key)),
            "release.env lacks {key}"
        );
    }
}

fn script() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(root().join("scripts/krew-manifest"));
    cmd.env(
        "KUBEDOCTOR_REPOSITORY",
        "https://github.com/example-owner/kubedoctor",
    )
    .env(
        "KUBEDOCTOR_IMAGE",
        "registry.example/example-owner/kubedoctor",
    );
    cmd
}

/// The sha256 of `archive 0` ... `archive 5`, the test archives of [`TARGETS`].
const SUMS: [&str; 6] = [
    "75e2472f583c10784fce71e4b23be21739ac05c1b51b52a5d5b3ce519871a725",
    "d9baf236e10ad5bd745fb8001fe97479eb06de761f4a692da31410c2365fe910",
    "f12584295f96d08290f2fda7368dd6a67b958b5893918604d3327744f37286f3",
    "780a315ab1a8b28868019df4b8f93814cf5c42c2f59a950e02605a2f7c70a60c",
    "a1ce7c66a3c7207cc66a4be748523bbd3673fe0a4fea5121da93f44ed316381a",
    "6c57a613be859bdb60ab8c628d987d7fe44046b251dc58a745eadade77dbf08d",
];

#[test]
fn the_krew_manifest_script_fills_in_version_hosting_and_checksums() {
    let dir = tempfile::tempdir().unwrap();
    for (i, name) in TARGETS.iter().enumerate() {
        std::fs::write(dir.path().join(name), format!("archive {i}")).unwrap();
    }
    let out = script()
        .arg("v9.9.9")
        .arg(dir.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(!text.contains('@'), "a placeholder is left: {text}");
    let m: Value = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(m["spec"]["version"], "v9.9.9");
    assert_eq!(
        m["spec"]["homepage"],
        "https://github.com/example-owner/kubedoctor"
    );
    let platforms = platforms(&m);
    assert_eq!(platforms.len(), 6);
    for (platform, p) in platforms {
        let uri = p["uri"].as_str().unwrap();
        let archive = uri.rsplit('/').next().unwrap();
        assert_eq!(
            uri,
            format!(
                "https://github.com/example-owner/kubedoctor/releases/download/v9.9.9/{archive}"
            )
        );
        let i = TARGETS.iter().position(|t| *t == archive).unwrap();
        assert_eq!(p["sha256"], SUMS[i], "{platform}");
    }
    // A platform whose archive is missing is left out, and said so; no archive, no manifest.
    std::fs::remove_file(dir.path().join(TARGETS[5])).unwrap();
    let out = script().arg("v9.9.9").arg(dir.path()).assert().success();
    let m: Value =
        serde_saphyr::from_str(&String::from_utf8(out.get_output().stdout.clone()).unwrap())
            .unwrap();
    assert_eq!(m["spec"]["platforms"].as_array().unwrap().len(), 5);
    out.stderr(predicate::str::contains(TARGETS[5]));
    let empty = tempfile::tempdir().unwrap();
    script().arg("v9.9.9").arg(empty.path()).assert().code(2);
    script().arg("9.9").arg(dir.path()).assert().code(2);
}

#[test]
fn the_script_renders_the_cronjob_with_the_release_image() {
    let out = script()
        .args(["--cronjob", "v9.9.9"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.lines()
            .any(|l| l.trim() == "image: registry.example/example-owner/kubedoctor:9.9.9"),
        "{text}"
    );
    // Everything else is the committed CronJob.
    assert_eq!(
        text.lines().count(),
        read("deploy/cronjob.yaml").lines().count()
    );
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
        "deploy/krew/rootcause.yaml",
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
