//! Joining what was read from text into one evidence: a pod for the text to be about,
//! events to pods by name, logs to the pod's failing container, journal lines to its node,
//! and notes on what the text lacked.

use super::segment::Collected;
use crate::evidence::{Container, Coverage, Evidence, Node, Pod, SourceInfo, SourceKind};
use crate::sources::objects::join;

pub fn assemble(mut c: Collected, name: String) -> Evidence {
    let mut notes = std::mem::take(&mut c.notes);
    if c.pods.is_empty() {
        c.pods.push(Pod {
            partial: true,
            restart_policy: "Always".into(),
            ..Default::default()
        });
    }
    name_unnamed_pods(&mut c);

    // Events that name their object join by name; the rest belong to the first pod.
    let mut named = Vec::new();
    for (event, io) in std::mem::take(&mut c.events) {
        match io {
            Some(mut io) if !io.name.is_empty() => {
                if io.namespace.is_empty()
                    && let Some(p) = c.pods.iter().find(|p| p.name == io.name)
                {
                    io.namespace = p.namespace.clone();
                }
                named.push((event, io));
            }
            _ => c.pods[0].events.push(event),
        }
    }
    let unmatched = join::attach_events(&mut c.pods, &mut c.nodes, named);
    let (placeholders, unmatched) = join::placeholder_pods(unmatched);
    if !placeholders.is_empty() {
        // Only controller events were pasted: the controllers stand in for their pods.
        if c.pods.len() == 1 && c.pods[0].name.is_empty() && c.pods[0].events.is_empty() {
            c.pods.clear();
        }
        c.pods.extend(placeholders);
    }
    if !unmatched.is_empty() {
        notes.push(format!(
            "{} events name objects the text does not describe and were not used",
            unmatched.len()
        ));
    }

    let have_logs = !c.logs.is_empty();
    for (previous, lines) in std::mem::take(&mut c.logs) {
        attach_log(&mut c.pods[0], previous, &lines);
    }
    let have_journal = !c.journal.is_empty();
    if have_journal {
        attach_journal(&mut c);
    }

    let partial = c.pods.iter().any(|p| p.partial);
    if partial {
        notes.push(
            "the text has no pod status (only events, logs or a manifest): container states are unknown, so causes that need them score lower".into(),
        );
    }
    if !c.had_events {
        notes.push("the text has no events: causes that read events could not be confirmed".into());
    }
    if c.unplaced_count > 0 {
        let first = c
            .unplaced
            .first()
            .map(|(n, l)| format!(" (first, in `{n}`: {l:?})"))
            .unwrap_or_default();
        notes.push(format!(
            "{} lines were not recognised and were ignored{first}",
            c.unplaced_count
        ));
    }
    Evidence {
        coverage: Coverage {
            events: c.had_events,
            nodes: !c.nodes.is_empty(),
            logs: have_logs,
            journal: have_journal,
        },
        pods: c.pods,
        nodes: c.nodes,
        source: SourceInfo {
            kind: SourceKind::Text,
            location: name,
        },
        observed_at: Some(jiff::Timestamp::now()),
        notes,
    }
}

/// A pod known only from its events or logs takes its name from the events.
fn name_unnamed_pods(c: &mut Collected) {
    let named_pod = c
        .events
        .iter()
        .filter_map(|(_, io)| io.as_ref())
        .find(|io| io.kind == "Pod" && !io.name.is_empty())
        .cloned();
    for p in c.pods.iter_mut().filter(|p| p.name.is_empty()) {
        if let Some(io) = &named_pod {
            p.name = io.name.clone();
            p.namespace = io.namespace.clone();
        }
    }
}

/// Logs go to the pod's first container that is not healthy (or the first; or a container
/// without a name when the text showed none).
fn attach_log(pod: &mut Pod, previous: bool, lines: &[String]) {
    if pod.all_containers().next().is_none() {
        pod.containers.push(Container::default());
    }
    let target = pod
        .init_containers
        .iter_mut()
        .chain(pod.containers.iter_mut())
        .fold(None::<&mut Container>, |found, c| match found {
            Some(f) if !f.is_healthy() || c.is_healthy() => Some(f),
            _ => Some(c),
        });
    let Some(target) = target else {
        return;
    };
    let excerpt = super::logs::excerpt(lines);
    let slot = if previous {
        &mut target.previous_logs
    } else {
        &mut target.logs
    };
    match slot {
        Some(existing) => existing.lines.extend(excerpt.lines),
        None => *slot = Some(excerpt),
    }
}

/// Journal lines go to the node they name (or the first pod's node).
fn attach_journal(c: &mut Collected) {
    let entries = std::mem::take(&mut c.journal);
    let host = entries.iter().find_map(|e| e.host.clone());
    let node_name = c.pods[0].node_name.clone().or(host).unwrap_or_default();
    if c.pods[0].node_name.is_none() {
        c.pods[0].node_name = Some(node_name.clone());
    }
    match c.nodes.iter_mut().find(|n| n.name == node_name) {
        Some(n) => n.journal.extend(entries),
        None => c.nodes.push(Node {
            name: node_name,
            journal: entries,
            ..Default::default()
        }),
    }
}
