//! The playbook file format, as deserialized from YAML (before any checking).
//!
//! ```yaml
//! status: [CrashLoopBackOff, Error]      # statuses (globs: `Init:*`, `*`) this file serves
//! summary: The container starts, exits, and the kubelet waits longer before each restart.
//! causes:
//!   - id: crash.oom
//!     title: Killed for exceeding its memory limit
//!     severity: critical
//!     confidence: 0.95
//!     when: [ {container.last_state.reason: OOMKilled} ]
//!     boost: [ {log: 'OutOfMemoryError', weight: 0.03} ]
//!     explain: "`{container}` was killed ..."
//!     fixes: [ {text: Raise the limit, command: "kubectl set resources ..."} ]
//!     group_by: [namespace, owner]
//!     docs: https://kubernetes.io/...
//! ```

use serde::{Deserialize, Serialize};

/// One playbook file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaybookSpec {
    /// What the file's causes are about: pods (the default) or Services.
    #[serde(default)]
    pub subject: SubjectKind,
    /// The statuses the file serves (pods only; a Service file serves every Service).
    #[serde(default)]
    pub status: Vec<String>,
    pub summary: String,
    /// When the evidence shows no pod status (pasted events or logs), these rules say which
    /// status of this file the evidence implies.
    #[serde(default)]
    pub infer: Vec<InferSpec>,
    /// How a message of this file's causes counts nodes per reason (the scheduler's
    /// `0/6 nodes are available: 1 ..., 3 ...`), so the engine can rank those reasons.
    #[serde(default)]
    pub node_reasons: Option<NodeReasonsSpec>,
    /// (`subject: service`) What shows that a pod cannot reach a Service: the chain from a
    /// client to the Service's finding (issue 21 §4).
    #[serde(default)]
    pub clients: Option<ClientsSpec>,
    /// Kept raw so each cause is checked on its own and errors can name it.
    pub causes: Vec<serde_json::Value>,
}

/// `clients:` of a Service playbook: which log lines of a pod show a failed connection, how
/// many a Running, ready pod must log to be reported, and the pod causes the chain outranks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientsSpec {
    /// Regexes over a log line (searched): a connection that failed.
    pub failures: Vec<String>,
    /// Failed connections a Running, ready pod must log (repeated failures, not one).
    pub repeated: usize,
    /// Pod cause ids the chain explains better: a client whose top finding is one of them
    /// gets the chain first.
    #[serde(default)]
    pub outranks: Vec<String>,
}

/// What a playbook's causes are about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SubjectKind {
    #[default]
    Pod,
    /// A Service: its selector, ports and endpoints (`service.*` fields).
    Service,
}

/// `node_reasons:` of a playbook: how to read a message that lists reasons with node counts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeReasonsSpec {
    /// A regex over an event or condition message: `(?P<list>...)` is the list of reasons,
    /// `(?P<nodes>...)` (optional) the number of nodes considered.
    pub message: String,
    /// What separates the reasons in the list (`", "`).
    pub separator: String,
    /// A whole-match regex for one reason: `(?P<count>...)` nodes, `(?P<reason>...)` text. A
    /// piece of the list that does not match continues the reason before it; a list whose
    /// first piece does not match is one reason for every node.
    pub item: String,
    /// How a reason names the control plane, and which nodes are the control plane.
    pub control_plane: ControlPlaneSpec,
    /// Node matchers: a node for which any holds is closed to ordinary pods whatever they
    /// ask for (cordoned, not ready, control plane).
    pub set_apart: Vec<serde_json::Value>,
}

/// `node_reasons.control_plane`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlPlaneSpec {
    /// A regex: a reason whose text matches it covers control-plane nodes only.
    pub reason: String,
    /// Node matchers: a node for which any holds is a control-plane node.
    pub nodes: Vec<serde_json::Value>,
}

/// `detail:` of a cause: one word more about each finding, for machines (JSON `detail`) and,
/// in words, for people.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetailSpec {
    /// Every value the cause can give (`unknown` included), each with the sentence that says
    /// it in words (a template). A value is a lower-case word (`refused`, `http-status`) or
    /// one captured variable (`'{resource}'`), whose text is the value.
    pub values: std::collections::BTreeMap<String, String>,
    /// The first alternative whose matchers hold (unknown counts as not holding) gives the
    /// value; none gives `unknown`.
    pub from: Vec<DetailFromSpec>,
}

/// One alternative of a `detail`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetailFromSpec {
    pub value: String,
    pub when: Vec<serde_json::Value>,
}

/// A status the evidence implies when the source showed none.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InferSpec {
    /// The status implied (one the file serves).
    pub status: String,
    /// How far the pod got in its life: scheduling 1, volumes and sandbox 2, image 3,
    /// container configuration 4, running 5, finished 6, deleting 7. When several rules
    /// hold, the furthest stage wins (a pod pulling an image was scheduled).
    pub stage: u8,
    /// All must hold (matchers, as in a cause's `when`).
    pub when: Vec<serde_json::Value>,
}

/// One cause of a playbook.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CauseSpec {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub confidence: f64,
    /// This cause explains the pod's other symptoms (a dead node): rank it above them.
    #[serde(default)]
    pub rank_first: bool,
    /// Tried only when no other cause matched a pod (the cause of last resort).
    #[serde(default)]
    pub fallback: bool,
    /// The severity by the pod's status: the first entry whose regex matches a status key
    /// wins; `severity` otherwise.
    #[serde(default)]
    pub severity_by: Vec<SeverityBySpec>,
    pub when: Vec<serde_json::Value>,
    #[serde(default)]
    pub boost: Vec<serde_json::Value>,
    pub explain: String,
    #[serde(default)]
    pub fixes: Vec<FixSpec>,
    #[serde(default)]
    pub group_by: Option<Vec<String>>,
    #[serde(default)]
    pub docs: Option<String>,
    #[serde(default)]
    pub about: Option<About>,
    /// What evidence would tell this cause apart from a look-alike.
    #[serde(default)]
    pub tell_apart: Option<String>,
    /// One word more about each finding (JSON `detail`), chosen by matchers.
    #[serde(default)]
    pub detail: Option<DetailSpec>,
    /// For a cause whose reason the scheduler counts per node (`node_reasons`): a node
    /// matcher for the nodes such a reason is about (cordoned nodes, tainted nodes).
    #[serde(default)]
    pub on_nodes: Option<serde_json::Value>,
}

/// `{status: 'CrashLoopBackOff|ErrImagePull', severity: critical}`, or with matchers:
/// `{when: [{log: 'connection refused'}], severity: warning}` (both must hold when both are
/// given; unknown counts as not holding).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeverityBySpec {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub when: Vec<serde_json::Value>,
    pub severity: Severity,
}

/// A fix: what to do, and the command that does it (templates).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixSpec {
    pub text: String,
    #[serde(default)]
    pub command: Option<String>,
    /// Matchers that must hold (be known true) for the fix to be offered: advice that is
    /// risky on a guess (a force delete) waits for its evidence.
    #[serde(default)]
    pub when: Vec<serde_json::Value>,
}

/// The documentation a cause carries (`kubedoctor explain CAUSE-ID`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct About {
    /// What it means.
    pub meaning: String,
    /// Why it happens.
    #[serde(default)]
    pub why: String,
    /// How to confirm it.
    #[serde(default)]
    pub confirm: String,
    /// How to fix it.
    #[serde(default)]
    pub fix: String,
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }
}
