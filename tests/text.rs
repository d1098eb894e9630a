//! Diagnosis from pasted text: every case in `tests/text-cases/` (a `case.yaml` naming the
//! main input, attachments and the expected top cause) is parsed and diagnosed.

mod support;

use kubedoctor::engine::diagnose;
use kubedoctor::playbook::Playbooks;
use kubedoctor::sources::text::{self, Input, Role};
use predicates::prelude::*;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use support::{kubedoctor, stdout_of};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    expect: String,
    #[serde(default)]
    pod: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    logs: Vec<String>,
    #[serde(default)]
    previous_logs: Vec<String>,
    #[serde(default)]
    events: Vec<String>,
    #[serde(default)]
    node: Vec<String>,
    #[serde(default)]
    journal: Vec<String>,
}

fn case_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/text-cases");
    let mut dirs: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("case.yaml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn load(dir: &Path) -> (Case, Vec<Input>) {
    let case: Case =
        serde_saphyr::from_str(&std::fs::read_to_string(dir.join("case.yaml")).unwrap()).unwrap();
    let mut inputs = Vec::new();
    let mut add = |files: &[String], role: Role| {
        for f in files {
            inputs.push(Input {
                name: f.clone(),
                text: std::fs::read_to_string(dir.join(f)).unwrap(),
                role,
            });
        }
    };
    add(case.from.as_slice(), Role::Auto);
    add(&case.logs, Role::Logs);
    add(&case.previous_logs, Role::PreviousLogs);
    add(&case.events, Role::Events);
    add(&case.node, Role::Node);
    add(&case.journal, Role::Journal);
    (case, inputs)
}

#[test]
fn every_text_case_gets_its_expected_top_cause() {
    let playbooks = Playbooks::embedded().unwrap();
    let dirs = case_dirs();
    assert!(dirs.len() >= 20);
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let (case, inputs) = load(dir);
        let evidence = match text::read(&inputs) {
            Ok(e) => e,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let diagnoses = diagnose(&evidence, &playbooks);
        let pod = match &case.pod {
            Some(key) => diagnoses.iter().find(|d| &d.key() == key),
            None => diagnoses.first(),
        };
        let got: Vec<_> = pod
            .map(|p| {
                p.findings
                    .iter()
                    .map(|f| format!("{} {:.2}", f.id, f.score))
                    .collect()
            })
            .unwrap_or_default();
        if got.first().and_then(|g| g.split(' ').next()) != Some(case.expect.as_str()) {
            failures.push(format!(
                "{name}: expected {}, got {got:?}; notes {:?}",
                case.expect, evidence.notes
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn describe_from_stdin_with_a_dash() {
    let text = std::fs::read_to_string(
        case_dirs()
            .iter()
            .find(|d| d.ends_with("describe-crashloop-dependency"))
            .unwrap()
            .join("describe.txt"),
    )
    .unwrap();
    kubedoctor()
        .args(["diagnose", "-", "--color", "never"])
        .write_stdin(text)
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "shop/orders-5f7b9d8c6-j2k8m  CrashLoopBackOff",
        ));
}

#[test]
fn attachments_by_flag() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/text-cases/describe-crashloop-dependency");
    let out = stdout_of(
        kubedoctor()
            .args(["diagnose", "-o", "json", "--from"])
            .arg(dir.join("describe.txt"))
            .arg("--previous-logs")
            .arg(dir.join("previous.log")),
    );
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["source"]["kind"], "text");
    let f = &v["pods"][0]["findings"][0];
    assert_eq!(f["id"], "crash.dependency-unreachable");
    assert!(f["explain"].as_str().unwrap().contains("10.96.47.12:5432"));
    assert!(f["evidence"].to_string().contains("connection refused"));
}

#[test]
fn text_that_is_no_format_is_exit_2_naming_formats_and_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("notes.txt");
    std::fs::write(&f, "hello there\nthis is my shopping list\n").unwrap();
    kubedoctor()
        .args(["diagnose", "--from"])
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("kubectl describe pod"))
        .stderr(predicate::str::contains("journalctl"))
        .stderr(predicate::str::contains("\"hello there\""));
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "\n\n").unwrap();
    kubedoctor()
        .args(["diagnose", "--from"])
        .arg(&empty)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is empty"));
}

