//! Files other programs read: the metrics file says whether a run made a report
//! (`kubedoctor_scan_success`, the last run and the last success), and a file that cannot be
//! written does not keep the webhook from being posted; the exit code is the first failure.

mod support;

use support::kubedoctor;

fn value(metrics: &str, name: &str) -> Option<String> {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ').map(str::to_string))
}

#[test]
fn a_run_that_makes_no_report_says_so_and_keeps_the_last_success() {
    let tmp = tempfile::tempdir().unwrap();
    let prom = tmp.path().join("kubedoctor.prom");
    let first = kubedoctor()
        .args([
            "report",
            "--from",
            "samples/demo-cluster",
            "--prometheus-file",
        ])
        .arg(&prom)
        .output()
        .unwrap();
    assert_eq!(first.status.code(), Some(0));
    let ok = std::fs::read_to_string(&prom).unwrap();
    assert_eq!(value(&ok, "kubedoctor_scan_success").as_deref(), Some("1"));
    let success = value(&ok, "kubedoctor_last_success_timestamp_seconds").expect("set on success");
    assert_eq!(
        value(&ok, "kubedoctor_last_run_timestamp_seconds").as_deref(),
        Some(success.as_str())
    );
    // The next run cannot read its input: no report, exit 2.
    let out = kubedoctor()
        .args(["report", "--from"])
        .arg(tmp.path().join("no-such-bundle"))
        .arg("--prometheus-file")
        .arg(&prom)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let failed = std::fs::read_to_string(&prom).unwrap();
    assert_eq!(
        value(&failed, "kubedoctor_scan_success").as_deref(),
        Some("0")
    );
    assert!(value(&failed, "kubedoctor_last_run_timestamp_seconds").is_some());
    assert_eq!(
        value(&failed, "kubedoctor_last_success_timestamp_seconds"),
        Some(success),
        "the last success is carried over"
    );
    assert!(value(&failed, "kubedoctor_pods_scanned").is_none());
}

#[test]
fn a_file_that_cannot_be_written_does_not_stop_the_webhook() {
    use std::sync::{Arc, Mutex};
    let seen = Arc::new(Mutex::new(0));
    let counter = seen.clone();
    let app = axum::Router::new().fallback(move || {
        let counter = counter.clone();
        async move {
            *counter.lock().unwrap() += 1;
            "ok"
        }
    });
    let (_runtime, port) = support::replay::serve_loopback(app, 1);
    let tmp = tempfile::tempdir().unwrap();
    let out = kubedoctor()
        .args(["report", "--from", "samples/demo-cluster", "--output-file"])
        .arg(tmp.path().join("no/such/dir/report.txt"))
        .args(["--webhook", &format!("http://127.0.0.1:{port}/hook")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "the file's failure comes first");
    assert_eq!(*seen.lock().unwrap(), 1, "the message was posted anyway");
}

/// The metrics say how each delivery before them went: the report (written) and the
/// webhooks (one that cannot be reached is 0; the run is exit 4).
#[test]
fn the_metrics_say_how_each_delivery_went() {
    let tmp = tempfile::tempdir().unwrap();
    let prom = tmp.path().join("kubedoctor.prom");
    let out = kubedoctor()
        .args([
            "report",
            "--from",
            "samples/demo-cluster",
            "-o",
            "json",
            "--output-file",
        ])
        .arg(tmp.path().join("report.json"))
        .arg("--prometheus-file")
        .arg(&prom)
        .args(["--webhook", "http://127.0.0.1:9/hook"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let metrics = std::fs::read_to_string(&prom).unwrap();
    assert_eq!(
        value(&metrics, "kubedoctor_delivery_success{sink=\"report\"}").as_deref(),
        Some("1")
    );
    assert_eq!(
        value(&metrics, "kubedoctor_delivery_success{sink=\"webhook\"}").as_deref(),
        Some("0")
    );
}
