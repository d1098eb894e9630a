//! Comparing a report with the previous one (`--baseline PREVIOUS.json`): each group is
//! new or ongoing (matched by cause id and group key, not by text), ongoing groups keep their
//! previous pod (and Service) count, and groups that are gone are listed as resolved. A
//! Service problem is matched the same way: its cause id and group key (the Service's
//! `namespace/name` unless the cause names another).

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

/// Reads the groups of a previous JSON report (one written before Services were reported
/// has groups without `services`).
pub fn load(path: &Path) -> Result<Vec<GroupReport>, BaselineError> {
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
    Ok(prev
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
        .collect())
}

/// Marks the report's groups against the previous groups.
pub fn compare(report: &mut Report, previous: Vec<GroupReport>) {
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
    let ongoing: Vec<&GroupReport> = report
        .groups
        .iter()
        .filter(|g| g.change == Some(Change::Ongoing))
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
