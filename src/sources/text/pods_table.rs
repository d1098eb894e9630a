//! `kubectl get pods` tables (`-A`, `-o wide`): one partial pod per row, whose STATUS
//! column is known but whose container states are not.

use super::clean::Line;
use super::events::split_columns;
use crate::evidence::Pod;

/// The header's columns when the line is a `kubectl get pods` header.
pub fn header(line: &str) -> Option<Vec<String>> {
    let cols = split_columns(line);
    let has = |n: &str| cols.iter().any(|c| c == n);
    (has("NAME") && has("READY") && has("STATUS") && has("RESTARTS")).then_some(cols)
}

/// Parses the rows after a header; returns the pods and the lines consumed (header
/// included).
pub fn parse(lines: &[Line]) -> (Vec<Pod>, usize) {
    let Some(head) = lines.first().and_then(|l| header(&l.text)) else {
        return (Vec::new(), 0);
    };
    let col = |name: &str| head.iter().position(|h| h == name);
    let mut pods = Vec::new();
    let mut i = 1;
    while i < lines.len() && !lines[i].prompt {
        let text = &lines[i].text;
        if text.trim().is_empty() {
            break;
        }
        let cols = split_columns(text);
        if cols.len() + 1 < head.len() {
            break;
        }
        let get = |name: &str| col(name).and_then(|c| cols.get(c)).cloned();
        let mut pod = Pod {
            name: get("NAME").unwrap_or_default(),
            namespace: get("NAMESPACE").unwrap_or_else(|| "default".into()),
            node_name: get("NODE").filter(|n| n != "<none>"),
            partial: true,
            status_hint: get("STATUS"),
            ..Default::default()
        };
        pod.restarts_hint =
            get("RESTARTS").and_then(|r| r.split_whitespace().next().and_then(|n| n.parse().ok()));
        pods.push(pod);
        i += 1;
    }
    (pods, i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::text::clean::clean;

    #[test]
    fn rows_become_partial_pods_with_status() {
        let text = "NAME                                       READY   STATUS                   RESTARTS        AGE
dptp-controller-manager-77ffc657cf-4z7wb   0/2     ContainerStatusUnknown   2 (7h40m ago)   11h
dptp-controller-manager-77ffc657cf-bg8d8   2/2     Running                  0               24m
";
        let (pods, used) = parse(&clean(text));
        assert_eq!(used, 3);
        assert_eq!(pods.len(), 2);
        assert_eq!(
            pods[0].status_hint.as_deref(),
            Some("ContainerStatusUnknown")
        );
        assert_eq!(pods[0].restarts_hint, Some(2));
        assert!(pods[0].partial);
    }
}
