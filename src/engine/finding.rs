//! Findings: a cause that matched a pod, with its evidence, explanation and fixes filled in.

use super::eval::Outcome;
use super::subject::Subject;
use super::vars::variables;
use crate::playbook::{Cause, Detail, Fix, Severity, UNKNOWN};
use crate::status::PodStatus;
use serde::Serialize;
use std::collections::BTreeMap;

/// Where a quoted evidence line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceKind {
    Event,
    Log,
    Journal,
    Pod,
    Container,
    Node,
    /// A Service: its selector, ports, endpoints.
    Service,
}

impl EvidenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Event => "event",
            EvidenceKind::Log => "log",
            EvidenceKind::Journal => "journal",
            EvidenceKind::Pod => "pod",
            EvidenceKind::Container => "container",
            EvidenceKind::Node => "node",
            EvidenceKind::Service => "service",
        }
    }
}

/// One quoted line of evidence.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct EvidenceLine {
    pub source: EvidenceKind,
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
    /// One word more about the cause, from the values its playbook documents (`refused`,
    /// `timeout`, `unknown`; a quota's resource name); absent for causes without `detail`.
    /// Not part of the group key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Sentences said after `explain` in the formats for people: the detail in words, how
    /// the scheduler's reasons rank.
    #[serde(skip)]
    pub said: Vec<String>,
    /// Where the cause stands among the reasons of a message that counts nodes per reason.
    #[serde(skip)]
    pub standing: Standing,
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

/// How a cause stands among the reasons of a per-node message (`node_reasons`): the
/// decisive reason first, background reasons (nodes set apart anyway) last.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    Background,
    #[default]
    Neutral,
    Decisive,
}

fn two_decimals<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((v * 100.0).round() / 100.0)
}

impl Finding {
    /// The explanation with what the engine said beside it (the detail in words, the
    /// scheduler's reasons), as the formats for people show it.
    pub fn explanation(&self) -> std::borrow::Cow<'_, str> {
        if self.said.is_empty() {
            return std::borrow::Cow::Borrowed(&self.explain);
        }
        let mut s = self.explain.clone();
        for sentence in &self.said {
            s.push(' ');
            s.push_str(sentence);
        }
        std::borrow::Cow::Owned(s)
    }

    /// The one line to quote when there is room for one: what happened (an event, a log or
    /// journal line, a node condition) before the container state, and that before a pod's
    /// status summary, which only restates the symptom.
    pub fn telling_evidence(&self) -> Option<&EvidenceLine> {
        let rank = |s: EvidenceKind| match s {
            EvidenceKind::Event | EvidenceKind::Log | EvidenceKind::Journal => 0,
            EvidenceKind::Node | EvidenceKind::Service => 1,
            EvidenceKind::Container => 2,
            EvidenceKind::Pod => 3,
        };
        self.evidence.iter().min_by_key(|e| rank(e.source))
    }

    pub(super) fn build(
        cause: &Cause,
        ctx: &Subject,
        out: Outcome,
        score: f64,
        specificity: usize,
        order: usize,
    ) -> Finding {
        let mut vars = variables(ctx);
        vars.extend(out.captures);
        // Values the evidence lacks (a paste without namespace or owner) are left out; a key
        // with nothing left is the pod's own, so unrelated pods are not grouped on nothing.
        // A CronJob's runs are one workload: each run is a new Job, so its pods group by
        // the CronJob (`owner` is `cronjob/NAME` in a key), and a baseline matches them
        // from one run to the next.
        let workload = ctx.pod.owner.as_ref().filter(|o| o.cronjob().is_some());
        let mut group_key = cause
            .group_by
            .iter()
            .filter_map(|k| match (k.as_str(), workload) {
                ("owner", Some(o)) => Some(o.workload()),
                _ => vars.get(k).filter(|v| !v.is_empty()).cloned(),
            })
            .collect::<Vec<_>>()
            .join("/");
        if group_key.is_empty() {
            group_key = ctx.pod.key();
        }
        let (detail, said) = match &cause.detail {
            Some(d) => {
                let (value, words) = detail_of(d, ctx, &vars);
                (Some(value), vec![words])
            }
            None => (None, Vec::new()),
        };
        let severity = cause
            .severity_by
            .iter()
            .find(|r| {
                r.status
                    .as_ref()
                    .is_none_or(|re| ctx.status.keys.iter().any(|k| re.is_match(k)))
                    && (r.when.is_empty()
                        || super::eval::eval_all(&r.when, ctx, &mut Outcome::default())
                            == super::eval::Truth::True)
            })
            .map_or(cause.severity, |r| r.severity);
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
                .filter(|f| {
                    f.when.is_empty()
                        || super::eval::eval_all(&f.when, ctx, &mut Outcome::default())
                            == super::eval::Truth::True
                })
                .map(|f| fix_line(f, &vars, ctx.pod))
                .collect(),
            docs: cause.docs.clone(),
            detail,
            said,
            standing: Standing::Neutral,
            tell_apart: cause.tell_apart.as_ref().map(|t| t.render(&vars)),
            container: ctx.container.map(|c| c.name.clone()),
            group_key,
            rank_first: cause.rank_first,
            specificity,
            order,
        }
    }
}

