//! Findings: a cause that matched a pod, with its evidence, explanation and fixes filled in.

use super::context::Context;
use super::eval::Outcome;
use super::vars::variables;
use crate::playbook::{Cause, Severity};
use crate::status::PodStatus;
use serde::Serialize;

/// Where a quoted evidence line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceSource {
    Event,
    Log,
    Journal,
    Pod,
    Container,
    Node,
}

impl EvidenceSource {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceSource::Event => "event",
            EvidenceSource::Log => "log",
            EvidenceSource::Journal => "journal",
            EvidenceSource::Pod => "pod",
            EvidenceSource::Container => "container",
            EvidenceSource::Node => "node",
        }
    }
}

/// One quoted line of evidence.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct EvidenceLine {
    pub source: EvidenceSource,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// A fix with its command filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixLine {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

/// A cause that matched one pod.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    #[serde(serialize_with = "two_decimals")]
    pub score: f64,
    pub explain: String,
    pub evidence: Vec<EvidenceLine>,
    pub fixes: Vec<FixLine>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// What evidence would tell this cause apart from the others (second opinions).
    #[serde(skip)]
    pub tell_apart: Option<String>,
    /// The container the finding is about, if any.
    #[serde(skip)]
    pub container: Option<String>,
    /// Pods whose findings share cause id and this key form one group.
    #[serde(skip)]
    pub group_key: String,
    #[serde(skip)]
    pub rank_first: bool,
    #[serde(skip)]
    pub specificity: usize,
    /// Position of the cause in the playbooks (earlier is more specific).
    #[serde(skip)]
    pub order: usize,
}

fn two_decimals<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((v * 100.0).round() / 100.0)
}

impl Finding {
    /// The one line to quote when there is room for one: what happened (an event, a log or
    /// journal line, a node condition) before the container state, and that before a pod's
    /// status summary, which only restates the symptom.
    pub fn telling_evidence(&self) -> Option<&EvidenceLine> {
        let rank = |s: EvidenceSource| match s {
            EvidenceSource::Event | EvidenceSource::Log | EvidenceSource::Journal => 0,
            EvidenceSource::Node => 1,
            EvidenceSource::Container => 2,
            EvidenceSource::Pod => 3,
        };
        self.evidence.iter().min_by_key(|e| rank(e.source))
    }

    pub(super) fn build(
        cause: &Cause,
        ctx: &Context,
        out: Outcome,
        score: f64,
        specificity: usize,
        order: usize,
    ) -> Finding {
        let mut vars = variables(ctx);
        vars.extend(out.captures);
        let group_key = cause
            .group_by
            .iter()
            .map(|k| vars.get(k).cloned().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("/");
        let severity = cause
            .severity_by
            .iter()
            .find(|(re, _)| ctx.status.keys.iter().any(|k| re.is_match(k)))
            .map_or(cause.severity, |(_, s)| *s);
        Finding {
            id: cause.id.clone(),
            title: cause.title.clone(),
            severity,
            score,
            explain: cause.explain.render(&vars),
            evidence: out.evidence,
            fixes: cause
                .fixes
                .iter()
                .map(|f| FixLine {
                    text: f.text.render(&vars),
                    command: f.command.as_ref().map(|c| c.render(&vars)),
                })
                .collect(),
            docs: cause.docs.clone(),
            tell_apart: cause.tell_apart.as_ref().map(|t| t.render(&vars)),
            container: ctx.container.map(|c| c.name.clone()),
            group_key,
            rank_first: cause.rank_first,
            specificity,
            order,
        }
    }
}

/// The diagnosis of one pod: its status and ranked findings, best first.
#[derive(Debug, Clone)]
pub struct PodDiagnosis {
    pub namespace: String,
    pub name: String,
    pub node: Option<String>,
    /// `deployment/web`, `statefulset/db`, `node/worker-1` (static pod), ...
    pub owner: Option<String>,
    pub status: PodStatus,
    pub findings: Vec<Finding>,
    /// What the diagnosis of this pod assumed (an inferred status).
    pub notes: Vec<String>,
}

impl PodDiagnosis {
    /// `namespace/name`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// The best finding.
    pub fn top(&self) -> Option<&Finding> {
        self.findings.first()
    }

    /// The severity of the top finding.
    pub fn severity(&self) -> Option<Severity> {
        self.top().map(|f| f.severity)
    }
}