#[test]
fn a_partly_recognised_paste_reports_and_notes_what_was_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("paste.txt");
    std::fs::write(
        &f,
        "Events:\n  Type     Reason   Age  From     Message\n  Warning  Failed   2s   kubelet  Error: configmap \"feature-flags\" not found\n\n\
         lorem ipsum dolor sit amet\n",
    )
    .unwrap();
    let out = stdout_of(
        kubedoctor()
            .args(["diagnose", "-o", "json", "--from"])
            .arg(&f),
    );
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        v["pods"][0]["findings"][0]["id"],
        "config.configmap-missing"
    );
    let notes = v["notes"].to_string();
    assert!(notes.contains("not recognised and ignored"), "{notes}");
    assert!(notes.contains("lorem ipsum"), "{notes}");
    assert!(notes.contains("no pod status"), "{notes}");
}

/// Every file of a negative set (`tests/text-negative/<set>/`), run through the CLI:
/// `(file, exit code, findings above info as "pod: cause severity" and "service NAME: cause
/// severity", and "N unhealthy" when any pod is counted unhealthy)`.
fn negatives(set: &str) -> Vec<(String, i32, Vec<String>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/text-negative")
        .join(set);
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    assert!(files.len() >= 12, "{set}: {} files", files.len());
    files
        .iter()
        .map(|f| {
            let out = kubedoctor()
                .args(["diagnose", "-o", "json", "--from"])
                .arg(f)
                .output()
                .unwrap();
            let code = out.status.code().unwrap_or(-1);
            let report = serde_json::from_slice::<serde_json::Value>(&out.stdout).ok();
            let unhealthy = report
                .as_ref()
                .and_then(|v| v["summary"]["pods_unhealthy"].as_u64())
                .filter(|n| *n > 0)
                .map(|n| format!("{n} unhealthy"));
            let above: Vec<String> = report
                .map(|v| {
                    v["pods"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .flat_map(|p| {
                            p["findings"]
                                .as_array()
                                .into_iter()
                                .flatten()
                                .filter(|f| f["severity"] != "info")
                                .map(|f| format!("{}: {} {}", p["name"], f["id"], f["severity"]))
                        })
                        .chain(
                            v["services"]
                                .as_array()
                                .into_iter()
                                .flatten()
                                .flat_map(|s| {
                                    s["findings"]
                                        .as_array()
                                        .into_iter()
                                        .flatten()
                                        .filter(|f| f["severity"] != "info")
                                        .map(|f| {
                                            format!(
                                                "service {}: {} {}",
                                                s["name"], f["id"], f["severity"]
                                            )
                                        })
                                }),
                        )
                        .chain(unhealthy)
                        .collect()
                })
                .unwrap_or_default();
            (
                f.file_name().unwrap().to_string_lossy().into_owned(),
                code,
                above,
            )
        })
        .collect()
}

#[test]
fn healthy_kubectl_output_raises_nothing_above_info() {
    let bad: Vec<_> = negatives("healthy")
        .into_iter()
        .filter(|(_, code, above)| *code != 0 || !above.is_empty())
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn text_that_is_not_kubectl_output_is_exit_2_or_raises_nothing_above_info() {
    let bad: Vec<_> = negatives("not-kubectl")
        .into_iter()
        .filter(|(_, code, above)| *code != 2 && (*code != 0 || !above.is_empty()))
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
}

/// A pod stuck Terminating whose node the text does not show: the node is unknown, not
/// gone, so kubedoctor says to check it and gives no force-delete command.
#[test]
fn no_force_delete_without_evidence_that_the_node_is_gone() {
    let describe = "Name:         ledger-0
Namespace:    finance
Node:         pool-a-7/10.2.0.7
Status:       Terminating (lasts 3h)
Termination Grace Period:  30s
Containers:
  ledger:
    State:          Running
      Started:      Tue, 03 Mar 2026 09:00:00 +0000
    Ready:          True
    Restart Count:  0
Events:  <none>
";
    let out = kubedoctor()
        .args(["diagnose", "-", "-o", "json"])
        .write_stdin(describe)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let top = &v["pods"][0]["findings"][0];
    assert_eq!(top["id"], "terminating.node-unreachable");
    let fixes = top["fixes"].to_string();
    assert!(fixes.contains("kubectl get node pool-a-7"), "{fixes}");
    assert!(!fixes.contains("--force"), "{fixes}");
}

/// Fix commands for what a paste shows: a bare pod is recreated (its spec cannot change),
/// a pod the text does not name gets placeholders, never `pod/ -n`, and unknown counts
/// read `?/?`.
#[test]
fn fix_commands_fit_the_pod_and_never_have_empty_names() {
    let bare = support::BARE_POD_OOM_DESCRIBE;
    kubedoctor()
        .args(["diagnose", "-", "--color", "never"])
        .write_stdin(bare)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "kubectl get pod mem-hog -n lab -o yaml > mem-hog.yaml",
        ))
        .stdout(predicate::str::contains(
            "kubectl replace --force -f mem-hog.yaml",
        ))
        .stdout(predicate::str::contains("set resources pod/").not());
    let event_only = "  Warning  FailedScheduling  2m  default-scheduler  0/3 nodes are available: 3 Insufficient memory.\n";
    kubedoctor()
        .args(["diagnose", "-", "--color", "never"])
        .write_stdin(event_only)
        .assert()
        .success()
        .stdout(predicate::str::contains("?/? ready"))
        .stdout(predicate::str::contains("pod/ ").not())
        .stdout(predicate::str::contains(
            "set resources <owner> -n <namespace> -c <container>",
        ));
}

