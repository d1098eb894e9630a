//! Structured segments of a paste: `kubectl get -o json|yaml` lists and objects, and pod
//! fragments in YAML or JSON; what cannot be read becomes a note naming the input.

use super::{Collected, Context};
use crate::sources::objects::{convert, parse_items, parse_items_with, parse_list_document, wire};
use crate::sources::text::clean::{Line, indent};
use crate::sources::text::{Input, events, journal, pods_table};
use serde::Deserialize as _;

/// A YAML or JSON document (up to the next prompt): pods, events, nodes.
pub(super) fn objects(lines: &[Line], input: &Input, out: &mut Collected) -> usize {
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
            other => out
                .notes
                .push(format!("`{}`: {other} objects are not used", input.name)),
        }
    }
    out.recognised += 1;
    end
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
