//! The rule engine: runs the playbooks that serve each pod's status over its evidence and
//! returns ranked findings, each quoting the evidence it matched. No I/O.
//!
//! [`subject`] is what one evaluation sees (pod, subject container, node); [`eval`]
//! evaluates matchers; [`vars`] fills template variables; [`node_reasons`] ranks the
//! reasons of a message that counts nodes per reason; [`rank`] orders findings;
//! [`correlate`] groups pods that share a cause; [`services`] diagnoses Services after the
//! pods, and [`chain`] then gives the clients of a broken Service its finding.

mod addresses;
pub mod chain;
pub mod correlate;
mod eval;
mod finding;
mod infer;
pub mod node_reasons;
mod rank;
pub mod services;
mod subject;
mod system;
mod vars;

pub use correlate::{Change, Group, group_findings};
pub use finding::{
    EvidenceKind, EvidenceLine, Finding, FixLine, PodDiagnosis, ServiceDiagnosis, Standing,
};

use crate::evidence::{Evidence, Node, Pod};
use crate::playbook::{Cause, Playbooks, SubjectKind, TriedOn};
use crate::status::pod_status_at;
use eval::{Outcome, Truth, eval_all};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use subject::{Caches, EventMemo, FieldCache, Subject};

/// Pods below which one thread diagnoses them all (threads cost more than they save).
const PODS_PER_THREAD: usize = 2000;
/// Pods a thread takes at a time: unhealthy pods cost far more than healthy ones and come
/// in runs (a broken Deployment), so threads take small runs until none is left rather than
/// one half each.
const PODS_PER_TAKE: usize = 64;

/// Diagnoses every pod and Service of the evidence, as every command does: the pods' causes,
/// then the Services' (which name their pods' top causes), then the chains between them
/// (a client failing because of a Service it calls).
pub fn diagnose_all(
    evidence: &Evidence,
    playbooks: &Playbooks,
) -> (Vec<PodDiagnosis>, Vec<ServiceDiagnosis>) {
    let mut diagnoses = diagnose(evidence, playbooks);
    let mut services = services::diagnose(evidence, playbooks, &diagnoses);
    chain::apply(evidence, playbooks, &mut diagnoses, &mut services);
    (diagnoses, services)
}

