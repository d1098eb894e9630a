//! The report: what a run found, in the stable shape of the JSON contract (docs/REPORT.md),
//! built from the engine's diagnoses of pods and of Services. Renderers in [`render`] turn it
//! into text or JSON.
//!
//! Problems (`groups`) are the engine's groups of pods ([`group_findings`]) with the Services
//! added here: a Service whose top finding is a warning or worse joins the group of its cause
//! id and group key (the Service's `namespace/name` when the cause names no other), so a
//! Service problem is compared with a baseline, counted, posted and failed on like a pod's.

pub mod baseline;
mod fail_on;
mod only_new;
pub mod redact;
pub mod render;

use crate::engine::{Change, Finding, Group, PodDiagnosis, ServiceDiagnosis, group_findings};
use crate::evidence::SourceInfo;
use crate::playbook::Severity;
pub use fail_on::FailOn;
use serde::Serialize;

/// The JSON schema id; bumped on a breaking change.
pub const SCHEMA: &str = "kubedoctor.report/v1";

/// A whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema: &'static str,
    /// The kubedoctor that wrote it (added in v1).
    pub kubedoctor_version: &'static str,
    /// How its problems are grouped ([`baseline::GROUPING_REVISION`]): a baseline of another
    /// revision is upgraded or re-baselined (added in v1).
    pub grouping_revision: u32,
    pub generated_at: String,
    pub source: SourceInfo,
    pub summary: Summary,
    pub groups: Vec<GroupReport>,
    /// Pods with findings or not healthy, most severe first.
    pub pods: Vec<PodReport>,
    /// Services with findings, most severe first (added in v1).
    pub services: Vec<ServiceReport>,
    pub notes: Vec<String>,
    /// With `--baseline`: groups of the previous report that are gone.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resolved: Vec<GroupReport>,
    /// With `--baseline`: why this run re-baselines instead of comparing (a baseline whose
    /// grouping no table maps to this version's); said in a note and in webhook messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rebaselined: Option<String>,
    /// How long the scan took (for the prometheus format).
    #[serde(skip)]
    pub duration_seconds: Option<f64>,
    /// `(namespace, name)` of the healthy pods without findings (not in `pods`): a JUnit
    /// report has a passing test case for each.
    #[serde(skip)]
    pub healthy_pods: Vec<(String, String)>,
    /// `(namespace, name)` of the Services scanned without findings (not in `services`): a
    /// JUnit report has a passing test case for each.
    #[serde(skip)]
    pub healthy_services: Vec<(String, String)>,
    /// Ongoing problems `--only-new` leaves out of what a person reads: still counted in the
    /// line saying what changed since the baseline.
    #[serde(skip)]
    pub hidden_ongoing: Vec<GroupReport>,
    /// `namespace/name` -> index in `pods`, for group lookups in linear time.
    #[serde(skip)]
    index: std::collections::HashMap<String, usize>,
    /// `namespace/name` -> index in `services`.
    #[serde(skip)]
    service_index: std::collections::HashMap<String, usize>,
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
    /// Services scanned (added in v1).
    pub services_scanned: usize,
    /// Services whose top finding is a warning or worse (added in v1); not in `critical`,
    /// `warning` and `info`, which count pods.
    pub services_unhealthy: usize,
}

/// One problem: the engine's group of pods, and the Services whose top finding has the
/// same cause id and group key. Reads as the [`Group`] it wraps.
#[derive(Debug, Clone, Serialize)]
pub struct GroupReport {
    #[serde(flatten)]
    pub group: Group,
    /// `namespace/name` of the Services, sorted (added in v1; empty for a problem of pods).
    pub services: Vec<String>,
    /// With `--baseline`, for an ongoing group with Services now or then: its Service count
    /// last time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_services: Option<usize>,
}

impl GroupReport {
    /// A problem of pods only.
    pub fn of_pods(group: Group) -> GroupReport {
        GroupReport {
            group,
            services: Vec::new(),
            previous_services: None,
        }
    }

    /// Pods and Services in the problem.
    pub fn size(&self) -> usize {
        self.group.pods.len() + self.services.len()
    }
}

