//! The report: what a run found, in the stable shape of the JSON contract (README, "JSON report"),
//! built from the engine's diagnoses. Renderers in [`render`] turn it into text or JSON.

pub mod baseline;
pub mod redact;
pub mod render;

use crate::engine::{Finding, Group, PodDiagnosis, group_findings};
use crate::evidence::SourceInfo;
use crate::playbook::Severity;
use serde::Serialize;

/// The JSON schema id; bumped on a breaking change.
pub const SCHEMA: &str = "kubedoctor.report/v1";

/// A whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub generated_at: String,
    pub source: SourceInfo,
    pub summary: Summary,
    pub groups: Vec<Group>,
    /// Pods with findings or not healthy, most severe first.
    pub pods: Vec<PodReport>,
    pub notes: Vec<String>,
    /// With `--baseline`: groups of the previous report that are gone.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resolved: Vec<Group>,
    /// How long the scan took (for the prometheus format).
    #[serde(skip)]
    pub duration_seconds: Option<f64>,
    /// `(namespace, name)` of the healthy pods without findings (not in `pods`): a JUnit
    /// report has a passing test case for each.
    #[serde(skip)]
    pub healthy_pods: Vec<(String, String)>,
    /// `namespace/name` -> index in `pods`, for group lookups in linear time.
    #[serde(skip)]
    index: std::collections::HashMap<String, usize>,
}

/// Counts: pods scanned, unhealthy, and unhealthy pods by the severity of their top finding
/// (`critical + warning + info == pods_unhealthy`).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub pods_scanned: usize,
    pub pods_unhealthy: usize,
    pub critical: usize,
    pub warning: usize,
    pub info: usize,
    /// Pods the source showed without a status and in which nothing was found wrong (named
    /// only by Normal events, a log with nothing in it): not counted unhealthy, not known
    /// healthy.
    pub pods_unknown: usize,
    /// Unhealthy pods per namespace.
    pub by_namespace: std::collections::BTreeMap<String, usize>,
}

/// One pod in the report.
#[derive(Debug, Clone, Serialize)]
pub struct PodReport {
    pub namespace: String,
    pub name: String,
    pub status: String,
    pub node: Option<String>,
    pub owner: Option<String>,
    pub findings: Vec<Finding>,
    /// `1/2`: READY as kubectl prints it (text output only).
    #[serde(skip)]
    pub ready: String,
    #[serde(skip)]
    pub restarts: i32,
    #[serde(skip)]
    pub healthy: bool,
}

impl PodReport {
    /// The severity of the top finding.
    pub fn severity(&self) -> Option<Severity> {
        self.findings.first().map(|f| f.severity)
    }
}

impl Report {
    /// Builds the report from diagnoses (in evidence order) and the source's notes.
    pub fn build(
        source: SourceInfo,
        diagnoses: Vec<PodDiagnosis>,
        notes: Vec<String>,
        generated_at: String,
    ) -> Report {
        let groups = group_findings(&diagnoses);
        let mut summary = Summary {
            pods_scanned: diagnoses.len(),
            ..Summary::default()
        };
        let mut pods = Vec::new();
        let mut healthy_pods = Vec::new();
        let mut notes = notes;
        for d in &diagnoses {
            notes.extend(d.notes.iter().cloned());
        }
        for d in diagnoses {
            // Unhealthy pods, counted once each by their top finding's severity, so the
            // counts add up. Every unhealthy pod has a finding (`unknown.unexplained` at
            // the least); one without is counted as a warning rather than lost.
            if !d.status.healthy {
                summary.pods_unhealthy += 1;
                // Pasted text may not say the namespace: those pods are not listed by one.
                if !d.namespace.is_empty() {
                    *summary.by_namespace.entry(d.namespace.clone()).or_default() += 1;
                }
                match d.severity().unwrap_or(Severity::Warning) {
                    Severity::Critical => summary.critical += 1,
                    Severity::Warning => summary.warning += 1,
                    Severity::Info => summary.info += 1,
                }
            }
            if !d.status.known && d.status.healthy {
                summary.pods_unknown += 1;
            }
            if d.findings.is_empty() && d.status.healthy {
                healthy_pods.push((d.namespace, d.name));
                continue;
            }
            pods.push(PodReport {
                namespace: d.namespace,
                name: d.name,
                status: d.status.display,
                node: d.node,
                owner: d.owner,
                findings: d.findings,
                // No container is known (a pasted event): the counts are unknown, not 0/0.
                ready: if d.status.total == 0 {
                    "?/?".to_string()
                } else {
                    format!("{}/{}", d.status.ready, d.status.total)
                },
                restarts: d.status.restarts,
                healthy: d.status.healthy,
            });
        }
        // Most severe first, then by score, then by name: stable and deterministic.
        pods.sort_by(|a, b| {
            b.severity()
                .cmp(&a.severity())
                .then_with(|| {
                    let score = |p: &PodReport| p.findings.first().map_or(0.0, |f| f.score);
                    score(b).total_cmp(&score(a))
                })
                .then_with(|| a.namespace.cmp(&b.namespace))
                .then_with(|| a.name.cmp(&b.name))
        });
        Report {
            schema: SCHEMA,
            generated_at,
            source,
            summary,
            groups,
            pods,
            notes,
            resolved: Vec::new(),
            duration_seconds: None,
            healthy_pods,
            index: Default::default(),
        }
        .indexed()
    }

    fn indexed(mut self) -> Report {
        self.index = self
            .pods
            .iter()
            .enumerate()
            .map(|(i, p)| (crate::words::qualified(&p.namespace, &p.name), i))
            .collect();
        self
    }

    /// The finding of the first pod of a group: what a group-level report quotes.
    pub fn group_finding(&self, g: &Group) -> Option<(&PodReport, &Finding)> {
        let first = g.pods.first()?;
        let pod = self.pods.get(*self.index.get(first)?)?;
        let finding = pod.findings.iter().find(|f| f.id == g.id)?;
        Some((pod, finding))
    }

    /// Problems (groups) and their pods per severity, most severe first: the totals every
    /// format's summary table shows.
    pub fn problems_by_severity(&self) -> [(Severity, usize, usize); 3] {
        [Severity::Critical, Severity::Warning, Severity::Info].map(|sev| {
            let groups = self.groups.iter().filter(|g| g.severity == sev);
            let (problems, pods) = groups.fold((0, 0), |(n, p), g| (n + 1, p + g.pods.len()));
            (sev, problems, pods)
        })
    }

    /// The most severe top finding of any unhealthy pod (what `--fail-on` compares).
    pub fn worst(&self) -> Option<Severity> {
        self.pods
            .iter()
            .filter(|p| !p.healthy)
            .filter_map(PodReport::severity)
            .max()
    }
}
