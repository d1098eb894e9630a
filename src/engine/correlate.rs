//! Correlation across pods: pods whose top findings share a cause id and group key form
//! one group, so a report shows a few problems instead of a list of symptoms.

use super::PodDiagnosis;
use crate::playbook::Severity;
use serde::Serialize;
use std::collections::HashMap;

/// Pods that share one root cause.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    #[serde(serialize_with = "two_decimals")]
    pub score: f64,
    pub key: String,
    /// `namespace/name`, sorted.
    pub pods: Vec<String>,
    /// How many workloads (owners; a pod without one counts as its own) the pods belong to:
    /// a node problem spans several.
    #[serde(skip)]
    pub workloads: usize,
    /// With `--baseline`: `new` or `ongoing` (resolved groups are listed apart).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
    /// With `--baseline`, for an ongoing group: its pod count last time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_pods: Option<usize>,
    /// The cause explains the pods' other symptoms (a node): such groups come first.
    #[serde(skip)]
    pub rank_first: bool,
}

/// How a group compares with the baseline report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    New,
    Ongoing,
    Resolved,
}

fn two_decimals<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((v * 100.0).round() / 100.0)
}

/// Groups the top finding of each unhealthy pod by (cause id, group key); most severe,
/// largest and highest-scoring groups first.
pub fn group_findings(pods: &[PodDiagnosis]) -> Vec<Group> {
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut owners: Vec<std::collections::HashSet<String>> = Vec::new();
    for p in pods {
        // A healthy pod's findings (a finished Job) are worth knowing, not a problem.
        if p.status.healthy {
            continue;
        }
        let Some(top) = p.top() else {
            continue;
        };
        let key = (top.id.clone(), top.group_key.clone());
        let i = *index.entry(key).or_insert_with(|| {
            groups.push(Group {
                id: top.id.clone(),
                title: top.title.clone(),
                severity: top.severity,
                score: top.score,
                key: top.group_key.clone(),
                pods: Vec::new(),
                workloads: 0,
                change: None,
                previous_pods: None,
                rank_first: top.rank_first,
            });
            owners.push(Default::default());
            groups.len() - 1
        });
        let g = &mut groups[i];
        g.score = g.score.max(top.score);
        g.pods.push(p.key());
        owners[i].insert(p.owner.clone().unwrap_or_else(|| p.key()));
    }
    for (g, o) in groups.iter_mut().zip(&owners) {
        g.pods.sort();
        g.workloads = o.len();
    }
    // Node problems first (they explain the pods' problems), then severity, size, score.
    groups.sort_by(|a, b| {
        b.rank_first
            .cmp(&a.rank_first)
            .then_with(|| b.severity.cmp(&a.severity))
            .then_with(|| b.pods.len().cmp(&a.pods.len()))
            .then_with(|| b.score.total_cmp(&a.score))
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| a.key.cmp(&b.key))
    });
    groups
}
