//! `capture --dir` writes a bundle whole and alone: beside the target and renamed into place;
//! a non-empty target is refused unless `--force`, which replaces it whole (no log, journal or
//! list of an earlier capture stays).

mod support;

use std::path::Path;
use std::time::Duration;
use support::kubedoctor;
use support::replay::Replay;

fn capture(replay: &Replay, tmp: &Path, dir: &Path, force: bool) -> std::process::Output {
    let mut cmd = kubedoctor();
    cmd.args(["capture", "-A", "--no-node-journal", "--dir"])
        .arg(dir)
        .arg("--kubeconfig")
        .arg(replay.kubeconfig(tmp, "default"));
    if force {
        cmd.arg("--force");
    }
    cmd.output().unwrap()
}

#[test]
fn a_used_directory_is_refused_and_force_replaces_it_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(
        &support::sample("crash-dependency-unreachable"),
        Duration::ZERO,
        vec![],
    );
    let parent = tmp.path().join("out");
    let dir = parent.join("bundle");
    // An earlier capture's leftovers.
    std::fs::create_dir_all(dir.join("journal")).unwrap();
    std::fs::write(dir.join("journal/old-node.log"), "old").unwrap();
    std::fs::write(dir.join("replicasets.json"), "{}").unwrap();

    let refused = capture(&replay, tmp.path(), &dir, false);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("not empty") && stderr.contains("--force"),
        "{stderr}"
    );
    assert!(
        dir.join("journal/old-node.log").is_file(),
        "refused: untouched"
    );
    assert!(
        replay.requests().is_empty(),
        "refused before the cluster is asked anything"
    );

    let forced = capture(&replay, tmp.path(), &dir, true);
    assert!(
        forced.status.success(),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
    assert!(dir.join("pods.json").is_file() && dir.join("bundle.json").is_file());
    assert!(
        !dir.join("journal").exists(),
        "nothing of the earlier capture stays"
    );
    assert!(
        !dir.join("replicasets.json").exists() || {
            let text = std::fs::read_to_string(dir.join("replicasets.json")).unwrap();
            text.contains("\"items\"")
        }
    );
    // Only the bundle is left beside it: no temporary or set-aside directory.
    let names: Vec<String> = std::fs::read_dir(&parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["bundle"]);

    // An empty directory is used as is; a new one is created.
    let empty = parent.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    assert!(capture(&replay, tmp.path(), &empty, false).status.success());
    assert!(empty.join("pods.json").is_file());
    let fresh = parent.join("new/nested");
    assert!(capture(&replay, tmp.path(), &fresh, false).status.success());
    assert!(fresh.join("pods.json").is_file());
}
