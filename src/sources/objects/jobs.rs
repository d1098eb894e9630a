//! Job objects (`batch/v1`, as `kubectl get jobs -o json` prints them) into the evidence
//! model: the CronJob that controls each and how the run ended. Few per namespace, so they
//! are decoded as k8s-openapi types.

use crate::evidence::{Job, JobOutcome};
use k8s_openapi::api::batch::v1::Job as ApiJob;

/// The evidence of one Job object.
pub fn job(j: ApiJob) -> Job {
    let refs = j.metadata.owner_references.as_deref().unwrap_or_default();
    let cronjob = refs
        .iter()
        .find(|r| r.controller == Some(true))
        .filter(|r| r.kind == "CronJob")
        .map(|r| r.name.clone());
    let status = j.status.as_ref();
    // The terminal conditions the Job controller sets (`SuccessCriteriaMet` and
    // `FailureTarget` come before them, while pods may still be terminating).
    let terminal = status
        .and_then(|s| s.conditions.as_deref())
        .unwrap_or_default()
        .iter()
        .filter(|c| c.status == "True")
        .find_map(|c| {
            let outcome = match c.type_.as_str() {
                "Complete" => JobOutcome::Succeeded,
                "Failed" => JobOutcome::Failed,
                _ => return None,
            };
            Some((outcome, c.last_transition_time.as_ref().map(|t| t.0)))
        });
    let completion = status.and_then(|s| s.completion_time.as_ref()).map(|t| t.0);
    Job {
        namespace: j.metadata.namespace.clone().unwrap_or_default(),
        name: j.metadata.name.clone().unwrap_or_default(),
        cronjob,
        outcome: terminal.map(|(o, _)| o),
        finished_at: terminal.and_then(|(_, at)| at).or(completion),
        started_at: status.and_then(|s| s.start_time.as_ref()).map(|t| t.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jobs_cronjob_and_end_come_from_its_owner_and_conditions() {
        let j: ApiJob = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "nightly-29101440", "namespace": "batch",
                "ownerReferences": [{"apiVersion": "batch/v1", "kind": "CronJob",
                    "name": "nightly", "uid": "u1", "controller": true}]},
            "status": {"startTime": "2026-11-20T10:00:00Z", "failed": 3,
                "conditions": [
                    {"type": "FailureTarget", "status": "True",
                     "lastTransitionTime": "2026-11-20T10:05:00Z"},
                    {"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
                     "lastTransitionTime": "2026-11-20T10:05:01Z"}]}
        }))
        .unwrap();
        let j = job(j);
        assert_eq!(j.cronjob.as_deref(), Some("nightly"));
        assert_eq!(j.outcome, Some(JobOutcome::Failed));
        assert_eq!(j.finished_at.unwrap().to_string(), "2026-11-20T10:05:01Z");
        let running: ApiJob = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "by-hand", "namespace": "batch"},
            "status": {"active": 1}
        }))
        .unwrap();
        let running = job(running);
        assert_eq!((running.cronjob, running.outcome), (None, None));
    }
}
