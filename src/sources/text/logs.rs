//! Container logs: plain lines or one JSON object per line, kept as text. Also decides
//! whether unlabelled text reads like a log.

use crate::evidence::LogExcerpt;
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
        r"(?i)\b(?:pods?|nodes?|containers?|images?|volumes?|mounts?|secrets?|configmaps?|sysctls?|probes?|evict\w*|schedul\w*|sandbox|quota|taints?|tolerat\w*|cni|kubelet|oomkilled|crashloopbackoff|back-?off|resources?|insufficient|predicates?|persistentvolumeclaims?|pvcs?|replicasets?|deployments?|statefulsets?|daemonsets?|jobs?|namespaces?|manifests?|registry|pull(?:ing)?|PodToleratesNodeTaints|MatchNodeSelector|PodFitsHostPorts|NoVolumeZoneConflict|NodeUnschedulable|Node\w+Pressure)\b",
    )
    .expect("valid vocabulary regex")
});

/// True when short text speaks of Kubernetes objects (a status value or an event message
/// pasted on its own, such as `Evicted`).
pub fn sounds_like_kubernetes(lines: &[String]) -> bool {
    lines.iter().any(|l| KUBERNETES_WORDS.is_match(l))
}

static TIMESTAMPED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^\s*(?:\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\{|time="|[IWEF]\d{4} \d{2}:|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}|\d{2}:\d{2}:\d{2}[.,]\d)"#,
    )
    .expect("valid")
});

/// True when a line starts with a date-time (a log line, not a message someone copied).
pub fn is_timestamped(line: &str) -> bool {
    TIMESTAMPED.is_match(line)
}

/// A log excerpt from lines.
pub fn excerpt(lines: &[String]) -> LogExcerpt {
    let mut e = LogExcerpt::default();
    e.extend(lines.iter().map(String::as_str));
    e
}

/// A part of a log text and the container it comes from, when the text names it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Section {
    pub pod: Option<String>,
    pub container: Option<String>,
    pub lines: Vec<String>,
}

static TAIL_HEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^==> (?P<what>.+?) <==\s*$").expect("valid"));
static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\[pod/(?P<pod>[\w.-]+)/(?P<container>[\w.-]+)\] ?").expect("valid")
});
/// `/var/log/pods/<ns>_<pod>_<uid>/<container>/0.log`, `/var/log/containers/<pod>_<ns>_<container>-<id>.log`.
static LOG_PATH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/var/log/(?:pods/[\w.-]+?_(?P<pod1>[\w.-]+?)_[0-9a-f-]+/(?P<c1>[\w.-]+)/|containers/(?P<pod2>[\w.-]+?)_[\w.-]+?_(?P<c2>[\w.-]+?)-[0-9a-f]{16,}\.log)").expect("valid")
});

/// Splits a log text by the sources it names: `==> X <==` headers of `tail` and `minikube
/// logs` (a container name or a node's log file path), and the `[pod/NAME/CONTAINER]`
/// prefix of `kubectl logs --prefix`. Text naming nothing is one section.
pub fn sections(lines: Vec<String>) -> Vec<Section> {
    let mut out: Vec<Section> = vec![Section::default()];
    for line in lines {
        if let Some(c) = TAIL_HEADER.captures(&line) {
            let what = c["what"].trim();
            let (pod, container) = match LOG_PATH.captures(what) {
                Some(p) => (
                    p.name("pod1")
                        .or(p.name("pod2"))
                        .map(|m| m.as_str().to_string()),
                    p.name("c1")
                        .or(p.name("c2"))
                        .map(|m| m.as_str().to_string()),
                ),
                None => {
                    let name = what.split([' ', '[']).next().unwrap_or(what).to_string();
                    (Some(name.clone()), Some(name))
                }
            };
            out.push(Section {
                pod,
                container,
                lines: Vec::new(),
            });
            continue;
        }
        if let Some(c) = PREFIX.captures(&line) {
            let pod = c["pod"].to_string();
            let container = c["container"].to_string();
            let text = line[c.get(0).map_or(0, |m| m.end())..].to_string();
            match out.last_mut() {
                Some(s)
                    if s.pod.as_deref() == Some(&pod)
                        && s.container.as_deref() == Some(&container) =>
                {
                    s.lines.push(text)
                }
                _ => out.push(Section {
                    pod: Some(pod),
                    container: Some(container),
                    lines: vec![text],
                }),
            }
            continue;
        }
        out.last_mut()
            .expect("one section at least")
            .lines
            .push(line);
    }
    out.retain(|s| s.lines.iter().any(|l| !l.trim().is_empty()) || s.pod.is_some());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_sections_by_header_and_prefix() {
        let lines: Vec<String> = [
            "==> volume-helper [\"4c7e2a9d1b08\"] <==",
            "exec /usr/local/bin/helper: no such file or directory",
            "[pod/web-1/app] listening",
            "[pod/web-1/app] crashed",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let s = sections(lines);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].pod.as_deref(), Some("volume-helper"));
        assert_eq!(
            (s[1].pod.as_deref(), s[1].container.as_deref()),
            (Some("web-1"), Some("app"))
        );
        assert_eq!(s[1].lines, vec!["listening", "crashed"]);
    }
}