impl std::ops::Deref for GroupReport {
    type Target = Group;
    fn deref(&self) -> &Group {
        &self.group
    }
}

impl std::ops::DerefMut for GroupReport {
    fn deref_mut(&mut self) -> &mut Group {
        &mut self.group
    }
}

/// One Service in the report.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceReport {
    pub namespace: String,
    pub name: String,
    /// `ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalName`; empty when the source did not
    /// show it.
    #[serde(rename = "type")]
    pub type_: String,
    pub findings: Vec<Finding>,
    /// The pods its selector matches, as `namespace/name` (text output only).
    #[serde(skip)]
    pub pods: Vec<String>,
    /// Pods whose configured addresses name it, as `namespace/name` (text output only).
    #[serde(skip)]
    pub clients: Vec<String>,
}

impl ServiceReport {
    /// `namespace/name`.
    pub fn key(&self) -> String {
        crate::words::qualified(&self.namespace, &self.name)
    }

    /// The severity of the top finding.
    pub fn severity(&self) -> Option<Severity> {
        self.findings.first().map(|f| f.severity)
    }

    /// A problem: the top finding is a warning or worse (an info finding is worth knowing,
    /// like a finished Job's, but not counted, grouped or failed on).
    pub fn unhealthy(&self) -> bool {
        self.severity().is_some_and(|s| s >= Severity::Warning)
    }
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
    /// Builds the report from the diagnoses of pods and Services (in evidence order) and the
    /// source's notes.
    pub fn build(
        source: SourceInfo,
        diagnoses: Vec<PodDiagnosis>,
        services: Vec<ServiceDiagnosis>,
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
            // Pods of one Job say the same history once.
            for n in &d.notes {
                if !notes.contains(n) {
                    notes.push(n.clone());
                }
            }
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
        let (services, healthy_services) = service_reports(services, &mut summary);
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
        let groups = with_services(groups, &services);
        Report {
            schema: SCHEMA,
            kubedoctor_version: env!("CARGO_PKG_VERSION"),
            grouping_revision: baseline::GROUPING_REVISION,
            generated_at,
            source,
            summary,
            groups,
            pods,
            services,
            notes,
            resolved: Vec::new(),
            rebaselined: None,
            duration_seconds: None,
            healthy_pods,
            healthy_services,
            hidden_ongoing: Vec::new(),
            index: Default::default(),
            service_index: Default::default(),
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
        self.service_index = self
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.key(), i))
            .collect();
        self
    }

    /// The finding of the first pod of a group (of its first Service when it has no pod):
    /// what a group-level report quotes.
    pub fn group_finding(&self, g: &GroupReport) -> Option<&Finding> {
        let of_pod = || {
            let pod = self.pods.get(*self.index.get(g.pods.first()?)?)?;
            pod.findings.iter().find(|f| f.id == g.id)
        };
        let of_service = || {
            let service = self
                .services
                .get(*self.service_index.get(g.services.first()?)?)?;
            service.findings.iter().find(|f| f.id == g.id)
        };
        of_pod().or_else(of_service)
    }

    /// Problems (groups), their pods and their Services per severity, most severe first:
    /// the totals every format's summary table shows.
    pub fn problems_by_severity(&self) -> [ProblemCount; 3] {
        [Severity::Critical, Severity::Warning, Severity::Info].map(|severity| {
            let groups = self.groups.iter().filter(|g| g.severity == severity);
            groups.fold(
                ProblemCount {
                    severity,
                    problems: 0,
                    pods: 0,
                    services: 0,
                },
                |mut c, g| {
                    c.problems += 1;
                    c.pods += g.pods.len();
                    c.services += g.services.len();
                    c
                },
            )
        })
    }

    /// The most severe top finding of any unhealthy pod or Service (what `--fail-on`
    /// compares).
    pub fn worst(&self) -> Option<Severity> {
        let pods = self
            .pods
            .iter()
            .filter(|p| !p.healthy)
            .filter_map(PodReport::severity);
        let services = self
            .services
            .iter()
            .filter(|s| s.unhealthy())
            .filter_map(ServiceReport::severity);
        pods.chain(services).max()
    }

    /// `--fail-on`: a top finding of an unhealthy pod or Service at or above `threshold`;
    /// with `only_new`, a new problem at or above it.
    pub fn fails_on(&self, threshold: Severity, only_new: bool) -> bool {
        if only_new {
            return self
                .groups
                .iter()
                .any(|g| g.change == Some(Change::New) && g.severity >= threshold);
        }
        self.worst().is_some_and(|w| w >= threshold)
    }
}

