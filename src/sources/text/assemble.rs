//! Joining what was read from text into one evidence: the pieces that are about the same pod
//! (a `get pods` row, a describe fragment, a status line, events, logs) become one pod; the
//! pod the text is about comes first; events join pods by name, logs go to the named or the
//! failing container, journal lines to their node; notes say what the text lacked.

use super::names;
use super::segment::{Collected, LogPiece};
use crate::evidence::{Container, Coverage, Evidence, Node, Pod, SourceInfo, SourceKind};
use crate::sources::objects::convert::InvolvedObject;
use crate::sources::objects::join;
use index::ByName;
use merge::{looks_healthy, merge_pods};

/// How much of a long text must be command output for its findings to count: below this
/// share of placed lines, the text reads like prose, code or configuration.
mod containers;
mod history;
mod index;
mod merge;
mod naming;
mod owners;
mod services;

const PLAUSIBLE_SHARE: f64 = 0.25;
/// Texts shorter than this are judged by what they contain, not by the share (a pasted
/// message or two).
const PLAUSIBLE_MIN_LINES: usize = 8;

pub fn assemble(mut c: Collected, name: String) -> Evidence {
    let mut notes = std::mem::take(&mut c.notes);
    // A piece without a name takes it from its own events before pieces merge (a paste
    // that starts inside one pod's Events table, then describes another).
    name_from_events(&mut c.pods);
    let mut pods = merge_pods(std::mem::take(&mut c.pods));
    name_from_events(&mut pods);
    owners::from_controllers(&mut pods, &c.controllers);
    join::resolve_owners(&mut pods, &[], &c.jobs);
    let events = std::mem::take(&mut c.events);
    let had_pods = !pods.is_empty();

    // Events that name a pod (a column, the command, or their message) join it; a pod named
    // only by Warning events is a pod of its own; the rest are about the subject.
    let mut named = Vec::new();
    let mut loose = Vec::new();
    for (event, io) in events {
        let io = io.or_else(|| {
            names::pod_in(&event.message).map(|n| InvolvedObject {
                kind: "Pod".into(),
                namespace: n.namespace.unwrap_or_default(),
                name: n.name,
                uid: None,
            })
        });
        match io {
            Some(io) if !io.name.is_empty() => named.push((event, io)),
            _ => loose.push(event),
        }
    }
    let mut by_name = index::ByName::new(&pods);
    let listed = pods_listed(&c.inventories);
    let (mut named, history) = history::split(named, &pods, &by_name, &listed);
    notes.extend(history.notes());
    for (event, io) in &named {
        if io.kind == "Pod"
            && (event.type_ == "Warning" || !had_pods)
            && by_name.find(&pods, &io.namespace, &io.name).is_none()
        {
            by_name.add(pods.len(), &io.name);
            pods.push(Pod {
                name: io.name.clone(),
                namespace: io.namespace.clone(),
                partial: true,
                ..Default::default()
            });
        }
    }
    // Namespaces: an event without one (a table without NAMESPACE) joins the pod of that
    // name, or the namespace of the pods its object owns.
    for (_, io) in &mut named {
        if io.namespace.is_empty()
            && io.kind == "Pod"
            && let Some(i) = by_name.find(&pods, "", &io.name)
        {
            io.namespace = pods[i].namespace.clone();
        }
        if io.namespace.is_empty() && io.kind != "Pod" {
            let reference = crate::evidence::object_ref(&io.kind, &io.name);
            if let Some(p) = pods.iter().find(|p| {
                p.owner
                    .as_ref()
                    .is_some_and(|o| o.chain.contains(&reference) || o.reference() == reference)
            }) {
                io.namespace = p.namespace.clone();
            }
        }
        if io.kind == "Pod"
            && let Some(i) = by_name.find(&pods, &io.namespace, &io.name)
        {
            io.namespace = pods[i].namespace.clone();
        }
    }
    let subject = subject(&mut pods, !loose.is_empty() || !c.logs.is_empty());
    let mut nodes = std::mem::take(&mut c.nodes);
    if let Some(s) = subject {
        pods[s].events.extend(loose);
    }
    let (mut object_events, unmatched) = join::attach_events(&mut pods, &mut nodes, named);
    containers::name_from_events(&mut pods);
    let (placeholders, unmatched, placeholder_notes) =
        join::placeholder_pods(unmatched, &mut object_events, &c.controllers);
    notes.extend(placeholder_notes);
    let mut placeholders = placeholders;
    join::resolve_owners(&mut placeholders, &[], &c.jobs);
    if !placeholders.is_empty() {
        // Only controller events were pasted: the controllers stand in for their pods.
        pods.retain(|p| {
            !(p.name.is_empty() && p.events.is_empty() && p.all_containers().next().is_none())
        });
        pods.extend(placeholders);
    }
    if !unmatched.is_empty() {
        notes.push(format!(
            "{} the text does not describe and were not used",
            crate::words::count(
                unmatched.len() as u64,
                "event names an object",
                "events name objects"
            )
        ));
    }
    // A pod the text does not name, only where something in it needs one (logs, a
    // journal, node rows); a text that shows no pod (`No resources found`, an empty List, a
    // ConfigMap) has none.
    let needs_home = !c.logs.is_empty()
        || !c.journal.is_empty()
        || !c.deleted.is_empty()
        || nodes.iter().any(|n| n.name.is_empty());
    if pods.is_empty() && needs_home {
        pods.push(Pod {
            partial: true,
            ..Default::default()
        });
    }
    let subject = subject.filter(|s| *s < pods.len()).unwrap_or(0);

    let have_logs = !c.logs.is_empty();
    // Pods were added and removed since the index was built (placeholders): built anew.
    let mut by_name = index::ByName::new(&pods);
    for piece in std::mem::take(&mut c.logs) {
        attach_log(&mut pods, &mut by_name, subject, piece);
    }
    for name in std::mem::take(&mut c.deleted) {
        // kubectl answered the delete (of a pod the text shows, or names only here); when,
        // the text does not say.
        let i = find(&pods, "", &name).or_else(|| {
            let unnamed: Vec<usize> = (0..pods.len())
                .filter(|&i| pods[i].name.is_empty())
                .collect();
            let [only] = unnamed[..] else {
                return None;
            };
            pods[only].name = name.clone();
            Some(only)
        });
        if let Some(i) = i {
            pods[i].deletion.get_or_insert_with(Default::default);
        }
    }
    let have_journal = !c.journal.is_empty();
    if have_journal {
        attach_journal(
            &mut pods,
            &mut nodes,
            subject,
            std::mem::take(&mut c.journal),
        );
    }
    rows_on_nodes_not_ready(&mut pods, &nodes);
    // Node rows read without a node name belong to the subject's node.
    if let Some(n) = nodes.iter_mut().find(|n| n.name.is_empty()) {
        n.name = pods[subject].node_name.clone().unwrap_or_default();
        if pods[subject].node_name.is_none() {
            pods[subject].node_name = Some(String::new());
        }
    }
    // The pod the text is about first.
    if subject > 0 {
        let s = pods.remove(subject);
        pods.insert(0, s);
    }

    if pods.iter().any(|p| p.partial && p.status_hint.is_none()) {
        notes.push(
            "the text has no pod status (only events, logs or a manifest): container states are unknown, so causes that need them score lower".into(),
        );
    }
    if pods.is_empty() {
        notes.push(
            "the text shows no pod (an empty listing, or objects of other kinds only)".into(),
        );
    } else if !c.had_events {
        notes.push("the text has no events: causes that read events could not be confirmed".into());
    }
    let joined = services::join(std::mem::take(&mut c.services), &mut c.other_kinds);
    if let Some(note) = outputs_not_used(&c) {
        notes.push(note);
    }
    if c.unplaced_count > 0 {
        let first = c
            .unplaced
            .first()
            .map(|(n, l)| format!(" (first, in `{n}`: {l:?})"))
            .unwrap_or_default();
        notes.push(format!(
            "{} not recognised and ignored{first}",
            match c.unplaced_count {
                1 => "1 line was".to_string(),
                n => format!("{n} lines were"),
            }
        ));
    }
    let mostly_prose = c.lines_total >= PLAUSIBLE_MIN_LINES
        && (c.lines_placed as f64) < PLAUSIBLE_SHARE * c.lines_total as f64;
    if mostly_prose {
        notes.push(format!(
            "only {} of {} lines are command output (kubectl, kubelet, container logs); the rest reads like prose, code or configuration, so findings are shown at info: paste the command output itself",
            c.lines_placed, c.lines_total
        ));
    }
    Evidence {
        coverage: Coverage {
            events: c.had_events,
            nodes: c.node_list,
            logs: have_logs,
            journal: have_journal,
        },
        pods,
        nodes,
        object_events,
        services: joined.services,
        service_accounts: joined.accounts,
        jobs: std::mem::take(&mut c.jobs),
        // Whether a selector matches no pod needs the pods' labels.
        pods_listed: pods_listed(&c.labelled_inventories),
        services_listed: joined.services_listed,
        service_accounts_listed: joined.accounts_listed,
        source: SourceInfo {
            kind: SourceKind::Text,
            location: name,
        },
        // A paste does not say when it was taken: ages relative to it are unknown, and a
        // restart it shows counts as recent.
        observed_at: None,
        mostly_prose,
        notes,
        ..Evidence::default()
    }
}

