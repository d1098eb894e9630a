//! Outputs about objects other than pods, nodes and events: `get` tables and `describe`s of
//! controllers, storage, Services and the rest, identified by the [`kinds`] table. None of
//! them becomes a pod. Controllers give their replica counts (and a describe its events);
//! Services, their endpoints and ServiceAccounts are read by [`services`]; the rest are
//! counted in one note.

use super::{Collected, Context, note_listing};
use crate::evidence::{Controller, Event, Job, JobOutcome};
use crate::sources::objects::convert::InvolvedObject;
use crate::sources::text::clean::{Line, indent};
use crate::sources::text::describe_pod::key_value;
use crate::sources::text::events::{describe_row, split_columns};
use crate::sources::text::kinds::{self, Becomes, Kind};
use crate::sources::text::services::{self, EndpointPiece, Fidelity};

/// The end of one command's output: the next prompt or blank line.
fn table_end(lines: &[Line]) -> usize {
    lines
        .iter()
        .skip(1)
        .position(|l| l.prompt || l.text.trim().is_empty())
        .map_or(lines.len(), |p| p + 1)
}

/// A `get` table of `kind` (header first); returns the lines used.
pub(super) fn table(
    kind: &'static Kind,
    lines: &[Line],
    ctx: &Context,
    out: &mut Collected,
) -> usize {
    count(kind, out);
    let end = table_end(lines);
    let namespace = ctx.namespace();
    if is_service_kind(kind) {
        let read = service_table(kind, &lines[..end], ctx, out);
        // A slice's Service is not in its row: a table of slices does not tell which
        // Services have none.
        if read > 0 && kind.kind != "EndpointSlice" {
            note_listing(ctx, out, Some(kind.kind));
        }
        out.recognised += 1;
        return end;
    }
    let header = split_columns(&lines[0].text);
    for l in &lines[1..end] {
        let cells = split_columns(&l.text);
        let cell = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .and_then(|i| cells.get(i))
                .map(String::as_str)
        };
        let Some(name) = cell("NAME").or_else(|| cells.first().map(String::as_str)) else {
            continue;
        };
        // `kubectl get all` names rows `replicaset.apps/web-7d9c5b`.
        let (row_kind, name) = match name.split_once('/') {
            Some((k, n)) => (kinds::by_name(k).unwrap_or(kind), n),
            None => (kind, name),
        };
        let ns = cell("NAMESPACE").map(str::to_string).or(namespace.clone());
        if row_kind.becomes == Becomes::Controller {
            out.controllers
                .push(table_state(row_kind, ns.unwrap_or_default(), name, &cell));
        }
    }
    out.recognised += 1;
    end
}

/// A table of Services, endpoints or ServiceAccounts: with its header, `-o name` lines, or
/// rows without their header (`--no-headers`, `| grep`) in the columns kubectl prints
/// for the command. Returns how many rows it read.
fn service_table(kind: &'static Kind, lines: &[Line], ctx: &Context, out: &mut Collected) -> usize {
    let namespace = ctx.namespace();
    let ns = namespace.as_deref();
    let command = ctx.command.as_ref();
    let output = command.and_then(|c| c.output.as_deref());
    if output == Some("name") {
        return services::table::names(kind.kind, lines, ns, &mut out.services);
    }
    if let Some(header) = kinds::header_words(&lines[0].text) {
        return services::table::read(kind.kind, &header, &lines[1..], ns, &mut out.services);
    }
    let all = command.is_some_and(|c| c.all_namespaces);
    let header = services::table::default_header(kind, all, output == Some("wide"));
    services::table::read(kind.kind, &header, lines, ns, &mut out.services)
}

/// Services, their endpoints and ServiceAccounts: read by [`services`].
pub(super) fn is_service_kind(kind: &Kind) -> bool {
    matches!(kind.becomes, Becomes::Service | Becomes::ServiceAccount)
}

/// Replica counts from a row: `DESIRED CURRENT READY` (ReplicaSet, DaemonSet), `READY 1/3`
/// (Deployment, StatefulSet), `COMPLETIONS 0/1` (Job).
fn table_state<'a>(
    kind: &Kind,
    namespace: String,
    name: &str,
    cell: &dyn Fn(&str) -> Option<&'a str>,
) -> Controller {
    let number = |c: &str| cell(c).and_then(|v| v.trim().parse::<i64>().ok());
    let fraction = |c: &str| {
        let (a, b) = cell(c)?.split_once('/')?;
        Some((a.trim().parse::<i64>().ok()?, b.trim().parse::<i64>().ok()?))
    };
    let mut state = Controller {
        namespace,
        kind: kind.kind.to_string(),
        name: name.to_string(),
        ..Default::default()
    };
    if let Some(d) = number("DESIRED") {
        state.desired = Some(d);
        state.current = number("CURRENT");
        state.ready = number("READY");
    } else if let Some((ready, desired)) = fraction("READY") {
        state.desired = Some(desired);
        state.ready = Some(ready);
        // A Deployment's UP-TO-DATE counts the pods it has of the newest template.
        state.current = number("UP-TO-DATE").or(Some(ready));
    } else if let Some((done, wanted)) = fraction("COMPLETIONS") {
        // A Job is missing pods only when it runs none and has not finished: its events
        // decide (a FailedCreate), so no count is claimed here beyond completion.
        if done >= wanted {
            state.desired = Some(0);
        }
    }
    state
}

