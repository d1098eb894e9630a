//! Services as subjects: which pods each selects, which ports and protocols they serve, and
//! the causes of the `subject: service` playbooks matched over those facts by the same
//! evaluator, scoring and ranking as pods'. It runs after the pods' diagnosis: a Service
//! whose pods are not ready points at their own top causes.

mod facts;
mod index;

use super::finding::ServiceDiagnosis;
use super::subject::{Caches, EventMemo, FieldCache, LogCache, Subject};
use super::{PodDiagnosis, rank, try_cause};
use crate::evidence::{Evidence, Pod, Service};
use crate::playbook::{Playbooks, SubjectKind};
use crate::status::PodStatus;
use facts::Diagnoses;
pub use facts::ServiceFacts;
use index::PodIndex;

/// Diagnoses every Service of the evidence, in the evidence's order.
pub fn diagnose(
    evidence: &Evidence,
    playbooks: &Playbooks,
    pods: &[PodDiagnosis],
) -> Vec<ServiceDiagnosis> {
    if evidence.services.is_empty() {
        return Vec::new();
    }
    let index = PodIndex::new(&evidence.pods);
    let diagnoses: Diagnoses = pods
        .iter()
        .map(|d| ((d.namespace.as_str(), d.name.as_str()), d))
        .collect();
    let memo = EventMemo::default();
    evidence
        .services
        .iter()
        .map(|svc| {
            let facts = ServiceFacts::new(svc, evidence, &index, &diagnoses);
            diagnose_one(evidence, playbooks, svc, &facts, &memo)
        })
        .collect()
}

fn diagnose_one(
    evidence: &Evidence,
    playbooks: &Playbooks,
    svc: &Service,
    facts: &ServiceFacts,
    memo: &EventMemo,
) -> ServiceDiagnosis {
    // The evaluator's context is a pod's: a Service stands in as a pod of its name that
    // has nothing (its causes read only `service.*` fields, checked when playbooks load).
    let stand_in = Pod {
        namespace: svc.namespace.clone(),
        name: svc.name.clone(),
        ..Pod::default()
    };
    let status = PodStatus {
        display: "Service".into(),
        ready: 0,
        total: 0,
        restarts: 0,
        keys: Vec::new(),
        healthy: false,
        known: true,
        inferred_from: None,
    };
    let (log_hits, fields) = (LogCache::new(), FieldCache::default());
    let base = Subject::new(
        evidence,
        &stand_in,
        None,
        &status,
        &playbooks.log_patterns,
        Caches {
            log_hits: &log_hits,
            memo,
            fields: &fields,
        },
    )
    .with_service(facts);
    let mut findings = Vec::new();
    let numbered = playbooks
        .files
        .iter()
        .flat_map(|f| f.causes.iter().map(move |c| (f.subject, c)));
    for (order, (subject, cause)) in numbered.enumerate() {
        if subject != SubjectKind::Service {
            continue;
        }
        if let Some(f) = try_cause(&base, cause, order) {
            findings.push(f);
        }
    }
    if evidence.mostly_prose {
        for f in &mut findings {
            f.severity = crate::playbook::Severity::Info;
        }
    }
    rank::rank(&mut findings);
    ServiceDiagnosis {
        namespace: svc.namespace.clone(),
        name: svc.name.clone(),
        type_: svc.type_.clone(),
        findings,
        pods: facts.pods.clone(),
        clients: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
