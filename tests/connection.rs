//! kubectl's connection flags on a live run, against the replay API server on 127.0.0.1:
//! impersonation headers on every request, `--server` without a kubeconfig, `--token` as the
//! bearer and never in an output, `--context`/`--user`/`--cluster` picking named entries (an
//! unknown one is exit 2), and a kubeconfig that does not parse is exit 2.

mod support;

use axum::http::HeaderMap;
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Duration;
use support::kubedoctor;
use support::replay::{Fault, Replay};

fn crash_oom() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/crash-oom")
}

/// A kubeconfig whose current context `dead` points at a closed port, with a context `live`
/// at `port`, users `replay` (token `replay-token`) and `other` (token `other-token`).
fn two_clusters(dir: &Path, port: u16, dead: u16) -> PathBuf {
    let path = dir.join("two-clusters");
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: dead\n\
             clusters:\n- name: dead\n  cluster:\n    server: http://127.0.0.1:{dead}\n\
             - name: live\n  cluster:\n    server: http://127.0.0.1:{port}\n\
             users:\n- name: replay\n  user:\n    token: replay-token\n\
             - name: other\n  user:\n    token: other-token\n\
             contexts:\n- name: dead\n  context:\n    cluster: dead\n    user: replay\n\
             - name: live\n  context:\n    cluster: live\n    user: replay\n"
        ),
    )
    .unwrap();
    path
}

/// A port nothing listens on (a replay server, stopped).
fn closed_port() -> u16 {
    Replay::start(&crash_oom(), Duration::ZERO, vec![]).port
}

/// The values of header `name`, joined by `,`.
fn values(headers: &HeaderMap, name: &str) -> String {
    headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect::<Vec<_>>()
        .join(",")
}

/// kubedoctor with no kubeconfig anywhere and not in a pod.
fn without_kubeconfig(home: &Path) -> assert_cmd::Command {
    let mut cmd = kubedoctor();
    cmd.env("HOME", home)
        .env_remove("KUBECONFIG")
        .env_remove("KUBERNETES_SERVICE_HOST");
    cmd
}

#[test]
fn impersonation_headers_are_on_every_request() {
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(&crash_oom(), Duration::ZERO, vec![]);
    kubedoctor()
        .args(["diagnose", "-A", "-o", "json", "--kubeconfig"])
        .arg(replay.kubeconfig(tmp.path(), "default"))
        .args(["--as", "alice", "--as-group", "dev", "--as-group", "ops"])
        .args(["--as-uid", "uid-42"])
        .assert()
        .success()
        .stdout(predicate::str::contains("crash.oom"));
    let requests = replay.requests_with_headers();
    assert!(requests.len() >= 5, "{requests:?}");
    for (url, headers) in &requests {
        assert_eq!(values(headers, "impersonate-user"), "alice", "{url}");
        assert_eq!(values(headers, "impersonate-group"), "dev,ops", "{url}");
        assert_eq!(values(headers, "impersonate-uid"), "uid-42", "{url}");
        assert_eq!(
            values(headers, "authorization"),
            "Bearer replay-token",
            "{url}"
        );
    }
    // Without the flags, no impersonation.
    let replay = Replay::start(&crash_oom(), Duration::ZERO, vec![]);
    kubedoctor()
        .args(["diagnose", "-A", "--kubeconfig"])
        .arg(replay.kubeconfig(tmp.path(), "default"))
        .assert()
        .success();
    assert!(
        replay
            .requests_with_headers()
            .iter()
            .all(|(_, h)| h.get("impersonate-user").is_none())
    );
}

