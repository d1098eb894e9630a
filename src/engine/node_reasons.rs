//! Reasons with node counts: a message that says why each node was rejected (the
//! scheduler's `0/6 nodes are available: 1 node(s) had untolerated taint {...}, 2 node(s)
//! were unschedulable, 3 Insufficient memory.`) is split into its reasons, each matched to
//! the causes whose message regexes match it, and ranked:
//!
//! - a reason is *background* when every node it covers is set apart anyway: with node facts
//!   in the evidence, its causes' `on_nodes` hold on at least that many nodes that a
//!   `set_apart` matcher holds on (cordoned, not ready, control plane); without them, when
//!   the reason names the control plane;
//! - the *decisive* reason is, of the others, the one that covers the most nodes (less those
//!   of the control plane): with node facts, the nodes that pass every other constraint.
//!
//! Which words mean what is the playbook's (`node_reasons`, each cause's regexes and
//! `on_nodes`); this module only splits, counts and decides.

use super::eval::{Outcome, Truth, eval_all};
use super::finding::{EvidenceKind, EvidenceLine, Finding, Standing};
use super::subject::{FieldCache, Subject};
use crate::evidence::Node;
use crate::playbook::{Cause, Matcher, NodeReasons, Playbooks};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// How much a background reason's score is lowered.
const BACKGROUND_PENALTY: f64 = 0.2;
/// How many node names a line quotes.
const NAMED_NODES: usize = 3;

/// One reason of a per-node message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// Nodes it covers (every node for a reason given without a count).
    pub count: u32,
    pub text: String,
}

/// Splits a message into its reasons and the number of nodes considered: `None` when the
/// message is not one `node_reasons` reads.
pub fn split(nr: &NodeReasons, message: &str) -> Option<(Option<u32>, Vec<Reason>)> {
    let caps = nr.message.captures(message)?;
    let list = caps.name("list")?.as_str().trim();
    let total = caps.name("nodes").and_then(|n| n.as_str().parse().ok());
    let mut reasons: Vec<Reason> = Vec::new();
    for piece in list.split(nr.separator.as_str()) {
        match nr.item.captures(piece) {
            Some(c) => {
                let count = c.name("count").and_then(|n| n.as_str().parse().ok());
                let text = c.name("reason").map_or("", |r| r.as_str()).trim();
                match count {
                    Some(count) if !text.is_empty() => reasons.push(Reason {
                        count,
                        text: text.to_string(),
                    }),
                    _ => continue_last(&mut reasons, nr, piece, total),
                }
            }
            None => continue_last(&mut reasons, nr, piece, total),
        }
    }
    (!reasons.is_empty()).then_some((total, reasons))
}

/// A piece that is not a reason of its own continues the one before it; the first piece
/// without a count is one reason for every node (a PreFilter rejection).
fn continue_last(reasons: &mut Vec<Reason>, nr: &NodeReasons, piece: &str, total: Option<u32>) {
    match reasons.last_mut() {
        Some(last) => {
            last.text.push_str(&nr.separator);
            last.text.push_str(piece);
        }
        None if !piece.trim().is_empty() => reasons.push(Reason {
            count: total.unwrap_or(0),
            text: piece.trim().to_string(),
        }),
        None => {}
    }
}

/// Where each reason stands, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    pub reason: Reason,
    pub standing: Standing,
    /// The nodes known to be set apart that the reason covers (with node facts).
    pub set_apart: Vec<String>,
    /// The reason names the control plane.
    pub control_plane: bool,
    /// Decisive although background: every reason was (all workers cordoned).
    pub only_left: bool,
}

/// Which nodes of the evidence a node matcher holds on, once per run.
#[derive(Default)]
pub struct NodeMemo {
    map: RefCell<HashMap<usize, Rc<Vec<bool>>>>,
}

impl NodeMemo {
    /// For each node of the evidence (in order), whether `m` is known to hold on it.
    fn holds(&self, m: &Matcher, base: &Subject) -> Rc<Vec<bool>> {
        // The matcher lives as long as the playbooks: its address identifies it.
        let key = std::ptr::from_ref(m) as usize;
        if let Some(v) = self.map.borrow().get(&key) {
            return v.clone();
        }
        let v = Rc::new(
            base.evidence
                .nodes
                .iter()
                .map(|n| node_holds(std::slice::from_ref(m), n, base))
                .collect::<Vec<_>>(),
        );
        self.map.borrow_mut().insert(key, v.clone());
        v
    }
}

/// Whether any matcher is known to hold on `node` (its own fields only).
fn node_holds(ms: &[Matcher], node: &Node, base: &Subject) -> bool {
    ms.iter().any(|m| {
        let fields = FieldCache::default();
        let ctx = Subject {
            node: Some(node),
            container: None,
            fields: &fields,
            ..*base
        };
        eval_all(std::slice::from_ref(m), &ctx, &mut Outcome::default()) == Truth::True
    })
}

