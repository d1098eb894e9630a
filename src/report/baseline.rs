//! Comparing a report with the previous one (`--baseline PREVIOUS.json`): each group is
//! new or ongoing (matched by cause id and group key, not by text), ongoing groups keep their
//! previous pod (and Service) count, and groups that are gone are listed as resolved. A
//! Service problem is matched the same way: its cause id and group key (the Service's
//! `namespace/name` unless the cause names another).
//!
//! A baseline written by another version is upgraded first: its report says how its
//! problems were grouped (`grouping_revision`; none before revision 2). Cause ids renamed
//! since are mapped by [`RENAMED`]; where grouping changed in a way no table maps
//! ([`REGROUPED`]), the run re-baselines: it compares nothing, says why in a note and in the
//! webhook message, and the next run compares with its report — instead of posting every
//! problem as new and every old one as resolved.

use super::{GroupReport, Report};
use crate::engine::{Change, Group};
use std::collections::HashMap;
use std::path::Path;

/// Why a baseline could not be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read the baseline `{path}`: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the baseline `{path}` is not a kubedoctor JSON report: {detail}")]
    Format { path: String, detail: String },
}

/// How this version groups problems. Raise it when a cause id or a group key changes, and
/// add a line to [`RENAMED`] (an id renamed) or [`REGROUPED`] (anything a table cannot map).
pub const GROUPING_REVISION: u32 = 3;

/// Cause ids renamed: (the revision that renamed it, old id, new id).
pub const RENAMED: &[(u32, &str, &str)] = &[];

/// Grouping changes no table maps: (the revision that made it, what changed).
pub const REGROUPED: &[(u32, &str)] = &[
    (
        2,
        "the clients of a broken Service join the Service's problem, and reports say how they group",
    ),
    (
        3,
        "the pods of a CronJob's runs group by the CronJob (`NS/cronjob/NAME`), not by each run's Job",
    ),
];

/// A previous report's groups and the grouping revision it was written with.
#[derive(Debug, Default)]
pub struct Baseline {
    pub groups: Vec<GroupReport>,
    /// `grouping_revision` of the report; 1 for reports written before it was recorded.
    pub revision: u32,
}

/// Reads the groups of a previous JSON report (one written before Services were reported
/// has groups without `services`).
pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
    let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| BaselineError::Format {
        path: path.display().to_string(),
        detail: e.to_string(),
    })?;
    if !v["schema"]
        .as_str()
        .is_some_and(|s| s.starts_with("kubedoctor.report/"))
    {
        return Err(BaselineError::Format {
            path: path.display().to_string(),
            detail: "no `schema: kubedoctor.report/...`".into(),
        });
    }
    #[derive(serde::Deserialize)]
    struct Prev {
        id: String,
        title: String,
        severity: crate::playbook::Severity,
        score: f64,
        key: String,
        pods: Vec<String>,
        #[serde(default)]
        services: Vec<String>,
    }
    let prev: Vec<Prev> =
        serde_json::from_value(v["groups"].clone()).map_err(|e| BaselineError::Format {
            path: path.display().to_string(),
            detail: format!("groups: {e}"),
        })?;
    let revision = v["grouping_revision"]
        .as_u64()
        .and_then(|r| u32::try_from(r).ok())
        .unwrap_or(1);
    let groups = prev
        .into_iter()
        .map(|p| GroupReport {
            group: Group {
                id: p.id,
                title: p.title,
                severity: p.severity,
                score: p.score,
                key: p.key,
                workloads: 0,
                pods: p.pods,
                change: None,
                previous_pods: None,
                rank_first: false,
            },
            services: p.services,
            previous_services: None,
        })
        .collect();
    Ok(Baseline { groups, revision })
}

/// A baseline's groups in this version's terms: ids renamed since its revision mapped, or
/// why it cannot be (a grouping change no table maps, or a newer version's baseline).
fn upgrade(
    mut baseline: Baseline,
    current: u32,
    renamed: &[(u32, &str, &str)],
    regrouped: &[(u32, &str)],
) -> Result<Vec<GroupReport>, String> {
    let from = baseline.revision;
    if from > current {
        return Err(format!(
            "the baseline was written by a newer kubedoctor (grouping revision {from}, this one {current})"
        ));
    }
    if let Some((_, what)) = regrouped.iter().find(|(r, _)| *r > from) {
        return Err(format!(
            "the baseline was written by an earlier kubedoctor (grouping revision {from}, this one {current}): {what}"
        ));
    }
    for (_, old, new) in renamed.iter().filter(|(r, ..)| *r > from) {
        for g in baseline.groups.iter_mut().filter(|g| g.id == *old) {
            g.group.id = new.to_string();
        }
    }
    Ok(baseline.groups)
}

