//! Container logs: plain lines or one JSON object per line, kept as text. Also decides
//! whether unlabelled text reads like a log.

use crate::evidence::{LogExcerpt, LogLine};
use regex::Regex;
use std::sync::LazyLock;

static LOGGY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)^\s*\{.*\}\s*$|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\b(?:error|err|fail(?:ed|ure)?|exception|fatal|panic|warn(?:ing)?|info|debug|trace|refused|denied|timeout|timed out|not found|traceback|killed|exit(?:ed)?)\b|^\s+at \S+|^\s*File ""#,
    )
    .expect("valid log regex")
});

/// True when at least one line reads like a log line (a level, an error word, a timestamp,
/// a stack frame or a JSON object).
pub fn looks_like(lines: &[String]) -> bool {
    lines.iter().any(|l| LOGGY.is_match(l))
}

static KUBERNETES_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:pod|node|container|image|volume|mount|secret|configmap|sysctl|probe|evict\w*|schedul\w*|sandbox|quota|taint|cni|kubelet|oomkilled|crashloopbackoff|backoff|resource)\b",
    )
    .expect("valid vocabulary regex")
});

/// True when short text speaks of Kubernetes objects (a status value or an event message
/// pasted on its own, such as `Evicted`).
pub fn sounds_like_kubernetes(lines: &[String]) -> bool {
    lines.iter().any(|l| KUBERNETES_WORDS.is_match(l))
}

/// A log excerpt from lines.
pub fn excerpt(lines: &[String]) -> LogExcerpt {
    LogExcerpt {
        lines: lines.iter().map(|l| LogLine { text: l.clone() }).collect(),
        skipped_lines: 0,
    }
}