/// A pod shown only as a row (READY counts its containers) on a node the text shows not
/// Ready: the node lifecycle controller marks such pods' Ready condition False (or the
/// kubelet stopped reporting them), which a `get pods` row does not print. Its Ready
/// condition is unknown, not True, so it is judged with its node, as a bundle judges it.
fn rows_on_nodes_not_ready(pods: &mut [Pod], nodes: &[Node]) {
    for pod in pods
        .iter_mut()
        .filter(|p| p.partial && p.status_hint.is_some())
    {
        let Some(node) = pod
            .node_name
            .as_deref()
            .and_then(|n| nodes.iter().find(|x| x.name == n))
        else {
            continue;
        };
        let not_ready = node
            .conditions
            .iter()
            .any(|c| c.type_ == "Ready" && c.status != "True");
        if not_ready && pod.condition("Ready").is_none() {
            pod.conditions.push(crate::evidence::PodCondition {
                type_: "Ready".into(),
                status: "Unknown".into(),
                reason: Some("NodeNotReady".into()),
                message: Some(format!("node `{}` is not Ready", node.name)),
            });
        }
    }
}

/// The namespaces whose pods the text lists completely (its inventories; `None` is every
/// namespace).
fn pods_listed(inventories: &[Option<String>]) -> crate::evidence::Listed {
    let mut listed = crate::evidence::Listed::default();
    for inventory in inventories {
        match inventory {
            Some(ns) => listed.add(ns.clone()),
            None => listed.all = true,
        }
    }
    listed
}

