//! Reading one input segment by segment: detect the format at the current line, let its
//! parser consume what it recognises, collect the results. A prompt line starts a new
//! command's output and says what it is about (`kubectl logs web-1 -c app --previous`,
//! `kubectl describe pod web-1 -n shop`). Lines no block parser takes are read one by one
//! ([`loose`](super::loose)); what still says nothing is a bare message, a log, or unplaced.

use super::clean::{Line, indent};
use super::loose::{self, Loose};
use super::names::Named;
use super::prompt::Command;
use super::{
    Input, Role, describe_node, describe_pod, events, fragment, journal, logs, pods_table,
};
use crate::evidence::{Container, ContainerState, ContainerStatus, Event, JournalEntry, Node, Pod};
use crate::sources::objects::convert::{self, InvolvedObject};
use crate::sources::objects::{parse_items, parse_list_document, wire};
use crate::status::vocabulary::{self, ReasonLevel};

/// A log text and what it belongs to.
#[derive(Debug, Default)]
pub struct LogPiece {
    pub pod: Option<Named>,
    pub container: Option<String>,
    pub previous: bool,
    pub lines: Vec<String>,
}

/// Everything read from the inputs, before joining.
#[derive(Default)]
pub struct Collected {
    pub pods: Vec<Pod>,
    pub nodes: Vec<Node>,
    /// A whole node list was pasted (`kubectl get nodes`, a NodeList): a node missing from
    /// it is missing from the cluster.
    pub node_list: bool,
    /// Events with the object they name, if they name one.
    pub events: Vec<(Event, Option<InvolvedObject>)>,
    pub logs: Vec<LogPiece>,
    pub journal: Vec<JournalEntry>,
    /// Pods whose deletion the text shows (`pod "x" deleted`).
    pub deleted: Vec<String>,
    /// The text had an events section or table (even an empty one).
    pub had_events: bool,
    /// How many pieces were recognised.
    pub recognised: usize,
    /// Non-blank lines, and those a format parser placed (for the plausibility of the text).
    pub lines_total: usize,
    pub lines_placed: usize,
    /// Lines no parser took: (input name, first such line), and how many.
    pub unplaced: Vec<(String, String)>,
    pub unplaced_count: usize,
    pub notes: Vec<String>,
}

/// What the command before a segment said it is about.
#[derive(Clone, Default)]
struct Context {
    command: Option<Command>,
}

impl Context {
    fn pod(&self) -> Option<Named> {
        let c = self.command.as_ref()?;
        Some(Named {
            namespace: c.namespace.clone(),
            name: c.pod()?.to_string(),
            node: None,
        })
    }

    /// Names a pod read without its own `Name:` after the command that printed it.
    fn name(&self, pod: &mut Pod) {
        let Some(n) = self.pod() else {
            return;
        };
        if pod.name.is_empty() {
            pod.name = n.name;
        }
        if pod.namespace.is_empty()
            && let Some(ns) = n.namespace
        {
            pod.namespace = ns;
        }
    }
}

/// Reads one input into `out`.
pub fn read_input(lines: &[Line], input: &Input, out: &mut Collected) {
    let non_blank = lines.iter().filter(|l| !l.text.trim().is_empty()).count();
    out.lines_total += non_blank;
    match input.role {
        Role::Logs | Role::PreviousLogs => {
            let text: Vec<String> = lines.iter().map(|l| l.text.clone()).collect();
            harvest_components(&text, out);
            for section in logs::sections(text) {
                out.logs.push(LogPiece {
                    pod: section.pod.map(|name| Named {
                        name,
                        ..Default::default()
                    }),
                    container: section.container,
                    previous: input.role == Role::PreviousLogs,
                    lines: section.lines,
                });
            }
            out.recognised += 1;
            out.lines_placed += non_blank;
        }
        Role::Journal => {
            let text: Vec<String> = lines.iter().map(|l| l.text.clone()).collect();
            harvest_components(&text, out);
            out.journal.extend(journal::parse(&text.join("\n")));
            out.recognised += 1;
            out.lines_placed += non_blank;
        }
        Role::Auto | Role::Events | Role::Node => read_segments(lines, input, out),
    }
}

