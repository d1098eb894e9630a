//! Which pod (and node) a pasted line is about, from the ways Kubernetes components write a
//! pod's identity into their messages. These are formats, not causes: the kubelet's
//! `name_namespace(uid)` (`pkg/kubelet/util/format`), klog's `pod="ns/name"` (`klog.KObj`),
//! the scheduler's `Successfully assigned ns/name to node` and its older `Error scheduling
//! ns/name:` and `pod (name) failed to fit`, the taint manager's `Marking for deletion Pod
//! ns/name`, and kubectl's own `pod "name" deleted`.

use regex::Regex;
use std::sync::LazyLock;

/// A pod named in a message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Named {
    pub namespace: Option<String>,
    pub name: String,
    /// The node, when the message also names it (`Successfully assigned ns/pod to node`).
    pub node: Option<String>,
}

const DNS: &str = r"[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?";

static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // kubelet: `web-1_shop(0f3c2a1e-...)`
        format!(r"(?P<name>{DNS})_(?P<ns>[a-z0-9][-a-z0-9]*)\([0-9a-f]{{8}}[-0-9a-f]*\)"),
        // klog structured: pod="shop/web-1", pod=shop/web-1
        format!(r#"\bpod="?(?P<ns>{DNS})/(?P<name>{DNS})"?"#),
        // scheduler: Successfully assigned shop/web-1 to worker-2
        format!(r"Successfully assigned (?P<ns>{DNS})/(?P<name>{DNS}) to (?P<node>\S+)"),
        format!(r"Successfully assigned (?P<name>{DNS}) to (?P<node>\S+)"),
        // old scheduler: Error scheduling shop/web-1: ...; pod (web-1) failed to fit
        format!(r"Error scheduling (?P<ns>{DNS})/(?P<name>{DNS}):"),
        format!(r"\bpod \((?P<name>{DNS})\) failed to fit"),
        // CRI runtimes: PodSandboxMetadata{Name:web-1,Uid:...,Namespace:shop,...}
        format!(r"PodSandboxMetadata\{{Name:(?P<name>{DNS}),Uid:[^,]*,Namespace:(?P<ns>[a-z0-9][-a-z0-9]*)"),
        // taint manager: Marking for deletion Pod shop/web-1
        format!(r"Marking for deletion Pod (?P<ns>{DNS})/(?P<name>{DNS})"),
    ]
    .iter()
    .map(|p| Regex::new(p).expect("valid name pattern"))
    .collect()
});

/// The pod a line names, if any (the first pattern that matches).
pub fn pod_in(line: &str) -> Option<Named> {
    PATTERNS.iter().find_map(|re| {
        let c = re.captures(line)?;
        Some(Named {
            namespace: c.name("ns").map(|m| m.as_str().to_string()),
            name: c.name("name")?.as_str().to_string(),
            node: c
                .name("node")
                .map(|m| m.as_str().trim_end_matches('.').to_string()),
        })
    })
}

static DELETED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r#"^pod "(?P<name>{DNS})" (?:force )?deleted"#)).expect("valid")
});

/// `pod "web-1" deleted`: kubectl's answer to a delete, so the pod's deletion was requested.
pub fn deleted(line: &str) -> Option<String> {
    DELETED.captures(line.trim()).map(|c| c["name"].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pods_named_in_messages() {
        let n = pod_in("Back-off restarting failed container app in pod web-7d9c-x2k4q_shop(0f3c2a1e-1111-2222-3333-444455556666)").unwrap();
        assert_eq!(
            (n.namespace.as_deref(), n.name.as_str()),
            (Some("shop"), "web-7d9c-x2k4q")
        );
        let n = pod_in(r#"I0212 07:31:05.204117 1 schedule_one.go:1004] "Unable to schedule pod; no fit; waiting" pod="shop/web-1" err="x""#).unwrap();
        assert_eq!(
            (n.namespace.as_deref(), n.name.as_str()),
            (Some("shop"), "web-1")
        );
        let n = pod_in("Successfully assigned shop/web-1 to worker-2").unwrap();
        assert_eq!(n.node.as_deref(), Some("worker-2"));
        let n = pod_in("Successfully assigned report-init-m4x7p to 10.0.4.21").unwrap();
        assert_eq!(
            (n.name.as_str(), n.node.as_deref()),
            ("report-init-m4x7p", Some("10.0.4.21"))
        );
        let n = pod_in("E0214 03:52:19.610243 1 factory.go:687] Error scheduling shop/queue-0: pod has unbound").unwrap();
        assert_eq!(n.name, "queue-0");
        let n = pod_in("pod (web-2873105946-q8v4z) failed to fit in any node").unwrap();
        assert_eq!(n.name, "web-2873105946-q8v4z");
        assert!(pod_in("connection refused").is_none());
        assert_eq!(
            deleted(r#"pod "dash-1" deleted"#).as_deref(),
            Some("dash-1")
        );
    }
}