/// The JSON report of one text case's file.
fn report_of(case: &str, file: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/text-cases")
        .join(case)
        .join(file);
    let out = stdout_of(
        kubedoctor()
            .args(["diagnose", "-o", "json", "--from"])
            .arg(path),
    );
    serde_json::from_slice(&out).unwrap()
}

/// Pods whose top finding is above info.
fn unhealthy_pods(report: &serde_json::Value) -> Vec<String> {
    report["pods"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["findings"][0]["severity"] != "info")
        .map(|p| {
            format!(
                "{}/{}",
                p["namespace"].as_str().unwrap(),
                p["name"].as_str().unwrap()
            )
        })
        .collect()
}

/// A session: rows of Services, ConfigMaps, Deployments, ReplicaSets and PVCs are not pods,
/// a pod named only in events of a namespace whose pods are listed is history, and events
/// older than `db-0`'s AGE belong to an earlier `db-0`.
#[test]
fn a_session_diagnoses_only_the_pods_broken_now() {
    let r = report_of("session-other-kinds-history-config-error", "session.txt");
    assert_eq!(r["summary"]["pods_scanned"], 4, "{}", r["summary"]);
    assert_eq!(unhealthy_pods(&r), ["shop/api-6f7b9c8d4-m3n4p"]);
    let notes = r["notes"].to_string();
    assert!(
        notes.contains("earlier pod of `shop/api-5b8c7d6e5`"),
        "{notes}"
    );
    assert!(notes.contains("earlier pod of `shop/db`"), "{notes}");
    // Its `get svc` is read as Services (not counted as unused), the ConfigMaps are not.
    assert!(
        notes.contains("ConfigMap 1") && !notes.contains("Service"),
        "{notes}"
    );
    // The fix names the Deployment the session lists, and the container the events name.
    let fix = r["pods"][0]["findings"][0]["fixes"].to_string();
    assert!(
        fix.contains("deployment/api") && fix.contains("-c api"),
        "{fix}"
    );
}

/// ReplicaSets with their counts: one with all its pods and an old one scaled to 0 are not
/// missing pods, even with FailedCreate events; the one short of pods is.
#[test]
fn controller_state_decides_which_replicasets_lack_pods() {
    let r = report_of("session-rs-state-quota-placeholder", "session.txt");
    assert_eq!(unhealthy_pods(&r), ["shop/api-6f7b9c8d4"]);
}

/// Pods named only by Normal events have no status to judge: not unhealthy, not called
/// healthy either.
#[test]
fn pods_without_a_status_to_judge_are_counted_apart() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/text-negative/healthy/events-jsonl-normal.txt");
    let out = stdout_of(
        kubedoctor()
            .args(["diagnose", "--color", "never", "--from"])
            .arg(&path),
    );
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("without a status to judge"), "{text}");
    let out = stdout_of(
        kubedoctor()
            .args(["diagnose", "-o", "json", "--from"])
            .arg(&path),
    );
    let r: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(r["summary"]["pods_unhealthy"], 0);
    assert!(
        r["summary"]["pods_unknown"].as_u64() > Some(0),
        "{}",
        r["summary"]
    );
}