/// The end of a `describe` block: the next prompt, the next object (`Name:` at the margin),
/// or the next table header or YAML document.
fn describe_end(lines: &[Line]) -> usize {
    lines
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, l)| {
            l.prompt
                || (indent(&l.text) == 0
                    && (l.text.starts_with("Name:")
                        || l.text.starts_with("apiVersion:")
                        || kinds::header_words(&l.text).is_some()))
        })
        .map_or(lines.len(), |(i, _)| i)
}

/// The keys at the margin of a `describe` block (for identifying its kind).
pub(super) fn describe_keys(lines: &[Line]) -> Vec<String> {
    let end = describe_end(lines);
    lines[..end]
        .iter()
        .filter(|l| indent(&l.text) == 0)
        .filter_map(|l| key_value(&l.text).map(|(k, _)| k))
        .collect()
}

/// A `describe` of `kind`; returns the lines used. A controller's describe gives its replica
/// counts (`Replicas:`), its `ReplicaFailure` condition, and its events.
pub(super) fn describe(
    kind: &'static Kind,
    lines: &[Line],
    ctx: &Context,
    out: &mut Collected,
) -> usize {
    count(kind, out);
    let end = describe_end(lines);
    let block = &lines[..end];
    let value = |key: &str| {
        block
            .iter()
            .filter(|l| indent(&l.text) == 0)
            .filter_map(|l| key_value(&l.text))
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    };
    let name = value("Name")
        .or_else(|| ctx.command.as_ref().and_then(|c| c.names.first().cloned()))
        .unwrap_or_default();
    let namespace = value("Namespace")
        .filter(|n| !n.is_empty())
        .or_else(|| ctx.namespace())
        .unwrap_or_default();
    if is_service_kind(kind) {
        if !name.is_empty() {
            describe_service_kind(kind, block, name, namespace, out);
        }
        note_listing(ctx, out, Some(kind.kind));
        out.recognised += 1;
        return end;
    }
    if kind.becomes == Becomes::Controller && !name.is_empty() {
        let mut state = Controller {
            namespace: namespace.clone(),
            kind: kind.kind.to_string(),
            name: name.clone(),
            ..Default::default()
        };
        if let Some(replicas) = value("Replicas") {
            replicas_line(&replicas, &mut state);
        }
        if let Some(d) = value("Desired Number of Nodes Scheduled").and_then(|v| v.parse().ok()) {
            state.desired = Some(d);
            state.current = value("Current Number of Nodes Scheduled").and_then(|v| v.parse().ok());
        }
        state.replica_failure = replica_failure(block);
        out.controllers.push(state);
        if kind.kind == "Job" {
            out.jobs
                .push(describe_job(&value, namespace.clone(), name.clone()));
        }
        // Its events: the rows of its `Events:` section.
        if let Some(start) = block.iter().position(|l| l.text.starts_with("Events:")) {
            for l in &block[start + 1..] {
                let Some(event) = describe_row(&l.text) else {
                    continue;
                };
                push_object_event(out, event, kind.kind, &namespace, &name);
            }
        }
    }
    out.recognised += 1;
    end
}

/// A `describe job`'s CronJob (`Controlled By:  CronJob/NAME`; a Job without the line has
/// no controller) and, when it succeeded, when (`Completed At:`, RFC 1123 with a numeric
/// zone; kubectl prints it only for a Job that completed). A failed Job's end is not printed.
fn describe_job(value: &dyn Fn(&str) -> Option<String>, namespace: String, name: String) -> Job {
    let cronjob = value("Controlled By").and_then(|c| {
        let (kind, owner) = c.split_once('/')?;
        kind.eq_ignore_ascii_case("CronJob")
            .then(|| owner.trim().to_string())
            .filter(|o| !o.is_empty())
    });
    let completed = value("Completed At")
        .and_then(|t| jiff::fmt::rfc2822::parse(t.trim()).ok())
        .map(|z| z.timestamp());
    Job {
        namespace,
        name,
        cronjob,
        outcome: completed.map(|_| JobOutcome::Succeeded),
        finished_at: completed,
        started_at: value("Start Time")
            .and_then(|t| jiff::fmt::rfc2822::parse(t.trim()).ok())
            .map(|z| z.timestamp()),
    }
}

