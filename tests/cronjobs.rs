//! A CronJob's runs are one workload: the failures of its Jobs group by the CronJob, and a
//! failed run that a later run made good is history, not a current problem. Checked on
//! bundles composed here, on a live run of them through the replay API server, on what
//! `capture` writes, and on a pasted `describe job`.

mod support;

use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;
use support::kubedoctor;
use support::replay::Replay;

/// Seconds after the base time 2026-11-20T00:00:00Z, as the API writes times.
fn at(secs: i64) -> String {
    let base: jiff::Timestamp = "2026-11-20T00:00:00Z".parse().unwrap();
    (base + jiff::SignedDuration::from_secs(secs)).to_string()
}

/// One run of the CronJob `report` in namespace `batch`: its Job (named as the CronJob
/// controller names it) and one pod.
struct Run {
    /// The scheduled time's minute suffix.
    minute: i64,
    /// `Failed`, `Complete`, or `None` while it runs.
    end: Option<&'static str>,
    /// Seconds after the base time at which it started and ended.
    start: i64,
    finish: i64,
}

impl Run {
    fn job(&self) -> String {
        format!("report-{}", self.minute)
    }
}

fn job_object(r: &Run) -> Value {
    let mut status = json!({"startTime": at(r.start)});
    match r.end {
        Some("Complete") => {
            status["succeeded"] = json!(1);
            status["completionTime"] = json!(at(r.finish));
            status["conditions"] = json!([
                {"type": "SuccessCriteriaMet", "status": "True", "lastTransitionTime": at(r.finish)},
                {"type": "Complete", "status": "True", "lastTransitionTime": at(r.finish)}]);
        }
        Some(end) => {
            status["failed"] = json!(1);
            status["conditions"] = json!([
                {"type": "FailureTarget", "status": "True", "reason": "BackoffLimitExceeded", "lastTransitionTime": at(r.finish)},
                {"type": end, "status": "True", "reason": "BackoffLimitExceeded",
                 "message": "Job has reached the specified backoff limit", "lastTransitionTime": at(r.finish)}]);
        }
        None => status["active"] = json!(1),
    }
    json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": r.job(), "namespace": "batch", "uid": format!("uid-{}", r.job()),
            "creationTimestamp": at(r.start),
            "ownerReferences": [{"apiVersion": "batch/v1", "kind": "CronJob", "name": "report",
                "uid": "uid-cronjob-report", "controller": true, "blockOwnerDeletion": true}]},
        "spec": {"backoffLimit": 0, "template": {"spec": {"restartPolicy": "Never",
            "containers": [{"name": "report", "image": "registry.example/report:2.1"}]}}},
        "status": status
    })
}

fn pod_object(r: &Run) -> Value {
    let job = r.job();
    let (phase, state) = match r.end {
        Some("Complete") => (
            "Succeeded",
            json!({"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": at(r.start + 2), "finishedAt": at(r.finish)}}),
        ),
        Some(_) => (
            "Failed",
            json!({"terminated": {"exitCode": 3, "reason": "Error", "startedAt": at(r.start + 2), "finishedAt": at(r.finish)}}),
        ),
        None => (
            "Running",
            json!({"running": {"startedAt": at(r.start + 2)}}),
        ),
    };
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": format!("{job}-q7w2x"), "namespace": "batch", "uid": format!("uid-pod-{job}"),
            "creationTimestamp": at(r.start),
            "labels": {"batch.kubernetes.io/job-name": job, "job-name": job},
            "ownerReferences": [{"apiVersion": "batch/v1", "kind": "Job", "name": job,
                "uid": format!("uid-{job}"), "controller": true, "blockOwnerDeletion": true}]},
        "spec": {"restartPolicy": "Never", "nodeName": "worker-1",
            "containers": [{"name": "report", "image": "registry.example/report:2.1"}]},
        "status": {"phase": phase, "startTime": at(r.start),
            "containerStatuses": [{"name": "report", "image": "registry.example/report:2.1",
                "imageID": "", "ready": r.end.is_none(), "restartCount": 0, "state": state}]}
    })
}

fn list(items: Vec<Value>) -> String {
    serde_json::to_string_pretty(&json!({"apiVersion": "v1", "kind": "List", "items": items}))
        .unwrap()
}

