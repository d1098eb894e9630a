//! Ordering findings: causes that explain the others (a dead node) first, then the standing
//! among the reasons of a per-node message (the decisive reason before the others, background
//! reasons last), score, severity, specificity (matchers that held), and playbook order;
//! fully deterministic.

use super::Finding;
use std::cmp::Ordering;

/// Sorts findings best first.
pub fn rank(findings: &mut [Finding]) {
    findings.sort_by(compare);
}

fn compare(a: &Finding, b: &Finding) -> Ordering {
    b.rank_first
        .cmp(&a.rank_first)
        .then_with(|| b.standing.cmp(&a.standing))
        .then_with(|| b.score.total_cmp(&a.score))
        .then_with(|| b.severity.cmp(&a.severity))
        .then_with(|| b.specificity.cmp(&a.specificity))
        .then_with(|| a.order.cmp(&b.order))
        .then_with(|| a.id.cmp(&b.id))
}
