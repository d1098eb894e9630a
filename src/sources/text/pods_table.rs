//! `kubectl get pods` tables (`-A`, `-o wide`, k9s's pod view) and rows pasted without their
//! header: one partial pod per row, whose STATUS, READY and RESTARTS columns are known but
//! whose container states are not.

use super::clean::Line;
use super::events::split_columns;
use crate::evidence::{Container, ContainerState, ContainerStatus, Pod};
use crate::status::vocabulary::{ReasonLevel, is_terminated, level};
use regex::Regex;
use std::sync::LazyLock;

/// The header's columns when the line is a `kubectl get pods` header (arrows and markers of
/// terminal UIs dropped: `NAMESPACE↑`).
pub fn header(line: &str) -> Option<Vec<String>> {
    let mut cols = split_columns(line);
    // Pasted through a chat or a terminal that squeezed the spacing: one space apart.
    if cols.len() < 4 {
        cols = line.split_whitespace().map(str::to_string).collect();
    }
    let cols: Vec<String> = cols
        .iter()
        .map(|c| {
            c.trim_matches(|ch: char| !ch.is_ascii_alphanumeric() && ch != ' ')
                .to_string()
        })
        .collect();
    let has = |n: &str| cols.iter().any(|c| c == n);
    (has("NAME") && has("READY") && has("STATUS") && has("RESTARTS")).then_some(cols)
}

/// Whether a `get pods` header shows every pod's labels (`--show-labels`): only then does a
/// namespace's listing say which pods a selector matches. `-L KEY` columns show some keys.
pub fn shows_labels(header: &[String]) -> bool {
    header.iter().any(|h| h == "LABELS")
}

/// The LABELS cell (`app=web,pod-template-hash=6d4f8b7c9`, `<none>`); cells that are not
/// `key=value` pairs give no label.
fn labels(cell: &str) -> std::collections::BTreeMap<String, String> {
    if cell == "<none>" {
        return Default::default();
    }
    cell.split(',')
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (!k.is_empty()).then(|| (k.to_string(), v.to_string()))
        })
        .collect()
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
        let mut pod = with_age(
            pod_from(
                get("NAMESPACE"),
                get("NAME").unwrap_or_default(),
                get("READY"),
                get("STATUS"),
                get("RESTARTS"),
                get("NODE"),
            ),
            get("AGE").as_deref(),
        );
        if let Some(cell) = get("LABELS") {
            pod.labels = labels(&cell);
        }
        pods.push(pod);
        i += 1;
    }
    (pods, i)
}

/// A row without its header: `[NAMESPACE] NAME READY STATUS RESTARTS AGE [IP NODE ...]`.
static ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?P<ns>[a-z0-9][-a-z0-9.]*)\s+)??(?:pods?/)?(?P<name>[a-z0-9][-a-z0-9.]*[a-z0-9])\s+(?:●\s+)?(?P<ready>\d+/\d+)\s+(?P<status>[A-Z][\w:/.-]*)\s+(?P<restarts>\d+(?:\s+\([^)]*\))?)\s+(?P<age>\d+[smhdy][\dsmhdy]*|<invalid>|<unknown>)(?:\s+(?P<ip>\S+)\s+(?P<node>\S+))?",
    )
    .expect("valid pod row regex")
});

/// The columns READY STATUS RESTARTS AGE at the end of a line whose start is not a pod name:
/// a watch loop that prints the time before each row, or a row whose name was cut or hidden.
static NAMELESS_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|\s)(?P<ready>\d+/\d+)\s+(?P<status>[A-Z][\w:/.-]*)\s+(?P<restarts>\d+(?:\s+\([^)]*\))?)\s+(?P<age>\d+[smhdy][\dsmhdy]*)\s*$",
    )
    .expect("valid nameless pod row regex")
});

/// Parses one `get pods` row pasted without its header; a row with no pod name in front
/// becomes an unnamed pod (the text may name it elsewhere).
pub fn row(line: &str) -> Option<Pod> {
    named_row(line).or_else(|| {
        let c = NAMELESS_ROW.captures(line.trim())?;
        Some(with_age(
            pod_from(
                None,
                String::new(),
                Some(c["ready"].to_string()),
                Some(c["status"].to_string()),
                Some(c["restarts"].to_string()),
                None,
            ),
            Some(&c["age"]),
        ))
    })
}

fn named_row(line: &str) -> Option<Pod> {
    let c = ROW.captures(line.trim())?;
    let node = c.name("node").map(|m| m.as_str().to_string()).filter(|_| {
        c.name("ip")
            .is_some_and(|ip| ip.as_str().contains('.') || ip.as_str() == "<none>")
    });
    Some(with_age(
        pod_from(
            c.name("ns").map(|m| m.as_str().to_string()),
            c["name"].to_string(),
            Some(c["ready"].to_string()),
            Some(c["status"].to_string()),
            Some(c["restarts"].to_string()),
            node,
        ),
        Some(&c["age"]),
    ))
}

