//! The status of a pod whose source showed none (pasted events, logs, a describe fragment),
//! inferred from its evidence by the `infer` rules of the playbooks: `Back-off restarting
//! failed container` means CrashLoopBackOff, a failed pull ErrImagePull, `FailedScheduling`
//! Pending. The furthest stage of a pod's life wins; the pod is then diagnosed by the
//! playbooks of that status only, as if the source had shown it.

use super::eval::{Outcome, Truth, eval_all};
use super::subject::Subject;
use crate::playbook::Playbooks;
use crate::status::PodStatus;

/// Infers a status for the pod of `base` (whose status is unknown).
pub fn infer(base: &Subject, playbooks: &Playbooks) -> Option<PodStatus> {
    let mut best: Option<(u8, String, String)> = None;
    for (_, rule) in playbooks.infer_rules() {
        if best
            .as_ref()
            .is_some_and(|(stage, _, _)| *stage >= rule.stage)
        {
            continue;
        }
        let subjects: Vec<_> = if base.pod.all_containers().next().is_none() {
            vec![None]
        } else {
            base.pod.all_containers().map(Some).collect()
        };
        for subject in subjects {
            let ctx = base.with_container(subject);
            let mut out = Outcome::default();
            if eval_all(&rule.when, &ctx, &mut out) != Truth::True {
                continue;
            }
            let Some(line) = out.evidence.first() else {
                continue;
            };
            best = Some((rule.stage, rule.status.clone(), line.text.clone()));
            break;
        }
    }
    let (_, status, from) = best?;
    Some(PodStatus::inferred(base.pod, &status, from))
}