/// Marks the report's groups against the previous report's, upgraded to this version's
/// grouping; re-baselines (marks nothing, says why) when it cannot be.
pub fn compare(report: &mut Report, previous: Baseline) {
    let previous = match upgrade(previous, GROUPING_REVISION, RENAMED, REGROUPED) {
        Ok(groups) => groups,
        Err(why) => {
            let note = format!(
                "{why}; this run re-baselines: nothing is compared, the next run compares with this report"
            );
            report.notes.push(note.clone());
            report.rebaselined = Some(note);
            return;
        }
    };
    let mut prev: HashMap<(String, String), GroupReport> = previous
        .into_iter()
        .map(|g| ((g.id.clone(), g.key.clone()), g))
        .collect();
    for g in &mut report.groups {
        match prev.remove(&(g.id.clone(), g.key.clone())) {
            Some(old) => {
                g.change = Some(Change::Ongoing);
                g.previous_pods = Some(old.pods.len());
                if !old.services.is_empty() || !g.services.is_empty() {
                    g.previous_services = Some(old.services.len());
                }
            }
            None => g.change = Some(Change::New),
        }
    }
    let mut resolved: Vec<GroupReport> = prev.into_values().collect();
    for g in &mut resolved {
        g.change = Some(Change::Resolved);
    }
    resolved.sort_by(|a, b| (&a.id, &a.key).cmp(&(&b.id, &b.key)));
    report.resolved = resolved;
}

/// One line saying what changed: `2 new, 3 ongoing (1 grew), 1 resolved`.
pub fn change_line(report: &Report) -> Option<String> {
    let new = report
        .groups
        .iter()
        .filter(|g| g.change == Some(Change::New))
        .count();
    // Ongoing problems `--only-new` leaves out still count.
    let ongoing: Vec<&GroupReport> = report
        .groups
        .iter()
        .filter(|g| g.change == Some(Change::Ongoing))
        .chain(&report.hidden_ongoing)
        .collect();
    if new == 0
        && ongoing.is_empty()
        && report.resolved.is_empty()
        && report.groups.iter().all(|g| g.change.is_none())
    {
        return None;
    }
    // Pods and Services together: a problem grew when it has more of them than last time.
    let before = |g: &GroupReport| {
        g.previous_pods
            .map(|p| p + g.previous_services.unwrap_or_default())
    };
    let grew = ongoing
        .iter()
        .filter(|g| before(g).is_some_and(|p| g.size() > p))
        .count();
    let shrank = ongoing
        .iter()
        .filter(|g| before(g).is_some_and(|p| g.size() < p))
        .count();
    Some(format!(
        "since the baseline: {new} new, {} ongoing ({grew} grew, {shrank} shrank), {} resolved",
        ongoing.len(),
        report.resolved.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::{Baseline, upgrade};
    use crate::engine::Group;
    use crate::playbook::Severity;
    use crate::report::GroupReport;

    fn group(id: &str) -> GroupReport {
        GroupReport::of_pods(Group {
            id: id.into(),
            title: String::new(),
            severity: Severity::Critical,
            score: 0.9,
            key: "shop/api".into(),
            workloads: 1,
            pods: vec!["shop/api-1".into()],
            change: None,
            previous_pods: None,
            rank_first: false,
        })
    }

    fn baseline(revision: u32) -> Baseline {
        Baseline {
            groups: vec![group("crash.oom-old"), group("image.auth")],
            revision,
        }
    }

    #[test]
    fn a_baseline_is_upgraded_by_the_tables_or_rebaselined() {
        let renamed = [(3, "crash.oom-old", "crash.oom")];
        let regrouped = [(2, "keys changed")];
        // Written at revision 2, read by revision 3: the renamed id is mapped.
        let ids: Vec<String> = upgrade(baseline(2), 3, &renamed, &regrouped)
            .unwrap()
            .iter()
            .map(|g| g.id.clone())
            .collect();
        assert_eq!(ids, ["crash.oom", "image.auth"]);
        // The same revision: nothing to do.
        let same = upgrade(baseline(3), 3, &renamed, &regrouped).unwrap();
        assert_eq!(same[0].id, "crash.oom-old");
        // From before a grouping change no table maps: re-baseline, saying why.
        let why = upgrade(baseline(1), 3, &renamed, &regrouped).unwrap_err();
        assert!(
            why.contains("revision 1") && why.contains("keys changed"),
            "{why}"
        );
        // A newer version's baseline: re-baseline too.
        let why = upgrade(baseline(4), 3, &renamed, &regrouped).unwrap_err();
        assert!(why.contains("newer"), "{why}");
    }
}
