//! Reading one input segment by segment: detect the format at the current line, let its
//! parser consume what it recognises, collect the results.

use super::clean::{Line, indent};
use super::{Input, Role, describe_node, describe_pod, events, journal, logs, pods_table};
use crate::evidence::{Event, JournalEntry, Node, Pod};
use crate::sources::objects::convert::{self, InvolvedObject};
use crate::sources::objects::{join, parse_items, parse_list_document};
use k8s_openapi::api::core::v1 as core;
use regex::Regex;
use std::sync::LazyLock;

/// Everything read from the inputs, before joining.
#[derive(Default)]
pub struct Collected {
    pub pods: Vec<Pod>,
    pub nodes: Vec<Node>,
    /// Events with the object they name, if they name one.
    pub events: Vec<(Event, Option<InvolvedObject>)>,
    /// Log lines; `true` for a previous instance's log.
    pub logs: Vec<(bool, Vec<String>)>,
    pub journal: Vec<JournalEntry>,
    /// The text had an events section or table (even an empty one).
    pub had_events: bool,
    /// How many pieces were recognised.
    pub recognised: usize,
    /// Lines no parser took: (input name, first such line), and how many.
    pub unplaced: Vec<(String, String)>,
    pub unplaced_count: usize,
    pub notes: Vec<String>,
}

static TIMESTAMPED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|^\s*\{").expect("valid"));

/// Reads one input into `out`.
pub fn read_input(lines: &[Line], input: &Input, out: &mut Collected) {
    match input.role {
        Role::Logs | Role::PreviousLogs => {
            let text: Vec<String> = lines.iter().map(|l| l.text.clone()).collect();
            out.logs.push((input.role == Role::PreviousLogs, text));
            out.recognised += 1;
        }
        Role::Journal => {
            let text: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
            out.journal.extend(journal::parse(&text.join("\n")));
            out.recognised += 1;
        }
        Role::Auto | Role::Events | Role::Node => read_segments(lines, input, out),
    }
}

static LOGS_PROMPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:kubectl|oc|k)\s+logs\b(?P<prev>.*\s(?:-p|--previous)\b)?").expect("valid")
});

fn read_segments(lines: &[Line], input: &Input, out: &mut Collected) {
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if line.prompt
            && let Some(c) = LOGS_PROMPT.captures(&line.text)
        {
            // The output of `kubectl logs` is a log, whatever it looks like.
            let end = lines[i + 1..]
                .iter()
                .position(|l| l.prompt)
                .map_or(lines.len(), |p| i + 1 + p);
            let text: Vec<String> = lines[i + 1..end].iter().map(|l| l.text.clone()).collect();
            out.logs.push((c.name("prev").is_some(), text));
            out.recognised += 1;
            i = end;
            continue;
        }
        if line.text.trim().is_empty() || line.prompt {
            i += 1;
            continue;
        }
        let rest = &lines[i..];
        let used = detect_and_parse(rest, input, out);
        if used > 0 {
            i += used;
            continue;
        }
        // The deeply indented tail of a describe section (`| tail` output): skip it.
        if indent(&line.text) >= 8 {
            let run = rest
                .iter()
                .take_while(|l| !l.prompt && indent(&l.text) >= 8)
                .count();
            out.notes.push(format!(
                "`{}`: {run} indented lines continue a section that was cut off; ignored",
                input.name
            ));
            i += run;
            continue;
        }
        // Nothing recognised: an unstructured run up to the next prompt or structured start.
        let end = rest
            .iter()
            .enumerate()
            .skip(1)
            .find(|(_, l)| l.prompt || starts_structured(&l.text))
            .map_or(rest.len(), |(j, _)| j);
        let used = unstructured(&rest[..end], input, out);
        i += used.max(1);
    }
}

