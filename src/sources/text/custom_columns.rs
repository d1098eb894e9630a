//! `kubectl get pods -o custom-columns=...` output, read by the columns the command line
//! asked for (with or without `--no-headers`): each row is a partial pod with the fields its
//! JSON paths name.

use super::clean::Line;
use super::events::split_columns;
use crate::evidence::{Container, ContainerState, ContainerStatus, Pod};

/// Reads the rows after a custom-columns command; returns the pods and the lines used.
pub fn parse(lines: &[Line], columns: &[(String, String)]) -> (Vec<Pod>, usize) {
    let mut pods = Vec::new();
    let mut used = 0;
    for l in lines {
        if l.prompt || l.text.trim().is_empty() {
            break;
        }
        used += 1;
        let mut cells = split_columns(&l.text);
        if cells.len() < columns.len().min(2) {
            break;
        }
        // The last column keeps the rest of the line (a message with runs of spaces).
        if cells.len() > columns.len() {
            let tail = cells.split_off(columns.len() - 1).join("  ");
            cells.push(tail);
        }
        // A header row (without --no-headers).
        if cells.iter().zip(columns).all(|(c, (h, _))| c == h) {
            continue;
        }
        let mut pod = Pod {
            partial: true,
            ..Default::default()
        };
        for ((_, path), value) in columns.iter().zip(cells) {
            if value == "<none>" || value.is_empty() {
                continue;
            }
            set(&mut pod, path, value);
        }
        if !pod.name.is_empty() {
            pods.push(pod);
        }
    }
    (pods, used)
}

/// Sets the field a JSON path names (the paths a troubleshooter selects).
fn set(pod: &mut Pod, path: &str, value: String) {
    let path = path.trim_start_matches('.');
    match path {
        "metadata.name" => pod.name = value,
        "metadata.namespace" => pod.namespace = value,
        "spec.nodeName" => pod.node_name = Some(value),
        "status.phase" => {
            pod.phase = value.clone();
            pod.status_hint.get_or_insert(value);
        }
        "status.reason" => {
            pod.status_hint = Some(value.clone());
            pod.reason = Some(value);
        }
        "status.message" => pod.message = Some(value),
        p if p.starts_with("status.containerStatuses") => container_field(pod, p, value),
        _ => {}
    }
}

/// `status.containerStatuses[*].state.waiting.reason` and friends, on the first container.
fn container_field(pod: &mut Pod, path: &str, value: String) {
    if pod.containers.is_empty() {
        pod.containers.push(Container::default());
    }
    let c = &mut pod.containers[0];
    let st = c.status.get_or_insert_with(ContainerStatus::default);
    let rest = path
        .split_once(']')
        .map_or(path, |(_, r)| r)
        .trim_start_matches('.');
    let first = value.split(',').next().unwrap_or_default().to_string();
    match rest {
        "name" => c.name = first,
        "restartCount" => st.restart_count = first.parse().unwrap_or(0),
        "ready" => st.ready = first == "true",
        "state.waiting.reason" => {
            st.state = ContainerState::Waiting {
                reason: Some(first),
                message: None,
            }
        }
        "lastState.terminated.reason" | "state.terminated.reason" => {
            let t = ContainerState::Terminated {
                reason: Some(first),
                message: None,
                exit_code: 0,
                signal: None,
                started_at: None,
                finished_at: None,
            };
            if rest.starts_with("last") {
                st.last_state = t;
            } else {
                st.state = t;
            }
        }
        _ => {}
    }
}