/// A bundle of the runs (`jobs.json` only `with_jobs`), captured an hour after the last
/// run ended.
fn bundle(dir: &Path, runs: &[Run], with_jobs: bool) {
    std::fs::create_dir_all(dir).unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/job-backoff-limit");
    std::fs::copy(samples.join("nodes.json"), dir.join("nodes.json")).unwrap();
    let events: Vec<Value> = runs
        .iter()
        .filter(|r| r.end == Some("Failed"))
        .map(|r| {
            json!({"apiVersion": "v1", "kind": "Event",
                "metadata": {"name": format!("{}.backoff", r.job()), "namespace": "batch"},
                "involvedObject": {"apiVersion": "batch/v1", "kind": "Job", "namespace": "batch",
                    "name": r.job(), "uid": format!("uid-{}", r.job())},
                "type": "Warning", "reason": "BackoffLimitExceeded",
                "message": "Job has reached the specified backoff limit", "count": 1,
                "firstTimestamp": at(r.finish), "lastTimestamp": at(r.finish),
                "source": {"component": "job-controller"}})
        })
        .collect();
    std::fs::write(dir.join("events.json"), list(events)).unwrap();
    std::fs::write(
        dir.join("pods.json"),
        list(runs.iter().map(pod_object).collect()),
    )
    .unwrap();
    if with_jobs {
        std::fs::write(
            dir.join("jobs.json"),
            list(runs.iter().map(job_object).collect()),
        )
        .unwrap();
    }
    let last = runs.iter().map(|r| r.finish).max().unwrap_or(0);
    let meta = json!({"captured_at": at(last + 3600), "scope": "namespace batch"});
    std::fs::write(dir.join("bundle.json"), meta.to_string()).unwrap();
}

fn diagnose(dir: &Path, extra: &[&str]) -> Value {
    let out = kubedoctor()
        .args(["diagnose", "-n", "batch", "-o", "json", "--from"])
        .arg(dir)
        .args(extra)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

/// `(cause id, group key, pods)` of each problem.
fn problems(v: &Value) -> Vec<(String, String, Vec<String>)> {
    v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let pods = g["pods"].as_array().unwrap().iter();
            (
                g["id"].as_str().unwrap().to_string(),
                g["key"].as_str().unwrap().to_string(),
                pods.map(|p| p.as_str().unwrap().to_string()).collect(),
            )
        })
        .collect()
}

const DAY: i64 = 86_400;

/// A failed run a day ago, and the run after it, which succeeded.
fn failed_then_succeeded() -> [Run; 2] {
    [
        Run {
            minute: 29_386_080,
            end: Some("Failed"),
            start: 3600,
            finish: 3700,
        },
        Run {
            minute: 29_387_520,
            end: Some("Complete"),
            start: DAY + 3600,
            finish: DAY + 3720,
        },
    ]
}

#[test]
fn a_failed_run_that_a_later_run_made_good_is_no_current_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("made-good");
    bundle(&dir, &failed_then_succeeded(), true);
    let v = diagnose(&dir, &[]);
    assert_eq!(problems(&v), [], "{v:#}");
    assert_eq!(v["summary"]["pods_unhealthy"], 0);
    let pod = &v["pods"][0];
    assert_eq!(pod["name"], "report-29386080-q7w2x");
    assert!(
        pod["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["severity"] == "info"),
        "history is never critical: {pod:#}"
    );
    assert!(
        v["notes"].as_array().unwrap().iter().any(|n| n
            .as_str()
            .unwrap()
            .starts_with("history: job/report-29386080")),
        "{:#}",
        v["notes"]
    );

    // Without `jobs.json` (a bundle captured before it was written) the runs are unknown:
    // the failure stays current, grouped by the CronJob its Job's name gives.
    let old = tmp.path().join("old-bundle");
    bundle(&old, &failed_then_succeeded(), false);
    let v = diagnose(&old, &[]);
    assert_eq!(
        problems(&v),
        [(
            "job.backoff-limit".to_string(),
            "batch/cronjob/report".to_string(),
            vec!["batch/report-29386080-q7w2x".to_string()]
        )]
    );
}

#[test]
fn while_the_newest_finished_run_failed_the_cronjob_has_one_problem_across_runs() {
    let tmp = tempfile::tempdir().unwrap();
    // Yesterday's run failed, and so did today's; a run that is still going decides nothing.
    let runs = [
        Run {
            minute: 29_386_080,
            end: Some("Failed"),
            start: 3600,
            finish: 3700,
        },
        Run {
            minute: 29_387_520,
            end: Some("Failed"),
            start: DAY + 3600,
            finish: DAY + 3700,
        },
        Run {
            minute: 29_387_580,
            end: None,
            start: DAY + 7200,
            finish: DAY + 7200,
        },
    ];
    let both = tmp.path().join("both");
    bundle(&both, &runs, true);
    let v = diagnose(&both, &[]);
    assert_eq!(
        problems(&v),
        [(
            "job.backoff-limit".to_string(),
            "batch/cronjob/report".to_string(),
            vec![
                "batch/report-29386080-q7w2x".to_string(),
                "batch/report-29387520-q7w2x".to_string()
            ]
        )],
        "{v:#}"
    );
    let owners: Vec<&str> = v["pods"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["owner"].as_str())
        .collect();
    assert!(owners.iter().all(|o| *o == "cronjob/report"), "{owners:?}");

    // One failed run, then (a day later) another: the same problem, ongoing.
    let [first, second, _] = runs;
    let yesterday = tmp.path().join("yesterday");
    bundle(&yesterday, &[first], true);
    let today = tmp.path().join("today");
    bundle(&today, &[second], true);
    let baseline = tmp.path().join("baseline.json");
    std::fs::write(&baseline, diagnose(&yesterday, &[]).to_string()).unwrap();
    let v = diagnose(&today, &["--baseline", baseline.to_str().unwrap()]);
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "{v:#}");
    assert_eq!(groups[0]["key"], "batch/cronjob/report");
    assert_eq!(groups[0]["change"], "ongoing");
    assert_eq!(v.get("resolved"), None, "{v:#}");
}