/// One note for the outputs read and not used: kinds kubedoctor recognises but does not
/// diagnose (with how many of each), and tables it could not identify.
fn outputs_not_used(c: &Collected) -> Option<String> {
    let known: u64 = c.other_kinds.values().map(|n| *n as u64).sum();
    let total = known + c.unknown_outputs as u64;
    if total == 0 {
        return None;
    }
    let mut parts: Vec<String> = c
        .other_kinds
        .iter()
        .map(|(kind, n)| format!("{kind} {n}"))
        .collect();
    if c.unknown_outputs > 0 {
        parts.push(format!("not identified {}", c.unknown_outputs));
    }
    Some(format!(
        "{} not used for diagnosis ({})",
        crate::words::count(
            total,
            "output of another kind was",
            "outputs of other kinds were"
        ),
        parts.join(", ")
    ))
}

/// The index of the pod named `name` (in `namespace`, when both are known).
fn find(pods: &[Pod], namespace: &str, name: &str) -> Option<usize> {
    pods.iter().position(|p| is_named(p, namespace, name))
}

/// Whether `p` is the pod named `name` in `namespace` (a namespace either side does not know
/// matches any).
fn is_named(p: &Pod, namespace: &str, name: &str) -> bool {
    p.name == name && (namespace.is_empty() || p.namespace.is_empty() || p.namespace == namespace)
}

/// A pod without a name takes it from its own events (`Successfully assigned ns/pod to
/// node`, `pod=name_ns(uid)`), with its node.
fn name_from_events(pods: &mut [Pod]) {
    for p in pods.iter_mut().filter(|p| p.name.is_empty()) {
        let Some(n) = p.events.iter().find_map(|e| names::pod_in(&e.message)) else {
            continue;
        };
        p.name = n.name;
        if p.namespace.is_empty() {
            p.namespace = n.namespace.unwrap_or_default();
        }
        if p.node_name.is_none() {
            p.node_name = n.node;
        }
    }
}

