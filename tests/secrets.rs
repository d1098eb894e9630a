//! Nothing secret leaves: each kind of secret is planted in every place kubedoctor reads
//! (env values, annotations including `last-applied-configuration`, URLs in env values,
//! logs, events, a kubeconfig, a webhook's answer, pasted YAML) and no output format, no
//! captured bundle and no error message carries one.

mod support;

use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;
use support::kubedoctor;
use support::replay::{Replay, serve_loopback};

const PASSWORD: &str = "Pl4ntedPassw0rd";
const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.cGxhbnRlZHNpZ25hdHVyZQ";
const AWS: &str = "AKIAPLANTED0EXAMPL12";
const API_KEY: &str = "a1b2c3d4e5f6a7b8c9d0e1f2";
const BEARER: &str = "0pl4ntedBearerT0ken9";
const KEY_BODY: &str = "MIIEplantedPRIVATEkeyBODY";
const HOOK_SECRET: &str = "T0PLANTEDHOOKSECRET";

/// Every planted secret.
const SECRETS: [&str; 7] = [PASSWORD, JWT, AWS, API_KEY, BEARER, KEY_BODY, HOOK_SECRET];

/// Fails naming the secret and the place when `text` holds one.
fn assert_clean(place: &str, text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "{place} leaks `{s}`:\n{text}");
    }
}

/// The env of a container, with a secret of each kind.
fn env() -> Value {
    json!([
        {"name": "DB_PASSWORD", "value": PASSWORD},
        {"name": "API_TOKEN", "value": JWT},
        {"name": "DATABASE_URL", "value": format!("postgres://app:{PASSWORD}@db:5432/orders")},
        {"name": "AWS_ACCESS_KEY_ID", "value": AWS},
        {"name": "UPSTREAM", "value": format!("https://api.example.test/v1?api_key={API_KEY}")},
        {"name": "TLS_KEY", "value": format!("-----BEGIN RSA PRIVATE KEY-----\n{KEY_BODY}\n-----END RSA PRIVATE KEY-----")},
    ])
}

/// Plants secrets into a copy of a sample bundle: env, annotations, logs and events.
fn plant(dir: &Path) {
    let path = dir.join("pods.json");
    let mut pods: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for pod in pods["items"].as_array_mut().unwrap() {
        for c in pod["spec"]["containers"].as_array_mut().unwrap() {
            c["env"] = env();
        }
        let applied = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": pod["metadata"]["name"], "namespace": pod["metadata"]["namespace"]},
            "spec": {"containers": [{"name": "app", "image": "shop/app:1", "env": env()}]}});
        pod["metadata"]["annotations"] = json!({
            "kubectl.kubernetes.io/last-applied-configuration": format!("{applied}\n"),
            "example.test/upstream": format!("auth:\n  token: {JWT}\n  awsKey: {AWS}\n  password: {PASSWORD}\n"),
        });
    }
    std::fs::write(&path, serde_json::to_string(&pods).unwrap()).unwrap();
    let path = dir.join("events.json");
    let mut events: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for e in events["items"].as_array_mut().unwrap() {
        let m = e["message"].as_str().unwrap_or_default().to_string();
        e["message"] = json!(format!("{m} (Authorization: Bearer {BEARER}; token {JWT})"));
    }
    std::fs::write(&path, serde_json::to_string(&events).unwrap()).unwrap();
    let logs = dir.join("logs/shop/orders-5f7b9d8c6-j2k8m/orders.previous.log");
    let mut log = std::fs::read_to_string(&logs).unwrap();
    log = log.replace(
        "connection refused\"",
        &format!(
            "connection refused\",\"dsn\":\"postgres://app:{PASSWORD}@db/orders?password={PASSWORD}\",\"api_key\":\"{API_KEY}\",\"auth\":\"Bearer {BEARER}\",\"aws\":\"{AWS}\",\"jwt\":\"{JWT}\""
        ),
    );
    std::fs::write(&logs, log).unwrap();
}

#[test]
fn no_output_format_carries_a_planted_secret() {
    let bundle = support::copy_sample("crash-dependency-unreachable");
    plant(bundle.path());
    let mut reached = false;
    for (command, format) in [
        ("diagnose", "text"),
        ("report", "text"),
        ("diagnose", "json"),
        ("diagnose", "markdown"),
        ("diagnose", "html"),
        ("diagnose", "prometheus"),
        ("diagnose", "junit"),
    ] {
        let out = kubedoctor()
            .args([command, "--from"])
            .arg(bundle.path())
            .args(["-o", format])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        reached |= stdout.contains("[REDACTED]");
        assert_clean(&format!("{command} -o {format}"), &stdout);
        assert_clean(
            &format!("{command} -o {format} (stderr)"),
            &String::from_utf8_lossy(&out.stderr),
        );
    }
    assert!(
        reached,
        "the planted log line is quoted, redacted, in some output"
    );
}