/// The detail of a finding and its words: the first alternative whose matchers hold (a
/// `{variable}` value must render to text), else `unknown`.
fn detail_of(d: &Detail, ctx: &Subject, vars: &BTreeMap<String, String>) -> (String, String) {
    for rule in &d.from {
        let mut out = Outcome::default();
        if super::eval::eval_all(&rule.when, ctx, &mut out) != super::eval::Truth::True {
            continue;
        }
        let mut v = vars.clone();
        for (k, val) in out.captures {
            v.insert(k, val);
        }
        let value = match &rule.template {
            Some(t) => {
                if t.variables()
                    .any(|n| v.get(n).is_none_or(|s| s.trim().is_empty()))
                {
                    continue;
                }
                t.render(&v).trim().to_string()
            }
            None => rule.value.clone(),
        };
        let words = d
            .words(&rule.value)
            .map(|t| t.render(&v))
            .unwrap_or_default();
        return (value, words);
    }
    let words = d.words(UNKNOWN).map(|t| t.render(vars)).unwrap_or_default();
    (UNKNOWN.to_string(), words)
}

/// Renders a fix. A command that changes the pod's controller (`kubectl set resources
/// {owner}`, `kubectl patch {owner} ... /spec/template/...`) cannot work on a pod that has
/// none: a pod's spec is immutable, so the pod is recreated from its edited manifest. A
/// static pod (owned by its node) is changed in its manifest file on the node.
fn fix_line(fix: &Fix, vars: &BTreeMap<String, String>, pod: &crate::evidence::Pod) -> FixLine {
    let text = fix.text.render(vars);
    let Some(command) = &fix.command else {
        return FixLine {
            text,
            command: None,
        };
    };
    let rendered = command.render(vars);
    let changes_owner = command.uses("owner")
        && rendered
            .split_whitespace()
            .nth(1)
            .is_some_and(|verb| matches!(verb, "set" | "patch" | "edit" | "scale" | "rollout"));
    if !changes_owner {
        return FixLine {
            text,
            command: Some(rendered),
        };
    }
    let name = if pod.name.is_empty() {
        "<pod>"
    } else {
        pod.name.as_str()
    };
    let ns = if pod.namespace.is_empty() {
        "<namespace>"
    } else {
        pod.namespace.as_str()
    };
    match pod.owner.as_ref().map(|o| o.kind.as_str()) {
        None if !pod.partial => FixLine {
            text: format!(
                "{text} The pod has no controller and its spec cannot change: edit its manifest and recreate it."
            ),
            command: Some(format!(
                "kubectl get pod {name} -n {ns} -o yaml > {name}.yaml && ${{EDITOR:-vi}} {name}.yaml && kubectl replace --force -f {name}.yaml"
            )),
        },
        Some("node") => FixLine {
            text: format!(
                "{text} `{name}` is a static pod: change its manifest on node `{}` (in the kubelet's staticPodPath, usually /etc/kubernetes/manifests).",
                pod.node_name.as_deref().unwrap_or("<node>")
            ),
            command: None,
        },
        _ => FixLine {
            text,
            command: Some(rendered),
        },
    }
}

/// The diagnosis of one pod: its status and ranked findings, best first.
#[derive(Debug, Clone)]
pub struct PodDiagnosis {
    pub namespace: String,
    pub name: String,
    pub node: Option<String>,
    /// The workload: `deployment/web`, `statefulset/db`, `node/worker-1` (static pod),
    /// `cronjob/nightly` (a pod of one of its Jobs), `job/migrate` (a Job of its own), ...
    pub owner: Option<String>,
    pub status: PodStatus,
    pub findings: Vec<Finding>,
    /// What the diagnosis of this pod assumed (an inferred status).
    pub notes: Vec<String>,
}

impl PodDiagnosis {
    /// `namespace/name` (`name` when the namespace is unknown).
    pub fn key(&self) -> String {
        crate::words::qualified(&self.namespace, &self.name)
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

/// The diagnosis of one Service: its findings, best first (none: wired correctly, or nothing
/// the evidence can judge).
#[derive(Debug, Clone, Default)]
pub struct ServiceDiagnosis {
    pub namespace: String,
    pub name: String,
    /// `ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalName` (empty when not shown).
    pub type_: String,
    pub findings: Vec<Finding>,
    /// The pods its selector matches, as `namespace/name`.
    pub pods: Vec<String>,
    /// Pods whose configured addresses name this Service, as `namespace/name`.
    pub clients: Vec<String>,
}

impl ServiceDiagnosis {
    /// `namespace/name`.
    pub fn key(&self) -> String {
        crate::words::qualified(&self.namespace, &self.name)
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