/// Component log lines (klog) in a log or journal that name a pod also tell about that pod.
fn harvest_components(lines: &[String], out: &mut Collected) {
    for l in lines {
        if let Some(Loose::Component { about, states, .. }) = loose::read(l) {
            component(out, about, states);
        }
    }
}

/// What a component's log line says about a pod: its message as an event, and the
/// container states of the sync failures it spells out.
fn component(
    out: &mut Collected,
    about: Option<(Option<Named>, Event)>,
    states: Vec<loose::SyncFailure>,
) {
    let Some((named, event)) = about else {
        return;
    };
    for f in states.into_iter().filter(|f| f.action == "StartContainer") {
        let mut pod = Pod {
            partial: true,
            containers: vec![Container {
                name: f.target,
                status: Some(ContainerStatus {
                    state: ContainerState::Waiting {
                        reason: Some(f.reason),
                        message: (!f.message.is_empty()).then_some(f.message),
                    },
                    ..Default::default()
                }),
                ..Default::default()
            }],
            ..Default::default()
        };
        if let Some(n) = &named {
            pod.name = n.name.clone();
            pod.namespace = n.namespace.clone().unwrap_or_default();
        }
        out.pods.push(pod);
    }
    out.events.push((event, named.as_ref().map(pod_object)));
    out.had_events = true;
}

fn pod_object(n: &Named) -> InvolvedObject {
    InvolvedObject {
        kind: "Pod".into(),
        namespace: n.namespace.clone().unwrap_or_default(),
        name: n.name.clone(),
        uid: None,
    }
}

fn read_segments(lines: &[Line], input: &Input, out: &mut Collected) {
    let mut ctx = Context::default();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if let Some(cmd) = &line.command {
            ctx.command = Some(cmd.clone());
            i += 1;
            if is_log_command(cmd) {
                // The output of `kubectl logs` is a log, whatever it looks like.
                let end = lines[i..]
                    .iter()
                    .position(|l| l.prompt)
                    .map_or(lines.len(), |p| i + p);
                let mut text: Vec<String> = lines[i..end].iter().map(|l| l.text.clone()).collect();
                harvest_components(&text, out);
                containers_named_by_kubectl(&mut text, ctx.pod(), out);
                out.lines_placed += text.iter().filter(|t| !t.trim().is_empty()).count();
                out.logs.push(LogPiece {
                    pod: ctx.pod(),
                    container: cmd.container.clone(),
                    previous: cmd.previous,
                    lines: text,
                });
                out.recognised += 1;
                i = end;
            }
            continue;
        }
        if line.text.trim().is_empty() {
            i += 1;
            continue;
        }
        let rest = &lines[i..];
        let used = detect_and_parse(rest, input, &ctx, out);
        if used > 0 {
            out.lines_placed += rest[..used]
                .iter()
                .filter(|l| !l.text.trim().is_empty())
                .count();
            i += used;
            continue;
        }
        // Nothing recognised: a run of lines up to the next prompt or structured start,
        // read line by line.
        let end = rest
            .iter()
            .enumerate()
            .skip(1)
            .find(|(_, l)| l.prompt || l.text.trim().is_empty() || starts_structured(&l.text))
            .map_or(rest.len(), |(j, _)| j);
        unstructured(&rest[..end], input, &ctx, out);
        i += end.max(1);
    }
}

/// kubectl's own lines in front of a log: `Defaulted container "app" out of: app, init-db
/// (init)` names the pod's containers, and which are init containers; they are not log lines.
fn containers_named_by_kubectl(text: &mut Vec<String>, pod: Option<Named>, out: &mut Collected) {
    let Some(i) = text
        .iter()
        .position(|l| l.starts_with("Defaulted container \""))
    else {
        return;
    };
    let line = text.remove(i);
    let Some((_, list)) = line.split_once(" out of: ") else {
        return;
    };
    let mut piece = Pod {
        partial: true,
        ..Default::default()
    };
    if let Some(n) = pod {
        piece.name = n.name;
        piece.namespace = n.namespace.unwrap_or_default();
    }
    for c in list.split(", ") {
        let (name, init) = match c.trim().strip_suffix(" (init)") {
            Some(n) => (n, true),
            None => (c.trim().trim_end_matches(" (ephem)"), false),
        };
        let container = Container {
            name: name.to_string(),
            init,
            ..Default::default()
        };
        if init {
            piece.init_containers.push(container);
        } else {
            piece.containers.push(container);
        }
    }
    out.pods.push(piece);
}

