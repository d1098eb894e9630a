//! Now versus history for a CronJob's runs. Each run is a Job; a failed run's Job and pods
//! stay (up to `failedJobsHistoryLimit`) after later runs. A pod of a failed run is a
//! current problem while that run is the CronJob's newest word: it is history once a run
//! that finished later succeeded, or once its own Job completed after all (the pod was one
//! of its retries). Runs still going have not finished and decide nothing. Without the Jobs
//! (a paste without `describe job`, a bundle without `jobs.json`) nothing is history.

use crate::evidence::{Job, JobOutcome, Pod};

/// For a pod of a CronJob's run that a successful run made good: the note that says so.
pub fn made_good(pod: &Pod, jobs: &[Job]) -> Option<String> {
    let owner = pod.owner.as_ref().filter(|o| o.kind == "job")?;
    let cronjob = owner.cronjob()?;
    let run = jobs
        .iter()
        .find(|j| j.namespace == pod.namespace && j.name == owner.name)?;
    let workload = crate::words::qualified(&pod.namespace, &format!("cronjob/{cronjob}"));
    match (run.outcome?, run.finished_at) {
        (JobOutcome::Succeeded, _) => Some(format!(
            "history: job/{} of {workload} completed after `{}` failed; not diagnosed as current",
            run.name, pod.name
        )),
        (JobOutcome::Failed, Some(failed_at)) => {
            let later = jobs
                .iter()
                .filter(|j| {
                    j.namespace == run.namespace
                        && j.cronjob.as_deref() == Some(cronjob)
                        && j.outcome == Some(JobOutcome::Succeeded)
                })
                .filter_map(|j| Some((j.finished_at?, j)))
                .filter(|(at, _)| *at > failed_at)
                .max_by_key(|(at, _)| *at)?;
            Some(format!(
                "history: job/{} of {workload} failed ({failed_at}); a later run, job/{}, succeeded ({}); its pods are not diagnosed as current",
                run.name, later.1.name, later.0
            ))
        }
        (JobOutcome::Failed, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Owner;

    fn run(name: &str, outcome: Option<JobOutcome>, finished: Option<&str>) -> Job {
        Job {
            namespace: "batch".into(),
            name: name.into(),
            cronjob: Some("nightly".into()),
            outcome,
            finished_at: finished.map(|t| t.parse().unwrap()),
            started_at: None,
        }
    }

    fn pod_of(job: &str) -> Pod {
        Pod {
            namespace: "batch".into(),
            name: format!("{job}-x7k2p"),
            owner: Some(Owner {
                kind: "job".into(),
                name: job.into(),
                chain: vec![format!("job/{job}"), "cronjob/nightly".into()],
            }),
            ..Default::default()
        }
    }

    const FAILED: Option<JobOutcome> = Some(JobOutcome::Failed);
    const SUCCEEDED: Option<JobOutcome> = Some(JobOutcome::Succeeded);

    #[test]
    fn a_failed_run_is_history_once_a_later_run_succeeded() {
        let failed = run("nightly-100", FAILED, Some("2026-11-20T01:05:00Z"));
        let later = run("nightly-200", SUCCEEDED, Some("2026-11-21T01:03:00Z"));
        let earlier = run("nightly-50", SUCCEEDED, Some("2026-11-19T01:03:00Z"));
        let note = made_good(
            &pod_of("nightly-100"),
            &[earlier.clone(), failed.clone(), later],
        );
        assert!(note.is_some_and(|n| n.contains("job/nightly-200")));
        // Only an earlier success: the failure is the newest word.
        assert_eq!(
            made_good(&pod_of("nightly-100"), &[earlier, failed.clone()]),
            None
        );
        // A later run still going, or a later failure, decides nothing.
        let running = run("nightly-300", None, None);
        let failed_again = run("nightly-200", FAILED, Some("2026-11-21T01:03:00Z"));
        assert_eq!(
            made_good(
                &pod_of("nightly-100"),
                &[failed.clone(), running, failed_again]
            ),
            None
        );
        // A failed run whose end the source did not show decides nothing either.
        let unknown_end = run("nightly-100", FAILED, None);
        let later = run("nightly-200", SUCCEEDED, Some("2026-11-21T01:03:00Z"));
        assert_eq!(
            made_good(&pod_of("nightly-100"), &[unknown_end, later]),
            None
        );
    }

    #[test]
    fn a_retry_of_a_run_that_completed_is_history_and_unknown_jobs_decide_nothing() {
        let completed = run("nightly-100", SUCCEEDED, Some("2026-11-20T01:05:00Z"));
        assert!(made_good(&pod_of("nightly-100"), &[completed]).is_some());
        assert_eq!(made_good(&pod_of("nightly-100"), &[]), None);
    }
}