/// Services from a session: `get svc -o wide` rows, a `describe svc`, `get endpoints` (after
/// the API's deprecation warning), `describe endpointslices`, `get svc -o yaml`, `describe
/// endpoints`, `get sa`; the container ports and literal environment of a `describe pod`.
#[test]
fn a_session_shows_services_their_endpoints_and_what_pods_serve() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/text-cases/session-services-endpoints-oom");
    let (_, inputs) = load(&dir);
    let ev = text::read(&inputs).unwrap();
    let names: Vec<_> = ev
        .services
        .iter()
        .map(|s| format!("{}/{}", s.namespace, s.name))
        .collect();
    assert_eq!(names, ["shop/api", "shop/db", "shop/legacy", "shop/web"]);
    let svc = |name: &str| ev.services.iter().find(|s| s.name == name).unwrap();
    let addresses = |e: &[kubedoctor::evidence::Endpoint]| -> Vec<String> {
        e.iter().map(|x| x.address.clone()).collect()
    };

    // web: the row, the describe (named targetPort) and its slice (readiness, pods).
    let web = svc("web");
    assert_eq!(web.type_, "NodePort");
    assert_eq!(web.selector.as_ref().unwrap()["app"], "web");
    let port = &web.ports[0];
    assert_eq!(
        (port.name.as_deref(), port.port, port.node_port),
        (Some("http"), 80, Some(30080))
    );
    assert_eq!(
        port.target_port,
        Some(kubedoctor::evidence::TargetPort::Name("http".into()))
    );
    let e = web.endpoints.as_ref().unwrap();
    assert_eq!(addresses(&e.ready), ["10.244.1.15"]);
    assert_eq!(addresses(&e.not_ready), ["10.244.2.21"]);
    assert_eq!(e.ready[0].pod.as_deref(), Some("web-7d9c5b8f6-x2k4p"));
    assert_eq!(e.ports[0].name.as_deref(), Some("http"));

    // api: none ready (the empty ENDPOINTS cell), its describe shows the one not ready; the
    // YAML gives the numeric targetPort.
    let api = svc("api");
    assert_eq!(
        api.ports[0].target_port,
        Some(kubedoctor::evidence::TargetPort::Number(8080))
    );
    let e = api.endpoints.as_ref().unwrap();
    assert!(e.ready.is_empty());
    assert_eq!(addresses(&e.not_ready), ["10.244.2.30"]);

    // db: headless, its ready address from `get endpoints`; legacy: no selector, and no
    // endpoints in the namespace's listing.
    let db = svc("db");
    assert!(db.headless);
    assert_eq!(
        addresses(&db.endpoints.as_ref().unwrap().ready),
        ["10.244.1.40"]
    );
    let legacy = svc("legacy");
    assert_eq!(legacy.selector, Some(Default::default()));
    assert_eq!(legacy.endpoints, Some(Default::default()));

    assert!(ev.services_listed.covers("shop") && !ev.services_listed.covers("kube-system"));
    // `get pods -o wide` shows no labels: which pods a selector matches is not known, so
    // no Service of `shop` is said to select none.
    assert!(!ev.pods_listed.covers("shop"));
    let accounts: Vec<_> = ev
        .service_accounts
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(accounts, ["default", "web"]);
    assert!(ev.service_accounts_listed.covers("shop"));

    // The crashing pod declares 9090 while its Service sends 8080.
    let pod = ev
        .pods
        .iter()
        .find(|p| p.name == "api-6f7b9c8d4-m3n4p")
        .unwrap();
    let c = &pod.containers[0];
    assert_eq!(c.ports.iter().map(|p| p.port).collect::<Vec<_>>(), [9090]);
    assert_eq!(
        c.env,
        [
            (
                "DB_HOST".to_string(),
                "db.shop.svc.cluster.local".to_string()
            ),
            ("LISTEN_ADDR".to_string(), ":9090".to_string())
        ]
    );
    // Every output was used: no note counts Services or endpoints as unused, and the
    // warning line is no unrecognised line.
    let notes = ev.notes.join("\n");
    assert!(
        !notes.contains("not used") && !notes.contains("not recognised"),
        "{notes}"
    );
}

