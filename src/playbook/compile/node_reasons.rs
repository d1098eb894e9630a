//! Compiling a playbook's `node_reasons`: how a message lists reasons with the number of
//! nodes each excludes, and which node facts set a node apart. The engine splits and ranks
//! (`engine::node_reasons`); what the words mean stays here, in the playbook.

use super::Matcher;
use super::matchers::matcher;
use crate::playbook::fields::Field;
use crate::playbook::format::NodeReasonsSpec;
use regex::Regex;

/// A compiled `node_reasons`.
#[derive(Debug, Clone)]
pub struct NodeReasons {
    /// Finds the list (`list`) and the node count (`nodes`, optional) in a message.
    pub message: Regex,
    pub separator: String,
    /// One reason, anchored: `count` and `reason`.
    pub item: Regex,
    /// A reason naming the control plane.
    pub control_plane: Regex,
    /// Node matchers: any holding makes a node a control-plane node.
    pub control_plane_nodes: Vec<Matcher>,
    /// Node matchers: any holding sets a node apart.
    pub set_apart: Vec<Matcher>,
}

fn regex(field: &str, s: &str, groups: &[&str]) -> Result<Regex, (String, String)> {
    let re = Regex::new(s).map_err(|e| (field.to_string(), format!("bad regex: {e}")))?;
    for g in groups {
        if !re.capture_names().flatten().any(|n| n == *g) {
            return Err((field.to_string(), format!("needs a group `(?P<{g}>...)`")));
        }
    }
    Ok(re)
}

/// Checks that a matcher reads nodes only (it is evaluated on each node of the evidence).
pub fn node_matcher(v: &serde_json::Value) -> Result<Matcher, String> {
    let m = matcher(v)?;
    let mut leaves = Vec::new();
    m.leaves(&mut leaves);
    for l in leaves {
        let field = match l {
            Matcher::Text { field, .. }
            | Matcher::Flag { field, .. }
            | Matcher::AtLeast { field, .. } => Some(*field),
            _ => None,
        };
        if !field.is_some_and(|f| f.name().starts_with("node.") && f != Field::NodeMissing) {
            return Err(
                "reads a node's own fields only (`node.taint`, `node.unschedulable`, ...)".into(),
            );
        }
    }
    Ok(m)
}

/// Compiles `node_reasons`; errors name the key.
pub fn compile(spec: &NodeReasonsSpec) -> Result<NodeReasons, (String, String)> {
    let f = |k: &str| format!("node_reasons.{k}");
    if spec.separator.is_empty() {
        return Err((f("separator"), "must not be empty".into()));
    }
    let set_apart = spec
        .set_apart
        .iter()
        .enumerate()
        .map(|(i, v)| node_matcher(v).map_err(|m| (f(&format!("set_apart[{i}]")), m)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(NodeReasons {
        message: regex(&f("message"), &spec.message, &["list"])?,
        separator: spec.separator.clone(),
        item: regex(
            &f("item"),
            &format!("^(?:{})$", spec.item),
            &["count", "reason"],
        )?,
        control_plane: regex(&f("control_plane.reason"), &spec.control_plane.reason, &[])?,
        control_plane_nodes: spec
            .control_plane
            .nodes
            .iter()
            .enumerate()
            .map(|(i, v)| node_matcher(v).map_err(|m| (f(&format!("control_plane.nodes[{i}]")), m)))
            .collect::<Result<Vec<_>, _>>()?,
        set_apart,
    })
}