/// The pod the text is about: the one described in detail, else the one in trouble, else
/// the first; an unnamed pod is made when there is none and something needs a home.
fn subject(pods: &mut Vec<Pod>, needed: bool) -> Option<usize> {
    let detailed =
        |p: &Pod| !p.partial || p.all_containers().next().is_some() || !p.events.is_empty();
    let found = pods
        .iter()
        .position(|p| p.name.is_empty())
        .or_else(|| pods.iter().position(|p| detailed(p) && !looks_healthy(p)))
        .or_else(|| pods.iter().position(|p| !looks_healthy(p)))
        .or_else(|| pods.iter().position(detailed));
    match found {
        Some(i) => Some(i),
        None if needed && pods.is_empty() => {
            pods.push(Pod {
                partial: true,
                ..Default::default()
            });
            Some(0)
        }
        None if needed => Some(0),
        None => None,
    }
}

/// A log goes to its pod (named by the command) or the subject, to its container (named by
/// `-c`) or the pod's first container that is not healthy (or a container without a name
/// when the text showed none).
fn attach_log(pods: &mut Vec<Pod>, by_name: &mut ByName, subject: usize, piece: LogPiece) {
    let i = match &piece.pod {
        Some(n) => match by_name.find(pods, n.namespace.as_deref().unwrap_or(""), &n.name) {
            Some(i) => i,
            None if pods[subject].name.is_empty() => {
                pods[subject].name = n.name.clone();
                pods[subject].namespace = n.namespace.clone().unwrap_or_default();
                by_name.add(subject, &n.name);
                subject
            }
            None => {
                by_name.add(pods.len(), &n.name);
                pods.push(Pod {
                    name: n.name.clone(),
                    namespace: n.namespace.clone().unwrap_or_default(),
                    partial: true,
                    ..Default::default()
                });
                pods.len() - 1
            }
        },
        None => subject,
    };
    let pod = &mut pods[i];
    if let Some(name) = &piece.container
        && !pod.all_containers().any(|c| c.name == *name)
    {
        match pod.containers.iter_mut().find(|c| c.name.is_empty()) {
            Some(c) => c.name = name.clone(),
            None => pod.containers.push(Container {
                name: name.clone(),
                ..Default::default()
            }),
        }
    }
    if pod.all_containers().next().is_none() {
        pod.containers.push(Container::default());
    }
    let target = match &piece.container {
        Some(name) => pod
            .init_containers
            .iter_mut()
            .chain(pod.containers.iter_mut())
            .find(|c| c.name == *name),
        None => pod
            .init_containers
            .iter_mut()
            .chain(pod.containers.iter_mut())
            .fold(None::<&mut Container>, |found, c| match found {
                Some(f) if !f.is_healthy() || c.is_healthy() => Some(f),
                _ => Some(c),
            }),
    };
    let Some(target) = target else {
        return;
    };
    let excerpt = super::logs::excerpt(&piece.lines);
    let slot = if piece.previous {
        &mut target.previous_logs
    } else {
        &mut target.logs
    };
    match slot {
        Some(existing) => existing.extend(excerpt.lines()),
        None => *slot = Some(Box::new(excerpt)),
    }
}

/// Journal lines go to the node they name (or the subject's node).
fn attach_journal(
    pods: &mut [Pod],
    nodes: &mut Vec<Node>,
    subject: usize,
    entries: Vec<crate::evidence::JournalEntry>,
) {
    let host = entries.iter().find_map(|e| e.host.clone());
    let node_name = pods[subject]
        .node_name
        .clone()
        .filter(|n| !n.is_empty())
        .or(host)
        .unwrap_or_default();
    if pods[subject].node_name.as_deref().is_none_or(str::is_empty) {
        pods[subject].node_name = Some(node_name.clone());
    }
    let node = match nodes
        .iter()
        .position(|n| n.name == node_name || n.name.is_empty())
    {
        Some(i) => &mut nodes[i],
        None => {
            nodes.push(Node {
                name: node_name.clone(),
                ..Default::default()
            });
            nodes.last_mut().expect("just pushed")
        }
    };
    if node.name.is_empty() {
        node.name = node_name;
    }
    node.journal.extend(entries);
}
