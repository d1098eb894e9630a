//! Structured segments of a paste: `kubectl get -o json|yaml` lists and objects, and pod
//! fragments in YAML or JSON; what cannot be read becomes a note naming the input.

use super::{Collected, Context, note_listing};
use crate::evidence::Controller;
use crate::sources::objects::{convert, parse_items, parse_items_with, parse_list_document, wire};
use crate::sources::text::clean::{Line, indent};
use crate::sources::text::kinds::{self, Becomes, Kind};
use crate::sources::text::{Input, events, journal, pods_table, services};
use serde::Deserialize as _;

/// A YAML or JSON document (up to the next prompt): pods, events, nodes.
pub(super) fn objects(lines: &[Line], input: &Input, ctx: &Context, out: &mut Collected) -> usize {
    let end = lines[1..]
        .iter()
        .position(|l| l.prompt)
        .map_or(lines.len(), |p| p + 1);
    let text: Vec<&str> = lines[..end].iter().map(|l| l.text.as_str()).collect();
    let items = match parse_list_document(&text.join("\n")) {
        Ok(items) => items,
        Err(e) => {
            out.notes.push(format!(
                "`{}`: an object could not be read ({e}); it was ignored",
                input.name
            ));
            return 0;
        }
    };
    let mut by_kind: std::collections::BTreeMap<String, Vec<serde_json::Value>> =
        Default::default();
    for item in items {
        let kind = item
            .get("kind")
            .and_then(|k| k.as_str())
            .unwrap_or("Pod")
            .to_string();
        by_kind.entry(kind).or_default().push(item);
    }
    if let Some(inventory) = ctx.inventory()
        && by_kind.keys().all(|k| k == "Pod")
    {
        // `kubectl get pods -n shop -o yaml`: the namespace's whole pod list, even empty.
        out.labelled_inventories.push(inventory.clone());
        out.inventories.push(inventory);
    }
    // `kubectl get svc -n shop -o yaml`: the namespace's Services, even none.
    match by_kind.keys().collect::<Vec<_>>()[..] {
        [] => note_listing(ctx, out, None),
        [only] => note_listing(ctx, out, Some(only.as_str())),
        _ => {}
    }
    for (kind, items) in by_kind {
        match kind.as_str() {
            "Pod" => {
                let (pods, bad) = parse_items::<wire::Pod>(items, "v1", "Pod");
                note_bad(out, input, "Pod", bad);
                out.pods.extend(pods.into_iter().map(convert::pod));
            }
            "Event" => {
                let (evs, bad) = parse_items_with(items, "v1", "Event", |v| {
                    wire::Event::deserialize(v).map(convert::event)
                });
                note_bad(out, input, "Event", bad);
                out.had_events = true;
                out.events
                    .extend(evs.into_iter().map(|(ev, io)| (ev, Some(io))));
            }
            "Node" => {
                let (nodes, bad) = parse_items::<wire::Node>(items, "v1", "Node");
                note_bad(out, input, "Node", bad);
                out.node_list |= nodes.len() > 1;
                out.nodes.extend(nodes.into_iter().map(convert::node));
            }
            other => match kinds::by_kind(other) {
                Some(k) if k.becomes == Becomes::Controller => {
                    out.controllers
                        .extend(items.iter().filter_map(|v| controller_state(k, v)));
                    for item in &items {
                        failed_condition_event(k, item, out);
                    }
                }
                Some(k) if matches!(k.becomes, Becomes::Service | Becomes::ServiceAccount) => {
                    let output = out.services.output(k.kind);
                    let namespace = ctx.namespace();
                    for item in &items {
                        services::objects::read(
                            k.kind,
                            item,
                            namespace.as_deref(),
                            output,
                            &mut out.services,
                        );
                    }
                }
                Some(k) => {
                    *out.other_kinds.entry(k.kind).or_default() += 1;
                }
                None => out.unknown_outputs += 1,
            },
        }
    }
    out.recognised += 1;
    end
}

