//! What one evaluation of a cause sees: the pod, its status, its node, and the subject
//! container (for causes that read containers).

use crate::evidence::{Container, Evidence, Node, Pod};
use crate::playbook::{LogHits, LogPatterns};
use crate::status::PodStatus;
use std::collections::HashMap;

/// The log scan of a pod: hits per (container, previous instance).
pub type LogCache = HashMap<(String, bool), LogHits>;

/// The evaluation context.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub evidence: &'a Evidence,
    pub pod: &'a Pod,
    pub node: Option<&'a Node>,
    pub status: &'a PodStatus,
    pub container: Option<&'a Container>,
    pub patterns: &'a LogPatterns,
    pub log_hits: &'a LogCache,
}

impl<'a> Context<'a> {
    pub fn new(
        evidence: &'a Evidence,
        pod: &'a Pod,
        node: Option<&'a Node>,
        status: &'a PodStatus,
        patterns: &'a LogPatterns,
        log_hits: &'a LogCache,
    ) -> Self {
        Context {
            evidence,
            pod,
            node,
            status,
            container: None,
            patterns,
            log_hits,
        }
    }

    /// Scans every log of a pod once for all playbook log patterns.
    pub fn scan_logs(pod: &Pod, patterns: &LogPatterns) -> LogCache {
        let mut cache = LogCache::new();
        for c in pod.all_containers() {
            for (previous, excerpt) in [(false, &c.logs), (true, &c.previous_logs)] {
                let Some(excerpt) = excerpt else {
                    continue;
                };
                let mut text =
                    String::with_capacity(excerpt.lines.iter().map(|l| l.text.len() + 1).sum());
                for l in &excerpt.lines {
                    text.push_str(&l.text);
                    text.push('\n');
                }
                cache.insert((c.name.clone(), previous), patterns.scan(&text));
            }
        }
        cache
    }

    /// The same context about another container.
    pub fn with_container(&self, container: Option<&'a Container>) -> Self {
        Context { container, ..*self }
    }

    /// The container that decides the pod's status: the first unfinished init container
    /// while initializing, else the first app container that is not healthy, else the first.
    pub fn primary_container(&self) -> Option<&'a Container> {
        if self.status.display.starts_with("Init:")
            && let Some(c) = self.pod.init_containers.iter().find(|c| !c.is_healthy())
        {
            return Some(c);
        }
        self.pod
            .containers
            .iter()
            .find(|c| !c.is_healthy())
            .or(self.pod.containers.first())
    }
}
