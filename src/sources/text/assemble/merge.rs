//! Merging the pieces of text that are about the same pod (a describe, a YAML fragment, a
//! table row, events) into one pod: known values win over unknown ones, containers merge by
//! name.

use super::index::ByName;
use crate::evidence::{Container, Pod};

/// Merges the pieces read about the same pod; pieces without a name are one pod (the text's
/// subject).
pub(super) fn merge_pods(pieces: Vec<Pod>) -> Vec<Pod> {
    let mut out: Vec<Pod> = Vec::new();
    let mut by_name = ByName::default();
    for p in pieces {
        // Pieces without a name are found by the empty name.
        let same = by_name.find(&out, &p.namespace, &p.name);
        match same {
            Some(i) => merge(&mut out[i], p),
            None => {
                by_name.add(out.len(), &p.name);
                out.push(p);
            }
        }
    }
    // An unnamed piece is about the one pod the text shows in trouble, if there is one.
    if let Some(u) = out.iter().position(|p| p.name.is_empty()) {
        let candidates: Vec<usize> = (0..out.len())
            .filter(|&i| i != u && !looks_healthy(&out[i]))
            .collect();
        let target = match candidates.as_slice() {
            [one] => Some(*one),
            [] if out.len() == 2 => Some(1 - u),
            _ => None,
        };
        if let Some(t) = target {
            let piece = out.remove(u);
            let t = if t > u { t - 1 } else { t };
            merge(&mut out[t], piece);
        }
    }
    out
}

pub(super) fn looks_healthy(p: &Pod) -> bool {
    match (p.status_hint.as_deref(), p.ready_hint) {
        (Some("Running"), Some((r, t))) => r == t,
        (Some("Completed" | "Succeeded"), _) => true,
        _ => false,
    }
}

/// Folds `b` into `a`: what one piece lacks the other may have.
pub(super) fn merge(a: &mut Pod, mut b: Pod) {
    if a.partial && !b.partial {
        std::mem::swap(a, &mut b);
    }
    // Rows of the same pod (`get pods -w`): the later one is the present.
    if b.status_hint.is_some() && b.partial {
        a.status_hint = b.status_hint.take();
        a.ready_hint = b.ready_hint.take().or(a.ready_hint);
        a.restarts_hint = b.restarts_hint.take().or(a.restarts_hint);
    }
    macro_rules! fill {
        ($($f:ident),*) => { $( if a.$f.is_none() { a.$f = b.$f.take(); } )* };
    }
    fill!(
        status_hint,
        restarts_hint,
        age_hint,
        ready_hint,
        node_name,
        reason,
        message,
        created_at,
        deletion,
        owner,
        rollout
    );
    if a.name.is_empty() {
        a.name = std::mem::take(&mut b.name);
    }
    if a.namespace.is_empty() {
        a.namespace = std::mem::take(&mut b.namespace);
    }
    if a.uid.is_empty() {
        a.uid = std::mem::take(&mut b.uid);
    }
    if a.phase.is_empty() {
        a.phase = std::mem::take(&mut b.phase);
    }
    if a.restart_policy.is_empty() {
        a.restart_policy = std::mem::take(&mut b.restart_policy);
    }
    if !a.finalizers_known && b.finalizers_known {
        a.finalizers = std::mem::take(&mut b.finalizers);
        a.finalizers_known = true;
    }
    for c in b.conditions {
        if a.condition(&c.type_).is_none() {
            a.conditions.push(c);
        }
    }
    for c in b.init_containers {
        merge_container(&mut a.init_containers, c);
    }
    for c in b.containers {
        merge_container(&mut a.containers, c);
    }
    a.labels.extend(b.labels);
    a.annotations.extend(b.annotations);
    for v in b.volumes {
        if !a.volumes.contains(&v) {
            a.volumes.push(v);
        }
    }
    a.image_pull_secrets.extend(b.image_pull_secrets);
    a.image_pull_secrets_known |= b.image_pull_secrets_known;
    let (sa, sb) = (&mut a.scheduling, b.scheduling);
    sa.scheduler_name = sa.scheduler_name.take().or(sb.scheduler_name);
    sa.selector = sa.selector.take().or(sb.selector);
    sa.required_affinity = sa.required_affinity.or(sb.required_affinity);
    a.events.extend(b.events);
    a.partial &= b.partial;
}

/// Adds a container piece: to the container of its name, or (unnamed) to the one container.
pub(super) fn merge_container(list: &mut Vec<Container>, c: Container) {
    let same = list.iter().position(|x| x.name == c.name).or_else(|| {
        (list.len() == 1 && (c.name.is_empty() || list[0].name.is_empty())).then_some(0)
    });
    let Some(i) = same else {
        list.push(c);
        return;
    };
    let x = &mut list[i];
    if x.name.is_empty() {
        x.name = c.name;
    }
    if x.image.is_empty() {
        x.image = c.image;
    }
    match (&mut x.status, c.status) {
        (None, s) => x.status = s,
        (Some(xs), Some(cs)) => {
            if xs.state == crate::evidence::ContainerState::None {
                xs.state = cs.state;
            }
            if xs.last_state == crate::evidence::ContainerState::None {
                xs.last_state = cs.last_state;
            }
            xs.restart_count = xs.restart_count.max(cs.restart_count);
            xs.ready |= cs.ready;
        }
        (Some(_), None) => {}
    }
    if x.resources.limits.is_empty() {
        x.resources = c.resources;
    }
    x.liveness = x.liveness.take().or(c.liveness);
    x.readiness = x.readiness.take().or(c.readiness);
    x.startup = x.startup.take().or(c.startup);
    x.env_refs.extend(c.env_refs);
    if x.ports.is_empty() {
        x.ports = c.ports;
    }
    if x.env.is_empty() {
        x.env = c.env;
    }
    x.logs = x.logs.take().or(c.logs);
    x.previous_logs = x.previous_logs.take().or(c.previous_logs);
}