/// A controller's replica counts from its object (`spec.replicas`, `status.replicas`,
/// `status.readyReplicas`, a DaemonSet's scheduled counts, the `ReplicaFailure` condition).
fn controller_state(kind: &Kind, v: &serde_json::Value) -> Option<Controller> {
    let text = |p: &str| v.pointer(p).and_then(|x| x.as_str()).map(str::to_string);
    let int = |p: &str| v.pointer(p).and_then(serde_json::Value::as_i64);
    let conditions = v.pointer("/status/conditions").and_then(|c| c.as_array());
    let complete = conditions.is_some_and(|cs| {
        cs.iter().any(|c| {
            c.get("type").and_then(|t| t.as_str()) == Some("Complete")
                && c.get("status").and_then(|t| t.as_str()) == Some("True")
        })
    });
    let (desired, current) = if kind.kind == "Job" {
        // A Job wants pods until it completes; how many it lacks its events tell.
        (complete.then_some(0), None)
    } else if kind.kind == "DaemonSet" {
        (
            int("/status/desiredNumberScheduled"),
            int("/status/currentNumberScheduled"),
        )
    } else {
        // `spec.replicas` defaults to 1; `status.replicas` is omitted when 0.
        let has_status = v.pointer("/status").is_some();
        (
            int("/spec/replicas").or(Some(1)),
            int("/status/replicas").or(has_status.then_some(0)),
        )
    };
    Some(Controller {
        namespace: text("/metadata/namespace").unwrap_or_default(),
        kind: kind.kind.to_string(),
        name: text("/metadata/name")?,
        desired,
        current,
        ready: int("/status/readyReplicas"),
        replica_failure: conditions.map(|cs| {
            cs.iter().any(|c| {
                c.get("type").and_then(|t| t.as_str()) == Some("ReplicaFailure")
                    && c.get("status").and_then(|t| t.as_str()) == Some("True")
            })
        }),
    })
}

/// A Job whose `Failed` condition is True: the job controller records the same reason and
/// message as an event (`BackoffLimitExceeded`, `DeadlineExceeded`); an object pasted
/// without its events says it through the condition.
fn failed_condition_event(kind: &Kind, v: &serde_json::Value, out: &mut Collected) {
    if kind.kind != "Job" {
        return;
    }
    let Some(conditions) = v.pointer("/status/conditions").and_then(|c| c.as_array()) else {
        return;
    };
    let text = |c: &serde_json::Value, k: &str| {
        c.get(k)
            .and_then(|x| x.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let Some(failed) = conditions
        .iter()
        .find(|c| text(c, "type") == "Failed" && text(c, "status") == "True")
    else {
        return;
    };
    let meta = |f: &str| {
        v.pointer(&format!("/metadata/{f}"))
            .and_then(|x| x.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let event = crate::evidence::Event {
        type_: "Warning".into(),
        reason: text(failed, "reason"),
        message: text(failed, "message"),
        count: 1,
        object: crate::evidence::object_ref("Job", &meta("name")),
        last_seen: failed
            .get("lastTransitionTime")
            .and_then(|t| t.as_str())
            .and_then(|t| t.parse().ok()),
        ..Default::default()
    };
    let io = crate::sources::objects::convert::InvolvedObject {
        kind: "Job".into(),
        namespace: meta("namespace"),
        name: meta("name"),
        uid: None,
    };
    out.had_events = true;
    out.events.push((event, Some(io)));
}

/// Reads a pod fragment (see [`fragment`]) into a partial pod; false when it is not one.
pub(super) fn push_fragment(out: &mut Collected, value: serde_json::Value, ctx: &Context) -> bool {
    let (pods, _) = parse_items::<wire::Pod>(vec![value], "v1", "Pod");
    let Some(p) = pods.into_iter().next() else {
        return false;
    };
    let namespaced = p.metadata.namespace.is_some();
    let mut pod = convert::pod(p);
    // A fragment shows part of the object: what it leaves out (a deletion timestamp cut off
    // by `| tail`) is unknown, and a STATUS seen elsewhere in the text stands.
    pod.partial = true;
    if pod.namespace == "default" && !namespaced {
        pod.namespace.clear();
    }
    ctx.name(&mut pod);
    out.pods.push(pod);
    out.recognised += 1;
    true
}

/// A `{` that opens a whole object (or List), not a fragment: it has `kind`/`apiVersion`.
pub(super) fn looks_like_object(lines: &[Line]) -> bool {
    lines.iter().take(6).any(|l| {
        let t = l.text.trim_start();
        t.starts_with("\"kind\"") || t.starts_with("\"apiVersion\"") || t.contains("\"kind\":")
    })
}

/// A line where a structured format begins, ending an unstructured run.
pub(super) fn starts_structured(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("Events:")
        || (indent(line) == 0 && t.starts_with("Name:"))
        || t.starts_with("apiVersion:")
        || events::starts_row(line)
        || events::table_header(line).is_some()
        || pods_table::header(line).is_some()
        || journal::is_journal_line(line)
}

pub(super) fn note_bad(out: &mut Collected, input: &Input, kind: &str, bad: Vec<String>) {
    for b in bad {
        out.notes
            .push(format!("`{}`: {kind} {b}; skipped", input.name));
    }
}
