//! Event histories the scenarios' shapes expand into: how a failed pull, a crash loop and an
//! unschedulable pod look in events and conditions.

use super::builders::*;
use super::sample::Sample;
use serde_json::json;

/// A pod the scheduler cannot place: no node, Pending, containers without status, the
/// `PodScheduled=False` condition and one `FailedScheduling` event with `msg`.
pub fn unschedulable(s: &mut Sample, p: PodB, msg: &str) -> PodB {
    let mut p = p.node(None).phase("Pending");
    for c in &mut p.ctrs {
        c.state = None;
        c.ready = false;
    }
    let conds = vec![
        json!({"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": msg,
        "lastProbeTime": null, "lastTransitionTime": at(901)}),
    ];
    let p = p.conditions(conds);
    s.pod_events(
        &p,
        &[("Warning", "FailedScheduling", msg, 1, 901, 3500, None)],
    );
    p
}

pub fn pull_fail(s: &mut Sample, p: &PodB, ctr: &str, image: &str, err: &str) {
    let node = p.node.clone().unwrap_or_default();
    s.pod_events(
        p,
        &[
            (
                "Normal",
                "Scheduled",
                &format!("Successfully assigned {}/{} to {node}", p.ns, p.name),
                1,
                600,
                600,
                None,
            ),
            (
                "Normal",
                "Pulling",
                &format!("Pulling image \"{image}\""),
                5,
                601,
                3100,
                Some(ctr),
            ),
            (
                "Warning",
                "Failed",
                &format!("Failed to pull image \"{image}\": {err}"),
                5,
                602,
                3101,
                Some(ctr),
            ),
            (
                "Warning",
                "Failed",
                "Error: ErrImagePull",
                5,
                602,
                3101,
                Some(ctr),
            ),
            (
                "Normal",
                "BackOff",
                &format!("Back-off pulling image \"{image}\""),
                96,
                603,
                3590,
                Some(ctr),
            ),
            (
                "Warning",
                "Failed",
                "Error: ImagePullBackOff",
                96,
                603,
                3590,
                Some(ctr),
            ),
        ],
    );
}

pub fn crash_events(s: &mut Sample, p: &PodB, ctr: &str, image: &str, restarts: i32) {
    s.normal_start(p, ctr, image);
    s.pod_events(
        p,
        &[
            (
                "Normal",
                "Pulled",
                &format!("Container image \"{image}\" already present on machine"),
                restarts,
                400,
                3300,
                Some(ctr),
            ),
            (
                "Warning",
                "BackOff",
                &format!(
                    "Back-off restarting failed container {ctr} in pod {}",
                    p.full()
                ),
                restarts * 10,
                420,
                3590,
                Some(ctr),
            ),
        ],
    );
}