/// Ranks the reasons of the pod's newest per-node message and marks the findings whose
/// causes they match: their standing, the reasons with their counts as evidence, a sentence.
pub fn rank_findings(base: &Subject, playbooks: &Playbooks, findings: &mut [Finding]) {
    for file in &playbooks.files {
        let Some(nr) = &file.node_reasons else {
            continue;
        };
        let cause_of = |f: &Finding| {
            cause_at(playbooks, f.order).filter(|c| c.id == f.id && c.file == file.file)
        };
        // Most pods have no finding of this file: their events are not read again.
        if !findings.iter().any(|f| cause_of(f).is_some()) {
            continue;
        }
        let Some((total, reasons)) = newest_message(base, nr).and_then(|m| split(nr, m)) else {
            continue;
        };
        if reasons.len() < 2 {
            continue;
        }
        let covers =
            |c: &Cause, r: &Reason| c.message_regexes().iter().any(|re| re.is_match(&r.text));
        // The causes that match each reason (those the pod has findings of).
        let matched: Vec<Vec<&Cause>> = reasons
            .iter()
            .map(|r| {
                findings
                    .iter()
                    .filter_map(cause_of)
                    .filter(|c| covers(c, r))
                    .collect()
            })
            .collect();
        let ranked = rank(base, nr, reasons, &matched);
        let total = total.unwrap_or_else(|| {
            ranked
                .iter()
                .fold(0u32, |n, r| n.saturating_add(r.reason.count))
        });
        for f in findings.iter_mut() {
            let Some(cause) = cause_of(f) else {
                continue;
            };
            let mine: Vec<&Ranked> = ranked.iter().filter(|r| covers(cause, &r.reason)).collect();
            let Some(best) = mine.iter().map(|r| r.standing).max() else {
                continue;
            };
            f.standing = best;
            if best == Standing::Background {
                f.score = (f.score - BACKGROUND_PENALTY).max(0.0);
            }
            for (r, m) in ranked.iter().zip(&matched) {
                f.evidence.push(EvidenceLine {
                    source: EvidenceKind::Event,
                    text: line(r, total, m.is_empty()),
                    at: None,
                });
            }
            f.said.push(sentence(&ranked, &mine, best, total));
        }
    }
}

/// The cause numbered `order` in playbook order (as findings number them).
fn cause_at(playbooks: &Playbooks, order: usize) -> Option<&Cause> {
    let mut i = order;
    for f in &playbooks.files {
        if let Some(c) = f.causes.get(i) {
            return Some(c);
        }
        i -= f.causes.len();
    }
    None
}

/// The newest message of the pod that `node_reasons` reads: its events first (newest
/// first), then its conditions.
fn newest_message<'a>(base: &Subject<'a>, nr: &NodeReasons) -> Option<&'a str> {
    let pod = base.pod;
    let now = base.evidence.observed_at;
    let mut events: Vec<_> = pod
        .events
        .iter()
        .filter(|e| nr.message.is_match(&e.message))
        .collect();
    // Events are kept newest first; an age, when known, decides.
    events.sort_by_key(|e| e.seconds_ago(now).unwrap_or(i64::MAX));
    events.first().map(|e| e.message.as_str()).or_else(|| {
        pod.conditions
            .iter()
            .filter_map(|c| c.message.as_deref())
            .find(|m| nr.message.is_match(m))
    })
}