/// A Service table alone: Services, no pod, nothing unhealthy; endpoints of a Service the
/// text does not show are counted as not used.
#[test]
fn services_alone_make_no_pod() {
    let input = |text: &str| Input {
        name: "paste".into(),
        text: text.into(),
        role: Role::Auto,
    };
    let ev = text::read(&[input(
        "$ kubectl get svc -n shop
NAME   TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)   AGE
web    ClusterIP   10.96.14.20   <none>        80/TCP    2d
$ kubectl get endpoints -n shop other
NAME    ENDPOINTS         AGE
other   10.244.1.9:8080   2d
",
    )])
    .unwrap();
    assert!(ev.pods.is_empty());
    assert_eq!(ev.services.len(), 1);
    assert_eq!(ev.services[0].selector, None);
    assert_eq!(ev.services[0].endpoints, None);
    let notes = ev.notes.join("\n");
    assert!(notes.contains("(Endpoints 1)"), "{notes}");
    assert!(notes.contains("shows no pod"), "{notes}");
}

/// A `describe pod` whose env holds a URL with credentials naming `db.pay.svc:5433`, its
/// previous log's refused connection, and the namespace's Services.
fn credentials_session(cluster_ip: &str) -> String {
    format!(
        "$ kubectl describe pod ledger-7b9c6d5f4-q2w3e -n pay
Name:             ledger-7b9c6d5f4-q2w3e
Namespace:        pay
Node:             worker-1/10.0.0.11
Labels:           app=ledger
                  pod-template-hash=7b9c6d5f4
Status:           Running
Controlled By:    ReplicaSet/ledger-7b9c6d5f4
Containers:
  ledger:
    Image:          registry.example/pay/ledger:2.1.0
    Port:           8080/TCP
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
    Ready:          False
    Restart Count:  7
    Environment:
      DATABASE_URL:  postgres://ledger:s3cr3tP4ss@db.pay.svc:5433/ledger
Events:  <none>
$ kubectl get svc -n pay -o wide
NAME   TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)    AGE   SELECTOR
db     ClusterIP   {cluster_ip:<11}  <none>        5432/TCP   21d   app=db
$ kubectl logs ledger-7b9c6d5f4-q2w3e -n pay --previous
ledger 2.1.0 starting
error: dial tcp 10.96.52.9:5433: connect: connection refused
"
    )
}

/// Issue 21 §6: credentials in an env URL are redacted wherever the finding quotes the
/// address, in every format; a headless Service's ports are not judged (its name resolves
/// to the pods, whose every port is reachable), so it gets no `config.service-address`.
#[test]
fn a_credentialed_env_url_is_redacted_and_a_headless_port_is_not_judged() {
    let run = |text: &str, format: &str| -> String {
        let out = kubedoctor()
            .args(["diagnose", "-", "-o", format])
            .write_stdin(text.to_string())
            .assert()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let text = credentials_session("10.96.52.9");
    let v: serde_json::Value = serde_json::from_str(&run(&text, "json")).unwrap();
    let top = &v["pods"][0]["findings"][0];
    assert_eq!(top["id"], "config.service-address", "{v}");
    assert!(
        top["explain"]
            .as_str()
            .unwrap()
            .contains("postgres://ledger:[REDACTED]@db.pay.svc:5433/ledger"),
        "{top}"
    );
    for format in ["text", "json", "markdown", "html", "junit"] {
        let out = run(&text, format);
        assert!(
            out.contains("db.pay.svc"),
            "{format}: the address is quoted"
        );
        assert!(!out.contains("s3cr3tP4ss"), "{format}: {out}");
    }
    let headless = credentials_session("None");
    let v: serde_json::Value = serde_json::from_str(&run(&headless, "json")).unwrap();
    let ids: Vec<&str> = v["pods"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&"config.service-address"), "{ids:?}");
    assert!(!run(&headless, "text").contains("s3cr3tP4ss"));
}
