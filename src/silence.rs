//! Accepted problems, one model for both places they are written: the configuration's
//! `ignore:` rules and the `kubedoctor.io/ignore` annotation of a workload's pods
//! ([`annotation`]). Each becomes a [`Rule`]; [`apply`] removes the diagnoses an unexpired
//! rule matches (they are not counted as problems, not sent, not failing) and says what each
//! rule did.

pub mod annotation;

use crate::engine::{Finding, PodDiagnosis, ServiceDiagnosis};
use crate::glob;
use serde::Deserialize;

/// An accepted problem: pods and Services whose top finding it matches leave the report. A
/// rule with `pod` or `owner` is about pods only, one with `service` about Services only;
/// one with neither matches both. Every field but `until` and `reason` is a glob.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub cause: String,
    #[serde(default)]
    pub namespace: Option<String>,
    #[serde(default)]
    pub pod: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    /// A glob on the Service's name.
    #[serde(default)]
    pub service: Option<String>,
    #[serde(default)]
    pub until: Option<jiff::civil::Date>,
    #[serde(default)]
    pub reason: Option<String>,
    /// Where the rule was written, for notes.
    #[serde(skip)]
    pub origin: Origin,
}

/// Where a rule was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Origin {
    /// The configuration's `ignore:` list, numbered from 1 (0 before it is numbered).
    #[default]
    Config,
    /// Rule `n` of the configuration's `ignore:` list, from 1.
    ConfigRule(usize),
    /// The annotation on a pod: `deployment/web in shop`, or `pod shop/web-1` for a pod of
    /// no workload.
    Annotation(String),
}

impl Rule {
    /// Whether the rule's cause and namespace match a top finding in a namespace.
    fn matches_finding(&self, top: Option<&Finding>, namespace: &str) -> bool {
        top.is_some_and(|top| glob::matches(&self.cause, &top.id))
            && self
                .namespace
                .as_deref()
                .is_none_or(|g| glob::matches(g, namespace))
    }

    /// Whether the rule silences a Service's diagnosis.
    pub fn matches_service(&self, d: &ServiceDiagnosis) -> bool {
        self.pod.is_none()
            && self.owner.is_none()
            && self.matches_finding(d.top(), &d.namespace)
            && self
                .service
                .as_deref()
                .is_none_or(|g| glob::matches(g, &d.name))
    }

    /// Whether the rule silences a pod's diagnosis.
    pub fn matches(&self, d: &PodDiagnosis) -> bool {
        self.service.is_none()
            && self.matches_finding(d.top(), &d.namespace)
            && self
                .pod
                .as_deref()
                .is_none_or(|g| glob::matches(g, &d.name))
            && self
                .owner
                .as_deref()
                .is_none_or(|g| d.owner.as_deref().is_some_and(|o| glob::matches(g, o)))
    }

    /// `ignore rule 2 (cause image.rate-limit, namespace ci-*: reason)` or
    /// `annotation `kubedoctor.io/ignore` on deployment/web in shop (cause image.*)`, for
    /// notes. Rules with the same label are said together.
    pub fn label(&self) -> String {
        match &self.origin {
            Origin::Config | Origin::ConfigRule(_) => {
                let mut s = format!("cause {}", self.cause);
                for (what, v) in [
                    ("namespace", &self.namespace),
                    ("pod", &self.pod),
                    ("owner", &self.owner),
                    ("service", &self.service),
                ] {
                    if let Some(v) = v {
                        s.push_str(&format!(", {what} {v}"));
                    }
                }
                if let Some(r) = &self.reason {
                    s.push_str(&format!(": {r}"));
                }
                match self.origin {
                    Origin::ConfigRule(n) => format!("ignore rule {n} ({s})"),
                    _ => format!("an ignore rule ({s})"),
                }
            }
            Origin::Annotation(on) => format!(
                "annotation `{}` on {on} (cause {})",
                annotation::ANNOTATION,
                self.cause
            ),
        }
    }

    fn expired(&self, today: jiff::civil::Date) -> bool {
        self.until.is_some_and(|until| until < today)
    }
}

/// What the rules did in a run, as notes for the report.
#[derive(Debug, Default)]
pub struct Silenced {
    /// Rules past their `until` date, not applied (also worth a warning on stderr).
    pub expired: Vec<String>,
    /// How many pods and Services each applied rule silenced.
    pub applied: Vec<String>,
    /// Services silenced (they were scanned: the summary still counts them).
    pub services: usize,
}

/// Removes the diagnoses of pods and Services that an unexpired rule matches (the first
/// such rule takes it); says how many pods and Services each rule silenced, and which rules
/// had expired (and were not applied). Rules with the same label are said once.
pub fn apply(
    rules: &[Rule],
    diagnoses: &mut Vec<PodDiagnosis>,
    services: &mut Vec<ServiceDiagnosis>,
    today: jiff::civil::Date,
) -> Silenced {
    let labels: Vec<String> = rules.iter().map(Rule::label).collect();
    let mut expired: Vec<String> = Vec::new();
    for (r, label) in rules.iter().zip(&labels) {
        if let Some(until) = r.until.filter(|_| r.expired(today)) {
            let note = format!("{label} expired on {until} and was not applied");
            if !expired.contains(&note) {
                expired.push(note);
            }
        }
    }
    let first = |is: &dyn Fn(&Rule) -> bool| rules.iter().position(|r| !r.expired(today) && is(r));
    let mut pods = vec![0usize; rules.len()];
    let mut silenced_services = vec![0usize; rules.len()];
    diagnoses.retain(|d| match first(&|r| r.matches(d)) {
        Some(i) => {
            pods[i] += 1;
            false
        }
        None => true,
    });
    services.retain(|d| match first(&|r| r.matches_service(d)) {
        Some(i) => {
            silenced_services[i] += 1;
            false
        }
        None => true,
    });
    // (label, pods, Services), in the order of the rules.
    let mut counts: Vec<(&str, usize, usize)> = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        let (p, s) = (pods[i], silenced_services[i]);
        if p + s == 0 {
            continue;
        }
        match counts.iter_mut().find(|(l, ..)| l == label) {
            Some(c) => {
                c.1 += p;
                c.2 += s;
            }
            None => counts.push((label, p, s)),
        }
    }
    let applied = counts
        .into_iter()
        .map(|(label, pods, services)| {
            let what = match (pods, services) {
                (p, 0) => crate::words::count(p as u64, "pod", "pods"),
                (0, s) => crate::words::count(s as u64, "Service", "Services"),
                (p, s) => format!(
                    "{} and {}",
                    crate::words::count(p as u64, "pod", "pods"),
                    crate::words::count(s as u64, "Service", "Services")
                ),
            };
            format!("{what} silenced by {label}")
        })
        .collect();
    Silenced {
        expired,
        applied,
        services: silenced_services.iter().sum(),
    }
}
