//! `report --webhook`: Slack, Teams and JSON messages posted to a local HTTP server, retries
//! on 429 (honouring Retry-After) and 5xx, exit 4 naming only the host, nothing sent when
//! there is nothing to say, the URL taken from the environment, redaction applied.

mod support;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use predicates::prelude::*;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use support::kubedoctor;

/// A receiver that answers with the given statuses in turn (then 200) and records bodies.
struct Receiver {
    port: u16,
    seen: Arc<Mutex<Vec<Value>>>,
    _runtime: tokio::runtime::Runtime,
}

/// A status to answer with, and its `Retry-After` header.
type Answer = (u16, Option<&'static str>);

#[derive(Clone)]
struct Plan {
    answers: Arc<Mutex<Vec<Answer>>>,
    seen: Arc<Mutex<Vec<Value>>>,
}

async fn receive(State(plan): State<Plan>, body: Bytes) -> (StatusCode, HeaderMap, String) {
    plan.seen
        .lock()
        .unwrap()
        .push(serde_json::from_slice(&body).unwrap_or(Value::Null));
    let (code, retry_after) = {
        let mut answers = plan.answers.lock().unwrap();
        if answers.is_empty() {
            (200, None)
        } else {
            answers.remove(0)
        }
    };
    let mut headers = HeaderMap::new();
    if let Some(r) = retry_after {
        headers.insert("retry-after", r.parse().unwrap());
    }
    (StatusCode::from_u16(code).unwrap(), headers, "ok".into())
}

impl Receiver {
    fn start(answers: Vec<Answer>) -> Receiver {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let plan = Plan {
            answers: Arc::new(Mutex::new(answers)),
            seen: seen.clone(),
        };
        let app = Router::new()
            .fallback(axum::routing::post(receive))
            .with_state(plan);
        let (runtime, port) = support::replay::serve_loopback(app, 1);
        Receiver {
            port,
            seen,
            _runtime: runtime,
        }
    }

    fn url(&self) -> String {
        format!(
            "http://127.0.0.1:{}/services/T000/B000/SECRETTOKEN",
            self.port
        )
    }

    fn bodies(&self) -> Vec<Value> {
        self.seen.lock().unwrap().clone()
    }
}

fn report(url: &str, format: &str) -> assert_cmd::Command {
    let mut cmd = kubedoctor();
    cmd.args([
        "report",
        "--from",
        "samples/demo-cluster",
        "-o",
        "json",
        "--webhook",
        url,
    ])
    .args(["--webhook-format", format]);
    cmd
}

#[test]
fn slack_teams_and_json_messages() {
    let r = Receiver::start(vec![]);
    report(&r.url(), "slack").assert().success();
    report(&r.url(), "teams").assert().success();
    report(&r.url(), "json").assert().success();
    let bodies = r.bodies();
    assert_eq!(bodies.len(), 3);
    let slack = &bodies[0];
    assert!(slack["text"].as_str().unwrap().contains("unhealthy"));
    let blocks = slack["blocks"].as_array().unwrap();
    assert_eq!(blocks[0]["type"], "header");
    assert!(
        blocks.iter().any(|b| b["text"]["text"]
            .as_str()
            .unwrap_or("")
            .contains("db-credentials")),
        "the missing Secret's problem is in the message"
    );
    let card = &bodies[1]["attachments"][0];
    assert_eq!(
        card["contentType"],
        "application/vnd.microsoft.card.adaptive"
    );
    assert_eq!(card["content"]["type"], "AdaptiveCard");
    assert_eq!(bodies[2]["schema"], "kubedoctor.report/v1");
}

#[test]
fn a_429_with_retry_after_and_a_503_are_retried() {
    let r = Receiver::start(vec![(429, Some("1")), (503, None)]);
    report(&r.url(), "slack").assert().success();
    assert_eq!(r.bodies().len(), 3, "two refusals, then delivered");
}

#[test]
fn a_failed_delivery_is_exit_4_naming_only_the_host_and_the_report_is_still_written() {
    let r = Receiver::start(vec![(500, None); 10]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    report(&r.url(), "json")
        .arg("--output-file")
        .arg(&out)
        .assert()
        .code(4)
        .stderr(predicate::str::contains(
            "webhook delivery to 127.0.0.1 failed",
        ))
        .stderr(predicate::str::contains("SECRETTOKEN").not())
        .stderr(predicate::str::contains("/services/").not());
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("kubedoctor.report/v1")
    );
    let r = Receiver::start(vec![(400, None)]);
    report(&r.url(), "slack")
        .assert()
        .code(4)
        .stderr(predicate::str::contains("HTTP 400"));
    assert_eq!(r.bodies().len(), 1, "a 400 is not retried");
}

#[test]
fn nothing_is_sent_when_there_is_nothing_to_say_unless_asked() {
    let r = Receiver::start(vec![]);
    let healthy = "samples/healthy-completed";
    kubedoctor()
        .args(["report", "--from", healthy, "--webhook", &r.url()])
        .assert()
        .success();
    assert!(r.bodies().is_empty());
    kubedoctor()
        .args([
            "report",
            "--from",
            healthy,
            "--webhook-always",
            "--webhook-format",
            "slack",
        ])
        .env("KUBEDOCTOR_WEBHOOK", r.url())
        .assert()
        .success();
    assert_eq!(r.bodies().len(), 1, "the URL comes from KUBEDOCTOR_WEBHOOK");
}

#[test]
fn only_new_problems_with_a_baseline() {
    let r = Receiver::start(vec![]);
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("last.json");
    support::write_demo_report(&baseline);
    // The same cluster again: every problem is ongoing, none is new, nothing is sent.
    report(&r.url(), "slack")
        .args(["--only-new", "--baseline"])
        .arg(&baseline)
        .assert()
        .success();
    assert!(r.bodies().is_empty());
}

#[test]
fn secrets_in_evidence_are_redacted_in_the_message() {
    let dir = support::copy_sample("crash-dependency-unreachable");
    let log = std::fs::read_dir(dir.path().join("logs/shop"))
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path()
        .join("orders.previous.log");
    let mut text = std::fs::read_to_string(&log).unwrap();
    text.push_str("FATAL cannot connect to postgres://app:hunter2secret@10.96.47.12:5432/orders: connection refused\n");
    std::fs::write(&log, text).unwrap();
    let r = Receiver::start(vec![]);
    kubedoctor()
        .args([
            "report",
            "--webhook-format",
            "json",
            "--webhook",
            &r.url(),
            "--from",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let body = r.bodies()[0].to_string();
    assert!(body.contains("[REDACTED]"), "{body}");
    assert!(!body.contains("hunter2secret"));
}

/// Every text a chat message shows (Slack sections and text, Teams TextBlocks).
fn texts(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match x {
                    Value::String(s) if k == "text" => out.push(s.clone()),
                    _ => texts(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| texts(x, out)),
        _ => {}
    }
}

#[test]
fn evidence_and_placeholders_reach_a_channel_as_text_not_markup() {
    // An admission webhook's denial, quoted in the explanation, carries a mention, a link and
    // markup; the fix commands carry kubedoctor's own `<placeholders>`.
    let bundle = support::copy_sample("create-webhook-denied");
    let events = bundle.path().join("events.json");
    let text = std::fs::read_to_string(&events).unwrap().replace(
        "has no memory limit",
        "has no memory limit <!channel> <http://x.test|click> **now** [here](http://x.test) & more",
    );
    std::fs::write(&events, text).unwrap();
    let r = Receiver::start(vec![]);
    for format in ["slack", "teams", "json"] {
        kubedoctor()
            .args(["report", "--from"])
            .arg(bundle.path())
            .args(["--webhook", &r.url(), "--webhook-format", format])
            .assert()
            .success();
    }
    let bodies = r.bodies();
    let mut slack = Vec::new();
    texts(&bodies[0]["blocks"], &mut slack);
    let slack = slack.join("\n");
    assert!(slack.contains("&lt;!channel&gt;"), "{slack}");
    assert!(slack.contains("&amp; more"), "{slack}");
    assert!(
        !slack.contains("<!channel>") && !slack.contains("<http"),
        "{slack}"
    );
    assert!(
        !slack.contains('<'),
        "no `<` reaches Slack unescaped:\n{slack}"
    );
    let mut teams = Vec::new();
    texts(&bodies[1], &mut teams);
    let teams = teams.join("\n");
    assert!(teams.contains("\\*\\*now\\*\\*"), "{teams}");
    assert!(teams.contains("\\[here\\](http://x.test)"), "{teams}");
    assert!(
        !teams.contains(" **now**") && !teams.contains(" [here]"),
        "{teams}"
    );
    // JSON stays the report, unescaped.
    let json = bodies[2].to_string();
    assert!(json.contains("<!channel>"), "{json}");
}

/// `KUBEDOCTOR_WEBHOOK` as a Secret gives it: a trailing newline, a space after a comma, an
/// empty entry. Each URL is trimmed and the empty one dropped: both receivers get the message.
#[test]
fn webhook_urls_are_trimmed_and_empty_entries_ignored() {
    let (a, b) = (Receiver::start(vec![]), Receiver::start(vec![]));
    kubedoctor()
        .args(["report", "--from", "samples/demo-cluster", "-o", "json"])
        .env("KUBEDOCTOR_WEBHOOK", format!("{}, ,{}\n", a.url(), b.url()))
        .assert()
        .success();
    assert_eq!((a.bodies().len(), b.bodies().len()), (1, 1));
}

/// A webhook that is no http(s) URL is exit 2 before the scan, and is not printed (it holds
/// a token); `--webhook-always` or `--webhook-format` without a webhook is a warning.
#[test]
fn webhook_urls_are_checked_before_the_scan() {
    let out = kubedoctor()
        .args(["report", "--from", "samples/demo-cluster", "-o", "json"])
        .args([
            "--webhook",
            "hooks.example.org/services/T000/B000/SECRETTOKEN",
        ])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("webhook 1 of 1 is not an http(s) URL"),
        "{stderr}"
    );
    assert!(!stderr.contains("SECRETTOKEN"), "{stderr}");
    assert!(out.stdout.is_empty(), "no scan, no report");
    for flag in [&["--webhook-always"][..], &["--webhook-format", "slack"]] {
        let out = kubedoctor()
            .args(["report", "--from", "samples/demo-cluster", "-o", "json"])
            .args(flag)
            .env_remove("KUBEDOCTOR_WEBHOOK")
            .assert()
            .success()
            .get_output()
            .clone();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "warning: {} has no effect without a webhook",
                flag[0]
            )),
            "{stderr}"
        );
    }
}