fn is_log_command(cmd: &Command) -> bool {
    matches!(cmd.verb.as_str(), "logs" | "crictl logs" | "docker logs")
}

/// Tries each structured format at the start of `lines`; returns the lines consumed.
fn detect_and_parse(lines: &[Line], input: &Input, ctx: &Context, out: &mut Collected) -> usize {
    let first = lines[0].text.as_str();
    let t = first.trim_start();
    if let Some(cmd) = &ctx.command
        && cmd.verb == "get"
        && cmd.kind.as_deref() == Some("pod")
        && !cmd.custom_columns.is_empty()
    {
        let (pods, used) = super::custom_columns::parse(lines, &cmd.custom_columns);
        if !pods.is_empty() {
            out.pods.extend(pods);
            out.recognised += 1;
            return used;
        }
    }
    if t.starts_with("apiVersion:")
        || t.starts_with("kind:")
        || t.starts_with("items:")
        || t == "---"
        || (t.starts_with('{') && looks_like_object(lines))
    {
        let used = objects(lines, input, out);
        if used > 0 {
            return used;
        }
    }
    // `kubectl get pod X -o yaml | tail`: the output starts inside the object; read it from
    // its first top-level key.
    let object_output = ctx
        .command
        .as_ref()
        .is_some_and(|c| c.verb == "get" && matches!(c.output.as_deref(), Some("yaml" | "json")));
    if object_output && !fragment::starts(first) && !t.starts_with('{') {
        let head = lines
            .iter()
            .take_while(|l| !l.prompt && !l.text.trim().is_empty())
            .position(|l| fragment::starts(&l.text) && indent(&l.text) == 0);
        if let Some(skip) = head.filter(|s| *s > 0)
            && let Some((value, used)) = fragment::parse(&lines[skip..])
        {
            push_fragment(out, value, ctx);
            return skip + used;
        }
    }
    if fragment::starts(first)
        && let Some((value, used)) = fragment::parse(lines)
        && push_fragment(out, value, ctx)
    {
        return used;
    }
    let node_command = ctx
        .command
        .as_ref()
        .filter(|c| c.verb == "describe" && c.kind.as_deref() == Some("node"));
    let node_key = describe_pod::key_value(first)
        .is_some_and(|(k, _)| describe_node::START_KEYS.contains(&k.as_str()));
    if (indent(first) == 0 && node_key && describe_node::looks_like(lines))
        || (node_command.is_some() && describe_pod::key_value(first).is_some())
        || (input.role == Role::Node && t.starts_with("Conditions:"))
    {
        let (mut node, used) = describe_node::parse(lines);
        if node.name.is_empty()
            && let Some(name) = node_command.and_then(|c| c.names.first())
        {
            node.name = name.clone();
        }
        out.nodes.push(node);
        out.recognised += 1;
        return used;
    }
    // `kubectl describe pod` output: recognised by its keys, or said by the command that
    // printed it (a fragment cut with `| sed`, `| grep -A`, a first line damaged by the copy).
    let described = ctx
        .command
        .as_ref()
        .is_some_and(|c| c.verb == "describe" && c.kind.as_deref().is_none_or(|k| k == "pod"));
    if input.role != Role::Node
        && (describe_pod::looks_like(lines) || t.starts_with("Events:") || described)
        && (indent(first) > 0
            || first.starts_with("Name:")
            || t.starts_with("Events:")
            || describe_pod::starts_fragment(first)
            || describe_pod::key_value(first).is_some())
    {
        let parsed = describe_pod::parse(lines);
        if parsed.consumed > 0 {
            out.had_events |= parsed.has_events;
            let mut pod = parsed.pod;
            ctx.name(&mut pod);
            out.pods.push(pod);
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
        let (mut pods, used) = pods_table::parse(lines);
        for p in &mut pods {
            if p.namespace.is_empty()
                && let Some(ns) = ctx.command.as_ref().and_then(|c| c.namespace.clone())
            {
                p.namespace = ns;
            }
        }
        out.pods.extend(pods);
        out.recognised += 1;
        return used;
    }
    if super::nodes_table::header(first) {
        let (nodes, used) = super::nodes_table::parse(lines);
        // `kubectl get nodes` lists them all; `get node NAME` only the one.
        let named = ctx.command.as_ref().is_some_and(|c| !c.names.is_empty());
        out.node_list |= !named;
        for n in nodes {
            match out.nodes.iter_mut().find(|x| x.name == n.name) {
                Some(x) if x.conditions.is_empty() => x.conditions = n.conditions,
                Some(_) => {}
                None => out.nodes.push(n),
            }
        }
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
                push_event(out, e, ctx);
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
        let text: Vec<String> = lines[..used].iter().map(|l| l.text.clone()).collect();
        harvest_components(&text, out);
        out.journal.extend(journal::parse(&text.join("\n")));
        out.recognised += 1;
        return used;
    }
    0
}

/// Reads a pod fragment (see [`fragment`]) into a partial pod; false when it is not one.
fn push_fragment(out: &mut Collected, value: serde_json::Value, ctx: &Context) -> bool {
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
fn looks_like_object(lines: &[Line]) -> bool {
    lines.iter().take(6).any(|l| {
        let t = l.text.trim_start();
        t.starts_with("\"kind\"") || t.starts_with("\"apiVersion\"") || t.contains("\"kind\":")
    })
}

/// An event read from a row: about the command's pod when the row names no object.
fn push_event(out: &mut Collected, event: Event, ctx: &Context) {
    let io = events::involved(&event, "").or_else(|| ctx.pod().map(|n| pod_object(&n)));
    out.events.push((event, io));
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
                let (pods, bad) = parse_items::<wire::Pod>(items, "v1", "Pod");
                note_bad(out, input, "Pod", bad);
                out.pods.extend(pods.into_iter().map(convert::pod));
            }
            "Event" => {
                let (evs, bad) = parse_items::<wire::Event>(items, "v1", "Event");
                note_bad(out, input, "Event", bad);
                out.had_events = true;
                out.events.extend(evs.into_iter().map(|e| {
                    let (ev, io) = convert::event(e);
                    (ev, Some(io))
                }));
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

fn note_bad(out: &mut Collected, input: &Input, kind: &str, bad: Vec<String>) {
    for b in bad {
        out.notes
            .push(format!("`{}`: {kind} {b}; skipped", input.name));
    }
}

/// A run of lines no block parser took, read line by line. What their shapes say is kept;
/// the rest is a bare event message (a few lines, or anything given with `--events`), a log
/// if it is structured like one, or unplaced.
fn unstructured(lines: &[Line], input: &Input, ctx: &Context, out: &mut Collected) {
    let mut free: Vec<&str> = Vec::new();
    let mut placed = 0;
    for l in lines {
        let Some(found) = loose::read(&l.text) else {
            if !l.text.trim().is_empty() {
                free.push(l.text.as_str());
            }
            continue;
        };
        placed += 1;
        match found {
            Loose::Event(e) => {
                out.had_events = true;
                push_event(out, e, ctx);
            }
            Loose::PodRow(p) => {
                let mut p = *p;
                if p.namespace.is_empty()
                    && let Some(ns) = ctx.command.as_ref().and_then(|c| c.namespace.clone())
                {
                    p.namespace = ns;
                }
                out.pods.push(p);
            }
            Loose::NodeCondition(c) => {
                let node = match out.nodes.iter_mut().find(|n| n.name.is_empty()) {
                    Some(n) => n,
                    None => {
                        out.nodes.push(Node::default());
                        out.nodes.last_mut().expect("just pushed")
                    }
                };
                node.conditions.retain(|x| x.type_ != c.type_);
                node.conditions.push(c);
            }
            Loose::Status {
                reason,
                message,
                level,
            } => status(out, ctx, reason, message, level),
            Loose::Deleted(name) => out.deleted.push(name),
            Loose::Component {
                entry,
                about,
                states,
            } => {
                out.journal.push(entry);
                component(out, about, states);
            }
        }
    }
    if placed > 0 {
        out.recognised += 1;
        out.lines_placed += placed;
    }
    if free.is_empty() {
        return;
    }
    let texts: Vec<String> = free.iter().map(|t| t.trim().to_string()).collect();
    let log_like = logs::looks_like(&texts);
    // A few messages without timestamps that speak of Kubernetes or of an error: messages
    // someone copied out of an event or a status (what they mean is for the playbooks). A
    // message may run over several lines (a mount's output): indented lines continue it.
    let messages = bare_messages(&free);
    let bare = input.role == Role::Events
        || (messages.len() <= 6
            && !texts.iter().any(|t| logs::is_timestamped(t))
            && (log_like || logs::sounds_like_kubernetes(&texts)));
    if bare {
        for m in &messages {
            push_event(out, events::bare_message(m), ctx);
        }
        // Bare messages are what is left when no format fits: they do not make a text
        // command output (a changelog or a design note mentions messages too).
        out.had_events = true;
        out.recognised += 1;
        return;
    }
    if input.role == Role::Auto && log_like {
        out.logs.push(LogPiece {
            pod: ctx.pod(),
            lines: texts,
            ..Default::default()
        });
        out.recognised += 1;
        return;
    }
    out.unplaced_count += texts.len();
    if !out.unplaced.iter().any(|(n, _)| *n == input.name) {
        // Quoted in errors and notes: one short line, never a dump of the input.
        out.unplaced
            .push((input.name.clone(), crate::words::excerpt(&texts[0], 120)));
    }
}

/// Lines grouped into messages: a line at the margin starts one, an indented line continues it.
fn bare_messages(lines: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in lines {
        match out.last_mut() {
            Some(last) if indent(l) > 0 => {
                last.push(' ');
                last.push_str(l.trim());
            }
            _ => out.push(l.trim().to_string()),
        }
    }
    out
}

/// A status with its message: a container's state, the pod's reason, or an event.
fn status(out: &mut Collected, ctx: &Context, reason: String, message: String, level: ReasonLevel) {
    let message = (!message.is_empty()).then_some(message);
    match level {
        ReasonLevel::Event => {
            out.had_events = true;
            let event = Event {
                type_: "Warning".into(),
                reason,
                message: message.unwrap_or_default(),
                count: 1,
                ..Default::default()
            };
            push_event(out, event, ctx);
        }
        ReasonLevel::Container => {
            let state = if vocabulary::is_terminated(&reason) {
                ContainerState::Terminated {
                    reason: Some(reason.clone()),
                    message,
                    exit_code: 0,
                    signal: None,
                    started_at: None,
                    finished_at: None,
                }
            } else {
                ContainerState::Waiting {
                    reason: Some(reason.clone()),
                    message,
                }
            };
            let mut pod = Pod {
                partial: true,
                status_hint: Some(reason),
                containers: vec![Container {
                    status: Some(ContainerStatus {
                        state,
                        ..Default::default()
                    }),
                    ..Default::default()
                }],
                ..Default::default()
            };
            ctx.name(&mut pod);
            out.pods.push(pod);
        }
        ReasonLevel::Pod => {
            // The kubelet also records the rejection as an event with the same reason.
            out.had_events = true;
            push_event(
                out,
                Event {
                    type_: "Warning".into(),
                    reason: reason.clone(),
                    message: message.clone().unwrap_or_default(),
                    count: 1,
                    ..Default::default()
                },
                ctx,
            );
            let mut pod = Pod {
                partial: true,
                status_hint: Some(reason.clone()),
                reason: Some(reason),
                message,
                ..Default::default()
            };
            ctx.name(&mut pod);
            out.pods.push(pod);
        }
    }
}