/// The AGE a row printed (`5m`, `2d`), in seconds.
fn with_age(mut pod: Pod, age: Option<&str>) -> Pod {
    pod.age_hint = age.and_then(crate::evidence::parse_age);
    pod
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
    let restarts_count: Option<i32> = restarts
        .as_deref()
        .and_then(|r| r.split_whitespace().next().and_then(|n| n.parse().ok()));
    let ready_hint = ready.as_deref().and_then(|r| {
        let (a, b) = r.split_once('/')?;
        Some((a.parse().ok()?, b.parse().ok()?))
    });
    // A one-container pod whose STATUS is a container's reason (`OOMKilled`,
    // `CrashLoopBackOff`): printPod took it from that container's state.
    let from_status = status
        .as_deref()
        .filter(|s| {
            ready_hint.is_some_and(|(_, t): (usize, usize)| t == 1)
                && level(s) == ReasonLevel::Container
                // A terminated reason says nothing of the exit code, except OOMKilled: the
                // runtime's word for a process the kernel killed (SIGKILL, 137).
                && (!is_terminated(s) || *s == "OOMKilled")
        })
        .map(|s| {
            let state = if is_terminated(s) {
                ContainerState::Terminated {
                    reason: Some(s.to_string()),
                    message: None,
                    exit_code: 137,
                    signal: None,
                    started_at: None,
                    finished_at: None,
                }
            } else {
                ContainerState::Waiting {
                    reason: Some(s.to_string()),
                    message: None,
                }
            };
            vec![Container {
                status: Some(ContainerStatus {
                    state,
                    restart_count: restarts_count.unwrap_or_default(),
                    ..Default::default()
                }),
                ..Default::default()
            }]
        });
    let last_restart_age = restarts.as_deref().and_then(|r| {
        let ago = r
            .split_once('(')?
            .1
            .strip_suffix(')')?
            .strip_suffix(" ago")?;
        crate::evidence::parse_age(ago)
    });
    let containers = message
        .map(|m| {
            vec![Container {
                status: Some(ContainerStatus {
                    state: ContainerState::Waiting {
                        reason: None,
                        message: Some(m),
                    },
                    ..Default::default()
                }),
                ..Default::default()
            }]
        })
        .or(from_status)
        .unwrap_or_default();
    Pod {
        name,
        containers,
        last_restart_age,
        namespace: namespace.unwrap_or_default(),
        node_name: node.filter(|n| n != "<none>"),
        partial: true,
        status_hint: status,
        ready_hint,
        restarts_hint: restarts_count,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::text::clean::clean;

    #[test]
    fn rows_become_partial_pods_with_status() {
        let text = "NAME                        READY   STATUS                   RESTARTS       AGE
report-5b6c7d8e9f-k2m4p   0/3     ContainerStatusUnknown   4 (3h5m ago)   9h
report-5b6c7d8e9f-w7n9q   3/3     Running                  0              41m
";
        let (pods, used) = parse(&clean(text));
        assert_eq!(used, 3);
        assert_eq!(pods.len(), 2);
        assert_eq!(
            pods[0].status_hint.as_deref(),
            Some("ContainerStatusUnknown")
        );
        assert_eq!(pods[0].restarts_hint, Some(4));
        assert_eq!(pods[0].last_restart_age, Some(3 * 3600 + 5 * 60));
        assert_eq!(pods[1].age_hint, Some(41 * 60));
        assert_eq!(pods[0].ready_hint, Some((0, 3)));
        assert!(pods[0].partial);
    }

    #[test]
    fn rows_without_header() {
        let p = row("etcd-member-b              0/1       Terminating   0          17m").unwrap();
        assert_eq!(
            (p.name.as_str(), p.status_hint.as_deref(), p.ready_hint),
            ("etcd-member-b", Some("Terminating"), Some((0, 1)))
        );
        let p =
            row("kube-system   pod/dns-cache-5c8b7d6f9-w2q4z   0/1   Pending   0   4m57s").unwrap();
        assert_eq!(
            (p.namespace.as_str(), p.name.as_str()),
            ("kube-system", "dns-cache-5c8b7d6f9-w2q4z")
        );
        let p =
            row("web-1   1/2   Running   3 (2m ago)   1h   10.1.2.3   worker-2   <none>   <none>")
                .unwrap();
        assert_eq!(
            (p.restarts_hint, p.node_name.as_deref()),
            (Some(3), Some("worker-2"))
        );
        assert!(row("Name: web-1").is_none());
        assert!(row("the pod is 0/1 and I do not know why").is_none());
    }

    #[test]
    fn rows_after_a_timestamp_are_unnamed_pods() {
        // A shell loop printing `date` before each row of `kubectl get pod --no-headers`.
        let p = row("Tue 03 Mar 2020 09:14:02 PM UTC   1/3   ContainerCreating   0   2s").unwrap();
        assert_eq!(
            (p.name.as_str(), p.status_hint.as_deref(), p.ready_hint),
            ("", Some("ContainerCreating"), Some((1, 3)))
        );
        let p = row("2021-07-01T08:00:00Z 0/1 CrashLoopBackOff 4 (9s ago) 3m").unwrap();
        assert_eq!(
            (p.status_hint.as_deref(), p.restarts_hint),
            (Some("CrashLoopBackOff"), Some(4))
        );
        // A lower-case word is not a STATUS.
        assert!(row("took 1/2 steps 3 4m").is_none());
    }

    #[test]
    fn a_header_squeezed_to_single_spaces_is_still_a_header() {
        let text = "NAME READY STATUS RESTARTS AGE\nqueue-7 0/1 ImagePullBackOff 0 6m\n";
        let (pods, used) = parse(&clean(text));
        assert_eq!(used, 2);
        assert_eq!(
            (pods[0].name.as_str(), pods[0].status_hint.as_deref()),
            ("queue-7", Some("ImagePullBackOff"))
        );
    }
}