/// Tries each structured format at the start of `lines`; returns the lines consumed.
fn detect_and_parse(lines: &[Line], input: &Input, out: &mut Collected) -> usize {
    let first = lines[0].text.as_str();
    let t = first.trim_start();
    if t.starts_with('{')
        || t.starts_with("apiVersion:")
        || t.starts_with("kind:")
        || t.starts_with("items:")
        || t == "---"
    {
        return objects(lines, input, out);
    }
    if indent(first) == 0 && first.starts_with("Name:") && describe_node::looks_like(lines) {
        let (node, used) = describe_node::parse(lines);
        out.nodes.push(node);
        out.recognised += 1;
        return used;
    }
    if input.role != Role::Node
        && (describe_pod::looks_like(lines) || t.starts_with("Events:"))
        && (indent(first) > 0 || first.starts_with("Name:") || t.starts_with("Events:"))
    {
        let parsed = describe_pod::parse(lines);
        if parsed.consumed > 0 {
            out.had_events |= parsed.has_events;
            out.pods.push(parsed.pod);
            out.recognised += 1;
            return parsed.consumed;
        }
    }
    if let Some(columns) = events::table_header(first) {
        let header = events::Table {
            header_line: first.to_string(),
            columns,
        };
        let mut used = 1;
        for l in &lines[1..] {
            if l.prompt || l.text.trim().is_empty() {
                break;
            }
            match events::table_row(&header, &l.text) {
                Some((e, io)) => out.events.push((e, Some(io))),
                None => {
                    // A wrapped message continues the previous row.
                    if let Some((last, _)) = out.events.last_mut() {
                        last.message.push(' ');
                        last.message.push_str(l.text.trim());
                    }
                }
            }
            used += 1;
        }
        out.had_events = true;
        out.recognised += 1;
        return used;
    }
    if pods_table::header(first).is_some() {
        let (pods, used) = pods_table::parse(lines);
        out.pods.extend(pods);
        out.recognised += 1;
        return used;
    }
    if events::starts_row(first) {
        // Event rows pasted without the rest of describe; wrapped rows are re-joined and
        // continuation lines extend the message.
        let mut used = 0;
        while used < lines.len() {
            let l = &lines[used];
            if l.prompt || l.text.trim().is_empty() {
                break;
            }
            if let Some((e, n)) = events::wrapped_row(lines[used..].iter().map(|l| l.text.as_str()))
            {
                out.events.push((e, None));
                used += n;
                continue;
            }
            match out.events.last_mut() {
                Some((last, _)) if !events::starts_row(&l.text) => {
                    last.message.push(' ');
                    last.message.push_str(l.text.trim());
                    used += 1;
                }
                _ => break,
            }
        }
        if used == 0 {
            return 0;
        }
        out.had_events = true;
        out.recognised += 1;
        return used;
    }
    if journal::is_journal_line(first) {
        let used = lines
            .iter()
            .take_while(|l| {
                !l.prompt && (journal::is_journal_line(&l.text) || l.text.starts_with("-- "))
            })
            .count();
        let text: Vec<&str> = lines[..used].iter().map(|l| l.text.as_str()).collect();
        out.journal.extend(journal::parse(&text.join("\n")));
        out.recognised += 1;
        return used;
    }
    0
}

/// A line where a structured format begins, ending an unstructured run.
fn starts_structured(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("Events:")
        || (indent(line) == 0 && t.starts_with("Name:"))
        || t.starts_with("apiVersion:")
        || events::starts_row(line)
        || events::table_header(line).is_some()
        || pods_table::header(line).is_some()
        || journal::is_journal_line(line)
}

/// A YAML or JSON document (up to the next prompt): pods, events, nodes.
fn objects(lines: &[Line], input: &Input, out: &mut Collected) -> usize {
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
                let (pods, bad) = parse_items::<core::Pod>(items, "v1", "Pod");
                note_bad(out, input, "Pod", bad);
                out.pods.extend(pods.iter().map(|p| Pod {
                    owner: join::direct_owner(p),
                    ..convert::pod(p)
                }));
            }
            "Event" => {
                let (evs, bad) = parse_items::<core::Event>(items, "v1", "Event");
                note_bad(out, input, "Event", bad);
                out.had_events = true;
                out.events.extend(evs.iter().map(|e| {
                    let (ev, io) = convert::event(e);
                    (ev, Some(io))
                }));
            }
            "Node" => {
                let (nodes, bad) = parse_items::<core::Node>(items, "v1", "Node");
                note_bad(out, input, "Node", bad);
                out.nodes.extend(nodes.iter().map(convert::node));
            }
            other => out
                .notes
                .push(format!("`{}`: {other} objects are not used", input.name)),
        }
    }
    out.recognised += 1;
    end
}

fn note_bad(out: &mut Collected, input: &Input, kind: &str, bad: Vec<String>) {
    for b in bad {
        out.notes
            .push(format!("`{}`: {kind} {b}; skipped", input.name));
    }
}

/// Text no structured parser took: bare event messages (a few lines without timestamps,
/// or anything given with `--events`), else a log if it reads like one, else unplaced.
fn unstructured(lines: &[Line], input: &Input, out: &mut Collected) -> usize {
    let texts: Vec<String> = lines
        .iter()
        .map(|l| l.text.clone())
        .filter(|t| !t.trim().is_empty())
        .collect();
    let bare_events = input.role == Role::Events
        || (texts.len() <= 3
            && !texts.iter().any(|t| TIMESTAMPED.is_match(t))
            && (logs::looks_like(&texts) || logs::sounds_like_kubernetes(&texts)));
    if bare_events {
        for t in &texts {
            out.events.push((events::bare_message(t), None));
        }
        out.had_events = true;
        out.recognised += 1;
        return lines.len();
    }
    if input.role == Role::Auto && logs::looks_like(&texts) {
        out.logs.push((false, texts));
        out.recognised += 1;
        return lines.len();
    }
    // Not placed: remember the first line, move on by one line.
    out.unplaced_count += 1;
    if !out.unplaced.iter().any(|(n, _)| *n == input.name) {
        out.unplaced
            .push((input.name.clone(), lines[0].text.clone()));
    }
    1
}