/// One row of the summary table: a severity, its problems, and their pods and Services.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProblemCount {
    pub severity: Severity,
    pub problems: usize,
    pub pods: usize,
    pub services: usize,
}

/// The Services with findings, most severe first, and the names of the others; counts them
/// into the summary.
fn service_reports(
    diagnoses: Vec<ServiceDiagnosis>,
    summary: &mut Summary,
) -> (Vec<ServiceReport>, Vec<(String, String)>) {
    summary.services_scanned = diagnoses.len();
    let mut services = Vec::new();
    let mut healthy = Vec::new();
    for d in diagnoses {
        if d.findings.is_empty() {
            healthy.push((d.namespace, d.name));
            continue;
        }
        let s = ServiceReport {
            namespace: d.namespace,
            name: d.name,
            type_: d.type_,
            findings: d.findings,
            pods: d.pods,
            clients: d.clients,
        };
        if s.unhealthy() {
            summary.services_unhealthy += 1;
        }
        services.push(s);
    }
    services.sort_by(|a, b| {
        b.severity()
            .cmp(&a.severity())
            .then_with(|| {
                let score = |s: &ServiceReport| s.findings.first().map_or(0.0, |f| f.score);
                score(b).total_cmp(&score(a))
            })
            .then_with(|| a.namespace.cmp(&b.namespace))
            .then_with(|| a.name.cmp(&b.name))
    });
    (services, healthy)
}

/// The group key of a Service's finding: the cause's own, else the Service's `namespace/name`.
fn service_group_key(service: &ServiceReport, finding: &Finding) -> String {
    if finding.group_key.is_empty() {
        service.key()
    } else {
        finding.group_key.clone()
    }
}

/// The pods' groups with the unhealthy Services added: each to the group of its top
/// finding's cause id and group key, a new group when no pod has it; then ranked as the
/// engine ranks pod groups, counting pods and Services together.
fn with_services(groups: Vec<Group>, services: &[ServiceReport]) -> Vec<GroupReport> {
    let mut groups: Vec<GroupReport> = groups.into_iter().map(GroupReport::of_pods).collect();
    if services.is_empty() {
        return groups;
    }
    let mut index: std::collections::HashMap<(String, String), usize> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| ((g.id.clone(), g.key.clone()), i))
        .collect();
    for s in services.iter().filter(|s| s.unhealthy()) {
        let Some(top) = s.findings.first() else {
            continue;
        };
        let key = service_group_key(s, top);
        let i = *index
            .entry((top.id.clone(), key.clone()))
            .or_insert_with(|| {
                groups.push(GroupReport::of_pods(Group {
                    id: top.id.clone(),
                    title: top.title.clone(),
                    severity: top.severity,
                    score: top.score,
                    key,
                    pods: Vec::new(),
                    workloads: 0,
                    change: None,
                    previous_pods: None,
                    rank_first: top.rank_first,
                }));
                groups.len() - 1
            });
        let g = &mut groups[i];
        g.group.score = g.group.score.max(top.score);
        g.group.severity = g.group.severity.max(top.severity);
        g.services.push(s.key());
    }
    for g in &mut groups {
        g.services.sort();
    }
    // As `engine::group_findings` ranks: node problems first, then severity, size, score.
    groups.sort_by(|a, b| {
        b.rank_first
            .cmp(&a.rank_first)
            .then_with(|| b.severity.cmp(&a.severity))
            .then_with(|| b.size().cmp(&a.size()))
            .then_with(|| b.score.total_cmp(&a.score))
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| a.key.cmp(&b.key))
    });
    groups
}
