//! `kubedoctor report` and the ticket formats: snapshots of every format on the demo, the
//! baseline (new, ongoing, resolved, `--only-new`), redaction in every format and in
//! capture, atomic output files, the Markdown structure (rendered with pulldown-cmark) and a
//! self-contained HTML file, and the deploy manifests.

mod support;

use kubedoctor::engine::{
    EvidenceKind, EvidenceLine, Finding, FixLine, PodDiagnosis, ServiceDiagnosis,
};
use kubedoctor::playbook::Severity;
use kubedoctor::report::Report;
use kubedoctor::report::render::{Format, TextLayout, notify, paint::Paint};
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;
use support::{copy_sample, kubedoctor, stdout_of};

/// Runs kubedoctor, which must exit 0, and returns its stdout.
fn run(args: &[&str]) -> String {
    String::from_utf8(stdout_of(kubedoctor().args(args))).unwrap()
}

/// Replaces the run's time and duration so snapshots are stable.
fn stable(s: &str) -> String {
    let t = regex::Regex::new(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z").unwrap();
    let d = regex::Regex::new(
        r"(kubedoctor_scan_duration_seconds|kubedoctor_last_run_timestamp_seconds|kubedoctor_last_success_timestamp_seconds) [\d.]+",
    )
    .unwrap();
    d.replace_all(&t.replace_all(s, "[time]"), "$1 [value]")
        .into_owned()
}

#[test]
fn report_text_snapshot() {
    insta::assert_snapshot!(stable(&run(&[
        "report",
        "--from",
        "samples/demo-cluster",
        "--color",
        "never"
    ])));
}

#[test]
fn report_markdown_snapshot() {
    insta::assert_snapshot!(stable(&run(&[
        "report",
        "--from",
        "samples/demo-cluster",
        "-o",
        "markdown"
    ])));
}

#[test]
fn report_html_snapshot() {
    insta::assert_snapshot!(stable(&run(&[
        "report",
        "--from",
        "samples/demo-cluster",
        "-o",
        "html"
    ])));
}

#[test]
fn report_prometheus_snapshot() {
    insta::assert_snapshot!(stable(&run(&[
        "report",
        "--from",
        "samples/demo-cluster",
        "-o",
        "prometheus"
    ])));
}

#[test]
fn report_json_snapshot() {
    let v: Value = serde_json::from_str(&stable(&run(&[
        "report",
        "--from",
        "samples/demo-cluster",
        "-o",
        "json",
    ])))
    .unwrap();
    insta::assert_json_snapshot!(v);
}

#[test]
fn groups_come_node_first_then_by_severity_and_size() {
    let v: Value = serde_json::from_str(&run(&[
        "report",
        "--from",
        "samples/demo-cluster",
        "-o",
        "json",
    ]))
    .unwrap();
    let ids: Vec<&str> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids[0], "node.lost", "{ids:?}");
    assert_eq!(
        ids[1], "config.secret-missing",
        "the largest critical group next: {ids:?}"
    );
    assert!(
        !ids.contains(&"healthy.completed"),
        "a finished Job is not a problem: {ids:?}"
    );
    assert_eq!(v["summary"]["by_namespace"]["payments"], 3);
    let s = &v["summary"];
    assert_eq!(
        s["critical"].as_u64().unwrap()
            + s["warning"].as_u64().unwrap()
            + s["info"].as_u64().unwrap(),
        s["pods_unhealthy"].as_u64().unwrap(),
        "the counts add up"
    );
}

#[test]
fn markdown_renders_as_intended() {
    let md = run(&["report", "--from", "samples/demo-cluster", "-o", "markdown"]);
    let parser = pulldown_cmark::Parser::new_ext(&md, pulldown_cmark::Options::ENABLE_TABLES);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    assert_eq!(html.matches("<h1>").count(), 1, "one title line");
    assert!(
        html.contains("<table>") && html.contains("<th>severity</th>"),
        "a summary table"
    );
    let groups = html.matches("<h2>").count();
    assert!(groups >= 10, "one section per group: {groups}");
    assert!(
        html.contains(
            "<code class=\"language-sh\">kubectl create secret generic db-credentials -n payments"
        ),
        "fixes as shell code blocks"
    );
    assert!(
        html.contains("<code class=\"language-text\">"),
        "evidence in code blocks"
    );
    assert!(!html.contains("<h3>Notes</h3>") || html.contains("<li>"));
}

/// Evidence longer than six lines folds into `<details>` (a raw block GitHub passes through);
/// short evidence stays open. The node-network sample proves its cause with node conditions,
/// events and journal lines (more than six); the liveness sample with three.
#[test]
fn long_evidence_folds_and_short_evidence_does_not() {
    let long = run(&[
        "report",
        "--from",
        "samples/node-network-unavailable",
        "-o",
        "markdown",
    ]);
    let folded =
        regex::Regex::new(r"<details><summary>Evidence \((\d+) lines\)</summary>").unwrap();
    let lines: usize = folded.captures(&long).expect("the long evidence is folded")[1]
        .parse()
        .unwrap();
    assert!(lines > 6, "folded at {lines} lines");
    assert!(long.contains("</details>"), "the fold is closed");
    let short = run(&[
        "report",
        "--from",
        "samples/crash-liveness-kill",
        "-o",
        "markdown",
    ]);
    assert!(!short.contains("<details>"), "short evidence is not folded");
    assert!(
        short.contains("Evidence:\n\n```text\n"),
        "short evidence is open"
    );
}

