//! Finding a pod by name among the pieces of a paste without a scan per lookup: a session
//! of thousands of pods and events joins in time linear in its size.

use crate::evidence::Pod;
use std::collections::HashMap;

/// The positions of pods by name; kept in step with the list as pods are pushed.
#[derive(Default)]
pub(super) struct ByName(HashMap<String, Vec<usize>>);

impl ByName {
    pub(super) fn new(pods: &[Pod]) -> ByName {
        let mut index = ByName::default();
        for (i, p) in pods.iter().enumerate() {
            index.add(i, &p.name);
        }
        index
    }

    /// Records that the pod at `i` is named `name`.
    pub(super) fn add(&mut self, i: usize, name: &str) {
        self.0.entry(name.to_string()).or_default().push(i);
    }

    /// The first pod named `name` (in `namespace`, when both are known), as
    /// [`super::find`] decides.
    pub(super) fn find(&self, pods: &[Pod], namespace: &str, name: &str) -> Option<usize> {
        self.0
            .get(name)?
            .iter()
            .copied()
            .find(|&i| super::is_named(&pods[i], namespace, name))
    }
}