#[test]
fn a_capture_carries_no_planted_secret() {
    let tmp = tempfile::tempdir().unwrap();
    let original = tmp.path().join("original");
    std::fs::create_dir_all(&original).unwrap();
    let sample = support::copy_sample("crash-dependency-unreachable");
    plant(sample.path());
    for e in walk(sample.path()) {
        let to = original.join(e.strip_prefix(sample.path()).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&e, to).unwrap();
    }
    let replay = Replay::start(&original, Duration::ZERO, vec![]);
    let captured = tmp.path().join("captured");
    let out = kubedoctor()
        .args(["capture", "-A", "--no-node-journal", "--dir"])
        .arg(&captured)
        .arg("--kubeconfig")
        .arg(replay.kubeconfig(tmp.path(), "default"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files = walk(&captured);
    assert!(files.iter().any(|f| f.ends_with("pods.json")));
    for f in files {
        assert_clean(
            &f.display().to_string(),
            &std::fs::read_to_string(&f).unwrap(),
        );
    }
    // The last applied configuration is still JSON, its env redacted inside.
    let pods: Value =
        serde_json::from_str(&std::fs::read_to_string(captured.join("pods.json")).unwrap())
            .unwrap();
    let pod = pods["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["metadata"]["namespace"] == "shop")
        .unwrap();
    let applied: Value = serde_json::from_str(
        pod["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
            .as_str()
            .unwrap(),
    )
    .expect("still JSON");
    assert_eq!(
        applied["spec"]["containers"][0]["env"][0]["value"],
        "[REDACTED]"
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn pasted_yaml_with_errors_leaves_no_secret_in_notes() {
    let tmp = tempfile::tempdir().unwrap();
    let pod = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"containers": [{"name": "app", "image": "shop/app:1", "env": env()}]}});
    let yaml = serde_saphyr::to_string(&pod).unwrap();
    // A YAML error a few lines after the secrets, and a lone line of configuration.
    let broken = format!("{yaml}   bad: [\n");
    let pasted = tmp.path().join("pasted.txt");
    std::fs::write(&pasted, &broken).unwrap();
    let loose = tmp.path().join("loose.txt");
    std::fs::write(
        &loose,
        format!(
            "$ kubectl get pods -n shop\nNAME   READY   STATUS             RESTARTS   AGE\nweb    0/1     CrashLoopBackOff   5          3m\n  value: {PASSWORD}\n  token: {JWT}\n"
        ),
    )
    .unwrap();
    for (file, redact) in [(&pasted, true), (&loose, true), (&loose, false)] {
        let mut cmd = kubedoctor();
        cmd.args(["diagnose", "-o", "json", "--from"]).arg(file);
        if !redact {
            // The quoted line is safe even when the report is not redacted.
            cmd.arg("--no-redact");
        }
        let out = cmd.output().unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_clean(&file.display().to_string(), &all);
    }
}

#[test]
fn a_broken_kubeconfig_is_never_quoted() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("kubeconfig");
    std::fs::write(
        &config,
        format!(
            "apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    token: {JWT}\n    client-key-data: {KEY_BODY}\n   password: {PASSWORD}\n"
        ),
    )
    .unwrap();
    let out = kubedoctor()
        .args(["diagnose", "-n", "shop", "--kubeconfig"])
        .arg(&config)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("kubeconfig") && stderr.contains("line "),
        "{stderr}"
    );
    assert_clean("a kubeconfig error", &stderr);
}

#[test]
fn a_webhook_answer_is_quoted_without_secrets() {
    use axum::http::{StatusCode, Uri};
    // A receiver that echoes the path it was called on, and a header, in its error.
    let app = axum::Router::new().fallback(|uri: Uri| async move {
        (
            StatusCode::BAD_REQUEST,
            format!("no hook at {uri}; Authorization: Bearer {BEARER}"),
        )
    });
    let (_runtime, port) = serve_loopback(app, 1);
    let url = format!("http://127.0.0.1:{port}/services/{HOOK_SECRET}/x?token={API_KEY}");
    let out = kubedoctor()
        .args([
            "report",
            "--from",
            "samples/crash-dependency-unreachable",
            "--webhook",
            &url,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("HTTP 400"), "{stderr}");
    assert_clean("a webhook error", &stderr);
}

/// The groups of a JSON report: cause id and group key, the identity a baseline compares.
fn group_ids(report: &[u8]) -> Vec<(String, String)> {
    let v: Value = serde_json::from_slice(report).expect("a JSON report");
    let mut ids: Vec<(String, String)> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["id"].as_str().unwrap().to_string(),
                g["key"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    ids.sort();
    ids
}

/// Group keys are built from names and ids only: a Secret whose name looks like a credential
/// (letters and digits after `token`), captured with and without redaction and diagnosed
/// with and without `--no-redact`, groups under the same key every way, so a baseline
/// written one way matches a run made the other.
#[test]
fn group_keys_are_the_same_with_and_without_redaction() {
    const NAME: &str = "api-token-0a1b2c3d4e5f";
    let tmp = tempfile::tempdir().unwrap();
    let original = tmp.path().join("original");
    let sample = support::copy_sample("config-secret-missing");
    for e in walk(sample.path()) {
        let to = original.join(e.strip_prefix(sample.path()).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        let text = std::fs::read_to_string(&e).unwrap();
        std::fs::write(to, text.replace("db-credentials", NAME)).unwrap();
    }
    let replay = Replay::start(&original, Duration::ZERO, vec![]);
    let mut seen = Vec::new();
    for capture_redacts in [true, false] {
        let captured = tmp.path().join(format!("captured-{capture_redacts}"));
        let mut capture = kubedoctor();
        capture
            .args(["capture", "-A", "--no-node-journal", "--dir"])
            .arg(&captured)
            .arg("--kubeconfig")
            .arg(replay.kubeconfig(tmp.path(), "default"));
        if !capture_redacts {
            capture.arg("--no-redact");
        }
        let out = capture.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for report_redacts in [true, false] {
            let mut diagnose = kubedoctor();
            diagnose
                .args(["diagnose", "-o", "json", "--from"])
                .arg(&captured);
            if !report_redacts {
                diagnose.arg("--no-redact");
            }
            seen.push(group_ids(&diagnose.output().unwrap().stdout));
        }
    }
    assert!(
        seen[0].iter().any(|(_, key)| key.contains(NAME)),
        "the Secret's name groups the problem: {:?}",
        seen[0]
    );
    assert!(seen.iter().all(|s| *s == seen[0]), "{seen:?}");
}