/// Markdown of a report whose placeholders sit in code spans (a paste of one event row: no
/// container, no owner), rendered to HTML as GitHub would.
#[test]
fn markdown_placeholders_and_docs_render_literally() {
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("events.txt");
    std::fs::write(
        &events,
        "LAST SEEN   TYPE      REASON             OBJECT          MESSAGE\n\
         4m          Warning   FailedScheduling   pod/etl-7       0/2 nodes are available: 2 Insufficient cpu.\n",
    )
    .unwrap();
    let md = run(&[
        "report",
        "--from",
        events.to_str().unwrap(),
        "-o",
        "markdown",
    ]);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&md));
    assert!(
        html.contains("<code>&lt;container&gt;</code>"),
        "a placeholder in a code span shows as <container>:\n{html}"
    );
    assert!(!html.contains("&amp;lt;"), "no double escaping:\n{html}");
    assert!(
        html.contains("<p>Docs: <a href="),
        "Docs is its own paragraph, not part of the last fix:\n{html}"
    );
    assert!(!md.contains("key `/`"), "no empty group key");
}

#[test]
fn html_is_self_contained() {
    let html = run(&["report", "--from", "samples/demo-cluster", "-o", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    for needle in [
        "<script", "<link", "src=", "@import", "url(", "<img", "<iframe",
    ] {
        assert!(
            !html.contains(needle),
            "HTML must fetch nothing: found {needle}"
        );
    }
    assert!(html.contains("@media print"));
    assert!(html.contains("<style>"));
    // The only links are docs the reader may follow.
    for link in html
        .match_indices("href=\"")
        .map(|(i, _)| &html[i + 6..i + 40])
    {
        assert!(link.starts_with("https://"), "{link}");
    }
}

/// Demo as state A; state B: one payments pod fixed (3 -> 2), the orders crash resolved,
/// and a new rate-limited image pull.
#[test]
fn baseline_marks_new_ongoing_and_resolved() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a.json");
    support::write_demo_report(&a);
    assert!(a.is_file());
    assert!(
        std::fs::read_dir(tmp.path()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".tmp"))
    );

    let b = copy_sample("demo-cluster");
    let pods_path = b.path().join("pods.json");
    let mut pods: Value =
        serde_json::from_str(&std::fs::read_to_string(&pods_path).unwrap()).unwrap();
    let items = pods["items"].as_array_mut().unwrap();
    items.retain(|p| {
        let name = p["metadata"]["name"].as_str().unwrap();
        name != "payments-api-6d9f7c8b5-z5n8r" && name != "orders-5f7b9d8c6-j2k8m"
    });
    let extra: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new("samples/image-rate-limit/pods.json")).unwrap(),
    )
    .unwrap();
    let newsletter = extra["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            p["metadata"]["name"]
                .as_str()
                .unwrap()
                .starts_with("newsletter")
        })
        .unwrap()
        .clone();
    items.push(newsletter);
    std::fs::write(&pods_path, pods.to_string()).unwrap();
    let events_path = b.path().join("events.json");
    let mut events: Value =
        serde_json::from_str(&std::fs::read_to_string(&events_path).unwrap()).unwrap();
    let extra_events: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new("samples/image-rate-limit/events.json")).unwrap(),
    )
    .unwrap();
    for e in extra_events["items"].as_array().unwrap() {
        if e["involvedObject"]["name"]
            .as_str()
            .unwrap()
            .starts_with("newsletter")
        {
            events["items"].as_array_mut().unwrap().push(e.clone());
        }
    }
    std::fs::write(&events_path, events.to_string()).unwrap();

    let out = stdout_of(
        kubedoctor()
            .args(["report", "-o", "json", "--baseline"])
            .arg(&a)
            .arg("--from")
            .arg(b.path()),
    );
    let v: Value = serde_json::from_slice(&out).unwrap();
    let group = |id: &str| {
        v["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["id"] == id)
            .cloned()
    };
    assert_eq!(group("image.rate-limit").unwrap()["change"], "new");
    let secret = group("config.secret-missing").unwrap();
    assert_eq!(secret["change"], "ongoing");
    assert_eq!(secret["previous_pods"], 3);
    assert_eq!(secret["pods"].as_array().unwrap().len(), 2);
    assert!(group("crash.dependency-unreachable").is_none());
    let resolved: Vec<&str> = v["resolved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(resolved, ["crash.dependency-unreachable"]);

    // The text and markdown reports show the change at the top.
    let text = String::from_utf8(stdout_of(
        kubedoctor()
            .args(["report", "--color", "never", "--baseline"])
            .arg(&a)
            .arg("--from")
            .arg(b.path()),
    ))
    .unwrap();
    assert!(text.starts_with("since the baseline: 1 new, "), "{text}");
    assert!(text.contains("[ongoing, 3 -> 2 pods]"));
    assert!(text.contains("RESOLVED App exits because a service it needs is unreachable"));
    let md = String::from_utf8(stdout_of(
        kubedoctor()
            .args(["report", "-o", "markdown", "--baseline"])
            .arg(&a)
            .arg("--from")
            .arg(b.path()),
    ))
    .unwrap();
    assert!(md.contains("**Change since the baseline: 1 new"));

    // --only-new narrows what a person reads to the new problem; the JSON stays whole (it
    // is the next baseline).
    let only_new = |format: &str| {
        String::from_utf8(stdout_of(
            kubedoctor()
                .args(["report", "--color", "never", "--only-new", "-o", format])
                .arg("--baseline")
                .arg(&a)
                .arg("--from")
                .arg(b.path()),
        ))
        .unwrap()
    };
    let text = only_new("text");
    assert!(
        text.contains("rate limit") || text.contains("image.rate-limit"),
        "{text}"
    );
    assert!(!text.contains("config.secret-missing"), "{text}");
    let ongoing = v_ongoing(&a, b.path());
    assert!(ongoing > 1);
    assert!(
        text.contains(&format!(
            "{ongoing} ongoing problems are not shown (--only-new)"
        )),
        "{text}"
    );
    assert!(
        text.starts_with(&format!("since the baseline: 1 new, {ongoing} ongoing")),
        "the change line still counts them: {text}"
    );
    let v: Value = serde_json::from_str(&only_new("json")).unwrap();
    assert!(
        v["groups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["change"] == "ongoing"),
        "the JSON keeps the ongoing problem"
    );

    // --only-new: the new critical problem fires; with no new problem, nothing does.
    kubedoctor()
        .args([
            "report",
            "--fail-on",
            "critical",
            "--only-new",
            "--baseline",
        ])
        .arg(&a)
        .arg("--from")
        .arg(b.path())
        .assert()
        .code(1);
    kubedoctor()
        .args([
            "report",
            "--fail-on",
            "critical",
            "--only-new",
            "--from",
            "samples/demo-cluster",
            "--baseline",
        ])
        .arg(&a)
        .assert()
        .code(0);
    kubedoctor()
        .args([
            "report",
            "--fail-on",
            "critical",
            "--from",
            "samples/demo-cluster",
            "--baseline",
        ])
        .arg(&a)
        .assert()
        .code(1);
    // A first run has no baseline yet.
    kubedoctor()
        .args([
            "report",
            "-o",
            "json",
            "--from",
            "samples/demo-cluster",
            "--baseline",
        ])
        .arg(tmp.path().join("missing.json"))
        .assert()
        .success()
        .stdout(predicate::str::contains("every problem counts as new"));
    std::fs::write(tmp.path().join("bad.json"), "{}").unwrap();
    kubedoctor()
        .args(["report", "--from", "samples/demo-cluster", "--baseline"])
        .arg(tmp.path().join("bad.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a kubedoctor JSON report"));
}

const SECRETS: &[&str] = &[
    "abcdefghijklmnopqrstu",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl",
    "s3cr3tP4ss",
    "hunter2hunter2",
    "0123456789abcdef0123",
    "AKIAIOSFODNN7EXAMPLE",
    "MIIEowIBAAKCAQEAplanted",
    "dXNlcjpwYXNzd29yZA",
];

fn planted_bundle() -> tempfile::TempDir {
    let b = copy_sample("crash-dependency-unreachable");
    let log = b
        .path()
        .join("logs/shop/orders-5f7b9d8c6-j2k8m/orders.previous.log");
    let line = "{\"level\":\"error\",\"msg\":\"cannot open database\",\"error\":\"dial tcp 10.96.47.12:5432: connect: connection refused\",\
\"dsn\":\"postgres://app:s3cr3tP4ss@10.96.47.12:5432/orders\",\"password\":\"hunter2hunter2\",\
\"header\":\"Authorization: Bearer abcdefghijklmnopqrstu\",\"jwt\":\"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl\",\
\"note\":\"api_key=0123456789abcdef0123 aws AKIAIOSFODNN7EXAMPLE basic: Authorization: Basic dXNlcjpwYXNzd29yZA==\",\
\"key\":\"-----BEGIN RSA PRIVATE KEY----- MIIEowIBAAKCAQEAplanted -----END RSA PRIVATE KEY-----\"}\n";
    let mut text = std::fs::read_to_string(&log).unwrap();
    text.push_str(line);
    std::fs::write(&log, text).unwrap();
    b
}

#[test]
fn no_format_leaks_a_planted_secret() {
    let b = planted_bundle();
    for format in ["text", "json", "markdown", "html", "prometheus"] {
        for cmd in ["diagnose", "report"] {
            let out = String::from_utf8(stdout_of(
                kubedoctor()
                    .args([cmd, "--color", "never", "-o", format, "--from"])
                    .arg(b.path()),
            ))
            .unwrap();
            for s in SECRETS {
                assert!(!out.contains(s), "{cmd} -o {format} leaks {s}");
            }
        }
    }
    // The planted line is quoted (so the test means something): with --no-redact it leaks.
    let raw = String::from_utf8(stdout_of(
        kubedoctor()
            .args(["diagnose", "-o", "json", "--no-redact", "--from"])
            .arg(b.path()),
    ))
    .unwrap();
    for s in SECRETS {
        assert!(
            raw.contains(s),
            "the secret {s} is not in the evidence at all"
        );
    }
}

#[test]
fn capture_redacts_logs_events_and_env_values() {
    use std::time::Duration;
    use support::replay::Replay;
    let b = planted_bundle();
    let pods_path = b.path().join("pods.json");
    let mut pods: Value =
        serde_json::from_str(&std::fs::read_to_string(&pods_path).unwrap()).unwrap();
    for p in pods["items"].as_array_mut().unwrap() {
        p["spec"]["containers"][0]["env"] = serde_json::json!([
            {"name": "DB_PASSWORD", "value": "plain-env-password"},
            {"name": "DSN", "value": "postgres://app:s3cr3tP4ss@db/orders"},
            {"name": "LOG_LEVEL", "value": "info"}
        ]);
    }
    std::fs::write(&pods_path, pods.to_string()).unwrap();
    let replay = Replay::start(b.path(), Duration::ZERO, vec![]);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("captured");
    kubedoctor()
        .args(["capture", "-A", "--no-node-journal", "--dir"])
        .arg(&out)
        .arg("--kubeconfig")
        .arg(replay.kubeconfig(tmp.path(), "default"))
        .assert()
        .success();
    let mut all = String::new();
    for f in [
        "pods.json",
        "events.json",
        "logs/shop/orders-5f7b9d8c6-j2k8m/orders.previous.log",
    ] {
        all.push_str(&std::fs::read_to_string(out.join(f)).unwrap());
    }
    for s in SECRETS.iter().chain(["plain-env-password"].iter()) {
        assert!(!all.contains(s), "capture leaks {s}");
    }
    assert!(all.contains("\"info\""), "ordinary env values are kept");
    assert!(all.contains("[REDACTED]"));
}

/// `doc` as the Kubernetes type `T`, strictly: every field of the manifest survives a round
/// trip through the type, so a misspelt or misplaced field (which the API server would
/// reject or, worse, silently drop) fails. k8s-openapi itself skips unknown fields.
fn strict<T: serde::de::DeserializeOwned + serde::Serialize>(doc: Value, file: &str) -> T {
    let typed: T = serde_json::from_value(doc.clone())
        .unwrap_or_else(|e| panic!("{file}: not a {}: {e}", std::any::type_name::<T>()));
    let back = serde_json::to_value(&typed).unwrap();
    let mut lost = Vec::new();
    dropped(&doc, &back, String::new(), &mut lost);
    assert!(lost.is_empty(), "{file}: unknown fields {lost:?}");
    typed
}

/// The paths of `original` that `back` lacks.
fn dropped(original: &Value, back: &Value, at: String, lost: &mut Vec<String>) {
    match (original, back) {
        (Value::Object(o), Value::Object(b)) => {
            for (k, v) in o {
                let path = format!("{at}.{k}");
                match b.get(k) {
                    Some(w) => dropped(v, w, path, lost),
                    None if v.is_null() => {}
                    None => lost.push(path),
                }
            }
        }
        (Value::Array(o), Value::Array(b)) => {
            for (i, v) in o.iter().enumerate() {
                match b.get(i) {
                    Some(w) => dropped(v, w, format!("{at}[{i}]"), lost),
                    None => lost.push(format!("{at}[{i}]")),
                }
            }
        }
        _ => {}
    }
}

#[test]
fn strict_parsing_finds_an_unknown_field() {
    use k8s_openapi::api::core::v1::ServiceAccount;
    let doc = serde_json::json!({"apiVersion": "v1", "kind": "ServiceAccount",
        "metadata": {"name": "x", "namespace": "y", "lables": {"a": "b"}}});
    let caught = std::panic::catch_unwind(|| strict::<ServiceAccount>(doc, "test"));
    assert!(caught.is_err(), "a misspelt field fails");
}

#[test]
fn deploy_manifests_parse_and_only_read() {
    use k8s_openapi::api::apps::v1::Deployment;
    use k8s_openapi::api::batch::v1::CronJob;
    use k8s_openapi::api::core::v1::{ConfigMap, Namespace, PersistentVolumeClaim, ServiceAccount};
    use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy");
    let mut kinds = Vec::new();
    let mut verbs = std::collections::BTreeSet::new();
    let files = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|f| f.path())
        .chain([
            dir.join("namespaced/rbac.yaml"),
            dir.join("watch/watch.yaml"),
        ]);
    // What the ClusterRole lets watch: `watch` needs pods, events and nodes.
    let mut watched = std::collections::BTreeSet::new();
    for path in files {
        // Kubernetes manifests only (krew/ holds the plugin manifest, tested apart).
        if !path.is_file() {
            continue;
        }
        let file = path.display().to_string();
        let file = file.as_str();
        let text = std::fs::read_to_string(&path).unwrap();
        let docs: Vec<Value> = serde_saphyr::from_multiple(&text).unwrap();
        for doc in docs.into_iter().filter(|d| !d.is_null()) {
            let kind = doc["kind"].as_str().unwrap().to_string();
            match kind.as_str() {
                "Namespace" => drop(strict::<Namespace>(doc, file)),
                "ServiceAccount" => drop(strict::<ServiceAccount>(doc, file)),
                "PersistentVolumeClaim" => drop(strict::<PersistentVolumeClaim>(doc, file)),
                "ClusterRoleBinding" => drop(strict::<ClusterRoleBinding>(doc, file)),
                "ClusterRole" => {
                    let role: ClusterRole = strict(doc, file);
                    for rule in role.rules.unwrap() {
                        assert!(
                            !rule
                                .resources
                                .clone()
                                .unwrap_or_default()
                                .iter()
                                .any(|r| r == "secrets")
                        );
                        if rule.verbs.iter().any(|v| v == "watch") {
                            watched.extend(rule.resources.clone().unwrap_or_default());
                        }
                        verbs.extend(rule.verbs);
                    }
                }
                "CronJob" => {
                    let cj: CronJob = strict(doc, file);
                    let spec = cj
                        .spec
                        .unwrap()
                        .job_template
                        .spec
                        .unwrap()
                        .template
                        .spec
                        .unwrap();
                    let args = spec.containers[0].args.clone().unwrap();
                    assert_eq!(&args[..4], ["report", "-A", "-o", "json"]);
                    assert!(args.contains(&"--output-file".to_string()));
                    // Findings never fail the Job (or its own failed Job would be a new
                    // problem every hour); metrics go to a Pushgateway, not a hostPath.
                    assert!(!args.iter().any(|a| a.starts_with("--fail-on")), "{args:?}");
                    assert!(spec.volumes.iter().flatten().all(|v| v.host_path.is_none()));
                    {
                        use clap::Parser as _;
                        let argv = std::iter::once("kubedoctor".to_string()).chain(args.clone());
                        kubedoctor::cli::Cli::try_parse_from(argv).expect("the arguments parse");
                    }
                    assert_eq!(spec.service_account_name.as_deref(), Some("kubedoctor"));
                    // The webhook from a Secret (not in the args), the config from a ConfigMap.
                    let env = spec.containers[0].env.clone().unwrap();
                    let webhook = env.iter().find(|e| e.name == "KUBEDOCTOR_WEBHOOK").unwrap();
                    let from = webhook.value_from.as_ref().unwrap().secret_key_ref.as_ref();
                    assert_eq!(from.unwrap().name, "kubedoctor-webhook");
                    assert!(!args.iter().any(|a| a.contains("hooks.")));
                    assert!(env.iter().any(|e| e.name == "KUBEDOCTOR_PUSHGATEWAY"));
                    let config = env.iter().find(|e| e.name == "KUBEDOCTOR_CONFIG").unwrap();
                    assert_eq!(config.value.as_deref(), Some("/etc/kubedoctor/config.yaml"));
                    assert!(spec.volumes.unwrap().iter().any(|v| {
                        v.config_map
                            .as_ref()
                            .is_some_and(|c| c.name == "kubedoctor-config")
                    }));
                }
                "Deployment" => {
                    let d: Deployment = strict(doc, file);
                    let spec = d.spec.unwrap();
                    assert_eq!(spec.replicas, Some(1), "one watcher writes the captures");
                    let pod = spec.template.spec.unwrap();
                    let args = pod.containers[0].args.clone().unwrap();
                    assert_eq!(&args[..2], ["watch", "-A"]);
                    assert!(args.contains(&"--capture-dir".to_string()), "{args:?}");
                    {
                        use clap::Parser as _;
                        let argv = std::iter::once("kubedoctor".to_string()).chain(args.clone());
                        kubedoctor::cli::Cli::try_parse_from(argv).expect("the arguments parse");
                    }
                    assert_eq!(pod.service_account_name.as_deref(), Some("kubedoctor"));
                    let env = pod.containers[0].env.clone().unwrap();
                    let webhook = env.iter().find(|e| e.name == "KUBEDOCTOR_WEBHOOK").unwrap();
                    let from = webhook.value_from.as_ref().unwrap().secret_key_ref.as_ref();
                    assert_eq!(from.unwrap().name, "kubedoctor-webhook");
                    assert!(!args.iter().any(|a| a.contains("hooks.")));
                    let volumes = pod.volumes.unwrap();
                    assert!(volumes.iter().all(|v| v.host_path.is_none()));
                    assert!(volumes.iter().any(|v| v.persistent_volume_claim.is_some()));
                }
                "ConfigMap" => {
                    // Its configuration passes `config check`.
                    let cm: ConfigMap = strict(doc, file);
                    let text = cm.data.unwrap()["config.yaml"].clone();
                    let tmp = tempfile::tempdir().unwrap();
                    let file = tmp.path().join("config.yaml");
                    std::fs::write(&file, text).unwrap();
                    support::kubedoctor()
                        .args(["config", "check"])
                        .arg(&file)
                        .assert()
                        .success();
                    let parsed = kubedoctor::config::load(&file).unwrap();
                    assert_eq!(parsed.fail_on, None, "findings never fail the Job");
                    assert!(
                        parsed
                            .exclude_namespaces
                            .contains(&"kubedoctor".to_string()),
                        "its own namespace is excluded"
                    );
                }
                "Role" => {
                    let role: Role = strict(doc, file);
                    for rule in role.rules.unwrap() {
                        assert!(!rule.resources.iter().flatten().any(|r| r == "secrets"));
                        verbs.extend(rule.verbs);
                    }
                }
                "RoleBinding" => drop(strict::<RoleBinding>(doc, file)),
                other => panic!("unexpected kind {other} in deploy/"),
            }
            kinds.push(kind);
        }
    }
    kinds.sort();
    assert_eq!(
        kinds,
        [
            "ClusterRole",
            "ClusterRoleBinding",
            "ConfigMap",
            "ConfigMap",
            "CronJob",
            "Deployment",
            "Namespace",
            "PersistentVolumeClaim",
            "PersistentVolumeClaim",
            "Role",
            "RoleBinding",
            "ServiceAccount"
        ]
    );
    assert_eq!(
        verbs.into_iter().collect::<Vec<_>>(),
        ["get", "list", "watch"]
    );
    for kind in ["pods", "events", "nodes"] {
        assert!(
            watched.contains(kind),
            "the ClusterRole lets `watch` watch {kind}"
        );
    }
    let dockerfile =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Dockerfile")).unwrap();
    assert!(dockerfile.matches("FROM ").count() >= 2, "multi-stage");
    assert!(dockerfile.contains("USER 65532"), "non-root");
}

#[test]
fn prometheus_file_is_written_beside_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let prom = tmp.path().join("kubedoctor.prom");
    let json = tmp.path().join("report.json");
    kubedoctor()
        .args([
            "report",
            "--from",
            "samples/demo-cluster",
            "-o",
            "json",
            "--output-file",
        ])
        .arg(&json)
        .arg("--prometheus-file")
        .arg(&prom)
        .assert()
        .success()
        .stdout(predicate::str::is_empty());
    let text = std::fs::read_to_string(&prom).unwrap();
    assert!(text.contains("kubedoctor_findings{cause=\"config.secret-missing\",severity=\"critical\",namespace=\"payments\"} 3"));
    assert!(text.contains("kubedoctor_scan_success 1"));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["schema"], "kubedoctor.report/v1");
}