/// Diagnoses every pod of the evidence, in the evidence's order. Nodes are indexed once,
/// so the cost grows with pods plus nodes, not their product; large evidence is shared out
/// over the machine's cores, each thread with its own memo of owner event matches.
pub fn diagnose(evidence: &Evidence, playbooks: &Playbooks) -> Vec<PodDiagnosis> {
    let nodes: HashMap<&str, &Node> = evidence
        .nodes
        .iter()
        .map(|n| (n.name.as_str(), n))
        .collect();
    let run = |pods: &[Pod], playbooks: &Playbooks, memo: &EventMemo| -> Vec<PodDiagnosis> {
        pods.iter()
            .map(|pod| {
                let node = pod.node_name.as_deref().and_then(|n| nodes.get(n).copied());
                diagnose_pod_with(evidence, playbooks, pod, node, memo)
            })
            .collect()
    };
    let pods = &evidence.pods;
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(pods.len() / PODS_PER_THREAD)
        .max(1);
    if threads == 1 {
        return run(pods, playbooks, &EventMemo::default());
    }
    let takes: Vec<&[Pod]> = pods.chunks(PODS_PER_TAKE).collect();
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Vec<PodDiagnosis>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                // A regex shared by threads hands its search caches around under a lock;
                // a clone per thread has its own (the compiled program is shared).
                let own = playbooks.clone();
                let (takes, next, run) = (&takes, &next, &run);
                s.spawn(move || {
                    let memo = EventMemo::default();
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(part) = takes.get(i) else {
                            return mine;
                        };
                        mine.push((i, run(part, &own, &memo)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a diagnosis thread panicked"))
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().flat_map(|(_, d)| d).collect()
}

/// Diagnoses one pod on its node: every cause of every playbook that serves its status.
pub fn diagnose_pod(
    evidence: &Evidence,
    playbooks: &Playbooks,
    pod: &Pod,
    node: Option<&Node>,
) -> PodDiagnosis {
    diagnose_pod_with(evidence, playbooks, pod, node, &EventMemo::default())
}

fn diagnose_pod_with(
    evidence: &Evidence,
    playbooks: &Playbooks,
    pod: &Pod,
    node: Option<&Node>,
    memo: &EventMemo,
) -> PodDiagnosis {
    let mut status = pod_status_at(pod, evidence.observed_at);
    let log_hits = Subject::scan_logs(pod, &playbooks.log_patterns);
    let fields = FieldCache::default();
    let mut notes = Vec::new();
    if !status.known {
        // Field values depend on the status (`pod.status`): the inference has its own cache.
        let before = FieldCache::default();
        let base = Subject::new(
            evidence,
            pod,
            node,
            &status,
            &playbooks.log_patterns,
            Caches {
                log_hits: &log_hits,
                memo,
                fields: &before,
            },
        );
        if let Some(inferred) = infer::infer(&base, playbooks) {
            notes.push(format!(
                "the text shows no status for {}: taken as `{}` from: {}",
                pod_label(pod),
                inferred.display,
                inferred.inferred_from.as_deref().unwrap_or_default()
            ));
            status = inferred;
        }
    }
    let base = Subject::new(
        evidence,
        pod,
        node,
        &status,
        &playbooks.log_patterns,
        Caches {
            log_hits: &log_hits,
            memo,
            fields: &fields,
        },
    );
    let mut findings = Vec::new();
    let mut fallbacks = Vec::new();
    // Causes are numbered in playbook order (ties in ranking keep it); whether a file serves
    // the pod's status is worked out once per file, not per cause.
    let numbered = playbooks.files.iter().flat_map(|f| {
        // A Service file serves Services only (`services::diagnose`).
        let serves = f.subject == SubjectKind::Pod && f.serves(&status.keys);
        f.causes.iter().map(move |c| (serves, c))
    });
    for (order, (serves, cause)) in numbered.enumerate() {
        // A pod whose status is unknown (a log alone) is tried by the files for any status
        // and by the causes a log can decide.
        if !serves && (status.known || !cause.decided_by_logs) {
            continue;
        }
        if cause.fallback {
            fallbacks.push((order, cause));
            continue;
        }
        // A healthy pod needs no explanation: only what is worth knowing (a finished Job).
        if status.healthy && cause.severity > crate::playbook::Severity::Info {
            continue;
        }
        if let Some(f) = try_cause(&base, cause, order) {
            findings.push(f);
        }
    }
    // A pod whose status nothing shows (named only by Normal events, a log with nothing
    // wrong in it) and in which nothing was found is not shown to be broken: unknown is not
    // unhealthy. It is scanned, not counted, and gets no finding.
    let unshown = findings.is_empty() && !status.known;
    // Nothing explains a pod that is not healthy (what matched is only worth knowing, such
    // as an address nothing in the log fails on): the cause of last resort says so.
    let explained = findings
        .iter()
        .any(|f| f.severity > crate::playbook::Severity::Info);
    if !explained && !status.healthy && !unshown {
        findings.extend(
            fallbacks
                .into_iter()
                .filter_map(|(order, cause)| try_cause(&base, cause, order)),
        );
    }
    for f in &mut findings {
        // Text that is mostly not command output, or a pod whose status nothing shows (a
        // log alone): what matched is shown, not raised; `kubectl describe pod` confirms it.
        if evidence.mostly_prose || (!status.known && !f.rank_first) {
            f.severity = crate::playbook::Severity::Info;
        }
    }
    node_reasons::rank_findings(&base, playbooks, &mut findings);

    // Text that is mostly prose mentions failures; it does not show a pod that has one.
    if unshown || evidence.mostly_prose {
        status.healthy = true;
    } else if status.healthy
        && findings
            .iter()
            .any(|f| f.severity > crate::playbook::Severity::Info)
    {
        // The documented exception (docs/PLAYBOOKS.md, "severity_by"): a healthy pod is tried
        // only by causes of severity info, and one rises above it only by a `severity_by`
        // rule whose matchers hold (failed connections to an address the pod's env gets
        // wrong). Such a pod is reported as a problem.
        status.healthy = false;
    }
    if !status.healthy
        && let Some(note) = crate::status::runs::made_good(pod, &evidence.jobs)
    {
        // A failed run of a CronJob that a later run made good is history: worth knowing,
        // not a current problem (the rule is the status layer's, `status/runs.rs`).
        status.healthy = true;
        for f in &mut findings {
            f.severity = crate::playbook::Severity::Info;
        }
        notes.push(note);
    }
    rank::rank(&mut findings);
    quote_rollout(pod, &mut findings);
    PodDiagnosis {
        namespace: pod.namespace.clone(),
        name: pod.name.clone(),
        node: pod.node_name.clone(),
        // The workload: a CronJob's runs are one (`cronjob/NAME`), as their group key says.
        owner: pod.owner.as_ref().map(|o| o.workload()),
        status,
        findings,
        notes,
    }
}

/// `shop/web-1`, `web-1`, or `the pod` when the text did not name it.
fn pod_label(pod: &Pod) -> String {
    match (pod.namespace.as_str(), pod.name.as_str()) {
        (_, "") => "the pod".into(),
        ("", name) => format!("`{name}`"),
        (ns, name) => format!("`{ns}/{name}`"),
    }
}

/// A failing pod of a Deployment's newest revision: its top finding quotes what the rollout
/// changed (a new tag, a lowered limit, a renamed Secret is often the real cause).
fn quote_rollout(pod: &Pod, findings: &mut [Finding]) {
    let (Some(rollout), Some(top)) = (&pod.rollout, findings.first_mut()) else {
        return;
    };
    if top.severity < crate::playbook::Severity::Warning {
        return;
    }
    let line = EvidenceLine {
        source: EvidenceKind::Pod,
        text: rollout.describe(),
        at: None,
    };
    if !top.evidence.contains(&line) {
        top.evidence.push(line);
    }
}

/// How much each leaf the evidence could not decide lowers a score.
const UNKNOWN_PENALTY: f64 = 0.05;
/// How much an event matcher lowers a score when every event it matched is older than an
/// event of the same reason that says something else (the scheduler's or kubelet's newer
/// message describes the present).
const SUPERSEDED_PENALTY: f64 = 0.1;

/// Tries one cause, per container when it reads containers; keeps the best match. A cause
/// matches when its `when` is not false and it quotes at least one line of evidence: missing
/// evidence lowers the score but never stands in for evidence.
fn try_cause(base: &Subject, cause: &Cause, order: usize) -> Option<Finding> {
    let subjects: Vec<_> = match cause.tried_on {
        TriedOn::Pod => vec![base.primary_container()],
        // A pod known only from its events has no containers: try the cause without one.
        TriedOn::Container if base.pod.all_containers().next().is_none() => vec![None],
        TriedOn::Container => base.pod.all_containers().map(Some).collect(),
    };
    let mut best: Option<(f64, usize, Outcome, Subject)> = None;
    for subject in subjects {
        let ctx = base.with_container(subject);
        let mut out = Outcome::default();
        if eval_all(&cause.when, &ctx, &mut out) == Truth::False {
            continue;
        }
        // The evidence must come from `when`: a boost alone (an error word in a log) never
        // stands for the cause. The cause of last resort needs none: it reports that
        // nothing explains the pod.
        if out.evidence.is_empty() && !cause.fallback {
            continue;
        }
        let mut score = cause.confidence;
        let mut specificity = out.leaves;
        for (m, weight) in &cause.boost {
            let mut extra = Outcome::default();
            if eval_all(std::slice::from_ref(m), &ctx, &mut extra) == Truth::True {
                score += weight;
                specificity += extra.leaves;
                extra.unknowns = 0;
                out.merge(extra);
            }
        }
        if out.evidence.is_empty() && !cause.fallback {
            continue;
        }
        score -= UNKNOWN_PENALTY * out.unknowns as f64;
        if out.superseded > 0 {
            score -= SUPERSEDED_PENALTY;
        }
        let score = score.clamp(0.0, 1.0);
        if best.as_ref().is_none_or(|(s, _, _, _)| score > *s) {
            best = Some((score, specificity, out, ctx));
        }
    }
    let (score, specificity, out, ctx) = best?;
    Some(Finding::build(cause, &ctx, out, score, specificity, order))
}