#[test]
fn groups_to_impersonate_need_a_user() {
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(&crash_oom(), Duration::ZERO, vec![]);
    kubedoctor()
        .args(["diagnose", "-A", "--as-group", "dev", "--kubeconfig"])
        .arg(replay.kubeconfig(tmp.path(), "default"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--as USER"));
    assert!(replay.requests().is_empty());
}

#[test]
fn the_server_flag_works_without_a_kubeconfig() {
    let home = tempfile::tempdir().unwrap();
    let replay = Replay::start(&crash_oom(), Duration::ZERO, vec![]);
    let server = format!("http://127.0.0.1:{}", replay.port);
    without_kubeconfig(home.path())
        .args(["diagnose", "-A", "-o", "json", "--server", &server])
        .assert()
        .success()
        .stdout(predicate::str::contains("crash.oom"));
    let requests = replay.requests_with_headers();
    assert!(!requests.is_empty());
    assert!(
        requests
            .iter()
            .all(|(_, h)| h.get("authorization").is_none()),
        "no credentials but the flags'"
    );
    // `-s` and a token.
    let replay = Replay::start(&crash_oom(), Duration::ZERO, vec![]);
    let server = format!("http://127.0.0.1:{}", replay.port);
    without_kubeconfig(home.path())
        .args([
            "capture",
            "-A",
            "--no-node-journal",
            "-s",
            &server,
            "--token",
            "T0kenOfTheFlag",
        ])
        .arg("--dir")
        .arg(home.path().join("bundle"))
        .assert()
        .success();
    assert!(
        replay
            .requests_with_headers()
            .iter()
            .all(|(_, h)| values(h, "authorization") == "Bearer T0kenOfTheFlag")
    );
}

#[test]
fn the_server_flag_replaces_the_contexts_server_and_keeps_its_user() {
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(&crash_oom(), Duration::ZERO, vec![]);
    let kubeconfig = two_clusters(tmp.path(), replay.port, closed_port());
    kubedoctor()
        .args(["diagnose", "-A", "--request-timeout", "5s", "--kubeconfig"])
        .arg(&kubeconfig)
        .args(["--server", &format!("http://127.0.0.1:{}", replay.port)])
        .assert()
        .success();
    let requests = replay.requests_with_headers();
    assert!(!requests.is_empty());
    assert!(
        requests
            .iter()
            .all(|(_, h)| values(h, "authorization") == "Bearer replay-token")
    );
}

#[test]
fn context_cluster_and_user_pick_named_entries() {
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(&crash_oom(), Duration::ZERO, vec![]);
    let kubeconfig = two_clusters(tmp.path(), replay.port, closed_port());
    let run = |args: &[&str]| {
        kubedoctor()
            .args(["diagnose", "-A", "--request-timeout", "5s", "--kubeconfig"])
            .arg(&kubeconfig)
            .args(args)
            .assert()
    };
    // The current context's cluster is down.
    run(&[])
        .code(3)
        .stderr(predicate::str::contains("context `dead`"));
    run(&["--context", "live"]).success();
    let before = replay.requests().len();
    assert!(before > 0);
    run(&["--cluster", "live", "--user", "other"]).success();
    let requests = replay.requests_with_headers();
    assert!(requests.len() > before);
    assert!(
        requests[before..]
            .iter()
            .all(|(_, h)| values(h, "authorization") == "Bearer other-token"),
        "--user picks the other user's token"
    );

    for (args, said) in [
        (
            ["--context", "nope"],
            "context `nope` is not in it; it has `dead`, `live`",
        ),
        (
            ["--user", "nope"],
            "user `nope` is not in it; it has `replay`, `other`",
        ),
        (
            ["--cluster", "nope"],
            "cluster `nope` is not in it; it has `dead`, `live`",
        ),
    ] {
        run(&args)
            .code(2)
            .stderr(predicate::str::contains(said))
            .stderr(predicate::str::contains("check:"));
    }
}

#[test]
fn a_token_is_the_bearer_and_never_printed() {
    const TOKEN: &str = "Pl4ntedFlagT0ken77";
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(&crash_oom(), Duration::ZERO, vec![]);
    let kubeconfig = replay.kubeconfig(tmp.path(), "default");
    let out = kubedoctor()
        .args([
            "diagnose",
            "-A",
            "-o",
            "json",
            "--token",
            TOKEN,
            "--kubeconfig",
        ])
        .arg(&kubeconfig)
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(!String::from_utf8_lossy(&out.stdout).contains(TOKEN));
    assert!(
        replay
            .requests_with_headers()
            .iter()
            .all(|(_, h)| values(h, "authorization") == format!("Bearer {TOKEN}")),
        "the flag's token replaces the kubeconfig's"
    );

    // Refused, unreachable, a broken value, an unknown context: never said.
    let refused = Replay::start(
        &crash_oom(),
        Duration::ZERO,
        vec![Fault {
            contains: "/pods".into(),
            status: Some(401),
            delay: None,
            times: 100,
        }],
    );
    let dead = closed_port();
    let runs: Vec<(Vec<String>, i32)> = vec![
        (
            vec![
                "--kubeconfig".into(),
                refused
                    .kubeconfig(tmp.path(), "default")
                    .display()
                    .to_string(),
            ],
            3,
        ),
        (
            vec![
                "--server".into(),
                format!("http://127.0.0.1:{dead}"),
                "--request-timeout".into(),
                "2s".into(),
            ],
            3,
        ),
        (
            vec![
                "--kubeconfig".into(),
                kubeconfig.display().to_string(),
                "--context".into(),
                "nope".into(),
            ],
            2,
        ),
    ];
    for (args, code) in runs {
        let out = kubedoctor()
            .args(["diagnose", "-A", "--token", TOKEN])
            .args(&args)
            .env("HOME", tmp.path())
            .env_remove("KUBECONFIG")
            .assert()
            .code(code)
            .get_output()
            .clone();
        for text in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(text);
            assert!(!text.contains(TOKEN), "{args:?} says the token:\n{text}");
        }
    }
    let broken = format!("{TOKEN}\nsecond-line");
    let out = kubedoctor()
        .args(["diagnose", "-A", "--token", &broken, "--kubeconfig"])
        .arg(&kubeconfig)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--token"))
        .get_output()
        .clone();
    assert!(!String::from_utf8_lossy(&out.stderr).contains(TOKEN));
}

#[test]
fn a_malformed_kubeconfig_is_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("broken");
    std::fs::write(&file, "apiVersion: v1\nkind: Config\nclusters: [\n").unwrap();
    kubedoctor()
        .args(["diagnose", "-A", "--kubeconfig"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("broken"))
        .stderr(predicate::str::contains("line "));
    // In a KUBECONFIG list too.
    kubedoctor()
        .args(["diagnose", "-A"])
        .env("KUBECONFIG", &file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line "));
}

#[test]
fn no_cluster_at_all_says_how_to_diagnose_without_one() {
    let home = tempfile::tempdir().unwrap();
    without_kubeconfig(home.path())
        .args(["diagnose", "web-1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no cluster is configured"))
        .stderr(predicate::str::contains("--from DIR"))
        .stderr(predicate::str::contains("--from -"));
}

#[test]
fn a_flag_file_that_cannot_be_read_is_exit_2_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let replay = Replay::start(&crash_oom(), Duration::ZERO, vec![]);
    kubedoctor()
        .args(["diagnose", "-A", "--kubeconfig"])
        .arg(replay.kubeconfig(tmp.path(), "default"))
        .arg("--certificate-authority")
        .arg(tmp.path().join("no-ca.crt"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--certificate-authority"))
        .stderr(predicate::str::contains("no-ca.crt"));
    kubedoctor()
        .args([
            "diagnose",
            "-A",
            "--insecure-skip-tls-verify",
            "--certificate-authority",
            "x",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
    assert!(replay.requests().is_empty());
}
