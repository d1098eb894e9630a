//! `kubectl get nodes` tables: one node per row, its Ready condition from STATUS (`Ready`,
//! `NotReady`, `Unknown`) and cordoning from `SchedulingDisabled`. A pasted node list is
//! the whole list: a node missing from it is missing from the cluster.

use super::clean::Line;
use super::events::split_columns;
use crate::evidence::{Node, NodeCondition};

/// True for a `get nodes` header (`NAME STATUS ROLES AGE VERSION`, `-o wide` adds more).
pub fn header(line: &str) -> bool {
    let cols = split_columns(line);
    let has = |n: &str| cols.iter().any(|c| c == n);
    has("NAME") && has("STATUS") && has("ROLES") && has("VERSION")
}

/// Parses the header and its rows; returns the nodes and the lines used.
pub fn parse(lines: &[Line]) -> (Vec<Node>, usize) {
    let head = split_columns(&lines[0].text);
    let col = |n: &str| head.iter().position(|h| h == n);
    let (Some(name_col), Some(status_col)) = (col("NAME"), col("STATUS")) else {
        return (Vec::new(), 0);
    };
    let mut nodes = Vec::new();
    let mut used = 1;
    for l in &lines[1..] {
        if l.prompt || l.text.trim().is_empty() {
            break;
        }
        used += 1;
        let cells = split_columns(&l.text);
        let (Some(name), Some(status)) = (cells.get(name_col), cells.get(status_col)) else {
            continue;
        };
        let mut node = Node {
            name: name.clone(),
            unschedulable: status.contains("SchedulingDisabled"),
            ..Default::default()
        };
        let ready = status.split(',').next().unwrap_or_default();
        let value = match ready {
            "Ready" => "True",
            "NotReady" => "False",
            _ => "Unknown",
        };
        node.conditions.push(NodeCondition {
            type_: "Ready".into(),
            status: value.into(),
            reason: Some(format!("STATUS {status}")),
            message: None,
            last_transition: None,
        });
        nodes.push(node);
    }
    (nodes, used)
}
