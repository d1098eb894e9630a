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
    pub status: Vec<String>,
    pub summary: String,
    /// When the evidence shows no pod status (pasted events or logs), these rules say which
    /// status of this file the evidence implies.
    #[serde(default)]
    pub infer: Vec<InferSpec>,
    /// Kept raw so each cause is checked on its own and errors can name it.
    pub causes: Vec<serde_json::Value>,
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
}

/// `{status: 'CrashLoopBackOff|ErrImagePull', severity: critical}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeverityBySpec {
    pub status: String,
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
