//! `kubectl describe node` text into an evidence node: conditions, taints,
//! unschedulable, capacity and allocatable, events.

use super::clean::{Line, indent};
use super::describe_pod::key_value;
use super::events::{describe_row, split_columns};
use crate::evidence::{Node, NodeCondition, Taint};

/// Keys of `kubectl describe node` a fragment may start with.
pub const START_KEYS: &[&str] = &[
    "Name",
    "Roles",
    "Labels",
    "Annotations",
    "CreationTimestamp",
    "Taints",
    "Unschedulable",
    "Lease",
    "Conditions",
    "Addresses",
    "Capacity",
    "Allocatable",
    "System Info",
];

/// True when the text looks like `kubectl describe node`.
pub fn looks_like(lines: &[Line]) -> bool {
    let keys: Vec<String> = lines
        .iter()
        .take(60)
        .filter(|l| indent(&l.text) == 0)
        .filter_map(|l| key_value(&l.text).map(|(k, _)| k))
        .collect();
    let has = |k: &str| keys.iter().any(|x| x == k);
    let node_keys = [
        "Taints",
        "Unschedulable",
        "Roles",
        "Allocatable",
        "Lease",
        "Addresses",
        "System Info",
        "Non-terminated Pods",
        "Allocated resources",
    ]
    .iter()
    .filter(|k| has(k))
    .count();
    // A whole describe, or a fragment cut from one (`| grep -A8 Taints`).
    (has("Name") && node_keys >= 1) || node_keys >= 2
}

/// Parses one node; returns it and the lines consumed.
pub fn parse(lines: &[Line]) -> (Node, usize) {
    let mut node = Node::default();
    let mut section = "";
    let mut i = 0;
    while i < lines.len() {
        let text = &lines[i].text;
        if i > 0
            && (lines[i].prompt
                || (indent(text) == 0 && text.starts_with("Name:") && !node.name.is_empty()))
        {
            break;
        }
        i += 1;
        if text.trim().is_empty() {
            continue;
        }
        if section == "Events" {
            if let Some(e) = describe_row(text) {
                node.events.push(e);
            }
            continue;
        }
        if indent(text) == 0
            && let Some((k, v)) = key_value(text)
        {
            section = match k.as_str() {
                "Name" => {
                    node.name = v;
                    ""
                }
                "Taints" => {
                    push_taint(&mut node, &v);
                    "Taints"
                }
                "Unschedulable" => {
                    node.unschedulable = v == "true";
                    ""
                }
                "Labels" => {
                    push_label(&mut node, &v);
                    "Labels"
                }
                "Conditions" => "Conditions",
                "Capacity" => "Capacity",
                "Allocatable" => "Allocatable",
                "Events" => "Events",
                _ => "",
            };
            continue;
        }
        // A condition row whose `Conditions:` line was cut away.
        if section != "Conditions"
            && let Some(c) = super::loose::node_condition(text.trim())
        {
            node.conditions.retain(|x| x.type_ != c.type_);
            node.conditions.push(c);
            continue;
        }
        match section {
            "Taints" => push_taint(&mut node, text.trim()),
            "Labels" => push_label(&mut node, text.trim()),
            "Capacity" | "Allocatable" => {
                if let Some((k, v)) = key_value(text) {
                    let map = if section == "Capacity" {
                        &mut node.capacity
                    } else {
                        &mut node.allocatable
                    };
                    map.insert(k, v);
                }
            }
            "Conditions" => {
                // Type and Status are single words; Reason and Message are the last columns.
                let words: Vec<&str> = text.split_whitespace().collect();
                let cols = split_columns(text);
                if words.len() >= 2 && matches!(words[1], "True" | "False" | "Unknown") {
                    let (reason, message) = match cols.len() {
                        n if n >= 4 => (cols.get(n - 2).cloned(), cols.last().cloned()),
                        _ => (None, None),
                    };
                    node.conditions.push(NodeCondition {
                        type_: words[0].to_string(),
                        status: words[1].to_string(),
                        reason,
                        message,
                        last_transition: None,
                    });
                }
            }
            _ => {}
        }
    }
    (node, i)
}

fn push_taint(node: &mut Node, v: &str) {
    if v.is_empty() || v == "<none>" {
        return;
    }
    let (kv, effect) = v.rsplit_once(':').unwrap_or((v, ""));
    let (key, value) = match kv.split_once('=') {
        Some((k, val)) => (k.to_string(), Some(val.to_string())),
        None => (kv.to_string(), None),
    };
    node.taints.push(Taint {
        key,
        value,
        effect: effect.to_string(),
    });
}

fn push_label(node: &mut Node, v: &str) {
    if let Some((k, val)) = v.split_once('=') {
        node.labels.insert(k.to_string(), val.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::text::clean::clean;

    const NODE: &str = "Name:               worker-3
Roles:              <none>
Labels:             kubernetes.io/arch=amd64
                    kubernetes.io/hostname=worker-3
CreationTimestamp:  Mon, 10 Nov 2026 10:00:00 +0000
Taints:             node.kubernetes.io/unreachable:NoExecute
                    node.kubernetes.io/unreachable:NoSchedule
Unschedulable:      false
Conditions:
  Type             Status    LastHeartbeatTime                 LastTransitionTime                Reason              Message
  ----             ------    -----------------                 ------------------                ------              -------
  MemoryPressure   Unknown   Thu, 20 Nov 2026 10:53:20 +0000   Thu, 20 Nov 2026 10:54:01 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
  Ready            Unknown   Thu, 20 Nov 2026 10:53:20 +0000   Thu, 20 Nov 2026 10:54:01 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
Capacity:
  cpu:     4
  memory:  16094624Ki
Allocatable:
  cpu:     3920m
Events:
  Type    Reason        Age   From             Message
  ----    ------        ----  ----             -------
  Normal  NodeNotReady  6m    node-controller  Node worker-3 status is now: NodeNotReady
";

    #[test]
    fn parses_conditions_taints_and_events() {
        let (n, _) = parse(&clean(NODE));
        assert_eq!(n.name, "worker-3");
        assert_eq!(n.taints.len(), 2);
        assert_eq!(
            n.taints[0].describe(),
            "node.kubernetes.io/unreachable:NoExecute"
        );
        let ready = n.condition("Ready").unwrap();
        assert_eq!(ready.status, "Unknown");
        assert_eq!(ready.reason.as_deref(), Some("NodeStatusUnknown"));
        assert_eq!(
            ready.message.as_deref(),
            Some("Kubelet stopped posting node status.")
        );
        assert_eq!(n.allocatable.get("cpu").map(String::as_str), Some("3920m"));
        assert_eq!(n.events.len(), 1);
        assert!(looks_like(&clean(NODE)));
    }
}