/// Decides the standing of each reason (see the module's documentation).
pub fn rank(
    base: &Subject,
    nr: &NodeReasons,
    reasons: Vec<Reason>,
    matched: &[Vec<&Cause>],
) -> Vec<Ranked> {
    let nodes = &base.evidence.nodes;
    let facts = base.evidence.coverage.nodes && nodes.iter().any(|n| !n.conditions.is_empty());
    let memo = &base.memo.nodes;
    let apart: Vec<bool> = if facts {
        nr.set_apart
            .iter()
            .map(|m| memo.holds(m, base))
            .fold(vec![false; nodes.len()], |acc, v| {
                acc.iter().zip(v.iter()).map(|(a, b)| *a || *b).collect()
            })
    } else {
        Vec::new()
    };
    let mut ranked: Vec<Ranked> = reasons
        .into_iter()
        .zip(matched)
        .map(|(reason, causes)| {
            let control_plane = nr.control_plane.is_match(&reason.text);
            let mut set_apart = Vec::new();
            let mut background = control_plane;
            // A reason naming the control plane is about its nodes; others about the nodes
            // their causes' `on_nodes` hold on.
            let on_nodes: Vec<&Matcher> = if control_plane {
                nr.control_plane_nodes.iter().collect()
            } else {
                causes.iter().filter_map(|c| c.on_nodes.as_ref()).collect()
            };
            if facts && !on_nodes.is_empty() {
                let mut covered = vec![false; nodes.len()];
                for m in on_nodes {
                    for (c, h) in covered.iter_mut().zip(memo.holds(m, base).iter()) {
                        *c |= *h;
                    }
                }
                set_apart = nodes
                    .iter()
                    .zip(covered.iter().zip(&apart))
                    .filter(|(_, (c, a))| **c && **a)
                    .map(|(n, _)| n.name.clone())
                    .collect();
                background = reason.count > 0 && set_apart.len() >= reason.count as usize;
            }
            Ranked {
                reason,
                standing: if background {
                    Standing::Background
                } else {
                    Standing::Neutral
                },
                set_apart,
                control_plane,
                only_left: false,
            }
        })
        .collect();
    let effective = |r: &Ranked| if r.control_plane { 0 } else { r.reason.count };
    let open = |r: &&Ranked| r.standing != Standing::Background;
    // Of the reasons that are not background, the one covering the most nodes; when all are
    // background (every worker cordoned), the one covering the most that are not the control
    // plane; then simply the most.
    let best = ranked
        .iter()
        .filter(open)
        .map(effective)
        .max()
        .filter(|n| *n > 0)
        .map(|n| (n, true))
        .or_else(|| {
            ranked
                .iter()
                .map(effective)
                .max()
                .filter(|n| *n > 0)
                .map(|n| (n, false))
        });
    match best {
        Some((n, among_open)) => {
            for r in ranked.iter_mut() {
                if effective(r) == n && (!among_open || r.standing != Standing::Background) {
                    r.only_left = r.standing == Standing::Background;
                    r.standing = Standing::Decisive;
                }
            }
        }
        None => {
            let most = ranked.iter().map(|r| r.reason.count).max().unwrap_or(0);
            for r in ranked.iter_mut().filter(|r| r.reason.count == most) {
                r.only_left = r.standing == Standing::Background;
                r.standing = Standing::Decisive;
            }
        }
    }
    ranked
}

/// `3 of 6 nodes: Insufficient memory (decisive: ...)`.
fn line(r: &Ranked, total: u32, unmatched: bool) -> String {
    let role = match r.standing {
        Standing::Decisive if r.only_left => {
            "decisive: every other reason covers nodes set apart too".to_string()
        }
        Standing::Decisive => "decisive: the nodes that pass every other constraint".to_string(),
        Standing::Background if !r.set_apart.is_empty() => {
            format!("background: set apart anyway ({})", names(&r.set_apart))
        }
        Standing::Background => "background: control-plane nodes".to_string(),
        Standing::Neutral => "also rejects nodes".to_string(),
    };
    let unmatched = if unmatched {
        "; no known cause matches this reason"
    } else {
        ""
    };
    format!(
        "{} of {}: {} ({role}{unmatched})",
        r.reason.count,
        crate::words::count(total, "node", "nodes"),
        r.reason.text
    )
}

/// `worker-4, worker-5` or `worker-1, worker-2, worker-3 and 4 more`.
fn names(nodes: &[String]) -> String {
    if nodes.len() <= NAMED_NODES {
        return nodes.join(", ");
    }
    format!(
        "{} and {} more",
        nodes[..NAMED_NODES].join(", "),
        nodes.len() - NAMED_NODES
    )
}

/// One sentence for the explanation: where this cause's reason stands among the others.
fn sentence(all: &[Ranked], mine: &[&Ranked], best: Standing, total: u32) -> String {
    let list: Vec<String> = all
        .iter()
        .map(|r| format!("{} {}", r.reason.count, r.reason.text))
        .collect();
    let head = format!(
        "The scheduler gives {} for {} ({}).",
        crate::words::count(all.len() as u64, "reason", "reasons"),
        crate::words::count(total, "node", "nodes"),
        list.join("; ")
    );
    let count = mine
        .iter()
        .filter(|r| r.standing == best)
        .fold(0u32, |n, r| n.saturating_add(r.reason.count));
    let decisive: Vec<String> = all
        .iter()
        .filter(|r| r.standing == Standing::Decisive)
        .map(|r| format!("`{}`", r.reason.text))
        .collect();
    let only_left = mine.iter().any(|r| r.only_left);
    let tail = match best {
        Standing::Decisive if only_left => format!(
            "This one decides: it covers {count} node(s), and the nodes of the other reasons are set apart as well (control plane, cordoned or not ready)."
        ),
        Standing::Decisive => format!(
            "This one decides: its {count} node(s) are the ones that pass every other constraint; the other reasons cover nodes that are set apart or fewer nodes."
        ),
        Standing::Background => format!(
            "This one is background: its {count} node(s) are set apart anyway (cordoned, not ready or control plane); the decisive reason is {}.",
            decisive.join(" and ")
        ),
        Standing::Neutral => format!(
            "This one rejects {count} node(s); the decisive reason is {}, which covers more of the nodes that pass every other constraint.",
            decisive.join(" and ")
        ),
    };
    format!("{head} {tail}")
}

#[cfg(test)]
mod tests;
