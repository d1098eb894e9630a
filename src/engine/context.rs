//! What one evaluation of a cause sees: the pod, its status, its node, and the subject
//! container (for causes that read containers).

use crate::evidence::{Container, Evidence, Node, Pod};
use crate::status::PodStatus;

/// The evaluation context.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub evidence: &'a Evidence,
    pub pod: &'a Pod,
    pub node: Option<&'a Node>,
    pub status: &'a PodStatus,
    pub container: Option<&'a Container>,
}

impl<'a> Context<'a> {
    pub fn new(
        evidence: &'a Evidence,
        pod: &'a Pod,
        node: Option<&'a Node>,
        status: &'a PodStatus,
    ) -> Self {
        Context {
            evidence,
            pod,
            node,
            status,
            container: None,
        }
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