#[test]
fn a_live_run_and_its_capture_read_the_jobs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("cluster");
    bundle(&dir, &failed_then_succeeded(), true);
    let replay = Replay::start(&dir, Duration::ZERO, vec![]);
    let kubeconfig = replay.kubeconfig(tmp.path(), "batch");
    let out = kubedoctor()
        .args([
            "diagnose",
            "-n",
            "batch",
            "-o",
            "json",
            "--no-node-journal",
            "--kubeconfig",
        ])
        .arg(&kubeconfig)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let live: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(problems(&live), [], "{live:#}");
    let requests = replay.requests();
    assert!(
        requests
            .iter()
            .any(|(m, u)| m == "GET" && u.starts_with("/apis/batch/v1/namespaces/batch/jobs")),
        "{requests:?}"
    );

    let captured = tmp.path().join("captured");
    kubedoctor()
        .args(["capture", "-n", "batch", "--no-node-journal", "--dir"])
        .arg(&captured)
        .arg("--kubeconfig")
        .arg(&kubeconfig)
        .assert()
        .success();
    let jobs: Value =
        serde_json::from_str(&std::fs::read_to_string(captured.join("jobs.json")).unwrap())
            .unwrap();
    let names: Vec<&str> = jobs["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["report-29386080", "report-29387520"]);
    assert_eq!(
        jobs["items"][0]["metadata"]["ownerReferences"][0]["name"],
        "report"
    );
    assert_eq!(problems(&diagnose(&captured, &[])), []);
}

/// `kubectl describe job` as kubectl 1.33's describer prints it (`describeJob`).
fn describe_job(job: &str, controlled_by: Option<&str>) -> String {
    let controlled = controlled_by
        .map(|c| format!("Controlled By:    {c}\n"))
        .unwrap_or_default();
    format!(
        "$ kubectl describe job {job} -n batch
Name:             {job}
Namespace:        batch
Selector:         batch.kubernetes.io/controller-uid=4b1e
Labels:           batch.kubernetes.io/job-name={job}
Annotations:      <none>
{controlled}Parallelism:      1
Completions:      1
Completion Mode:  NonIndexed
Suspend:          false
Backoff Limit:    0
Start Time:       Fri, 20 Nov 2026 01:00:00 +0000
Pods Statuses:    0 Active (0 Ready) / 0 Succeeded / 1 Failed
Pod Template:
  Labels:  batch.kubernetes.io/job-name={job}
  Containers:
   report:
    Image:      registry.example/report:2.1
    Port:       <none>
    Host Port:  <none>
    Environment:  <none>
    Mounts:       <none>
  Volumes:        <none>
Events:
  Type     Reason                Age   From            Message
  ----     ------                ----  ----            -------
  Normal   SuccessfulCreate      3m    job-controller  Created pod: {job}-q7w2x
  Warning  BackoffLimitExceeded  2m    job-controller  Job has reached the specified backoff limit
$ kubectl get pods -n batch
NAME                    READY   STATUS   RESTARTS   AGE
{job}-q7w2x   0/1     Error    0          3m
"
    )
}

fn paste(text: &str) -> Value {
    let out = kubedoctor()
        .args(["diagnose", "-", "-o", "json"])
        .write_stdin(text)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn a_pasted_describe_job_names_the_cronjob_its_runs_group_by() {
    // The CronJob here is named so that no Job name could give it: only `Controlled By:`.
    let v = paste(&describe_job("export-eu-7", Some("CronJob/export-eu")));
    let groups = problems(&v);
    assert_eq!(groups.len(), 1, "{v:#}");
    assert_eq!(groups[0].0, "job.backoff-limit");
    assert_eq!(groups[0].1, "batch/cronjob/export-eu");
    assert_eq!(v["pods"][0]["owner"], "cronjob/export-eu");
    // Another run: the same group key.
    let other = paste(&describe_job("export-eu-8", Some("CronJob/export-eu")));
    assert_eq!(problems(&other)[0].1, "batch/cronjob/export-eu");
    // A Job of its own: grouped by the Job.
    let own = paste(&describe_job("export-eu-7", None));
    assert_eq!(problems(&own)[0].1, "batch/job/export-eu-7");
}
