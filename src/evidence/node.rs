//! A node: conditions, taints, schedulability, and its kubelet journal.

use super::{Event, JournalEntry};
use jiff::Timestamp;
use std::collections::BTreeMap;

/// One node.
#[derive(Debug, Clone, Default)]
pub struct Node {
    pub name: String,
    pub unschedulable: bool,
    pub conditions: Vec<NodeCondition>,
    pub taints: Vec<Taint>,
    pub labels: BTreeMap<String, String>,
    pub capacity: super::Quantities,
    pub allocatable: super::Quantities,
    /// Events about the node, newest first.
    pub events: Vec<Event>,
    /// Kubelet journal lines from the node, in journal order.
    pub journal: Vec<JournalEntry>,
}

impl Node {
    /// A condition by type.
    pub fn condition(&self, type_: &str) -> Option<&NodeCondition> {
        self.conditions.iter().find(|c| c.type_ == type_)
    }
}

/// A node condition (Ready, MemoryPressure, DiskPressure, PIDPressure, ...).
#[derive(Debug, Clone, Default)]
pub struct NodeCondition {
    pub type_: String,
    pub status: String,
    pub reason: Option<String>,
    pub message: Option<String>,
    pub last_transition: Option<Timestamp>,
}

impl NodeCondition {
    /// `Ready=Unknown (NodeStatusUnknown: Kubelet stopped posting node status.)`
    pub fn describe(&self) -> String {
        let mut s = format!("{}={}", self.type_, self.status);
        match (self.reason.as_deref(), self.message.as_deref()) {
            (Some(r), Some(m)) if !m.is_empty() => s.push_str(&format!(" ({r}: {m})")),
            (Some(r), _) => s.push_str(&format!(" ({r})")),
            (None, Some(m)) if !m.is_empty() => s.push_str(&format!(" ({m})")),
            _ => {}
        }
        s
    }
}

/// A node taint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Taint {
    pub key: String,
    pub value: Option<String>,
    pub effect: String,
}

impl Taint {
    /// `key=value:Effect`, as `kubectl describe node` shows it.
    pub fn describe(&self) -> String {
        match &self.value {
            Some(v) if !v.is_empty() => format!("{}={}:{}", self.key, v, self.effect),
            _ => format!("{}:{}", self.key, self.effect),
        }
    }
}
