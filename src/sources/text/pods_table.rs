//! `kubectl get pods` tables (`-A`, `-o wide`, k9s's pod view) and rows pasted without their
//! header: one partial pod per row, whose STATUS, READY and RESTARTS columns are known but
//! whose container states are not.

use super::clean::Line;
use super::events::split_columns;
use crate::evidence::Pod;
use regex::Regex;
use std::sync::LazyLock;

/// The header's columns when the line is a `kubectl get pods` header (arrows and markers of
/// terminal UIs dropped: `NAMESPACE↑`).
pub fn header(line: &str) -> Option<Vec<String>> {
    let cols: Vec<String> = split_columns(line)
        .iter()
        .map(|c| {
            c.trim_matches(|ch: char| !ch.is_ascii_alphanumeric() && ch != ' ')
                .to_string()
        })
        .collect();
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
            // Not a row of this table: maybe a row without the header's spacing.
            match row(text) {
                Some(p) => pods.push(p),
                None => break,
            }
            i += 1;
            continue;
        }
        let get = |name: &str| col(name).and_then(|c| cols.get(c)).cloned();
        pods.push(pod_from(
            get("NAMESPACE"),
            get("NAME").unwrap_or_default(),
            get("READY"),
            get("STATUS"),
            get("RESTARTS"),
            get("NODE"),
        ));
        i += 1;
    }
    (pods, i)
}

/// A row without its header: `[NAMESPACE] NAME READY STATUS RESTARTS AGE [IP NODE ...]`.
static ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?P<ns>[a-z0-9][-a-z0-9.]*)\s+)??(?:pods?/)?(?P<name>[a-z0-9][-a-z0-9.]*[a-z0-9])\s+(?:●\s+)?(?P<ready>\d+/\d+)\s+(?P<status>[A-Za-z][\w:/.-]*)\s+(?P<restarts>\d+(?:\s+\([^)]*\))?)\s+(?P<age>\d+[smhdy][\dsmhdy]*|<invalid>|<unknown>)(?:\s+(?P<ip>\S+)\s+(?P<node>\S+))?",
    )
    .expect("valid pod row regex")
});

/// Parses one `get pods` row pasted without its header.
pub fn row(line: &str) -> Option<Pod> {
    let c = ROW.captures(line.trim())?;
    let node = c.name("node").map(|m| m.as_str().to_string()).filter(|_| {
        c.name("ip")
            .is_some_and(|ip| ip.as_str().contains('.') || ip.as_str() == "<none>")
    });
    Some(pod_from(
        c.name("ns").map(|m| m.as_str().to_string()),
        c["name"].to_string(),
        Some(c["ready"].to_string()),
        Some(c["status"].to_string()),
        Some(c["restarts"].to_string()),
        node,
    ))
}

fn pod_from(
    namespace: Option<String>,
    name: String,
    ready: Option<String>,
    status: Option<String>,
    restarts: Option<String>,
    node: Option<String>,
) -> Pod {
    let name = name
        .strip_prefix("pod/")
        .map(str::to_string)
        .unwrap_or(name);
    // Old kubectl (<=1.7) printed a waiting container's error text in STATUS: a message,
    // not a status.
    let (status, message) = match status {
        Some(s) if s.contains(' ') || s.contains('"') => (None, Some(s)),
        other => (other, None),
    };
    let containers = message
        .map(|m| {
            vec![crate::evidence::Container {
                status: Some(crate::evidence::ContainerStatus {
                    state: crate::evidence::ContainerState::Waiting {
                        reason: None,
                        message: Some(m),
                    },
                    ..Default::default()
                }),
                ..Default::default()
            }]
        })
        .unwrap_or_default();
    Pod {
        name,
        containers,
        namespace: namespace.unwrap_or_default(),
        node_name: node.filter(|n| n != "<none>"),
        partial: true,
        status_hint: status,
        ready_hint: ready.as_deref().and_then(|r| {
            let (a, b) = r.split_once('/')?;
            Some((a.parse().ok()?, b.parse().ok()?))
        }),
        restarts_hint: restarts
            .and_then(|r| r.split_whitespace().next().and_then(|n| n.parse().ok())),
        ..Default::default()
    }
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
        assert_eq!(pods[0].ready_hint, Some((0, 2)));
        assert!(pods[0].partial);
    }

    #[test]
    fn rows_without_header() {
        let p = row("kube-proxy-blablabla              0/1       Terminating   0          42m")
            .unwrap();
        assert_eq!(
            (p.name.as_str(), p.status_hint.as_deref(), p.ready_hint),
            ("kube-proxy-blablabla", Some("Terminating"), Some((0, 1)))
        );
        let p =
            row("kube-system   pod/coredns-d798c9dd-nsg8f   0/1   Pending   0   4m57s").unwrap();
        assert_eq!(
            (p.namespace.as_str(), p.name.as_str()),
            ("kube-system", "coredns-d798c9dd-nsg8f")
        );
        let p =
            row("web-1   1/2   Running   3 (2m ago)   1h   10.1.2.3   worker-2   <none>   <none>")
                .unwrap();
        assert_eq!(
            (p.restarts_hint, p.node_name.as_deref()),
            (Some(3), Some("worker-2"))
        );
        assert!(row("Name: web-1").is_none());
        assert!(row("Mon 17 Jun 2019 10:27:28 AM EDT    0/2   Pending   0     0s").is_none());
    }
}