/// A `describe` of a Service, its endpoints or a ServiceAccount, named `name` in
/// `namespace` (the block's own, else the command's).
fn describe_service_kind(
    kind: &'static Kind,
    block: &[Line],
    name: String,
    namespace: String,
    out: &mut Collected,
) {
    let pieces = &mut out.services;
    let piece = |fidelity, service, slice, endpoints, output| EndpointPiece {
        namespace: namespace.clone(),
        service,
        slice,
        fidelity,
        endpoints: Some(endpoints),
        output,
    };
    match kind.kind {
        "Service" => {
            let (mut service, endpoints) = services::describe::service(block);
            service.name = name.clone();
            service.namespace = namespace.clone();
            pieces.services.push(service);
            if let Some(e) = endpoints {
                let output = pieces.output(kind.kind);
                let p = piece(Fidelity::ServiceLine, Some(name), None, e, output);
                pieces.endpoints.push(p);
            }
        }
        "Endpoints" => {
            let e = services::describe_endpoints::endpoints(block);
            let output = pieces.output(kind.kind);
            let p = piece(Fidelity::EndpointsObject, Some(name), None, e, output);
            pieces.endpoints.push(p);
        }
        "EndpointSlice" => {
            let (e, service) = services::describe_endpoints::slice(block);
            let output = pieces.output(kind.kind);
            let p = piece(Fidelity::Slice, service, Some(name), e, output);
            pieces.endpoints.push(p);
        }
        _ => pieces
            .accounts
            .push(crate::evidence::ServiceAccount { namespace, name }),
    }
}

fn push_object_event(out: &mut Collected, event: Event, kind: &str, namespace: &str, name: &str) {
    out.had_events = true;
    let io = InvolvedObject {
        kind: kind.to_string(),
        namespace: namespace.to_string(),
        name: name.to_string(),
        uid: None,
    };
    out.events.push((event, Some(io)));
}

/// `Replicas:` as the describers print it: a Deployment's `3 desired | 3 updated | 3 total |
/// 2 available | 1 unavailable`, a ReplicaSet's or StatefulSet's `2 current / 3 desired`.
fn replicas_line(text: &str, state: &mut Controller) {
    for part in text.split(['|', '/']) {
        let mut words = part.split_whitespace();
        let (Some(n), Some(what)) = (words.next(), words.next()) else {
            continue;
        };
        let Ok(n) = n.parse::<i64>() else {
            continue;
        };
        match what {
            "desired" => state.desired = Some(n),
            "current" | "total" => state.current = Some(n),
            "available" => state.ready = Some(n),
            _ => {}
        }
    }
}

/// The `ReplicaFailure` row of a describe's `Conditions:` table (`ReplicaFailure  True
/// FailedCreate`); `None` when the block has no conditions.
fn replica_failure(block: &[Line]) -> Option<bool> {
    let start = block
        .iter()
        .position(|l| l.text.starts_with("Conditions:"))?;
    let rows = block[start + 1..]
        .iter()
        .take_while(|l| indent(&l.text) > 0 || l.text.trim().is_empty());
    let mut seen = false;
    for l in rows {
        let mut words = l.text.split_whitespace();
        if words.next() == Some("ReplicaFailure") {
            return Some(words.next() == Some("True"));
        }
        seen = true;
    }
    seen.then_some(false)
}

/// A table kubedoctor cannot identify (a custom resource, `NAME AGE`): its rows are skipped
/// and counted as an output not used.
pub(super) fn unknown_table(lines: &[Line], out: &mut Collected) -> usize {
    out.unknown_outputs += 1;
    out.recognised += 1;
    table_end(lines)
}

/// Counts an output of a kind that is recognised and not used.
fn count(kind: &'static Kind, out: &mut Collected) {
    if matches!(kind.becomes, Becomes::Skipped | Becomes::Storage) {
        *out.other_kinds.entry(kind.kind).or_default() += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_describe_names_its_cronjob_and_completion() {
        let lines = [
            ("Name:", "report-29101440"),
            ("Controlled By:", "CronJob/report"),
            ("Start Time:", "Fri, 20 Nov 2026 10:00:02 +0000"),
            ("Completed At:", "Fri, 20 Nov 2026 10:01:12 +0000"),
        ];
        let value = |k: &str| {
            lines
                .iter()
                .find(|(key, _)| key.trim_end_matches(':') == k)
                .map(|(_, v)| v.to_string())
        };
        let j = describe_job(&value, "batch".into(), "report-29101440".into());
        assert_eq!(j.cronjob.as_deref(), Some("report"));
        assert_eq!(j.outcome, Some(JobOutcome::Succeeded));
        assert_eq!(j.finished_at.unwrap().to_string(), "2026-11-20T10:01:12Z");
        let none = |_: &str| None;
        let j = describe_job(&none, "batch".into(), "by-hand".into());
        assert_eq!((j.cronjob, j.outcome), (None, None));
    }

    #[test]
    fn replicas_lines_of_every_describer() {
        let mut s = Controller::default();
        replicas_line(
            "3 desired | 3 updated | 3 total | 2 available | 1 unavailable",
            &mut s,
        );
        assert_eq!((s.desired, s.current, s.ready), (Some(3), Some(3), Some(2)));
        let mut s = Controller::default();
        replicas_line("1 current / 2 desired", &mut s);
        assert_eq!((s.desired, s.current), (Some(2), Some(1)));
    }
}