/// What a Pushgateway received: method, path, body.
type Pushes = Arc<Mutex<Vec<(String, String, String)>>>;

async fn pushgateway(
    State(seen): State<Pushes>,
    method: axum::http::Method,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let text = String::from_utf8_lossy(&body).into_owned();
    let typed = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(typed.starts_with("text/plain; version=0.0.4"), "{typed}");
    seen.lock()
        .unwrap()
        .push((method.to_string(), uri.path().to_string(), text));
    StatusCode::OK
}

/// `--pushgateway`: a report's metrics replace the run's group (PUT to
/// `/metrics/job/kubedoctor/scope/SCOPE`); a run that made no report pushes only
/// `kubedoctor_scan_success 0` and the run's time (POST, keeping the last success); an
/// unreachable Pushgateway is exit 4 naming its host.
#[test]
fn metrics_are_pushed_to_a_pushgateway() {
    let seen: Pushes = Arc::new(Mutex::new(Vec::new()));
    let app = Router::new()
        .fallback(axum::routing::any(pushgateway))
        .with_state(seen.clone());
    let (_runtime, port) = support::replay::serve_loopback(app, 1);
    let url = format!("http://127.0.0.1:{port}");
    kubedoctor()
        .args([
            "report",
            "--from",
            "samples/demo-cluster",
            "-o",
            "json",
            "--pushgateway",
            &url,
        ])
        .assert()
        .success();
    kubedoctor()
        .args([
            "report",
            "--from",
            "samples/no-such-sample",
            "--pushgateway",
            &url,
        ])
        .assert()
        .code(2);
    let pushes = seen.lock().unwrap().clone();
    assert_eq!(pushes.len(), 2, "{pushes:?}");
    let (method, path, body) = &pushes[0];
    assert_eq!(
        (method.as_str(), path.as_str()),
        ("PUT", "/metrics/job/kubedoctor/scope/all-namespaces")
    );
    assert!(body.contains("kubedoctor_scan_success 1"), "{body}");
    assert!(body.contains("kubedoctor_pods_scanned"), "{body}");
    let (method, _, body) = &pushes[1];
    assert_eq!(method, "POST");
    assert!(body.contains("kubedoctor_scan_success 0"), "{body}");
    kubedoctor()
        .args(["report", "--from", "samples/demo-cluster", "-o", "json"])
        .args(["--pushgateway", "http://127.0.0.1:9/"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("127.0.0.1"));
}

/// A baseline written by an earlier kubedoctor that grouped problems otherwise (no
/// `grouping_revision`): the run re-baselines. One message says so, none posts every
/// problem as new; the next run compares with this run's report.
#[test]
fn an_older_baseline_is_rebaselined_once_with_a_message() {
    let r = Receiver::start(vec![]);
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("last.json");
    support::write_demo_report(&baseline);
    let mut old: Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    old.as_object_mut().unwrap().remove("grouping_revision");
    // What the old version called its groups no longer matches anything.
    for g in old["groups"].as_array_mut().unwrap() {
        g["key"] = Value::from("grouped-the-old-way");
    }
    std::fs::write(&baseline, old.to_string()).unwrap();
    let out = report(&r.url(), "slack")
        .args(["--only-new", "--baseline"])
        .arg(&baseline)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert!(v["rebaselined"].as_str().unwrap().contains("re-baselines"));
    assert!(
        v["groups"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g.get("change").is_none()),
        "nothing is marked new: {}",
        v["groups"]
    );
    assert!(v.get("resolved").is_none(), "nothing is marked resolved");
    let bodies = r.bodies();
    assert_eq!(bodies.len(), 1, "one message says it re-baselines");
    assert!(
        bodies[0].to_string().contains("re-baselines"),
        "{}",
        bodies[0]
    );
    // The next run compares with the report this one wrote.
    std::fs::write(&baseline, &out).unwrap();
    report(&r.url(), "slack")
        .args(["--only-new", "--baseline"])
        .arg(&baseline)
        .assert()
        .success();
    assert_eq!(r.bodies().len(), 1, "nothing new, nothing sent");
}