/// Node pressure evicts pods of several workloads: one problem per node, counted as such.
#[test]
fn evictions_group_by_node() {
    let v: Value = serde_json::from_str(&run(&[
        "report",
        "--from",
        "samples/evicted-memory",
        "-o",
        "json",
    ]))
    .unwrap();
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "{groups:#?}");
    assert_eq!(groups[0]["id"], "evicted.memory");
    assert_eq!(groups[0]["key"], "worker-1");
    assert_eq!(groups[0]["pods"].as_array().unwrap().len(), 2);
    let text = run(&[
        "report",
        "--from",
        "samples/evicted-memory",
        "--color",
        "never",
    ]);
    assert!(text.contains("2 pods of 2 workloads (worker-1)"), "{text}");
}

/// JUnit for CI: a suite per namespace, a case per pod and Service scanned, a failure per pod
/// or Service whose top finding is a warning or worse, in the structure the Ant JUnit schema
/// describes.
#[test]
fn junit_has_a_case_per_pod_and_a_failure_per_problem() {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let xml = run(&["report", "--from", "samples/demo-cluster", "-o", "junit"]);
    let json: Value = serde_json::from_str(&run(&[
        "report",
        "--from",
        "samples/demo-cluster",
        "-o",
        "json",
    ]))
    .unwrap();
    let mut reader = Reader::from_str(&xml);
    let (mut suites, mut cases, mut failures) = (Vec::new(), 0, Vec::new());
    let mut path: Vec<String> = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"testsuite" => {
                let attr = |n: &str| {
                    e.try_get_attribute(n)
                        .unwrap()
                        .map(|a| a.unescape_value().unwrap().into_owned())
                };
                for required in [
                    "name",
                    "tests",
                    "failures",
                    "errors",
                    "time",
                    "timestamp",
                    "hostname",
                ] {
                    assert!(attr(required).is_some(), "testsuite lacks {required}");
                }
                assert!(
                    attr("timestamp").unwrap().len() == 19,
                    "an Ant-schema timestamp: {:?}",
                    attr("timestamp")
                );
                suites.push(attr("name").unwrap());
                path.push("testsuite".into());
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"testcase" => {
                assert_eq!(path.last().map(String::as_str), Some("testsuite"));
                cases += 1;
            }
            Event::Start(e) if e.name().as_ref() == b"failure" => {
                let message = e
                    .try_get_attribute("message")
                    .unwrap()
                    .unwrap()
                    .unescape_value()
                    .unwrap()
                    .into_owned();
                failures.push(message);
            }
            Event::End(e) if e.name().as_ref() == b"testsuite" => {
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let s = &json["summary"];
    let count = |k: &str| s[k].as_u64().unwrap();
    assert_eq!(
        cases as u64,
        count("pods_scanned") + count("services_scanned"),
        "a case per pod and per Service"
    );
    // Pods by their top finding's severity, and every unhealthy Service (warning or worse).
    assert_eq!(
        failures.len() as u64,
        count("critical") + count("warning") + count("services_unhealthy")
    );
    assert!(
        failures
            .iter()
            .any(|m| m.ends_with("[config.secret-missing]")),
        "{failures:?}"
    );
    let namespaces: std::collections::BTreeSet<&str> = suites.iter().map(String::as_str).collect();
    assert_eq!(namespaces.len(), suites.len(), "one suite per namespace");
    assert!(namespaces.contains("payments") && namespaces.contains("batch"));
}

/// A finding's `detail` is a JSON field (absent for causes without one) and, in the formats
/// for people, a sentence after the explanation; the reasons of a scheduling message are
/// quoted with their node counts.
#[test]
fn detail_is_in_json_and_said_in_words() {
    let json: Value = serde_json::from_str(&run(&[
        "report",
        "--from",
        "samples/sched-decisive-reason",
        "-o",
        "json",
    ]))
    .unwrap();
    let top = &json["pods"][0]["findings"][0];
    assert_eq!(top["id"], "sched.insufficient-memory");
    assert!(
        top.get("detail").is_none(),
        "no detail for this cause: {top}"
    );
    let evidence: Vec<&str> = top["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["text"].as_str())
        .collect();
    assert!(
        evidence
            .iter()
            .any(|e| e.starts_with("3 of 6 nodes: Insufficient memory (decisive")),
        "{evidence:#?}"
    );
    let json: Value = serde_json::from_str(&run(&[
        "report",
        "--from",
        "samples/probe-liveness",
        "-o",
        "json",
    ]))
    .unwrap();
    let top = &json["pods"][0]["findings"][0];
    assert_eq!(top["detail"], "refused", "{top}");
    for format in ["text", "markdown", "html"] {
        let out = run(&[
            "report",
            "--from",
            "samples/probe-liveness",
            "-o",
            format,
            "--color",
            "never",
        ]);
        assert!(out.contains("the connection is refused"), "{format}: {out}");
    }
}

// Services as subjects: a report built by hand from a pod diagnosis and Service diagnoses
// (the engine's Service causes are tested with their scenarios; here only the report side).

fn finding(id: &str, title: &str, severity: Severity, explain: &str, group_key: &str) -> Finding {
    Finding {
        id: id.into(),
        title: title.into(),
        severity,
        score: 0.9,
        explain: explain.into(),
        evidence: vec![EvidenceLine {
            source: EvidenceKind::Event,
            text: format!("evidence of {id}"),
            at: Some("2026-11-25T19:58:00Z".into()),
        }],
        fixes: vec![FixLine {
            text: format!("Fix {id}."),
            command: Some(format!("kubectl describe {id}")),
        }],
        docs: None,
        detail: None,
        said: Vec::new(),
        standing: Default::default(),
        tell_apart: None,
        container: None,
        group_key: group_key.into(),
        rank_first: false,
        specificity: 1,
        order: 0,
    }
}

fn pod(name: &str, status: &str, healthy: bool, findings: Vec<Finding>) -> PodDiagnosis {
    PodDiagnosis {
        namespace: "shop".into(),
        name: name.into(),
        node: Some("worker-1".into()),
        owner: Some("deployment/checkout".into()),
        status: kubedoctor::status::PodStatus {
            display: status.into(),
            ready: usize::from(healthy),
            total: 1,
            restarts: if healthy { 0 } else { 4 },
            keys: vec![status.into()],
            healthy,
            known: true,
            inferred_from: None,
        },
        findings,
        notes: Vec::new(),
    }
}

fn service(name: &str, type_: &str, findings: Vec<Finding>) -> ServiceDiagnosis {
    ServiceDiagnosis {
        namespace: "shop".into(),
        name: name.into(),
        type_: type_.into(),
        findings,
        pods: vec!["shop/web-7d9c-x2k4q".into()],
        clients: vec!["shop/checkout-5f7b-q8x2p".into()],
    }
}

/// A crashing client, the Service it calls with a critical finding, a Service with an info
/// finding, and a Service without findings.
fn service_report() -> Report {
    let pods = vec![
        pod(
            "checkout-5f7b-q8x2p",
            "CrashLoopBackOff",
            false,
            vec![finding(
                "crash.dependency-unreachable",
                "The app exits because a dependency is unreachable",
                Severity::Critical,
                "`checkout` cannot reach `web:80`.",
                "shop/checkout",
            )],
        ),
        pod("web-7d9c-x2k4q", "Running", true, Vec::new()),
    ];
    let services = vec![
        service("db", "ClusterIP", Vec::new()),
        service(
            "legacy",
            "ExternalName",
            vec![finding(
                "service.external-name",
                "ExternalName Service: nothing in the cluster to check",
                Severity::Info,
                "`legacy` is a DNS alias of `legacy.example.com`.",
                "",
            )],
        ),
        service(
            "web",
            "ClusterIP",
            vec![finding(
                "service.target-port-mismatch",
                "Service targetPort matches no container port",
                Severity::Critical,
                "Service `web` sends port 80 to 8080, which no selected container declares.",
                "",
            )],
        ),
    ];
    let mut report = Report::build(
        kubedoctor::evidence::SourceInfo {
            kind: kubedoctor::evidence::SourceKind::Bundle,
            location: "bundles/shop".into(),
        },
        pods,
        services,
        Vec::new(),
        "2026-11-25T20:00:00Z".into(),
    );
    report.duration_seconds = Some(1.25);
    report
}

fn render_service_report(format: Format, layout: TextLayout) -> String {
    kubedoctor::report::render::render(&service_report(), format, layout, Paint::PLAIN)
}

#[test]
fn service_text_snapshot() {
    insta::assert_snapshot!(render_service_report(Format::Text, TextLayout::Pods));
}

#[test]
fn service_groups_text_snapshot() {
    insta::assert_snapshot!(render_service_report(Format::Text, TextLayout::Groups));
}

#[test]
fn service_markdown_snapshot() {
    insta::assert_snapshot!(render_service_report(Format::Markdown, TextLayout::Groups));
}

#[test]
fn service_html_snapshot() {
    insta::assert_snapshot!(render_service_report(Format::Html, TextLayout::Groups));
}

#[test]
fn service_prometheus_snapshot() {
    insta::assert_snapshot!(render_service_report(
        Format::Prometheus,
        TextLayout::Groups
    ));
}

#[test]
fn service_junit_snapshot() {
    insta::assert_snapshot!(render_service_report(Format::Junit, TextLayout::Groups));
}

#[test]
fn service_json_snapshot() {
    let v: Value =
        serde_json::from_str(&render_service_report(Format::Json, TextLayout::Groups)).unwrap();
    insta::assert_json_snapshot!(v);
}

#[test]
fn service_webhook_snapshot() {
    let r = service_report();
    insta::assert_json_snapshot!(serde_json::json!({
        "slack": notify::payload(&r, notify::WebhookFormat::Slack, false),
        "teams": notify::payload(&r, notify::WebhookFormat::Teams, false),
    }));
}

/// The JSON lists Services with findings (not the one without), each with its type and
/// findings in the pods' shape; the summary counts Services scanned and unhealthy (a
/// warning or worse), apart from the pods' severity counts; a Service problem is a group
/// with `services`, and every group has the list.
#[test]
fn services_in_json_summary_and_groups() {
    let v: Value =
        serde_json::from_str(&render_service_report(Format::Json, TextLayout::Groups)).unwrap();
    let names: Vec<&str> = v["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["web", "legacy"],
        "most severe first, none without findings"
    );
    let web = &v["services"][0];
    let keys: Vec<&String> = web.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["findings", "name", "namespace", "type"]);
    assert_eq!(web["type"], "ClusterIP");
    assert_eq!(web["findings"][0]["id"], "service.target-port-mismatch");
    assert_eq!(
        web["findings"][0]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        v["pods"][0]["findings"][0]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        "findings have the pods' shape"
    );
    let s = &v["summary"];
    assert_eq!(s["services_scanned"], 3);
    assert_eq!(
        s["services_unhealthy"], 1,
        "the info finding is not a problem"
    );
    assert_eq!(s["pods_unhealthy"], 1);
    assert_eq!(s["critical"], 1, "severity counts are the pods'");
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2, "{groups:#?}");
    let svc = groups
        .iter()
        .find(|g| g["id"] == "service.target-port-mismatch")
        .unwrap();
    assert_eq!(
        svc["key"], "shop/web",
        "keyed by the Service's namespace/name"
    );
    assert_eq!(svc["services"], serde_json::json!(["shop/web"]));
    assert_eq!(svc["pods"], serde_json::json!([]));
    assert!(groups.iter().all(|g| g["services"].is_array()));
}

/// A test case per pod and per Service scanned; a failure per problem Service, with its
/// own classname.
#[test]
fn junit_has_a_case_per_service() {
    let xml = render_service_report(Format::Junit, TextLayout::Groups);
    assert!(xml.contains(r#"tests="5" failures="2""#), "{xml}");
    for name in ["web", "legacy", "db"] {
        assert!(
            xml.contains(&format!(
                r#"<testcase name="{name}" classname="shop.service/{name}""#
            )),
            "{name}: {xml}"
        );
    }
    assert!(xml.contains(
        r#"message="Service targetPort matches no container port [service.target-port-mismatch]""#
    ));
}

/// Prometheus: Services by top cause in a metric of their own, and the counts.
#[test]
fn prometheus_counts_services() {
    let prom = render_service_report(Format::Prometheus, TextLayout::Groups);
    for line in [
        r#"kubedoctor_service_findings{cause="service.target-port-mismatch",severity="critical",namespace="shop"} 1"#,
        "kubedoctor_services_scanned 3",
        "kubedoctor_services_unhealthy 1",
        "kubedoctor_problems 2",
    ] {
        assert!(prom.lines().any(|l| l == line), "{line}: {prom}");
    }
    assert!(
        !prom.contains("service.external-name"),
        "info is not a problem"
    );
    assert!(!prom.contains("kubedoctor_findings{cause=\"service."));
}

/// `--fail-on` counts a Service's top finding; an info finding is not a problem (as a
/// finished Job's is not), so `--fail-on info` does not fail on it alone.
#[test]
fn fail_on_counts_service_findings() {
    let mut r = service_report();
    r.pods.clear();
    assert_eq!(r.worst(), Some(Severity::Critical));
    assert!(r.fails_on(Severity::Critical, false));
    r.services.retain(|s| s.name == "legacy");
    assert_eq!(r.worst(), None);
    assert!(!r.fails_on(Severity::Info, false));
}

/// A Service problem is matched with the baseline by cause id and the Service's
/// `namespace/name`: ongoing when it was there, resolved when it is gone, and `--only-new`
/// does not fail on an ongoing one.
#[test]
fn baseline_matches_service_problems() {
    use kubedoctor::engine::Change;
    use kubedoctor::report::baseline;
    let dir = tempfile::tempdir().unwrap();
    let previous = dir.path().join("previous.json");
    std::fs::write(
        &previous,
        kubedoctor::report::render::json::render(&service_report()),
    )
    .unwrap();
    let mut r = service_report();
    baseline::compare(&mut r, baseline::load(&previous).unwrap());
    let svc = r
        .groups
        .iter()
        .find(|g| g.id == "service.target-port-mismatch")
        .unwrap();
    assert_eq!(svc.change, Some(Change::Ongoing));
    assert_eq!(svc.previous_services, Some(1));
    assert!(!r.fails_on(Severity::Critical, true));
    assert!(r.fails_on(Severity::Critical, false));
    // The Service is fixed: its problem is resolved, said with its size.
    let mut fixed = service_report();
    fixed.services.retain(|s| s.name != "web");
    fixed.groups.retain(|g| g.services.is_empty());
    baseline::compare(&mut fixed, baseline::load(&previous).unwrap());
    assert_eq!(fixed.resolved.len(), 1);
    assert_eq!(fixed.resolved[0].services, ["shop/web"]);
    let text =
        kubedoctor::report::render::render(&fixed, Format::Text, TextLayout::Groups, Paint::PLAIN);
    assert!(text.contains("(shop/web) — was 1 Service"), "{text}");
    // A baseline written before Services were reported has groups without `services`.
    let mut old: Value =
        serde_json::from_str(&std::fs::read_to_string(&previous).unwrap()).unwrap();
    for g in old["groups"].as_array_mut().unwrap() {
        g.as_object_mut().unwrap().remove("services");
    }
    std::fs::write(&previous, old.to_string()).unwrap();
    assert!(baseline::load(&previous).is_ok());
}

/// Redaction covers Service findings in every format.
#[test]
fn service_findings_are_redacted() {
    let mut r = service_report();
    let f = &mut r.services[0].findings[0];
    f.explain
        .push_str(" The client sends password=hunter2secret.");
    f.evidence[0].text = "Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789".into();
    kubedoctor::report::redact::report(&mut r);
    for format in Format::ALL {
        for layout in [TextLayout::Pods, TextLayout::Groups] {
            let out = kubedoctor::report::render::render(&r, format, layout, Paint::PLAIN);
            assert!(
                !out.contains("hunter2secret")
                    && !out.contains("abcdefghijklmnopqrstuvwxyz0123456789"),
                "{}: {out}",
                format.name()
            );
        }
    }
    assert!(r.services[0].findings[0].explain.contains("[REDACTED]"));
}

/// `-o yaml` is the JSON report field for field, for `diagnose` and `report` alike.
#[test]
fn yaml_is_the_json_report_field_for_field() {
    for command in ["diagnose", "report"] {
        let of = |format: &str| {
            kubedoctor()
                .args([command, "--from", "samples/demo-cluster", "-o", format])
                .output()
                .unwrap()
                .stdout
        };
        let json: Value = serde_json::from_slice(&of("json")).unwrap();
        let yaml: Value = serde_saphyr::from_slice(&of("yaml")).expect("valid YAML");
        let strip = |mut v: Value| {
            // The one field that differs between two runs.
            v["generated_at"] = Value::Null;
            v
        };
        assert!(json["pods"].as_array().is_some_and(|p| !p.is_empty()));
        assert_eq!(strip(yaml), strip(json), "{command}");
    }
}

/// The ongoing problems of `report -o json --baseline BASELINE --from DIR`.
fn v_ongoing(baseline: &Path, dir: &Path) -> usize {
    let out = stdout_of(
        kubedoctor()
            .args(["report", "-o", "json", "--baseline"])
            .arg(baseline)
            .arg("--from")
            .arg(dir),
    );
    let v: Value = serde_json::from_slice(&out).unwrap();
    v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["change"] == "ongoing")
        .count()
}
